"""The `Compiler`: expressions, names and scopes, tail position, functions and their
int-specialised copies. Special forms and inline builtins come from a `Rules` table
given by the layer above (see `compiler.py`), so this module imports no rule."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from scriptvisor.engines.zygomys import reader
from scriptvisor.engines.zygomys.ints import (
    COMPACT_RANGE,
    FAST_ATTEMPTS,
    MAX_NESTED_VERSIONS,
    all_checks,
    int_operand,
    small_enough,
)
from scriptvisor.engines.zygomys.names import (
    MAIN,
    MAX_MACRO_DEPTH,
    RESERVED,
    RUNTIME_LOOKUP,
    UNSUPPORTED,
    Pos,
    Resolver,
    demangle,
    mangle,
)
from scriptvisor.engines.zygomys.scopes import (
    FnCtx,
    NeedGlobals,
    Scope,
    Watch,
    ctuple,
    declarations,
    stamp,
    toplevel_frame,
)
from scriptvisor.engines.zygomys.values import (
    INT_MAX,
    INT_MIN,
    CompileError,
    Pair,
    Symbol,
    ZyError,
    make_list,
    sym,
    to_str,
)

Rule = Callable[["Compiler", Pair, list[Any]], ast.expr]
TailRule = Callable[["Compiler", Pair, list[Any]], None]
MacroRule = Callable[["Compiler", Pair, list[Any]], Any]
InlineRule = Callable[["Compiler", Pair, list[Any]], "ast.expr | None"]


@dataclass(frozen=True, slots=True)
class Rules:
    """What the compiler dispatches on by a form's head: special forms (as values and in
    tail position), built-in macros, inline builtins, and the `=`/`:=` list form. Given
    by the layer that defines the rules, so that rules may use the compiler freely."""

    special: dict[str, Rule]
    tail: dict[str, TailRule]
    macro: dict[str, MacroRule]
    inline: dict[str, InlineRule]
    assignment_list: Rule


class Compiler:
    """Compiles a sequence of top-level forms into one `_h_main(_K)` function."""

    def __init__(
        self,
        name: str,
        builtins: frozenset[str],
        macros: dict[str, Callable[..., Any]] | None = None,
        resolver: Resolver | None = None,
        imports: list[str] | None = None,
        toplevel_locals: bool = True,
        *,
        rules: Rules,
    ) -> None:
        self.name = name
        self.rules = rules
        # Top-level bindings as locals of `_h_main` (fast) unless the program can look
        # names up at run time (`eval`, `defined?`): then they live in the namespace.
        self.toplevel_locals = toplevel_locals
        self.builtins = builtins
        self.macros: dict[str, Callable[..., Any]] = macros if macros is not None else {}
        self.resolver = resolver
        self.imports = imports if imports is not None else [name]
        self.consts: list[Any] = []
        self.call_names: dict[Pos, str] = {}
        self.labels: dict[str, str] = {}  # generated function name -> `zyname@arity`
        self.counter = 0
        self.fn = FnCtx(None)
        self.scope = Scope(None, self.fn, is_global=True)
        self.body: list[ast.stmt] = []
        self.macro_depth = 0
        self.int_bounds: dict[str, tuple[int, int]] = {}  # Python name -> proven int range
        self.expr_bounds: dict[int, tuple[ast.expr, int, int]] = {}  # id(node) -> range
        self.watches: list[Watch] = []  # loops and bodies compiled under int assumptions
        self.escaped: set[str] = set()  # names stored from a nested function
        self.store_counts: dict[str, int] = {}
        # functions whose self calls were taken to return ints (their name must not be
        # stored again), and those found stored again (see `NeedRecompile`)
        self.fixed_functions: set[str] = set()
        self.mutable: set[str] = set()
        self.versioning = True  # loops may get an int-specialised copy
        # functions bound by defn/def with lazy `#x` parameters: Python name -> which of
        # the fixed parameters are lazy (their calls by that name pass `Lazy` arguments)
        self.lazy_fns: dict[str, list[bool]] = {}

    # ------------------------------------------------------------ small tools

    def fail(self, message: str, form: Any = None, pos: Pos | None = None) -> CompileError:
        if pos is None and type(form) is Pair:
            pos = form.pos
        return CompileError(message, pos)

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def tmp(self) -> str:
        return self.fresh("_t")

    def const(self, value: Any) -> ast.expr:
        t = type(value)
        if value is None or t in (bool, int, float, str):
            return ast.Constant(value)
        self.consts.append(value)
        return ast.Subscript(ast.Name("_K", ast.Load()), ast.Constant(len(self.consts) - 1),
                             ast.Load())

    @staticmethod
    def load(name: str) -> ast.Name:
        return ast.Name(name, ast.Load())

    def helper(self, name: str, *args: ast.expr) -> ast.Call:
        return ast.Call(self.load("_h_" + name), list(args), [])

    def emit(self, stmt: ast.stmt) -> None:
        self.body.append(stmt)

    def discard(self, e: ast.expr) -> None:
        """Evaluate `e` for its effects only. A temporary holding the value is cleared:
        a reference left there would stop `append` from growing an array in place."""
        if isinstance(e, ast.Name) and e.id.startswith("_t") and e.id[2:].isdigit():
            self.emit(ast.Assign([ast.Name(e.id, ast.Store())], ast.Constant(None)))
        elif not isinstance(e, ast.Constant | ast.Name):
            self.emit(ast.Expr(e))

    @contextmanager
    def buffer(self) -> Iterator[list[ast.stmt]]:
        saved = self.body
        self.body = []
        try:
            yield self.body
        finally:
            self.body = saved

    @contextmanager
    def new_scope(self) -> Iterator[Scope]:
        saved = self.scope
        self.scope = Scope(saved, self.fn)
        try:
            yield self.scope
        finally:
            self.scope = saved

    # ------------------------------------------------------------ names

    def resolve(self, name: str) -> tuple[Scope, str] | None:
        s: Scope | None = self.scope
        while s is not None:
            py = s.names.get(name)
            if py is not None:
                return s, py
            s = s.parent
        return None

    def is_builtin_ref(self, name: str) -> bool:
        return name in self.builtins and self.resolve(name) is None

    def bind(self, scope: Scope, name: str) -> str:
        py = scope.names.get(name)
        if py is None:
            py = mangle(name) if scope.is_global else f"{mangle(name)}_{self.fresh('')}"
            scope.names[name] = py
        return py

    def is_python_global(self, scope: Scope) -> bool:
        return scope.is_global and not self.toplevel_locals

    def declare_store(self, scope: Scope, py: str) -> None:
        if self.is_python_global(scope):
            self.fn.globals.add(py)
            self.escaped.add(py)
        elif scope.fn is not self.fn:
            self.fn.nonlocals.add(py)
            self.escaped.add(py)

    def store(self, scope: Scope, py: str, value: ast.expr) -> ast.expr:
        self.declare_store(scope, py)
        self.store_counts[py] = self.store_counts.get(py, 0) + 1
        if self.watches:
            rng = self.bounds(value)
            for w in self.watches:
                w.stored(py, rng)
        return ast.NamedExpr(ast.Name(py, ast.Store()), value)

    def bounds(self, e: ast.expr) -> tuple[int, int] | None:
        """The proven int64 range of a compiled expression, if it is a proven int."""
        if isinstance(e, ast.Constant):
            v = e.value
            return (v, v) if type(v) is int else None
        if isinstance(e, ast.Name):
            return self.int_bounds.get(e.id)
        if isinstance(e, ast.NamedExpr):
            return self.bounds(e.value)
        found = self.expr_bounds.get(id(e))
        return None if found is None else (found[1], found[2])

    def proven(self, e: ast.expr, lo: int, hi: int) -> ast.expr:
        self.expr_bounds[id(e)] = (e, max(lo, INT_MIN), min(hi, INT_MAX))
        return e

    def check_target(self, name: str, form: Any, op: str) -> None:
        if name in self.builtins:
            raise self.fail(f"already have built-in function '{name}', refusing to overwrite "
                            f"with {op}", form)
        if name in self.macros or name in self.rules.macro:
            raise self.fail(f"already have macro '{name}', refusing to overwrite with {op}", form)
        if name in RESERVED or name in self.rules.special:
            raise self.fail(f"already have reserved word '{name}', refusing to overwrite "
                            f"with {op}", form)

    # ------------------------------------------------------------ expressions

    def expr(self, form: Any) -> ast.expr:
        t = type(form)
        if t is Pair:
            start = len(self.body)
            out = self.pair(form)
            if form.pos is not None:
                for st in self.body[start:]:
                    stamp(st, form.pos)
                stamp(out, form.pos)
            return out
        if t is Symbol:
            return self.symbol(form)
        if t is _LazyArg:
            return ast.Call(self.load("_h_Lazy"), [self.const(plain_data(form.form)),
                                                   self.thunk(form.form)], [])
        if isinstance(form, list):
            return ast.List(self.exprs(list(form)), ast.Load())
        if isinstance(form, reader.Marker):
            raise self.fail(f"unexpected '{form.text}'")
        return self.const(form)

    def exprs(self, forms: list[Any], first: ast.expr | None = None) -> list[ast.expr]:
        """Compile forms left to right; values computed before a later form's statements
        are saved in temporaries so that evaluation order is kept."""
        out: list[ast.expr] = [] if first is None else [first]
        for form in forms:
            start = len(self.body)
            e = self.expr(form)
            if len(self.body) > start:
                saved: list[ast.stmt] = []
                for k, prev in enumerate(out):
                    if not isinstance(prev, ast.Constant):
                        t = self.tmp()
                        saved.append(ast.Assign([ast.Name(t, ast.Store())], prev))
                        out[k] = self.load(t)
                self.body[start:start] = saved
            out.append(e)
        return out

    def symbol(self, s: Symbol) -> ast.expr:
        if s.colon:
            return self.const(s)
        name = s.name
        if name in ("nil", "null"):
            return ast.Constant(None)
        if name.startswith("?"):  # the `?` sigil: evaluates to itself (LexicalLookupSymbol)
            return self.const(s)
        if name in RUNTIME_LOOKUP and self.toplevel_locals and self.resolve(name) is None:
            raise NeedGlobals(name)
        if s.dot:
            if name.startswith("."):
                return self.const(s)
            base, *rest = name.split(".")
            return self.helper("path_get", self.symbol(sym(base)),
                               ctuple(rest))
        found = self.resolve(name)
        if found is not None:
            return self.load(found[1])
        return self.load(mangle(name))

    def pair(self, form: Pair) -> ast.expr:
        items = list(form)
        p: Any = form
        while type(p) is Pair:
            p = p.tail
        if p is not None:
            raise self.fail("cannot evaluate a dotted pair", form)
        head, args = items[0], items[1:]
        if any(type(a) is Symbol and a.name in ("=", ":=") and not a.colon for a in args):
            return self.rules.assignment_list(self, form, items)
        if isinstance(head, list) and not head:  # `([] int64)`: a Go slice type
            raise self.fail(f"'[]' is not supported: {UNSUPPORTED['[]']}", form)
        if type(head) is Symbol and not head.colon and not head.dot:
            name = head.name
            rule = self.rules.special.get(name)
            if rule is not None:
                return rule(self, form, args)
            if name in self.macros:
                return self.expr(self.expand_macro(name, form, args))
            macro_rule = self.rules.macro.get(name)
            if macro_rule is not None and self.resolve(name) is None:
                return self.expr(macro_rule(self, form, args))
            if name in UNSUPPORTED and self.resolve(name) is None:
                raise self.fail(f"'{name}' is not supported: {UNSUPPORTED[name]}", form)
            if self.is_builtin_ref(name):
                inline = self.rules.inline.get(name)
                if inline is not None:
                    out = inline(self, form, args)
                    if out is not None:
                        return out
        return self.call(form, head, args)

    def call(self, form: Pair, head: Any, args: list[Any]) -> ast.expr:
        if type(head) is Symbol:
            fexpr = self.symbol(head)
            if form.pos is not None:
                self.call_names[form.pos] = head.name
        elif type(head) is Pair or isinstance(head, list):
            fexpr = self.expr(head)
        else:
            fexpr = self.const(head)
            if form.pos is not None:
                self.call_names[form.pos] = to_str(head)
        if not args:
            if type(head) is Symbol and self.is_builtin_ref(head.name):
                return ast.Call(fexpr, [], [])
            return self.helper("call0", fexpr)
        values = self.exprs(self.lazy_args(head, args), fexpr)
        out = ast.Call(values[0], values[1:], [])
        if self.fn.int_returns and type(head) is Symbol and self.int_self_call(head.name, values):
            return self.proven(out, INT_MIN, INT_MAX)
        return out

    def lazy_args(self, head: Any, args: list[Any]) -> list[Any]:
        """A call of a function known here to have lazy `#x` parameters passes those
        arguments unevaluated, as `Lazy` (GenerateCallArgsForFunction, PushLazyArgInstr)."""
        if type(head) is not Symbol or not self.lazy_fns:
            return args
        found = self.resolve(head.name)
        flags = None if found is None else self.lazy_fns.get(found[1])
        if flags is None:
            return args
        return [_LazyArg(a) if k < len(flags) and flags[k] else a
                for k, a in enumerate(args)]

    def int_self_call(self, name: str, values: list[ast.expr]) -> bool:
        """Inside a function's int copy, a call of the function itself with proven int
        arguments returns an int (by induction, as every return of that copy is one),
        provided the name keeps holding this function: checked when compiling ends."""
        fn = self.fn
        binding = fn.self_binding
        if binding is None or fn.rest is not None or len(values) - 1 != len(fn.params):
            return False
        if self.resolve(name) != binding or binding[1] in self.mutable or (
            self.is_python_global(binding[0])
        ):
            return False
        if any(self.bounds(v) is None for v in values[1:]):
            return False
        self.fixed_functions.add(binding[1])
        return True

    def seq(self, forms: list[Any]) -> ast.expr:
        if not forms:
            return ast.Constant(None)
        for form in forms[:-1]:
            e = self.expr(form)
            self.discard(e)
        return self.expr(forms[-1])

    def test(self, form: Any) -> ast.expr:
        """A form's value as a Python truth value (IsTruthy)."""
        e = self.expr(form)
        if returns_bool(self, form):
            return e
        return self.helper("truthy", e)

    # ------------------------------------------------------------ tail position

    def tail(self, form: Any) -> None:
        """Emit statements that return the value of `form` from the current function."""
        if type(form) is Pair and type(form.head) is Symbol and not form.head.colon:
            name = form.head.name
            args = list(form)[1:]
            rule = self.rules.tail.get(name)
            if rule is not None and not any(
                type(a) is Symbol and a.name in ("=", ":=") for a in args
            ):
                start = len(self.body)
                rule(self, form, args)
                if form.pos is not None:
                    for st in self.body[start:]:
                        stamp(st, form.pos)
                return
            if name in self.macros:
                self.tail(self.expand_macro(name, form, args))
                return
            if self.is_self_call(name, args):
                start = len(self.body)
                self.self_call(args)
                if form.pos is not None:
                    for st in self.body[start:]:
                        stamp(st, form.pos)
                return
        self.ret(self.expr(form))

    def ret(self, value: ast.expr) -> None:
        if self.fn.int_returns and self.bounds(value) is None:
            self.fn.unproven_return = True
        self.emit(ast.Return(value))

    def tail_seq(self, forms: list[Any]) -> None:
        if not forms:
            self.ret(ast.Constant(None))
            return
        for form in forms[:-1]:
            e = self.expr(form)
            self.discard(e)
        self.tail(forms[-1])

    def is_self_call(self, name: str, args: list[Any]) -> bool:
        binding = self.fn.self_binding
        if binding is None or self.resolve(name) != binding:
            return False
        n = len(self.fn.params)
        return len(args) == n if self.fn.rest is None else len(args) >= n

    def self_call(self, args: list[Any]) -> None:
        binding = self.fn.self_binding
        flags = None if binding is None else self.lazy_fns.get(binding[1])
        if flags is not None:
            args = [_LazyArg(a) if k < len(flags) and flags[k] else a
                    for k, a in enumerate(args)]
        values = self.exprs(args)
        fn = self.fn
        n = len(fn.params)
        targets: list[ast.expr] = [ast.Name(p, ast.Store()) for p in fn.params]
        sources = values[:n]
        if fn.rest is not None:
            targets.append(ast.Name(fn.rest, ast.Store()))
            sources.append(self.helper("rest_list", ast.Tuple(values[n:], ast.Load())))
        if targets:
            self.emit(ast.Assign([ast.Tuple(targets, ast.Store())],
                                 ast.Tuple(sources, ast.Load())))
        fn.tail_loop = True
        self.emit(ast.Continue())

    # ------------------------------------------------------------ macros

    def expand_macro(self, name: str, form: Pair, args: list[Any]) -> Any:
        self.macro_depth += 1
        if self.macro_depth > MAX_MACRO_DEPTH:
            raise self.fail(f"macro '{name}' expands too deeply", form)
        try:
            return self.macros[name](*args)
        except CompileError:
            raise
        except ZyError as exc:
            raise self.fail(f"Error generating {to_str(form)}:\n{exc}", form) from None
        except RecursionError:
            raise self.fail(f"macro '{name}' expands too deeply", form) from None
        except TypeError as exc:
            raise self.fail(f"Error generating {to_str(form)}:\n{macro_type_error(exc)}",
                            form) from None
        except NameError as exc:
            missing = demangle(getattr(exc, "name", "") or "?")
            raise self.fail(f"Error generating {to_str(form)}:\nsymbol `{missing}` not found",
                            form) from None
        finally:
            self.macro_depth -= 1

    # ------------------------------------------------------------ functions

    def function(self, form: Pair, name: str, params: Any, body: list[Any],
                 self_binding: tuple[Scope, str] | None) -> ast.expr:
        if not isinstance(params, list):
            raise self.fail("function arguments must be in vector", form)
        fixed, rest = parse_params(self, form, list(params))
        every = fixed + ([] if rest is None else [rest])
        repeated = len(set(every)) != len(every)
        fn = FnCtx(self.fn, self_binding=None if repeated else self_binding)
        outer_fn, outer_scope, outer_body = self.fn, self.scope, self.body
        self.fn = fn
        self.scope = Scope(outer_scope, fn)
        self.body = []
        try:
            pys = self.param_names(every)
            fn.params = pys[: len(fixed)]
            if rest is not None:
                fn.rest = pys[-1]
            stmts = self.specialized_body([] if repeated else fixed,
                                          [] if repeated else fn.params, body)
        finally:
            self.fn, self.scope, self.body = outer_fn, outer_scope, outer_body
        if fn.tail_loop:
            stmts = [ast.While(ast.Constant(True), stmts, [])]
        if repeated:
            stmts[:0] = self.rebind_repeated(every, pys)
        if fn.rest is not None:
            stmts.insert(0, ast.Assign([ast.Name(fn.rest, ast.Store())],
                                       self.helper("rest_list", self.load(fn.rest))))
        stmts[:0] = declarations(fn)
        pyname = self.fresh("_f")
        arity = f"{len(fixed)}+" if rest is not None else str(len(fixed))
        self.labels[pyname] = f"{name}@{arity}"
        args = ast.arguments(
            posonlyargs=[], args=[ast.arg(p) for p in fn.params],
            vararg=ast.arg(fn.rest) if fn.rest is not None else None,
            kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[],
        )
        self.emit(ast.FunctionDef(pyname, args, stmts, [], None, None))
        self.emit(ast.Expr(self.helper("fn_meta", self.load(pyname), ast.Constant(name),
                                       self.const(form))))
        return self.load(pyname)

    def param_names(self, names: list[str]) -> list[str]:
        """One Python parameter per Zygomys parameter. A repeated name is bound to its last
        occurrence; the earlier ones get placeholders (see `rebind_repeated`)."""
        out = []
        for k, name in enumerate(names):
            out.append(self.fresh("_p") if name in names[k + 1 :] else
                       self.bind(self.scope, name))
        return out

    def rebind_repeated(self, names: list[str], pys: list[str]) -> list[ast.stmt]:
        """Upstream binds parameters from the last to the first into one scope, so the
        first occurrence of a repeated name wins, each rebinding type-checked like a
        re-`def` (`(fn [a a] a)` called with 1 2 gives 1)."""
        final = {name: pys[len(names) - 1 - names[::-1].index(name)] for name in names}
        out: list[ast.stmt] = []
        for name, py in reversed(list(zip(names, pys, strict=True))):
            if py != final[name]:
                out.append(ast.Assign([ast.Name(final[name], ast.Store())],
                                      self.helper("redef", self.load(final[name]),
                                                  self.load(py))))
        return out

    def specialized_body(self, names: list[str], pys: list[str], body: list[Any]
                         ) -> list[ast.stmt]:
        """The body, twice when its parameters feed arithmetic: a copy for int arguments
        (operators on them skip type checks; its self calls return ints when all its
        returns are ints) behind one entry check, and the generic copy. Nothing is known
        about outer names inside."""
        outer = self.int_bounds, self.versioning
        self.int_bounds = {}
        ints = {py: (name, INT_MIN, INT_MAX) for name, py in zip(names, pys, strict=True)
                if int_operand(body, name)}
        fn = self.fn
        try:
            fast = None
            compact = False
            if ints and self.versioning and small_enough(body):
                fn.int_returns = True
                fast = self.fast_version(ints, lambda: self.tail_seq(body))
                fn.int_returns = False
                if fast is not None and fn.tail_loop:
                    # a self tail call re-enters the check on every step: require small
                    # ints there, so that steps like (- n 1) need no wrap check
                    compact = True
                    ints = {py: (name, *COMPACT_RANGE) for py, (name, _, _) in ints.items()}
                    fast = self.fast_version(ints, lambda: self.tail_seq(body))
                elif fast is not None and fn.unproven_return:
                    fast = self.fast_version(ints, lambda: self.tail_seq(body))
            self.versioning = self.versioning and fast is None
            with self.fresh_copy():
                self.tail_seq(body)
                slow = self.body
            if fast is None:
                return slow
        finally:
            self.int_bounds, self.versioning = outer
            fn.int_returns = False
        guard = [is_int_check(self, self.load(py)) for py in fast[0]]
        if compact:
            guard = [ast.BoolOp(ast.And(), [check, ast.Compare(
                ast.Constant(COMPACT_RANGE[0] - 1), [ast.Lt(), ast.Lt()],
                [self.load(py), ast.Constant(COMPACT_RANGE[1] + 1)])])
                for check, py in zip(guard, fast[0], strict=True)]
            test = guard[0] if len(guard) == 1 else ast.BoolOp(ast.And(), guard)
            return [ast.If(test, fast[1], slow)]
        return [ast.If(all_checks(guard), fast[1], slow)]

    @contextmanager
    def fresh_copy(self) -> Iterator[None]:
        """Compile code again in the current scope as it is now (a second version of the
        same forms binds its own names) into a fresh buffer."""
        scope = self.scope
        self.scope = Scope(scope.parent, scope.fn, scope.is_global, dict(scope.names),
                           set(scope.defined))
        saved = self.body
        self.body = []
        try:
            yield
        finally:
            self.scope, self.body = scope, saved

    def fast_version(self, assumed: dict[str, tuple[str, int, int]],
                     compile_: Callable[[], None], frozen: frozenset[str] = frozenset(),
                     ) -> tuple[list[str], list[ast.stmt]] | None:
        """Compile with `assumed` (Python name -> (Zygomys name, low, high)) holding ints
        in those ranges; names whose stores break that are dropped and it compiles again.
        Returns the names kept and the code, or None when none survive."""
        dropped: set[str] = set()
        if len(self.watches) >= MAX_NESTED_VERSIONS:
            return None
        for _ in range(FAST_ATTEMPTS):
            live = {py: a for py, a in assumed.items() if a[0] not in dropped}
            if not live:
                return None
            outer = dict(self.int_bounds)
            self.int_bounds.update({py: (lo, hi) for py, (_, lo, hi) in live.items()})
            watch = Watch(live, set(frozen), dropped)
            self.watches.append(watch)
            try:
                with self.fresh_copy():
                    compile_()
                    code = self.body
            finally:
                self.watches.pop()
                self.int_bounds = outer
            if not watch.violations:
                return list(live), code
            dropped |= watch.violations
            if frozen & {py for py, a in assumed.items() if a[0] in watch.violations}:
                return None
        return None

    def thunk(self, form: Any) -> ast.expr:
        """A zero-argument function evaluating `form` (for expectError)."""
        fn = FnCtx(self.fn)
        outer_fn, outer_scope, outer_body = self.fn, self.scope, self.body
        outer_bounds = self.int_bounds
        self.fn, self.scope, self.body, self.int_bounds = fn, Scope(outer_scope, fn), [], {}
        try:
            self.tail(form)
            stmts = self.body
        finally:
            self.fn, self.scope, self.body = outer_fn, outer_scope, outer_body
            self.int_bounds = outer_bounds
        if fn.tail_loop:
            stmts = [ast.While(ast.Constant(True), stmts, [])]
        stmts[:0] = declarations(fn)
        pyname = self.fresh("_thunk")
        args = ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[],
                             kw_defaults=[], kwarg=None, defaults=[])
        self.emit(ast.FunctionDef(pyname, args, stmts, [], None, None))
        return self.load(pyname)

    # ------------------------------------------------------------ program

    def predeclare(self, forms: list[Any]) -> None:
        """Top-level names defined anywhere in the file are globals from the start, so that
        functions defined earlier can `set` them (forward references)."""
        for form in forms:
            if type(form) is not Pair or type(form.head) is not Symbol:
                continue
            items = list(form)
            head = form.head.name
            if head in ("def", "defn", "set", "defmap") and len(items) > 1 and (
                type(items[1]) is Symbol and not items[1].dot and not items[1].colon
            ):
                name = items[1].name
                if name not in self.builtins and name not in self.rules.special:
                    self.scope.names.setdefault(name, mangle(name))
            elif head == "begin":
                self.predeclare(items[1:])

    def program(self, forms: list[Any]) -> ast.Module:
        self.predeclare(forms)
        self.scope.names.setdefault("result", "result")
        self.tail_seq(forms)
        stmts = declarations(self.fn) + self.body
        if self.toplevel_locals:
            stmts = toplevel_frame(sorted(set(self.scope.names.values())), stmts)
        args = ast.arguments(posonlyargs=[], args=[ast.arg("_K"), ast.arg("_G")],
                             vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None,
                             defaults=[])
        main = ast.FunctionDef(MAIN, args, stmts, [], None, None)
        module = ast.Module([main], [])
        stamp(main, (1, 1))
        ast.fix_missing_locations(module)
        return module


def parse_params(c: Compiler, form: Pair, params: list[Any]) -> tuple[list[str], str | None]:
    names: list[str] = []
    for p in params:
        if type(p) is not Symbol or p.colon:
            raise c.fail("function argument must be symbol", form)
        names.append(p.name)
    rest = None
    if "&" in names:
        k = names.index("&")
        if k != len(names) - 2:
            raise c.fail("& must come before the last parameter", form)
        rest = names[-1]
        names = names[:k]
    return names, rest


def macro_type_error(exc: TypeError) -> str:
    text = str(exc)
    head, sep, _ = text.partition("()")
    if sep and "@" in head:
        name, _, arity = head.partition("@")
        return f"{name} expected {arity.rstrip('+')} arguments"
    return text


def returns_bool(c: Compiler, form: Any) -> bool:
    if type(form) is bool:
        return True
    if type(form) is Pair and type(form.head) is Symbol:
        name = form.head.name
        if name in ("and", "or"):  # special forms: they return one of their values
            return all(returns_bool(c, a) for a in list(form)[1:])
        return name in BOOL_FUNCS and c.is_builtin_ref(name)
    return False


BOOL_FUNCS = frozenset({"<", ">", "<=", ">=", "==", "!=", "not", "list?", "null?", "array?",
                        "hash?", "number?", "int?", "float?", "char?", "symbol?", "string?",
                        "zero?", "empty?", "func?", "defined?", "isnan", "isNaN"})


class _LazyArg:
    """A call argument to pass unevaluated, as a `Lazy` (see `Compiler.lazy_args`)."""

    __slots__ = ("form",)

    def __init__(self, form: Any) -> None:
        self.form = form


def plain_data(form: Any) -> Any:
    """Reader data as runtime data (array literals become plain lists)."""
    if isinstance(form, list):
        return [plain_data(x) for x in form]
    if type(form) is Pair:
        items = []
        p: Any = form
        while type(p) is Pair:
            items.append(plain_data(p.head))
            p = p.tail
        return make_list(items, plain_data(p))
    return form


def has_array(v: Any) -> bool:
    if isinstance(v, list):
        return True
    if type(v) is Pair:
        return any(has_array(x) for x in v)
    return False


def is_int_check(c: Compiler, e: ast.expr) -> ast.expr:
    return ast.Compare(ast.Call(c.load("_h_type"), [e], []), [ast.Is()], [c.load("_h_int")])


def plain_symbol(x: Any) -> bool:
    return type(x) is Symbol and not x.colon and not x.dot and x.name not in RESERVED


def is_name(x: Any, name: str) -> bool:
    return plain_symbol(x) and bool(x.name == name)
