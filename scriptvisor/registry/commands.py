"""The registry's command-line commands: `extract-scripts`, `list`, `check`.

`scriptvisor.cli` adds them with `add_commands(subparsers)`; each handler returns the exit
status (0 fine, 1 a script has an error, 2 bad usage or configuration).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from scriptvisor.registry.extract import extract_default_scripts
from scriptvisor.registry.registry import ScriptEntry, ScriptRegistry, scripts_dir_from_env

_DIR_HELP = "scripts directory (default: $SCRIPTS_DIR, else ./scripts)"


def add_commands(sub: Any) -> None:
    """Register the three commands on an `argparse` subparsers object."""
    extract = sub.add_parser(
        "extract-scripts", help="write the embedded default scripts to a directory"
    )
    extract.add_argument("dir", nargs="?", metavar="DIR", help=_DIR_HELP)
    extract.add_argument("--force", action="store_true", help="overwrite existing files")
    extract.set_defaults(handler=extract_scripts)

    listing = sub.add_parser("list", help="list scripts: origin, language, checksum, error")
    listing.add_argument("--scripts-dir", metavar="DIR", help=_DIR_HELP)
    listing.add_argument("--json", action="store_true", help="one JSON object per script")
    listing.set_defaults(handler=list_scripts)

    check = sub.add_parser("check", help="validate external scripts; exit 1 on any error")
    check.add_argument("dir", nargs="?", metavar="DIR", help=_DIR_HELP)
    check.set_defaults(handler=check_scripts)


def _dir(given: str | None) -> Path:
    return Path(given) if given else scripts_dir_from_env()


def extract_scripts(args: argparse.Namespace) -> int:
    target = _dir(args.dir)
    try:
        results = extract_default_scripts(target, force=args.force)
    except OSError as exc:
        print(f"scriptvisor: cannot extract to {target}: {exc.strerror}", file=sys.stderr)
        return 2
    for path, status in results:
        why = "" if status == "written" else " (exists; --force overwrites)"
        if status == "skipped" and args.force:
            why = " (not a regular file or folder; left alone)"
        print(f"{status:<8} {path}{why}")
    written = sum(status == "written" for _, status in results)
    print(f"{written} written, {len(results) - written} skipped")
    return 0


def _registry(directory: Path) -> ScriptRegistry:
    # these commands print every problem themselves: keep the registry's log quiet
    logging.getLogger("scriptvisor.registry").addHandler(logging.NullHandler())
    return ScriptRegistry(directory, hot_reload=False)


def list_scripts(args: argparse.Namespace) -> int:
    registry = _registry(_dir(args.scripts_dir))
    entries = registry.entries()
    if args.json:
        for entry in entries:
            print(json.dumps(entry.to_dict(), ensure_ascii=False))
        return 0
    rows = [("MODULE", "NAME", "LANGUAGE", "ORIGIN", "CHECKSUM", "ERROR")]
    rows += [_row(entry) for entry in entries]
    widths = [max(len(row[i]) for row in rows) for i in range(6)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    for path, why in registry.problems().items():
        print(f"ignored: {path}: {why}")
    return 0


def _row(entry: ScriptEntry) -> tuple[str, str, str, str, str, str]:
    error = entry.error
    return (
        entry.module,
        entry.name,
        entry.language.value if entry.language else "-",
        entry.origin.value if entry.origin else "-",
        entry.checksum[:12] if entry.checksum else "-",
        f"{error.type.value}: {_one_line(error.message)}" + _at(error.line) if error else "",
    )


def check_scripts(args: argparse.Namespace) -> int:
    directory = _dir(args.dir)
    if not directory.is_dir():
        print(f"scriptvisor: {directory} is not a directory", file=sys.stderr)
        return 2
    registry = _registry(directory)
    entries = registry.entries()
    failures = 0
    for entry in entries:
        if entry.error is None:
            continue
        failures += 1
        where = entry.file or f"{entry.module}/{entry.name}"
        line = f":{entry.error.line}:{entry.error.column or 0}" if entry.error.line else ""
        print(
            f"{os.path.join(directory, where)}{line}: {entry.module}/{entry.name}: "
            f"{entry.error.type.value}: {_one_line(entry.error.message)}"
        )
    for path, why in registry.problems().items():
        failures += 1
        print(f"{os.path.join(directory, path)}: {why}")
    external = sum(entry.file is not None and entry.error is None for entry in entries)
    if failures:
        print(f"{failures} error(s); {external} external script(s) valid")
        return 1
    print(f"ok: {external} external script(s) valid")
    return 0


def _at(line: int | None) -> str:
    return f" (line {line})" if line else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())
