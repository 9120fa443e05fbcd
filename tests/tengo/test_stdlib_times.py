"""Tengo's `times` module: Go's layouts, parsing, durations, dates and the `time` value.

Every expected string in GO_CASES was produced by the real Go Tengo CLI (d5/tengo v2,
Go 1.19, host zone UTC) for the same call; `show` renders a result the way the Tengo
script that produced it printed `type_name(v) + "|" + string(v)`, and `ERR|msg` marks a
runtime error.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from scriptvisor.engines import limits
from scriptvisor.engines.limits import MemoryLimitExceeded
from scriptvisor.engines.tengo import values
from scriptvisor.engines.tengo.stdlib import times
from scriptvisor.engines.tengo.stdlib.times import LAYOUTS, Time
from scriptvisor.engines.tengo.values import INT_MAX, INT_MIN, Array, RuntimeErr

MOD = times.module()


def T(name: str, *args: Any) -> Any:
    """Call `times.NAME(args...)` as a script would."""
    return MOD[name](*args)


def D(*args: Any) -> Any:
    """`times.date(...)`."""
    return MOD["date"](*args)


def show(v: Any) -> str:
    if isinstance(v, str):
        return "string|" + v
    return values.type_name(v).split(":")[0] + "|" + values.go_string(v)


def outcome(thunk: Callable[[], Any]) -> str:
    try:
        return show(thunk())
    except RuntimeErr as exc:
        return "ERR|" + str(exc)


T0 = D(2009, 11, 10, 23, 0, 0, 0)
TN = D(2023, 3, 7, 8, 9, 5, 123456789, "UTC")
KT = D(2023, 1, 3, 0, 5, 7, 120000000, "Asia/Kolkata")

GO_CASES: list[tuple[Callable[[], Any], str]] = [
    (
        lambda: T("time_format", TN, LAYOUTS["format_ansic"]),
        "string|Tue Mar  7 08:09:05 2023",
    ),
    (
        lambda: T("time_format", TN, LAYOUTS["format_unix_date"]),
        "string|Tue Mar  7 08:09:05 UTC 2023",
    ),
    (
        lambda: T("time_format", TN, LAYOUTS["format_ruby_date"]),
        "string|Tue Mar 07 08:09:05 +0000 2023",
    ),
    (
        lambda: T("time_format", TN, LAYOUTS["format_rfc822"]),
        "string|07 Mar 23 08:09 UTC",
    ),
    (
        lambda: T("time_format", TN, LAYOUTS["format_rfc822z"]),
        "string|07 Mar 23 08:09 +0000",
    ),
    (
        lambda: T("time_format", TN, LAYOUTS["format_rfc850"]),
        "string|Tuesday, 07-Mar-23 08:09:05 UTC",
    ),
    (
        lambda: T("time_format", TN, LAYOUTS["format_rfc1123"]),
        "string|Tue, 07 Mar 2023 08:09:05 UTC",
    ),
    (
        lambda: T("time_format", TN, LAYOUTS["format_rfc1123z"]),
        "string|Tue, 07 Mar 2023 08:09:05 +0000",
    ),
    (
        lambda: T("time_format", TN, LAYOUTS["format_rfc3339"]),
        "string|2023-03-07T08:09:05Z",
    ),
    (
        lambda: T("time_format", TN, LAYOUTS["format_rfc3339_nano"]),
        "string|2023-03-07T08:09:05.123456789Z",
    ),
    (
        lambda: T("time_format", TN, LAYOUTS["format_kitchen"]),
        "string|8:09AM",
    ),
    (
        lambda: T("time_format", TN, LAYOUTS["format_stamp"]),
        "string|Mar  7 08:09:05",
    ),
    (
        lambda: T("time_format", TN, LAYOUTS["format_stamp_milli"]),
        "string|Mar  7 08:09:05.123",
    ),
    (
        lambda: T("time_format", TN, LAYOUTS["format_stamp_micro"]),
        "string|Mar  7 08:09:05.123456",
    ),
    (
        lambda: T("time_format", TN, LAYOUTS["format_stamp_nano"]),
        "string|Mar  7 08:09:05.123456789",
    ),
    (
        lambda: T("time_format", D(-5, 6, 15, 12, 30, 0, 500, "UTC"), LAYOUTS["format_ansic"]),
        "string|Thu Jun 15 12:30:00 -0005",
    ),
    (
        lambda: T("time_format", D(-5, 6, 15, 12, 30, 0, 500, "UTC"), LAYOUTS["format_unix_date"]),
        "string|Thu Jun 15 12:30:00 UTC -0005",
    ),
    (
        lambda: T("time_format", D(-5, 6, 15, 12, 30, 0, 500, "UTC"), LAYOUTS["format_ruby_date"]),
        "string|Thu Jun 15 12:30:00 +0000 -0005",
    ),
    (
        lambda: T("time_format", D(-5, 6, 15, 12, 30, 0, 500, "UTC"), LAYOUTS["format_rfc822"]),
        "string|15 Jun 05 12:30 UTC",
    ),
    (
        lambda: T("time_format", D(-5, 6, 15, 12, 30, 0, 500, "UTC"), LAYOUTS["format_rfc822z"]),
        "string|15 Jun 05 12:30 +0000",
    ),
    (
        lambda: T("time_format", D(-5, 6, 15, 12, 30, 0, 500, "UTC"), LAYOUTS["format_rfc850"]),
        "string|Thursday, 15-Jun-05 12:30:00 UTC",
    ),
    (
        lambda: T("time_format", D(-5, 6, 15, 12, 30, 0, 500, "UTC"), LAYOUTS["format_rfc1123"]),
        "string|Thu, 15 Jun -0005 12:30:00 UTC",
    ),
    (
        lambda: T("time_format", D(-5, 6, 15, 12, 30, 0, 500, "UTC"), LAYOUTS["format_rfc1123z"]),
        "string|Thu, 15 Jun -0005 12:30:00 +0000",
    ),
    (
        lambda: T("time_format", D(-5, 6, 15, 12, 30, 0, 500, "UTC"), LAYOUTS["format_rfc3339"]),
        "string|-0005-06-15T12:30:00Z",
    ),
    (
        lambda: T(
            "time_format", D(-5, 6, 15, 12, 30, 0, 500, "UTC"), LAYOUTS["format_rfc3339_nano"]
        ),
        "string|-0005-06-15T12:30:00.0000005Z",
    ),
    (
        lambda: T("time_format", D(-5, 6, 15, 12, 30, 0, 500, "UTC"), LAYOUTS["format_kitchen"]),
        "string|12:30PM",
    ),
    (
        lambda: T("time_format", D(-5, 6, 15, 12, 30, 0, 500, "UTC"), LAYOUTS["format_stamp"]),
        "string|Jun 15 12:30:00",
    ),
    (
        lambda: T(
            "time_format", D(-5, 6, 15, 12, 30, 0, 500, "UTC"), LAYOUTS["format_stamp_milli"]
        ),
        "string|Jun 15 12:30:00.000",
    ),
    (
        lambda: T(
            "time_format", D(-5, 6, 15, 12, 30, 0, 500, "UTC"), LAYOUTS["format_stamp_micro"]
        ),
        "string|Jun 15 12:30:00.000000",
    ),
    (
        lambda: T("time_format", D(-5, 6, 15, 12, 30, 0, 500, "UTC"), LAYOUTS["format_stamp_nano"]),
        "string|Jun 15 12:30:00.000000500",
    ),
    (
        lambda: T(
            "time_format", D(2024, 7, 4, 12, 0, 0, 0, "Asia/Kolkata"), LAYOUTS["format_ansic"]
        ),
        "string|Thu Jul  4 12:00:00 2024",
    ),
    (
        lambda: T(
            "time_format", D(2024, 7, 4, 12, 0, 0, 0, "Asia/Kolkata"), LAYOUTS["format_unix_date"]
        ),
        "string|Thu Jul  4 12:00:00 IST 2024",
    ),
    (
        lambda: T(
            "time_format", D(2024, 7, 4, 12, 0, 0, 0, "Asia/Kolkata"), LAYOUTS["format_ruby_date"]
        ),
        "string|Thu Jul 04 12:00:00 +0530 2024",
    ),
    (
        lambda: T(
            "time_format", D(2024, 7, 4, 12, 0, 0, 0, "Asia/Kolkata"), LAYOUTS["format_rfc822"]
        ),
        "string|04 Jul 24 12:00 IST",
    ),
    (
        lambda: T(
            "time_format", D(2024, 7, 4, 12, 0, 0, 0, "Asia/Kolkata"), LAYOUTS["format_rfc822z"]
        ),
        "string|04 Jul 24 12:00 +0530",
    ),
    (
        lambda: T(
            "time_format", D(2024, 7, 4, 12, 0, 0, 0, "Asia/Kolkata"), LAYOUTS["format_rfc850"]
        ),
        "string|Thursday, 04-Jul-24 12:00:00 IST",
    ),
    (
        lambda: T(
            "time_format", D(2024, 7, 4, 12, 0, 0, 0, "Asia/Kolkata"), LAYOUTS["format_rfc1123"]
        ),
        "string|Thu, 04 Jul 2024 12:00:00 IST",
    ),
    (
        lambda: T(
            "time_format", D(2024, 7, 4, 12, 0, 0, 0, "Asia/Kolkata"), LAYOUTS["format_rfc1123z"]
        ),
        "string|Thu, 04 Jul 2024 12:00:00 +0530",
    ),
    (
        lambda: T(
            "time_format", D(2024, 7, 4, 12, 0, 0, 0, "Asia/Kolkata"), LAYOUTS["format_rfc3339"]
        ),
        "string|2024-07-04T12:00:00+05:30",
    ),
    (
        lambda: T(
            "time_format",
            D(2024, 7, 4, 12, 0, 0, 0, "Asia/Kolkata"),
            LAYOUTS["format_rfc3339_nano"],
        ),
        "string|2024-07-04T12:00:00+05:30",
    ),
    (
        lambda: T(
            "time_format", D(2024, 7, 4, 12, 0, 0, 0, "Asia/Kolkata"), LAYOUTS["format_kitchen"]
        ),
        "string|12:00PM",
    ),
    (
        lambda: T(
            "time_format", D(2024, 7, 4, 12, 0, 0, 0, "Asia/Kolkata"), LAYOUTS["format_stamp"]
        ),
        "string|Jul  4 12:00:00",
    ),
    (
        lambda: T(
            "time_format", D(2024, 7, 4, 12, 0, 0, 0, "Asia/Kolkata"), LAYOUTS["format_stamp_milli"]
        ),
        "string|Jul  4 12:00:00.000",
    ),
    (
        lambda: T(
            "time_format", D(2024, 7, 4, 12, 0, 0, 0, "Asia/Kolkata"), LAYOUTS["format_stamp_micro"]
        ),
        "string|Jul  4 12:00:00.000000",
    ),
    (
        lambda: T(
            "time_format", D(2024, 7, 4, 12, 0, 0, 0, "Asia/Kolkata"), LAYOUTS["format_stamp_nano"]
        ),
        "string|Jul  4 12:00:00.000000000",
    ),
    (
        lambda: T("time_string", T0),
        "string|2009-11-10 23:00:00 +0000 UTC",
    ),
    (
        lambda: T("time_string", D(1, 1, 1, 0, 0, 0, 0, "UTC")),
        "string|0001-01-01 00:00:00 +0000 UTC",
    ),
    (
        lambda: T("time_string", D(12345, 12, 31, 23, 59, 59, 999999999, "UTC")),
        "string|12345-12-31 23:59:59.999999999 +0000 UTC",
    ),
    (
        lambda: T("time_string", D(2024, 2, 29, 0, 0, 0, 0, "America/New_York")),
        "string|2024-02-29 00:00:00 -0500 EST",
    ),
    (
        lambda: T("time_format", KT, "2006"),
        "string|2023",
    ),
    (
        lambda: T("time_format", KT, "06"),
        "string|23",
    ),
    (
        lambda: T("time_format", KT, "Jan"),
        "string|Jan",
    ),
    (
        lambda: T("time_format", KT, "January"),
        "string|January",
    ),
    (
        lambda: T("time_format", KT, "01"),
        "string|01",
    ),
    (lambda: T("time_format", KT, "1"), "string|1"),
    (
        lambda: T("time_format", KT, "Mon"),
        "string|Tue",
    ),
    (
        lambda: T("time_format", KT, "Monday"),
        "string|Tuesday",
    ),
    (lambda: T("time_format", KT, "2"), "string|3"),
    (
        lambda: T("time_format", KT, "_2"),
        "string| 3",
    ),
    (
        lambda: T("time_format", KT, "02"),
        "string|03",
    ),
    (
        lambda: T("time_format", KT, "__2"),
        "string|  3",
    ),
    (
        lambda: T("time_format", KT, "002"),
        "string|003",
    ),
    (
        lambda: T("time_format", KT, "15"),
        "string|00",
    ),
    (lambda: T("time_format", KT, "3"), "string|12"),
    (
        lambda: T("time_format", KT, "03"),
        "string|12",
    ),
    (lambda: T("time_format", KT, "4"), "string|5"),
    (
        lambda: T("time_format", KT, "04"),
        "string|05",
    ),
    (lambda: T("time_format", KT, "5"), "string|7"),
    (
        lambda: T("time_format", KT, "05"),
        "string|07",
    ),
    (
        lambda: T("time_format", KT, "PM"),
        "string|AM",
    ),
    (
        lambda: T("time_format", KT, "pm"),
        "string|am",
    ),
    (
        lambda: T("time_format", KT, "MST"),
        "string|IST",
    ),
    (
        lambda: T("time_format", KT, "-0700"),
        "string|+0530",
    ),
    (
        lambda: T("time_format", KT, "-07:00"),
        "string|+05:30",
    ),
    (
        lambda: T("time_format", KT, "-07"),
        "string|+05",
    ),
    (
        lambda: T("time_format", KT, "-070000"),
        "string|+053000",
    ),
    (
        lambda: T("time_format", KT, "-07:00:00"),
        "string|+05:30:00",
    ),
    (
        lambda: T("time_format", KT, "Z0700"),
        "string|+0530",
    ),
    (
        lambda: T("time_format", KT, "Z07:00"),
        "string|+05:30",
    ),
    (
        lambda: T("time_format", KT, "Z07"),
        "string|+05",
    ),
    (
        lambda: T("time_format", KT, "Z070000"),
        "string|+053000",
    ),
    (
        lambda: T("time_format", KT, "Z07:00:00"),
        "string|+05:30:00",
    ),
    (
        lambda: T("time_format", KT, ".0"),
        "string|.1",
    ),
    (
        lambda: T("time_format", KT, ".000"),
        "string|.120",
    ),
    (
        lambda: T("time_format", KT, ".999"),
        "string|.12",
    ),
    (
        lambda: T("time_format", KT, ".999999999"),
        "string|.12",
    ),
    (
        lambda: T("time_format", KT, ",000"),
        "string|,120",
    ),
    (
        lambda: T("time_format", KT, ",999"),
        "string|,12",
    ),
    (
        lambda: T("time_format", KT, ".0000000000"),
        "string|.120000000",
    ),
    (
        lambda: T("time_format", KT, "_2006"),
        "string|_2023",
    ),
    (
        lambda: T("time_format", KT, "Janet"),
        "string|Janet",
    ),
    (
        lambda: T("time_format", KT, "Month"),
        "string|Month",
    ),
    (
        lambda: T("time_format", KT, "Mondays"),
        "string|Tuesdays",
    ),
    (
        lambda: T("time_format", KT, ".00x"),
        "string|.12x",
    ),
    (
        lambda: T("time_format", KT, "1.5"),
        "string|1.7",
    ),
    (
        lambda: T("time_format", KT, "05.000"),
        "string|07.120",
    ),
    (
        lambda: T("time_format", KT, "2006-01-02T15:04:05.999Z07:00"),
        "string|2023-01-03T00:05:07.12+05:30",
    ),
    (
        lambda: T("time_format", KT, "hello"),
        "string|hello",
    ),
    (lambda: T("time_format", KT, ""), "string|"),
    (
        lambda: T("time_format", KT, "Jan_2"),
        "string|Jan 3",
    ),
    (
        lambda: T("time_format", KT, "Mon Jan 2 15:04:05 -0700 MST 2006"),
        "string|Tue Jan 3 00:05:07 +0530 IST 2023",
    ),
    (lambda: T("time_format", D(2023, 12, 25, 13, 0, 0, 0, "America/St_Johns"), "3"), "string|1"),
    (lambda: T("time_format", D(2023, 12, 25, 13, 0, 0, 0, "America/St_Johns"), "03"), "string|01"),
    (lambda: T("time_format", D(2023, 12, 25, 13, 0, 0, 0, "America/St_Johns"), "PM"), "string|PM"),
    (lambda: T("time_format", D(2023, 12, 25, 13, 0, 0, 0, "America/St_Johns"), "pm"), "string|pm"),
    (
        lambda: T("time_format", D(2023, 12, 25, 13, 0, 0, 0, "America/St_Johns"), "MST"),
        "string|NST",
    ),
    (
        lambda: T("time_format", D(2023, 12, 25, 13, 0, 0, 0, "America/St_Johns"), "Z07:00"),
        "string|-03:30",
    ),
    (
        lambda: T("time_format", D(2023, 12, 25, 13, 0, 0, 0, "America/St_Johns"), "-07:00:00"),
        "string|-03:30:00",
    ),
    (
        lambda: T("time_format", D(2023, 12, 25, 13, 0, 0, 0, "America/St_Johns"), "Monday"),
        "string|Monday",
    ),
    (
        lambda: T("time_format", D(2023, 12, 25, 13, 0, 0, 0, "America/St_Johns"), "January"),
        "string|December",
    ),
    (
        lambda: T("parse", LAYOUTS["format_rfc3339"], "2006-01-02T15:04:05Z"),
        "time|2006-01-02 15:04:05 +0000 UTC",
    ),
    (
        lambda: T("parse", LAYOUTS["format_rfc3339"], "2006-01-02T15:04:05+07:00"),
        "time|2006-01-02 15:04:05 +0700 +0700",
    ),
    (
        lambda: T("parse", LAYOUTS["format_rfc3339"], "2006-01-02T15:04:05+00:00"),
        "time|2006-01-02 15:04:05 +0000 UTC",
    ),
    (
        lambda: T("parse", LAYOUTS["format_rfc3339"], "2006-01-02T15:04:05.123456789-03:30"),
        "time|2006-01-02 15:04:05.123456789 -0330 -0330",
    ),
    (
        lambda: T("parse", LAYOUTS["format_rfc3339_nano"], "2006-01-02T15:04:05.5Z"),
        "time|2006-01-02 15:04:05.5 +0000 UTC",
    ),
    (
        lambda: T("parse", LAYOUTS["format_rfc3339"], "2006-01-02T15:04:05"),
        (
            'ERR|parsing time "2006-01-02T15:04:05" as "2006-01-02T15:04:'
            '05Z07:00": cannot parse "" as "Z07:00"'
        ),
    ),
    (
        lambda: T("parse", LAYOUTS["format_rfc3339"], "2006-13-02T15:04:05Z"),
        'ERR|parsing time "2006-13-02T15:04:05Z": month out of range',
    ),
    (
        lambda: T("parse", LAYOUTS["format_rfc3339"], "2006-02-30T15:04:05Z"),
        'ERR|parsing time "2006-02-30T15:04:05Z": day out of range',
    ),
    (
        lambda: T("parse", LAYOUTS["format_rfc3339"], "2006-01-02T25:04:05Z"),
        'ERR|parsing time "2006-01-02T25:04:05Z": hour out of range',
    ),
    (
        lambda: T("parse", LAYOUTS["format_rfc3339"], "2006-01-02T15:60:05Z"),
        'ERR|parsing time "2006-01-02T15:60:05Z": minute out of range',
    ),
    (
        lambda: T("parse", LAYOUTS["format_rfc3339"], "2006-01-02T15:04:61Z"),
        'ERR|parsing time "2006-01-02T15:04:61Z": second out of range',
    ),
    (
        lambda: T("parse", LAYOUTS["format_rfc3339"], "2006-01-02T15:04:05Zjunk"),
        'ERR|parsing time "2006-01-02T15:04:05Zjunk": extra text: "junk"',
    ),
    (
        lambda: T("parse", LAYOUTS["format_rfc3339"], "06-01-02"),
        (
            'ERR|parsing time "06-01-02" as "2006-01-02T15:04:05Z07:00": '
            'cannot parse "1-02" as "2006"'
        ),
    ),
    (
        lambda: T("parse", LAYOUTS["format_ansic"], "Mon Jan  2 15:04:05 2006"),
        "time|2006-01-02 15:04:05 +0000 UTC",
    ),
    (
        lambda: T("parse", LAYOUTS["format_ansic"], "Mon Jan 12 15:04:05 2006"),
        "time|2006-01-12 15:04:05 +0000 UTC",
    ),
    (
        lambda: T("parse", LAYOUTS["format_unix_date"], "Mon Jan  2 15:04:05 MST 2006"),
        "time|2006-01-02 15:04:05 +0000 MST",
    ),
    (
        lambda: T("parse", LAYOUTS["format_unix_date"], "Mon Jan  2 15:04:05 UTC 2006"),
        "time|2006-01-02 15:04:05 +0000 UTC",
    ),
    (
        lambda: T("parse", LAYOUTS["format_unix_date"], "Mon Jan  2 15:04:05 GMT+3 2006"),
        "time|2006-01-02 18:04:05 +0300 GMT+3",
    ),
    (
        lambda: T("parse", LAYOUTS["format_unix_date"], "Mon Jan  2 15:04:05 XYZ1 2006"),
        (
            'ERR|parsing time "Mon Jan  2 15:04:05 XYZ1 2006" as "Mon Jan'
            ' _2 15:04:05 MST 2006": cannot parse "1 2006" as " "'
        ),
    ),
    (
        lambda: T("parse", LAYOUTS["format_ruby_date"], LAYOUTS["format_ruby_date"]),
        "time|2006-01-02 15:04:05 -0700 -0700",
    ),
    (
        lambda: T("parse", LAYOUTS["format_rfc822"], LAYOUTS["format_rfc822"]),
        "time|2006-01-02 15:04:00 +0000 MST",
    ),
    (
        lambda: T("parse", LAYOUTS["format_rfc822z"], "02 Jan 06 15:04 +0000"),
        "time|2006-01-02 15:04:00 +0000 UTC",
    ),
    (
        lambda: T("parse", LAYOUTS["format_rfc850"], "Monday, 02-Jan-06 15:04:05 PST"),
        "time|2006-01-02 15:04:05 +0000 PST",
    ),
    (
        lambda: T("parse", LAYOUTS["format_rfc1123"], "Mon, 02 Jan 2006 15:04:05 GMT"),
        "time|2006-01-02 15:04:05 +0000 GMT",
    ),
    (
        lambda: T("parse", LAYOUTS["format_rfc1123z"], "Mon, 02 Jan 2006 15:04:05 +0530"),
        "time|2006-01-02 15:04:05 +0530 +0530",
    ),
    (
        lambda: T("parse", LAYOUTS["format_kitchen"], LAYOUTS["format_kitchen"]),
        "time|0000-01-01 15:04:00 +0000 UTC",
    ),
    (
        lambda: T("parse", LAYOUTS["format_kitchen"], "12:00AM"),
        "time|0000-01-01 00:00:00 +0000 UTC",
    ),
    (
        lambda: T("parse", LAYOUTS["format_kitchen"], "12:00PM"),
        "time|0000-01-01 12:00:00 +0000 UTC",
    ),
    (
        lambda: T("parse", LAYOUTS["format_kitchen"], "13:00PM"),
        'ERR|parsing time "13:00PM": hour out of range',
    ),
    (
        lambda: T("parse", LAYOUTS["format_kitchen"], "3:04XM"),
        'ERR|parsing time "3:04XM" as "3:04PM": cannot parse "" as "PM"',
    ),
    (
        lambda: T("parse", LAYOUTS["format_stamp"], "Feb  3 04:05:06"),
        "time|0000-02-03 04:05:06 +0000 UTC",
    ),
    (
        lambda: T("parse", LAYOUTS["format_stamp_milli"], "Feb  3 04:05:06.789"),
        "time|0000-02-03 04:05:06.789 +0000 UTC",
    ),
    (
        lambda: T("parse", LAYOUTS["format_stamp_micro"], "Feb  3 04:05:06.78"),
        (
            'ERR|parsing time "Feb  3 04:05:06.78" as "Jan _2 15:04:05.00'
            '0000": cannot parse ".78" as ".000000"'
        ),
    ),
    (lambda: T("parse", "2006-01-02", "2024-02-29"), "time|2024-02-29 00:00:00 +0000 UTC"),
    (
        lambda: T("parse", "2006-01-02", "2023-02-29"),
        'ERR|parsing time "2023-02-29": day out of range',
    ),
    (
        lambda: T("parse", "2006-01-02", "2023-2-28"),
        'ERR|parsing time "2023-2-28" as "2006-01-02": cannot parse "2-28" as "01"',
    ),
    (lambda: T("parse", "2006-1-2", "2023-2-8"), "time|2023-02-08 00:00:00 +0000 UTC"),
    (lambda: T("parse", "2006-002", "2024-060"), "time|2024-02-29 00:00:00 +0000 UTC"),
    (
        lambda: T("parse", "2006-002", "2023-366"),
        'ERR|parsing time "2023-366": day-of-year out of range',
    ),
    (lambda: T("parse", "2006-002 01/02", "2024-060 02/29"), "time|2024-02-29 00:00:00 +0000 UTC"),
    (
        lambda: T("parse", "2006-002 01/02", "2024-060 03/01"),
        'ERR|parsing time "2024-060 03/01": day-of-year does not match month',
    ),
    (lambda: T("parse", "2006 __2", "2024  60"), "time|2024-02-29 00:00:00 +0000 UTC"),
    (lambda: T("parse", "15:04:05", "10:20:30.123"), "time|0000-01-01 10:20:30.123 +0000 UTC"),
    (lambda: T("parse", "15:04:05", "10:20:30,5"), "time|0000-01-01 10:20:30.5 +0000 UTC"),
    (
        lambda: T("parse", "15:04:05.000", "10:20:30.12"),
        'ERR|parsing time "10:20:30.12" as "15:04:05.000": cannot parse ".12" as ".000"',
    ),
    (
        lambda: T("parse", "15:04:05.000", "10:20:30.1234"),
        'ERR|parsing time "10:20:30.1234": extra text: "4"',
    ),
    (lambda: T("parse", "15:04:05.999", "10:20:30"), "time|0000-01-01 10:20:30 +0000 UTC"),
    (
        lambda: T("parse", "15:04:05.999", "10:20:30.1234567891234"),
        'ERR|parsing time "10:20:30.1234567891234": extra text: "1234"',
    ),
    (
        lambda: T("parse", "15:04:05", "10:20:30.123456789123"),
        "time|0000-01-01 10:20:30.123456789 +0000 UTC",
    ),
    (lambda: T("parse", "05", ".5"), "time|0000-01-01 00:00:00.5 +0000 UTC"),
    (lambda: T("parse", "January 2, 2006", "march 7, 2023"), "time|2023-03-07 00:00:00 +0000 UTC"),
    (lambda: T("parse", "Jan 2, 2006", "SEP 17, 2023"), "time|2023-09-17 00:00:00 +0000 UTC"),
    (lambda: T("parse", "Mon, Jan 2", "Fri, Mar 3"), "time|0000-03-03 00:00:00 +0000 UTC"),
    (
        lambda: T("parse", "Mon, Jan 2", "Fro, Mar 3"),
        'ERR|parsing time "Fro, Mar 3" as "Mon, Jan 2": cannot parse "Fro, Mar 3" as "Mon"',
    ),
    (lambda: T("parse", "Monday", "tuesday"), "time|0000-01-01 00:00:00 +0000 UTC"),
    (lambda: T("parse", "2006 MST", "2023 CEST"), "time|2023-01-01 00:00:00 +0000 CEST"),
    (lambda: T("parse", "2006 MST", "2023 ChST"), "time|2023-01-01 00:00:00 +0000 ChST"),
    (lambda: T("parse", "2006 MST", "2023 WITA"), "time|2023-01-01 00:00:00 +0000 WITA"),
    (
        lambda: T("parse", "2006 MST", "2023 AB"),
        'ERR|parsing time "2023 AB" as "2006 MST": cannot parse "AB" as "MST"',
    ),
    (lambda: T("parse", "2006 MST", "2023 +05"), "time|2023-01-01 00:00:00 +0000 +05"),
    (lambda: T("parse", "2006 MST -0700", "2023 EST -0500"), "time|2023-01-01 00:00:00 -0500 EST"),
    (lambda: T("parse", "2006 MST -0700", "2023 UTC -0500"), "time|2023-01-01 00:00:00 +0000 UTC"),
    (lambda: T("parse", "2006 MST -0700", "2023 GMT +0000"), "time|2023-01-01 00:00:00 +0000 GMT"),
    (lambda: T("parse", "2006 -07", "2023 -05"), "time|2023-01-01 00:00:00 -0500 -0500"),
    (lambda: T("parse", "2006 -070000", "2023 -053015"), "time|2023-01-01 00:00:00 -0530 -0530"),
    (
        lambda: T("parse", "2006 -07:00:00", "2023 +05:30:15"),
        "time|2023-01-01 00:00:00 +0530 +0530",
    ),
    (
        lambda: T("parse", "2006 Z07:00:00", "2023 Z"),
        'ERR|parsing time "2023 Z" as "2006 Z07:00:00": cannot parse "Z" as "Z07:00:00"',
    ),
    (
        lambda: T("parse", "2006 Z070000", "2023 Z"),
        'ERR|parsing time "2023 Z" as "2006 Z070000": cannot parse "Z" as "Z070000"',
    ),
    (lambda: T("parse", "2006 Z07", "2023 Z"), "time|2023-01-01 00:00:00 +0000 UTC"),
    (
        lambda: T("parse", "2006 -0700", "2023 05000"),
        'ERR|parsing time "2023 05000" as "2006 -0700": cannot parse "" as "-0700"',
    ),
    (
        lambda: T("parse", "2006 -07:00", "2023 +05-00"),
        'ERR|parsing time "2023 +05-00" as "2006 -07:00": cannot parse "+05-00" as "-07:00"',
    ),
    (
        lambda: T("parse", "2006 -07:00", "2023 +0x:00"),
        'ERR|parsing time "2023 +0x:00" as "2006 -07:00": cannot parse "" as "-07:00"',
    ),
    (lambda: T("parse", "2006  01", "2023 01"), "time|2023-01-01 00:00:00 +0000 UTC"),
    (lambda: T("parse", "2006 01", "2023  01"), "time|2023-01-01 00:00:00 +0000 UTC"),
    (lambda: T("parse", "2006 01 ", "2023 01"), "time|2023-01-01 00:00:00 +0000 UTC"),
    (
        lambda: T("parse", "2006", "20x3"),
        'ERR|parsing time "20x3" as "2006": cannot parse "" as "2006"',
    ),
    (
        lambda: T("parse", "2006", "123"),
        'ERR|parsing time "123" as "2006": cannot parse "123" as "2006"',
    ),
    (lambda: T("parse", "06", "68"), "time|2068-01-01 00:00:00 +0000 UTC"),
    (lambda: T("parse", "06", "69"), "time|1969-01-01 00:00:00 +0000 UTC"),
    (lambda: T("parse", "06", "+1"), "time|2001-01-01 00:00:00 +0000 UTC"),
    (lambda: T("parse", "3 pm", "11 am"), "time|0000-01-01 11:00:00 +0000 UTC"),
    (
        lambda: T("parse", "3 PM", "11 pm"),
        'ERR|parsing time "11 pm" as "3 PM": cannot parse "" as "PM"',
    ),
    (lambda: T("parse", "_2 Jan", " 5 Feb"), "time|0000-02-05 00:00:00 +0000 UTC"),
    (lambda: T("parse", "_2 Jan", "5 Feb"), "time|0000-02-05 00:00:00 +0000 UTC"),
    (
        lambda: T("parse", "02 Jan", "5 Feb"),
        'ERR|parsing time "5 Feb" as "02 Jan": cannot parse "5 Feb" as "02"',
    ),
    (lambda: T("parse", "2 Jan", "35 Feb"), 'ERR|parsing time "35 Feb": day out of range'),
    (lambda: T("parse", "", ""), "time|0000-01-01 00:00:00 +0000 UTC"),
    (lambda: T("parse", "", "x"), 'ERR|parsing time "x": extra text: "x"'),
    (lambda: T("parse", "hello", "hello"), "time|0000-01-01 00:00:00 +0000 UTC"),
    (
        lambda: T("parse", "hello", "help"),
        'ERR|parsing time "help" as "hello": cannot parse "p" as "hello"',
    ),
    (
        lambda: T(
            "parse",
            "2006-01-02 15:04:05.000000000 -0700 MST",
            "2006-01-02 15:04:05.000000001 +0100 CET",
        ),
        "time|2006-01-02 15:04:05.000000001 +0100 CET",
    ),
    (
        lambda: T("parse", "2006-01-02 é", "2023-01-02 è"),
        (
            'ERR|parsing time "2023-01-02 \\xc3\\xa8" as "2006-01-02 \\xc3\\x'
            'a9": cannot parse "\\xa8" as " \\xc3\\xa9"'
        ),
    ),
    (
        lambda: T("parse", "2006-01-02", "é023-01-02"),
        (
            'ERR|parsing time "\\xc3\\xa9023-01-02" as "2006-01-02": cannot'
            ' parse "\\xc3\\xa9023-01-02" as "2006"'
        ),
    ),
    (
        lambda: T("parse", "15:04:05.000", "10:20:30.-12"),
        'ERR|parsing time "10:20:30.-12": fractional second out of range',
    ),
    (
        lambda: T("parse", "15:04:05.000", "10:20:30x123"),
        'ERR|parsing time "10:20:30x123" as "15:04:05.000": cannot parse "" as ".000"',
    ),
    (
        lambda: T("parse", "15:04:05 PM", "10:20:30 xx"),
        'ERR|parsing time "10:20:30 xx" as "15:04:05 PM": cannot parse "" as "PM"',
    ),
    (
        lambda: T("parse", "2006 -07:00", "2023 +05:0x"),
        'ERR|parsing time "2023 +05:0x" as "2006 -07:00": cannot parse "" as "-07:00"',
    ),
    (
        lambda: T("parse", "Jan _2", "Jan  x"),
        'ERR|parsing time "Jan  x" as "Jan _2": cannot parse "x" as "_2"',
    ),
    (
        lambda: T("parse", "2006 __2", "2024  x"),
        'ERR|parsing time "2024  x" as "2006 __2": cannot parse "x" as "__2"',
    ),
    (
        lambda: T("time_location", T("parse", LAYOUTS["format_rfc3339"], "2006-01-02T15:04:05Z")),
        "string|UTC",
    ),
    (
        lambda: T(
            "time_location", T("parse", LAYOUTS["format_rfc3339"], "2006-01-02T15:04:05+07:00")
        ),
        "string|",
    ),
    (
        lambda: T(
            "time_location", T("parse", LAYOUTS["format_rfc3339"], "2006-01-02T15:04:05+00:00")
        ),
        "string|Local",
    ),
    (lambda: T("time_location", T("parse", "2006 MST", "2023 CEST")), "string|CEST"),
    (lambda: T("time_location", T("parse", "2006 MST -0700", "2023 GMT +0000")), "string|GMT"),
    (lambda: T("time_location", T("parse", "2006", "2023")), "string|UTC"),
    (lambda: T("time_location", T("parse", "2006 -0700", "2023 +0100")), "string|"),
    (lambda: T("parse_duration", "1h2m3.5s"), "int|3723500000000"),
    (lambda: T("parse_duration", "300ms"), "int|300000000"),
    (lambda: T("parse_duration", "-1.5h"), "int|-5400000000000"),
    (lambda: T("parse_duration", "2h45m"), "int|9900000000000"),
    (lambda: T("parse_duration", "1.5µs"), "int|1500"),
    (lambda: T("parse_duration", "1.5us"), "int|1500"),
    (lambda: T("parse_duration", "1.5μs"), "int|1500"),
    (lambda: T("parse_duration", "10ns"), "int|10"),
    (lambda: T("parse_duration", "0"), "int|0"),
    (lambda: T("parse_duration", "-0"), "int|0"),
    (lambda: T("parse_duration", "+0"), "int|0"),
    (lambda: T("parse_duration", ""), 'ERR|time: invalid duration ""'),
    (lambda: T("parse_duration", "-"), 'ERR|time: invalid duration "-"'),
    (lambda: T("parse_duration", "1"), 'ERR|time: missing unit in duration "1"'),
    (lambda: T("parse_duration", "1x"), 'ERR|time: unknown unit "x" in duration "1x"'),
    (lambda: T("parse_duration", "1.s"), "int|1000000000"),
    (lambda: T("parse_duration", ".5s"), "int|500000000"),
    (lambda: T("parse_duration", ".s"), 'ERR|time: invalid duration ".s"'),
    (lambda: T("parse_duration", "1.0000000001s"), "int|1000000000"),
    (lambda: T("parse_duration", "9223372036854775807ns"), "int|9223372036854775807"),
    (
        lambda: T("parse_duration", "9223372036854775808ns"),
        'ERR|time: invalid duration "9223372036854775808ns"',
    ),
    (lambda: T("parse_duration", "-9223372036854775808ns"), "int|-9223372036854775808"),
    (lambda: T("parse_duration", "2562047h47m16.854775807s"), "int|9223372036854775807"),
    (lambda: T("parse_duration", "2562048h"), 'ERR|time: invalid duration "2562048h"'),
    (lambda: T("parse_duration", "1h1h"), "int|7200000000000"),
    (lambda: T("parse_duration", "1e3s"), 'ERR|time: unknown unit "e" in duration "1e3s"'),
    (lambda: T("parse_duration", "1s2"), 'ERR|time: missing unit in duration "1s2"'),
    (lambda: T("parse_duration", "0.3333333333333333333h"), "int|1200000000000"),
    (lambda: T("parse_duration", "3h.5m"), "int|10830000000000"),
    (
        lambda: T("parse_duration", "123456789.123456789h"),
        'ERR|time: invalid duration "123456789.123456789h"',
    ),
    (lambda: T("duration_string", 0), "string|0s"),
    (lambda: T("duration_string", 1), "string|1ns"),
    (lambda: T("duration_string", 999), "string|999ns"),
    (lambda: T("duration_string", 1000), "string|1µs"),
    (lambda: T("duration_string", 1500), "string|1.5µs"),
    (lambda: T("duration_string", 999999), "string|999.999µs"),
    (lambda: T("duration_string", 1000000), "string|1ms"),
    (lambda: T("duration_string", 1500000), "string|1.5ms"),
    (lambda: T("duration_string", 999999999), "string|999.999999ms"),
    (lambda: T("duration_string", 1000000000), "string|1s"),
    (lambda: T("duration_string", 1000000001), "string|1.000000001s"),
    (lambda: T("duration_string", 61500000000), "string|1m1.5s"),
    (lambda: T("duration_string", 3661000000000), "string|1h1m1s"),
    (lambda: T("duration_string", -1), "string|-1ns"),
    (lambda: T("duration_string", -1500), "string|-1.5µs"),
    (lambda: T("duration_string", -3600000000000), "string|-1h0m0s"),
    (lambda: T("duration_string", 9223372036854775807), "string|2562047h47m16.854775807s"),
    (lambda: T("duration_string", -9223372036854775808), "string|-2562047h47m16.854775808s"),
    (lambda: T("duration_string", 90061001002003), "string|25h1m1.001002003s"),
    (lambda: T("duration_hours", 1), "float|0.0000000000002777777777777778"),
    (lambda: T("duration_minutes", 1), "float|0.000000000016666666666666667"),
    (lambda: T("duration_seconds", 1), "float|0.000000001"),
    (lambda: T("duration_nanoseconds", 1), "int|1"),
    (lambda: T("duration_hours", 1500), "float|0.0000000004166666666666667"),
    (lambda: T("duration_minutes", 1500), "float|0.000000025"),
    (lambda: T("duration_seconds", 1500), "float|0.0000015"),
    (lambda: T("duration_nanoseconds", 1500), "int|1500"),
    (lambda: T("duration_hours", 61500000000), "float|0.017083333333333332"),
    (lambda: T("duration_minutes", 61500000000), "float|1.025"),
    (lambda: T("duration_seconds", 61500000000), "float|61.5"),
    (lambda: T("duration_nanoseconds", 61500000000), "int|61500000000"),
    (lambda: T("duration_hours", -3600000000000), "float|-1"),
    (lambda: T("duration_minutes", -3600000000000), "float|-60"),
    (lambda: T("duration_seconds", -3600000000000), "float|-3600"),
    (lambda: T("duration_nanoseconds", -3600000000000), "int|-3600000000000"),
    (lambda: T("duration_hours", 9223372036854775807), "float|2562047.7880152157"),
    (lambda: T("duration_minutes", 9223372036854775807), "float|153722867.28091294"),
    (lambda: T("duration_seconds", 9223372036854775807), "float|9223372036.854776"),
    (lambda: T("duration_nanoseconds", 9223372036854775807), "int|9223372036854775807"),
    (lambda: T("duration_hours", -9223372036854775808), "float|-2562047.7880152157"),
    (lambda: T("duration_minutes", -9223372036854775808), "float|-153722867.28091294"),
    (lambda: T("duration_seconds", -9223372036854775808), "float|-9223372036.854776"),
    (lambda: T("duration_nanoseconds", -9223372036854775808), "int|-9223372036854775808"),
    (lambda: T("duration_hours", 90061001002003), "float|25.01694472277861"),
    (lambda: T("duration_minutes", 90061001002003), "float|1501.0166833667167"),
    (lambda: T("duration_seconds", 90061001002003), "float|90061.001002003"),
    (lambda: T("duration_nanoseconds", 90061001002003), "int|90061001002003"),
    (lambda: T("month_string", 0), "string|%!Month(0)"),
    (lambda: T("month_string", 1), "string|January"),
    (lambda: T("month_string", 6), "string|June"),
    (lambda: T("month_string", 12), "string|December"),
    (lambda: T("month_string", 13), "string|%!Month(13)"),
    (lambda: T("month_string", -1), "string|%!Month(18446744073709551615)"),
    (lambda: D(2023, 13, 1, 0, 0, 0, 0), "time|2024-01-01 00:00:00 +0000 UTC"),
    (lambda: D(2023, 0, 1, 0, 0, 0, 0), "time|2022-12-01 00:00:00 +0000 UTC"),
    (lambda: D(2023, 1, 0, 0, 0, 0, 0), "time|2022-12-31 00:00:00 +0000 UTC"),
    (lambda: D(2023, 3, 0, 0, 0, 0, 0), "time|2023-02-28 00:00:00 +0000 UTC"),
    (lambda: D(2024, 3, 0, 0, 0, 0, 0), "time|2024-02-29 00:00:00 +0000 UTC"),
    (lambda: D(2023, 1, 1, 25, 61, 61, 1000000001), "time|2023-01-02 02:02:02.000000001 +0000 UTC"),
    (lambda: D(2023, 1, 1, -1, 0, 0, -1), "time|2022-12-31 22:59:59.999999999 +0000 UTC"),
    (lambda: D(2023, -11, 40, 0, 0, 0, 0), "time|2022-02-09 00:00:00 +0000 UTC"),
    (lambda: D(2024, 3, 10, 2, 30, 0, 0, "America/New_York"), "time|2024-03-10 01:30:00 -0500 EST"),
    (lambda: D(2024, 11, 3, 1, 30, 0, 0, "America/New_York"), "time|2024-11-03 01:30:00 -0400 EDT"),
    (lambda: D(2024, 3, 31, 2, 30, 0, 0, "Europe/Berlin"), "time|2024-03-31 03:30:00 +0200 CEST"),
    (lambda: D(1900, 1, 1, 0, 0, 0, 0, "Europe/Amsterdam"), "time|1900-01-01 00:00:00 +0019 AMT"),
    (lambda: D(1970, 1, 1, 0, 0, 0, 0), "time|1970-01-01 00:00:00 +0000 UTC"),
    (lambda: D(1, 1, 1, 0, 0, 0, 0, "UTC"), "time|0001-01-01 00:00:00 +0000 UTC"),
    (lambda: D(0, 1, 1, 0, 0, 0, 0, "UTC"), "time|0000-01-01 00:00:00 +0000 UTC"),
    (lambda: D(2000, 2, 29, 12, 0, 0, 0), "time|2000-02-29 12:00:00 +0000 UTC"),
    (lambda: D(1600, 12, 31, 0, 0, 0, 0, "UTC"), "time|1600-12-31 00:00:00 +0000 UTC"),
    (lambda: D(-1, 12, 31, 0, 0, 0, 0, "UTC"), "time|-0001-12-31 00:00:00 +0000 UTC"),
    (lambda: D(99999, 1, 1, 0, 0, 0, 0, "UTC"), "time|99999-01-01 00:00:00 +0000 UTC"),
    (lambda: D(2023, 6, 15, 12, 0, 0, 0, ""), "time|2023-06-15 12:00:00 +0000 UTC"),
    (lambda: D(2023, 6, 15, 12, 0, 0, 0, "Local"), "time|2023-06-15 12:00:00 +0000 UTC"),
    (lambda: D(2023, 6, 15, 12, 0, 0, 0, "Nowhere/City"), "ERR|unknown time zone Nowhere/City"),
    (lambda: D(2023, 6, 15, 12, 0, 0, 0, "../etc/passwd"), "ERR|time: invalid location name"),
    (lambda: D(2023, 6, 15, 12, 0, 0, 0, "/etc/localtime"), "ERR|time: invalid location name"),
    (lambda: D(2023, 6, 15, 12, 0, 0, 0, "Etc/GMT+5"), "time|2023-06-15 12:00:00 -0500 -05"),
    (lambda: D(2023, 6, 15, 12, 0, 0, 0, "EST"), "time|2023-06-15 12:00:00 -0500 EST"),
    (lambda: D(2023.9, "6", 15, True, 0, 0, 0), "time|2023-06-15 01:00:00 +0000 UTC"),
    (lambda: T("time_year", D(2023, 1, 1, -1, 0, 0, -1)), "int|2022"),
    (lambda: T("time_month", D(2023, 1, 1, -1, 0, 0, -1)), "int|12"),
    (lambda: T("time_day", D(2023, 1, 1, -1, 0, 0, -1)), "int|31"),
    (lambda: T("time_weekday", D(2023, 1, 1, -1, 0, 0, -1)), "int|6"),
    (lambda: T("time_hour", D(2023, 1, 1, -1, 0, 0, -1)), "int|22"),
    (lambda: T("time_minute", D(2023, 1, 1, -1, 0, 0, -1)), "int|59"),
    (lambda: T("time_second", D(2023, 1, 1, -1, 0, 0, -1)), "int|59"),
    (lambda: T("time_nanosecond", D(2023, 1, 1, -1, 0, 0, -1)), "int|999999999"),
    (lambda: T("time_unix", D(2023, 1, 1, -1, 0, 0, -1)), "int|1672527599"),
    (lambda: T("time_unix_nano", D(2023, 1, 1, -1, 0, 0, -1)), "int|1672527599999999999"),
    (lambda: T("time_location", D(2023, 1, 1, -1, 0, 0, -1)), "string|Local"),
    (lambda: T("is_zero", D(2023, 1, 1, -1, 0, 0, -1)), "bool|false"),
    (lambda: T("time_year", D(2024, 3, 10, 2, 30, 0, 0, "America/New_York")), "int|2024"),
    (lambda: T("time_month", D(2024, 3, 10, 2, 30, 0, 0, "America/New_York")), "int|3"),
    (lambda: T("time_day", D(2024, 3, 10, 2, 30, 0, 0, "America/New_York")), "int|10"),
    (lambda: T("time_weekday", D(2024, 3, 10, 2, 30, 0, 0, "America/New_York")), "int|0"),
    (lambda: T("time_hour", D(2024, 3, 10, 2, 30, 0, 0, "America/New_York")), "int|1"),
    (lambda: T("time_minute", D(2024, 3, 10, 2, 30, 0, 0, "America/New_York")), "int|30"),
    (lambda: T("time_second", D(2024, 3, 10, 2, 30, 0, 0, "America/New_York")), "int|0"),
    (lambda: T("time_nanosecond", D(2024, 3, 10, 2, 30, 0, 0, "America/New_York")), "int|0"),
    (lambda: T("time_unix", D(2024, 3, 10, 2, 30, 0, 0, "America/New_York")), "int|1710052200"),
    (
        lambda: T("time_unix_nano", D(2024, 3, 10, 2, 30, 0, 0, "America/New_York")),
        "int|1710052200000000000",
    ),
    (
        lambda: T("time_location", D(2024, 3, 10, 2, 30, 0, 0, "America/New_York")),
        "string|America/New_York",
    ),
    (lambda: T("is_zero", D(2024, 3, 10, 2, 30, 0, 0, "America/New_York")), "bool|false"),
    (lambda: T("time_year", D(2024, 11, 3, 1, 30, 0, 0, "America/New_York")), "int|2024"),
    (lambda: T("time_month", D(2024, 11, 3, 1, 30, 0, 0, "America/New_York")), "int|11"),
    (lambda: T("time_day", D(2024, 11, 3, 1, 30, 0, 0, "America/New_York")), "int|3"),
    (lambda: T("time_weekday", D(2024, 11, 3, 1, 30, 0, 0, "America/New_York")), "int|0"),
    (lambda: T("time_hour", D(2024, 11, 3, 1, 30, 0, 0, "America/New_York")), "int|1"),
    (lambda: T("time_minute", D(2024, 11, 3, 1, 30, 0, 0, "America/New_York")), "int|30"),
    (lambda: T("time_second", D(2024, 11, 3, 1, 30, 0, 0, "America/New_York")), "int|0"),
    (lambda: T("time_nanosecond", D(2024, 11, 3, 1, 30, 0, 0, "America/New_York")), "int|0"),
    (lambda: T("time_unix", D(2024, 11, 3, 1, 30, 0, 0, "America/New_York")), "int|1730611800"),
    (
        lambda: T("time_unix_nano", D(2024, 11, 3, 1, 30, 0, 0, "America/New_York")),
        "int|1730611800000000000",
    ),
    (
        lambda: T("time_location", D(2024, 11, 3, 1, 30, 0, 0, "America/New_York")),
        "string|America/New_York",
    ),
    (lambda: T("is_zero", D(2024, 11, 3, 1, 30, 0, 0, "America/New_York")), "bool|false"),
    (lambda: T("time_year", D(0, 1, 1, 0, 0, 0, 0, "UTC")), "int|0"),
    (lambda: T("time_month", D(0, 1, 1, 0, 0, 0, 0, "UTC")), "int|1"),
    (lambda: T("time_day", D(0, 1, 1, 0, 0, 0, 0, "UTC")), "int|1"),
    (lambda: T("time_weekday", D(0, 1, 1, 0, 0, 0, 0, "UTC")), "int|6"),
    (lambda: T("time_hour", D(0, 1, 1, 0, 0, 0, 0, "UTC")), "int|0"),
    (lambda: T("time_minute", D(0, 1, 1, 0, 0, 0, 0, "UTC")), "int|0"),
    (lambda: T("time_second", D(0, 1, 1, 0, 0, 0, 0, "UTC")), "int|0"),
    (lambda: T("time_nanosecond", D(0, 1, 1, 0, 0, 0, 0, "UTC")), "int|0"),
    (lambda: T("time_unix", D(0, 1, 1, 0, 0, 0, 0, "UTC")), "int|-62167219200"),
    (lambda: T("time_unix_nano", D(0, 1, 1, 0, 0, 0, 0, "UTC")), "int|-6826986978871345152"),
    (lambda: T("time_location", D(0, 1, 1, 0, 0, 0, 0, "UTC")), "string|UTC"),
    (lambda: T("is_zero", D(0, 1, 1, 0, 0, 0, 0, "UTC")), "bool|false"),
    (lambda: T("time_year", D(-1, 12, 31, 0, 0, 0, 0, "UTC")), "int|-1"),
    (lambda: T("time_month", D(-1, 12, 31, 0, 0, 0, 0, "UTC")), "int|12"),
    (lambda: T("time_day", D(-1, 12, 31, 0, 0, 0, 0, "UTC")), "int|31"),
    (lambda: T("time_weekday", D(-1, 12, 31, 0, 0, 0, 0, "UTC")), "int|5"),
    (lambda: T("time_hour", D(-1, 12, 31, 0, 0, 0, 0, "UTC")), "int|0"),
    (lambda: T("time_minute", D(-1, 12, 31, 0, 0, 0, 0, "UTC")), "int|0"),
    (lambda: T("time_second", D(-1, 12, 31, 0, 0, 0, 0, "UTC")), "int|0"),
    (lambda: T("time_nanosecond", D(-1, 12, 31, 0, 0, 0, 0, "UTC")), "int|0"),
    (lambda: T("time_unix", D(-1, 12, 31, 0, 0, 0, 0, "UTC")), "int|-62167305600"),
    (lambda: T("time_unix_nano", D(-1, 12, 31, 0, 0, 0, 0, "UTC")), "int|-6827073378871345152"),
    (lambda: T("time_location", D(-1, 12, 31, 0, 0, 0, 0, "UTC")), "string|UTC"),
    (lambda: T("is_zero", D(-1, 12, 31, 0, 0, 0, 0, "UTC")), "bool|false"),
    (lambda: T("time_year", D(2000, 2, 29, 12, 0, 0, 0)), "int|2000"),
    (lambda: T("time_month", D(2000, 2, 29, 12, 0, 0, 0)), "int|2"),
    (lambda: T("time_day", D(2000, 2, 29, 12, 0, 0, 0)), "int|29"),
    (lambda: T("time_weekday", D(2000, 2, 29, 12, 0, 0, 0)), "int|2"),
    (lambda: T("time_hour", D(2000, 2, 29, 12, 0, 0, 0)), "int|12"),
    (lambda: T("time_minute", D(2000, 2, 29, 12, 0, 0, 0)), "int|0"),
    (lambda: T("time_second", D(2000, 2, 29, 12, 0, 0, 0)), "int|0"),
    (lambda: T("time_nanosecond", D(2000, 2, 29, 12, 0, 0, 0)), "int|0"),
    (lambda: T("time_unix", D(2000, 2, 29, 12, 0, 0, 0)), "int|951825600"),
    (lambda: T("time_unix_nano", D(2000, 2, 29, 12, 0, 0, 0)), "int|951825600000000000"),
    (lambda: T("time_location", D(2000, 2, 29, 12, 0, 0, 0)), "string|Local"),
    (lambda: T("is_zero", D(2000, 2, 29, 12, 0, 0, 0)), "bool|false"),
    (
        lambda: T("add", T0, -1),
        "time|2009-11-10 22:59:59.999999999 +0000 UTC",
    ),
    (
        lambda: T("sub", T0, D(2009, 11, 9, 23, 0, 0, 0)),
        "int|86400000000000",
    ),
    (
        lambda: T("sub", D(1, 1, 1, 0, 0, 0, 0, "UTC"), T0),
        "int|-9223372036854775808",
    ),
    (
        lambda: T("sub", D(2500, 1, 1, 0, 0, 0, 0, "UTC"), D(1700, 1, 1, 0, 0, 0, 0, "UTC")),
        "int|9223372036854775807",
    ),
    (
        lambda: T("add_date", D(2011, 1, 1, 0, 0, 0, 0), -1, 2, 3),
        "time|2010-03-04 00:00:00 +0000 UTC",
    ),
    (
        lambda: T("add_date", D(2024, 1, 31, 10, 0, 0, 5), 0, 1, 0),
        "time|2024-03-02 10:00:00.000000005 +0000 UTC",
    ),
    (
        lambda: T("add_date", D(2024, 2, 29, 0, 0, 0, 0), 1, 0, 0),
        "time|2025-03-01 00:00:00 +0000 UTC",
    ),
    (
        lambda: T("add_date", D(2024, 3, 9, 12, 0, 0, 0, "America/New_York"), 0, 0, 1),
        "time|2024-03-10 12:00:00 -0400 EDT",
    ),
    (lambda: T("after", T0, D(2009, 11, 10, 22, 0, 0, 0)), "bool|true"),
    (lambda: T("before", T0, D(2009, 11, 10, 22, 0, 0, 0)), "bool|false"),
    (lambda: T("after", T0, T0), "bool|false"),
    (lambda: T("before", 0, 1), "bool|true"),
    (lambda: T("unix", 1234567890, 0), "time|2009-02-13 23:31:30 +0000 UTC"),
    (lambda: T("unix", 0, -1), "time|1969-12-31 23:59:59.999999999 +0000 UTC"),
    (lambda: T("unix", -1, 1999999999), "time|1970-01-01 00:00:00.999999999 +0000 UTC"),
    (lambda: T("unix", 1, 9223372036854775807), "time|2262-04-11 23:47:17.854775807 +0000 UTC"),
    (lambda: T("time_unix", 1700000000), "int|1700000000"),
    (lambda: T("time_year", 0), "int|1970"),
    (
        lambda: T("time_string", T("unix", 1234567890, 5)),
        "string|2009-02-13 23:31:30.000000005 +0000 UTC",
    ),
    (lambda: T("to_utc", T0), "time|2009-11-10 23:00:00 +0000 UTC"),
    (lambda: T("time_location", T("to_utc", T0)), "string|UTC"),
    (
        lambda: T("to_local", T("to_utc", T0)),
        "time|2009-11-10 23:00:00 +0000 UTC",
    ),
    (
        lambda: T("time_location", T("to_local", T("to_utc", T0))),
        "string|Local",
    ),
    (
        lambda: T("in_location", T0, "Asia/Tokyo"),
        "time|2009-11-11 08:00:00 +0900 JST",
    ),
    (
        lambda: T("in_location", T0, "America/Los_Angeles"),
        "time|2009-11-10 15:00:00 -0800 PST",
    ),
    (
        lambda: T("time_location", T("in_location", T0, "Asia/Tokyo")),
        "string|Asia/Tokyo",
    ),
    (
        lambda: T("in_location", T0, "Mars/Base"),
        "ERR|unknown time zone Mars/Base",
    ),
    (
        lambda: T("in_location", T0, ""),
        "time|2009-11-10 23:00:00 +0000 UTC",
    ),
    (
        lambda: T("in_location", T0, "Australia/Lord_Howe"),
        "time|2009-11-11 10:00:00 +1100 +11",
    ),
    (lambda: T("is_zero", T("parse", "2006", "0001")), "bool|true"),
    (lambda: T("is_zero", D(1, 1, 1, 0, 0, 0, 0, "UTC")), "bool|true"),
    (lambda: T("is_zero", D(1, 1, 1, 0, 0, 0, 0, "Asia/Tokyo")), "bool|false"),
    (lambda: T("is_zero", T0), "bool|false"),
    (lambda: T("time_unix_nano", D(1, 1, 1, 0, 0, 0, 0, "UTC")), "int|-6795364578871345152"),
    (lambda: T("time_unix_nano", D(2262, 4, 12, 0, 0, 0, 0, "UTC")), "int|-9223371273709551616"),
    (
        lambda: T(
            "time_format",
            T("in_location", TN, "Asia/Kathmandu"),
            "2006-01-02T15:04:05.000Z07:00 MST",
        ),
        "string|2023-03-07T13:54:05.123+05:45 +0545",
    ),
    (
        lambda: T(
            "time_format",
            T("in_location", D(1850, 1, 1, 0, 0, 0, 0, "UTC"), "Europe/Amsterdam"),
            "15:04:05 -07:00:00 Z07:00:00 MST",
        ),
        "string|00:19:32 +00:19:32 +00:19:32 AMT",
    ),
    (lambda: T("time_format", T("parse", "-0700", "+0130"), "MST Z07 -07"), "string|+0130 +01 +01"),
    (
        lambda: T("time_format", T("parse", "-070000", "-000030"), "MST|-07:00:00|Z070000|Z07"),
        "string|+0000|+00:00:-30|+0000-30|+00",
    ),
    (
        lambda: T("time_format", T("parse", "MST", "GMT-5"), "15:04 MST -0700"),
        "string|19:00 GMT-5 -0500",
    ),
]


@pytest.mark.parametrize(("thunk", "expected"), GO_CASES)
def test_matches_go_tengo(thunk: Callable[[], Any], expected: str) -> None:
    assert outcome(thunk) == expected


# ---------------------------------------------------------------- the time value


def test_time_value_protocol() -> None:
    assert values.type_name(T0) == "time"
    assert values.go_string(T0) == "2009-11-10 23:00:00 +0000 UTC"
    assert values.go_string(Array([T0])) == "[2009-11-10 23:00:00 +0000 UTC]"
    assert values.to_string(T0) == "2009-11-10 23:00:00 +0000 UTC"


def test_only_the_zero_time_is_falsy() -> None:
    zero = T("parse", "2006", "0001")
    assert values.is_falsy(zero)
    assert values.is_falsy(D(1, 1, 1, 0, 0, 0, 0, "UTC"))
    assert not values.is_falsy(D(1, 1, 1, 0, 0, 0, 0, "Asia/Tokyo"))  # a different instant
    assert not values.is_falsy(T0)
    assert not values.is_falsy(T("unix", 0, 0))


def test_equality_compares_instants_not_locations() -> None:
    t = T0
    assert t == T("to_utc", T0)
    assert t == T("in_location", T0, "Asia/Tokyo")
    assert t != D(2009, 11, 10, 23, 0, 0, 1)
    assert t != T("time_unix", T0)  # a time never equals an int
    assert hash(t) == hash(T("in_location", T0, "Asia/Tokyo"))


@pytest.mark.parametrize(
    ("op", "rhs", "expected"),
    [  # from Go Tengo: t := times.date(2009, 11, 10, 23, 0, 0, 0)
        ("+", 1500, "time|2009-11-10 23:00:00.0000015 +0000 UTC"),
        ("-", 1500, "time|2009-11-10 22:59:59.9999985 +0000 UTC"),
        ("-", INT_MIN, "time|1717-08-01 23:12:43.145224192 +0000 UTC"),  # -minInt wraps
        ("-", D(2009, 11, 10, 22, 0, 0, 0, "Asia/Tokyo"), "int|36000000000000"),
        (">", D(2009, 11, 10, 22, 0, 0, 0, "Asia/Tokyo"), "bool|true"),
        ("<", D(2009, 11, 10, 22, 0, 0, 0, "Asia/Tokyo"), "bool|false"),
        (">=", T0, "bool|true"),
        ("<=", D(2009, 11, 10, 22, 0, 0, 0, "Asia/Tokyo"), "bool|false"),
    ],
)
def test_binary_operators(op: str, rhs: Any, expected: str) -> None:
    assert show(T0.binary_op(op, rhs)) == expected


def test_adding_zero_returns_the_same_time() -> None:
    assert T0.binary_op("+", 0) is T0
    assert T0.binary_op("-", 0) is T0


@pytest.mark.parametrize(
    ("op", "rhs"), [("+", 1.5), ("+", T0), ("*", 2), ("<", 5), ("+", "a"), ("==", T0)]
)
def test_unsupported_operators_are_left_to_the_runtime(op: str, rhs: Any) -> None:
    # The runtime turns NotImplemented into Go's "invalid operation: time + float".
    assert T0.binary_op(op, rhs) is NotImplemented


def test_time_minus_time_saturates_like_go() -> None:
    late, early = D(2262, 1, 1, 0, 0, 0, 0), D(1, 1, 1, 0, 0, 0, 0)
    assert late.binary_op("-", early) == INT_MAX
    assert early.binary_op("-", late) == INT_MIN
    assert T("sub", late, early) == INT_MAX


# ---------------------------------------------------------------- clock functions


def test_now_is_local_and_current() -> None:
    before = time.time_ns()
    now = T("now")
    after = time.time_ns()
    assert isinstance(now, Time)
    assert before <= now.ns <= after
    assert T("time_location", now) == "Local"
    assert values.go_string(now).endswith(" +0000 UTC")  # Local is UTC in the sandbox


def test_since_and_until_have_opposite_signs() -> None:
    past, future = T("add", T("now"), -(10**12)), T("add", T("now"), 10**12)
    assert 10**12 <= T("since", past) < 2 * 10**12
    assert 0 < T("until", future) <= 10**12
    assert T("until", past) < 0
    assert T("since", D(1, 1, 1, 0, 0, 0, 0)) == INT_MAX  # saturates like Go


class FakeClock:
    """Stands in for the `time` module inside `times.sleep`: no real sleeping."""

    def __init__(self) -> None:
        self.now = 100.0
        self.naps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.naps.append(seconds)
        self.now += seconds


def test_sleep_sleeps_in_short_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    monkeypatch.setattr(times, "_clock", clock)
    assert T("sleep", 35_000_000) is None  # 35 ms
    assert sum(clock.naps) == pytest.approx(0.035)
    assert max(clock.naps) <= times.SLEEP_SLICE
    assert len(clock.naps) == 4  # a deadline can interrupt between slices


@pytest.mark.parametrize("duration", [0, -1, INT_MIN])
def test_sleep_returns_at_once_for_non_positive_durations(
    monkeypatch: pytest.MonkeyPatch, duration: int
) -> None:
    clock = FakeClock()
    monkeypatch.setattr(times, "_clock", clock)
    assert T("sleep", duration) is None
    assert clock.naps == []


# ---------------------------------------------------------------- arguments


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [  # Go Tengo's words (its VM adds " in call to 'user-function:NAME'")
        (
            "time_year",
            ("x",),
            "invalid type for argument 'first': expected time(compatible), found string",
        ),
        (
            "add",
            (T0, "1h"),
            "invalid type for argument 'second': expected int(compatible), found string",
        ),
        (
            "parse",
            ("2006", None),
            "invalid type for argument 'second': expected string(compatible), found undefined",
        ),
        (
            "date",
            (2020, 1, 1, 0, 0, 0, Array([1])),
            "invalid type for argument 'seventh': expected int(compatible), found array",
        ),
        (
            "date",
            (2020, 1, 1, 0, 0, 0, 0, None),
            "invalid type for argument 'eighth': expected string(compatible), found undefined",
        ),
        (
            "sleep",
            ({},),
            "invalid type for argument 'first': expected int(compatible), found map",
        ),
        ("month_string", (), "wrong number of arguments"),
        ("now", (1,), "wrong number of arguments"),
        ("date", (2020, 1, 1, 0, 0, 0), "wrong number of arguments"),
        ("date", (2020, 1, 1, 0, 0, 0, 0, "UTC", 1), "wrong number of arguments"),
        ("add_date", (T0, 1, 2), "wrong number of arguments"),
    ],
)
def test_argument_errors(name: str, args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(RuntimeErr) as info:
        T(name, *args)
    assert str(info.value) == message


def test_compatible_arguments_convert_like_go() -> None:
    # int(compatible) takes floats (truncated), bools, chars and decimal strings;
    # time(compatible) takes an int as Unix seconds.
    assert T("month_string", 2.9) == "February"
    assert T("month_string", True) == "January"
    assert T("month_string", values.Char(3)) == "March"
    assert T("month_string", "4") == "April"
    assert T("time_year", 86400 * 366) == 1971
    assert T("time_string", 0) == "1970-01-01 00:00:00 +0000 UTC"
    assert T("parse", 2006, 2023).ns == T("parse", "2006", "2023").ns  # string(compatible)


def test_time_format_checks_the_memory_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits.budget, "max_bytes", 10_000)
    assert T("time_format", T0, "2006" * 100) == "2009" * 100
    with pytest.raises(MemoryLimitExceeded):
        T("time_format", T0, "2006" * 10_000)


def test_module_members_match_go_tengo() -> None:
    functions = {
        "sleep",
        "parse_duration",
        "since",
        "until",
        "duration_hours",
        "duration_minutes",
        "duration_nanoseconds",
        "duration_seconds",
        "duration_string",
        "month_string",
        "date",
        "now",
        "parse",
        "unix",
        "add",
        "add_date",
        "sub",
        "after",
        "before",
        "time_year",
        "time_month",
        "time_day",
        "time_weekday",
        "time_hour",
        "time_minute",
        "time_second",
        "time_nanosecond",
        "time_unix",
        "time_unix_nano",
        "time_format",
        "time_location",
        "time_string",
        "is_zero",
        "to_local",
        "to_utc",
        "in_location",
    }
    constants = {
        "nanosecond": 1,
        "microsecond": 1000,
        "millisecond": 10**6,
        "second": 10**9,
        "minute": 60 * 10**9,
        "hour": 3600 * 10**9,
        "january": 1,
        "june": 6,
        "december": 12,
        "format_rfc3339": "2006-01-02T15:04:05Z07:00",
        "format_kitchen": "3:04PM",
        "format_stamp_nano": "Jan _2 15:04:05.000000000",
    }
    assert {k for k, v in MOD.items() if callable(v)} == functions
    assert len(MOD) == len(functions) + 33
    for name, value in constants.items():
        assert MOD[name] == value
    for name, fn in MOD.items():
        if callable(fn):
            assert values.type_name(fn) == "user-function:" + name
            assert fn.__code__.co_name == name  # named in "... in call to '...'" errors
