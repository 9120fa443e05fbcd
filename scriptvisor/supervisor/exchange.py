"""One execution on a leased child: the frames both ways, the limits the supervisor
enforces from outside, and the output.

The caller's thread drives it: send `exec`, then receive on the child's socket in slices
of `rss_interval` (its receive timeout). Frames:

- `call` -> run the host function (rpc.py) -> `reply`;
- `result` / `error` -> the output; the child goes back to the pool.

Between slices, the limits enforced from outside (the child's own soft limits normally
answer first, and it stays warm):

- the hard deadline (limit + `kill_grace`, checked once per slice; + `COMPILE_GRACE` when
  the source travels) -> SIGKILL, `timeout`;
- resident memory above the execution's start + limit + slack -> SIGKILL, `memory_limit`;
- the child dies -> `security_violation` when seccomp killed it (SIGSYS), else
  `execution` naming how it ended;
- a frame that is malformed, oversize (the socket drops the connection), for another
  request, or breaks the host-call rules -> the child is killed, `security_violation`.

Every dead or killed child is replaced by the pool before it is reaped.
"""

from __future__ import annotations

import itertools
import logging
import os
import select
import signal
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import zmq
from pydantic import BaseModel

from scriptvisor.protocol import frames
from scriptvisor.protocol.errors import ErrorType
from scriptvisor.protocol.frames import (
    PROTOCOL_VERSION,
    ErrorFrame,
    ExecFrame,
    FrameError,
    LimitsWire,
    ResultFrame,
)
from scriptvisor.protocol.models import (
    ErrorInfo,
    ExecutionMetrics,
    PublishedMessage,
    ScriptOutput,
    SecurityLimits,
    trusted,
)
from scriptvisor.sandbox.child import SOURCE_NEEDED, not_cached_after
from scriptvisor.sandbox.confine import EXIT_CONFINEMENT_FAILED
from scriptvisor.supervisor.pool import Pool, Slot, describe
from scriptvisor.supervisor.rpc import HostSession, HostViolation

log = logging.getLogger("scriptvisor.supervisor")
script_log = logging.getLogger("scriptvisor.script")

COMPILE_GRACE = 0.5
"""Extra hard-deadline time when the child must compile first (compiling is not under the
child's soft deadline)."""
COMPILE_MEMORY = 64 * 1024 * 1024
"""Extra resident memory allowed when the child compiles first (a large script's syntax
tree is not the script's own allocation; RLIMIT_AS still bounds it)."""
_ids = itertools.count(1)


@dataclass(slots=True)
class Job:
    """Everything one execution needs; built by the engine."""

    module: str
    name: str
    language: str
    checksum: str
    source: str
    input: dict[str, Any]
    limits: SecurityLimits
    limits_wire: LimitsWire
    host: HostSession
    compile_only: bool = False
    """Validate (compile and cache) without running: a `compile` frame."""
    modules: dict[str, str] | None = None
    """What the script may import (`{"shared/utils": source}`); sent with the source."""


def run(pool: Pool, slot: Slot, job: Job) -> ScriptOutput:
    """Execute `job` on the leased `slot`; the slot is released or discarded on return."""
    started = time.perf_counter()
    try:
        output = _Exchange(pool, slot, job, started).run()
    except BaseException:
        pool.discard(slot)
        raise
    return output


class _Exchange:
    __slots__ = ("pool", "slot", "job", "started", "request", "sent_source", "hard", "rss_cap")

    def __init__(self, pool: Pool, slot: Slot, job: Job, started: float) -> None:
        self.pool = pool
        self.slot = slot
        self.job = job
        self.started = started
        self.request = 0
        self.sent_source = False
        self.hard = 0.0
        self.rss_cap = 0

    def run(self) -> ScriptOutput:
        sent = self.send(with_source=not self.slot.has(self.job.checksum))
        if sent is not None:
            return sent
        return self.wait()

    # --- sending -------------------------------------------------------------------------

    def send(self, with_source: bool) -> ScriptOutput | None:
        job, config = self.job, self.pool.config
        self.request = next(_ids)
        self.sent_source = with_source
        if job.compile_only:
            return self.send_compile()
        frame = ExecFrame(
            v=PROTOCOL_VERSION,
            t="exec",
            id=self.request,
            module=job.module,
            name=job.name,
            language=job.language,
            checksum=job.checksum,
            input=job.input,
            limits=job.limits_wire,
            functions=job.host.names,
        )
        if with_source:
            frame["source"] = job.source
            if job.modules:
                frame["modules"] = job.modules
        try:
            data = frames.encode(frame, check=False, max_size=config.max_frame_bytes)
        except FrameError as exc:
            self.pool.release(self.slot)
            return self.failure(ErrorType.EXECUTION, f"the request cannot be sent: {exc}")
        limits = job.limits
        self.rss_cap = self.slot.rss() + limits.max_memory_bytes + _rss_slack(limits)
        budget = limits.max_execution_time + config.kill_grace
        if with_source:
            budget += COMPILE_GRACE
            self.rss_cap += COMPILE_MEMORY
        self.hard = time.monotonic() + budget
        return self.transmit(data)

    def send_compile(self) -> ScriptOutput | None:
        job = self.job
        self.request = next(_ids)
        self.sent_source = True
        frame = frames.compile_frame(
            self.request, module=job.module, name=job.name, language=job.language,
            checksum=job.checksum, source=job.source, modules=job.modules,
        )
        try:
            data = frames.encode(frame, check=False, max_size=self.pool.config.max_frame_bytes)
        except FrameError as exc:
            self.pool.release(self.slot)
            return self.failure(ErrorType.COMPILATION, f"the source cannot be sent: {exc}")
        self.rss_cap = self.slot.rss() + COMPILE_MEMORY + _rss_slack(job.limits)
        self.hard = time.monotonic() + job.limits.max_execution_time + COMPILE_GRACE
        return self.transmit(data)

    def transmit(self, data: bytes) -> ScriptOutput | None:
        """Send without ever blocking: a PAIR socket with no peer would wait forever."""
        try:
            self.slot.socket.send(data, zmq.NOBLOCK)
        except zmq.Again:
            if not _still_alive(self.slot, self.pool.config.kill_grace):
                return self.died()  # killed from outside: its death is still on the way
            return self.violation("it is not connected")
        return None

    # --- waiting -------------------------------------------------------------------------

    def wait(self) -> ScriptOutput:
        sock = self.slot.socket  # RCVTIMEO is the pool's rss_interval
        while True:
            try:
                data = sock.recv()
            except zmq.Again:
                output = self.between_frames()
            else:
                output = self.on_frame(data)
            if output is not None:
                return output

    def between_frames(self) -> ScriptOutput | None:
        """No frame for one interval: check the deadline, memory, death, disconnection."""
        slot = self.slot
        if time.monotonic() >= self.hard:
            return self.kill(ErrorType.TIMEOUT, self.timeout_message())
        if self.rss_cap and slot.rss() > self.rss_cap:
            return self.kill(ErrorType.MEMORY_LIMIT, self.memory_message())
        if not slot.alive():
            return self.died()
        if not slot.connected():
            # a dying child closes its sockets before its pidfd turns readable: give the
            # death a moment to show, so a seccomp kill is not reported as a dropped frame
            if not _still_alive(slot, self.pool.config.kill_grace):
                return self.died()
            return self.violation("it dropped the connection (an oversize frame?)")
        return None

    def on_frame(self, data: bytes) -> ScriptOutput | None:
        config = self.pool.config
        try:
            frame = frames.decode(data, from_child=True, max_size=config.max_frame_bytes)
        except FrameError as exc:
            return self.violation(str(exc))
        if frame["id"] != self.request:
            return self.violation(f"a {frame['t']!r} frame for unknown request {frame['id']}")
        if frame["t"] == "call":
            try:
                reply = self.job.host.handle(frame, len(data))
            except HostViolation as exc:
                return self.violation(str(exc))
            return self.transmit(frames.encode(reply, check=False, max_size=config.max_frame_bytes))
        if frame["t"] == "result":
            return self.succeeded(frame)
        if frame["t"] == "error":
            return self.failed(frame)
        return self.violation(f"an unexpected {frame['t']!r} frame during a request")

    # --- outcomes ------------------------------------------------------------------------

    def succeeded(self, frame: ResultFrame) -> ScriptOutput:
        self.slot.remember(self.job.checksum)
        self.pool.release(self.slot)
        wire, logs = frame["metrics"], frame["logs"]
        metrics = trusted(
            ExecutionMetrics,
            compilation_time=wire["compilation_time"],
            execution_time=wire["execution_time"],
            memory_used=wire["memory_used"],
            host_calls=self.job.host.calls,
            success=True,
            error_type=None,
        )
        if logs:
            self.log_lines(logs)
        return trusted(
            ScriptOutput,
            result=frame["value"],
            logs=tuple(logs),
            published=tuple(self.job.host.published),
            metrics=metrics,
            error=None,
        )

    def failed(self, frame: ErrorFrame) -> ScriptOutput | None:
        kind = frame["type"]
        if kind == "not_found" and frame["message"] == SOURCE_NEEDED:
            if self.sent_source:
                return self.violation("it asked for a source it was sent")
            self.slot.forget(self.job.checksum)  # the mirror was wrong: send it again
            return self.send(with_source=True)
        if not_cached_after(kind):
            self.slot.forget(self.job.checksum)
        else:
            self.slot.remember(self.job.checksum)
        if kind != "memory_limit" or not self.pool.check_growth(self.slot):
            self.pool.release(self.slot)
        error = ErrorInfo.from_frame(frame)
        logs = frame.get("logs", [])
        if logs:
            self.log_lines(logs)
        wire = frame.get("metrics")
        metrics = trusted(
            ExecutionMetrics,
            compilation_time=wire["compilation_time"] if wire else 0.0,
            execution_time=wire["execution_time"] if wire else self.elapsed(),
            memory_used=wire["memory_used"] if wire else 0,
            host_calls=self.job.host.calls,
            success=False,
            error_type=error.type,
        )
        return trusted(
            ScriptOutput,
            result=None,
            logs=tuple(logs),
            published=tuple(self.job.host.published),
            metrics=metrics,
            error=error,
        )

    def kill(self, kind: ErrorType, message: str) -> ScriptOutput:
        self.pool.discard(self.slot)
        return self.failure(kind, message)

    def violation(self, reason: str) -> ScriptOutput:
        log.warning(
            "scriptvisor: killed child %d running %s/%s: %s",
            self.slot.pid, self.job.module, self.job.name, reason,
        )
        return self.kill(
            ErrorType.SECURITY_VIOLATION,
            f"the sandbox child broke the protocol and was killed: {reason}",
        )

    def died(self) -> ScriptOutput:
        self.pool.discard(self.slot)  # the replacement is requested first
        if self.pool.closed:
            return self.failure(ErrorType.EXECUTION, "the script engine shut down meanwhile")
        status = self.pool.exit_status(self.slot)
        kind, message = classify_death(status)
        log.warning(
            "scriptvisor: child %d died running %s/%s: %s",
            self.slot.pid, self.job.module, self.job.name, describe(status),
        )
        return self.failure(kind, message)

    def failure(self, kind: ErrorType, message: str) -> ScriptOutput:
        error = ErrorInfo(type=kind, message=message, module=self.job.module, script=self.job.name)
        metrics = ExecutionMetrics(
            execution_time=self.elapsed(),
            host_calls=self.job.host.calls,
            success=False,
            error_type=kind,
        )
        return ScriptOutput(published=tuple(self.job.host.published), metrics=metrics, error=error)

    # --- helpers -------------------------------------------------------------------------

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def timeout_message(self) -> str:
        limit = self.job.limits.max_execution_time
        return f"execution time limit of {limit:g}s exceeded (the child was killed)"

    def memory_message(self) -> str:
        limit = self.job.limits.max_memory_bytes
        return f"memory limit of {limit} bytes exceeded (the child was killed)"

    def log_lines(self, lines: Sequence[str]) -> None:
        if script_log.isEnabledFor(logging.INFO):
            extra = {"script_module": self.job.module, "script_name": self.job.name}
            for line in lines:
                script_log.info("%s/%s: %s", self.job.module, self.job.name, line, extra=extra)


def _still_alive(slot: Slot, grace: float) -> bool:
    """Whether `slot`'s child is still alive after waiting up to `grace` for its death."""
    if slot.pidfd < 0:
        return False
    readable, _, _ = select.select([slot.pidfd], [], [], grace)
    return not readable


def _fast_constructible(cls: type[BaseModel]) -> bool:
    return not cls.__pydantic_post_init__ and not cls.__private_attributes__


assert _fast_constructible(ScriptOutput) and _fast_constructible(ExecutionMetrics)
assert _fast_constructible(PublishedMessage)


def _rss_slack(limits: SecurityLimits) -> int:
    """How far past the limit the supervisor lets a child's resident set go before it kills:
    the child's own accounting should answer first (and keep the child warm)."""
    return max(limits.max_memory_bytes // 8, 4 * 1024 * 1024)


def classify_death(status: int | None) -> tuple[ErrorType, str]:
    """The error type and message for a child that died during a request."""
    if status is not None and os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGSYS:
            return (
                ErrorType.SECURITY_VIOLATION,
                "the script attempted an operation the sandbox forbids (killed by seccomp)",
            )
        if sig == signal.SIGXCPU:
            return ErrorType.EXECUTION, "the sandbox child ran out of its CPU-time allowance"
        return ErrorType.EXECUTION, f"the sandbox child died ({describe(status)})"
    if status is not None and os.WIFEXITED(status):
        if os.WEXITSTATUS(status) == EXIT_CONFINEMENT_FAILED:
            return ErrorType.EXECUTION, "the sandbox child could not confine itself"
        return ErrorType.EXECUTION, f"the sandbox child exited unexpectedly ({describe(status)})"
    return ErrorType.EXECUTION, "the sandbox child died (exit status unknown)"
