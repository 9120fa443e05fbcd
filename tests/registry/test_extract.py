"""Extraction writes every embedded script once, never overwrites unless forced, and never
writes through a link or outside the target folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from registry_harness import DAMAGE, UTILS, game_catalog, write

from scriptvisor.registry import EmbeddedCatalog, extract_default_scripts

pytestmark = pytest.mark.timeout(30)


def test_writes_every_embedded_script(tmp_path: Path) -> None:
    target = tmp_path / "new" / "scripts"
    results = extract_default_scripts(target, catalog=game_catalog())
    assert results == [
        (target / "game" / "damage.tengo", "written"),
        (target / "game" / "heal.tengo", "written"),
        (target / "shared" / "utils.tengo", "written"),
    ]
    assert (target / "game" / "damage.tengo").read_text() == DAMAGE
    assert (target / "shared" / "utils.tengo").read_text() == UTILS


def test_zygomys_scripts_get_their_extension(tmp_path: Path) -> None:
    catalog = EmbeddedCatalog(discover=False)
    catalog.register("game", {"rules": ("zygomys", "(def result 1)")})
    ((path, status),) = extract_default_scripts(tmp_path, catalog=catalog)
    assert (path.name, status) == ("rules.zygomys", "written")


def test_wargame_defaults_extract(tmp_path: Path) -> None:
    names = {p.name for p, _ in extract_default_scripts(tmp_path, catalog=EmbeddedCatalog())}
    assert {"damage_calculator.tengo", "event_processor.zygomys", "hit_simulator.tengo"} <= names


def test_never_overwrites_without_force(tmp_path: Path) -> None:
    edited = tmp_path / "game" / "damage.tengo"
    write(edited, "result := 42  // my edit")
    results = dict(extract_default_scripts(tmp_path, catalog=game_catalog()))
    assert results[edited] == "skipped"
    assert results[tmp_path / "game" / "heal.tengo"] == "written"
    assert edited.read_text() == "result := 42  // my edit"
    again = extract_default_scripts(tmp_path, catalog=game_catalog())
    assert {status for _, status in again} == {"skipped"}


def test_force_really_overwrites(tmp_path: Path) -> None:
    edited = tmp_path / "game" / "damage.tengo"
    write(edited, "result := 42  // my edit")
    results = dict(extract_default_scripts(tmp_path, force=True, catalog=game_catalog()))
    assert results[edited] == "written"
    assert edited.read_text() == DAMAGE
    assert sorted(os.listdir(tmp_path / "game")) == ["damage.tengo", "heal.tengo"]  # no temps


def test_never_writes_through_a_link(tmp_path: Path) -> None:
    target = tmp_path / "scripts"
    outside = tmp_path / "outside.txt"
    outside.write_text("precious")
    (target / "game").mkdir(parents=True)
    (target / "game" / "damage.tengo").symlink_to(outside)
    (target / "game" / "heal.tengo").symlink_to(tmp_path / "dangling")
    results = dict(extract_default_scripts(target, catalog=game_catalog()))
    assert results[target / "game" / "damage.tengo"] == "skipped"
    assert results[target / "game" / "heal.tengo"] == "skipped"
    assert not (tmp_path / "dangling").exists()
    # forced: the link itself is replaced by the script; its target is untouched
    results = dict(extract_default_scripts(target, force=True, catalog=game_catalog()))
    assert results[target / "game" / "damage.tengo"] == "written"
    assert not (target / "game" / "damage.tengo").is_symlink()
    assert (target / "game" / "damage.tengo").read_text() == DAMAGE
    assert outside.read_text() == "precious"
    assert not (tmp_path / "dangling").exists()


def test_linked_module_folder_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "scripts"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target.mkdir()
    (target / "game").symlink_to(elsewhere, target_is_directory=True)
    (target / "shared").write_text("a file where a folder should be")
    for force in (False, True):
        results = extract_default_scripts(target, force=force, catalog=game_catalog())
        assert {status for _, status in results} == {"skipped"}
    assert os.listdir(elsewhere) == []


def test_folder_where_a_script_should_be(tmp_path: Path) -> None:
    (tmp_path / "game" / "damage.tengo").mkdir(parents=True)
    results = dict(extract_default_scripts(tmp_path, force=True, catalog=game_catalog()))
    assert results[tmp_path / "game" / "damage.tengo"] == "skipped"
    assert results[tmp_path / "game" / "heal.tengo"] == "written"
