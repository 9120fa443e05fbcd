"""Fuzz both language front ends (scanner/parser, reader/infix, compile to Python code):
arbitrary text, grammar-ish programs with token noise and very deep nesting must end in a
compiled script or a typed `ScriptError` (invalid_syntax / compilation), never in a
Python exception (RecursionError, IndexError, KeyError...) escaping `compile()`."""

from __future__ import annotations

import ast
from collections.abc import Callable

import pytest
from fuzz_programs import (
    FRONT_END_ERRORS,
    FUZZ_TIMEOUT,
    budget,
    deeply_nested,
    tengo_programs,
    zygomys_programs,
)
from hypothesis import given
from hypothesis import strategies as st

from scriptvisor.engines.base import EngineLimits, LanguageEngine
from scriptvisor.engines.tengo.engine import TengoEngine
from scriptvisor.engines.zygomys import compiler as zy_compiler
from scriptvisor.engines.zygomys.engine import ZygomysEngine
from scriptvisor.engines.zygomys.values import CompileError
from scriptvisor.protocol.errors import ErrorType, ScriptError

pytestmark = pytest.mark.timeout(FUZZ_TIMEOUT)

# macros run script code at compile time: a runaway one may end in its own limit errors
MACRO_ERRORS = FRONT_END_ERRORS | {ErrorType.TIMEOUT, ErrorType.MEMORY_LIMIT,
                                   ErrorType.EXECUTION}
TENGO = TengoEngine(EngineLimits(max_execution_time=1.0))
ZYGOMYS = ZygomysEngine(EngineLimits(max_execution_time=1.0))


def compiles_or_typed_error(engine: LanguageEngine, source: str) -> None:
    try:
        engine.compile(source, "fuzz")
    except ScriptError as exc:
        allowed = MACRO_ERRORS if "defmac" in source else FRONT_END_ERRORS
        assert exc.type in allowed, (exc.type, exc.message, source)
        assert isinstance(exc.message, str) and exc.message
    # anything else escapes and fails the test with the source that caused it


def fuzz_compile(engine: LanguageEngine, source: str) -> None:
    compiles_or_typed_error(engine, source)


text = st.text(max_size=300)
# arbitrary text over the characters the grammars care about, so it gets past the scanner
grammar_chars = st.text(alphabet="()[]{}\"'`\\%^~@:;,.=+-*/<>!&|?#_ \n\t0123456789abxfnu",
                        max_size=300)


@budget(400)
@given(st.one_of(text, grammar_chars))
def test_tengo_arbitrary_text(source: str) -> None:
    fuzz_compile(TENGO, source)


@budget(1000)
@given(tengo_programs())
def test_tengo_generated_programs(source: str) -> None:
    fuzz_compile(TENGO, source)


@budget(400)
@given(st.one_of(text, grammar_chars))
def test_zygomys_arbitrary_text(source: str) -> None:
    fuzz_compile(ZYGOMYS, source)


@budget(1000)
@given(zygomys_programs())
def test_zygomys_generated_programs(source: str) -> None:
    fuzz_compile(ZYGOMYS, source)


@budget(40, most=300)
@given(deeply_nested(), st.sampled_from([TENGO, ZYGOMYS]))
def test_deep_nesting_is_a_typed_error(source: str, engine: LanguageEngine) -> None:
    fuzz_compile(engine, source)


# --- regressions found by the fuzzer ------------------------------------------------------------


@pytest.mark.parametrize("opener", ["(", "[", "{", "%", "(+ 1 ", "{1 + ", "(hash a: "])
def test_zygomys_deep_nesting_is_a_syntax_error_not_a_stack_overflow(opener: str) -> None:
    # 250 levels used to exhaust the reader's Python stack at the default recursion limit:
    # the compile failed as an `execution` "stack overflow" instead of a syntax error
    closer = {"(": ")", "[": "]", "{": "}", "%": ""}
    close = next((c for o, c in closer.items() if o in opener), "")
    ZYGOMYS.compile(f"(def result {opener * 300}1{close * 300})", "deep")  # compiles
    with pytest.raises(ScriptError) as info:
        ZYGOMYS.compile(f"(def result {opener * 5000}1{close * 5000})", "deep")
    assert info.value.type is ErrorType.INVALID_SYNTAX
    assert "nested too deeply" in info.value.message


@pytest.mark.parametrize(("literal", "digits"), [
    ("abcULL", "abc"), ("def255ULL", "def255"), ("0o9ULL", "9"), ("0b1ULL", "0b1"),
])
def test_zygomys_bad_uint64_literal_is_a_syntax_error(literal: str, digits: str) -> None:
    # the ULL pattern (upstream's) admits hex digits in any base: int() used to raise a
    # bare ValueError out of compile(); upstream's ParseUint fails the parse instead
    with pytest.raises(ScriptError) as info:
        ZYGOMYS.compile(f"(def result {literal})", "uint")
    assert info.value.type is ErrorType.INVALID_SYNTAX
    assert f'strconv.ParseUint: parsing "{digits}": invalid syntax' in info.value.message


# Found by the fuzzer in the Zygomys compiler: Python exceptions escaped compile().
COMPILER_REGRESSIONS = [
    # duplicate parameters reached Python's compile(): SyntaxError "duplicate argument"
    "(defn f [a a] 1)",
    "(fn [a a] 1)",
    "(defn f [a & a] 1)",
    "(defmac m [def def] ^(def ~def))",
    # a `for` without its control vector: IndexError in rule_for
    "(for)",
    "(for )",
]


@pytest.mark.parametrize("source", COMPILER_REGRESSIONS)
def test_zygomys_compiler_regressions(source: str) -> None:
    compiles_or_typed_error(ZYGOMYS, source)


@pytest.mark.parametrize(("source", "expected"), [
    # upstream binds parameters last to first into one scope: the first occurrence wins
    ("(defn f [a a] a) (def result (f 1 2))", 1),
    ("(def result ((fn [a b a] (list a b)) 1 2 3))", [1, 2]),
    ("(defn f [a & a] a) (def result [(f 1) (f 1 2)])", [1, 1]),  # a list is untyped
    ("(defmac m [def def] ^(+ ~def 1)) (def result (m 3 4))", 4),
])
def test_zygomys_repeated_parameters_bind_like_upstream(source: str, expected: object) -> None:
    out = ZYGOMYS.execute(ZYGOMYS.compile(source, "dup"))
    assert out.result == expected


def test_zygomys_repeated_parameter_rebinding_is_type_checked() -> None:
    with pytest.raises(ScriptError) as info:
        ZYGOMYS.execute(ZYGOMYS.compile('(def result ((fn [a a] a) 1 "x"))', "dup"))
    assert info.value.type is ErrorType.EXECUTION
    assert "cannot assign int64 to string" in info.value.message


@pytest.mark.parametrize(("source", "message"), [
    ("(for)", "malformed for loop"),
    ("(for )", "malformed for loop"),
    ("(for x)", "for loop: missing control vector after label"),
    ("(for x 3)", "for loop: 2nd argument after the label must be a vector"),
    ("(for [1 2])", "for loop: control vector argument wrong size"),
    ("(for 3 [1 2 3])", "for loop: first argument must be a label or a vector"),
])
def test_zygomys_malformed_for_is_a_compilation_error(source: str, message: str) -> None:
    with pytest.raises(ScriptError) as info:
        ZYGOMYS.compile(source, "for")
    assert info.value.type is ErrorType.COMPILATION
    assert message in info.value.message


def _duplicate_argument() -> ast.Module:
    return ast.parse("def f(a, a): pass")  # compile(): SyntaxError


def _reserved_name() -> ast.Module:
    module = ast.Module([ast.Expr(ast.Name("None", ast.Load()))], [])
    return ast.fix_missing_locations(module)  # compile(): ValueError


@pytest.mark.parametrize("make", [_duplicate_argument, _reserved_name])
def test_zygomys_python_compile_failures_become_compile_errors(
    make: Callable[[], ast.Module],
) -> None:
    # the safety net: whatever generated code Python's compile() refuses is a CompileError
    with pytest.raises(CompileError, match="cannot compile this program"):
        zy_compiler._compile(make(), "net")
