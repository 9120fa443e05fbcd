"""The runner itself: it must call an escape an escape, a dead control a failed control and
a wrong outcome wrong (or a broken guard would pass unnoticed); the catalog is complete;
nothing is left behind."""

from __future__ import annotations

import inspect
import os
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import psutil
import pytest

from scriptvisor.protocol.errors import ErrorType
from scriptvisor.security import paths, probes
from scriptvisor.security.catalog import CATALOG, CATEGORIES, select
from scriptvisor.security.model import OK, Probe, Step, Via, expect
from scriptvisor.security.runner import GUARD_OFF, Runner, Verdict

pytestmark = pytest.mark.timeout(60)


def probe(key: str) -> Probe:
    found = [p for p in CATALOG if p.key == key]
    assert len(found) == 1, key
    return found[0]


@pytest.fixture(scope="module")
def unguarded() -> Iterator[Runner]:
    """A runner whose 'confined' children have every layer off: every escape gets out."""
    with Runner(policy=GUARD_OFF) as r:
        yield r


def test_an_escape_is_reported_as_escaped(unguarded: Runner) -> None:
    result = unguarded.run(probe("file/read-etc-passwd"))
    assert result.verdict is Verdict.ESCAPED and not result.blocked and not result.passed
    assert result.attack.outcome == OK and result.attack.result > 0


def test_a_write_that_got_through_is_an_escape(unguarded: Runner) -> None:
    result = unguarded.run(probe("file/write-a-file"))
    assert result.verdict is Verdict.ESCAPED, result
    assert "escaped.txt" in result.detail
    assert list(unguarded.empty_dir.iterdir()) == []  # cleaned for the next probe


def test_a_failing_control_fails_the_probe(runner: Runner) -> None:
    real = probe("file/read-etc-passwd")
    confined_control = replace(real, control=replace(real.control, guarded=True))
    result = runner.run(confined_control)
    assert result.verdict is Verdict.CONTROL_FAILED and not result.passed
    assert "PermissionError" in result.detail


def test_a_wrong_outcome_fails_the_probe(runner: Runner) -> None:
    real = probe("dos-cpu/infinite-loop-tengo")
    wrong = replace(real, expect=expect(ErrorType.MEMORY_LIMIT, text="memory limit"))
    result = runner.run(wrong)
    assert result.verdict is Verdict.WRONG_OUTCOME and result.blocked and not result.passed
    assert result.attack.outcome == ErrorType.TIMEOUT.value


def test_a_script_that_is_not_stopped_is_an_escape(runner: Runner) -> None:
    real = probe("dos-cpu/infinite-loop-tengo")
    bounded = replace(real, attack=Step("n := 0\nfor i := 0; i < 10; i++ { n += i }"))
    assert runner.run(bounded).verdict is Verdict.ESCAPED


def test_an_in_band_defence_that_gives_way_is_an_escape(runner: Runner) -> None:
    real = probe("language/class-as-a-map-key-string-tengo")  # must be undefined
    leaking = replace(real, attack=Step('x := {__class__: 7}\nresult := x["__class__"]'))
    result = runner.run(leaking)
    assert result.verdict is Verdict.ESCAPED and "7" in result.detail


def test_every_probe_has_a_control_and_a_target() -> None:
    functions = {name for name, _ in inspect.getmembers(probes, inspect.isfunction)}
    for p in CATALOG:
        assert p.control != p.attack, p.key  # a control that differs from the attack
        if p.via in (Via.CHILD, Via.FRAME):
            assert {p.attack.target, p.control.target} <= functions, p.key
        if p.via is Via.HOST:
            assert p.attack.target in paths.TRICKS, p.key
    assert len({p.key for p in CATALOG}) == len(CATALOG)


def test_the_catalog_covers_every_area() -> None:
    assert set(CATEGORIES) >= {
        "file", "network", "process", "snooping", "signals", "ptrace", "privilege",
        "exec-memory", "paths", "language", "dos-cpu", "dos-memory", "dos-quota", "frames",
        "backstop",
    }
    for category in ("language", "dos-cpu", "dos-memory", "dos-quota"):
        vias = {p.via for p in select(category)}
        assert vias == {Via.TENGO, Via.ZYGOMYS}, category
    assert select("dos-cpu/infinite") and not select("no-such-category")


def _ours() -> tuple[int, set[psutil.Process]]:
    return len(os.listdir("/proc/self/fd")), set(psutil.Process().children(recursive=True))


def test_a_runner_leaves_nothing_behind(
    private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private = private_tmp  # only this runner's temporary files can appear here
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    monkeypatch.setenv("TMPDIR", str(private))
    fds, children = _ours()
    with Runner() as r:
        for key in ("file/write-a-file", "signals/signal-the-supervisor",
                    "paths/registry-script-file-is-a-symlink-out", "frames/oversize-frame",
                    "dos-cpu/infinite-loop-zygomys"):
            assert r.run(probe(key)).passed, key
        assert list(private.iterdir())  # the runner did use it
    assert list(private.iterdir()) == []
    assert _ours() == (fds, children)
