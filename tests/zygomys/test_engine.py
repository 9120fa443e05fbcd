"""The ZygomysEngine API: variables, host functions, imports, limits, factory."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scriptvisor.engines.base import EngineLimits
from scriptvisor.engines.factory import EngineFactory
from scriptvisor.engines.zygomys.engine import ZygomysEngine
from scriptvisor.protocol.errors import ErrorType, ScriptError


def test_variables_functions_and_result() -> None:
    engine = ZygomysEngine()
    published: list[tuple[str, object]] = []
    compiled = engine.compile(
        '(log "start")\n(publish "t" (hash n: amount))\n'
        '(def result (hash total: (* amount 2) names: (map (fn [p] (hget p "name")) people)))\n',
        "s",
    )
    out = engine.execute(
        compiled,
        {"amount": 21, "people": [{"name": "a"}, {"name": "b"}]},
        {"publish": lambda topic, payload: published.append((topic, payload))},
    )
    assert out.result == {"total": 42, "names": ["a", "b"]}
    assert out.logs == ["start"]
    assert published == [("t", {"n": 21})]


def test_compile_is_cached_by_checksum() -> None:
    engine = ZygomysEngine()
    assert engine.compile("(def result 1)", "a") is engine.compile("(def result 1)", "a")


def test_import_through_resolver() -> None:
    engine = ZygomysEngine()
    shared = {"shared/math": "(defn double [x] (* x 2))"}
    compiled = engine.compile('(import "shared/math")\n(def result (double 21))', "m",
                              resolver=shared.get)
    assert engine.execute(compiled).result == 42


def test_import_missing_is_a_compile_error() -> None:
    with pytest.raises(ScriptError) as info:
        ZygomysEngine().compile('(import "nope")', "m", resolver=lambda name: None)
    assert info.value.type is ErrorType.COMPILATION


def test_timeout_is_typed() -> None:
    engine = ZygomysEngine(EngineLimits(max_execution_time=0.2))
    with pytest.raises(ScriptError) as info:
        engine.execute(engine.compile("(for [() true ()] 1)", "hang"))
    assert info.value.type is ErrorType.TIMEOUT


def test_allocation_is_checked() -> None:
    engine = ZygomysEngine(EngineLimits(max_memory_bytes=1 << 20))
    with pytest.raises(ScriptError) as info:
        engine.execute(engine.compile("(makeArray 100000000)", "big"))
    assert info.value.type is ErrorType.MEMORY_LIMIT


def test_print_never_reaches_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    ZygomysEngine().run_source('(println "x")', "p")
    assert capsys.readouterr().out == ""


def test_factory_knows_zygomys() -> None:
    factory = EngineFactory()
    assert "zygomys" in [lang.value for lang in factory.supported_languages()]
    assert isinstance(factory.create_engine("zygomys"), ZygomysEngine)


def test_python_source_is_kept() -> None:
    compiled = ZygomysEngine().compile("(defn f [x] x)", "src")
    assert "def _h_main" in compiled.python_source


# An input variable or host function named like a builtin is a global bound before the
# script runs: upstream binds it in the global scope where the builtins live (AddGlobal), so
# it replaces the builtin for calls and values alike, inlined operators included.
SHADOWING = [
    ('(def result [(number? len) (+ 1 2)])', {"len": 5}, {}, [True, 3]),
    ('(def result (len "abc"))', {}, {"len": lambda s: 42}, 42),  # `len` is inlined
    ('(def result (+ 1 2))', {}, {"+": lambda a, b: "plus"}, "plus"),  # so is `+`
    ('(def result (< 1 2))', {}, {"<": lambda a, b: "lt"}, "lt"),
    ('(def result (aget [7 8] 1))', {}, {"aget": lambda a, i: "host"}, "host"),
    ('(def result (eval (quote (len "ab"))))', {}, {"len": lambda s: 42}, 42),
    ('(defn f [] (str 7)) (def result (f))', {}, {"str": lambda x: "host"}, "host"),
]


@pytest.mark.parametrize(("source", "variables", "functions", "expected"), SHADOWING)
def test_input_named_like_a_builtin_replaces_it_everywhere(
    source: str, variables: dict[str, object], functions: dict[str, Callable[..., object]],
    expected: object,
) -> None:
    engine = ZygomysEngine()
    compiled = engine.compile(source, "shadow")
    assert engine.execute(compiled, variables, functions).result == expected
    # the same compiled script without the shadowing input still uses the builtin
    plain = engine.execute(compiled).result
    assert plain != expected


def test_input_named_like_a_builtin_called_when_not_a_function() -> None:
    engine = ZygomysEngine()
    with pytest.raises(ScriptError) as info:
        engine.execute(engine.compile('(def result (len "abc"))', "shadow"), {"len": 5})
    assert info.value.type is ErrorType.EXECUTION
    assert "len is not a function" in info.value.message
