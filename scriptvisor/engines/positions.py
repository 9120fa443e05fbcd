"""Where in a script a failure happened. Both engines name every code object they emit
`<LANG:SCRIPT>` and stamp each node with the script's line and column, so the innermost
generated frame of a traceback, read through its positions table, is the script's place."""

from __future__ import annotations

import types


def innermost_generated(tb: types.TracebackType | None, prefix: str) -> types.TracebackType | None:
    """The innermost traceback entry whose code was generated (its file name has `prefix`)."""
    found = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith(prefix):
            found = tb
        tb = tb.tb_next
    return found


def frame_position(tb: types.TracebackType, prefix: str) -> tuple[str, int, int] | None:
    """(script, line, 1-based column) of the instruction `tb` stopped at."""
    code = tb.tb_frame.f_code
    script = code.co_filename[len(prefix) + 1 : -1]
    positions = list(code.co_positions())
    index = tb.tb_lasti // 2
    if not 0 <= index < len(positions):
        return None
    line, _, col, _ = positions[index]
    if line is None or col is None:
        return None
    return script, line, col + 1


def error_position(exc: BaseException, prefix: str) -> tuple[str, int, int] | None:
    """(script, line, column) of the innermost generated frame in `exc`'s traceback."""
    tb = innermost_generated(exc.__traceback__, prefix)
    return None if tb is None else frame_position(tb, prefix)
