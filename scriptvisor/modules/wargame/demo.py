"""Runs the wargame module's embedded scripts once, in this process, with sample inputs and
the module's host functions (a quick look without the server: `scriptvisor serve` runs the
real thing)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from scriptvisor.engines.factory import EngineFactory, language_of
from scriptvisor.modules.wargame.world import World
from scriptvisor.protocol.errors import ScriptError

SAMPLES: dict[str, dict[str, Any]] = {
    "damage_calculator": {
        "attacker": {"attack": 42, "weapon": 8},
        "defender": {"defense": 12, "armor": 10},
        "critical": True,
    },
    "hit_simulator": {"chance": 0.65, "rolls": 1000, "seed": 7},
    "event_processor": {"event": {"type": "damage", "unit": "tank-3", "value": 64}},
}


def functions(world: World | None = None) -> dict[str, Any]:
    """The module's host functions plus a `publish` that prints (what scripts may call)."""

    def publish(topic: str, payload: Any) -> bool:
        print(f"    publish {topic}: {json.dumps(payload, sort_keys=True)}")
        return True

    return {**(world or World(seed=1)).functions(), "publish": publish}


def run() -> int:
    factory = EngineFactory()
    failures = 0
    scripts = resources.files("scriptvisor.modules.wargame") / "scripts"
    fns = functions()
    for entry in sorted(scripts.iterdir(), key=lambda e: e.name):
        name = entry.name.rsplit(".", 1)[0]
        engine = factory.create_engine(language_of(entry.name))
        try:
            compiled = engine.compile(entry.read_text(encoding="utf-8"), entry.name)
            out = engine.execute(compiled, SAMPLES.get(name, {}), fns)
        except ScriptError as exc:
            failures += 1
            print(f"wargame/{name}: {exc}")
            continue
        print(f"wargame/{name}: {json.dumps(out.result, sort_keys=True)}")
        for line in out.logs:
            print(f"    log: {line}")
    return 1 if failures else 0
