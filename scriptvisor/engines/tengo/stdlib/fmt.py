"""Tengo's `fmt` module: `print`, `printf`, `println`, `sprintf`.

Output goes to the execution's log (`state.current.write`), never to stdout. As in Go
Tengo, `print` and `println` concatenate their operands' text with no separator
(`println("a", 1)` prints `a1`), undefined prints as nothing, and `printf` with only a
format prints the format *quoted* (`printf("hi\\n")` prints `"hi\\n"`), a Go Tengo quirk.
"""

from __future__ import annotations

from typing import Any

from scriptvisor.engines import limits
from scriptvisor.engines.tengo import convert, formatter, state, values
from scriptvisor.engines.tengo.values import RuntimeErr


def _text(args: tuple[Any, ...]) -> str:
    """The operands' text, concatenated; the total is budget-checked before joining."""
    parts = [convert.to_string(a) or "" for a in args]
    limits.check_alloc(sum(map(len, parts)))
    return "".join(parts)


def _format_arg(args: tuple[Any, ...]) -> str:
    if not args:
        raise RuntimeErr("wrong number of arguments")
    fmt = args[0]
    if type(fmt) is not str:
        raise RuntimeErr(
            "invalid type for argument 'format': expected string, "
            f"found {values.type_name(fmt)}"
        )
    return str(fmt)


def fmt_print(*args: Any) -> None:
    state.current.write(_text(args))


def fmt_println(*args: Any) -> None:
    state.current.write(_text(args) + "\n")


def fmt_printf(*args: Any) -> None:
    fmt = _format_arg(args)
    if len(args) == 1:
        state.current.write(values.go_quote(fmt))  # Go prints the String object: quoted
        return
    state.current.write(formatter.go_format(fmt, list(args[1:])))


def fmt_sprintf(*args: Any) -> str:
    fmt = _format_arg(args)
    if len(args) == 1:
        return fmt
    return formatter.go_format(fmt, list(args[1:]))


_MEMBERS = {"print": fmt_print, "printf": fmt_printf, "println": fmt_println,
            "sprintf": fmt_sprintf}
for _name, _fn in _MEMBERS.items():
    _fn.__name__ = _name  # type_name: `user-function:print`, as in Go Tengo


def module() -> dict[str, Any]:
    """The module's members (a fresh dict; the engine wraps it as an immutable map)."""
    return dict(_MEMBERS)
