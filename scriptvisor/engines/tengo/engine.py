"""The Tengo `LanguageEngine`: parse, compile to a code object (cached by checksum), run.

Compilation resolves every `import` up front: stdlib modules by name, source modules
(`enum`, and the host's shared scripts through the resolver) compiled alongside, so an
execution never touches the file system. Execution binds input variables and host
functions, runs under the deadline/memory watch and maps every failure to `ScriptError`.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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
from scriptvisor.engines.tengo import compiler, interop, parser, state, stdlib, values
from scriptvisor.engines.tengo.builtins import BUILTINS
from scriptvisor.engines.tengo.stdlib import times
from scriptvisor.protocol.errors import ErrorType, ScriptError

log = logging.getLogger("scriptvisor.tengo")

CACHE_SIZE = 256
MAX_SOURCE_BYTES = 1 << 20  # a script larger than 1 MiB is refused before parsing
_MISSING = object()


@dataclass(slots=True)
class TengoCode:
    """A compiled script with every source module it imports, compiled too."""

    program: compiler.Program
    modules: dict[str, compiler.Program] = field(default_factory=dict)


class TengoEngine(InProcessEngine):
    """Compiles Tengo scripts once (cached by checksum) and runs them in this process."""

    language = ScriptLanguage.TENGO

    def __init__(self, limits: EngineLimits | None = None) -> None:
        self.limits = limits or EngineLimits()
        self._cache: OrderedDict[tuple[str, str], CompiledScript] = OrderedDict()
        self._module_values: dict[str, values.ImmutableMap] = {}

    def set_security_limits(self, limits: EngineLimits) -> None:
        self.limits = limits

    def prepare_for_confinement(self) -> None:
        """Named time zones come from zone files: read them all before confinement."""
        times.preload_zones()

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
        code = TengoCode(self._compile_program(source, name, module=False))
        self._compile_imports(code, code.program, name, resolver, [name])
        compiled = CompiledScript(
            name=name,
            language=self.language,
            checksum=key[1],
            code=code,
            compile_seconds=time.perf_counter() - started,
            python_source=code.program.python_source,
        )
        self._cache[key] = compiled
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return compiled

    @staticmethod
    def _compile_program(source: str, name: str, *, module: bool) -> compiler.Program:
        if len(source) > MAX_SOURCE_BYTES or values.byte_len(source) > MAX_SOURCE_BYTES:
            raise ScriptError(
                ErrorType.INVALID_SYNTAX,
                f"script is larger than {MAX_SOURCE_BYTES} bytes", script=name,
            )
        try:
            tree = parser.parse(source, name)
            return compiler.compile_program(tree, name, BUILTINS, module=module)
        except RecursionError:
            raise ScriptError(
                ErrorType.INVALID_SYNTAX, "program nested too deeply", script=name
            ) from None

    def _compile_imports(
        self,
        code: TengoCode,
        program: compiler.Program,
        name: str,
        resolver: ImportResolver | None,
        chain: list[str],
    ) -> None:
        for module, (line, col) in program.imports:
            if module in chain:
                raise ScriptError(
                    ErrorType.COMPILATION,
                    f"cyclic module import: {' -> '.join([*chain, module])}",
                    script=name, line=line, column=col,
                )
            if module in stdlib.BUILTIN_MODULES or module in code.modules:
                continue
            source = stdlib.SOURCE_MODULES.get(module)
            if source is None and resolver is not None:
                source = resolver(module)
            if source is None:
                raise ScriptError(
                    ErrorType.COMPILATION, f"module '{module}' not found",
                    script=name, line=line, column=col,
                )
            sub = self._compile_program(source, module, module=True)
            for free, (fline, fcol) in sub.free_names.items():
                # a module sees no input variables: every free name is unresolved
                raise ScriptError(
                    ErrorType.COMPILATION, f"unresolved reference '{free}'",
                    script=module, line=fline, column=fcol,
                )
            code.modules[module] = sub
            self._compile_imports(code, sub, module, resolver, [*chain, module])

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
        code: TengoCode = compiled.code
        env = self._environment(compiled, code, variables or {}, functions or {}, lim)
        out = state.ExecState(on_line=lambda line: log.info("%s: %s", compiled.name, line))
        importer = self._importer(code, lim)
        started = time.perf_counter()
        previous_state, state.current = state.current, out
        try:
            with guard.limited(
                lim.max_execution_time, lim.max_memory_bytes, lim.max_call_depth
            ):
                scope = compiler.run_program(code.program, env, importer)
        except BaseException as exc:  # every failure leaves as a ScriptError
            error = _script_error(exc, compiled.name)
            out.flush()
            error.logs = out.lines
            raise error from None
        finally:
            state.current = previous_state
        out.flush()
        result = scope.get("result", _MISSING)
        return RawOutcome(
            result=None if result is _MISSING else result,
            defined=result is not _MISSING,
            logs=out.lines,
            execution_seconds=time.perf_counter() - started,
        )

    def _environment(
        self,
        compiled: CompiledScript,
        code: TengoCode,
        variables: Mapping[str, Any],
        functions: Mapping[str, Callable[..., Any]],
        lim: EngineLimits,
    ) -> dict[str, Any]:
        env: dict[str, Any] = {"log": _log} if lim.allow_log else {}
        for fname, fn in functions.items():
            env[fname] = interop.host_function(fname, fn)
        for vname, value in variables.items():
            try:
                env[vname] = interop.to_tengo(value)
            except (TypeError, ValueError) as exc:
                raise ScriptError(
                    ErrorType.EXECUTION, f"input variable '{vname}': {exc}", script=compiled.name
                ) from None
        for fname, (line, col) in code.program.free_names.items():
            if fname not in env:
                raise ScriptError(
                    ErrorType.COMPILATION, f"unresolved reference '{fname}'",
                    script=compiled.name, line=line, column=col,
                )
        for module, (line, col) in code.program.imports:
            if module in stdlib.BUILTIN_MODULES and module not in lim.allowed_modules:
                raise ScriptError(
                    ErrorType.COMPILATION, f"module '{module}' not found",
                    script=compiled.name, line=line, column=col,
                )
        return env

    def _importer(self, code: TengoCode, lim: EngineLimits) -> Callable[[str], Any]:
        loaded: dict[str, Any] = {}

        def import_module(name: str) -> Any:
            if name in loaded:
                return loaded[name]
            if name in stdlib.BUILTIN_MODULES:
                if name not in lim.allowed_modules:
                    raise values.RuntimeErr(f"module '{name}' not found")
                value: Any = self._module_values.get(name)
                if value is None:
                    value = self._module_values[name] = values.ImmutableMap(
                        stdlib.BUILTIN_MODULES[name]()
                    )
            else:
                scope = compiler.run_program(code.modules[name], {}, import_module)
                value = scope.get("__export__")
            loaded[name] = value
            return value

        return import_module


def _log(*args: Any) -> None:
    """`log(...)`: one log line, the arguments joined by spaces."""
    state.current.log(" ".join(values.to_string(a) or "" for a in args))


def _script_error(exc: BaseException, name: str) -> ScriptError:
    if isinstance(exc, ScriptError):
        return exc
    where = compiler.error_position(exc)
    script, line, col = where if where is not None else (name, None, None)
    kind, message = ErrorType.EXECUTION, str(exc)
    if isinstance(exc, limits.ExecutionTimeout):
        kind = ErrorType.TIMEOUT
    elif isinstance(exc, limits.MemoryLimitExceeded | MemoryError):
        kind, message = ErrorType.MEMORY_LIMIT, str(exc) or "out of memory"
    elif isinstance(exc, RecursionError | limits.StackOverflow):
        message = "stack overflow"
    elif isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
        raise exc
    elif not isinstance(exc, values.RuntimeErr):
        log.error("internal error running %s", name, exc_info=exc)
        message = f"internal error: {type(exc).__name__}"
    return ScriptError(kind, message, script=script or name, line=line, column=col)
