"""Reading external scripts without ever leaving the scripts directory.

Every path is opened relative to a directory descriptor with `O_NOFOLLOW`, one validated
component at a time, so a symbolic link (to a file or a folder, inside or outside the
directory) is never followed and nothing outside the scripts directory is ever read. A file
is read until two consecutive looks agree on its size, modification time and identity, and
only once it has been quiet (not modified) for a while, so a file that is still being
written is never taken as settled, however the registry came to look at it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from scriptvisor.registry.layout import ScriptFile, is_valid_name, looks_like_script, parse_filename

MAX_SCRIPT_BYTES = 1 << 20
"""A script file larger than this is refused unread (the engines refuse it anyway)."""

_READ_ATTEMPTS = 4
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class UnsafePath(Exception):
    """The entry is a symbolic link or not a regular file/folder: never followed or read."""


class Unsettled(Exception):
    """The file kept changing while it was read; try again once it is quiet."""


class Unreadable(Exception):
    """The file cannot be used as a script (too large, not UTF-8, I/O error)."""


@dataclass(frozen=True, slots=True)
class FileContent:
    """A script file's text as read in one stable look."""

    text: str
    mtime: datetime
    size: int


@dataclass(frozen=True, slots=True)
class ModuleListing:
    """What one module folder holds: its script files by name, and entries refused."""

    scripts: dict[str, list[ScriptFile]]
    problems: dict[str, str]  # file name -> why it is not used


@contextlib.contextmanager
def open_dir(root: Path, module: str | None = None) -> Iterator[int]:
    """A descriptor of `root` (the configured scripts directory, which may itself be a link
    the operator chose) or of its folder `module` (never a link)."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        if module is None:
            yield fd
            return
        if not is_valid_name(module):
            raise UnsafePath(f"'{module}' is not a valid module name")
        try:
            sub = os.open(module, _DIR_FLAGS, dir_fd=fd)
        except NotADirectoryError:
            raise FileNotFoundError(f"'{module}' is not a module folder") from None
        except OSError as exc:
            raise _refusal(exc, module) from None
        try:
            yield sub
        finally:
            os.close(sub)
    finally:
        os.close(fd)


def list_modules(root: Path) -> tuple[list[str], dict[str, str]]:
    """The module folders in `root` and the entries refused (path -> why)."""
    modules: list[str] = []
    problems: dict[str, str] = {}
    with open_dir(root) as fd:
        for entry in os.scandir(fd):
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                if is_valid_name(entry.name):
                    problems[entry.name] = "is a symbolic link: links are never followed"
                continue
            if not entry.is_dir(follow_symlinks=False):
                continue
            if is_valid_name(entry.name):
                modules.append(entry.name)
            else:
                problems[entry.name] = "is not a valid module name (use a-z, 0-9, '_', '-')"
    return sorted(modules), problems


def list_module(root: Path, module: str) -> ModuleListing:
    """The script files of `root/module` grouped by script name. Raises `FileNotFoundError`
    when the folder is gone and `UnsafePath` when it is a link or not a folder."""
    scripts: dict[str, list[ScriptFile]] = {}
    problems: dict[str, str] = {}
    with open_dir(root, module) as fd:
        for name in os.listdir(fd):
            parsed = parse_filename(name)
            if parsed is not None:
                scripts.setdefault(parsed.name, []).append(parsed)
            elif looks_like_script(name):
                problems[name] = "is not a valid script name (use a-z, 0-9, '_', '-')"
    for files in scripts.values():
        files.sort(key=lambda f: f.filename)
    return ModuleListing(scripts, problems)


def read_script(root: Path, module: str, filename: str, quiet: float = 0.0) -> FileContent:
    """The text of `root/module/filename`, read in one stable look, once it has not been
    modified for `quiet` seconds (a modification time in the future counts as quiet).

    Raises `UnsafePath` (a link, not a regular file), `Unsettled` (changed while read),
    `Unreadable` (too large, not UTF-8) and `FileNotFoundError`.
    """
    if parse_filename(filename) is None:
        raise UnsafePath(f"'{filename}' is not a script file name")
    with open_dir(root, module) as fd:
        for _ in range(_READ_ATTEMPTS):
            content = _read_once(fd, filename)
            if content is not None:
                age = time.time() - content.mtime.timestamp()
                if 0 <= age < quiet:
                    raise Unsettled(f"{module}/{filename} was modified {age:.3f}s ago")
                return content
    raise Unsettled(f"{module}/{filename} kept changing while it was read")


def _read_once(dir_fd: int, filename: str) -> FileContent | None:
    try:
        fd = os.open(filename, _FILE_FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        raise _refusal(exc, filename) from None
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise UnsafePath(f"'{filename}' is not a regular file")
        if before.st_size > MAX_SCRIPT_BYTES:
            raise Unreadable(f"the file is larger than {MAX_SCRIPT_BYTES} bytes")
        data = _read_all(fd, MAX_SCRIPT_BYTES + 1)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    try:
        now = os.stat(filename, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None  # replaced or removed while read: look again
    if not (_same(before, after) and _same(after, now) and len(data) == after.st_size):
        return None
    if len(data) > MAX_SCRIPT_BYTES:
        raise Unreadable(f"the file is larger than {MAX_SCRIPT_BYTES} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"the file is not valid UTF-8 (byte {exc.start})") from None
    return FileContent(text, datetime.fromtimestamp(after.st_mtime_ns / 1e9, UTC), len(data))


def _read_all(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = os.read(fd, min(65536, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_ino, a.st_dev, a.st_size, a.st_mtime_ns, a.st_ctime_ns) == (
        b.st_ino,
        b.st_dev,
        b.st_size,
        b.st_mtime_ns,
        b.st_ctime_ns,
    )


def _refusal(exc: OSError, name: str) -> Exception:
    """An `open` failure as the registry reports it."""
    if exc.errno == errno.ELOOP:
        return UnsafePath(f"'{name}' is a symbolic link: links are never followed")
    if exc.errno == errno.ENOTDIR:
        return UnsafePath(f"'{name}' is not a folder")
    if isinstance(exc, FileNotFoundError):
        return exc
    return Unreadable(f"'{name}' cannot be read: {exc.strerror}")
