"""How scripts are named and laid out: `<module>/<name>.<ext>` under a scripts directory.

Names are checked strictly before any of them touches a path, so `..`, absolute paths, NUL
bytes, separators, hidden files and editor temporaries can never name a script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scriptvisor.engines.base import LANGUAGE_EXTENSIONS, ScriptLanguage

SHARED_MODULE = "shared"
"""The module whose scripts every other module may import (`import("shared/utils")`)."""

MAX_NAME_LENGTH = 64
_NAME = re.compile(rf"[a-z0-9_][a-z0-9_-]{{0,{MAX_NAME_LENGTH - 1}}}")

EXTENSIONS: dict[ScriptLanguage, str] = {
    ScriptLanguage.TENGO: ".tengo",
    ScriptLanguage.ZYGOMYS: ".zygomys",
}
"""The extension a script of each language is written with (`.zy` is also read)."""


def is_valid_name(name: str) -> bool:
    """True for a module or script name: lowercase letters, digits, `_` and `-` (not first),
    at most 64 characters. Nothing else, so a name is always one safe path component."""
    return isinstance(name, str) and _NAME.fullmatch(name) is not None


def check_name(name: str, what: str = "name") -> str:
    """`name` when valid; otherwise `ValueError` saying why (the text is cut short)."""
    if not is_valid_name(name):
        shown = repr(name[:40] + ("..." if len(name) > 40 else "")) if isinstance(name, str) else "?"
        raise ValueError(
            f"invalid {what} {shown}: use lowercase letters, digits, '_' and '-' "
            f"(not first), at most {MAX_NAME_LENGTH} characters"
        )
    return name


@dataclass(frozen=True, slots=True)
class ScriptFile:
    """A file name that names a script: `<name><ext>`."""

    name: str
    language: ScriptLanguage
    filename: str


def parse_filename(filename: str) -> ScriptFile | None:
    """The script a directory entry names, or None for anything else (hidden files, editor
    temporaries and backups such as `x.tengo~`, `.#x.tengo`, `#x.tengo#`, `.x.tengo.swp`,
    `x.tengo.tmp`, other extensions, invalid names)."""
    stem, dot, ext = filename.rpartition(".")
    language = LANGUAGE_EXTENSIONS.get(dot + ext)
    if language is None or not is_valid_name(stem):
        return None
    return ScriptFile(stem, language, filename)


def looks_like_script(filename: str) -> bool:
    """True for a name a person probably meant as a script but that `parse_filename` refuses
    (`Damage.tengo`, `my script.tengo`); never for hidden files or editor temporaries."""
    if filename.startswith((".", "#")) or filename.endswith(("~", "#")):
        return False
    stem, dot, ext = filename.rpartition(".")
    return bool(stem) and (dot + ext).lower() in LANGUAGE_EXTENSIONS


def script_filename(name: str, language: ScriptLanguage) -> str:
    """The file name a script is written under (`damage_calculator.tengo`)."""
    return check_name(name, "script name") + EXTENSIONS[ScriptLanguage(language)]
