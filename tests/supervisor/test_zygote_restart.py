"""A zygote that dies is replaced and the pool refilled; zygotes that keep dying break the
pool with a clear error instead of a restart loop."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator

import pytest
from supervisor_harness import make_engine, process_exists

from scriptvisor.supervisor.engine import ScriptEngine
from scriptvisor.supervisor.errors import SupervisorUnavailable

pytestmark = pytest.mark.timeout(120)


@pytest.fixture()
def engine() -> Iterator[ScriptEngine]:
    eng = make_engine(spares=1)
    yield eng
    eng.shutdown()


def kill_zygote(engine: ScriptEngine) -> int:
    pid = engine.pool.zygote.pid
    os.kill(pid, signal.SIGKILL)
    return pid


def wait_for(condition: object, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def test_a_dead_zygote_is_restarted_and_the_pool_refilled(engine: ScriptEngine) -> None:
    assert engine.execute_source("result := 1").result == 1
    old = kill_zygote(engine)
    assert wait_for(lambda: engine.pool_stats().zygote_restarts == 1)
    assert engine.pool.zygote.pid != old
    assert engine.pool.wait_ready(timeout=30)
    for i in range(6):  # every child of the new zygote serves
        out = engine.execute_source(f"result := {i} * 2")
        assert out.ok and out.result == i * 2, out
    assert len([s for s in engine.pool.children() if s.member]) == 2


def test_zygotes_that_keep_dying_break_the_pool(engine: ScriptEngine) -> None:
    for restarts in (1, 2):
        kill_zygote(engine)
        assert wait_for(lambda n=restarts: engine.pool_stats().zygote_restarts == n)
    kill_zygote(engine)
    with pytest.raises(SupervisorUnavailable, match="zygotes keep dying"):
        assert wait_for(lambda: bool(engine.pool._broken))
        engine.execute_source("result := 1")


def test_a_stopped_idle_child_is_replaced_before_a_request_meets_it(engine: ScriptEngine) -> None:
    assert engine.pool.wait_ready(timeout=30)
    victim = engine.pool.idle_children()[0]
    os.kill(victim.pid, signal.SIGSTOP)  # from outside: an operator, a debugger, chaos
    try:
        assert wait_for(lambda: victim.pid not in [s.pid for s in engine.pool.children()], 10)
        assert wait_for(lambda: not process_exists(victim.pid))
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim.pid, signal.SIGCONT)
    assert engine.pool.wait_ready(timeout=30)
    for i in range(4):
        out = engine.execute_source(f"result := {i}")
        assert out.ok and out.result == i, out
