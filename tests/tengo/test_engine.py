"""The Tengo engine end to end: compile once, execute with inputs, limits, typed errors."""

import time

import pytest

from scriptvisor.engines.base import EngineLimits
from scriptvisor.engines.tengo.engine import TengoEngine
from scriptvisor.protocol.errors import ErrorType, ScriptError


@pytest.fixture()
def engine() -> TengoEngine:
    return TengoEngine()


def run(engine: TengoEngine, source: str, **variables: object) -> object:
    return engine.execute(engine.compile(source, "t.tengo"), variables).result


def fail(engine: TengoEngine, source: str, limits: EngineLimits | None = None) -> ScriptError:
    with pytest.raises(ScriptError) as info:
        engine.execute(engine.compile(source, "t.tengo"), {}, None, limits)
    return info.value


def test_inputs_are_globals_and_result_is_the_answer(engine: TengoEngine) -> None:
    assert run(engine, "result := a * 2 + len(b)", a=20, b=[1, 2]) == 42


def test_result_comes_back_as_plain_values(engine: TengoEngine) -> None:
    out = run(engine, 'result := {xs: [1, 2.5, "s", true, undefined], c: \'x\'}')
    assert out == {"xs": [1, 2.5, "s", True, None], "c": "x"}


def test_missing_result_is_none(engine: TengoEngine) -> None:
    assert run(engine, "x := 1") is None


def test_unprovided_input_is_an_unresolved_reference(engine: TengoEngine) -> None:
    err = fail(engine, "a := 1\nresult := a + missing")
    assert err.type is ErrorType.COMPILATION
    assert err.message == "unresolved reference 'missing'"
    assert (err.line, err.column) == (2, 15)


def test_log_and_fmt_go_to_logs_not_stdout(engine: TengoEngine, capsys: pytest.CaptureFixture[str]) -> None:
    compiled = engine.compile('fmt := import("fmt")\nlog("a", 1)\nfmt.println("b")\nfmt.print("c")', "t")
    out = engine.execute(compiled)
    assert out.logs == ["a 1", "b", "c"]
    assert capsys.readouterr().out == ""


def test_host_functions_are_callable(engine: TengoEngine) -> None:
    compiled = engine.compile("result := double(21)", "t")
    assert engine.execute(compiled, {}, {"double": lambda x: x * 2}).result == 42


def test_host_function_errors_are_values(engine: TengoEngine) -> None:
    def boom() -> None:
        raise ValueError("nope")

    compiled = engine.compile("r := boom()\nresult := [is_error(r), r.value]", "t")
    assert engine.execute(compiled, {}, {"boom": boom}).result == [True, "boom: nope"]


def test_compile_is_cached_by_checksum(engine: TengoEngine) -> None:
    a = engine.compile("result := 1", "t")
    b = engine.compile("result := 1", "t")
    c = engine.compile("result := 2", "t")
    assert a is b and a is not c
    assert a.checksum != c.checksum


@pytest.mark.timeout(30)
def test_infinite_loop_times_out_and_engine_stays_healthy(engine: TengoEngine) -> None:
    started = time.monotonic()
    err = fail(engine, "for {}", EngineLimits(max_execution_time=0.1))
    assert err.type is ErrorType.TIMEOUT
    assert time.monotonic() - started < 2
    assert run(engine, "result := 1 + 1") == 2


@pytest.mark.timeout(30)
def test_recursion_without_end_times_out_or_overflows(engine: TengoEngine) -> None:
    err = fail(engine, "f := func(n) { return 1 + f(n) }\nresult := f(1)")
    assert err.type is ErrorType.EXECUTION
    assert err.message == "stack overflow"
    assert err.line == 1


def test_recursion_within_the_documented_depth_works(engine: TengoEngine) -> None:
    assert run(engine, "f := func(n) { if n == 0 { return 0 }; return 1 + f(n - 1) }\nresult := f(1000)") == 1000


@pytest.mark.timeout(60)
def test_self_tail_calls_run_as_loops(engine: TengoEngine) -> None:
    src = "f := func(n, a) { if n == 0 { return a }; return f(n - 1, a + 1) }\nresult := f(100000, 0)"
    assert run(engine, src) == 100000


@pytest.mark.timeout(30)
def test_memory_bomb_through_a_builtin_is_refused_before_allocating(engine: TengoEngine) -> None:
    err = fail(engine, 'text := import("text")\nresult := text.repeat("x", 1 << 40)')
    assert err.type is ErrorType.MEMORY_LIMIT
    assert err.line == 2


@pytest.mark.timeout(30)
def test_memory_growth_in_a_loop_is_stopped(engine: TengoEngine) -> None:
    src = 'a := []\nfor { a = append(a, "0123456789012345678901234567890123456789" + string(len(a))) }'
    err = fail(engine, src, EngineLimits(max_memory_bytes=32 << 20, max_execution_time=30))
    assert err.type is ErrorType.MEMORY_LIMIT


def test_runtime_error_has_position(engine: TengoEngine) -> None:
    err = fail(engine, "a := 1\nb := 0\nresult := a / b")
    assert err.type is ErrorType.EXECUTION
    assert err.line == 3
    assert "divide by zero" in err.message
    assert str(err).startswith("Runtime Error: ")


def test_parse_error_is_invalid_syntax(engine: TengoEngine) -> None:
    with pytest.raises(ScriptError) as info:
        engine.compile("a := [1, 2,]", "t")
    assert info.value.type is ErrorType.INVALID_SYNTAX
    assert info.value.line == 1


def test_os_module_does_not_exist(engine: TengoEngine) -> None:
    with pytest.raises(ScriptError) as info:
        engine.compile('os := import("os")', "t")
    assert info.value.type is ErrorType.COMPILATION
    assert info.value.message == "module 'os' not found"


def test_disallowed_stdlib_module_is_refused_at_execution(engine: TengoEngine) -> None:
    limits = EngineLimits(allowed_modules=frozenset({"fmt"}))
    err = fail(engine, 'json := import("json")\nresult := 1', limits)
    assert err.type is ErrorType.COMPILATION
    assert err.message == "module 'json' not found"


def test_source_modules_come_from_the_resolver(engine: TengoEngine) -> None:
    shared = {"shared/utils": "export { twice: func(x) { return x * 2 } }"}
    compiled = engine.compile('u := import("shared/utils")\nresult := u.twice(4)', "t", resolver=shared.get)
    assert engine.execute(compiled).result == 8


def test_cyclic_source_imports_are_a_compile_error(engine: TengoEngine) -> None:
    shared = {"a": 'b := import("b")\nexport 1', "b": 'a := import("a")\nexport 2'}
    with pytest.raises(ScriptError, match="cyclic"):
        engine.compile('x := import("a")', "t", resolver=shared.get)


def test_enum_module_is_available(engine: TengoEngine) -> None:
    src = 'enum := import("enum")\nresult := enum.map([1, 2, 3], func(i, x) { return x * 10 })'
    assert run(engine, src) == [10, 20, 30]


def test_bad_input_variable_is_a_typed_error(engine: TengoEngine) -> None:
    compiled = engine.compile("result := x", "t")
    with pytest.raises(ScriptError, match="input variable 'x'"):
        engine.execute(compiled, {"x": {1, 2}})


@pytest.mark.parametrize(
    "probe",
    [
        "result := len.__class__",
        "result := len.__globals__",
        'fmt := import("fmt")\nresult := fmt.println.__code__',
        "f := func() {}\nresult := f.__closure__",
        'result := "x".__class__',
        "result := error(1).__class__",
        "result := [1].buf",
        "result := {}.__class__.__bases__",
        'result := (func(){}).__globals__["__builtins__"]',
    ],
)
def test_no_host_python_object_is_reachable(engine: TengoEngine, probe: str) -> None:
    """Selectors and indexes on every value go through Tengo's own rules, never getattr."""
    try:
        out = engine.execute(engine.compile(probe, "t.tengo"))
    except ScriptError as exc:
        assert exc.type in (ErrorType.EXECUTION, ErrorType.INVALID_SYNTAX, ErrorType.COMPILATION)
        assert "Traceback" not in exc.message
    else:
        assert out.result is None  # Tengo answers undefined for a missing map key


@pytest.mark.parametrize(
    "source",
    ["x := " + "(" * 10000 + "1" + ")" * 10000, "x := " + "[" * 10000 + "]" * 10000],
)
def test_hostile_source_is_a_typed_error(engine: TengoEngine, source: str) -> None:
    with pytest.raises(ScriptError) as info:
        engine.compile(source, "t.tengo")
    assert info.value.type is ErrorType.INVALID_SYNTAX


def test_invalid_utf8_bytes_are_a_parse_error(engine: TengoEngine) -> None:
    source = b'x := "\xff\xfe"'.decode("utf-8", "surrogateescape")
    with pytest.raises(ScriptError) as info:
        engine.compile(source, "t.tengo")
    assert info.value.type is ErrorType.INVALID_SYNTAX
    assert "UTF-8" in info.value.message


def test_oversized_script_is_refused(engine: TengoEngine) -> None:
    with pytest.raises(ScriptError, match="larger than"):
        engine.compile("x := 1\n" * 200_000, "t.tengo")
