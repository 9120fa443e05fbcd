"""Registry tests use real files in temporary folders and a real watchdog observer."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from registry_harness import Events, game_catalog, with_tolerant_zygomys  # noqa: E402

from scriptvisor.registry import ScriptRegistry  # noqa: E402


@pytest.fixture
def scripts_dir(tmp_path: Path) -> Path:
    path = tmp_path / "scripts"
    path.mkdir()
    return path


@pytest.fixture
def events() -> Events:
    return Events()


@pytest.fixture
def make_registry(
    scripts_dir: Path, events: Events
) -> Iterator[Callable[..., ScriptRegistry]]:
    """Builds registries over `scripts_dir` with the test catalog; stops them afterwards."""
    made: list[ScriptRegistry] = []

    def make(**kwargs: Any) -> ScriptRegistry:
        options: dict[str, Any] = {
            "embedded": game_catalog(),
            "publish": events,
            "hot_reload": True,
            **kwargs,
        }
        registry = ScriptRegistry(options.pop("scripts_dir", scripts_dir), **options)
        if "validator" not in kwargs:
            registry.validator = with_tolerant_zygomys(registry)
        made.append(registry)
        return registry

    yield make
    for registry in made:
        registry.stop()
