"""`scriptvisor run --json` and `compile --emit-python` as a user runs them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(60)


def scriptvisor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scriptvisor.cli", *args], capture_output=True, text=True, timeout=60
    )


def test_run_json_prints_one_object_per_file_in_order(tmp_path: Path) -> None:
    good = tmp_path / "good.tengo"
    good.write_text('log("hi")\npublish("t.x", {a: 1})\nresult := [n, n * 2]')
    bad = tmp_path / "bad.tengo"
    bad.write_text("x := 1\nresult := x / 0")
    proc = scriptvisor("run", "--json", "--input", '{"n": 21}', str(good), str(bad))
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert lines[0] == {
        "ok": True,
        "result": [21, 42],
        "logs": ["hi"],
        "published": [{"topic": "t.x", "payload": {"a": 1}}],
    }
    assert lines[1]["ok"] is False
    assert lines[1]["error"]["type"] == "execution"
    assert lines[1]["error"]["line"] == 2
    assert proc.returncode == 1


def test_run_json_reports_timeouts(tmp_path: Path) -> None:
    loop = tmp_path / "loop.tengo"
    loop.write_text("for {}")
    proc = scriptvisor("run", "--json", "--timeout", "100ms", str(loop))
    assert json.loads(proc.stdout)["error"]["type"] == "timeout"


def test_missing_file_is_not_found(tmp_path: Path) -> None:
    proc = scriptvisor("run", "--json", str(tmp_path / "nope.tengo"))
    assert json.loads(proc.stdout)["error"]["type"] == "not_found"


def test_bad_flag_value_names_the_flag(tmp_path: Path) -> None:
    proc = scriptvisor("run", "--json", "--timeout", "soon", str(tmp_path / "x.tengo"))
    assert proc.returncode == 2
    assert "--timeout" in proc.stderr


def test_emit_python_shows_generated_code(tmp_path: Path) -> None:
    src = tmp_path / "a.tengo"
    src.write_text("a := 1\nresult := a + 2")
    proc = scriptvisor("compile", "--emit-python", str(src))
    assert proc.returncode == 0
    assert "def " in proc.stdout
    compile(proc.stdout, "emitted", "exec")  # the emitted text is valid Python


def test_run_json_runs_zygomys_in_the_sandbox(tmp_path: Path) -> None:
    script = tmp_path / "z.zygomys"
    script.write_text('(def x 20)\n(def result (+ x 22))\n(log "hi")\n')
    proc = scriptvisor("run", "--json", str(script))
    assert json.loads(proc.stdout) == {"ok": True, "result": 42, "logs": ["hi"]}
