"""Executing scripts through the supervisor: outputs, errors, caching, concurrency."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import pytest

from scriptvisor.protocol.errors import ErrorType, ScriptError
from scriptvisor.protocol.models import (
    BusMessage,
    ExecutionMetrics,
    ExecutionRequest,
    Script,
    ScriptInput,
    ScriptOutput,
    trusted,
)
from scriptvisor.supervisor.engine import ScriptEngine

pytestmark = pytest.mark.timeout(60)


def request(script: str, **context: object) -> ExecutionRequest:
    return ExecutionRequest(
        module_name="demo", script_name=script, input=ScriptInput(context=dict(context))
    )


def test_trivial_execute(engine: ScriptEngine) -> None:
    out = engine.execute(request("add", a=40, b=2))
    assert out.ok and out.result == 42
    assert out.metrics.success and out.metrics.error_type is None
    assert out.metrics.execution_time > 0


def test_logs_come_back(engine: ScriptEngine) -> None:
    out = engine.execute(request("greet", name="ada"))
    assert out.result == "hi ada" and out.logs == ("hello ada",)


def test_unknown_script_is_not_found(engine: ScriptEngine) -> None:
    out = engine.execute(request("nope"))
    assert out.error is not None and out.error.type is ErrorType.NOT_FOUND
    assert out.error.module == "demo" and out.error.script == "nope"
    with pytest.raises(ScriptError) as info:
        out.raise_for_error()
    assert info.value.type is ErrorType.NOT_FOUND


def test_message_variables_are_bound(engine: ScriptEngine) -> None:
    message = BusMessage(topic="units.moved", user_id="u1", payload='{"x": 3}')
    out = engine.execute_source(
        "result := [message.payload.x, message_topic, topic, module, message_user_id]",
        module="wargame",
        input=ScriptInput(message=message).variables("wargame"),
    )
    assert out.result == [3, "units.moved", "units.moved", "wargame", "u1"], out


def test_syntax_error_has_a_position(engine: ScriptEngine) -> None:
    out = engine.execute_source("a := \nresult := (", name="broken")
    assert out.error is not None and out.error.type is ErrorType.INVALID_SYNTAX
    assert out.error.script == "broken" and out.error.line is not None


def test_runtime_error_keeps_the_logs_before_it(engine: ScriptEngine) -> None:
    out = engine.execute_source('log("before")\nx := 1\nresult := x / 0', name="div")
    assert out.error is not None and out.error.type is ErrorType.EXECUTION
    assert out.error.line == 3 and out.logs == ("before",)
    assert out.metrics.success is False and out.metrics.error_type is ErrorType.EXECUTION


def test_bad_input_is_an_execution_error(engine: ScriptEngine) -> None:
    out = engine.execute_source("result := 1", input={"s": {1, 2}})
    assert out.error is not None and out.error.type is ErrorType.EXECUTION
    assert "set" in out.error.message


def test_children_compile_once_per_checksum(engine: ScriptEngine) -> None:
    source = "result := n * 3  // compile-once"
    outs = [engine.execute_source(source, input={"n": n}) for n in range(6)]
    assert [o.result for o in outs] == [n * 3 for n in range(6)]
    compiled = [o for o in outs if o.metrics.compilation_time > 0]
    assert 1 <= len(compiled) <= engine.config.size  # at most once per child


def test_a_child_that_lost_a_script_asks_for_it(engine: ScriptEngine) -> None:
    fresh = "result := 8  // never compiled"
    for slot in engine.pool.idle_children():  # the supervisor's mirror now lies
        slot.remember(Script.checksum_of(fresh, "tengo"))
    out = engine.execute_source(fresh)
    assert out.ok and out.result == 8, out
    assert out.metrics.compilation_time > 0  # sent again with the source, compiled


def test_many_concurrent_requests(engine: ScriptEngine) -> None:
    results: dict[int, ScriptOutput] = {}

    def worker(base: int) -> None:
        for n in range(base, base + 50):
            results[n] = engine.execute(request("add", a=n, b=1))

    threads = [threading.Thread(target=worker, args=(i * 50,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 300
    assert all(results[n].result == n + 1 for n in results), "a reply went to the wrong caller"


def test_execute_async(engine: ScriptEngine) -> None:
    async def main() -> list[ScriptOutput]:
        return await asyncio.gather(
            *(engine.execute_async(request("add", a=n, b=n)) for n in range(40))
        )

    outs = asyncio.run(main())
    assert [o.result for o in outs] == [2 * n for n in range(40)]


def test_metrics_aggregate_per_module_and_script(engine: ScriptEngine) -> None:
    for n in range(3):
        engine.execute(request("add", a=n, b=0))
    engine.execute_source("result := 1 / 0", module="stats", name="fails")
    stats = engine.metrics()
    add = stats["demo"]["add"]
    assert add["executions"] >= 3 and add["successes"] >= 3
    fails = stats["stats"]["fails"]
    assert fails["executions"] == 1 and fails["failures"] == {"execution": 1}
    assert fails["mean_execution_time"] >= 0


def test_fast_models_equal_validated_ones() -> None:
    metrics = trusted(
        ExecutionMetrics, compilation_time=0.5, execution_time=1.0, memory_used=3,
        host_calls=2, success=True, error_type=None,
    )
    assert metrics == ExecutionMetrics(
        compilation_time=0.5, execution_time=1.0, memory_used=3, host_calls=2
    )
    out = trusted(
        ScriptOutput, result=[1], logs=("a",), published=(), metrics=metrics, error=None
    )
    assert out == ScriptOutput(result=[1], logs=("a",), metrics=metrics)
    assert out.model_dump()["result"] == [1]


def test_every_child_is_confined(engine: ScriptEngine, healthy: Callable[[], None]) -> None:
    assert all(s.state.value == "active" for s in engine.confinement), engine.confinement
    for slot in engine.pool.idle_children():
        with open(f"/proc/{slot.pid}/status") as f:
            status = dict(line.split(":\t", 1) for line in f.read().splitlines() if ":\t" in line)
        assert status["Seccomp"].strip() == "2" and status["NoNewPrivs"].strip() == "1"
        assert "0" not in status["Uid"].split()


def test_validate_compiles_without_running(engine: ScriptEngine) -> None:
    good = engine.validate('log("never runs")\nresult := 1', name="good")
    assert good.ok and good.result is None and good.logs == (), good
    bad = engine.validate("result := (", name="bad")
    assert bad.error is not None and bad.error.type is ErrorType.INVALID_SYNTAX
    assert bad.error.script == "bad"
