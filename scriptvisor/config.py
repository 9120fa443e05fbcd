"""Reading human-friendly limits (`250ms`, `5s`, `10MB`) from flags and environment."""

from __future__ import annotations

import re

_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_SIZE_UNITS = {
    "": 1, "b": 1,
    "k": 1024, "kb": 1024, "kib": 1024,
    "m": 1024**2, "mb": 1024**2, "mib": 1024**2,
    "g": 1024**3, "gb": 1024**3, "gib": 1024**3,
}
_NUMBER_UNIT = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*([a-zA-Zµ]*)\s*$")


class ConfigError(ValueError):
    """A setting has a value that cannot be understood; the message names the setting."""


def parse_duration(text: str, setting: str = "duration") -> float:
    """Seconds in `text` such as `5s`, `250ms`, `1.5m` (a bare number means seconds)."""
    m = _NUMBER_UNIT.match(text)
    unit = m.group(2) if m else None
    if m is None or (unit and unit not in _DURATION_UNITS):
        raise ConfigError(f"{setting}: '{_shown(text)}' is not a duration (examples: 5s, 250ms)")
    return _in_range(float(m.group(1)) * _DURATION_UNITS[unit or "s"], 1e9, text, setting)


def parse_size(text: str, setting: str = "size") -> int:
    """Bytes in `text` such as `10MB`, `512KiB`, `4096`.

    Units are binary (`10MB` is 10 MiB), as the design's default "10MB = 10*1024*1024" reads.
    """
    m = _NUMBER_UNIT.match(text)
    unit = m.group(2).lower() if m else None
    if m is None or unit not in _SIZE_UNITS:
        raise ConfigError(f"{setting}: '{_shown(text)}' is not a size (examples: 10MB, 64MiB)")
    return int(_in_range(float(m.group(1)) * _SIZE_UNITS[unit or ""], 2**62, text, setting))


def _in_range(amount: float, ceiling: float, text: str, setting: str) -> float:
    if amount <= 0:
        raise ConfigError(f"{setting}: '{_shown(text)}' must be greater than zero")
    if not amount < ceiling:  # also catches inf from a few hundred digits
        raise ConfigError(f"{setting}: '{_shown(text)}' is out of range")
    return amount


def _shown(text: str) -> str:
    """The offending text, cut short: a hostile environment variable can be huge."""
    return text if len(text) <= 40 else text[:37] + "..."
