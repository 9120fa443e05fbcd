"""Cross-language replacement end to end: registry -> supervisor -> confined child.

An external script in either language replaces the embedded one in the other; an invalid
external script falls back to the embedded default in its original language.
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

ATTACK = {
    "attacker": {"attack": 42, "weapon": 8},
    "defender": {"defense": 12, "armor": 10},
    "critical": True,
}
ZYGOMYS_DAMAGE = """
(def base (+ (hget attacker "attack") (hget attacker "weapon")))
(def result (hash "damage" (* base 10) "by" "zygomys"))
"""


TENGO_DAMAGE = 'result := {damage: attacker.attack, by: "tengo"}'


@pytest.fixture()
def registry(tmp_path: Path) -> Iterator[ScriptRegistry]:
    catalog = EmbeddedCatalog(discover=False)
    catalog.register("wargame", {"pure_damage": ("tengo", TENGO_DAMAGE)})
    (tmp_path / "scripts" / "wargame").mkdir(parents=True)
    reg = ScriptRegistry(tmp_path / "scripts", embedded=catalog, hot_reload=False)
    reg.load_scripts()
    yield reg
    reg.stop()


@pytest.fixture()
def engine(registry: ScriptRegistry) -> Iterator[ScriptEngine]:
    with ScriptEngine(registry.get_script, pool=PoolConfig(size=1)) as eng:
        yield eng


def damage(engine: ScriptEngine) -> object:
    request = ExecutionRequest(
        module_name="wargame", script_name="pure_damage", input=ScriptInput(context=ATTACK)
    )
    out = engine.execute(request)
    out.raise_for_error()
    return out.result


def write(registry: ScriptRegistry, name: str, text: str) -> None:
    path = registry.scripts_dir / "wargame" / name
    path.write_text(text)
    registry.reload_script("wargame", name.rsplit(".", 1)[0])


def test_zygomys_override_replaces_embedded_tengo_and_falls_back(
    registry: ScriptRegistry, engine: ScriptEngine
) -> None:
    assert damage(engine) == {"damage": 42, "by": "tengo"}

    write(registry, "pure_damage.zygomys", ZYGOMYS_DAMAGE)
    script = registry.get_script("wargame", "pure_damage")
    assert (script.language, script.original_language) == ("zygomys", "tengo")
    assert damage(engine) == {"damage": 500, "by": "zygomys"}

    with pytest.raises(ScriptError, match="parser needs more input"):
        write(registry, "pure_damage.zygomys", "(def result (+ 1")  # unbalanced: invalid
    assert damage(engine) == {"damage": 500, "by": "zygomys"}  # last good version kept
    entry = {e.name: e for e in registry.entries() if e.module == "wargame"}["pure_damage"]
    assert entry.error is not None and entry.error.line == 1

    (registry.scripts_dir / "wargame" / "pure_damage.zygomys").unlink()
    registry.reload_script("wargame", "pure_damage")
    assert damage(engine) == {"damage": 42, "by": "tengo"}


def test_tengo_override_replaces_embedded_zygomys(tmp_path: Path) -> None:
    catalog = EmbeddedCatalog(discover=False)
    catalog.register("wargame", {"pure_damage": ("zygomys", ZYGOMYS_DAMAGE)})
    (tmp_path / "scripts" / "wargame").mkdir(parents=True)
    registry = ScriptRegistry(tmp_path / "scripts", embedded=catalog, hot_reload=False)
    registry.load_scripts()
    with ScriptEngine(registry.get_script, pool=PoolConfig(size=1)) as engine:
        assert damage(engine) == {"damage": 500, "by": "zygomys"}
        write(registry, "pure_damage.tengo", TENGO_DAMAGE)
        assert damage(engine) == {"damage": 42, "by": "tengo"}
        with pytest.raises(ScriptError):
            write(registry, "pure_damage.tengo", "result := {")  # invalid Tengo
        assert damage(engine) == {"damage": 42, "by": "tengo"}  # last good version kept
        (registry.scripts_dir / "wargame" / "pure_damage.tengo").unlink()
        registry.reload_script("wargame", "pure_damage")
        assert damage(engine) == {"damage": 500, "by": "zygomys"}
    registry.stop()
