"""The Tengo compiler's public face: syntax tree -> Python code object, and running it.

`compile_program` resolves names (`scopes`: Go's compile errors, in Go's words), infers
types (`inference`) and generates a Python `ast` (`codegen`) compiled once into a module
code object. `run_program` executes it: the module defines `__tengo_main__(env,
importer)`, whose body is the script's top level, so one Tengo call is one Python frame
and the host's recursion limit is the script's call-depth limit.

Failures are mapped after the fact, at no cost per operation: `error_position` reads the
script position stamped on the innermost generated instruction of a traceback, and a
`TypeError` Python raises at a call (wrong arity, not a function) becomes Go's message
(generated functions carry their arity in their qualified name, `fib@1`).
"""

from __future__ import annotations

import ast
import re
import sys
import types
import warnings
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scriptvisor.engines import positions
from scriptvisor.engines.tengo import syntax as s
from scriptvisor.engines.tengo import values
from scriptvisor.engines.tengo.codegen import EXPORT_KEY, MAIN, Callee, generate
from scriptvisor.engines.tengo.scopes import compile_error, resolve
from scriptvisor.engines.tengo.syntax import Pos
from scriptvisor.engines.tengo.values import COMPILED_FILENAME_PREFIX, RuntimeErr

__all__ = ["EXPORT_KEY", "Program", "compile_program", "error_position", "run_program"]

_COMPILE_DEPTH = 20_000  # Python recursion allowed while compiling deeply nested scripts


@dataclass(slots=True)
class Program:
    """A compiled script (or source module), ready for `run_program` any number of times."""

    code: types.CodeType
    python_source: str
    free_names: dict[str, Pos]
    imports: list[tuple[str, Pos]]
    name: str = ""
    namespace: dict[str, Any] = field(default_factory=dict)


def compile_program(
    file: s.File, name: str, builtins: Mapping[str, Any], *, module: bool | None = None
) -> Program:
    """Compile a parsed script; raise `ScriptError(COMPILATION)` as Go Tengo would.

    `module=True` compiles a source module (its top level is a function scope, `export`
    ends it), `False` a main script (`export` is ignored, as Go does). The default `None`
    suits both when the caller does not know: scoping is a script's, and the first
    `export` records the module's value without ending the run.
    """
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, _COMPILE_DEPTH))
    try:
        res = resolve(file, name, builtins, module)
        gen = generate(res, name, builtins, file)
        code = _compile(gen.tree, name)
        source = ast.unparse(gen.tree)
    finally:
        sys.setrecursionlimit(previous)
    code = _tag_arities(code, gen.arities)
    _register_call_labels(code, gen.call_labels)
    return Program(
        code=code,
        python_source=source,
        free_names=dict(res.free_names),
        imports=list(res.imports),
        name=name,
        namespace=gen.namespace,
    )


def _compile(tree: ast.Module, name: str) -> types.CodeType:
    """Python's compiler on the generated module; its one limit a script can reach (20
    nested loops) becomes a compile error at the loop that is one too many."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            return compile(tree, COMPILED_FILENAME_PREFIX + ":" + name + ">", "exec")
    except SyntaxError as exc:
        if "too many statically nested blocks" not in str(exc):
            raise
        line, col = exc.lineno or 0, exc.offset or 0
        raise compile_error("loops nested too deeply", name, (line, col)) from None


# ---------------------------------------------------------------- arity tags

def _tag_arities(code: types.CodeType, arities: dict[str, str]) -> types.CodeType:
    """Rename each generated function's qualified name to carry its arity (`fib@1`,
    `f@1+` for varargs), which Python's own arity `TypeError` then quotes back to us."""
    consts = tuple(
        _tag_arities(c, arities) if isinstance(c, types.CodeType) else c for c in code.co_consts
    )
    qualname = arities.get(code.co_name, code.co_qualname)
    return code.replace(co_consts=consts, co_qualname=qualname)


# ---------------------------------------------------------------- running

def run_program(
    program: Program, env: Mapping[str, Any], importer: Callable[[str], Any]
) -> dict[str, Any]:
    """Run a compiled script: `env` supplies every free name, `importer(name)` the value
    of `import(name)`. Returns the top-level variables (and `__export__` for a module)."""
    namespace = dict(program.namespace)
    exec(program.code, namespace)
    main = namespace[MAIN]
    missing = [name for name in program.free_names if name not in env]
    if missing:
        raise RuntimeErr(f"unresolved reference '{missing[0]}'")
    try:
        result: dict[str, Any] = main(env, importer)
    except TypeError as exc:
        converted = _call_error(exc)
        if converted is None:
            raise
        raise converted.with_traceback(exc.__traceback__) from None
    except RuntimeErr as exc:
        _name_callee(exc)
        raise
    return result


_ARITY = re.compile(
    r"^[^(]*@(\d+)(\+?)\(\) (?:takes (\d+) positional arguments? but (\d+) (?:was|were) given"
    r"|missing (\d+) required positional arguments?)"
)
_NOT_CALLABLE = re.compile(r"^'([^']*)' object is not callable$")
_PY_TYPE_NAMES = {
    "int": "int", "float": "float", "str": "string", "bool": "bool", "bytes": "bytes",
    "dict": "map", "NoneType": "undefined", "Array": "array",
    "ImmutableArray": "immutable-array", "ImmutableMap": "immutable-map", "Char": "char",
    "Error": "error", "Time": "time",
}


def _innermost_generated(tb: types.TracebackType | None) -> types.TracebackType | None:
    return positions.innermost_generated(tb, COMPILED_FILENAME_PREFIX)


def _call_error(exc: TypeError) -> RuntimeErr | None:
    """Go's message for a call that Python refused: wrong arity, or not a function."""
    tb = _innermost_generated(exc.__traceback__)
    if tb is None or tb.tb_next is not None:
        return None  # raised deeper than the generated call site: not a call error
    text = str(exc)
    m = _ARITY.match(text)
    if m is not None:
        want, varargs = int(m.group(1)), m.group(2) == "+"
        got = int(m.group(4)) if m.group(4) is not None else want - int(m.group(5))
        sign = ">=" if varargs else "="
        return RuntimeErr(f"wrong number of arguments: want{sign}{want}, got={got}")
    m = _NOT_CALLABLE.match(text)
    if m is not None:
        return RuntimeErr(f"not callable: {_PY_TYPE_NAMES.get(m.group(1), m.group(1))}")
    return None


_CALL_LABELS: weakref.WeakKeyDictionary[types.CodeType, dict[Pos, Callee | None]] = (
    weakref.WeakKeyDictionary()
)
"""Each generated code object's call sites (what `label_call` learnt), for `_name_callee`."""


def _register_call_labels(code: types.CodeType, labels: dict[Pos, Callee | None]) -> None:
    _CALL_LABELS[code] = labels
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _register_call_labels(const, labels)


def _name_callee(exc: RuntimeErr) -> None:
    """Builtins report `wrong number of arguments` / `invalid type for argument ...`; the
    VM adds which function was called, as Go's does."""
    text = str(exc)
    if " in call to " in text:
        return
    bad_type = text.startswith("invalid type for argument '")
    if text != "wrong number of arguments" and not bad_type:
        return
    tb = _innermost_generated(exc.__traceback__)
    if tb is None or tb.tb_next is None:
        return
    where = _position(tb)
    callee = _CALL_LABELS.get(tb.tb_frame.f_code, {}).get(where[1:]) if where else None
    name = callee.type_name(tb.tb_frame) if callee is not None else None
    if name is None:
        name = _callee_type_name(tb.tb_next.tb_frame.f_code)
    if bad_type:
        head, _, tail = text.partition("': ")
        exc.args = (f"{head}' in call to '{name}': {tail}",)
    else:
        exc.args = (f"{text} in call to '{name}'",)


def _callee_type_name(code: types.CodeType) -> str:
    for fn, name in values.BUILTIN_NAMES.items():
        if getattr(fn, "__code__", None) is code:
            return "builtin-function:" + name
    return "user-function:" + code.co_name


def error_position(exc: BaseException) -> tuple[str, int, int] | None:
    """(script, line, column) of the innermost generated frame in `exc`'s traceback."""
    return positions.error_position(exc, COMPILED_FILENAME_PREFIX)


def _position(tb: types.TracebackType) -> tuple[str, int, int] | None:
    return positions.frame_position(tb, COMPILED_FILENAME_PREFIX)
