"""Tengo's standard library: which modules exist and how to build them.

`BUILTIN_MODULES` maps a module name to a factory returning the module's members (the engine
wraps them in an `ImmutableMap` on import); `SOURCE_MODULES` maps a name to Tengo source.
Modules are imported only when a script asks for them, so one module's import cost (or a
module still being written) never affects another. `os` is deliberately absent: hosted
scripts get no filesystem, process or environment access.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

ModuleFactory = Callable[[], dict[str, Any]]


def _factory(module_name: str) -> ModuleFactory:
    """A factory importing `stdlib.<module_name>` on first use and calling its `module()`."""

    def build() -> dict[str, Any]:
        mod = importlib.import_module(f"{__name__}.{module_name}")
        members: dict[str, Any] = mod.module()
        return members

    build.__name__ = f"{module_name}_module"
    return build


BUILTIN_MODULES: dict[str, ModuleFactory] = {
    name: _factory(name)
    for name in ("fmt", "math", "times", "rand", "text", "json", "base64", "hex")
}


@cache
def _read_source(filename: str) -> str:
    return resources.files(__name__).joinpath(filename).read_text(encoding="utf-8")


class _SourceModules(Mapping[str, str]):
    """Source modules, read from the package's `.tengo` files when first requested."""

    _FILES = {"enum": "enum.tengo"}

    def __getitem__(self, name: str) -> str:
        filename = self._FILES.get(name)
        if filename is None:
            raise KeyError(name)
        return _read_source(filename)

    def __iter__(self) -> Iterator[str]:
        return iter(self._FILES)

    def __len__(self) -> int:
        return len(self._FILES)


SOURCE_MODULES: Mapping[str, str] = _SourceModules()
