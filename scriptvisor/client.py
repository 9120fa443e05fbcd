"""`Client` and `AsyncClient`: embed scriptvisor from another process through a running
supervisor's daemon endpoint (`scriptvisor serve --listen ...`).

    with Client("ipc:///tmp/scriptvisor.sock", functions={"price": price}) as client:
        out = client.execute(ExecutionRequest(module_name="shop", script_name="discount"))
        out.raise_for_error()

Same answers as the in-process `ScriptEngine`: a `ScriptOutput` for every outcome of the
script (its `error` says which), exceptions only for the host's conditions:
`SupervisorUnavailable` (no supervisor listening within `connect_timeout`, the connection
was lost while the request was in flight, the key was refused, or no answer came within
`timeout`), `Overloaded`, `EngineClosed` (the supervisor or this client is closing).

`functions` are host functions living in this process: scripts call them through the
supervisor (script → child → supervisor → client and back); they are exposed to every
script this client runs, and run on a small thread pool here (coroutine functions, with
`AsyncClient`, on its event loop).

One DEALER socket per client: the calling thread sends its request itself and one I/O
thread reads the answers (every use of the socket holds one lock; the I/O thread waits on
the socket's notification descriptor). Any number of threads (or tasks) may have requests
in flight at once. After a supervisor restart the socket reconnects by
itself: requests not yet sent wait for it (up to `connect_timeout`); requests that were in
flight when the connection dropped fail with `SupervisorUnavailable` (they may or may not
have run), never silently.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import itertools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import Future, InvalidStateError, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import zmq
from zmq.utils.monitor import recv_monitor_message

from scriptvisor.protocol import remote
from scriptvisor.protocol.curve import KeyPair, load_public_key
from scriptvisor.protocol.frames import DEFAULT_MAX_FRAME_BYTES, FrameError
from scriptvisor.protocol.models import ExecutionRequest, ScriptOutput, SecurityLimits
from scriptvisor.protocol.values import MAX_VALUE_BYTES, ValueMappingError, to_wire
from scriptvisor.supervisor.errors import EngineClosed, Overloaded, SupervisorUnavailable

log = logging.getLogger("scriptvisor.client")

HostFunction = Callable[..., Any]
_TICK_MS = 50  # the I/O thread's longest sleep: how late an expiry is noticed
_MONITORED = (zmq.EVENT_DISCONNECTED | zmq.EVENT_HANDSHAKE_SUCCEEDED
              | zmq.EVENT_HANDSHAKE_FAILED_AUTH | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
              | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL)
_STOP, _LOOK = b"", b"n"  # wake-up messages to the I/O thread: stop; look at the socket
_REFUSALS: dict[str, type[Exception]] = {
    "overloaded": Overloaded,
    "closed": EngineClosed,
    "unavailable": SupervisorUnavailable,
    "invalid": ValueError,
}


class _Pending:
    __slots__ = ("future", "data", "queued", "sent")

    def __init__(self, data: bytes) -> None:
        self.future: Future[ScriptOutput] = Future()
        self.data = data
        self.queued = time.monotonic()
        self.sent = False


class Client:
    """A connection to a supervisor's daemon endpoint (thread-safe)."""

    def __init__(
        self,
        endpoint: str,
        *,
        functions: Mapping[str, HostFunction] | None = None,
        server_key: str | bytes | None = None,
        keys: KeyPair | None = None,
        timeout: float = 60.0,
        connect_timeout: float = 5.0,
        max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
        host_workers: int = 4,
    ) -> None:
        if (server_key is None) != (keys is None):
            raise ValueError("CURVE needs both the server's public key and this client's keys")
        self.endpoint = endpoint
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.max_frame_bytes = max_frame_bytes
        self._functions = dict(functions or {})
        self._names = list(self._functions)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Pending] = {}
        self._unsent: deque[int] = deque()  # waiting for a connection (under _sock_lock)
        self._sock_lock = threading.Lock()  # every use of the DEALER and of the wake socket
        self._lock = threading.Lock()
        self._closed = False
        self._host = ThreadPoolExecutor(host_workers, thread_name_prefix="scriptvisor-client")
        self._context = zmq.Context(io_threads=1)
        try:
            self._connect(endpoint, server_key, keys)
        except (zmq.ZMQError, ValueError) as exc:
            self._context.destroy(linger=0)
            self._host.shutdown(wait=False)
            raise ValueError(f"cannot connect to {endpoint!r}: {exc}") from None
        self._thread.start()

    def _connect(self, endpoint: str, server_key: str | bytes | None, keys: KeyPair | None
                 ) -> None:
        self._dealer = self._context.socket(zmq.DEALER)
        self._dealer.setsockopt(zmq.LINGER, 0)
        self._dealer.setsockopt(zmq.IMMEDIATE, 1)  # no connection: send fails, we keep it
        self._dealer.setsockopt(zmq.RECONNECT_IVL, 50)
        self._dealer.setsockopt(zmq.RECONNECT_IVL_MAX, 500)
        self._dealer.setsockopt(zmq.MAXMSGSIZE, self.max_frame_bytes)
        if keys is not None and server_key is not None:
            self._dealer.curve_serverkey = load_public_key(server_key)
            self._dealer.curve_publickey = keys.public
            self._dealer.curve_secretkey = keys.secret
        self._monitor = self._dealer.get_monitor_socket(_MONITORED)
        self._wake_address = f"inproc://scriptvisor-client-{id(self)}"
        wake_in = self._context.socket(zmq.PULL)
        wake_in.bind(self._wake_address)
        self._wake = self._context.socket(zmq.PUSH)
        self._wake.connect(self._wake_address)
        self._dealer.connect(endpoint)
        self._thread = threading.Thread(
            target=self._serve, args=(wake_in,), name="scriptvisor-client-io", daemon=True
        )

    # --- executing -----------------------------------------------------------------------

    def execute(self, request: ExecutionRequest, *, timeout: float | None = None) -> ScriptOutput:
        """Run the registered script `request` names; waits at most `timeout` (default: the
        client's) for the answer."""
        return self._wait(self.submit(request), timeout)

    def execute_source(
        self,
        source: str,
        language: str = "tengo",
        *,
        name: str = "script",
        module: str = "adhoc",
        input: Mapping[str, Any] | None = None,
        limits: SecurityLimits | None = None,
        timeout: float | None = None,
    ) -> ScriptOutput:
        """Run ad-hoc `source` with `input` variables."""
        future = self.submit_source(source, language, name=name, module=module, input=input,
                                    limits=limits)
        return self._wait(future, timeout)

    def submit(self, request: ExecutionRequest) -> Future[ScriptOutput]:
        """`execute` without waiting: the answer's future."""
        try:
            variables = request.variables(max_bytes=MAX_VALUE_BYTES)
        except ValueMappingError as exc:
            raise ValueError(f"input variable {exc}") from None
        frame = {"module": request.module_name, "name": request.script_name,
                 "input": variables}
        _options(frame, request.security_limits, request.timeout)
        return self._submit("run", frame)

    def submit_source(
        self,
        source: str,
        language: str = "tengo",
        *,
        name: str = "script",
        module: str = "adhoc",
        input: Mapping[str, Any] | None = None,
        limits: SecurityLimits | None = None,
    ) -> Future[ScriptOutput]:
        """`execute_source` without waiting: the answer's future."""
        try:
            variables = to_wire(dict(input or {}), "input", max_bytes=MAX_VALUE_BYTES)
        except ValueMappingError as exc:
            raise ValueError(f"input variable {exc}") from None
        frame = {"source": source, "language": str(language), "module": module, "name": name,
                 "input": variables}
        _options(frame, limits, None)
        return self._submit("source", frame)

    def _submit(self, kind: str, fields: dict[str, Any]) -> Future[ScriptOutput]:
        id = next(self._ids)
        frame = {**remote.header(kind, id), **fields, "functions": self._names}
        try:
            data = remote.encode(frame, self.max_frame_bytes)
        except FrameError as exc:
            raise ValueError(f"the request cannot be sent: {exc}") from None
        pending = _Pending(data)
        with self._lock:
            if self._closed:
                raise EngineClosed("the client is closed")
            self._pending[id] = pending
        with self._sock_lock:
            if self._dealer.closed:
                self._pending.pop(id, None)
                raise EngineClosed("the client is closed")
            if not self._unsent and self._send_now(data):  # keep the order of queued ones
                pending.sent = True
            else:
                self._unsent.append(id)  # no connection yet: the I/O thread sends it
                self._wake.send(_LOOK)
        return pending.future

    def _wait(self, future: Future[ScriptOutput], timeout: float | None) -> ScriptOutput:
        limit = self.timeout if timeout is None else timeout
        try:
            return future.result(limit)
        except FutureTimeout:
            future.cancel()
            raise SupervisorUnavailable(
                f"no answer from the supervisor at {self.endpoint} within {limit:g}s"
            ) from None

    # --- lifecycle -----------------------------------------------------------------------

    def close(self) -> None:
        """Fail what is pending with `EngineClosed`, stop the I/O thread. Idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        with self._sock_lock:
            self._wake.send(_STOP)
        self._thread.join(5)
        self._host.shutdown(wait=False, cancel_futures=True)
        self._wake.close(0)
        self._context.term()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the I/O thread ------------------------------------------------------------------

    def _serve(self, wake_in: zmq.Socket[bytes]) -> None:
        poller = zmq.Poller()
        poller.register(self._dealer.getsockopt(zmq.FD), zmq.POLLIN)  # edge-triggered
        poller.register(wake_in, zmq.POLLIN)
        poller.register(self._monitor, zmq.POLLIN)
        next_tick = time.monotonic()
        try:
            while True:
                ready = dict(poller.poll(_TICK_MS))
                if self._monitor in ready:
                    self._on_monitor()
                if wake_in in ready and any(m == [_STOP] for m in remote.drain(wake_in)):
                    break
                # The descriptor only signals a change and a sender's use of the socket may
                # consume it: so read on every turn, whatever woke us.
                with self._sock_lock:
                    messages = list(remote.drain(self._dealer))
                    if self._unsent:
                        self._flush()
                for (data,) in messages:
                    self._on_data(data)
                if time.monotonic() >= next_tick:
                    self._expire()
                    next_tick = time.monotonic() + _TICK_MS / 1000
        except Exception:
            log.exception("the client's I/O thread failed")
        finally:
            self._fail_all(EngineClosed("the client is closed"))
            with self._sock_lock:
                self._dealer.disable_monitor()
                for socket in (self._dealer, self._monitor, wake_in):
                    socket.close(0)

    def _flush(self) -> None:
        """Send what waited for a connection, in order (caller holds `_sock_lock`)."""
        while self._unsent:
            pending = self._pending.get(self._unsent[0])
            if pending is None or pending.future.done():
                self._unsent.popleft()
                continue
            if not self._send_now(pending.data):
                return  # no connection yet: keep the order, try again later
            pending.sent = True
            self._unsent.popleft()

    def _send_now(self, data: bytes) -> bool:
        """Send without waiting (caller holds `_sock_lock`); False without a connection.
        Answers that arrived meanwhile may have consumed the descriptor's signal: then the
        I/O thread is told to look."""
        try:
            self._dealer.send(data, zmq.NOBLOCK)
            sent = True
        except zmq.Again:
            sent = False
        if int(self._dealer.getsockopt(zmq.EVENTS)) & zmq.POLLIN:
            self._wake.send(_LOOK)
        return sent

    def _send_locked(self, data: bytes) -> None:
        with self._sock_lock:
            if not self._dealer.closed:
                self._send_now(data)

    def _on_data(self, data: bytes) -> None:
        try:
            frame = remote.decode(data, from_client=False, max_size=self.max_frame_bytes)
        except FrameError as exc:
            log.error("client: malformed frame from the supervisor: %s", exc)
            return
        self._on_frame(frame)

    def _on_frame(self, frame: dict[str, Any]) -> None:
        kind, id = frame["t"], frame["id"]
        if kind == "call":
            self._host.submit(self._call_host, frame)
            return
        if kind == "ping":
            self._send_locked(remote.encode(remote.header("pong", id), self.max_frame_bytes))
            return
        if kind == "pong":
            return
        pending = self._pending.pop(id, None)
        if pending is None:
            return
        if kind == "refused":
            _settle(pending.future, _REFUSALS[frame["kind"]](frame["message"]))
        else:
            _settle(pending.future, ScriptOutput.from_frame(frame))  # type: ignore[arg-type]

    def _on_monitor(self) -> None:
        while True:
            try:
                event = recv_monitor_message(self._monitor, zmq.NOBLOCK)
            except zmq.Again:
                return
            kind = event["event"]
            if kind == zmq.EVENT_DISCONNECTED:
                lost = SupervisorUnavailable(
                    f"the connection to the supervisor at {self.endpoint} was lost while the "
                    "request was in flight (it may or may not have run)"
                )
                self._fail(lambda p: p.sent, lost)
            elif kind & (zmq.EVENT_HANDSHAKE_FAILED_AUTH | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
                         | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL):
                refused = SupervisorUnavailable(
                    f"the supervisor at {self.endpoint} refused this client "
                    "(CURVE authentication failed: is this client's public key on its list?)"
                )
                self._fail(lambda p: True, refused)

    def _expire(self) -> None:
        """Each tick: fail what waited too long for a connection, forget what callers
        cancelled (they stopped waiting)."""
        oldest = time.monotonic() - self.connect_timeout
        for id, pending in list(self._pending.items()):
            if pending.future.done():
                self._pending.pop(id, None)
            elif not pending.sent and pending.queued < oldest:
                self._pending.pop(id, None)
                _settle(pending.future, SupervisorUnavailable(
                    f"no supervisor is listening at {self.endpoint} "
                    f"(waited {self.connect_timeout:g}s for a connection)"
                ))

    def _fail(self, which: Callable[[_Pending], bool], error: Exception) -> None:
        for id, pending in list(self._pending.items()):
            if which(pending):
                self._pending.pop(id, None)
                _settle(pending.future, error)

    def _fail_all(self, error: Exception) -> None:
        with self._lock:
            self._closed = True
        self._fail(lambda p: True, error)

    # --- host functions ------------------------------------------------------------------

    def _call_host(self, frame: dict[str, Any]) -> None:
        """Runs on the host pool: call the function, send the reply through the I/O thread."""
        name, value, error = frame["name"], None, None
        fn = self._functions.get(name)
        try:
            if fn is None:
                raise LookupError(f"this client has no function {name!r}")
            value = to_wire(self._resolve(fn(*frame["args"])), f"{name}()")
        except Exception as exc:
            log.warning("host function %s raised", name, exc_info=exc)
            value, error = None, str(exc) or type(exc).__name__
        reply = {**remote.header("reply", frame["id"]), "seq": frame["seq"], "value": value,
                 "error": error}
        try:
            data = remote.encode(reply, self.max_frame_bytes)
        except FrameError as exc:
            reply.update(value=None, error=f"{name}: {exc}")
            data = remote.encode(reply, self.max_frame_bytes)
        if not self._closed:
            self._send_locked(data)  # best effort: without a connection the call times out

    def _resolve(self, value: Any) -> Any:
        """Await a coroutine result (see `AsyncClient`); plain values pass through."""
        if inspect.isawaitable(value):
            raise TypeError("coroutine host functions need AsyncClient")
        return value


class AsyncClient:
    """`Client` for asyncio: the same I/O thread, awaitable answers; coroutine host
    functions run on the loop that created the client."""

    def __init__(self, endpoint: str, **options: Any) -> None:
        self._loop = asyncio.get_running_loop()
        self._client = Client(endpoint, **options)
        self._client._resolve = self._resolve  # type: ignore[method-assign]

    async def execute(self, request: ExecutionRequest, *, timeout: float | None = None
                      ) -> ScriptOutput:
        return await self._wait(self._client.submit(request), timeout)

    async def execute_source(
        self, source: str, language: str = "tengo", *, timeout: float | None = None,
        **options: Any,
    ) -> ScriptOutput:
        return await self._wait(self._client.submit_source(source, language, **options), timeout)

    async def _wait(self, future: Future[ScriptOutput], timeout: float | None) -> ScriptOutput:
        limit = self._client.timeout if timeout is None else timeout
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), limit)
        except TimeoutError:
            raise SupervisorUnavailable(
                f"no answer from the supervisor at {self._client.endpoint} within {limit:g}s"
            ) from None

    async def close(self) -> None:
        await asyncio.to_thread(self._client.close)

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _resolve(self, value: Any) -> Any:
        if inspect.isawaitable(value):
            return asyncio.run_coroutine_threadsafe(_awaited(value), self._loop).result()
        return value


def _settle(future: Future[ScriptOutput], outcome: ScriptOutput | Exception) -> None:
    """Resolve `future` unless its caller gave up on it (cancelled it) meanwhile."""
    with contextlib.suppress(InvalidStateError):
        if isinstance(outcome, Exception):
            future.set_exception(outcome)
        else:
            future.set_result(outcome)


async def _awaited(value: Any) -> Any:
    return await value


def _options(frame: dict[str, Any], limits: SecurityLimits | None, timeout: float | None
             ) -> None:
    if limits is not None:
        frame["limits"] = limits.model_dump(mode="json")
    if timeout is not None:
        frame["timeout"] = float(timeout)
