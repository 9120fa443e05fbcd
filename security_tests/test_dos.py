"""Denial of service from inside a script, in pairs: the bounded form of each construct
runs normally under the same limits (the control), the unbounded form is stopped with a
typed outcome. Then the supervisor is healthy and the next script runs normally.
"""

from __future__ import annotations

import pytest
from security_harness import assert_error, assert_healthy, probe

from scriptvisor.protocol.errors import ErrorType
from scriptvisor.protocol.models import SecurityLimits
from scriptvisor.supervisor.engine import ScriptEngine

pytestmark = pytest.mark.timeout(60)
LIMITS = SecurityLimits(max_execution_time=0.3)
TEXT = 'text := import("text")\n'
FMT = 'fmt := import("fmt")\n'
JSON = 'json := import("json")\n'

# name -> (control source, hostile source, expected error type(s), words in the message)
PAIRS: dict[str, tuple[str, str, ErrorType | tuple[ErrorType, ...], str]] = {
    "infinite loop": (
        "n := 0\nfor i := 0; i < 1000; i++ { n += i }\nresult := n",
        "for {}",
        ErrorType.TIMEOUT, "time limit",
    ),
    "deep recursion": (
        "f := 0\nf = func(n) { if n == 0 { return 0 }; return 1 + f(n - 1) }\nresult := f(100)",
        "f := 0\nf = func(n) { return 1 + f(n + 1) }\nresult := f(0)",
        ErrorType.EXECUTION, "stack overflow",
    ),
    "memory bomb: growing array": (
        "a := []\nfor i := 0; i < 1000; i++ { a = append(a, i) }\nresult := len(a)",
        'a := []\nfor { a = append(a, "0123456789abcdef") }',
        ErrorType.MEMORY_LIMIT, "memory limit",
    ),
    "memory bomb: doubling string": (
        's := "ab"\nfor i := 0; i < 10; i++ { s = s + s }\nresult := len(s)',
        's := "ab"\nfor { s = s + s }',
        ErrorType.MEMORY_LIMIT, "memory limit",
    ),
    "memory bomb: growing map": (
        "m := {}\nfor i := 0; i < 1000; i++ { m[string(i)] = i }\nresult := len(m)",
        "m := {}\nfor i := 0; true; i++ { m[string(i)] = i }",
        ErrorType.MEMORY_LIMIT, "memory limit",
    ),
    "builtin bomb: text.repeat": (
        TEXT + 'result := len(text.repeat("x", 1000))',
        TEXT + 'result := text.repeat("x", 1 << 40)',
        ErrorType.MEMORY_LIMIT, "memory limit",
    ),
    "builtin bomb: text.pad_left": (
        TEXT + 'result := len(text.pad_left("x", 100, " "))',
        TEXT + 'result := text.pad_left("x", 1 << 40, " ")',
        ErrorType.MEMORY_LIMIT, "memory limit",
    ),
    "builtin bomb: text.join": (
        TEXT + 'result := len(text.join(["a", "b"], "--"))',
        TEXT + 'a := []\nfor i := 0; i < 100000; i++ { a = append(a, "xxxxxxxxxxxxxxxx") }\n'
        'result := len(text.join(a, text.repeat("y", 1000)))',
        ErrorType.MEMORY_LIMIT, "memory limit",
    ),
    "builtin bomb: json of a shared tree": (
        JSON + "a := [1]\nfor i := 0; i < 5; i++ { a = [a, a] }\nresult := len(json.encode(a))",
        JSON + "a := [1]\nfor i := 0; i < 200; i++ { a = [a, a] }\nresult := len(json.encode(a))",
        (ErrorType.MEMORY_LIMIT, ErrorType.TIMEOUT), "limit",
    ),
    "builtin bomb: bytes(n)": (
        "result := len(bytes(100))",
        "result := bytes(1 << 40)",
        ErrorType.EXECUTION, "bytes size limit",
    ),
    "log flood": (
        'for i := 0; i < 100; i++ { log("line") }',
        'for { log("flood flood flood flood") }',
        ErrorType.TIMEOUT, "time limit",
    ),
    "log volume": (
        TEXT + 'for i := 0; i < 10; i++ { log(text.repeat("z", 1000)) }',
        TEXT + 'for i := 0; i < 1000; i++ { log(text.repeat("z", 60000)) }',
        ErrorType.MEMORY_LIMIT, "memory limit",
    ),
    "host-function flood": (
        'for i := 0; i < 10; i++ { publish("t", i) }',
        'for { publish("t", 1) }',
        ErrorType.EXECUTION, "host call quota",
    ),
    "nesting bomb (parser)": (
        "result := " + "(" * 20 + "1" + ")" * 20,
        "result := " + "(" * 5000 + "1" + ")" * 5000,
        ErrorType.INVALID_SYNTAX, "nest",
    ),
    "compile bomb (huge script)": (  # compiling is outside the child's soft limits
        "\n".join(f"v{i} := {i}" for i in range(20)),
        "\n".join(f"v{i} := {i}" for i in range(40_000)),
        (ErrorType.TIMEOUT, ErrorType.MEMORY_LIMIT), "killed",
    ),
}


@pytest.mark.parametrize("name", list(PAIRS))
def test_dos_pair(confined: ScriptEngine, name: str) -> None:
    control, hostile, kind, words = PAIRS[name]
    out = confined.execute_source(control, limits=LIMITS, name="control")
    assert out.ok, out
    out = confined.execute_source(hostile, limits=LIMITS, name="hostile")
    kinds = kind if isinstance(kind, tuple) else (kind,)
    assert out.error is not None and out.error.type in kinds, out
    assert words in out.error.message, out.error
    assert out.metrics.execution_time < 5.0
    assert_healthy(confined)


def test_output_bigger_than_a_frame_is_refused(confined: ScriptEngine) -> None:
    roomy = SecurityLimits(max_memory_bytes=64 * 1024 * 1024, max_execution_time=5.0)
    out = confined.execute_source(TEXT + 'result := len(text.repeat("r", 9000000))', limits=roomy)
    assert out.ok and out.result == 9000000, out
    out = confined.execute_source(TEXT + 'result := text.repeat("r", 9000000)', limits=roomy)
    assert_error(out, ErrorType.EXECUTION, "frame cap")
    assert_healthy(confined)


@pytest.mark.parametrize(
    ("name", "kind", "words"),
    [
        ("spin_with_deadline_blocked", ErrorType.TIMEOUT, "killed"),
        ("hoard_memory", ErrorType.MEMORY_LIMIT, "killed"),
    ],
)
def test_supervisor_backstops(
    confined: ScriptEngine, unconfined: ScriptEngine, name: str, kind: ErrorType, words: str
) -> None:
    """CPU and memory abuse the child's own guard cannot see (signals blocked, memory grown
    by Python code outside the engine): the supervisor's hard deadline and RSS watch stop
    it, in the confined child and even in the control child (these guards live outside)."""
    limits = SecurityLimits(max_execution_time=0.3, max_memory_bytes=16 * 1024 * 1024)
    for engine in (unconfined, confined):
        assert_error(probe(engine, name, limits=limits), kind, words)
        assert_healthy(engine)
