"""Tengo's `json` module: `decode`, `encode`, `indent`, `html_escape` with Go Tengo's results.

`encode` follows Tengo's own encoder: no HTML escaping, invalid UTF-8 copied as is, bytes as
base64 strings, chars as numbers, floats in ES6 style (`3.0` is `3`), NaN/Inf an error value,
and functions, errors and other values writing *nothing* in their place (`[1,,2]`). Go
iterates maps in random order; here keys are sorted (by bytes) so output is reproducible.

`decode` turns integers into ints (clamped to int64) and anything with `.`, `e` or `E` into
floats; invalid input gives an error value with Go's scanner message. Python's C decoder
is the fast path; anything it refuses is re-read by a Go-faithful scanner, which supplies
the exact error or, for valid input Python cannot take (very deep or huge numbers), the value.

Neither direction recurses: nesting deeper than `MAX_DEPTH` (Go's encoding/json limit) is an
error value instead of a crash. Results are checked against the allocation budget.
"""

from __future__ import annotations

import base64
import json as pyjson
import math
import re
import sys
from collections.abc import Callable, Iterator
from itertools import accumulate, compress
from typing import Any

from scriptvisor.engines import limits
from scriptvisor.engines.tengo.values import (
    INT_MAX,
    INT_MIN,
    SLOT_BYTES,
    Array,
    Char,
    Error,
    ImmutableArray,
    ImmutableMap,
    RuntimeErr,
    format_float,
    from_bytes,
    go_quote,
    to_bytes,
    type_name,
)

MAX_DEPTH = 10000
CHECK_EVERY = 64 * 1024  # bytes of encoder output between budget checks

# ---------------------------------------------------------------- arguments


def _arity(args: tuple[Any, ...], n: int) -> None:
    if len(args) != n:
        raise RuntimeErr("wrong number of arguments")


def _json_input(v: Any) -> bytes:
    """The `bytes/string` first argument of decode, indent and html_escape."""
    if type(v) is bytes:
        return v
    if type(v) is str:
        return to_bytes(v)
    raise RuntimeErr(
        f"invalid type for argument 'first': expected bytes/string, found {type_name(v)}"
    )


def _str_arg(v: Any, name: str) -> str:
    from scriptvisor.engines.tengo import convert

    s = convert.to_string(v)
    if s is None:
        raise RuntimeErr(
            f"invalid type for argument '{name}': expected string(compatible), "
            f"found {type_name(v)}"
        )
    return s


# ---------------------------------------------------------------- encode

class _EncodeError(Exception):
    pass


# Output is built as text (invalid UTF-8 as surrogate escapes) and encoded once at the end.
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\]')
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    return _ESCAPES.get(ch) or f"\\u00{ord(ch):02x}"


def encode_string(s: str) -> str:
    """Tengo's encodeString: escape `"`, `\\` and control bytes; copy everything else
    (no HTML escaping, invalid UTF-8 left as it is)."""
    if _NEEDS_ESCAPE.search(s) is None:
        return '"' + s + '"'
    return '"' + _NEEDS_ESCAPE.sub(_escape, s) + '"'


def _encode_float(f: float) -> str:
    if math.isinf(f) or f != f:
        raise _EncodeError("unsupported float value")
    a = abs(f)
    if a != 0 and (a < 1e-6 or a >= 1e21):
        from scriptvisor.engines.tengo.stdlib.text import go_format_float

        text = go_format_float(f, "e", -1, 64)
        if len(text) >= 4 and text[-4] == "e" and text[-3] == "-" and text[-2] == "0":
            text = text[:-2] + text[-1]  # e-09 -> e-9
        return text
    return format_float(f)


def _encode_time(t: Any) -> str:
    from scriptvisor.engines.tengo.stdlib import times

    if not 0 <= times.Fields(t).year <= 9999:
        raise _EncodeError("Time.MarshalJSON: year outside of range [0,9999]")
    return '"' + times.format_time(t, "2006-01-02T15:04:05.999999999Z07:00") + '"'


def _encode_other(v: Any) -> str:
    """Leaves other than strings and numbers."""
    t = type(v)
    if t is bool:
        return "true" if v else "false"
    if v is None:
        return "null"
    if t is bytes:
        return '"' + base64.b64encode(v).decode("ascii") + '"'
    if t is Char:
        return str(v.v)
    if getattr(t, "TYPE_NAME", None) == "time":
        return _encode_time(v)
    return ""  # functions, errors and anything else: nothing at all


class _Frame:
    """An open array or map being encoded: the iterator over what is left of it."""

    __slots__ = ("items", "closer", "is_map", "first")

    def __init__(self, items: Iterator[Any], closer: str, is_map: bool) -> None:
        self.items = items
        self.closer = closer
        self.is_map = is_map
        self.first = True


def _open(v: Any) -> _Frame | None:
    t = type(v)
    if t is Array or t is ImmutableArray:
        return _Frame(v.values(), "]", False)
    if t is dict or t is ImmutableMap:
        d = v if t is dict else v.d
        pairs = [(k, d[k]) for k in sorted(d, key=to_bytes)]
        return _Frame(iter(pairs), "}", True)
    return None


class _NotFast(Exception):
    """The C-encoder fast path cannot give Tengo's exact output: use the Python encoder."""


FAST_MAX_DEPTH = 200  # deeper values skip Python's recursive C encoder
FAST_LEAF_BOUND = 32  # output chars of any non-string leaf with its key quotes/separators
# Python writes floats Go formats differently (`3.0`, `1e-05`, `1e+16`) and the \b, \f
# escapes Tengo writes as \u0008, \u000c; a match (maybe inside a string) means fall back.
_FAST_SUSPECT = re.compile(r"\.0[,\]}]|[0-9]e[+-]|\\[bf]")


def _suspect(text: str) -> bool:
    """Whether Python's output may differ from Tengo's (substring tests first: fast)."""
    for probe in (".0", "e+", "e-", "\\"):
        if probe in text:
            return _FAST_SUSPECT.search(text) is not None
    return False


def _fast_default(v: Any) -> Any:
    t = type(v)
    if t is Array or t is ImmutableArray:
        buf = v.buf
        return buf if v.lo == 0 and v.n == len(buf) else v.items()  # only read
    if t is ImmutableMap:
        return v.d
    if t is Char:
        return v.v
    if t is bytes:
        return base64.b64encode(v).decode("ascii")
    raise _NotFast


_FAST_ENCODER = pyjson.JSONEncoder(
    ensure_ascii=False,
    check_circular=False,
    allow_nan=False,
    sort_keys=True,
    separators=(",", ":"),
    default=_fast_default,
)


_CONTAINERS = frozenset((dict, Array, ImmutableArray, ImmutableMap))
_TEXTS = frozenset((str, bytes))
_is_container = _CONTAINERS.__contains__
_is_text = _TEXTS.__contains__


def _fast_bound(root: Any) -> int | None:
    """An upper bound of the output size, or None when the value is not a plain tree of at
    most FAST_MAX_DEPTH levels or the bound passes the budget. A tree: no storage (a dict,
    an array's buffer; immutable views share them) met twice, else the output may explode
    (or never end, for a cycle). Level by level, linear in containers and elements."""
    limit = limits.budget.max_bytes
    seen: set[int] = set()
    level = [root]
    chars = items = containers = depth = 0
    while level:
        depth += 1
        if depth > FAST_MAX_DEPTH:
            return None
        nodes, level = level, []
        push = level.append
        for node in nodes:
            c = node.__class__
            if c is dict or c is ImmutableMap:
                vals: Any = node.values() if c is dict else node.d.values()
                store = node if c is dict else node.d
                chars += sum(map(len, store))
            else:
                store = node.buf
                vals = store if node.lo == 0 and node.n == len(store) else node.items()
            seen.add(id(store))
            n = len(vals)
            items += n
            if n <= 16:  # small: a plain loop beats the bulk calls below
                for e in vals:
                    t = e.__class__
                    if t is str or t is bytes:
                        chars += len(e)
                    elif t in _CONTAINERS:
                        push(e)
                continue
            types = set(map(type, vals))
            if not _TEXTS.isdisjoint(types):
                chars += sum(map(len, compress(vals, map(_is_text, map(type, vals)))))
            if not _CONTAINERS.isdisjoint(types):
                level.extend(compress(vals, map(_is_container, map(type, vals))))
        containers += len(nodes)
        if len(seen) != containers:
            return None
        bound = 6 * chars + FAST_LEAF_BOUND * (items + containers)
        if bound > limit:
            return None
    return bound


def _fast_encode(value: Any) -> str | None:
    """Python's C encoder where its output is Tengo's exactly, else None."""
    t = type(value)
    if t is not dict and t is not Array and t is not ImmutableArray and t is not ImmutableMap:
        return None
    if _fast_bound(value) is None:
        return None
    try:
        text = _FAST_ENCODER.encode(_fast_default(value) if t is not dict else value)
    except (_NotFast, ValueError, TypeError, RecursionError):
        return None
    if _suspect(text):
        return None
    if not text.isascii():
        try:
            text.encode("utf-8")  # a surrogate escape (invalid UTF-8) may sort keys apart
        except UnicodeEncodeError:
            return None
    return text


def go_encode(value: Any) -> bytes:
    """Tengo's json.Encode, without recursion; raises _EncodeError with Go's message."""
    fast = _fast_encode(value)
    if fast is not None:
        limits.check_alloc(len(fast))
        return fast.encode("utf-8")
    root = _open(value)
    if root is None:
        leaf = _encode_leaf(value)
        limits.check_alloc(len(leaf))
        return leaf.encode("utf-8", "surrogateescape")
    out: list[str] = ["[" if root.closer == "]" else "{"]
    push = out.append
    stack = [root]
    size = checked = 0
    while stack:
        frame = stack[-1]
        for child in frame.items:
            if frame.first:
                frame.first = False
            else:
                push(",")
            if frame.is_map:
                key, child = child
                push(encode_string(key) + ":")
            t = type(child)
            if t is str:
                piece = encode_string(child)
            elif t is int:
                piece = str(child)
            elif t is float:
                piece = _encode_float(child)
            else:
                sub = _open(child)
                if sub is not None:
                    if len(stack) >= MAX_DEPTH:
                        raise _EncodeError("exceeded max depth")
                    push("[" if sub.closer == "]" else "{")
                    stack.append(sub)
                    break
                piece = _encode_other(child)
            push(piece)
            size += len(piece) + 2
            if size - checked > CHECK_EVERY:
                limits.check_alloc(size)
                checked = size
        else:
            push(frame.closer)
            stack.pop()
    text = "".join(out)
    limits.check_alloc(len(text))
    return text.encode("utf-8", "surrogateescape")


def _encode_leaf(v: Any) -> str:
    t = type(v)
    if t is str:
        return encode_string(v)
    if t is int:
        return str(v)
    if t is float:
        return _encode_float(v)
    return _encode_other(v)


# ---------------------------------------------------------------- Go's JSON scanner

# Scanner opcodes, as in Go's encoding/json.
(SCAN_CONTINUE, SCAN_BEGIN_LITERAL, SCAN_BEGIN_OBJECT, SCAN_OBJECT_KEY, SCAN_OBJECT_VALUE,
 SCAN_END_OBJECT, SCAN_BEGIN_ARRAY, SCAN_ARRAY_VALUE, SCAN_END_ARRAY, SCAN_SKIP_SPACE,
 SCAN_END, SCAN_ERROR) = range(12)
PARSE_OBJECT_KEY, PARSE_OBJECT_VALUE, PARSE_ARRAY_VALUE = range(3)

_SPACE = frozenset(b" \t\r\n")
_HEX = frozenset(b"0123456789abcdefABCDEF")
_DIGITS = frozenset(b"0123456789")


def quote_char(c: int) -> str:
    """Go's quoteChar: how a byte is shown in a JSON syntax error."""
    if c == 0x27:
        return "'\\''"
    if c == 0x22:
        return "'\"'"
    return "'" + go_quote(chr(c))[1:-1] + "'"


class Scanner:
    """Go's JSON scanning state machine (`step(c)` per byte, `eof()` at the end).

    Validates and reports Go's exact syntax errors; `err` holds the message.
    """

    def __init__(self) -> None:
        self.step: Callable[[int], int] = self.begin_value
        self.parse_state: list[int] = []
        self.end_top = False
        self.err: str | None = None
        self.hex_left = 0  # hex digits still expected in a \u escape
        self.word = b""  # the rest of true/false/null being read
        self.word_pos = 0

    def error(self, c: int, context: str) -> int:
        self.step = self.state_error
        self.err = f"invalid character {quote_char(c)} {context}"
        return SCAN_ERROR

    def state_error(self, c: int) -> int:
        return SCAN_ERROR

    def eof(self) -> int:
        if self.err is not None:
            return SCAN_ERROR
        if self.end_top:
            return SCAN_END
        self.step(0x20)
        if self.end_top:
            return SCAN_END
        if self.err is None:
            self.err = "unexpected end of JSON input"
        return SCAN_ERROR

    def push(self, c: int, state: int, op: int) -> int:
        self.parse_state.append(state)
        if len(self.parse_state) > MAX_DEPTH:
            return self.error(c, "exceeded max depth")
        return op

    def pop(self) -> None:
        self.parse_state.pop()
        if not self.parse_state:
            self.step = self.end_top_state
            self.end_top = True
        else:
            self.step = self.end_value

    # -- values

    def begin_value_or_empty(self, c: int) -> int:
        if c in _SPACE:
            return SCAN_SKIP_SPACE
        if c == 0x5D:  # ]
            return self.end_value(c)
        return self.begin_value(c)

    def begin_value(self, c: int) -> int:
        if c in _SPACE:
            return SCAN_SKIP_SPACE
        if c == 0x7B:  # {
            self.step = self.begin_string_or_empty
            return self.push(c, PARSE_OBJECT_KEY, SCAN_BEGIN_OBJECT)
        if c == 0x5B:  # [
            self.step = self.begin_value_or_empty
            return self.push(c, PARSE_ARRAY_VALUE, SCAN_BEGIN_ARRAY)
        nxt = _LITERAL_STARTS.get(c)
        if nxt is not None:
            self.step = getattr(self, nxt)
            return SCAN_BEGIN_LITERAL
        if 0x31 <= c <= 0x39:
            self.step = self.state_1
            return SCAN_BEGIN_LITERAL
        return self.error(c, "looking for beginning of value")

    def begin_string_or_empty(self, c: int) -> int:
        if c in _SPACE:
            return SCAN_SKIP_SPACE
        if c == 0x7D:  # }
            self.parse_state[-1] = PARSE_OBJECT_VALUE
            return self.end_value(c)
        return self.begin_string(c)

    def begin_string(self, c: int) -> int:
        if c in _SPACE:
            return SCAN_SKIP_SPACE
        if c == 0x22:
            self.step = self.in_string
            return SCAN_BEGIN_LITERAL
        return self.error(c, "looking for beginning of object key string")

    def end_value(self, c: int) -> int:
        if not self.parse_state:
            self.step = self.end_top_state
            self.end_top = True
            return self.end_top_state(c)
        if c in _SPACE:
            self.step = self.end_value
            return SCAN_SKIP_SPACE
        ps = self.parse_state[-1]
        if ps == PARSE_OBJECT_KEY:
            if c == 0x3A:  # :
                self.parse_state[-1] = PARSE_OBJECT_VALUE
                self.step = self.begin_value
                return SCAN_OBJECT_KEY
            return self.error(c, "after object key")
        if ps == PARSE_OBJECT_VALUE:
            if c == 0x2C:  # ,
                self.parse_state[-1] = PARSE_OBJECT_KEY
                self.step = self.begin_string
                return SCAN_OBJECT_VALUE
            if c == 0x7D:
                self.pop()
                return SCAN_END_OBJECT
            return self.error(c, "after object key:value pair")
        if c == 0x2C:
            self.step = self.begin_value
            return SCAN_ARRAY_VALUE
        if c == 0x5D:
            self.pop()
            return SCAN_END_ARRAY
        return self.error(c, "after array element")

    def end_top_state(self, c: int) -> int:
        if c not in _SPACE:
            self.error(c, "after top-level value")
        return SCAN_END

    # -- strings

    def in_string(self, c: int) -> int:
        if c == 0x22:
            self.step = self.end_value
            return SCAN_CONTINUE
        if c == 0x5C:
            self.step = self.in_string_esc
            return SCAN_CONTINUE
        if c < 0x20:
            return self.error(c, "in string literal")
        return SCAN_CONTINUE

    def in_string_esc(self, c: int) -> int:
        if c in b'bfnrt\\/"':
            self.step = self.in_string
            return SCAN_CONTINUE
        if c == 0x75:  # u
            self.step = self.in_string_esc_u
            self.hex_left = 4
            return SCAN_CONTINUE
        return self.error(c, "in string escape code")

    def in_string_esc_u(self, c: int) -> int:
        if c in _HEX:
            self.hex_left -= 1
            if self.hex_left == 0:
                self.step = self.in_string
            return SCAN_CONTINUE
        return self.error(c, "in \\u hexadecimal character escape")

    # -- numbers

    def state_neg(self, c: int) -> int:
        if c == 0x30:
            self.step = self.state_0
            return SCAN_CONTINUE
        if 0x31 <= c <= 0x39:
            self.step = self.state_1
            return SCAN_CONTINUE
        return self.error(c, "in numeric literal")

    def state_1(self, c: int) -> int:
        if c in _DIGITS:
            return SCAN_CONTINUE
        return self.state_0(c)

    def state_0(self, c: int) -> int:
        if c == 0x2E:  # .
            self.step = self.state_dot
            return SCAN_CONTINUE
        if c in (0x65, 0x45):  # e E
            self.step = self.state_e
            return SCAN_CONTINUE
        return self.end_value(c)

    def state_dot(self, c: int) -> int:
        if c in _DIGITS:
            self.step = self.state_dot0
            return SCAN_CONTINUE
        return self.error(c, "after decimal point in numeric literal")

    def state_dot0(self, c: int) -> int:
        if c in _DIGITS:
            return SCAN_CONTINUE
        if c in (0x65, 0x45):
            self.step = self.state_e
            return SCAN_CONTINUE
        return self.end_value(c)

    def state_e(self, c: int) -> int:
        if c in (0x2B, 0x2D):  # + -
            self.step = self.state_esign
            return SCAN_CONTINUE
        return self.state_esign(c)

    def state_esign(self, c: int) -> int:
        if c in _DIGITS:
            self.step = self.state_e0
            return SCAN_CONTINUE
        return self.error(c, "in exponent of numeric literal")

    def state_e0(self, c: int) -> int:
        if c in _DIGITS:
            return SCAN_CONTINUE
        return self.end_value(c)

    # -- true / false / null

    def literal(self, c: int) -> int:
        word, pos = self.word, self.word_pos
        if c == word[pos]:
            self.word_pos += 1
            if self.word_pos == len(word):
                self.step = self.end_value
            return SCAN_CONTINUE
        name = {"rue": "true", "alse": "false", "ull": "null"}[word.decode()]
        return self.error(c, f"in literal {name} (expecting {quote_char(word[pos])})")

    def state_t(self, c: int) -> int:
        return self._start_word(b"rue", c)

    def state_f(self, c: int) -> int:
        return self._start_word(b"alse", c)

    def state_n(self, c: int) -> int:
        return self._start_word(b"ull", c)

    def _start_word(self, word: bytes, c: int) -> int:
        self.word, self.word_pos = word, 0
        self.step = self.literal
        return self.literal(c)


_LITERAL_STARTS = {0x22: "in_string", 0x2D: "state_neg", 0x30: "state_0",
                   0x74: "state_t", 0x66: "state_f", 0x6E: "state_n"}


# After an opening quote, the string's plain content (valid escapes included) is accepted
# byte by byte without a state change, so it is skipped in bulk; the scanner resumes at the
# closing quote or at the first byte it must judge. The same goes for runs of spaces.
_STRING_RUN = re.compile(rb'(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*')
_SPACE_RUN = re.compile(rb"[ \t\r\n]*")


def _run_end(c: int, op: int, data: bytes, i: int) -> int:
    """Where the bulk-skippable run after byte `c` (scanned as `op`) ends; i if none."""
    if op == SCAN_BEGIN_LITERAL and c == 0x22:
        m = _STRING_RUN.match(data, i)
    elif op == SCAN_SKIP_SPACE:
        m = _SPACE_RUN.match(data, i)
    else:
        return i
    assert m is not None
    return m.end()


def check_valid(data: bytes) -> str | None:
    """Go's checkValid: None for valid JSON, else the syntax error message."""
    scan = Scanner()
    i, n = 0, len(data)
    while i < n:
        c = data[i]
        op = scan.step(c)
        if op == SCAN_ERROR:
            return scan.err
        i = _run_end(c, op, data, i + 1)
    if scan.eof() == SCAN_ERROR:
        return scan.err
    return None


# ---------------------------------------------------------------- decode

_SURROGATE = re.compile("[\ud800-\udfff]")


def _fix_string(s: str) -> str:
    """Invalid UTF-8 bytes and lone surrogate escapes decode as U+FFFD, as in Go."""
    if s.isascii():
        return s
    return _SURROGATE.sub("\ufffd", s)


def _clamp(n: int) -> int:
    return INT_MAX if n > INT_MAX else INT_MIN if n < INT_MIN else n


def _reject_constant(name: str) -> Any:
    raise ValueError(name)  # NaN / Infinity are not JSON


def _to_tengo(root: Any) -> Any:
    """Turn Python's json result into Tengo values in place of the lists, iteratively:
    lists become Arrays (sharing the list), strings get U+FFFD, ints are clamped."""
    t = type(root)
    if t is not list and t is not dict:
        return _leaf(root)
    out = Array(root) if t is list else root
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        limits.check_alloc(len(node) * SLOT_BYTES)
        if type(node) is list:
            for i, e in enumerate(node):
                te = type(e)
                if te is str:
                    if not e.isascii():
                        node[i] = _fix_string(e)
                elif te is int:
                    if not INT_MIN <= e <= INT_MAX:
                        node[i] = _clamp(e)
                elif te is list:
                    node[i] = Array(e)
                    stack.append(e)
                elif te is dict:
                    stack.append(e)
        else:
            _fix_map(node, stack)
    return out


def _fix_map(d: dict[str, Any], stack: list[Any]) -> None:
    if not all(k.isascii() for k in d):
        fixed = {_fix_string(k): v for k, v in d.items()}
        d.clear()
        d.update(fixed)
    for k, e in d.items():
        te = type(e)
        if te is str:
            if not e.isascii():
                d[k] = _fix_string(e)
        elif te is int:
            if not INT_MIN <= e <= INT_MAX:
                d[k] = _clamp(e)
        elif te is list:
            d[k] = Array(e)
            stack.append(e)
        elif te is dict:
            stack.append(e)


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_DIGIT_MASK = bytes(0x30 if 0x30 <= c <= 0x39 else 0x20 for c in range(256))


def _plain_leaves(data: bytes, text: str) -> bool:
    """No decoded string can hold a surrogate (no invalid UTF-8, no `\\udXXX` escape)
    and no integer can need clamping (no run of 19 digits): only lists need converting."""
    if b"\\u" in data and _SURROGATE_ESCAPE.search(data) is not None:
        return False
    if b"0" * 19 in data.translate(_DIGIT_MASK):
        return False
    return data.isascii() or _SURROGATE.search(text) is None


_is_dict = frozenset((dict,)).__contains__
_is_list = frozenset((list,)).__contains__


def _arrays_only(root: Any) -> Any:
    """`_to_tengo` for a result whose leaves need no change: lists become Arrays."""
    t = type(root)
    if t is not list and t is not dict:
        return root
    out = Array(root) if t is list else root
    stack: list[Any] = [root]
    push = stack.append
    check = limits.check_alloc
    while stack:
        node = stack.pop()
        check(len(node) * SLOT_BYTES)
        if node.__class__ is list:
            if len(node) > 16:  # long: find the containers in bulk
                types = set(map(type, node))
                if dict in types:
                    stack.extend(compress(node, map(_is_dict, map(type, node))))
                if list not in types:
                    continue
                for i in compress(range(len(node)), map(_is_list, map(type, node))):
                    e = node[i]
                    node[i] = Array(e)
                    push(e)
                continue
            for i, e in enumerate(node):
                te = e.__class__
                if te is list:
                    node[i] = Array(e)
                    push(e)
                elif te is dict:
                    push(e)
        else:
            for k, e in node.items():
                te = e.__class__
                if te is list:
                    node[k] = Array(e)
                    push(e)
                elif te is dict:
                    push(e)
    return out


def _leaf(e: Any) -> Any:
    t = type(e)
    if t is str:
        return _fix_string(e)
    if t is int:
        return _clamp(e)
    return e


_TOKEN = re.compile(rb'[ \t\r\n,:]*(?:(")|([\[{])|([\]}])|(-?[0-9][0-9.eE+-]*)|(true|false|null))')
_STRING_REST = re.compile(rb'(?:[^"\\]|\\.)*"', re.S)
_LITERALS = {b"true": True, b"false": False, b"null": None}


def _number(tok: bytes) -> Any:
    if b"." in tok or b"e" in tok or b"E" in tok:
        return float(tok)
    if len(tok.lstrip(b"-")) > 19:  # beyond int64 whatever the digits: Go clamps
        return INT_MIN if tok.startswith(b"-") else INT_MAX
    return _clamp(int(tok))


def _parse_valid(data: bytes) -> Any:
    """The value of JSON already validated by `check_valid`, built without recursion."""
    stack: list[list[Any] | dict[str, Any]] = []  # open arrays (as lists) and maps
    keys: list[str | None] = []  # the pending key of each open map
    pos = 0
    while True:
        m = _TOKEN.match(data, pos)
        assert m is not None
        pos = m.end()
        value: Any
        if m.group(1):
            rest = _STRING_REST.match(data, pos)
            assert rest is not None
            value = _fix_string(pyjson.loads(from_bytes(data[pos - 1 : rest.end()])))
            pos = rest.end()
            if stack and type(stack[-1]) is dict and keys[-1] is None:
                keys[-1] = value
                continue
        elif m.group(2):
            stack.append([] if m.group(2) == b"[" else {})
            keys.append(None)
            continue
        elif m.group(3):
            done = stack.pop()
            keys.pop()
            limits.check_alloc(len(done) * SLOT_BYTES)
            value = Array(done) if type(done) is list else done
        elif m.group(4):
            value = _number(m.group(4))
        else:
            value = _LITERALS[m.group(5)]
        if not stack:
            return value
        parent = stack[-1]
        if isinstance(parent, dict):
            key = keys[-1]
            assert key is not None
            parent[key] = value
            keys[-1] = None
        else:
            parent.append(value)


_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")
C_DECODER_MAX_DEPTH = 200  # deeper input skips Python's recursive C decoder


def _nesting(data: bytes) -> int:
    """An upper bound of the bracket nesting of `data` (cheap unless it has many brackets)."""
    if data.count(b"[") + data.count(b"{") <= C_DECODER_MAX_DEPTH:
        return 0
    brackets = _STRINGS.sub(b"", data).translate(None, _NOT_BRACKETS)
    return max(accumulate(1 if c in b"[{" else -1 for c in brackets), default=0)


def _c_decoder_safe(data: bytes) -> bool:
    """Python's C decoder recurses per nesting level, bounded only by the recursion limit;
    when that limit is raised high enough to threaten the C stack, check nesting first."""
    return sys.getrecursionlimit() <= 4000 or _nesting(data) <= C_DECODER_MAX_DEPTH


def go_decode(data: bytes) -> Any:
    """Tengo's json.Decode; invalid input returns an `Error` with Go's message."""
    if _c_decoder_safe(data):
        try:
            text = from_bytes(data)
            parsed = pyjson.loads(text, parse_constant=_reject_constant)
        except (ValueError, RecursionError):
            pass
        else:
            if _plain_leaves(data, text):
                return _arrays_only(parsed)
            return _to_tengo(parsed)
    err = check_valid(data)
    if err is not None:
        return Error(err)
    return _parse_valid(data)


# ---------------------------------------------------------------- indent / html_escape

def go_indent(data: bytes, prefix: str, ind: str) -> bytes | str:
    """Go's json.Indent; returns the error message (str) for invalid input."""
    pre, step = to_bytes(prefix), to_bytes(ind)
    out = bytearray()
    scan = Scanner()
    need_indent = False
    depth = 0
    i, n = 0, len(data)
    while i < n:
        c = data[i]
        op = scan.step(c)
        i += 1
        if op == SCAN_SKIP_SPACE:
            i = _run_end(c, op, data, i)
            continue
        if op == SCAN_ERROR:
            break
        if need_indent and op not in (SCAN_END_OBJECT, SCAN_END_ARRAY):
            need_indent = False
            depth += 1
            out += b"\n" + pre + step * depth
        if op == SCAN_CONTINUE:
            out.append(c)
            continue
        if op == SCAN_BEGIN_LITERAL and c == 0x22:
            run_end = _run_end(c, op, data, i)
            out.append(c)
            out += data[i:run_end]  # the string's content, copied as it is
            i = run_end
            continue
        if c in (0x7B, 0x5B):
            need_indent = True
            out.append(c)
        elif c == 0x2C:
            out += b",\n" + pre + step * depth
        elif c == 0x3A:
            out += b": "
        elif c in (0x7D, 0x5D):
            if need_indent:
                need_indent = False
            else:
                depth -= 1
                out += b"\n" + pre + step * depth
            out.append(c)
        else:
            out.append(c)
        if len(out) > CHECK_EVERY:
            limits.check_alloc(len(out))
    if scan.eof() == SCAN_ERROR:
        assert scan.err is not None
        return scan.err
    limits.check_alloc(len(out))
    return bytes(out)


_HTML_BYTES = re.compile(rb"[<>&]|\xe2\x80[\xa8\xa9]")


def go_html_escape(data: bytes) -> bytes:
    """Go's json.HTMLEscape: <, >, & and U+2028/U+2029 become \\u escapes."""
    return _HTML_BYTES.sub(lambda m: b"\\u%04x" % ord(m.group().decode()), data)


# ---------------------------------------------------------------- module functions

def decode(*args: Any) -> Any:
    _arity(args, 1)
    return go_decode(_json_input(args[0]))


def encode(*args: Any) -> Any:
    _arity(args, 1)
    try:
        return go_encode(args[0])
    except _EncodeError as e:
        return Error(str(e))


def indent(*args: Any) -> Any:
    _arity(args, 3)
    prefix = _str_arg(args[1], "prefix")
    ind = _str_arg(args[2], "indent")
    result = go_indent(_json_input(args[0]), prefix, ind)
    return Error(result) if type(result) is str else result


indent.__name__ = "encode"  # Go Tengo names this function "encode" too


def html_escape(*args: Any) -> Any:
    _arity(args, 1)
    return go_html_escape(_json_input(args[0]))


def module() -> dict[str, Any]:
    """The members of `import("json")`."""
    return {"decode": decode, "encode": encode, "indent": indent, "html_escape": html_escape}
