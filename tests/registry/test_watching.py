"""Hot reload through a real watchdog observer on real files: every wait is on an event."""

from __future__ import annotations

import os
import shutil
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from registry_harness import (
    BROKEN,
    DAMAGE,
    DAMAGE_V2,
    Events,
    checksum,
    write,
    write_atomically,
)

from scriptvisor.config import ConfigError
from scriptvisor.engines.base import ScriptLanguage
from scriptvisor.protocol.models import ScriptSource
from scriptvisor.registry import ScriptNotFound, ScriptRegistry, hot_reload_from_env

pytestmark = pytest.mark.timeout(30)
Make = Callable[..., ScriptRegistry]


def watching(make: Make, **kwargs: object) -> ScriptRegistry:
    registry = make(**kwargs)
    registry.load_scripts()
    assert registry.start_watcher()
    return registry


def test_new_override_goes_live(make_registry: Make, scripts_dir: Path, events: Events) -> None:
    registry = watching(make_registry)
    write(scripts_dir / "game" / "damage.tengo", DAMAGE_V2)
    payload = events.wait("scripts.reloaded", name="damage", checksum=checksum(DAMAGE_V2))
    assert payload == {
        "module": "game",
        "name": "damage",
        "language": "tengo",
        "origin": "external",
        "checksum": checksum(DAMAGE_V2),
        "original_language": "tengo",
    }
    assert registry.get_script("game", "damage").content == DAMAGE_V2


def test_cross_language_edit_goes_live(
    make_registry: Make, scripts_dir: Path, events: Events
) -> None:
    registry = watching(make_registry)
    write_atomically(scripts_dir / "game" / "damage.zygomys", "(def result (* base 3))")
    events.wait("scripts.reloaded", name="damage", language="zygomys")
    script = registry.get_script("game", "damage")
    assert (script.language, script.original_language) == (
        ScriptLanguage.ZYGOMYS, ScriptLanguage.TENGO
    )


def test_bad_edit_keeps_last_good_version(
    make_registry: Make, scripts_dir: Path, events: Events
) -> None:
    path = scripts_dir / "game" / "damage.tengo"
    write(path, DAMAGE_V2)
    registry = watching(make_registry)
    assert registry.get_script("game", "damage").content == DAMAGE_V2
    write(path, "x := 1\n" + BROKEN)
    rejected = events.wait("scripts.rejected", name="damage")
    assert rejected["error"]["type"] == "invalid_syntax"
    assert rejected["error"]["line"] == 2
    assert rejected["serving"]["checksum"] == checksum(DAMAGE_V2)
    assert registry.get_script("game", "damage").content == DAMAGE_V2  # last good, not embedded
    (entry,) = [e for e in registry.entries() if e.name == "damage"]
    assert entry.error is not None and entry.error.line == 2
    assert entry.checksum == checksum(DAMAGE_V2) and entry.origin is ScriptSource.EXTERNAL
    # fixing it clears the error
    write(path, "result := base * 4\n")
    events.wait("scripts.reloaded", name="damage", checksum=checksum("result := base * 4\n"))
    assert all(e.error is None for e in registry.entries())


def test_deleted_override_brings_default_back(
    make_registry: Make, scripts_dir: Path, events: Events
) -> None:
    path = scripts_dir / "game" / "damage.zygomys"
    write(path, "(def result 1)")
    registry = watching(make_registry)
    assert registry.get_script("game", "damage").language is ScriptLanguage.ZYGOMYS
    path.unlink()
    events.wait("scripts.reloaded", name="damage", origin="embedded")
    script = registry.get_script("game", "damage")
    assert (script.content, script.language) == (DAMAGE, ScriptLanguage.TENGO)


def test_deleted_rejected_override_clears_its_error(
    make_registry: Make, scripts_dir: Path, events: Events
) -> None:
    registry = watching(make_registry)
    path = scripts_dir / "game" / "damage.tengo"
    write(path, BROKEN)
    events.wait("scripts.rejected", name="damage")
    path.unlink()
    events.wait("scripts.reloaded", name="damage", origin="embedded")
    assert all(e.error is None for e in registry.entries())


def test_deleted_external_only_script_is_removed(
    make_registry: Make, scripts_dir: Path, events: Events
) -> None:
    registry = watching(make_registry)
    write(scripts_dir / "game" / "fresh.tengo", "result := 5")
    events.wait("scripts.reloaded", name="fresh")
    shutil.rmtree(scripts_dir / "game")
    events.wait("scripts.removed", module="game", name="fresh")
    with pytest.raises(ScriptNotFound):
        registry.get_script("game", "fresh")


def test_new_module_folder_is_picked_up(
    make_registry: Make, scripts_dir: Path, events: Events
) -> None:
    registry = watching(make_registry)
    staged = scripts_dir.parent / "staged"
    write(staged / "a.tengo", "result := 1")
    write(staged / "b.tengo", "result := 2")
    os.rename(staged, scripts_dir / "arena")  # a whole folder moved in
    write(scripts_dir / "market" / "price.tengo", "result := 3")  # mkdir, then write
    events.wait("scripts.reloaded", module="arena", name="a")
    events.wait("scripts.reloaded", module="arena", name="b")
    events.wait("scripts.reloaded", module="market", name="price")
    assert registry.list_scripts()["arena"] == ["a", "b"]


def test_scripts_dir_created_after_start(tmp_path: Path, make_registry: Make, events: Events) -> None:
    root = tmp_path / "later"
    registry = watching(make_registry, scripts_dir=root)
    write(root / "game" / "damage.tengo", DAMAGE_V2)
    events.wait("scripts.reloaded", name="damage", checksum=checksum(DAMAGE_V2))
    assert registry.get_script("game", "damage").content == DAMAGE_V2


def test_scripts_dir_removed_and_recreated(
    make_registry: Make, scripts_dir: Path, events: Events
) -> None:
    write(scripts_dir / "game" / "damage.tengo", DAMAGE_V2)
    registry = watching(make_registry)
    shutil.rmtree(scripts_dir)
    events.wait("scripts.reloaded", name="damage", origin="embedded")
    write(scripts_dir / "game" / "damage.tengo", "result := 9")
    events.wait("scripts.reloaded", name="damage", checksum=checksum("result := 9"))
    assert registry.get_script("game", "damage").content == "result := 9"


TEMPORARIES = [
    "damage.tengo~",
    ".#damage.tengo",
    "#damage.tengo#",
    ".damage.tengo.swp",
    "damage.tengo.tmp",
    ".hidden.tengo",
    "damage.tengo.bak",
    "4913",
]


def test_editor_temporaries_and_backups_are_ignored(
    make_registry: Make, scripts_dir: Path, events: Events
) -> None:
    registry = watching(make_registry)
    for name in TEMPORARIES:
        write(scripts_dir / "game" / name, BROKEN)
    write(scripts_dir / "game" / "~lock" / "damage.tengo", BROKEN)  # nested: not a module
    write(scripts_dir / ".git" / "damage.tengo", BROKEN)
    write(scripts_dir / "game" / "heal.tengo", "result := 2")  # the one real change
    events.wait("scripts.reloaded", name="heal")
    assert events.names() == {("game", "heal")}
    assert registry.get_script("game", "damage").content == DAMAGE
    assert all(e.error is None for e in registry.entries())
    assert registry.problems() == {}


def test_atomic_save_through_a_temporary_is_one_reload(
    make_registry: Make, scripts_dir: Path, events: Events
) -> None:
    registry = watching(make_registry)
    write_atomically(scripts_dir / "game" / "damage.tengo", DAMAGE_V2)
    events.wait("scripts.reloaded", name="damage", checksum=checksum(DAMAGE_V2))
    write(scripts_dir / "game" / "heal.tengo", "result := 2")  # a marker after it
    events.wait("scripts.reloaded", name="heal")
    assert len(events.of("scripts.reloaded", name="damage")) == 1
    assert registry.get_script("game", "damage").content == DAMAGE_V2


@pytest.mark.parametrize("pause", [0.03, 0.4])
def test_half_written_file_never_goes_live(
    make_registry: Make, scripts_dir: Path, events: Events, pause: float
) -> None:
    """Written in two halves with a pause (shorter, then longer than the debounce): the
    first half is either never read or rejected, never live."""
    registry = watching(make_registry)
    full = "attack := base * 2\nresult := {damage: attack, critical: false}\n"
    first, second = full[:30], full[30:]
    partial = checksum(first)
    (scripts_dir / "game").mkdir()
    with open(scripts_dir / "game" / "damage.tengo", "w", encoding="utf-8") as f:
        f.write(first)
        f.flush()
        time.sleep(pause)  # the writer's pause (the scenario), not a wait for state
        f.write(second)
    events.wait("scripts.reloaded", name="damage", checksum=checksum(full))
    assert all(p["checksum"] != partial for p in events.of("scripts.reloaded"))
    assert registry.get_script("game", "damage").content == full
    if pause < registry.debounce:
        assert events.of("scripts.rejected") == []


def test_readers_always_see_complete_scripts(
    make_registry: Make, scripts_dir: Path, events: Events
) -> None:
    registry = watching(make_registry, debounce=0.01)
    stop = threading.Event()
    seen: list[str] = []
    bad: list[str] = []

    def read() -> None:
        while not stop.is_set():
            script = registry.get_script("game", "damage")
            if script.checksum != checksum(script.content, script.language):
                bad.append(script.content)
            seen.append(script.checksum)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        path = scripts_dir / "game" / "damage.tengo"
        for i in range(15):
            content = f"result := base * {i}\n" + ("// padding\n" * 200)
            write(path, content)
            events.wait("scripts.reloaded", name="damage", checksum=checksum(content))
    finally:
        stop.set()
        reader.join()
    assert not bad
    valid = {checksum(DAMAGE)} | {p["checksum"] for p in events.of("scripts.reloaded")}
    assert set(seen) <= valid


def test_publisher_failure_does_not_stop_reloads(
    make_registry: Make, scripts_dir: Path, events: Events
) -> None:
    calls: list[str] = []

    def flaky(topic: str, payload: dict[str, object]) -> None:
        calls.append(topic)
        if len(calls) == 1:
            raise RuntimeError("bus down")
        events(topic, dict(payload))

    registry = watching(make_registry, publish=flaky)
    write(scripts_dir / "game" / "damage.tengo", DAMAGE_V2)
    write(scripts_dir / "game" / "heal.tengo", "result := 2")
    events.wait("scripts.reloaded", name="heal")
    assert registry.get_script("game", "damage").content == DAMAGE_V2


# --- HOT_RELOAD_SCRIPTS -----------------------------------------------------------------


def test_hot_reload_env_values() -> None:
    assert hot_reload_from_env({}) is True
    assert hot_reload_from_env({"HOT_RELOAD_SCRIPTS": " "}) is True
    for text in ["true", "1", "YES", "on"]:
        assert hot_reload_from_env({"HOT_RELOAD_SCRIPTS": text}) is True
    for text in ["false", "0", "No", "off"]:
        assert hot_reload_from_env({"HOT_RELOAD_SCRIPTS": text}) is False
    with pytest.raises(ConfigError, match="HOT_RELOAD_SCRIPTS"):
        hot_reload_from_env({"HOT_RELOAD_SCRIPTS": "sometimes"})


def test_hot_reload_false_turns_watching_off(
    make_registry: Make, scripts_dir: Path, events: Events, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOT_RELOAD_SCRIPTS", "false")
    still = make_registry(hot_reload=None, publish=None)
    still.load_scripts()
    assert still.start_watcher() is False and not still.watching
    monkeypatch.setenv("HOT_RELOAD_SCRIPTS", "true")
    control = watching(make_registry, hot_reload=None)  # sees the same change
    write(scripts_dir / "game" / "damage.tengo", DAMAGE_V2)
    events.wait("scripts.reloaded", name="damage", checksum=checksum(DAMAGE_V2))
    assert control.get_script("game", "damage").content == DAMAGE_V2
    assert still.get_script("game", "damage").content == DAMAGE
    assert still.reload_script("game", "damage") is not None  # an explicit reload still works
    assert still.get_script("game", "damage").content == DAMAGE_V2


def test_stop_ends_watching(make_registry: Make) -> None:
    registry = watching(make_registry)
    assert registry.watching
    registry.stop()
    assert not registry.watching
    assert registry.get_script("game", "damage").content == DAMAGE


# --- latency ----------------------------------------------------------------------------


def test_save_to_live_latency(make_registry: Make, scripts_dir: Path, events: Events) -> None:
    """File save -> new version live, median of 20 saves (debounce included)."""
    registry = watching(make_registry)
    path = scripts_dir / "game" / "damage.tengo"
    latencies = []
    for i in range(20):
        content = f"result := base * {i + 10}\n"
        started = time.perf_counter()
        write(path, content)
        events.wait("scripts.reloaded", name="damage", checksum=checksum(content))
        latencies.append(time.perf_counter() - started)
        assert registry.get_script("game", "damage").content == content
    median = statistics.median(latencies)
    print(f"save -> live: median {median * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")
    assert median < 1.0
