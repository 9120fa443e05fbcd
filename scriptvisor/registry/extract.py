"""Writing the embedded scripts out, as the starting point of a scripts directory.

`extract_default_scripts("scripts")` writes `scripts/<module>/<name>.<ext>` for every
embedded script. An existing file is never touched unless `force`; with `force` the file
is replaced atomically (a new file renamed over the old name), so a symbolic link there is
replaced by the script, never written through. A module folder that is a link, or a file
where a folder should be, is left alone and its scripts reported as skipped.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import secrets
from pathlib import Path
from typing import Literal

from scriptvisor.registry.embedded import EmbeddedCatalog, default_catalog
from scriptvisor.registry.layout import check_name, script_filename

log = logging.getLogger("scriptvisor.registry")

Status = Literal["written", "skipped"]

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def extract_default_scripts(
    target_dir: str | Path,
    force: bool = False,
    *,
    catalog: EmbeddedCatalog | None = None,
) -> list[tuple[Path, Status]]:
    """Write every embedded script under `target_dir` (created when missing); returns each
    file with "written" or "skipped", in module and name order."""
    target = Path(target_dir)
    target.mkdir(parents=True, exist_ok=True)
    scripts = (catalog or default_catalog()).scripts()
    results: list[tuple[Path, Status]] = []
    root = os.open(target, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        by_module: dict[str, list[tuple[str, str]]] = {}
        for (module, name), script in sorted(scripts.items()):
            filename = script_filename(name, script.language)
            by_module.setdefault(check_name(module, "module name"), []).append(
                (filename, script.content)
            )
        for module, files in by_module.items():
            results += _extract_module(root, target, module, files, force)
    finally:
        os.close(root)
    return results


def _extract_module(
    root: int, target: Path, module: str, files: list[tuple[str, str]], force: bool
) -> list[tuple[Path, Status]]:
    paths = [target / module / filename for filename, _ in files]
    with contextlib.suppress(FileExistsError):
        os.mkdir(module, 0o755, dir_fd=root)
    try:
        fd = os.open(module, _DIR_FLAGS, dir_fd=root)
    except OSError as exc:
        if exc.errno not in (errno.ELOOP, errno.ENOTDIR):
            raise
        log.warning("%s is not a folder (or is a link): its scripts are skipped", target / module)
        return [(path, "skipped") for path in paths]
    try:
        return [
            (path, _write(fd, filename, content, force))
            for path, (filename, content) in zip(paths, files, strict=True)
        ]
    finally:
        os.close(fd)


def _write(dir_fd: int, filename: str, content: str, force: bool) -> Status:
    data = content.encode("utf-8")
    if not force:
        try:
            fd = os.open(filename, _NEW_FILE, 0o644, dir_fd=dir_fd)
        except FileExistsError:  # also a (dangling) link: O_EXCL never follows it
            return "skipped"
        try:
            _write_all(fd, data)
        except OSError:
            os.unlink(filename, dir_fd=dir_fd)  # never leave half a script behind
            raise
        return "written"
    temp = f".{filename}.{secrets.token_hex(6)}.tmp"  # hidden: watchers ignore it
    fd = os.open(temp, _NEW_FILE, 0o644, dir_fd=dir_fd)
    try:
        _write_all(fd, data)
        os.replace(temp, filename, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except OSError as exc:
        os.unlink(temp, dir_fd=dir_fd)
        if exc.errno in (errno.EISDIR, errno.ENOTEMPTY, errno.EEXIST):
            log.warning("%s is a folder: not overwritten", filename)
            return "skipped"
        raise
    return "written"


def _write_all(fd: int, data: bytes) -> None:
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)
