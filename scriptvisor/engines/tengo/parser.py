"""Tengo's parser: source text to the syntax tree of `syntax.py`.

It follows d5/tengo's recursive-descent grammar and, so that users see the error Go Tengo
shows, its error handling too: after an error the parser resynchronises and goes on,
keeping at most one error per line and stopping after ten; the error reported is the
first of those in source order, with Go's wording and position. Node positions are those
Go's `Pos()` gives: a binary expression, call, index, selector or slice is at its left
operand, a unary expression at its operand, a statement at its first token.

Beyond Go, the parser bounds how deep the tree may grow (`MAX_NESTING`): 10,000 nested
brackets or a 100,000-term `1+1+...` end in a typed syntax error ("nesting too deep")
instead of exhausting the Python stack here or in the compiler. `for a, b, c in x`, which
Go parses and then crashes on, is a syntax error too.
"""

from __future__ import annotations

import gc
import math
import re
from dataclasses import dataclass
from typing import Any

from scriptvisor.engines import limits
from scriptvisor.engines.tengo import syntax as ast
from scriptvisor.engines.tengo.scanner import (
    CHAR,
    EOF,
    FLOAT,
    IDENT,
    INT,
    LITERAL_KINDS,
    MAX_ERRORS,
    SEMI,
    STRING,
    Bailout,
    ErrorList,
    Pos,
    Scanner,
)
from scriptvisor.protocol.errors import ErrorType, ScriptError

MAX_NESTING = 500
"""How deep the syntax tree may be: nested brackets, blocks, calls, and the length of an
operator chain (`a + b + c` is two levels) all count."""

_FRAMES_PER_LEVEL = 6  # Python frames the parser may use per nesting level, at most
_MAX_SKIPPED = 100_000  # tokens skipped while recovering from errors before giving up

_PRECEDENCE_LEVELS = (  # Go's, loosest first
    "||",
    "&&",
    "== != < <= > >=",
    "+ - | ^",
    "* / % << >> & &^",
)
_PRECEDENCE = {
    op: level for level, ops in enumerate(_PRECEDENCE_LEVELS, start=1) for op in ops.split()
}
_UNARY_OPS = frozenset({"+", "-", "!", "^"})
_POSTFIX_START = frozenset({".", "[", "("})
_STMT_START = frozenset({"break", "continue", "for", "if", "return", "export"})
_SIMPLE_STMT_START = frozenset(
    {"func", "error", "immutable", IDENT, INT, FLOAT, CHAR, STRING, "true", "false",
     "undefined", "import", "(", "{", "[", "+", "-", "*", "&", "^", "!"}
)
_COMPOUND_ASSIGN = frozenset(
    {":=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "&^="}
)
_I64_LIMIT = 1 << 63


def parse(source: str | bytes, name: str = "script") -> ast.File:
    """Parse a whole script; raise `ScriptError(INVALID_SYNTAX)` with Go Tengo's message
    and position for the first error in it (`name` is the error's `script`).

    `str` input is encoded as UTF-8 (lone surrogates become invalid bytes, which Go
    rejects). While it runs, the parser raises the interpreter's recursion limit if it is
    too low for `MAX_NESTING`, and pauses the cyclic garbage collector."""
    src = source if isinstance(source, bytes) else _encode(source)
    # The tree is acyclic and only grows: cyclic GC passes over it would find nothing and
    # cost a third of the parse time on large scripts.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        with limits.recursion_room(MAX_NESTING * _FRAMES_PER_LEVEL):
            return _Parser(src).parse_file(name)
    finally:
        if gc_was_enabled:
            gc.enable()


def _encode(text: str) -> bytes:
    """UTF-8 of `text`; lone surrogates become the invalid bytes Go would reject."""
    try:
        return text.encode()
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            return text.encode("utf-8", "surrogatepass")


@dataclass(slots=True)
class _BadExpr(ast.Expr):
    """Stands in for an expression that failed to parse; never leaves this module."""


@dataclass(slots=True)
class _BadStmt(ast.Stmt):
    pass


@dataclass(slots=True)
class _ForInHead(ast.Stmt):
    """`k, v in iterable`, returned by a `for` header before the body is known."""

    key: ast.Ident | None
    value: ast.Ident
    iterable: ast.Expr


class _Parser:
    __slots__ = (
        "errors", "_scan", "tok", "lit", "pos", "val", "depth", "sync_pos", "sync_count",
        "invalid_trees", "skipped",
    )

    def __init__(self, src: bytes) -> None:
        self.errors: ErrorList = []
        self._scan = Scanner(src, self.errors).tokens().__next__
        self.tok = EOF
        self.lit = ""
        self.pos: Pos = (0, 0)
        self.val: Any = None  # the decoded value of a STRING, CHAR or small INT token
        self.depth = 0
        self.sync_pos: Pos = (0, 0)
        self.sync_count = 0
        self.invalid_trees: ErrorList = []  # trees Go accepts but cannot compile
        self.skipped = 0

    # ------------------------------------------------------------ driver and errors

    def parse_file(self, name: str) -> ast.File:
        stmts: list[ast.Stmt] = []
        try:
            self.next()
            if not self.errors:
                stmts = self.parse_stmt_list()
                self.expect(EOF)
        except Bailout:
            pass
        errors = self.errors or self.invalid_trees
        if errors:
            (line, column), msg = min(errors)  # by position, then message, as Go sorts
            raise ScriptError(
                ErrorType.INVALID_SYNTAX, msg, script=name, line=line, column=column
            )
        return ast.File(stmts)

    def next(self) -> None:
        self.tok, self.lit, self.pos, self.val = self._scan()

    def error(self, pos: Pos, msg: str) -> None:
        """Record an error as Go does: one per line, and give up after too many."""
        errors = self.errors
        if errors and errors[-1][0][0] == pos[0]:
            return
        if len(errors) > MAX_ERRORS:
            raise Bailout
        errors.append((pos, msg))

    def error_expected(self, pos: Pos, what: str) -> None:
        msg = "expected " + what
        if pos == self.pos:
            if self.tok == SEMI and self.lit == "\n":
                msg += ", found newline"
            elif self.tok in LITERAL_KINDS:
                msg += ", found " + self.lit
            else:
                msg += ", found '" + self.tok + "'"
        self.error(pos, msg)

    def expect(self, tok: str) -> Pos:
        pos = self.pos
        if self.tok != tok:
            self.error_expected(pos, "'" + tok + "'")
        self.next()
        return pos

    def expect_semi(self) -> None:
        tok = self.tok
        if tok == SEMI:
            self.next()
        elif tok in (")", "}"):
            pass  # a semicolon may be omitted before a closing ')' or '}'
        elif tok == ",":
            self.error_expected(self.pos, "';'")
            self.next()
        else:
            self.error_expected(self.pos, "';'")
            self.advance()

    def expect_comma(self, closing: str, what: str) -> bool:
        """After a list element: True when another element follows."""
        if self.tok == ",":
            self.next()
            if self.tok == closing:
                self.error_expected(self.pos, what)  # no trailing commas in Tengo
                return False
            return True
        if self.tok == SEMI and self.lit == "\n":
            self.next()  # a newline before the closing bracket
        return False

    def advance(self) -> None:
        """Skip to the next statement keyword, making progress (Go's resync).

        Only called after an error. Go skips on to the end of a file; we stop after
        `_MAX_SKIPPED` tokens so that megabytes of junk cost little. (The first error could
        only differ if a statement enclosing the junk later reported one before it.)"""
        while self.tok != EOF:
            self.skipped += 1
            if self.skipped > _MAX_SKIPPED:
                raise Bailout
            if self.tok in _STMT_START:
                if self.pos == self.sync_pos and self.sync_count < 10:
                    self.sync_count += 1
                    return
                if self.pos > self.sync_pos:
                    self.sync_pos = self.pos
                    self.sync_count = 0
                    return
            self.next()

    def bad_expr(self) -> ast.Expr:
        pos = self.pos
        self.advance()
        return _BadExpr(pos)

    def enter(self, levels: int = 1) -> None:
        self.depth += levels
        if self.depth > MAX_NESTING:
            self.too_deep()

    # ------------------------------------------------------------ statements

    def parse_stmt_list(self) -> list[ast.Stmt]:
        stmts: list[ast.Stmt] = []
        append = stmts.append
        while True:
            tok = self.tok
            if tok == SEMI:  # an empty statement, inlined: `;;;;` must stay cheap
                append(ast.EmptyStmt(self.pos))
                self.next()
            elif tok == "}" or tok == EOF:
                return stmts
            else:
                append(self.parse_stmt())

    def parse_block(self) -> ast.BlockStmt:
        self.enter()
        pos = self.expect("{")
        stmts = self.parse_stmt_list()
        self.expect("}")
        self.depth -= 1
        return ast.BlockStmt(pos, stmts)

    def parse_stmt(self) -> ast.Stmt:
        tok = self.tok
        if tok in _SIMPLE_STMT_START:
            stmt = self.parse_simple_stmt()
            self.expect_semi()
            return stmt
        handler = _STMT_PARSERS.get(tok)
        if handler is not None:
            return handler(self)
        pos = self.pos
        self.error_expected(pos, "statement")
        self.advance()
        return _BadStmt(pos)

    def parse_simple_stmt(self, for_in: bool = False) -> ast.Stmt:
        x = self.parse_expr()
        tok = self.tok
        if tok == SEMI:  # the common case: an expression statement
            return ast.ExprStmt(x.pos, x)
        lhs = [x]
        if tok == ",":
            lhs += self.parse_expr_list(after_comma=True)
            tok = self.tok
        if tok == "=" or tok == ":=":
            self.next()
            return ast.AssignStmt(x.pos, lhs, self.parse_expr_list(), tok)
        if tok == "in" and for_in:
            self.next()
            return self.for_in_head(lhs, self.parse_expr())
        if len(lhs) > 1:
            self.error_expected(x.pos, "1 expression")
        if tok in _COMPOUND_ASSIGN:
            self.next()
            return ast.AssignStmt(x.pos, [x], [self.parse_expr()], tok)
        if tok == "++" or tok == "--":
            self.next()
            return ast.IncDecStmt(x.pos, x, tok)
        return ast.ExprStmt(x.pos, x)

    def for_in_head(self, names: list[ast.Expr], iterable: ast.Expr) -> _ForInHead:
        if len(names) > 2:
            # Go accepts this and then its compiler crashes; we refuse it, but only when
            # the script has no error Go would report
            self.invalid_trees.append((names[0].pos, "expected 1 or 2 identifiers"))
            return _ForInHead(names[0].pos, None, ast.Ident(names[0].pos, "_"), iterable)
        idents = [self.as_ident(x) for x in names]
        if len(idents) == 1:
            return _ForInHead(idents[0].pos, None, idents[0], iterable)
        return _ForInHead(idents[0].pos, idents[0], idents[1], iterable)

    def as_ident(self, x: ast.Expr) -> ast.Ident:
        if isinstance(x, ast.Ident):
            return x
        self.error_expected(x.pos, "identifier")
        return ast.Ident(x.pos, "_")

    def parse_expr_list(self, after_comma: bool = False) -> list[ast.Expr]:
        """`e1, e2, ...`; with `after_comma`, the rest of a list whose first element was
        parsed already and whose current token is a comma."""
        exprs = [] if after_comma else [self.parse_expr()]
        while self.tok == ",":
            self.next()
            exprs.append(self.parse_expr())
        return exprs

    def parse_return(self) -> ast.Stmt:
        pos = self.expect("return")
        result = None
        if self.tok != SEMI and self.tok != "}":
            result = self.parse_expr()
        self.expect_semi()
        return ast.ReturnStmt(pos, result)

    def parse_export(self) -> ast.Stmt:
        pos = self.expect("export")
        result = self.parse_expr()
        self.expect_semi()
        return ast.ExportStmt(pos, result)

    def parse_branch(self) -> ast.Stmt:
        op = self.tok
        pos = self.expect(op)
        if self.tok == IDENT:
            self.next()  # a label: parsed, and ignored by Tengo's compiler too
        self.expect_semi()
        return ast.BranchStmt(pos, op)

    def parse_if(self) -> ast.Stmt:
        pos = self.expect("if")
        init, cond = self.parse_if_header()
        body = self.parse_block()
        else_: ast.Stmt | None = None
        if self.tok == "else":
            self.next()
            if self.tok == "if":
                self.enter()  # an else-if chain nests in the tree
                else_ = self.parse_if()
                self.depth -= 1
            elif self.tok == "{":
                else_ = self.parse_block()
                self.expect_semi()
            else:
                self.error_expected(self.pos, "if or {")
                else_ = _BadStmt(self.pos)
        else:
            self.expect_semi()
        return ast.IfStmt(pos, init, cond, body, else_)

    def parse_if_header(self) -> tuple[ast.Stmt | None, ast.Expr]:
        if self.tok == "{":
            self.error(self.pos, "missing condition in if statement")
            return None, _BadExpr(self.pos)
        if self.tok == SEMI:
            self.error(self.pos, "missing init in if statement")
            return None, _BadExpr(self.pos)
        init: ast.Stmt | None = self.parse_simple_stmt()
        cond_stmt = None
        if self.tok == "{":
            cond_stmt, init = init, None
        elif self.tok == SEMI:
            self.next()
            cond_stmt = self.parse_simple_stmt()
        else:
            self.error(self.pos, "missing condition in if statement")
        cond = self.make_expr(cond_stmt, "boolean expression")
        return init, cond if cond is not None else _BadExpr(self.pos)

    def make_expr(self, stmt: ast.Stmt | None, want: str) -> ast.Expr | None:
        """The expression of an expression statement used as a condition."""
        if stmt is None:
            return None
        if isinstance(stmt, ast.ExprStmt):
            return stmt.expr
        found = "assignment" if isinstance(stmt, ast.AssignStmt) else "simple statement"
        self.error(stmt.pos, f"expected {want}, found {found}")
        return _BadExpr(stmt.pos)

    def parse_for(self) -> ast.Stmt:
        pos = self.expect("for")
        if self.tok == "{":
            body = self.parse_block()
            self.expect_semi()
            return ast.ForStmt(pos, None, None, None, body)
        init = None if self.tok == SEMI else self.parse_simple_stmt(for_in=True)
        if isinstance(init, _ForInHead):
            body = self.parse_block()
            self.expect_semi()
            return ast.ForInStmt(pos, init.key, init.value, init.iterable, body)
        cond_stmt = post = None
        if self.tok == SEMI:
            self.next()
            if self.tok != SEMI:
                cond_stmt = self.parse_simple_stmt()
            self.expect(SEMI)
            if self.tok != "{":
                post = self.parse_simple_stmt()
        else:
            cond_stmt, init = init, None
        body = self.parse_block()
        self.expect_semi()
        cond = self.make_expr(cond_stmt, "condition expression")
        return ast.ForStmt(pos, init, cond, post, body)

    # ------------------------------------------------------------ expressions

    def parse_expr(self) -> ast.Expr:
        """A full expression: binary operators by precedence, then an optional `?:`."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            self.too_deep()
        x = self.parse_unary()
        tok = self.tok
        if tok in _PRECEDENCE:
            x = self.parse_binary_rest(x, _PRECEDENCE[tok])
            tok = self.tok
        if tok == "?":
            x = self.parse_cond(x)
        self.depth -= 1
        return x

    def parse_binary_rest(self, first: ast.Expr, prec: int) -> ast.Expr:
        """Operator-precedence parsing with explicit stacks (left-associative at every
        level), so a long operator chain costs no Python recursion."""
        operands = [first]
        ops: list[tuple[int, str, Pos]] = []
        chain = 0
        while prec:
            op, op_pos = self.tok, self.pos
            self.next()
            while ops and ops[-1][0] >= prec:
                _reduce(operands, ops.pop())
            ops.append((prec, op, op_pos))
            chain += 1
            self.enter()
            operands.append(self.parse_unary())
            prec = _PRECEDENCE.get(self.tok, 0)
        while ops:
            _reduce(operands, ops.pop())
        self.depth -= chain
        return operands[0]

    def parse_cond(self, cond: ast.Expr) -> ast.Expr:
        self.expect("?")
        true_expr = self.parse_expr()
        self.expect(":")
        false_expr = self.parse_expr()
        return ast.CondExpr(cond.pos, cond, true_expr, false_expr)

    def parse_unary(self) -> ast.Expr:
        """An operand with its prefix operators and its `.sel`, `[i]`, `[l:h]`, `(args)`."""
        tok = self.tok
        if tok == IDENT:  # the common case, inlined
            x: ast.Expr = ast.Ident(self.pos, self.lit)
            self.next()
        elif tok in _UNARY_OPS:
            return self.parse_prefixed()
        else:
            handler = _OPERAND_PARSERS.get(tok)
            if handler is None:
                self.error_expected(self.pos, "operand")
                return self.bad_expr()
            x = handler(self)
        if self.tok in _POSTFIX_START:
            return self.parse_postfix(x)
        return x

    def parse_prefixed(self) -> ast.Expr:
        """`-x`, `!x`, `^x`, `+x`, stacked any number of times without recursion."""
        prefixes = []
        while self.tok in _UNARY_OPS:
            prefixes.append(self.tok)
            self.next()
        self.enter(len(prefixes))
        x = self.parse_unary()
        for op in reversed(prefixes):
            x = ast.UnaryExpr(x.pos, op, x)  # Go places a unary expression at its operand
        self.depth -= len(prefixes)
        return x

    def parse_postfix(self, x: ast.Expr) -> ast.Expr:
        levels = 0
        while True:
            tok = self.tok
            if tok == ".":
                self.next()
                if self.tok != IDENT:
                    self.error_expected(self.pos, "selector")
                    x = self.bad_expr()
                    break
                sel = ast.StringLit(self.pos, self.lit, self.lit)
                self.next()
                x = ast.SelectorExpr(x.pos, x, sel)
            elif tok == "[":
                x = self.parse_index_or_slice(x)
            elif tok == "(":
                x = self.parse_call(x)
            else:
                break
            self.enter()
            levels += 1
        self.depth -= levels
        return x

    def too_deep(self) -> None:
        self.errors.append((self.pos, "nesting too deep"))
        raise Bailout

    def parse_ident(self) -> ast.Ident:
        pos = self.pos
        if self.tok == IDENT:
            name = self.lit
            self.next()
            return ast.Ident(pos, name)
        self.expect(IDENT)
        return ast.Ident(pos, "_")

    def parse_int(self) -> ast.Expr:
        pos, lit = self.pos, self.lit
        value = self.val
        if value is None:
            value = parse_int_literal(lit)
            if value is None:
                self.error(pos, "invalid integer")
                value = 0
        self.next()
        return ast.IntLit(pos, value, lit)

    def parse_float(self) -> ast.Expr:
        pos, lit = self.pos, self.lit
        value = parse_float_literal(lit)
        if value is None:
            self.error(pos, "invalid float")
            value = 0.0
        self.next()
        return ast.FloatLit(pos, value, lit)

    def parse_char(self) -> ast.Expr:
        pos, lit, value = self.pos, self.lit, self.val
        if value is None:
            self.error(pos, "illegal char literal")
        self.next()
        return _BadExpr(pos) if value is None else ast.CharLit(pos, value, lit)

    def parse_string(self) -> ast.Expr:
        x = ast.StringLit(self.pos, self.val or "", self.lit)
        self.next()
        return x

    def parse_keyword_literal(self) -> ast.Expr:
        pos, tok = self.pos, self.tok
        self.next()
        if tok == "undefined":
            return ast.UndefinedLit(pos)
        return ast.BoolLit(pos, tok == "true")

    def parse_paren(self) -> ast.Expr:
        pos = self.pos
        self.next()
        x = self.parse_expr()
        self.expect(")")
        return ast.ParenExpr(pos, x)

    def parse_import(self) -> ast.Expr:
        pos = self.pos
        self.next()
        self.expect("(")
        if self.tok != STRING:
            self.error_expected(self.pos, "module name")
            return self.bad_expr()
        name = self.val or ""
        self.next()
        self.expect(")")
        return ast.ImportExpr(pos, name)

    def parse_keyword_call(self) -> ast.Expr:
        """`error(x)` and `immutable(x)`: keyword forms taking exactly one expression."""
        pos, tok = self.pos, self.tok
        self.next()
        self.expect("(")
        x = self.parse_expr()
        self.expect(")")
        if tok == "error":
            return ast.ErrorExpr(pos, x)
        return ast.ImmutableExpr(pos, x)

    def parse_array(self) -> ast.Expr:
        pos = self.expect("[")
        elements = []
        while self.tok != "]" and self.tok != EOF:
            elements.append(self.parse_expr())
            if not self.expect_comma("]", "array element"):
                break
        self.expect("]")
        return ast.ArrayLit(pos, elements)

    def parse_map(self) -> ast.Expr:
        pos = self.expect("{")
        elements = []
        while self.tok != "}" and self.tok != EOF:
            elements.append(self.parse_map_element())
            if not self.expect_comma("}", "map element"):
                break
        self.expect("}")
        return ast.MapLit(pos, elements)

    def parse_map_element(self) -> ast.MapElementLit:
        pos = self.pos
        key = "_"
        if self.tok == IDENT:
            key = self.lit
        elif self.tok == STRING:
            key = self.val or ""
        else:
            self.error_expected(pos, "map key")
        self.next()
        self.expect(":")
        return ast.MapElementLit(pos, key, self.parse_expr())

    def parse_func(self) -> ast.Expr:
        pos = self.expect("func")
        params, varargs = self.parse_params()
        return ast.FuncLit(pos, params, varargs, self.parse_block())

    def parse_params(self) -> tuple[list[ast.Ident], bool]:
        self.expect("(")
        params = []
        varargs = False
        if self.tok != ")":
            if self.tok == "...":
                varargs = True
                self.next()
            params.append(self.parse_ident())
            while not varargs and self.tok == ",":
                self.next()
                if self.tok == "...":
                    varargs = True
                    self.next()
                params.append(self.parse_ident())
        self.expect(")")
        return params, varargs

    def parse_call(self, func: ast.Expr) -> ast.Expr:
        self.expect("(")
        args = []
        ellipsis = False
        while self.tok != ")" and self.tok != EOF and not ellipsis:
            args.append(self.parse_expr())
            if self.tok == "...":
                ellipsis = True
                self.next()
            if not self.expect_comma(")", "call argument"):
                break
        self.expect(")")
        return ast.CallExpr(func.pos, func, args, ellipsis)

    def parse_index_or_slice(self, x: ast.Expr) -> ast.Expr:
        self.expect("[")
        low = high = None
        if self.tok != ":":
            low = self.parse_expr()
        is_slice = self.tok == ":"
        if is_slice:
            self.next()
            if self.tok != "]" and self.tok != EOF:
                high = self.parse_expr()
        self.expect("]")
        if is_slice:
            return ast.SliceExpr(x.pos, x, low, high)
        assert low is not None
        return ast.IndexExpr(x.pos, x, low)


def _reduce(operands: list[ast.Expr], op: tuple[int, str, Pos]) -> None:
    rhs = operands.pop()
    lhs = operands[-1]
    operands[-1] = ast.BinaryExpr(lhs.pos, lhs, op[1], rhs, op[2])


_STMT_PARSERS = {
    "return": _Parser.parse_return,
    "export": _Parser.parse_export,
    "if": _Parser.parse_if,
    "for": _Parser.parse_for,
    "break": _Parser.parse_branch,
    "continue": _Parser.parse_branch,
}

_OPERAND_PARSERS = {
    IDENT: _Parser.parse_ident,
    INT: _Parser.parse_int,
    FLOAT: _Parser.parse_float,
    CHAR: _Parser.parse_char,
    STRING: _Parser.parse_string,
    "true": _Parser.parse_keyword_literal,
    "false": _Parser.parse_keyword_literal,
    "undefined": _Parser.parse_keyword_literal,
    "import": _Parser.parse_import,
    "(": _Parser.parse_paren,
    "[": _Parser.parse_array,
    "{": _Parser.parse_map,
    "func": _Parser.parse_func,
    "error": _Parser.parse_keyword_call,
    "immutable": _Parser.parse_keyword_call,
}


# ---------------------------------------------------------------- number literals
# Go's strconv.ParseInt(lit, 0, 64) and ParseFloat(lit, 64), which Tengo applies to the
# scanner's number tokens: base prefixes, legacy octal, `_` separators, range checks.

_DECIMAL_FLOAT = re.compile(r"(?=\.?[0-9])[0-9]*(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?")
_HEX_FLOAT = re.compile(r"0[xX](?=\.?[0-9a-fA-F])[0-9a-fA-F]*(?:\.[0-9a-fA-F]*)?[pP][+-]?[0-9]+")


def parse_int_literal(lit: str) -> int | None:
    """The value of an INT token, or None where Tengo says "invalid integer" (which it
    also says for a number beyond int64: its "number out of range" check never fires)."""
    base, digits = 10, lit
    if lit[0] == "0" and len(lit) > 1:
        prefix = lit[1].lower()
        if len(lit) >= 3 and prefix in "box":
            base, digits = {"b": 2, "o": 8, "x": 16}[prefix], lit[2:]
        else:
            base, digits = 8, lit[1:]  # legacy octal: 017 is 15, 08 is invalid
    value = 0
    for ch in digits:
        if ch == "_":
            continue
        d = int(ch, 36) if ch.isascii() and ch.isalnum() else 99
        if d >= base:
            return None
        value = value * base + d
        if value >= _I64_LIMIT:
            return None  # stop early: a 10 MB literal costs no more than a 20-digit one
    if "_" in lit and not _underscores_ok(lit):
        return None
    return value


def parse_float_literal(lit: str) -> float | None:
    """The value of a FLOAT token, or None where Tengo says "invalid float" (also for a
    value that overflows to infinity)."""
    text = lit
    if "_" in text:
        if not _underscores_ok(text):
            return None
        text = text.replace("_", "")
    try:
        if _HEX_FLOAT.fullmatch(text):
            value = float.fromhex(text)
        elif _DECIMAL_FLOAT.fullmatch(text):
            value = float(text)
        else:
            return None
    except OverflowError:
        return None
    return None if math.isinf(value) else value


def _underscores_ok(lit: str) -> bool:
    """Go's rule: each `_` sits between digits (a base prefix counts as a digit)."""
    saw = "^"
    i = 0
    hex_digits = False
    if len(lit) >= 2 and lit[0] == "0" and lit[1].lower() in "box":
        i, saw, hex_digits = 2, "0", lit[1].lower() == "x"
    for ch in lit[i:]:
        if ch.isdigit() or (hex_digits and ch.lower() in "abcdef"):
            saw = "0"
        elif ch == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
    return saw != "_"
