"""The Tengo compiler and runtime operators, table-tested against Go Tengo.

Every expected value in `GO_TENGO` was produced by the real Go CLI (d5/tengo v2): the
script ran with `fmt.print(string([result]))` appended, so an expectation is Go's
`String()` of `result`, or the error Go printed with its position. The targeted tests
below the table cover what the CLI cannot show (inputs, imports, modules, positions,
Python-level properties) and the few places where the port deliberately differs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from scriptvisor.engines.tengo import compiler, parser, runtime, values
from scriptvisor.engines.tengo.builtins import BUILTINS
from scriptvisor.protocol.errors import ScriptError

_KINDS = {"invalid_syntax": "Parse", "compilation": "Compile"}


def build(source: str, name: str = "t.tengo", module: bool | None = None) -> compiler.Program:
    return compiler.compile_program(parser.parse(source, name), name, BUILTINS, module=module)


def execute(
    program: compiler.Program,
    env: Mapping[str, Any] | None = None,
    importer: Callable[[str], Any] | None = None,
) -> dict[str, Any]:
    return compiler.run_program(program, env or {}, importer or _no_import)


def _no_import(name: str) -> Any:
    raise values.RuntimeErr(f"module '{name}' not found")


def run(source: str, env: Mapping[str, Any] | None = None) -> str:
    """`String()` of the script's `result`, or its error as `ERR <kind>: <message> @l:c`
    (an input the environment lacks is Go's compile error, as the engine reports it)."""
    try:
        program = build(source)
    except ScriptError as exc:
        return f"ERR {_KINDS[exc.type.value]}: {exc.message} @{exc.line}:{exc.column}"
    for name, (line, col) in program.free_names.items():
        if env is None or name not in env:
            return f"ERR Compile: unresolved reference '{name}' @{line}:{col}"
    try:
        scope = execute(program, env)
    except values.RuntimeErr as exc:
        where = compiler.error_position(exc)
        assert where is not None, "every runtime error maps to a script position"
        return f"ERR Runtime: {exc} @{where[1]}:{where[2]}"
    return values.go_string(scope.get("result"))


GO_TENGO: list[tuple[str, str]] = [
    # ---- ints, wraparound, division
    ('result := [9223372036854775807 + 1, -9223372036854775807 - 2, 4611686018427387904 * 4, 3037000500 * 3037000500]', '[-9223372036854775808, 9223372036854775807, 0, -9223372036709301616]'),
    ('min := -9223372036854775807 - 1\nresult := [min / -1, min % -1, -min, min * -1, min - 1]', '[-9223372036854775808, 0, -9223372036854775808, -9223372036854775808, 9223372036854775807]'),
    ('result := [7 / 2, -7 / 2, 7 / -2, -7 / -2, 7 % 3, -7 % 3, 7 % -3, -7 % -3]', '[3, -3, -3, 3, 1, -1, 1, -1]'),
    ('result := [1 << -1, -8 >> -1, 8 >> -1, 1 << 63, 1 << 64, -1 >> 100, 5 << 2, -20 >> 2]', '[0, -1, 0, -9223372036854775808, 0, -1, 20, -5]'),
    ('a := 3\nb := 70\nresult := [a << b, a >> b, -a >> b, a << 62, a << 61]', '[0, 0, -1, -4611686018427387904, 6917529027641081856]'),
    ('result := [12 & 10, 12 | 10, 12 ^ 10, 12 &^ 10, ^5, ^-1, -1 & 255]', '[8, 14, 6, 4, -6, 0, 255]'),
    ('x := 9223372036854775807\nx++\ny := -9223372036854775807 - 1\ny--\nresult := [x, y]', '[-9223372036854775808, 9223372036854775807]'),
    ('x := 9223372036854775807\nx += 1\nz := 3\nz *= 4611686018427387904\nresult := [x, z]', '[-9223372036854775808, -4611686018427387904]'),
    ('i := 0\nfor i < 10 { i += 3 }\nresult := i', '12'),
    ('result := [1 + 2 * 3 - 4 / 2, (1 + 2) * 3, 10 % 4 * 3, 2 + 3 << 1, 1 | 2 ^ 3 & 4]', '[5, 9, 6, 8, 3]'),
    ('result := 1 + "a"', 'ERR Runtime: invalid operation: int + string @1:11'),
    ('result := 1.5 % 2', 'ERR Runtime: invalid operation: float % int @1:11'),
    ('result := 5 % 2.0', 'ERR Runtime: invalid operation: int % float @1:11'),
    ('result := 1 << 1.0', 'ERR Runtime: invalid operation: int << float @1:11'),
    ('result := true + 1', 'ERR Runtime: invalid operation: bool + int @1:11'),
    ('result := 1 + true', 'ERR Runtime: invalid operation: int + bool @1:11'),
    ('result := undefined + 1', 'ERR Runtime: invalid operation: undefined + int @1:11'),
    ('result := [1] - [1]', 'ERR Runtime: invalid operation: array - array @1:11'),
    ('result := {} + {}', 'ERR Runtime: invalid operation: map + map @1:11'),
    ('x := "s"\nresult := x * 2', 'ERR Runtime: invalid operation: string * int @2:11'),
    ('result := error(1) + 1', 'ERR Runtime: invalid operation: error + int @1:11'),
    ('result := 1 < "a"', 'ERR Runtime: invalid operation: int < string @1:11'),
    ('result := true < false', 'ERR Runtime: invalid operation: bool < bool @1:11'),
    # ---- floats
    ('result := [0.1 + 0.2, 1.0 / 3, 1 / 2.0, 2.5 * 2, 10.0 - 0.25, 1e21, 1e-7, 1.5e300 / 1e290]', '[0.30000000000000004, 0.3333333333333333, 0.5, 5, 9.75, 1000000000000000000000, 0.0000001, 15000000000]'),
    ('result := [1.0 / 0, -1.0 / 0, 0.0 / 0.0 == 0.0 / 0.0, 1 / 0.0]', '[+Inf, -Inf, false, +Inf]'),
    ('z := 0.0\nresult := [-z, z * -1, -z + 0.0, z - 0.0, 0.0 + -0.0, -0.0 - 0.0]', '[-0, 0, -0, 0, 0, -0]'),
    ('result := [1 == 1.0, 1.0 == 1, 2 == 2.5, 9007199254740993 == 9007199254740992.0, 1 < 1.5, 2.0 >= 2]', '[true, true, false, true, true, true]'),
    ('result := [type_name(1 + 1.0), type_name(1.0 + 1), type_name(2 * 1.5), string(1.0), string(-0.0), string(1.5)]', '["float", "float", "float", "1", "-0", "1.5"]'),
    ('n := 0.0 / 0.0\nresult := [n == n, n != n, n < 1.0, !n, n ? 1 : 2, 0.0 ? 1 : 2]', '[false, true, false, true, 2, 1]'),
    # ---- chars
    ("result := ['a' + 1, 'b' - 1, 'b' - 'a', 1 + 'a', 'a' < 'b', 'a' < 98, 97 < 'b', 'a' == 97, 'a' == 'a']", '[b, a, \x01, b, true, true, true, false, true]'),
    ("result := [type_name('a' + 1), type_name(1 + 'a'), type_name('b' - 'a'), 'a' + 4294967296, int(4294967297 + 'a')]", '["char", "char", "char", a, 98]'),
    ("result := 'a' * 2", 'ERR Runtime: invalid operation: char * int @1:11'),
    ("result := 'a' < 1.5", 'ERR Runtime: invalid operation: char < float @1:11'),
    ("result := -'a'", 'ERR Runtime: invalid operation: -char @1:12'),
    ("c := 'a'\nc++\nc += 2\nresult := c", 'd'),
    # ---- strings
    ('result := ["a" + "b", "a" + 1, "a" + 1.5, "a" + true, "a" + \'c\', "a" + [1, "b"], "a" + {x: "y"}, "" + undefined, "x" + error("e")]', '["ab", "a1", "a1.5", "atrue", "ac", "a[1, \\"b\\"]", "a{x: \\"y\\"}", "<undefined>", "xerror: \\"e\\""]'),
    ('result := ["a" < "b", "B" < "a", "é" > "z", "ab" > "a", "" < "a", "a" <= "a"]', '[true, true, true, true, true, true]'),
    ('s := "héllo"\nresult := [s[0], s[1], s[2], s[10], s[-1], len(s)]', '[h, é, l, <undefined>, <undefined>, 6]'),
    ('s := "héllo"\nresult := [s[0:1], s[1:3], s[3:], s[:2], s[5:9], s[6:]]', '["h", "é", "llo", "h\\xc3", "o", ""]'),
    ('s := "abc"\nresult := s[5:]', 'ERR Runtime: invalid slice index: 5 > 3 @2:11'),
    ('s := "abc"\nresult := s[2:1]', 'ERR Runtime: invalid slice index: 2 > 1 @2:15'),
    ('s := "abc"\nresult := s["a"]', 'ERR Runtime: invalid index type: string @2:13'),
    ('s := "abc"\nresult := s[1.0:]', 'ERR Runtime: invalid slice index type: float @2:11'),
    ('s := "abc"\nresult := s[0:true]', 'ERR Runtime: invalid slice index type: bool @2:15'),
    ('r := []\nfor i, c in "hé!" { r = append(r, [i, c, type_name(c)]) }\nresult := r', '[[0, h, "char"], [1, é, "char"], [2, !, "char"]]'),
    ('r := ""\nfor c in "abc" { r = string(c) + r }\nresult := r', '"cba"'),
    ('s := "a"\ns += 1\ns += [2]\nresult := s', '"a1[2]"'),
    ('result := "abc" - "c"', 'ERR Runtime: invalid operation: string - string @1:11'),
    ('result := "\\"q\\"" + ["\\n"]', '"\\"q\\"[\\"\\\\n\\"]"'),
    # ---- bytes
    ('b := bytes("abc")\nresult := [b[0], b[5], b[1:], b + bytes("d"), len(b), b == bytes("abc")]', '[97, <undefined>, bc, abcd, 3, true]'),
    ('r := []\nfor i, v in bytes("hi") { r = append(r, i, v) }\nresult := r', '[0, 104, 1, 105]'),
    ('result := bytes("a") + "b"', 'ERR Runtime: invalid operation: bytes + string @1:11'),
    ('b := bytes("a")\nb[0] = 1\nresult := b', 'ERR Runtime: not index-assignable: bytes @2:1'),
    # ---- bools, truthiness, logical
    ('result := [!0, !1, !"", !"a", ![], ![0], !{}, !{a: 1}, !undefined, !error(1), !0.0, !true, !!5, !\'\\x00\']', '[true, false, true, false, true, false, true, false, true, true, false, false, true, true]'),
    ('result := [1 && 2, 0 && 2, 1 || 2, 0 || 2, "" || "x", undefined || [], [] && 1, 0.0 && "y", false || 0, true && "t"]', '[2, 0, 1, 2, "x", [], [], "y", 0, "t"]'),
    ('n := 0\nbump := func() { n++; return true }\na := false && bump()\nb := true || bump()\nc := true && bump()\nd := false || bump()\nresult := [a, b, c, d, n]', '[false, true, true, true, 2]'),
    ('r := []\nfor _, v in [0, 1, "", "a", [], [1], {}, undefined, error(1), 0.0, \'a\', true, false] { if v { r = append(r, 1) } else { r = append(r, 0) } }\nresult := r', '[0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 0]'),
    ('x := 5\nresult := x > 3 ? "big" : x > 1 ? "mid" : "small"', '"big"'),
    ('n := 0\ninc := func() { n++; return n }\na := true ? inc() : inc() * 100\nresult := [a, n]', '[1, 1]'),
    ('result := [true == 1, 1 == true, undefined == undefined, undefined == 0, 0 == undefined, "" == undefined, false == 0]', '[false, false, true, false, false, false, false]'),
    ('result := [-true]', 'ERR Runtime: invalid operation: -bool @1:13'),
    ('result := [^true]', 'ERR Runtime: invalid operation: ^bool @1:13'),
    # ---- equality
    ('result := [[1, 2] == [1, 2], [1, [2]] == [1, [2]], [1] == [1.0], [1] == immutable([1]), [] == [], [1] == [1, 1]]', '[true, true, true, true, true, false]'),
    ('result := [{a: 1} == {a: 1}, {a: 1} == {a: 2}, {a: 1} == immutable({a: 1}), {a: 1} == {b: 1}, {a: undefined} == {b: 1}]', '[true, false, true, false, false]'),
    ('e := error(1)\nf := func() {}\ng := f\nresult := [e == e, error(1) == error(1), f == f, f == g, f != f, len == len, [f] == [f]]', '[true, false, false, false, true, false, false]'),
    ('n := 0.0 / 0.0\nresult := [[n] == [n], {a: n} == {a: n}]', '[false, false]'),
    ('x := 1\ny := "1"\nresult := [x == y, y == x, x != y, \'a\' == "a", 1 == 1, "a" == "a"]', '[false, false, true, false, true, true]'),
    # ---- arrays
    ('a := [1, 2, 3]\nresult := [a[0], a[2], a[3], a[-1], len(a)]', '[1, 3, <undefined>, <undefined>, 3]'),
    ('a := [1, 2, 3]\nresult := a["1"]', 'ERR Runtime: invalid index type: string @2:13'),
    ('a := [1, 2, 3]\nresult := a[1.0]', 'ERR Runtime: invalid index type: float @2:13'),
    ('a := [1, 2, 3]\na[1.7] = 10\na["2"] = 20\na[true] = 30\nresult := a', '[1, 30, 20]'),
    ('a := [1, 2, 3]\na[3] = 1\nresult := a', 'ERR Runtime: index out of bounds @2:1'),
    ('a := [1, 2, 3]\na[-1] = 1\nresult := a', 'ERR Runtime: index out of bounds @2:1'),
    ('a := [1, 2, 3]\na["x"] = 1\nresult := a', 'ERR Runtime: invalid index type @2:1'),
    ('a := [1, 2, 3]\na[[1]] = 1\nresult := a', 'ERR Runtime: invalid index type @2:1'),
    ('a := [1, 2, 3, 4]\nb := a[1:3]\nb[0] = 20\nresult := [a, b, a[:2], a[2:], a[:], a[3:1 + 2]]', '[[1, 20, 3, 4], [20, 3], [1, 20], [3, 4], [1, 20, 3, 4], []]'),
    ('a := [1, 2, 3]\nresult := [a[-5:2], a[1:100], a[3:], a[10:20]]', '[[1, 2], [2, 3], [], []]'),
    ('a := [1, 2, 3]\nresult := a[5:]', 'ERR Runtime: invalid slice index: 5 > 3 @2:11'),
    ('a := [1, 2, 3]\nb := a[:1]\nc := append(b, 99)\nresult := [a, b, c]', '[[1, 99, 3], [1], [1, 99]]'),
    ('a := [1, 2]\nb := a + [3, [4]]\nresult := [b, a, a + [], [] + a]', '[[1, 2, 3, [4]], [1, 2], [1, 2], [1, 2]]'),
    ('result := [1] + immutable([2])', 'ERR Runtime: invalid operation: array + immutable-array @1:11'),
    ('result := immutable([1]) + immutable([2])', '[1, 2]'),
    ('result := [1] + 1', 'ERR Runtime: invalid operation: array + int @1:11'),
    ('result := [1] < [2]', 'ERR Runtime: invalid operation: array < array @1:11'),
    ('a := [[1, 2], [3, 4]]\na[1][0] = 30\na[0][1] += 5\nresult := a', '[[1, 7], [30, 4]]'),
    ('r := []\nfor i, v in [10, 20] { r = append(r, i * 100 + v) }\nfor v in [1, 2] { r = append(r, v) }\nfor i, _ in [7, 8] { r = append(r, i) }\nresult := r', '[10, 120, 1, 2, 0, 1]'),
    ('a := [1, 2, 3]\nr := []\nfor i, v in a { if i == 0 { a[2] = 30 }; r = append(r, v) }\nresult := r', '[1, 2, 30]'),
    ('a := [1, 2, 3]\nr := 0\nfor v in a { a = append(a, v); r++ }\nresult := [r, len(a)]', '[3, 6]'),
    # ---- maps
    ('m := {a: 1, b: {c: 2}}\nresult := [m.a, m["a"], m.x, m.b.c, m["b"]["c"], m.x.y]', '[1, 1, <undefined>, 2, 2, <undefined>]'),
    ('m := {}\nm.a = 1\nm["b"] = 2\nm[3] = 3\nm[true] = 4\nm[\'c\'] = 5\nm[1.5] = 6\nresult := [m.a, m.b, m["3"], m[3], m["true"], m.c, m["1.5"], len(m)]', '[1, 2, 3, 3, 4, 5, 6, 6]'),
    ('m := {}\nm[undefined] = 1\nresult := m', 'ERR Runtime: invalid index type @2:1'),
    ('m := {}\nresult := m[undefined]', 'ERR Runtime: invalid index type: undefined @2:13'),
    ('m := {a: {b: 1}}\nm.a.b += 10\nm.a.c = 5\nresult := [m.a.b, m.a.c]', '[11, 5]'),
    ('m := {}\nresult := 0\nm.x.y = 1', 'ERR Runtime: not index-assignable: undefined @3:1'),
    ('m := {a: 1}\nresult := 0\nm.a.b = 1', 'ERR Runtime: not index-assignable: int @3:1'),
    ('m := {}\nresult := 0\nm.x += 1', 'ERR Runtime: invalid operation: undefined + int @3:1'),
    ('m := {n: 1}\nm.n++\nm["n"] += 5\nresult := m.n', '7'),
    ('m := {a: 1}\nr := []\nfor k, v in m { r = append(r, k, v) }\nfor k in m { r = append(r, k) }\nresult := r', '["a", 1, 1]'),
    ('m := {a: 1}\nresult := immutable(m)\nm.a = 2', '{a: 2}'),
    ('m := {a: 1}\ni := immutable(m)\ni.a = 2\nresult := i', 'ERR Runtime: not index-assignable: immutable-map @3:1'),
    ('a := [1]\ni := immutable(a)\na[0] = 5\nresult := [i, type_name(i), i[0], is_immutable_array(i)]', '[[5], "immutable-array", 5, true]'),
    ('a := immutable([1, 2, 3])\nb := a[1:]\nb[0] = 9\nresult := [a, b, type_name(b)]', '[[1, 9, 3], [9, 3], "array"]'),
    ('a := immutable([1])\na[0] = 2\nresult := a', 'ERR Runtime: not index-assignable: immutable-array @2:1'),
    ('result := {a: 1} + {b: 2}', 'ERR Runtime: invalid operation: map + map @1:11'),
    ('result := {} < {}', 'ERR Runtime: invalid operation: map < map @1:11'),
    ('m := {a: 1, a: 2}\nresult := m.a', '2'),
    # ---- undefined, errors
    ('x := undefined\nresult := [x[1], x.foo, x["a"]]', '[<undefined>, <undefined>, <undefined>]'),
    ('r := 0\nfor x in undefined { r++ }\nresult := r', '0'),
    ('e := error("bad")\nresult := [e.value, e["value"], is_error(e), string(e), type_name(e), !e]', '["bad", "bad", true, "error: \\"bad\\"", "error", true]'),
    ('e := error("bad")\nresult := e.foo', 'ERR Runtime: invalid index on error @2:13'),
    ('e := error([1, 2])\nresult := e', 'error: [1, 2]'),
    ('result := error(error(1))', 'error: error: 1'),
    ('x := 1\nresult := x[1]', 'ERR Runtime: not indexable: int @2:13'),
    ('x := 1\nresult := x.foo', 'ERR Runtime: not indexable: string @2:13'),
    ('x := 1.5\nresult := x["a"]', 'ERR Runtime: not indexable: string @2:13'),
    ('x := true\nresult := x[0:1]', 'ERR Runtime: not indexable: bool @2:15'),
    ('result := 0\nfor x in 5 {}', 'ERR Runtime: not iterable: int @2:10'),
    ('result := 0\nfor k, v in 1.5 {}', 'ERR Runtime: not iterable: float @2:13'),
    ('x := 5\nresult := x(1)', 'ERR Runtime: not callable: int @2:11'),
    ('x := "s"\nresult := x()', 'ERR Runtime: not callable: string @2:11'),
    ('x := undefined\nresult := x()', 'ERR Runtime: not callable: undefined @2:11'),
    ('x := [1]\nresult := x()', 'ERR Runtime: not callable: array @2:11'),
    # ---- functions and calls
    ('f := func(a, b) { return a + b }\nresult := f(1)', 'ERR Runtime: wrong number of arguments: want=2, got=1 @2:11'),
    ('f := func(a, b) { return a + b }\nresult := f(1, 2, 3)', 'ERR Runtime: wrong number of arguments: want=2, got=3 @2:11'),
    ('f := func() { return 1 }\nresult := f(1)', 'ERR Runtime: wrong number of arguments: want=0, got=1 @2:11'),
    ('f := func(a, ...b) { return [a, b] }\nresult := [f(1), f(1, 2, 3), f([1, 2]...), f(1, [2, 3]...)]', '[[1, []], [1, [2, 3]], [1, [2]], [1, [2, 3]]]'),
    ('f := func(a, ...b) { return [a, b] }\nresult := f()', 'ERR Runtime: wrong number of arguments: want>=1, got=0 @2:11'),
    ('f := func(...a) { return a }\nresult := [f(), f(1), type_name(f())]', '[[], [1], "array"]'),
    ('f := func(a, b) { return [a, b] }\nresult := f([1, 2]...)', '[1, 2]'),
    ('f := func(a, b) { return [a, b] }\nresult := f([1, 2, 3]...)', 'ERR Runtime: wrong number of arguments: want=2, got=3 @2:11'),
    ('f := func(a, b) { return [a, b] }\nresult := f(1, 2...)', "ERR Parse: expected selector, found '.' @2:19"),
    ('f := func(a) { return a }\nresult := f(immutable([7])...)', '7'),
    ('f := func() {}\nresult := [f(), type_name(f), type_name(len), string(f)]', '[<undefined>, "compiled-function", "builtin-function:len", "<compiled-function>"]'),
    ('f := func() { return }\nresult := f()', '<undefined>'),
    ('result := len(1)', "ERR Runtime: invalid type for argument 'first' in call to 'builtin-function:len': expected array/string/bytes/map, found int @1:11"),
    ('result := len()', "ERR Runtime: wrong number of arguments in call to 'builtin-function:len' @1:11"),
    ('result := len(1, 2)', "ERR Runtime: wrong number of arguments in call to 'builtin-function:len' @1:11"),
    ('result := append()', "ERR Runtime: wrong number of arguments in call to 'builtin-function:append' @1:11"),
    ('add := func(x) { return func(y) { return x + y } }\nresult := add(1)(2)', '3'),
    ('f := func(n) { if n == 0 { return 0 }; return n + f(n - 1) }\nresult := f(100)', '5050'),
    ('sum := func(n, acc) { if n == 0 { return acc }; return sum(n - 1, acc + n) }\nresult := sum(100000, 0)', '5000050000'),
    ('count := func(n) { if n == 0 { return "done" }; return count(n - 1) }\nresult := count(200000)', '"done"'),
    ('f := func(n) { if n == 0 { return 42 }; f(n - 1) }\nresult := f(5)', '42'),
    ('g := func(n) { if n == 0 { return 42 }; g(n - 1); return }\nresult := g(5)', '42'),
    ('h := func(n) { if n == 0 { return 42 }; h(n - 1); return 1 }\nresult := h(5)', '1'),
    ('k := func(n) { if n > 0 { k(n - 1) } else { return 7 } }\nresult := k(3)', '<undefined>'),
    ('k := func(n) { if n > 0 { k(n - 1) }; return }\nresult := k(3)', '<undefined>'),
    ('j := func(n) { if n == 0 { return 9 }; if true { j(n - 1) } }\nresult := j(3)', '9'),
    ('m := func(n) { if n == 0 { return 9 }; for i := 0; i < 1; i++ { m(n - 1) } }\nresult := m(3)', '<undefined>'),
    ('even := undefined\nodd := func(n) { return n == 0 ? false : even(n - 1) }\neven = func(n) { return n == 0 ? true : odd(n - 1) }\nresult := [even(10), odd(7)]', '[true, true]'),
    ('fib := func(n) { if n < 2 { return n }; return fib(n - 1) + fib(n - 2) }\nresult := fib(20)', '6765'),
    ('f := func(x) { return x * 2 }\ng := f\nf = func(x) { return x * 3 }\nresult := [g(1), f(1)]', '[2, 3]'),
    ('f := func() { a := 1; b := func() { a = 2 }; b(); return a }\nresult := f()', '2'),
    ('f := func() { a := 1; b := func() { return func() { a += 10; return a } }; return [b()(), a] }\nresult := f()', '[11, 11]'),
    ('x := 10\nf := func() { x = 20 }\nf()\nresult := x', '20'),
    ('counter := func() { c := 0; return func() { c++; return c } }\nc1 := counter()\nc2 := counter()\nresult := [c1(), c1(), c2(), c1()]', '[1, 2, 1, 3]'),
    # ---- scoping and closures
    ('x := 1\nif true { x := 2; x = 3 }\nresult := x', '1'),
    ('x := 1\nif true { x = 2 }\nresult := x', '2'),
    ('x := 5\nf := func() { x := x + 1; return x }\nresult := [f(), x]', '[6, 5]'),
    ('g := func(a) { a := a * 2; return a }\nresult := g(4)', '8'),
    ('x := 1\nfor i := 0; i < 3; i++ { x := i; x++ }\nresult := x', '1'),
    ('if true { len := func(x) { return 42 }; result := len(1) }\nresult := len([1])', '1'),
    ('f := func() { len := 5; return len }\nresult := f()', '5'),
    ('fs := []\nfor i := 0; i < 3; i++ { fs = append(fs, func() { return i }) }\nresult := [fs[0](), fs[1](), fs[2]()]', '[3, 3, 3]'),
    ('fs := []\nfor x in [1, 2, 3] { fs = append(fs, func() { return x }) }\nresult := [fs[0](), fs[1](), fs[2]()]', '[3, 3, 3]'),
    ('fs := []\nfor x in [1, 2, 3] { y := x * 10; fs = append(fs, func() { return y }) }\nresult := [fs[0](), fs[1](), fs[2]()]', '[30, 30, 30]'),
    ('mk := func() { fs := []; for x in [1, 2, 3] { fs = append(fs, func() { return x }) }; return fs }\nfs := mk()\nresult := [fs[0](), fs[1](), fs[2]()]', '[1, 2, 3]'),
    ('mk := func() { fs := []; for i := 0; i < 3; i++ { fs = append(fs, func() { return i }) }; return fs }\nfs := mk()\nresult := [fs[0](), fs[1](), fs[2]()]', '[3, 3, 3]'),
    ('mk := func() { fs := []; for i := 0; i < 3; i++ { j := i; fs = append(fs, func() { return j }) }; return fs }\nfs := mk()\nresult := [fs[0](), fs[1](), fs[2]()]', '[0, 1, 2]'),
    ('mk := func() { fs := []; for i := 0; i < 3; i++ { j := i; fs = append(fs, func() { j += 100; return j }); j = -1 }; return fs }\nfs := mk()\nresult := [fs[0](), fs[0](), fs[1](), fs[2]()]', '[99, 199, 99, 99]'),
    ('mk := func() { fs := []; for i := 0; i < 3; i++ { f := func(n) { return n == 0 ? i : f(n - 1) }; fs = append(fs, f) }; return fs }\nfs := mk()\nresult := [fs[0](2), fs[1](2), fs[2](5)]', '[3, 3, 3]'),
    ('mk := func() { fs := []; for k, v in {a: 1} { fs = append(fs, func() { return k + string(v) }) }; return fs }\nresult := mk()[0]()', '"a1"'),
    ('x := 1\nf := func() { return x }\nx = 2\nresult := f()', '2'),
    ('a := 1\nf := func() { b := 2; g := func() { return a + b }; b = 5; return g() }\nresult := f()', '6'),
    ('x := 1\nfunc() { x := 2 }()\nresult := x', '1'),
    # ---- loops
    ('r := []\nfor i := 0; i < 10; i++ { if i % 2 == 0 { continue }; if i > 7 { break }; r = append(r, i) }\nresult := r', '[1, 3, 5, 7]'),
    ('i := 0\nr := 0\nfor ; i < 5; i++ { if i == 2 { continue }; r += i }\nresult := [i, r]', '[5, 8]'),
    ('n := 0\nfor { n++; if n == 5 { break } }\nresult := n', '5'),
    ('r := []\nfor i := 0; i < 3; i++ { for j := 0; j < 3; j++ { if j == 1 { continue }; if j == 2 { break }; r = append(r, [i, j]) } }\nresult := r', '[[0, 0], [1, 0], [2, 0]]'),
    ('r := 0\nfor i := 0; i < 10; i += 3 { r += i }\nresult := r', '18'),
    ('r := 0\nfor i := 10; i < 5; i++ { r++ }\nresult := r', '0'),
    ('r := 0\nfor i := 0; i <= 5; i++ { r += i }\nresult := r', '15'),
    ('r := []\nn := 3\nfor i := 0; i < n; i++ { n = 5; r = append(r, i) }\nresult := r', '[0, 1, 2, 3, 4]'),
    ('r := []\nfor i := 0; i < 5; i++ { r = append(r, i); i++ }\nresult := r', '[0, 2, 4]'),
    ('s := 0\nfor i := 0; i < 1000; i++ { s += i * i }\nresult := s', '332833500'),
    ('r := []\nfor x := 1; x < 100; x *= 3 { r = append(r, x) }\nresult := r', '[1, 3, 9, 27, 81]'),
    ('i := 100\nfor i := 0; i < 3; i++ {}\nresult := i', '100'),
    ('result := 0\nfor i := 0.5; i < 3; i++ { result += i }', '4.5'),
    # ---- compile errors
    ('result := 1\nlen := 5', "ERR Compile: 'len' redeclared in this block @2:1"),
    ('result := 1\nx := 1\nx := 2', "ERR Compile: 'x' redeclared in this block @3:1"),
    ('result := 1\na, b := 1, 2', 'ERR Compile: tuple assignment not allowed @2:1'),
    ('result := 1\nfor { break }\ncontinue', 'ERR Compile: continue not allowed outside loop @3:1'),
    ('result := 1\nbreak', 'ERR Compile: break not allowed outside loop @2:1'),
    ('result := 1\nreturn 5', 'ERR Compile: return not allowed outside function @2:1'),
    ('result := 1\nf := func() { export 1 }', 'ERR Compile: export not allowed inside function @2:15'),
    ('result := 1\ny = 1', "ERR Compile: unresolved reference 'y' @2:1"),
    ('result := 1\nx := 1\nx.a := 2', "ERR Compile: operator ':=' not allowed with selector @3:1"),
    ('result := 1\nif x := 1; x > 0 { result = x }\nx = 3', "ERR Compile: unresolved reference 'x' @3:1"),
    ('result := [1, 2,]', "ERR Parse: expected array element, found ']' @1:17"),
    ('result := 08', 'ERR Parse: invalid integer @1:11'),
    ('result := -9223372036854775808', 'ERR Parse: invalid integer @1:12'),
    ('result := 017', '15'),
    ('result := 0x7FFFFFFFFFFFFFFF', '9223372036854775807'),
    # ---- error(), immutable(), misc
    ('result := [is_error(error(1)), error(1).value, type_name(immutable({})), type_name(immutable(5))]', '[true, 1, "immutable-map", "int"]'),
    ('m := immutable({a: {b: 1}})\nm.a.b = 2\nresult := m', '{a: {b: 2}}'),
    ('x := 1\nx = "s"\nx = [x]\nresult := x', '["s"]'),
    ('result := [string(undefined), is_undefined(string(undefined))]', '[<undefined>, true]'),
    ('result := {a: [1, {b: 2}]}', '{a: [1, {b: 2}]}'),
    ('result := [type_name(1), type_name(1.0), type_name(""), type_name(\'a\'), type_name(true), type_name(undefined), type_name([]), type_name({}), type_name(bytes(1)), type_name(error(1))]', '["int", "float", "string", "char", "bool", "undefined", "array", "map", "bytes", "error"]'),
    ('export 5\nresult := 7', '7'),
    ('result := 3\nexport result + 1\nresult = 9', '9'),
    ('a := [1, 2, 3]; b := append(a, 4); c := append(a, 5)\nd := [1, 2]; e := append(d, 3); f := append(d, 4)\nresult := [b, c, e, f]', '[[1, 2, 3, 5], [1, 2, 3, 5], [1, 2, 3], [1, 2, 4]]'),
    ('v := func(...x) { return x }\nw := v(1, 2, 3)\ny := append(w, 4)\nz := append(w, 5)\nresult := [y, z]', '[[1, 2, 3, 4], [1, 2, 3, 5]]'),
    ('a := []\nfor i := 0; i < 5; i++ { a = append(a, i) }\nb := append(a[:2], 9)\nresult := [a, b]', '[[0, 1, 9, 3, 4], [0, 1, 9]]'),
    ('a := [1, 2, 3, 4]\ns := a[1:2]\nt := append(s, 7)\nresult := [a, s, t, len(t)]', '[[1, 2, 7, 4], [2], [2, 7], 2]'),
    ('x := undefined\nresult := 0\nx++', 'ERR Runtime: invalid operation: undefined + int @3:1'),
    ('a := [1]\na[0]++\na[0] += 10\nresult := a', '[12]'),
    ('s := "ab"\ns += \'c\'\nresult := s', '"abc"'),
    ('r := []\nfor k, v in immutable({a: [1]}) { r = append(r, k, v) }\nfor i, v in immutable([5, 6]) { r = append(r, i, v) }\nresult := r', '["a", [1], 0, 5, 1, 6]'),
    ('f := func() { append := func(a, b) { return "mine" }; return append([], 1) }\nresult := f()', '"mine"'),
    ('f := func() { string := func(x) { return "s" + x }; return string("!") }\nresult := [f(), string(12), string("x"), string(1.5), string([1])]', '["s!", "12", "x", "1.5", "[1]"]'),
    ('f := func(n) { if n == 0 { return "orig" }; return f(n - 1) }\ng := f\nf = func(n) { return "new" }\nresult := g(3)', '"new"'),
    ('f := func(n, acc) { if n == 0 { return acc() }; return f(n - 1, func() { return n }) }\nresult := f(3, func() { return 0 })', '1'),
    ('f := func(n, acc) { if n > 0 { if n % 2 == 0 { return f(n - 1, acc + 2) } else { return f(n - 1, acc + 1) } }; return acc }\nresult := f(100001, 0)', '150001'),
    ('f := func(n) { r := 0; for i := 0; i < 3; i++ { r += i }; if n == 0 { return r }; return f(n - 1) }\nresult := f(50000)', '3'),
    ('f := func(a, b) { return a < b ? a : b }\nresult := [f(1, 2), f("b", "a"), f(1.5, 1), f(\'a\', \'b\')]', '[1, "a", 1, a]'),
    ('sq := func(x) { return x * x }\nresult := [sq(3), sq(1.5), sq(3037000500)]', '[9, 2.25, -9223372036709301616]'),
    ('f := func(x) { if x < 0 { return -x }; return x - 1 }\nresult := [f(-5), f(5), f(-9223372036854775807 - 1), f(-9223372036854775807 - 1 + 1)]', '[5, 4, -9223372036854775808, 9223372036854775807]'),
    ('f := func(n) { if n < 2 { return n - 1 }; return n + 1 }\nresult := [f(-9223372036854775807 - 1), f(9223372036854775807), f(1.5)]', '[9223372036854775807, -9223372036854775808, 0.5]'),
    ('f := func(x) { return x > 5 ? x - 5 : x + 5 }\nresult := [f(9223372036854775807), f(-9223372036854775807 - 1)]', '[9223372036854775802, -9223372036854775803]'),
    ('m := {}\nm["a"] = 1\nk := "a"\nresult := [m[k], m["b"], m.a]', '[1, <undefined>, 1]'),
    ('g := func(m, k) { return m[k] }\nresult := [g({a: 1}, "a"), g([1, 2], 1), g("xyz", 2), g({a: 1}, 5), g(immutable({a: 3}), "a")]', '[1, 2, z, <undefined>, 3]'),
    ('s := func(m, k, v) { m[k] = v; return m }\nresult := [s({}, "a", 1), s([0, 0], 1, 5), s({}, 2, "x")]', '[{a: 1}, [0, 5], {2: "x"}]'),
    ('s := func(m, k, v) { m[k] = v; return m }\nresult := s("abc", 1, 2)', 'ERR Runtime: not index-assignable: string @1:22'),
    ('x := 5\nx -= 10\nx *= -3\nx /= 4\nx %= 3\nx <<= 60\nx >>= 1\nx |= 1\nx &= 7\nx ^= 2\nx &^= 1\nresult := x', '2'),
    ('t := func(x) { if x { return 1 }; return 0 }\nresult := [t(0), t(1), t(0.0), t(""), t([]), t(undefined), t(error(1)), t(\'\\x00\'), t({}), t(immutable({})), t(immutable([1]))]', '[0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1]'),
    ('f := func(a, b) { return a && b }\ng := func(a, b) { return a || b }\nresult := [f(0, 1), f(1, 0), f("a", "b"), g(0, 1), g(undefined, 0), g("x", 1)]', '[0, 0, "b", 1, 0, "x"]'),
    ('i := 0\nfor i = 0; i < 3; i++ {}\nresult := i', '3'),
    ('r := 0\nfor i := 0; i < 5; i++ { if i == 3 { break }; r = i }\nresult := r', '2'),
    ('n := 0\nfor i := 0; i < 3; i++ { for j := 0; j < 3; j++ { n++; if j == i { break } } }\nresult := n', '6'),
    ('x := 0\nfor x < 3 { x++ }\nresult := x', '3'),
    ('f := func() { return 1 }\nresult := [f() + f(), -f(), ^f(), !f()]', '[2, -1, -2, false]'),
    ('result := [1, 2][0] + {a: 3}["a"] + "xyz"[1:2].len', 'ERR Runtime: invalid index type: string @1:48'),
    ('result := [1, 2, 3][1:][0]', '2'),
    ('a := [1, 2, 3]\na[0] = a\nresult := len(a)', '3'),
    ('f := func(x) { return func(y) { return func(z) { return x + y + z } } }\nresult := f(1)(2)(3)', '6'),
    ('mk := func() { x := 0; inc := func() { x++ }; get := func() { return x }; return [inc, get] }\nfs := mk()\nfs[0]()\nfs[0]()\nresult := fs[1]()', '2'),
    ('mk := func() { r := []; for i in [1, 2] { for j in [10, 20] { r = append(r, func() { return i + j }) } }; return r }\nfs := mk()\nresult := [fs[0](), fs[1](), fs[2](), fs[3]()]', '[11, 21, 12, 22]'),
    ('mk := func() { r := []; for i := 0; i < 2; i++ { x := i; if true { y := x * 10; r = append(r, func() { return y }) } }; return r }\nfs := mk()\nresult := [fs[0](), fs[1]()]', '[0, 10]'),
    ('result := 0\nf := func() { result = 5 }\nf()', '5'),
    ('x := "a"\nif true { x := 1; x++ }\nresult := x', '"a"'),
    ('result := 0\nif x := 5; x > 3 { result = x } else { result = -x }', '5'),
    ('result := 0\nif x := 1; x > 3 { result = x } else if y := x * 10; y > 5 { result = y } else { result = -1 }', '10'),
    ('result := [1 < 2 == true, 2 > 1 != false]', '[true, true]'),
    ('a := "x"\nresult := [a == "x", "x" == a, a != "y", a == 1, 1 == a]', '[true, true, true, false, false]'),
    ('a := 0\nb := false\nresult := [a == false, b == 0, a == 0, b == false, 0 == a, false == b]', '[false, false, true, true, true, true]'),
    ('e := 1.0\nresult := [e == 1, 1 == e, e == 1.0, e != 1]', '[true, true, true, false]'),
    ('u := undefined\nresult := [u == undefined, undefined == u, u != undefined, u == false, u == 0]', '[true, true, false, false, false]'),
    ("c := 'x'\nresult := [c == 'x', 'x' == c, c == 120, c != 'y']", '[true, true, false, true]'),
    ('f := func() { return x }\nx := 5\nresult := f()', "ERR Compile: unresolved reference 'x' @1:22"),
    ('result := 0\nx := x + 1', "ERR Compile: unresolved reference 'x' @2:6"),
    ('y := x\nif true { x := 1 }\nx := 2\nresult := y', "ERR Compile: unresolved reference 'x' @1:6"),
    ('total := "a"\nadd := func(x) { total += x }\nadd("b")\nadd(1)\nadd(2.5)\nresult := total', '"ab12.5"'),
    ('acc := 0\nstep := func(n) { acc = acc + n; return acc }\nstep(1.5)\nresult := [step(1), step(2)]', '[2.5, 4.5]'),
    ('f := func(n) { x := n * 2; if n > 0 { x = "s" }; return x }\nresult := [f(0), f(1), f(1.5)]', '[0, "s", "s"]'),
    ('f := func(a, b) { for i := 0; i < b; i++ { a += i }; return a }\nresult := [f(0, 4), f("x", 3), f(0.5, 2)]', '[6, "x012", 1.5]'),
    ('f := func(n) { if n <= 0 { return 0 }; return n - 1 + f(n - 1) }\nresult := [f(10), f(-9223372036854775807 - 1)]', '[45, 0]'),
    ('f := func(n) { if n >= 9223372036854775807 { return 0 }; return n + 1 }\nresult := [f(9223372036854775806), f(9223372036854775807)]', '[9223372036854775807, 0]'),
    ('a := [1, 2, 3]\nb := a\na = append(a, 4)\nc := append(b, 9)\nresult := [a, b, c]', '[[1, 2, 3, 9], [1, 2, 3], [1, 2, 3, 9]]'),
    ('a := [1, 2, 3]\nm := {x: a}\na = append(a, 4)\nresult := [a, m.x]', '[[1, 2, 3, 4], [1, 2, 3]]'),
    ('f := func(arr) { arr = append(arr, 1); return arr }\na := [5]\nb := f(a)\nresult := [a, b]', '[[5], [5, 1]]'),
    ('a := []\nfs := []\nfor i := 0; i < 3; i++ { a = append(a, i); fs = append(fs, a) }\nresult := [a, fs]', '[[0, 1, 2], [[0], [0, 1], [0, 1, 2]]]'),
    ('a := [0]\ng := func() { return a }\nfor i := 1; i < 4; i++ { a = append(a, i) }\nresult := [g(), len(a)]', '[[0, 1, 2, 3], 4]'),
    ('a := [1, 2]\na = append(a, a)\nresult := a', '[1, 2, [1, 2]]'),
    ('f := func(n, acc) { if n == 0 { return acc }; return f(n - 1, acc + 0.5) }\nresult := [f(3, 0), f(4, "s"), f(2.0, 1)]', '[1.5, "s0.50.50.50.5", 2]'),
    ('f := func(n, acc) { if n < 1 { return acc }; return f(n - 1, acc * 2) }\nresult := [f(62, 1), f(63, 1), f(64, 1), f(3, 1.5)]', '[4611686018427387904, -9223372036854775808, 0, 12]'),
    ('f := func(n) { if n > 0 { return f(n - 2) }; return n }\nresult := [f(10), f(11), f(-9223372036854775807 - 1)]', '[0, -1, -9223372036854775808]'),
    ('f := func(a, b) { if a == 0 { return b }; return f(b % a, a) }\nresult := [f(12, 18), f(17, 5), f(0, 0)]', '[6, 1, 0]'),
    ('f := func(x) { return x }\ng := func(n) { return n < 0 ? f(n) : g(n - 1) }\nresult := g(5)', '-1'),
    ('f := func(s, i) { if i >= len(s) { return "" }; return string(s[i]) + f(s, i + 2) }\nresult := f("abcdef", 0)', '"ace"'),
    ('cnt := 0\nf := func(n) { cnt++; if n == 0 { return cnt }; return f(n - 1) }\nresult := [f(5), f(2), cnt]', '[6, 9, 9]'),
]


@pytest.mark.parametrize(("source", "expected"), GO_TENGO)
def test_matches_go_tengo(source: str, expected: str) -> None:
    assert run(source) == expected


# ---------------------------------------------------------------- deliberate differences

@pytest.mark.parametrize(
    ("source", "where"),
    [
        ("x := 0\nresult := 5\nresult = 10 / x", "@3:10"),
        ("x := 0\nresult := 5\nresult = 10 % x", "@3:10"),
        ("f := func(a, b) {\n  return a / b\n}\nresult := f(1, 0)", "@2:10"),
        ("x := 10\nx /= 0\nresult := x", "@2:1"),
    ],
)
def test_integer_division_by_zero_is_a_runtime_error(source: str, where: str) -> None:
    # Go Tengo panics (a Go integer division by zero); the port reports an error there
    assert run(source) == f"ERR Runtime: divide by zero {where}"


def test_break_in_a_closure_inside_a_loop_is_a_compile_error() -> None:
    # Go's compiler crashes on this; a function body starts outside any loop
    source = "result := 1\nfor i := 0; i < 1; i++ { f := func() { continue } }"
    assert run(source) == "ERR Compile: continue not allowed outside loop @2:40"


# ---------------------------------------------------------------- inputs and free names

def test_free_names_are_inputs_with_their_first_position() -> None:
    program = build("a := 1\nresult := a + width * height\nwidth = 2")
    assert program.free_names == {"width": (2, 15), "height": (2, 23)}
    scope = execute(program, {"width": 3, "height": 4})
    assert scope["result"] == 13
    assert scope["width"] == 2  # a script may update its inputs, like Go's script globals


def test_inputs_are_shared_globals_for_closures() -> None:
    source = "bump := func() { counter += step }\nbump()\nbump()\nresult := counter"
    assert run(source, {"counter": 10, "step": 5}) == "20"


def test_an_input_declared_later_was_an_unresolved_reference() -> None:
    # Go compiles in order: the first use was unresolved (see also the table above)
    assert run("y := x\nx := 2\nresult := y") == "ERR Compile: unresolved reference 'x' @1:6"
    assert run("if true { x := 1 }\nresult := x", {"x": 7}) == "7"


def test_builtins_are_not_free_names_and_may_be_shadowed_in_functions() -> None:
    program = build("f := func(len) { return len }\nresult := [f(3), len([1])]")
    assert program.free_names == {}
    assert values.go_string(execute(program)["result"]) == "[3, 1]"


def test_a_missing_input_is_an_unresolved_reference() -> None:
    with pytest.raises(values.RuntimeErr, match="unresolved reference 'nope'"):
        execute(build("result := nope"))


def test_run_program_returns_the_top_level_variables_only() -> None:
    scope = execute(build("a := 1\nif true { b := 2 }\nf := func() { c := 3 }\nresult := a"))
    assert set(scope) == {"a", "f", "result", "__export__"}


# ---------------------------------------------------------------- imports and modules

def test_import_calls_the_importer_each_time_it_runs() -> None:
    program = build('m := import("shapes")\nresult := [m.side, import("shapes").side * 2]')
    assert program.imports == [("shapes", (1, 6)), ("shapes", (2, 20))]
    asked: list[str] = []

    def importer(name: str) -> Any:
        asked.append(name)
        return values.ImmutableMap({"side": 21})

    scope = execute(program, importer=importer)
    assert values.go_string(scope["result"]) == "[21, 42]"
    assert asked == ["shapes", "shapes"]


def test_empty_module_name_is_a_compile_error() -> None:
    assert run('x := import("")\nresult := 1') == "ERR Compile: empty module name @1:6"


def test_a_module_exports_an_immutable_value_and_stops_there() -> None:
    module = build("data := {a: [1]}\nexport data\ndata.a = 2", module=True)
    exported = execute(module)["__export__"]
    assert type(exported) is values.ImmutableMap
    assert values.go_string(exported) == "{a: [1]}"


def test_a_module_without_export_exports_undefined() -> None:
    assert execute(build("x := 1", module=True))["__export__"] is None


def test_a_modules_top_level_is_a_function_scope() -> None:
    # closures see fresh loop variables, builtins may be redefined, `return` ends it
    source = (
        "fs := []\nfor x in [1, 2] { fs = append(fs, func() { return x }) }\n"
        "len := func(v) { return -1 }\nreturn [fs[0](), fs[1](), len(fs)]"
    )
    assert values.go_string(execute(build(source, module=True))["__export__"]) == "[1, 2, -1]"
    assert run(source).startswith("ERR Compile: 'len' redeclared in this block")


def test_a_script_ignores_export() -> None:
    program = build("result := 3\nexport result + undefined_name\nresult = 9", module=False)
    assert program.free_names == {}  # the exported expression is not even compiled
    scope = execute(program)
    assert scope["result"] == 9 and "__export__" not in scope


def test_by_default_the_first_export_is_recorded_and_the_run_goes_on() -> None:
    scope = execute(build("result := 3\nexport result + 1\nexport 0\nresult = 9"))
    assert (scope["result"], scope["__export__"]) == (9, 4)


def test_arity_errors_name_functions_from_other_programs_too() -> None:
    lib = execute(build("export func(a, b) { return a + b }", module=True))["__export__"]
    program = build('add := import("lib")\nresult := add(1)')
    with pytest.raises(values.RuntimeErr, match=r"^wrong number of arguments: want=2, got=1$"):
        execute(program, importer=lambda name: lib)


# ---------------------------------------------------------------- positions and frames

def test_runtime_errors_point_into_the_innermost_function() -> None:
    program = build("f := func(x) {\n  return x.y.z\n}\ng := func() { return f(1) }\nresult := g()", "lib.tengo")
    with pytest.raises(values.RuntimeErr) as info:
        execute(program)
    assert str(info.value) == "not indexable: string"
    assert compiler.error_position(info.value) == ("lib.tengo", 2, 12)


def test_error_position_ignores_exceptions_from_elsewhere() -> None:
    assert compiler.error_position(ValueError("x")) is None


def test_generated_code_objects_are_tagged_as_compiled_tengo() -> None:
    program = build("f := func(a, ...b) { return b }\nresult := f")
    assert program.code.co_filename == "<tengo:t.tengo>"
    fn = execute(program)["result"]
    assert values.is_compiled_function(fn)
    assert values.type_name(fn) == "compiled-function"
    assert fn.__qualname__ == "f@1+"


def test_python_source_shows_the_generated_module() -> None:
    program = build("fib := func(n) { if n < 2 { return n }; return fib(n - 1) + fib(n - 2) }")
    assert "def __tengo_main__(_env, _import):" in program.python_source
    assert "def fib(n):" in program.python_source
    assert "if n.__class__ is int:" in program.python_source  # the int-only version


def test_counting_loops_become_range_loops_where_equivalent() -> None:
    source = (
        "s := 0\nfor i := 0; i < 10; i++ { s += i }\n"  # a range
        "for j := 0; j < 10; j++ { j++ }\n"  # the body writes j: a while loop
        "fs := []\nfor k := 0; k < 3; k++ { fs = append(fs, func() { return k }) }\n"
        "result := [s, fs[0]()]"
    )
    program = build(source)
    assert "for i in range(0, 10):" in program.python_source
    assert program.python_source.count("range(") == 1
    assert values.go_string(execute(program)["result"]) == "[45, 3]"


def test_append_reuses_an_array_header_only_when_nothing_else_holds_it() -> None:
    held = runtime.array_literal([1, 2, 3, 4, 5])  # capacity 8
    same = runtime.append_into(held, 6)  # `held` is the only reference
    assert same is held and held.n == 6
    del same
    other = held
    grown = runtime.append_into(held, 7)  # `other` would see a change: copy the header
    assert grown is not held and (held.n, grown.n) == (6, 7) and other is held
    assert grown.buf is held.buf  # Go's append still writes in place


def test_a_program_runs_many_times_with_fresh_state() -> None:
    program = build("m := {}\nm[k] = 1\nresult := len(m)")
    assert [execute(program, {"k": k})["result"] for k in "ab"] == [1, 1]


def test_deep_self_tail_recursion_runs_in_constant_stack() -> None:
    source = "f := func(n, acc) { if n == 0 { return acc }; return f(n - 1, acc + 1) }\nresult := f(1000000, 0)"
    assert run(source) == "1000000"


def test_one_python_frame_per_tengo_call() -> None:
    program = build("f := func(n) { if n == 0 { return 0 }; return 1 + f(n - 1) }\nresult := f(depth)")
    base = _stack_depth()
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(base + 400)
    try:
        assert execute(program, {"depth": 300})["result"] == 300
        with pytest.raises(RecursionError):
            execute(program, {"depth": 500})
    finally:
        sys.setrecursionlimit(old)


def _stack_depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        depth += 1
        frame = frame.f_back  # type: ignore[assignment]
    return depth


def test_more_loops_nested_than_python_allows_is_a_compile_error() -> None:
    loops = "".join(f"for i{k} := 0; i{k} < 1; i{k}++ {{\n" for k in range(22))
    source = "result := 0\n" + loops + "result++" + " }" * 22
    assert run(source) == "ERR Compile: loops nested too deeply @22:1"


def test_deeply_nested_expressions_compile() -> None:
    source = "result := " + " + ".join(["1"] * 400)
    assert run(source) == "400"


# ---------------------------------------------------------------- callee names in errors

def _nameless(*args: Any) -> Any:
    raise values.RuntimeErr("wrong number of arguments")


def _picky(*args: Any) -> Any:
    raise values.RuntimeErr("invalid type for argument 'first': expected string, found int")


_nameless.__name__ = ""  # like Go's `base64.encode`, a UserFunction without a Name


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("result := mod.enc(1)", "wrong number of arguments in call to 'user-function:'"),
        ("f := mod.enc\nresult := f()", "wrong number of arguments in call to 'user-function:'"),
        ("result := mod.picky(1)",
         "invalid type for argument 'first' in call to 'user-function:_picky': "
         "expected string, found int"),
        ("l := len\nresult := l()", "wrong number of arguments in call to 'builtin-function:len'"),
    ],
)
def test_builtin_errors_name_the_function_called(source: str, expected: str) -> None:
    module = values.ImmutableMap({"enc": _nameless, "picky": _picky})
    with pytest.raises(values.RuntimeErr) as info:
        execute(build(source), {"mod": module})
    assert str(info.value) == expected


# ---------------------------------------------------------------- host values stay opaque

class _HostThing:
    secret = "s3cret"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("result := thing.secret", "ERR Runtime: not indexable: string @1:17"),
        ('result := thing["__class__"]', "ERR Runtime: not indexable: string @1:17"),
        ("thing.secret = 1\nresult := 0", "ERR Runtime: not index-assignable: <unknown> @1:1"),
        ("result := 0\nfor x in thing {}", "ERR Runtime: not iterable: <unknown> @2:10"),
        ("result := thing + 1", "ERR Runtime: invalid operation: <unknown> + int @1:11"),
        ("result := thing()", "ERR Runtime: not callable: _HostThing @1:11"),
        ("result := [thing == thing, is_undefined(thing)]", "[true, false]"),
    ],
)
def test_host_objects_are_never_looked_into(source: str, expected: str) -> None:
    assert run(source, {"thing": _HostThing()}) == expected


# ---------------------------------------------------------------- extension protocols

class _Meters:
    """A stdlib-style value: operators through `binary_op`, iteration through `iterate`."""

    TYPE_NAME = "meters"

    def __init__(self, n: int) -> None:
        self.n = n

    def binary_op(self, op: str, rhs: Any) -> Any:
        if op == "+" and type(rhs) is int:
            return _Meters(self.n + rhs)
        if op == "<" and type(rhs) is _Meters:
            return self.n < rhs.n
        return NotImplemented

    def iterate(self) -> Any:
        return enumerate(range(self.n))

    def is_falsy(self) -> bool:
        return self.n == 0

    def __eq__(self, other: object) -> bool:
        return type(other) is _Meters and other.n == self.n

    __hash__ = None  # type: ignore[assignment]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("result := [m + 2 == five, m < m + 1, m == m + 0, m ? 1 : 2, zero ? 1 : 2]",
         "[true, true, true, 1, 2]"),
        ("r := []\nfor i, v in m { r = append(r, i + v) }\nresult := r", "[0, 2, 4]"),
        ("result := m - 1", "ERR Runtime: invalid operation: meters - int @1:11"),
        ("result := 1 + m", "ERR Runtime: invalid operation: int + meters @1:11"),
        ("result := m.n", "ERR Runtime: not indexable: string @1:13"),
    ],
)
def test_custom_values_plug_into_operators_and_loops(source: str, expected: str) -> None:
    assert run(source, {"m": _Meters(3), "zero": _Meters(0), "five": _Meters(5)}) == expected


def test_binary_op_protocol_directly() -> None:
    m = _Meters(3)
    assert runtime.add(m, 2).n == 5
    assert runtime.lt(m, _Meters(4)) is True
    with pytest.raises(values.RuntimeErr, match="invalid operation: meters - int"):
        runtime.sub(m, 1)


# ---------------------------------------------------------------- runtime operators

@pytest.mark.parametrize(
    ("op", "a", "b", "expected"),
    [
        ("/", values.INT_MIN, -1, values.INT_MIN),
        ("%", -7, 3, -1),
        ("<<", 1, -1, 0),
        (">>", -8, -1, -1),
        ("+", "a", values.Array([1, "b"]), 'a[1, "b"]'),
        ("==", 1, 1.0, True),
        ("==", values.Char(97), 97, False),
        ("<", values.Char(97), 98, True),
        ("==", values.Array([1]), values.ImmutableArray([1.0]), True),
        ("-", values.Char(0x61), 4294967296 + 1, values.Char(0x60)),
    ],
)
def test_runtime_binary_op(op: str, a: Any, b: Any, expected: Any) -> None:
    got = runtime.binary_op(op, a, b)
    assert type(got) is type(expected) and got == expected


def test_float_results_equal_to_the_left_operand_keep_it() -> None:
    # Go Tengo returns its left operand when the result compares equal: -0.0 + 0.0 stays -0
    assert str(runtime.add(-0.0, 0.0)) == "-0.0"
    assert str(runtime.mul(0.0, -1)) == "0.0"
    assert str(runtime.div(-1.0, 0.0)) == "-inf"
