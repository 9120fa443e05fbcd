"""Code generation: a resolved Tengo syntax tree -> a Python `ast.Module`.

One compile rule per node type (`_STMT_RULES`, `_EXPR_RULES`). The module defines
`__tengo_main__(_env, _import)`, whose body is the script's top level; each function
literal is a nested `def`. Names come from `scopes` (one Python variable per Tengo
symbol), value types from `inference`; an operation whose operands are proven ints (or
checked by an inline `x.__class__ is int`) is computed in place with an int64 overflow
check, anything else calls `runtime`. Every node is stamped with the script position Go
Tengo reports when that operation fails (see `go_last_pos`).

Go Tengo semantics that shape the output:
- top-level variables are shared by every closure; in functions a variable declared in
  a loop is fresh on each iteration, so a captured one lives in a one-element list (a
  "box") passed to closures as a keyword-only default;
- a call of the function itself in tail position becomes a jump (`continue` of a
  `while True` around the body): `return f(...)`, and `f(...)` followed by a bare
  return, which Go's VM also runs as a tail call (returning its value);
- C-style loops over an int counter become `range` loops where provably equivalent;
- small numeric functions get an int-only version of their body behind one entry check;
- `x = append(x, v)` extends `x`'s array header in place when nothing else holds it
  (Go's `append` returns a new slice header, which only another holder could observe).
"""

from __future__ import annotations

import ast
import copy
import sys
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from scriptvisor.engines.tengo import inference as ty
from scriptvisor.engines.tengo import runtime, values
from scriptvisor.engines.tengo import syntax as s
from scriptvisor.engines.tengo.scopes import (
    Function,
    Kind,
    Resolution,
    Symbol,
    assign_target,
    function_stmts,
    tail_expr_stmts,
    walk,
)
from scriptvisor.engines.tengo.syntax import Pos
from scriptvisor.engines.tengo.values import RuntimeErr

MAIN = "__tengo_main__"
EXPORT_KEY = "__export__"
_I64_MIN = values.INT_MIN
_I64_MAX = values.INT_MAX


@dataclass(slots=True)
class Generated:
    """The generated module and what running it needs."""

    tree: ast.Module
    namespace: dict[str, Any]  # the module globals: runtime helpers, builtins, classes
    arities: dict[str, str]  # def name -> qualified name carrying its arity (`fib@1`)
    call_labels: dict[Pos, Callee | None]  # call position -> how to find its callee


def generate(res: Resolution, name: str, builtins: Mapping[str, Any], file: s.File) -> Generated:
    gen = _Generator(res, name, builtins)
    tree = gen.module(file)
    return Generated(tree, gen.namespace, gen.arities, gen.call_labels)


# ---------------------------------------------------------------- small AST helpers

def _name(ident: str) -> ast.Name:
    return ast.Name(ident, ast.Load())


def _store(ident: str) -> ast.Name:
    return ast.Name(ident, ast.Store())


def _const(v: Any) -> ast.Constant:
    return ast.Constant(v)


def _at(node: ast.AST, pos: Pos) -> ast.AST:
    """Stamp `node` with a script position (Python columns are 0-based)."""
    line, col = max(pos[0], 1), max(pos[1] - 1, 0)
    node.lineno, node.col_offset = line, col  # type: ignore[attr-defined]
    node.end_lineno, node.end_col_offset = line, col + 1  # type: ignore[attr-defined]
    return node


def _fill(root: ast.AST, pos: Pos) -> None:
    """Give every unstamped node under `root` the position of its nearest stamped parent."""
    stack = [(root, pos)]
    while stack:
        node, inherited = stack.pop()
        line = getattr(node, "lineno", None)
        if line is not None:
            here = (line, node.col_offset + 1)  # type: ignore[attr-defined]
        elif "lineno" in node._attributes:
            _at(node, inherited)
            here = inherited
        else:
            here = inherited
        stack.extend((child, here) for child in ast.iter_child_nodes(node))


_SHORT_TEXT = 4096


def _int_constant(e: ast.expr, default: int) -> int:
    return e.value if isinstance(e, ast.Constant) and type(e.value) is int else default


def _is_pure(e: ast.expr) -> bool:
    """Safe to evaluate twice, in any order: a plain variable or a constant."""
    return isinstance(e, ast.Constant | ast.Name)


def _chain_is(parts: list[ast.expr], klass: str) -> ast.expr:
    """`a.__class__ is b.__class__ is klass` (every operand evaluated, left to right)."""
    classes: list[ast.expr] = [ast.Attribute(p, "__class__", ast.Load()) for p in parts]
    return ast.Compare(classes[0], [ast.Is()] * len(parts), [*classes[1:], _name(klass)])


def _range_check(value: ast.expr, low: bool, high: bool) -> ast.expr:
    ops: list[ast.cmpop] = []
    comparators: list[ast.expr] = []
    left: ast.expr = value
    if low:
        left, ops, comparators = _const(_I64_MIN), [ast.LtE()], [value]
    if high:
        ops.append(ast.LtE())
        comparators.append(_const(_I64_MAX))
    return ast.Compare(left, ops, comparators)


# ---------------------------------------------------------------- positions

def go_last_pos(node: s.Expr) -> Pos:
    """Where Go Tengo reports a failure of the instruction *after* `node`'s code.

    Go's VM reports the position of the instruction before the failing one when that
    instruction has no operands (index, unary minus, slice, iteration), so e.g.
    `x[i + 1]` on a non-indexable `x` fails "at" `i + 1`: the last instruction `node`
    compiled to.
    """
    while True:
        if isinstance(node, s.ParenExpr):
            node = node.expr
        elif isinstance(node, s.BinaryExpr) and node.op in ("&&", "||"):
            node = node.rhs
        elif isinstance(node, s.CondExpr):
            node = node.false_expr
        elif isinstance(node, s.UnaryExpr) and node.op == "+":
            node = node.expr
        else:
            return node.pos


# ---------------------------------------------------------------- generator state

_HELPERS: dict[str, Callable[..., Any]] = {
    "add": runtime.add, "sub": runtime.sub, "mul": runtime.mul, "div": runtime.div,
    "mod": runtime.mod, "band": runtime.band, "bor": runtime.bor, "bxor": runtime.bxor,
    "bandnot": runtime.bandnot, "shl": runtime.shl, "shr": runtime.shr,
    "lt": runtime.lt, "le": runtime.le, "gt": runtime.gt, "ge": runtime.ge,
    "eq": runtime.eq, "ne": runtime.ne, "neg": runtime.neg, "complement": runtime.complement,
    "truthy": runtime.truthy, "falsy": runtime.falsy, "wrap": values.wrap_int,
    "int_div": runtime.int_div, "int_mod": runtime.int_mod,
    "index": runtime.index, "set_index": runtime.set_index,
    "assign_path": runtime.assign_path, "slice": runtime.slice_,
    "iter_values": runtime.iter_values, "iter_keys": runtime.iter_keys,
    "iter_pairs": runtime.iter_pairs, "spread": runtime.spread, "varargs": runtime.varargs,
    "immutable": runtime.immutable, "error": runtime.make_error, "array": runtime.array_literal,
    "append_one": runtime.append_one, "append_into": runtime.append_into,
    "str_plus": runtime.str_plus,
}
_BINARY_HELPERS = {
    "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod", "&": "band", "|": "bor",
    "^": "bxor", "&^": "bandnot", "<<": "shl", ">>": "shr",
    "<": "lt", "<=": "le", ">": "gt", ">=": "ge",
}
_PY_BINOPS: dict[str, type[ast.operator]] = {
    "+": ast.Add, "-": ast.Sub, "*": ast.Mult, "&": ast.BitAnd, "|": ast.BitOr,
    "^": ast.BitXor, "<<": ast.LShift, ">>": ast.RShift,
}
_PY_CMPOPS: dict[str, type[ast.cmpop]] = {
    "<": ast.Lt, "<=": ast.LtE, ">": ast.Gt, ">=": ast.GtE, "==": ast.Eq, "!=": ast.NotEq,
}
_PY_TRUTH = ty.BOOL | ty.INT | ty.STR | ty.MAP | ty.ARRAY  # Python truthiness == Tengo's


@dataclass(frozen=True, slots=True)
class Callee:
    """Where a call site's callee is: a builtin (`label`), or variable `py` (a box when
    `boxed`), indexed by `key` for `module.function(...)`."""

    py: str
    boxed: bool
    key: str | None
    label: str | None

    def type_name(self, frame: types.FrameType) -> str | None:
        if self.label is not None:
            return self.label
        value = frame.f_locals.get(self.py)
        try:
            if self.boxed and type(value) is list:
                value = value[0]
            if self.key is not None:
                value = runtime.index(value, self.key)
        except RuntimeErr:
            return None
        return values.type_name(value) if callable(value) else None


@dataclass(slots=True)
class _Loop:
    post: list[ast.stmt] | None  # a C-style loop's post statement, run by `continue`


@dataclass(slots=True)
class _FuncState:
    func: Function
    self_symbol: Symbol | None = None  # the variable provably bound to this very function
    loop_tail_calls: bool = False  # self tail calls become `continue` of a `while True`
    tail_stmts: set[int] = field(default_factory=set)  # id(ExprStmt) Go treats as tail calls
    loops: list[_Loop] = field(default_factory=list)


class _Generator:
    def __init__(self, res: Resolution, name: str, builtins: Mapping[str, Any]) -> None:
        self.res = res
        self.script = name
        self.specialized = _specializations(res)
        self.program_types = ty.ProgramTypes(res, self.specialized)
        self.types = self.program_types.base
        self.names = res.names
        self.arities: dict[str, str] = {}  # def name -> qualname carrying its arity
        self.prelude: list[ast.stmt] = []  # function definitions hoisted out of expressions
        self.constants: list[ast.stmt] = []
        self.namespace: dict[str, Any] = {"_r_" + k: v for k, v in _HELPERS.items()}
        self.namespace.update(_Array=values.Array, _Char=values.Char, _Error=values.Error)
        self.namespace["_refcount"] = sys.getrefcount
        for sym_name, fn in builtins.items():
            self.namespace["_b_" + sym_name] = fn
        self.state = _FuncState(res.main)
        self.facts: dict[int, tuple[int, int]] = {}  # id(symbol) -> known int bounds
        self.bounded_steps: set[int] = set()  # id(IncDecStmt): `x++` that cannot overflow
        self.zero_lo: set[str] = set()  # hoisted `lo` locals known to be 0 (loop versioning)
        # id(symbol) -> locals holding its array header (buf, lo, n) in a loop
        self.hoisted: dict[int, tuple[str, str, str]] = {}
        self.call_labels: dict[Pos, Callee | None] = {}  # call position -> its callee

    # ------------------------------------------------------------ helpers

    def temp(self) -> str:
        return self.names.internal("t")

    def helper(self, name: str, args: list[ast.expr], pos: Pos) -> ast.expr:
        call = ast.Call(_name("_r_" + name), args, [])
        _at(call, pos)
        return call

    def symbol(self, ident: s.Ident) -> Symbol:
        return self.res.refs[id(ident)]

    def load(self, sym: Symbol) -> ast.expr:
        if sym.kind is Kind.BUILTIN:
            return _name(sym.py)
        if sym.boxed:
            return ast.Subscript(_name(sym.py), _const(0), ast.Load())
        return _name(sym.py)

    def store(self, sym: Symbol, value: ast.expr, define: bool) -> ast.stmt:
        if sym.boxed:
            if define:
                return ast.Assign([_store(sym.py)], ast.List([value], ast.Load()))
            target = ast.Subscript(_name(sym.py), _const(0), ast.Store())
            return ast.Assign([target], value)
        return ast.Assign([_store(sym.py)], value)

    # ------------------------------------------------------------ module and functions

    def module(self, file: s.File) -> ast.Module:
        main = self.res.main
        body: list[ast.stmt] = []
        for sym in self.res.symbols:
            if sym.kind is Kind.INPUT:
                fetch = ast.Subscript(_name("_env"), _const(sym.name), ast.Load())
                body.append(ast.Assign([_store(sym.py)], fetch))
        if self.res.module is None:
            body.append(ast.Assign([_store("_export")], _const(None)))
        self.state = _FuncState(main)
        body.extend(self.stmts(file.stmts))
        body.append(self.finish_main())
        args = ast.arguments([], [ast.arg("_env"), ast.arg("_import")], None, [], [], None, [])
        fn = ast.FunctionDef(MAIN, args, body, [], None, None)
        tree = ast.Module([*self.constants, fn], [])
        _fill(tree, (1, 1))
        return tree

    def finish_main(self) -> ast.stmt:
        keys: list[ast.expr | None] = []
        vals: list[ast.expr] = []
        for sym in self.res.symbols:
            if sym.top_level and sym.kind is not Kind.BUILTIN:
                keys.append(_const(sym.name))
                vals.append(self.load(sym))
        if self.res.module is not False:
            keys.append(_const(EXPORT_KEY))
            vals.append(_const(None) if self.res.module else _name("_export"))
        return ast.Return(ast.Dict(keys, vals))

    def function(self, node: s.FuncLit, def_name: str) -> ast.FunctionDef:
        func = self.res.function_of(node)
        outer_state = self.state
        self.state = self.function_state(func)
        body: list[ast.stmt] = []
        writes = [sym.py for sym in func.outer_writes if not sym.boxed]
        if writes:
            body.append(ast.Nonlocal(writes))
        params = [ast.arg(p.py) for p in func.params]
        vararg = None
        if node.varargs:
            vararg = params.pop()
            rest = func.params[-1]
            value = self.helper("varargs", [_name(rest.py)], node.pos)
            body.append(self.store(rest, value, define=True))
        code = self.function_body(node, func)
        if self.state.loop_tail_calls:
            code = [ast.While(_const(True), [*code, ast.Return(_const(None))], [])]
        body.extend(code or [ast.Pass()])
        boxes = [sym for sym in func.box_params if sym.boxed]
        args = ast.arguments(
            [], params, vararg,
            [ast.arg(b.py) for b in boxes], [_name(b.py) for b in boxes], None, [],
        )
        self.state = outer_state
        nfixed = len(func.params) - (1 if node.varargs else 0)
        self.arities[def_name] = f"{def_name}@{nfixed}{'+' if node.varargs else ''}"
        fn = ast.FunctionDef(def_name, args, body, [], None, None)
        _at(fn, node.pos)
        return fn

    def function_body(self, node: s.FuncLit, func: Function) -> list[ast.stmt]:
        """The body; for a numeric function, an int-only version first (its parameters
        proven ints by one check on entry, so its arithmetic skips type guards)."""
        generic = self.stmts(node.body.stmts)
        checked = self.specialized.get(func)
        if not checked:
            return generic
        saved, self.types = self.types, self.program_types.context(func)
        fast = self.stmts(node.body.stmts)
        self.types = saved
        guard = _chain_is([_name(p.py) for p in checked], "int")
        return [ast.If(guard, fast or [ast.Pass()], generic or [ast.Pass()])]

    def function_state(self, func: Function) -> _FuncState:
        state = _FuncState(func)
        node = func.node
        assert node is not None
        sym = func.binding
        reused = sym is not None and sym.kind is Kind.GLOBAL and sym.in_loop
        if sym is not None and len(sym.sites) == 1 and not reused:
            state.self_symbol = sym
            state.tail_stmts = tail_expr_stmts(node.body.stmts)
            state.loop_tail_calls = (
                not node.varargs
                and not func.has_captured
                and self.has_loop_tail_call(state, node)
            )
        return state

    def has_loop_tail_call(self, state: _FuncState, node: s.FuncLit) -> bool:
        for stmt, in_loop in function_stmts(node.body.stmts, False):
            call = None if in_loop else self.tail_call_of(stmt, state)
            if call is not None and len(call.args) == len(node.params):
                return True
        return False

    def tail_call_of(self, stmt: s.Stmt, state: _FuncState) -> s.CallExpr | None:
        """The call of the function itself that `stmt` makes in tail position, if any."""
        call: s.Expr | None = None
        if isinstance(stmt, s.ReturnStmt):
            call = stmt.result
        elif isinstance(stmt, s.ExprStmt) and id(stmt) in state.tail_stmts:
            call = stmt.expr
        if (
            isinstance(call, s.CallExpr)
            and not call.ellipsis
            and isinstance(call.func, s.Ident)
            and state.self_symbol is not None
            and self.res.refs.get(id(call.func)) is state.self_symbol
        ):
            return call
        return None

    def func_value(self, node: s.FuncLit) -> ast.expr:
        """A function literal used as a value: its `def` is hoisted before the statement."""
        def_name = self.names.internal("f")
        self.prelude.append(self.function(node, def_name))
        return _name(def_name)

    # ------------------------------------------------------------ statements

    def stmts(self, nodes: list[s.Stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        saved = dict(self.facts)
        for node in nodes:
            out.extend(self.stmt(node))
            if isinstance(node, s.IfStmt) and node.else_ is None and _always_exits(node.body):
                self.learn(node.cond, False)
        self.facts = saved
        return out

    # ------------------------------------------------------------ int bounds

    def learn(self, cond: s.Expr, holds: bool) -> None:
        """Record the bound `cond` (`x < 5`, ...) implies, true or false, for a variable
        that never changes, so that `x - 1` can skip its overflow check."""
        while isinstance(cond, s.ParenExpr):
            cond = cond.expr
        if not isinstance(cond, s.BinaryExpr) or cond.op not in _FLIPPED:
            return
        op, var, lit = cond.op, cond.lhs, cond.rhs
        if isinstance(var, s.IntLit):
            op, var, lit = _FLIPPED[op], lit, var
        if not (isinstance(var, s.Ident) and isinstance(lit, s.IntLit)):
            return
        sym = self.res.refs.get(id(var))
        if sym is None or sym.kind is Kind.BUILTIN or len(sym.sites) != 1:
            return
        if not holds:
            op = _NEGATED[op]
        lo, hi = self.facts.get(id(sym), (_I64_MIN, _I64_MAX))
        c = lit.value
        if op == ">=":
            lo = max(lo, c)
        elif op == ">":
            lo = max(lo, c + 1)
        elif op == "<=":
            hi = min(hi, c)
        else:
            hi = min(hi, c - 1)
        self.facts[id(sym)] = (lo, hi)

    def bounds(self, e: ast.expr, node: s.Expr) -> tuple[int, int]:
        """Known bounds of an int operand: a constant, a variable's facts, a length."""
        if isinstance(e, ast.Constant) and type(e.value) is int:
            return e.value, e.value
        if isinstance(node, s.Ident) and id(node) in self.res.refs:
            return self.facts.get(id(self.res.refs[id(node)]), (_I64_MIN, _I64_MAX))
        if isinstance(node, s.CallExpr) and self.builtin_callee(node) == "len":
            return 0, _I64_MAX
        return _I64_MIN, _I64_MAX

    def stmt(self, node: s.Stmt) -> list[ast.stmt]:
        saved, self.prelude = self.prelude, []
        produced = _STMT_RULES[type(node)](self, node)
        hoisted, self.prelude = self.prelude, saved
        result = [*hoisted, *produced]
        for st in result:
            if not hasattr(st, "lineno"):
                _at(st, node.pos)
        return result

    def expr_stmt(self, node: s.ExprStmt) -> list[ast.stmt]:
        call = self.tail_call_of(node, self.state)
        if call is not None:
            return self.return_call(call)
        return [ast.Expr(self.expr(node.expr))]

    def return_stmt(self, node: s.ReturnStmt) -> list[ast.stmt]:
        if node.result is None:
            return [self.return_value(_const(None))]
        call = self.tail_call_of(node, self.state)
        if call is not None:
            return self.return_call(call)
        return [self.return_value(self.expr(node.result))]

    def return_value(self, value: ast.expr) -> ast.stmt:
        if self.state.func.is_main:  # a module's top-level `return`
            return ast.Return(ast.Dict([_const(EXPORT_KEY)], [value]))
        return ast.Return(value)

    def return_call(self, call: s.CallExpr) -> list[ast.stmt]:
        """`return f(args)` of the function itself: a jump back to its start when possible."""
        func = self.state.func
        assert func.node is not None
        if not self.state.loop_tail_calls or self.state.loops or len(call.args) != len(func.params):
            return [ast.Return(self.expr(call))]
        args = [self.expr(a) for a in call.args]
        targets: list[ast.expr] = [_store(p.py) for p in func.params]
        if len(targets) == 1:
            assign: ast.stmt = ast.Assign(targets, args[0])
        elif targets:
            assign = ast.Assign([ast.Tuple(targets, ast.Store())], ast.Tuple(args, ast.Load()))
        else:
            return [ast.Continue()]
        return [assign, ast.Continue()]

    def export_stmt(self, node: s.ExportStmt) -> list[ast.stmt]:
        if self.res.module is False:
            return []  # Go ignores `export` outside a module
        value = self.helper("immutable", [self.expr(node.result)], node.pos)
        if self.res.module:
            return [ast.Return(ast.Dict([_const(EXPORT_KEY)], [value]))]
        unset = ast.Compare(_name("_export"), [ast.Is()], [_const(None)])
        return [ast.If(unset, [ast.Assign([_store("_export")], value)], [])]

    def branch(self, node: s.BranchStmt) -> list[ast.stmt]:
        if node.op == "break":
            return [ast.Break()]
        post = self.state.loops[-1].post if self.state.loops else None
        return [*(copy.deepcopy(post) if post else []), ast.Continue()]

    def block(self, node: s.BlockStmt) -> list[ast.stmt]:
        return self.stmts(node.stmts)

    def empty(self, node: s.Stmt) -> list[ast.stmt]:
        return []

    def if_stmt(self, node: s.IfStmt) -> list[ast.stmt]:
        out = self.stmt(node.init) if node.init is not None else []
        test = self.test(node.cond)
        saved = dict(self.facts)
        self.learn(node.cond, True)
        self.mark_bounded_steps(node.cond, node.body.stmts)
        body = self.stmts(node.body.stmts) or [ast.Pass()]
        self.facts = dict(saved)
        self.learn(node.cond, False)
        orelse = self.stmt(node.else_) if node.else_ is not None else []
        self.facts = saved
        out.extend(self.take_prelude())
        out.append(ast.If(test, body, orelse))
        return out

    def mark_bounded_steps(self, cond: s.Expr, body: list[s.Stmt]) -> None:
        """`if i < n && ... { ...; i++ }` with ints `i` and `n`: `i < n` makes `i + 1` fit
        in int64, so the body's first `i++` skips its overflow check when nothing before
        it can change `i` (no assignment to it; not captured, so no call can either)."""
        for var in self.upper_bounded(cond):
            sym = self.res.refs.get(id(var))
            if sym is None or sym.kind is Kind.BUILTIN or sym.captured:
                continue
            sites = {id(site.node) for site in sym.sites if site.node is not None}
            for st in body:
                if (
                    isinstance(st, s.IncDecStmt)
                    and st.op == "++"
                    and isinstance(st.expr, s.Ident)
                    and self.res.refs.get(id(st.expr)) is sym
                ):
                    self.bounded_steps.add(id(st))
                    break
                if any(id(n) in sites for n in walk(st)):
                    break

    def upper_bounded(self, cond: s.Expr) -> list[s.Ident]:
        """Int variables `x` that `cond` being true proves below some int (`x < n`)."""
        while isinstance(cond, s.ParenExpr):
            cond = cond.expr
        if not isinstance(cond, s.BinaryExpr):
            return []
        if cond.op == "&&":
            return self.upper_bounded(cond.lhs) + self.upper_bounded(cond.rhs)
        if cond.op not in ("<", ">"):
            return []
        var, other = (cond.lhs, cond.rhs) if cond.op == "<" else (cond.rhs, cond.lhs)
        if not isinstance(var, s.Ident):
            return []
        if ty.only(self.types.of(var), ty.INT) and ty.only(self.types.of(other), ty.INT):
            return [var]
        return []

    def take_prelude(self) -> list[ast.stmt]:
        hoisted, self.prelude = self.prelude, []
        return hoisted

    def for_stmt(self, node: s.ForStmt) -> list[ast.stmt]:
        saved = dict(self.hoisted)
        hoist = self.hoist_headers(node)
        try:
            general = self.for_loop(node)
            los = [h[1] for k, h in self.hoisted.items() if k not in saved]
            if not los or self.zero_lo or sum(1 for _ in walk(node)) > _MAX_VERSIONED_NODES:
                return [*hoist, *general]
            # the same loop again for arrays that start their buffer (the usual case):
            # `buf[i]` instead of `buf[lo + i]`; the hoisted headers cannot change inside
            self.zero_lo = set(los)
            try:
                fast = self.for_loop(node)
            finally:
                self.zero_lo = set()
            zero: list[ast.expr] = [ast.Compare(_name(lo), [ast.Eq()], [_const(0)]) for lo in los]
            test = zero[0] if len(zero) == 1 else ast.BoolOp(ast.And(), zero)
            return [*hoist, ast.If(test, fast, general)]
        finally:
            self.hoisted = saved

    def hoist_headers(self, node: s.ForStmt) -> list[ast.stmt]:
        """Read the header (`buf`, `lo`, `n`) of each array indexed in a loop into locals
        before it, when nothing in the loop can change it: the variable is an array not
        written in the loop, and the loop calls nothing (only `x = append(x, v)` and
        calls update a header, and a call could run a closure writing the variable)."""
        nodes = list(walk(node))
        if any(isinstance(n, s.CallExpr | s.FuncLit | s.ImportExpr) for n in nodes):
            return []
        inside = {id(n) for n in nodes}
        out: list[ast.stmt] = []
        for n in nodes:
            if not (isinstance(n, s.IndexExpr) and isinstance(n.expr, s.Ident)):
                continue
            sym = self.res.refs.get(id(n.expr))
            if sym is None or id(sym) in self.hoisted or sym.boxed or sym.kind is Kind.BUILTIN:
                continue
            if not ty.only(self.types.of_symbol(sym), ty.ARRAY):
                continue
            if not ty.only(self.types.of(n.index), ty.INT):
                continue
            if any(site.node is None or id(site.node) in inside for site in sym.sites):
                continue
            internal = self.names.internal
            names = (internal(sym.py + "_buf"), internal(sym.py + "_lo"), internal(sym.py + "_n"))
            for local, field_ in zip(names, ("buf", "lo", "n"), strict=True):
                value = ast.Attribute(_name(sym.py), field_, ast.Load())
                out.append(ast.Assign([_store(local)], value))
            self.hoisted[id(sym)] = names
        return out

    def for_loop(self, node: s.ForStmt) -> list[ast.stmt]:
        ranged = self.range_loop(node)
        if ranged is None:
            ranged = self.counted_while(node)
        if ranged is not None:
            return ranged
        out = self.stmt(node.init) if node.init is not None else [] if node.init is not None else []
        out.extend(self.take_prelude())
        test = self.test(node.cond) if node.cond is not None else _const(True)
        cond_prelude = self.take_prelude()
        post = self.stmt(node.post) if node.post is not None else []
        self.state.loops.append(_Loop(post))
        body = self.stmts(node.body.stmts)
        self.state.loops.pop()
        if cond_prelude:
            exit_ = ast.If(ast.UnaryOp(ast.Not(), test), [ast.Break()], [])
            out.append(ast.While(_const(True), [*cond_prelude, exit_, *body, *post], []))
        else:
            out.append(ast.While(test, [*body, *post] or [ast.Pass()], []))
        return out

    def range_loop(self, node: s.ForStmt) -> list[ast.stmt] | None:
        """`for i := a; i < b; i++ {}` as `for i in range(a, b)` where provably the same:
        ints, `i` written only by the loop header and not captured, `b` invariant."""
        shape = _range_shape(node)
        if shape is None:
            return None
        ident, start, op, bound, step = shape
        sym = self.symbol(ident)
        if sym.captured or sym.boxed or len(sym.sites) != 2:
            return None
        if not ty.only(self.types.of(start), ty.INT) or not self.invariant_int(bound, node):
            return None
        stop = self.expr(bound)
        if op == "<=":
            if not isinstance(bound, s.IntLit) or bound.value >= _I64_MAX:
                return None
            stop = _const(bound.value + 1)
        first = self.expr(start)
        out = self.take_prelude()
        self.state.loops.append(_Loop(None))
        saved = dict(self.facts)
        low = _int_constant(first, _I64_MIN)
        high = _int_constant(stop, _I64_MAX + 1) - 1
        self.facts[id(sym)] = (low, high)  # only the loop header writes `i`
        body = self.stmts(node.body.stmts) or [ast.Pass()]
        self.facts = saved
        self.state.loops.pop()
        bounds: list[ast.expr] = [first, stop] + ([_const(step)] if step != 1 else [])
        iterable = ast.Call(_name("range"), bounds, [])
        out.append(ast.For(_store(sym.py), iterable, body, []))
        return out

    def counted_while(self, node: s.ForStmt) -> list[ast.stmt] | None:
        """`for k < b { ...; k++ }` as `for k in range(k, b)` (then `k = b` if it ran),
        where `k` is an int written in the loop only by that last `k++`, never captured,
        `b` invariant, and no `continue` skips the increment."""
        cond, stmts = node.cond, node.body.stmts
        if node.init is not None or node.post is not None or not stmts:
            return None
        if not (isinstance(cond, s.BinaryExpr) and cond.op == "<"):
            return None
        last = stmts[-1]
        if not (isinstance(cond.lhs, s.Ident) and _post_step(last, cond.lhs.name) == 1):
            return None
        sym = self.symbol(cond.lhs)
        inside = {id(n) for n in walk(node)}
        writes = [site for site in sym.sites if site.node is not None and id(site.node) in inside]
        if sym.captured or sym.boxed or sym.kind is Kind.BUILTIN or len(writes) != 1:
            return None
        if not ty.only(self.types.of_symbol(sym), ty.INT):
            return None
        if not self.invariant_int(cond.rhs, node) or any(
            isinstance(n, s.BranchStmt) and n.op == "continue" for n in walk(node.body)
        ):
            return None
        stop = self.expr(cond.rhs)
        out = self.take_prelude()
        self.state.loops.append(_Loop(None))
        body = self.stmts(stmts[:-1]) or [ast.Pass()]
        self.state.loops.pop()
        iterable = ast.Call(_name("range"), [_name(sym.py), stop], [])
        short = ast.Compare(_name(sym.py), [ast.Lt()], [copy.copy(stop)])
        done = ast.If(short, [ast.Assign([_store(sym.py)], copy.copy(stop))], [])
        out.append(ast.For(_store(sym.py), iterable, body, [done]))
        return out

    def invariant_int(self, bound: s.Expr, loop: s.ForStmt) -> bool:
        if isinstance(bound, s.IntLit):
            return True
        if not isinstance(bound, s.Ident):
            return False
        sym = self.symbol(bound)
        if sym.kind is Kind.BUILTIN or not ty.only(self.types.of_symbol(sym), ty.INT):
            return False
        inside = {id(n) for n in walk(loop)}
        return not any(site.node is not None and id(site.node) in inside for site in sym.sites)

    def for_in(self, node: s.ForInStmt) -> list[ast.stmt]:
        key, value = self.res.for_in[id(node)]
        subject = self.expr(node.iterable)
        pos = go_last_pos(node.iterable)
        out = self.take_prelude()
        setup: list[ast.stmt] = []
        names: list[ast.expr] = []
        for sym in (key, value):
            if sym is None:
                continue
            if sym.boxed:
                t = self.temp()
                names.append(_store(t))
                setup.append(ast.Assign([_store(sym.py)], ast.List([_name(t)], ast.Load())))
            else:
                names.append(_store(sym.py))
        if key is not None and value is not None:
            iterable = self.helper("iter_pairs", [subject], pos)
            target: ast.expr = ast.Tuple(names, ast.Store())
        else:
            iterable = self.helper("iter_keys" if value is None else "iter_values", [subject], pos)
            target = names[0] if names else _store(self.temp())
        self.state.loops.append(_Loop(None))
        body = self.stmts(node.body.stmts)
        self.state.loops.pop()
        out.append(ast.For(target, iterable, [*setup, *body] or [ast.Pass()], []))
        return out

    # ------------------------------------------------------------ assignments

    def inc_dec(self, node: s.IncDecStmt) -> list[ast.stmt]:
        one = s.IntLit(node.pos, 1, "1")
        if id(node) not in self.bounded_steps:
            return self.assign(node, node.expr, one, "+=" if node.op == "++" else "-=")
        key = id(self.res.refs[id(node.expr)])
        saved = self.facts.get(key)
        lo, hi = saved if saved is not None else (_I64_MIN, _I64_MAX)
        self.facts[key] = (lo, min(hi, _I64_MAX - 1))
        try:
            return self.assign(node, node.expr, one, "+=")
        finally:
            if saved is None:
                del self.facts[key]
            else:
                self.facts[key] = saved

    def assign_stmt(self, node: s.AssignStmt) -> list[ast.stmt]:
        return self.assign(node, node.lhs[0], node.rhs[0], node.op)

    def assign(self, node: s.Stmt, target: s.Expr, rhs: s.Expr, op: str) -> list[ast.stmt]:
        ident, selectors = assign_target(target)
        if ident is None:  # `f() := v` (the only such target resolution lets through)
            return [ast.Expr(self.expr(rhs))]
        if op not in (":=", "="):
            rhs = s.BinaryExpr(node.pos, target, op[:-1], rhs)
        sym = self.symbol(ident)
        if selectors:
            return self.assign_selectors(node, sym, selectors, rhs)
        if isinstance(rhs, s.FuncLit) and not sym.boxed and sym.py not in self.arities:
            return [self.function(rhs, sym.py)]
        if op == "=" and not sym.boxed and self.appends_to(rhs, sym):
            assert isinstance(rhs, s.CallExpr)
            return self.append_in_place(sym, rhs)
        if op == ":=" and sym.boxed and isinstance(rhs, s.FuncLit):
            # the function sees its own (fresh) variable: create the box first
            init = ast.Assign([_store(sym.py)], ast.List([_const(None)], ast.Load()))
            value = self.func_value(rhs)
            return [init, *self.take_prelude(), self.store(sym, value, define=False)]
        return [self.store(sym, self.expr(rhs), define=op == ":=")]

    def append_in_place(self, sym: Symbol, call: s.CallExpr) -> list[ast.stmt]:
        """`x = append(x, v)`: while the array has room and `x` alone holds its header
        (CPython's reference count says so), extend it in place: `x` drops the old header
        anyway, so nothing can observe the difference. Otherwise Go's `append`."""
        self.label_call(call)
        out: list[ast.stmt] = []
        value = self.expr(call.args[1])
        if not _is_pure(value):
            t = self.temp()
            out.append(ast.Assign([_store(t)], value))
            value = _name(t)
        slow = self.helper("append_into", [_name(sym.py), value], call.pos)
        if not runtime.UNIQUE_REFS_INLINE:
            return [*out, self.store(sym, slow, define=False)]

        def attr(name: str) -> ast.expr:
            return ast.Attribute(_name(sym.py), name, ast.Load())

        checks: list[ast.expr] = [
            ast.Compare(attr("n"), [ast.Lt()], [attr("cap")]),
            ast.Compare(
                ast.Call(_name("_refcount"), [_name(sym.py)], []),
                [ast.Eq()], [_const(runtime.UNIQUE_REFS_INLINE)],
            ),
        ]
        if not ty.only(self.types.of_symbol(sym), ty.ARRAY):
            checks.insert(0, _chain_is([_name(sym.py)], "_Array"))
        slot = ast.BinOp(attr("lo"), ast.Add(), attr("n"))
        in_place = [
            ast.Assign([ast.Subscript(attr("buf"), slot, ast.Store())], copy.copy(value)),
            ast.AugAssign(ast.Attribute(_name(sym.py), "n", ast.Store()), ast.Add(), _const(1)),
        ]
        grow = [self.store(sym, slow, define=False)]
        return [*out, ast.If(ast.BoolOp(ast.And(), checks), in_place, grow)]

    def appends_to(self, rhs: s.Expr, sym: Symbol) -> bool:
        """`x = append(x, v)`, where the old `x` is dropped as the new one is stored."""
        return (
            isinstance(rhs, s.CallExpr)
            and not rhs.ellipsis
            and len(rhs.args) == 2
            and self.builtin_callee(rhs) == "append"
            and isinstance(rhs.args[0], s.Ident)
            and self.res.refs.get(id(rhs.args[0])) is sym
        )

    def assign_selectors(
        self, node: s.Stmt, sym: Symbol, selectors: list[s.Expr], rhs: s.Expr
    ) -> list[ast.stmt]:
        """`x.a[b] = v`: Go evaluates `v`, then the selectors right to left, then `x`."""
        out: list[ast.stmt] = []
        value = self.expr(rhs)
        if not _is_pure(value):
            t = self.temp()
            out.append(ast.Assign([_store(t)], value))
            value = _name(t)
        keys: list[ast.expr] = []
        for sel in reversed(selectors):
            key = self.expr(sel)
            if not _is_pure(key):
                t = self.temp()
                out.append(ast.Assign([_store(t)], key))
                key = _name(t)
            keys.insert(0, key)
        root = self.load(sym)
        if len(keys) == 1:
            root_type = self.types.of_symbol(sym)
            header = self.hoisted.get(id(sym))
            if header is not None and ty.only(self.types.of(selectors[0]), ty.INT):
                out.append(self.set_hoisted(header, root, keys[0], value, node.pos))
            else:
                out.append(
                    self.set_index(root, root_type, keys[0], selectors[0], value, node.pos)
                )
        else:
            path = ast.Tuple(keys, ast.Load())
            out.append(ast.Expr(self.helper("assign_path", [root, value, path], node.pos)))
        return out

    def set_hoisted(
        self, header: tuple[str, str, str], root: ast.expr, key: ast.expr, value: ast.expr,
        pos: Pos,
    ) -> ast.stmt:
        """`x[k] = v` for an array whose header a loop hoisted into locals."""
        buf, lo, n = header
        slow = ast.Expr(self.helper("set_index", [root, key, value], pos))
        ops: list[ast.cmpop] = [ast.LtE(), ast.Lt()]
        guard = ast.Compare(_const(0), ops, [copy.copy(key), _name(n)])
        slot = self.hoisted_slot(lo, key)
        store = ast.Assign([ast.Subscript(_name(buf), slot, ast.Store())], copy.copy(value))
        return ast.If(guard, [store], [slow])

    def set_index(
        self, root: ast.expr, root_type: int, key: ast.expr, key_node: s.Expr,
        value: ast.expr, pos: Pos,
    ) -> ast.stmt:
        """`x[k] = v` with the array-with-int-index and map-with-string-key cases inline
        (`root`, `key` and `value` are plain names or constants here)."""
        slow = ast.Expr(self.helper("set_index", [root, key, value], pos))
        if not _is_pure(root):
            return slow
        checks: list[ast.expr] = []
        if ty.only(self.types.of(key_node), ty.INT):
            def attr(name: str) -> ast.expr:
                return ast.Attribute(copy.copy(root), name, ast.Load())

            if not ty.only(root_type, ty.ARRAY):
                checks.append(_chain_is([copy.copy(root)], "_Array"))
            ops: list[ast.cmpop] = [ast.LtE(), ast.Lt()]
            checks.append(ast.Compare(_const(0), ops, [copy.copy(key), attr("n")]))
            slot = ast.BinOp(attr("lo"), ast.Add(), copy.copy(key))
            target: ast.expr = ast.Subscript(attr("buf"), slot, ast.Store())
        else:
            if not ty.only(root_type, ty.MAP):
                checks.append(_chain_is([copy.copy(root)], "dict"))
            if not ty.only(self.types.of(key_node), ty.STR):
                checks.append(_chain_is([copy.copy(key)], "str"))
            target = ast.Subscript(copy.copy(root), copy.copy(key), ast.Store())
        store = ast.Assign([target], copy.copy(value))
        if not checks:
            return store
        guard = checks[0] if len(checks) == 1 else ast.BoolOp(ast.And(), checks)
        return ast.If(guard, [store], [slow])

    # ------------------------------------------------------------ expressions

    def expr(self, node: s.Expr) -> ast.expr:
        return _EXPR_RULES[type(node)](self, node)

    def ident(self, node: s.Ident) -> ast.expr:
        return self.load(self.symbol(node))

    def int_lit(self, node: s.IntLit) -> ast.expr:
        return _const(node.value)

    def literal(self, node: s.FloatLit | s.StringLit | s.BoolLit) -> ast.expr:
        return _const(node.value)

    def undefined(self, node: s.UndefinedLit) -> ast.expr:
        return _const(None)

    def char_lit(self, node: s.CharLit) -> ast.expr:
        name = self.names.internal("k")
        make = ast.Call(_name("_Char"), [_const(node.value)], [])
        self.constants.append(ast.Assign([_store(name)], make))
        return _name(name)

    def array_lit(self, node: s.ArrayLit) -> ast.expr:
        items = ast.List([self.expr(e) for e in node.elements], ast.Load())
        return ast.Call(_name("_r_array"), [items], [])

    def map_lit(self, node: s.MapLit) -> ast.expr:
        keys: list[ast.expr | None] = [_const(e.key) for e in node.elements]
        return ast.Dict(keys, [self.expr(e.value) for e in node.elements])

    def paren(self, node: s.ParenExpr) -> ast.expr:
        return self.expr(node.expr)

    def func_lit(self, node: s.FuncLit) -> ast.expr:
        return self.func_value(node)

    def error_expr(self, node: s.ErrorExpr) -> ast.expr:
        return ast.Call(_name("_Error"), [self.expr(node.expr)], [])

    def immutable_expr(self, node: s.ImmutableExpr) -> ast.expr:
        return self.helper("immutable", [self.expr(node.expr)], node.pos)

    def import_expr(self, node: s.ImportExpr) -> ast.expr:
        call = ast.Call(_name("_import"), [_const(node.module_name)], [])
        return _at(call, node.pos)  # type: ignore[return-value]

    def call(self, node: s.CallExpr) -> ast.expr:
        self.label_call(node)
        builtin = self.builtin_callee(node) if not node.ellipsis else None
        if builtin == "append" and len(node.args) == 2:
            args = [self.expr(a) for a in node.args]
            return self.helper("append_one", args, node.pos)
        if builtin == "string" and len(node.args) == 1:
            return self.string_of(node)
        if builtin == "len" and len(node.args) == 1:
            return self.len_of(node)
        func = self.expr(node.func)
        args = [self.expr(a) for a in node.args]
        if node.ellipsis:
            args[-1] = ast.Starred(self.helper("spread", [args[-1]], node.pos), ast.Load())
        return _at(ast.Call(func, args, []), node.pos)  # type: ignore[return-value]

    def string_of(self, node: s.CallExpr) -> ast.expr:
        """`string(x)`: an int's decimal digits inline, the builtin for anything else."""
        arg = self.expr(node.args[0])
        builtin = self.expr(node.func)
        if ty.only(self.types.of(node.args[0]), ty.INT):
            return ast.Call(_name("str"), [arg], [])
        if _is_pure(arg):
            first: ast.expr = arg
        else:
            t = self.temp()
            first, arg = ast.NamedExpr(_store(t), arg), _name(t)
        digits = ast.Call(_name("str"), [arg], [])
        slow = _at(ast.Call(builtin, [copy.copy(arg)], []), node.pos)
        return ast.IfExp(_chain_is([first], "int"), digits, slow)  # type: ignore[arg-type]

    def len_of(self, node: s.CallExpr) -> ast.expr:
        """`len(x)`: an array's length inline, the builtin for anything else."""
        arg_node = node.args[0]
        arg = self.expr(arg_node)
        builtin = self.expr(node.func)
        if ty.only(self.types.of(arg_node), ty.ARRAY):
            return ast.Attribute(arg, "n", ast.Load())
        first, arg = self.once(arg)
        slow = _at(ast.Call(builtin, [copy.copy(arg)], []), node.pos)
        fast = ast.Attribute(arg, "n", ast.Load())
        return ast.IfExp(_chain_is([first], "_Array"), fast, slow)  # type: ignore[arg-type]

    def label_call(self, node: s.CallExpr) -> None:
        """Remember how to find what this call calls (a builtin, a variable, `var.name`):
        Go names the callee when a builtin or stdlib function rejects its arguments."""
        func: s.Expr = node.func
        key = None
        if isinstance(func, s.SelectorExpr):
            key = func.sel.value
            func = func.expr
        callee = None
        sym = self.res.refs.get(id(func)) if isinstance(func, s.Ident) else None
        if sym is not None and sym.kind is Kind.BUILTIN:
            if key is None:
                callee = Callee("", False, None, "builtin-function:" + sym.name)
        elif sym is not None:
            callee = Callee(sym.py, sym.boxed, key, None)
        if node.pos in self.call_labels and self.call_labels[node.pos] != callee:
            callee = None  # `f(a)(b)`: two calls at one position
        self.call_labels[node.pos] = callee

    def builtin_callee(self, node: s.CallExpr) -> str | None:
        if isinstance(node.func, s.Ident):
            sym = self.res.refs.get(id(node.func))
            if sym is not None and sym.kind is Kind.BUILTIN:
                return sym.name
        return None

    def cond_expr(self, node: s.CondExpr) -> ast.expr:
        test = self.test(node.cond)
        saved = dict(self.facts)
        self.learn(node.cond, True)
        yes = self.expr(node.true_expr)
        self.facts = dict(saved)
        self.learn(node.cond, False)
        no = self.expr(node.false_expr)
        self.facts = saved
        return ast.IfExp(test, yes, no)

    def index_expr(self, node: s.IndexExpr) -> ast.expr:
        return self.get_index(node.expr, node.index, self.expr(node.index), go_last_pos(node.index))

    def selector(self, node: s.SelectorExpr) -> ast.expr:
        return self.get_index(node.expr, node.sel, _const(node.sel.value), node.sel.pos)

    def get_index(self, subject: s.Expr, index: s.Expr, key: ast.expr, pos: Pos) -> ast.expr:
        """`x[k]` / `x.k`: an array read or a map lookup inline, the runtime otherwise.
        `x` is evaluated before `k`; a guard only ever reads values already computed."""
        obj = self.expr(subject)
        if ty.only(self.types.of(subject), ty.MAP) and ty.only(self.types.of(index), ty.STR):
            return ast.Call(ast.Attribute(obj, "get", ast.Load()), [key], [])
        if not (_is_pure(obj) or _is_pure(key)):
            return self.helper("index", [obj, key], pos)
        obj_first, obj = self.once(obj)
        key_first, key = self.once(key)
        if ty.only(self.types.of(index), ty.INT):
            fast, checks = self.array_read(subject, obj_first, obj, key_first, key)
        else:
            fast, checks = self.map_read(subject, obj_first, obj, index, key_first, key)
        if not checks:
            return fast
        slow = self.helper("index", [copy.copy(obj), copy.copy(key)], pos)
        guard = checks[0] if len(checks) == 1 else ast.BoolOp(ast.And(), checks)
        return ast.IfExp(guard, fast, slow)

    def once(self, e: ast.expr) -> tuple[ast.expr, ast.expr]:
        """(first use, later uses) of a value: a pure one is repeated, anything else is
        computed once into a temporary by its first use."""
        if _is_pure(e):
            return e, copy.copy(e)
        t = self.temp()
        return ast.NamedExpr(_store(t), e), _name(t)

    def array_read(
        self, subject: s.Expr, obj_first: ast.expr, obj: ast.expr, key_first: ast.expr,
        key: ast.expr,
    ) -> tuple[ast.expr, list[ast.expr]]:
        """`arr.buf[arr.lo + i]` guarded by `arr` being an array and `0 <= i < arr.n`."""
        header = self.header_of(subject)
        if header is not None:
            buf, lo, n = header
            slot = self.hoisted_slot(lo, key)
            fast = ast.Subscript(_name(buf), slot, ast.Load())
            ops: list[ast.cmpop] = [ast.LtE(), ast.Lt()]
            return fast, [ast.Compare(_const(0), ops, [key_first, _name(n)])]

        def attr(name: str) -> ast.expr:
            return ast.Attribute(copy.copy(obj), name, ast.Load())

        slot = ast.BinOp(attr("lo"), ast.Add(), copy.copy(key))
        fast = ast.Subscript(attr("buf"), slot, ast.Load())
        in_range = ast.Compare(copy.copy(key), [ast.Lt()], [attr("n")])
        non_negative = ast.Compare(_const(0), [ast.LtE()], [key_first])
        if ty.only(self.types.of(subject), ty.ARRAY) and _is_pure(obj_first):
            return fast, [non_negative, in_range]
        is_array = _chain_is([obj_first], "_Array")
        if _is_pure(key_first):  # the object may be computed first
            return fast, [is_array, non_negative, in_range]
        return fast, [non_negative, is_array, in_range]

    def hoisted_slot(self, lo: str, key: ast.expr) -> ast.expr:
        """The buffer position of index `key` of a hoisted array whose offset is `lo`."""
        if lo in self.zero_lo:
            return copy.copy(key)
        return ast.BinOp(_name(lo), ast.Add(), copy.copy(key))

    def header_of(self, subject: s.Expr) -> tuple[str, str, str] | None:
        """The locals holding `subject`'s array header, when a loop hoisted them."""
        if not isinstance(subject, s.Ident):
            return None
        sym = self.res.refs.get(id(subject))
        return None if sym is None else self.hoisted.get(id(sym))

    def map_read(
        self, subject: s.Expr, obj_first: ast.expr, obj: ast.expr, index: s.Expr,
        key_first: ast.expr, key: ast.expr,
    ) -> tuple[ast.expr, list[ast.expr]]:
        """`m.get(k)` guarded by `m` being a map and `k` a string (when not known)."""
        fast = ast.Call(ast.Attribute(obj, "get", ast.Load()), [key], [])
        obj_check = key_check = None
        if not ty.only(self.types.of(subject), ty.MAP):
            obj_check = _chain_is([obj_first], "dict")
        if not ty.only(self.types.of(index), ty.STR):
            key_check = _chain_is([key_first], "str")
        if obj_check is None and not _is_pure(obj_first):
            obj_check = _chain_is([obj_first], "dict")  # evaluates the object
        if key_check is None and not _is_pure(key_first):
            key_check = _chain_is([key_first], "str")  # evaluates the key
        order = [obj_check, key_check] if _is_pure(key_first) else [key_check, obj_check]
        return fast, [c for c in order if c is not None]

    def slice_expr(self, node: s.SliceExpr) -> ast.expr:
        obj = self.expr(node.expr)
        low = self.expr(node.low) if node.low is not None else _const(None)
        high = self.expr(node.high) if node.high is not None else _const(None)
        pos = go_last_pos(node.high) if node.high is not None else node.pos
        return self.helper("slice", [obj, low, high], pos)

    # ------------------------------------------------------------ operators

    def unary(self, node: s.UnaryExpr) -> ast.expr:
        if node.op == "+":
            return self.expr(node.expr)
        if node.op == "!":
            return ast.UnaryOp(ast.Not(), self.test(node.expr))
        pos = go_last_pos(node.expr)
        inner_type = self.types.of(node.expr)
        if node.op == "-":
            if isinstance(node.expr, s.IntLit | s.FloatLit):
                return _const(-node.expr.value)
            if ty.only(inner_type, ty.INT):
                return self.int_result(ast.UnaryOp(ast.USub(), self.expr(node.expr)), True, True)
            return self.helper("neg", [self.expr(node.expr)], pos)
        operand = self.expr(node.expr)
        if ty.only(inner_type, ty.INT):
            return ast.UnaryOp(ast.Invert(), operand)
        return self.helper("complement", [operand], pos)

    def binary(self, node: s.BinaryExpr) -> ast.expr:
        op = node.op
        if op in ("&&", "||"):
            return self.logical(node)
        if op in ("==", "!="):
            return self.equality(node)
        lt, rt = self.types.of(node.lhs), self.types.of(node.rhs)
        a, b = self.expr(node.lhs), self.expr(node.rhs)
        if ty.only(lt, ty.INT) and ty.only(rt, ty.INT):
            fast = self.int_op(op, a, b, node)
            if fast is not None:
                return fast
            return self.helper(_BINARY_HELPERS[op], [a, b], node.pos)
        if op == "+" and ty.only(lt, ty.STR):
            if ty.only(rt, ty.STR) and self.short_text(node.lhs) and self.short_text(node.rhs):
                return ast.BinOp(a, ast.Add(), b)  # too short to need a memory check
            return self.helper("str_plus", [a, b], node.pos)
        if (lt and not lt & ty.INT) or (rt and not rt & ty.INT):
            return self.helper(_BINARY_HELPERS[op], [a, b], node.pos)
        guard, (a1, b1), (a2, b2) = self.guard_ints([a, b], [lt, rt])
        fast = self.int_op(op, a1, b1, node)
        if fast is None:
            return self.helper(_BINARY_HELPERS[op], [a, b], node.pos)
        slow = self.helper(_BINARY_HELPERS[op], [a2, b2], node.pos)
        return ast.IfExp(guard, fast, slow)

    def short_text(self, node: s.Expr) -> bool:
        """A string expression provably short: a literal, or `string(...)` of a number
        or bool (so concatenating two needs no memory check)."""
        if isinstance(node, s.StringLit):
            return len(node.value) <= _SHORT_TEXT
        if isinstance(node, s.CallExpr) and self.builtin_callee(node) == "string":
            arg = self.types.of(node.args[0]) if len(node.args) == 1 else 0
            return ty.only(arg, ty.INT | ty.FLOAT | ty.BOOL)
        return False

    def guard_ints(
        self, operands: list[ast.expr], kinds: list[int]
    ) -> tuple[ast.expr, list[ast.expr], list[ast.expr]]:
        """A guard proving the operands ints, plus the operands as the fast and slow paths
        use them. Impure operands are evaluated once, in order, inside the guard."""
        checked: list[ast.expr] = []
        fast: list[ast.expr] = []
        slow: list[ast.expr] = []
        for e, kind in zip(operands, kinds, strict=True):
            if _is_pure(e):
                if not ty.only(kind, ty.INT):
                    checked.append(e)
                fast.append(e)
                slow.append(copy.copy(e))
            else:
                t = self.temp()
                checked.append(ast.NamedExpr(_store(t), e))
                fast.append(_name(t))
                slow.append(_name(t))
        return _chain_is(checked, "int"), fast, slow

    def int_op(self, op: str, a: ast.expr, b: ast.expr, node: s.BinaryExpr) -> ast.expr | None:
        """`a op b` for operands known to be ints (None: leave it to the runtime)."""
        if op in _PY_CMPOPS:
            return ast.Compare(a, [_PY_CMPOPS[op]()], [b])
        if op in ("&", "|", "^"):
            return ast.BinOp(a, _PY_BINOPS[op](), b)
        if op == "&^":
            return ast.BinOp(a, ast.BitAnd(), ast.UnaryOp(ast.Invert(), b))
        c = b.value if isinstance(b, ast.Constant) else None
        if op in ("/", "%"):
            if not (isinstance(c, int) and c > 0):
                return None
            first, a = self.once(a)
            py_op = ast.FloorDiv() if op == "/" else ast.Mod()
            slow = self.helper("int_div" if op == "/" else "int_mod", [a, b], node.pos)
            nonneg = ast.Compare(first, [ast.GtE()], [_const(0)])
            return ast.IfExp(nonneg, ast.BinOp(copy.copy(a), py_op, copy.copy(b)), slow)
        if op == ">>":
            return ast.BinOp(a, ast.RShift(), b) if isinstance(c, int) and 0 <= c < 64 else None
        if op == "<<" and not (isinstance(c, int) and 0 <= c < 64):
            return None
        value = ast.BinOp(a, _PY_BINOPS[op](), b)
        low, high = self.may_overflow(op, a, b, node)
        if not (low or high):
            return value
        return self.int_result(value, low, high)

    def may_overflow(
        self, op: str, a: ast.expr, b: ast.expr, node: s.BinaryExpr
    ) -> tuple[bool, bool]:
        """Whether `a op b` may fall below / above the int64 range, from known bounds."""
        (alo, ahi), (blo, bhi) = self.bounds(a, node.lhs), self.bounds(b, node.rhs)
        if op == "+":
            return alo + blo < _I64_MIN, ahi + bhi > _I64_MAX
        if op == "-":
            return alo - bhi < _I64_MIN, ahi - blo > _I64_MAX
        if op == "*":
            corners = (alo * blo, alo * bhi, ahi * blo, ahi * bhi)
            return min(corners) < _I64_MIN, max(corners) > _I64_MAX
        return True, True

    def int_result(self, value: ast.expr, low: bool, high: bool) -> ast.expr:
        """`value` if it fits in int64, else wrapped as Go would."""
        t = self.temp()
        checked = _range_check(ast.NamedExpr(_store(t), value), low, high)
        wrapped = ast.Call(_name("_r_wrap"), [_name(t)], [])
        return ast.IfExp(checked, _name(t), wrapped)

    def equality(self, node: s.BinaryExpr) -> ast.expr:
        positive = self.equals(node)
        if node.op == "==":
            return positive
        if isinstance(positive, ast.Compare) and len(positive.ops) == 1:
            flip = {ast.Eq: ast.NotEq, ast.Is: ast.IsNot}.get(type(positive.ops[0]))
            if flip is not None:
                return ast.Compare(positive.left, [flip()], positive.comparators)
        return ast.UnaryOp(ast.Not(), positive)

    def equals(self, node: s.BinaryExpr) -> ast.expr:
        """`lhs == rhs` as a Python bool, plain Python `==`/`is` where it agrees with Go."""
        lt, rt = self.types.of(node.lhs), self.types.of(node.rhs)
        a, b = self.expr(node.lhs), self.expr(node.rhs)
        if isinstance(a, ast.Constant) and isinstance(b, ast.Constant):
            return _const(runtime.eq(a.value, b.value))  # no side effects, no failure
        sides = (node.lhs, node.rhs)
        if any(isinstance(x, s.UndefinedLit | s.BoolLit) for x in sides):
            return ast.Compare(a, [ast.Is()], [b])  # undefined and bools are singletons
        if ty.only(lt, ty.STR) or ty.only(rt, ty.STR):
            return ast.Compare(a, [ast.Eq()], [b])  # only a string equals a string
        if ty.only(lt, ty.INT) and ty.only(rt, ty.INT):
            return ast.Compare(a, [ast.Eq()], [b])
        if ty.only(lt, ty.BOOL) or ty.only(rt, ty.BOOL):
            return ast.Compare(a, [ast.Is()], [b])
        if (lt & ty.INT or not lt) and (rt & ty.INT or not rt):
            guard, (a1, b1), (a2, b2) = self.guard_ints([a, b], [lt, rt])
            fast = ast.Compare(a1, [ast.Eq()], [b1])
            return ast.IfExp(guard, fast, self.helper("eq", [a2, b2], node.pos))
        return self.helper("eq", [a, b], node.pos)

    def logical(self, node: s.BinaryExpr) -> ast.expr:
        """`a && b`, `a || b`: the deciding operand itself, not a bool."""
        a, b = self.expr(node.lhs), self.expr(node.rhs)
        op: ast.boolop = ast.And() if node.op == "&&" else ast.Or()
        if ty.only(self.types.of(node.lhs), _PY_TRUTH):
            return ast.BoolOp(op, [a, b])
        t = self.temp()
        test = self.helper("truthy", [ast.NamedExpr(_store(t), a)], node.pos)
        if node.op == "&&":
            return ast.IfExp(test, b, _name(t))
        return ast.IfExp(test, _name(t), b)

    def test(self, node: s.Expr) -> ast.expr:
        """`node` as a Python condition with Tengo's truthiness."""
        if isinstance(node, s.ParenExpr):
            return self.test(node.expr)
        if isinstance(node, s.UnaryExpr) and node.op == "!":
            return ast.UnaryOp(ast.Not(), self.test(node.expr))
        if isinstance(node, s.BinaryExpr) and node.op in ("&&", "||"):
            op: ast.boolop = ast.And() if node.op == "&&" else ast.Or()
            return ast.BoolOp(op, [self.test(node.lhs), self.test(node.rhs)])
        value = self.expr(node)
        if ty.only(self.types.of(node), _PY_TRUTH):
            return value
        return self.helper("truthy", [value], go_last_pos(node))


_STMT_RULES: dict[type, Callable[[_Generator, Any], list[ast.stmt]]] = {
    s.ExprStmt: _Generator.expr_stmt,
    s.IncDecStmt: _Generator.inc_dec,
    s.AssignStmt: _Generator.assign_stmt,
    s.BlockStmt: _Generator.block,
    s.IfStmt: _Generator.if_stmt,
    s.ForStmt: _Generator.for_stmt,
    s.ForInStmt: _Generator.for_in,
    s.BranchStmt: _Generator.branch,
    s.ReturnStmt: _Generator.return_stmt,
    s.ExportStmt: _Generator.export_stmt,
    s.EmptyStmt: _Generator.empty,
}

_EXPR_RULES: dict[type, Callable[[_Generator, Any], ast.expr]] = {
    s.Ident: _Generator.ident,
    s.IntLit: _Generator.int_lit,
    s.FloatLit: _Generator.literal,
    s.StringLit: _Generator.literal,
    s.BoolLit: _Generator.literal,
    s.CharLit: _Generator.char_lit,
    s.UndefinedLit: _Generator.undefined,
    s.ArrayLit: _Generator.array_lit,
    s.MapLit: _Generator.map_lit,
    s.ParenExpr: _Generator.paren,
    s.FuncLit: _Generator.func_lit,
    s.ErrorExpr: _Generator.error_expr,
    s.ImmutableExpr: _Generator.immutable_expr,
    s.ImportExpr: _Generator.import_expr,
    s.CallExpr: _Generator.call,
    s.CondExpr: _Generator.cond_expr,
    s.IndexExpr: _Generator.index_expr,
    s.SelectorExpr: _Generator.selector,
    s.SliceExpr: _Generator.slice_expr,
    s.UnaryExpr: _Generator.unary,
    s.BinaryExpr: _Generator.binary,
}


# ---------------------------------------------------------------- tail calls and loops

_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
_NEGATED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}


def _always_exits(block: s.BlockStmt) -> bool:
    """A block whose last statement leaves it (`return`, `break`, `continue`)."""
    return bool(block.stmts) and isinstance(block.stmts[-1], s.ReturnStmt | s.BranchStmt)


_NUMERIC_OPS = frozenset(
    {"+", "-", "*", "/", "%", "&", "|", "^", "&^", "<<", ">>", "<", "<=", ">", ">=", "==", "!="}
)
_MAX_SPECIALIZED_NODES = 600
_MAX_VERSIONED_NODES = 1500  # loops generated twice (array offsets 0 / any) at most this big


def _specializations(res: Resolution) -> dict[Function, list[Symbol]]:
    """Functions worth an int-only version, with the parameters it checks on entry: small
    ones without nested functions whose parameters are operands of numeric operators."""
    out: dict[Function, list[Symbol]] = {}
    for func in res.functions.values():
        node = func.node
        if node is None or node.varargs or not func.params:
            continue
        nodes = list(walk(node.body))
        if len(nodes) > _MAX_SPECIALIZED_NODES or any(isinstance(n, s.FuncLit) for n in nodes):
            continue
        numeric: set[int] = set()
        for n in nodes:
            if isinstance(n, s.BinaryExpr) and n.op in _NUMERIC_OPS:
                numeric.update(id(x) for x in (n.lhs, n.rhs) if isinstance(x, s.Ident))
            elif isinstance(n, s.UnaryExpr) and n.op in ("-", "^") and isinstance(n.expr, s.Ident):
                numeric.add(id(n.expr))
            elif isinstance(n, s.AssignStmt) and n.op not in (":=", "="):
                numeric.update(id(x) for x in (*n.lhs, *n.rhs) if isinstance(x, s.Ident))
            elif isinstance(n, s.IncDecStmt) and isinstance(n.expr, s.Ident):
                numeric.add(id(n.expr))
        used = {id(res.refs[i]) for i in numeric if i in res.refs}  # type: ignore[index]
        checked = [p for p in func.params if id(p) in used]
        if checked:
            out[func] = checked
    return out


def _range_shape(node: s.ForStmt) -> tuple[s.Ident, s.Expr, str, s.Expr, int] | None:
    """(i, start, op, bound, step) of `for i := start; i < bound; i++` (or `+= step`)."""
    init, cond, post = node.init, node.cond, node.post
    if not (isinstance(init, s.AssignStmt) and init.op == ":="):
        return None
    if not isinstance(init.lhs[0], s.Ident):
        return None
    ident = init.lhs[0]
    if not (isinstance(cond, s.BinaryExpr) and cond.op in ("<", "<=")):
        return None
    if not (isinstance(cond.lhs, s.Ident) and cond.lhs.name == ident.name):
        return None
    step = _post_step(post, ident.name)
    if step is None:
        return None
    return ident, init.rhs[0], cond.op, cond.rhs, step


def _post_step(post: s.Stmt | None, name: str) -> int | None:
    if isinstance(post, s.IncDecStmt) and post.op == "++":
        target = post.expr
        step = 1
    elif isinstance(post, s.AssignStmt) and post.op == "+=" and isinstance(post.rhs[0], s.IntLit):
        target = post.lhs[0]
        step = post.rhs[0].value
    else:
        return None
    if isinstance(target, s.Ident) and target.name == name and step > 0:
        return step
    return None


