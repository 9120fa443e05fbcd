"""Generated programs through the real supervisor: each execution ends in a result or a
typed error, no generated program crashes its confined child (a crash or a seccomp kill
would be an engine bug), and the supervisor stays healthy throughout."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fuzz_programs import (
    FUZZ_TIMEOUT,
    budget,
    tengo_programs,
    zygomys_programs,
)
from hypothesis import given
from hypothesis import strategies as st

from scriptvisor.protocol.errors import ErrorType
from scriptvisor.protocol.models import SecurityLimits
from scriptvisor.supervisor.engine import ScriptEngine
from scriptvisor.supervisor.pool import PoolConfig

pytestmark = pytest.mark.timeout(FUZZ_TIMEOUT)

LIMITS = SecurityLimits(max_execution_time=0.2, max_memory_bytes=8 * 1024 * 1024)
CRASHES = ("sandbox child died", "killed by seccomp", "broke the protocol",
           "could not confine", "exited unexpectedly")
@pytest.fixture(scope="module")
def engine() -> Iterator[ScriptEngine]:
    eng = ScriptEngine(pool=PoolConfig(size=2), limits=LIMITS)
    yield eng
    eng.shutdown()


@budget(400, most=5000)
@given(st.one_of(tengo_programs().map(lambda s: ("tengo", s)),
                 zygomys_programs().map(lambda s: ("zygomys", s))))
def test_generated_programs_never_crash_a_child(engine: ScriptEngine,
                                                program: tuple[str, str]) -> None:
    language, source = program
    out = engine.execute_source(source, language, input={"a": 3, "b": [1, 2], "x": "s"})
    if out.error is None:
        return
    assert isinstance(out.error.type, ErrorType) and out.error.message
    assert not any(c in out.error.message for c in CRASHES), (out.error, language, source)


def test_supervisor_is_healthy_after_the_fuzz(engine: ScriptEngine) -> None:
    pool = engine.pool
    assert pool.wait_ready(timeout=10)
    assert engine.execute_source("result := a * 2", input={"a": 21}).result == 42
    assert engine.execute_source("(def result (* a 2))", "zygomys", input={"a": 21}).result == 42
    assert engine.pool_stats().start_failures == 0


def test_former_compiler_crashes_answer_without_losing_a_child(engine: ScriptEngine) -> None:
    # duplicate parameters used to raise SyntaxError out of compile() in the child (exit
    # 122); upstream binds them (the first occurrence wins), `(for)` is a compile error
    out = engine.execute_source("(defn f [a a] a) (def result (f 1 2))", "zygomys")
    assert out.error is None and out.result == 1, out.error
    out = engine.execute_source("(for)", "zygomys")
    assert out.error is not None and out.error.type is ErrorType.COMPILATION, out.error
    assert "malformed for loop" in out.error.message
    assert engine.pool_stats().start_failures == 0
