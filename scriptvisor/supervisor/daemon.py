"""The daemon endpoint: a running `ScriptEngine` served to `Client` stubs in other processes.

    daemon = Daemon(engine, "ipc:///run/scriptvisor/sv.sock")            # or tcp:// + CURVE
    daemon.start()  ...  daemon.stop()

One ROUTER socket, one I/O thread that reads it, and one worker thread per child of the
pool that runs `ScriptEngine` executions and sends their frames itself: every use of the
socket holds one lock, and the I/O thread waits on the socket's notification descriptor
(not on the socket), so a worker's answer costs no hand-over to another thread. Up to `max_pending` requests (from all clients) wait their turn
in order; more are refused as `overloaded` (backpressure). Frames are those of `protocol.remote`; a malformed one is answered `invalid` and
logged, never fatal.

Host functions of the client: the request names the functions the client serves; the
script calls them like module functions; each call travels script → child → supervisor →
client and back. A call waits at most until the execution's deadline; a client that is
gone (the daemon pings clients that owe a reply every 100 ms) or too slow gives the script
an error value, and the supervisor carries on.

Security: `tcp://` requires CURVE (`server_key` + an allowlist of client public keys checked
by a ZAP handler); an unknown key gets no connection at all. `ipc://` sockets are made
mode 0600 (the file system is the access control); CURVE may be used there too. Limits a
client asks for are capped at the engine's own limits.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import logging
import os
import queue
import threading
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import zmq
from pydantic import ValidationError
from zmq.auth.thread import ThreadAuthenticator

from scriptvisor.protocol import remote
from scriptvisor.protocol.curve import KeyPair
from scriptvisor.protocol.frames import DEFAULT_MAX_FRAME_BYTES, FrameError
from scriptvisor.protocol.models import ScriptOutput, SecurityLimits
from scriptvisor.supervisor.engine import ScriptEngine
from scriptvisor.supervisor.errors import EngineClosed, Overloaded, SupervisorUnavailable

log = logging.getLogger("scriptvisor.daemon")

_SWEEP_SECONDS = 0.1  # how often clients that owe a reply are pinged
_ZAP_DOMAIN = "scriptvisor"
_GONE = object()  # put in a call's answers when its client disappeared
_ids = itertools.count(1)


class EndpointError(ValueError):
    """The endpoint cannot be served as configured (bad scheme, TCP without CURVE)."""


@dataclass(frozen=True)
class CurveServer:
    """The daemon's CURVE identity and the client public keys it accepts."""

    keys: KeyPair
    clients: frozenset[bytes]


@dataclass
class _Request:
    """One client request being executed: what its host-function proxies share."""

    identity: bytes
    id: int
    deadline: float
    seq: int = 0
    answers: queue.SimpleQueue[Any] = field(default_factory=queue.SimpleQueue)
    waiting: bool = False


class Daemon:
    """Serves `engine` on `endpoint` (`ipc://PATH` or `tcp://HOST:PORT`)."""

    def __init__(
        self,
        engine: ScriptEngine,
        endpoint: str,
        *,
        curve: CurveServer | None = None,
        max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
        max_pending: int = 1024,
    ) -> None:
        scheme = endpoint.partition("://")[0]
        if scheme not in ("ipc", "tcp"):
            raise EndpointError(f"{endpoint}: the endpoint must be ipc://PATH or tcp://HOST:PORT")
        if scheme == "tcp" and curve is None:
            raise EndpointError(f"{endpoint}: a TCP endpoint requires CURVE keys "
                                "(--server-key and --client-keys; see `scriptvisor keygen`)")
        self.engine = engine
        self.requested = endpoint
        self.curve = curve
        self.max_frame_bytes = max_frame_bytes
        self.capacity = max_pending
        self.endpoint = endpoint
        self._context = zmq.Context(io_threads=1)
        self._auth: ThreadAuthenticator | None = None
        self._router: zmq.Socket[bytes] | None = None
        self._router_lock = threading.Lock()  # every use of the router socket holds it
        self._nudge_address = f"inproc://scriptvisor-daemon-{next(_ids)}"
        self._nudge: zmq.Socket[bytes] | None = None  # wakes the I/O thread (under the lock)
        self._requests: dict[tuple[bytes, int], _Request] = {}
        self._in_flight = 0
        self._lock = threading.Lock()
        self._workers = ThreadPoolExecutor(engine.config.size,
                                           thread_name_prefix="scriptvisor-daemon")
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._limits: dict[tuple[bytes, float | None, tuple[str, ...]], SecurityLimits] = {}

    @property
    def in_flight(self) -> int:
        """Client requests accepted and not yet answered."""
        return self._in_flight

    # --- lifecycle -----------------------------------------------------------------------

    def start(self) -> Daemon:
        """Bind and serve on a background thread; returns self. Raises `zmq.ZMQError` when
        the endpoint cannot be bound."""
        router = self._context.socket(zmq.ROUTER)
        router.setsockopt(zmq.LINGER, 0)
        router.setsockopt(zmq.ROUTER_MANDATORY, 1)  # a vanished client: EHOSTUNREACH
        router.setsockopt(zmq.MAXMSGSIZE, self.max_frame_bytes)
        if self.curve is not None:
            self._auth = ThreadAuthenticator(self._context)
            self._auth.start()
            self._auth.configure_curve_callback(_ZAP_DOMAIN, _Allowlist(self.curve.clients))
            router.curve_server = True
            router.curve_secretkey = self.curve.keys.secret
            router.curve_publickey = self.curve.keys.public
            router.zap_domain = _ZAP_DOMAIN.encode()
        try:
            router.bind(self.requested)
        except zmq.ZMQError:
            router.close()
            self._close_context()
            raise
        self.endpoint = router.getsockopt_string(zmq.LAST_ENDPOINT)
        if self.endpoint.startswith("ipc://"):
            os.chmod(self.endpoint[len("ipc://"):], 0o600)
        wake = self._context.socket(zmq.PULL)
        wake.bind(self._nudge_address)
        nudge = self._context.socket(zmq.PUSH)
        nudge.connect(self._nudge_address)
        self._router, self._nudge = router, nudge
        self._thread = threading.Thread(
            target=self._serve, args=(router, wake), name="scriptvisor-daemon-io", daemon=True
        )
        self._thread.start()
        log.info("scriptvisor daemon listening on %s (%s)", self.endpoint,
                 "CURVE" if self.curve else "no CURVE: file permissions guard it")
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving: requests still running are finished but their answers dropped."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        for request in list(self._requests.values()):
            request.answers.put(_GONE)
        if self._thread is not None:
            self._thread.join(timeout)
        self._workers.shutdown(wait=True, cancel_futures=True)
        with self._router_lock:
            for socket in (self._router, self._nudge):
                if socket is not None:
                    socket.close(0)
            self._router = self._nudge = None
        self._close_context()
        if self.endpoint.startswith("ipc://"):
            with contextlib.suppress(OSError):
                os.unlink(self.endpoint[len("ipc://"):])

    def __enter__(self) -> Daemon:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _close_context(self) -> None:
        if self._auth is not None:
            self._auth.stop()
            self._auth = None
        if not self._context.closed:
            self._context.term()

    # --- the I/O thread ------------------------------------------------------------------

    def _serve(self, router: zmq.Socket[bytes], wake: zmq.Socket[bytes]) -> None:
        poller = zmq.Poller()
        poller.register(router.getsockopt(zmq.FD), zmq.POLLIN)  # edge-triggered: see below
        poller.register(wake, zmq.POLLIN)
        next_sweep = time.monotonic() + _SWEEP_SECONDS
        try:
            while not self._stopping.is_set():
                ready = dict(poller.poll(int(_SWEEP_SECONDS * 1000)))
                if wake in ready:
                    for _ in remote.drain(wake):
                        pass
                # The descriptor only signals a change, and any use of the socket (a worker's
                # send too) may consume it: so drain on every turn, whatever woke us.
                with self._router_lock:
                    messages = list(remote.drain(router))
                self._receive(messages)
                if time.monotonic() >= next_sweep:
                    self._sweep()
                    next_sweep = time.monotonic() + _SWEEP_SECONDS
        except Exception:  # the loop must never die silently
            log.exception("the daemon's I/O thread failed")
        finally:
            wake.close(0)

    def _deliver(self, identity: bytes, data: bytes) -> bool:
        """Send to a client from any thread; False when it is gone or not reading."""
        with self._router_lock:
            router = self._router
            if router is None:
                return False
            try:
                router.send_multipart([identity, data], zmq.NOBLOCK)
                sent = True
            except zmq.ZMQError as exc:
                if exc.errno not in (errno.EHOSTUNREACH, zmq.EAGAIN):
                    raise
                log.debug("client %s is gone or not reading: frame dropped", identity.hex())
                sent = False
            if int(router.getsockopt(zmq.EVENTS)) & zmq.POLLIN and self._nudge is not None:
                self._nudge.send(b"")  # messages arrived meanwhile: the I/O thread must look
        return sent

    def _receive(self, messages: list[list[bytes]]) -> None:
        for parts in messages:
            if len(parts) != 2:
                log.warning("daemon: a client sent a %d-part message; ignored", len(parts))
                continue
            identity, data = parts
            try:
                frame = remote.decode(data, from_client=True, max_size=self.max_frame_bytes)
            except FrameError as exc:
                log.warning("daemon: malformed frame from client %s: %s", identity.hex(), exc)
                self._deliver(identity, self._encode(remote.refused(0, "invalid", str(exc))))
                continue
            self._dispatch(identity, frame)

    def _dispatch(self, identity: bytes, frame: dict[str, Any]) -> None:
        kind, id = frame["t"], frame["id"]
        if kind in ("run", "source"):
            with self._lock:
                busy = self._in_flight >= self.capacity
                if not busy:
                    self._in_flight += 1
            if busy:
                message = f"{self._in_flight} requests are in flight"
                self._deliver(identity, self._encode(remote.refused(id, "overloaded", message)))
                return
            self._workers.submit(self._execute, identity, frame)
        elif kind == "reply":
            request = self._requests.get((identity, id))
            if request is not None and request.waiting and frame["seq"] == request.seq:
                request.answers.put(frame)
        elif kind == "ping":
            self._deliver(identity, self._encode(remote.header("pong", id)))

    def _sweep(self) -> None:
        """Ping every client a script is waiting on; one that is gone frees its script."""
        for request in list(self._requests.values()):
            if request.waiting:
                ping = self._encode(remote.header("ping", request.id))
                if not self._deliver(request.identity, ping):
                    request.answers.put(_GONE)

    # --- workers -------------------------------------------------------------------------

    def _execute(self, identity: bytes, frame: dict[str, Any]) -> None:
        id = frame["id"]
        try:
            answer = remote.output_frame(id, self._run(identity, frame))
        except Overloaded as exc:
            answer = remote.refused(id, "overloaded", str(exc))
        except EngineClosed as exc:
            answer = remote.refused(id, "closed", str(exc))
        except SupervisorUnavailable as exc:
            answer = remote.refused(id, "unavailable", str(exc))
        except (ValidationError, ValueError) as exc:
            answer = remote.refused(id, "invalid", str(exc))
        except Exception as exc:  # never leave a client without an answer
            log.exception("daemon: request %s failed", id)
            answer = remote.refused(id, "unavailable", f"internal error: {type(exc).__name__}")
        finally:
            with self._lock:
                self._in_flight -= 1
        self._send(identity, answer)

    def _run(self, identity: bytes, frame: dict[str, Any]) -> ScriptOutput:
        names = tuple(frame["functions"])
        limits = self._limits_of(frame, names)
        request = _Request(identity, frame["id"], time.monotonic() + limits.max_execution_time)
        functions = {name: _ClientFunction(self, request, name) for name in names}
        key = (identity, request.id)
        self._requests[key] = request
        try:
            if frame["t"] == "run":
                return self.engine.execute_variables(
                    frame["module"], frame["name"], frame["input"], limits=limits,
                    functions=functions,
                )
            return self.engine.execute_source(
                frame["source"], frame["language"], name=frame["name"], module=frame["module"],
                input=frame["input"], limits=limits, functions=functions,
            )
        finally:
            self._requests.pop(key, None)

    def _limits_of(self, frame: dict[str, Any], names: tuple[str, ...]) -> SecurityLimits:
        """The request's limits (capped at the engine's), its client's functions exposed."""
        asked, timeout = frame.get("limits"), frame.get("timeout")
        if asked is None and timeout is None and not names:
            return self.engine.limits
        cache_key = (self._encode(asked) if asked else b"", timeout, names)
        limits = self._limits.get(cache_key)
        if limits is None:
            limits = _capped(self.engine.limits, asked, timeout, names)
            if len(self._limits) > 256:
                self._limits.clear()
            self._limits[cache_key] = limits
        return limits

    def _send(self, identity: bytes, frame: dict[str, Any]) -> None:
        try:
            data = self._encode(frame)
        except FrameError as exc:
            data = self._encode(remote.refused(frame["id"], "invalid", f"answer too large: {exc}"))
        if not self._stopping.is_set():
            self._deliver(identity, data)

    def _encode(self, frame: Any) -> bytes:
        return remote.encode(frame, self.max_frame_bytes)


class _ClientFunction:
    """A host function that lives in the client: one call, one round trip."""

    __slots__ = ("daemon", "request", "name")

    def __init__(self, daemon: Daemon, request: _Request, name: str) -> None:
        self.daemon, self.request, self.name = daemon, request, name

    def __call__(self, *args: Any) -> Any:
        request = self.request
        request.seq += 1
        call = {**remote.header("call", request.id), "seq": request.seq, "name": self.name,
                "args": list(args)}
        request.waiting = True
        try:
            self.daemon._send(request.identity, call)
            remaining = request.deadline - time.monotonic()
            try:
                answer = request.answers.get(timeout=max(remaining, 0.001))
            except queue.Empty:
                raise TimeoutError(f"{self.name}: the client did not answer in time") from None
        finally:
            request.waiting = False
        if answer is _GONE:
            raise ConnectionError(f"{self.name}: the client is gone")
        if answer["error"] is not None:
            raise RuntimeError(answer["error"])
        return answer["value"]


class _Allowlist:
    """ZAP credentials check: a client's CURVE public key must be on the list."""

    def __init__(self, keys: Iterable[bytes]) -> None:
        self.keys = frozenset(keys)

    def callback(self, domain: str, key: bytes) -> bool:
        """`key` is the client's public key, Z85-encoded."""
        allowed = key in self.keys
        if not allowed:
            log.warning("daemon: refused a client with an unknown CURVE key")
        return allowed


def _capped(
    ceiling: SecurityLimits,
    asked: Mapping[str, Any] | None,
    timeout: float | None,
    names: tuple[str, ...],
) -> SecurityLimits:
    limits = SecurityLimits.model_validate(asked) if asked else ceiling
    update: dict[str, Any] = {}
    for field_name, value in ceiling.model_dump().items():
        mine = getattr(limits, field_name)
        if isinstance(value, int | float) and not isinstance(value, bool) and mine > value:
            update[field_name] = value
    packages = tuple(p for p in limits.allowed_packages if p in ceiling.allowed_packages)
    if packages != tuple(limits.allowed_packages):
        update["allowed_packages"] = packages  # no stdlib module the supervisor withholds
    if timeout is not None:
        update["max_execution_time"] = min(timeout, ceiling.max_execution_time)
    exposed = tuple(limits.exposed_functions)
    extra = tuple(n for n in names if n not in exposed)
    if extra:
        update["exposed_functions"] = exposed + extra
    return limits.model_copy(update=update) if update else limits
