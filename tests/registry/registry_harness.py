"""What the registry tests share: an event recorder to wait on, test catalogs, a validator
that tolerates Zygomys until its engine lands, and file helpers."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scriptvisor.engines.base import ScriptLanguage
from scriptvisor.engines.factory import EngineFactory
from scriptvisor.protocol.errors import ErrorType, ScriptError
from scriptvisor.protocol.models import Script
from scriptvisor.registry import CompileValidator, EmbeddedCatalog, ScriptRegistry

WAIT = 10.0  # seconds any awaited event may take before the test fails

DAMAGE = "result := base * 2\n"
DAMAGE_V2 = "result := base * 3\n"
UTILS = "export { double: func(x) { return x * 2 } }\n"
BROKEN = "result := (base * \n"  # line 1 opens, never closes

ZYGOMYS_SUPPORTED = ScriptLanguage.ZYGOMYS in EngineFactory().supported_languages()


class Events:
    """Records `publish(topic, payload)` calls; tests wait on them, never sleep."""

    def __init__(self) -> None:
        self.items: list[tuple[str, dict[str, Any]]] = []
        self._cond = threading.Condition()

    def __call__(self, topic: str, payload: dict[str, Any]) -> None:
        with self._cond:
            self.items.append((topic, payload))
            self._cond.notify_all()

    def wait(self, topic: str, timeout: float = WAIT, **match: Any) -> dict[str, Any]:
        """The first payload on `topic` whose fields equal `match` (waits for it)."""
        found: list[dict[str, Any]] = []

        def seen() -> bool:
            found[:] = [p for t, p in self.items if t == topic and _matches(p, match)]
            return bool(found)

        with self._cond:
            if not self._cond.wait_for(seen, timeout):
                raise AssertionError(f"no {topic} {match} within {timeout}s: {self.items}")
        return found[0]

    def of(self, topic: str, **match: Any) -> list[dict[str, Any]]:
        with self._cond:
            return [p for t, p in self.items if t == topic and _matches(p, match)]

    def names(self) -> set[tuple[str, str]]:
        with self._cond:
            return {(p["module"], p["name"]) for _, p in self.items}


def _matches(payload: dict[str, Any], match: dict[str, Any]) -> bool:
    return all(payload.get(k) == v for k, v in match.items())


def game_catalog() -> EmbeddedCatalog:
    catalog = EmbeddedCatalog(discover=False)
    catalog.register("game", {"damage": ("tengo", DAMAGE), "heal": ("tengo", "result := 1\n")})
    catalog.register("shared", {"utils": ("tengo", UTILS)})
    return catalog


def checksum(content: str, language: str = "tengo") -> str:
    return Script.checksum_of(content, language)


def with_tolerant_zygomys(registry: ScriptRegistry) -> Callable[[Script], ScriptError | None]:
    """The registry's default validator, except that without a Zygomys engine a Zygomys
    script is accepted when its parentheses balance (so cross-language tests run today)."""
    default = CompileValidator(registry.validation_resolver)

    def validate(script: Script) -> ScriptError | None:
        if script.language is ScriptLanguage.ZYGOMYS and not ZYGOMYS_SUPPORTED:
            text = script.content
            if text.count("(") == text.count(")"):
                return None
            return ScriptError(ErrorType.INVALID_SYNTAX, "unbalanced parentheses", line=1)
        return default(script)

    return validate


def write(path: Path, text: str) -> None:
    """Write as a plain editor save does (truncate, write, close), creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def write_atomically(path: Path, text: str) -> None:
    """Write as careful editors do: a temporary file renamed over the script."""
    temp = path.with_name(f".{path.name}.swp")
    write(temp, text)
    os.replace(temp, path)
