"""Service wiring: registry + supervisor + bus + modules, started and stopped together.

    host = Host(HostConfig.from_env(), [WargameModule()])
    app = build_app(host)             # scriptvisor.host.http: the Starlette app
    serve(host)                       # uvicorn on host:port until SIGINT/SIGTERM

Start order: bus, registry (embedded defaults + external overrides, validated), engine
(warm confined children), watcher, message dispatcher, modules. Stop runs it backwards.
Registry changes go out on the bus (`scripts.reloaded`, `scripts.rejected`,
`scripts.removed`) and are counted for `GET /metrics`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

import zmq

from scriptvisor.config import ConfigError
from scriptvisor.host.bus import Bus, InProcessBus
from scriptvisor.host.config import HostConfig
from scriptvisor.host.module import ScriptableModule
from scriptvisor.host.runner import HostMetrics, MessageDispatcher, ScriptRunner
from scriptvisor.host.services import Services
from scriptvisor.protocol.curve import KeyFileError, load_keypair, load_public_keys
from scriptvisor.registry.embedded import EmbeddedCatalog
from scriptvisor.registry.extract import extract_default_scripts
from scriptvisor.registry.registry import ScriptRegistry
from scriptvisor.supervisor.daemon import CurveServer, Daemon, EndpointError
from scriptvisor.supervisor.engine import ScriptEngine
from scriptvisor.supervisor.pool import PoolConfig

log = logging.getLogger("scriptvisor.host")


class _BusPublisher:
    """The engine's `Publisher`: a script's `publish(topic, payload)` goes on the bus."""

    def __init__(self, bus: Bus) -> None:
        self.bus = bus

    def publish(self, topic: str, payload: Any) -> None:
        self.bus.publish(topic, payload, metadata={"source": "script"})


class Host:
    """The running application: services plus modules (see the module docstring)."""

    def __init__(
        self,
        config: HostConfig,
        modules: Sequence[ScriptableModule] = (),
        *,
        catalog: EmbeddedCatalog | None = None,
    ) -> None:
        names = [m.name for m in modules]
        if len(set(names)) != len(names) or not all(names):
            raise ValueError(f"modules need distinct, non-empty names: {names}")
        self.config = config
        self.modules = {m.name: m for m in modules}
        self.catalog = catalog or EmbeddedCatalog()
        for module in modules:
            package = module.script_config().embedded_package
            if package:
                self.catalog.register_package(module.name, package)
        self.bus = InProcessBus()
        self.metrics = HostMetrics()
        self.services = Services()
        self.closing = asyncio.Event()
        self._registry: ScriptRegistry | None = None
        self._engine: ScriptEngine | None = None
        self._daemon: Daemon | None = None
        self._runner: ScriptRunner | None = None
        self._dispatcher: MessageDispatcher | None = None
        self._started: list[ScriptableModule] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def registry(self) -> ScriptRegistry:
        if self._registry is None:
            raise RuntimeError("the host is not started")
        return self._registry

    @property
    def engine(self) -> ScriptEngine:
        if self._engine is None:
            raise RuntimeError("the host is not started")
        return self._engine

    @property
    def runner(self) -> ScriptRunner:
        if self._runner is None:
            raise RuntimeError("the host is not started")
        return self._runner

    async def start(self) -> None:
        """Start everything; on failure, stop what started and re-raise."""
        self.closing = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        try:
            await self._start()
        except BaseException:
            await self.stop()
            raise

    async def _start(self) -> None:
        config = self.config
        await self.bus.start()
        self._extract()
        self._registry = ScriptRegistry(
            config.scripts_dir, embedded=self.catalog, publish=self._registry_event,
            hot_reload=config.hot_reload,
        )
        await asyncio.to_thread(self._registry.load_scripts)
        functions = {name: m.exposed_functions() for name, m in self.modules.items()}
        self._engine = await asyncio.to_thread(
            ScriptEngine, self._registry, pool=PoolConfig(size=config.pool_size),
            limits=config.limits, functions=functions, publisher=_BusPublisher(self.bus),
            imports=self._registry.shared_sources,
        )
        self._daemon = await asyncio.to_thread(self._listen)
        self._registry.start_watcher()
        self._runner = ScriptRunner(self._engine, self.modules, self.metrics)
        for service, name in ((self, "host"), (self.bus, "bus"), (self._registry, "registry"),
                              (self._engine, "engine"), (self._runner, "runner"),
                              (config, "config")):
            self.services.register(service, name=name)
        self._dispatcher = MessageDispatcher(self._runner, self.bus,
                                             workers=max(2, config.pool_size))
        await self._dispatcher.start()
        for module in self.modules.values():
            await module.start(self.services)
            self._started.append(module)
        log.info("scriptvisor host started: modules %s, scripts in %s (hot reload %s), "
                 "%d children", ", ".join(self.modules) or "none", self._registry.scripts_dir,
                 "on" if self._registry.watching else "off", config.pool_size)

    def _listen(self) -> Daemon | None:
        """The daemon endpoint for `Client` stubs, when the configuration asks for one."""
        config = self.config
        if config.listen is None:
            return None
        curve = None
        try:
            if config.server_key is not None:
                curve = CurveServer(load_keypair(config.server_key),
                                    load_public_keys(config.client_keys))
        except KeyFileError as exc:
            raise ConfigError(f"SCRIPTVISOR_SERVER_KEY/SCRIPTVISOR_CLIENT_KEYS: {exc}") from None
        try:
            return Daemon(self.engine, config.listen, curve=curve).start()
        except (EndpointError, zmq.ZMQError) as exc:
            raise ConfigError(f"SCRIPTVISOR_LISTEN: {config.listen}: {exc}") from None

    def _extract(self) -> None:
        wanted = self.config.extract_scripts or any(
            m.script_config().auto_extract for m in self.modules.values()
        )
        if not wanted:
            return
        for path, status in extract_default_scripts(self.config.scripts_dir,
                                                    catalog=self.catalog):
            log.info("extract-scripts: %s %s", status, path)

    def begin_shutdown(self) -> None:
        """Tell long-lived responses (event streams) to end; safe from any thread and from
        a signal handler."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.closing.set)

    async def stop(self) -> None:
        """Stop everything that started, in reverse order. Idempotent."""
        self.closing.set()
        while self._started:
            module = self._started.pop()
            try:
                await module.stop()
            except Exception:
                log.exception("module %s failed to stop", module.name)
        if self._dispatcher is not None:
            await self._dispatcher.stop()
            self._dispatcher = None
        if self._registry is not None:
            self._registry.stop()
        if self._daemon is not None:
            daemon, self._daemon = self._daemon, None
            await asyncio.to_thread(daemon.stop)
        if self._engine is not None:
            engine, self._engine = self._engine, None
            await asyncio.to_thread(engine.shutdown)
        await self.bus.stop()

    def _registry_event(self, topic: str, payload: dict[str, Any]) -> None:
        self.metrics.count_reload(topic)
        with contextlib.suppress(ValueError):
            self.bus.publish(topic, payload, metadata={"source": "registry"})
