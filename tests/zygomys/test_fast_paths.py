"""Table tests pinning what the int fast paths must keep exact.

The compiler gives loops and small functions an int-specialised copy (range loops,
inline operators without type or wrap checks where ranges are proven, self calls known
to return ints), keeps top-level names in locals, grows arrays in place and computes a
few builtins inline. Each case below would give a different answer if one of those
shortcuts took a case it must not: int64 wrap-around at the bounds, values that stop
being ints mid-loop, bounds or loop variables changed by the body, shadowed or
reassigned functions, input variables, eval, aliases of a grown array.
"""

from __future__ import annotations

from typing import Any

import pytest

from scriptvisor.engines.zygomys.engine import ZygomysEngine
from scriptvisor.protocol.errors import ScriptError

MAX = (1 << 63) - 1
MIN = -(1 << 63)

LOOP = "(for [(def i 0) (< i {n}) (set i (+ i 1))] {body})"

RESULTS: list[tuple[str, str, Any]] = [
    # --- int64 wrap-around inside int-specialised loops
    ("sum wraps at max", f"(def s {MAX - 7})" + LOOP.format(n=10, body="(set s (+ s 1))")
     + "(def result s)", MIN + 2),
    ("difference wraps at min", f"(def s {MIN + 7})" + LOOP.format(n=10, body="(set s (- s 1))")
     + "(def result s)", MAX - 2),
    ("product wraps to zero", "(def p 1)" + LOOP.format(n=70, body="(set p (* p 2))")
     + "(def result p)", 0),
    ("sum of loop var wraps", f"(def s {MAX})" + LOOP.format(n=3, body="(set s (+ s i))")
     + "(def result s)", MIN + 2),
    ("mod of a wrapped negative", f"(def x {MAX})" + LOOP.format(
        n=1, body="(set x (mod (+ x 1) 10))") + "(def result x)", -8),
    ("mod sign follows the dividend", "(def result [(mod -7 3) (mod 7 -3) (mod -7 -3)])",
     [-1, 1, -1]),
    ("inclusive bound at max wraps", f"(def c 0)(for [(def i {MAX - 1}) (<= i {MAX}) (++ i)]"
     " (set c (+ c 1)) (cond (> c 3) (break) nil))(def result c)", 4),
    ("inclusive name bound at max", f"(def m {MAX})(def c 0)(for [(def i {MAX - 1}) (<= i m)"
     " (++ i)] (set c (+ c 1)) (cond (> c 3) (break) nil))(def result c)", 4),
    # --- values that are not ints, or stop being ints
    ("accumulator turns float", "(def s 0)" + LOOP.format(n=4, body="(set s (+ s 0.5))")
     + "(def result s)", 2.0),
    ("accumulator starts float", "(def s 0.5)" + LOOP.format(n=4, body="(set s (+ s i))")
     + "(def result s)", 6.5),
    ("float bound", "(def c 0)" + LOOP.format(n=2.5, body="(set c (+ c 1))")
     + "(def result c)", 3),
    ("char operand", "(def s 0)" + LOOP.format(n=2, body="(set s (+ s 'a'))")
     + "(def result (str s))", "194"),
    ("int division stays exact", "(def result [(/ 7 2) (/ 8 2) (/ -9 3)])", [3.5, 4, -3]),
    # --- loop control the range loop must reproduce
    ("bound changed by the body", "(def n 5)(def c 0)" + LOOP.format(
        n="n", body="(set c (+ c 1)) (cond (== i 1) (set n 3) nil)") + "(def result c)", 3),
    ("loop var changed by the body", "(def j 0)(def c 0)(for [(set j 0) (<= j 4) (++ j)]"
     " (set c (+ c 1)) (cond (== j 2) (set j 3) nil))(def result [j c])", [5, 4]),
    ("loop var visible after the loop", "(def j 0)(for [(set j 0) (< j 5) (++ j)] nil)"
     "(def result j)", 5),
    ("empty range keeps the start", "(def j 0)(for [(set j 9) (< j 5) (++ j)] nil)"
     "(def result j)", 9),
    ("closure sees the final value", "(def fs [])" + LOOP.format(
        n=3, body="(set fs (append fs (fn [] i)))") + "(def result ((aget fs 0)))", 3),
    ("continue runs the step", "(def c 0)" + LOOP.format(
        n=10, body="(cond (== (mod i 2) 0) (continue) nil) (set c (+ c i))")
     + "(def result c)", 25),
    ("break keeps the loop var", "(def k 0)(for [(set k 0) (< k 10) (++ k)]"
     " (cond (== k 4) (break) nil))(def result k)", 4),
    ("labelled break across range loops", "(def c 0)(for outer: [(def i 0) (< i 5) (++ i)]"
     " (for [(def j 0) (< j 5) (++ j)] (cond (== j 2) (continue outer:) nil)"
     " (set c (+ c 1))))(def result c)", 10),
    ("bound unbound until the loop", "(def c 0)(defn run [] (for [(def i 0) (< i later) (++ i)]"
     " (set c (+ c 1))))(def later 3)(run)(def result c)", 3),
    # --- shadowed operators and reassigned functions
    ("let-shadowed + in ++", "(def calls 0)(defn f [+] (def s 0)"
     " (for [(def i 0) (< i 3) (++ i)] (set s i)) s)"
     "(def r (f (fn [a b] (set calls (- calls -1)) (- a (- 0 b)))))(def result [r calls])",
     [2, 3]),
    ("param-shadowed <", "(defn f [<] (def c 0) (for [(def i 0) (< i 3) (set i (+ i 1))]"
     " (set c (+ c 1))) c)(def result (f (fn [a b] (== a 0))))", 1),
    ("reassigned recursive function", "(defn fib [n] (cond (< n 2) n"
     " (+ (fib (- n 1)) (fib (- n 2)))))(def f fib)(def a (f 10))(set fib (fn [n] 0.5))"
     "(def result [a (f 5)])", [55, 1.0]),
    ("function reassigned by another", "(defn fib [n] (cond (< n 2) n"
     " (+ (fib (- n 1)) (fib (- n 2)))))(def f fib)(defn swap [] (set fib (fn [n] 1.5)))"
     "(def a (f 10))(swap)(def result [a (f 3)])", [55, 3.0]),
    ("recursion returning floats", "(defn g [n] (cond (< n 2) 1.5 (+ (g (- n 1)) (g (- n 2)))))"
     "(def result (g 3))", 4.5),
    ("recursion wraps", "(defn p2 [n] (cond (< n 1) 1 (* 2 (p2 (- n 1)))))"
     "(def result [(p2 62) (p2 63) (p2 64)])", [1 << 62, MIN, 0]),
    ("specialised function with a float", "(defn fib [n] (cond (< n 2) n"
     " (+ (fib (- n 1)) (fib (- n 2)))))(def result (type? (fib 10.0)))", "float64"),
    ("self tail call wraps", "(defn count [n acc] (cond (== n 0) acc"
     f" (count (- n 1) (+ acc 1))))(def result (count 3 {MAX - 1}))", MIN + 1),
    ("self tail call from big ints", f"(defn down [n] (cond (< n {MAX - 3}) n (down (- n 1))))"
     f"(def result (down {MAX}))", MAX - 4),
    # --- ranges learnt from a cond test
    ("narrowed by >, both branches", "(defn g [n] (cond (> n 0) (- n 1) (- n 1)))"
     f"(def result [(g 5) (g {MIN}) (g {MAX})])", [4, MAX, MAX - 1]),
    ("narrowed by a literal on the left", "(defn g [n] (cond (<= 2 n) (- n 2) (- n 2)))"
     f"(def result [(g 5) (g {MIN + 1})])", [3, MAX]),
    ("store in a narrowed branch", "(defn f [n] (cond (< n 2) n"
     f" (begin (set n {MIN}) (- n 1))))(def result (f 5))", MAX),
    # --- truthiness and nil in fast conditions
    ("and returns the deciding value", "(def result [(and (< 1 2) 0) (or (< 2 1) nil)"
     " (cond (and (< 1 2) 0) 1 2)])", [0, None, 2]),
    ("nil on the left compares", "(def result [(== nil 3) (< nil 3)])", [False, True]),
    # --- top-level names, inputs, eval, defined?
    ("eval sees top-level defs", "(def x 41)(def result (eval (quote (+ x 1))))", 42),
    ("eval defines top-level names", "(eval (quote (def y 2)))(def result (+ y 1))", 3),
    ("defined? sees top-level defs", "(def z 1)(def result (defined? (quote z)))", True),
    # --- arrays grown in place, inline builtins
    ("append keeps an alias", "(def a [1])(def b a)(set a (append a 2))(def result [a b])",
     [[1, 2], [1]]),
    ("append keeps an alias in a hash", "(def a [1])(def h (hash k: a))(set a (append a 2))"
     "(def result [a (hget h k:)])", [[1, 2], [1]]),
    ("append reads the array first", "(def d [0])(set d (append d (begin (set d [9]) 1)))"
     "(def result d)", [0, 1]),
    ("append many", "(def a [])" + LOOP.format(n=3000, body="(set a (append a i))")
     + "(def result [(len a) (aget a 2999)])", [3000, 2999]),
    ("cond value does not pin the array", "(def a [])" + LOOP.format(
        n=5, body="(cond (> i 0) (set a (append a i)) nil)") + "(def result a)", [1, 2, 3, 4]),
    ("hget of string and other keys", "(def h (hash))(hset h \"a\" 1)(hset h (quote b) 2)"
     "(def result [(hget h \"a\") (hget h (quote b)) (hget [5 6] 1)])", [1, 2, 6]),
    ("aset and aget", "(def a (makeArray 3 0))(aset a 1 7)(def result [(aget a 1) (aget a 2)])",
     [7, 0]),
    ("str and concat", "(def result [(concat \"x\" (str 5)) (str 1.5) (concat \"a\" 'b')"
     " (concat [1] [2]) (len \"é\") (len [1 2])])", ["x5", "1.5", "ab", [1, 2], 2, 2]),
]

ERRORS: list[tuple[str, str, str]] = [
    ("aget past the end", "(def a [1 2])(def result (aget a 2))", "out of bounds"),
    ("aget negative index", "(def a [1 2])(def result (aget a -1))", "out of bounds"),
    ("aset past the end", "(def a [1 2])(aset a 5 0)", "out of bounds"),
    ("aget float index", "(def a [1 2])(def result (aget a 1.0))", "integer"),
    ("string plus int", "(def s \"a\")" + LOOP.format(n=2, body="(set s (+ s i))"),
     "invalid type"),
    ("int compared with nil", "(def x 3)" + LOOP.format(n=1, body="(set x (== x nil))"),
     "cannot compare"),
    ("hget of a missing string key", "(def h (hash))(def result (hget h \"zz\"))",
     "has no field"),
    ("mod by zero", "(def k 0)(def result (mod 7 k))", "divide by zero"),
    ("unbound top-level name", "(def result (+ q 1))(def q 2)", "symbol `q` not found"),
    ("macro stores a string into a guarded param",
     "(defmac clobber [] ^(set n \"s\"))(defn f [n] (def a (+ n 1)) (clobber) (+ n 1))"
     "(def result (f 1))", "invalid type"),
    ("function reassigned to a string-returning one", "(defn fib [n] (cond (< n 2) n"
     " (+ (fib (- n 1)) (fib (- n 2)))))(def f fib)(set fib (fn [n] \"s\"))(def result (f 5))",
     "invalid type"),
    ("user defn of a builtin operator", "(defn + [a b] 0)(def result (+ 1 2))",
     "refusing to overwrite"),
]


@pytest.fixture(scope="module")
def engine() -> ZygomysEngine:
    return ZygomysEngine()


@pytest.mark.parametrize(("source", "expected"), [(s, e) for _, s, e in RESULTS],
                         ids=[name for name, _, _ in RESULTS])
def test_fast_path_result(engine: ZygomysEngine, source: str, expected: Any) -> None:
    result = engine.run_source(source, "fast").result
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(("source", "message"), [(s, m) for _, s, m in ERRORS],
                         ids=[name for name, _, _ in ERRORS])
def test_fast_path_error(engine: ZygomysEngine, source: str, message: str) -> None:
    with pytest.raises(ScriptError) as caught:
        engine.run_source(source, "fast")
    assert message in str(caught.value)


def test_input_variables_reassigned_at_top_level(engine: ZygomysEngine) -> None:
    out = engine.run_source("(def a n)(set n (+ n 1))(def result [a n])", "in", {"n": 5})
    assert out.result == [5, 6]


def test_result_published_from_a_branch(engine: ZygomysEngine) -> None:
    out = engine.run_source("(def result 0)(cond true (set result 7) nil)(def other 1)", "p")
    assert out.result == 7


SHAPES: list[tuple[str, str, list[str], list[str]]] = [
    # (name, source, must appear in the generated Python, must not appear)
    ("counting loop is a range loop", "(def s 0)" + LOOP.format(n=10, body="(set s (+ s i))"),
     ["_h_range(", "(s + i_"], []),
    ("self recursion needs no result checks", "(defn fib [n] (cond (< n 2) n"
     " (+ (fib (- n 1)) (fib (- n 2)))))", ["(fib("], ["_h_type(fib"]),
    ("append grows in place", "(def a [])(set a (append a 1))", ["a.append("], []),
    ("eval keeps names global", "(def x 1)(eval (quote x))", ["global "], []),
]


@pytest.mark.parametrize(("source", "present", "absent"), [s[1:] for s in SHAPES],
                         ids=[s[0] for s in SHAPES])
def test_fast_shape_is_generated(engine: ZygomysEngine, source: str, present: list[str],
                                 absent: list[str]) -> None:
    """The shortcuts above are really taken (a silent fallback to the generic code would
    keep every result right and lose the speed)."""
    python = engine.compile(source, "shape").python_source or ""
    for text in present:
        assert text in python
    for text in absent:
        assert text not in python
