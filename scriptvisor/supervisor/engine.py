"""`ScriptEngine`: run scripts in confined, warm children and get typed outputs back.

    engine = ScriptEngine(scripts, functions={"wargame": {"roll": roll}})
    out = engine.execute(ExecutionRequest(module_name="wargame", script_name="hit"))
    out.raise_for_error()      # or inspect out.error; execute() never raises script failures
    engine.shutdown()

`execute` and `execute_async` return a `ScriptOutput` for every outcome of the script
(success, compile error, timeout, memory limit, sandbox violation, unknown script): its
`error` says which. They raise only for the host's own conditions: `Overloaded` (every
child busy and the wait queue full: backpressure), `EngineClosed`, `SupervisorUnavailable`.

Scripts come from a provider, `Callable[[module, name], Script]` raising `LookupError`
for an unknown script (the registry plugs in here); `StaticScripts` is an in-memory one.
`execute_source` runs ad-hoc source (the CLI's `run`).

`execute_async` runs the same machinery on a worker thread (one per child; at most
`size + max_queue` asynchronous executions may be in flight, more are refused with
`Overloaded`); coroutine host functions run on the caller's loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import zmq

from scriptvisor.engines.base import ScriptLanguage
from scriptvisor.protocol.errors import ErrorType
from scriptvisor.protocol.frames import LimitsWire
from scriptvisor.protocol.models import (
    ErrorInfo,
    ExecutionMetrics,
    ExecutionRequest,
    Script,
    ScriptOutput,
    ScriptSource,
    SecurityLimits,
)
from scriptvisor.protocol.values import MAX_VALUE_BYTES, ValueMappingError, to_wire
from scriptvisor.sandbox.report import LayerStatus, State
from scriptvisor.supervisor import exchange
from scriptvisor.supervisor.errors import Overloaded
from scriptvisor.supervisor.metrics import MetricsRegistry
from scriptvisor.supervisor.pool import Pool, PoolConfig, PoolStats
from scriptvisor.supervisor.rpc import HostFunction, HostSession, Publisher
from scriptvisor.supervisor.zygote import Zygote

log = logging.getLogger("scriptvisor.supervisor")

ScriptProvider = Callable[[str, str], Script]
"""Returns the script `module/name`; raises `LookupError` (e.g. `KeyError`) when unknown."""

ImportSources = Callable[[ScriptLanguage], dict[str, str]]
"""The sources scripts in a language may import, by import name (`{"shared/utils": source}`;
the registry's `shared_sources`). Children get them with a script's source; a script's
checksum covers them, so a changed import recompiles its importers. Returning the same
dict object while nothing changed saves hashing them again."""

_MAX_LIMITS_CACHED = 256


class StaticScripts:
    """An in-memory script provider (tests, embedding a few scripts)."""

    def __init__(self) -> None:
        self._scripts: dict[tuple[str, str], Script] = {}

    def add(self, module: str, name: str, source: str, language: str = "tengo") -> Script:
        lang = ScriptLanguage(language)
        script = Script(
            module_name=module,
            name=name,
            language=lang,
            content=source,
            source=ScriptSource.EMBEDDED,
            checksum=Script.checksum_of(source, lang),
        )
        self._scripts[(module, name)] = script
        return script

    def __call__(self, module: str, name: str) -> Script:
        try:
            return self._scripts[(module, name)]
        except KeyError:
            raise LookupError(f"no script {module}/{name}") from None


def _no_scripts(module: str, name: str) -> Script:
    raise LookupError(f"no script {module}/{name}")


class ScriptEngine:
    """The supervisor: a zygote, a pool of confined children, host-function RPC, metrics.

    `pool` sizes and tunes the pool (default: one child per core); `limits` are the
    default `SecurityLimits` (default: from the environment, see `SecurityLimits.from_env`);
    `functions` maps a module name to the host functions its scripts may call (each still
    needs its name in the execution's `exposed_functions`); `publisher` receives
    `publish(topic, payload)` calls (they are always listed in the output's `published`);
    `imports` supplies what scripts may `import` (see `ImportSources`).
    """

    def __init__(
        self,
        scripts: ScriptProvider | None = None,
        *,
        pool: PoolConfig | None = None,
        limits: SecurityLimits | None = None,
        functions: Mapping[str, Mapping[str, HostFunction]] | None = None,
        publisher: Publisher | None = None,
        imports: ImportSources | None = None,
    ) -> None:
        self.config = pool or PoolConfig()
        self._imports = imports
        self._import_digests: dict[ScriptLanguage, tuple[dict[str, str], str]] = {}
        self.limits = limits or SecurityLimits.from_env()
        self._scripts = scripts or _no_scripts
        self._functions = {m: dict(fns) for m, fns in (functions or {}).items()}
        self._publisher = publisher
        self._metrics = MetricsRegistry()
        self._limits_wire: dict[SecurityLimits, LimitsWire] = {}
        self._default_wire = self.limits.to_wire()
        self._executor: ThreadPoolExecutor | None = None
        self._in_flight = 0
        self._lock = threading.Lock()
        self._directory = _private_directory(self.config)
        self._context = zmq.Context(io_threads=1)
        try:
            self._zygote = self._start_zygote()
            self.confinement = [LayerStatus.from_dict(d) for d in self._zygote.layers]
            _warn_if_degraded(self.confinement)
            self._pool = Pool(self.config, self._zygote, self._context, self._directory,
                              new_zygote=self._start_zygote)
            self._pool.start()
        except BaseException:
            self._abandon()
            raise

    # --- executing -----------------------------------------------------------------------

    def execute(self, request: ExecutionRequest) -> ScriptOutput:
        """Run the script `request` names; every script failure is in the output's `error`."""
        return self._execute(request, None)

    async def execute_async(self, request: ExecutionRequest) -> ScriptOutput:
        """`execute` for asyncio callers (runs on a worker thread; see the module doc)."""
        loop = asyncio.get_running_loop()
        return await self._offload(loop, self._execute, request, loop)

    def execute_source(
        self,
        source: str,
        language: str = "tengo",
        *,
        name: str = "script",
        module: str = "adhoc",
        input: Mapping[str, Any] | None = None,
        limits: SecurityLimits | None = None,
        functions: Mapping[str, HostFunction] | None = None,
    ) -> ScriptOutput:
        """Run ad-hoc `source` (not from the provider) with `input` variables."""
        return self._execute_source(source, language, name, module, input, limits, functions, None)

    async def execute_source_async(
        self,
        source: str,
        language: str = "tengo",
        *,
        name: str = "script",
        module: str = "adhoc",
        input: Mapping[str, Any] | None = None,
        limits: SecurityLimits | None = None,
        functions: Mapping[str, HostFunction] | None = None,
    ) -> ScriptOutput:
        loop = asyncio.get_running_loop()
        return await self._offload(
            loop, self._execute_source, source, language, name, module, input, limits,
            functions, loop,
        )

    def execute_variables(
        self,
        module: str,
        name: str,
        variables: dict[str, Any],
        *,
        limits: SecurityLimits | None = None,
        functions: Mapping[str, HostFunction] | None = None,
    ) -> ScriptOutput:
        """Run the script `module/name` with input variables that are already wire values
        (checked by the caller, e.g. a decoded frame: the daemon endpoint). `functions` are
        offered beside the module's own, and win on a clash."""
        return self._run_script(module, name, variables, limits or self.limits, functions, None)

    def validate(
        self, source: str, language: str = "tengo", *, name: str = "script", module: str = "adhoc"
    ) -> ScriptOutput:
        """Compile `source` in a confined child without running it (the child keeps it
        compiled): the output's `error` is the `invalid_syntax`/`compilation` error, if any."""
        limits = self.limits
        checksum, modules = self._with_imports(language, _checksum(source, language))
        job = exchange.Job(
            module, name, language, checksum, source, {}, limits,
            self._wire_limits(limits), HostSession({}, limits), compile_only=True,
            modules=modules,
        )
        slot = self._pool.lease(job.checksum)
        return exchange.run(self._pool, slot, job)

    def get_script(self, module: str, name: str) -> Script:
        """The provider's script; `LookupError` when there is none."""
        return self._scripts(module, name)

    def metrics(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Totals per module and script: `{module: {script: {executions, successes,
        failures: {type: n}, compilation_time, execution_time, max_execution_time,
        mean_execution_time, max_memory_used, host_calls}}}`."""
        return self._metrics.snapshot()

    def pool_stats(self) -> PoolStats:
        return self._pool.stats

    @property
    def pool(self) -> Pool:
        return self._pool

    # --- lifecycle -----------------------------------------------------------------------

    def shutdown(self, timeout: float = 5.0) -> None:
        """Refuse new work, let running executions finish (up to `timeout`), stop every
        child and the zygote, remove the sockets. Idempotent."""
        self._pool.shutdown(timeout)
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._abandon()

    def __enter__(self) -> ScriptEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    def _start_zygote(self) -> Zygote:
        return Zygote(self.config.policy, allow_probes=self.config.allow_probes)

    def _abandon(self) -> None:
        pool = getattr(self, "_pool", None)
        zygote = pool.zygote if pool is not None else getattr(self, "_zygote", None)
        if zygote is not None:
            zygote.close()
        with contextlib.suppress(zmq.ZMQError):
            self._context.term() if not self._pool_busy() else None
        shutil.rmtree(self._directory, ignore_errors=True)

    def _pool_busy(self) -> bool:
        pool = getattr(self, "_pool", None)
        return pool is not None and any(s.state.value == "busy" for s in pool.children())

    # --- internals -----------------------------------------------------------------------

    def _execute(
        self, request: ExecutionRequest, loop: asyncio.AbstractEventLoop | None
    ) -> ScriptOutput:
        module, name = request.module_name, request.script_name
        try:
            variables = request.variables(max_bytes=MAX_VALUE_BYTES)
        except ValueMappingError as exc:
            return self._refused(module, name, ErrorType.EXECUTION, f"input variable {exc}")
        return self._run_script(
            module, name, variables, request.effective_limits(self.limits), None, loop
        )

    def _run_script(
        self,
        module: str,
        name: str,
        variables: dict[str, Any],
        limits: SecurityLimits,
        functions: Mapping[str, HostFunction] | None,
        loop: asyncio.AbstractEventLoop | None,
    ) -> ScriptOutput:
        try:
            script = self._scripts(module, name)
        except LookupError:
            return self._refused(module, name, ErrorType.NOT_FOUND, f"no script {module}/{name}")
        checksum, modules = self._with_imports(script.language, script.checksum)
        given = self._functions.get(module, {})
        if functions:
            given = {**given, **functions}
        return self._run(
            module, name, script.language.value, checksum, script.content, modules,
            variables, limits, given, loop,
        )

    def _execute_source(
        self,
        source: str,
        language: str,
        name: str,
        module: str,
        input: Mapping[str, Any] | None,
        limits: SecurityLimits | None,
        functions: Mapping[str, HostFunction] | None,
        loop: asyncio.AbstractEventLoop | None,
    ) -> ScriptOutput:
        if type(input) is not dict:
            input = dict(input or {})
        try:
            variables = to_wire(input, "input", max_bytes=MAX_VALUE_BYTES)
        except ValueMappingError as exc:
            return self._refused(module, name, ErrorType.EXECUTION, f"input variable {exc}")
        checksum, modules = self._with_imports(language, _checksum(source, language))
        return self._run(
            module, name, language, checksum, source, modules, variables,
            limits or self.limits, functions or {}, loop,
        )

    def _run(
        self,
        module: str,
        name: str,
        language: str,
        checksum: str,
        source: str,
        modules: dict[str, str] | None,
        variables: dict[str, Any],
        limits: SecurityLimits,
        functions: Mapping[str, HostFunction],
        loop: asyncio.AbstractEventLoop | None,
    ) -> ScriptOutput:
        host = HostSession(functions, limits, self._publisher, loop)
        job = exchange.Job(
            module, name, language, checksum, source, variables, limits,
            self._wire_limits(limits), host, modules=modules,
        )
        slot = self._pool.lease(checksum)
        output = exchange.run(self._pool, slot, job)
        self._metrics.record(module, name, output.metrics)
        return output

    def _with_imports(
        self, language: ScriptLanguage | str, checksum: str
    ) -> tuple[str, dict[str, str] | None]:
        """The checksum covering the script and what it may import, and those sources."""
        if self._imports is None:
            return checksum, None
        try:
            lang = ScriptLanguage(language)
        except ValueError:
            return checksum, None  # the child answers an unknown language with its error
        modules = self._imports(lang)
        if not modules:
            return checksum, None
        known = self._import_digests.get(lang)
        if known is None or known[0] is not modules:
            known = self._import_digests[lang] = (modules, _digest_of(modules))
        return _combined(checksum, known[1]), modules

    def _wire_limits(self, limits: SecurityLimits) -> LimitsWire:
        if limits is self.limits:  # the common case; hashing a model costs a microsecond
            return self._default_wire
        wire = self._limits_wire.get(limits)
        if wire is None:
            if len(self._limits_wire) >= _MAX_LIMITS_CACHED:
                self._limits_wire.clear()
            wire = self._limits_wire[limits] = limits.to_wire()
        return wire

    def _refused(self, module: str, name: str, kind: ErrorType, message: str) -> ScriptOutput:
        error = ErrorInfo(type=kind, message=message, module=module, script=name)
        output = ScriptOutput(
            metrics=ExecutionMetrics(success=False, error_type=kind), error=error
        )
        self._metrics.record(module, name, output.metrics)
        return output

    async def _offload(
        self, loop: asyncio.AbstractEventLoop, fn: Callable[..., ScriptOutput], *args: Any
    ) -> ScriptOutput:
        capacity = self.config.size + self.config.max_queue
        with self._lock:
            if self._in_flight >= capacity:
                self._pool.stats.rejected += 1
                raise Overloaded(f"{self._in_flight} asynchronous executions are in flight")
            self._in_flight += 1
            if self._executor is None:
                # One thread per child: more would only wait, and every thread costs the
                # process a malloc arena of address space for good.
                workers = self.config.size
                self._executor = ThreadPoolExecutor(workers, thread_name_prefix="scriptvisor")
            executor = self._executor
        try:
            return await loop.run_in_executor(executor, self._queued, time.monotonic(), fn, *args)
        finally:
            with self._lock:
                self._in_flight -= 1

    def _queued(self, submitted: float, fn: Callable[..., ScriptOutput], *args: Any) -> ScriptOutput:
        """Runs on a worker: a request that waited for one past `queue_timeout` is refused."""
        if time.monotonic() - submitted > self.config.queue_timeout:
            self._pool.stats.rejected += 1
            raise Overloaded(f"no child became free within {self.config.queue_timeout:g}s")
        return fn(*args)


@functools.lru_cache(maxsize=1024)
def _checksum(source: str, language: str) -> str:
    return Script.checksum_of(source, ScriptLanguage(language))


def _digest_of(modules: Mapping[str, str]) -> str:
    digest = hashlib.sha256()
    for name in sorted(modules):
        digest.update(f"{len(name)}:{name}{len(modules[name])}:".encode())
        digest.update(modules[name].encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@functools.lru_cache(maxsize=1024)
def _combined(checksum: str, imports_digest: str) -> str:
    return hashlib.sha256(f"{checksum}+{imports_digest}".encode()).hexdigest()


def _private_directory(config: PoolConfig) -> str:
    """A directory only the supervisor and the children's uid can enter."""
    path = tempfile.mkdtemp(prefix="scriptvisor-")
    os.chmod(path, 0o700)
    if os.geteuid() == 0:
        identity = config.policy.identity
        os.chown(path, identity.uid, identity.gid)
    return path


def _warn_if_degraded(layers: list[LayerStatus]) -> None:
    for status in layers:
        if status.state is State.UNAVAILABLE:
            log.warning(
                "scriptvisor: confinement layer %s is UNAVAILABLE on this host (%s); "
                "children run with the layers they have",
                status.layer.value, status.detail,
            )
