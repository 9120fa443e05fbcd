"""Hot-reload storm: rapid rewrites (a third invalid, some written in chunks) of a script
a real registry watches while a real supervisor executes it without pause."""

from __future__ import annotations

import pytest

from benchmarks.storm import run_storm


@pytest.mark.timeout(120)
def test_no_execution_sees_an_invalid_or_half_written_script() -> None:
    report = run_storm(150, threads=3, seed=4)
    assert report.problems() == [], report.problems()
    assert report.rewrites == 150 and report.invalid_writes >= 50
    assert report.writes_by_mode["chunked"] >= 30
    # the storm really reloaded and rejected versions while executions ran
    assert report.reloaded >= 10 and report.rejected >= 3, report
    assert report.versions_seen >= 5 and report.executions >= 1000, report
