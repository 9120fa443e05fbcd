"""Tengo's scanner: UTF-8 source bytes to tokens, with Go's automatic semicolon insertion.

`Scanner(src, errors).tokens()` yields `(kind, literal, (line, column), value)`; the
column counts bytes, as Go does. Kinds are strings: `IDENT INT FLOAT CHAR STRING EOF
ILLEGAL`, the operator text (`+`, `&^=`, `;`, ...) or the keyword itself. A semicolon
inserted at a newline or at the end of the file has the literal `"\\n"`, an explicit one
`";"`. `value` is the decoded value of a STRING or CHAR (None when malformed) or of a
small decimal INT (None otherwise: the parser converts the literal).

Errors are appended to the shared `errors` list as `((line, col), message)`, with Go's
wording, at the moment Go's scanner reports them (when the token holding them is
scanned): the parser's own error filtering depends on that order.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import Any, cast

Pos = tuple[int, int]
ErrorList = list[tuple[Pos, str]]

IDENT, INT, FLOAT, CHAR, STRING = "IDENT", "INT", "FLOAT", "CHAR", "STRING"
EOF, ILLEGAL, SEMI = "EOF", "ILLEGAL", ";"
LITERAL_KINDS = frozenset({IDENT, INT, FLOAT, CHAR, STRING})

KEYWORDS = {
    k: k
    for k in (
        "break", "continue", "else", "for", "func", "error", "immutable", "if",
        "return", "export", "true", "false", "in", "undefined", "import",
    )
}

# A newline after one of these ends the statement (Go's rule, Tengo's keyword set).
_SEMI_AFTER = frozenset(
    {IDENT, INT, FLOAT, CHAR, STRING, "break", "continue", "return", "export",
     "true", "false", "undefined", ")", "]", "}", "++", "--"}
)

_OPERATORS = (
    "&^=", "<<=", ">>=", "...", "&^", "&&", "||", "<<", ">>", "++", "--",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "==", "!=", "<=", ">=", ":=",
    "+", "-", "*", "/", "%", "&", "|", "^", "<", ">", "=", "!", ":", ".", ",",
    "?", ";", "(", ")", "[", "]", "{", "}",
)
_OP_TOKENS = {op.encode(): (op, op in _SEMI_AFTER) for op in _OPERATORS}  # kind, semi after

# One match per common token, after blanks: ASCII identifier | comment opener | operator
# | newline | small decimal int | escape-free string. Anything else takes the slow path.
_FAST = re.compile(
    rb"[ \t\r]*+(?:"
    rb"([A-Za-z_][A-Za-z0-9_]*+)(?![\x80-\xff])"
    rb"|(/[/*])"
    rb"|(" + b"|".join(
        rb"\.(?![0-9])" if op == "." else re.escape(op.encode()) for op in _OPERATORS
    ) + rb")"
    rb"|(\n[ \t\r]*+)(?!\n)"
    rb"|((?:[1-9][0-9]{0,17}|0)(?![0-9_.xXbBoOeEpP]))"
    rb'|("[^"\\\n]*+")'
    rb"|(\n[ \t\r\n]*+)"
    rb")"
)
_G_IDENT, _G_COMMENT, _G_OP, _G_NEWLINE, _G_INT, _G_STRING, _G_NEWLINES = 1, 2, 3, 4, 5, 6, 7

_WS = re.compile(rb"[ \t\r]*+")
_IDENT_BYTES = re.compile(rb"[A-Za-z0-9_\x80-\xff]*+")  # what may belong to an identifier
_NUMBER = re.compile(
    rb"(?:0[xX][0-9a-fA-F_]*+(\.[0-9a-fA-F_]*+)?"
    rb"|0[bB][01_]*+|0[oO][0-7_]*+"
    rb"|[0-9][0-9_]*+(\.[0-9_]*+)?"
    rb"|(\.[0-9_]*+))"
    rb"(?:([eEpP])[+-]?([0-9_]*+))?"
)
# A run of string content whose escapes are all well formed (range checks come later),
# and one well-formed escape: simple | \xHH | \uHHHH | \UHHHHHHHH | \ooo.
_STR_RUN = {}
_ESCAPE = {}
for _q in (b'"', b"'"):
    _STR_RUN[_q[0]] = re.compile(
        rb"(?:[^" + _q + rb"\\\n]++|\\(?:[abfnrtv\\" + _q
        + rb"]|[0-7]{3}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}))*+"
    )
    _ESCAPE[_q[0]] = re.compile(
        rb"\\(?:([abfnrtv\\" + _q + rb"])|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})"
        rb"|U([0-9a-fA-F]{8})|([0-7]{3}))"
    )
# Where a quoted literal ends, escapes taken loosely (for skipping once errors decide).
_QUOTED_SKIP = {
    q: re.compile(rb"(?:[^" + bytes((q,)) + rb"\\\n]++|\\[^\n])*+") for q in (0x22, 0x27)
}
_CHAR_RUN = re.compile(rb"[^'\\\n]*+")
_RISKY_ESCAPE = re.compile(rb"\\[uU4-7]")
_SIMPLE_ESCAPES = dict(zip(b"abfnrtv\\'\"", b"\a\b\f\n\r\t\v\\'\"", strict=True))
_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}"
    rb"|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
# Everything Go's scanner reads without complaint: no NUL, no stray BOM, valid UTF-8.
_CLEAN = re.compile(
    rb"(?:[\x01-\x7f]++|(?!\xef\xbb\xbf)(?:" + _MULTIBYTE.pattern + rb"))*+"
)
_BOM = b"\xef\xbb\xbf"
_NO_ERROR = 1 << 62  # an offset past any source


def go_rune_repr(r: int) -> str:
    """Go's `%#U`: `U+0040 '@'`, or just `U+0000` for an unprintable rune."""
    text = f"U+{r:04X}"
    return f"{text} '{chr(r)}'" if chr(r).isprintable() else text


def rune_at(src: bytes, i: int) -> tuple[int, int]:
    """Go's utf8.DecodeRune at offset i: (rune, width); invalid bytes give (U+FFFD, 1)."""
    b = src[i]
    if b < 0x80:
        return b, 1
    m = _MULTIBYTE.match(src, i)
    if m is None:
        return 0xFFFD, 1
    return ord(m.group().decode()), m.end() - i


def _char_errors(src: bytes, start: int) -> Iterator[tuple[int, str]]:
    """Errors Go reports while merely reading characters, in offset order."""
    n = len(src)
    if src.isascii():
        i = src.find(b"\x00", start)
        while i >= 0:
            yield i, "illegal character NUL"
            i = src.find(b"\x00", i + 1)
        return
    i = start
    while True:
        i = _CLEAN.match(src, i).end()  # type: ignore[union-attr]
        if i >= n:
            return
        if src[i] == 0:
            yield i, "illegal character NUL"
            i += 1
        elif src.startswith(_BOM, i):
            yield i, "illegal byte order mark"
            i += 3
        else:
            yield i, "illegal UTF-8 encoding"
            i += 1


Token = tuple[str, str, Pos, Any]

MAX_ERRORS = 10
"""Past this many errors the outcome is settled and scanning and parsing stop at the end of
the current token: Go's parser records no further error of its own then, and the scanner's
later errors all lie after the ones already recorded, so the first error cannot change."""


class Bailout(Exception):
    """Stop scanning and parsing: the errors recorded so far decide the outcome."""


class Scanner:
    """Scans one source; `tokens()` is the token stream (see the module docstring)."""

    def __init__(self, src: bytes, errors: ErrorList) -> None:
        self.src = src
        self.n = len(src)
        self.errors = errors
        self.start = 3 if src.startswith(_BOM) else 0  # Go skips a leading BOM
        self.value: Any = None  # the value of the token a slow path just scanned
        self.saturated = False  # enough errors to decide the outcome
        self._first_error = _NO_ERROR  # offset of the earliest error recorded
        self._cerrs = _char_errors(src, self.start)
        self._cerr_off, self._cerr_msg = next(self._cerrs, (_NO_ERROR, ""))

    # ------------------------------------------------------------ positions, errors

    def pos_of(self, off: int) -> Pos:
        """(line, column) of a byte offset, for errors (rare, and capped): O(n) each but
        needs no table of lines. A final newline of the file opens no line, as in Go."""
        src = self.src
        line_end = off
        if off >= self.n and src.endswith(b"\n"):
            line_end = self.n - 1
        return src.count(b"\n", 0, line_end) + 1, off - src.rfind(b"\n", 0, line_end)

    def _read_to(self, off: int) -> None:
        """Report character-level errors up to offset `off`, which the scanner has read."""
        while self._cerr_off <= off:
            self._error(self._cerr_off, self._cerr_msg)
            if self.saturated:  # the rest cannot matter: skip them in one step
                resume = off + rune_at(self.src, off)[1] if off < self.n else self.n
                self._cerrs = _char_errors(self.src, resume)
            self._cerr_off, self._cerr_msg = next(self._cerrs, (_NO_ERROR, ""))

    def _error(self, off: int, msg: str) -> None:
        """Record an error. Once `MAX_ERRORS` are recorded, only one that lies before all
        of them can still matter (a token's "not terminated" comes after its other errors,
        at its start); the token stream stops at the end of the current token."""
        if self.saturated and off > self._first_error:
            return
        self.errors.append((self.pos_of(off), msg))
        self._first_error = min(self._first_error, off)
        if len(self.errors) > MAX_ERRORS:
            self.saturated = True

    def _after_lines(self, start: int, end: int, line: int, line_start: int) -> tuple[int, int]:
        """(line, line_start) after the newlines in src[start:end] (a final newline of
        the file does not count, as in Go)."""
        src = self.src
        count = src.count(b"\n", start, end)
        if count:
            last = src.rfind(b"\n", start, end)
            if last + 1 >= self.n:
                count -= 1
                last = src.rfind(b"\n", start, last)
            if count:
                return line + count, last + 1
        return line, line_start

    # ------------------------------------------------------------ the token stream

    def tokens(self) -> Iterator[Token]:
        """Go's Scan, as a generator. The hot path keeps its state in local variables and
        handles identifiers and operators in one regex match each (see `_FAST`)."""
        src, n = self.src, self.n
        fast = _FAST.match
        words: dict[bytes, tuple[str, str, bool]] = {}  # identifier bytes -> kind, lit, semi
        ops = _OP_TOKENS
        off, line, col0 = self.start, 1, -1  # col0: offset just before the line's start
        semi = False  # insert a semicolon at the next newline
        cerr_off = self._cerr_off  # where the next character-level error is
        while True:
            m = fast(src, off)
            if m is None:
                kind, lit, start, end = self._scan_slow(off)
                if self.saturated:
                    raise Bailout
                cerr_off = self._cerr_off
                pos = line, start - col0
                if kind == EOF:
                    if semi:
                        semi = False
                        off = start
                        yield SEMI, "\n", pos, None
                        continue
                    while True:
                        yield EOF, "", pos, None
                if kind != ILLEGAL:  # an illegal character leaves the semicolon state alone
                    semi = kind in _SEMI_AFTER
                if kind == STRING and lit[0] == "`":
                    line, line_start = self._after_lines(start, end, line, col0 + 1)
                    col0 = line_start - 1
                off = end
                yield kind, lit, pos, self.value
                continue
            group = m.lastindex
            if group == _G_IDENT:
                start, off = m.span(1)
                word = m.group(1)
                entry = words.get(word)
                if entry is None:
                    lit = word.decode()
                    kind = KEYWORDS.get(lit, IDENT)
                    entry = words[word] = kind, lit, kind in _SEMI_AFTER
                kind, lit, semi = entry
                if cerr_off <= off:
                    cerr_off = self._read_to_checked(off)
                yield kind, lit, (line, start - col0), None
            elif group == _G_OP:
                start, off = m.span(3)
                kind, semi = ops[m.group(3)]
                if cerr_off <= off:
                    cerr_off = self._read_to_checked(off)
                yield kind, kind, (line, start - col0), None
            elif group in (_G_NEWLINE, _G_NEWLINES):
                start, off = m.span(group)
                if cerr_off <= off:
                    cerr_off = self._read_to_checked(off)
                if semi:
                    semi = False
                    yield SEMI, "\n", (line, start - col0), None
                if group == _G_NEWLINES:  # blank lines
                    line, line_start = self._after_lines(start, off, line, col0 + 1)
                    col0 = line_start - 1
                elif start + 1 < n:
                    line, col0 = line + 1, start
            elif group == _G_INT:
                start, off = m.span(_G_INT)
                if cerr_off <= off:
                    cerr_off = self._read_to_checked(off)
                semi = True
                lit = m.group(_G_INT).decode()
                yield INT, lit, (line, start - col0), int(lit)
            elif group == _G_STRING:
                start, off = m.span(_G_STRING)
                if cerr_off <= off:
                    cerr_off = self._read_to_checked(off)
                semi = True
                lit = m.group(_G_STRING).decode("utf-8", "surrogateescape")
                yield STRING, lit, (line, start - col0), lit[1:-1]
            else:
                start = m.start(_G_COMMENT)
                if semi and self._comment_ends_line(start):
                    semi = False  # the comment stands for a newline
                    off = start  # it is scanned again next, reporting what it holds
                    cerr_off = self._cerr_off
                    yield SEMI, "\n", (line, start - col0), None
                    continue
                off = self._skip_comment(start)
                cerr_off = self._read_to_checked(off)
                line, line_start = self._after_lines(start, off, line, col0 + 1)
                col0 = line_start - 1
                semi = False

    def _read_to_checked(self, off: int) -> int:
        """`_read_to` at a token boundary: stop once the outcome is decided; returns where
        the next character-level error is."""
        self._read_to(off)
        if self.saturated:
            raise Bailout
        return self._cerr_off

    def _skip_comment(self, start: int) -> int:
        """Skip the comment at `start`; returns where it ends."""
        src = self.src
        if src[start + 1] == 0x2F:  # //
            end = src.find(b"\n", start)
            end = self.n if end < 0 else end
        else:
            close = src.find(b"*/", start + 2)
            if close < 0:
                self._read_to(self.n)
                self._error(start, "comment not terminated")
                return self.n
            end = close + 2
        self._read_to(end)
        return end

    def _comment_ends_line(self, i: int) -> bool:
        """Whether the comments starting at `i` reach a newline or the end of the file
        before the next token (Go's findLineEnd)."""
        src, n = self.src, self.n
        while True:
            if src[i + 1] == 0x2F:  # a //-comment always runs to a newline
                self._read_to(i + 1)
                return True
            close = src.find(b"*/", i + 2)
            nl = src.find(b"\n", i + 2, n if close < 0 else close)
            if nl >= 0:
                self._read_to(nl)
                return True
            if close < 0:
                self._read_to(n)
                return True
            i = _WS.match(src, close + 2).end()  # type: ignore[union-attr]
            self._read_to(i)
            if i >= n or src[i] == 0x0A:
                return True
            if src[i] != 0x2F or i + 1 >= n or src[i + 1] not in b"/*":
                return False

    # ------------------------------------------------------------ slow paths

    def _scan_slow(self, off: int) -> tuple[str, str, int, int]:
        """A token `_FAST` does not cover: (kind, literal, start, end); EOF at the end."""
        src = self.src
        start = _WS.match(src, off).end()  # type: ignore[union-attr]
        if start >= self.n:
            self._read_to(start)
            return EOF, "", start, start
        kind, lit, end = self._scan_token(start)
        self._read_to(end)
        return kind, lit, start, end

    def _scan_token(self, start: int) -> tuple[str, str, int]:
        src = self.src
        c = src[start]
        if c == 0x22:
            return self._scan_string(start)
        if c == 0x27:
            return self._scan_char(start)
        if c == 0x60:
            return self._scan_raw_string(start)
        if 0x30 <= c <= 0x39 or c == 0x2E:  # `_FAST` takes a '.' not before a digit
            return self._scan_number(start)
        r, w = rune_at(src, start)
        if c == 0x5F or chr(r).isalpha():
            return self._scan_ident(start)
        self._read_to(start + w)
        if r != 0xFEFF:  # a stray BOM was reported when read
            self._error(start, f"illegal character {go_rune_repr(r)}")
        self.value = None
        return ILLEGAL, chr(r), start + w

    def _scan_ident(self, start: int) -> tuple[str, str, int]:
        """An identifier with non-ASCII letters or digits (Go: Unicode L or Nd)."""
        src = self.src
        end = _IDENT_BYTES.match(src, start).end()  # type: ignore[union-attr]
        text = src[start:end].decode("utf-8", "surrogateescape")
        if not text.isalpha():
            for i, ch in enumerate(text):
                if not (ch.isalpha() or ch.isdecimal() or ch == "_"):
                    text = text[:i]
                    end = start + len(text.encode())
                    break
        self.value = None
        return KEYWORDS.get(text, IDENT), text, end

    def _scan_number(self, start: int) -> tuple[str, str, int]:
        m = _NUMBER.match(self.src, start)
        assert m is not None  # the caller saw a digit
        end = m.end()
        is_float = m.group(1) is not None or m.group(2) is not None or m.group(3) is not None
        if m.group(4) is not None:
            is_float = True
            if not m.group(5):
                self._read_to(m.start(5))
                self._error(m.start(5), "exponent has no digits")
        self.value = None
        return (FLOAT if is_float else INT), self.src[start:end].decode(), end

    def _scan_raw_string(self, start: int) -> tuple[str, str, int]:
        close = self.src.find(b"`", start + 1)
        if close < 0:
            end = self.n
            self._read_to(end)
            self._error(start, "raw string literal not terminated")
            self.value = None
        else:
            end = close + 1
        raw = self.src[start:end].replace(b"\r", b"")
        if close >= 0:
            self.value = raw[1:-1].decode("utf-8", "surrogateescape")
        return STRING, raw.decode("utf-8", "surrogateescape"), end

    def _scan_string(self, start: int) -> tuple[str, str, int]:
        src, n = self.src, self.n
        run = _STR_RUN[0x22]
        parts: list[bytes] = []
        ok = True
        i = start + 1
        while True:
            j = run.match(src, i).end()  # type: ignore[union-attr]
            if j > i:
                piece = self._unescape(i, j)
                if piece is None:
                    ok = False
                else:
                    parts.append(piece)
            i = j
            if i >= n or src[i] == 0x0A:
                self._read_to(i)
                self._error(start, "string literal not terminated")
                ok = False
                break
            if src[i] == 0x22:
                i += 1
                break
            i = self._bad_escape(i + 1)  # the run stopped at a malformed escape
            ok = False
            if self.saturated:  # only the string's end still matters
                i = _QUOTED_SKIP[0x22].match(src, i).end()  # type: ignore[union-attr]
        self.value = b"".join(parts).decode("utf-8", "surrogateescape") if ok else None
        return STRING, src[start:i].decode("utf-8", "surrogateescape"), i

    def _unescape(self, i: int, j: int) -> bytes | None:
        """The bytes of string content src[i:j], whose escapes are well formed; None
        after reporting an escape whose value is out of range."""
        seg = self.src[i:j]
        if b"\\" not in seg:
            return seg
        if _RISKY_ESCAPE.search(seg) is None:
            return cast(bytes, codecs.escape_decode(seg)[0])  # typeshed says str
        out = bytearray()
        ok = True
        last = 0
        for m in _ESCAPE[0x22].finditer(seg):
            out += seg[last : m.start()]
            last = m.end()
            rune = _escape_rune(m)
            if rune is None:
                self._read_to(i + m.end())
                self._error(i + m.start() + 1, "escape sequence is invalid Unicode code point")
                ok = False
                if self.saturated:
                    return None
            elif m.group(2) is not None or m.group(5) is not None:
                out.append(rune)  # \x and octal escapes are bytes
            else:
                out += chr(rune).encode()
        out += seg[last:]
        return bytes(out) if ok else None

    def _bad_escape(self, i: int) -> int:
        """Report the malformed escape whose body starts at `i` as Go does; returns where
        scanning resumes (the offending character is not consumed)."""
        src, n = self.src, self.n
        if i >= n:
            self._error(i, "escape sequence not terminated")
            return i
        c = src[i]
        if c in _DIGITS_AFTER:
            first, count, base = i + 1, _DIGITS_AFTER[c], 16
        elif 0x30 <= c <= 0x37:
            first, count, base = i, 3, 8
        else:
            self._read_to(i)
            self._error(i, "unknown escape sequence")
            return i
        for p in range(first, first + count):
            if p >= n:
                self._error(p, "escape sequence not terminated")
                return p
            if _digit_val(src[p]) >= base:
                self._read_to(p)
                rune = rune_at(src, p)[0]
                self._error(p, f"illegal character {go_rune_repr(rune)} in escape sequence")
                return p
        raise AssertionError("a well-formed escape stopped the run")  # pragma: no cover

    def _scan_char(self, start: int) -> tuple[str, str, int]:
        src, n = self.src, self.n
        i = start + 1
        valid = True
        count = 0
        value = 0
        while True:
            if i >= n or src[i] == 0x0A:
                if valid:
                    self._read_to(i)
                    self._error(start, "rune literal not terminated")
                    valid = False
                break
            c = src[i]
            if c == 0x27:
                i += 1
                break
            if c != 0x5C:
                value, w = rune_at(src, i)
                end = _CHAR_RUN.match(src, i).end()  # type: ignore[union-attr]
                count += 1 if end == i + w else 2  # only "exactly one" matters
                i = end
                continue
            count += 1
            m = _ESCAPE[0x27].match(src, i)
            if m is None:
                i = self._bad_escape(i + 1)
                valid = False
                if self.saturated:  # only the literal's end still matters
                    i = _QUOTED_SKIP[0x27].match(src, i).end()  # type: ignore[union-attr]
                continue
            i = m.end()
            rune = _escape_rune(m)
            if rune is None:
                self._read_to(i)
                self._error(m.start() + 1, "escape sequence is invalid Unicode code point")
                valid = False
            else:
                value = rune
        self._read_to(i)
        if valid and count != 1:
            self._error(start, "illegal rune literal")
            valid = False
        self.value = value if valid else None
        return CHAR, src[start:i].decode("utf-8", "surrogateescape"), i


_DIGITS_AFTER = {0x78: 2, 0x75: 4, 0x55: 8}  # \x, \u, \U


def _escape_rune(m: re.Match[bytes]) -> int | None:
    """The value of one well-formed escape (a byte for \\x and octal); None when out of
    range (an octal above 255, a surrogate, beyond U+10FFFF)."""
    simple, hex2, hex4, hex8, octal = m.groups()
    if simple is not None:
        return _SIMPLE_ESCAPES[simple[0]]
    if hex2 is not None:
        return int(hex2, 16)
    if octal is not None:
        x = int(octal, 8)
        return x if x <= 255 else None
    x = int(hex4 or hex8, 16)
    return None if x > 0x10FFFF or 0xD800 <= x < 0xE000 else x


def _digit_val(c: int) -> int:
    if 0x30 <= c <= 0x39:
        return c - 0x30
    if 0x61 <= c <= 0x66:
        return c - 0x61 + 10
    if 0x41 <= c <= 0x46:
        return c - 0x41 + 10
    return 16
