"""Running module scripts for the host: limits per module, host-side metrics, and the
bounded queue that message-triggered scripts go through.

Every execution the host makes (HTTP, bus, a module's own) goes through
`ScriptRunner.run`, which applies the module's limits and records the outcome and the
wall-clock duration (queueing included) for `GET /metrics`.

`MessageDispatcher` subscribes each module's message handlers. A matching message is
queued (bounded: when full, the bus drops the oldest for that subscription) and run by a
few workers; a failed run is logged and published on `scripts.error`, and the module's
`on_script_output` sees every run. Nothing a script does stops the dispatcher.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scriptvisor.host.bus import Bus, Subscription
from scriptvisor.host.module import ScriptableModule
from scriptvisor.protocol.errors import ErrorType
from scriptvisor.protocol.models import (
    BusMessage,
    ErrorInfo,
    ExecutionMetrics,
    ExecutionRequest,
    ScriptInput,
    ScriptOutput,
    SecurityLimits,
)
from scriptvisor.supervisor.engine import ScriptEngine
from scriptvisor.supervisor.errors import SupervisorError

log = logging.getLogger("scriptvisor.host")

TOPIC_ERROR = "scripts.error"
BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass
class Histogram:
    """Cumulative-bucket histogram of durations in seconds (Prometheus style)."""

    counts: list[int] = field(default_factory=lambda: [0] * (len(BUCKETS) + 1))
    total: float = 0.0
    count: int = 0

    def observe(self, seconds: float) -> None:
        self.counts[bisect.bisect_left(BUCKETS, seconds)] += 1
        self.total += seconds
        self.count += 1

    def cumulative(self) -> list[tuple[str, int]]:
        """(le, count) pairs, `+Inf` last."""
        out, running = [], 0
        for bound, n in zip((*map(repr, BUCKETS), "+Inf"), self.counts, strict=True):
            running += n
            out.append((bound, running))
        return out


class HostMetrics:
    """Outcomes and durations per (module, script, trigger), thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.outcomes: dict[tuple[str, str, str], int] = {}
        self.durations: dict[tuple[str, str], Histogram] = {}
        self.reloads: dict[str, int] = {}
        self.overloaded = 0
        self.messages_failed = 0

    def record(self, module: str, script: str, outcome: str, seconds: float) -> None:
        with self._lock:
            key = (module, script, outcome)
            self.outcomes[key] = self.outcomes.get(key, 0) + 1
            hist = self.durations.get((module, script))
            if hist is None:
                hist = self.durations[(module, script)] = Histogram()
            hist.observe(seconds)

    def count_reload(self, topic: str) -> None:
        with self._lock:
            self.reloads[topic] = self.reloads.get(topic, 0) + 1

    def snapshot(self) -> tuple[dict[tuple[str, str, str], int],
                                dict[tuple[str, str], Histogram], dict[str, int]]:
        with self._lock:
            hists = {k: Histogram(list(h.counts), h.total, h.count)
                     for k, h in self.durations.items()}
            return dict(self.outcomes), hists, dict(self.reloads)


class ScriptRunner:
    """Executes module scripts with the module's limits; records host metrics."""

    def __init__(
        self,
        engine: ScriptEngine,
        modules: Mapping[str, ScriptableModule],
        metrics: HostMetrics | None = None,
    ) -> None:
        self.engine = engine
        self.modules = dict(modules)
        self.metrics = metrics or HostMetrics()
        self._limits: dict[str, SecurityLimits] = {
            name: module.limits(engine.limits) for name, module in self.modules.items()
        }

    def limits_for(self, module: str) -> SecurityLimits | None:
        """The module's limits (None for a module the host does not know: engine defaults)."""
        return self._limits.get(module)

    async def run(
        self, module: str, script: str, script_input: ScriptInput | None = None
    ) -> ScriptOutput:
        """Run `module/script`; script failures come back in the output's `error`.
        Raises `SupervisorError` (e.g. `Overloaded`) for the host's own conditions."""
        request = ExecutionRequest(
            module_name=module,
            script_name=script,
            input=script_input or ScriptInput(),
            security_limits=self.limits_for(module),
        )
        started = time.perf_counter()
        try:
            output = await self.engine.execute_async(request)
        except SupervisorError:
            self.metrics.record(module, script, "overloaded", time.perf_counter() - started)
            raise
        outcome = "success" if output.error is None else output.error.type.value
        self.metrics.record(module, script, outcome, time.perf_counter() - started)
        return output


@dataclass(frozen=True)
class _Job:
    module: ScriptableModule
    script: str
    message: BusMessage


class MessageDispatcher:
    """Runs modules' message-handler scripts from a bounded queue (see the module doc)."""

    def __init__(
        self, runner: ScriptRunner, bus: Bus, *, queue_size: int = 256, workers: int = 2
    ) -> None:
        self.runner = runner
        self.bus = bus
        self.queue: asyncio.Queue[_Job] = asyncio.Queue(maxsize=queue_size)
        self.workers = max(1, workers)
        self._tasks: list[asyncio.Task[None]] = []
        self._subs: list[Subscription] = []

    async def start(self) -> None:
        for module in self.runner.modules.values():
            for pattern, script in module.script_config().message_handlers.items():
                self._subs.append(self.bus.subscribe(pattern, self._enqueuer(module, script)))
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._work()) for _ in range(self.workers)]

    async def stop(self) -> None:
        for sub in self._subs:
            sub.cancel()
        self._subs = []
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    def _enqueuer(self, module: ScriptableModule, script: str) -> Any:
        async def enqueue(message: BusMessage) -> None:
            await self.queue.put(_Job(module, script, message))

        return enqueue

    async def _work(self) -> None:
        while True:
            job = await self.queue.get()
            try:
                await self._run(job)
            except asyncio.CancelledError:
                raise
            except Exception:  # the module's hook failed: log it, keep serving
                log.exception("handling %s with %s/%s failed", job.message.topic,
                              job.module.name, job.script)

    async def _run(self, job: _Job) -> None:
        module, script, message = job.module, job.script, job.message
        try:
            context = module.message_context(script, message)
            output = await self.runner.run(
                module.name, script, ScriptInput(context=context, message=message)
            )
        except SupervisorError as exc:
            output = _host_failure(module.name, script, str(exc))
        if output.error is not None:
            self.runner.metrics.messages_failed += 1
            log.warning("script %s/%s failed on %s (%s): %s", module.name, script,
                        message.topic, output.error.type.value, output.error.message)
            self.bus.publish(TOPIC_ERROR, {
                "module": module.name,
                "script": script,
                "topic": message.topic,
                "message_id": message.id,
                "error": error_json(output.error),
                "logs": list(output.logs),
            })
        await module.on_script_output(script, message, output)


def _host_failure(module: str, script: str, why: str) -> ScriptOutput:
    error = ErrorInfo(type=ErrorType.EXECUTION, message=f"not run: {why}", module=module,
                      script=script)
    return ScriptOutput(metrics=ExecutionMetrics(success=False, error_type=error.type),
                        error=error)


def error_json(error: ErrorInfo) -> dict[str, Any]:
    """An error as the host's JSON shows it."""
    return {
        "type": error.type.value,
        "message": error.message,
        "module": error.module,
        "script": error.script,
        "line": error.line,
        "column": error.column,
    }
