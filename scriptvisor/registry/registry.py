"""The design's `ScriptRegistry`: embedded defaults, external overrides, validation, hot reload.

    registry = ScriptRegistry("scripts", publish=bus_publish)   # SCRIPTS_DIR by default
    registry.load_scripts()
    registry.start_watcher()              # unless HOT_RELOAD_SCRIPTS=false
    script = registry.get_script("wargame", "damage_calculator")
    registry.stop()

An external file `SCRIPTS_DIR/<module>/<name>.tengo|.zygomys|.zy` overrides the embedded
script `<module>/<name>`, in either language (`original_language` keeps the embedded one).
Every external version is validated before it goes live; a rejected one leaves the last
good version live (the last good external version, else the embedded default) and its
error visible in `entries()` until a good version or the file's removal replaces it.
Two files for one script (`x.tengo` and `x.zygomys`) are ambiguous: both are rejected the
same way, so what was live stays live, until one of them is removed.

Readers always get a complete, validated `Script`: the per-script state is an immutable
object swapped under a lock. Changes are serialised, logged, and announced through
`publish(topic, payload)` on `scripts.reloaded`, `scripts.rejected` and `scripts.removed`.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from scriptvisor.config import ConfigError
from scriptvisor.engines.base import ImportResolver, ScriptLanguage
from scriptvisor.protocol.errors import ErrorType, ScriptError
from scriptvisor.protocol.models import Script, ScriptSource
from scriptvisor.registry.embedded import EmbeddedCatalog, default_catalog
from scriptvisor.registry.files import (
    ModuleListing,
    Unreadable,
    UnsafePath,
    Unsettled,
    list_module,
    list_modules,
    read_script,
)
from scriptvisor.registry.layout import SHARED_MODULE, ScriptFile, is_valid_name
from scriptvisor.registry.validation import CompileValidator, Validator, run_validator
from scriptvisor.registry.watcher import DEFAULT_DEBOUNCE, EVERYTHING, ScriptWatcher

log = logging.getLogger("scriptvisor.registry")

Publish = Callable[[str, dict[str, Any]], None]
"""Announces a registry change: `publish(topic, payload)`."""

TOPIC_RELOADED = "scripts.reloaded"
TOPIC_REJECTED = "scripts.rejected"
TOPIC_REMOVED = "scripts.removed"

DEFAULT_SCRIPTS_DIR = "./scripts"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_SETTLE_ATTEMPTS = 20
_SETTLE_PAUSE = 0.05

Key = tuple[str, str]


class ScriptNotFound(ScriptError, LookupError):
    """No script of that module and name (a `ScriptError` of type not_found, and a
    `LookupError` so the registry is a supervisor `ScriptProvider` as it is)."""

    def __init__(self, module: str, name: str) -> None:
        shown = f"{module}/{name}" if is_valid_name(module) and is_valid_name(name) else "?"
        super().__init__(
            ErrorType.NOT_FOUND, f"no script {shown}",
            module=module if is_valid_name(module) else "",
            script=name if is_valid_name(name) else "",
        )


def hot_reload_from_env(environ: Mapping[str, str] | None = None) -> bool:
    """`HOT_RELOAD_SCRIPTS` (true/false, 1/0, yes/no, on/off; default true); a bad value
    raises `ConfigError` naming the variable."""
    text = (os.environ if environ is None else environ).get("HOT_RELOAD_SCRIPTS", "")
    value = text.strip().lower()
    if not value or value in _TRUE:
        return True
    if value in _FALSE:
        return False
    shown = text if len(text) <= 40 else text[:37] + "..."
    raise ConfigError(f"HOT_RELOAD_SCRIPTS: '{shown}' is not true or false")


def scripts_dir_from_env(environ: Mapping[str, str] | None = None) -> Path:
    """`SCRIPTS_DIR`, default `./scripts`."""
    text = (os.environ if environ is None else environ).get("SCRIPTS_DIR", "")
    if "\0" in text:
        raise ConfigError("SCRIPTS_DIR: contains a NUL byte")
    return Path(text.strip() or DEFAULT_SCRIPTS_DIR)


@dataclass(frozen=True, slots=True)
class ScriptEntry:
    """One script as `list` and `GET /scripts` show it. `language`, `origin`, `checksum`
    and `last_modified` describe the live version (None when nothing is live: an external
    script whose only version was rejected); `error` is the last rejected version's."""

    module: str
    name: str
    language: ScriptLanguage | None
    origin: ScriptSource | None
    checksum: str | None
    last_modified: datetime | None
    error: ScriptError | None
    original_language: ScriptLanguage | None
    file: str | None
    """The external file in use or rejected, relative to the scripts directory."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "module": self.module,
            "name": self.name,
            "language": self.language.value if self.language else None,
            "origin": self.origin.value if self.origin else None,
            "checksum": self.checksum,
            "last_modified": self.last_modified.isoformat() if self.last_modified else None,
            "original_language": self.original_language.value if self.original_language else None,
            "file": self.file,
            "error": _error_payload(self.error) if self.error else None,
        }


@dataclass(frozen=True, slots=True)
class _State:
    """Everything known about one script; replaced whole, never changed in place."""

    embedded: Script | None = None
    embedded_error: ScriptError | None = None
    external: Script | None = None  # the last good external version
    error: ScriptError | None = None  # the rejected external version's error
    rejected: str | None = None  # what was rejected (a checksum or a description)
    rejected_language: ScriptLanguage | None = None
    file: str | None = None

    @property
    def live(self) -> Script | None:
        return self.external or self.embedded

    @property
    def has_external(self) -> bool:
        return self.external is not None or self.error is not None


_EMPTY = _State()


class ScriptRegistry:
    """Discovers, validates, serves and hot-reloads scripts (see the module docstring).

    `scripts_dir` defaults to `SCRIPTS_DIR`; `embedded` to the process-wide catalog;
    `validator` to compiling in this process; `hot_reload` to `HOT_RELOAD_SCRIPTS`.
    """

    def __init__(
        self,
        scripts_dir: str | Path | None = None,
        *,
        embedded: EmbeddedCatalog | None = None,
        validator: Validator | None = None,
        publish: Publish | None = None,
        hot_reload: bool | None = None,
        debounce: float = DEFAULT_DEBOUNCE,
    ) -> None:
        self.scripts_dir = Path(
            scripts_dir if scripts_dir is not None else scripts_dir_from_env()
        ).resolve()
        self.hot_reload = hot_reload_from_env() if hot_reload is None else hot_reload
        self._catalog = embedded or default_catalog()
        self.validator: Validator = validator or CompileValidator(self.validation_resolver)
        """Decides whether a version may go live; may be replaced before `load_scripts`
        (e.g. by one compiling in a confined child, built with `validation_resolver`)."""
        self._publish = publish
        self.debounce = debounce
        self._states: dict[Key, _State] = {}
        self._shared: dict[ScriptLanguage | None, dict[str, str]] = {}  # shared_sources memo
        self._problems: dict[str, str] = {}
        self._lock = threading.Lock()  # guards the two dicts above: held only to swap/read
        self._changing = threading.RLock()  # serialises every change, validation included
        self._loaded = False
        self._loading: int | None = None  # the thread inside load_scripts
        self._watcher: ScriptWatcher | None = None

    # --- the design's interface ----------------------------------------------------------

    def load_scripts(self) -> None:
        """Load the embedded defaults and every external override (validated)."""
        with self._changing:
            self._loading = threading.get_ident()
            try:
                self._load()
            finally:
                self._loading = None

    def _load(self) -> None:
        events: list[tuple[str, dict[str, Any]]] = []
        embedded = self._catalog.scripts()
        with self._lock:
            keys = set(self._states) | set(embedded)
            for key in keys:
                self._states[key] = replace(
                    self._states.get(key, _EMPTY),
                    embedded=embedded.get(key),
                    embedded_error=None,
                )
            self._drop_empty()
        self._settle(lambda: self._rescan_all(events))
        self._validate_embedded()
        self._loaded = True
        self._announce(events)

    def get_script(self, module: str, name: str) -> Script:
        """The live version of `module/name`; raises `ScriptNotFound` (not_found)."""
        self._ensure_loaded()
        with self._lock:
            valid = isinstance(module, str) and isinstance(name, str)
            state = self._states.get((module, name)) if valid else None
        live = state.live if state else None
        if live is None:
            raise ScriptNotFound(module, name)
        return live

    __call__ = get_script  # a supervisor `ScriptProvider`

    def reload_script(self, module: str, name: str) -> Script | None:
        """Read `module/name` from disk again. Returns the live version (None when the
        script no longer exists); raises the `ScriptError` that keeps the file on disk out
        (the last good version stays live), `ScriptNotFound` for names no script can have."""
        if not (is_valid_name(module) and is_valid_name(name)):
            raise ScriptNotFound(module, name)
        self._ensure_loaded()
        with self._changing:
            events: list[tuple[str, dict[str, Any]]] = []
            self._settle(lambda: self._rescan_script(module, name, events))
            self._announce(events)
            with self._lock:
                state = self._states.get((module, name), _EMPTY)
        if state.error is not None:
            raise state.error
        return state.live

    def list_scripts(self) -> dict[str, list[str]]:
        """Names of the live scripts by module."""
        self._ensure_loaded()
        out: dict[str, list[str]] = {}
        with self._lock:
            for (module, name), state in sorted(self._states.items()):
                if state.live is not None:
                    out.setdefault(module, []).append(name)
        return out

    def start_watcher(self) -> bool:
        """Watch the scripts directory and reload on change, unless hot reload is off.
        Returns whether watching."""
        self._ensure_loaded()
        if not self.hot_reload:
            log.info("hot reload is off (HOT_RELOAD_SCRIPTS=false): scripts load once")
            return False
        with self._changing:
            if self._watcher is None:
                self._watcher = ScriptWatcher(
                    self.scripts_dir, self._on_settled, debounce=self.debounce
                )
                self._watcher.start()
                # a change made between loading and watching would otherwise go unseen;
                # debounced like any change, so it never races an edit in progress
                self._watcher.schedule(EVERYTHING)
        return True

    def stop(self) -> None:
        """Stop watching (the registry keeps serving what is live)."""
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.stop()

    @property
    def watching(self) -> bool:
        return self._watcher is not None and self._watcher.running

    def __enter__(self) -> ScriptRegistry:
        self.load_scripts()
        self.start_watcher()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- what operators and scripts see --------------------------------------------------

    def entries(self) -> list[ScriptEntry]:
        """Every script known (live or rejected), by module and name."""
        self._ensure_loaded()
        with self._lock:
            states = sorted(self._states.items())
        return [_entry(module, name, state) for (module, name), state in states]

    def problems(self) -> dict[str, str]:
        """Entries of the scripts directory that are not used, and why (path -> reason):
        links to module folders, invalid module or script names."""
        with self._lock:
            return dict(sorted(self._problems.items()))

    def resolver(self, module: str, language: ScriptLanguage | None = None) -> ImportResolver:
        """The import resolver for scripts of `module`: `import("shared/<name>")` gets the
        live shared script's source (external overriding embedded); nothing else resolves
        (scripts of other modules are not importable). With `language`, only shared
        scripts in that language resolve."""
        self._ensure_loaded()
        return self._resolver(language)

    def shared_sources(self, language: ScriptLanguage | None = None) -> dict[str, str]:
        """Every live shared script as the resolver serves it (`{"shared/utils": source}`):
        what a confined child needs to resolve imports without touching the file system
        (the supervisor's `ImportSources`). The same dict object comes back until a script
        changes; do not modify it."""
        self._ensure_loaded()
        with self._lock:
            known = self._shared.get(language)
            if known is not None:
                return known
            lives = [s.live for (m, _), s in self._states.items() if m == SHARED_MODULE]
            known = self._shared[language] = {
                f"{SHARED_MODULE}/{live.name}": live.content
                for live in sorted((x for x in lives if x is not None), key=lambda x: x.name)
                if language is None or live.language == language
            }
            return known

    def _resolver(self, language: ScriptLanguage | None) -> ImportResolver:
        def resolve(target: str) -> str | None:
            module, sep, name = target.partition("/")
            if not sep or module != SHARED_MODULE:
                return None
            with self._lock:
                state = self._states.get((module, name))
            live = state.live if state else None
            if live is None or (language is not None and live.language != language):
                return None
            return live.content

        return resolve

    def validation_resolver(self, script: Script) -> ImportResolver:
        """The resolver `script` is validated with: the live scripts, but `script` itself
        in place of its live version."""
        live = self._resolver(script.language)
        own = f"{script.module_name}/{script.name}"
        return lambda target: script.content if target == own else live(target)

    # --- reconciling disk and state ------------------------------------------------------

    def _ensure_loaded(self) -> None:
        # a validator may use the public API while loading: never load again from inside
        if not self._loaded and self._loading != threading.get_ident():
            with self._changing:
                if not self._loaded:
                    self.load_scripts()

    def _on_settled(self, keys: set[str], busy: set[str]) -> list[str]:
        """The watcher's callback: rescan what changed (but not folders still changing:
        their turn comes); return what is still being written."""
        with self._changing:
            events: list[tuple[str, dict[str, Any]]] = []
            if EVERYTHING in keys:
                again = self._rescan_all(events, skip=busy)
            else:
                again = []
                for module in sorted(keys, key=_shared_first):
                    again += self._rescan_module(module, events)
            self._announce(events)
        return [module for module, _ in again]

    def _settle(self, rescan: Callable[[], list[Key]]) -> None:
        """Run `rescan` until no file is being written (a few tries, then leave it)."""
        for _ in range(_SETTLE_ATTEMPTS):
            pending = rescan()
            if not pending:
                return
            time.sleep(_SETTLE_PAUSE)
        log.warning("scripts still changing, left as they were: %s", _names(pending))

    def _rescan_all(
        self, events: list[tuple[str, dict[str, Any]]], skip: Set[str] = frozenset()
    ) -> list[Key]:
        try:
            modules, problems = list_modules(self.scripts_dir)
        except FileNotFoundError:
            modules, problems = [], {}
        except OSError as exc:
            log.error("cannot read the scripts directory %s: %s", self.scripts_dir, exc)
            return []
        with self._lock:
            known = {m for (m, _), s in self._states.items() if s.has_external}
            kept = {p: w for p, w in self._problems.items() if p.split("/")[0] in skip}
            self._problems = {**problems, **kept}
        pending: list[Key] = []
        for module in sorted((set(modules) | known) - skip, key=_shared_first):
            pending += self._rescan_module(module, events)
        return pending

    def _rescan_module(self, module: str, events: list[tuple[str, dict[str, Any]]]) -> list[Key]:
        listing = self._list(module)
        with self._lock:
            known = {n for (m, n), s in self._states.items() if m == module and s.has_external}
        pending: list[Key] = []
        for name in sorted(set(listing.scripts) | known):
            if not self._reconcile(module, name, listing.scripts.get(name, []), events):
                pending.append((module, name))
        return pending

    def _rescan_script(
        self, module: str, name: str, events: list[tuple[str, dict[str, Any]]]
    ) -> list[Key]:
        files = self._list(module).scripts.get(name, [])
        return [] if self._reconcile(module, name, files, events) else [(module, name)]

    def _list(self, module: str) -> ModuleListing:
        """The module folder's listing, recording its problems; empty when it is gone."""
        problems: dict[str, str] = {}
        try:
            listing = list_module(self.scripts_dir, module)
            problems = {f"{module}/{name}": why for name, why in listing.problems.items()}
        except FileNotFoundError:
            listing = ModuleListing({}, {})
        except (UnsafePath, Unreadable, OSError) as exc:  # fail closed: embedded defaults
            log.error("cannot use %s/%s: %s", self.scripts_dir, module, exc)
            listing = ModuleListing({}, {})
            problems = {module: str(exc)}
        with self._lock:
            for path in [p for p in self._problems if p == module or p.startswith(module + "/")]:
                del self._problems[path]
            self._problems.update(problems)
        return listing

    def _reconcile(
        self,
        module: str,
        name: str,
        files: list[ScriptFile],
        events: list[tuple[str, dict[str, Any]]],
    ) -> bool:
        """Bring one script's state in line with its files; False if a file is unsettled."""
        key = (module, name)
        with self._lock:
            state = self._states.get(key, _EMPTY)
        if not files:
            if state.has_external:
                self._without_external(key, state, events)
            return True
        if len(files) > 1:
            shown = ", ".join(f.filename for f in files)
            error = ScriptError(
                ErrorType.COMPILATION,
                f"two files for one script ({shown}): remove all but one",
                module=module, script=name,
            )
            self._reject(key, state, error, f"conflict:{shown}", None, shown, events)
            return True
        file = files[0]
        try:
            content = read_script(self.scripts_dir, module, file.filename, self.debounce)
        except (Unsettled, FileNotFoundError):
            return False
        except (UnsafePath, Unreadable, OSError) as exc:
            kind = ErrorType.SECURITY_VIOLATION if isinstance(exc, UnsafePath) else (
                ErrorType.INVALID_SYNTAX
            )
            why = f"cannot be read: {exc.strerror}" if isinstance(exc, OSError) else str(exc)
            error = ScriptError(kind, why, module=module, script=name)
            self._reject(key, state, error, f"{file.filename}:{exc}", file.language,
                         file.filename, events)
            return True
        script = Script(
            module_name=module,
            name=name,
            language=file.language,
            content=content.text,
            source=ScriptSource.EXTERNAL,
            last_modified=content.mtime,
            checksum=Script.checksum_of(content.text, file.language),
            original_language=state.embedded.language if state.embedded else None,
        )
        if state.error is None and state.external and state.external.checksum == script.checksum:
            return True  # unchanged (touched, or an event for another file)
        if state.error is not None and state.rejected == script.checksum:
            return True  # the same rejected version again
        verdict = run_validator(self.validator, script)
        if verdict is not None:
            self._reject(key, state, verdict, script.checksum, file.language, file.filename,
                         events)
        else:
            self._accept(key, state, script, file.filename, events)
        return True

    def _accept(
        self,
        key: Key,
        state: _State,
        script: Script,
        filename: str,
        events: list[tuple[str, dict[str, Any]]],
    ) -> None:
        self._swap(key, replace(state, external=script, error=None, rejected=None,
                                rejected_language=None, file=f"{key[0]}/{filename}"))
        log.info(
            "script %s/%s reloaded: external %s %s (%s)",
            key[0], key[1], script.language.value, script.checksum[:12], filename,
        )
        events.append((TOPIC_RELOADED, _reloaded_payload(script)))

    def _reject(
        self,
        key: Key,
        state: _State,
        error: ScriptError,
        rejected: str,
        language: ScriptLanguage | None,
        filename: str,
        events: list[tuple[str, dict[str, Any]]],
    ) -> None:
        if state.error is not None and state.rejected == rejected:
            return
        self._swap(key, replace(state, error=error, rejected=rejected,
                                rejected_language=language, file=f"{key[0]}/{filename}"))
        live = state.live
        serving = f"{live.source.value} {live.checksum[:12]}" if live else "nothing"
        log.warning("script %s/%s rejected, serving %s: %s", key[0], key[1], serving, error)
        events.append((TOPIC_REJECTED, {
            "module": key[0],
            "name": key[1],
            "language": language.value if language else None,
            "file": f"{key[0]}/{filename}",
            "error": _error_payload(error),
            "serving": _reloaded_payload(live) if live else None,
        }))

    def _without_external(
        self, key: Key, state: _State, events: list[tuple[str, dict[str, Any]]]
    ) -> None:
        new = replace(state, external=None, error=None, rejected=None,
                      rejected_language=None, file=None)
        self._swap(key, new)
        if new.live is not None:
            log.info("script %s/%s: external override removed, embedded default back", *key)
            events.append((TOPIC_RELOADED, _reloaded_payload(new.live)))
        elif state.external is not None:
            log.info("script %s/%s removed", *key)
            events.append((TOPIC_REMOVED, {"module": key[0], "name": key[1]}))

    def _swap(self, key: Key, state: _State) -> None:
        with self._lock:
            self._states[key] = state
            self._drop_empty()

    def _drop_empty(self) -> None:
        """Called after every change of `_states` (under the lock)."""
        self._shared.clear()
        for key in [k for k, s in self._states.items() if s == _EMPTY]:
            del self._states[key]

    def _validate_embedded(self) -> None:
        """Embedded scripts stay live whatever happens (nothing could replace them), but an
        invalid one is a packaging bug worth showing."""
        with self._lock:
            embedded = [(k, s.embedded) for k, s in self._states.items() if s.embedded]
        for key, script in sorted(embedded, key=lambda item: _shared_first(item[0][0])):
            error = run_validator(self.validator, script)
            if error is not None:
                log.error("embedded script %s/%s is invalid: %s", *key, error)
            with self._lock:
                state = self._states.get(key)
                if state is not None and state.embedded is script:
                    self._states[key] = replace(state, embedded_error=error)
                    self._shared.clear()

    def _announce(self, events: Iterable[tuple[str, dict[str, Any]]]) -> None:
        if self._publish is None:
            return
        for topic, payload in events:
            try:
                self._publish(topic, payload)
            except Exception:  # a failing subscriber never stops a reload
                log.exception("publishing %s failed", topic)


def _entry(module: str, name: str, state: _State) -> ScriptEntry:
    live = state.live
    return ScriptEntry(
        module=module,
        name=name,
        language=live.language if live else state.rejected_language,
        origin=live.source if live else None,
        checksum=live.checksum if live else None,
        last_modified=live.last_modified if live else None,
        error=state.error or state.embedded_error,
        original_language=state.embedded.language if state.embedded else None,
        file=state.file,
    )


def _reloaded_payload(script: Script) -> dict[str, Any]:
    return {
        "module": script.module_name,
        "name": script.name,
        "language": script.language.value,
        "origin": script.source.value,
        "checksum": script.checksum,
        "original_language": (
            script.original_language.value if script.original_language else None
        ),
    }


def _error_payload(error: ScriptError) -> dict[str, Any]:
    return {
        "type": error.type.value,
        "message": error.message,
        "line": error.line,
        "column": error.column,
    }


def _shared_first(module: str) -> tuple[bool, str]:
    """Shared scripts load first: the others import them."""
    return (module != SHARED_MODULE, module)


def _names(keys: Iterable[Key]) -> str:
    return ", ".join(f"{m}/{n}" for m, n in keys)
