"""What an application plugs into: modules, the bus, the HTTP app, service wiring.

    from scriptvisor.host import Host, HostConfig, serve
    from scriptvisor.modules.wargame.module import WargameModule

    serve(Host(HostConfig.from_env(), [WargameModule()]))

Imports are lazy: the command line loads the web stack only for `serve`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scriptvisor.host.app import Host
    from scriptvisor.host.bus import Bus, InProcessBus, Subscription, topic_matcher
    from scriptvisor.host.config import HostConfig
    from scriptvisor.host.http import build_app, make_server, serve
    from scriptvisor.host.module import ModuleScriptConfig, ScriptableModule
    from scriptvisor.host.runner import TOPIC_ERROR, MessageDispatcher, ScriptRunner
    from scriptvisor.host.services import ServiceNotFound, Services

_HOMES = {
    "Host": "app",
    "Bus": "bus",
    "InProcessBus": "bus",
    "Subscription": "bus",
    "topic_matcher": "bus",
    "HostConfig": "config",
    "build_app": "http",
    "make_server": "http",
    "serve": "http",
    "ModuleScriptConfig": "module",
    "ScriptableModule": "module",
    "TOPIC_ERROR": "runner",
    "MessageDispatcher": "runner",
    "ScriptRunner": "runner",
    "ServiceNotFound": "services",
    "Services": "services",
}
__all__ = [
    "TOPIC_ERROR",
    "Bus",
    "Host",
    "HostConfig",
    "InProcessBus",
    "MessageDispatcher",
    "ModuleScriptConfig",
    "ScriptRunner",
    "ScriptableModule",
    "ServiceNotFound",
    "Services",
    "Subscription",
    "build_app",
    "make_server",
    "serve",
    "topic_matcher",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
