"""Frames between supervisor and children: round trips, schemas, and hostile input (a child's
frames are untrusted: anything malformed must end in `FrameError`, never anything else)."""

from __future__ import annotations

import copy
import math
import struct
from typing import Any

import msgpack  # type: ignore[import-untyped]
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scriptvisor.engines.base import ScriptLanguage
from scriptvisor.protocol import frames as F
from scriptvisor.protocol.errors import ErrorType, ScriptError
from scriptvisor.protocol.frames import FrameError, decode, encode

LIMITS: F.LimitsWire = {
    "max_execution_time": 5.0,
    "max_memory_bytes": 10 << 20,
    "allowed_packages": ["fmt", "math"],
    "max_host_calls": 1000,
    "max_host_payload_bytes": 1 << 20,
    "max_log_lines": 1000,
}


def exec_frame(**changes: Any) -> dict[str, Any]:
    frame: dict[str, Any] = dict(
        F.exec_frame(
            7,
            module="wargame",
            name="damage_calculator",
            language=ScriptLanguage.TENGO,
            checksum="ab" * 32,
            input={"attacker": {"attack": 42}, "critical": True, "ratio": 0.5},
            limits=copy.deepcopy(LIMITS),
            functions=["log", "publish"],
            source="result := 1",
        )
    )
    frame.update(changes)
    return frame


def result_frame(**changes: Any) -> dict[str, Any]:
    frame: dict[str, Any] = dict(
        F.result_frame(
            7,
            {"damage": 40, "tags": ["a", b"b"], "none": None},
            logs=["hit for 40"],
            published=[{"topic": "wargame.hit", "payload": {"damage": 40}}],
            metrics=F.metrics_wire(0.001, 0.002, 1024, 1),
        )
    )
    frame.update(changes)
    return frame


def error_frame(**changes: Any) -> dict[str, Any]:
    err = ScriptError(ErrorType.EXECUTION, "boom", module="m", script="s", line=3, column=5)
    frame: dict[str, Any] = dict(F.error_frame(7, err, logs=["x"], metrics=F.metrics_wire()))
    frame.update(changes)
    return frame


def raw(obj: Any) -> bytes:
    return msgpack.packb(obj, use_bin_type=True)  # type: ignore[no-any-return]


def refused(obj: Any, *, from_child: bool, match: str) -> None:
    with pytest.raises(FrameError, match=match):
        decode(raw(obj), from_child=from_child)


# --- round trips -------------------------------------------------------------------------------

SUPERVISOR_FRAMES = [
    exec_frame(),
    F.compile_frame(1, module="m", name="s", language="zygomys", checksum="c", source="(+ 1 2)"),
    F.reply_frame(7, 1, {"ok": [1, 2.5]}),
    F.reply_frame(7, 2, None, "no such unit"),
    F.ping_frame(),
]
CHILD_FRAMES = [
    F.call_frame(7, 1, "publish", ["topic", {"a": 1}]),
    result_frame(),
    error_frame(),
    F.error_frame(7, ScriptError(ErrorType.TIMEOUT, "too slow")),
    F.ready_frame(4242),
    F.pong_frame(3),
]


@pytest.mark.parametrize("frame", SUPERVISOR_FRAMES, ids=lambda f: str(f["t"]))
def test_supervisor_frames_round_trip(frame: Any) -> None:
    assert decode(encode(frame), from_child=False) == frame


@pytest.mark.parametrize("frame", CHILD_FRAMES, ids=lambda f: str(f["t"]))
def test_child_frames_round_trip(frame: Any) -> None:
    assert decode(encode(frame), from_child=True) == frame


def test_every_frame_carries_version_type_and_id() -> None:
    for frame in SUPERVISOR_FRAMES + CHILD_FRAMES:
        assert frame["v"] == F.PROTOCOL_VERSION
        assert type(frame["id"]) is int
        assert frame["t"] in F.SUPERVISOR_SCHEMAS or frame["t"] in F.CHILD_SCHEMAS


def test_exec_source_is_optional() -> None:
    frame = exec_frame()
    del frame["source"]
    assert "source" not in decode(encode(frame), from_child=False)  # type: ignore[arg-type]


def test_values_keep_nan_and_bytes() -> None:
    out = decode(encode(result_frame(value=[math.nan, b"\xff"])), from_child=True)  # type: ignore[arg-type]
    assert out["t"] == "result"
    assert math.isnan(out["value"][0]) and out["value"][1] == b"\xff"


@pytest.mark.parametrize(
    ("frame", "from_child", "match"),
    [
        (exec_frame(), True, r"^frame: type 'exec' is not sent by a child$"),
        (F.ping_frame(), True, r"^frame: type 'ping' is not sent by a child$"),
        (F.call_frame(1, 1, "log", []), False, r"^frame: type 'call' is not sent by the"),
        (F.pong_frame(), False, r"is not sent by the supervisor$"),
    ],
)
def test_direction_is_enforced(frame: Any, from_child: bool, match: str) -> None:
    refused(frame, from_child=from_child, match=match)


# --- header -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("obj", "match"),
    [
        ([1, "ping", 0], r"^frame: expected map, got array$"),
        ("ping", r"^frame: expected map, got string$"),
        (None, r"^frame: expected map, got null$"),
        ({"t": "ping", "id": 0}, r"^frame: protocol version None is not 1$"),
        ({"v": 2, "t": "ping", "id": 0}, r"^frame: protocol version 2 is not 1$"),
        ({"v": True, "t": "ping", "id": 0}, r"^frame: protocol version True is not 1$"),
        ({"v": 1.0, "t": "ping", "id": 0}, r"^frame: protocol version 1.0 is not 1$"),
        ({"v": "1", "t": "ping", "id": 0}, r"^frame: protocol version '1' is not 1$"),
        ({"v": 1, "id": 0}, r"^frame\.t: expected string, got null$"),
        ({"v": 1, "t": [1], "id": 0}, r"^frame\.t: expected string, got array$"),
        ({"v": 1, "t": {"a": 1}, "id": 0}, r"^frame\.t: expected string, got map$"),
        ({"v": 1, "t": "shutdown", "id": 0}, r"^frame: unknown type 'shutdown'$"),
        ({"v": 1, "t": "x" * 1000, "id": 0}, r"^frame: unknown type 'xxxxx.{0,40}$"),
        ({"v": 1, "t": "ping"}, r"^ping: missing field\(s\) id$"),
        ({"v": 1, "t": "ping", "id": -1}, r"^ping\.id: -1 is outside \[0, "),
        ({"v": 1, "t": "ping", "id": True}, r"^ping\.id: expected int in .*, got bool$"),
        ({"v": 1, "t": "ping", "id": 2**64 - 1}, r"^ping\.id: 18446744073709551615 is outside"),
        ({"v": 1, "t": "ping", "id": 0, "x": 1}, r"^ping: unexpected field\(s\) 'x'$"),
        ({"v": 1, "t": "ping", "id": 0, b"x": 1}, r"^ping: unexpected field\(s\) b'x'$"),
    ],
)
def test_bad_headers(obj: Any, match: str) -> None:
    refused(obj, from_child=False, match=match)


# --- fields -----------------------------------------------------------------------------------

BAD_EXEC_FIELDS = [
    ({"language": "python"}, r"^exec\.language: 'python' is not one of tengo \| zygomys$"),
    ({"language": 1}, r"^exec\.language: expected string, got int$"),
    ({"name": ""}, r"^exec\.name: must be 1 to 256 characters$"),
    ({"name": "n" * 257}, r"^exec\.name: must be 1 to 256 characters$"),
    ({"checksum": b"ab"}, r"^exec\.checksum: expected string, got binary$"),
    ({"source": None}, r"^exec\.source: expected string, got null$"),
    ({"input": [1]}, r"^exec\.input: expected map, got array$"),
    ({"input": {"a": {1: 2}}}, r"^frame: bad msgpack \(int is not allowed for map key"),
    ({"input": {"a": {b"k": 2}}}, r"^exec\.input\.a: map key b'k' is not a string$"),
    ({"input": {"u": [0, 2**64 - 1]}}, r"^exec\.input\.u\[1\]: integer of 64 bits"),
    ({"functions": "log"}, r"^exec\.functions: expected array of strings, got string$"),
    ({"functions": ["log", 3]}, r"^exec\.functions\[1\]: expected string, got int$"),
    ({"limits": None}, r"^exec\.limits: expected map, got null$"),
    ({"limits": {**LIMITS, "max_memory_bytes": True}}, r"^exec\.limits\.max_memory_bytes: .*bool$"),
    ({"limits": {**LIMITS, "max_memory_bytes": 0}}, r"^exec\.limits\.max_memory_bytes: 0 is"),
    ({"limits": {**LIMITS, "max_execution_time": 5}}, r"\.max_execution_time: expected finite"),
    ({"limits": {**LIMITS, "max_execution_time": 0.0}}, r"\.max_execution_time: 0\.0 is not"),
    ({"limits": {**LIMITS, "max_execution_time": math.inf}}, r"\.max_execution_time: inf is"),
    ({"limits": {**LIMITS, "max_execution_time": math.nan}}, r"\.max_execution_time: nan is"),
    ({"limits": {**LIMITS, "max_log_lines": -1}}, r"^exec\.limits\.max_log_lines: -1 is outside"),
    ({"limits": {**LIMITS, "allowed_packages": [None]}}, r"\.allowed_packages\[0\]: expected"),
    ({"limits": {**LIMITS, "unlimited": True}}, r"^exec\.limits: unexpected field\(s\) 'unlim"),
    ({"limits": {"max_log_lines": 1}}, r"^exec\.limits: missing field\(s\) max_execution_time, "),
]


@pytest.mark.parametrize(("changes", "match"), BAD_EXEC_FIELDS)
def test_bad_exec_fields(changes: dict[str, Any], match: str) -> None:
    refused(exec_frame(**changes), from_child=False, match=match)


def test_missing_fields_are_all_named() -> None:
    frame = exec_frame()
    del frame["input"], frame["module"]
    refused(frame, from_child=False, match=r"^exec: missing field\(s\) module, input$")


BAD_CHILD_FIELDS = [
    (result_frame(value=[[2**64 - 1]]), r"^result\.value\[0\]\[0\]: integer of 64 bits"),
    (result_frame(logs=["a", b"b"]), r"^result\.logs\[1\]: expected string, got binary$"),
    (result_frame(published=[{"topic": "t"}]), r"^result\.published\[0\]: missing field\(s\) pay"),
    (result_frame(published=[{"topic": 1, "payload": 2}]), r"\.published\[0\]\.topic: expected"),
    (result_frame(published={"t": 1}), r"^result\.published: expected array, got map$"),
    (result_frame(metrics={**F.metrics_wire(), "memory_used": True}), r"memory_used: .*bool$"),
    (result_frame(metrics={**F.metrics_wire(), "execution_time": math.nan}), r"_time: nan is"),
    (result_frame(metrics={**F.metrics_wire(), "execution_time": -1.0}), r"_time: -1\.0 is"),
    (result_frame(metrics={**F.metrics_wire(), "success": True}), r"unexpected field\(s\) 'succ"),
    (error_frame(type="segfault"), r"^error\.type: 'segfault' is not one of compilation \|"),
    (error_frame(line=True), r"^error\.line: expected int in \[0, .*\] or null, got bool$"),
    (error_frame(line=-3), r"^error\.line: -3 is outside"),
    (error_frame(column=1.5), r"^error\.column: expected int"),
    (error_frame(timestamp=math.inf), r"^error\.timestamp: inf is not a finite float >= 0 and"),
    (error_frame(timestamp=1e300), r"^error\.timestamp: 1e\+300 is not a finite float >= 0 and"),
    (error_frame(timestamp=None), r"^error\.timestamp: expected finite float .*, got null$"),
    (error_frame(message=None), r"^error\.message: expected string, got null$"),
    (F.call_frame(1, 0, "log", []), r"^call\.seq: 0 is outside \[1, "),
    (F.call_frame(1, 1, "", []), r"^call\.name: must be 1 to 256 characters$"),
    ({**F.call_frame(1, 1, "log", []), "args": {"a": 1}}, r"^call\.args: expected array, got map"),
    (F.ready_frame(-1), r"^ready\.pid: -1 is outside"),
    ({**F.ready_frame(1), "pid": "1"}, r"^ready\.pid: expected int in .*, got string$"),
]


@pytest.mark.parametrize(("frame", "match"), BAD_CHILD_FIELDS)
def test_bad_child_fields(frame: dict[str, Any], match: str) -> None:
    refused(frame, from_child=True, match=match)


def test_reply_error_must_be_text_or_null() -> None:
    refused({**F.reply_frame(1, 1), "error": 1}, from_child=False, match=r"expected string or")
    refused({**F.reply_frame(1, 1), "seq": False}, from_child=False, match=r"\.seq: .*got bool")


# --- encode ------------------------------------------------------------------------------------


def test_encode_checks_the_schema() -> None:
    with pytest.raises(FrameError, match=r"^result\.value: cannot send a set$"):
        encode(result_frame(value={1, 2}))  # type: ignore[arg-type]
    unknown: Any = {"v": 1, "t": "nope", "id": 0}
    with pytest.raises(FrameError, match=r"^frame: unknown type 'nope'$"):
        encode(unknown)
    old: Any = {"v": 0, "t": "ping", "id": 0}
    with pytest.raises(FrameError, match=r"^frame: protocol version 0 is not 1$"):
        encode(old)


def test_encode_describes_huge_ints_without_printing_them() -> None:
    with pytest.raises(FrameError, match=r"^ping\.id: integer of 16610 bits is outside"):
        encode(F.ping_frame(10**5000))


def test_encode_without_check_still_only_raises_frame_error() -> None:
    with pytest.raises(FrameError, match=r"^frame: cannot encode"):
        encode(result_frame(value=object()), check=False)  # type: ignore[arg-type]


def test_encode_caps_size() -> None:
    big = result_frame(value="x" * 2000)
    assert len(encode(big)) > 2000  # type: ignore[arg-type]
    with pytest.raises(FrameError, match=r"^frame: \d+ bytes exceed the 1000-byte cap$"):
        encode(big, max_size=1000)  # type: ignore[arg-type]


def test_builders_accept_enums() -> None:
    frame = F.error_frame(1, ScriptError(ErrorType.MEMORY_LIMIT, "too big"))
    assert type(frame["type"]) is str and frame["type"] == "memory_limit"
    assert type(exec_frame()["language"]) is str


def test_limits_and_metrics_field_sets() -> None:
    assert set(LIMITS) == F.LIMITS_FIELDS
    assert set(F.metrics_wire()) == F.METRICS_FIELDS


# --- hostile bytes ------------------------------------------------------------------------------


def test_size_is_checked_before_unpacking() -> None:
    # Not msgpack at all: an oversize frame is refused for its size, never parsed.
    with pytest.raises(FrameError, match=r"^frame: 101 bytes exceed the 100-byte cap$"):
        decode(b"\xc1" * 101, from_child=True, max_size=100)
    assert decode(encode(F.pong_frame()), from_child=True, max_size=16)["t"] == "pong"


def test_default_cap_is_8_mib() -> None:
    assert F.DEFAULT_MAX_FRAME_BYTES == 8 * 1024 * 1024
    with pytest.raises(FrameError, match="exceed the 8388608-byte cap"):
        decode(b"\x00" * (F.DEFAULT_MAX_FRAME_BYTES + 1), from_child=True)


PONG = raw({"v": 1, "t": "pong", "id": 0})


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"", r"^frame: bad msgpack"),
        (PONG[:-1], r"^frame: bad msgpack"),
        (PONG + b"\x00", r"^frame: trailing bytes after the msgpack object$"),
        (b"\xc1", r"^frame: bad msgpack"),
        (b"\x91" * 10_000 + b"\xc0", r"^frame: msgpack nested too deeply$"),
        (b"\x81" * 10_000 + b"\xc0", r"^frame: "),
        (raw([0] * 2 + [[[[[[[[]]]]]]]]), r"^frame: expected map, got array$"),
        (b"\xdd\xff\xff\xff\xff", r"^frame: bad msgpack \(4294967295 exceeds max_array_len"),
        (b"\xdf\xff\xff\xff\xff", r"^frame: bad msgpack \(4294967295 exceeds max_map_len"),
        (b"\xdb\xff\xff\xff\xff" + b"a" * 8, r"^frame: bad msgpack"),
        (b"\xc6\xff\xff\xff\xff" + b"a" * 8, r"^frame: bad msgpack"),
        (b"\xa2\xff\xfe", r"^frame: string is not valid UTF-8$"),
        (b"\x81\x01\x01", r"^frame: bad msgpack \(int is not allowed for map key"),
        (b"\x81\x90\x01", r"^frame: bad msgpack"),  # an array as a map key
        (raw(msgpack.ExtType(5, b"abc")), r"^frame: msgpack ext types are not allowed$"),
        (raw(msgpack.Timestamp(1, 0)), r"^frame: msgpack ext types are not allowed$"),
        (b"\xc7\x00\x05", r"^frame: msgpack ext type 5 is not allowed$"),  # zero-length ext
        (b"\xd6\xff" + struct.pack(">I", 1), r"^frame: msgpack ext types are not allowed$"),
    ],
)
def test_hostile_bytes(data: bytes, match: str) -> None:
    with pytest.raises(FrameError, match=match):
        decode(data, from_child=True)


def test_ext_inside_a_valid_frame_is_refused() -> None:
    frame = raw({**F.call_frame(1, 1, "log", []), "args": [msgpack.ExtType(1, b"x")]})
    with pytest.raises(FrameError, match="ext type"):
        decode(frame, from_child=True)


def test_deep_but_parsable_values_are_refused_by_the_schema() -> None:
    value: Any = 1
    for _ in range(500):
        value = [value]
    with pytest.raises(FrameError, match=r"^call\.args(\[0\])+: nested deeper than 64 levels$"):
        decode(raw(F.call_frame(1, 1, "log", [value])), from_child=True)


@pytest.mark.parametrize("data", [bytearray(PONG), memoryview(PONG), "pong"])
def test_only_bytes_are_decoded(data: Any) -> None:
    with pytest.raises(FrameError, match=r"^frame: expected bytes"):
        decode(data, from_child=True)


def test_error_messages_from_hostile_frames_stay_short() -> None:
    frame = {"v": 1, "t": "pong", "id": 0, "k" * 100_000: 1}
    with pytest.raises(FrameError) as info:
        decode(raw(frame), from_child=True)
    assert len(str(info.value)) < 200


# --- fuzz -------------------------------------------------------------------------------------


def decodes_or_frame_error(data: bytes, from_child: bool) -> None:
    try:
        frame = decode(data, from_child=from_child)
    except FrameError:
        return
    schemas = F.CHILD_SCHEMAS if from_child else F.SUPERVISOR_SCHEMAS
    assert type(frame) is dict and frame["t"] in schemas
    assert decode(encode(frame), from_child=from_child) == frame


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200), st.booleans())
def test_fuzz_random_bytes(data: bytes, from_child: bool) -> None:
    decodes_or_frame_error(data, from_child)


VALID = [encode(f) for f in SUPERVISOR_FRAMES + CHILD_FRAMES]  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(VALID),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=4),
    st.integers(0, 10_000),
    st.booleans(),
)
def test_fuzz_mutated_frames(
    data: bytes, flips: list[tuple[int, int]], cut: int, from_child: bool
) -> None:
    buf = bytearray(data)
    for pos, byte in flips:
        buf[pos % len(buf)] = byte
    decodes_or_frame_error(bytes(buf[: max(1, len(buf) - cut % 8)]), from_child)


msgpack_objects = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats()
    | st.text(max_size=5)
    | st.binary(max_size=5)
    | st.sampled_from(["v", "t", "id", "exec", "call", "result", "ping", 1]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["v", "t", "id", "value", "args", "seq", "x"]), children)
    ),
    max_leaves=8,
)


@settings(max_examples=120, deadline=None)
@given(msgpack_objects, st.booleans())
def test_fuzz_structured_objects(obj: Any, from_child: bool) -> None:
    decodes_or_frame_error(raw(obj), from_child)


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(SUPERVISOR_FRAMES + CHILD_FRAMES),
    st.sampled_from(["v", "t", "id", "seq", "value", "args", "limits", "metrics", "line", "pid"]),
    msgpack_objects,
)
def test_fuzz_field_replacement(frame: Any, field: str, value: Any) -> None:
    hostile = {**frame, field: value}
    from_child = frame["t"] in F.CHILD_SCHEMAS
    decodes_or_frame_error(raw(hostile), from_child)
