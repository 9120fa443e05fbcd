"""Embedded default scripts: shipped as package data, one `scripts/` folder per module.

Every package folder `scriptvisor/modules/<module>/` with a `scripts/` folder contributes
its `<name>.tengo|.zygomys` files as module `<module>`'s defaults (the folder
`scriptvisor/modules/shared/scripts/`, when present, holds the shared utility scripts).
An application adds its own with `register_embedded(module, {name: (language, source)})`
or `register_embedded_package(module, "myapp.modules.shop")`; a registration replaces
discovered scripts of the same name.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from scriptvisor.engines.base import ScriptLanguage
from scriptvisor.protocol.models import Script, ScriptSource
from scriptvisor.registry.layout import check_name, parse_filename

MODULES_PACKAGE = "scriptvisor.modules"
SCRIPTS_FOLDER = "scripts"

EmbeddedSources = Mapping[str, tuple[ScriptLanguage | str, str]]
"""Script name -> (language, source)."""


class EmbeddedCatalog:
    """The embedded default scripts of every module, as `Script`s with origin embedded.

    `discover` scans `package`'s module folders on first use; registrations made before or
    after are merged in (last registration of a name wins, across languages).
    """

    def __init__(self, *, discover: bool = True, package: str = MODULES_PACKAGE) -> None:
        self._discover = discover
        self._package = package
        self._discovered: dict[str, dict[str, Script]] | None = None
        self._registered: dict[str, dict[str, Script]] = {}
        self._lock = threading.Lock()
        self._loaded_at = datetime.now(UTC)

    def register(self, module: str, scripts: EmbeddedSources) -> None:
        """Add `module`'s scripts from sources in memory."""
        check_name(module, "module name")
        made = {
            name: self._script(module, name, language, source)
            for name, (language, source) in scripts.items()
        }
        with self._lock:
            self._registered.setdefault(module, {}).update(made)

    def register_package(
        self, module: str, package: str | Traversable, folder: str = SCRIPTS_FOLDER
    ) -> None:
        """Add `module`'s scripts from the `folder` of a package (a dotted name) or from a
        folder given as a path/`Traversable`."""
        check_name(module, "module name")
        base = resources.files(package) if isinstance(package, str) else package
        found = _read_folder(base / folder if folder else base, module, self._loaded_at)
        with self._lock:
            self._registered.setdefault(module, {}).update(found)

    def scripts(self) -> dict[tuple[str, str], Script]:
        """Every embedded script by (module, name)."""
        with self._lock:
            if self._discovered is None:
                self._discovered = self._discover_all() if self._discover else {}
            out: dict[tuple[str, str], Script] = {}
            for source in (self._discovered, self._registered):
                for module, scripts in source.items():
                    out.update({(module, name): s for name, s in scripts.items()})
            return out

    def _discover_all(self) -> dict[str, dict[str, Script]]:
        try:
            root = resources.files(self._package)
        except ModuleNotFoundError:
            return {}
        found: dict[str, dict[str, Script]] = {}
        for entry in sorted(root.iterdir(), key=lambda e: e.name):
            folder = entry / SCRIPTS_FOLDER
            if entry.is_dir() and folder.is_dir() and not entry.name.startswith((".", "_")):
                check_name(entry.name, f"module folder in {self._package}")
                found[entry.name] = _read_folder(folder, entry.name, self._loaded_at)
        return found

    def _script(
        self, module: str, name: str, language: ScriptLanguage | str, source: str
    ) -> Script:
        check_name(name, "script name")
        lang = ScriptLanguage(language)
        return Script(
            module_name=module,
            name=name,
            language=lang,
            content=source,
            source=ScriptSource.EMBEDDED,
            last_modified=self._loaded_at,
            checksum=Script.checksum_of(source, lang),
            original_language=lang,
        )


def _read_folder(folder: Traversable, module: str, default_time: datetime) -> dict[str, Script]:
    """The scripts in one package folder; two files for one name is a packaging mistake."""
    out: dict[str, Script] = {}
    if not folder.is_dir():
        return out
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        parsed = parse_filename(entry.name)
        if parsed is None or not entry.is_file():
            continue
        if parsed.name in out:
            raise ValueError(
                f"embedded scripts of module '{module}': two files for script "
                f"'{parsed.name}' ({out[parsed.name].language.value} and {parsed.language.value})"
            )
        source = entry.read_text(encoding="utf-8")
        out[parsed.name] = Script(
            module_name=module,
            name=parsed.name,
            language=parsed.language,
            content=source,
            source=ScriptSource.EMBEDDED,
            last_modified=_mtime(entry) or default_time,
            checksum=Script.checksum_of(source, parsed.language),
            original_language=parsed.language,
        )
    return out


def _mtime(entry: Traversable) -> datetime | None:
    if isinstance(entry, Path):
        try:
            return datetime.fromtimestamp(entry.stat().st_mtime, UTC)
        except OSError:
            return None
    return None


_default = EmbeddedCatalog()


def default_catalog() -> EmbeddedCatalog:
    """The process-wide catalog: discovered module scripts plus the application's own."""
    return _default


def register_embedded(module: str, scripts: EmbeddedSources) -> None:
    """Register `module`'s embedded scripts (`{name: (language, source)}`) process-wide."""
    _default.register(module, scripts)


def register_embedded_package(
    module: str, package: str | Traversable, folder: str = SCRIPTS_FOLDER
) -> None:
    """Register the scripts in a package's `folder` as `module`'s embedded scripts."""
    _default.register_package(module, package, folder)
