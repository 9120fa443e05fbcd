"""Aggregate counters per module and script, fed by every execution's `ExecutionMetrics`."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from scriptvisor.protocol.models import ExecutionMetrics


@dataclass
class ScriptStats:
    """Totals for one script since the engine started (times in seconds, memory in bytes)."""

    executions: int = 0
    successes: int = 0
    failures: dict[str, int] = field(default_factory=dict)  # by error type
    compilation_time: float = 0.0
    execution_time: float = 0.0
    max_execution_time: float = 0.0
    max_memory_used: int = 0
    host_calls: int = 0

    def add(self, m: ExecutionMetrics) -> None:
        self.executions += 1
        if m.success:
            self.successes += 1
        elif m.error_type is not None:
            kind = m.error_type.value
            self.failures[kind] = self.failures.get(kind, 0) + 1
        self.compilation_time += m.compilation_time
        self.execution_time += m.execution_time
        if m.execution_time > self.max_execution_time:
            self.max_execution_time = m.execution_time
        if m.memory_used > self.max_memory_used:
            self.max_memory_used = m.memory_used
        self.host_calls += m.host_calls

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["mean_execution_time"] = self.execution_time / self.executions if self.executions else 0.0
        return out


class MetricsRegistry:
    """Thread-safe per-(module, script) totals."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stats: dict[tuple[str, str], ScriptStats] = {}

    def record(self, module: str, script: str, metrics: ExecutionMetrics) -> None:
        key = (module, script)
        with self._lock:
            stats = self._stats.get(key)
            if stats is None:
                stats = self._stats[key] = ScriptStats()
            stats.add(metrics)

    def snapshot(self) -> dict[str, dict[str, dict[str, Any]]]:
        """`{module: {script: totals}}`, a copy."""
        out: dict[str, dict[str, dict[str, Any]]] = {}
        with self._lock:
            for (module, script), stats in self._stats.items():
                out.setdefault(module, {})[script] = stats.as_dict()
        return out
