"""Tengo's `text` module: Go's `strings`, `strconv` and `regexp` on Tengo values.

Go strings are bytes; ours are `str` with invalid UTF-8 carried as surrogate escapes. Offsets
(`index`, `substr`, `pad_*`, regexp `begin`/`end`) are byte offsets, as in Go; rune-based
functions see an invalid byte as U+FFFD, and the case mappers replace it by U+FFFD like Go's
`strings.Map`. Case mapping, folding and spaces use Go's tables (`unicode_tables`).

The module keeps upstream's inconsistencies: invalid regexps and bad input to `parse_int`,
`parse_float`, `parse_bool` are runtime errors, while `atoi` and `unquote` return error values.
A Go panic (e.g. `repeat` with a negative count) becomes a runtime error with the panic text.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import Any, AnyStr

from scriptvisor.engines import limits
from scriptvisor.engines.tengo import convert
from scriptvisor.engines.tengo.stdlib import regex as rx
from scriptvisor.engines.tengo.stdlib import unicode_tables as ut
from scriptvisor.engines.tengo.values import (
    SLOT_BYTES,
    Array,
    Error,
    ImmutableArray,
    ImmutableMap,
    RuntimeErr,
    byte_len,
    from_bytes,
    go_quote,
    to_bytes,
    type_name,
)

ARG_NAMES = ("first", "second", "third", "fourth")

# ---------------------------------------------------------------- argument conversion


def arity(args: tuple[Any, ...], *allowed: int) -> None:
    if len(args) not in allowed:
        raise RuntimeErr("wrong number of arguments")


def invalid_arg(name: str, expected: str, found: Any) -> RuntimeErr:
    return RuntimeErr(
        f"invalid type for argument '{name}': expected {expected}, found {type_name(found)}"
    )


def str_arg(args: tuple[Any, ...], i: int, name: str | None = None) -> str:
    """Go's tengo.ToString: anything but undefined, strings as-is, others via String()."""
    s = convert.to_string(args[i])
    if s is None:
        raise invalid_arg(name or ARG_NAMES[i], "string(compatible)", args[i])
    return s


def int_arg(args: tuple[Any, ...], i: int) -> int:
    n = convert.to_int(args[i])
    if n is None:
        raise invalid_arg(ARG_NAMES[i], "int(compatible)", args[i])
    return n


def strict_str_arg(args: tuple[Any, ...], i: int) -> str:
    if type(args[i]) is not str:
        raise invalid_arg(ARG_NAMES[i], "string", args[i])
    return str(args[i])


def _rune(ch: str) -> int:
    """The rune Go decodes for one of our characters (an invalid byte is U+FFFD)."""
    c = ord(ch)
    return 0xFFFD if 0xD800 <= c <= 0xDFFF else c


def str_array(items: list[str]) -> Array:
    limits.check_alloc(len(items) * SLOT_BYTES)
    return Array(items)


# ---------------------------------------------------------------- Go `strings`
# Go compares bytes. When the needle is valid UTF-8 (no surrogate escapes), searching our
# code points gives the same answers, because UTF-8 is self-synchronizing; otherwise the
# bytes themselves are searched.


def _plain(needle: str) -> bool:
    return needle.isascii() or _valid_utf8(needle)


def _byte_offset(s: str, i: int) -> int:
    return i if i <= 0 or s.isascii() else byte_len(s[:i])


def go_index(s: str, sub: str) -> int:
    if _plain(sub):
        return _byte_offset(s, s.find(sub))
    return to_bytes(s).find(to_bytes(sub))


def go_last_index(s: str, sub: str) -> int:
    if _plain(sub):
        return _byte_offset(s, s.rfind(sub))
    return to_bytes(s).rfind(to_bytes(sub))


def go_count(s: str, sub: str) -> int:
    if not sub:
        return len(s) + 1  # runes + 1; an invalid byte counts as one rune
    if _plain(sub):
        return s.count(sub)
    return to_bytes(s).count(to_bytes(sub))


def go_compare(a: str, b: str) -> int:
    if a.isascii() and b.isascii():
        return (a > b) - (a < b)
    ab, bb = to_bytes(a), to_bytes(b)
    return (ab > bb) - (ab < bb)


def go_contains(s: str, sub: str) -> bool:
    if _plain(sub):
        return sub in s
    return to_bytes(sub) in to_bytes(s)


def go_has_prefix(s: str, prefix: str) -> bool:
    if _plain(prefix):
        return s.startswith(prefix)
    return to_bytes(s).startswith(to_bytes(prefix))


def go_has_suffix(s: str, suffix: str) -> bool:
    if _plain(suffix):
        return s.endswith(suffix)
    return to_bytes(s).endswith(to_bytes(suffix))


def go_trim_prefix(s: str, prefix: str) -> str:
    if _plain(prefix):
        return s[len(prefix) :] if s.startswith(prefix) else s
    b, p = to_bytes(s), to_bytes(prefix)
    return from_bytes(b[len(p) :]) if b.startswith(p) else s


def go_trim_suffix(s: str, suffix: str) -> str:
    if _plain(suffix):
        return s[: len(s) - len(suffix)] if suffix and s.endswith(suffix) else s
    b, p = to_bytes(s), to_bytes(suffix)
    return from_bytes(b[: len(b) - len(p)]) if p and b.endswith(p) else s


def _rune_set(chars: str) -> set[int]:
    return {_rune(c) for c in chars}


def go_index_any(s: str, chars: str) -> int:
    if not chars:
        return -1
    wanted = _rune_set(chars)
    offset = 0
    for ch in s:
        if _rune(ch) in wanted:
            return offset
        offset += _char_bytes(ch)
    return -1


def go_last_index_any(s: str, chars: str) -> int:
    if not chars:
        return -1
    wanted = _rune_set(chars)
    for i in range(len(s) - 1, -1, -1):
        if _rune(s[i]) in wanted:
            return byte_len(s[:i])
    return -1


def go_contains_any(s: str, chars: str) -> bool:
    return go_index_any(s, chars) >= 0


def _char_bytes(ch: str) -> int:
    c = ord(ch)
    if c < 0x80 or 0xDC80 <= c <= 0xDCFF:
        return 1
    return 2 if c < 0x800 else 3 if c < 0x10000 else 4


def _trim_left_count(s: str, wanted: set[int]) -> int:
    i = 0
    while i < len(s) and _rune(s[i]) in wanted:
        i += 1
    return i


def _trim_right_count(s: str, wanted: set[int]) -> int:
    j = len(s)
    while j > 0 and _rune(s[j - 1]) in wanted:
        j -= 1
    return j


def go_trim(s: str, cutset: str) -> str:
    if not s or not cutset:
        return s
    if s.isascii() and cutset.isascii():
        return s.strip(cutset)
    wanted = _rune_set(cutset)
    i = _trim_left_count(s, wanted)
    return s[i : max(i, _trim_right_count(s, wanted))]


def go_trim_left(s: str, cutset: str) -> str:
    if not s or not cutset:
        return s
    if s.isascii() and cutset.isascii():
        return s.lstrip(cutset)
    return s[_trim_left_count(s, _rune_set(cutset)) :]


def go_trim_right(s: str, cutset: str) -> str:
    if not s or not cutset:
        return s
    if s.isascii() and cutset.isascii():
        return s.rstrip(cutset)
    return s[: _trim_right_count(s, _rune_set(cutset))]


_GO_SPACE_CLASS = "[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_GO_SPACES = re.compile(_GO_SPACE_CLASS + "+")
_GO_LEADING_SPACE = re.compile("\\A" + _GO_SPACE_CLASS + "+")
_GO_TRAILING_SPACE = re.compile(_GO_SPACE_CLASS + "+\\Z")


def go_trim_space(s: str) -> str:
    """strings.TrimSpace with unicode.IsSpace (str.strip would also cut U+001C..U+001F)."""
    s = _GO_LEADING_SPACE.sub("", s, count=1)
    return _GO_TRAILING_SPACE.sub("", s, count=1)


def go_fields(s: str) -> list[str]:
    return [f for f in _GO_SPACES.split(s) if f]


def _map_runes(s: str, ascii_map: Callable[[str], str], rune_map: Callable[[int], int]) -> str:
    """strings.Map with a case mapping: invalid bytes come out as U+FFFD, like Go."""
    if s.isascii():
        return ascii_map(s)
    return "".join(chr(rune_map(_rune(ch))) for ch in s)


def go_to_upper(s: str) -> str:
    return _map_runes(s, str.upper, ut.to_upper)


def go_to_lower(s: str) -> str:
    return _map_runes(s, str.lower, ut.to_lower)


def go_to_title(s: str) -> str:
    return _map_runes(s, str.upper, ut.to_title)


def _is_separator(r: int) -> bool:
    """strings.Title's word boundary test."""
    if r < 0x80:
        c = chr(r)
        return not (c.isalnum() or c == "_")
    if ut.is_letter(r) or ut.is_digit(r):
        return False
    return ut.is_space(r)


def go_title(s: str) -> str:
    out: list[str] = []
    prev = 0x20
    for ch in s:
        r = _rune(ch)
        out.append(chr(ut.to_title(r)) if _is_separator(prev) else chr(r))
        prev = r
    return "".join(out)


def go_equal_fold(a: str, b: str) -> bool:
    if len(a) != len(b):
        # Folding never changes the rune count.
        return False
    for x, y in zip(a, b, strict=True):
        rx_, ry = _rune(x), _rune(y)
        if rx_ == ry:
            continue
        if rx_ < 0x80 and ry < 0x80:
            if chr(rx_).lower() != chr(ry).lower() or not chr(rx_).isalpha():
                return False
            continue
        if ry not in ut.fold_orbit(rx_):
            return False
    return True


def go_split(s: str, sep: str, n: int, keep_sep: bool) -> list[str]:
    """strings.SplitN / SplitAfterN (n < 0: all; n == 0: none)."""
    if n == 0:
        return []
    if not sep:
        # Go explodes into runes; an invalid byte becomes U+FFFD (but not in the remainder).
        limit = len(s) if n < 0 or n > len(s) else n
        if limit == 0:
            return []
        return [chr(_rune(ch)) for ch in s[: limit - 1]] + [s[limit - 1 :]]
    if not _plain(sep):
        return [from_bytes(p) for p in _split_on(to_bytes(s), to_bytes(sep), n, keep_sep)]
    return _split_on(s, sep, n, keep_sep)


def _split_on(s: AnyStr, sep: AnyStr, n: int, keep_sep: bool) -> list[AnyStr]:
    parts = s.split(sep, -1 if n < 0 else n - 1)
    if keep_sep:
        parts = [p + sep for p in parts[:-1]] + parts[-1:]
    return parts


def _valid_utf8(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def go_replace(s: str, old: str, new: str, n: int) -> str:
    """Tengo's size-checked strings.Replace."""
    if old == new or n == 0:
        return s
    if not old:
        m = len(s) + 1
    else:
        m = go_count(s, old)
        if m == 0:
            return s
    if n < 0 or m < n:
        n = m
    limits.check_alloc(byte_len(s) + n * (byte_len(new) - byte_len(old)))
    if not _plain(old):
        return from_bytes(to_bytes(s).replace(to_bytes(old), to_bytes(new), n))
    return s.replace(old, new, n)


def go_repeat(s: str, count: int) -> str:
    if count < 0:
        raise RuntimeErr("strings: negative Repeat count")
    limits.check_alloc(byte_len(s) * count)
    return s * count


# ---------------------------------------------------------------- Go `strconv`

class NumError(Exception):
    """strconv.NumError; str() is Go's message."""

    def __init__(self, func: str, num: str, err: str) -> None:
        super().__init__(f"strconv.{func}: parsing {go_quote(num)}: {err}")


SYNTAX = "invalid syntax"
RANGE = "value out of range"


def _underscore_ok(s: str) -> bool:
    """Go's underscoreOK: underscores only between digits (or after a base prefix)."""
    saw = "^"
    i = 0
    if s[:1] in ("+", "-"):
        s = s[1:]
    hexa = False
    if len(s) >= 2 and s[0] == "0" and s[1].lower() in "box":
        i, saw, hexa = 2, "0", s[1].lower() == "x"
    while i < len(s):
        c = s[i]
        if "0" <= c <= "9" or (hexa and "a" <= c.lower() <= "f"):
            saw = "0"
        elif c == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
        i += 1
    return saw != "_"


def _digit_value(c: str) -> int:
    if "0" <= c <= "9":
        return ord(c) - 48
    if "a" <= c.lower() <= "z":
        return ord(c.lower()) - 87
    return 99


def go_parse_uint(s: str, base: int, bit_size: int, func: str, num: str) -> int:
    """strconv.ParseUint; errors name `func` and the caller's input `num`."""
    if not s:
        raise NumError(func, num, SYNTAX)
    s0 = s
    base0 = base == 0
    if base == 0:
        base = 10
        if s[0] == "0":
            if len(s) >= 3 and s[1].lower() in "box":
                base = {"b": 2, "o": 8, "x": 16}[s[1].lower()]
                s = s[2:]
            else:
                base = 8
                s = s[1:]
    elif not 2 <= base <= 36:
        raise NumError(func, num, f"invalid base {base}")
    if bit_size == 0:
        bit_size = 64
    elif not 0 < bit_size <= 64:
        raise NumError(func, num, f"invalid bit size {bit_size}")
    max_val = (1 << bit_size) - 1
    n = 0
    underscores = False
    for c in s:
        if c == "_" and base0:
            underscores = True
            continue
        d = _digit_value(c)
        if d >= base:
            raise NumError(func, num, SYNTAX)
        n = n * base + d
        if n > max_val:
            raise _RangeErr(max_val)
    if underscores and not _underscore_ok(s0):
        raise NumError(func, num, SYNTAX)
    return n


class _RangeErr(Exception):
    def __init__(self, value: int) -> None:
        super().__init__("range")
        self.value = value


def go_parse_int(s: str, base: int, bit_size: int, func: str = "ParseInt") -> int:
    """strconv.ParseInt (func names the caller in messages: ParseInt or Atoi)."""
    if not s:
        raise NumError(func, s, SYNTAX)
    body, neg = s, False
    if s[0] in "+-":
        body, neg = s[1:], s[0] == "-"
    try:
        un = go_parse_uint(body, base, bit_size, func, s)
    except _RangeErr as e:
        un = e.value
    size = 64 if bit_size == 0 else bit_size
    cutoff = 1 << (size - 1)
    if not neg and un >= cutoff or neg and un > cutoff:
        raise NumError(func, s, RANGE)
    return -un if neg else un


_FLOAT_DEC = re.compile(
    r"[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9][0-9_]*)?\Z"
)
_FLOAT_HEX = re.compile(
    r"[+-]?0[xX](?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+)[pP][+-]?[0-9][0-9_]*\Z"
)


def _special_float(s: str) -> float | None:
    low = s.lower()
    if low == "nan":
        return math.nan
    body = low[1:] if low[:1] in ("+", "-") else low
    if body in ("inf", "infinity"):
        return -math.inf if low.startswith("-") else math.inf
    return None


def go_parse_float(s: str, bit_size: int) -> float:
    """strconv.ParseFloat: Go's syntax (underscores, hex floats, Inf/NaN), range errors."""
    special = _special_float(s)
    if special is not None:
        return special
    is_hex = _FLOAT_HEX.match(s) is not None
    if not is_hex and _FLOAT_DEC.match(s) is None:
        raise NumError("ParseFloat", s, SYNTAX)
    if "_" in s and not _underscore_ok(s):
        raise NumError("ParseFloat", s, SYNTAX)
    digits = s.replace("_", "")
    value = _hex_float(digits) if is_hex else float(digits)
    if bit_size == 32:
        value = _to_float32(value)
    if math.isinf(value):
        raise NumError("ParseFloat", s, RANGE)
    return value


def _hex_float(s: str) -> float:
    neg = s.startswith("-")
    body = s.lstrip("+-")[2:]
    mant, _, exp = body.replace("P", "p").partition("p")
    whole, _, frac = mant.partition(".")
    try:
        v = float.fromhex(f"0x{whole or '0'}.{frac}p{exp}")
    except OverflowError:
        v = math.inf
    return -v if neg else v


def _to_float32(v: float) -> float:
    try:
        return float(struct.unpack("<f", struct.pack("<f", v))[0])
    except OverflowError:
        return math.copysign(math.inf, v)


def go_parse_bool(s: str) -> bool:
    if s in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if s in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise NumError("ParseBool", s, SYNTAX)


def go_format_int(i: int, base: int) -> str:
    if not 2 <= base <= 36:
        raise RuntimeErr("strconv: illegal AppendInt/FormatInt base")
    if base == 10:
        return str(i)
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    n = abs(i)
    out = []
    while True:
        n, d = divmod(n, base)
        out.append(digits[d])
        if n == 0:
            break
    return ("-" if i < 0 else "") + "".join(reversed(out))


# -- FormatFloat

class _Digits:
    """Go's decimalSlice: digits d (no trailing zeros), decimal point position dp."""

    __slots__ = ("d", "dp")

    def __init__(self, d: str, dp: int) -> None:
        self.d = d
        self.dp = dp


def _digits_of(q: Decimal) -> _Digits:
    _, digits, exp = q.as_tuple()
    text = "".join(map(str, digits))
    stripped = text.lstrip("0")
    if not stripped:
        return _Digits("", 0)
    return _Digits(stripped.rstrip("0"), len(stripped) + int(exp))


def _rounded(x: float, quantum_exp: int) -> _Digits:
    """|x| rounded half-even at 10**quantum_exp (exactly, whatever the precision)."""
    ctx = Context(prec=max(0, -quantum_exp) + 400, rounding=ROUND_HALF_EVEN)
    return _digits_of(Decimal(abs(x)).quantize(Decimal(1).scaleb(quantum_exp), context=ctx))


def _sig_digits(x: float, n: int) -> _Digits:
    """|x| rounded half-even to n significant digits."""
    if x == 0:
        return _Digits("", 0)
    return _rounded(x, _digits_of(Decimal(abs(x))).dp - n)


def _shortest(x: float, bits: int) -> _Digits:
    x = abs(x)
    if x == 0:
        return _Digits("", 0)
    if bits == 64:
        text = repr(x)
    else:
        packed = struct.pack("<f", x)
        text = ""
        for n in range(1, 10):
            text = f"{x:.{n - 1}e}"
            if struct.pack("<f", float(text)) == packed:
                break
    return _digits_of(Decimal(text))


def _fmt_e(neg: bool, d: _Digits, prec: int, fmt: str) -> str:
    out = ["-" if neg else "", d.d[:1] or "0"]
    if prec > 0:
        frac = d.d[1 : prec + 1]
        out.append("." + frac + "0" * (prec - len(frac)))
    exp = 0 if not d.d else d.dp - 1
    sign = "-" if exp < 0 else "+"
    out.append(f"{fmt}{sign}{abs(exp):02d}")
    return "".join(out)


def _fmt_f(neg: bool, d: _Digits, prec: int) -> str:
    if d.dp > 0:
        whole = d.d[: d.dp] + "0" * max(0, d.dp - len(d.d))
    else:
        whole = "0"
    out = ["-" if neg else "", whole]
    if prec > 0:
        frac = "".join(
            d.d[j] if 0 <= j < len(d.d) else "0" for j in range(d.dp, d.dp + prec)
        )
        out.append("." + frac)
    return "".join(out)


def _fmt_b(x: float, bits: int) -> str:
    if bits == 64:
        raw = struct.unpack("<Q", struct.pack("<d", x))[0]
        mbits, ebits, bias = 52, 11, -1023
    else:
        raw = struct.unpack("<I", struct.pack("<f", x))[0]
        mbits, ebits, bias = 23, 8, -127
    neg = raw >> (mbits + ebits) != 0
    exp = (raw >> mbits) & ((1 << ebits) - 1)
    mant = raw & ((1 << mbits) - 1)
    if exp == 0:
        exp = 1
    else:
        mant |= 1 << mbits
    exp += bias - mbits
    return f"{'-' if neg else ''}{mant}p{'+' if exp >= 0 else ''}{exp}"


def _fmt_x(x: float, prec: int, fmt: str) -> str:
    neg = math.copysign(1.0, x) < 0
    m, e = math.frexp(abs(x))  # abs(x) = m * 2**e, 0.5 <= m < 1
    if x == 0:
        mant, exp = 0, 0
    else:
        mant, exp = int(m * (1 << 61)), e - 1  # 1.xxx with the leading 1 at bit 60
    if 0 <= prec < 15:
        shift = 60 - prec * 4
        extra = mant & ((1 << shift) - 1)
        mant >>= shift
        half = 1 << (shift - 1)
        if extra > half or (extra == half and mant & 1):
            mant += 1
        mant <<= shift
        if mant & (1 << 61):
            mant >>= 1
            exp += 1
    digits = "0123456789abcdef" if fmt == "x" else "0123456789ABCDEF"
    out = ["-" if neg else "", "0", fmt, str((mant >> 60) & 1)]
    mant = (mant << 4) & ((1 << 64) - 1)
    if (prec < 0 and mant) or prec > 0:
        out.append(".")
        count = prec if prec >= 0 else 16
        for _ in range(count):
            if prec < 0 and not mant:
                break
            out.append(digits[(mant >> 60) & 15])
            mant = (mant << 4) & ((1 << 64) - 1)
    out.append("p" if fmt == "x" else "P")
    out.append(f"{'-' if exp < 0 else '+'}{abs(exp):02d}")
    return "".join(out)


def go_format_float(x: float, fmt: str, prec: int, bits: int) -> str:
    """strconv.FormatFloat(x, fmt, prec, bits)."""
    if bits not in (32, 64):
        raise RuntimeErr("strconv: illegal AppendFloat/FormatFloat bitSize")
    if bits == 32:
        x = _to_float32(x)
    if x != x:
        return "NaN"
    if math.isinf(x):
        return "+Inf" if x > 0 else "-Inf"
    if fmt == "b":
        return _fmt_b(x, bits)
    if fmt in ("x", "X"):
        limits.check_alloc(prec + 32)
        return _fmt_x(x, prec, fmt)
    if fmt not in _FLOAT_VERBS:
        return "%" + fmt
    limits.check_alloc(prec + 400)
    neg = math.copysign(1.0, x) < 0
    shortest = prec < 0
    if shortest:
        d = _shortest(x, bits)
        nd = len(d.d)
        prec = nd if fmt in "gG" else max(nd - 1, 0) if fmt in "eE" else max(nd - d.dp, 0)
    elif fmt == "f":
        d = _rounded(x, -prec)
    else:
        prec = max(prec, 1) if fmt in "gG" else prec
        d = _sig_digits(x, prec + 1 if fmt in "eE" else prec)
    if fmt in "eE":
        return _fmt_e(neg, d, prec, fmt)
    if fmt == "f":
        return _fmt_f(neg, d, prec)
    return _fmt_g(neg, d, prec, fmt, shortest)


_FLOAT_VERBS = frozenset("eEfgG")


def _fmt_g(neg: bool, d: _Digits, prec: int, fmt: str, shortest: bool) -> str:
    nd = len(d.d)
    eprec = prec
    if eprec > nd and nd >= d.dp:
        eprec = nd
    if shortest:
        eprec = 6
    exp = d.dp - 1
    if exp < -4 or exp >= eprec:
        if prec > nd:
            prec = nd
        return _fmt_e(neg, d, prec - 1, "e" if fmt == "g" else "E")
    if prec > d.dp:
        prec = nd
    return _fmt_f(neg, d, max(prec - d.dp, 0))


# -- Quote / Unquote

_UNQUOTE_SIMPLE = {
    "a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92,
}


class _Syntax(Exception):
    pass


def _unquote_char(b: bytes, i: int, quote: int) -> tuple[bytes, int]:
    """strconv.UnquoteChar at b[i]: (encoded bytes, next index)."""
    c = b[i]
    if c == quote and quote in (0x27, 0x22):
        raise _Syntax
    if c >= 0x80:
        ch, size = _decode_rune(b, i)
        return ch.encode("utf-8"), i + size
    if c != 0x5C:
        return bytes((c,)), i + 1
    if i + 1 >= len(b):
        raise _Syntax
    e = chr(b[i + 1])
    i += 2
    if e in _UNQUOTE_SIMPLE:
        return bytes((_UNQUOTE_SIMPLE[e],)), i
    if e in "xuU":
        n = {"x": 2, "u": 4, "U": 8}[e]
        digits = b[i : i + n].decode("latin-1")
        if len(digits) < n or any(d not in "0123456789abcdefABCDEF" for d in digits):
            raise _Syntax
        v = int(digits, 16)
        if e == "x":
            return bytes((v,)), i + n
        if v > 0x10FFFF or 0xD800 <= v <= 0xDFFF:
            raise _Syntax
        return chr(v).encode("utf-8"), i + n
    if "0" <= e <= "7":
        digits = b[i - 1 : i + 2].decode("latin-1")
        if len(digits) < 3 or any(d not in "01234567" for d in digits):
            raise _Syntax
        v = int(digits, 8)
        if v > 255:
            raise _Syntax
        return bytes((v,)), i + 2
    if e in "'\"":
        if ord(e) != quote:
            raise _Syntax
        return e.encode(), i
    raise _Syntax


def _decode_rune(b: bytes, i: int) -> tuple[str, int]:
    """utf8.DecodeRune: an invalid sequence decodes as U+FFFD of width 1."""
    for size in (2, 3, 4):
        try:
            ch = b[i : i + size].decode("utf-8")
        except UnicodeDecodeError:
            continue
        if len(ch) == 1:
            return ch, size
    return "\ufffd", 1


def go_unquote(s: str) -> str:
    """strconv.Unquote; raises _Syntax on malformed input."""
    b = to_bytes(s)
    if len(b) < 2:
        raise _Syntax
    quote = b[0]
    end = b.find(bytes((quote,)), 1)
    if end < 0:
        raise _Syntax
    if quote == 0x60:  # `raw`
        if end != len(b) - 1:
            raise _Syntax
        return from_bytes(b[1:end].replace(b"\r", b""))
    if quote not in (0x22, 0x27):
        raise _Syntax
    out = bytearray()
    i = 1
    while i < len(b) and b[i] != quote:
        if b[i] == 0x0A:
            raise _Syntax
        piece, i = _unquote_char(b, i, quote)
        out += piece
        if quote == 0x27:
            break
    if i >= len(b) or b[i] != quote or i + 1 != len(b):
        raise _Syntax
    return from_bytes(bytes(out))


# ---------------------------------------------------------------- regexp functions

def _compile(pattern: str) -> rx.Regexp:
    try:
        return rx.compile_regexp(pattern)
    except rx.RegexSyntaxError as e:
        raise RuntimeErr(str(e)) from None


def _match_maps(s: str, m: rx.Match, conv: Callable[[int], int], skip_unset: bool) -> Array:
    items: list[Any] = []
    for g in range(0, len(m), 2):
        lo, hi = m[g], m[g + 1]
        if lo < 0 or hi < 0:
            if skip_unset:
                continue
            # Go's Regexp.find slices s[-1:-1] here and panics.
            raise RuntimeErr("runtime error: slice bounds out of range [:-1]")
        items.append(ImmutableMap({"text": s[lo:hi], "begin": conv(lo), "end": conv(hi)}))
    return Array(items)


def _find(regexp: rx.Regexp, s: str, count: int | None, skip_unset: bool) -> Any:
    """re_find / Regexp.find: [[{text, begin, end}, ...], ...] or undefined."""
    matches = regexp.find_all(s, 1 if count is None else count)
    if not matches:
        return None
    limits.check_alloc(len(matches) * len(matches[0]) * SLOT_BYTES * 4)
    conv = rx.byte_offsets(s, [i for m in matches for i in m])
    return Array([_match_maps(s, m, conv, skip_unset) for m in matches])


def re_match(*args: Any) -> Any:
    arity(args, 2)
    pattern, s = str_arg(args, 0), str_arg(args, 1)
    return _compile(pattern).match(s)


def re_find(*args: Any) -> Any:
    arity(args, 2, 3)
    regexp = _compile(str_arg(args, 0))
    s = str_arg(args, 1)
    count = int_arg(args, 2) if len(args) == 3 else None
    return _find(regexp, s, count, skip_unset=True)


def re_replace(*args: Any) -> Any:
    arity(args, 3)
    pattern, s, repl = str_arg(args, 0), str_arg(args, 1), str_arg(args, 2)
    return _compile(pattern).replace(s, repl)


def re_split(*args: Any) -> Any:
    arity(args, 2, 3)
    pattern, s = str_arg(args, 0), str_arg(args, 1)
    count = int_arg(args, 2) if len(args) == 3 else -1
    return str_array(_compile(pattern).split(s, count))


def re_compile(*args: Any) -> Any:
    arity(args, 1)
    return regexp_object(_compile(str_arg(args, 0)))


def regexp_object(regexp: rx.Regexp) -> ImmutableMap:
    """The immutable map `re_compile` returns: match, find, replace, split."""

    def match(*args: Any) -> Any:
        arity(args, 1)
        return regexp.match(str_arg(args, 0))

    def find(*args: Any) -> Any:
        arity(args, 1, 2)
        s = str_arg(args, 0)
        count = int_arg(args, 1) if len(args) == 2 else None
        return _find(regexp, s, count, skip_unset=False)

    def replace(*args: Any) -> Any:
        arity(args, 2)
        return regexp.replace(str_arg(args, 0), str_arg(args, 1))

    def split(*args: Any) -> Any:
        arity(args, 1, 2)
        s = str_arg(args, 0)
        count = int_arg(args, 1) if len(args) == 2 else -1
        return str_array(regexp.split(s, count))

    methods: dict[str, Any] = {"match": match, "find": find, "replace": replace, "split": split}
    for fn in methods.values():
        fn.__name__ = ""  # Go's Regexp methods are anonymous user functions
    return ImmutableMap(methods)


# ---------------------------------------------------------------- function adapters
# Go's FuncASSR* wrappers, quirks included (see each adapter).

def _ss_to(fn: Callable[[str, str], Any], name: str) -> Callable[..., Any]:
    """FuncASSRB / FuncASSRS: two string(compatible) arguments."""

    def call(*args: Any) -> Any:
        arity(args, 2)
        return fn(str_arg(args, 0), str_arg(args, 1))

    call.__name__ = name
    return call


def _ss_int(fn: Callable[[str, str], int], name: str) -> Callable[..., Any]:
    """FuncASSRI: Go reports a bad second argument with the *first* one's type."""

    def call(*args: Any) -> Any:
        arity(args, 2)
        a = str_arg(args, 0)
        b = convert.to_string(args[1])
        if b is None:
            raise RuntimeErr(
                "invalid type for argument 'second': expected string(compatible), "
                f"found {type_name(args[0])}"
            )
        return fn(a, b)

    call.__name__ = name
    return call


def _ss_split(keep_sep: bool, name: str) -> Callable[..., Any]:
    """FuncASSRSs: Go names a bad second argument 'first'."""

    def call(*args: Any) -> Any:
        arity(args, 2)
        s = str_arg(args, 0)
        sep = str_arg(args, 1, "first")
        return str_array(go_split(s, sep, -1, keep_sep))

    call.__name__ = name
    return call


def _ssi_split(keep_sep: bool, name: str) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        arity(args, 3)
        s, sep, n = str_arg(args, 0), str_arg(args, 1), int_arg(args, 2)
        return str_array(go_split(s, sep, n, keep_sep))

    call.__name__ = name
    return call


def _s_to_s(fn: Callable[[str], str], name: str) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        arity(args, 1)
        return fn(str_arg(args, 0))

    call.__name__ = name
    return call


def fields(*args: Any) -> Any:
    arity(args, 1)
    return str_array(go_fields(str_arg(args, 0)))


def join(*args: Any) -> Any:
    arity(args, 2)
    arr = args[0]
    if type(arr) not in (Array, ImmutableArray):
        raise invalid_arg("first", "array", arr)
    parts: list[str] = []
    for idx, item in enumerate(arr.values()):
        s = convert.to_string(item)
        if s is None:
            raise invalid_arg(f"first[{idx}]", "string(compatible)", item)
        parts.append(s)
    sep = str_arg(args, 1)
    limits.check_alloc(sum(byte_len(p) for p in parts) + byte_len(sep) * max(len(parts) - 1, 0))
    return sep.join(parts)


def repeat(*args: Any) -> Any:
    arity(args, 2)
    return go_repeat(str_arg(args, 0), int_arg(args, 1))


def replace(*args: Any) -> Any:
    arity(args, 4)
    s, old, new, n = str_arg(args, 0), str_arg(args, 1), str_arg(args, 2), int_arg(args, 3)
    return go_replace(s, old, new, n)


def substr(*args: Any) -> Any:
    arity(args, 2, 3)
    s = str_arg(args, 0)
    lo = int_arg(args, 1)
    size = byte_len(s)
    hi = int_arg(args, 2) if len(args) == 3 else size
    if lo > hi:
        raise RuntimeErr("invalid index type")
    lo, hi = min(max(lo, 0), size), min(max(hi, 0), size)
    if s.isascii():
        return s[lo:hi]
    return from_bytes(to_bytes(s)[lo:hi])


def _pad(args: tuple[Any, ...], left: bool) -> str:
    arity(args, 2, 3)
    s = str_arg(args, 0)
    width = int_arg(args, 1)
    if byte_len(s) >= width:
        return s
    pad = str_arg(args, 2) if len(args) == 3 else " "
    pad_len = byte_len(pad)
    if pad_len == 0:
        return s
    limits.check_alloc(width + pad_len)
    count = (width - pad_len) // pad_len + 1
    if s.isascii() and pad.isascii():
        return (pad * count + s)[-width:] if left else (s + pad * count)[:width]
    sb, pb = to_bytes(s), to_bytes(pad)
    out = (pb * count + sb)[-width:] if left else (sb + pb * count)[:width]
    return from_bytes(out)


def pad_left(*args: Any) -> Any:
    return _pad(args, left=True)


def pad_right(*args: Any) -> Any:
    return _pad(args, left=False)


def atoi(*args: Any) -> Any:
    arity(args, 1)
    s = str_arg(args, 0)
    try:
        return go_parse_int(s, 10, 0, "Atoi")
    except NumError as e:
        return Error(str(e))


def format_bool(*args: Any) -> Any:
    arity(args, 1)
    if type(args[0]) is not bool:
        raise invalid_arg("first", "bool", args[0])
    return "true" if args[0] else "false"


def format_float(*args: Any) -> Any:
    arity(args, 4)
    if type(args[0]) is not float:
        raise invalid_arg("first", "float", args[0])
    fmt = str_arg(args, 1)
    prec, bits = int_arg(args, 2), int_arg(args, 3)
    if not fmt:
        raise RuntimeErr("runtime error: index out of range [0] with length 0")
    verb = to_bytes(fmt)[0]  # Go passes the first *byte* of fmt
    verb_char = chr(verb) if verb < 0x80 else chr(0xDC00 + verb)  # a lone byte's escape
    return go_format_float(float(args[0]), verb_char, prec, bits)


def format_int(*args: Any) -> Any:
    arity(args, 2)
    if type(args[0]) is not int:
        raise invalid_arg("first", "int", args[0])
    return go_format_int(int(args[0]), int_arg(args, 1))


def itoa(*args: Any) -> Any:
    arity(args, 1)
    return str(int_arg(args, 0))


def parse_bool(*args: Any) -> Any:
    arity(args, 1)
    try:
        return go_parse_bool(strict_str_arg(args, 0))
    except NumError as e:
        raise RuntimeErr(str(e)) from None


def parse_float(*args: Any) -> Any:
    arity(args, 2)
    s = strict_str_arg(args, 0)
    bits = int_arg(args, 1)
    try:
        return go_parse_float(s, bits)
    except NumError as e:
        raise RuntimeErr(str(e)) from None


def parse_int(*args: Any) -> Any:
    arity(args, 3)
    s = strict_str_arg(args, 0)
    base, bits = int_arg(args, 1), int_arg(args, 2)
    try:
        return go_parse_int(s, base, bits)
    except NumError as e:
        raise RuntimeErr(str(e)) from None


def quote(*args: Any) -> Any:
    arity(args, 1)
    return go_quote(str_arg(args, 0))


def unquote(*args: Any) -> Any:
    arity(args, 1)
    try:
        return go_unquote(str_arg(args, 0))
    except _Syntax:
        return Error("invalid syntax")


def module() -> dict[str, Any]:
    """The members of `import("text")`."""
    return {
        "re_match": re_match,
        "re_find": re_find,
        "re_replace": re_replace,
        "re_split": re_split,
        "re_compile": re_compile,
        "compare": _ss_int(go_compare, "compare"),
        "contains": _ss_to(go_contains, "contains"),
        "contains_any": _ss_to(go_contains_any, "contains_any"),
        "count": _ss_int(go_count, "count"),
        "equal_fold": _ss_to(go_equal_fold, "equal_fold"),
        "fields": fields,
        "has_prefix": _ss_to(go_has_prefix, "has_prefix"),
        "has_suffix": _ss_to(go_has_suffix, "has_suffix"),
        "index": _ss_int(go_index, "index"),
        "index_any": _ss_int(go_index_any, "index_any"),
        "join": join,
        "last_index": _ss_int(go_last_index, "last_index"),
        "last_index_any": _ss_int(go_last_index_any, "last_index_any"),
        "repeat": repeat,
        "replace": replace,
        "substr": substr,
        "split": _ss_split(False, "split"),
        "split_after": _ss_split(True, "split_after"),
        "split_after_n": _ssi_split(True, "split_after_n"),
        "split_n": _ssi_split(False, "split_n"),
        "title": _s_to_s(go_title, "title"),
        "to_lower": _s_to_s(go_to_lower, "to_lower"),
        "to_title": _s_to_s(go_to_title, "to_title"),
        "to_upper": _s_to_s(go_to_upper, "to_upper"),
        "pad_left": pad_left,
        "pad_right": pad_right,
        "trim": _ss_to(go_trim, "trim"),
        "trim_left": _ss_to(go_trim_left, "trim_left"),
        "trim_prefix": _ss_to(go_trim_prefix, "trim_prefix"),
        "trim_right": _ss_to(go_trim_right, "trim_right"),
        "trim_space": _s_to_s(go_trim_space, "trim_space"),
        "trim_suffix": _ss_to(go_trim_suffix, "trim_suffix"),
        "atoi": atoi,
        "format_bool": format_bool,
        "format_float": format_float,
        "format_int": format_int,
        "itoa": itoa,
        "parse_bool": parse_bool,
        "parse_float": parse_float,
        "parse_int": parse_int,
        "quote": quote,
        "unquote": unquote,
    }
