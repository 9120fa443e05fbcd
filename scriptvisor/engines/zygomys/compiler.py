"""Zygomys forms -> Python `ast` -> one code object (hy-style: one rule per special form).

Scoping is resolved at compile time: each Zygomys binding becomes a uniquely named Python
variable (a local or closure cell of `_h_main` for the top level, or a namespace global
when the program uses `eval`/`defined?`), so closures share captured variables exactly as
Zygomys scopes do. A compile rule returns a Python
expression and may emit statements before it into the current buffer; conditional forms
(`cond`, `and`, `or`) compile their branches into their own buffers and fall back to
`if` statements when a branch needed statements. Function bodies are compiled in tail
mode: a self call in tail position becomes a reassignment of the parameters and a
`continue` of the function's loop (constant stack space).

Speed without changing results: operators on ints are computed in place, with wrap
checks only on the int64 bounds a proven range may cross (`Range`s come from literals,
guards and `cond` tests); a loop or small function also gets an int copy behind one
type guard, compiled under a `Watch` that recompiles it without any name whose stores
break the assumption; `(for [(def i a) (< i b) (++ i)] ...)` becomes a `range` loop; a
self call in a function's int copy returns an int when every return there is one (and
the function's name is never stored again, else `NeedRecompile`); `(set x (append x v))`
grows x in place when nothing else holds the array; a few builtins have inline common
cases. tests/zygomys/test_fast_paths.py pins the edge cases.

Every generated node carries the script position of the form it came from; the engine
reads the position of the innermost generated frame of a traceback to report errors.
"""

from __future__ import annotations

import ast
import keyword
import sys
import types
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from scriptvisor.engines.zygomys import infix, reader, runtime
from scriptvisor.engines.zygomys.values import (
    COMPILED_FILENAME_PREFIX,
    INT_MAX,
    INT_MIN,
    ArrayForm,
    CompileError,
    Hash,
    Lazy,
    Pair,
    Symbol,
    ZyError,
    make_list,
    sym,
    to_str,
)

Pos = tuple[int, int]
Range = tuple[int, int]  # the proven bounds of an int value
MAIN = "_h_main"
_COMPILE_DEPTH = 20_000
MAX_MACRO_DEPTH = 200
Resolver = Callable[[str], "str | None"]

# Heads that name Go-specific features: a clear compile error instead of a lookup failure.
UNSUPPORTED: dict[str, str] = {
    **dict.fromkeys(
        ["struct", "func", "method", "interface", "var", "togo", "fromgo", "methodls",
         "_method", "fieldls", "typelist", "int", "int64", "int32", "int16", "int8",
         "uint", "uint64", "uint32", "uint16", "uint8", "float64", "float32", "complex64",
         "complex128", "byte", "rune", "error", "time.Time", "[]", "string", "bool",
         "symbol"],
        "Go struct interop and Go type constructors are not supported",
    ),
    **dict.fromkeys(["&", "deref", "derefSet", "ptr", "sliceOf", "*ptr"],
                    "Go pointers are not supported"),
    **dict.fromkeys(["go", "makeChan", "send", "<!", "<-"],
                    "goroutines and channels are not supported"),
    **dict.fromkeys(["gob", "greenpack", "bsave", "bload", "msgpack-map",
                     "declare-msgpack-map", "msgmap", "msgpack", "unmsgpack"],
                    "Go-only binary encodings are not supported"),
    **dict.fromkeys(["."], "Go reflection is not supported"),
    **dict.fromkeys(["echo", "pretty"], "REPL display flags are not supported"),
    **dict.fromkeys(["source", "include", "system", "sys", "slurpf", "writef", "owritef",
                     "save", "exit", "setenv", "getenv", "dump", "req", "GOOS",
                     "_closdump", "rmsym", "registerDemoFunctions", "now", "timeit",
                     "astm", "millis", "date", "nextBusinessDay", "dur"],
                    "scripts have no host access"),
}
# Names `def`/`set`/`defn` refuse: upstream's reserved words (environment.go), which are
# special forms, Go keywords, Go builtins and type names, operators and NaN; plus ours.
RESERVED = frozenset({
    "nil", "null", "true", "false", "&",
    "byte", "defbuild", "builder", "field", "and", "or", "cond", "quote", "def", "mdef", "fn",
    "defn", "begin", "let", "letseq", "assert", "defmac", "macexpand", "syntaxQuote",
    "include", "for", "set", "break", "continue", "newScope", "_ls", "int8", "int16",
    "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64",
    "complex64", "complex128", "bool", "string", "any", "case", "chan", "const", "default",
    "else", "defer", "fallthrough", "func", "go", "goto", "if", "import", "interface", "map",
    "package", "range", "return", "select", "struct", "switch", "type", "var", "append",
    "cap", "close", "complex", "copy", "delete", "imag", "len", "make", "new", "panic",
    "print", "println", "real", "recover", "-", "+", "--", "++", "-=", "+=", ":=", "=", ">",
    "<", ">=", "<=", "send", "NaN", "nan",
})


def mangle(name: str) -> str:
    """A Zygomys name as a Python identifier (readable when it already is one)."""
    if name.isidentifier() and name.isascii() and not name.startswith("_") and (
        not keyword.iskeyword(name)
    ):
        return name
    out = ["_Z"]
    for ch in name:
        out.append(ch if ch.isascii() and ch.isalnum() else f"_{ord(ch):x}_")
    return "".join(out)


def demangle(py: str) -> str:
    if not py.startswith("_Z"):
        return py
    out, i, s = [], 2, py
    while i < len(s):
        if s[i] == "_":
            j = s.index("_", i + 1)
            out.append(chr(int(s[i + 1 : j], 16)))
            i = j + 1
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


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


# Builtins that read the namespace by name; using one keeps top-level names there.
RUNTIME_LOOKUP = frozenset({"eval", "defined?"})


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
    ) -> None:
        self.name = name
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
        if name in self.macros or name in MACRO_RULES:
            raise self.fail(f"already have macro '{name}', refusing to overwrite with {op}", form)
        if name in RESERVED or name in SPECIAL:
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
            return assignment_list(self, form, items)
        if isinstance(head, list) and not head:  # `([] int64)`: a Go slice type
            raise self.fail(f"'[]' is not supported: {UNSUPPORTED['[]']}", form)
        if type(head) is Symbol and not head.colon and not head.dot:
            name = head.name
            rule = SPECIAL.get(name)
            if rule is not None:
                return rule(self, form, args)
            if name in self.macros:
                return self.expr(self.expand_macro(name, form, args))
            macro_rule = MACRO_RULES.get(name)
            if macro_rule is not None and self.resolve(name) is None:
                return self.expr(macro_rule(self, form, args))
            if name in UNSUPPORTED and self.resolve(name) is None:
                raise self.fail(f"'{name}' is not supported: {UNSUPPORTED[name]}", form)
            if self.is_builtin_ref(name):
                inline = INLINE.get(name)
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
            rule = TAIL_RULES.get(name)
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
                if _int_operand(body, name)}
        fn = self.fn
        try:
            fast = None
            compact = False
            if ints and self.versioning and _small(body):
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
        guard = [_is_int(self, self.load(py)) for py in fast[0]]
        if compact:
            guard = [ast.BoolOp(ast.And(), [check, ast.Compare(
                ast.Constant(COMPACT_RANGE[0] - 1), [ast.Lt(), ast.Lt()],
                [self.load(py), ast.Constant(COMPACT_RANGE[1] + 1)])])
                for check, py in zip(guard, fast[0], strict=True)]
            test = guard[0] if len(guard) == 1 else ast.BoolOp(ast.And(), guard)
            return [ast.If(test, fast[1], slow)]
        return [ast.If(_all(guard), fast[1], slow)]

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
                if name not in self.builtins and name not in SPECIAL:
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


# Small ints: CPython's one-digit ints, compared by specialised instructions; sums of a
# few of them cannot leave int64.
COMPACT_RANGE = (-(1 << 30) + 2, (1 << 30) - 2)
_MAX_SPECIALIZED_ATOMS = 400
# Compile work grows as attempts ** nesting: int copies nest at most this deep.
FAST_ATTEMPTS = 2
MAX_NESTED_VERSIONS = 3


def _atoms(form: Any, depth: int = 0) -> Iterator[Any]:
    if depth > 200:
        yield from range(_MAX_SPECIALIZED_ATOMS)  # too deep to inspect: too big
        return
    if type(form) is Pair or isinstance(form, list):
        for x in form:
            yield from _atoms(x, depth + 1)
    else:
        yield form


def _small(body: list[Any]) -> bool:
    """Is the body small enough to be compiled twice?"""
    return all(count < _MAX_SPECIALIZED_ATOMS for count, _ in enumerate(_atoms(body)))


def _int_operand(body: Any, name: str, depth: int = 0) -> bool:
    """Does `name` appear as a direct operand of an inlined operator in `body`?"""
    if depth > 200:
        return False
    if type(body) is Pair:
        head = body.head
        if type(head) is Symbol and head.name in INT_OPS and any(
            type(a) is Symbol and a.name == name for a in list(body)[1:]
        ):
            return True
    if type(body) is Pair or isinstance(body, list):
        return any(_int_operand(x, name, depth + 1) for x in body)
    return False


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


# ---------------------------------------------------------------- rules

Rule = Callable[[Compiler, Pair, list[Any]], ast.expr]
TailRule = Callable[[Compiler, Pair, list[Any]], None]
MacroRule = Callable[[Compiler, Pair, list[Any]], Any]


def _name_of(c: Compiler, form: Pair, target: Any, op: str) -> str:
    if type(target) is Pair and target.head is sym("quote") and type(target.tail) is Pair:
        target = target.tail.head
    if type(target) is not Symbol or target.colon:
        raise c.fail(f"{op}: left-hand-side must be a symbol", form)
    return target.name


def rule_def(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 2:
        raise c.fail("Wrong number of arguments to def", form)
    name = _name_of(c, form, args[0], "def")
    c.check_target(name, form, "def")
    return define(c, name, args[1])


def define(c: Compiler, name: str, value_form: Any) -> ast.expr:
    scope = c.scope
    existed = name in scope.defined
    is_fn = type(value_form) is Pair and value_form.head is sym("fn")
    if is_fn:
        py = c.bind(scope, name)
        params, body = _fn_parts(c, value_form)
        _note_lazy(c, py, params)
        value = c.function(value_form, name, params, body, self_binding=(scope, py))
    else:
        value = c.expr(value_form)
        py = c.bind(scope, name)
    if existed:
        value = c.helper("redef", c.load(py), value)
    elif c.watches and not is_fn:
        _assume_int(c, scope, name, py, value)
    _mark_defined(c, name)
    return c.store(scope, py, value)


class _LazyArg:
    """A call argument to pass unevaluated, as a `Lazy` (see `Compiler.lazy_args`)."""

    __slots__ = ("form",)

    def __init__(self, form: Any) -> None:
        self.form = form


def _note_lazy(c: Compiler, py: str, params: Any) -> None:
    """Remember which fixed parameters of the function bound to `py` are lazy `#x` ones
    (a `#` sigil, upstream's isLazyFormalSymbol)."""
    if not isinstance(params, list):
        return
    names = [p.name if type(p) is Symbol else "" for p in params]
    if "&" in names:
        names = names[: names.index("&")]
    flags = [n.startswith("#") and len(n) > 1 for n in names]
    if any(flags):
        c.lazy_fns[py] = flags
    else:
        c.lazy_fns.pop(py, None)


def _assume_int(c: Compiler, scope: Scope, name: str, py: str, value: ast.expr) -> None:
    """A new binding inside code compiled for ints, first bound to a proven int: assume it
    stays one (the watch recompiles without it when a later store breaks that)."""
    watch = c.watches[-1]
    if name in watch.excluded or scope.fn is not c.fn or c.is_python_global(scope) or (
        py in c.escaped or c.bounds(value) is None
    ):
        return
    watch.bound[py] = name
    c.int_bounds[py] = _INT64


def _mark_defined(c: Compiler, name: str) -> None:
    c.scope.defined.add(name)


def _fn_parts(c: Compiler, form: Pair) -> tuple[Any, list[Any]]:
    items = list(form)
    if len(items) < 3:  # a vector and at least one body form (GenerateFn)
        raise c.fail("malformed function definition", form)
    return items[1], items[2:]


def rule_fn(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    params, body = _fn_parts(c, form)
    return c.function(form, "__anon", params, body, None)


def rule_defn(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) < 3:  # a name, a vector and at least one body form (GenerateDefn)
        raise c.fail("wrong number of arguments", form)
    if not isinstance(args[1], list):
        raise c.fail("function arguments must be in vector", form)
    if type(args[0]) is not Symbol:
        raise c.fail("Definition name must be symbol", form)
    name = args[0].name
    c.check_target(name, form, "defn")
    py = c.bind(c.scope, name)
    _note_lazy(c, py, args[1])
    # the function keeps the whole defn form: printing it shows that (buildSexpFun's orig)
    value = c.function(form, name, args[1], args[2:], self_binding=(c.scope, py))
    _mark_defined(c, name)
    c.emit(ast.Expr(c.store(c.scope, py, value)))
    return ast.Constant(None)


def assign_to(c: Compiler, form: Pair, target: Any, value: ast.expr) -> ast.expr:
    """`set` of a symbol, a field path, a selector or a comma/array of targets."""
    if type(target) is Symbol and not target.colon:
        if target.dot:
            base, *rest = target.name.split(".")
            return c.helper("path_set", c.symbol(sym(base)), ctuple(rest), value)
        found = c.resolve(target.name)
        if found is None:
            c.check_target(target.name, form, "set")
            scope = c.scope
            py = c.bind(scope, target.name)
        else:
            scope, py = found
        return c.store(scope, py, value)
    if type(target) is Pair and type(target.head) is Symbol:
        head, parts = target.head.name, list(target)[1:]
        if head == "arrayidx" and len(parts) == 2:
            obj, sel = c.exprs(parts)
            return c.helper("arrayidx_set", obj, _selector(c, sel, parts[1]), value)
        if head == "hashidx" and len(parts) == 2:
            obj = c.expr(parts[0])
            field_ = parts[1]
            name = field_.name.lstrip(".") if type(field_) is Symbol else to_str(field_)
            return c.helper("path_set", obj, ctuple(name.split(".")), value)
        if head == "comma":
            return _multi_assign(c, form, parts, value)
        if head == "quote" and type(target.tail) is Pair:
            return assign_to(c, form, target.tail.head, value)
    if isinstance(target, list):
        return _multi_assign(c, form, list(target), value)
    raise c.fail(f"set: cannot assign to {to_str(target)}", form)


def _selector(c: Compiler, compiled: ast.expr, sel_form: Any) -> ast.expr:
    return compiled


def _multi_assign(c: Compiler, form: Pair, targets: list[Any], value: ast.expr) -> ast.expr:
    t = c.tmp()
    c.emit(ast.Assign([ast.Name(t, ast.Store())],
                      c.helper("unpack", value, ast.Constant(len(targets)))))
    for k, target in enumerate(targets):
        item = ast.Subscript(c.load(t), ast.Constant(k), ast.Load())
        c.emit(ast.Expr(assign_to(c, form, target, item)))
    return c.load(t)


def rule_set(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 2:
        raise c.fail("Wrong number of arguments to set", form)
    target = args[0]
    if type(target) is Pair and type(target.head) is Symbol and target.head.name == "comma":
        rhs = args[1]
        if type(rhs) is Pair and rhs.head is sym("comma"):
            rhs = ArrayForm(list(rhs)[1:])
        return assign_to(c, form, target, c.expr(rhs))
    if type(target) is Pair and type(target.head) is Symbol and target.head.name in (
        "arrayidx", "hashidx"
    ):
        obj_parts = list(target)[1:]
        if len(obj_parts) == 2:
            value_first = c.expr(args[1])
            t = c.tmp()
            c.emit(ast.Assign([ast.Name(t, ast.Store())], value_first))
            return assign_to(c, form, target, c.load(t))
    grown = _append_into(c, target, args[1])
    if grown is not None:
        value, stored = grown
        return value if stored else assign_to(c, form, target, value)
    return assign_to(c, form, target, c.expr(args[1]))


def _append_into(c: Compiler, target: Any, value: Any) -> tuple[ast.expr, bool] | None:
    """`(set x (append x v))` grows x's array in place when nothing else holds it:
    (the value of the `set`, whether x is already stored) or None for other forms."""
    if not (_plain_symbol(target) and type(value) is Pair and value.head is sym("append")
            and c.is_builtin_ref("append")):
        return None
    args = list(value)[1:]
    if len(args) != 2 or not _is_name(args[0], target.name):
        return None
    found = c.resolve(target.name)
    arr, item = c.exprs(args)
    grow = c.helper("append_into", arr, item, c.load(mangle("append")))
    if found is None or not runtime.UNIQUE_REFS_INLINE or not (
        isinstance(arr, ast.Name) and arr.id == found[1]
    ):
        return grow, False
    # inline when `x` alone holds its array: `x.append(v)` (the item is computed first,
    # after reading `x` as the call would)
    scope, py = found
    if not _simple(c, item):
        c.emit(ast.Expr(c.load(py)))
        t = c.tmp()
        c.emit(ast.Assign([ast.Name(t, ast.Store())], item))
        item = c.load(t)
        grow = c.helper("append_into", c.load(py), item, c.load(mangle("append")))
    unique = ast.BoolOp(ast.And(), [
        _type_is(c, c.load(py), "_h_list"),
        ast.Compare(ast.Call(c.load("_h_refcount"), [c.load(py)], []), [ast.Eq()],
                    [ast.Constant(runtime.UNIQUE_REFS_INLINE)]),
        ast.BinOp(ast.Call(c.load("_h_len"), [c.load(py)], []), ast.BitAnd(),
                  ast.Constant(runtime.ALLOC_CHECK_MASK))])
    call = ast.Call(ast.Attribute(c.load(py), "append", ast.Load()), [item], [])
    c.emit(ast.If(unique, [ast.Expr(call)], [ast.Expr(c.store(scope, py, grow))]))
    return c.load(py), True


def assignment_list(c: Compiler, form: Pair, items: list[Any]) -> ast.expr:
    """`(x := 1)`, `(a b = 1 2)`: each pair is a `def`."""
    k = next(i for i, a in enumerate(items)
             if type(a) is Symbol and a.name in ("=", ":=") and not a.colon)
    lhs, rhs = items[:k], items[k + 1 :]
    if not rhs:
        raise c.fail("bad assignment syntax: no right-hand-side", form)
    if len(lhs) != len(rhs):
        raise c.fail(f"assignment imbalance: left-hand-side had {len(lhs)}, while "
                     f"right-hand-side had {len(rhs)}; in expression '{to_str(form)}'", form)
    out: ast.expr = ast.Constant(None)
    for target, value in zip(lhs, rhs, strict=True):
        if type(target) is not Symbol:
            raise c.fail("assignment error: left-hand-side element needs to be a symbol", form)
        c.check_target(target.name, form, "=")
        out = define(c, target.name, value)
        if len(lhs) > 1:
            c.emit(ast.Expr(out))
    return out


def rule_mdef(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) < 2:
        raise c.fail("mdef needs names and a list", form)
    names = args[:-1]
    value = c.expr(args[-1])
    t = c.tmp()
    c.emit(ast.Assign([ast.Name(t, ast.Store())],
                      c.helper("mdef_items", value, ast.Constant(len(names)))))
    for k, target in enumerate(names):
        name = _name_of(c, form, target, "mdef")
        c.check_target(name, form, "mdef")
        py = c.bind(c.scope, name)
        item = ast.Subscript(c.load(t), ast.Constant(k), ast.Load())
        c.emit(ast.Expr(c.store(c.scope, py, item)))
    return ast.Subscript(c.load(t), ast.Constant(len(names)), ast.Load())


def rule_begin(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    return c.seq(args)


def tail_begin(c: Compiler, form: Pair, args: list[Any]) -> None:
    c.tail_seq(args)


def rule_new_scope(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    with c.new_scope():
        return c.seq(args)


def tail_new_scope(c: Compiler, form: Pair, args: list[Any]) -> None:
    with c.new_scope():
        c.tail_seq(args)


def _let_bindings(c: Compiler, form: Pair, args: list[Any], sequential: bool) -> list[Any]:
    if len(args) < 2:
        raise c.fail("malformed let statement", form)
    if not isinstance(args[0], list):
        raise c.fail("let bindings must be in array", form)
    pairs = list(args[0])
    if len(pairs) % 2:
        raise c.fail("uneven let binding list", form)
    names = pairs[0::2]
    for n in names:
        if type(n) is not Symbol or n.colon or n.dot:
            raise c.fail("cannot bind to non-symbol", form)
    # Upstream generates the values inside the new scope: a closure made there sees every
    # name of the let once bound (a recursive `fn`), other values see the names bound so
    # far (letseq) or none (let), the outer ones otherwise.
    scope = c.scope
    pys: dict[str, str] = {}
    for n in names:
        pys.setdefault(n.name, f"{mangle(n.name)}_{c.fresh('')}")
    bound = dict(scope.names)
    temps: list[ast.expr] = []
    for n, v in zip(names, pairs[1::2], strict=True):
        scope.names = {**bound, **pys} if _is_fn_form(v) else dict(bound)
        try:
            value = c.expr(v)
        finally:
            scope.names = bound
        if sequential:
            bound[n.name] = pys[n.name]
            c.emit(ast.Expr(c.store(scope, pys[n.name], value)))
        elif isinstance(value, ast.Constant):
            temps.append(value)
        else:
            t = c.tmp()
            c.emit(ast.Assign([ast.Name(t, ast.Store())], value))
            temps.append(c.load(t))
    for n, value in zip(names if not sequential else [], temps, strict=True):
        bound[n.name] = pys[n.name]
        c.emit(ast.Expr(c.store(scope, pys[n.name], value)))
    return args[1:]


def _is_fn_form(form: Any) -> bool:
    return type(form) is Pair and form.head is sym("fn")


def _let_rule(sequential: bool) -> tuple[Rule, TailRule]:
    def rule(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
        with c.new_scope():
            body = _let_bindings(c, form, args, sequential)
            return c.seq(body)

    def tail(c: Compiler, form: Pair, args: list[Any]) -> None:
        with c.new_scope():
            body = _let_bindings(c, form, args, sequential)
            c.tail_seq(body)

    return rule, tail


rule_let, tail_let = _let_rule(False)
rule_letseq, tail_letseq = _let_rule(True)


def rule_quote(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 1:
        raise c.fail("quote takes one argument", form)
    return quoted(c, args[0])


def quoted(c: Compiler, value: Any) -> ast.expr:
    value = plain_data(value)
    if _has_array(value):
        return c.helper("data", c.const(value))
    return c.const(value)


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


def _has_array(v: Any) -> bool:
    if isinstance(v, list):
        return True
    if type(v) is Pair:
        return any(_has_array(x) for x in v)
    return False


def rule_syntax_quote(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 1:
        raise c.fail("syntaxQuote takes one argument", form)
    return syntax_quote(c, args[0], form)


S_UNQUOTE = sym("unquote")
S_SPLICE = sym("unquote-splicing")


def _unquoted(x: Any, which: Symbol) -> Any:
    if type(x) is Pair and x.head is which and type(x.tail) is Pair:
        return x.tail.head
    return _NO


_NO = object()


def syntax_quote(c: Compiler, x: Any, form: Pair) -> ast.expr:
    inner = _unquoted(x, S_UNQUOTE)
    if inner is not _NO:
        return c.expr(inner)
    if type(x) is Pair or isinstance(x, list):
        items = list(x)
        tail: Any = None
        if type(x) is Pair:
            p: Any = x
            while type(p) is Pair:
                p = p.tail
            tail = p
        parts: list[Any] = []
        splices: list[bool] = []
        for item in items:
            spliced = _unquoted(item, S_SPLICE)
            parts.append(spliced if spliced is not _NO else _SQ(item))
            splices.append(spliced is not _NO)
        compiled = [syntax_quote(c, p.form, form) if type(p) is _SQ else c.expr(p)
                    for p in parts]
        return c.helper("sq_build", ast.List(compiled, ast.Load()),
                        ctuple(splices), quoted(c, tail),
                        ast.Constant(isinstance(x, list)))
    return quoted(c, x)


class _SQ:
    __slots__ = ("form",)

    def __init__(self, form: Any) -> None:
        self.form = form


def _cond_parts(c: Compiler, form: Pair, args: list[Any]) -> tuple[list[Any], Any]:
    if len(args) % 2 == 0:
        raise c.fail("missing default case", form)
    return args[:-1], args[-1]


def rule_cond(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    pairs, default = _cond_parts(c, form, args)
    if not pairs:
        return c.expr(default)
    tests: list[tuple[ast.expr, list[ast.stmt]]] = []
    branches: list[tuple[ast.expr, list[ast.stmt]]] = []
    first_test = c.test(pairs[0])
    for k in range(0, len(pairs), 2):
        if k:
            with c.buffer() as buf:
                t = c.test(pairs[k])
            tests.append((t, buf))
        with c.buffer() as buf:
            e = c.expr(pairs[k + 1])
        branches.append((e, buf))
    with c.buffer() as dbuf:
        d = c.expr(default)
    if not dbuf and all(not b for _, b in tests) and all(not b for _, b in branches):
        out: ast.expr = d
        all_tests = [first_test] + [t for t, _ in tests]
        for (e, _), t in zip(reversed(branches), reversed(all_tests), strict=True):
            out = ast.IfExp(t, e, out)
        return out
    r = c.tmp()

    def assign(e: ast.expr, buf: list[ast.stmt]) -> list[ast.stmt]:
        return [*buf, ast.Assign([ast.Name(r, ast.Store())], e)]

    chain: list[ast.stmt] = assign(d, dbuf)
    all_tests2: list[tuple[ast.expr, list[ast.stmt]]] = [(first_test, []), *tests]
    for (e, buf), (t, tbuf) in zip(reversed(branches), reversed(all_tests2), strict=True):
        chain = [*tbuf, ast.If(t, assign(e, buf), chain)]
    c.body.extend(chain)
    return c.load(r)


def tail_cond(c: Compiler, form: Pair, args: list[Any]) -> None:
    pairs, default = _cond_parts(c, form, args)
    if not pairs:
        c.tail(default)
        return
    first = c.test(pairs[0])
    facts = _test_facts(c, pairs[0])

    def then() -> list[ast.stmt]:
        with c.buffer() as buf:
            c.tail(pairs[1])
        return buf

    def others() -> tuple[list[tuple[ast.expr, list[ast.stmt]]], list[list[ast.stmt]],
                          list[ast.stmt]]:
        tests_bufs: list[tuple[ast.expr, list[ast.stmt]]] = []
        branches: list[list[ast.stmt]] = []
        for k in range(2, len(pairs), 2):
            with c.buffer() as buf:
                t = c.test(pairs[k])
            tests_bufs.append((t, buf))
            with c.buffer() as buf:
                c.tail(pairs[k + 1])
            branches.append(buf)
        with c.buffer() as dbuf:
            c.tail(default)
        return tests_bufs, branches, dbuf

    first_branch = _narrowed(c, facts, 0, then)
    tests_bufs, branches, dbuf = _narrowed(c, facts, 1, others)
    chain: list[ast.stmt] = dbuf
    all_tests: list[tuple[ast.expr, list[ast.stmt]]] = [(first, []), *tests_bufs]
    for buf, (t, tbuf) in zip(reversed([first_branch, *branches]), reversed(all_tests),
                              strict=True):
        chain = [*tbuf, ast.If(t, buf, chain)]
    c.body.extend(chain)


Facts = tuple[str, Range, Range]  # a guarded name's range where a test holds / fails
_FLIPPED = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}


def _test_facts(c: Compiler, test: Any) -> Facts | None:
    """What `(< x K)` (or `>`, `<=`, `>=`, either way round) tells of a proven int x."""
    if type(test) is not Pair or type(test.head) is not Symbol:
        return None
    op, *args = list(test)
    if op.name not in _FLIPPED or len(args) != 2 or not c.is_builtin_ref(op.name):
        return None
    name, k, cmp = args[0], args[1], op.name
    if type(name) is int and not isinstance(name, bool):
        name, k, cmp = k, name, _FLIPPED[cmp]
    if not _plain_symbol(name) or type(k) is not int or isinstance(k, bool):
        return None
    found = c.resolve(name.name)
    if found is None or found[1] not in c.int_bounds:
        return None
    py = found[1]
    lo, hi = c.int_bounds[py]
    below, above = (k - 1, k) if cmp in ("<", ">=") else (k, k + 1)
    low_part, high_part = (lo, min(hi, below)), (max(lo, above), hi)
    if cmp in ("<", "<="):
        return py, low_part, high_part
    return py, high_part, low_part


def _narrowed(c: Compiler, facts: Facts | None, which: int, compile_: Callable[[], Any]) -> Any:
    """Compile knowing the range facts give for branch `which` (0: the test held). If the
    code stores the name, the knowledge may be stale: compile it again without."""
    if facts is None:
        return compile_()
    py, rng = facts[0], facts[2] if which else facts[1]
    if rng[0] > rng[1]:
        return compile_()
    scope = c.scope
    names, defined = dict(scope.names), set(scope.defined)
    stores = c.store_counts.get(py, 0)
    outer = c.int_bounds.get(py)
    c.int_bounds[py] = rng
    try:
        out = compile_()
    finally:
        if outer is None:
            c.int_bounds.pop(py, None)
        else:
            c.int_bounds[py] = outer
    if c.store_counts.get(py, 0) == stores:
        return out
    scope.names.clear()
    scope.names.update(names)
    scope.defined.clear()
    scope.defined.update(defined)
    return compile_()


def _andor(is_and: bool) -> Rule:
    def rule(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
        if not args:
            return ast.Constant(is_and)
        first = c.expr(args[0])
        rest: list[tuple[ast.expr, list[ast.stmt]]] = []
        for a in args[1:]:
            with c.buffer() as buf:
                e = c.expr(a)
            rest.append((e, buf))
        if all(not b for _, b in rest):
            exprs = [first] + [e for e, _ in rest]
            out = exprs[-1]
            for e, a in reversed(list(zip(exprs[:-1], args, strict=False))):
                t = c.tmp()
                test: ast.expr = ast.NamedExpr(ast.Name(t, ast.Store()), e)
                if not returns_bool(c, a):
                    test = c.helper("truthy", test)
                out = ast.IfExp(test, out, c.load(t)) if is_and else \
                    ast.IfExp(test, c.load(t), out)
            return out
        r = c.tmp()
        chain: list[ast.stmt] = []
        exprs_bufs: list[tuple[ast.expr, list[ast.stmt]]] = [(first, []), *rest]
        last_e, last_buf = exprs_bufs[-1]
        chain = [*last_buf, ast.Assign([ast.Name(r, ast.Store())], last_e)]
        for e, buf in reversed(exprs_bufs[:-1]):
            test = c.helper("truthy", c.load(r))
            inner = chain
            chain = [*buf, ast.Assign([ast.Name(r, ast.Store())], e),
                     ast.If(test, inner, []) if is_and else
                     ast.If(test, [ast.Pass()], inner)]
        c.body.extend(chain)
        return c.load(r)

    return rule


rule_and = _andor(True)
rule_or = _andor(False)


# ---------------------------------------------------------------- loops

def _label_name(c: Compiler, form: Pair, x: Any) -> str | None:
    if type(x) is Symbol:
        return x.name
    if type(x) is Pair and x.head is sym("quote") and type(x.tail) is Pair and type(
        x.tail.head
    ) is Symbol:
        return str(x.tail.head.name)
    return None


BAD_LOOP = "for loop: first argument must be a label or a vector of [init predicate advance]"


def rule_for(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if not args:
        raise c.fail("malformed for loop", form)
    label = None
    if not isinstance(args[0], list):
        label = _label_name(c, form, args[0])
        if label is None:
            raise c.fail(BAD_LOOP, form)
        args = args[1:]
        if not args:
            raise c.fail("for loop: missing control vector after label", form)
        if not isinstance(args[0], list):
            raise c.fail("for loop: 2nd argument after the label must be a vector of "
                         "[init predicate advance]", form)
    if len(args[0]) != 3:
        raise c.fail("for loop: control vector argument wrong size; must be a vector of "
                     "three [init test advance]", form)
    init, test, step = list(args[0])
    body_forms = args[1:]
    with c.new_scope():
        e = c.expr(init)
        c.discard(e)
        fast = _fast_loop(c, label, init, test, step, body_forms) if c.versioning else None
        versioning = c.versioning
        c.versioning = versioning and fast is None  # the generic copy stays single
        try:
            with c.fresh_copy():
                _generic_loop(c, label, test, step, body_forms)
                slow = c.body
        finally:
            c.versioning = versioning
        if fast is None:
            c.body.extend(slow)
        else:
            guard, code = fast
            c.body.extend(guard)
            c.emit(ast.If(c.load(LOOP_OK), code, slow))
    return ast.Constant(None)


LOOP_OK = "_h_ok"  # the loop guard's verdict (one variable: it is used right away)


def _generic_loop(c: Compiler, label: str | None, test: Any, step: Any,
                  body_forms: list[Any]) -> None:
    """`init; loop { if !test break; body; step }` (the init is already emitted)."""
    loop = LoopCtx(label)
    with c.buffer() as tbuf:
        t = c.test(test) if test is not True else ast.Constant(True)
    with c.buffer() as sbuf:
        s = c.expr(step)
        c.discard(s)
    body = _compile_loop_body(c, loop, body_forms)
    check: list[ast.stmt] = [*tbuf]
    if not (isinstance(t, ast.Constant) and t.value is True):
        check.append(ast.If(ast.UnaryOp(ast.Not(), t), [ast.Break()], []))
    if sbuf and loop.continued:
        flag = c.tmp()
        c.emit(ast.Assign([ast.Name(flag, ast.Store())], ast.Constant(False)))
        step_part: list[ast.stmt] = [ast.If(
            c.load(flag), sbuf, [ast.Assign([ast.Name(flag, ast.Store())],
                                            ast.Constant(True))])]
        c.emit(ast.While(ast.Constant(True), step_part + check + body, []))
    else:
        c.emit(ast.While(ast.Constant(True), check + body + sbuf, []))


def _compile_loop_body(c: Compiler, loop: LoopCtx, body_forms: list[Any]) -> list[ast.stmt]:
    c.fn.loops.append(loop)
    try:
        with c.buffer() as body:
            b = c.seq(body_forms)
            c.discard(b)
    finally:
        c.fn.loops.pop()
    return _loop_body(c, loop, body)


@dataclass(slots=True)
class RangePlan:
    """`(for [(def i A) (< i B) (set i (+ i 1))] ...)` as `for i in range(i, B)`."""

    var: str  # Python name of i
    name: str
    stop: ast.expr  # B: a literal or a name nothing stores while the loop runs
    stop_py: str | None
    inclusive: bool  # `<=`
    low: int  # what is known of i's first value


def _fast_loop(c: Compiler, label: str | None, init: Any, test: Any, step: Any,
               body_forms: list[Any]) -> tuple[list[ast.stmt], list[ast.stmt]] | None:
    """The loop compiled for ints (as a `range` loop when it counts up by one), with the
    statements that decide at run time whether it applies; None when nothing is gained."""
    candidates = _loop_candidates(c, [test, step, *body_forms])
    plan = _range_plan(c, init, test, step)
    if plan is not None:
        assumed = dict(candidates)
        high = INT_MAX - 1
        if isinstance(plan.stop, ast.Constant) and type(plan.stop.value) is int:
            high = int(plan.stop.value) - (0 if plan.inclusive else 1)
        assumed[plan.var] = (plan.name, plan.low, high)
        frozen = {plan.var}
        if plan.stop_py is not None:
            assumed[plan.stop_py] = ("\0stop", INT_MIN, INT_MAX)
            frozen.add(plan.stop_py)
        fast = c.fast_version(assumed, lambda: _range_loop_code(c, label, plan, body_forms),
                              frozenset(frozen))
        if fast is not None:
            extra: list[ast.expr] = []
            if plan.inclusive and plan.stop_py is not None:
                extra.append(ast.Compare(plan.stop, [ast.Lt()], [ast.Constant(INT_MAX)]))
            return _loop_guard(c, fast[0], extra), fast[1]
    if not candidates:
        return None
    fast = c.fast_version(candidates, lambda: _generic_loop(c, label, test, step, body_forms))
    if fast is None:
        return None
    return _loop_guard(c, fast[0], []), fast[1]


def _loop_guard(c: Compiler, names: list[str], extra: list[ast.expr]) -> list[ast.stmt]:
    """`_h_ok = every name holds an int` (False, not a NameError, when one is unbound:
    the generic loop then fails where the script does)."""
    checks = [_is_int(c, c.load(py)) for py in names]
    test = _all(checks)
    if extra:
        test = ast.BoolOp(ast.And(), [test, *extra])
    ok = ast.Name(LOOP_OK, ast.Store())
    return [ast.Try([ast.Assign([ok], test)],
                    [ast.ExceptHandler(c.load("_h_NameError"), None,
                                       [ast.Assign([ast.Name(LOOP_OK, ast.Store())],
                                                   ast.Constant(False))])], [], [])]


def _range_loop_code(c: Compiler, label: str | None, plan: RangePlan,
                     body_forms: list[Any]) -> None:
    body = _compile_loop_body(c, LoopCtx(label), body_forms)
    stop = plan.stop
    end = ast.BinOp(stop, ast.Add(), ast.Constant(1)) if plan.inclusive else stop
    # a finished loop leaves i one step past the last value, as the step would
    last = ast.If(ast.Compare(c.load(plan.var), [ast.LtE() if plan.inclusive else ast.Lt()],
                              [stop]),
                  [ast.Assign([ast.Name(plan.var, ast.Store())], end)], [])
    c.emit(ast.For(ast.Name(plan.var, ast.Store()),
                   ast.Call(c.load("_h_range"), [c.load(plan.var), end], []), body, [last]))


def _plain_symbol(x: Any) -> bool:
    return type(x) is Symbol and not x.colon and not x.dot and x.name not in RESERVED


def _local_int_name(c: Compiler, name: str) -> str | None:
    """The Python name of `name` when only this function's own code can store it."""
    found = c.resolve(name)
    if found is None:
        return None
    scope, py = found
    if scope.fn is not c.fn or c.is_python_global(scope) or py in c.escaped:
        return None
    return py


def _loop_candidates(c: Compiler, forms: list[Any]) -> dict[str, tuple[str, int, int]]:
    """Names read as direct operands of inlined operators in `forms` that are visible
    now and stored by this function only: guarded ints for the loop's int copy."""
    out: dict[str, tuple[str, int, int]] = {}
    stack: list[tuple[Any, int]] = [(f, 0) for f in forms]
    while stack:
        form, depth = stack.pop()
        if depth > 100 or not (type(form) is Pair or isinstance(form, list)):
            continue
        items = list(form)
        if type(form) is Pair and items and type(items[0]) is Symbol:
            head = items[0].name
            if head == "quote":
                continue
            if head in INT_OPS and c.is_builtin_ref(head):
                for a in items[1:]:
                    if _plain_symbol(a) and a.name not in out:
                        py = _local_int_name(c, a.name)
                        if py is not None and py not in c.int_bounds:
                            out[py] = (a.name, INT_MIN, INT_MAX)
        stack.extend((x, depth + 1) for x in items)
    return out


def _range_plan(c: Compiler, init: Any, test: Any, step: Any) -> RangePlan | None:
    if not (type(init) is Pair and type(test) is Pair and type(step) is Pair):
        return None
    head, *iargs = list(init)
    if head not in (sym("def"), sym("set")) or len(iargs) != 2 or not _plain_symbol(iargs[0]):
        return None
    name = iargs[0].name
    op, *targs = list(test)
    if not (type(op) is Symbol and op.name in ("<", "<=") and c.is_builtin_ref(op.name)
            and len(targs) == 2 and _is_name(targs[0], name) and _counts_up(c, step, name)):
        return None
    py = _local_int_name(c, name)
    if py is None:
        return None
    bound = targs[1]
    low = iargs[1] if type(iargs[1]) is int else INT_MIN
    if type(bound) is int:
        if bound >= INT_MAX and op.name == "<=":
            return None
        return RangePlan(py, name, ast.Constant(bound), None, op.name == "<=", low)
    if not _plain_symbol(bound) or bound.name == name:
        return None
    stop_py = _local_int_name(c, bound.name)
    if stop_py is None:
        return None
    return RangePlan(py, name, c.load(stop_py), stop_py, op.name == "<=", low)


def _is_name(x: Any, name: str) -> bool:
    return _plain_symbol(x) and bool(x.name == name)


def _is_one(x: Any) -> bool:
    return type(x) is int and x == 1


def _counts_up(c: Compiler, step: Pair, name: str) -> bool:
    """`(set i (+ i 1))`, `(set i (+ 1 i))`, `(++ i)` or `(+= i 1)`."""
    head, *rest = list(step)
    if type(head) is not Symbol or not rest or not _is_name(rest[0], name):
        return False
    if not c.is_builtin_ref("+"):  # `++` and `+=` expand to a call of whatever `+` is
        return False
    if head.name == "++" and c.resolve("++") is None:
        return len(rest) == 1
    if head.name == "+=" and c.resolve("+=") is None:
        return len(rest) == 2 and _is_one(rest[1])
    if head.name != "set" or len(rest) != 2:
        return False
    value = rest[1]
    if type(value) is not Pair or value.head is not sym("+"):
        return False
    operands = list(value)[1:]
    return len(operands) == 2 and (_is_name(operands[0], name) and _is_one(operands[1])
                                   or _is_one(operands[0]) and _is_name(operands[1], name))


def _loop_body(c: Compiler, loop: LoopCtx, body: list[ast.stmt]) -> list[ast.stmt]:
    if not loop.targeted:
        return body or [ast.Pass()]
    e = c.fresh("_e")
    handler_body: list[ast.stmt] = [
        ast.If(ast.Compare(ast.Attribute(c.load(e), "label", ast.Load()), [ast.NotEq()],
                           [ast.Constant(loop.label)]), [ast.Raise(None, None)], []),
        ast.If(ast.Attribute(c.load(e), "brk", ast.Load()), [ast.Break()], []),
        ast.Continue(),
    ]
    return [ast.Try(body or [ast.Pass()],
                    [ast.ExceptHandler(c.load("_h_LoopCtl"), e, handler_body)], [], [])]


def _loop_ctl(brk: bool) -> Rule:
    word = "break" if brk else "continue"

    def rule(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
        if len(args) > 1:
            raise c.fail(f"too many arguments to {word}; ({word}) or ({word} label:) is the "
                         "form.", form)
        label = _label_name(c, form, args[0]) if args else None
        if args and label is None:
            raise c.fail(f"bad {word} label", form)
        loops = c.fn.loops
        if not loops:
            raise c.fail(f"({word}) found but not inside a loop.", form)
        if label is None:
            target = loops[-1]
        else:
            found = [lp for lp in loops if lp.label == label]
            if not found:
                raise c.fail(f"({word} {label}:) problem: could not find matching for-loop "
                             f"with label {label}:", form)
            target = found[-1]
        if not brk:
            target.continued = True
        if target is loops[-1]:
            c.emit(ast.Break() if brk else ast.Continue())
        else:
            target.targeted = True
            c.emit(ast.Raise(c.helper("LoopCtl", ast.Constant(target.label),
                                      ast.Constant(brk)), None))
        return ast.Constant(None)

    return rule


def _range_loop(c: Compiler, form: Pair, label: str | None, key: Any, val: Any,
                coll: Any, body_forms: list[Any], define_vars: bool) -> ast.expr:
    source = c.expr(coll)
    with c.new_scope():
        targets: list[ast.expr] = []
        assigns: list[ast.stmt] = []
        for target in (key, val):
            t = c.tmp()
            targets.append(ast.Name(t, ast.Store()))
            if target is None:
                continue
            if type(target) is not Symbol:
                raise c.fail("range: loop variables must be symbols", form)
            if define_vars:
                py = c.bind(c.scope, target.name)
                assigns.append(ast.Expr(c.store(c.scope, py, c.load(t))))
            else:
                assigns.append(ast.Expr(assign_to(c, form, target, c.load(t))))
        loop = LoopCtx(label)
        c.fn.loops.append(loop)
        try:
            with c.buffer() as body:
                b = c.seq(body_forms)
                c.discard(b)
        finally:
            c.fn.loops.pop()
        stmts = _loop_body(c, loop, body)
        c.emit(ast.For(ast.Tuple(targets, ast.Store()), c.helper("range_iter", source),
                       assigns + stmts, []))
    return ast.Constant(None)


def rule_range(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) < 3:
        raise c.fail("range needs a key name, a value name and a collection", form)
    if any(type(x) is Symbol and x.name in _RANGE_NAMES for x in _atoms(args[3:])):
        return c.expr(_range_expansion(form, args))
    return _range_loop(c, form, None, args[0], args[1], args[2], args[3:], True)


_RANGE_NAMES = ("i", "n")  # bound by upstream's range macro around the body


def _range_expansion(form: Pair, args: list[Any]) -> Any:
    """Upstream's range macro (repl.go), expanded as it is: unhygienic, a body that reads
    `i` or `n` sees its loop counter and length (the collection is read on each step)."""
    key, value, coll, *body = args
    i, n, pos = sym("i"), sym("n"), form.pos

    def call(*items: Any) -> Pair:
        return Pair(items[0], make_list(list(items[1:])), pos)

    bind = call(sym("mdef"), call(sym("quote"), key), call(sym("quote"), value),
                call(sym("hpair"), coll, i))
    loop = call(sym("for"), ArrayForm([call(sym("def"), i, 0), call(sym("<"), i, n),
                                       call(sym("def"), i, call(sym("+"), i, 1))]),
                call(sym("begin"), bind, *body))
    return call(sym("let"), ArrayForm([n, call(sym("len"), coll)]), loop)


def rule_range_loop(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    label, define_vars, key, val, coll, *body = args
    name = label.name if type(label) is Symbol else None
    return _range_loop(c, form, name, key, val, coll, body, bool(define_vars))


def rule_return(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if not args:
        return ast.Constant(None)
    if len(args) == 1:
        return c.expr(args[0])
    return ast.List(c.exprs(args), ast.Load())


def rule_assert(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 1:
        raise c.fail("wrong number of arguments", form)
    t = c.test(args[0])
    c.emit(ast.If(ast.UnaryOp(ast.Not(), t), [ast.Raise(
        c.helper("assert_failed", ast.Constant(to_str(args[0]))), None)], []))
    return ast.Constant(None)


def rule_defmac(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) < 3:
        raise c.fail("Wrong number of arguments to defmac", form)
    if not isinstance(args[1], list):
        raise c.fail("defmac arguments must be in vector", form)
    if type(args[0]) is not Symbol:
        raise c.fail("defmac name must be symbol", form)
    name = args[0].name
    if name in c.builtins:
        raise c.fail(f"'{name}' is already a built-in function, cannot define macro with "
                     "same name.", form)
    if name not in c.macros:
        c.check_target(name, form, "defmac")
    fn_form = Pair(sym("fn"), make_list(args[1:]), form.pos)
    sub = Compiler(f"{c.name}#{name}", c.builtins, c.macros, c.resolver, c.imports)
    sub.counter = c.counter + 1_000_000
    program = finish(sub, [fn_form])
    c.macros[name] = run_program(program, {})
    return ast.Constant(None)


def rule_macexpand(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 1:
        raise c.fail("macexpand takes one argument", form)
    target = args[0]
    if type(target) is not Pair or type(target.head) is not Symbol or target.head.colon:
        return quoted(c, target)
    name = target.head.name
    if name in c.macros:
        expanded = c.expand_macro(name, target, list(target)[1:])
    elif name in MACRO_RULES and c.resolve(name) is None:  # startup macros upstream
        expanded = MACRO_RULES[name](c, target, list(target)[1:])
    else:  # not a macro call: the form itself
        return quoted(c, target)
    # GenerateMacexpand: Cons(quote, expansion), so a list's items follow `quote`
    return quoted(c, Pair(sym("quote"), expanded, None))


def rule_infix(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if not args:
        return ast.Constant(None)
    return c.seq(infix.expand(args[0], form.pos))


def tail_infix(c: Compiler, form: Pair, args: list[Any]) -> None:
    if not args:
        c.ret(ast.Constant(None))
        return
    c.tail_seq(infix.expand(args[0], form.pos))


def rule_infix_expand(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 1:
        raise c.fail("infixExpand takes one argument", form)
    block = args[0]
    stmts = infix.expand(infix.block_tokens(block), form.pos) if infix.is_infix_block(
        block) else [block]
    return quoted(c, make_list([sym("quote"), *stmts]))


def rule_expect_error(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 2:
        raise c.fail("wrong number of arguments", form)
    message = c.expr(args[0])
    fn = c.thunk(args[1])
    return c.helper("expect_error", message, fn)


def rule_package(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if not args or type(args[0]) is not str:
        raise c.fail("package needs a name string", form)
    with c.new_scope() as scope:
        last = c.seq(args[1:])
        c.discard(last)
        keys = [ast.Constant(k) for k in scope.names]
        vals: list[ast.expr] = [c.load(v) for v in scope.names.values()]
    return c.helper("package", ast.Constant(args[0]), ast.Dict(list(keys), vals))


def rule_import(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 1 or type(args[0]) is not str:
        raise c.fail("import needs the name of a shared script", form)
    name = args[0]
    if name in c.imports:
        raise c.fail(f"cyclic import: {' -> '.join([*c.imports, name])}", form)
    source = c.resolver(name) if c.resolver is not None else None
    if source is None:
        raise c.fail(f"import: script '{name}' not found", form)
    try:
        forms = reader.read(source)
    except CompileError as exc:
        raise c.fail(f"import '{name}': {exc}", form) from None
    c.imports.append(name)
    try:
        c.predeclare(forms)
        return c.seq(forms)
    finally:
        c.imports.pop()


def rule_defmap(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 1 or type(args[0]) is not Symbol:
        raise c.fail("defmap needs one record name", form)
    name = args[0].name
    c.check_target(name, form, "defmap")
    py = c.bind(c.scope, name)
    c.emit(ast.Expr(c.store(c.scope, py, c.helper("record_ctor", ast.Constant(name)))))
    return ast.Constant(None)


def rule_colon(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) not in (2, 3):
        raise c.fail("wrong number of arguments", form)
    key = args[0]
    key_expr = c.const(sym(key.name) if type(key) is Symbol else key)
    value = _index_value(c, key)
    rest = c.exprs(args[1:])
    if value is None:
        return c.helper("colon_get", key_expr, *rest)
    return c.helper("colon_get_with", value, key_expr, *rest)


def _index_value(c: Compiler, key: Any) -> ast.expr | None:
    """A function evaluating an array index given as a form (`y` in `(:y arr)`, `(f)` in
    `(aget arr %(f))`) in this scope, for a call or a name bound here; other names are
    looked up in the namespace at run time (input variables)."""
    if type(key) is Symbol and not key.colon and not key.dot and c.resolve(key.name):
        return c.thunk(key)
    if type(key) is Pair and key.head is not sym("quote"):
        return c.thunk(key)
    return None


def inline_quoted_index(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
    """`(aget arr %y)` / `(hget arr %(f))`: see `_index_value` and runtime.index_with."""
    if len(args) not in (2, 3):
        return None
    index = args[1]
    if type(index) is not Pair or index.head is not sym("quote") or type(index.tail) is not Pair:
        return None
    value = _index_value(c, index.tail.head)
    if value is None:
        return None
    name = form.head.name
    values = c.exprs([args[0], index, *args[2:]])
    return c.helper("index_with", value, c.load(mangle(name)), ast.Constant(name), *values)


def rule_arrayidx(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 2:
        raise c.fail("arrayidx needs a target and a selector", form)
    sel = args[1]
    if isinstance(sel, list):
        parts = [(c.const(x) if x is sym(":") else None, x) for x in sel]
        exprs = c.exprs([x for k, x in parts if k is None], c.expr(args[0]))
        target, values = exprs[0], iter(exprs[1:])
        sel_list = [k if k is not None else next(values) for k, _ in parts]
        return c.helper("arrayidx", target, ast.List(sel_list, ast.Load()))
    target, selv = c.exprs(args)
    return c.helper("arrayidx", target, selv)


def rule_hashidx(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    if len(args) != 2:
        raise c.fail("hashidx needs a target and a field", form)
    return c.helper("hashidx", c.expr(args[0]), c.const(args[1]))


def rule_comma(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    return ast.List(c.exprs(args), ast.Load())


def rule_unquote(c: Compiler, form: Pair, args: list[Any]) -> ast.expr:
    raise c.fail("unquote outside of a syntax quote", form)


# ---------------------------------------------------------------- startup macros

def macro_incr(op: str, with_arg: bool) -> MacroRule:
    def rule(c: Compiler, form: Pair, args: list[Any]) -> Any:
        if len(args) != (2 if with_arg else 1):
            raise c.fail("wrong number of arguments", form)
        amount = args[1] if with_arg else 1
        return Pair(sym("set"), make_list([args[0], make_list([sym(op), args[0], amount])]),
                    form.pos)

    return rule


MACRO_RULES: dict[str, MacroRule] = {
    "++": macro_incr("+", False),
    "--": macro_incr("-", False),
    "+=": macro_incr("+", True),
    "-=": macro_incr("-", True),
}


# ---------------------------------------------------------------- inline operators
#
# An operator on ints is computed in place; anything else calls the generic helper. An
# operand is "proven" when its int range is known at compile time (literals, guarded
# names, results of proven operations): it needs no type check, and a result whose range
# stays inside int64 needs no wrap check. Otherwise `type(x) is int` is checked at run
# time and the result is compared with the int64 bounds that it may cross.

_ARITH_OPS: dict[str, type[ast.operator]] = {"+": ast.Add, "-": ast.Sub, "*": ast.Mult}
_CMP_OPS: dict[str, type[ast.cmpop]] = {"<": ast.Lt, ">": ast.Gt, "<=": ast.LtE,
                                        ">=": ast.GtE, "==": ast.Eq, "!=": ast.NotEq}
_HELPER_OF = {"+": "add", "-": "sub", "*": "mul", "<": "lt", ">": "gt", "<=": "le",
              ">=": "ge", "==": "eq", "!=": "ne"}
_INT64 = (INT_MIN, INT_MAX)


@dataclass(slots=True)
class Operands:
    uses: list[ast.expr]  # how each operand is read (a name, a literal or a temp)
    checks: list[ast.expr]  # run-time type checks for the unproven ones
    ranges: list[Range]  # each operand's range when the checks pass


def _operands(c: Compiler, args: list[Any]) -> Operands:
    """Proven operands are used as they are (they are pure and cannot fail, so where they
    are evaluated does not matter); a name is checked in place, any other expression is
    evaluated once into a temporary by its check."""
    exprs = c.exprs(args)
    out = Operands([], [], [])
    for e in exprs:
        known = c.bounds(e)
        if known is not None:
            out.uses.append(e)
            out.ranges.append(known)
            continue
        if isinstance(e, ast.Name):
            out.uses.append(e)
            out.checks.append(_is_int(c, e))
        else:
            t = c.tmp()
            out.uses.append(c.load(t))
            out.checks.append(_is_int(c, ast.NamedExpr(ast.Name(t, ast.Store()), e)))
        out.ranges.append(_INT64)
    return out


def _is_int(c: Compiler, e: ast.expr) -> ast.expr:
    return ast.Compare(ast.Call(c.load("_h_type"), [e], []), [ast.Is()], [c.load("_h_int")])


def _all(checks: list[ast.expr]) -> ast.expr:
    """`type(a) is type(b) is int` for checks of that shape, else an `and` chain."""
    if all(isinstance(k, ast.Compare) and len(k.ops) == 1 for k in checks):
        lefts = [k.left for k in checks if isinstance(k, ast.Compare)]
        int_name = checks[0].comparators[0] if isinstance(checks[0], ast.Compare) else None
        assert int_name is not None
        if len(lefts) == 1:
            return checks[0]
        return ast.Compare(lefts[0], [ast.Is()] * len(lefts), [*lefts[1:], int_name])
    return ast.BoolOp(ast.And(), checks)


def _range_of(op: str, a: Range, b: Range) -> Range:
    if op == "+":
        return a[0] + b[0], a[1] + b[1]
    if op == "-":
        return a[0] - b[1], a[1] - b[0]
    corners = [x * y for x in a for y in b]
    return min(corners), max(corners)


def wrapped(c: Compiler, value: ast.expr, rng: Range) -> ast.expr:
    """`value` (an int in `rng`) brought back into int64, checking only the crossed sides."""
    low, high = rng[0] < INT_MIN, rng[1] > INT_MAX
    if not (low or high):
        return c.proven(value, *rng)
    t = c.tmp()
    ops: list[ast.cmpop] = []
    comparators: list[ast.expr] = []
    left: ast.expr = ast.NamedExpr(ast.Name(t, ast.Store()), value)
    if low:
        ops.append(ast.LtE())
        comparators.append(left)
        left = ast.Constant(INT_MIN)
    if high:
        ops.append(ast.LtE())
        comparators.append(ast.Constant(INT_MAX))
    out = ast.IfExp(ast.Compare(left, ops, comparators), c.load(t),
                    c.helper("wrap", c.load(t)))
    return c.proven(out, max(rng[0], INT_MIN), min(rng[1], INT_MAX))


def inline_arith(op: str) -> Callable[[Compiler, Pair, list[Any]], ast.expr | None]:
    def rule(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
        if len(args) != 2:
            return None
        o = _operands(c, args)
        rng = _range_of(op, o.ranges[0], o.ranges[1])
        fast = wrapped(c, ast.BinOp(o.uses[0], _ARITH_OPS[op](), o.uses[1]), rng)
        if not o.checks:
            return fast
        return ast.IfExp(_all(o.checks), fast, c.helper(_HELPER_OF[op], *o.uses))

    return rule


def inline_mod(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
    """`(mod a k)` for a literal k > 0: Go's `%` (the sign follows the dividend)."""
    if len(args) != 2 or type(args[1]) is not int or args[1] <= 0:
        return None
    k = args[1]
    o = _operands(c, args)
    a = o.uses[0]
    if o.ranges[0][0] >= 0:
        fast: ast.expr = c.proven(ast.BinOp(a, ast.Mod(), ast.Constant(k)), 0, k - 1)
    else:
        first: ast.expr = a
        if not isinstance(a, ast.Name | ast.Constant):
            t = c.tmp()
            first, a = ast.NamedExpr(ast.Name(t, ast.Store()), a), c.load(t)
        negated = ast.UnaryOp(ast.USub(), ast.BinOp(ast.UnaryOp(ast.USub(), a), ast.Mod(),
                                                    ast.Constant(k)))
        fast = c.proven(ast.IfExp(ast.Compare(first, [ast.GtE()], [ast.Constant(0)]),
                                  ast.BinOp(a, ast.Mod(), ast.Constant(k)), negated),
                        1 - k, k - 1)
    if not o.checks:
        return fast
    return ast.IfExp(_all(o.checks), fast,
                     ast.Call(c.load(mangle("mod")), [a, ast.Constant(k)], []))


def inline_compare(op: str) -> Callable[[Compiler, Pair, list[Any]], ast.expr | None]:
    def rule(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
        if len(args) != 2:
            return None
        o = _operands(c, args)
        fast = ast.Compare(o.uses[0], [_CMP_OPS[op]()], [o.uses[1]])
        if not o.checks:
            return fast
        return ast.IfExp(_all(o.checks), fast, c.helper(_HELPER_OF[op], *o.uses))

    return rule


def inline_not(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
    if len(args) != 1:
        return None
    return ast.UnaryOp(ast.Not(), c.test(args[0]))


# ---------------------------------------------------------------- inline builtins
#
# The common case of a few builtins computed in place; any other case (wrong types, out
# of range, odd argument counts) calls the builtin itself, which reports the error.

SHORT_STRING = 1 << 16  # longer results of an in-place concat are checked against the budget


def _simple(c: Compiler, e: ast.expr) -> bool:
    return isinstance(e, ast.Name | ast.Constant)


def _hold(c: Compiler, e: ast.expr) -> tuple[ast.expr, ast.expr]:
    """(first use, later uses) of a value: names and constants as they are, others
    through a walrus temp (the first use must be evaluated before the others)."""
    if _simple(c, e):
        return e, e
    t = c.tmp()
    known = c.bounds(e)
    if known is not None:
        c.int_bounds[t] = known
    return ast.NamedExpr(ast.Name(t, ast.Store()), e), c.load(t)


def _type_is(c: Compiler, e: ast.expr, klass: str) -> ast.expr:
    return ast.Compare(ast.Call(c.load("_h_type"), [e], []), [ast.Is()], [c.load(klass)])


def _builtin_call(c: Compiler, name: str, args: list[ast.expr]) -> ast.expr:
    return ast.Call(c.load(mangle(name)), args, [])


def _array_index(c: Compiler, args: list[Any]) -> tuple[ast.expr, ast.expr, ast.expr]:
    """(check that arr[i] is in range, arr, i) for `(aget arr i)` / `(aset arr i v)`;
    both operands are evaluated by the check, whatever its outcome."""
    arr, idx = c.exprs(args[:2])
    arr_first, arr_use = _hold(c, arr)
    idx_first, idx_use = _hold(c, idx)
    types = _type_is(c, arr_first, "_h_list")
    if c.bounds(idx) is None:
        int_check = _type_is(c, idx_first, "_h_int")
        types = ast.BinOp(types, ast.BitAnd(), int_check) if idx_first is not idx_use \
            else ast.BoolOp(ast.And(), [types, int_check])
    elif idx_first is not idx_use:  # a proven int: evaluated for the temp, never None
        types = ast.BinOp(types, ast.BitAnd(), ast.Compare(idx_first, [ast.IsNot()],
                                                           [ast.Constant(None)]))
    in_range = ast.Compare(ast.Constant(0), [ast.LtE(), ast.Lt()],
                           [idx_use, ast.Call(c.load("_h_len"), [arr_use], [])])
    return ast.BoolOp(ast.And(), [types, in_range]), arr_use, idx_use


def inline_aget(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
    if len(args) != 2:
        return None
    check, arr, idx = _array_index(c, args)
    return ast.IfExp(check, ast.Subscript(arr, idx, ast.Load()),
                     _builtin_call(c, "aget", [arr, idx]))


def inline_aset(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
    if len(args) != 3:
        return None
    values = c.exprs(args)
    for k, v in enumerate(values):  # evaluated in order before the check
        if not _simple(c, v):
            t = c.tmp()
            known = c.bounds(v)
            if known is not None:
                c.int_bounds[t] = known
            c.emit(ast.Assign([ast.Name(t, ast.Store())], v))
            values[k] = c.load(t)
    arr, idx, value = values
    checks = [_type_is(c, arr, "_h_list")]
    if c.bounds(idx) is None:
        checks.append(_type_is(c, idx, "_h_int"))
    checks.append(ast.Compare(ast.Constant(0), [ast.LtE(), ast.Lt()],
                              [idx, ast.Call(c.load("_h_len"), [arr], [])]))
    c.emit(ast.If(ast.BoolOp(ast.And(), checks),
                  [ast.Assign([ast.Subscript(arr, idx, ast.Store())], value)],
                  [ast.Expr(_builtin_call(c, "aset", [arr, idx, value]))]))
    return ast.Constant(None)


def inline_str(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
    """`(str i)` of an int is its decimal digits."""
    if len(args) != 1:
        return None
    (e,) = c.exprs(args)
    if c.bounds(e) is not None:
        return ast.Call(c.load("_h_pystr"), [e], [])
    first, use = _hold(c, e)
    return ast.IfExp(_type_is(c, first, "_h_int"), ast.Call(c.load("_h_pystr"), [use], []),
                     _builtin_call(c, "str", [use]))


def inline_concat(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
    """`(concat a b)` of two strings."""
    if len(args) != 2:
        return None
    a, b = c.exprs(args)
    a_first, a_use = _hold(c, a)
    b_first, b_use = _hold(c, b)
    check = ast.Compare(ast.Call(c.load("_h_type"), [a_first], []), [ast.Is(), ast.Is()],
                        [ast.Call(c.load("_h_type"), [b_first], []), c.load("_h_pystr")])
    t = c.tmp()
    joined = ast.NamedExpr(ast.Name(t, ast.Store()), ast.BinOp(a_use, ast.Add(), b_use))
    fast = ast.IfExp(ast.Compare(ast.Call(c.load("_h_len"), [joined], []), [ast.LtE()],
                                 [ast.Constant(SHORT_STRING)]),
                     c.load(t), c.helper("checked_str", c.load(t)))
    return ast.IfExp(check, fast, _builtin_call(c, "concat", [a_use, b_use]))


def inline_hget(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
    """`(hget h k)` of a string key present in a hash."""
    if len(args) != 2:
        return None
    h, k = c.exprs(args)
    h_first, h_use = _hold(c, h)
    k_first, k_use = _hold(c, k)
    types = ast.BinOp(_type_is(c, h_first, "_h_Hash"), ast.BitAnd(),
                      _type_is(c, k_first, "_h_pystr"))  # `&`: both operands evaluated
    t = c.tmp()
    found = ast.Compare(
        ast.NamedExpr(ast.Name(t, ast.Store()),
                      ast.Call(ast.Attribute(h_use, "get", ast.Load()),
                               [k_use, c.load("_h_missing")], [])),
        [ast.IsNot()], [c.load("_h_missing")])
    return ast.IfExp(ast.BoolOp(ast.And(), [types, found]), c.load(t),
                     _builtin_call(c, "hget", [h_use, k_use]))


def inline_len(c: Compiler, form: Pair, args: list[Any]) -> ast.expr | None:
    if len(args) != 1:
        return None
    (e,) = c.exprs(args)
    first, use = _hold(c, e)
    out = ast.IfExp(_type_is(c, first, "_h_list"), ast.Call(c.load("_h_len"), [use], []),
                    _builtin_call(c, "len", [use]))
    return c.proven(out, 0, INT_MAX)


INLINE: dict[str, Callable[[Compiler, Pair, list[Any]], ast.expr | None]] = {
    **{op: inline_arith(op) for op in _ARITH_OPS},
    **{op: inline_compare(op) for op in _CMP_OPS},
    "mod": inline_mod,
    "not": inline_not,
    "aget": lambda c, form, args: inline_quoted_index(c, form, args) or inline_aget(c, form, args),
    "aset": inline_aset,
    "str": inline_str,
    "concat": inline_concat,
    "len": inline_len,
    "hget": lambda c, form, args: inline_quoted_index(c, form, args) or inline_hget(c, form, args),
}
INT_OPS = frozenset({*_ARITH_OPS, *_CMP_OPS, "mod"})  # operands worth guarding as ints


SPECIAL: dict[str, Rule] = {
    "def": rule_def, "set": rule_set, "mdef": rule_mdef, "fn": rule_fn, "defn": rule_defn,
    "begin": rule_begin, "newScope": rule_new_scope, "let": rule_let, "letseq": rule_letseq,
    "quote": rule_quote, "syntaxQuote": rule_syntax_quote, "cond": rule_cond,
    "and": rule_and, "or": rule_or, "for": rule_for, "break": _loop_ctl(True),
    "continue": _loop_ctl(False), "range": rule_range, "__rangeLoop": rule_range_loop,
    "return": rule_return, "assert": rule_assert, "defmac": rule_defmac,
    "macexpand": rule_macexpand, "infix": rule_infix, "infixExpand": rule_infix_expand,
    "expectError": rule_expect_error, "package": rule_package, "import": rule_import,
    "defmap": rule_defmap, ":": rule_colon, "arrayidx": rule_arrayidx,
    "hashidx": rule_hashidx, "comma": rule_comma, "unquote": rule_unquote,
    "unquote-splicing": rule_unquote,
}
TAIL_RULES: dict[str, TailRule] = {
    "cond": tail_cond, "begin": tail_begin, "newScope": tail_new_scope, "let": tail_let,
    "letseq": tail_letseq, "infix": tail_infix,
}


# ---------------------------------------------------------------- compile and run

def finish(self: Compiler, forms: list[Any]) -> Program:
    """Compile the whole program to a code object; again (at most twice) when it turns
    out to look names up at run time, or to reassign a function assumed fixed."""
    macros_before = dict(self.macros)
    compiler = self
    for _ in range(3):
        try:
            return _finish(compiler, forms)
        except (NeedGlobals, NeedRecompile) as exc:
            self.macros.clear()
            self.macros.update(macros_before)
            again = Compiler(self.name, self.builtins, self.macros, self.resolver,
                             self.imports, toplevel_locals=compiler.toplevel_locals and
                             not isinstance(exc, NeedGlobals))
            again.mutable = compiler.mutable | (
                exc.mutable if isinstance(exc, NeedRecompile) else set())
            again.counter = compiler.counter
            compiler = again
    compiler.versioning = False
    return _finish(compiler, forms)


def _finish(self: Compiler, forms: list[Any]) -> Program:
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, _COMPILE_DEPTH))
    try:
        module = self.program(forms)
        stored_again = {py for py in self.fixed_functions if self.store_counts.get(py, 0) > 1}
        if stored_again:
            raise NeedRecompile(stored_again)
        code = _compile(module, self.name)
        source = ast.unparse(module)
    except RecursionError:
        raise CompileError("program nested too deeply") from None
    finally:
        sys.setrecursionlimit(previous)
    return Program(_tag(code, self.labels), self.consts, source, self.name, self.macros,
                   self.call_names, self.builtins)


def _compile(module: ast.Module, name: str) -> types.CodeType:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            return compile(module, f"{COMPILED_FILENAME_PREFIX}:{name}>", "exec")
    except SyntaxError as exc:
        pos = (exc.lineno or 0, exc.offset or 0)
        if "too many statically nested blocks" in str(exc):
            raise CompileError("loops nested too deeply", pos) from None
        # a safety net: generated code Python refuses is a compile error of the script
        raise CompileError(f"cannot compile this program: {exc.msg}", pos) from None
    except ValueError as exc:  # e.g. a name Python reserves (RecursionError: `_finish`)
        raise CompileError(f"cannot compile this program: {exc}") from None


def _tag(code: types.CodeType, labels: dict[str, str]) -> types.CodeType:
    consts = tuple(_tag(k, labels) if isinstance(k, types.CodeType) else k
                   for k in code.co_consts)
    label = labels.get(code.co_name)
    return code.replace(co_consts=consts, co_qualname=label or code.co_qualname)


def compile_forms(
    forms: list[Any],
    name: str,
    builtins: frozenset[str],
    macros: dict[str, Callable[..., Any]] | None = None,
    resolver: Resolver | None = None,
    *,
    toplevel_locals: bool = True,
) -> Program:
    """Compile top-level forms; raises `CompileError`. Code run by `eval` passes
    `toplevel_locals=False`: its top-level names must live in the shared namespace."""
    compiler = Compiler(name, builtins, macros, resolver, toplevel_locals=toplevel_locals)
    return finish(compiler, forms)


_HELPERS: dict[str, Any] = {}
_MISSING_KEY = object()
_BUILTINS_NS: dict[str, Any] = {}


def install(helpers: dict[str, Any], builtins_ns: dict[str, Any]) -> None:
    """Set the helper functions and builtin namespace that generated code sees."""
    _HELPERS.update(helpers)
    _BUILTINS_NS.update(builtins_ns)


def namespace() -> dict[str, Any]:
    ns: dict[str, Any] = {"__builtins__": _BUILTINS_NS, "_h_type": type, "_h_int": int,
                          "_h_range": range, "_h_NameError": NameError,
                          "_h_append_into": runtime.append_into, "_h_list": list,
                          "_h_len": len, "_h_pystr": str, "_h_checked_str": runtime.checked_str,
                          "_h_refcount": sys.getrefcount, "_h_Hash": Hash, "_h_Lazy": Lazy,
                          "_h_missing": _MISSING_KEY}
    ns.update(_HELPERS)
    return ns


def run_program(program: Program, ns: dict[str, Any]) -> Any:
    """Run a compiled program in namespace `ns` (a fresh one when empty); returns the
    value of its last top-level form."""
    if not ns:
        ns.update(namespace())
    exec(program.code, ns)
    main = ns.pop(MAIN)
    return main(program.consts, ns)


def error_position(exc: BaseException) -> tuple[str, int, int] | None:
    """(script, line, column) of the innermost generated frame in `exc`'s traceback."""
    tb = exc.__traceback__
    found = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith(COMPILED_FILENAME_PREFIX):
            found = tb
        tb = tb.tb_next
    if found is None:
        return None
    code = found.tb_frame.f_code
    script = code.co_filename[len(COMPILED_FILENAME_PREFIX) + 1 : -1]
    positions = list(code.co_positions())
    index = found.tb_lasti // 2
    if not 0 <= index < len(positions):
        return None
    line, _, col, _ = positions[index]
    if line is None or col is None:
        return None
    return script, line, col + 1
