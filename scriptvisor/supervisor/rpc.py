"""Host functions a script calls from its child, served by the supervisor.

A script sees three kinds of host function, each present only when the execution's
`SecurityLimits.exposed_functions` names it:

- `log(msg, ...)`: handled inside the child by the engine (no round trip); the lines come
  back in the output's `logs` (at most `max_log_lines`) and go to the structured log
  `scriptvisor.script` at INFO.
- `publish(topic, payload)`: delivered to the engine's `Publisher` when one is configured,
  and always listed in the output's `published`. Returns true.
- the module's own functions (`ScriptEngine(functions={module: {name: fn}})`), called with
  the arguments as wire values; the result goes back through the same value mapping.

A host function that raises (or returns something that cannot cross to a script) gives
the script an error value (`is_error(x)` is true), never a crash. Per execution the child
enforces quotas on the number of calls (`max_host_calls`) and on the size of arguments and
results (`max_host_payload_bytes`); running past one ends the execution with an `execution`
error. The supervisor checks them again (the child is untrusted): a child that breaks them,
calls out of order or calls a function it was not given is killed as a protocol violation.

Time: host calls run on the caller's thread while the script waits, and the script's
deadline is wall-clock, so host-call time counts against it. The supervisor cannot
interrupt a host function: one that blocks past the deadline delays the answer (the
child's own deadline still ends the script, as `timeout`, as soon as it returns).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from scriptvisor.protocol.frames import CallFrame, ReplyFrame, reply_frame
from scriptvisor.protocol.models import PublishedMessage, SecurityLimits
from scriptvisor.protocol.values import ValueMappingError, to_wire

log = logging.getLogger("scriptvisor.supervisor")

HostFunction = Callable[..., Any]
BUILTIN_FUNCTIONS = ("log", "publish")
_FRAME_OVERHEAD = 512  # the call frame's own fields around its arguments


class Publisher(Protocol):
    """Where `publish(topic, payload)` goes: the host's bus."""

    def publish(self, topic: str, payload: Any) -> Any: ...


class HostViolation(Exception):
    """A child asked for something a genuine child never asks for."""


class HostSession:
    """One execution's host functions: the allowlist, the quotas, what was published."""

    __slots__ = ("given", "limits", "publisher", "loop", "calls", "published", "names")

    def __init__(
        self,
        functions: Mapping[str, HostFunction],
        limits: SecurityLimits,
        publisher: Publisher | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self.given = functions
        self.limits = limits
        self.publisher = publisher
        self.loop = loop
        self.calls = 0
        self.published: list[PublishedMessage] = []
        self.names = _names(limits.exposed_functions, functions)
        """The functions the script gets (sent in the `exec` frame)."""

    def function(self, name: str) -> HostFunction | None:
        """The host function `name`, when this execution exposes it."""
        if name not in self.limits.exposed_functions:
            return None
        if name == "publish":
            return self._publish
        return self.given.get(name)

    def handle(self, frame: CallFrame, size: int) -> ReplyFrame:
        """Run one host call; `HostViolation` when the child broke the rules."""
        limits = self.limits
        if frame["seq"] != self.calls + 1:
            raise HostViolation(f"host call {frame['seq']} out of sequence")
        self.calls += 1
        if self.calls > limits.max_host_calls:
            raise HostViolation(f"more than {limits.max_host_calls} host calls")
        if size > limits.max_host_payload_bytes + _FRAME_OVERHEAD:
            raise HostViolation(f"a {size}-byte host call exceeds the payload quota")
        name = frame["name"]
        fn = self.function(name) if name != "log" else None
        if fn is None:
            raise HostViolation(f"call of {name!r}, which this execution does not expose")
        try:
            value = self._await(fn(*frame["args"]))
            wire = to_wire(value, f"{name}()", max_bytes=limits.max_host_payload_bytes)
        except ValueMappingError as exc:
            return reply_frame(frame["id"], frame["seq"], None, f"{name}: {exc.reason}")
        except Exception as exc:
            log.warning("host function %s raised", name, exc_info=exc)
            return reply_frame(frame["id"], frame["seq"], None, str(exc) or type(exc).__name__)
        return reply_frame(frame["id"], frame["seq"], wire)

    def _await(self, value: Any) -> Any:
        if not inspect.isawaitable(value):
            return value
        if self.loop is not None and self.loop.is_running():
            return asyncio.run_coroutine_threadsafe(_wrap(value), self.loop).result()
        return asyncio.run(_wrap(value))

    def _publish(self, topic: Any = None, payload: Any = None, *extra: Any) -> bool:
        if type(topic) is not str or not topic:
            raise TypeError("publish: the topic must be a non-empty string")
        if extra:
            raise TypeError("publish takes a topic and a payload")
        if self.publisher is not None:
            self._await(self.publisher.publish(topic, payload))
        self.published.append(PublishedMessage.model_construct(topic=topic, payload=payload))
        return True


_BUILTIN_NAMES: dict[tuple[str, ...], list[str]] = {}


def _names(allowed: tuple[str, ...] | Any, functions: Mapping[str, HostFunction]) -> list[str]:
    if not functions:  # the common case, cached per allowlist
        names = _BUILTIN_NAMES.get(allowed)
        if names is None:
            names = _BUILTIN_NAMES[allowed] = [n for n in allowed if n in BUILTIN_FUNCTIONS]
        return names
    return [n for n in allowed if n in BUILTIN_FUNCTIONS or n in functions]


async def _wrap(awaitable: Any) -> Any:
    return await awaitable
