"""Tengo's `format` / `fmt.sprintf`: Go's fmt verbs applied to Tengo values.

Tengo has its own printer (`formatter.go`), close to Go's `fmt` but not equal to it:
- `%v` always prints the value's `String()`: a string comes out quoted (`"s"`), a float
  never uses an exponent, a char prints as itself; `%T` prints Tengo's type name.
- ints take `%d %b %o %O %x %X %c %q %U`; floats `%e %E %f %F %g %G %b %x %X`;
  strings `%s %q %x %X`; bools `%t`; bytes `%d %s %q %x %X` (other verbs print nothing);
  every other type is formatted as its `String()` text, like a string.
- a verb that does not fit prints `%!d(<String()>=<%v>)`, e.g. `%!d("hi"="hi")` or
  `%!c(a=a)` for a char; a missing argument `%!d(MISSING)`, leftovers
  `%!(EXTRA int=1, string="x")`, plus `%!(NOVERB)`, `%!(BADWIDTH)`, `%!(BADPREC)`,
  `%!d(BADINDEX)` as Go prints them.
- Go's parser stops at widths and precisions past 1e6, yet lets through up to 10,000,009
  (`%10000000d` is 10 MB of spaces); every padding and zero fill is checked against the
  memory budget before it is built, so a hostile format fails cleanly instead.
"""

from __future__ import annotations

import math
import struct
from decimal import Decimal
from typing import Any

from scriptvisor.engines import limits
from scriptvisor.engines.tengo import convert, values
from scriptvisor.engines.tengo.values import Char

_U64 = (1 << 64) - 1
_TOO_LARGE = 1_000_000
_QUOTE_ESCAPES = {
    "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
}
_INT_VERBS = {"d": (10, "d"), "b": (2, "b"), "o": (8, "o"), "O": (8, "o"), "x": (16, "x"),
              "X": (16, "X")}
_FLOAT_VERBS = {"b": ("b", -1), "g": ("g", -1), "G": ("G", -1), "x": ("x", -1),
                "X": ("X", -1), "f": ("f", 6), "e": ("e", 6), "E": ("E", 6), "F": ("f", 6)}


def go_format(fmt: str, args: list[Any]) -> str:
    """Format `args` with the Go-style format string `fmt`, exactly as Go Tengo does."""
    p = _Printer()
    p.run(fmt, args)
    return "".join(p.out)


# ---------------------------------------------------------------- Go's strconv pieces

def quote(s: str, q: str = '"', ascii_only: bool = False) -> str:
    """Go's `strconv.Quote` (`q='"'`), `QuoteRune` (`q="'"`) and their `ToASCII` forms."""
    out = [q]
    for ch in s:
        c = ord(ch)
        if ch == q or ch == "\\":
            out.append("\\" + ch)
        elif c < 0x80 and " " <= ch < "\x7f" or c >= 0x80 and not ascii_only and _printable(ch):
            out.append(ch)
        elif 0xDC80 <= c <= 0xDCFF:  # an invalid UTF-8 byte carried as a surrogate escape
            out.append(f"\\x{c - 0xDC00:02x}")
        elif ch in _QUOTE_ESCAPES:
            out.append(_QUOTE_ESCAPES[ch])
        elif c < 0x20 or c == 0x7F:
            out.append(f"\\x{c:02x}")
        else:
            out.append(f"\\u{c:04x}" if c < 0x10000 else f"\\U{c:08x}")
    out.append(q)
    return "".join(out)


def _printable(ch: str) -> bool:
    # Go's unicode.IsPrint (L, M, N, P, S and ASCII space) == Python's isprintable().
    return ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF


def can_backquote(s: str) -> bool:
    """Go's `strconv.CanBackquote`: no control characters but tab, no backquote, valid."""
    for ch in s:
        c = ord(ch)
        if (c < 0x20 and ch != "\t") or ch == "`" or c == 0x7F or c == 0xFEFF:
            return False
        if 0xD800 <= c <= 0xDFFF:
            return False
    return True


def _float_bits(v: float) -> tuple[bool, int, int]:
    """(negative, mantissa with the implicit bit, unbiased exponent of that bit)."""
    bits = struct.unpack("<Q", struct.pack("<d", v))[0]
    exp = (bits >> 52) & 0x7FF
    mant = bits & ((1 << 52) - 1)
    if exp == 0:
        exp = 1
    else:
        mant |= 1 << 52
    return bool(bits >> 63), mant, exp - 1023


def _exp_text(exp: int, width: int = 2) -> str:
    return ("+" if exp >= 0 else "-") + str(abs(exp)).rjust(width, "0")


def _ftoa_b(v: float) -> str:
    """`strconv.FormatFloat(v, 'b', ...)`: decimal mantissa, binary exponent."""
    neg, mant, exp = _float_bits(v)
    exp -= 52
    return ("-" if neg else "") + f"{mant}p" + ("+" if exp >= 0 else "-") + str(abs(exp))


def _ftoa_x(v: float, prec: int, verb: str) -> str:
    """`strconv.FormatFloat(v, 'x'|'X', prec)`: `-0x1.8p+01`, rounded half to even."""
    neg, mant, exp = _float_bits(v)
    if mant == 0:
        exp = 0
    mant <<= 8  # the leading 1 now sits at bit 60, 15 hex digits of fraction below it
    while mant and not mant & (1 << 60):
        mant <<= 1
        exp -= 1
    if 0 <= prec < 15:
        shift = 60 - prec * 4
        dropped = mant & ((1 << shift) - 1)
        mant >>= shift
        half = 1 << (shift - 1)
        if dropped > half or (dropped == half and mant & 1):
            mant += 1
        mant <<= shift
        if mant & (1 << 61):
            mant >>= 1
            exp += 1
    frac = format(mant & ((1 << 60) - 1), "015x")
    if prec < 0:
        frac = frac.rstrip("0")
    else:
        frac = (frac + "0" * max(prec - 15, 0))[:prec]
    text = "0" + verb + str(mant >> 60 & 1) + ("." + frac if frac else "")
    if verb == "X":
        text = text.upper()
    width = 2 if abs(exp) < 100 else len(str(abs(exp)))
    return ("-" if neg else "") + text + ("p" if verb == "x" else "P") + _exp_text(exp, width)


def _shortest_digits(v: float) -> tuple[str, int]:
    """Shortest round-trip decimal digits of |v| and the decimal point position."""
    if v == 0:
        return "", 0
    _, digits, exponent = Decimal(repr(abs(v))).as_tuple()
    text = "".join(map(str, digits)).rstrip("0")
    assert isinstance(exponent, int)
    return text, len(digits) + exponent


def _digits_e(digits: str, dp: int, prec: int, e: str) -> str:
    first = digits[:1] or "0"
    frac = (digits[1 : prec + 1]).ljust(prec, "0") if prec > 0 else ""
    exp = dp - 1 if digits else 0
    return first + ("." + frac if frac else "") + e + _exp_text(exp)


def _digits_f(digits: str, dp: int, prec: int) -> str:
    whole = digits[:dp].ljust(dp, "0") if dp > 0 else "0"
    if prec <= 0:
        return whole
    frac = "".join(digits[dp + i] if 0 <= dp + i < len(digits) else "0" for i in range(prec))
    return whole + "." + frac


def ftoa(v: float, verb: str, prec: int) -> str:
    """Go's `strconv.FormatFloat(v, verb, prec, 64)` for verbs b e E f g G x X."""
    if v != v:
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    if verb == "b":
        return _ftoa_b(v)
    if verb in "xX":
        return _ftoa_x(v, prec, verb)
    sign = "-" if math.copysign(1.0, v) < 0 else ""
    if prec >= 0:
        return sign + format(abs(v), f".{prec}{verb}")
    digits, dp = _shortest_digits(v)
    if verb in "eE":
        return sign + _digits_e(digits, dp, max(len(digits) - 1, 0), verb)
    if verb == "f":
        return sign + _digits_f(digits, dp, max(len(digits) - dp, 0))
    if not -4 <= dp - 1 < 6:  # %g, shortest: Go decides with a precision of 6
        return sign + _digits_e(digits, dp, len(digits) - 1, "e" if verb == "g" else "E")
    return sign + _digits_f(digits, dp, max(len(digits) - dp, 0))


# ---------------------------------------------------------------- the printer

class _Printer:
    """One formatting run: output pieces, their size, and the current verb's flags."""

    __slots__ = ("out", "size", "ceiling", "wid", "wid_present", "prec", "prec_present",
                 "minus", "plus", "sharp", "space", "zero",
                 "reordered", "good_argnum")

    def __init__(self) -> None:
        self.out: list[str] = []
        self.size = 0
        self.ceiling = limits.budget.max_bytes
        self.reordered = False
        self.good_argnum = True
        self.clear_flags()

    def clear_flags(self) -> None:
        self.wid = self.prec = 0
        self.wid_present = self.prec_present = False
        self.minus = self.plus = self.sharp = self.space = self.zero = False

    # ------------------------------------------------------------ output

    def write(self, s: str) -> None:
        self.out.append(s)
        self.size += len(s)
        if self.size > self.ceiling:
            limits.check_alloc(self.size)

    def reserve(self, n: int) -> None:
        """Refuse before building `n` more characters of output beyond the budget."""
        if self.size + n > self.ceiling:
            limits.check_alloc(self.size + n)

    def padding(self, n: int, zero: bool | None = None) -> None:
        if n > 0:
            self.reserve(n)
            self.write(("0" if (self.zero if zero is None else zero) else " ") * n)

    def pad(self, s: str, zero: bool | None = None) -> None:
        """Write `s` padded to the width (counted in runes), left unless `-`."""
        if not self.wid_present or self.wid == 0:
            self.write(s)
        elif self.minus:
            self.write(s)
            self.padding(self.wid - len(s), zero)
        else:
            self.padding(self.wid - len(s), zero)
            self.write(s)

    # ------------------------------------------------------------ the format loop

    def run(self, fmt: str, args: list[Any]) -> None:
        end, i, argnum, nargs = len(fmt), 0, 0, len(args)
        while i < end:
            self.good_argnum = True
            j = fmt.find("%", i)
            if j < 0:
                self.write(fmt[i:])
                break
            if j > i:
                self.write(fmt[i:j])
            i = self.parse_flags(fmt, j + 1)
            if i < end and "a" <= fmt[i] <= "z" and argnum < nargs:
                self.print_verb(args[argnum], fmt[i])  # fast path: flags then a verb
                argnum, i = argnum + 1, i + 1
                continue
            argnum, i, done = self.directive(fmt, i, args, argnum)
            if done:
                break
        if not self.reordered and argnum < nargs:
            self.extra(args[argnum:])

    def parse_flags(self, fmt: str, i: int) -> int:
        self.clear_flags()
        end = len(fmt)
        while i < end:
            c = fmt[i]
            if c == "#":
                self.sharp = True
            elif c == "0":
                self.zero = not self.minus
            elif c == "+":
                self.plus = True
            elif c == "-":
                self.minus, self.zero = True, False
            elif c == " ":
                self.space = True
            else:
                break
            i += 1
        return i

    def directive(self, fmt: str, i: int, args: list[Any], argnum: int) -> tuple[int, int, bool]:
        """Argument index, width, precision and verb of one `%` directive."""
        end, nargs = len(fmt), len(args)
        argnum, i, after_index = self.arg_number(argnum, fmt, i, nargs)
        if i < end and fmt[i] == "*":
            self.wid, self.wid_present, argnum = _int_from_arg(args, argnum)
            i += 1
            if not self.wid_present:
                self.write("%!(BADWIDTH)")
            if self.wid < 0:
                self.wid, self.minus, self.zero = -self.wid, True, False
            after_index = False
        else:
            self.wid, self.wid_present, i = _parse_num(fmt, i, end)
            if after_index and self.wid_present:
                self.good_argnum = False
        if i + 1 < end and fmt[i] == ".":
            i += 1
            if after_index:
                self.good_argnum = False
            argnum, i, after_index = self.arg_number(argnum, fmt, i, nargs)
            if i < end and fmt[i] == "*":
                self.prec, self.prec_present, argnum = _int_from_arg(args, argnum)
                i += 1
                if self.prec < 0:
                    self.prec, self.prec_present = 0, False
                if not self.prec_present:
                    self.write("%!(BADPREC)")
                after_index = False
            else:
                self.prec, self.prec_present, i = _parse_num(fmt, i, end)
                self.prec_present = True
        if not after_index:
            argnum, i, after_index = self.arg_number(argnum, fmt, i, nargs)
        if i >= end:
            self.write("%!(NOVERB)")
            return argnum, i, True
        verb = fmt[i]
        if verb == "%":
            self.write("%")  # takes no argument, ignores width and precision
        elif not self.good_argnum:
            self.write("%!" + _verb_text(verb) + "(BADINDEX)")
        elif argnum >= nargs:
            self.write("%!" + _verb_text(verb) + "(MISSING)")
        else:
            self.print_verb(args[argnum], verb)
            argnum += 1
        return argnum, i + 1, False

    def arg_number(self, argnum: int, fmt: str, i: int, nargs: int) -> tuple[int, int, bool]:
        """An explicit `[n]` argument index at `fmt[i]`, if any."""
        if i >= len(fmt) or fmt[i] != "[":
            return argnum, i, False
        self.reordered = True
        index, width, ok = _parse_arg_number(fmt, i)
        if ok and 0 <= index < nargs:
            return index, i + width, True
        self.good_argnum = False
        return argnum, i + width, ok

    def extra(self, rest: list[Any]) -> None:
        self.clear_flags()
        self.write("%!(EXTRA ")
        for k, arg in enumerate(rest):
            if k:
                self.write(", ")
            self.write(values.type_name(arg) + "=")
            self.print_arg(arg, "v")
        self.write(")")

    # ------------------------------------------------------------ one argument

    def print_verb(self, arg: Any, verb: str) -> None:
        if verb == "v":  # %#v and %+v are plain %v in Tengo: `#` and `+` stop applying
            self.sharp = self.plus = False
        self.print_arg(arg, verb)

    def print_arg(self, arg: Any, verb: str) -> None:
        if verb == "v":
            self.fmt_s(convert.go_string(arg))
            return
        if verb == "T":
            self.fmt_s(values.type_name(arg))
            return
        handler = _TYPE_HANDLERS.get(type(arg))
        if handler is not None:
            handler(self, arg, verb)
        else:
            self.fmt_string(convert.go_string(arg), verb, arg)

    def bad_verb(self, arg: Any, verb: str) -> None:
        self.write("%!" + _verb_text(verb) + "(" + convert.go_string(arg) + "=")
        self.print_arg(arg, "v")
        self.write(")")

    def fmt_bool(self, v: bool, verb: str) -> None:
        if verb == "t":
            self.pad("true" if v else "false")  # no precision truncation, unlike %s
        else:
            self.bad_verb(v, verb)

    def fmt_int(self, v: int, verb: str) -> None:
        spec = _INT_VERBS.get(verb)
        if spec is not None:
            self.fmt_integer(abs(v), v < 0, spec[0], spec[1], verb)
        elif verb == "c":
            self.pad(_rune_or_error(v & _U64))
        elif verb == "q" and v & _U64 <= convert.MAX_RUNE:
            self.pad(quote(convert.rune_text(v), "'", self.plus))
        elif verb == "U":
            self.fmt_unicode(v & _U64)
        else:
            self.bad_verb(v, verb)

    def fmt_integer(self, mag: int, negative: bool, base: int, spec: str, verb: str) -> None:
        prec = 0
        if self.prec_present:
            prec = self.prec
            if prec == 0 and mag == 0:  # "%.0d" of 0 prints only padding
                self.padding(self.wid, zero=False)
                return
        elif self.zero and self.wid_present:
            prec = self.wid - (1 if negative or self.plus or self.space else 0)
        digits = format(mag, spec)
        if len(digits) < prec:
            self.reserve(prec)
            digits = digits.rjust(prec, "0")
        if self.sharp:
            if base == 2:
                digits = "0b" + digits
            elif base == 8 and digits[0] != "0":
                digits = "0" + digits
            elif base == 16:
                digits = ("0X" if spec == "X" else "0x") + digits
        if verb == "O":
            digits = "0o" + digits
        if negative:
            digits = "-" + digits
        elif self.plus:
            digits = "+" + digits
        elif self.space:
            digits = " " + digits
        self.pad(digits, zero=False)

    def fmt_unicode(self, u: int) -> None:
        """`%U`: `U+0041`, and with `#` also the quoted character when printable."""
        prec = self.prec if self.prec_present and self.prec > 4 else 4
        self.reserve(prec)
        text = "U+" + format(u, "X").rjust(prec, "0")
        if self.sharp and u <= convert.MAX_RUNE and _printable(chr(u)):
            text += " '" + chr(u) + "'"
        self.pad(text, zero=False)

    def fmt_float(self, v: float, verb: str) -> None:
        spec = _FLOAT_VERBS.get(verb)
        if spec is None:
            self.bad_verb(v, verb)
            return
        fverb, prec = spec
        if self.prec_present:
            prec = self.prec
            self.reserve(prec)
        num = ftoa(v, fverb, prec)
        num = num if num[0] in "+-" else "+" + num
        if self.space and num[0] == "+" and not self.plus:
            num = " " + num[1:]
        if num[1] in "IN":  # Inf and NaN are never zero padded
            if num[1] == "N" and not self.space and not self.plus:
                num = num[1:]
            self.pad(num, zero=False)
            return
        if self.sharp and fverb != "b":
            num = _sharp_float(num, fverb, prec)
        if self.plus or num[0] != "+":
            if self.zero and self.wid_present and self.wid > len(num):
                self.write(num[0])  # the sign goes before the zero padding
                self.padding(self.wid - len(num))
                self.write(num[1:])
            else:
                self.pad(num)
            return
        self.pad(num[1:])

    def fmt_string(self, s: str, verb: str, arg: Any) -> None:
        if verb == "s":
            self.fmt_s(s)
        elif verb == "q":
            self.fmt_q(s)
        elif verb == "x" or verb == "X":
            self.fmt_hex(values.to_bytes(s), verb == "X")
        else:
            self.bad_verb(arg, verb)

    def fmt_str_arg(self, s: str, verb: str) -> None:
        self.fmt_string(s, verb, s)

    def fmt_bytes(self, b: bytes, verb: str) -> None:
        if verb == "d":
            self.write("[")
            for k, c in enumerate(b):
                if k:
                    self.write(" ")
                self.fmt_integer(c, False, 10, "d", "d")
            self.write("]")
        elif verb == "s":
            self.fmt_s(values.from_bytes(b))
        elif verb == "q":
            self.fmt_q(values.from_bytes(b))
        elif verb == "x" or verb == "X":
            self.fmt_hex(b, verb == "X")
        # Go Tengo prints nothing at all for any other verb on bytes.

    def fmt_s(self, s: str) -> None:
        if self.prec_present:
            s = s[: self.prec]
        self.pad(s)

    def fmt_q(self, s: str) -> None:
        if self.prec_present:
            s = s[: self.prec]
        if self.sharp and can_backquote(s):
            self.pad("`" + s + "`")
        else:
            self.pad(quote(s, '"', self.plus))

    def fmt_hex(self, b: bytes, upper: bool) -> None:
        """`%x` of a string or bytes: two hex digits a byte; `#` adds 0x, ` ` separates."""
        n = min(len(b), self.prec) if self.prec_present else len(b)
        if n == 0:
            if self.wid_present:
                self.padding(self.wid)
            return
        prefix = ("0X" if upper else "0x") if self.sharp else ""
        width = 2 * n
        if self.space:
            width = width * (2 if self.sharp else 1) + n - 1
        else:
            width += len(prefix)
        self.reserve(max(width, self.wid))
        if self.wid_present and self.wid > width and not self.minus:
            self.padding(self.wid - width)
        hexed = b[:n].hex()
        if upper:
            hexed = hexed.upper()
        if self.space:
            text = " ".join(prefix + hexed[k : k + 2] for k in range(0, 2 * n, 2))
        else:
            text = prefix + hexed
        self.write(text)
        if self.wid_present and self.wid > width and self.minus:
            self.padding(self.wid - width)


def _fmt_char(p: _Printer, c: Char, verb: str) -> None:
    p.fmt_string(convert.rune_text(c.v), verb, c)


_TYPE_HANDLERS: dict[type, Any] = {
    bool: _Printer.fmt_bool,
    int: _Printer.fmt_int,
    float: _Printer.fmt_float,
    str: _Printer.fmt_str_arg,
    bytes: _Printer.fmt_bytes,
    Char: _fmt_char,
}


# ---------------------------------------------------------------- parsing helpers

def _parse_num(fmt: str, i: int, end: int) -> tuple[int, bool, int]:
    """Go's parsenum: digits at `fmt[i:]`; a crazy long number swallows the whole rest."""
    num, isnum = 0, False
    while i < end and "0" <= fmt[i] <= "9":
        if num > _TOO_LARGE:
            return 0, False, end
        num = num * 10 + ord(fmt[i]) - 48
        isnum = True
        i += 1
    return num, isnum, i


def _parse_arg_number(fmt: str, i: int) -> tuple[int, int, bool]:
    """`[n]` at `fmt[i]`: (zero-based index, characters consumed, ok)."""
    if len(fmt) - i < 3:
        return 0, 1, False
    close = fmt.find("]", i + 1)
    if close < 0:
        return 0, 1, False
    num, ok, stop = _parse_num(fmt, i + 1, close)
    if not ok or stop != close:
        return 0, close - i + 1, False
    return num - 1, close - i + 1, True


def _int_from_arg(args: list[Any], argnum: int) -> tuple[int, bool, int]:
    """A `*` width or precision taken from the arguments (anything `int()` accepts)."""
    if argnum >= len(args):
        return 0, False, argnum
    num = convert.to_int(args[argnum])
    if num is None or not -_TOO_LARGE <= num <= _TOO_LARGE:
        return 0, False, argnum + 1
    return num, True, argnum + 1


def _verb_text(verb: str) -> str:
    return "\ufffd" if 0xDC80 <= ord(verb) <= 0xDCFF else verb


def _rune_or_error(u: int) -> str:
    return convert.rune_text(u) if u <= convert.MAX_RUNE else convert.RUNE_ERROR


def _sharp_float(num: str, verb: str, prec: int) -> str:
    """`#` on a float: always a decimal point, and %g/%x keep their trailing zeros."""
    digits = (6 if prec == -1 else prec) if verb in ("g", "G", "x") else 0
    tail = ""
    has_point = False
    for k in range(1, len(num)):
        c = num[k]
        if c == ".":
            has_point = True
        elif c in "pP" or (c in "eE" and verb not in "xX"):
            num, tail = num[:k], num[k:]
            break
        else:
            digits -= 1
    if not has_point:
        num += "."
    return num + "0" * max(digits, 0) + tail
