"""The public models: defaults, validation, input variables and conversions to and from frames."""
# The models accept lax input on purpose ("250ms", "tengo", lists): mypy sees only the field types.
# mypy: disable-error-code="arg-type"

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from scriptvisor.config import ConfigError
from scriptvisor.engines.base import EngineLimits, ScriptLanguage
from scriptvisor.protocol import frames as F
from scriptvisor.protocol.errors import ErrorType, ScriptError
from scriptvisor.protocol.models import (
    STDLIB_MODULES,
    BusMessage,
    ErrorInfo,
    ExecutionMetrics,
    ExecutionRequest,
    HTTPRequestData,
    PublishedMessage,
    Script,
    ScriptErrorModel,
    ScriptInput,
    ScriptOutput,
    ScriptSource,
    SecurityLimits,
)
from scriptvisor.protocol.values import ValueMappingError

WHEN = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)

# --- SecurityLimits ------------------------------------------------------------------------------


def test_default_limits_are_the_documented_finite_ones() -> None:
    limits = SecurityLimits()
    assert limits.max_execution_time == 5.0
    assert limits.max_memory_bytes == 10 * 1024 * 1024
    assert limits.allowed_packages == STDLIB_MODULES
    assert set(STDLIB_MODULES) == set(EngineLimits().allowed_modules)
    assert limits.exposed_functions == ("log", "publish")
    assert (limits.max_host_calls, limits.max_log_lines) == (1000, 1000)
    assert limits.max_host_payload_bytes == 1024 * 1024


def test_go_package_names_map_onto_tengo_modules() -> None:
    limits = SecurityLimits(allowed_packages=["fmt", "strings", "strconv", "time", "math"])
    assert limits.allowed_packages == ("fmt", "text", "times", "math")


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"allowed_packages": ["os"]}, "'os' is never allowed"),
        ({"allowed_packages": ["net/http"]}, "'net/http' is not a stdlib module"),
        ({"exposed_functions": ["rm -rf"]}, "not an identifier"),
        ({"max_execution_time": 0}, "greater than 0"),
        ({"max_execution_time": -1.0}, "greater than 0"),
        ({"max_execution_time": math.inf}, "finite"),
        ({"max_execution_time": math.nan}, "finite"),
        ({"max_execution_time": True}, "a bool is not a duration"),
        ({"max_execution_time": "soon"}, "not a duration"),
        ({"max_memory_bytes": 0}, "greater than 0"),
        ({"max_memory_bytes": True}, "valid integer"),
        ({"max_memory_bytes": 1.5}, "valid integer"),
        ({"max_memory_bytes": 2**64}, "less than or equal"),
        ({"max_host_calls": -1}, "greater than or equal to 0"),
        ({"max_log_lines": -1}, "greater than or equal to 0"),
        ({"max_host_payload_bytes": 0}, "greater than 0"),
        ({"unlimited": True}, "Extra inputs are not permitted"),
    ],
)
def test_bad_limits_are_refused(fields: dict[str, Any], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        SecurityLimits(**fields)


def test_limits_accept_human_forms() -> None:
    limits = SecurityLimits(max_execution_time="250ms", max_memory_bytes="64MB")
    assert limits.max_execution_time == 0.25
    assert limits.max_memory_bytes == 64 << 20
    assert SecurityLimits(max_execution_time=timedelta(seconds=2)).max_execution_time == 2.0


def test_limits_are_frozen() -> None:
    limits = SecurityLimits()
    with pytest.raises(ValidationError):
        limits.max_execution_time = 100.0


def test_limits_from_env() -> None:
    env = {"SCRIPT_MAX_EXECUTION_TIME": "250ms", "SCRIPT_MAX_MEMORY_BYTES": "32MB"}
    limits = SecurityLimits.from_env(env)
    assert (limits.max_execution_time, limits.max_memory_bytes) == (0.25, 32 << 20)
    assert SecurityLimits.from_env({}) == SecurityLimits()
    assert SecurityLimits.from_env({"SCRIPT_MAX_EXECUTION_TIME": "  "}) == SecurityLimits()
    assert SecurityLimits.from_env(env, max_log_lines=5).max_log_lines == 5


@pytest.mark.parametrize(
    ("env", "match"),
    [
        ({"SCRIPT_MAX_EXECUTION_TIME": "fast"}, "^SCRIPT_MAX_EXECUTION_TIME: 'fast' is not a"),
        ({"SCRIPT_MAX_EXECUTION_TIME": "0s"}, "^SCRIPT_MAX_EXECUTION_TIME: '0s' must be"),
        ({"SCRIPT_MAX_EXECUTION_TIME": "9" * 400}, "^SCRIPT_MAX_EXECUTION_TIME: '9+\\.\\.\\.' is"),
        ({"SCRIPT_MAX_MEMORY_BYTES": "lots"}, "^SCRIPT_MAX_MEMORY_BYTES: 'lots' is not a size"),
        ({"SCRIPT_MAX_MEMORY_BYTES": "9" * 30}, "^SCRIPT_MAX_MEMORY_BYTES: '9+' is out of range"),
        ({"SCRIPT_MAX_MEMORY_BYTES": "9" * 400}, "^SCRIPT_MAX_MEMORY_BYTES: .* is out of range"),
    ],
)
def test_bad_env_names_the_variable(env: dict[str, str], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        SecurityLimits.from_env(env)


def test_limits_cross_in_exec_frames() -> None:
    limits = SecurityLimits(max_execution_time="100ms", allowed_packages=["fmt"])
    frame = F.exec_frame(
        1, module="m", name="s", language="tengo", checksum="c", input={},
        limits=limits.to_wire(), functions=limits.exposed_functions,
    )  # fmt: skip
    got = F.decode(F.encode(frame), from_child=False)
    assert got["t"] == "exec"
    assert SecurityLimits.from_wire(got["limits"], got["functions"]) == limits


def test_engine_limits() -> None:
    engine = SecurityLimits(max_memory_bytes="1MB", allowed_packages=["fmt"]).to_engine_limits()
    assert engine.max_memory_bytes == 1 << 20
    assert engine.allowed_modules == frozenset({"fmt"})


# --- Script ----------------------------------------------------------------------------------------


def test_script() -> None:
    checksum = Script.checksum_of("result := 1", "tengo")
    script = Script(
        module_name="wargame", name="damage_calculator", language="tengo",
        content="result := 1", source="embedded", checksum=checksum,
        last_modified=datetime(2024, 1, 1),
    )  # fmt: skip
    assert script.language is ScriptLanguage.TENGO and script.source is ScriptSource.EMBEDDED
    assert script.last_modified.tzinfo is UTC  # naive means UTC
    assert script.original_language is None
    assert len(checksum) == 64
    assert checksum != Script.checksum_of("result := 1", ScriptLanguage.ZYGOMYS)
    with pytest.raises(ValidationError):
        Script(module_name="m", name="s", language="python", content="", source="embedded",
               checksum="c")  # fmt: skip
    with pytest.raises(ValidationError):
        Script(module_name="m", name="s", language="tengo", content="", source="disk",
               checksum="c")  # fmt: skip


# --- ScriptInput.variables ---------------------------------------------------------------------


def message(payload: str | bytes, **fields: Any) -> BusMessage:
    return BusMessage(
        id="m-1", topic="wargame.attack", user_id="u-7", payload=payload,
        metadata={"trace": "t1"}, timestamp=WHEN, **fields,
    )  # fmt: skip


def test_message_variables_match_the_contract() -> None:
    v = ScriptInput(context={"unit": "tank"}, message=message('{"damage": 40}')).variables("war")
    assert v == {
        "unit": "tank",
        "message": {
            "topic": "wargame.attack",
            "user_id": "u-7",
            "payload": {"damage": 40},
            "metadata": {"trace": "t1"},
        },
        "message_topic": "wargame.attack",
        "message_user_id": "u-7",
        "message_payload": '{"damage": 40}',
        "topic": "wargame.attack",
        "module": "war",
        "timestamp": int(WHEN.timestamp()),
    }


@pytest.mark.parametrize(
    ("payload", "decoded", "text"),
    [
        ("not json", "not json", "not json"),
        ("", "", ""),
        ("42", 42, "42"),
        ('"x"', "x", '"x"'),
        (b'{"a": [1, 2]}', {"a": [1, 2]}, '{"a": [1, 2]}'),
        (b"\xff{", "\ufffd{", "\ufffd{"),
        ('{"big": 1' + "0" * 30 + "}", '{"big": 1' + "0" * 30 + "}", '{"big": 1' + "0" * 30 + "}"),
        ("[" * 100_000, "[" * 100_000, "[" * 100_000),
    ],
)
def test_message_payload_decoding(payload: str | bytes, decoded: Any, text: str) -> None:
    v = ScriptInput(message=message(payload)).variables("m")
    assert v["message"]["payload"] == decoded
    assert v["message_payload"] == text


def test_http_variables_match_the_contract() -> None:
    req = HTTPRequestData(
        method="post", path="/wargame/attack", query={"unit": "3"},
        headers={"Content-Type": "application/json"}, body='{"a": 1}',
    )  # fmt: skip
    v = ScriptInput(http_request=req).variables("wargame")
    assert v == {
        "http_request": {
            "method": "POST",
            "path": "/wargame/attack",
            "query": {"unit": "3"},
            "headers": {"Content-Type": "application/json"},
            "body": '{"a": 1}',
        },
        "http_method": "POST",
        "http_path": "/wargame/attack",
        "http_query": {"unit": "3"},
        "http_headers": {"Content-Type": "application/json"},
        "http_body": '{"a": 1}',
        "endpoint": "/wargame/attack",
        "module": "wargame",
    }
    named = HTTPRequestData(path="/x/1", endpoint="attack")
    assert ScriptInput(http_request=named).variables("m")["endpoint"] == "attack"


def test_context_only_and_trigger_precedence() -> None:
    assert ScriptInput(context={"a": (1, 2)}).variables("m") == {"a": [1, 2]}
    clash = ScriptInput(context={"module": "spoofed", "topic": "x"}, message=message("1"))
    v = clash.variables("real")
    assert (v["module"], v["topic"]) == ("real", "wargame.attack")


def test_unsendable_context_names_the_variable() -> None:
    inp = ScriptInput(context={"units": [0, 1, 2, {"name": {"a"}}]})
    with pytest.raises(ValueMappingError, match=r"^input\.units\[3\]\.name: cannot send a set$"):
        inp.variables("m")


def test_variables_size_cap() -> None:
    inp = ScriptInput(message=message("x" * 600))
    assert inp.variables("m", max_bytes=2000)["message_payload"] == "x" * 600
    with pytest.raises(ValueMappingError, match=r"^input: value is larger than 1000 bytes$"):
        inp.variables("m", max_bytes=1000)  # the payload counts twice


def test_input_refuses_unknown_fields_and_non_string_keys() -> None:
    with pytest.raises(ValidationError):
        ScriptInput(functions={"log": print})  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        ScriptInput(context={1: "a"})  # type: ignore[dict-item]


# --- ExecutionRequest -----------------------------------------------------------------------------


def test_request_timeout_override() -> None:
    defaults = SecurityLimits(max_memory_bytes="1MB")
    req = ExecutionRequest(module_name="m", script_name="s", timeout="250ms")
    limits = req.effective_limits(defaults)
    assert limits.max_execution_time == 0.25 and limits.max_memory_bytes == 1 << 20
    plain = ExecutionRequest(module_name="m", script_name="s")
    assert plain.effective_limits(defaults) is defaults
    own = ExecutionRequest(module_name="m", script_name="s", security_limits=SecurityLimits())
    assert own.effective_limits(defaults).max_memory_bytes == 10 << 20
    assert ExecutionRequest(module_name="m", script_name="s", timeout=2).timeout == 2.0


@pytest.mark.parametrize("timeout", [0, -1, math.inf, math.nan, True, "never"])
def test_bad_request_timeouts(timeout: Any) -> None:
    with pytest.raises(ValidationError):
        ExecutionRequest(module_name="m", script_name="s", timeout=timeout)


def test_request_variables_use_its_module() -> None:
    req = ExecutionRequest(
        module_name="wargame", script_name="s", input=ScriptInput(message=message("{}"))
    )
    assert req.variables()["module"] == "wargame"
    with pytest.raises(ValidationError):
        ExecutionRequest(module_name="", script_name="s")


# --- metrics, errors, output ----------------------------------------------------------------------


def test_metrics_consistency() -> None:
    assert ExecutionMetrics().success
    assert ExecutionMetrics(success=False, error_type="timeout").error_type is ErrorType.TIMEOUT
    with pytest.raises(ValidationError, match="error_type is set exactly when success is false"):
        ExecutionMetrics(success=False)
    with pytest.raises(ValidationError):
        ExecutionMetrics(error_type=ErrorType.EXECUTION)
    with pytest.raises(ValidationError):
        ExecutionMetrics(execution_time=math.nan)
    with pytest.raises(ValidationError):
        ExecutionMetrics(memory_used=-1)


def test_error_info_round_trips_the_exception() -> None:
    exc = ScriptError(
        ErrorType.EXECUTION, "division by zero", module="m", script="s", line=3, column=7,
        timestamp=WHEN,
    )  # fmt: skip
    info = ErrorInfo.from_exception(exc)
    assert info.model_dump() == {
        "type": ErrorType.EXECUTION,
        "message": "division by zero",
        "module": "m",
        "script": "s",
        "line": 3,
        "column": 7,
        "timestamp": WHEN,
    }
    back = info.to_exception()
    assert isinstance(back, ScriptError)
    assert back.to_dict() == exc.to_dict()
    assert str(back) == "Runtime Error: division by zero\n\tat m/s:3:7"
    assert ScriptErrorModel is ErrorInfo
    with pytest.raises(ValidationError):
        ErrorInfo(type="execution", message="x", line=-1)
    with pytest.raises(ValidationError):
        ErrorInfo(type="crash", message="x")


def test_output_from_result_frame() -> None:
    frame = F.result_frame(
        9, {"damage": 40}, logs=["a"], published=[{"topic": "t", "payload": [1]}],
        metrics=F.metrics_wire(0.5, 0.25, 100, 2),
    )  # fmt: skip
    got = F.decode(F.encode(frame), from_child=True)
    assert got["t"] == "result"
    out = ScriptOutput.from_frame(got)
    assert out.ok and out.result == {"damage": 40} and out.logs == ("a",)
    assert out.published == (PublishedMessage(topic="t", payload=[1]),)
    assert out.metrics == ExecutionMetrics(
        compilation_time=0.5, execution_time=0.25, memory_used=100, host_calls=2
    )
    out.raise_for_error()  # nothing to raise


def test_output_from_error_frame() -> None:
    exc = ScriptError(ErrorType.TIMEOUT, "too slow", module="m", script="s", timestamp=WHEN)
    got = F.decode(F.encode(F.error_frame(9, exc, logs=["l"])), from_child=True)
    assert got["t"] == "error"
    out = ScriptOutput.from_frame(got)
    assert not out.ok and out.logs == ("l",)
    assert out.metrics.error_type is ErrorType.TIMEOUT and not out.metrics.success
    assert out.error is not None and out.error.timestamp == WHEN
    with pytest.raises(ScriptError, match="too slow") as info:
        out.raise_for_error()
    assert info.value.type is ErrorType.TIMEOUT


def test_logs_before_a_failure_travel_with_the_error() -> None:
    exc = ScriptError(ErrorType.EXECUTION, "boom", logs=["step 1", "step 2"])
    got = F.decode(F.encode(F.error_frame(3, exc)), from_child=True)
    assert got["t"] == "error"
    out = ScriptOutput.from_frame(got)
    assert out.logs == ("step 1", "step 2")
    with pytest.raises(ScriptError) as info:
        out.raise_for_error()
    assert info.value.logs == ["step 1", "step 2"]
    assert "logs" not in F.error_frame(3, ScriptError(ErrorType.EXECUTION, "boom"))


def test_error_frame_without_timestamp_is_stamped_on_reading() -> None:
    frame = F.error_frame(1, ScriptError(ErrorType.EXECUTION, "x"))
    del frame["timestamp"]
    before = datetime.now(UTC)
    info = ErrorInfo.from_frame(frame)
    assert info.timestamp >= before


def test_models_are_frozen_and_closed() -> None:
    out = ScriptOutput()
    with pytest.raises(ValidationError):
        out.result = 1
    with pytest.raises(ValidationError):
        ScriptOutput(extra=1)  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        BusMessage(payload="x")  # type: ignore[call-arg]  # topic is required


def test_extreme_but_valid_child_frames_convert() -> None:
    """Whatever passes the frame schema must convert to a model without raising."""
    top = 2**63 - 1
    err = F.error_frame(1, ScriptError(ErrorType.EXECUTION, "x", line=top, column=top))
    err["timestamp"] = F.MAX_TIMESTAMP
    err["metrics"] = F.metrics_wire(1e308, 0.0, top, top)
    for frame in (err, F.result_frame(1, [math.nan, -(2**63)], metrics=err["metrics"])):
        got = F.decode(F.encode(frame), from_child=True)
        assert got["t"] == "result" or got["t"] == "error"
        assert ScriptOutput.from_frame(got).metrics.memory_used == top
