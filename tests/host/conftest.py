"""Fixtures: one served host per test module (see `host_harness`)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from host_harness import ProbeModule, Served, probe_catalog  # noqa: E402

from scriptvisor.host.app import Host  # noqa: E402
from scriptvisor.host.config import HostConfig  # noqa: E402
from scriptvisor.host.module import ScriptableModule  # noqa: E402
from scriptvisor.modules.wargame.module import WargameModule  # noqa: E402


@pytest.fixture(scope="module")
def scripts_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scripts")


@pytest.fixture(scope="module")
def served(scripts_dir: Path) -> Iterator[Served]:
    env = {"SCRIPTS_DIR": str(scripts_dir), "SCRIPTVISOR_POOL_SIZE": "2",
           "SCRIPT_MAX_EXECUTION_TIME": "2s", "HOT_RELOAD_SCRIPTS": "true"}
    config = HostConfig.from_env(env)
    modules: list[ScriptableModule] = [ProbeModule(), WargameModule(tick=0.2, seed=5)]
    host = Host(config, modules, catalog=probe_catalog())
    server = Served(host)
    yield server
    server.stop()
