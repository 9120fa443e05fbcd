"""Chaos under load: children killed (SIGKILL, SIGSEGV), stopped (SIGSTOP) and spinning
past their deadline while threads and asyncio tasks keep executing."""

from __future__ import annotations

import pytest

from benchmarks.chaos import latency_bound, run_chaos


@pytest.mark.timeout(120)
def test_no_request_is_lost_or_hangs_and_the_pool_recovers() -> None:
    report = run_chaos(20.0, size=3, spares=1, threads=5, tasks=3, interval=0.08, seed=11)
    assert report.problems(latency_bound()) == [], report
    # the run was real chaos: every kind of signal landed, and requests kept succeeding
    assert all(report.signals[name] >= 10 for name in ("SIGKILL", "SIGSEGV", "SIGSTOP"))
    assert report.requests >= 1000
    assert sum(n for key, n in report.outcomes.items() if key.endswith(": ok")) >= 900
    assert report.pool_stats["replaced"] >= report.signals["SIGKILL"] // 2
