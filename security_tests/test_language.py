"""Reaching Python internals through the language, in pairs with the allowed form.

A script only has what its language gives it: identifiers of the host (`open`,
`__import__`), dunder selectors, the `os` module and modules outside the allowlist must not
exist; the allowed neighbour of each must keep working.
"""

from __future__ import annotations

import pytest
from security_harness import assert_error, assert_healthy

from scriptvisor.protocol.errors import ErrorType
from scriptvisor.protocol.models import SecurityLimits
from scriptvisor.supervisor.engine import ScriptEngine

pytestmark = pytest.mark.timeout(60)

# name -> (allowed source, hostile source, expected error type or None for "runs and
# yields undefined", words in the message)
PAIRS: dict[str, tuple[str, str, ErrorType | None, str]] = {
    "the os module": (
        'text := import("text")\nresult := text.to_lower("A")',
        'os := import("os")\nresult := os.getenv("HOME")',
        ErrorType.COMPILATION, "not found",
    ),
    "Python's open": ('result := len("abc")', 'result := open("/etc/passwd")',
                      ErrorType.COMPILATION, "unresolved reference"),
    "Python's __import__": ('result := type_name(1)', 'result := __import__("os")',
                            ErrorType.COMPILATION, "unresolved reference"),
    "Python's eval": ('result := string(1 + 1)', 'result := eval("1 + 1")',
                      ErrorType.COMPILATION, "unresolved reference"),
    "dunder selector on a value": ('x := {a: 1}\nresult := x.a', 'x := "a"\nresult := x.__class__',
                                   ErrorType.EXECUTION, "invalid index"),
    "dunder selector on a module": (
        'text := import("text")\nresult := is_callable(text.split)',
        'text := import("text")\nresult := text.__dict__',
        None, "",
    ),
    "dunder selector on a function": (
        "f := func() { return 1 }\nresult := f()",
        "f := func() { return 1 }\nresult := f.__globals__",
        ErrorType.EXECUTION, "",
    ),
}


@pytest.mark.parametrize("name", list(PAIRS))
def test_language_pair(confined: ScriptEngine, name: str) -> None:
    allowed, hostile, kind, words = PAIRS[name]
    out = confined.execute_source(allowed)
    assert out.ok, out
    out = confined.execute_source(hostile)
    if kind is None:
        assert out.ok and out.result is None, out  # a missing key, not a Python object
    else:
        assert_error(out, kind, words)
    assert_healthy(confined)


def test_modules_outside_the_allowlist_do_not_exist(confined: ScriptEngine) -> None:
    source = 'json := import("json")\nresult := json.encode(1)'
    assert confined.execute_source(source).ok
    narrow = SecurityLimits(allowed_packages=("text",))
    assert_error(confined.execute_source(source, limits=narrow), ErrorType.COMPILATION, "json")
