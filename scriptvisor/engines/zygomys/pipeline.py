"""Compile a `Compiler`'s forms to a code object (again when names turn out to be
looked up at run time), and run programs in a namespace of helpers."""

from __future__ import annotations

import ast
import sys
import types
import warnings
from typing import Any

from scriptvisor.engines import positions
from scriptvisor.engines.zygomys import runtime
from scriptvisor.engines.zygomys.core import Compiler
from scriptvisor.engines.zygomys.names import MAIN
from scriptvisor.engines.zygomys.scopes import NeedGlobals, NeedRecompile, Program
from scriptvisor.engines.zygomys.values import (
    COMPILED_FILENAME_PREFIX,
    CompileError,
    Hash,
    Lazy,
)

_COMPILE_DEPTH = 20_000  # the recursion limit while compiling (deep forms)


# ---------------------------------------------------------------- compile and run

def finish(self: Compiler, forms: list[Any]) -> Program:
    """Compile the whole program to a code object; again (at most twice) when it turns
    out to look names up at run time, or to reassign a function assumed fixed."""
    macros_before = dict(self.macros)
    compiler = self
    for _ in range(3):
        try:
            return _finish(compiler, forms)
        except (NeedGlobals, NeedRecompile) as exc:
            self.macros.clear()
            self.macros.update(macros_before)
            again = Compiler(self.name, self.builtins, self.macros, self.resolver,
                             self.imports, toplevel_locals=compiler.toplevel_locals and
                             not isinstance(exc, NeedGlobals), rules=self.rules)
            again.mutable = compiler.mutable | (
                exc.mutable if isinstance(exc, NeedRecompile) else set())
            again.counter = compiler.counter
            compiler = again
    compiler.versioning = False
    return _finish(compiler, forms)


def _finish(self: Compiler, forms: list[Any]) -> Program:
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, _COMPILE_DEPTH))
    try:
        module = self.program(forms)
        stored_again = {py for py in self.fixed_functions if self.store_counts.get(py, 0) > 1}
        if stored_again:
            raise NeedRecompile(stored_again)
        code = _compile(module, self.name)
        source = ast.unparse(module)
    except RecursionError:
        raise CompileError("program nested too deeply") from None
    finally:
        sys.setrecursionlimit(previous)
    return Program(_tag(code, self.labels), self.consts, source, self.name, self.macros,
                   self.call_names, self.builtins)


def _compile(module: ast.Module, name: str) -> types.CodeType:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            return compile(module, f"{COMPILED_FILENAME_PREFIX}:{name}>", "exec")
    except SyntaxError as exc:
        pos = (exc.lineno or 0, exc.offset or 0)
        if "too many statically nested blocks" in str(exc):
            raise CompileError("loops nested too deeply", pos) from None
        # a safety net: generated code Python refuses is a compile error of the script
        raise CompileError(f"cannot compile this program: {exc.msg}", pos) from None
    except ValueError as exc:  # e.g. a name Python reserves (RecursionError: `_finish`)
        raise CompileError(f"cannot compile this program: {exc}") from None


def _tag(code: types.CodeType, labels: dict[str, str]) -> types.CodeType:
    consts = tuple(_tag(k, labels) if isinstance(k, types.CodeType) else k
                   for k in code.co_consts)
    label = labels.get(code.co_name)
    return code.replace(co_consts=consts, co_qualname=label or code.co_qualname)


_HELPERS: dict[str, Any] = {}
_MISSING_KEY = object()
_BUILTINS_NS: dict[str, Any] = {}


def install(helpers: dict[str, Any], builtins_ns: dict[str, Any]) -> None:
    """Set the helper functions and builtin namespace that generated code sees."""
    _HELPERS.update(helpers)
    _BUILTINS_NS.update(builtins_ns)


def namespace() -> dict[str, Any]:
    ns: dict[str, Any] = {"__builtins__": _BUILTINS_NS, "_h_type": type, "_h_int": int,
                          "_h_range": range, "_h_NameError": NameError,
                          "_h_append_into": runtime.append_into, "_h_list": list,
                          "_h_len": len, "_h_pystr": str, "_h_checked_str": runtime.checked_str,
                          "_h_refcount": sys.getrefcount, "_h_Hash": Hash, "_h_Lazy": Lazy,
                          "_h_missing": _MISSING_KEY}
    ns.update(_HELPERS)
    return ns


def run_program(program: Program, ns: dict[str, Any]) -> Any:
    """Run a compiled program in namespace `ns` (a fresh one when empty); returns the
    value of its last top-level form."""
    if not ns:
        ns.update(namespace())
    exec(program.code, ns)
    main = ns.pop(MAIN)
    return main(program.consts, ns)


def error_position(exc: BaseException) -> tuple[str, int, int] | None:
    """(script, line, column) of the innermost generated frame in `exc`'s traceback."""
    return positions.error_position(exc, COMPILED_FILENAME_PREFIX)
