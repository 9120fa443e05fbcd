"""Tests of the Tengo conformance corpus itself: size, coverage, header format, determinism."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

MIN_CASES = 450
# Every area of the language the corpus must keep covering, with a floor per area.
REQUIRED_AREAS = {
    "operators": 60,
    "conversions": 20,
    "truthiness": 5,
    "strings": 20,
    "bytes": 5,
    "arrays": 25,
    "maps": 15,
    "immutable": 10,
    "selectors": 5,
    "statements": 25,
    "functions": 30,
    "builtins": 40,
    "error_values": 5,
    "runtime_errors": 15,
    "compile_errors": 10,
    "parse_errors": 15,
    "stdlib_fmt": 10,
    "stdlib_math": 10,
    "stdlib_text": 30,
    "stdlib_times": 15,
    "stdlib_rand": 3,
    "stdlib_json": 10,
    "stdlib_base64": 3,
    "stdlib_hex": 3,
    "stdlib_enum": 5,
    "programs": 5,
}
NAME = re.compile(r"^[a-z0-9_]+/[a-z0-9_]+\.tengo$")
STDLIB_MODULES = ("fmt", "math", "text", "times", "rand", "json", "base64", "hex", "enum")


def test_corpus_is_large_enough(conformance_cases: list[Any]) -> None:
    assert len(conformance_cases) >= MIN_CASES


def test_every_required_area_is_covered(conformance_cases: list[Any]) -> None:
    per_area = Counter(case.name.split("/", 1)[0] for case in conformance_cases)
    thin = {a: per_area[a] for a, floor in REQUIRED_AREAS.items() if per_area[a] < floor}
    assert thin == {}


def test_files_are_named_area_slash_snake_case(conformance_cases: list[Any]) -> None:
    bad = [case.name for case in conformance_cases if not NAME.match(case.name)]
    assert bad == []


def test_every_file_has_a_well_formed_expectation(
    conformance_cases: list[Any], expectation_parser: Any
) -> None:
    broken = {}
    for case in conformance_cases:
        try:
            expectation_parser(case.source)
        except ValueError as exc:
            broken[case.name] = str(exc)
    assert broken == {}


def test_headers_are_printable_single_lines(conformance_cases: list[Any]) -> None:
    bad = []
    for case in conformance_cases:
        for line in case.source.split("\n"):
            if not line.startswith("// "):
                break
            if any(ord(c) < 0x20 or ord(c) == 0x7F for c in line):
                bad.append(case.name)
    assert bad == []


def test_programs_below_header_are_nonempty(conformance_cases: list[Any]) -> None:
    empty = [c.name for c in conformance_cases if "\n" not in c.source.strip()]
    assert empty == []


def test_error_expectations_use_the_three_kinds(
    conformance_cases: list[Any], expectation_parser: Any
) -> None:
    kinds: Counter[str] = Counter()
    for case in conformance_cases:
        error = expectation_parser(case.source).error
        if error is not None:
            kinds[error.split(":", 1)[0]] += 1
    assert set(kinds) == {"Parse Error", "Compile Error", "Runtime Error"}
    assert min(kinds.values()) >= 15


def test_no_clock_or_random_values_leak_into_results(conformance_cases: list[Any]) -> None:
    """`now` is never called, and rand is only used where results are range checks."""
    offenders = [
        case.name
        for case in conformance_cases
        if "now(" in case.source
        or ('import("rand")' in case.source and not case.name.startswith("stdlib_rand/"))
    ]
    assert offenders == []


def test_no_multi_key_map_is_printed_whole(
    conformance_cases: list[Any], expectation_parser: Any
) -> None:
    """Go map order is random, so an expected value never shows a map with two keys."""
    two_keys = re.compile(r"\{[a-z_]+: [^{}]*, [a-z_]+: ")
    bad = []
    for case in conformance_cases:
        exp = expectation_parser(case.source)
        shown = [exp.result or "", *exp.logs]
        if any(two_keys.search(text) for text in shown):
            bad.append(case.name)
    assert bad == []


def test_error_suffix_matches_the_outcome(
    conformance_cases: list[Any], expectation_parser: Any
) -> None:
    """Outside the *_errors areas, a name ends in `_error` exactly when the program fails."""
    mismatched = []
    for case in conformance_cases:
        if case.name.split("/", 1)[0].endswith("_errors"):
            continue
        fails = expectation_parser(case.source).error is not None
        if fails != case.name.endswith("_error.tengo"):
            mismatched.append(case.name)
    assert mismatched == []


@pytest.mark.parametrize("module", STDLIB_MODULES)
def test_each_stdlib_module_has_its_own_cases(conformance_cases: list[Any], module: str) -> None:
    assert any(c.name.startswith(f"stdlib_{module}/") for c in conformance_cases)


def test_os_module_is_only_used_to_check_it_is_absent(conformance_cases: list[Any]) -> None:
    users = [c.name for c in conformance_cases if 'import("os")' in c.source]
    assert users == ["compile_errors/os_module_not_available.tengo"]


# ------------------------------------------------------------ the header format itself


def test_parser_reads_logs_then_result(expectation_parser: Any) -> None:
    exp = expectation_parser('// log: a b\n// log: \n// expect: [1, "x"]\nresult := 1\n')
    assert exp.logs == ("a b", "")
    assert exp.result == '[1, "x"]'
    assert exp.error is None


def test_parser_reads_error_and_position(expectation_parser: Any) -> None:
    exp = expectation_parser("// error: Runtime Error: divide by zero\n// at: 3:7\nx := 1\n")
    assert exp.error == "Runtime Error: divide by zero"
    assert exp.at == (3, 7)
    assert exp.result is None


def test_parser_keeps_no_result_marker(expectation_parser: Any) -> None:
    assert expectation_parser("// expect: <no result>\nx := 1\n").result == "<no result>"


@pytest.mark.parametrize(
    "header",
    [
        "x := 1\n",  # no header at all
        "// log: only logs\nx := 1\n",
        "// error: Runtime Error: boom\nx := 1\n",  # no position
        "// error: Weird Error: boom\n// at: 1:1\n",
        "// at: 1:1\n// error: Runtime Error: boom\n",
        "// expect: 1\n// log: late\n",
        "// error: Runtime Error: boom\n// at: one:two\n",
        "// expect: 1\n// expect: 2\n",
    ],
)
def test_parser_rejects_malformed_headers(expectation_parser: Any, header: str) -> None:
    with pytest.raises(ValueError):
        expectation_parser(header)
