"""A confined child's life: confine, connect to the supervisor, then serve frames forever.

    zygote:  prepare_zygote(policy)      # imports, warm-up, seccomp filter, gc.freeze()
             pid = os.fork(); if pid == 0: run(ChildSpec(...))     # never returns

`run` confines the process (`sandbox.confine`) and, in the `start_io` hook, opens a ZeroMQ
PAIR socket to the supervisor's per-child `ipc://` endpoint and completes a handshake
(`ready` -> `ping`) so the connection exists before seccomp forbids `socket()`. Once
confined it answers `pong` and serves; one handler per message type:

| frame     | answer                                                                      |
|-----------|-----------------------------------------------------------------------------|
| `exec`    | compile (cached by checksum) and run; `result` or `error` with metrics.     |
|           | Without `source` and not cached: `error` not_found `SOURCE_NEEDED`, the     |
|           | supervisor then resends with the source.                                    |
| `compile` | validate and cache only: `result` (null) or `error`.                        |
| `ping`    | `pong`.                                                                     |
| `reply`   | outside a host call it is stale (a call that timed out): dropped.           |

Host functions named in `exec.functions` (except `log`, which the engine captures itself)
become proxies: `call` frame -> block for the `reply` with the same id and seq -> value,
or an error value for the script. The soft deadline (engine guard, SIGALRM) also
interrupts that wait: host-call time counts against the script's wall-clock deadline.
Quotas on host calls (count, payload bytes) end the execution with an `execution` error.

The child never imports the supervisor; every frame it receives is decoded and checked.
A frame it cannot decode means a broken supervisor: the child exits (`EXIT_PROTOCOL`).
"""

from __future__ import annotations

import gc
import importlib
import logging
import os
import resource
import signal
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

import zmq

from scriptvisor.engines import guard
from scriptvisor.engines.base import CompiledScript, EngineLimits, LanguageEngine, ScriptLanguage
from scriptvisor.engines.factory import EngineFactory, UnsupportedLanguage
from scriptvisor.protocol import frames
from scriptvisor.protocol.errors import ErrorType, ScriptError
from scriptvisor.protocol.frames import (
    DEFAULT_MAX_FRAME_BYTES,
    CompileFrame,
    ExecFrame,
    FrameError,
    LimitsWire,
    MetricsWire,
    PingFrame,
    ReplyFrame,
    SupervisorFrame,
)
from scriptvisor.protocol.values import ValueMappingError, check_wire, to_wire
from scriptvisor.sandbox import namespaces
from scriptvisor.sandbox.confine import EXIT_CONFINEMENT_FAILED, confine, prepare
from scriptvisor.sandbox.policy import Policy
from scriptvisor.sandbox.report import ConfinementError

CACHE_SIZE = 128
"""Compiled scripts a child keeps (LRU). The supervisor mirrors this cache exactly."""
SOURCE_NEEDED = "source needed"
"""The message of the `not_found` error a child answers an `exec` without source with."""
MAX_LOG_BYTES = 1024 * 1024
"""Log text one execution may return (lines past it, or past `max_log_lines`, are dropped)."""
EXIT_PROTOCOL = 122
"""Exit status of a child that received a frame it could not decode."""
HANDSHAKE_TIMEOUT_MS = 10_000
PR_SET_PDEATHSIG = 1

_PAGE = resource.getpagesize()
_NOT_CACHED = ("not_found", "compilation", "invalid_syntax")
"""Error types after which a script is not in the child's cache (the supervisor mirrors)."""

# A warm-up per language, run in the zygote: every lazy import (stdlib modules, source
# modules read from package files) happens before fork, because a confined child cannot
# open files. Children inherit the loaded modules.
WARM_UP: dict[ScriptLanguage, str] = {
    ScriptLanguage.TENGO: """
fmt := import("fmt"); math := import("math"); times := import("times"); rand := import("rand")
text := import("text"); json := import("json"); base64 := import("base64"); hex := import("hex")
enum := import("enum")
s := fmt.sprintf("%d %5.2f %s %v %q", 1, 2.5, "x", [1, {a: 2}], "y")
t := text.join(text.split(text.to_upper("a,b"), ","), "-") + text.repeat("z", 3)
m := text.re_match("^a+$", "aaa") && text.re_find("b+", "abba") != undefined
j := json.decode(json.encode({a: [1, 2.5, "x", true, undefined]}))
b := base64.decode(base64.encode(bytes("xyz"))); h := hex.decode(hex.encode(bytes("xyz")))
n := times.now(); d := times.duration_string(times.second); u := times.time_unix(n)
f := math.sqrt(2.0) + math.floor(1.5); r := rand.intn(10)
e := enum.map([1, 2], func(k, v) { return v * 2 })
x := [3, 1, 2]; y := enum.filter(x, func(k, v) { return v > 1 }); z := string(1) + format("%v", x)
fmt.println("warm")
log("warm", 1)
result := [s, t, m, j, b, h, d, u, f, r, e, y, z, is_error(error("e"))]
""",
    ScriptLanguage.ZYGOMYS: """
(def m (hash a:1 b:"two"))
(def v [1 2.5 "x" true nil])
(defn f [n] (* n 2))
(log "warm" (f 21))
(def result [(concat "a" "b") (len v) m (f 3) (str 1.5)])
""",
}


@dataclass(frozen=True)
class ChildSpec:
    """What a forked child needs to know: where to connect and how to confine itself.

    `probe` ("module:function", tests only: the zygote refuses it unless started with
    `--allow-probes`) replaces script execution with a call of that Python function, in the
    confined child, with a `ProbeContext`.
    """

    endpoint: str
    policy: Policy
    zygote_pid: int
    probe: str | None = None
    max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES


# --- in the zygote ----------------------------------------------------------------------------


def prepare_zygote(policy: Policy) -> None:
    """Everything a child needs, done once before any fork: engines built and warmed up,
    the seccomp filter compiled, the heap frozen so children share it copy-on-write."""
    factory = _factory()
    for language in factory.supported_languages():
        engine = factory.create_engine(language)
        engine.prepare_for_confinement()
        source = WARM_UP.get(language)
        if source is not None:
            try:
                engine.execute(engine.compile(source, "warm-up"), {}, {"f": _noop}, EngineLimits())
            except Exception as exc:  # a missing builtin must not stop the zygote
                logging.getLogger("scriptvisor.zygote").warning("%s warm-up: %s", language, exc)
    prepare(policy)
    gc.collect()
    gc.freeze()


def _noop(*args: Any) -> None:
    return None


_FACTORY: EngineFactory | None = None


def _factory() -> EngineFactory:
    global _FACTORY
    if _FACTORY is None:
        _FACTORY = EngineFactory()
    return _FACTORY


# --- in the child -----------------------------------------------------------------------------


def run(spec: ChildSpec) -> NoReturn:
    """Confine this (freshly forked) process and serve until killed."""
    try:
        logging.disable(logging.CRITICAL)  # nowhere to write to, and it costs time
        guard.rss = guard._RssReader()  # the inherited one reads the zygote's statm
        probe = _load_probe(spec.probe) if spec.probe else None
        held: dict[str, Any] = {}
        keep = {guard.rss._fd} if guard.rss._fd is not None else set()
        try:
            confine(spec.policy, keep_fds=keep, start_io=lambda: _connect(spec, held))
        except ConfinementError:
            os._exit(EXIT_CONFINEMENT_FAILED)
        server = Server(held["socket"], _factory(), spec.max_frame_bytes, probe)
        server.send(frames.pong_frame())  # confined and serving
        server.serve()
    finally:
        os._exit(EXIT_PROTOCOL)


def _load_probe(ref: str) -> Callable[[ProbeContext], Any]:
    module, _, name = ref.partition(":")
    fn: Callable[[ProbeContext], Any] = getattr(importlib.import_module(module), name)
    return fn


def _connect(spec: ChildSpec, held: dict[str, Any]) -> None:
    """The `start_io` hook: die with the zygote, connect, and finish the handshake while
    `socket()` is still allowed (ZeroMQ connects from its I/O thread, asynchronously)."""
    namespaces.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # after the identity change (it resets)
    if os.getppid() != spec.zygote_pid:
        raise ConnectionError("the zygote is gone")
    context = zmq.Context(io_threads=1)
    _await_reaper(context)
    sock = context.socket(zmq.PAIR)
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.RECONNECT_IVL, -1)  # a reconnect would need socket(): SIGSYS
    sock.setsockopt(zmq.MAXMSGSIZE, spec.max_frame_bytes)
    sock.connect(spec.endpoint)
    sock.send(frames.encode(frames.ready_frame(os.getpid()), check=False))
    if not sock.poll(HANDSHAKE_TIMEOUT_MS):
        raise ConnectionError("no answer from the supervisor")
    frame = frames.decode(sock.recv(), from_child=False, max_size=spec.max_frame_bytes)
    if frame["t"] != "ping":
        raise ConnectionError(f"expected ping, got {frame['t']}")
    held.update(context=context, socket=sock)


def _await_reaper(context: zmq.Context) -> None:  # type: ignore[type-arg]
    """Return once ZeroMQ's reaper thread runs its loop.

    Each ZeroMQ thread starts with sched_getparam/sched_setscheduler and prctl(PR_SET_NAME),
    which seccomp forbids: a thread still starting when the filter loads kills the child
    (SIGSYS). The I/O thread is proven past that by the handshake (it made the connection);
    the reaper is proven by reaping a socket: closing a monitored socket makes the reaper
    send MONITOR_STOPPED.
    """
    barrier = context.socket(zmq.PAIR)
    barrier.monitor("inproc://scriptvisor-reaper", zmq.EVENT_MONITOR_STOPPED)
    watcher = context.socket(zmq.PAIR)
    watcher.connect("inproc://scriptvisor-reaper")
    barrier.close(linger=0)
    if not watcher.poll(HANDSHAKE_TIMEOUT_MS):
        raise ConnectionError("ZeroMQ's reaper thread did not start")
    watcher.close(linger=0)


class HostQuotaExceeded(BaseException):
    """A per-execution quota on host calls ran out: the execution ends (no script can catch
    it: it is not an `Exception`)."""


class HostCallFailed(Exception):
    """The host function raised (or refused the arguments): the script gets an error value."""


class HostCalls:
    """The proxies for host functions, with the quotas of the execution in progress (one
    object per child, reset for each execution; proxies are cached per set of names)."""

    __slots__ = ("server", "request", "max_calls", "max_bytes", "count", "breach", "_proxies")

    def __init__(self, server: Server) -> None:
        self.server = server
        self.request = 0
        self.max_calls = 0
        self.max_bytes = 0
        self.count = 0
        self.breach = ""
        self._proxies: dict[tuple[str, ...], dict[str, Callable[..., Any]]] = {}

    def reset(self, request: int, limits: LimitsWire) -> None:
        self.request = request
        self.max_calls = limits["max_host_calls"]
        self.max_bytes = limits["max_host_payload_bytes"]
        self.count = 0
        self.breach = ""

    def functions(self, names: list[str]) -> dict[str, Callable[..., Any]]:
        key = tuple(names)
        proxies = self._proxies.get(key)
        if proxies is None:
            if len(self._proxies) > 64:
                self._proxies.clear()
            proxies = self._proxies[key] = {n: self._proxy(n) for n in names if n != "log"}
        return proxies

    def _proxy(self, name: str) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            return self.call(name, args)

        return call

    def call(self, name: str, args: Sequence[Any]) -> Any:
        self.count += 1
        if self.count > self.max_calls:
            self._quota(f"host call quota exceeded ({self.max_calls} calls per execution)")
        try:
            wire = to_wire(list(args), f"{name}() arguments", max_bytes=self.max_bytes)
        except ValueMappingError as exc:
            if "larger than" in exc.reason:
                self._quota(
                    f"{name}() arguments exceed the host payload quota of {self.max_bytes} bytes"
                )
            raise HostCallFailed(exc.reason) from None
        self.server.send(frames.call_frame(self.request, self.count, name, wire))
        reply = self.server.await_reply(self.request, self.count)
        if reply["error"] is not None:
            raise HostCallFailed(reply["error"])
        return reply["value"]

    def _quota(self, message: str) -> NoReturn:
        self.breach = message
        raise HostQuotaExceeded(message)


class ProbeContext:
    """What a test probe gets in the confined child: the exec frame's input and the socket."""

    def __init__(self, server: Server, frame: ExecFrame) -> None:
        self.input: dict[str, Any] = frame["input"]
        self.request_id = frame["id"]
        self.answered = False
        self._server = server

    def send_raw(self, data: bytes) -> None:
        """Send arbitrary bytes to the supervisor; the child then sends no answer itself."""
        self.answered = True
        self._server.socket.send(data)


class Server:
    """The serve loop of a confined child: one handler per supervisor message type."""

    def __init__(
        self,
        sock: zmq.Socket,  # type: ignore[type-arg]
        factory: EngineFactory,
        max_frame_bytes: int = DEFAULT_MAX_FRAME_BYTES,
        probe: Callable[[ProbeContext], Any] | None = None,
    ) -> None:
        self.socket = sock
        self.factory = factory
        self.max_frame_bytes = max_frame_bytes
        self.probe = probe
        self.cache: OrderedDict[str, CompiledScript] = OrderedDict()
        self.calls = HostCalls(self)
        self.peak = 0  # ru_maxrss (KiB) after the previous execution
        self._limits: dict[tuple[Any, ...], EngineLimits] = {}
        self._handlers: dict[str, Callable[[Any], None]] = {
            "exec": self.on_exec,
            "compile": self.on_compile,
            "ping": self.on_ping,
            "reply": self.on_stale_reply,
        }

    # -- transport

    def send(self, frame: frames.Frame) -> None:
        self.socket.send(frames.encode(frame, check=False, max_size=self.max_frame_bytes))

    def receive(self) -> SupervisorFrame:
        try:
            return frames.decode(
                self.socket.recv(), from_child=False, max_size=self.max_frame_bytes
            )
        except FrameError:
            os._exit(EXIT_PROTOCOL)

    def serve(self) -> NoReturn:
        handlers = self._handlers
        while True:
            frame = self.receive()
            handlers[frame["t"]](frame)

    def await_reply(self, request: int, seq: int) -> ReplyFrame:
        """Block until the supervisor answers host call `seq` (SIGALRM may interrupt)."""
        while True:
            frame = self.receive()
            if frame["t"] == "reply" and frame["id"] == request and frame["seq"] == seq:
                return frame
            if frame["t"] == "ping":
                self.on_ping(frame)
            # anything else is stale: an answer to a call of an interrupted execution

    # -- handlers

    def on_ping(self, frame: PingFrame) -> None:
        self.send(frames.pong_frame(frame["id"]))

    def on_stale_reply(self, frame: ReplyFrame) -> None:
        return None

    def on_compile(self, frame: CompileFrame) -> None:
        try:
            compiled, seconds = self._compile(frame, frame["source"])
        except ScriptError as exc:
            exc.module = frame["module"]
            self.send(frames.error_frame(frame["id"], exc, metrics=frames.metrics_wire()))
            return
        metrics = frames.metrics_wire(compilation_time=seconds)
        self.send(frames.result_frame(frame["id"], None, metrics=metrics))

    def on_exec(self, frame: ExecFrame) -> None:
        calls = self.calls
        calls.reset(frame["id"], frame["limits"])
        started = 0.0  # when the engine started running the script
        compile_seconds = 0.0
        rss_before = guard.rss()
        try:
            if self.probe is not None:
                self._run_probe(frame)
                return
            compiled, compile_seconds = self._compiled(frame)
            limits = self._engine_limits(frame["limits"], "log" in frame["functions"])
            started = time.perf_counter()
            engine = self.factory.create_engine(compiled.language)
            outcome = engine.execute(
                compiled, frame["input"], calls.functions(frame["functions"]), limits
            )
            value = outcome.result
            try:
                check_wire(value, "result")
            except ValueMappingError as exc:
                raise ScriptError(ErrorType.EXECUTION, str(exc), script=compiled.name) from None
            metrics = self._metrics(
                compile_seconds, outcome.execution_seconds, rss_before, calls.count
            )
            logs = _capped(outcome.logs, frame["limits"]["max_log_lines"])
            answer = frames.result_frame(frame["id"], value, logs=logs, metrics=metrics)
            try:
                data = frames.encode(answer, check=False, max_size=self.max_frame_bytes)
            except FrameError:
                raise ScriptError(
                    ErrorType.EXECUTION,
                    f"result and logs exceed the {self.max_frame_bytes}-byte frame cap",
                    script=compiled.name,
                ) from None
            self.socket.send(data)
        except ScriptError as exc:
            error = _with_breach(exc, calls.breach)
            error.module = frame["module"]
            if not error.script:
                error.script = frame["name"]
            seconds = time.perf_counter() - started if started else 0.0
            metrics = self._metrics(compile_seconds, seconds, rss_before, calls.count)
            logs = _capped(error.logs, frame["limits"]["max_log_lines"])
            self.send(frames.error_frame(frame["id"], error, logs=logs, metrics=metrics))

    # -- compiling

    def _compiled(self, frame: ExecFrame) -> tuple[CompiledScript, float]:
        cached = self.cache.get(frame["checksum"])
        if cached is not None:
            self.cache.move_to_end(frame["checksum"])
            return cached, 0.0
        source = frame.get("source")
        if source is None:
            raise ScriptError(ErrorType.NOT_FOUND, SOURCE_NEEDED, script=frame["name"])
        return self._compile(frame, source)

    def _compile(
        self, frame: ExecFrame | CompileFrame, source: str
    ) -> tuple[CompiledScript, float]:
        try:
            engine: LanguageEngine = self.factory.create_engine(frame["language"])
        except UnsupportedLanguage as exc:
            raise ScriptError(ErrorType.COMPILATION, str(exc), script=frame["name"]) from None
        started = time.perf_counter()
        try:
            modules = frame.get("modules")
            compiled = engine.compile(
                source, frame["name"], resolver=modules.get if modules else None
            )
        except RecursionError:
            raise ScriptError(
                ErrorType.INVALID_SYNTAX, "program nested too deeply", script=frame["name"]
            ) from None
        except MemoryError:
            raise ScriptError(
                ErrorType.MEMORY_LIMIT, "out of memory while compiling", script=frame["name"]
            ) from None
        seconds = time.perf_counter() - started
        self.cache[frame["checksum"]] = compiled
        if len(self.cache) > CACHE_SIZE:
            self.cache.popitem(last=False)
        return compiled, seconds

    def _engine_limits(self, wire: LimitsWire, allow_log: bool) -> EngineLimits:
        key = (wire["max_execution_time"], wire["max_memory_bytes"], allow_log,
               *wire["allowed_packages"])
        limits = self._limits.get(key)
        if limits is None:
            if len(self._limits) > 64:
                self._limits.clear()
            limits = self._limits[key] = EngineLimits(
                max_execution_time=wire["max_execution_time"],
                max_memory_bytes=wire["max_memory_bytes"],
                allowed_modules=frozenset(wire["allowed_packages"]),
                allow_log=allow_log,
            )
        return limits

    def _metrics(
        self, compile_seconds: float, exec_seconds: float, rss_before: int, calls: int
    ) -> MetricsWire:
        """Peak memory of the execution: growth of the resident set, or of the process's
        lifetime peak when this execution raised it (memory can rise and fall between two
        samples; `ru_maxrss` catches that)."""
        used = guard.rss() - rss_before
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if peak > self.peak:
            if self.peak:
                used = max(used, peak * 1024 - rss_before)
            self.peak = peak
        return frames.metrics_wire(compile_seconds, exec_seconds, max(used, 0), calls)

    # -- test probes

    def _run_probe(self, frame: ExecFrame) -> None:
        assert self.probe is not None
        context = ProbeContext(self, frame)
        try:
            value = to_wire(self.probe(context), "probe result")
        except Exception as exc:
            if context.answered:
                return
            detail = f"{type(exc).__name__}: errno {getattr(exc, 'errno', None)}: {exc}"
            raise ScriptError(ErrorType.EXECUTION, detail, script=frame["name"]) from None
        if not context.answered:
            metrics = frames.metrics_wire()
            self.send(frames.result_frame(frame["id"], value, metrics=metrics))


def _capped(lines: Sequence[str], max_lines: int) -> list[str]:
    """At most `max_lines` lines and `MAX_LOG_BYTES` characters, then a note of the rest."""
    kept: list[str] = []
    budget = MAX_LOG_BYTES
    for line in lines:
        if len(kept) >= max_lines or len(line) > budget:
            kept.append(f"[{len(lines) - len(kept)} more log lines dropped]")
            break
        budget -= len(line)
        kept.append(line)
    return kept


def _with_breach(error: ScriptError, breach: str) -> ScriptError:
    """The engine reports our quota interruption as an internal error: say what happened."""
    if not breach:
        return error
    return ScriptError(
        ErrorType.EXECUTION,
        breach,
        module=error.module,
        script=error.script,
        line=error.line,
        column=error.column,
        logs=error.logs,
    )


def not_cached_after(error_type: str) -> bool:
    """Whether a child lacks a script after answering an `exec` with this error type."""
    return error_type in _NOT_CACHED
