"""The wargame module, live: a simulation driven by scripts, watched from a web page.

- Every tick (`WARGAME_TICK`, default `1s`) a random unit attacks one of the other side;
  the `damage_calculator` script computes the damage (it looks the units up with `unit(id)`
  and rolls for a critical with `roll_dice(20)`), the module applies it and publishes
  `wargame.event.damage` and `wargame.state.update`.
- `event_processor` runs on every `wargame.*` message (as `event`: the message's payload)
  and publishes `wargame.action` orders itself (`publish`).
- `GET /wargame/debug/hit?chance=0.6&rolls=1000&seed=7` runs `hit_simulator`.
- `GET /wargame` is a page showing the live feed; `GET /wargame/events` is that feed as
  server-sent events (`event: feed`, JSON data); `GET /wargame/units` the units.

Feed items (JSON objects) have a `kind`: `attack` (result, logs, the script's origin and
checksum), `processed` (event_processor's answer on a topic), `script_error`, `registry`
(`scripts.reloaded` / `scripts.rejected` / `scripts.removed`) and `action`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
from collections import deque
from collections.abc import AsyncIterator
from importlib import resources
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from scriptvisor.config import ConfigError, parse_duration
from scriptvisor.host.bus import Bus, Subscription
from scriptvisor.host.module import ModuleScriptConfig, ScriptableModule
from scriptvisor.host.runner import ScriptRunner, error_json
from scriptvisor.modules.wargame.world import World
from scriptvisor.protocol.models import BusMessage, HTTPRequestData, ScriptInput, ScriptOutput
from scriptvisor.registry.registry import ScriptRegistry
from scriptvisor.supervisor.errors import SupervisorError
from scriptvisor.supervisor.rpc import HostFunction

if TYPE_CHECKING:
    from scriptvisor.host.app import Host
    from scriptvisor.host.services import Services

log = logging.getLogger("scriptvisor.wargame")

MODULE = "wargame"
TOPIC_DAMAGE = "wargame.event.damage"
TOPIC_STATE = "wargame.state.update"
TOPIC_ACTION = "wargame.action"
TOPICS = (TOPIC_DAMAGE, TOPIC_STATE, TOPIC_ACTION)
DEFAULT_TICK = 1.0
_BACKLOG = 50
_LISTENER_QUEUE = 200
_KEEPALIVE = 15.0


def tick_from_env(environ: dict[str, str] | None = None) -> float:
    """`WARGAME_TICK` (`1s`, `250ms`): time between simulated attacks."""
    text = (os.environ if environ is None else environ).get("WARGAME_TICK", "").strip()
    return parse_duration(text, "WARGAME_TICK") if text else DEFAULT_TICK


class Feed:
    """What the page shows: the last items, and a bounded queue per listener (a slow
    browser loses its oldest items, never slows the module)."""

    def __init__(self) -> None:
        self.backlog: deque[dict[str, Any]] = deque(maxlen=_BACKLOG)
        self._listeners: set[asyncio.Queue[dict[str, Any]]] = set()

    def push(self, item: dict[str, Any]) -> None:
        item = {"time": time.time(), **item}
        self.backlog.append(item)
        for queue in list(self._listeners):
            if queue.full():
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(item)

    def listen(self) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=_LISTENER_QUEUE)
        self._listeners.add(queue)
        return queue

    def forget(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        self._listeners.discard(queue)


class WargameModule(ScriptableModule):
    """See the module docstring. `tick` in seconds (default `WARGAME_TICK`); `simulate`
    False leaves the simulation off (scripts still run on messages and requests)."""

    name = MODULE

    def __init__(
        self, *, tick: float | None = None, simulate: bool = True, seed: int | None = None
    ) -> None:
        self.tick = tick_from_env() if tick is None else tick
        if not self.tick > 0:
            raise ConfigError("WARGAME_TICK: must be greater than zero")
        self.simulate = simulate
        self.world = World(seed=seed)
        self.feed = Feed()
        self.attacks = 0
        self._host: Host | None = None
        self._runner: ScriptRunner | None = None
        self._bus: Bus | None = None
        self._registry: ScriptRegistry | None = None
        self._subs: list[Subscription] = []
        self._task: asyncio.Task[None] | None = None

    # --- what the host asks ----------------------------------------------------------------

    def script_config(self) -> ModuleScriptConfig:
        return ModuleScriptConfig(
            message_handlers={"wargame.*": "event_processor"},
            endpoint_scripts={("GET", "/wargame/debug/hit"): "hit_simulator"},
        )

    def exposed_functions(self) -> dict[str, HostFunction]:
        return self.world.functions()

    def message_context(self, script: str, message: BusMessage) -> dict[str, Any]:
        payload = message.payload_value()
        event = payload if isinstance(payload, dict) else {"value": payload}
        event.setdefault("type", message.topic.rsplit(".", 1)[-1] if "." in message.topic
                         else message.topic)
        event.setdefault("unit", "")
        event.setdefault("value", 0)
        return {"event": event}

    def endpoint_context(self, script: str, request: HTTPRequestData) -> dict[str, Any]:
        query = request.query
        return {
            "chance": _number(query, "chance", 0.65, float, 0.0, 1.0),
            "rolls": _number(query, "rolls", 1000, int, 0, 100_000),
            "seed": _number(query, "seed", None, int, 0, 2**62),
        }

    async def on_script_output(
        self, script: str, message: BusMessage, output: ScriptOutput
    ) -> None:
        self.feed.push({
            "kind": "processed",
            "topic": message.topic,
            "script": self._script_info(script),
            "ok": output.error is None,
            "result": output.result,
            "error": error_json(output.error) if output.error else None,
            "logs": list(output.logs),
        })

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/wargame", self._page, methods=["GET"]),
            Route("/wargame/events", self._events, methods=["GET"]),
            Route("/wargame/units", self._units, methods=["GET"]),
        ]

    async def start(self, services: Services) -> None:
        from scriptvisor.host.app import Host

        self._host = services.get(Host)
        self._runner = services.get(ScriptRunner)
        self._bus = self._host.bus
        self._registry = services.get(ScriptRegistry)
        self._subs = [
            self._bus.subscribe("scripts.*", self._on_scripts_event),
            self._bus.subscribe(TOPIC_ACTION, self._on_action),
        ]
        if self.simulate:
            self._task = asyncio.get_running_loop().create_task(self._simulate())

    async def stop(self) -> None:
        for sub in self._subs:
            sub.cancel()
        self._subs = []
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    # --- the simulation ----------------------------------------------------------------------

    async def _simulate(self) -> None:
        while True:
            try:
                await self.attack()
            except asyncio.CancelledError:
                raise
            except SupervisorError as exc:
                log.warning("attack skipped: %s", exc)
            except Exception:
                log.exception("attack failed")
            await asyncio.sleep(self.tick)

    async def attack(self) -> dict[str, Any]:
        """One simulated attack; returns its feed item."""
        assert self._runner is not None and self._bus is not None
        attacker, defender = self.world.pick_fight()
        script = self._script_info("damage_calculator")
        output = await self._runner.run(MODULE, "damage_calculator", ScriptInput(
            context={"attacker": attacker, "defender": defender, "critical": None}))
        item: dict[str, Any] = {"kind": "attack", "attacker": attacker, "defender": defender,
                                "script": script, "logs": list(output.logs)}
        damage = _damage(output.result) if output.error is None else None
        if output.error is not None or damage is None:
            item.update(kind="script_error", error=error_json(output.error) if output.error
                        else {"type": "execution", "message":
                              f"damage_calculator answered {_brief(output.result)}; "
                              "expected a map with an integer damage"})
            self.feed.push(item)
            return item
        hp, destroyed = self.world.wound(defender, damage)
        critical = bool(output.result.get("critical"))
        self.attacks += 1
        item.update(result=output.result, damage=damage, critical=critical, hp=hp,
                    destroyed=destroyed)
        self.feed.push(item)
        self._bus.publish(TOPIC_DAMAGE, {"type": "damage", "attacker": attacker,
                                         "unit": defender, "value": damage,
                                         "critical": critical, "script": script})
        self._bus.publish(TOPIC_STATE, {"type": "state", "unit": defender, "value": hp,
                                        "destroyed": destroyed})
        return item

    def _script_info(self, name: str) -> dict[str, Any]:
        registry = self._registry
        entry = None
        if registry is not None:
            entry = next((e for e in registry.entries()
                          if e.module == MODULE and e.name == name), None)
        if entry is None:
            return {"name": name}
        return {"name": name, "origin": entry.origin.value if entry.origin else None,
                "language": entry.language.value if entry.language else None,
                "checksum": (entry.checksum or "")[:12],
                "error": entry.error.message if entry.error else None}

    def _on_scripts_event(self, message: BusMessage) -> None:
        payload = message.payload_value()
        if isinstance(payload, dict) and payload.get("module") == MODULE:
            kind = "script_error" if message.topic == "scripts.error" else "registry"
            self.feed.push({"kind": kind, "topic": message.topic, "detail": payload})

    def _on_action(self, message: BusMessage) -> None:
        self.feed.push({"kind": "action", "topic": message.topic,
                        "detail": message.payload_value(),
                        "source": message.metadata.get("source", "")})

    # --- HTTP --------------------------------------------------------------------------------

    async def _page(self, request: Request) -> Response:
        page = resources.files("scriptvisor.modules.wargame") / "page.html"
        return HTMLResponse(page.read_text(encoding="utf-8"))

    async def _units(self, request: Request) -> Response:
        return JSONResponse({"units": self.world.units(), "attacks": self.attacks})

    async def _events(self, request: Request) -> Response:
        closing = self._host.closing if self._host is not None else asyncio.Event()
        return StreamingResponse(self._stream(closing), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache",
                                          "X-Accel-Buffering": "no"})

    async def _stream(self, closing: asyncio.Event) -> AsyncIterator[str]:
        queue = self.feed.listen()
        try:
            yield "retry: 2000\n\n"
            for item in list(self.feed.backlog):
                yield _sse(item)
            closed = asyncio.ensure_future(closing.wait())
            try:
                while not closing.is_set():
                    getter = asyncio.ensure_future(queue.get())
                    done, _ = await asyncio.wait({getter, closed}, timeout=_KEEPALIVE,
                                                 return_when=asyncio.FIRST_COMPLETED)
                    if getter in done:
                        yield _sse(getter.result())
                        continue
                    getter.cancel()
                    if not done:
                        yield ": keepalive\n\n"
            finally:
                closed.cancel()
        finally:
            self.feed.forget(queue)


def _sse(item: dict[str, Any]) -> str:
    return f"event: feed\ndata: {json.dumps(item, default=str, separators=(',', ':'))}\n\n"


def _damage(result: Any) -> int | None:
    if isinstance(result, dict):
        damage = result.get("damage")
        if type(damage) is int and 0 <= damage <= 1_000_000:
            return damage
    return None


def _brief(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _number(query: dict[str, str], key: str, default: Any, kind: type, low: float,
            high: float) -> Any:
    text = query.get(key, "").strip()
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        raise ValueError(f"query parameter {key}: '{text[:40]}' is not a {kind.__name__}")\
            from None
    if not low <= value <= high:
        raise ValueError(f"query parameter {key}: {value} is out of range ({low}..{high})")
    return value
