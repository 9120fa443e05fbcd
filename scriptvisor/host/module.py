"""Scriptable modules: what a module declares to the host (the design's `ScriptableModule`
and `ModuleScriptConfig`).

    class Shop(ScriptableModule):
        name = "shop"

        def script_config(self) -> ModuleScriptConfig:
            return ModuleScriptConfig(
                message_handlers={"shop.order.*": "price_order"},
                endpoint_scripts={("GET", "/shop/quote"): "quote"},
                embedded_package="myapp.shop",      # its scripts/ folder holds the defaults
            )

        def exposed_functions(self) -> dict[str, HostFunction]:
            return {"tax_rate": lambda country: 0.2}

The host registers the module's embedded scripts, subscribes its message handlers (run
asynchronously through a bounded queue), mounts its endpoint scripts and `routes()`, gives
it the services (`start(services)`) and stops it on shutdown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scriptvisor.protocol.models import BusMessage, HTTPRequestData, ScriptOutput, SecurityLimits
from scriptvisor.supervisor.rpc import BUILTIN_FUNCTIONS, HostFunction

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from scriptvisor.host.services import Services


@dataclass(frozen=True)
class ModuleScriptConfig:
    """How a module uses scripts.

    `message_handlers`: topic pattern -> script run on every matching bus message.
    `endpoint_scripts`: (method, path) -> script run for that HTTP request.
    `default_limits`: the limits of this module's executions (None: the host's defaults);
    the exposed functions' names are added to them.
    `embedded_package`: dotted package whose `scripts/` folder holds the embedded defaults
    (modules under `scriptvisor.modules` are discovered without it).
    `auto_extract`: write the embedded scripts to the scripts directory on startup (never
    overwriting a file).
    """

    message_handlers: Mapping[str, str] = field(default_factory=dict)
    endpoint_scripts: Mapping[tuple[str, str], str] = field(default_factory=dict)
    default_limits: SecurityLimits | None = None
    embedded_package: str | None = None
    auto_extract: bool = False


class ScriptableModule:
    """Base class of a module; override what the module offers."""

    name: str = ""

    def script_config(self) -> ModuleScriptConfig:
        return ModuleScriptConfig()

    def exposed_functions(self) -> dict[str, HostFunction]:
        """Host functions this module's scripts may call (besides `log` and `publish`)."""
        return {}

    def limits(self, defaults: SecurityLimits) -> SecurityLimits:
        """The limits of this module's executions: its defaults plus its functions."""
        base = self.script_config().default_limits or defaults
        names: Sequence[str] = (*base.exposed_functions, *BUILTIN_FUNCTIONS,
                                *self.exposed_functions())
        return base.model_copy(update={"exposed_functions": tuple(dict.fromkeys(names))})

    def routes(self) -> list[BaseRoute]:
        """The module's own HTTP routes (pages, streams)."""
        return []

    def message_context(self, script: str, message: BusMessage) -> dict[str, Any]:
        """Extra input variables for a message-triggered run of `script`."""
        return {}

    def endpoint_context(self, script: str, request: HTTPRequestData) -> dict[str, Any]:
        """Extra input variables for an HTTP-triggered run of `script`."""
        return {}

    async def on_script_output(
        self, script: str, message: BusMessage, output: ScriptOutput
    ) -> None:
        """Called after each message-triggered run (successful or not)."""

    async def start(self, services: Services) -> None:
        """Called once the engine, the bus and the registry run."""

    async def stop(self) -> None:
        """Called on shutdown, before the engine stops."""
