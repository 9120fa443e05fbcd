"""The bus: publish/subscribe between modules, scripts and the registry.

    bus = InProcessBus()
    await bus.start()                       # binds to the running loop
    sub = bus.subscribe("wargame.*", handler)   # handler(msg) may be sync or async
    bus.publish("wargame.action", {"unit": "t1"}, user_id="u1")   # any thread
    await bus.stop()

A message is a `BusMessage`: id, topic, user id, payload (JSON text), metadata, timestamp.
`publish` JSON-encodes the payload value (bytes are kept as they are).

Topic patterns: `*` matches any run of characters, dots included, so `wargame.*` matches
every `wargame.` topic and `*` matches everything; anything else matches itself.

Delivery is asynchronous: every subscription has its own bounded queue and task, so a slow
subscriber never blocks a publisher or another subscriber. When a subscription's queue is
full its oldest message is dropped (counted in `dropped`). A handler that raises is logged;
the subscription keeps going.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import inspect
import itertools
import json
import logging
import re
import threading
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from scriptvisor.protocol.models import BusMessage

log = logging.getLogger("scriptvisor.bus")

Handler = Callable[[BusMessage], Awaitable[None] | None]
DEFAULT_QUEUE_SIZE = 1024


def topic_matcher(pattern: str) -> Callable[[str], bool]:
    """A predicate telling whether a topic matches `pattern` (see the module docstring)."""
    if "*" not in pattern:
        return pattern.__eq__
    regex = re.compile(".*".join(re.escape(part) for part in pattern.split("*")) + r"\Z")
    return lambda topic: regex.match(topic) is not None


def encode_payload(payload: Any) -> str | bytes:
    """The wire form of a payload: bytes as they are, anything else as JSON text."""
    if isinstance(payload, bytes):
        return payload
    return json.dumps(payload, ensure_ascii=False, default=_jsonable, separators=(",", ":"))


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


class Subscription(abc.ABC):
    """A handle to cancel a subscription."""

    pattern: str

    @abc.abstractmethod
    def cancel(self) -> None:
        """Stop delivering; messages still queued are dropped."""


class Bus(abc.ABC):
    """Publish/subscribe. `publish` may be called from any thread."""

    @abc.abstractmethod
    def publish(
        self,
        topic: str,
        payload: Any = None,
        *,
        user_id: str = "",
        metadata: Mapping[str, str] | None = None,
    ) -> BusMessage:
        """Send `payload` (JSON-encoded) on `topic`; returns the message as sent."""

    @abc.abstractmethod
    def subscribe(
        self, pattern: str, handler: Handler, *, queue_size: int = DEFAULT_QUEUE_SIZE
    ) -> Subscription:
        """Call `handler` with every message whose topic matches `pattern`."""


class _Subscription(Subscription):
    def __init__(self, bus: InProcessBus, pattern: str, handler: Handler, size: int) -> None:
        self.pattern = pattern
        self.matches = topic_matcher(pattern)
        self.handler = handler
        self.queue: asyncio.Queue[BusMessage] = asyncio.Queue(maxsize=size)
        self.task: asyncio.Task[None] | None = None
        self.dropped = 0
        self._bus = bus

    def offer(self, message: BusMessage) -> None:
        """Queue `message` (on the bus's loop); the oldest goes when the queue is full."""
        if self.queue.full():
            with contextlib.suppress(asyncio.QueueEmpty):
                self.queue.get_nowait()
            self.dropped += 1
            self._bus.dropped += 1
            if self.dropped == 1 or self.dropped % 1000 == 0:
                log.warning("subscriber %r is slow: %d messages dropped", self.pattern,
                            self.dropped)
        self.queue.put_nowait(message)

    async def run(self) -> None:
        while True:
            message = await self.queue.get()
            try:
                outcome = self.handler(message)
                if inspect.isawaitable(outcome):
                    await outcome
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("handler of %r failed on %s", self.pattern, message.topic)

    def cancel(self) -> None:
        self._bus._unsubscribe(self)


class InProcessBus(Bus):
    """The in-process asynchronous bus (see the module docstring)."""

    def __init__(self) -> None:
        self._subs: list[_Subscription] = []
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ids = itertools.count(1)
        self._prefix = uuid.uuid4().hex[:8]
        self.published = 0
        self.dropped = 0

    async def start(self) -> None:
        """Bind to the running loop and start delivering."""
        self._loop = asyncio.get_running_loop()
        with self._lock:
            subs = list(self._subs)
        for sub in subs:
            self._start(sub)

    async def stop(self) -> None:
        """Stop every subscription's task (queued messages are dropped)."""
        with self._lock:
            subs, self._subs = list(self._subs), []
        tasks = [s.task for s in subs if s.task is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._loop = None

    def publish(
        self,
        topic: str,
        payload: Any = None,
        *,
        user_id: str = "",
        metadata: Mapping[str, str] | None = None,
    ) -> BusMessage:
        if not isinstance(topic, str) or not topic:
            raise ValueError("a topic is a non-empty string")
        message = BusMessage(
            id=f"{self._prefix}-{next(self._ids)}",
            topic=topic,
            user_id=user_id,
            payload=encode_payload(payload),
            metadata=dict(metadata or {}),
        )
        self.published += 1
        loop = self._loop
        if loop is None or _on_loop(loop):
            self._deliver(message)
        elif not loop.is_closed():
            loop.call_soon_threadsafe(self._deliver, message)
        return message

    def subscribe(
        self, pattern: str, handler: Handler, *, queue_size: int = DEFAULT_QUEUE_SIZE
    ) -> Subscription:
        if queue_size < 1:
            raise ValueError("queue_size must be at least 1")
        sub = _Subscription(self, pattern, handler, queue_size)
        with self._lock:
            self._subs.append(sub)
        if self._loop is not None:
            if _on_loop(self._loop):
                self._start(sub)
            else:
                self._loop.call_soon_threadsafe(self._start, sub)
        return sub

    def subscriptions(self) -> list[Subscription]:
        with self._lock:
            return list(self._subs)

    def _start(self, sub: _Subscription) -> None:
        if sub.task is None and sub in self._subs:
            sub.task = asyncio.get_running_loop().create_task(sub.run())

    def _deliver(self, message: BusMessage) -> None:
        with self._lock:
            subs = [s for s in self._subs if s.matches(message.topic)]
        for sub in subs:
            sub.offer(message)

    def _unsubscribe(self, sub: _Subscription) -> None:
        with self._lock:
            if sub in self._subs:
                self._subs.remove(sub)
        task = sub.task
        if task is not None and self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(task.cancel)


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
