"""Soak: thousands of good, failing and hostile executions in both languages through one
supervisor; every one ends as its script says, memory stays flat, nothing leaks."""

from __future__ import annotations

import pytest

from benchmarks.soak import MIB, run_soak


@pytest.mark.timeout(180)
def test_soak_bounded_memory_and_no_leaks() -> None:
    report = run_soak(5000, size=2, spares=1, threads=4, checkpoint=1000, seed=5)
    assert report.problems() == [], report.problems()
    assert report.executions == 5000
    # the hostile share really ran (each kind ended as it must, or problems() says so)
    for case in ("t-spin", "z-spin", "t-bomb", "z-bomb", "t-recursion", "z-recursion"):
        assert any(key.startswith(f"{case}: ") for key in report.outcomes), case
    # after the first thousand (caches and arenas warm), memory and descriptors stay flat
    assert report.rss_growth(since=1) < 4 * MIB, [c.rss for c in report.checkpoints]
    fds = [c.fds for c in report.checkpoints[1:]]
    assert max(fds) - min(fds) <= 6, fds
