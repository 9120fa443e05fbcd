"""Plain Python <-> Tengo values at the engine's edge."""

import pytest

from scriptvisor.engines.tengo import interop
from scriptvisor.engines.tengo.values import Array, Char, Error, ImmutableArray, ImmutableMap


def test_plain_values_become_tengo_values() -> None:
    v = interop.to_tengo({"a": [1, 2.5, "x", None, True, b"\x00"], 3: (4,)})
    assert type(v) is dict
    assert type(v["a"]) is Array
    assert v["a"].items() == [1, 2.5, "x", None, True, b"\x00"]
    assert v["3"].items() == [4]


def test_round_trip_is_identity_for_plain_values() -> None:
    data = {"units": [{"hp": 10, "pos": [1.5, -2.0]}], "name": "ß", "ok": False, "none": None}
    assert interop.to_plain(interop.to_tengo(data)) == data


def test_tengo_only_values_follow_the_documented_rules() -> None:
    assert interop.to_plain(Char(ord("é"))) == "é"
    assert interop.to_plain(Error("boom")) == {"error": "boom"}
    assert interop.to_plain(ImmutableArray([1])) == [1]
    assert interop.to_plain(ImmutableMap({"k": Char(97)})) == {"k": "a"}


def test_invalid_utf8_leaves_as_replacement_characters() -> None:
    assert interop.to_plain(b"\xff".decode("utf-8", "surrogateescape")) == "\ufffd"


@pytest.mark.parametrize("bad", [1 << 63, -(1 << 63) - 1, {1, 2}, object()])
def test_unrepresentable_inputs_are_refused(bad: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        interop.to_tengo(bad)


def test_too_deep_structures_are_refused() -> None:
    deep: list[object] = []
    cur = deep
    for _ in range(100):
        nxt: list[object] = []
        cur.append(nxt)
        cur = nxt
    with pytest.raises(ValueError, match="deeper"):
        interop.to_tengo(deep)


def test_functions_cannot_leave_a_script() -> None:
    with pytest.raises(TypeError):
        interop.to_plain(lambda: None)


def test_host_function_failure_becomes_an_error_value() -> None:
    def explode(x: int) -> int:
        raise RuntimeError("host says no")

    wrapped = interop.host_function("explode", explode)
    out = wrapped(1)
    assert type(out) is Error
    assert out.value == "explode: host says no"


def test_host_function_sees_plain_values_and_returns_tengo_values() -> None:
    seen = []

    def echo(x: object) -> object:
        seen.append(x)
        return {"got": x}

    out = interop.host_function("echo", echo)(Array([Char(97), 2]))
    assert seen == [["a", 2]]
    assert type(out) is dict and type(out["got"]) is Array
