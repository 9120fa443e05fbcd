"""The pool of warm, confined children: starting them, leasing them, replacing them.

Each child has its own ZeroMQ PAIR socket (bound by the supervisor at a fresh `ipc://`
path in a private directory; PAIR accepts exactly one peer) and is driven by exactly one
thread at a time: the nursery thread while it starts, then the thread that leased it.
So a request's round trip is send -> poll -> recv on the caller's own thread, with no
hand-off between threads.

A child's life: `_spawn` binds its socket and asks the zygote to fork it (STARTING); the
nursery receives its pidfd from the zygote, then its `ready` frame, answers `ping` (the
connection now exists, so the child may load seccomp), and on `pong` the child is IDLE.
`lease` hands out an idle child (preferring one that has the script compiled) or waits
in a bounded queue; `release` returns it; `discard` requests a replacement from the zygote
and only then kills the child through its pidfd (the zygote reaps it later).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import select
import signal
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import zmq

from scriptvisor.protocol import frames
from scriptvisor.protocol.frames import DEFAULT_MAX_FRAME_BYTES, FrameError
from scriptvisor.sandbox.child import CACHE_SIZE
from scriptvisor.sandbox.policy import DEFAULT, Policy
from scriptvisor.supervisor.errors import (
    EngineClosed,
    Overloaded,
    SupervisorError,
    SupervisorUnavailable,
)
from scriptvisor.supervisor.zygote import Exited, Forked, ForkFailed, Zygote, ZygoteError

log = logging.getLogger("scriptvisor.supervisor")

_PAGE = os.sysconf("SC_PAGE_SIZE")
_STATUSES_KEPT = 1024
_MAX_BACKOFF = 1.0


@dataclass(frozen=True)
class PoolConfig:
    """How many children, how long requests may wait, how children are confined.

    `allow_probes` is for tests only: it lets `Pool.spawn_probe` run a Python function in a
    confined child (security tests). Leave it off anywhere else.
    """

    size: int = field(default_factory=lambda: os.cpu_count() or 1)
    max_queue: int = 64
    queue_timeout: float = 30.0
    policy: Policy = DEFAULT
    kill_grace: float = 0.05
    rss_interval: float = 0.01
    start_timeout: float = 10.0
    max_start_failures: int = 5
    max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES
    spares: int = 1
    """Children kept started but unleased: a dead child's place is taken at once (a fresh
    child takes ~10 ms to fork, confine and connect), and a new spare is forked."""
    recycle_rss_bytes: int = 64 * 1024 * 1024
    max_executions: int = 100_000
    allow_probes: bool = False

    def __post_init__(self) -> None:
        if self.size < 1 or self.spares < 0:
            raise ValueError("pool size must be at least 1, spares at least 0")
        if self.max_queue < 0 or self.queue_timeout <= 0 or self.kill_grace < 0:
            raise ValueError("max_queue, queue_timeout and kill_grace must be finite and >= 0")


class Kind(Enum):
    MEMBER = "member"  # serves requests
    SPARE = "spare"  # started, waits to take a dead member's place
    PROBE = "probe"  # tests: one request running a Python probe, then discarded


class _Waiter:
    """A request queued for a child: its lock is released when it is handed one."""

    __slots__ = ("lock", "slot", "error")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.lock.acquire()
        self.slot: Slot | None = None
        self.error: SupervisorError | None = None

    def take(self) -> Slot:
        if self.error is not None:
            raise self.error
        assert self.slot is not None
        return self.slot


class SlotState(Enum):
    STARTING = "starting"
    IDLE = "idle"
    BUSY = "busy"
    DEAD = "dead"


class Slot:
    """One child: its socket, pidfd, kept-open statm, and what it has compiled."""

    def __init__(self, token: int, path: str, sock: Any, kind: Kind, probe: str | None) -> None:
        self.token = token
        self.path = path
        self.endpoint = f"ipc://{path}"
        self.socket = sock
        self.kind = kind
        self.probe = probe
        self.state = SlotState.STARTING
        self.stage = "fork"  # fork -> ready -> pong -> serving
        self.pid = 0
        self.pidfd = -1
        self.statm = -1
        self.checksums: OrderedDict[str, None] = OrderedDict()
        self.created = time.monotonic()
        self.idle_rss = 0
        self.executions = 0
        self.ready = threading.Event()
        self.orphaned = False  # its zygote died (and it with it): never serves again

    def __repr__(self) -> str:
        return f"<{self.kind.value} child {self.pid or '?'} {self.state.value}>"

    @property
    def member(self) -> bool:
        return self.kind is Kind.MEMBER

    def rss(self) -> int:
        """Resident bytes of the child (0 when unknown)."""
        if self.statm < 0:
            return 0
        try:
            return int(os.pread(self.statm, 64, 0).split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            return 0

    def has(self, checksum: str) -> bool:
        return checksum in self.checksums

    def remember(self, checksum: str) -> None:
        """Mirror of the child's LRU compile cache (same capacity, same order of use)."""
        cache = self.checksums
        if checksum in cache:
            cache.move_to_end(checksum)
            return
        cache[checksum] = None
        if len(cache) > CACHE_SIZE:
            cache.popitem(last=False)

    def forget(self, checksum: str) -> None:
        self.checksums.pop(checksum, None)

    def connected(self) -> bool:
        """Whether the child's connection stands (a PAIR socket without a peer cannot send)."""
        try:
            return bool(self.socket.getsockopt(zmq.EVENTS) & zmq.POLLOUT)
        except zmq.ZMQError:
            return False

    def alive(self) -> bool:
        if self.pidfd < 0:
            return False
        readable, _, _ = select.select([self.pidfd], [], [], 0)
        return not readable

    def kill(self) -> None:
        if self.pidfd >= 0:
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)

    def close(self) -> None:
        self.state = SlotState.DEAD
        with contextlib.suppress(zmq.ZMQError):
            self.socket.close(linger=0)
        for fd in (self.pidfd, self.statm):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self.pidfd = self.statm = -1
        with contextlib.suppress(OSError):
            os.unlink(self.path)


@dataclass
class PoolStats:
    """Counters since the pool started."""

    started: int = 0
    replaced: int = 0
    killed: int = 0
    start_failures: int = 0
    rejected: int = 0
    recycled: int = 0
    zygote_restarts: int = 0


class Pool:
    """Warm children, leased one request at a time; see the module docstring."""

    def __init__(
        self,
        config: PoolConfig,
        zygote: Zygote,
        context: Any,
        directory: str,
        new_zygote: Callable[[], Zygote] | None = None,
    ) -> None:
        self.config = config
        self.zygote = zygote
        self._new_zygote = new_zygote  # restarts a zygote that died; None: the pool breaks
        self._zygote_deaths: deque[float] = deque(maxlen=_ZYGOTE_DEATHS_TOLERATED)
        self._next_idle_check = 0.0
        self.context = context
        self.directory = directory
        self.stats = PoolStats()
        self._lock = threading.RLock()  # re-entrant: `wait_until` predicates may call us
        self._cond = threading.Condition(self._lock)  # for the slow paths (start, health)
        self._waiters: deque[_Waiter] = deque()  # the bounded queue, handed slots directly
        self._observers = 0  # threads waiting on the condition
        self._slots: dict[int, Slot] = {}
        self._by_pid: dict[int, Slot] = {}
        self._idle: list[Slot] = []
        self._spares: list[Slot] = []  # serving spares, not leased
        self._statuses: OrderedDict[int, int] = OrderedDict()
        self._closed = False
        self._broken: str | None = None
        self._failures = 0
        self._due: list[tuple[float, Kind]] = []  # replacement forks waiting out a backoff
        self._doomed: list[Slot] = []  # starting slots discarded by others: the nursery drops
        self._tokens = itertools.count(1)
        self._wake = os.eventfd(0, os.EFD_NONBLOCK | os.EFD_CLOEXEC)
        self._nursery = threading.Thread(target=self._nursery_loop, name="scriptvisor-nursery")
        self._nursery.daemon = True

    # --- starting and stopping -----------------------------------------------------------

    def start(self) -> None:
        """Fork the children and wait until every one serves (or `start_timeout`)."""
        self._nursery.start()
        for _ in range(self.config.size):
            self._spawn()
        for _ in range(self.config.spares):
            self._spawn(Kind.SPARE)
        deadline = time.monotonic() + self.config.start_timeout
        with self._cond:
            while len(self._idle) < self.config.size and self._broken is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._wait(remaining)
            if not self._idle:
                reason = self._broken or "no child started in time"
                raise SupervisorUnavailable(f"the sandbox children did not start: {reason}")

    def shutdown(self, timeout: float = 5.0) -> None:
        """Refuse new leases, let leased children finish (up to `timeout`), then kill all."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._fail_waiters(EngineClosed("the script engine is shut down"))
            deadline = time.monotonic() + timeout
            while self._busy() and (remaining := deadline - time.monotonic()) > 0:
                self._wait(remaining)
            for slot in self._slots.values():
                slot.kill()  # busy ones too: their callers then see the death and let go
            deadline = time.monotonic() + 1.0
            while self._busy() and (remaining := deadline - time.monotonic()) > 0:
                self._wait(remaining)
        self._poke()
        self._nursery.join(5.0)
        with self._cond:
            for slot in list(self._slots.values()):
                if slot.state is not SlotState.BUSY:
                    self._drop(slot)
            self._idle.clear()
        self.zygote.close()
        os.close(self._wake)

    def _busy(self) -> bool:
        return any(s.state is SlotState.BUSY for s in self._slots.values())

    @property
    def closed(self) -> bool:
        return self._closed

    # --- leasing -----------------------------------------------------------------------------

    def lease(self, checksum: str = "") -> Slot:
        """An idle child, preferring one that has `checksum` compiled; otherwise a place in
        a bounded FIFO queue, to which a released child is handed directly. Raises
        `Overloaded` (queue full, or no child within `queue_timeout`), `EngineClosed` or
        `SupervisorUnavailable`."""
        with self._lock:
            idle = self._idle
            if idle and not self._closed:
                slot = idle[-1]
                if checksum and not slot.has(checksum):
                    for candidate in reversed(idle):
                        if candidate.has(checksum):
                            slot = candidate
                            break
                idle.remove(slot)
                slot.state = SlotState.BUSY
                return slot
            waiter = self._enqueue()
        if waiter.lock.acquire(timeout=self.config.queue_timeout):
            return waiter.take()
        with self._lock:
            if waiter.slot is None and waiter.error is None:
                self._waiters.remove(waiter)
                self.stats.rejected += 1
                raise Overloaded(f"no child became free within {self.config.queue_timeout:g}s")
        return waiter.take()  # handed a child just as the wait ran out

    def _enqueue(self) -> _Waiter:
        """A place in the queue (caller holds the lock)."""
        if self._closed:
            raise EngineClosed("the script engine is shut down")
        if self._broken is not None:
            raise SupervisorUnavailable(self._broken)
        if len(self._waiters) >= self.config.max_queue:
            self.stats.rejected += 1
            raise Overloaded(
                f"all {self.config.size} children are busy and {len(self._waiters)} "
                "requests wait"
            )
        waiter = _Waiter()
        self._waiters.append(waiter)
        self._cond.notify_all()  # for `wait_until(lambda: pool.waiting ...)`
        return waiter

    def _offer(self, slot: Slot) -> None:
        """A serving member is free: to the first waiter, else idle (caller holds the lock)."""
        if self._waiters:
            waiter = self._waiters.popleft()
            slot.state = SlotState.BUSY
            waiter.slot = slot
            waiter.lock.release()
            return
        slot.state = SlotState.IDLE
        self._idle.append(slot)
        if self._observers:  # Condition.notify_all costs a microsecond even with nobody
            self._cond.notify_all()

    def _wait(self, timeout: float) -> None:
        """Wait on the condition for a change (caller holds the lock)."""
        self._observers += 1
        try:
            self._cond.wait(timeout)
        finally:
            self._observers -= 1

    def _fail_waiters(self, error: SupervisorError) -> None:
        """Wake every waiter with `error` (caller holds the lock)."""
        while self._waiters:
            waiter = self._waiters.popleft()
            waiter.error = error
            waiter.lock.release()
        self._cond.notify_all()

    def _set_broken(self, reason: str) -> None:
        """No child can be started any more (caller holds the lock)."""
        self._broken = reason
        self._fail_waiters(SupervisorUnavailable(reason))

    def release(self, slot: Slot) -> None:
        """Return a healthy child after a request (recycled if it grew or aged)."""
        slot.executions += 1
        if slot.executions >= self.config.max_executions or (
            slot.executions & 63 == 0 and self._bloated(slot)
        ):
            self.stats.recycled += 1
            self.discard(slot)
            return
        with self._lock:
            if self._closed or not slot.member or slot.orphaned:
                self._drop(slot)
                self._cond.notify_all()
                return
            self._offer(slot)

    def check_growth(self, slot: Slot) -> bool:
        """After a heavy execution: True (and the child is replaced) when it stayed big."""
        if not self._bloated(slot):
            return False
        self.stats.recycled += 1
        self.discard(slot)
        return True

    def _bloated(self, slot: Slot) -> bool:
        return slot.rss() > slot.idle_rss + self.config.recycle_rss_bytes

    def discard(self, slot: Slot) -> None:
        """Replace a leased child: the replacement fork is requested before the kill, so it
        exists before the old child is reaped."""
        with self._cond:
            starting = slot.state is SlotState.STARTING
            replace = (slot.member and not slot.orphaned and not self._closed
                       and self._broken is None)
            slot.state = SlotState.DEAD
            spare = self._promote_spare() if replace else None
        if replace:
            self.stats.replaced += 1
            with contextlib.suppress(SupervisorUnavailable):  # no zygote: the refill replaces
                self._spawn(Kind.SPARE if spare is not None else Kind.MEMBER)
        slot.kill()
        self.stats.killed += 1
        with self._cond:
            if starting:  # the nursery may be polling its socket: it closes it itself
                self._doomed.append(slot)
            else:
                self._drop(slot)
            self._cond.notify_all()
        if starting:
            self._poke()

    def _promote_spare(self) -> Slot | None:
        """A serving spare becomes a member at once (caller holds the lock)."""
        if not self._spares:
            return None
        spare = self._spares.pop()
        spare.kind = Kind.MEMBER
        self._offer(spare)
        return spare

    def exit_status(self, slot: Slot, timeout: float = 2.0) -> int | None:
        """The raw wait status of a dead child, once the zygote has reaped it."""
        if self._closed or slot.orphaned:
            timeout = min(timeout, 0.1)  # no nursery or no zygote will report it
        deadline = time.monotonic() + timeout
        with self._cond:
            while slot.pid not in self._statuses:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._wait(remaining)
            return self._statuses[slot.pid]

    def spawn_probe(self, probe: str) -> Slot:
        """Tests: a leased, confined child outside the pool whose `exec` runs `probe`."""
        if not self.config.allow_probes:
            raise RuntimeError("probes need PoolConfig(allow_probes=True)")
        slot = self._spawn(Kind.PROBE, probe)
        if not slot.ready.wait(self.config.start_timeout) or slot.state is not SlotState.BUSY:
            self.discard(slot)
            raise SupervisorUnavailable("the probe child did not start")
        return slot

    def idle_children(self) -> list[Slot]:
        with self._cond:
            return list(self._idle)

    def children(self) -> list[Slot]:
        with self._cond:
            return list(self._slots.values())

    @property
    def spares_serving(self) -> int:
        """Spares started and ready to take a dead child's place."""
        return len(self._spares)

    @property
    def waiting(self) -> int:
        """Requests waiting in the queue for a child."""
        return len(self._waiters)

    def wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Wait (on the pool's condition) until `predicate()` holds; False on timeout."""
        with self._cond:
            self._observers += 1
            try:
                return self._cond.wait_for(predicate, timeout)
            finally:
                self._observers -= 1

    def wait_ready(self, count: int | None = None, timeout: float = 10.0) -> bool:
        """Wait until `count` (default: the pool size) children are idle."""
        want = self.config.size if count is None else count
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self._idle) < want:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    return False
                self._wait(remaining)
            return True

    # --- spawning ----------------------------------------------------------------------------

    def _spawn(self, kind: Kind = Kind.MEMBER, probe: str | None = None) -> Slot:
        token = next(self._tokens)
        path = os.path.join(self.directory, f"{token}.sock")
        sock = self.context.socket(zmq.PAIR)
        sock.setsockopt(zmq.LINGER, 0)
        sock.setsockopt(zmq.MAXMSGSIZE, self.config.max_frame_bytes)
        sock.setsockopt(zmq.RCVHWM, 4)  # a child has one frame in flight; cap a flood
        sock.setsockopt(zmq.RCVTIMEO, max(int(self.config.rss_interval * 1000), 1))
        sock.bind(f"ipc://{path}")
        if os.geteuid() == 0:
            identity = self.config.policy.identity
            os.chown(path, identity.uid, identity.gid)
        # No socket monitor: with monitors attached, idle children under churn silently
        # stopped receiving. A dropped connection shows as a PAIR socket without POLLOUT.
        slot = Slot(token, path, sock, kind, probe)
        with self._cond:
            if self._closed:
                slot.close()
                return slot
            self._slots[token] = slot
        try:
            self.zygote.fork(token, slot.endpoint, probe)
        except ZygoteError as exc:
            with self._cond:
                self._drop(slot)
                if self._new_zygote is None:
                    self._set_broken(str(exc))
            self._poke()  # the nursery finds the zygote dead, restarts it and refills
            raise SupervisorUnavailable(str(exc)) from None
        self.stats.started += 1
        self._poke()
        return slot

    def _drop(self, slot: Slot) -> None:
        """Forget a slot and free its resources (caller holds the lock)."""
        self._slots.pop(slot.token, None)
        if slot in self._idle:
            self._idle.remove(slot)
        if slot in self._spares:
            self._spares.remove(slot)
        slot.close()

    def _poke(self) -> None:
        with contextlib.suppress(OSError):
            os.eventfd_write(self._wake, 1)

    # --- the nursery thread ----------------------------------------------------------------

    def _nursery_loop(self) -> None:
        try:
            while not self._closed:
                self._nursery_turn()
        except Exception:  # a bug here must not leave callers waiting forever
            log.exception("the scriptvisor nursery thread failed")
            with self._cond:
                self._set_broken("internal error in the nursery thread")

    def _nursery_turn(self) -> None:
        with self._cond:
            for slot in self._doomed:
                self._drop(slot)
            self._doomed.clear()
            starting = [
                s for s in self._slots.values() if s.state is SlotState.STARTING and s.pid
            ]
        poller = zmq.Poller()
        poller.register(self.zygote.fileno(), zmq.POLLIN)
        poller.register(self._wake, zmq.POLLIN)
        for slot in starting:
            poller.register(slot.socket, zmq.POLLIN)
        events = dict(poller.poll(self._nursery_timeout_ms()))
        if self._closed:
            return
        if self.zygote.fileno() in events:
            self._zygote_events()
        if self._wake in events:
            with contextlib.suppress(BlockingIOError):
                os.eventfd_read(self._wake)
        for slot in starting:
            if slot.socket in events and slot.state is SlotState.STARTING:
                self._handshake(slot)
        self._expire_starting()
        self._spawn_due()
        self._check_idle()

    def _nursery_timeout_ms(self) -> int:
        now = time.monotonic()
        wake = now + 0.25
        if self._due:
            wake = min(wake, min(at for at, _ in self._due))
        return max(int((wake - now) * 1000) + 1, 1)

    def _zygote_events(self) -> None:
        try:
            events = self.zygote.events()
        except ZygoteError as exc:
            log.error("scriptvisor: %s", exc)
            self._closed_zygote()
            self._restart_zygote(str(exc))
            return
        for event in events:
            if isinstance(event, Forked):
                self._on_forked(event)
            elif isinstance(event, Exited):
                self._on_exited(event)
            elif isinstance(event, ForkFailed):
                slot = self._slots.get(event.token)
                if slot is not None:
                    self._start_failed(slot, f"fork failed: {event.error}")

    def _restart_zygote(self, reason: str) -> None:
        """A new zygote in place of a dead one, then the pool refilled; the pool breaks
        instead when there is no way to make one or zygotes keep dying."""
        self.zygote.close()
        now = time.monotonic()
        deaths = self._zygote_deaths
        deaths.append(now)
        storm = len(deaths) == deaths.maxlen and now - deaths[0] < _ZYGOTE_DEATH_WINDOW
        if self._new_zygote is None or storm or self._closed:
            with self._cond:
                why = f"{reason}; zygotes keep dying" if storm else reason
                self._set_broken(why)
            return
        try:
            self.zygote = self._new_zygote()
        except Exception as exc:  # noqa: BLE001 - any failure to start leaves the pool broken
            with self._cond:
                self._set_broken(f"{reason}; a new zygote did not start: {exc}")
            return
        self.stats.zygote_restarts += 1
        log.warning("scriptvisor: zygote restarted (%s)", reason)
        with self._cond:
            kinds = [s.kind for s in self._slots.values() if not s.orphaned]
        for kind, wanted in ((Kind.MEMBER, self.config.size), (Kind.SPARE, self.config.spares)):
            for _ in range(wanted - kinds.count(kind)):
                with contextlib.suppress(SupervisorUnavailable):
                    self._spawn(kind)

    def _closed_zygote(self) -> None:
        """Without a zygote no child can be replaced; existing ones die with it (PDEATHSIG):
        idle ones are dropped now, leased ones when they are released (never offered again;
        a restarted zygote's refill replaces them)."""
        with self._cond:
            for slot in list(self._slots.values()):
                slot.orphaned = True
                if slot.state is not SlotState.BUSY:
                    self._drop(slot)
            self._cond.notify_all()

    def _on_forked(self, event: Forked) -> None:
        with self._cond:
            slot = self._slots.get(event.token)
            if slot is None or slot.state is SlotState.DEAD:
                with contextlib.suppress(OSError):
                    signal.pidfd_send_signal(event.pidfd, signal.SIGKILL)
                os.close(event.pidfd)
                return
            slot.pid, slot.pidfd, slot.stage = event.pid, event.pidfd, "ready"
            self._by_pid[event.pid] = slot

    def _on_exited(self, event: Exited) -> None:
        with self._cond:
            self._statuses[event.pid] = event.status
            if len(self._statuses) > _STATUSES_KEPT:
                self._statuses.popitem(last=False)
            slot = self._by_pid.pop(event.pid, None)
            self._cond.notify_all()
        if slot is None:
            return
        if slot.state is SlotState.STARTING:
            self._start_failed(slot, f"the child ended while starting ({describe(event.status)})")
        elif slot.state is SlotState.IDLE:
            log.warning("scriptvisor: idle child %d ended (%s)", slot.pid, describe(event.status))
            with self._cond:
                if slot in self._spares:
                    self._drop(slot)
                    respawn = not self._closed and self._broken is None
                elif slot in self._idle:
                    self._idle.remove(slot)
                    slot.state = SlotState.BUSY
                    respawn = False
                else:
                    return  # leased meanwhile: its caller sees the death
            if respawn:
                with contextlib.suppress(SupervisorUnavailable):  # the refill replaces it
                    self._spawn(Kind.SPARE)
            elif slot.state is SlotState.BUSY:
                self.discard(slot)

    def _handshake(self, slot: Slot) -> None:
        while slot.state is SlotState.STARTING:
            try:
                data = slot.socket.recv(zmq.NOBLOCK)
            except zmq.Again:
                return
            try:
                frame = frames.decode(data, from_child=True, max_size=self.config.max_frame_bytes)
            except FrameError as exc:
                self._start_failed(slot, f"bad frame while starting: {exc}")
                return
            if slot.stage == "ready" and frame["t"] == "ready" and frame["pid"] == slot.pid:
                slot.stage = "pong"
                try:
                    slot.socket.send(frames.encode(frames.ping_frame(), check=False), zmq.NOBLOCK)
                except zmq.Again:
                    self._start_failed(slot, "the child disconnected during the handshake")
                    return
            elif slot.stage == "pong" and frame["t"] == "pong":
                self._serving(slot)
            else:
                self._start_failed(slot, f"unexpected {frame['t']!r} frame while starting")
                return

    def _serving(self, slot: Slot) -> None:
        try:
            slot.statm = os.open(f"/proc/{slot.pid}/statm", os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            slot.statm = -1
        if not slot.alive():  # statm may name a reused pid only if ours was reaped
            self._start_failed(slot, "the child ended during the handshake")
            return
        slot.idle_rss = slot.rss()
        slot.stage = "serving"
        with self._cond:
            self._failures = 0
            if slot.kind is Kind.MEMBER:
                self._offer(slot)
            elif slot.kind is Kind.SPARE:
                slot.state = SlotState.IDLE
                self._spares.append(slot)
                self._cond.notify_all()
            else:
                slot.state = SlotState.BUSY
        slot.ready.set()

    def _start_failed(self, slot: Slot, reason: str) -> None:
        log.warning("scriptvisor: a sandbox child failed to start: %s", reason)
        slot.kill()
        self.stats.start_failures += 1
        with self._cond:
            self._drop(slot)
            slot.ready.set()
            if slot.kind is Kind.PROBE or self._closed:
                return
            self._failures += 1
            serving = any(s.state in (SlotState.IDLE, SlotState.BUSY) for s in self._slots.values())
            if self._failures >= self.config.max_start_failures and not serving:
                self._set_broken(f"sandbox children keep failing to start: {reason}")
                log.error("scriptvisor: %s", self._broken)
                return
            backoff = min(0.01 * 2 ** (self._failures - 1), _MAX_BACKOFF)
            self._due.append((time.monotonic() + backoff, slot.kind))

    def _check_idle(self) -> None:
        """Idle children stopped from outside (SIGSTOP) are replaced now, not when a request
        is handed one and waits out its whole deadline."""
        now = time.monotonic()
        if now < self._next_idle_check:
            return
        self._next_idle_check = now + _IDLE_CHECK_SECONDS
        with self._cond:
            waiting = [*self._idle, *self._spares]
        for slot in waiting:
            if not _stopped(slot.pid):
                continue
            with self._cond:
                if slot in self._idle:
                    self._idle.remove(slot)
                elif slot in self._spares:
                    self._spares.remove(slot)
                else:
                    continue  # leased meanwhile: its caller sees the stall
                slot.state = SlotState.BUSY
            log.warning("scriptvisor: idle child %d is stopped; replacing it", slot.pid)
            spare = slot.kind is Kind.SPARE
            self.discard(slot)
            if spare and not self._closed:
                with contextlib.suppress(SupervisorUnavailable):
                    self._spawn(Kind.SPARE)

    def _expire_starting(self) -> None:
        now = time.monotonic()
        late = [
            s
            for s in self.children()
            if s.state is SlotState.STARTING and now - s.created > self.config.start_timeout
        ]
        for slot in late:
            self._start_failed(slot, f"not serving after {self.config.start_timeout:g}s")

    def _spawn_due(self) -> None:
        now = time.monotonic()
        due = [kind for at, kind in self._due if at <= now]
        if not due:
            return
        self._due = [(at, kind) for at, kind in self._due if at > now]
        for kind in due:
            if self._closed or self._broken is not None:
                return
            with contextlib.suppress(SupervisorUnavailable):
                self._spawn(kind)


_IDLE_CHECK_SECONDS = 1.0


def _stopped(pid: int) -> bool:
    """Whether process `pid` is stopped (or traced); False when it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] in (b"T", b"t")
    except (OSError, IndexError):
        return False


_ZYGOTE_DEATHS_TOLERATED = 3  # this many zygote deaths within the window break the pool
_ZYGOTE_DEATH_WINDOW = 30.0


def describe(status: int | None) -> str:
    """A wait status in words: `killed by SIGSYS`, `exit status 121`."""
    if status is None:
        return "exit status unknown"
    if os.WIFSIGNALED(status):
        return f"killed by {signal_name(os.WTERMSIG(status))}"
    if os.WIFEXITED(status):
        return f"exit status {os.WEXITSTATUS(status)}"
    return f"wait status {status:#x}"


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
