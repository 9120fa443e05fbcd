"""Host functions: round trips, error values, allowlists, quotas, publish, time."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from scriptvisor.protocol.errors import ErrorType
from scriptvisor.protocol.models import ExecutionRequest, SecurityLimits
from scriptvisor.supervisor.engine import ScriptEngine

pytestmark = pytest.mark.timeout(60)


def exposing(*names: str, **limits: Any) -> SecurityLimits:
    return SecurityLimits(exposed_functions=("log", "publish", *names), **limits)


def test_round_trip_through_the_value_mapping(engine: ScriptEngine) -> None:
    seen: list[Any] = []

    def combine(a: Any, b: Any) -> Any:
        seen.append((a, b))
        return {"sum": a["x"] + b[0], "raw": bytes(b[1], "ascii"), "none": None}

    out = engine.execute_source(
        'r := combine({x: 40}, [2, "hi"])\nresult := [r.sum, r.raw, is_undefined(r.none)]',
        functions={"combine": combine},
        limits=exposing("combine"),
    )
    assert out.ok, out
    assert out.result == [42, b"hi", True]
    assert seen == [({"x": 40}, [2, "hi"])]
    assert out.metrics.host_calls == 1


def test_a_raising_host_function_gives_an_error_value(engine: ScriptEngine) -> None:
    def boom() -> None:
        raise RuntimeError("bad things")

    out = engine.execute_source(
        "r := boom()\nresult := [is_error(r), r.value]",
        functions={"boom": boom},
        limits=exposing("boom"),
    )
    assert out.ok, out
    assert out.result == [True, "boom: bad things"]


def test_an_unmappable_host_result_is_an_error_value(engine: ScriptEngine) -> None:
    out = engine.execute_source(
        "result := is_error(odd())", functions={"odd": lambda: {1, 2}}, limits=exposing("odd")
    )
    assert out.ok and out.result is True, out


def test_functions_not_allowlisted_do_not_exist(engine: ScriptEngine) -> None:
    out = engine.execute_source(
        "result := secret()", functions={"secret": lambda: 1}, limits=SecurityLimits()
    )
    assert out.error is not None and out.error.type is ErrorType.COMPILATION, out
    assert "secret" in out.error.message


def test_module_functions_come_from_the_engine(engine: ScriptEngine) -> None:
    engine._functions["demo"] = {"triple": lambda n: n * 3}  # what ScriptEngine(functions=) sets
    try:
        from scriptvisor.protocol.models import ScriptInput

        request = ExecutionRequest(
            module_name="demo",
            script_name="add",
            input=ScriptInput(context={"a": 1, "b": 2}),
            security_limits=exposing("triple"),
        )
        assert engine.execute(request).result == 3
    finally:
        del engine._functions["demo"]


def test_call_quota_ends_the_execution(engine: ScriptEngine, healthy: Any) -> None:
    out = engine.execute_source(
        "for i := 0; i < 100; i++ { ping() }",
        functions={"ping": lambda: True},
        limits=exposing("ping", max_host_calls=5),
    )
    assert out.error is not None and out.error.type is ErrorType.EXECUTION, out
    assert "quota" in out.error.message and "5 calls" in out.error.message
    assert out.metrics.host_calls == 5


def test_payload_quota_on_arguments(engine: ScriptEngine) -> None:
    out = engine.execute_source(
        'text := import("text")\nsink(text.repeat("x", 5000))',
        functions={"sink": lambda s: None},
        limits=exposing("sink", max_host_payload_bytes=1000),
    )
    assert out.error is not None and out.error.type is ErrorType.EXECUTION, out
    assert "payload quota" in out.error.message


def test_payload_quota_on_results(engine: ScriptEngine) -> None:
    out = engine.execute_source(
        "r := big()\nresult := [is_error(r), r.value]",
        functions={"big": lambda: "y" * 5000},
        limits=exposing("big", max_host_payload_bytes=1000),
    )
    assert out.ok, out
    assert out.result[0] is True and "larger than 1000 bytes" in out.result[1]


def test_publish_is_collected_and_delivered(engine: ScriptEngine) -> None:
    delivered: list[tuple[str, Any]] = []

    class Bus:
        def publish(self, topic: str, payload: Any) -> None:
            delivered.append((topic, payload))

    engine._publisher = Bus()
    try:
        out = engine.execute_source(
            'publish("units.hit", {damage: 3})\nr := publish(7)\nresult := is_error(r)'
        )
    finally:
        engine._publisher = None
    assert out.ok and out.result is True, out
    assert [(p.topic, p.payload) for p in out.published] == [("units.hit", {"damage": 3})]
    assert delivered == [("units.hit", {"damage": 3})]


def test_publish_can_be_withheld(engine: ScriptEngine) -> None:
    out = engine.execute_source('publish("x", 1)', limits=SecurityLimits(exposed_functions=()))
    assert out.error is not None and out.error.type is ErrorType.COMPILATION, out


def test_log_lines_are_capped(engine: ScriptEngine) -> None:
    out = engine.execute_source(
        "for i := 0; i < 50; i++ { log(i) }", limits=SecurityLimits(max_log_lines=10)
    )
    assert out.ok, out
    assert out.logs[:10] == tuple(str(i) for i in range(10))
    assert out.logs[10] == "[40 more log lines dropped]" and len(out.logs) == 11


def test_host_call_time_counts_against_the_deadline(engine: ScriptEngine, healthy: Any) -> None:
    release = threading.Event()

    def slow() -> int:
        release.wait(0.4)  # a slow host service
        return 1

    out = engine.execute_source(
        "slow()\nresult := 1",
        functions={"slow": slow},
        limits=exposing("slow", max_execution_time=0.1),
    )
    assert out.error is not None and out.error.type is ErrorType.TIMEOUT, out


def test_async_host_functions_run_on_the_callers_loop(engine: ScriptEngine) -> None:
    loops: list[asyncio.AbstractEventLoop] = []

    async def lookup(key: str) -> str:
        loops.append(asyncio.get_running_loop())
        await asyncio.sleep(0)
        return key.upper()

    async def main() -> Any:
        out = await engine.execute_source_async(
            'result := lookup("abc")', functions={"lookup": lookup}, limits=exposing("lookup")
        )
        return out, asyncio.get_running_loop()

    out, loop = asyncio.run(main())
    assert out.ok and out.result == "ABC", out
    assert loops == [loop]
