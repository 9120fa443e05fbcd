"""A small service registry: modules get the engine, the bus and the registry by injection.

    services = Services()
    services.register(engine)                 # found by its type (and its base classes)
    services.register(bus, name="bus")        # ... and by a name
    engine = services.get(ScriptEngine)
    bus = services.named("bus", Bus)
"""

from __future__ import annotations

import threading
from typing import Any, TypeVar

T = TypeVar("T")


class ServiceNotFound(LookupError):
    """No service of that type or name was registered."""


class Services:
    """Services by type and by name; the last registration of a type or name wins."""

    def __init__(self) -> None:
        self._by_type: dict[type, Any] = {}
        self._by_name: dict[str, Any] = {}
        self._lock = threading.Lock()

    def register(self, service: Any, *, name: str | None = None) -> None:
        """Register `service` under its class and every base class but `object`, and
        under `name` when given."""
        with self._lock:
            for cls in type(service).__mro__:
                if cls is not object:
                    self._by_type[cls] = service
            if name is not None:
                self._by_name[name] = service

    def get(self, kind: type[T]) -> T:
        """The service registered as `kind` (its class or a base class)."""
        with self._lock:
            service = self._by_type.get(kind)
        if service is None:
            raise ServiceNotFound(f"no service of type {kind.__name__}")
        return service  # type: ignore[no-any-return]

    def named(self, name: str, kind: type[T]) -> T:
        """The service registered as `name`, checked to be a `kind`."""
        with self._lock:
            service = self._by_name.get(name)
        if service is None:
            raise ServiceNotFound(f"no service named {name!r}")
        if not isinstance(service, kind):
            raise ServiceNotFound(f"service {name!r} is a {type(service).__name__}, "
                                  f"not a {kind.__name__}")
        return service

    def __contains__(self, key: type | str) -> bool:
        with self._lock:
            return key in (self._by_name if isinstance(key, str) else self._by_type)
