"""Leasing, backpressure, replacement, recycling, startup failure and shutdown."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from supervisor_harness import make_engine, process_exists

from scriptvisor.protocol.models import ScriptOutput, SecurityLimits
from scriptvisor.sandbox import DEFAULT
from scriptvisor.sandbox.policy import Rlimits
from scriptvisor.supervisor import EngineClosed, Overloaded, SupervisorUnavailable
from scriptvisor.supervisor.engine import ScriptEngine
from scriptvisor.supervisor.pool import PoolConfig

pytestmark = pytest.mark.timeout(60)
HOLD = SecurityLimits(exposed_functions=("hold",), max_execution_time=30)


class Gate:
    """A host function that holds its child until released."""

    def __init__(self) -> None:
        self.entered = threading.Semaphore(0)
        self.release = threading.Event()

    def hold(self) -> bool:
        self.entered.release()
        return self.release.wait(30)


def occupy(engine: ScriptEngine, gate: Gate, results: list[Any]) -> threading.Thread:
    def run() -> None:
        try:
            results.append(
                engine.execute_source("result := hold()", functions={"hold": gate.hold}, limits=HOLD)
            )
        except Exception as exc:
            results.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_full_queue_is_a_typed_error_not_a_wait() -> None:
    engine = make_engine(size=1, max_queue=1)
    gate, results = Gate(), list[Any]()
    try:
        first = occupy(engine, gate, results)
        assert gate.entered.acquire(timeout=10)  # the only child is busy
        second = occupy(engine, gate, results)
        assert engine.pool.wait_until(lambda: engine.pool.waiting == 1, 10)
        with pytest.raises(Overloaded):
            engine.execute_source("result := 1")
        assert engine.pool_stats().rejected == 1
        gate.release.set()
        first.join(10)
        second.join(10)
        assert [r.result for r in results] == [True, True], results
    finally:
        gate.release.set()
        engine.shutdown()


def test_queue_wait_is_bounded_in_time() -> None:
    engine = make_engine(size=1, max_queue=4, queue_timeout=0.2)
    gate, results = Gate(), list[Any]()
    try:
        first = occupy(engine, gate, results)
        assert gate.entered.acquire(timeout=10)
        with pytest.raises(Overloaded, match="within 0.2s"):
            engine.execute_source("result := 1")
        gate.release.set()
        first.join(10)
    finally:
        gate.release.set()
        engine.shutdown()


def test_async_backpressure() -> None:
    engine = make_engine(size=1, max_queue=0)
    gate, results = Gate(), list[Any]()

    async def main() -> list[Any]:
        busy = asyncio.ensure_future(
            engine.execute_source_async(
                "result := hold()", functions={"hold": gate.hold}, limits=HOLD
            )
        )
        await asyncio.get_running_loop().run_in_executor(None, gate.entered.acquire)
        with pytest.raises(Overloaded):
            await engine.execute_source_async("result := 1")
        gate.release.set()
        return [await busy]

    try:
        results = asyncio.run(main())
        assert isinstance(results[0], ScriptOutput) and results[0].result is True
    finally:
        gate.release.set()
        engine.shutdown()


def test_a_killed_idle_child_is_replaced(engine: ScriptEngine) -> None:
    assert engine.pool.wait_ready(timeout=10)
    victim = engine.pool.idle_children()[0]
    os.kill(victim.pid, signal.SIGKILL)
    assert engine.pool.wait_until(
        lambda: victim.pid not in {s.pid for s in engine.pool.idle_children()}
        and len(engine.pool.idle_children()) == engine.config.size,
        10,
    )
    assert engine.execute_source("result := 5").result == 5


def test_children_are_recycled_after_max_executions() -> None:
    engine = make_engine(size=1, max_executions=3)
    try:
        first = engine.pool.idle_children()[0].pid
        for n in range(3):
            assert engine.execute_source(f"result := {n}").result == n
        assert engine.pool.wait_ready(timeout=10)
        assert engine.pool.idle_children()[0].pid != first
        assert engine.execute_source("result := 9").result == 9
    finally:
        engine.shutdown()


def test_children_that_cannot_confine_fail_the_start_fast() -> None:
    broken = replace(DEFAULT, rlimits=Rlimits(address_space=1 << 20))  # below any interpreter
    with pytest.raises(SupervisorUnavailable, match="exit status 121"):
        ScriptEngine(pool=PoolConfig(size=1, policy=broken, max_start_failures=2))


def test_shutdown_leaves_no_processes_and_no_sockets() -> None:
    engine = make_engine(size=2)
    gate, results = Gate(), list[Any]()
    busy = occupy(engine, gate, results)
    assert gate.entered.acquire(timeout=10)
    pids = [s.pid for s in engine.pool.children()] + [engine._zygote.pid]
    directory = Path(engine._directory)
    assert all(process_exists(pid) for pid in pids)
    engine.shutdown(timeout=0.2)  # the busy one is killed after the timeout
    gate.release.set()
    busy.join(10)
    assert results[0].error is not None and "shut down" in results[0].error.message
    assert not any(process_exists(pid) for pid in pids), pids
    assert not directory.exists()
    with pytest.raises(EngineClosed):
        engine.execute_source("result := 1")
    engine.shutdown()  # idempotent


def test_a_dead_child_is_replaced_by_a_spare_at_once() -> None:
    engine = make_engine(size=1, spares=1)
    try:
        assert engine.pool.wait_until(lambda: engine.pool.spares_serving == 1, 10)
        spare = next(s for s in engine.pool.children() if s.kind.value == "spare")
        slot = engine.pool.lease()
        engine.pool.discard(slot)  # the spare takes its place before the kill
        assert [s.pid for s in engine.pool.idle_children()] == [spare.pid]
        assert engine.execute_source("result := 3").result == 3
        assert engine.pool.wait_until(lambda: engine.pool.spares_serving == 1, 10)
    finally:
        engine.shutdown()


def test_losing_the_zygote_is_not_a_hang() -> None:
    """The request waits for the restarted zygote's child (test_zygote_restart.py has the
    restart itself, and the typed error when zygotes keep dying)."""
    engine = make_engine(size=1, spares=0, queue_timeout=30)
    try:
        os.kill(engine._zygote.pid, signal.SIGKILL)  # its children die with it (PDEATHSIG)
        outs = [engine.execute_source(f"result := {i}") for i in range(3)]
        # the one child of the dead zygote may still answer, or be met dying by one request
        # (a typed error); after that every request is served by the new zygote's child
        failed = [o for o in outs if not o.ok]
        assert len(failed) <= 1 and all(o.error is not None for o in failed), outs
        assert outs[-1].ok and outs[-1].result == 2, outs
    finally:
        engine.shutdown()


def test_doctor_command_reports_every_layer() -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "scriptvisor.cli", "doctor"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for layer in ("seccomp", "landlock", "user_namespace", "rlimits"):
        assert layer in proc.stdout
    assert "all confinement layers are active" in proc.stdout
