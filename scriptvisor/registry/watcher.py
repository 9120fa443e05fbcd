"""Watching the scripts directory with watchdog and reporting settled changes.

Events are mapped to the module folder they concern and debounced per module: a module is
reported once no event has touched it for the quiet period, so an editor's burst of writes
(or a file written in pieces) is read once, after the last piece. Editor temporaries,
backups, hidden files and nested folders never schedule anything. The directory itself
may appear, vanish or be replaced while watched: it is looked at every `poll_interval`
and watched again (with a full rescan) whenever it changes identity.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import (
    EVENT_TYPE_CLOSED_NO_WRITE,
    EVENT_TYPE_OPENED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from scriptvisor.registry.layout import is_valid_name, parse_filename

log = logging.getLogger("scriptvisor.registry")

EVERYTHING = ""
"""The key reported when the whole directory needs a rescan (it appeared or was replaced)."""

DEFAULT_DEBOUNCE = 0.15
"""Seconds of quiet before a changed module folder is read."""

OnSettled = Callable[[set[str], set[str]], Iterable[str]]
"""Called with the module names (or `EVERYTHING`) whose files settled and those still
changing (a rescan of everything leaves them for later); returns the keys to look at again
later (a file still being written)."""

_IGNORED_EVENTS = {EVENT_TYPE_OPENED, EVENT_TYPE_CLOSED_NO_WRITE}


class ScriptWatcher:
    """Runs a watchdog observer on `root` and a worker thread calling `on_settled`."""

    def __init__(
        self,
        root: Path,
        on_settled: OnSettled,
        *,
        debounce: float = DEFAULT_DEBOUNCE,
        poll_interval: float = 0.5,
    ) -> None:
        self.root = root
        self.debounce = debounce
        self.poll_interval = poll_interval
        self._on_settled = on_settled
        self._pending: dict[str, float] = {}
        self._cond = threading.Condition()
        self._stopped = False
        self._observer: BaseObserver | None = None
        self._identity: tuple[int, int] | None = None
        self._root_gone = False  # the watched folder was deleted or moved away
        self._worker: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._worker is not None and self._worker.is_alive()

    def start(self) -> None:
        """Start watching; the watch is in place when this returns (if `root` exists)."""
        if self._worker is not None:
            return
        self._observer = Observer()
        self._observer.start()
        self._check_root(initial=True)
        self._worker = threading.Thread(
            target=self._run, name="scriptvisor-script-watcher", daemon=True
        )
        self._worker.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop watching and wait for the worker (a reload in progress finishes first)."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._worker is not None and self._worker is not threading.current_thread():
            self._worker.join(timeout)
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout)

    # --- events --------------------------------------------------------------------------

    def notice(self, event: FileSystemEvent) -> None:
        """Schedule the module(s) an event concerns (called on watchdog's thread)."""
        if event.event_type in _IGNORED_EVENTS or (
            event.is_directory and event.event_type == "modified"
        ):
            return
        for path in (event.src_path, event.dest_path):
            key = self.key_of(os.fsdecode(path)) if path else None
            if key is not None:
                self.schedule(key)
        if event.event_type in ("deleted", "moved") and self.key_of(
            os.fsdecode(event.src_path)
        ) == EVERYTHING:
            # a folder made again at once may reuse the inode: watch it again regardless
            with self._cond:
                self._root_gone = True
                self._cond.notify_all()

    def key_of(self, path: str) -> str | None:
        """The module folder a path under `root` concerns, `EVERYTHING` for `root` itself,
        None for anything no script depends on."""
        rel = os.path.relpath(path, self.root)
        if rel == ".":
            return EVERYTHING
        parts = rel.split(os.sep)
        if parts[0] == ".." or len(parts) > 2 or not is_valid_name(parts[0]):
            return None
        if len(parts) == 2 and parse_filename(parts[1]) is None:
            return None
        return parts[0]

    def schedule(self, key: str, delay: float | None = None) -> None:
        """Report `key` once nothing touched it for `delay` (default: the debounce)."""
        with self._cond:
            self._pending[key] = time.monotonic() + (self.debounce if delay is None else delay)
            self._cond.notify_all()

    # --- worker --------------------------------------------------------------------------

    def _run(self) -> None:
        next_check = time.monotonic() + self.poll_interval
        while True:
            got = self._wait(next_check)
            if got is None:
                return
            if self._root_gone or time.monotonic() >= next_check:
                try:
                    self._check_root()
                except Exception:  # e.g. watchdog failing on a vanished folder: retry later
                    log.exception("watching %s failed", self.root)
                next_check = time.monotonic() + self.poll_interval
            if got[0]:
                self._report(*got)

    def _wait(self, next_check: float) -> tuple[set[str], set[str]] | None:
        """The keys due now (possibly none when the directory check is due) and those still
        waiting for quiet; None once stopped."""
        with self._cond:
            while not self._stopped:
                now = time.monotonic()
                due = {k for k, t in self._pending.items() if t <= now}
                if due or now >= next_check or self._root_gone:
                    for key in due:
                        del self._pending[key]
                    return due, set(self._pending)
                self._cond.wait(min([next_check, *self._pending.values()]) - now)
            return None

    def _report(self, due: set[str], busy: set[str]) -> None:
        try:
            again = set(self._on_settled(due, busy))
        except Exception:  # the watcher outlives any one failed reload
            log.exception("reloading scripts after a change failed")
            return
        for key in again:
            self.schedule(key)

    def _check_root(self, *, initial: bool = False) -> None:
        """Watch `root` again when it appeared, vanished or was replaced."""
        try:
            st = os.stat(self.root)
        except OSError:
            st = None
        identity = (st.st_dev, st.st_ino) if st and stat.S_ISDIR(st.st_mode) else None
        with self._cond:
            if self._root_gone:
                self._root_gone = False
                self._identity = None
        if identity == self._identity or self._observer is None:
            return
        self._observer.unschedule_all()
        self._identity = identity
        if identity is not None:
            try:
                self._observer.schedule(_Handler(self), str(self.root), recursive=True)
            except OSError as exc:
                log.error("cannot watch %s: %s", self.root, exc)
                self._identity = None
                return
            log.info("watching %s for script changes", self.root)
        if not initial:
            self.schedule(EVERYTHING)


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: ScriptWatcher) -> None:
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        self._watcher.notice(event)
