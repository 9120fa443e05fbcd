"""Runs the wargame module's embedded scripts with sample inputs (what `make serve` shows
until the supervisor and HTTP host land)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from scriptvisor.engines.factory import EngineFactory, language_of
from scriptvisor.protocol.errors import ScriptError

SAMPLES: dict[str, dict[str, Any]] = {
    "damage_calculator": {
        "attacker": {"attack": 42, "weapon": 8},
        "defender": {"defense": 12, "armor": 10},
        "critical": True,
    },
    "hit_simulator": {"chance": 0.65, "rolls": 1000, "seed": 7},
    "event_processor": {"event": {"type": "DAMAGE", "unit": "tank-3", "value": 64}},
}


def run() -> int:
    factory = EngineFactory()
    failures = 0
    scripts = resources.files("scriptvisor.modules.wargame") / "scripts"
    for entry in sorted(scripts.iterdir(), key=lambda e: e.name):
        name = entry.name.rsplit(".", 1)[0]
        engine = factory.create_engine(language_of(entry.name))
        try:
            compiled = engine.compile(entry.read_text(encoding="utf-8"), entry.name)
            out = engine.execute(compiled, SAMPLES.get(name, {}))
        except ScriptError as exc:
            failures += 1
            print(f"wargame/{name}: {exc}")
            continue
        print(f"wargame/{name}: {json.dumps(out.result, sort_keys=True)}")
        for line in out.logs:
            print(f"    log: {line}")
    return 1 if failures else 0
