"""Collects the Zygomys conformance corpus: every `.zygomys` file under `conformance/`.

Each file starts with a header of `//` comment lines giving its expected outcome:

    // log: <line>               one per line printed (println/printf/log), in order
    // expect: <value>           `str` form of the global `result` (`<no result>` when the
                                 script never defines it)
    // error: <type>: <message>  the ScriptError type (invalid_syntax, compilation,
                                 execution) and a substring of its message

Expected values come from the reference doc (checked against real zygo) and reading the
upstream source. The engine is imported inside `runtest`, so collection never depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CONFORMANCE_DIR = Path(__file__).parent / "conformance"
NO_RESULT = "<no result>"
LOG, EXPECT, ERROR = "// log:", "// expect:", "// error:"
MARKER = "zygomys_conformance"


@dataclass(frozen=True)
class Expectation:
    logs: tuple[str, ...]
    result: str | None = None
    error: str | None = None  # "<type>: <message substring>"


def _field(line: str, prefix: str) -> str:
    rest = line[len(prefix):]
    return rest[1:] if rest.startswith(" ") else rest


def parse_expectation(source: str) -> Expectation:
    """Read a conformance file's header; raises ValueError when it is malformed."""
    logs: list[str] = []
    result = error = None
    for line in source.split("\n"):
        if not line.startswith((LOG, EXPECT, ERROR)):
            break
        if result is not None or error is not None:
            raise ValueError(f"header line after the outcome: {line!r}")
        if line.startswith(LOG):
            logs.append(_field(line, LOG))
        elif line.startswith(EXPECT):
            result = _field(line, EXPECT)
        else:
            error = _field(line, ERROR)
    if result is None and error is None:
        raise ValueError("no '// expect:' or '// error:' header line")
    return Expectation(tuple(logs), result, error)


class Mismatch(Exception):
    def __init__(self, expected: Expectation, got: str) -> None:
        super().__init__("conformance mismatch")
        self.expected = expected
        self.got = got


def run_case(source: str, name: str, expected: Expectation) -> str | None:
    """None when the program behaves as its header says, else a description of what it did."""
    from scriptvisor.engines.zygomys.engine import ZygomysEngine
    from scriptvisor.engines.zygomys.values import to_str
    from scriptvisor.protocol.errors import ScriptError

    try:
        out = ZygomysEngine().run_source(source, name)
    except ScriptError as exc:
        got = f"{exc.type.value}: {exc.message}"
        if expected.error is not None:
            kind, _, message = expected.error.partition(": ")
            if exc.type.value == kind and message in exc.message:
                return None
        return f"error {got!r}, logs {exc.logs!r}"
    result = to_str(out.result) if out.defined else NO_RESULT
    if expected.error is None and result == expected.result and tuple(out.logs) == expected.logs:
        return None
    return f"result {result!r}, logs {out.logs!r}"


class ZyFile(pytest.File):
    def collect(self) -> list[ZyItem]:
        return [ZyItem.from_parent(self, name=self.path.relative_to(CONFORMANCE_DIR).as_posix())]


class ZyItem(pytest.Item):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_marker(MARKER)

    def runtest(self) -> None:
        source = self.path.read_text(encoding="utf-8")
        expected = parse_expectation(source)
        got = run_case(source, self.path.name, expected)
        if got is not None:
            raise Mismatch(expected, got)

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        exc = excinfo.value
        if isinstance(exc, Mismatch):
            return f"{self.path}: expected {exc.expected}, got {exc.got}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"zygomys conformance: {self.name}"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}: a program from tests/zygomys/conformance")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> ZyFile | None:
    if file_path.suffix == ".zygomys" and CONFORMANCE_DIR in file_path.parents:
        return ZyFile.from_parent(parent, path=file_path)
    return None
