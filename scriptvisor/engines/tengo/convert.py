"""Tengo's value conversions (`ToInt64`, `ToFloat64`, `ToBool`, `ToRune`, `ToByteSlice`,
`ToString`) with Go's exact parsing rules.

What is easy to get wrong, all checked against Go Tengo:
- `int("12")` uses `strconv.ParseInt(s, 10, 64)`: optional sign and ASCII digits only, so
  `"0x1F"`, `" 12"`, `"1_000"` and out-of-range text are not ints.
- `int(1.9)` truncates; a NaN or out-of-range float becomes minInt (what amd64 does).
- `float("...")` uses `strconv.ParseFloat`: `"1e3"`, `".5"`, `"5."`, `"1_000"`, hex floats
  with a `p` exponent, `inf`/`infinity`/`nan` in any case (but not `"+nan"`); no spaces;
  overflow (`"1e400"`) fails while underflow gives 0. `float(true)` and `float('a')` fail.
- `char(n)` keeps the low 32 bits of an int as a signed rune; a rune that is not valid
  Unicode prints as U+FFFD.
"""

from __future__ import annotations

import math
import re
from typing import Any

from scriptvisor.engines import limits
from scriptvisor.engines.tengo import values
from scriptvisor.engines.tengo.values import (
    INT_MAX,
    INT_MIN,
    Array,
    Char,
    Error,
    ImmutableArray,
    ImmutableMap,
)
from scriptvisor.engines.tengo.values import rune_text as rune_text  # callers use convert.rune_text

MAX_RUNE = 0x10FFFF
RUNE_ERROR = "\ufffd"

_INT_TEXT = re.compile(r"[+-]?[0-9]+")
_DEC_FLOAT = re.compile(r"[+-]?([0-9_]*\.?[0-9_]*)(?:[eE][+-]?[0-9][0-9_]*)?")
_HEX_FLOAT = re.compile(r"[+-]?0[xX]([0-9a-fA-F_]*\.?[0-9a-fA-F_]*)[pP][+-]?[0-9][0-9_]*")
_SPECIAL_FLOATS = {"inf": math.inf, "infinity": math.inf, "nan": math.nan}


# ---------------------------------------------------------------- Go's strconv

def parse_int(s: str) -> int | None:
    """`strconv.ParseInt(s, 10, 64)`, or None when Go reports an error."""
    if _INT_TEXT.fullmatch(s) is None:
        return None
    digits = s.lstrip("+-").lstrip("0")
    if len(digits) > 19:  # also keeps Python's int() away from its digit limit
        return None
    v = int(digits or "0")
    if s[0] == "-":
        v = -v
    return v if INT_MIN <= v <= INT_MAX else None


def parse_float(s: str) -> float | None:
    """`strconv.ParseFloat(s, 64)`, or None when Go reports an error (incl. overflow)."""
    special = _parse_special(s)
    if special is not None:
        return special
    m = _HEX_FLOAT.fullmatch(s)
    if m is not None:
        return _hex_float(s, m.group(1))
    m = _DEC_FLOAT.fullmatch(s)
    if m is None or not _has_digit(m.group(1), "0123456789") or not _underscores_ok(s):
        return None
    f = float(s.replace("_", ""))
    return None if math.isinf(f) else f


def _parse_special(s: str) -> float | None:
    low = s.lower()
    if low in ("nan",):
        return math.nan
    sign = -1.0 if low[:1] == "-" else 1.0
    body = low[1:] if low[:1] in ("+", "-") else low
    if body in ("inf", "infinity"):
        return sign * _SPECIAL_FLOATS[body]
    return None


def _hex_float(s: str, mantissa: str) -> float | None:
    if not _has_digit(mantissa, "0123456789abcdefABCDEF") or not _underscores_ok(s):
        return None
    try:
        return float.fromhex(s.replace("_", ""))
    except OverflowError:
        return None


def _has_digit(text: str, digits: str) -> bool:
    return any(c in digits for c in text)


def _underscores_ok(s: str) -> bool:
    """Go's rule: an underscore sits between digits (or a base prefix and a digit)."""
    if "_" not in s:
        return True
    body = s[1:] if s[:1] in ("+", "-") else s
    hexdigits = ""
    prev = "^"  # ^ start, 0 digit or prefix, _ underscore, ! anything else
    if body[:2].lower() == "0x":
        body, prev, hexdigits = body[2:], "0", "abcdefABCDEF"
    for c in body:
        if "0" <= c <= "9" or c in hexdigits:
            prev = "0"
        elif c == "_":
            if prev != "0":
                return False
            prev = "_"
        elif prev == "_":
            return False
        else:
            prev = "!"
    return prev != "_"


def float_to_int(f: float) -> int:
    """Go's `int64(f)` on amd64: truncation, minInt for NaN and out-of-range values."""
    if f != f or not -9.223372036854775808e18 <= f < 9.223372036854775808e18:
        return INT_MIN
    return int(f)


def int32(v: int) -> int:
    """Go's `rune(v)` conversion of an int64: keep the low 32 bits, signed."""
    return ((v + 0x80000000) & 0xFFFFFFFF) - 0x80000000


# ---------------------------------------------------------------- Tengo's ToXxx

def to_int(v: Any) -> int | None:
    """Tengo's `ToInt64`: int, float (truncated), char, bool and decimal strings."""
    t = type(v)
    if t is int:
        return int(v)
    if t is float:
        return float_to_int(v)
    if t is bool:
        return 1 if v else 0
    if t is Char:
        return int(v.v)
    if t is str:
        return parse_int(v)
    return None


def to_float(v: Any) -> float | None:
    """Tengo's `ToFloat64`: int, float and `strconv.ParseFloat` strings (no bool, no char)."""
    t = type(v)
    if t is float:
        return float(v)
    if t is int:
        return float(v)
    if t is str:
        return parse_float(v)
    return None


def to_bool(v: Any) -> bool:
    """Tengo's `ToBool`: never fails, it is the value's truthiness."""
    return not values.is_falsy(v)


def to_rune(v: Any) -> int | None:
    """Tengo's `ToRune`: an int (low 32 bits) or a char; nothing else."""
    t = type(v)
    if t is int:
        return int32(v)
    if t is Char:
        return int(v.v)
    return None


def to_char(v: Any) -> Char | None:
    """A char for `char(v)`, or None when `v` does not convert."""
    if type(v) is Char:
        return v
    r = to_rune(v)
    return None if r is None else Char(r)


def to_bytes(v: Any) -> bytes | None:
    """Tengo's `ToByteSlice`: bytes as they are, a string's UTF-8 bytes, nothing else."""
    t = type(v)
    if t is bytes:
        return bytes(v)
    if t is str:
        return values.to_bytes(v)
    return None


def to_string(v: Any) -> str | None:
    """Tengo's `ToString` (None for undefined), refusing results beyond the memory budget."""
    t = type(v)
    if t is str:
        return str(v)
    if v is None:
        return None
    return go_string(v)


def go_string(v: Any) -> str:
    """Tengo's `Object.String()`, budget-checked before a container is expanded.

    A container's text can be far larger than the container (the same big string or
    sub-array referenced many times, or a cycle), so its size is bounded first.
    """
    t = type(v)
    if t is Char:
        return rune_text(v.v)
    if t is Array or t is ImmutableArray or t is dict or t is ImmutableMap or t is Error:
        check_string_size(v)
    return values.go_string(v)


# ---------------------------------------------------------------- size bounds

_LEAF_SIZES: dict[type, int] = {int: 1, float: 1, bool: 4, Char: 1, type(None): 11}


def check_string_size(v: Any) -> None:
    """Raise `MemoryLimitExceeded` when `String()` of `v` would exceed the budget.

    Walks `v` adding a lower bound of each part's text; stops as soon as the bound passes
    the budget, so the walk itself is bounded (a cyclic value fails this way too).
    """
    ceiling = limits.budget.max_bytes
    total = 0
    stack = [v]
    while stack:
        total += _size_floor(stack.pop(), stack)
        if total > ceiling:
            limits.check_alloc(total)


def _size_floor(v: Any, stack: list[Any]) -> int:
    """A lower bound on `String()` of `v` itself; pushes its children onto `stack`."""
    t = type(v)
    leaf = _LEAF_SIZES.get(t)
    if leaf is not None:
        return leaf
    if t is str:
        return len(v) + 2
    if t is bytes:
        return len(v)
    if t is Array or t is ImmutableArray:
        stack.extend(v.values())
        return 2 * max(int(v.n), 1)
    if t is dict or t is ImmutableMap:
        d = v if t is dict else v.d
        stack.extend(d.values())
        return 2 + sum(len(k) + 4 for k in d)
    if t is Error:
        stack.append(v.value)
        return 7
    return 1
