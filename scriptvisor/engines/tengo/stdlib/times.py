"""Tengo's `times` module and its `time` value, with Go's `time` package semantics.

A `Time` is an instant (integer nanoseconds since the Unix epoch, unbounded like Go's
wall-clock range) plus a `Location` that decides how it is displayed. Formatting and
parsing follow Go's layout language (reference time `Mon Jan 2 15:04:05 MST 2006`),
durations print and parse like Go's `time.Duration`.

Deliberate differences from Go Tengo (mostly forced by the sandbox):
- `Local` is UTC: a child never reads the host's zone, so `now()`, `unix()` and `date()`
  without a location give times in a location named `Local` that behaves as UTC (this is
  also what Go Tengo does on a host whose zone is UTC).
- `now()` carries no monotonic clock reading, so its string has no ` m=+0.000...` suffix.
- Named locations (`in_location`, the 8th argument of `date`) come from the host's zone
  database through Python's `zoneinfo`; a confined child cannot open files, so the zygote
  reads every zone file beforehand (`preload_zones`, ~700 KB shared by all children).
- `sleep` really sleeps, in short slices so that the execution deadline still interrupts it;
  a sleep longer than the time left ends the script with the usual timeout error.
- Go's int64 overflows on absurd dates (years beyond about 292 billion) are not mimicked:
  such dates compute exactly here.

As in Go Tengo, bad input to `parse`, `parse_duration`, `date` (its location) and
`in_location` is a runtime error with Go's message, not an error value.
"""

from __future__ import annotations

import io
import os
import time as _clock
import zoneinfo
from collections.abc import Callable
from datetime import UTC as _UTC
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from scriptvisor.engines import limits
from scriptvisor.engines.tengo import convert
from scriptvisor.engines.tengo.stdlib.math import arg_error, tengo_name
from scriptvisor.engines.tengo.values import (
    INT_MAX,
    INT_MIN,
    RuntimeErr,
    byte_len,
    from_bytes,
    to_bytes,
    wrap_int,
)

NANOSECOND = 1
MICROSECOND = 1000 * NANOSECOND
MILLISECOND = 1000 * MICROSECOND
SECOND = 1000 * MILLISECOND
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
ZERO_UNIX = -62135596800  # Go's zero Time, January 1 of year 1, in Unix seconds
ZERO_NS = ZERO_UNIX * SECOND
SLEEP_SLICE = 0.01  # seconds; a watchdog's async exception lands between slices

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)
DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
SHORT_MONTH_NAMES = tuple(m[:3] for m in MONTH_NAMES)
SHORT_DAY_NAMES = tuple(d[:3] for d in DAY_NAMES)
_DAYS_BEFORE = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365)

LAYOUTS = {
    "format_ansic": "Mon Jan _2 15:04:05 2006",
    "format_unix_date": "Mon Jan _2 15:04:05 MST 2006",
    "format_ruby_date": "Mon Jan 02 15:04:05 -0700 2006",
    "format_rfc822": "02 Jan 06 15:04 MST",
    "format_rfc822z": "02 Jan 06 15:04 -0700",
    "format_rfc850": "Monday, 02-Jan-06 15:04:05 MST",
    "format_rfc1123": "Mon, 02 Jan 2006 15:04:05 MST",
    "format_rfc1123z": "Mon, 02 Jan 2006 15:04:05 -0700",
    "format_rfc3339": "2006-01-02T15:04:05Z07:00",
    "format_rfc3339_nano": "2006-01-02T15:04:05.999999999Z07:00",
    "format_kitchen": "3:04PM",
    "format_stamp": "Jan _2 15:04:05",
    "format_stamp_milli": "Jan _2 15:04:05.000",
    "format_stamp_micro": "Jan _2 15:04:05.000000",
    "format_stamp_nano": "Jan _2 15:04:05.000000000",
}
STRING_LAYOUT = "2006-01-02 15:04:05.999999999 -0700 MST"


# ---------------------------------------------------------------- locations

_EPOCH = datetime(1970, 1, 1, tzinfo=_UTC)
_ZONEINFO_MIN = -62135596800 + 2 * 86400  # keep datetime arithmetic inside years 1..9999
_ZONEINFO_MAX = 253402300799 - 2 * 86400


class Location:
    """A Go `*time.Location`: a name plus the zone (abbreviation, offset) at each instant."""

    __slots__ = ("name", "abbr", "offset", "zone")

    def __init__(self, name: str, abbr: str, offset: int, zone: ZoneInfo | None = None) -> None:
        self.name = name
        self.abbr = abbr
        self.offset = offset  # seconds east of UTC, for a fixed zone
        self.zone = zone

    def lookup(self, unix_sec: int) -> tuple[str, int]:
        """The zone abbreviation and offset (seconds east of UTC) in effect at `unix_sec`."""
        if self.zone is None:
            return self.abbr, self.offset
        clamped = min(max(unix_sec, _ZONEINFO_MIN), _ZONEINFO_MAX)
        local = (_EPOCH + timedelta(seconds=clamped)).astimezone(self.zone)
        delta = local.utcoffset()
        offset = 0 if delta is None else int(delta.total_seconds())
        return local.tzname() or "", offset


UTC = Location("UTC", "UTC", 0)
LOCAL = Location("Local", "UTC", 0)  # the sandbox's local zone is UTC (see module docstring)


def fixed_zone(name: str, offset: int) -> Location:
    """Go's `time.FixedZone`: always `offset` seconds east of UTC, abbreviated `name`."""
    return Location(name, name, offset)


_ZONE_FILES: dict[str, bytes] = {}


def preload_zones() -> int:
    """Read every zone file of the host's database into memory, so that named locations
    work where files cannot be opened (a confined child). Returns how many."""
    for name in zoneinfo.available_timezones():
        for base in zoneinfo.TZPATH:
            try:
                with open(os.path.join(base, name), "rb") as f:
                    _ZONE_FILES[name] = f.read()
                break
            except OSError:
                continue
    return len(_ZONE_FILES)


@lru_cache(maxsize=64)
def _zoneinfo(name: str) -> ZoneInfo | None:
    try:
        data = _ZONE_FILES.get(name)
        if data is not None:
            return ZoneInfo.from_file(io.BytesIO(data), key=name)
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return None


def load_location(name: str) -> Location:
    """Go's `time.LoadLocation`; an unknown name is a runtime error, as in Go Tengo."""
    if name in ("", "UTC"):
        return UTC
    if name == "Local":
        return LOCAL
    if ".." in name or name[0] in "/\\":
        raise RuntimeErr("time: invalid location name")
    zone = _zoneinfo(name)
    if zone is None:
        raise RuntimeErr("unknown time zone " + name)
    return Location(name, "", 0, zone)


# ---------------------------------------------------------------- calendar

def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (any year, month 1..12)."""
    y = year - (month <= 2)
    era, yoe = divmod(y, 400)
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(days: int) -> tuple[int, int, int]:
    """(year, month, day) of a day count since 1970-01-01 (inverse of `days_from_civil`)."""
    era, doe = divmod(days + 719468, 146097)
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (month <= 2), month, day


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in(month: int, year: int) -> int:
    if month == 2 and is_leap(year):
        return 29
    return _DAYS_BEFORE[month] - _DAYS_BEFORE[month - 1]


class Fields:
    """A time's calendar and clock fields in its own location (computed on demand)."""

    __slots__ = ("year", "month", "day", "yday", "weekday", "hour", "minute", "second",
                 "nsec", "abbr", "offset")
    year: int
    month: int
    day: int
    yday: int
    weekday: int
    hour: int
    minute: int
    second: int
    nsec: int
    abbr: str
    offset: int

    def __init__(self, t: Time) -> None:
        sec, self.nsec = divmod(t.ns, SECOND)
        self.abbr, self.offset = t.loc.lookup(sec)
        days, clock = divmod(sec + self.offset, 86400)
        self.year, self.month, self.day = civil_from_days(days)
        self.yday = days - days_from_civil(self.year, 1, 1) + 1
        self.weekday = (days + 4) % 7  # 1970-01-01 was a Thursday
        self.hour, rest = divmod(clock, 3600)
        self.minute, self.second = divmod(rest, 60)


# ---------------------------------------------------------------- the time value

class Time:
    """Tengo's `time` value: `ns` nanoseconds since the Unix epoch, shown in `loc`."""

    __slots__ = ("ns", "loc")
    TYPE_NAME = "time"

    def __init__(self, ns: int, loc: Location) -> None:
        self.ns = ns
        self.loc = loc

    def __eq__(self, other: object) -> bool:
        return type(other) is Time and other.ns == self.ns

    def __hash__(self) -> int:
        return hash(self.ns)

    def __repr__(self) -> str:
        return f"Time({self.go_string()!r})"

    def is_falsy(self) -> bool:
        """The zero time (January 1, year 1, UTC) is falsy, as in Go Tengo."""
        return self.ns == ZERO_NS

    def go_string(self) -> str:
        """Go's `time.Time.String()`, e.g. `2009-11-10 23:00:00 +0000 UTC`."""
        return format_time(self, STRING_LAYOUT)

    def binary_op(self, op: str, rhs: Any) -> Any:
        """Tengo's operators on a time: `t + int`, `t - int`, `t - t`, `<`, `<=`, `>`, `>=`.

        Other pairs return NotImplemented: the runtime then reports Tengo's
        `invalid operation: time OP TYPE`.
        """
        if type(rhs) is int:
            if op == "+":
                return self if rhs == 0 else Time(self.ns + rhs, self.loc)
            if op == "-":
                return self if rhs == 0 else Time(self.ns + wrap_int(-rhs), self.loc)
        elif type(rhs) is Time:
            compare = _TIME_COMPARISONS.get(op)
            if compare is not None:
                return compare(self.ns, rhs.ns)
            if op == "-":
                return clamp_duration(self.ns - rhs.ns)
        return NotImplemented


_TIME_COMPARISONS: dict[str, Callable[[int, int], bool]] = {
    "<": int.__lt__,
    "<=": int.__le__,
    ">": int.__gt__,
    ">=": int.__ge__,
}


def clamp_duration(d: int) -> int:
    """Go's `Time.Sub` saturates at the int64 limits instead of wrapping."""
    return INT_MIN if d < INT_MIN else INT_MAX if d > INT_MAX else d


def make_date(year: int, month: int, day: int, hour: int, minute: int, sec: int, nsec: int,
              loc: Location) -> Time:
    """Go's `time.Date`: out-of-range fields normalize (month 13 is January next year)."""
    carry, month0 = divmod(month - 1, 12)
    days = days_from_civil(year + carry, month0 + 1, 1) + day - 1
    local = ((days * 24 + hour) * 60 + minute) * 60 + sec
    local_ns = local * SECOND + nsec
    unix = local_ns // SECOND
    _, offset = loc.lookup(unix)
    if offset != 0:
        # The offset at the wall time read as UTC may be the wrong side of a transition.
        _, offset = loc.lookup(unix - offset)
    return Time(local_ns - offset * SECOND, loc)


# ---------------------------------------------------------------- layouts

(LONG_MONTH, MONTH, NUM_MONTH, ZERO_MONTH, LONG_WEEKDAY, WEEKDAY, DAY_OF_MONTH, UNDER_DAY,
 ZERO_DAY, UNDER_YEAR_DAY, ZERO_YEAR_DAY, HOUR24, HOUR12, ZERO_HOUR12, MINUTE_1, ZERO_MINUTE,
 SECOND_1, ZERO_SECOND, LONG_YEAR, YEAR, PM_UPPER, PM_LOWER, TZ_NAME, ISO_TZ, ISO_SECONDS_TZ,
 ISO_SHORT_TZ, ISO_COLON_TZ, ISO_COLON_SECONDS_TZ, NUM_TZ, NUM_SECONDS_TZ, NUM_SHORT_TZ,
 NUM_COLON_TZ, NUM_COLON_SECONDS_TZ, FRAC0, FRAC9) = range(1, 36)

_ISO_TZ = frozenset({ISO_TZ, ISO_SECONDS_TZ, ISO_SHORT_TZ, ISO_COLON_TZ, ISO_COLON_SECONDS_TZ})
_NUMERIC_TZ = _ISO_TZ | {NUM_TZ, NUM_SECONDS_TZ, NUM_SHORT_TZ, NUM_COLON_TZ,
                         NUM_COLON_SECONDS_TZ}
_TZ_SHAPE = {  # std -> (has colon, has minutes, has seconds)
    ISO_TZ: (False, True, False), NUM_TZ: (False, True, False),
    ISO_SECONDS_TZ: (False, True, True), NUM_SECONDS_TZ: (False, True, True),
    ISO_SHORT_TZ: (False, False, False), NUM_SHORT_TZ: (False, False, False),
    ISO_COLON_TZ: (True, True, False), NUM_COLON_TZ: (True, True, False),
    ISO_COLON_SECONDS_TZ: (True, True, True), NUM_COLON_SECONDS_TZ: (True, True, True),
}

# Candidates by first character, tried in order. A `True` flag means the element only
# counts when the next character is not a lower-case letter ("Jan" but not "Janet").
_ELEMENTS: dict[str, tuple[tuple[str, int, bool], ...]] = {
    "J": (("January", LONG_MONTH, False), ("Jan", MONTH, True)),
    "M": (("Monday", LONG_WEEKDAY, False), ("Mon", WEEKDAY, True), ("MST", TZ_NAME, False)),
    "0": (("01", ZERO_MONTH, False), ("02", ZERO_DAY, False), ("03", ZERO_HOUR12, False),
          ("04", ZERO_MINUTE, False), ("05", ZERO_SECOND, False), ("06", YEAR, False),
          ("002", ZERO_YEAR_DAY, False)),
    "1": (("15", HOUR24, False), ("1", NUM_MONTH, False)),
    "2": (("2006", LONG_YEAR, False), ("2", DAY_OF_MONTH, False)),
    "_": (("_2006", LONG_YEAR, False), ("_2", UNDER_DAY, False),
          ("__2", UNDER_YEAR_DAY, False)),
    "3": (("3", HOUR12, False),),
    "4": (("4", MINUTE_1, False),),
    "5": (("5", SECOND_1, False),),
    "P": (("PM", PM_UPPER, False),),
    "p": (("pm", PM_LOWER, False),),
    "-": (("-070000", NUM_SECONDS_TZ, False), ("-07:00:00", NUM_COLON_SECONDS_TZ, False),
          ("-0700", NUM_TZ, False), ("-07:00", NUM_COLON_TZ, False),
          ("-07", NUM_SHORT_TZ, False)),
    "Z": (("Z070000", ISO_SECONDS_TZ, False), ("Z07:00:00", ISO_COLON_SECONDS_TZ, False),
          ("Z0700", ISO_TZ, False), ("Z07:00", ISO_COLON_TZ, False),
          ("Z07", ISO_SHORT_TZ, False)),
}


class Chunk:
    """One layout element with the literal text before it (`std` 0: trailing text only)."""

    __slots__ = ("prefix", "std", "text", "digits", "sep")

    def __init__(self, prefix: str, std: int, text: str, digits: int = 0, sep: str = ".") -> None:
        self.prefix = prefix
        self.std = std
        self.text = text  # the element as written in the layout, for parse errors
        self.digits = digits  # fractional-second digits
        self.sep = sep  # fractional-second separator, "." or ","


def _match_at(layout: str, i: int) -> tuple[int, int, int, int] | None:
    """The element starting at `i`: (literal end, std, element end, digits), or None."""
    c = layout[i]
    if c in ".,":
        return _match_fraction(layout, i)
    for text, std, needs_boundary in _ELEMENTS.get(c, ()):
        if not layout.startswith(text, i):
            continue
        end = i + len(text)
        if needs_boundary and end < len(layout) and "a" <= layout[end] <= "z":
            continue
        if text == "_2006":  # a literal "_" followed by the long year
            return i + 1, std, end, 0
        return i, std, end, 0
    return None


def _match_fraction(layout: str, i: int) -> tuple[int, int, int, int] | None:
    if i + 1 >= len(layout) or layout[i + 1] not in "09":
        return None
    digit = layout[i + 1]
    j = i + 1
    while j < len(layout) and layout[j] == digit:
        j += 1
    if j < len(layout) and layout[j].isascii() and layout[j].isdigit():
        return None  # a run of digits that is not all one kind is not a fraction
    return i, FRAC0 if digit == "0" else FRAC9, j, j - (i + 1)


_CACHED_LAYOUT_LEN = 128  # longer layouts are not kept (the cache outlives executions)


def compile_layout(layout: str) -> tuple[Chunk, ...]:
    """Split a Go layout into elements; the last chunk (std 0) holds any trailing text."""
    if len(layout) <= _CACHED_LAYOUT_LEN:
        return _compile_layout_cached(layout)
    return _compile_layout(layout)


@lru_cache(maxsize=128)
def _compile_layout_cached(layout: str) -> tuple[Chunk, ...]:
    return _compile_layout(layout)


def _compile_layout(layout: str) -> tuple[Chunk, ...]:
    chunks: list[Chunk] = []
    start = i = 0
    while i < len(layout):
        found = _match_at(layout, i)
        if found is None:
            i += 1
            continue
        literal_end, std, end, digits = found
        chunks.append(Chunk(layout[start:literal_end], std, layout[literal_end:end],
                            digits, layout[i] if std in (FRAC0, FRAC9) else "."))
        start = i = end
    chunks.append(Chunk(layout[start:], 0, ""))
    return tuple(chunks)


# ---------------------------------------------------------------- formatting

def _pad(n: int, width: int) -> str:
    """Go's appendInt: the sign, then the digits zero-padded to `width`."""
    digits = str(abs(n)).rjust(width, "0")
    return "-" + digits if n < 0 else digits


def _hour12(f: Fields) -> int:
    return f.hour % 12 or 12


def _quo(a: int, b: int) -> int:
    """Go's integer division (truncates toward zero)."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _format_zone(std: int, offset: int) -> str:
    if offset == 0 and std in _ISO_TZ:
        return "Z"
    colon, minutes, seconds = _TZ_SHAPE[std]
    zone = _quo(offset, 60)
    sign, absolute = "+", offset
    if zone < 0:
        sign, zone, absolute = "-", -zone, -offset
    out = sign + _pad(zone // 60, 2)
    if minutes:
        out += (":" if colon else "") + _pad(zone % 60, 2)
    if seconds:
        # Go's remainder keeps the dividend's sign (odd sub-minute negative offsets).
        out += (":" if colon else "") + _pad(absolute - _quo(absolute, 60) * 60, 2)
    return out


def _format_tz_name(f: Fields) -> str:
    if f.abbr:
        return f.abbr
    zone = _quo(f.offset, 60)
    sign = "-" if zone < 0 else "+"
    zone = abs(zone)
    return sign + _pad(zone // 60, 2) + _pad(zone % 60, 2)


def _format_fraction(nsec: int, chunk: Chunk) -> str:
    digits = str(nsec).rjust(9, "0")[: min(chunk.digits, 9)]
    if chunk.std == FRAC9:
        digits = digits.rstrip("0")
        if not digits:
            return ""
    return chunk.sep + digits


_FORMATTERS: dict[int, Callable[[Fields], str]] = {
    YEAR: lambda f: _pad(abs(f.year) % 100, 2),
    LONG_YEAR: lambda f: _pad(f.year, 4),
    MONTH: lambda f: SHORT_MONTH_NAMES[f.month - 1],
    LONG_MONTH: lambda f: MONTH_NAMES[f.month - 1],
    NUM_MONTH: lambda f: str(f.month),
    ZERO_MONTH: lambda f: _pad(f.month, 2),
    WEEKDAY: lambda f: SHORT_DAY_NAMES[f.weekday],
    LONG_WEEKDAY: lambda f: DAY_NAMES[f.weekday],
    DAY_OF_MONTH: lambda f: str(f.day),
    UNDER_DAY: lambda f: str(f.day).rjust(2),
    ZERO_DAY: lambda f: _pad(f.day, 2),
    UNDER_YEAR_DAY: lambda f: str(f.yday).rjust(3),
    ZERO_YEAR_DAY: lambda f: _pad(f.yday, 3),
    HOUR24: lambda f: _pad(f.hour, 2),
    HOUR12: lambda f: str(_hour12(f)),
    ZERO_HOUR12: lambda f: _pad(_hour12(f), 2),
    MINUTE_1: lambda f: str(f.minute),
    ZERO_MINUTE: lambda f: _pad(f.minute, 2),
    SECOND_1: lambda f: str(f.second),
    ZERO_SECOND: lambda f: _pad(f.second, 2),
    PM_UPPER: lambda f: "PM" if f.hour >= 12 else "AM",
    PM_LOWER: lambda f: "pm" if f.hour >= 12 else "am",
    TZ_NAME: _format_tz_name,
}


def format_time(t: Time, layout: str) -> str:
    """Go's `Time.Format(layout)`."""
    f = Fields(t)
    out: list[str] = []
    for chunk in compile_layout(layout):
        out.append(chunk.prefix)
        std = chunk.std
        if std in (FRAC0, FRAC9):
            out.append(_format_fraction(f.nsec, chunk))
        elif std in _NUMERIC_TZ:
            out.append(_format_zone(std, f.offset))
        elif std:
            out.append(_FORMATTERS[std](f))
    return "".join(out)


# ---------------------------------------------------------------- parsing

class _Bad(Exception):
    """A value element did not match its layout element (Go's internal errBad).

    `rest` is the unparsed value Go reports when it had already consumed some of it.
    """

    def __init__(self, rest: str | None = None) -> None:
        super().__init__()
        self.rest = rest


def _atoi_or_bad(text: str, rest: str) -> int:
    try:
        return _atoi(text)
    except _Bad:
        raise _Bad(rest) from None


def go_time_quote(s: str) -> str:
    """Go's `time` package quoting: bytes outside printable ASCII become `\\xNN`.

    `s` holds one character per byte (latin-1), as everywhere in the parser.
    """
    out = ['"']
    for ch in s:
        c = ord(ch)
        if c >= 0x80 or c < 0x20:
            out.append(f"\\x{c:02x}")
        else:
            out.append("\\" + ch if ch in '"\\' else ch)
    out.append('"')
    return "".join(out)


def _is_digit(s: str, i: int) -> bool:
    return i < len(s) and "0" <= s[i] <= "9"


def _leading_int(s: str) -> tuple[int, str]:
    """Consume leading decimal digits; raise `_Bad` past 2**63 like Go's leadingInt."""
    i = 0
    x = 0
    while i < len(s) and "0" <= s[i] <= "9":
        x = x * 10 + ord(s[i]) - 48
        if x > 1 << 63:
            raise _Bad
        i += 1
    return x, s[i:]


def _atoi(s: str) -> int:
    neg = False
    if s and s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    x, rest = _leading_int(s)
    if rest:
        raise _Bad
    return wrap_int(-x if neg else x)


def _getnum(s: str, fixed: bool) -> tuple[int, str]:
    if not _is_digit(s, 0):
        raise _Bad
    if not _is_digit(s, 1):
        if fixed:
            raise _Bad
        return ord(s[0]) - 48, s[1:]
    return int(s[:2]), s[2:]


def _getnum3(s: str, fixed: bool) -> tuple[int, str]:
    i = 0
    while i < 3 and _is_digit(s, i):
        i += 1
    if i == 0 or (fixed and i != 3):
        raise _Bad
    return int(s[:i]), s[i:]


def _lookup_name(table: tuple[str, ...], value: str) -> tuple[int, str]:
    """Index of the table entry `value` starts with (ASCII letters match in any case)."""
    for i, name in enumerate(table):
        head = value[: len(name)]
        if len(head) == len(name) and _same_letters(head, name):
            return i, value[len(name):]
    raise _Bad


def _same_letters(a: str, b: str) -> bool:
    for x, y in zip(a, b, strict=True):
        if x != y:
            lx, ly = ord(x) | 0x20, ord(y) | 0x20
            if lx != ly or not 0x61 <= lx <= 0x7A:
                return False
    return True


def _skip(value: str, prefix: str) -> str:
    """Remove the literal `prefix` from `value`; a run of spaces matches any run of spaces.

    On a mismatch Go reports the value from the first character that differs.
    """
    while prefix:
        if prefix[0] == " ":
            if value and value[0] != " ":
                raise _Bad(value)
            prefix = prefix.lstrip(" ")
            value = value.lstrip(" ")
            continue
        if not value or value[0] != prefix[0]:
            raise _Bad(value)
        prefix, value = prefix[1:], value[1:]
    return value


def _parse_nanoseconds(value: str, nbytes: int) -> tuple[int, str]:
    """(nanoseconds, range error) from a separator and digits; Go keeps at most 9 digits."""
    if value[0] not in ".,":
        raise _Bad
    nbytes = min(nbytes, 10)
    ns = _atoi(value[1:nbytes])
    if ns < 0:
        return 0, "fractional second"
    return ns * 10 ** (10 - nbytes), ""


def _time_zone_length(value: str) -> int:
    """Length of the zone abbreviation at the start of `value`, 0 if there is none."""
    if len(value) < 3:
        return 0
    if value[:4] in ("ChST", "MeST"):
        return 4
    if value[:3] == "GMT":
        return 3 + _signed_offset_length(value[3:]) if len(value) > 3 else 3
    if value[0] in "+-":
        return _signed_offset_length(value)
    upper = 0
    while upper < min(len(value), 6) and "A" <= value[upper] <= "Z":
        upper += 1
    if upper == 3:
        return 3
    if upper == 4 and (value[3] == "T" or value[:4] == "WITA"):
        return 4
    if upper == 5 and value[4] == "T":
        return 5
    return 0


def _signed_offset_length(value: str) -> int:
    if not value or value[0] not in "+-":
        return 0
    try:
        x, rest = _leading_int(value[1:])
    except _Bad:
        return 0
    if rest == value[1:] or x > 23:
        return 0
    return len(value) - len(rest)


class _Parsed:
    """The fields a parse has gathered so far (Go's locals in time.parse)."""

    __slots__ = ("year", "month", "day", "yday", "hour", "minute", "second", "nsec",
                 "zone", "zone_offset", "zone_name", "am", "pm", "range_error")

    def __init__(self) -> None:
        self.year = self.hour = self.minute = self.second = self.nsec = 0
        self.month = self.day = self.yday = self.zone_offset = -1
        self.zone: Location | None = None
        self.zone_name = ""
        self.am = self.pm = False
        self.range_error = ""


class ParseError(Exception):
    """Go's `time.ParseError`; `str()` is Go's message."""


def _parse_error(layout: str, value: str, elem: str, rest: str, message: str = "") -> ParseError:
    head = "parsing time " + go_time_quote(value)
    if message:
        return ParseError(head + message)
    return ParseError(head + " as " + go_time_quote(layout) + ": cannot parse "
                      + go_time_quote(rest) + " as " + go_time_quote(elem))


def _parse_year(p: _Parsed, value: str, chunk: Chunk, nxt: int) -> str:
    if len(value) < 2:
        raise _Bad
    p.year = _atoi(value[:2])
    p.year += 1900 if p.year >= 69 else 2000
    return value[2:]


def _parse_long_year(p: _Parsed, value: str, chunk: Chunk, nxt: int) -> str:
    if len(value) < 4 or not _is_digit(value, 0):
        raise _Bad
    p.year = _atoi_or_bad(value[:4], value[4:])
    return value[4:]


def _parse_month_name(p: _Parsed, value: str, chunk: Chunk, nxt: int) -> str:
    table = SHORT_MONTH_NAMES if chunk.std == MONTH else MONTH_NAMES
    index, rest = _lookup_name(table, value)
    p.month = index + 1
    return rest


def _parse_num_month(p: _Parsed, value: str, chunk: Chunk, nxt: int) -> str:
    p.month, rest = _getnum(value, chunk.std == ZERO_MONTH)
    if not 0 < p.month <= 12:
        p.range_error = "month"
    return rest


def _parse_weekday(p: _Parsed, value: str, chunk: Chunk, nxt: int) -> str:
    return _lookup_name(SHORT_DAY_NAMES if chunk.std == WEEKDAY else DAY_NAMES, value)[1]


def _parse_day(p: _Parsed, value: str, chunk: Chunk, nxt: int) -> str:
    if chunk.std == UNDER_DAY and value[:1] == " ":
        value = value[1:]
    try:
        p.day, rest = _getnum(value, chunk.std == ZERO_DAY)
    except _Bad:
        raise _Bad(value) from None
    return rest


def _parse_year_day(p: _Parsed, value: str, chunk: Chunk, nxt: int) -> str:
    if chunk.std == UNDER_YEAR_DAY:
        for _ in range(2):
            if value[:1] == " ":
                value = value[1:]
    try:
        p.yday, rest = _getnum3(value, chunk.std == ZERO_YEAR_DAY)
    except _Bad:
        raise _Bad(value) from None
    return rest


def _parse_hour(p: _Parsed, value: str, chunk: Chunk, nxt: int) -> str:
    p.hour, rest = _getnum(value, chunk.std == ZERO_HOUR12)
    if p.hour >= (24 if chunk.std == HOUR24 else 13):
        p.range_error = "hour"
    return rest


def _parse_minute(p: _Parsed, value: str, chunk: Chunk, nxt: int) -> str:
    p.minute, rest = _getnum(value, chunk.std == ZERO_MINUTE)
    if p.minute >= 60:
        p.range_error = "minute"
    return rest


def _parse_second(p: _Parsed, value: str, chunk: Chunk, nxt: int) -> str:
    bad = False
    try:
        p.second, value = _getnum(value, chunk.std == ZERO_SECOND)
    except _Bad:
        p.second, bad = 0, True  # Go goes on to look for a fraction, which may clear this
    if p.second >= 60:
        p.range_error = "second"
        return value
    fraction = len(value) >= 2 and value[0] in ".," and _is_digit(value, 1)
    if fraction and nxt not in (FRAC0, FRAC9):
        n = 2
        while _is_digit(value, n):
            n += 1
        return _take_fraction(p, value, n)
    if bad:
        raise _Bad
    return value


def _parse_pm(p: _Parsed, value: str, chunk: Chunk, nxt: int) -> str:
    if len(value) < 2:
        raise _Bad
    word, rest = value[:2], value[2:]
    upper = chunk.std == PM_UPPER
    if word == ("PM" if upper else "pm"):
        p.pm = True
    elif word == ("AM" if upper else "am"):
        p.am = True
    else:
        raise _Bad(rest)
    return rest


def _parse_numeric_zone(p: _Parsed, value: str, chunk: Chunk, nxt: int) -> str:
    std = chunk.std
    if std in (ISO_TZ, ISO_SHORT_TZ, ISO_COLON_TZ) and value[:1] == "Z":
        p.zone = UTC
        return value[1:]
    colon, minutes, seconds = _TZ_SHAPE[std]
    width = 3 + (2 if minutes else 0) + (2 if seconds else 0)
    width += (1 if minutes else 0) + (1 if seconds else 0) if colon else 0
    if len(value) < width:
        raise _Bad
    if colon and (value[3] != ":" or (seconds and value[6] != ":")):
        raise _Bad
    step = 3 if colon else 2
    hh = value[1:3]
    mm = value[1 + step : 3 + step] if minutes else "00"
    ss = value[1 + 2 * step : 3 + 2 * step] if seconds else "00"
    rest = value[width:]
    offset = (_atoi_or_bad(hh, rest) * 60 + _atoi_or_bad(mm, rest)) * 60 + _atoi_or_bad(ss, rest)
    if value[0] not in "+-":
        raise _Bad(rest)
    p.zone_offset = -offset if value[0] == "-" else offset
    return rest


def _parse_zone_name(p: _Parsed, value: str, chunk: Chunk, nxt: int) -> str:
    if value[:3] == "UTC":
        p.zone = UTC
        return value[3:]
    n = _time_zone_length(value)
    if n == 0:
        raise _Bad
    p.zone_name = value[:n]
    return value[n:]


def _parse_frac0(p: _Parsed, value: str, chunk: Chunk, nxt: int) -> str:
    n = 1 + chunk.digits
    if len(value) < n:
        raise _Bad
    return _take_fraction(p, value, n)


def _take_fraction(p: _Parsed, value: str, n: int) -> str:
    """Parse `value[:n]` as a fraction of a second; Go consumes it even when it is bad."""
    try:
        p.nsec, p.range_error = _parse_nanoseconds(value, n)
    except _Bad:
        raise _Bad(value[n:]) from None
    return value[n:]


def _parse_frac9(p: _Parsed, value: str, chunk: Chunk, nxt: int) -> str:
    if len(value) < 2 or value[0] not in ".," or not _is_digit(value, 1):
        return value  # the fraction is optional
    i = 0
    while i < 9 and _is_digit(value, i + 1):
        i += 1
    return _take_fraction(p, value, 1 + i)


_ElementParser = Callable[[_Parsed, str, Chunk, int], str]
_PARSERS: dict[int, _ElementParser] = {
    YEAR: _parse_year,
    LONG_YEAR: _parse_long_year,
    MONTH: _parse_month_name,
    LONG_MONTH: _parse_month_name,
    NUM_MONTH: _parse_num_month,
    ZERO_MONTH: _parse_num_month,
    WEEKDAY: _parse_weekday,
    LONG_WEEKDAY: _parse_weekday,
    DAY_OF_MONTH: _parse_day,
    UNDER_DAY: _parse_day,
    ZERO_DAY: _parse_day,
    UNDER_YEAR_DAY: _parse_year_day,
    ZERO_YEAR_DAY: _parse_year_day,
    HOUR24: _parse_hour,
    HOUR12: _parse_hour,
    ZERO_HOUR12: _parse_hour,
    MINUTE_1: _parse_minute,
    ZERO_MINUTE: _parse_minute,
    SECOND_1: _parse_second,
    ZERO_SECOND: _parse_second,
    PM_UPPER: _parse_pm,
    PM_LOWER: _parse_pm,
    TZ_NAME: _parse_zone_name,
    FRAC0: _parse_frac0,
    FRAC9: _parse_frac9,
    **{std: _parse_numeric_zone for std in _NUMERIC_TZ},
}


def parse_time(layout: str, value: str) -> Time:
    """Go's `time.Parse(layout, value)`; raises `ParseError` with Go's message.

    Works on one character per byte (latin-1) so that lengths and error texts count
    bytes exactly as Go does.
    """
    blayout = to_bytes(layout).decode("latin-1")
    bvalue = rest = to_bytes(value).decode("latin-1")
    chunks = compile_layout(blayout)
    p = _Parsed()
    for i, chunk in enumerate(chunks):
        try:
            rest = _skip(rest, chunk.prefix)
        except _Bad as exc:
            raise _parse_error(blayout, bvalue, chunk.prefix, exc.rest or "") from None
        if chunk.std == 0:
            if rest:
                raise _parse_error(blayout, bvalue, "", rest,
                                   ": extra text: " + go_time_quote(rest))
            break
        nxt = chunks[i + 1].std
        try:
            rest = _PARSERS[chunk.std](p, rest, chunk, nxt)
            bad = False
        except _Bad as exc:
            bad = True
            rest = rest if exc.rest is None else exc.rest
        if p.range_error:
            raise _parse_error(blayout, bvalue, chunk.text, rest,
                               ": " + p.range_error + " out of range")
        if bad:
            raise _parse_error(blayout, bvalue, chunk.text, rest)
    return _assemble(p, blayout, bvalue, rest)


def _resolve_year_day(p: _Parsed, fail: Callable[[str], ParseError]) -> None:
    yday, month, day = p.yday, 0, 0
    if is_leap(p.year):
        if yday == 31 + 29:
            month, day = 2, 29
        elif yday > 31 + 29:
            yday -= 1
    if yday < 1 or yday > 365:
        raise fail(": day-of-year out of range")
    if month == 0:
        month = (yday - 1) // 31 + 1
        if _DAYS_BEFORE[month] < yday:
            month += 1
        day = yday - _DAYS_BEFORE[month - 1]
    if p.month >= 0 and p.month != month:
        raise fail(": day-of-year does not match month")
    if p.day >= 0 and p.day != day:
        raise fail(": day-of-year does not match day")
    p.month, p.day = month, day


def _assemble(p: _Parsed, layout: str, value: str, rest: str) -> Time:
    def fail(message: str) -> ParseError:
        return _parse_error(layout, value, "", rest, message)

    if p.pm and p.hour < 12:
        p.hour += 12
    elif p.am and p.hour == 12:
        p.hour = 0
    if p.yday >= 0:
        _resolve_year_day(p, fail)
    else:
        p.month = 1 if p.month < 0 else p.month
        p.day = 1 if p.day < 0 else p.day
    if p.day < 1 or p.day > days_in(p.month, p.year):
        raise fail(": day out of range")
    fields = (p.year, p.month, p.day, p.hour, p.minute, p.second, p.nsec)
    if p.zone is not None:
        return make_date(*fields, p.zone)
    t = make_date(*fields, UTC)
    name = from_bytes(p.zone_name.encode("latin-1"))
    if p.zone_offset != -1:
        t.ns -= p.zone_offset * SECOND
        local_abbr, local_offset = LOCAL.lookup(t.ns // SECOND)
        if p.zone_offset == local_offset and name in ("", local_abbr):
            t.loc = LOCAL
        else:
            t.loc = fixed_zone(name, p.zone_offset)
        return t
    if name:
        if name == LOCAL.abbr:  # the only abbreviation the sandbox's Local zone knows
            t.loc = LOCAL
            return t
        offset = 0
        if len(name) > 3 and name[:3] == "GMT":
            offset = _atoi(name[3:]) * 3600
        t.loc = fixed_zone(name, offset)
        return t
    return t


# ---------------------------------------------------------------- durations

_UNITS = {
    "ns": NANOSECOND, "us": MICROSECOND, "\u00b5s": MICROSECOND, "\u03bcs": MICROSECOND,
    "ms": MILLISECOND, "s": SECOND, "m": MINUTE, "h": HOUR,
}


def duration_string(d: int) -> str:
    """Go's `time.Duration.String()`: `1h2m3.5s`, `1.5µs`, `0s`."""
    if d == 0:
        return "0s"
    sign = "-" if d < 0 else ""
    u = abs(d)
    if u < SECOND:
        for unit, size, name in ((MICROSECOND, 1, "ns"), (MILLISECOND, 1000, "\u00b5s"),
                                 (SECOND, 1000000, "ms")):
            if u < unit:
                return sign + _decimal(u, size) + name
    hours, rest = divmod(u, HOUR)
    minutes, rest = divmod(rest, MINUTE)
    seconds = _decimal(rest, SECOND) + "s"
    if hours:
        return f"{sign}{hours}h{minutes}m{seconds}"
    if minutes:
        return f"{sign}{minutes}m{seconds}"
    return sign + seconds


def _decimal(n: int, scale: int) -> str:
    """`n / scale` in decimal without trailing zeros (scale is a power of ten)."""
    whole, frac = divmod(n, scale)
    if frac == 0:
        return str(whole)
    width = len(str(scale)) - 1
    return f"{whole}." + str(frac).rjust(width, "0").rstrip("0")


def parse_duration(s: str) -> int:
    """Go's `time.ParseDuration`, e.g. `1h2m3.5s`, `-1.5h`, `300ms`.

    Bad text is a runtime error carrying Go's message: Go Tengo returns the Go error itself
    (the error value it also builds is discarded), as for `parse` and unknown locations.
    """
    raw = to_bytes(s).decode("latin-1")
    invalid = RuntimeErr(_utf8("time: invalid duration " + go_time_quote(raw)))
    rest, neg = raw, False
    if rest and rest[0] in "+-":
        neg, rest = rest[0] == "-", rest[1:]
    if rest == "0":
        return 0
    if not rest:
        raise invalid
    total = 0
    while rest:
        amount, rest = _duration_term(rest, raw)
        if amount is None:
            raise invalid
        total += amount
        if total > 1 << 63:
            raise invalid
    if not neg and total > INT_MAX:
        raise invalid
    return wrap_int(-total if neg else total)


def _utf8(text: str) -> str:
    """Back from one-char-per-byte (latin-1) text to a Tengo string."""
    return from_bytes(text.encode("latin-1"))


def _duration_term(s: str, raw: str) -> tuple[int | None, str]:
    """One `<number><unit>` term: (nanoseconds or None when invalid, rest of the text)."""
    if not (s[0] == "." or "0" <= s[0] <= "9"):
        return None, s
    try:
        whole, rest = _leading_int(s)
    except _Bad:
        return None, s
    has_whole = len(rest) != len(s)
    frac, scale, has_frac = 0, 1.0, False
    if rest[:1] == ".":
        rest = rest[1:]
        digits = len(rest) - len(rest.lstrip("0123456789"))
        frac, scale = _leading_fraction(rest[:digits])
        rest, has_frac = rest[digits:], digits > 0
    if not has_whole and not has_frac:
        return None, rest
    unit_len = 0
    while unit_len < len(rest) and not (rest[unit_len] == "." or "0" <= rest[unit_len] <= "9"):
        unit_len += 1
    if unit_len == 0:
        raise RuntimeErr(_utf8("time: missing unit in duration " + go_time_quote(raw)))
    unit_text = rest[:unit_len]
    unit = _UNITS.get(_utf8(unit_text))
    if unit is None:
        raise RuntimeErr(_utf8("time: unknown unit " + go_time_quote(unit_text)
                               + " in duration " + go_time_quote(raw)))
    if whole > (1 << 63) // unit:
        return None, rest
    amount = whole * unit
    if frac > 0:
        amount += int(float(frac) * (float(unit) / scale))  # Go rounds through float64 here
        if amount > 1 << 63:
            return None, rest
    return amount, rest[unit_len:]


def _leading_fraction(digits: str) -> tuple[int, float]:
    """The fraction digits as (numerator, scale), keeping as many as fit in 63 bits."""
    x, scale = 0, 1.0
    for ch in digits:
        if x > ((1 << 63) - 1) // 10:
            break
        y = x * 10 + ord(ch) - 48
        if y > 1 << 63:
            break
        x, scale = y, scale * 10
    return x, scale


def duration_float(d: int, unit: int) -> float:
    """Go's Duration.Hours/Minutes/Seconds: whole units plus the remainder as a fraction."""
    whole = abs(d) // unit
    rest = abs(d) - whole * unit
    if d < 0:
        whole, rest = -whole, -rest
    return float(whole) + float(rest) / float(unit)


def month_string(m: int) -> str:
    """Go's `time.Month.String()`, including its `%!Month(n)` for out-of-range values."""
    if 1 <= m <= 12:
        return MONTH_NAMES[m - 1]
    return f"%!Month({m & 0xFFFFFFFFFFFFFFFF})"


# ---------------------------------------------------------------- argument checks

def _want(n: int, args: tuple[Any, ...]) -> None:
    if len(args) != n:
        raise RuntimeErr("wrong number of arguments")


def _int_arg(args: tuple[Any, ...], i: int) -> int:
    v = convert.to_int(args[i])
    if v is None:
        raise arg_error(i, "int(compatible)", args[i])
    return v


def _str_arg(args: tuple[Any, ...], i: int) -> str:
    v = convert.to_string(args[i])
    if v is None:
        raise arg_error(i, "string(compatible)", args[i])
    return v


def _time_arg(args: tuple[Any, ...], i: int) -> Time:
    """Go Tengo's ToTime: a time, or an int read as Unix seconds in Local."""
    v = args[i]
    if type(v) is Time:
        return v
    if type(v) is int:
        return Time(v * SECOND, LOCAL)
    raise arg_error(i, "time(compatible)", v)


def _now_ns() -> int:
    return _clock.time_ns()


# ---------------------------------------------------------------- module functions

def times_sleep(*args: Any) -> None:
    _want(1, args)
    remaining = _int_arg(args, 0) / SECOND
    end = _clock.monotonic() + remaining
    while remaining > 0:
        _clock.sleep(min(remaining, SLEEP_SLICE))
        remaining = end - _clock.monotonic()
    return None


def times_parse_duration(*args: Any) -> int:
    _want(1, args)
    return parse_duration(_str_arg(args, 0))


def times_since(*args: Any) -> int:
    _want(1, args)
    return clamp_duration(_now_ns() - _time_arg(args, 0).ns)


def times_until(*args: Any) -> int:
    _want(1, args)
    return clamp_duration(_time_arg(args, 0).ns - _now_ns())


def _duration_unit(unit: int) -> Callable[..., float]:
    def convert(*args: Any) -> float:
        _want(1, args)
        return duration_float(_int_arg(args, 0), unit)

    return convert


def times_duration_nanoseconds(*args: Any) -> int:
    _want(1, args)
    return _int_arg(args, 0)


def times_duration_string(*args: Any) -> str:
    _want(1, args)
    return duration_string(_int_arg(args, 0))


def times_month_string(*args: Any) -> str:
    _want(1, args)
    return month_string(_int_arg(args, 0))


def times_date(*args: Any) -> Time:
    if not 7 <= len(args) <= 8:
        raise RuntimeErr("wrong number of arguments")
    y, mo, d, h, mi, s, ns = (_int_arg(args, i) for i in range(7))
    loc = load_location(_str_arg(args, 7)) if len(args) == 8 else LOCAL
    return make_date(y, mo, d, h, mi, s, ns, loc)


def times_now(*args: Any) -> Time:
    _want(0, args)
    return Time(_now_ns(), LOCAL)


def times_parse(*args: Any) -> Time:
    _want(2, args)
    layout, value = _str_arg(args, 0), _str_arg(args, 1)
    try:
        return parse_time(layout, value)
    except ParseError as exc:
        raise RuntimeErr(_utf8(str(exc))) from None


def times_unix(*args: Any) -> Time:
    _want(2, args)
    return Time(_int_arg(args, 0) * SECOND + _int_arg(args, 1), LOCAL)


def times_add(*args: Any) -> Time:
    _want(2, args)
    t = _time_arg(args, 0)
    return Time(t.ns + _int_arg(args, 1), t.loc)


def times_add_date(*args: Any) -> Time:
    _want(4, args)
    t = _time_arg(args, 0)
    years, months, days = _int_arg(args, 1), _int_arg(args, 2), _int_arg(args, 3)
    f = Fields(t)
    return make_date(f.year + years, f.month + months, f.day + days, f.hour, f.minute,
                     f.second, f.nsec, t.loc)


def times_sub(*args: Any) -> int:
    _want(2, args)
    return clamp_duration(_time_arg(args, 0).ns - _time_arg(args, 1).ns)


def times_after(*args: Any) -> bool:
    _want(2, args)
    return _time_arg(args, 0).ns > _time_arg(args, 1).ns


def times_before(*args: Any) -> bool:
    _want(2, args)
    return _time_arg(args, 0).ns < _time_arg(args, 1).ns


def _field(getter: Callable[[Fields], int]) -> Callable[..., int]:
    def read(*args: Any) -> int:
        _want(1, args)
        return wrap_int(getter(Fields(_time_arg(args, 0))))

    return read


def times_time_unix(*args: Any) -> int:
    _want(1, args)
    return wrap_int(_time_arg(args, 0).ns // SECOND)


def times_time_unix_nano(*args: Any) -> int:
    _want(1, args)
    return wrap_int(_time_arg(args, 0).ns)


def times_time_format(*args: Any) -> str:
    _want(2, args)
    t = _time_arg(args, 0)
    layout = _str_arg(args, 1)
    # The widest growth is "2006" becoming a 19-digit year; everything else at most doubles.
    limits.check_alloc(5 * byte_len(layout) + 64)
    return format_time(t, layout)


def times_time_location(*args: Any) -> str:
    _want(1, args)
    return _time_arg(args, 0).loc.name


def times_time_string(*args: Any) -> str:
    _want(1, args)
    return _time_arg(args, 0).go_string()


def times_is_zero(*args: Any) -> bool:
    _want(1, args)
    return _time_arg(args, 0).is_falsy()


def times_to_local(*args: Any) -> Time:
    _want(1, args)
    return Time(_time_arg(args, 0).ns, LOCAL)


def times_to_utc(*args: Any) -> Time:
    _want(1, args)
    return Time(_time_arg(args, 0).ns, UTC)


def times_in_location(*args: Any) -> Time:
    _want(2, args)
    t = _time_arg(args, 0)
    return Time(t.ns, load_location(_str_arg(args, 1)))


_CONSTANTS: dict[str, Any] = {
    **LAYOUTS,
    "nanosecond": NANOSECOND,
    "microsecond": MICROSECOND,
    "millisecond": MILLISECOND,
    "second": SECOND,
    "minute": MINUTE,
    "hour": HOUR,
    **{name.lower(): i + 1 for i, name in enumerate(MONTH_NAMES)},
}

_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "sleep": times_sleep,
    "parse_duration": times_parse_duration,
    "since": times_since,
    "until": times_until,
    "duration_hours": _duration_unit(HOUR),
    "duration_minutes": _duration_unit(MINUTE),
    "duration_nanoseconds": times_duration_nanoseconds,
    "duration_seconds": _duration_unit(SECOND),
    "duration_string": times_duration_string,
    "month_string": times_month_string,
    "date": times_date,
    "now": times_now,
    "parse": times_parse,
    "unix": times_unix,
    "add": times_add,
    "add_date": times_add_date,
    "sub": times_sub,
    "after": times_after,
    "before": times_before,
    "time_year": _field(lambda f: f.year),
    "time_month": _field(lambda f: f.month),
    "time_day": _field(lambda f: f.day),
    "time_weekday": _field(lambda f: f.weekday),
    "time_hour": _field(lambda f: f.hour),
    "time_minute": _field(lambda f: f.minute),
    "time_second": _field(lambda f: f.second),
    "time_nanosecond": _field(lambda f: f.nsec),
    "time_unix": times_time_unix,
    "time_unix_nano": times_time_unix_nano,
    "time_format": times_time_format,
    "time_location": times_time_location,
    "time_string": times_time_string,
    "is_zero": times_is_zero,
    "to_local": times_to_local,
    "to_utc": times_to_utc,
    "in_location": times_in_location,
}


for _name, _fn in _FUNCTIONS.items():
    tengo_name(_name, _fn)


def module() -> dict[str, Any]:
    """The members of `import("times")`."""
    return {**_CONSTANTS, **_FUNCTIONS}
