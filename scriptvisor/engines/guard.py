"""Deadline and memory watch for one execution inside the current process.

The script's own code carries no per-iteration checks: CPython already polls an
interrupt flag (its "eval breaker") at every loop back-edge and call. We raise into that
flag: from a SIGALRM tick when running on the main thread (the child's serve loop), or
with `PyThreadState_SetAsyncExc` from a watchdog thread otherwise. Each tick also reads
the resident set size from a kept-open `/proc/self/statm` (a few microseconds) so growth
that no single allocation check caught is stopped as `memory_limit`.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from scriptvisor.engines import limits
from scriptvisor.engines.limits import ExecutionTimeout, MemoryLimitExceeded

TICK_SECONDS = 0.005
_PAGE = os.sysconf("SC_PAGE_SIZE")


class _RssReader:
    """Resident set size of this process, read without reopening the file."""

    def __init__(self) -> None:
        try:
            self._fd: int | None = os.open("/proc/self/statm", os.O_RDONLY | os.O_CLOEXEC)
        except OSError:  # not Linux: the OS-level limits remain the backstop
            self._fd = None

    def __call__(self) -> int:
        if self._fd is None:
            return 0
        return int(os.pread(self._fd, 64, 0).split()[1]) * _PAGE


rss = _RssReader()


class _Watch:
    """What a tick checks: the deadline and the memory ceiling of this execution."""

    __slots__ = ("deadline", "seconds", "rss_limit", "max_bytes", "fired")

    def __init__(self, seconds: float, max_bytes: int) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.max_bytes = max_bytes
        self.rss_limit = rss() + max_bytes if max_bytes > 0 else 0
        self.fired = False

    def breach(self) -> BaseException | None:
        if self.fired:
            return None
        if time.monotonic() >= self.deadline:
            self.fired = True
            return ExecutionTimeout(self.seconds)
        if self.rss_limit:
            used = rss()
            if used > self.rss_limit:
                self.fired = True
                return MemoryLimitExceeded(used - self.rss_limit + self.max_bytes, self.max_bytes)
        return None


@contextmanager
def limited(seconds: float, max_bytes: int, max_depth: int) -> Iterator[None]:
    """Run the body under every in-interpreter limit of one execution: the deadline and
    memory watch, the allocation budget, and `max_depth` calls beyond the current depth."""
    previous_budget, limits.budget.max_bytes = limits.budget.max_bytes, max_bytes
    previous_depth = sys.getrecursionlimit()
    sys.setrecursionlimit(_frame_depth() + max_depth + 64)
    try:
        with watched(seconds, max_bytes):
            yield
    finally:
        sys.setrecursionlimit(previous_depth)
        limits.budget.max_bytes = previous_budget


def _frame_depth() -> int:
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth += 1
        frame = frame.f_back  # type: ignore[assignment]
    return depth


@contextmanager
def watched(seconds: float, max_bytes: int) -> Iterator[None]:
    """Run the body under a deadline and a memory ceiling; breaches raise inside it."""
    watch = _Watch(seconds, max_bytes)
    if threading.current_thread() is threading.main_thread():
        with _signal_ticks(watch):
            yield
    else:
        with _watchdog_thread(watch):
            yield


@contextmanager
def _signal_ticks(watch: _Watch) -> Iterator[None]:
    def on_tick(signum: int, frame: FrameType | None) -> None:
        breach = watch.breach()
        if breach is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            raise breach

    previous = signal.signal(signal.SIGALRM, on_tick)
    first = min(TICK_SECONDS, max(watch.seconds, 1e-4))
    signal.setitimer(signal.ITIMER_REAL, first, TICK_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _watchdog_thread(watch: _Watch) -> Iterator[None]:
    target = threading.get_ident()
    done = threading.Event()

    def run() -> None:
        while not done.wait(TICK_SECONDS):
            breach = watch.breach()
            if breach is not None:
                _raise_in_thread(target, type(breach))
                return

    thread = threading.Thread(target=run, name="scriptvisor-watch", daemon=True)
    thread.start()
    try:
        yield
    except ExecutionTimeout as exc:
        # An async exception arrives as a bare class: give it the watch's details.
        if exc.seconds:
            raise
        raise ExecutionTimeout(watch.seconds) from None
    except MemoryLimitExceeded as exc:
        if exc.limit:
            raise
        raise MemoryLimitExceeded(watch.max_bytes, watch.max_bytes) from None
    finally:
        done.set()
        thread.join()


def _raise_in_thread(thread_id: int, exc_type: type[BaseException]) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc_type))
