"""The value mapping across the process boundary: what crosses, what is converted, what is
refused and how the refusal names the value."""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal
from enum import IntEnum, StrEnum
from typing import Any

import msgpack  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scriptvisor.protocol.values import (
    INT64_MAX,
    INT64_MIN,
    MAX_DEPTH,
    ValueMappingError,
    check_wire,
    to_wire,
)


class Color(IntEnum):
    RED = 1


class Mode(StrEnum):
    FAST = "fast"


def nested(depth: int) -> Any:
    v: Any = 0
    for _ in range(depth):
        v = [v]
    return v


@pytest.mark.parametrize(
    "v", [None, True, False, 0, -1, INT64_MIN, INT64_MAX, 1.5, -0.0, math.inf, "", "héllo", b"\0"]
)
def test_scalars_cross_unchanged(v: Any) -> None:
    out = to_wire(v)
    assert out == v and type(out) is type(v)
    check_wire(v)


def test_nan_crosses() -> None:
    assert math.isnan(to_wire(math.nan))
    check_wire([math.nan])


@pytest.mark.parametrize(
    ("v", "expected"),
    [
        ((1, (2, 3)), [1, [2, 3]]),
        (bytearray(b"ab"), b"ab"),
        (memoryview(b"cd"), b"cd"),
        (Color.RED, 1),
        (Mode.FAST, "fast"),
        ({"a": (Color.RED,)}, {"a": [1]}),
    ],
)
def test_documented_conversions(v: Any, expected: Any) -> None:
    out = to_wire(v)
    assert out == expected
    check_wire(out)  # what to_wire produces is always a wire value


def test_conversions_give_exact_base_types() -> None:
    assert type(to_wire(Color.RED)) is int
    assert type(to_wire(Mode.FAST)) is str
    assert type(to_wire(True)) is bool


def test_containers_are_copied() -> None:
    src = {"a": [1, 2]}
    out = to_wire(src)
    out["a"].append(3)
    assert src == {"a": [1, 2]}


@pytest.mark.parametrize(
    ("v", "message"),
    [
        ({"units": [0, 1, 2, {"name": {1}}]}, r"^input\.units\[3\]\.name: cannot send a set$"),
        ({"s": frozenset()}, r"^input\.s: cannot send a set$"),
        ({"x": object()}, r"^input\.x: cannot send a object$"),
        ([datetime(2024, 1, 1)], r"^input\[0\]: cannot send a datetime$"),
        ([Decimal(1)], r"^input\[0\]: cannot send a Decimal$"),
        ({"f": len}, r"^input\.f: cannot send a builtin_function_or_method$"),
        ({1: "a"}, r"^input: map key 1 is not a string$"),
        ({"a b": {b"k": 1}}, r'^input\["a b"\]: map key b\'k\' is not a string$'),
        ([INT64_MAX + 1], r"^input\[0\]: integer of 64 bits does not fit in 64 bits$"),
        ([INT64_MIN - 1], r"^input\[0\]: integer of 64 bits does not fit in 64 bits$"),
        ({"s": "\ud800"}, r"^input\.s: string is not valid Unicode \(lone surrogate\)$"),
    ],
)
def test_refusals_name_the_path(v: Any, message: str) -> None:
    with pytest.raises(ValueMappingError, match=message):
        to_wire(v, "input")


def test_huge_int_is_described_without_printing_it() -> None:
    with pytest.raises(ValueMappingError, match="integer of 16610 bits"):
        to_wire(10**5000)


def test_error_paths_and_messages_stay_short() -> None:
    key = "k" * 10_000
    with pytest.raises(ValueMappingError) as info:
        to_wire({key: {"k" * 5000: set()}})
    assert len(str(info.value)) < 200
    assert info.value.reason == "cannot send a set"


def test_depth_cap() -> None:
    assert to_wire(nested(MAX_DEPTH - 1)) == nested(MAX_DEPTH - 1)
    with pytest.raises(ValueMappingError, match="nested deeper than 64 levels"):
        to_wire(nested(MAX_DEPTH + 1))
    with pytest.raises(ValueMappingError, match="nested deeper"):
        check_wire(nested(MAX_DEPTH + 1))


def test_self_reference_is_refused_not_a_crash() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(ValueMappingError, match="nested deeper"):
        to_wire(loop)


def test_size_cap() -> None:
    assert to_wire("x" * 100, max_bytes=105) == "x" * 100
    with pytest.raises(ValueMappingError, match="^args: value is larger than 105 bytes$"):
        to_wire(["x" * 100], "args", max_bytes=105)
    with pytest.raises(ValueMappingError, match="larger than"):
        to_wire([None] * 1000, max_bytes=1000)
    with pytest.raises(ValueMappingError, match="larger than"):
        to_wire("é" * 60, max_bytes=100)  # counted in UTF-8 bytes, not characters


@pytest.mark.parametrize(
    ("v", "message"),
    [
        ([2**64 - 1], r"^result\[0\]: integer of 64 bits"),
        ({b"k": 1}, r"^result: map key b'k' is not a string$"),
        ({"t": msgpack.Timestamp(1, 0)}, r"^result\.t: cannot send a Timestamp$"),
        ({"a": [(1,)]}, r"^result\.a\[0\]: cannot send a tuple$"),
    ],
)
def test_check_wire_refuses_what_msgpack_can_produce(v: Any, message: str) -> None:
    with pytest.raises(ValueMappingError, match=message):
        check_wire(v, "result")


wire_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(INT64_MIN, INT64_MAX)
    | st.floats(allow_nan=False)
    | st.text()
    | st.binary(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=100, deadline=None)
@given(wire_values)
def test_wire_values_survive_conversion_and_msgpack(v: Any) -> None:
    assert to_wire(v) == v
    check_wire(v)
    assert msgpack.unpackb(msgpack.packb(v, use_bin_type=True), raw=False) == v
