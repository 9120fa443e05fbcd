"""The wargame's little world: units and dice, and the host functions scripts call on it.

Scripts see `roll_dice(sides)` (1..sides, default 6) and `unit(id)` (a copy of the unit's
map: id, name, side, attack, weapon, defense, armor, hp, max_hp); an unknown id gives the
script an error value.
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass
from typing import Any

from scriptvisor.supervisor.rpc import HostFunction


@dataclass
class Unit:
    id: str
    name: str
    side: str
    attack: int
    weapon: int
    defense: int
    armor: int
    max_hp: int
    hp: int = 0

    def __post_init__(self) -> None:
        self.hp = self.hp or self.max_hp


def default_units() -> list[Unit]:
    return [
        Unit("tank-1", "Blue Tank", "blue", attack=40, weapon=10, defense=16, armor=12,
             max_hp=220),
        Unit("inf-1", "Blue Rifles", "blue", attack=24, weapon=6, defense=8, armor=4,
             max_hp=120),
        Unit("art-1", "Blue Battery", "blue", attack=46, weapon=14, defense=6, armor=2,
             max_hp=100),
        Unit("tank-2", "Red Tank", "red", attack=42, weapon=8, defense=15, armor=12,
             max_hp=220),
        Unit("inf-2", "Red Rifles", "red", attack=26, weapon=4, defense=9, armor=4,
             max_hp=120),
        Unit("art-2", "Red Battery", "red", attack=44, weapon=16, defense=5, armor=2,
             max_hp=100),
    ]


class World:
    """Units and a random source, safe to use from the host functions' threads."""

    def __init__(self, units: list[Unit] | None = None, seed: int | None = None) -> None:
        self._units = {u.id: u for u in (units or default_units())}
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def functions(self) -> dict[str, HostFunction]:
        """The host functions the module exposes to its scripts."""
        return {"roll_dice": self.roll_dice, "unit": self.unit}

    def roll_dice(self, sides: Any = 6) -> int:
        if type(sides) is not int or not 2 <= sides <= 1000:
            raise ValueError("roll_dice: sides must be a whole number from 2 to 1000")
        with self._lock:
            return self._random.randint(1, sides)

    def unit(self, unit_id: Any) -> dict[str, Any]:
        with self._lock:
            found = self._units.get(unit_id) if isinstance(unit_id, str) else None
            if found is None:
                raise LookupError(f"unit: no unit {unit_id!r}")
            return asdict(found)

    def units(self) -> list[dict[str, Any]]:
        with self._lock:
            return [asdict(u) for u in self._units.values()]

    def pick_fight(self) -> tuple[str, str]:
        """A random attacker and a defender of the other side."""
        with self._lock:
            attacker = self._random.choice(list(self._units.values()))
            foes = [u for u in self._units.values() if u.side != attacker.side]
            return attacker.id, self._random.choice(foes).id

    def wound(self, unit_id: str, damage: int) -> tuple[int, bool]:
        """Apply damage; a destroyed unit is replaced at full strength. Returns (hp left,
        destroyed)."""
        with self._lock:
            unit = self._units[unit_id]
            unit.hp = max(0, unit.hp - damage)
            destroyed = unit.hp == 0
            if destroyed:
                unit.hp = unit.max_hp
            return (0 if destroyed else unit.hp), destroyed
