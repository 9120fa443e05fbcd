"""Tengo's syntax tree: what the parser produces and the compiler consumes.

Every node carries `pos = (line, column)` of its first character, 1-based, the column
counted in bytes as Go does; runtime and compile errors report that position.
Node and field names follow d5/tengo's parser package so the two are easy to compare.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Pos = tuple[int, int]


@dataclass(slots=True)
class Node:
    pos: Pos


# ---------------------------------------------------------------- expressions

@dataclass(slots=True)
class Expr(Node):
    pass


@dataclass(slots=True)
class Ident(Expr):
    name: str


@dataclass(slots=True)
class IntLit(Expr):
    value: int
    literal: str


@dataclass(slots=True)
class FloatLit(Expr):
    value: float
    literal: str


@dataclass(slots=True)
class StringLit(Expr):
    value: str  # decoded; invalid UTF-8 bytes carried as surrogate escapes
    literal: str


@dataclass(slots=True)
class CharLit(Expr):
    value: int  # code point
    literal: str


@dataclass(slots=True)
class BoolLit(Expr):
    value: bool


@dataclass(slots=True)
class UndefinedLit(Expr):
    pass


@dataclass(slots=True)
class ArrayLit(Expr):
    elements: list[Expr]


@dataclass(slots=True)
class MapElementLit(Node):
    key: str
    value: Expr


@dataclass(slots=True)
class MapLit(Expr):
    elements: list[MapElementLit]


@dataclass(slots=True)
class BinaryExpr(Expr):
    """`lhs <op> rhs`; `op` is the operator text (`+`, `&&`, `==`, `&^`, ...)."""

    lhs: Expr
    op: str
    rhs: Expr
    op_pos: Pos = (0, 0)


@dataclass(slots=True)
class UnaryExpr(Expr):
    """`<op>expr` with op one of `-`, `+`, `!`, `^`."""

    op: str
    expr: Expr


@dataclass(slots=True)
class CondExpr(Expr):
    """`cond ? true_expr : false_expr`."""

    cond: Expr
    true_expr: Expr
    false_expr: Expr


@dataclass(slots=True)
class ParenExpr(Expr):
    expr: Expr


@dataclass(slots=True)
class CallExpr(Expr):
    func: Expr
    args: list[Expr]
    ellipsis: bool = False  # `f(a, rest...)`: the last argument is spread


@dataclass(slots=True)
class IndexExpr(Expr):
    expr: Expr
    index: Expr


@dataclass(slots=True)
class SelectorExpr(Expr):
    """`expr.sel`: the selector is a string literal (the field name)."""

    expr: Expr
    sel: StringLit


@dataclass(slots=True)
class SliceExpr(Expr):
    expr: Expr
    low: Expr | None
    high: Expr | None


@dataclass(slots=True)
class FuncLit(Expr):
    params: list[Ident]
    varargs: bool  # the last parameter collects the rest (`func(a, ...rest)`)
    body: BlockStmt


@dataclass(slots=True)
class ErrorExpr(Expr):
    """`error(expr)`: a keyword form in Tengo, not a builtin call."""

    expr: Expr


@dataclass(slots=True)
class ImmutableExpr(Expr):
    """`immutable(expr)`: a keyword form in Tengo."""

    expr: Expr


@dataclass(slots=True)
class ImportExpr(Expr):
    """`import("name")`."""

    module_name: str


# ---------------------------------------------------------------- statements

@dataclass(slots=True)
class Stmt(Node):
    pass


@dataclass(slots=True)
class ExprStmt(Stmt):
    expr: Expr


@dataclass(slots=True)
class AssignStmt(Stmt):
    """`lhs <op> rhs`; op is `:=`, `=`, or a compound `+=`, `-=`, ... `&^=`."""

    lhs: list[Expr]
    rhs: list[Expr]
    op: str


@dataclass(slots=True)
class IncDecStmt(Stmt):
    expr: Expr
    op: str  # "++" or "--"


@dataclass(slots=True)
class BlockStmt(Stmt):
    stmts: list[Stmt] = field(default_factory=list)


@dataclass(slots=True)
class IfStmt(Stmt):
    init: Stmt | None
    cond: Expr
    body: BlockStmt
    else_: Stmt | None  # BlockStmt or IfStmt


@dataclass(slots=True)
class ForStmt(Stmt):
    """C-style `for init; cond; post {}`, also `for cond {}` and `for {}`."""

    init: Stmt | None
    cond: Expr | None
    post: Stmt | None
    body: BlockStmt


@dataclass(slots=True)
class ForInStmt(Stmt):
    """`for k, v in iterable {}`; with one name (`for v in xs`) Tengo binds the *value*
    and `key` is None. Either name may be `_` (not bound)."""

    key: Ident | None
    value: Ident
    iterable: Expr
    body: BlockStmt


@dataclass(slots=True)
class BranchStmt(Stmt):
    op: str  # "break" or "continue"


@dataclass(slots=True)
class ReturnStmt(Stmt):
    result: Expr | None


@dataclass(slots=True)
class ExportStmt(Stmt):
    result: Expr


@dataclass(slots=True)
class EmptyStmt(Stmt):
    pass


@dataclass(slots=True)
class File:
    """A parsed script: its statements in order."""

    stmts: list[Stmt]
