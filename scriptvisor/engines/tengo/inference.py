"""Static types for the code generator: what a variable or expression can hold.

A type is a set of Python value classes (bit flags); the generator drops a runtime type
guard where the set proves it redundant, e.g. `i + 1` where `i` only ever holds ints.
The analysis is flow-insensitive and sound: a variable's type is the union of the types
of every value ever assigned to it (parameters, loop variables and inputs hold anything),
computed as a fixpoint because assignments depend on each other (`s += i`).
"""

from __future__ import annotations

from scriptvisor.engines.tengo import syntax as s
from scriptvisor.engines.tengo.scopes import (
    Function,
    Kind,
    Resolution,
    Site,
    Symbol,
    function_stmts,
    tail_expr_stmts,
)

INT = 1
FLOAT = 2
BOOL = 4
STR = 8
MAP = 16  # a mutable map (Python dict)
ARRAY = 32  # a mutable array (values.Array itself, not ImmutableArray)
FUNC = 64
OTHER = 128  # anything else: undefined, char, bytes, errors, immutables, stdlib types
ANY = 255
NUMBER = INT | FLOAT

_COMPARISONS = frozenset({"<", "<=", ">", ">=", "==", "!="})
_INT_ONLY = frozenset({"%", "&", "|", "^", "&^", "<<", ">>"})
_BUILTIN_RESULTS = {
    "len": INT,
    "type_name": STR,
    "format": STR,
    "append": ARRAY,
    "range": ARRAY,
    **{
        name: BOOL
        for name in (
            "is_int", "is_float", "is_string", "is_bool", "is_char", "is_bytes", "is_array",
            "is_immutable_array", "is_map", "is_immutable_map", "is_iterable", "is_time",
            "is_error", "is_undefined", "is_function", "is_callable", "bool",
        )
    },
}


def only(t: int, kind: int) -> bool:
    """True when every value of type `t` is of `kind` (and `t` is not empty)."""
    return t != 0 and t & ~kind == 0


def binary_type(op: str, lt: int, rt: int) -> int:
    """The type of `l op r` when it does not fail."""
    if op in _COMPARISONS:
        return BOOL
    if op in ("&&", "||"):
        return lt | rt
    if lt == 0 or rt == 0:
        return 0
    if lt & OTHER or (rt & OTHER and op != "+"):
        return ANY
    result = 0
    if op in _INT_ONLY:
        return INT if lt & INT and rt & INT else 0
    if lt & INT and rt & INT:
        result |= INT
    if lt & NUMBER and rt & NUMBER and (lt | rt) & FLOAT:
        result |= FLOAT
    if op == "+":
        if lt & STR:
            result |= STR
        if lt & ARRAY and rt & ARRAY:
            result |= ARRAY
        if rt & OTHER and lt & INT:
            result |= OTHER  # int + char is a char
    return result


class Types:
    """Types of symbols (a fixpoint over their assignment sites) and expressions, in one
    context. The base context covers the whole program; the context of an int-only
    version of a function (`within`) re-types only that function's own variables, with
    `params` overriding what its checked parameters hold (other variables may be set by
    code running in any context). `program` supplies what calls of known functions
    return."""

    def __init__(
        self,
        program: ProgramTypes,
        within: Function | None = None,
        params: dict[int, int] | None = None,
    ) -> None:
        self.program = program
        self.res = program.res
        self.params = params or {}
        if within is None:
            self.sym: dict[int, int] = {id(sym): 0 for sym in self.res.symbols}
            self.solving = self.res.symbols
        else:
            self.sym = dict(program.base.sym)
            self.solving = [sym for sym in self.res.symbols if sym.owner is within]
            for sym in self.solving:
                self.sym[id(sym)] = 0
        self.memo: dict[int, int] | None = None
        self._solve()
        self.memo = {}

    def of_symbol(self, sym: Symbol) -> int:
        if sym.kind is Kind.BUILTIN:
            return FUNC
        return self.sym.get(id(sym), ANY)

    def _solve(self) -> None:
        changed = True
        while changed:
            changed = False
            for sym in self.solving:
                t = self.sym[id(sym)]
                for site in sym.sites:
                    t |= self._site(sym, site)
                if t != self.sym[id(sym)]:
                    self.sym[id(sym)] = t
                    changed = True

    def _site(self, sym: Symbol, site: Site) -> int:
        if site.value is None:
            return self.params.get(id(sym), ANY)
        t = self.of(site.value)
        if site.op:
            return binary_type(site.op, self.sym[id(sym)], t)
        return t

    def of(self, node: s.Expr) -> int:
        """The type of an expression's value."""
        if self.memo is None:
            return self._of(node)
        t = self.memo.get(id(node))
        if t is None:
            t = self.memo[id(node)] = self._of(node)
        return t

    def _of(self, node: s.Expr) -> int:
        t = type(node)
        leaf = _LITERALS.get(t)
        if leaf is not None:
            return leaf
        if t is s.Ident:
            sym = self.res.refs.get(id(node))
            return ANY if sym is None else self.of_symbol(sym)
        if t is s.ParenExpr:
            return self.of(node.expr)  # type: ignore[attr-defined]
        if t is s.BinaryExpr:
            assert isinstance(node, s.BinaryExpr)
            return binary_type(node.op, self.of(node.lhs), self.of(node.rhs))
        if t is s.UnaryExpr:
            assert isinstance(node, s.UnaryExpr)
            return self._unary(node)
        if t is s.CondExpr:
            assert isinstance(node, s.CondExpr)
            return self.of(node.true_expr) | self.of(node.false_expr)
        if t is s.CallExpr:
            assert isinstance(node, s.CallExpr)
            return self._call(node)
        if t is s.SliceExpr:
            assert isinstance(node, s.SliceExpr)
            inner = self.of(node.expr)
            return STR if only(inner, STR) else ARRAY if only(inner, ARRAY) else ANY
        return ANY

    def _unary(self, node: s.UnaryExpr) -> int:
        inner = self.of(node.expr)
        if node.op == "!":
            return BOOL
        if node.op == "-":
            return inner & NUMBER if inner else 0
        if node.op == "^":
            return INT if inner else 0
        return inner

    def _call(self, node: s.CallExpr) -> int:
        if not isinstance(node.func, s.Ident):
            return ANY
        sym = self.res.refs.get(id(node.func))
        if sym is None:
            return ANY
        if sym.kind is Kind.BUILTIN:
            if sym.name == "string" and len(node.args) == 1 and not node.ellipsis:
                arg = self.of(node.args[0])
                return arg if arg == 0 else STR if only(arg, INT | FLOAT | STR | BOOL) else ANY
            if sym.name == "copy" and len(node.args) == 1 and not node.ellipsis:
                arg = self.of(node.args[0])
                return arg if only(arg, ARRAY) or arg == 0 else ANY  # an array copies as one
            return _BUILTIN_RESULTS.get(sym.name, ANY)
        func = self.program.bound.get(id(sym))
        if func is None:
            return ANY
        checked = self.program.checked.get(id(func))
        if checked and not node.ellipsis and len(node.args) == len(func.params):
            pairs = zip(node.args, func.params, strict=True)
            arg_types = [self.of(a) for a, p in pairs if p in checked]
            if any(t == 0 for t in arg_types):
                return 0
            if all(only(t, INT) for t in arg_types):
                return self.program.returns.get((id(func), True), 0)
        return self.program.returns.get((id(func), False), 0)


class ProgramTypes:
    """Types for a whole program: the base context, an int context per specialized
    function, and what each function returns in each (a fixpoint, as calls of known
    functions feed return types back into variables)."""

    def __init__(self, res: Resolution, specialized: dict[Function, list[Symbol]]) -> None:
        self.res = res
        self.checked = {id(f): params for f, params in specialized.items()}
        self.bound: dict[int, Function] = {}
        for sym in res.symbols:
            if len(sym.sites) == 1 and isinstance(sym.sites[0].value, s.FuncLit):
                self.bound[id(sym)] = res.function_of(sym.sites[0].value)
        self.returns: dict[tuple[int, bool], int] = {}
        while True:
            self.base = Types(self)
            self.contexts = {
                id(f): Types(self, f, {id(p): INT for p in params})
                for f, params in specialized.items()
            }
            returns = self._returns(specialized)
            if returns == self.returns:
                break
            self.returns = returns

    def context(self, func: Function) -> Types:
        return self.contexts[id(func)]

    def _returns(
        self, specialized: dict[Function, list[Symbol]]
    ) -> dict[tuple[int, bool], int]:
        out: dict[tuple[int, bool], int] = {}
        for func in self.res.functions.values():
            out[(id(func), False)] = return_type(func, self.base)
            if func in specialized:
                out[(id(func), True)] = return_type(func, self.contexts[id(func)])
        return out


def return_type(func: Function, types: Types) -> int:
    """What a function returns: its `return` values, undefined if it can end without one,
    and the values of the calls Go treats as tail calls (`f(x)` then a bare return)."""
    node = func.node
    assert node is not None
    stmts = node.body.stmts
    t = 0 if stmts and isinstance(stmts[-1], s.ReturnStmt) else OTHER
    tails = tail_expr_stmts(stmts)
    for stmt, _ in function_stmts(stmts, False):
        if isinstance(stmt, s.ReturnStmt):
            t |= OTHER if stmt.result is None else types.of(stmt.result)
        elif isinstance(stmt, s.ExprStmt) and id(stmt) in tails:
            t |= OTHER | types.of(stmt.expr)
    return t


_LITERALS: dict[type, int] = {
    s.IntLit: INT,
    s.FloatLit: FLOAT,
    s.StringLit: STR,
    s.BoolLit: BOOL,
    s.CharLit: OTHER,
    s.UndefinedLit: OTHER,
    s.ArrayLit: ARRAY,
    s.MapLit: MAP,
    s.FuncLit: FUNC,
    s.ErrorExpr: OTHER,
    s.ImportExpr: ANY,
}
