"""Compile-time scopes and function contexts, the `Watch` of int assumptions, the
`Program` result, and the small `ast` builders for frames and positions they need."""

from __future__ import annotations

import ast
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scriptvisor.engines.zygomys.names import Pos

# ---------------------------------------------------------------- scopes

@dataclass(eq=False)
class LoopCtx:
    label: str | None
    targeted: bool = False  # a labelled break/continue from an inner loop targets it
    continued: bool = False  # some continue targets it (the step must still run)


@dataclass(eq=False)
class FnCtx:
    parent: FnCtx | None
    globals: set[str] = field(default_factory=set)
    nonlocals: set[str] = field(default_factory=set)
    self_binding: tuple[Scope, str] | None = None
    params: list[str] = field(default_factory=list)
    rest: str | None = None
    tail_loop: bool = False
    loops: list[LoopCtx] = field(default_factory=list)
    int_returns: bool = False  # compiling its int copy assuming it returns ints
    unproven_return: bool = False  # ... and some return is not a proven int


@dataclass(eq=False)
class Scope:
    parent: Scope | None
    fn: FnCtx
    is_global: bool = False
    names: dict[str, str] = field(default_factory=dict)
    defined: set[str] = field(default_factory=set)  # names `def`d so far, in order


@dataclass(eq=False)
class Watch:
    """Python names assumed to hold ints in given ranges while code is compiled for that.

    `names` are guarded when the code is entered; `bound` are bindings made inside whose
    first value was a proven int. A store of a value not proven to stay in the range, or
    any store to a `frozen` name (a range loop's variable or bound), is a violation: the
    code is compiled again without that name (`excluded` holds the names given up).
    """

    names: dict[str, tuple[str, int, int]]  # Python name -> (Zygomys name, low, high)
    frozen: set[str] = field(default_factory=set)
    excluded: set[str] = field(default_factory=set)
    bound: dict[str, str] = field(default_factory=dict)  # Python name -> Zygomys name
    violations: set[str] = field(default_factory=set)

    def stored(self, py: str, rng: tuple[int, int] | None) -> None:
        found = self.names.get(py)
        if found is None:
            name = self.bound.get(py)
            if name is not None and rng is None:
                self.violations.add(name)
            return
        name, lo, hi = found
        if py in self.frozen or rng is None or not lo <= rng[0] <= rng[1] <= hi:
            self.violations.add(name)


class NeedGlobals(Exception):
    """The program looks names up at run time: compile it again with namespace globals."""


class NeedRecompile(Exception):
    """Functions whose self calls were compiled as returning ints turned out to be
    reassigned: compile again without that assumption for them."""

    def __init__(self, mutable: set[str]) -> None:
        super().__init__(sorted(mutable))
        self.mutable = mutable


@dataclass(slots=True)
class Program:
    """A compiled script: run `code` (defines `_h_main`) then call it with `consts`."""

    code: types.CodeType
    consts: list[Any]
    python_source: str
    name: str
    macros: dict[str, Callable[..., Any]]
    call_names: dict[Pos, str]
    builtins: frozenset[str] = frozenset()  # the names compiled as builtins
    source: str = ""  # set by the engine: to compile again (see `hidden_builtins`)
    resolver: Any = None
    # the program compiled again with some builtins hidden by input variables or host
    # functions of the same name, by the names hidden
    variants: dict[frozenset[str], Program] = field(default_factory=dict)


def toplevel_frame(names: list[str], body: list[ast.stmt]) -> list[ast.stmt]:
    """`_h_main`'s body when top-level bindings are its locals: each starts from the
    namespace's value (an input variable or host function the script may reassign), and
    `result` is published to the namespace, where the engine reads it."""
    def load(py: str) -> ast.stmt:
        return ast.If(ast.Compare(ast.Constant(py), [ast.In()], [ast.Name("_G", ast.Load())]),
                      [ast.Assign([ast.Name(py, ast.Store())], _ns_item(py, ast.Load()))], [])

    publish = ast.Try(
        [ast.Assign([_ns_item("result", ast.Store())], ast.Name("result", ast.Load()))],
        [ast.ExceptHandler(ast.Name("_h_NameError", ast.Load()), None, [ast.Pass()])], [],
        [])
    return [*(load(py) for py in names), ast.Try(body, [], [], [publish])]


def _ns_item(key: str, ctx: ast.expr_context) -> ast.Subscript:
    return ast.Subscript(ast.Name("_G", ast.Load()), ast.Constant(key), ctx)


def declarations(fn: FnCtx) -> list[ast.stmt]:
    out: list[ast.stmt] = []
    if fn.globals:
        out.append(ast.Global(sorted(fn.globals)))
    if fn.nonlocals:
        out.append(ast.Nonlocal(sorted(fn.nonlocals)))
    return out


def ctuple(items: Any) -> ast.expr:
    """A tuple of constants (Python folds it into one constant)."""
    return ast.Tuple([ast.Constant(x) for x in items], ast.Load())


def stamp(node: ast.AST, pos: Pos) -> None:
    """Give `node` and its unstamped descendants the script position `pos`."""
    if getattr(node, "lineno", None) is not None and not isinstance(node, ast.FunctionDef):
        return
    if isinstance(node, ast.stmt | ast.expr) and getattr(node, "lineno", None) is None:
        node.lineno, node.col_offset = pos[0], max(pos[1] - 1, 0)
        node.end_lineno, node.end_col_offset = pos[0], max(pos[1], 1)
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.stmt | ast.expr | ast.arguments | ast.arg | ast.keyword):
            stamp(child, pos)
