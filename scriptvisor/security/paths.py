"""Path tricks against the registry and extraction, run in this (the host) process.

Each trick builds a fresh scripts directory under `work`, plants a file outside it holding
a script with a marker answer, and tries to make the registry serve that file (or
extraction write through a link). `hostile=False` is the control: the same content at a
legitimate path, which must be served (or written), so a trick that stopped reaching the
code under test is caught. A trick returns what it reached and raises `Refused` when the
registry or extraction refused.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scriptvisor.engines.base import ScriptLanguage
from scriptvisor.engines.factory import EngineFactory
from scriptvisor.protocol.errors import ScriptError
from scriptvisor.registry.embedded import EmbeddedCatalog
from scriptvisor.registry.extract import extract_default_scripts
from scriptvisor.registry.registry import ScriptRegistry

MODULE = "probe"
NAME = "target"
MARKER = "reached-outside"
OUTSIDE_SCRIPT = f'result := "{MARKER}"\n'
EMBEDDED_SCRIPT = 'result := "embedded"\n'
_PAST = (1_000_000_000, 1_000_000_000)  # settled long ago: the registry reads it at once


class Refused(Exception):
    """The registry or extraction refused the trick (the expected, blocked outcome)."""


PathTrick = Callable[[Path, bool], Any]


def _catalog() -> EmbeddedCatalog:
    catalog = EmbeddedCatalog(discover=False)
    catalog.register(MODULE, {NAME: (ScriptLanguage.TENGO, EMBEDDED_SCRIPT)})
    catalog.register("shared", {
        "utils": (ScriptLanguage.TENGO, "export {x: 1}\n"),
        "zutils": (ScriptLanguage.ZYGOMYS, "(def x 1)\n"),
    })
    return catalog


def _layout(work: Path) -> tuple[Path, Path]:
    """A scripts directory and, beside it, an outside file with the marker script."""
    scripts, outside = work / "scripts", work / "outside"
    scripts.mkdir()
    outside.mkdir()
    secret = outside / f"{NAME}.tengo"
    secret.write_text(OUTSIDE_SCRIPT)
    os.utime(secret, _PAST)
    return scripts, secret


def _registry(scripts: Path) -> ScriptRegistry:
    registry = ScriptRegistry(scripts, embedded=_catalog(), hot_reload=False, debounce=0.0)
    registry.load_scripts()
    return registry


def _served(registry: ScriptRegistry, module: str = MODULE, name: str = NAME) -> str:
    """The live content of `module/name`; `Refused` when the registry has no such script
    or keeps the embedded default (saying why, from its problems and errors)."""
    try:
        script = registry.get_script(module, name)
    except LookupError as exc:
        raise Refused(getattr(exc, "message", str(exc))) from None
    if MARKER not in script.content:
        entry = next((e for e in registry.entries() if (e.module, e.name) == (module, name)), None)
        why = [f"{p}: {w}" for p, w in registry.problems().items()]
        if entry is not None and entry.error is not None:
            why.append(f"{entry.error.type.value}: {entry.error.message}")
        raise Refused("embedded default kept; " + "; ".join(why or ["outside file unused"]))
    return script.content


def _lookup(module: str, name: str) -> PathTrick:
    """`get_script` with a hostile name; the control asks for the real name."""

    def trick(work: Path, hostile: bool) -> Any:
        scripts, secret = _layout(work)
        (scripts / MODULE).mkdir()
        os.link(secret, scripts / MODULE / secret.name)
        registry = _registry(scripts)
        return _served(registry, module, name) if hostile else _served(registry)

    return trick


def symlinked_script(work: Path, hostile: bool) -> Any:
    scripts, secret = _layout(work)
    (scripts / MODULE).mkdir()
    target = scripts / MODULE / f"{NAME}.tengo"
    if hostile:
        target.symlink_to(secret)
    else:
        target.write_text(secret.read_text())
        os.utime(target, _PAST)
    return _served(_registry(scripts))


def symlinked_module(work: Path, hostile: bool) -> Any:
    scripts, secret = _layout(work)
    if hostile:
        (scripts / MODULE).symlink_to(secret.parent, target_is_directory=True)
    else:
        (scripts / MODULE).mkdir()
        os.link(secret, scripts / MODULE / secret.name)
    return _served(_registry(scripts))


def symlinked_scripts_parent(work: Path, hostile: bool) -> Any:
    """A module folder whose script is a link through `..` (relative) to the outside."""
    scripts, secret = _layout(work)
    (scripts / MODULE).mkdir()
    target = scripts / MODULE / f"{NAME}.tengo"
    if hostile:
        target.symlink_to(Path("..", "..", "outside", secret.name))
    else:
        os.link(secret, target)
    return _served(_registry(scripts))


_IMPORTERS = {
    ScriptLanguage.TENGO: ("shared/utils", 'm := import("{}")\nresult := m.x\n'),
    ScriptLanguage.ZYGOMYS: ("shared/zutils", '(import "{}")\n(def result x)\n'),
}


def import_path(target: str, language: ScriptLanguage = ScriptLanguage.TENGO) -> PathTrick:
    """A script importing `target` through the registry's resolver, compiled for real (the
    control imports the real shared script)."""

    def trick(work: Path, hostile: bool) -> Any:
        scripts, _ = _layout(work)
        registry = _registry(scripts)
        legitimate, template = _IMPORTERS[language]
        source = template.replace("{}", target if hostile else legitimate)
        engine = EngineFactory().create_engine(language)
        try:
            resolver = registry.resolver(MODULE, language)
            compiled = engine.compile(source, "importer", resolver=resolver)
        except ScriptError as exc:
            raise Refused(f"{exc.type.value}: {exc.message}") from None
        return engine.execute(compiled).result

    return trick


def _extract(scripts: Path, force: bool = False) -> str:
    results = extract_default_scripts(scripts, force=force, catalog=_catalog())
    return ", ".join(f"{p.relative_to(scripts)} {s}" for p, s in results)


def _target(scripts: Path) -> Path:
    return scripts / MODULE / f"{NAME}.tengo"


def extract_through_module_link(work: Path, hostile: bool) -> Any:
    """Extraction where the module folder is a link to an empty folder outside."""
    scripts, secret = _layout(work)
    if not hostile:  # the control: extraction writes the script where it may
        _extract(scripts)
        return _target(scripts).read_text()
    secret.unlink()
    (scripts / MODULE).symlink_to(secret.parent, target_is_directory=True)
    statuses = _extract(scripts)
    if secret.exists():
        return secret.read_text()
    raise Refused(f"nothing written outside ({statuses})")


def extract_force_through_file_link(work: Path, hostile: bool) -> Any:
    """`extract-scripts --force` where the script's file is a link to an outside file."""
    scripts, secret = _layout(work)
    (scripts / MODULE).mkdir()
    if not hostile:  # the control: --force does overwrite a regular file there
        _target(scripts).write_text(OUTSIDE_SCRIPT)
        _extract(scripts, force=True)
        return _target(scripts).read_text()
    _target(scripts).symlink_to(secret)
    statuses = _extract(scripts, force=True)
    if secret.read_text() != OUTSIDE_SCRIPT:
        return secret.read_text()
    raise Refused(f"outside file untouched, the link replaced ({statuses})")


def extract_through_dangling_link(work: Path, hostile: bool) -> Any:
    """`extract-scripts` where the script's file is a dangling link to a free name outside."""
    scripts, secret = _layout(work)
    (scripts / MODULE).mkdir()
    if not hostile:
        _extract(scripts)
        return _target(scripts).read_text()
    secret.unlink()
    _target(scripts).symlink_to(secret)
    statuses = _extract(scripts)
    if secret.exists():
        return secret.read_text()
    raise Refused(f"the dangling link was not written through ({statuses})")


def reload_dotdot(work: Path, hostile: bool) -> Any:
    """`reload_script` (what the watcher calls) with a `../` module name."""
    scripts, secret = _layout(work)
    (scripts / MODULE).mkdir()
    os.link(secret, _target(scripts))
    registry = _registry(scripts)
    module = f"../outside/{MODULE}" if hostile else MODULE
    try:
        script = registry.reload_script(module, NAME)
    except LookupError as exc:
        raise Refused(getattr(exc, "message", str(exc))) from None
    return script.content if script is not None else None


def extract_hostile_catalog_name(work: Path, hostile: bool) -> Any:
    """An embedded catalog whose module name is `../outside`: extraction would write there."""
    scripts, secret = _layout(work)
    secret.unlink()
    module = "../outside" if hostile else MODULE
    catalog = EmbeddedCatalog(discover=False)
    try:
        catalog.register(module, {NAME: (ScriptLanguage.TENGO, OUTSIDE_SCRIPT)})
    except ValueError as exc:
        raise Refused(str(exc)) from None
    extract_default_scripts(scripts, catalog=catalog)
    written = secret if hostile else _target(scripts)
    if written.exists():
        return written.read_text()
    raise Refused("nothing written")


TRICKS: dict[str, PathTrick] = {
    "lookup_dotdot": _lookup(f"../outside/{MODULE}", NAME),
    "lookup_dotdot_name": _lookup(MODULE, f"../../outside/{NAME}"),
    "lookup_absolute": _lookup(MODULE, "/etc/passwd"),
    "lookup_nul": _lookup(MODULE, f"{NAME}\0.tengo"),
    "lookup_separator": _lookup(f"{MODULE}/{MODULE}", NAME),
    "lookup_extension": _lookup(MODULE, f"{NAME}.tengo"),
    "symlinked_script": symlinked_script,
    "symlinked_module": symlinked_module,
    "relative_link_out": symlinked_scripts_parent,
    "import_dotdot": import_path("shared/../../outside/target"),
    "import_absolute": import_path("/etc/passwd"),
    "import_nul": import_path("shared/utils\\x00"),
    "import_other_module": import_path(f"{MODULE}/{NAME}"),
    "zy_import_dotdot": import_path("shared/../../outside/target", ScriptLanguage.ZYGOMYS),
    "zy_import_absolute": import_path("/etc/passwd", ScriptLanguage.ZYGOMYS),
    "reload_dotdot": reload_dotdot,
    "extract_catalog_dotdot": extract_hostile_catalog_name,
    "extract_module_link": extract_through_module_link,
    "extract_force_file_link": extract_force_through_file_link,
    "extract_dangling_link": extract_through_dangling_link,
}
"""Every path trick by the name the catalog uses."""
