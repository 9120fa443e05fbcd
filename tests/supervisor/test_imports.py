"""Shared scripts reach confined children with the importing script's source: `import`
works in both languages without a file system, and a changed import recompiles importers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scriptvisor.engines.base import ScriptLanguage
from scriptvisor.protocol.errors import ErrorType
from scriptvisor.protocol.models import ExecutionRequest, SecurityLimits
from scriptvisor.supervisor.engine import ScriptEngine, StaticScripts
from scriptvisor.supervisor.pool import PoolConfig

pytestmark = pytest.mark.timeout(60)

TENGO_UTILS = "export { triple: func(x) { return 3 * x }, tag: \"v1\" }"
ZYGOMYS_UTILS = '(defn triple [x] (* 3 x)) (def tag "v1")'


class Shared:
    """An `ImportSources` whose sources a test edits: a new dict object on every change,
    the same one otherwise (as the registry does)."""

    def __init__(self) -> None:
        self.sources: dict[ScriptLanguage, dict[str, str]] = {
            ScriptLanguage.TENGO: {"shared/utils": TENGO_UTILS},
            ScriptLanguage.ZYGOMYS: {"shared/utils": ZYGOMYS_UTILS},
        }

    def __call__(self, language: ScriptLanguage) -> dict[str, str]:
        return self.sources[language]

    def set(self, language: ScriptLanguage, source: str) -> None:
        self.sources[language] = {"shared/utils": source}


@pytest.fixture(scope="module")
def shared() -> Shared:
    return Shared()


@pytest.fixture(scope="module")
def engine(shared: Shared) -> Iterator[ScriptEngine]:
    scripts = StaticScripts()
    scripts.add("game", "tengo", 'u := import("shared/utils")\nresult := [u.triple(x), u.tag]')
    scripts.add("game", "zy", '(import "shared/utils") (def result [(triple x) tag])', "zygomys")
    scripts.add("game", "missing", 'u := import("shared/nothing")\nresult := 1')
    eng = ScriptEngine(
        scripts, pool=PoolConfig(size=2), limits=SecurityLimits(), imports=shared
    )
    yield eng
    eng.shutdown()


def run(engine: ScriptEngine, name: str, **input: object) -> object:
    request = ExecutionRequest(module_name="game", script_name=name, input={"context": input})
    out = engine.execute(request)
    out.raise_for_error()
    return out.result


@pytest.mark.parametrize("name", ["tengo", "zy"])
def test_import_in_a_confined_child(engine: ScriptEngine, name: str) -> None:
    for _ in range(3):  # every child, cached or not, resolves the import
        assert run(engine, name, x=14) == [42, "v1"]


@pytest.mark.parametrize(("name", "language", "changed"), [
    ("tengo", ScriptLanguage.TENGO, 'export { triple: func(x) { return 30 * x }, tag: "v2" }'),
    ("zy", ScriptLanguage.ZYGOMYS, '(defn triple [x] (* 30 x)) (def tag "v2")'),
])
def test_a_changed_import_recompiles_its_importers(
    engine: ScriptEngine, shared: Shared, name: str, language: ScriptLanguage, changed: str
) -> None:
    assert run(engine, name, x=1) == [3, "v1"]
    shared.set(language, changed)
    try:
        for _ in range(3):
            assert run(engine, name, x=1) == [30, "v2"]
    finally:
        shared.set(language, TENGO_UTILS if language is ScriptLanguage.TENGO else ZYGOMYS_UTILS)
    assert run(engine, name, x=1) == [3, "v1"]


def test_an_unknown_import_is_a_compilation_error(engine: ScriptEngine) -> None:
    out = engine.execute(ExecutionRequest(module_name="game", script_name="missing"))
    assert out.error is not None and out.error.type is ErrorType.COMPILATION, out
    assert "shared/nothing" in out.error.message and out.error.line == 1, out.error


def test_ad_hoc_sources_and_validation_import_too(engine: ScriptEngine) -> None:
    out = engine.execute_source('u := import("shared/utils")\nresult := u.triple(5)')
    assert out.ok and out.result == 15, out
    assert engine.validate('u := import("shared/utils")\nresult := u.nope(1)').ok
    bad = engine.validate('import("shared/utils")\n)', name="broken")
    assert bad.error is not None and bad.error.type is ErrorType.INVALID_SYNTAX, bad


@pytest.mark.parametrize(("source", "language"), [
    ('log("hi")\nresult := 1', "tengo"),
    ('(log "hi") (def result 1)', "zygomys"),
])
def test_log_exists_only_when_exposed(engine: ScriptEngine, source: str, language: str) -> None:
    out = engine.execute_source(source, language)
    assert out.ok and out.logs == ("hi",), out
    quiet = SecurityLimits(exposed_functions=("publish",))
    out = engine.execute_source(source, language, limits=quiet)
    assert out.error is not None and "log" in out.error.message and out.logs == (), out
