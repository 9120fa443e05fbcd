"""`scriptvisor extract-scripts`, `list` and `check` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from registry_harness import write

pytestmark = pytest.mark.timeout(60)

WARGAME = ["damage_calculator.tengo", "event_processor.zygomys", "hit_simulator.tengo"]


def scriptvisor(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("SCRIPTS_DIR",)}
    return subprocess.run(
        [sys.executable, "-m", "scriptvisor.cli", *args],
        capture_output=True, text=True, timeout=60, cwd=cwd, env={**environ, **env},
    )


def test_extract_reports_each_file_and_never_overwrites(tmp_path: Path) -> None:
    proc = scriptvisor("extract-scripts", cwd=tmp_path)  # default: ./scripts
    assert proc.returncode == 0, proc.stderr
    for name in WARGAME:
        assert f"written  scripts/wargame/{name}" in proc.stdout
    edited = tmp_path / "scripts" / "wargame" / "hit_simulator.tengo"
    edited.write_text("result := 1")
    proc = scriptvisor("extract-scripts", "scripts", cwd=tmp_path)
    assert "skipped  scripts/wargame/hit_simulator.tengo (exists" in proc.stdout
    assert edited.read_text() == "result := 1"
    proc = scriptvisor("extract-scripts", "scripts", "--force", cwd=tmp_path)
    assert "written  scripts/wargame/hit_simulator.tengo" in proc.stdout
    assert edited.read_text() != "result := 1"


def test_extract_uses_scripts_dir_env(tmp_path: Path) -> None:
    proc = scriptvisor("extract-scripts", cwd=tmp_path, SCRIPTS_DIR=str(tmp_path / "custom"))
    assert proc.returncode == 0
    assert (tmp_path / "custom" / "wargame" / "damage_calculator.tengo").is_file()


def test_list_shows_origin_language_checksum_and_error(tmp_path: Path) -> None:
    write(tmp_path / "scripts" / "wargame" / "damage_calculator.zygomys", "(def result 1)")
    write(tmp_path / "scripts" / "wargame" / "hit_simulator.tengo", "result := (\n")
    proc = scriptvisor("list", "--scripts-dir", "scripts", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["MODULE", "NAME", "LANGUAGE", "ORIGIN", "CHECKSUM", "ERROR"]
    row = next(line for line in lines if "hit_simulator" in line).split()
    assert row[:4] == ["wargame", "hit_simulator", "tengo", "embedded"]
    assert len(row[4]) == 12 and row[5] == "invalid_syntax:"
    proc = scriptvisor("list", "--json", cwd=tmp_path, SCRIPTS_DIR="scripts")
    entries = {e["name"]: e for e in map(json.loads, proc.stdout.splitlines())}
    assert entries["hit_simulator"]["error"]["line"] == 1
    assert entries["event_processor"]["origin"] == "embedded"
    assert entries["damage_calculator"]["original_language"] == "tengo"


def test_check_reports_errors_and_fails(tmp_path: Path) -> None:
    write(tmp_path / "scripts" / "wargame" / "hit_simulator.tengo", "n := 1\nresult := n +\n")
    write(tmp_path / "scripts" / "wargame" / "event_processor.tengo", "result := 2")
    write(tmp_path / "scripts" / "wargame" / "Bad Name.tengo", "result := 2")
    proc = scriptvisor("check", "scripts", cwd=tmp_path)
    assert proc.returncode == 1
    out = proc.stdout
    assert "scripts/wargame/hit_simulator.tengo:2:15: wargame/hit_simulator: invalid_syntax:" in out
    assert "scripts/wargame/Bad Name.tengo: is not a valid script name" in out
    assert "2 error(s); 1 external script(s) valid" in out
    assert proc.stderr == ""


def test_check_passes_on_valid_scripts(tmp_path: Path) -> None:
    assert scriptvisor("extract-scripts", "scripts", cwd=tmp_path).returncode == 0
    proc = scriptvisor("check", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert "ok: 3 external script(s) valid" in proc.stdout


def test_check_missing_dir_is_a_usage_error(tmp_path: Path) -> None:
    proc = scriptvisor("check", "nope", cwd=tmp_path)
    assert proc.returncode == 2
    assert "not a directory" in proc.stderr

