"""The in-process deadline and memory watch, on the main thread and on a worker thread."""

import threading
import time

import pytest

from scriptvisor.engines import guard
from scriptvisor.engines.limits import ExecutionTimeout, MemoryLimitExceeded


def spin_forever() -> None:
    while True:
        pass


def grow_forever() -> None:
    hoard = []
    while True:
        hoard.append(bytearray(1 << 20))


@pytest.mark.timeout(20)
def test_deadline_interrupts_a_busy_loop_on_the_main_thread() -> None:
    started = time.monotonic()
    with pytest.raises(ExecutionTimeout) as info, guard.watched(0.1, 0):
        spin_forever()
    assert info.value.seconds == 0.1
    assert time.monotonic() - started < 2.0


@pytest.mark.timeout(20)
def test_deadline_interrupts_a_busy_loop_on_another_thread() -> None:
    caught: list[BaseException] = []

    def worker() -> None:
        try:
            with guard.watched(0.1, 0):
                spin_forever()
        except BaseException as exc:
            caught.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(10)
    assert not thread.is_alive()
    assert isinstance(caught[0], ExecutionTimeout)
    assert caught[0].seconds == 0.1


@pytest.mark.timeout(30)
def test_memory_growth_is_stopped() -> None:
    with pytest.raises(MemoryLimitExceeded) as info, guard.watched(10, 64 << 20):
        grow_forever()
    assert info.value.limit == 64 << 20


def test_nothing_fires_after_the_body_finishes() -> None:
    with guard.watched(0.05, 0):
        pass
    time.sleep(0.1)  # a stray tick would raise here
    assert guard.rss() > 0


def test_limited_restores_budget_and_depth_even_when_interrupted() -> None:
    import sys

    from scriptvisor.engines import limits

    depth, budget = sys.getrecursionlimit(), limits.budget.max_bytes
    with pytest.raises(ExecutionTimeout), guard.limited(0.05, 123_456_789, 100):
        assert limits.budget.max_bytes == 123_456_789
        spin_forever()
    assert (sys.getrecursionlimit(), limits.budget.max_bytes) == (depth, budget)


def test_limited_bounds_the_call_depth() -> None:
    def recurse(n: int) -> int:
        return recurse(n + 1)

    with pytest.raises(RecursionError), guard.limited(10, 1 << 30, 200):
        recurse(0)
