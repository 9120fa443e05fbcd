"""Per-execution state the runtime, builtins and stdlib share (one script runs at a time).

`fmt.print*` write here instead of stdout; the engine collects the lines into the output's
`logs`. Kept tiny on purpose: anything per-execution that is not a limit lives here.
"""

from __future__ import annotations

from collections.abc import Callable

from scriptvisor.engines import limits

MAX_LOG_LINE_BYTES = 64 * 1024


class ExecState:
    """Where script output goes during one execution."""

    __slots__ = ("lines", "_partial", "on_line")

    def __init__(self, on_line: Callable[[str], None] | None = None) -> None:
        self.lines: list[str] = []
        self._partial = ""
        self.on_line = on_line

    def write(self, text: str) -> None:
        """Append printed text; every complete line becomes a log line."""
        limits.check_alloc(len(text))
        text = self._partial + text
        *complete, self._partial = text.split("\n")
        for line in complete:
            self.log(line)

    def log(self, line: str) -> None:
        line = line[:MAX_LOG_LINE_BYTES]
        self.lines.append(line)
        if self.on_line is not None:
            self.on_line(line)

    def flush(self) -> None:
        if self._partial:
            self.log(self._partial)
            self._partial = ""


current = ExecState()
"""The execution in progress; the engine installs a fresh one for each run."""
