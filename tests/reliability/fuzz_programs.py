"""Hypothesis strategies for the fuzz tests: grammar-ish Tengo and Zygomys programs (with
token noise), the budget of examples, and the error types a front end may raise.

By default every fuzz test runs a fixed, derandomized set of examples (repeatable, under a
minute in all); `FUZZ_EXAMPLES=20000` runs that many random ones per test instead. A
failing example is printed with its reproduction blob.
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from scriptvisor.protocol.errors import ErrorType

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0") or 0)
FUZZ_TIMEOUT = 120 + FUZZ_EXAMPLES // 10
"""Seconds each fuzz test may take (`pytest.mark.timeout`): grows with `FUZZ_EXAMPLES`."""
FRONT_END_ERRORS = frozenset({ErrorType.INVALID_SYNTAX, ErrorType.COMPILATION})


def budget(default: int, most: int | None = None) -> Any:
    """Hypothesis settings: `default` examples, or `FUZZ_EXAMPLES` (at most `most`) when
    set."""
    examples = min(FUZZ_EXAMPLES, most or FUZZ_EXAMPLES) if FUZZ_EXAMPLES else default
    return settings(
        max_examples=examples,
        derandomize=not FUZZ_EXAMPLES,  # `make test` is repeatable; deep runs explore
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.filter_too_much],
    )


def _noisy(program: st.SearchStrategy[str], noise: list[str]) -> st.SearchStrategy[str]:
    """`program`, sometimes cut, spliced or sprinkled with stray tokens."""

    @st.composite
    def mutate(draw: st.DrawFn) -> str:
        text = draw(program)
        for _ in range(draw(st.integers(0, 3))):
            if not text:
                break
            i = draw(st.integers(0, len(text)))
            j = draw(st.integers(i, min(len(text), i + 12)))
            op = draw(st.sampled_from(["insert", "delete", "duplicate", "truncate"]))
            if op == "insert":
                text = text[:i] + draw(st.sampled_from(noise)) + text[i:]
            elif op == "delete":
                text = text[:i] + text[j:]
            elif op == "duplicate":
                text = text[:j] + text[i:j] + text[j:]
            else:
                text = text[:i]
        return text

    return mutate()


# --- Tengo ------------------------------------------------------------------------------------

T_IDENTS = ["a", "b", "x", "result", "fmt", "len", "append", "string", "int", "is_error",
            "copy", "format", "undefined_thing", "_"]
T_LITERALS = [
    "0", "1", "-1", "42", "9223372036854775807", "9223372036854775808", "0x7f", "0o17",
    "0b101", "1e400", "1.5", ".5", "1e-3", "0x", "1_000", "'a'", "'\\n'", "'\\x41'", "''",
    "'ab'", '"s"', '"\\u00e9"', '"\\x"', '"\\777"', "`raw`", '"unterminated', "true",
    "false", "undefined", 'import("fmt")', 'import("os")', 'import("nope")',
]
T_BINARY = ["+", "-", "*", "/", "%", "&", "|", "^", "&^", "<<", ">>", "&&", "||", "==",
            "!=", "<", "<=", ">", ">="]
T_NOISE = ["(", ")", "[", "]", "{", "}", ",", ";", ":", ":=", "=", "...", "?", ".", "func",
           "for", "in", "if", "else", "return", "export", "\n", "\"", "'", "`", "/*", "//",
           "\\", "\x00", "é", "\ufeff", "0x", "1e", "..."]


def _t_expr() -> st.SearchStrategy[str]:
    atoms = st.sampled_from(T_IDENTS + T_LITERALS)

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, st.sampled_from(T_BINARY), inner).map(" ".join),
            st.tuples(st.sampled_from(["-", "!", "^", "+"]), inner).map("".join),
            inner.map(lambda e: f"({e})"),
            st.tuples(inner, st.lists(inner, max_size=3)).map(
                lambda t: f"{t[0]}({', '.join(t[1])})"),
            st.tuples(inner, inner).map(lambda t: f"{t[0]}[{t[1]}]"),
            st.tuples(inner, inner, inner).map(lambda t: f"{t[0]}[{t[1]}:{t[2]}]"),
            st.tuples(inner, st.sampled_from(["x", "println", "y"])).map(".".join),
            st.lists(inner, max_size=4).map(lambda xs: f"[{', '.join(xs)}]"),
            st.lists(st.tuples(st.sampled_from(["k", "a", '"s"']), inner), max_size=3).map(
                lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"),
            st.tuples(inner, inner, inner).map(lambda t: f"{t[0]} ? {t[1]} : {t[2]}"),
            st.tuples(st.lists(st.sampled_from(["a", "b", "c", "...d"]), max_size=3), inner)
            .map(lambda t: f"func({', '.join(t[0])}) {{ return {t[1]} }}"),
            inner.map(lambda e: f"immutable({e})"),
            inner.map(lambda e: f"error({e})"),
        )

    return st.recursive(atoms, extend, max_leaves=12)


def _t_block(depth: int) -> st.SearchStrategy[str]:
    expr = _t_expr()
    target = st.sampled_from(["a", "x", "result", "y", "a[0]", "a.b"])
    simple = st.one_of(
        st.tuples(target, st.sampled_from([":=", "=", "+=", "<<=", "&^="]), expr).map(" ".join),
        st.tuples(target, st.sampled_from(["++", "--"])).map("".join),
        expr,
        expr.map(lambda e: f"return {e}"),
        st.sampled_from(["break", "continue", "return", "export x"]),
    )
    if depth == 0:
        return simple
    inner = _t_block(depth - 1)
    body = st.lists(inner, max_size=3).map(lambda xs: "{ " + "; ".join(xs) + " }")
    return st.one_of(
        simple,
        st.tuples(expr, body, st.one_of(st.just(""), body.map(lambda b: f" else {b}"))).map(
            lambda t: f"if {t[0]} {t[1]}{t[2]}"),
        st.tuples(expr, body).map(lambda t: f"for i := 0; i < {t[0]}; i++ {t[1]}"),
        st.tuples(expr, body).map(lambda t: f"for k, v in {t[0]} {t[1]}"),
        st.tuples(expr, body).map(lambda t: f"for {t[0]} {t[1]}"),
        body,
    )


def tengo_programs() -> st.SearchStrategy[str]:
    lines = st.lists(_t_block(2), min_size=1, max_size=6)
    program = st.tuples(lines, st.sampled_from(["\n", "; ", "\n\n"])).map(
        lambda t: t[1].join(t[0]))
    return _noisy(program, T_NOISE)


# --- Zygomys ----------------------------------------------------------------------------------

Z_SYMBOLS = [
    "def", "defn", "fn", "let", "letseq", "cond", "for", "range", "begin", "quote", "set",
    "defmac", "macexpand", "and", "or", "not", "break", "continue", "return", "assert",
    "package", "eval", "read", "hash", "hget", "hset", "list", "cons", "car", "cdr",
    "append", "len", "str", "concat", "mdef", "newScope", "infixExpand", "expectError",
    "+", "-", "*", "/", "**", "mod", "<", "==", "a", "b", "x", "result", "log", "&",
    "a:", "b:", "h.a.b", ".a", "#x", "?y", "nil", "null", "true", "false", "=", ":=",
]
Z_LITERALS = [
    "0", "1", "-3", "1_000", "0x1f", "0o7", "0b1", "255ULL", "0xffULL", "1.5", ".5", "1.",
    "1e3", "2.5E-1", "NaN", "Inf", "-Inf", "9223372036854775808", "0x", '"s"', '"\\n"',
    '"\\x41"', '"\\u0041"', "`raw`", "'a'", "'\\n'", "''", "'ab'",
]
Z_NOISE = ["(", ")", "[", "]", "{", "}", "%", "^", "~", "~@", "\\", ",", ";", ":", '"', "'",
           "`", "//", "/*", "*/", "\n", "#", "@", "|", "&", "\x00", "é", "{{", "}}"]


def _z_form() -> st.SearchStrategy[str]:
    atoms = st.sampled_from(Z_SYMBOLS + Z_LITERALS)

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        items = st.lists(inner, max_size=4).map(" ".join)
        return st.one_of(
            items.map(lambda s: f"({s})"),
            st.tuples(st.sampled_from(Z_SYMBOLS[:40]), items).map(lambda t: f"({t[0]} {t[1]})"),
            items.map(lambda s: f"[{s}]"),
            items.map(lambda s: f"{{{s}}}"),  # an infix block
            st.tuples(inner, st.sampled_from(["+", "*", "==", "=", ":=", "and", "**", "mod"]),
                      inner).map(lambda t: f"{{{t[0]} {t[1]} {t[2]}}}"),
            st.tuples(st.sampled_from(["%", "^", "~", "~@"]), inner).map("".join),
            st.tuples(inner, inner).map(lambda t: f"({t[0]} \\ {t[1]})"),
            st.tuples(st.sampled_from(["f", "g", "m"]), items, items).map(
                lambda t: f"(defn {t[0]} [{t[1]}] {t[2]})"),
            st.tuples(items, inner).map(lambda t: f"(let [{t[0]}] {t[1]})"),
            st.tuples(items, items).map(lambda t: f"(for [{t[0]}] {t[1]})"),
            st.tuples(st.sampled_from(["m", "w"]), items, inner).map(
                lambda t: f"(defmac {t[0]} [{t[1]}] ^({t[2]} ~{t[1].split(' ')[0] or 'x'}))"),
            items.map(lambda s: f"{{ if {s} {{1}} else {{2}} }}"),
            items.map(lambda s: f"(hash a: {s})"),
        )

    return st.recursive(atoms, extend, max_leaves=12)


def zygomys_programs() -> st.SearchStrategy[str]:
    program = st.lists(_z_form(), min_size=1, max_size=5).map("\n".join)
    return _noisy(program, Z_NOISE)


def deeply_nested() -> st.SearchStrategy[str]:
    """Programs nested hundreds to tens of thousands of levels deep, in either language's
    brackets and prefix operators."""
    openers = st.sampled_from(["(", "[", "{", "-", "!", "%", "(+ 1 ", "{1 + ", "func(){ ",
                               "not ", "^", "~"])
    return st.tuples(openers, st.integers(100, 30_000), st.booleans()).map(
        lambda t: t[0] * t[1] + "1" + (_closer(t[0]) * t[1] if t[2] else ""))


def _closer(opener: str) -> str:
    for bracket, closer in (("{", "}"), ("[", "]"), ("(", ")")):
        if bracket in opener:
            return closer
    return ""
