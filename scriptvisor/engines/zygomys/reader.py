"""The Zygomys reader: source text -> Zygomys data (forms), positions kept on lists.

Lexical rules are those of the reference doc §2: `//` and `/* */` comments, operator
characters (`+ - * / < > = ! & |`) splitting words, negative literals after a separator,
`%x` quote, `^x` syntax-quote, `~x`/`~@x` unquote, `\\` dotted pairs, `[...]` arrays,
`{...}` infix blocks or anonymous hashes, `name:` keywords and dot-symbols.

Deliberate differences from upstream's lexer quirks: a last atom at end of file without a
trailing newline is kept (upstream drops it), an unterminated string is an error, and `~`
also unquotes a list (`~(f x)`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from scriptvisor.engines import limits
from scriptvisor.engines.zygomys.values import (
    INT_MAX,
    INT_MIN,
    ArrayForm,
    Char,
    CompileError,
    Pair,
    SciFloat,
    Symbol,
    sym,
)

Pos = tuple[int, int]


class ReadError(CompileError):
    """A lexing/parsing error (`invalid_syntax`)."""


class InfixForm(ArrayForm):
    """The token array of a `{ ... }` infix block (commas and semicolons kept)."""

    __slots__ = ()


class Marker:
    """`,` or `;` inside an infix block."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


COMMA = Marker(",")
SEMI = Marker(";")

_OP_CHARS = frozenset("+-*<>=!&|")
_TWO_CHAR_OPS = frozenset(
    {"++", "--", "+=", "-=", "==", ":=", "<=", ">=", "<-", "->", "*=", "/=", "**", "!=",
     "<!", "&&", "||"}
)
_SIGNED_AFTER = frozenset(" \t\n\r([{,;:+-*/<>=!&|")
_DELIMS = frozenset(" \t\n\r()[]{}\";,`")
_ESCAPES = {"n": "\n", "r": "\r", "a": "\a", "t": "\t", "\\": "\\", '"': '"', "'": "'",
            "#": "#"}

_DECIMAL = re.compile(r"^-?[0-9][_0-9]*$")
_UINT64 = re.compile(r"^(0x|0o)?[0-9a-fA-F]+ULL$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_BIN = re.compile(r"^0b[01]+$")
_FLOAT = re.compile(
    r"^-?([0-9]+[0-9_]*\.[0-9_]*)$|^-?(\.[0-9]+[0-9_]*)$"
    r"|^-?([0-9]+[0-9_]*(\.[0-9_]*)?[eE]([-+]?[0-9]+[0-9_]*))$"
)
_INF = re.compile(r"^(-|\+)?[Ii]nf$")
_NOT_IN_SYMBOL = "'#:;\\\\~@\\[\\]{}\\^|\"()%,&"
_SYMBOL = re.compile(
    r"^[#?]?[^#?':;\\~@\[\]{}\^|\"()%0-9,&][^'#:;\\~@\[\]{}\^|\"()%,&*\-]*$"
)
_DOT_SYMBOL = re.compile(
    r"^\.$|^(\.[^'#:;\\~@\[\]{}\^|\"()%.0-9,][^'#:;\\~@\[\]{}\^|\"()%.,*+\-]*)+$"
    r"|^[^'#:;\\~@\[\]{}\^|\"()%.0-9,][^'#:;\\~@\[\]{}\^|\"()%.,*+\-]*"
    r"(\.[^'#:;\\~@\[\]{}\^|\"()%.0-9,][^'#:;\\~@\[\]{}\^|\"()%.,*+\-]*)+$"
)


@dataclass(slots=True)
class Token:
    kind: str  # ( ) [ ] { } quote squote unquote splice backslash semi comma colon atom string
    value: Any
    pos: Pos


def _fail(message: str, pos: Pos) -> ReadError:
    return ReadError(f"Error on line {pos[0]}: {message}", pos)


class Lexer:
    """Turns source text into tokens (one pass, character by character)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.line = 1
        self.line_start = 0
        self.tokens: list[Token] = []

    def pos(self, at: int | None = None) -> Pos:
        at = self.i if at is None else at
        return (self.line, at - self.line_start + 1)

    def emit(self, kind: str, value: Any, pos: Pos) -> None:
        self.tokens.append(Token(kind, value, pos))

    def run(self) -> list[Token]:
        text, n = self.text, len(self.text)
        while self.i < n:
            c = text[self.i]
            if c == "\n":
                self.i += 1
                self.line += 1
                self.line_start = self.i
            elif c in " \t\r":
                self.i += 1
            elif c == "/" and text.startswith("//", self.i):
                end = text.find("\n", self.i)
                self.i = n if end < 0 else end
            elif c == "/" and text.startswith("/*", self.i):
                self.block_comment()
            elif c in "()[]{}":
                self.emit(c, c, self.pos())
                self.i += 1
            elif c == '"':
                self.string()
            elif c == "`":
                self.raw_string()
            elif c == "'":
                self.char()
            elif c == ";":
                self.emit("semi", SEMI, self.pos())
                self.i += 1
            elif c == ",":
                self.emit("comma", COMMA, self.pos())
                self.i += 1
            elif c == "%":
                self.emit("quote", None, self.pos())
                self.i += 1
            elif c == "^":
                self.emit("squote", None, self.pos())
                self.i += 1
            elif c == "~":
                if text.startswith("~@", self.i):
                    self.emit("splice", None, self.pos())
                    self.i += 2
                else:
                    self.emit("unquote", None, self.pos())
                    self.i += 1
            elif c == ":" and text.startswith(":=", self.i):
                self.emit("atom", sym(":="), self.pos())
                self.i += 2
            elif c == ":":
                self.emit("colon", sym(":"), self.pos())
                self.i += 1
            elif c in _OP_CHARS or c == "/":
                self.operator()
            else:
                self.word()
        return self.tokens

    def block_comment(self) -> None:
        end = self.text.find("*/", self.i + 2)
        if end < 0:  # ParseBlockComment keeps asking for input, like an open `(`
            raise _fail("parser needs more input", self.pos())
        stop = end + 2
        chunk = self.text[self.i : stop]
        newlines = chunk.count("\n")
        if newlines:
            self.line += newlines
            self.line_start = self.i + chunk.rfind("\n") + 1
        self.i = stop

    def string(self) -> None:
        start = self.pos()
        text, n = self.text, len(self.text)
        out: list[str] = []
        j = self.i + 1
        while True:
            if j >= n:
                raise _fail("parser needs more input", start)
            c = text[j]
            if c == '"':
                break
            if c == "\\":
                j += 1
                esc = _ESCAPES.get(text[j] if j < n else "")
                if esc is None:
                    raise _fail("invalid escape sequence", (self.line, j - self.line_start))
                out.append(esc)
            else:
                if c == "\n":
                    self.line += 1
                    self.line_start = j + 1
                out.append(c)
            j += 1
        self.i = j + 1
        self.emit("string", "".join(out), start)

    def raw_string(self) -> None:
        start = self.pos()
        end = self.text.find("`", self.i + 1)
        if end < 0:
            raise _fail("parser needs more input", start)
        body = self.text[self.i + 1 : end]
        newlines = body.count("\n")
        if newlines:
            self.line += newlines
            self.line_start = self.i + 1 + body.rfind("\n") + 1
        self.i = end + 1
        self.emit("string", body, start)

    def char(self) -> None:
        start = self.pos()
        text = self.text
        j = self.i + 1
        if j < len(text) and text[j] == "\\":
            esc = _ESCAPES.get(text[j + 1] if j + 1 < len(text) else "")
            if esc is None:
                raise _fail("invalid escape sequence", start)
            value, j = esc, j + 2
        elif j < len(text):
            value, j = text[j], j + 1
        else:
            raise _fail("parser needs more input", start)
        if j >= len(text) or text[j] != "'":
            raise _fail("Unexpected single quote", start)
        if value == "\n":
            self.line += 1
            self.line_start = j
        self.i = j + 1
        self.emit("atom", Char(ord(value)), start)

    def operator(self) -> None:
        text, i = self.text, self.i
        start = self.pos()
        c = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        prev = text[i - 1] if i > 0 else " "
        if c == "-" and prev in _SIGNED_AFTER and (
            nxt.isdigit() or (nxt == "." and text[i + 2 : i + 3].isdigit())
        ):
            self.word()
            return
        two = c + nxt
        if two in _TWO_CHAR_OPS:
            name = {"&&": "and", "||": "or"}.get(two, two)
            self.emit("atom", sym(name), start)
            self.i += 2
            return
        self.emit("atom", sym(c), start)
        self.i += 1

    def word(self) -> None:
        text, n = self.text, len(self.text)
        start_i = self.i
        start = self.pos()
        j = self.i + 1 if text[self.i] == "-" else self.i
        while j < n:
            c = text[j]
            if c in _DELIMS or c == "/" and text[j + 1 : j + 2] in ("/", "*"):
                break
            if c in "+-" and j > start_i and text[j - 1] in "eE" and (
                _DECIMAL.match(text[start_i : j - 1]) or _FLOAT.match(text[start_i : j - 1])
            ):
                j += 1
                continue
            if c in _OP_CHARS or c == "/":
                break
            if c in "%^~'" :
                raise _fail(f"Unexpected {c}", self.pos(j))
            if c == ":":
                if text.startswith(":=", j):
                    break
                word = text[start_i:j]
                if _DECIMAL.match(word):  # a slice bound before `:` (`arr[1:3]`)
                    break
                j += 1  # the colon ends a keyword (`name:`)
                break
            j += 1
        self.i = j
        self.emit_atom(text[start_i:j], start)

    def emit_atom(self, atom: str, pos: Pos) -> None:
        colon = atom.endswith(":") and len(atom) > 1
        if colon:
            atom = atom[:-1]
        value = decode_atom(atom, pos)
        if colon:
            if type(value) is not Symbol or value.dot:
                self.emit("atom", value, pos)
                self.emit("colon", sym(":"), pos)
                return
            value = sym(value.name, colon=True)
        self.emit("atom", value, pos)


def decode_atom(atom: str, pos: Pos) -> Any:
    """A word's value: bool, number, symbol or char; "Unrecognized atom" otherwise."""
    if atom == "true":
        return True
    if atom == "false":
        return False
    if atom in ("&", "\\"):
        return sym(atom)
    if _UINT64.match(atom):
        body = atom[:-3]
        base = 16 if body.startswith("0x") else 8 if body.startswith("0o") else 10
        digits = body[2:] if base != 10 else body
        try:  # the pattern lets hex digits through in any base (`abcULL`, `0o9ULL`)
            value = int(digits, base)
        except ValueError:
            raise _fail(f'strconv.ParseUint: parsing "{digits}": invalid syntax', pos) from None
        if value >= 1 << 64:
            raise _fail(f'strconv.ParseUint: parsing "{body}": value out of range', pos)
        return value if value <= INT_MAX else value - (1 << 64)
    if _DECIMAL.match(atom):
        return _int(atom.replace("_", ""), 10, pos)
    if _HEX.match(atom):
        return _int(atom[2:], 16, pos)
    if _OCT.match(atom):
        return _int(atom[2:], 8, pos)
    if _BIN.match(atom):
        return _int(atom[2:], 2, pos)
    if _FLOAT.match(atom):
        clean = atom.replace("_", "")
        if clean.endswith("."):
            clean += "0"
        fvalue = float(clean)
        return SciFloat(fvalue) if "e" in atom or "E" in atom else fvalue
    if atom in ("NaN", "nan"):
        return float("nan")
    if _INF.match(atom):
        return float("-inf") if atom.startswith("-") else float("inf")
    if _DOT_SYMBOL.match(atom):
        return sym(atom)
    if _SYMBOL.match(atom):
        return sym(atom)
    raise _fail(f"Unrecognized atom: '{atom}'", pos)


def _int(digits: str, base: int, pos: Pos) -> int:
    value = int(digits, base)
    if not INT_MIN <= value <= INT_MAX:
        raise _fail(f'strconv.ParseInt: parsing "{digits}": value out of range', pos)
    return value


# ---------------------------------------------------------------- parser

S_QUOTE = sym("quote")
S_SYNTAX_QUOTE = sym("syntaxQuote")
S_UNQUOTE = sym("unquote")
S_SPLICE = sym("unquote-splicing")
S_INFIX = sym("infix")
S_HASH = sym("hash")
S_BACKSLASH = sym("\\")
_PREFIXES = {"quote": S_QUOTE, "squote": S_SYNTAX_QUOTE, "unquote": S_UNQUOTE,
             "splice": S_SPLICE}
_CLOSERS = {"(": ")", "[": "]", "{": "}"}
MAX_NESTING = 1000
"""How deep forms may nest; deeper is the syntax error "program nested too deeply"."""
_FRAMES_PER_LEVEL = 5  # Python frames the parser uses per nesting level, at most


class Parser:
    """Tokens -> forms. Lists keep their start position in `Pair.pos`."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.k = 0
        self.depth = 0

    def peek(self, ahead: int = 0) -> Token | None:
        j = self.k + ahead
        return self.tokens[j] if j < len(self.tokens) else None

    def forms(self) -> list[Any]:
        out = []
        while self.k < len(self.tokens):
            tok = self.tokens[self.k]
            if tok.kind in ("semi", "comma"):
                self.k += 1
                continue
            out.append(self.expr())
        return out

    def expr(self) -> Any:
        tok = self.tokens[self.k]
        self.k += 1
        kind = tok.kind
        if kind == "atom":
            if tok.value is sym("-") or tok.value is sym("+"):
                nxt = self.peek()
                # parser.go joins `-`/`+` with a following `Inf` token, even across spaces
                if nxt is not None and nxt.kind == "atom" and type(nxt.value) is float and (
                    nxt.value == float("inf")
                ):
                    self.k += 1
                    return float("-inf") if tok.value is sym("-") else float("inf")
            return tok.value
        if kind in ("string", "colon", "semi", "comma"):
            return tok.value
        if kind in _PREFIXES:
            if self.k >= len(self.tokens):
                raise _fail("parser needs more input", tok.pos)
            return Pair(_PREFIXES[kind], Pair(self.nested(), None), tok.pos)
        if kind == "(":
            return self.seq(")", tok.pos)
        if kind == "[":
            return ArrayForm(self.items("]", tok.pos), tok.pos)
        if kind == "{":
            return self.brace(tok.pos)
        raise _fail(f"Invalid syntax, don't know what to do with '{tok.value}'", tok.pos)

    def nested(self) -> Any:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise _fail("program nested too deeply", self.tokens[self.k - 1].pos)
        try:
            return self.expr()
        finally:
            self.depth -= 1

    def items(self, closer: str, pos: Pos, keep_markers: bool = False) -> list[Any]:
        out: list[Any] = []
        while True:
            tok = self.peek()
            if tok is None:
                raise _fail("parser needs more input", pos)
            if tok.kind == closer:
                self.k += 1
                return out
            if tok.kind in (")", "]", "}"):
                raise _fail(f"Invalid syntax, don't know what to do with '{tok.kind}'", tok.pos)
            if tok.kind in ("semi", "comma") and not keep_markers:
                self.k += 1
                continue
            out.append(self.nested())

    def seq(self, closer: str, pos: Pos) -> Any:
        items = self.items(closer, pos)
        tail: Any = None
        if len(items) >= 3 and items[-2] is S_BACKSLASH:
            tail = items[-1]
            items = items[:-2]
        out = tail
        for item in reversed(items):
            out = Pair(item, out)
        if type(out) is Pair:
            out.pos = pos
        return out

    def brace(self, pos: Pos) -> Any:
        first, second = self.peek(), self.peek(1)
        if first is None:
            raise _fail("parser needs more input", pos)
        if first.kind == "}":
            self.k += 1
            return Pair(S_HASH, None, pos)
        is_keyword = first.kind == "atom" and type(first.value) is Symbol and first.value.colon
        if is_keyword and not (
            second is not None and second.kind == "atom" and second.value is sym("for")
        ):
            return Pair(S_HASH, self._hash_items(pos), pos)
        if first.kind == "string" and second is not None and second.kind == "colon":
            return Pair(S_HASH, self._hash_items(pos), pos)
        block = InfixForm(self.items("}", pos, keep_markers=True), pos)
        return Pair(S_INFIX, Pair(block, None), pos)

    def _hash_items(self, pos: Pos) -> Any:
        items = [x for x in self.items("}", pos) if x is not sym(":")]
        out: Any = None
        for item in reversed(items):
            out = Pair(item, out)
        return out


def read(text: str) -> list[Any]:
    """All the forms of a source text; raises `ReadError`. While it runs, the interpreter's
    recursion limit is raised if it is too low for `MAX_NESTING` (at the default limit a
    few hundred nested lists would otherwise end in a RecursionError, not a ReadError)."""
    with limits.recursion_room(MAX_NESTING * _FRAMES_PER_LEVEL):
        return Parser(Lexer(text).run()).forms()
