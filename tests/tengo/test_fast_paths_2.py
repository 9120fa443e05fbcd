"""Fast paths of performance round 2 keep the results of the general code they bypass.

- `json.encode` through Python's C encoder (after a size-bound walk) versus the
  Go-faithful Python encoder, compared on the values where the two could differ;
- the bulk decode walk of long lists;
- `copy()` of containers holding only shared leaves (a slice of the list);
- `x++` without an overflow check right after `x < n` proved it fits;
- loops generated twice, with array offsets known 0 and any.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from scriptvisor.engines import limits
from scriptvisor.engines.limits import MemoryLimitExceeded
from scriptvisor.engines.tengo import compiler, parser, values
from scriptvisor.engines.tengo.builtins import BUILTINS, builtin_copy
from scriptvisor.engines.tengo.stdlib import BUILTIN_MODULES
from scriptvisor.engines.tengo.stdlib import json as tjson
from scriptvisor.engines.tengo.values import (
    INT_MAX,
    INT_MIN,
    Array,
    Char,
    Error,
    ImmutableArray,
    ImmutableMap,
)

JSON = BUILTIN_MODULES["json"]()
TIMES = BUILTIN_MODULES["times"]()


def run(source: str) -> dict[str, Any]:
    program = compiler.compile_program(parser.parse(source, "t.tengo"), "t.tengo", BUILTINS)
    return compiler.run_program(program, {}, lambda name: None)


def plain(v: Any) -> Any:
    if isinstance(v, Array):
        return [plain(e) for e in v.items()]
    if isinstance(v, dict):
        return {k: plain(e) for k, e in v.items()}
    return v


# ---------------------------------------------------------------- json.encode


def slow_encode(value: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as m:
        m.setattr(tjson, "_fast_encode", lambda v: None)
        return JSON["encode"](value)


def both(value: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The fast result, checked equal to the Python encoder's."""
    fast = JSON["encode"](value)
    slow = slow_encode(value, monkeypatch)
    if type(slow) is Error:
        assert type(fast) is Error and fast.value == slow.value
    else:
        assert fast == slow
    return fast


def FN() -> None:
    """A function value: written as nothing."""


FLOATS: list[Any] = [0.0, -0.0, 3.0, -3.0, 100.5, 0.1, 1e-4, 1.5e-5, 1e-6, 1e-7, 1.25e-300, 1e15, 1e16,
          1.5e17, 1e20, 1e21, 1.5e300, 123456789.125, float("nan"), float("inf")]
STRINGS: list[Any] = ["", "plain", 'q"uote', "back\\slash", "\\b and \\f", "\b", "\f", "\x00\x01\x1f",
           "\n\r\t", "\x7f", "é ü ✓ 😀", "\u2028\u2029", "<>&", "unit-0.0,", "1e-5", "x.0]",
           "bad \udcff byte", "e+e-"]


@pytest.mark.parametrize("leaf", FLOATS + STRINGS, ids=repr)
def test_leaves_in_containers_match_the_python_encoder(
    leaf: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    both(Array([leaf]), monkeypatch)
    both({"k": leaf, "a": Array([1, leaf])}, monkeypatch)
    if type(leaf) is str:
        both({leaf: 1, "z": 2, "a": 3}, monkeypatch)


def test_go_float_forms() -> None:
    out = JSON["encode"](Array([3.0, -0.0, 1e-7, 1e16, 1e21, 100.5]))
    assert out == b"[3,-0,1e-7,10000000000000000,1e+21,100.5]"


def test_other_leaves(monkeypatch: pytest.MonkeyPatch) -> None:
    value = {"c": Char(97), "b": b"\x00\xff", "n": None, "t": True, "f": False,
             "fn": FN, "e": Error("x"), "i": Array([INT_MIN, INT_MAX])}
    assert both(value, monkeypatch) == (
        b'{"b":"AP8=","c":97,"e":,"f":false,"fn":,"i":[-9223372036854775808,'
        b'9223372036854775807],"n":null,"t":true}'
    )
    both(Array([TIMES["date"](2020, 1, 2, 3, 4, 5, 6)]), monkeypatch)


def test_key_order_is_byte_order(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = ["b", "a", "é", "\ue000", "😀", "Z", "\udc80", "\udcff", "aa", ""]
    out = both({k: 1 for k in keys}, monkeypatch)
    order = sorted(keys, key=values.to_bytes)
    assert out == ("{" + ",".join(f'"{k}":1' for k in order) + "}").encode(
        "utf-8", "surrogateescape")


def test_views_and_immutables(monkeypatch: pytest.MonkeyPatch) -> None:
    base = Array([1, 2, 3, 4, 5]).appended([6])  # spare capacity
    view = Array.view(base.buf, 2, 3, 4)
    inner = {"x": view}
    value = Array([base, view, ImmutableArray.view(base.buf, 1, 2, 5),
                   ImmutableMap(inner), Array([])])
    assert both(value, monkeypatch) == (
        b'[[1,2,3,4,5,6],[3,4,5],[2,3],{"x":[3,4,5]},[]]')
    assert both(ImmutableMap({"b": 1, "a": view}), monkeypatch) == b'{"a":[3,4,5],"b":1}'
    assert both(ImmutableArray.view([7, 8], 0, 2, 2), monkeypatch) == b"[7,8]"


def test_scalars_at_top_level(monkeypatch: pytest.MonkeyPatch) -> None:
    for leaf in [1, 2.0, "s", None, True, Char(10), b"ab", FN]:
        both(leaf, monkeypatch)


def test_long_containers(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = Array([{"id": i, "name": f"unit-{i}", "hp": 100.5, "tags": Array(["a", str(i)]),
                   "m": {"k": Array(list(range(i % 20)))}} for i in range(300)])
    both(rows, monkeypatch)
    both(Array(list(range(1000)) + ["x" * 30, b"y", Array([1.5] * 40)]), monkeypatch)


def test_shared_values_fall_back_and_match(monkeypatch: pytest.MonkeyPatch) -> None:
    m1 = {"a": 1}
    arr = Array([1, 2])
    value = {"x": m1, "y": m1, "z": Array([arr, arr, ImmutableMap(m1)])}
    assert tjson._fast_bound(value) is None
    both(value, monkeypatch)


def test_deep_values_fall_back(monkeypatch: pytest.MonkeyPatch) -> None:
    value: Any = 1
    for i in range(tjson.FAST_MAX_DEPTH + 5):
        value = Array([value]) if i % 2 else {"k": value}
    assert tjson._fast_bound(value) is None
    both(value, monkeypatch)


def test_cycles_still_error() -> None:
    d: dict[str, Any] = {}
    d["self"] = ImmutableMap(d)
    out = JSON["encode"](d)
    assert type(out) is Error and out.value == "exceeded max depth"
    arr = Array([1])
    arr.buf[0] = ImmutableArray.view(arr.buf, 0, 1, 1)
    out = JSON["encode"](arr)
    assert type(out) is Error and out.value == "exceeded max depth"


@pytest.fixture
def small_budget() -> Iterator[None]:
    saved = limits.budget.max_bytes
    limits.budget.max_bytes = 10_000
    yield
    limits.budget.max_bytes = saved


def test_exploding_shared_maps_hit_the_budget(small_budget: None) -> None:
    m: Any = {"v": "x" * 10}
    for _ in range(40):
        m = {"a": m, "b": m}
    with pytest.raises(MemoryLimitExceeded):
        JSON["encode"](m)


def test_exploding_immutable_views_hit_the_budget_quickly(small_budget: None) -> None:
    """Fresh views of one buffer at every level: the walk keys on storage, not views."""
    a = Array([1, 2])
    for _ in range(60):
        a = Array([ImmutableArray.view(a.buf, 0, 2, 2), ImmutableArray.view(a.buf, 0, 2, 2)])
    m: Any = {"v": 1}
    for _ in range(60):
        m = {"a": ImmutableMap(m), "b": ImmutableMap(m)}
    for value in (a, m):
        with pytest.raises(MemoryLimitExceeded):
            JSON["encode"](value)


def test_budget_bound_and_exact_check(small_budget: None) -> None:
    big = "x" * 1700
    assert tjson._fast_bound(Array([big])) is None  # 6x bound passes the budget
    assert JSON["encode"](Array([big])) == b'["' + big.encode() + b'"]'  # exact path
    with pytest.raises(MemoryLimitExceeded):
        JSON["encode"](Array(["y" * 1000] * 11))  # the same string, 11 times
    assert JSON["encode"](Array(["y" * 100] * 5)) == b"[" + b",".join(
        [b'"' + b"y" * 100 + b'"'] * 5) + b"]"


# ---------------------------------------------------------------- json.decode


def test_long_lists_decode_like_the_exact_decoder() -> None:
    docs = [
        "[" + ",".join(f'{{"i":{i},"l":[{i},[{i}]],"m":{{}}}}' for i in range(40)) + "]",
        "[" + ",".join(f"[{i},[{i}],{{\"k\":[1]}}]" for i in range(40)) + "]",
        "[" + ",".join(str(i) for i in range(40)) + ",[],{}]",
        '{"a":[' + ",".join(["[[]]"] * 30) + "]}",
    ]
    for doc in docs:
        data = doc.encode()
        fast = JSON["decode"](doc)
        assert plain(fast) == plain(tjson._parse_valid(data))

        def arrays_everywhere(v: Any) -> None:
            assert type(v) is not list
            if type(v) is Array or type(v) is dict:
                for e in v.values():
                    arrays_everywhere(e)

        arrays_everywhere(fast)


def test_long_list_decode_is_budget_checked(small_budget: None) -> None:
    with pytest.raises(MemoryLimitExceeded):
        JSON["decode"]("[[" + ",".join(["1"] * 1000) + "]" + ",1" * 20 + "]")


# ---------------------------------------------------------------- copy()


def test_copy_of_scalar_array_is_independent() -> None:
    leaf_bytes, ch = b"ab", Char(5)
    a = Array([1, 2.5, "s", True, None, leaf_bytes, ch, FN])
    c = builtin_copy(a)
    assert type(c) is Array and c.items() == a.items() and c.buf is not a.buf
    c.buf[0] = 99
    assert a.get(0) == 1
    view = builtin_copy(ImmutableArray.view([0, 1, 2, 3], 1, 2, 3))
    assert type(view) is Array and view.items() == [1, 2]


def test_copy_keeps_go_capacity_and_deep_copies_containers() -> None:
    out = run(
        "a := [1, 2, 3]\nb := copy(a)\nc := append(b, 4)\nd := append(b, 5)\n"
        "m := {x: 1, y: [1, 2]}\nn := copy(m)\nn.y[0] = 9\nn.x = 3\n"
        "im := immutable({k: 1})\njm := copy(im)\njm.k = 2\n"
        "nested := [[1], 2]\ncn := copy(nested)\ncn[0][0] = 7\n"
    )
    assert plain(out["c"]) == [1, 2, 3, 5] and plain(out["d"]) == [1, 2, 3, 5]  # as in Go
    assert plain(out["m"]) == {"x": 1, "y": [1, 2]}
    assert plain(out["n"]) == {"x": 3, "y": [9, 2]}
    assert type(out["jm"]) is dict and out["jm"] == {"k": 2}
    assert plain(out["nested"]) == [[1], 2] and plain(out["cn"]) == [[7], 2]


def test_copy_is_budget_charged(small_budget: None) -> None:
    with pytest.raises(MemoryLimitExceeded):
        builtin_copy(Array(list(range(1000))))
    with pytest.raises(MemoryLimitExceeded):
        builtin_copy({str(i): i for i in range(1000)})


# ---------------------------------------------------------------- bounded x++


def emitted(source: str) -> str:
    return compiler.compile_program(parser.parse(source, "t.tengo"), "t.tengo", BUILTINS).python_source


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x := 9223372036854775806\nn := 9223372036854775807\nif x < n { x++ }", INT_MAX),
        ("x := 9223372036854775806\nn := 9223372036854775807\nif n > x && true { x++ }",
         INT_MAX),
        # changed before the increment: the bound no longer holds
        ("x := 0\nn := 5\nif x < n { x = 9223372036854775807; x++ }", INT_MIN),
        ("x := 0\nn := 5\nif x < n { for i := 0; i < 1; i++ { x = 9223372036854775807 }\n"
         "x++ }", INT_MIN),
        # compared with a float: no int bound at all
        ("x := 9223372036854775807\ny := 1e300\nif x < y { x++ }", INT_MIN),
        # a closure can change it
        ("x := 0\nn := 5\nf := func() { x = 9223372036854775807 }\nif x < n { f(); x++ }",
         INT_MIN),
        # in a loop: the second increment is not guarded
        ("x := 9223372036854775806\nn := 9223372036854775807\n"
         "for k := 0; k < 2; k++ { if x < n { x++ }\n}", INT_MAX),
        ("x := 9223372036854775806\nn := 9223372036854775807\nif x < n { x++; x++ }", INT_MIN),
        ("x := 9223372036854775807\nn := 9223372036854775807\nif !(x < n) { x++ }", INT_MIN),
        ("x := 9223372036854775807\nn := 9223372036854775807\nif x < n { x = 1 } else { x++ }",
         INT_MIN),
    ],
)
def test_bounded_increment(source: str, expected: int) -> None:
    assert run(source)["x"] == expected


def test_bounded_increment_drops_the_check() -> None:
    code = emitted("x := 0\nn := 10\nfor n > 0 { if x < n { x++ }\nn-- }")
    assert "x = x + 1" in code


# ---------------------------------------------------------------- loop versions


MERGE = """
a := [5, 3, 9, 1, 7, 2, 8]
b := [0, 0, 0, 0, 0, 0, 0, 0, 0]
s := SUBJECT
t := TARGET
ls := len(s)
lt := len(t)
for k := 0; k < ls + 2; k++ {
    t[k % lt] = s[k % ls] * 10
    u := s[k]
}
result := [s, t]
"""


@pytest.mark.parametrize(
    ("subject", "target", "expected"),
    [
        ("a", "b", [[5, 3, 9, 1, 7, 2, 8], [50, 30, 90, 10, 70, 20, 80, 50, 30]]),
        ("a[2:5]", "b", [[9, 1, 7], [90, 10, 70, 90, 10, 0, 0, 0, 0]]),
        ("a", "b[3:]", [[5, 3, 9, 1, 7, 2, 8], [80, 50, 30, 10, 70, 20]]),
    ],
)
def test_loop_versions_agree(subject: str, target: str, expected: list[Any]) -> None:
    source = MERGE.replace("SUBJECT", subject).replace("TARGET", target)
    code = emitted(source)
    assert "_lo1 == 0" in code  # the loop was versioned
    assert plain(run(source)["result"]) == expected


def test_loop_versions_match_go_on_an_aliased_buffer() -> None:
    out = run(
        "a := [1, 2, 3, 4, 5, 6]\ns := a[1:]\nt := a[2:5]\n"
        "for k := 0; k < 3; k++ { t[k] = s[k] + 100 }\nresult := [a, s, t]"
    )
    assert plain(out["result"]) == [[1, 2, 102, 202, 302, 6], [2, 102, 202, 302, 6],
                                    [102, 202, 302]]


def test_nested_loops_are_versioned_once() -> None:
    source = (
        "a := [1, 2, 3]\nb := [4, 5, 6]\nsum := 0\n"
        "for i := 0; i < 3; i++ { for j := 0; j < 3; j++ { sum += a[i] * b[j] } }"
    )
    assert emitted(source).count("== 0") <= 2
    assert run(source)["sum"] == 90
