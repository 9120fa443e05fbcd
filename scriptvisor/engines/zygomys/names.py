"""Zygomys names as Python identifiers, and the names the compiler treats specially
(reserved words, unsupported Go features, run-time lookups)."""

from __future__ import annotations

import keyword
from collections.abc import Callable

Pos = tuple[int, int]
Range = tuple[int, int]  # the proven bounds of an int value
MAIN = "_h_main"
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


# Builtins that read the namespace by name; using one keeps top-level names there.
RUNTIME_LOOKUP = frozenset({"eval", "defined?"})
