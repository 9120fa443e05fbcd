"""Infix blocks `{ ... }`: a Pratt parser lowering the block's tokens to ordinary forms.

Binding powers (reference doc §5): `= := += -=` 10 (right assoc; `=`/`:=` lower to
`set`), postfix `++ --` 10, `,` 15, `and or` 30 (right), comparisons 40, `+ -` 50,
`* / mod` 60, `**` 65 (right), prefix `not` 70, indexing `x[i]`/`x[a:b]` and field
access `.name` 80. `if` (prefix, 5) lowers to `cond`; Go-style `for` loops lower to `for`
(or to the `__rangeLoop` form for `range` headers); `break`/`continue` take an optional
label. Statements are juxtaposed or separated by `;`.
"""

from __future__ import annotations

from typing import Any

from scriptvisor.engines.zygomys.reader import COMMA, SEMI, InfixForm, Marker
from scriptvisor.engines.zygomys.values import (
    ArrayForm,
    CompileError,
    Pair,
    Symbol,
    make_list,
    sym,
)

S_INFIX = sym("infix")
S_HASH = sym("hash")
S_SET = sym("set")
S_COND = sym("cond")
S_FOR = sym("for")
S_IF = sym("if")
S_ELSE = sym("else")
S_RANGE = sym("range")
S_COLON = sym(":")
S_COMMA = sym("comma")
S_ARRAYIDX = sym("arrayidx")
S_HASHIDX = sym("hashidx")
S_RANGE_LOOP = sym("__rangeLoop")

_INFIX_BP = {"+": 50, "-": 50, "*": 60, "/": 60, "mod": 60, "==": 40, "!=": 40, ">": 40,
             ">=": 40, "<": 40, "<=": 40}
_RIGHT_BP = {"**": 65, "and": 30, "or": 30}
_ASSIGN_BP = {"=": 10, ":=": 10, "+=": 10, "-=": 10}
_POSTFIX_BP = {"++": 10, "--": 10}
_PREFIX = {"not": 70, "break": 0, "continue": 0, "for": 0, "if": 5, "*": 70}


def is_infix_block(x: Any) -> bool:
    return type(x) is Pair and x.head is S_INFIX


def _is_empty_hash(x: Any) -> bool:
    return type(x) is Pair and x.head is S_HASH and x.tail is None


def block_tokens(x: Any) -> list[Any]:
    """The tokens of an `(infix [...])` form (empty for `{}`)."""
    if type(x) is Pair and x.head is S_INFIX and type(x.tail) is Pair:
        return list(x.tail.head)
    return []


class Pratt:
    """One Pratt parse over a token stream (forms plus `,`/`;` markers)."""

    def __init__(self, stream: list[Any], pos: tuple[int, int] | None) -> None:
        self.stream = stream
        self.i = 0
        self.pos = pos

    def fail(self, message: str) -> CompileError:
        return CompileError(message, self.pos)

    @property
    def eof(self) -> bool:
        return self.i >= len(self.stream)

    @property
    def next(self) -> Any:
        return self.stream[self.i] if self.i < len(self.stream) else None

    def lbp(self, tok: Any) -> int:
        if type(tok) is Symbol:
            name = tok.name
            if name == "if":
                return 0
            for table in (_INFIX_BP, _RIGHT_BP, _ASSIGN_BP, _POSTFIX_BP):
                if name in table:
                    return table[name]
            if tok.dot and name.startswith("."):
                return 80
            return 0
        if isinstance(tok, ArrayForm):
            return 80
        if tok is COMMA:
            return 15
        return 0

    def expression(self, rbp: int) -> Any:
        if self.eof:
            return None
        tok = self.next
        self.i += 1
        left = self.nud(tok)
        while not self.eof and rbp < self.lbp(self.next):
            tok = self.next
            self.i += 1
            left = self.led(tok, left)
        return left

    def nud(self, tok: Any) -> Any:
        if type(tok) is Symbol and tok.name in _PREFIX:
            name = tok.name
            if name in ("break", "continue"):
                args: list[Any] = [tok]
                if type(self.next) is Symbol and not self.eof:
                    label = self.next
                    args.append(sym(label.name, colon=True))
                    self.i += 1
                return make_list(args)
            if name == "for":
                return self.for_loop(None)
            if name == "if":
                return self.if_expr()
            if name == "*":
                raise self.fail("pointers (`*` dereference) are not supported")
            return make_list([tok, self.expression(_PREFIX[name])])
        return tok

    def led(self, tok: Any, left: Any) -> Any:
        if tok is COMMA:
            right = self.expression(15)
            if type(left) is Pair and left.head is S_COMMA and getattr(left, "pos", 0) == (-1, -1):
                items = list(left) + [right]
            else:
                items = [S_COMMA, left, right]
            out = make_list(items)
            out.pos = (-1, -1)  # marks a comma list built here, so that it flattens
            return out
        if isinstance(tok, ArrayForm):
            return make_list([S_ARRAYIDX, left, self.selector(tok)])
        name = tok.name
        if name in _INFIX_BP:
            return make_list([tok, left, self.expression(_INFIX_BP[name])])
        if name in _RIGHT_BP:
            return make_list([tok, left, self.expression(_RIGHT_BP[name] - 1)])
        if name in _ASSIGN_BP:
            right = self.expression(_ASSIGN_BP[name] - 1)
            op = S_SET if name in ("=", ":=") else tok
            return make_list([op, left, right])
        if name in _POSTFIX_BP:
            return make_list([tok, left])
        return make_list([S_HASHIDX, left, tok])  # `.field`

    def selector(self, arr: ArrayForm) -> Any:
        tokens: list[Any] = []
        for t in arr:
            if type(t) is Symbol and t.colon:
                tokens += [sym(t.name), S_COLON]
            else:
                tokens.append(t)
        colons = [k for k, t in enumerate(tokens) if t is S_COLON]
        if len(colons) > 1:
            raise self.fail("array selector slice has more than one colon")
        if colons:
            k = colons[0]
            out: list[Any] = []
            if k > 0:
                out.append(self.one(tokens[:k], "array selector slice start"))
            out.append(S_COLON)
            if k + 1 < len(tokens):
                out.append(self.one(tokens[k + 1 :], "array selector slice end"))
            return ArrayForm(out, arr.pos)
        if len(tokens) <= 1:
            return ArrayForm(tokens, arr.pos)
        sub = Pratt(tokens, self.pos)
        index = sub.expression(0)
        # Several expressions stay as they are: `h[0 0]` indexes a hash by the array [0 0].
        return ArrayForm([index] if sub.eof else tokens, arr.pos)

    def one(self, tokens: list[Any], context: str) -> Any:
        sub = Pratt(tokens, self.pos)
        expr = sub.expression(0)
        if not sub.eof:
            raise self.fail(f"{context} must be a single expression")
        return expr

    def if_expr(self) -> Any:
        test = self.expression(5)
        then = self.expression(0)
        other: Any = None
        if self.next is S_ELSE:
            self.i += 1
            other = self.expression(0)
        return make_list([S_COND, test, then, other])

    def for_loop(self, label: Any) -> Any:
        body_at = next(
            (k for k in range(self.i, len(self.stream))
             if is_infix_block(self.stream[k]) or _is_empty_hash(self.stream[k])),
            -1,
        )
        if body_at < 0:
            raise self.fail("go-style for: missing body block")
        header = self.stream[self.i : body_at]
        block = self.stream[body_at]
        self.i = body_at + 1
        body = [] if _is_empty_hash(block) or not block_tokens(block) else [block]
        return self.lower_for(label, header, body)

    def lower_for(self, label: Any, header: list[Any], body: list[Any]) -> Any:
        semis = [k for k, t in enumerate(header) if t is SEMI]
        lead = [label] if label is not None else []
        if semis:
            if len(semis) != 2:
                raise self.fail(
                    "go-style three-clause for header must contain exactly two semicolons"
                )
            a, b = semis
            init = self.one(header[:a], "go-style for init clause") if a else None
            test = self.one(header[a + 1 : b], "go-style for condition clause") \
                if b > a + 1 else True
            post = self.one(header[b + 1 :], "go-style for post clause") \
                if b + 1 < len(header) else None
            return make_list([S_FOR, *lead, ArrayForm([init, test, post]), *body])
        assign = next((k for k, t in enumerate(header) if t in (sym(":="), sym("="))), -1)
        if assign >= 0 and assign + 1 < len(header) and header[assign + 1] is S_RANGE:
            return self.lower_range(label, header, assign, body)
        if any(t is S_RANGE for t in header):
            raise self.fail("go-style for range header: malformed range header")
        test = self.one(header, "go-style for condition") if header else True
        return make_list([S_FOR, *lead, ArrayForm([None, test, None]), *body])

    def lower_range(self, label: Any, header: list[Any], assign: int, body: list[Any]) -> Any:
        targets = header[:assign]
        if len(targets) == 1 and type(targets[0]) is Symbol:
            key, val = targets[0], None
        elif len(targets) == 3 and targets[1] is COMMA and all(
            type(t) is Symbol for t in (targets[0], targets[2])
        ):
            key, val = targets[0], targets[2]
        else:
            raise self.fail("go-style for range header: expected one or two range targets")
        source = header[assign + 2 :]
        if not source:
            raise self.fail("go-style for range header: missing range expression")
        coll = self.one(source, "go-style for range expression")
        define = header[assign] is sym(":=")
        return make_list([S_RANGE_LOOP, label, define, key, val, coll, *body])

    def labeled_for(self) -> Any:
        tok = self.next
        if type(tok) is Symbol and tok.colon and self.i + 1 < len(self.stream) and (
            self.stream[self.i + 1] is S_FOR
        ):
            self.i += 2
            return self.for_loop(tok)
        return None


def expand(block: InfixForm | list[Any], pos: tuple[int, int] | None) -> list[Any]:
    """The statements of an infix block, as ordinary forms."""
    pr = Pratt(list(block), pos)
    out: list[Any] = []
    while not pr.eof:
        x = pr.labeled_for()
        if x is None:
            x = pr.expression(0)
        if not isinstance(x, Marker):
            out.append(x)
        if not pr.eof and pr.next is SEMI:
            pr.i += 1
    return [_fix_commas(x) for x in out]


def _fix_commas(x: Any) -> Any:
    """Comma lists built by the parser lose their marker position."""
    if type(x) is Pair:
        if x.pos == (-1, -1):
            x.pos = None
        p: Any = x
        while type(p) is Pair:
            p.head = _fix_commas(p.head)
            p = p.tail
    return x


__all__ = ["COMMA", "SEMI", "expand", "is_infix_block", "block_tokens"]
