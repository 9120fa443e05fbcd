"""Time, memory, deaths and hostile frames: typed outcomes, replacement, a healthy pool.

These are real-time tests (deadlines of 50-300 ms); each waits on the pool's own
condition for the replacement, never by sleeping.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable

import pytest
from supervisor_harness import run_probe

from scriptvisor.protocol.errors import ErrorType
from scriptvisor.protocol.models import ScriptOutput, SecurityLimits
from scriptvisor.supervisor.engine import ScriptEngine

pytestmark = pytest.mark.timeout(60)
Healthy = Callable[[], None]


def pids(engine: ScriptEngine) -> set[int]:
    return {s.pid for s in engine.pool.children() if s.pid}


def test_soft_timeout_keeps_the_child_warm(engine: ScriptEngine, healthy: Healthy) -> None:
    healthy()
    before = pids(engine)
    out = engine.execute_source("for {}", limits=SecurityLimits(max_execution_time=0.1))
    assert out.error is not None and out.error.type is ErrorType.TIMEOUT, out
    assert out.error.line == 1
    assert 0.09 <= out.metrics.execution_time < 1.0
    assert pids(engine) == before  # answered by the child itself: nobody was killed


def test_hard_deadline_kills_and_replaces(engine: ScriptEngine, healthy: Healthy) -> None:
    healthy()
    stats = engine.pool_stats()
    killed = stats.killed
    # Compiling is not under the child's soft deadline: a huge script takes seconds.
    # (40,000 lines compile in ~2 s, well past the 0.5 s compile grace of the hard kill.)
    big = "\n".join(f"v{i} := {i}" for i in range(40_000))
    out = engine.execute_source(big, limits=SecurityLimits(max_execution_time=0.05))
    assert out.error is not None and out.error.type is ErrorType.TIMEOUT, out
    assert "killed" in out.error.message
    assert engine.pool_stats().killed == killed + 1
    healthy()  # replaced, and the next request works


def test_hard_deadline_stops_a_child_deaf_to_its_own_deadline(engine: ScriptEngine) -> None:
    out = run_probe(engine, "spin_forever", limits=SecurityLimits(max_execution_time=0.2))
    assert out.error is not None and out.error.type is ErrorType.TIMEOUT, out
    assert 0.2 <= out.metrics.execution_time < 0.5


def test_memory_bomb_is_memory_limit(engine: ScriptEngine, healthy: Healthy) -> None:
    out = engine.execute_source('a := []\nfor { a = append(a, "0123456789abcdef") }')
    assert out.error is not None and out.error.type is ErrorType.MEMORY_LIMIT, out
    out = engine.execute_source('s := "ab"\nfor { s = s + s }')
    assert out.error is not None and out.error.type is ErrorType.MEMORY_LIMIT, out


def test_supervisor_rss_watch_kills_what_the_child_misses(engine: ScriptEngine) -> None:
    limits = SecurityLimits(max_memory_bytes=8 * 1024 * 1024, max_execution_time=5.0)
    out = run_probe(engine, "grow_forever", limits=limits)
    assert out.error is not None and out.error.type is ErrorType.MEMORY_LIMIT, out
    assert "killed" in out.error.message


def test_sigkill_mid_request_is_typed_and_replaced(engine: ScriptEngine, healthy: Healthy) -> None:
    healthy()
    started = threading.Event()
    result: list[ScriptOutput] = []

    def mark() -> bool:
        started.set()
        return True

    def run() -> None:
        result.append(
            engine.execute_source(
                "started()\nfor {}",
                functions={"started": mark},
                limits=SecurityLimits(exposed_functions=("started",), max_execution_time=20),
            )
        )

    thread = threading.Thread(target=run)
    thread.start()
    assert started.wait(10)
    busy = [s for s in engine.pool.children() if s.state.value == "busy"]
    assert len(busy) == 1
    os.kill(busy[0].pid, signal.SIGKILL)
    thread.join(10)
    out = result[0]
    assert out.error is not None and out.error.type is ErrorType.EXECUTION, out
    assert "SIGKILL" in out.error.message
    healthy()


def test_seccomp_kill_is_a_security_violation(engine: ScriptEngine, healthy: Healthy) -> None:
    out = run_probe(engine, "fork")
    assert out.error is not None and out.error.type is ErrorType.SECURITY_VIOLATION, out
    assert "seccomp" in out.error.message


@pytest.mark.parametrize("probe", ["send_garbage", "send_wrong_id"])
def test_malformed_frame_kills_the_child(
    engine: ScriptEngine, healthy: Healthy, probe: str
) -> None:
    out = run_probe(engine, probe)
    assert out.error is not None and out.error.type is ErrorType.SECURITY_VIOLATION, out
    assert "protocol" in out.error.message


def test_well_formed_frame_from_the_same_hook_is_accepted(engine: ScriptEngine) -> None:
    out = run_probe(engine, "send_valid_result")  # the control: the hook itself works
    assert out.ok and out.result == "forged but well-formed", out
