"""Per-execution state the builtins share (one script runs at a time in a process).

Printing goes to the log sink, never to stdout; `eval` needs the running program's
namespace and macros.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scriptvisor.engines.tengo.state import ExecState


class ZyState:
    """Where output goes and what `eval`/`defined?` see during one execution."""

    __slots__ = ("out", "namespace", "evaluate")

    def __init__(
        self,
        out: ExecState | None = None,
        namespace: dict[str, Any] | None = None,
        evaluate: Callable[[Any], Any] | None = None,
    ) -> None:
        self.out = out or ExecState()
        self.namespace = namespace
        self.evaluate: Callable[[Any], Any] = evaluate or _no_eval


def _no_eval(form: Any) -> Any:
    from scriptvisor.engines.zygomys.values import ZyError

    raise ZyError("eval is not available here")


current = ZyState()
"""The execution in progress; the engine installs a fresh one for each run."""
