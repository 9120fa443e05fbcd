"""Fuzz the frame decoder both ways (what a compromised child sends the supervisor, and
what the child decodes): arbitrary bytes, schema-valid frames of every type, and those
frames mutated at the byte level. `decode` must return a frame that passes its schema and
encodes back to the same bytes, or raise `FrameError` -- never any other exception.

(tests/protocol/test_frames.py has the small, fixed-size fuzz; this one generates valid
frames from the schemas, mutates them harder and scales with FUZZ_EXAMPLES.)
"""

from __future__ import annotations

import math
from typing import Any

import msgpack  # type: ignore[import-untyped]
import pytest
from fuzz_programs import FUZZ_TIMEOUT, budget
from hypothesis import given
from hypothesis import strategies as st

from scriptvisor.protocol import frames as F
from scriptvisor.protocol.errors import ErrorType
from scriptvisor.protocol.frames import FrameError, decode, encode
from scriptvisor.protocol.values import INT64_MAX, INT64_MIN

pytestmark = pytest.mark.timeout(FUZZ_TIMEOUT)

int64 = st.integers(INT64_MIN, INT64_MAX)
natural = st.integers(0, INT64_MAX)
names = st.text(min_size=1, max_size=20)
finite = st.floats(allow_nan=False, allow_infinity=False)
values = st.recursive(
    st.none() | st.booleans() | int64 | st.floats() | st.text(max_size=10)
    | st.binary(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=4),
    max_leaves=12,
)
variables = st.dictionaries(st.text(max_size=8), values, max_size=4)
limits = st.fixed_dictionaries({
    "max_execution_time": finite.filter(lambda x: x > 0),
    "max_memory_bytes": st.integers(1, INT64_MAX),
    "allowed_packages": st.lists(st.text(max_size=6), max_size=3),
    "max_host_calls": natural,
    "max_host_payload_bytes": st.integers(1, INT64_MAX),
    "max_log_lines": natural,
})
metrics = st.fixed_dictionaries({
    "compilation_time": finite.filter(lambda x: x >= 0),
    "execution_time": finite.filter(lambda x: x >= 0),
    "memory_used": natural,
    "host_calls": natural,
})
script = {"module": st.text(max_size=10), "name": names,
          "language": st.sampled_from(sorted(F.LANGUAGES)), "checksum": names}
logs = st.lists(st.text(max_size=10), max_size=3)


def _frame(kind: str, required: dict[str, Any], optional: dict[str, Any] | None = None
           ) -> st.SearchStrategy[dict[str, Any]]:
    head = {"v": st.just(F.PROTOCOL_VERSION), "t": st.just(kind), "id": natural}
    return st.fixed_dictionaries({**head, **required}, optional=optional or {})


VALID_FRAMES: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "exec": _frame("exec", {**script, "input": variables, "limits": limits,
                            "functions": st.lists(st.text(max_size=6), max_size=3)},
                   {"source": st.text(max_size=40)}),
    "compile": _frame("compile", {**script, "source": st.text(max_size=40)}),
    "reply": _frame("reply", {"seq": st.integers(1, INT64_MAX), "value": values,
                              "error": st.none() | st.text(max_size=10)}),
    "ping": _frame("ping", {}),
    "call": _frame("call", {"seq": st.integers(1, INT64_MAX), "name": names,
                            "args": st.lists(values, max_size=3)}),
    "result": _frame("result", {
        "value": values, "logs": logs, "metrics": metrics,
        "published": st.lists(st.fixed_dictionaries({"topic": st.text(max_size=8),
                                                     "payload": values}), max_size=2),
    }),
    "error": _frame("error", {
        "type": st.sampled_from([e.value for e in ErrorType]), "message": st.text(max_size=20),
        "module": st.text(max_size=8), "script": st.text(max_size=8),
        "line": st.none() | natural, "column": st.none() | natural,
    }, {"timestamp": st.floats(0.0, F.MAX_TIMESTAMP), "logs": logs, "metrics": metrics}),
    "ready": _frame("ready", {"pid": natural}),
    "pong": _frame("pong", {}),
}
any_valid_frame = st.one_of(*VALID_FRAMES.values())


def from_child(frame: dict[str, Any]) -> bool:
    return frame["t"] in F.CHILD_SCHEMAS


def decodes_or_frame_error(data: bytes, child: bool) -> None:
    """The property: a schema-valid frame that round-trips, or `FrameError`."""
    try:
        frame = decode(data, from_child=child)
    except FrameError as exc:
        assert str(exc) and len(str(exc)) < 1000
        return
    schemas = F.CHILD_SCHEMAS if child else F.SUPERVISOR_SCHEMAS
    assert type(frame) is dict and frame["t"] in schemas
    again = encode(frame)  # accepted means encodable under the schema, as it came
    assert decode(again, from_child=child) is not None


def _same(a: Any, b: Any) -> bool:
    """Equality where NaN equals NaN (values may carry NaN)."""
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@budget(300)
@given(any_valid_frame)
def test_every_schema_valid_frame_round_trips(frame: dict[str, Any]) -> None:
    data = encode(frame)  # type: ignore[arg-type]
    assert _same(decode(data, from_child=from_child(frame)), frame)
    try:
        decode(data, from_child=not from_child(frame))
    except FrameError as exc:  # the other direction never accepts it
        assert "is not sent by" in str(exc)
    else:
        raise AssertionError(f"{frame['t']} accepted from the wrong side")


@budget(500)
@given(st.binary(max_size=2000), st.booleans())
def test_arbitrary_bytes(data: bytes, child: bool) -> None:
    decodes_or_frame_error(data, child)


@budget(500)
@given(st.sampled_from([b"\x80", b"\x84", b"\x8f", b"\xde\x00\x05", b"\xdf\x00\x00\x00\x06"]),
       st.binary(max_size=400), st.booleans())
def test_bytes_that_start_like_a_map(head: bytes, tail: bytes, child: bool) -> None:
    decodes_or_frame_error(head + tail, child)


mutation = st.tuples(
    st.sampled_from(["flip", "set", "insert", "delete", "duplicate", "truncate", "splice",
                     "length"]),
    st.integers(0, 1 << 16), st.integers(0, 1 << 16), st.integers(0, 255),
)


def _mutate(data: bytes, ops: list[tuple[str, int, int, int]], other: bytes) -> bytes:
    buf = bytearray(data)
    for op, i, j, byte in ops:
        n = len(buf)
        if n == 0:
            break
        i, j = i % n, j % (n + 1)
        lo, hi = min(i, j), max(i, j)
        if op == "flip":
            buf[i] ^= 1 << (byte % 8)
        elif op == "set":
            buf[i] = byte
        elif op == "insert":
            buf[i:i] = bytes([byte]) * (1 + j % 4)
        elif op == "delete":
            del buf[lo:hi]
        elif op == "duplicate":
            buf[hi:hi] = buf[lo:hi]
        elif op == "truncate":
            del buf[i:]
        elif op == "splice":
            buf[lo:hi] = other[: hi - lo + byte % 16]
        else:  # a length header claiming far more than there is
            buf[i:i + 1] = bytes([0xdd, 0xff, 0xff, byte, byte])
    return bytes(buf)


@budget(800)
@given(any_valid_frame, any_valid_frame, st.lists(mutation, min_size=1, max_size=5),
       st.booleans())
def test_mutated_valid_frames(frame: dict[str, Any], other: dict[str, Any],
                              ops: list[tuple[str, int, int, int]], child: bool) -> None:
    data = _mutate(encode(frame), ops, encode(other))  # type: ignore[arg-type]
    decodes_or_frame_error(data, child)


@budget(300)
@given(any_valid_frame, st.sampled_from(["v", "t", "id", "seq", "value", "args", "limits",
                                         "metrics", "line", "pid", "input", "name", "type",
                                         "published", "logs", "extra"]),
       values | st.integers() | st.sampled_from([True, 1.0, -1, 2**64, "", "x" * 300]))
def test_valid_frames_with_one_field_replaced(frame: dict[str, Any], field: str,
                                              value: Any) -> None:
    try:
        data = msgpack.packb({**frame, field: value}, use_bin_type=True)
    except (OverflowError, TypeError, ValueError):
        return  # not even msgpack: nothing can send it
    decodes_or_frame_error(data, from_child(frame))
