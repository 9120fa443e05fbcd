"""Shared utility scripts end to end: registry -> supervisor -> confined child.

A module script imports `shared/<name>` in its own language; an external override of the
shared script reaches the next execution; an invalid override keeps the last good version;
deleting it brings the embedded one back.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scriptvisor.protocol.errors import ScriptError
from scriptvisor.protocol.models import ExecutionRequest, ScriptInput
from scriptvisor.registry.embedded import EmbeddedCatalog
from scriptvisor.registry.registry import ScriptRegistry
from scriptvisor.supervisor import PoolConfig, ScriptEngine

pytestmark = pytest.mark.timeout(90)

EMBEDDED = {
    "shared": {
        "dice": ("tengo", "export { bonus: func(x) { return x + 1 } }"),
        "zdice": ("zygomys", "(defn bonus [x] (+ x 1))"),
    },
    "wargame": {
        "tengo_roll": ("tengo", 'd := import("shared/dice")\nresult := d.bonus(roll)'),
        "zy_roll": ("zygomys", '(import "shared/zdice") (def result (bonus roll))'),
    },
}


@pytest.fixture()
def registry(tmp_path: Path) -> Iterator[ScriptRegistry]:
    catalog = EmbeddedCatalog(discover=False)
    for module, scripts in EMBEDDED.items():
        catalog.register(module, scripts)
    (tmp_path / "scripts" / "shared").mkdir(parents=True)
    reg = ScriptRegistry(tmp_path / "scripts", embedded=catalog, hot_reload=False)
    reg.load_scripts()
    yield reg
    reg.stop()


@pytest.fixture()
def engine(registry: ScriptRegistry) -> Iterator[ScriptEngine]:
    with ScriptEngine(
        registry.get_script, pool=PoolConfig(size=1), imports=registry.shared_sources
    ) as eng:
        yield eng


def roll(engine: ScriptEngine, script: str) -> object:
    request = ExecutionRequest(
        module_name="wargame", script_name=script, input=ScriptInput(context={"roll": 5})
    )
    out = engine.execute(request)
    out.raise_for_error()
    return out.result


def override(registry: ScriptRegistry, file: str, text: str | None) -> None:
    path = registry.scripts_dir / "shared" / file
    if text is None:
        path.unlink()
    else:
        path.write_text(text)
    registry.reload_script("shared", file.rsplit(".", 1)[0])


@pytest.mark.parametrize(("script", "file", "better", "broken"), [
    ("tengo_roll", "dice.tengo", "export { bonus: func(x) { return x * 10 } }", "export {"),
    ("zy_roll", "zdice.zygomys", "(defn bonus [x] (* x 10))", "(defn bonus [x]"),
])
def test_shared_override_reaches_the_child(
    registry: ScriptRegistry, engine: ScriptEngine, script: str, file: str, better: str,
    broken: str,
) -> None:
    assert roll(engine, script) == 6
    override(registry, file, better)
    assert roll(engine, script) == 50
    with pytest.raises(ScriptError):
        override(registry, file, broken)
    assert roll(engine, script) == 50  # the last good shared version stays live
    override(registry, file, None)
    assert roll(engine, script) == 6  # the embedded default is back


def test_imports_are_per_language(engine: ScriptEngine) -> None:
    out = engine.execute_source('d := import("shared/zdice")\nresult := 1')
    assert out.error is not None and "shared/zdice" in out.error.message, out
