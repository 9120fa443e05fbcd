"""The wargame module's embedded scripts run and give their documented answers."""

from importlib import resources

import pytest

from scriptvisor.engines.factory import EngineFactory, language_of
from scriptvisor.modules.wargame import demo


@pytest.fixture(scope="module")
def engine() -> EngineFactory:
    return EngineFactory()


def run(factory: EngineFactory, name: str, variables: dict[str, object]) -> dict[str, object]:
    """Run the embedded script `name`, whatever its language (the extension says)."""
    folder = resources.files("scriptvisor.modules.wargame") / "scripts"
    entry = next(e for e in folder.iterdir() if e.name.rsplit(".", 1)[0] == name)
    engine = factory.create_engine(language_of(entry.name))
    out = engine.execute(engine.compile(entry.read_text(), entry.name), variables, demo.functions())
    assert isinstance(out.result, dict)
    return out.result


def test_damage_calculator(engine: EngineFactory) -> None:
    out = run(engine, "damage_calculator", demo.SAMPLES["damage_calculator"])
    # (42 + 8) - (12 + 10 / 2) = 33, doubled by the critical hit
    assert out == {
        "damage": 66,
        "critical": True,
        "breakdown": {"base": 50, "mitigation": 17, "multiplier": 2.0},
    }


def test_damage_is_never_below_one(engine: EngineFactory) -> None:
    variables = {"attacker": {"attack": 1}, "defender": {"defense": 50}, "critical": None}
    assert run(engine, "damage_calculator", variables)["damage"] == 1


def test_hit_simulator_is_deterministic_for_a_seed(engine: EngineFactory) -> None:
    first = run(engine, "hit_simulator", {"chance": 0.5, "rolls": 200, "seed": 3})
    again = run(engine, "hit_simulator", {"chance": 0.5, "rolls": 200, "seed": 3})
    assert first == again
    assert first["hits"] + first["misses"] == 200
    assert first["hit_rate"] == first["hits"] / 200


def test_event_processor_ships_as_zygomys() -> None:
    folder = resources.files("scriptvisor.modules.wargame") / "scripts"
    assert (folder / "event_processor.zygomys").is_file()


def test_event_processor_escalates_heavy_damage(engine: EngineFactory) -> None:
    out = run(engine, "event_processor", demo.SAMPLES["event_processor"])
    assert out["severity"] == "critical"
    assert out["follow_up"] == {"topic": "wargame.action", "action": "retreat", "unit": "tank-3"}


def test_demo_runs_every_script(capsys: pytest.CaptureFixture[str]) -> None:
    assert demo.run() == 0
    printed = capsys.readouterr().out
    for name in ("damage_calculator", "hit_simulator", "event_processor"):
        assert f"wargame/{name}: {{" in printed
