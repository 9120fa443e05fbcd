"""The Zygomys `LanguageEngine`: read, compile to a code object (cached by checksum), run.

`import` of shared scripts goes through the registry's resolver at compile time (their
forms are compiled in place, as upstream's import evaluates a file); nothing touches the
file system. Execution binds input variables and host functions as globals, runs under the
deadline/memory watch and maps every failure to `ScriptError` with line and column.
"""

from __future__ import annotations

import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from scriptvisor.engines import guard, limits
from scriptvisor.engines.base import (
    CompiledScript,
    EngineLimits,
    ImportResolver,
    InProcessEngine,
    RawOutcome,
    ScriptLanguage,
    source_checksum,
)
from scriptvisor.engines.tengo.state import ExecState
from scriptvisor.engines.zygomys import compiler, interop, reader, runtime, state
from scriptvisor.engines.zygomys.builtins import BUILTINS, CODE_NAMES, builtin_names
from scriptvisor.engines.zygomys.values import (
    CompileError,
    ZyError,
    display,
    reset_symbol_ranks,
    to_str,
    truthy,
    wrap,
)
from scriptvisor.protocol.errors import ErrorType, ScriptError

log = logging.getLogger("scriptvisor.zygomys")

CACHE_SIZE = 256
MAX_SOURCE_BYTES = 1 << 20
MIN_CALL_DEPTH = 5_000  # upstream runs 5,000-deep non-tail recursion
MAX_VARIANTS = 8  # programs kept per script compiled with builtins hidden by inputs
_MISSING = object()


class ZygomysEngine(InProcessEngine):
    """Compiles Zygomys scripts once (cached by checksum) and runs them in this process."""

    language = ScriptLanguage.ZYGOMYS

    def __init__(self, limits: EngineLimits | None = None) -> None:
        self.limits = limits or EngineLimits()
        self._cache: OrderedDict[tuple[str, str], CompiledScript] = OrderedDict()

    def set_security_limits(self, limits: EngineLimits) -> None:
        self.limits = limits

    # ------------------------------------------------------------ compile

    def compile(
        self, source: str, name: str = "script", *, resolver: ImportResolver | None = None
    ) -> CompiledScript:
        key = (name, source_checksum(source))
        cached = self._cache.get(key)
        if cached is not None and resolver is None:
            self._cache.move_to_end(key)
            return cached
        started = time.perf_counter()
        program = self._compile_program(source, name, resolver)
        compiled = CompiledScript(
            name=name,
            language=self.language,
            checksum=key[1],
            code=program,
            compile_seconds=time.perf_counter() - started,
            python_source=program.python_source,
        )
        self._cache[key] = compiled
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return compiled

    def _compile_program(
        self, source: str, name: str, resolver: ImportResolver | None,
        builtins: frozenset[str] | None = None,
    ) -> compiler.Program:
        if len(source) > MAX_SOURCE_BYTES or len(source.encode("utf-8", "replace")) > (
            MAX_SOURCE_BYTES
        ):
            raise ScriptError(ErrorType.INVALID_SYNTAX,
                              f"script is larger than {MAX_SOURCE_BYTES} bytes", script=name)
        names = builtin_names() if builtins is None else builtins
        try:
            forms = reader.read(source)
            if "defmac" in source:  # macros run script code at compile time: watch it
                lim = self.limits
                with guard.watched(lim.max_execution_time, lim.max_memory_bytes):
                    program = compiler.compile_forms(forms, name, names, resolver=resolver)
            else:
                program = compiler.compile_forms(forms, name, names, resolver=resolver)
        except CompileError as exc:
            kind = ErrorType.INVALID_SYNTAX if isinstance(exc, reader.ReadError) \
                else ErrorType.COMPILATION
            line, col = exc.pos if exc.pos is not None else (None, None)
            raise ScriptError(kind, str(exc), script=name, line=line, column=col) from None
        except (limits.ExecutionInterrupted, RecursionError) as exc:
            raise _script_error(exc, name, None) from None
        program.source, program.resolver = source, resolver
        return program

    def _program_for(self, program: compiler.Program, names: set[str]) -> compiler.Program:
        """The program as it runs with these input variables and host functions bound.

        They are globals bound before the script runs, as upstream's AddGlobal binds them
        in the global scope where the builtins live: one named like a builtin replaces it
        there, for calls (CallExprInstr looks the callee up lexically) and values alike.
        So the program is compiled again (once per such set of names) with those names
        not treated as builtins: inlined operators must not keep using the real one."""
        hidden = program.builtins & names
        if not hidden:
            return program
        variant = program.variants.get(hidden)
        if variant is None:
            variant = self._compile_program(program.source, program.name, program.resolver,
                                            program.builtins - hidden)
            if len(program.variants) < MAX_VARIANTS:
                program.variants[hidden] = variant
        return variant

    # ------------------------------------------------------------ execute

    @staticmethod
    def to_plain(value: Any) -> Any:
        return interop.to_plain(value)

    def execute_raw(
        self,
        compiled: CompiledScript,
        variables: Mapping[str, Any] | None = None,
        functions: Mapping[str, Callable[..., Any]] | None = None,
        limits_: EngineLimits | None = None,
    ) -> RawOutcome:
        lim = limits_ or self.limits
        program = self._program_for(compiled.code, {*(variables or ()), *(functions or ())})
        ns = self._namespace(compiled.name, variables or {}, functions or {})
        if not lim.allow_log:
            del ns["log"]
        reset_symbol_ranks()
        out = ExecState(on_line=lambda line: log.info("%s: %s", compiled.name, line))
        st = state.ZyState(out, ns, _evaluator(program, ns))
        started = time.perf_counter()
        previous_state, state.current = state.current, st
        depth = max(lim.max_call_depth, MIN_CALL_DEPTH)
        try:
            with guard.limited(lim.max_execution_time, lim.max_memory_bytes, depth):
                value = compiler.run_program(program, ns)
        except BaseException as exc:  # every failure leaves as a ScriptError
            error = _script_error(exc, compiled.name, program)
            out.flush()
            error.logs = out.lines
            raise error from None
        finally:
            state.current = previous_state
        out.flush()
        result = ns.get("result", _MISSING)
        return RawOutcome(
            result=None if result is _MISSING else result,
            defined=result is not _MISSING,
            logs=out.lines,
            execution_seconds=time.perf_counter() - started,
            value=value,
        )

    @staticmethod
    def _namespace(
        name: str, variables: Mapping[str, Any], functions: Mapping[str, Callable[..., Any]]
    ) -> dict[str, Any]:
        ns = compiler.namespace()
        ns["log"] = _log
        for fname, fn in functions.items():
            ns[compiler.mangle(fname)] = interop.host_function(fname, fn)
        for vname, value in variables.items():
            try:
                ns[compiler.mangle(vname)] = interop.to_zygo(value)
            except (TypeError, ValueError) as exc:
                raise ScriptError(ErrorType.EXECUTION, f"input variable '{vname}': {exc}",
                                  script=name) from None
        return ns


def _log(*args: Any) -> None:
    """`(log x ...)`: one log line, the arguments' printed forms joined by spaces."""
    state.current.out.log(" ".join(display(a) for a in args))


_log.zy_name = "log"  # type: ignore[attr-defined]


def _evaluator(program: compiler.Program, ns: dict[str, Any]) -> Callable[[Any], Any]:
    def evaluate(form: Any) -> Any:
        try:
            sub = compiler.compile_forms([form], program.name, program.builtins,
                                         program.macros, toplevel_locals=False)
        except CompileError as exc:
            raise ZyError(str(exc)) from None
        return compiler.run_program(sub, ns)

    return evaluate


def expect_error(expected: Any, thunk: Callable[[], Any]) -> Any:
    """`(expectError "msg" form)`: passes when form fails with exactly that message."""
    if type(expected) is not str:
        raise ZyError("first arg to expectError must be the string of the error to expect")
    try:
        thunk()
    except (ZyError, ArithmeticError, LookupError, TypeError, ValueError, RecursionError) as exc:
        if isinstance(exc, RecursionError):
            raise
        message = describe(exc, None)
        if expected == "" or message == expected:
            return None
        raise ZyError(f"expectError expected '{expected}' but saw '{message}'") from None
    raise ZyError(f"expectError expected '{expected}' but got no error")


CODE_NAMES[expect_error.__code__] = "expectError"


# ---------------------------------------------------------------- error mapping

_ARITY = re.compile(
    r"^([^(]*)@(\d+)(\+?)\(\) (?:takes (\d+) positional arguments? but (\d+) (?:was|were) given"
    r"|missing (\d+) required positional arguments?)"
)
_NOT_CALLABLE = re.compile(r"^'([^']*)' object is not callable$")
_NAME = re.compile(r"'([^']*)'")
_LOCAL_SUFFIX = re.compile(r"_\d+$")


def _innermost_builtin(exc: BaseException) -> str | None:
    tb = exc.__traceback__
    name = None
    while tb is not None:
        found = CODE_NAMES.get(tb.tb_frame.f_code)
        if found is not None:
            name = found
        tb = tb.tb_next
    return name


def _symbol_name(py: str) -> str:
    if not py.startswith("_Z"):
        py = _LOCAL_SUFFIX.sub("", py) if _LOCAL_SUFFIX.search(py) and not py.startswith(
            "_") else py
    else:
        py = _LOCAL_SUFFIX.sub("", py)
    return compiler.demangle(py)


def describe(exc: BaseException, program: compiler.Program | None) -> str:
    """The Zygomys wording of a runtime failure."""
    builtin = _innermost_builtin(exc)
    if isinstance(exc, ZyError):
        return f"Error calling '{builtin}': {exc}" if builtin else str(exc)
    if isinstance(exc, NameError):
        name = getattr(exc, "name", None)
        if not name:
            m = _NAME.search(str(exc))
            name = m.group(1) if m else "?"
        return f"symbol `{_symbol_name(name)}` not found"
    if isinstance(exc, TypeError):
        text = str(exc)
        m = _ARITY.match(text)
        if m is not None:
            fname, want = m.group(1), int(m.group(2))
            got = int(m.group(5)) if m.group(5) is not None else want - int(m.group(6))
            if m.group(3):  # variadic: too few for the fixed parameters (wrangleOptargs)
                return f"Expected >{want} arguments, got {got}"
            return f"{fname} expected {want} arguments, got {got}"
        m = _NOT_CALLABLE.match(text)
        if m is not None:
            where = compiler.error_position(exc)
            label = None
            if program is not None and where is not None:
                label = program.call_names.get((where[1], where[2]))
            return f"{label or m.group(1)} is not a function"
    if isinstance(exc, ArithmeticError | LookupError | ValueError | TypeError):
        reason = f"runtime error: {exc}"
        return f"Error calling '{builtin}': {reason}" if builtin else reason
    return f"internal error: {type(exc).__name__}"


def _script_error(exc: BaseException, name: str, program: compiler.Program | None) -> ScriptError:
    if isinstance(exc, ScriptError):
        return exc
    where = compiler.error_position(exc)
    script, line, col = where if where is not None else (name, None, None)
    kind = ErrorType.EXECUTION
    if isinstance(exc, limits.ExecutionTimeout):
        kind, message = ErrorType.TIMEOUT, str(exc)
    elif isinstance(exc, limits.MemoryLimitExceeded | MemoryError):
        kind, message = ErrorType.MEMORY_LIMIT, str(exc) or "out of memory"
    elif isinstance(exc, RecursionError | limits.StackOverflow):
        message = "stack overflow: call depth limit exceeded"
    elif isinstance(exc, CompileError):
        kind = ErrorType.COMPILATION
        message = str(exc)
    elif isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
        raise exc
    else:
        message = describe(exc, program)
        if message.startswith("internal error"):
            log.error("internal error running %s", name, exc_info=exc)
    return ScriptError(kind, message, script=script or name, line=line, column=col)


compiler.install(
    {
        "_h_truthy": truthy, "_h_call0": runtime.call0, "_h_rest_list": runtime.rest_list,
        "_h_fn_meta": runtime.fn_meta, "_h_redef": runtime.redef,
        "_h_assert_failed": runtime.assert_failed, "_h_path_get": runtime.path_get,
        "_h_path_set": runtime.path_set, "_h_arrayidx": runtime.arrayidx,
        "_h_arrayidx_set": runtime.arrayidx_set, "_h_hashidx": runtime.hashidx,
        "_h_range_iter": runtime.range_iter, "_h_sq_build": runtime.sq_build,
        "_h_data": runtime.data, "_h_record_ctor": runtime.make_record_ctor,
        "_h_colon_get": runtime.colon_get, "_h_colon_get_with": runtime.colon_get_with,
        "_h_index_with": runtime.index_with, "_h_LoopCtl": runtime.LoopCtl, "_h_wrap": wrap,
        "_h_add": runtime.add, "_h_sub": runtime.sub, "_h_mul": runtime.mul,
        "_h_lt": runtime.lt, "_h_gt": runtime.gt, "_h_le": runtime.le, "_h_ge": runtime.ge,
        "_h_eq": runtime.eq, "_h_ne": runtime.ne, "_h_unpack": runtime.unpack,
        "_h_mdef_items": runtime.mdef_items, "_h_package": runtime.package,
        "_h_expect_error": expect_error,
    },
    {compiler.mangle(k): v for k, v in BUILTINS.items()},
)

__all__ = ["RawOutcome", "ZygomysEngine", "to_str"]
