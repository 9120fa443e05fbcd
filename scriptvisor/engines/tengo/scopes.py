"""Name resolution: Go Tengo's symbol tables, replayed over the syntax tree.

The walk visits nodes in the order Go's compiler does, so the first compile error found
is the one Go reports, in Go's words (`'x' redeclared in this block`). It records what
the code generator needs to know about every name:

- which `Symbol` each identifier denotes (block scoping: a `:=` in a block is a new
  symbol, and every symbol gets its own Python name);
- where each symbol lives: a top-level variable of a script is a *global* (closures share
  it, loops reuse it), anything declared in a function is a *local* (a loop body's
  declarations are fresh on every iteration, which closures can observe);
- which symbols closures capture and which functions write captured symbols;
- every assignment site, for type inference;
- free names: identifiers used but never declared, which the host supplies as inputs
  (like variables added to a Go `tengo.Script`, they are globals defined before the
  script, so the script may also assign them; the engine reports a missing one as Go's
  `unresolved reference`), and `import(...)` names.
"""

from __future__ import annotations

import builtins as py_builtins
import keyword
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from enum import Enum

from scriptvisor.engines.tengo import syntax as s
from scriptvisor.engines.tengo.syntax import Pos
from scriptvisor.protocol.errors import ErrorType, ScriptError


class Kind(Enum):
    GLOBAL = "global"  # a script's top-level variable (a local of the generated main)
    LOCAL = "local"  # declared in a function (or at a module's top level)
    BUILTIN = "builtin"
    INPUT = "input"  # a free name: supplied by the host before the script runs


@dataclass(eq=False, slots=True)
class Site:
    """One assignment to a symbol: `value` is assigned, or `op` combines it with `value`;
    no value at all means "anything" (parameters, loop variables, inputs)."""

    value: s.Expr | None = None
    op: str = ""
    node: s.Node | None = None


@dataclass(eq=False, slots=True)
class Symbol:
    name: str
    kind: Kind
    owner: Function | None  # the function whose frame holds it (None for builtins)
    py: str = ""  # its Python name (a builtin's global name)
    in_loop: bool = False  # declared inside a loop of its owner: fresh on each iteration
    captured: bool = False  # read or written from a nested function
    top_level: bool = False  # declared in the main table itself (returned by run_program)
    sites: list[Site] = field(default_factory=list)

    @property
    def boxed(self) -> bool:
        """A captured local declared in a loop lives in a one-element list (a "box") so
        that every iteration gets a fresh variable, as Go Tengo's DefineLocal gives."""
        return self.kind is Kind.LOCAL and self.captured and self.in_loop


@dataclass(eq=False, slots=True)
class Function:
    """A function literal (or the main program, `node is None`)."""

    node: s.FuncLit | None
    parent: Function | None
    params: list[Symbol] = field(default_factory=list)
    outer_writes: list[Symbol] = field(default_factory=list)  # need `nonlocal`
    box_params: list[Symbol] = field(default_factory=list)  # boxes taken as kw defaults
    has_captured: bool = False  # some nested function captures one of its symbols
    binding: Symbol | None = None  # the variable `x := func...` binds it to

    @property
    def is_main(self) -> bool:
        return self.node is None


@dataclass(eq=False, slots=True)
class Resolution:
    """Everything the code generator needs from name resolution."""

    main: Function
    refs: dict[int, Symbol]  # id(Ident) -> symbol, for reads and assignment targets
    for_in: dict[int, tuple[Symbol | None, Symbol | None]]  # id(ForInStmt) -> key, value
    functions: dict[int, Function]  # id(FuncLit) -> function
    symbols: list[Symbol]
    free_names: dict[str, Pos]
    imports: list[tuple[str, Pos]]
    module: bool | None
    names: Names  # the Python names given out so far

    def function_of(self, node: s.FuncLit) -> Function:
        return self.functions[id(node)]


def compile_error(message: str, name: str, pos: Pos) -> ScriptError:
    return ScriptError(ErrorType.COMPILATION, message, script=name, line=pos[0], column=pos[1])


# ---------------------------------------------------------------- Python names

_RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(dir(py_builtins))


class Names:
    """Unique Python identifiers. A symbol keeps its Tengo spelling when that is a safe
    Python name not yet given out (shadowing symbols get `x_1`, `x_2`, ...: suffixes no
    identifier of the script spells); internal names all start with `_`, which user
    names never do after this mapping."""

    def __init__(self, spelled: set[str]) -> None:
        self.spelled = spelled
        self.taken: set[str] = set()
        self.counters: dict[str, int] = {}

    def user(self, tengo_name: str) -> str:
        base = tengo_name
        if not (base.isascii() and base.isidentifier()):
            safe = (c if c.isascii() and c.isalnum() else f"x{ord(c):x}" for c in base)
            base = "v_" + "".join(safe)
        if base.startswith("_"):
            base = "u" + base
        if base in _RESERVED:
            base += "_"
        if base not in self.taken:
            self.taken.add(base)
            return base
        return self._numbered(base + "_")

    def internal(self, stem: str) -> str:
        return self._numbered("_" + stem)

    def _numbered(self, base: str) -> str:
        n = self.counters.get(base, 0)
        while True:
            n += 1
            name = f"{base}{n}"
            if name not in self.taken and name not in self.spelled:
                self.counters[base] = n
                self.taken.add(name)
                return name


# ---------------------------------------------------------------- symbol tables

class _Table:
    """One Go SymbolTable: a function's own table (`block=False`) or a block inside it."""

    __slots__ = ("parent", "func", "block", "store")

    def __init__(self, parent: _Table | None, func: Function | None, block: bool) -> None:
        self.parent = parent
        self.func = func
        self.block = block
        self.store: dict[str, Symbol] = {}

    def resolve(self, name: str) -> tuple[Symbol | None, bool]:
        """The symbol and whether it is defined in this very table (Go's depth 0)."""
        t: _Table | None = self
        while t is not None:
            sym = t.store.get(name)
            if sym is not None:
                return sym, t is self
            t = t.parent
        return None, False

    def root(self) -> _Table:
        t = self
        while t.parent is not None and t.parent.func is not None:
            t = t.parent
        return t


# ---------------------------------------------------------------- the walk

class _Resolver:
    def __init__(
        self, script: str, builtin_names: Mapping[str, object], module: bool | None
    ) -> None:
        self.script = script
        self.module = module
        self.refs: dict[int, Symbol] = {}
        self.for_in: dict[int, tuple[Symbol | None, Symbol | None]] = {}
        self.functions: dict[int, Function] = {}
        self.symbols: list[Symbol] = []
        self.free_names: dict[str, Pos] = {}
        self.imports: list[tuple[str, Pos]] = []
        self.main = Function(None, None)
        self.names = Names(set())
        self.loop_depth = 0
        builtin_table = _Table(None, None, block=False)
        for bname in builtin_names:
            py = "_b_" + bname if bname.isidentifier() and bname.isascii() else ""
            builtin_table.store[bname] = Symbol(bname, Kind.BUILTIN, None, py=py)
        if module:
            self.table = _Table(builtin_table, self.main, block=False)
        else:
            # a script's globals share Go's root table with the builtins
            self.table = builtin_table
            builtin_table.func = self.main
        self.main_table = self.table

    def fail(self, message: str, pos: Pos) -> ScriptError:
        return compile_error(message, self.script, pos)

    @property
    def func(self) -> Function:
        assert self.table.func is not None
        return self.table.func

    # ------------------------------------------------------------ symbols

    def define(self, name: str, site: Site | None = None) -> Symbol:
        func = self.func
        global_scope = func.is_main and not self.module
        sym = Symbol(
            name,
            Kind.GLOBAL if global_scope else Kind.LOCAL,
            func,
            py=self.names.user(name),
            in_loop=self.loop_depth > 0,
            top_level=self.table is self.main_table,
        )
        if site is not None:
            sym.sites.append(site)
        self.table.store[name] = sym
        self.symbols.append(sym)
        return sym

    def resolve(self, ident: s.Ident, *, writing: bool = False) -> Symbol:
        sym, _ = self.table.resolve(ident.name)
        if sym is None:
            sym = self.define_input(ident)
        self.refs[id(ident)] = sym
        self.note_use(sym, writing)
        return sym

    def define_input(self, ident: s.Ident) -> Symbol:
        """An undeclared name: a global the host defines before the script runs."""
        sym = Symbol(ident.name, Kind.INPUT, self.main, py=self.names.user(ident.name))
        sym.top_level = True
        sym.sites.append(Site())
        self.main_table.store[ident.name] = sym
        self.symbols.append(sym)
        self.free_names.setdefault(ident.name, ident.pos)
        return sym

    def note_use(self, sym: Symbol, writing: bool) -> None:
        """Record a use of `sym` from the current function: captures and outer writes."""
        owner = sym.owner
        func = self.func
        if owner is None or owner is func:
            return
        sym.captured = True
        owner.has_captured = True
        if writing and sym not in func.outer_writes:
            func.outer_writes.append(sym)
        # the function directly under the owner takes a box as a keyword default
        child = func
        while child.parent is not None and child.parent is not owner:
            child = child.parent
        if sym not in child.box_params:
            child.box_params.append(sym)

    # ------------------------------------------------------------ scopes

    def push(self, block: bool, func: Function | None = None) -> None:
        self.table = _Table(self.table, func or self.func, block)

    def pop(self) -> None:
        assert self.table.parent is not None
        self.table = self.table.parent

    # ------------------------------------------------------------ statements

    def stmts(self, stmts: list[s.Stmt]) -> None:
        for stmt in stmts:
            self.stmt(stmt)

    def stmt(self, node: s.Stmt) -> None:
        handler = _STMTS.get(type(node))
        if handler is None:
            raise self.fail(f"unsupported statement: {type(node).__name__}", node.pos)
        handler(self, node)

    def expr_stmt(self, node: s.ExprStmt) -> None:
        self.expr(node.expr)

    def inc_dec(self, node: s.IncDecStmt) -> None:
        one = s.IntLit(node.pos, 1, "1")
        self.assign(node, [node.expr], [one], "+=" if node.op == "++" else "-=")

    def assign_stmt(self, node: s.AssignStmt) -> None:
        self.assign(node, node.lhs, node.rhs, node.op)

    def assign(self, node: s.Stmt, lhs: list[s.Expr], rhs: list[s.Expr], op: str) -> None:
        if len(lhs) > 1 or len(rhs) > 1:
            raise self.fail("tuple assignment not allowed", node.pos)
        target, value = lhs[0], rhs[0]
        ident, selectors = assign_target(target)
        if op == ":=" and selectors:
            raise self.fail("operator ':=' not allowed with selector", node.pos)
        if op == ":=":
            self.define_assign(node, ident, value)
            return
        if ident is None:  # e.g. `f().x = 1`: Go resolves the empty name
            raise self.fail("unresolved reference ''", node.pos)
        sym = self.resolve(ident, writing=not selectors)
        if op != "=":
            self.expr(target)  # a compound assignment reads its target first
        self.expr(value)
        for sel in reversed(selectors):
            self.expr(sel)
        if not selectors:
            sym.sites.append(Site(value, "" if op == "=" else op[:-1], node))

    def define_assign(self, node: s.Stmt, ident: s.Ident | None, value: s.Expr) -> None:
        if ident is None:  # `f() := v`: Go defines a variable with no name, harmlessly
            self.expr(value)
            return
        existing, here = self.table.resolve(ident.name)
        if existing is not None and existing.kind is Kind.INPUT and here:
            raise self.forward_reference(ident.name)
        if existing is not None and here:
            raise self.fail(f"'{ident.name}' redeclared in this block", node.pos)
        site = Site(value, "", node)
        if isinstance(value, s.FuncLit):
            sym = self.define(ident.name, site)
            self.refs[id(ident)] = sym
            self.expr(value)
            self.function_of(value).binding = sym
            return
        self.expr(value)
        if self.table is self.main_table and ident.name in self.free_names:
            raise self.forward_reference(ident.name)
        self.refs[id(ident)] = self.define(ident.name, site)

    def forward_reference(self, name: str) -> ScriptError:
        """A top-level name used before its declaration: to Go it was unresolved there
        (had the host supplied it as an input, it would be redeclared here instead)."""
        return self.fail(f"unresolved reference '{name}'", self.free_names[name])

    def block(self, node: s.BlockStmt) -> None:
        if not node.stmts:
            return
        self.push(block=True)
        self.stmts(node.stmts)
        self.pop()

    def if_stmt(self, node: s.IfStmt) -> None:
        self.push(block=True)
        if node.init is not None:
            self.stmt(node.init)
        self.expr(node.cond)
        self.block(node.body)
        if node.else_ is not None:
            self.stmt(node.else_)
        self.pop()

    def for_stmt(self, node: s.ForStmt) -> None:
        self.push(block=True)
        if node.init is not None:
            self.stmt(node.init)
        self.loop_depth += 1
        if node.cond is not None:
            self.expr(node.cond)
        self.block(node.body)
        if node.post is not None:
            self.stmt(node.post)
        self.loop_depth -= 1
        self.pop()

    def for_in_stmt(self, node: s.ForInStmt) -> None:
        self.push(block=True)
        self.expr(node.iterable)
        self.loop_depth += 1
        key = self.loop_var(node.key)
        value = self.loop_var(node.value)
        self.for_in[id(node)] = (key, value)
        self.block(node.body)
        self.loop_depth -= 1
        self.pop()

    def loop_var(self, ident: s.Ident | None) -> Symbol | None:
        if ident is None or ident.name == "_":
            return None
        sym = self.define(ident.name, Site())
        self.refs[id(ident)] = sym
        return sym

    def branch(self, node: s.BranchStmt) -> None:
        if self.loop_depth == 0:
            raise self.fail(f"{node.op} not allowed outside loop", node.pos)

    def return_stmt(self, node: s.ReturnStmt) -> None:
        if self.func.is_main and not self.module:
            raise self.fail("return not allowed outside function", node.pos)
        if node.result is not None:
            self.expr(node.result)

    def export(self, node: s.ExportStmt) -> None:
        if not self.func.is_main:
            raise self.fail("export not allowed inside function", node.pos)
        if self.module is not False:
            self.expr(node.result)

    def empty(self, node: s.Stmt) -> None:
        pass

    # ------------------------------------------------------------ expressions

    def expr(self, node: s.Expr) -> None:
        handler = _EXPRS.get(type(node))
        if handler is None:
            raise self.fail(f"unsupported expression: {type(node).__name__}", node.pos)
        handler(self, node)

    def ident(self, node: s.Ident) -> None:
        self.resolve(node)

    def leaf(self, node: s.Expr) -> None:
        pass

    def children(self, node: s.Expr) -> None:
        for child in expr_children(node):
            self.expr(child)

    def func_lit(self, node: s.FuncLit) -> None:
        func = Function(node, self.func)
        self.functions[id(node)] = func
        saved_depth, self.loop_depth = self.loop_depth, 0
        self.push(block=False, func=func)
        for param in node.params:
            sym = self.define(param.name, Site())
            self.refs[id(param)] = sym
            func.params.append(sym)
        self.block(node.body)
        self.pop()
        self.loop_depth = saved_depth

    def import_expr(self, node: s.ImportExpr) -> None:
        if not node.module_name:
            raise self.fail("empty module name", node.pos)
        self.imports.append((node.module_name, node.pos))

    def function_of(self, node: s.FuncLit) -> Function:
        return self.functions[id(node)]


_STMTS: dict[type, Callable[[_Resolver, s.Stmt], None]] = {
    s.ExprStmt: _Resolver.expr_stmt,  # type: ignore[dict-item]
    s.IncDecStmt: _Resolver.inc_dec,  # type: ignore[dict-item]
    s.AssignStmt: _Resolver.assign_stmt,  # type: ignore[dict-item]
    s.BlockStmt: _Resolver.block,  # type: ignore[dict-item]
    s.IfStmt: _Resolver.if_stmt,  # type: ignore[dict-item]
    s.ForStmt: _Resolver.for_stmt,  # type: ignore[dict-item]
    s.ForInStmt: _Resolver.for_in_stmt,  # type: ignore[dict-item]
    s.BranchStmt: _Resolver.branch,  # type: ignore[dict-item]
    s.ReturnStmt: _Resolver.return_stmt,  # type: ignore[dict-item]
    s.ExportStmt: _Resolver.export,  # type: ignore[dict-item]
    s.EmptyStmt: _Resolver.empty,
}

_EXPRS: dict[type, Callable[[_Resolver, s.Expr], None]] = {
    s.Ident: _Resolver.ident,  # type: ignore[dict-item]
    s.IntLit: _Resolver.leaf,
    s.FloatLit: _Resolver.leaf,
    s.StringLit: _Resolver.leaf,
    s.CharLit: _Resolver.leaf,
    s.BoolLit: _Resolver.leaf,
    s.UndefinedLit: _Resolver.leaf,
    s.ImportExpr: _Resolver.import_expr,  # type: ignore[dict-item]
    s.FuncLit: _Resolver.func_lit,  # type: ignore[dict-item]
    s.ArrayLit: _Resolver.children,
    s.MapLit: _Resolver.children,
    s.BinaryExpr: _Resolver.children,
    s.UnaryExpr: _Resolver.children,
    s.CondExpr: _Resolver.children,
    s.ParenExpr: _Resolver.children,
    s.CallExpr: _Resolver.children,
    s.IndexExpr: _Resolver.children,
    s.SelectorExpr: _Resolver.children,
    s.SliceExpr: _Resolver.children,
    s.ErrorExpr: _Resolver.children,
    s.ImmutableExpr: _Resolver.children,
}


# ---------------------------------------------------------------- tree helpers

def expr_children(node: s.Expr) -> Iterator[s.Expr]:
    """Sub-expressions in Go's compile (= evaluation) order; function bodies excluded."""
    if isinstance(node, s.ArrayLit):
        yield from node.elements
    elif isinstance(node, s.MapLit):
        for elt in node.elements:
            yield elt.value
    elif isinstance(node, s.BinaryExpr):
        yield node.lhs
        yield node.rhs
    elif isinstance(node, s.CondExpr):
        yield node.cond
        yield node.true_expr
        yield node.false_expr
    elif isinstance(node, s.CallExpr):
        yield node.func
        yield from node.args
    elif isinstance(node, s.IndexExpr):
        yield node.expr
        yield node.index
    elif isinstance(node, s.SliceExpr):
        yield node.expr
        if node.low is not None:
            yield node.low
        if node.high is not None:
            yield node.high
    elif isinstance(
        node, s.SelectorExpr | s.UnaryExpr | s.ParenExpr | s.ErrorExpr | s.ImmutableExpr
    ):
        yield node.expr


def assign_target(expr: s.Expr) -> tuple[s.Ident | None, list[s.Expr]]:
    """Go's resolveAssignLHS: `a.b[c]` is variable `a` with selectors `"b"`, `c`."""
    if isinstance(expr, s.Ident):
        return expr, []
    if isinstance(expr, s.SelectorExpr):
        ident, sels = assign_target(expr.expr)
        return ident, [*sels, expr.sel]
    if isinstance(expr, s.IndexExpr):
        ident, sels = assign_target(expr.expr)
        return ident, [*sels, expr.index]
    return None, []


def walk(node: s.Node) -> Iterator[s.Node]:
    """Every node under `node` (function bodies included), parents first."""
    stack: list[s.Node] = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(list(_node_children(n))))


def _node_children(n: s.Node) -> Iterator[s.Node]:
    for f in fields(n):
        value = getattr(n, f.name)
        if isinstance(value, s.Node):
            yield value
        elif isinstance(value, list):
            yield from (v for v in value if isinstance(v, s.Node))


def tail_expr_stmts(stmts: list[s.Stmt], at_end: bool = True) -> set[int]:
    """Expression statements Go's VM runs as tail calls: those followed by a bare return
    in the bytecode (a `return` with no value, or the end of the function)."""
    found: set[int] = set()
    for i, stmt in enumerate(stmts):
        last = i == len(stmts) - 1
        nxt = stmts[i + 1] if not last else None
        if isinstance(stmt, s.ExprStmt):
            bare_return = isinstance(nxt, s.ReturnStmt) and nxt.result is None
            if bare_return or (last and at_end):
                found.add(id(stmt))
        elif isinstance(stmt, s.IfStmt):
            found |= _if_tails(stmt, last and at_end)
        elif isinstance(stmt, s.BlockStmt):
            found |= tail_expr_stmts(stmt.stmts, last and at_end)
    return found


def _if_tails(stmt: s.IfStmt, at_end: bool) -> set[int]:
    found = tail_expr_stmts(stmt.body.stmts, at_end and stmt.else_ is None)
    if isinstance(stmt.else_, s.IfStmt):
        found |= _if_tails(stmt.else_, at_end)
    elif isinstance(stmt.else_, s.BlockStmt):
        found |= tail_expr_stmts(stmt.else_.stmts, at_end)
    return found


def function_stmts(stmts: list[s.Stmt], in_loop: bool) -> Iterator[tuple[s.Stmt, bool]]:
    """Statements of a function body (not of nested functions), with whether each sits
    inside a loop."""
    for stmt in stmts:
        yield stmt, in_loop
        if isinstance(stmt, s.IfStmt):
            yield from function_stmts(stmt.body.stmts, in_loop)
            if stmt.else_ is not None:
                yield from function_stmts([stmt.else_], in_loop)
        elif isinstance(stmt, s.BlockStmt):
            yield from function_stmts(stmt.stmts, in_loop)
        elif isinstance(stmt, s.ForStmt | s.ForInStmt):
            yield from function_stmts(stmt.body.stmts, True)


def resolve(
    file: s.File, script: str, builtin_names: Mapping[str, object], module: bool | None
) -> Resolution:
    """Resolve every name of `file`; raise the first compile error as Go Tengo would."""
    r = _Resolver(script, builtin_names, module)
    used = {n.name for n in walk(s.BlockStmt((0, 0), file.stmts)) if isinstance(n, s.Ident)}
    r.names = Names(used)
    r.stmts(file.stmts)
    return Resolution(
        main=r.main,
        refs=r.refs,
        for_in=r.for_in,
        functions=r.functions,
        symbols=r.symbols,
        free_names=r.free_names,
        imports=r.imports,
        module=module,
        names=r.names,
    )
