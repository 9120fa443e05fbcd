"""Fast paths of the generated code and of `json.decode` keep Go Tengo's results.

Expected values were checked with the real Go CLI (d5/tengo v2) where Go can show them.
"""

from __future__ import annotations

from typing import Any

import pytest

from scriptvisor.engines.tengo import compiler, parser, values
from scriptvisor.engines.tengo.builtins import BUILTINS
from scriptvisor.engines.tengo.stdlib import json as tjson


def run(source: str) -> dict[str, Any]:
    program = compiler.compile_program(parser.parse(source, "t.tengo"), "t.tengo", BUILTINS)
    return compiler.run_program(program, {}, lambda name: None)


def plain(v: Any) -> Any:
    if isinstance(v, values.Array):
        return [plain(e) for e in v.items()]
    return v


def test_hoisted_headers_write_through_a_slice_view() -> None:
    out = run(
        "a := [1, 2, 3, 4, 5]\nb := copy(a)\ns := a[1:3]\nk := 0\n"
        "for k < 3 { s[k % 2] = 10 + k; k++ }\n"
    )
    assert plain(out["a"]) == [1, 12, 11, 4, 5]
    assert plain(out["b"]) == [1, 2, 3, 4, 5]
    assert plain(out["s"]) == [12, 11]
    assert out["k"] == 3


def test_counted_while_leaves_the_counter_as_go_does() -> None:
    out = run(
        "q := 7\nfor q < 3 { q++ }\nm := 0\nfor m < 10 { if m == 4 { break }; m++ }\n"
        "n := 0\nt := 0\nfor n < 5 { t += n; n++ }\n"
    )
    assert (out["q"], out["m"], out["n"], out["t"]) == (7, 4, 5, 10)
    assert "range(" in _python("n := 0\nfor n < 5 { n++ }\n")


def test_counted_while_with_continue_stays_a_while_loop() -> None:
    source = "n := 0\nt := 0\nfor n < 5 { n++; if n == 2 { continue }; t += n }\n"
    assert run(source)["t"] == 13
    src = "n := 0\nt := 0\nfor n < 5 { if t > 100 { continue }; t += n; n++ }\n"
    assert "range(" not in _python(src)
    assert run(src)["t"] == 10


def test_hoisted_reads_keep_negative_and_out_of_range_behaviour() -> None:
    out = run("a := [1, 2, 3]\ni := -1\nt := 0\nfor j := 0; j < 2; j++ { t = a[i] }\n")
    assert out["t"] is None
    with pytest.raises(values.RuntimeErr, match="index out of bounds"):
        run("a := [1, 2, 3]\nk := 0\nfor k < 4 { a[k] = k; k++ }\n")


def test_no_hoisting_when_the_loop_calls_or_writes_the_array() -> None:
    appended = "a := [1]\nfor i := 0; i < 3; i++ { a = append(a, a[i] * 2) }\n"
    assert "_a_buf" not in _python(appended)
    assert plain(run(appended)["a"]) == [1, 2, 4, 8]
    called = "a := [1, 2]\nf := func() { a = [7, 8] }\nt := 0\n" \
        "for i := 0; i < 2; i++ { t += a[i]; f() }\n"
    assert run(called)["t"] == 9


def test_immutable_and_bool_indexes_take_the_runtime_path() -> None:
    out = run("a := immutable([1, 2])\nt := 0\nfor i := 0; i < 2; i++ { t += a[i] }\n")
    assert out["t"] == 3
    with pytest.raises(values.RuntimeErr):
        run("a := [1, 2]\nb := true\nt := 0\nfor i := 0; i < 2; i++ { t = a[b] }\n")


def test_modulo_and_division_of_a_computed_negative_value() -> None:
    out = run("x := -7\ny := (x * 3) % 4\nz := (x * 3) / 4\n")
    assert (out["y"], out["z"]) == (-1, -5)


def _python(source: str) -> str:
    return compiler.compile_program(
        parser.parse(source, "t.tengo"), "t.tengo", BUILTINS
    ).python_source


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b'[1, "a", [2, [3]], {"k": [4]}]', [1, "a", [2, [3]], {"k": [4]}]),
        (b'[9223372036854775808, -9223372036854775809]', [values.INT_MAX, values.INT_MIN]),
        (b'["\\ud800x", "\\u00e9"]', ["\ufffdx", "\u00e9"]),
        (b'["\xff", "\xe2\x80\xa8<>&"]', ["\ufffd", "\u2028<>&"]),
        (b'[1.5, 1e21, 1e-7, -0.0, 12345678901234567890.5]', [1.5, 1e21, 1e-7, -0.0,
                                                              12345678901234567890.5]),
    ],
)
def test_decode_fast_path_edges(text: bytes, expected: list[Any]) -> None:
    assert plain(_deep(tjson.go_decode(text))) == expected


def _deep(v: Any) -> Any:
    if isinstance(v, values.Array):
        return values.Array([_deep(e) for e in v.items()])
    if isinstance(v, dict):
        return {k: plain(_deep(e)) for k, e in v.items()}
    return v
