"""Named time zones work in a confined child, which cannot open the zone files: the zygote
reads them before forking."""

from __future__ import annotations

import pytest

from scriptvisor.supervisor.engine import ScriptEngine

pytestmark = pytest.mark.timeout(60)

ZONES = {  # zone -> the wall clock of 2024-07-01 10:00 UTC there (Go's format)
    "Europe/Paris": "2024-07-01 12:00 CEST",
    "America/New_York": "2024-07-01 06:00 EDT",
    "Asia/Kolkata": "2024-07-01 15:30 IST",
}


@pytest.mark.parametrize("zone", list(ZONES))
def test_named_zone_in_a_confined_child(engine: ScriptEngine, zone: str) -> None:
    source = f"""
times := import("times")
t := times.in_location(times.date(2024, 7, 1, 10, 0, 0, 0, "UTC"), "{zone}")
result := times.time_format(t, "2006-01-02 15:04 MST")
"""
    out = engine.execute_source(source)
    assert out.ok and out.result == ZONES[zone], out


def test_an_unknown_zone_is_still_an_error(engine: ScriptEngine) -> None:
    out = engine.execute_source('times := import("times")\nresult := times.date(2024, 7, 1, '
                                '0, 0, 0, 0, "Mars/Olympus")')
    assert out.error is not None and "unknown time zone Mars/Olympus" in out.error.message, out
