"""Limits every language engine enforces from inside the interpreter.

Interruptions derive from `BaseException` so that no `except Exception` in a runtime helper or
builtin can swallow them. The allocation budget is checked *before* a large value is built,
so a hostile `repeat`/`pad`/`format` fails with a typed error instead of taking the memory.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from types import FrameType

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_DEPTH = 1024  # Tengo's own MaxFrames


class ExecutionInterrupted(BaseException):
    """An execution was stopped by a limit; never visible to or catchable by a script."""


class ExecutionTimeout(ExecutionInterrupted):
    def __init__(self, seconds: float = 0.0) -> None:
        super().__init__(f"execution time limit of {seconds:g}s exceeded")
        self.seconds = seconds


class MemoryLimitExceeded(ExecutionInterrupted):
    def __init__(self, wanted: int = 0, limit: int = 0) -> None:
        super().__init__(f"memory limit of {limit} bytes exceeded (wanted {wanted} bytes)")
        self.wanted = wanted
        self.limit = limit


class StackOverflow(Exception):
    """Call depth went past the documented limit (a runtime error, like Tengo's)."""


class _Budget:
    """The allocation ceiling of the execution in progress (one per process: one script runs)."""

    __slots__ = ("max_bytes",)

    def __init__(self) -> None:
        self.max_bytes = DEFAULT_MAX_BYTES


budget = _Budget()


def check_alloc(nbytes: int) -> None:
    """Refuse to build a single value of `nbytes` bytes when it would exceed the budget."""
    if nbytes > budget.max_bytes:
        raise MemoryLimitExceeded(nbytes, budget.max_bytes)


@contextlib.contextmanager
def recursion_room(frames: int) -> Iterator[None]:
    """Raise the interpreter's recursion limit, while inside, to leave `frames` more frames
    than are in use now (parsers that must reach their own nesting cap, and report it as a
    syntax error, before Python's lower default limit ends them with a RecursionError)."""
    old_limit = sys.getrecursionlimit()
    need = _stack_depth() + frames + 200
    if need > old_limit:
        sys.setrecursionlimit(need)
    try:
        yield
    finally:
        if need > old_limit:
            sys.setrecursionlimit(old_limit)


def _stack_depth() -> int:
    frame: FrameType | None = sys._getframe()
    depth = 0
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth
