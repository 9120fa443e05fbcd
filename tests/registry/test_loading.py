"""Loading: embedded defaults, external overrides (also across languages), validation at
load, conflicts, names and paths that can never name a script."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from registry_harness import (
    BROKEN,
    DAMAGE,
    DAMAGE_V2,
    UTILS,
    Events,
    checksum,
    game_catalog,
    write,
)

from scriptvisor.engines.base import ScriptLanguage
from scriptvisor.protocol.errors import ErrorType, ScriptError
from scriptvisor.protocol.models import Script, ScriptSource
from scriptvisor.registry import (
    EmbeddedCatalog,
    ScriptNotFound,
    ScriptRegistry,
    default_catalog,
)

pytestmark = pytest.mark.timeout(30)
Make = Callable[..., ScriptRegistry]


def test_embedded_defaults_are_served(make_registry: Make) -> None:
    registry = make_registry()
    registry.load_scripts()
    script = registry.get_script("game", "damage")
    assert script.source is ScriptSource.EMBEDDED
    assert script.content == DAMAGE
    assert script.checksum == checksum(DAMAGE)
    assert script.original_language is ScriptLanguage.TENGO
    assert registry.list_scripts() == {"game": ["damage", "heal"], "shared": ["utils"]}


def test_wargame_scripts_ship_as_package_data() -> None:
    scripts = EmbeddedCatalog().scripts()
    for name in ("damage_calculator", "event_processor", "hit_simulator"):
        assert scripts[("wargame", name)].source is ScriptSource.EMBEDDED
    assert default_catalog().scripts().keys() >= scripts.keys()


def test_registered_package_folder(tmp_path: Path) -> None:
    write(tmp_path / "scripts" / "greet.tengo", 'result := "hi"')
    write(tmp_path / "scripts" / "README.md", "not a script")
    catalog = EmbeddedCatalog(discover=False)
    catalog.register_package("shop", tmp_path)
    assert list(catalog.scripts()) == [("shop", "greet")]


def test_registering_bad_names_fails() -> None:
    catalog = EmbeddedCatalog(discover=False)
    for module, name in [("../x", "a"), ("Shop", "a"), ("shop", "a/b"), ("shop", "")]:
        with pytest.raises(ValueError, match="invalid"):
            catalog.register(module, {name: ("tengo", "result := 1")})


def test_lazy_load_on_first_use(make_registry: Make) -> None:
    assert make_registry().get_script("game", "heal").content == "result := 1\n"


def test_unknown_script_is_not_found(make_registry: Make) -> None:
    registry = make_registry()
    with pytest.raises(ScriptNotFound) as info:
        registry.get_script("game", "nope")
    assert info.value.type is ErrorType.NOT_FOUND
    assert isinstance(info.value, ScriptError) and isinstance(info.value, LookupError)


def test_external_overrides_embedded(make_registry: Make, scripts_dir: Path) -> None:
    write(scripts_dir / "game" / "damage.tengo", DAMAGE_V2)
    write(scripts_dir / "extra" / "new_one.tengo", "result := 7")
    registry = make_registry()
    registry.load_scripts()
    script = registry.get_script("game", "damage")
    assert (script.source, script.content) == (ScriptSource.EXTERNAL, DAMAGE_V2)
    assert script.checksum == checksum(DAMAGE_V2)
    assert script.original_language is ScriptLanguage.TENGO
    mtime = os.stat(scripts_dir / "game" / "damage.tengo").st_mtime
    assert abs(script.last_modified.timestamp() - mtime) < 1e-3
    extra = registry.get_script("extra", "new_one")
    assert extra.original_language is None
    assert registry.list_scripts()["extra"] == ["new_one"]


@pytest.mark.parametrize("ext", [".zygomys", ".zy"])
def test_cross_language_override(make_registry: Make, scripts_dir: Path, ext: str) -> None:
    write(scripts_dir / "game" / f"damage{ext}", "(def result (* base 2))")
    registry = make_registry()
    script = registry.get_script("game", "damage")
    assert script.language is ScriptLanguage.ZYGOMYS
    assert script.original_language is ScriptLanguage.TENGO
    assert script.checksum == checksum("(def result (* base 2))", "zygomys")
    entry = next(e for e in registry.entries() if e.name == "damage")
    assert (entry.language, entry.origin, entry.original_language) == (
        ScriptLanguage.ZYGOMYS, ScriptSource.EXTERNAL, ScriptLanguage.TENGO
    )


def test_invalid_override_at_load_falls_back_to_embedded(
    make_registry: Make, scripts_dir: Path, events: Events
) -> None:
    write(scripts_dir / "game" / "damage.tengo", BROKEN)
    registry = make_registry()
    registry.load_scripts()
    assert registry.get_script("game", "damage").content == DAMAGE
    entry = next(e for e in registry.entries() if e.name == "damage")
    assert entry.origin is ScriptSource.EMBEDDED
    assert entry.error is not None and entry.error.type is ErrorType.INVALID_SYNTAX
    assert (entry.error.module, entry.error.script, entry.error.line) == ("game", "damage", 1)
    assert entry.file == "game/damage.tengo"
    rejected = events.wait("scripts.rejected", module="game", name="damage")
    assert rejected["error"]["type"] == "invalid_syntax"
    assert rejected["serving"]["origin"] == "embedded"


def test_invalid_external_only_script_is_not_served(make_registry: Make, scripts_dir: Path) -> None:
    write(scripts_dir / "extra" / "bad.tengo", BROKEN)
    registry = make_registry()
    with pytest.raises(ScriptNotFound):
        registry.get_script("extra", "bad")
    entry = next(e for e in registry.entries() if e.name == "bad")
    assert entry.origin is None and entry.error is not None
    assert entry.language is ScriptLanguage.TENGO
    with pytest.raises(ScriptError) as info:
        registry.reload_script("extra", "bad")
    assert info.value.type is ErrorType.INVALID_SYNTAX


def test_two_languages_for_one_script_is_an_error(make_registry: Make, scripts_dir: Path) -> None:
    write(scripts_dir / "game" / "damage.tengo", DAMAGE_V2)
    registry = make_registry()
    registry.load_scripts()
    write(scripts_dir / "game" / "damage.zygomys", "(def result 1)")
    with pytest.raises(ScriptError, match="two files for one script") as info:
        registry.reload_script("game", "damage")
    assert "damage.tengo, damage.zygomys" in info.value.message
    assert registry.get_script("game", "damage").content == DAMAGE_V2  # what was live stays
    (scripts_dir / "game" / "damage.tengo").unlink()
    script = registry.reload_script("game", "damage")
    assert script is not None and script.language is ScriptLanguage.ZYGOMYS
    assert all(e.error is None for e in registry.entries())


def test_reload_script_reports_the_live_version(make_registry: Make, scripts_dir: Path) -> None:
    registry = make_registry(hot_reload=False)
    registry.load_scripts()
    write(scripts_dir / "game" / "damage.tengo", DAMAGE_V2)
    script = registry.reload_script("game", "damage")
    assert script is not None and script.content == DAMAGE_V2
    (scripts_dir / "game" / "damage.tengo").unlink()
    back = registry.reload_script("game", "damage")
    assert back is not None and back.source is ScriptSource.EMBEDDED


def test_failing_validator_keeps_the_script_out(make_registry: Make, scripts_dir: Path) -> None:
    def explode(script: Script) -> ScriptError | None:
        raise RuntimeError("validator crashed")

    write(scripts_dir / "game" / "damage.tengo", DAMAGE_V2)
    registry = make_registry(validator=explode)
    assert registry.get_script("game", "damage").content == DAMAGE
    entry = next(e for e in registry.entries() if e.name == "damage")
    assert entry.error is not None and "could not be validated" in entry.error.message


def test_validator_may_use_the_public_api(scripts_dir: Path) -> None:
    registry = ScriptRegistry(scripts_dir, embedded=game_catalog(), hot_reload=False)
    seen: list[bool] = []

    def validator(script: Script) -> ScriptError | None:
        seen.append(registry.resolver(script.module_name)("shared/utils") == UTILS)
        return None

    registry.validator = validator
    write(scripts_dir / "game" / "damage.tengo", DAMAGE_V2)
    registry.load_scripts()
    assert seen and all(seen)
    assert registry("game", "damage").content == DAMAGE_V2  # also a ScriptProvider


def test_invalid_embedded_script_is_shown_but_served(scripts_dir: Path) -> None:
    catalog = EmbeddedCatalog(discover=False)
    catalog.register("game", {"oops": ("tengo", BROKEN)})
    registry = ScriptRegistry(scripts_dir, embedded=catalog, hot_reload=False)
    assert registry.get_script("game", "oops").content == BROKEN
    (entry,) = registry.entries()
    assert entry.error is not None and entry.origin is ScriptSource.EMBEDDED


# --- names and paths ---------------------------------------------------------------------

BAD_NAMES = [
    ("..", "damage"),
    ("game", ".."),
    ("game", "../game/damage"),
    ("/etc", "passwd"),
    ("game", "/etc/passwd"),
    ("game", "dam\0age"),
    ("game\0", "damage"),
    ("game", "damage.tengo"),
    ("Game", "damage"),
    ("", "damage"),
    ("game", "x" * 65),
]


@pytest.mark.parametrize(("module", "name"), BAD_NAMES)
def test_path_tricks_never_name_a_script(make_registry: Make, module: str, name: str) -> None:
    registry = make_registry()
    with pytest.raises(ScriptNotFound):
        registry.get_script(module, name)
    with pytest.raises(ScriptNotFound):
        registry.reload_script(module, name)


def test_symlinked_script_is_never_followed(
    make_registry: Make, scripts_dir: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.tengo"
    write(secret, 'result := "outside"')
    (scripts_dir / "game").mkdir()
    (scripts_dir / "game" / "damage.tengo").symlink_to(secret)
    (scripts_dir / "game" / "heal.tengo").symlink_to("damage.tengo")  # even inside
    registry = make_registry()
    assert registry.get_script("game", "damage").content == DAMAGE
    assert registry.get_script("game", "heal").source is ScriptSource.EMBEDDED
    errors = {e.name: e.error for e in registry.entries() if e.error}
    assert set(errors) == {"damage", "heal"}
    assert all(e.type is ErrorType.SECURITY_VIOLATION for e in errors.values())
    assert all("symbolic link" in e.message for e in errors.values())
    assert "outside" not in (registry.resolver("game")("game/damage") or "")


def test_symlinked_module_folder_is_never_followed(
    make_registry: Make, scripts_dir: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    write(outside / "damage.tengo", 'result := "outside"')
    (scripts_dir / "game").symlink_to(outside, target_is_directory=True)
    registry = make_registry()
    assert registry.get_script("game", "damage").content == DAMAGE
    assert "symbolic link" in registry.problems()["game"]


def test_special_files_are_refused(make_registry: Make, scripts_dir: Path) -> None:
    (scripts_dir / "game").mkdir()
    os.mkfifo(scripts_dir / "game" / "damage.tengo")  # reading it would block forever
    (scripts_dir / "game" / "heal.tengo").mkdir()
    registry = make_registry()
    assert registry.get_script("game", "damage").content == DAMAGE
    errors = {e.name: e.error for e in registry.entries() if e.error}
    assert set(errors) == {"damage", "heal"}
    assert all("not a regular file" in e.message for e in errors.values())


def test_unusable_files_are_rejected(make_registry: Make, scripts_dir: Path) -> None:
    (scripts_dir / "game").mkdir()
    (scripts_dir / "game" / "damage.tengo").write_bytes(b"result := \xff\xfe")
    (scripts_dir / "game" / "heal.tengo").write_bytes(b"x" * (1 << 20 + 1))
    registry = make_registry()
    errors = {e.name: e.error.message for e in registry.entries() if e.error}
    assert "not valid UTF-8" in errors["damage"]
    assert "larger than" in errors["heal"]


def test_misnamed_files_are_reported_not_loaded(make_registry: Make, scripts_dir: Path) -> None:
    write(scripts_dir / "game" / "Damage.tengo", DAMAGE_V2)
    write(scripts_dir / "game" / "my script.tengo", DAMAGE_V2)
    write(scripts_dir / "Bad Module" / "x.tengo", DAMAGE_V2)
    registry = make_registry()
    assert registry.get_script("game", "damage").content == DAMAGE
    assert set(registry.problems()) == {"game/Damage.tengo", "game/my script.tengo", "Bad Module"}


def test_missing_scripts_dir_means_embedded_only(tmp_path: Path) -> None:
    catalog = EmbeddedCatalog(discover=False)
    catalog.register("game", {"damage": ("tengo", DAMAGE)})
    registry = ScriptRegistry(tmp_path / "nope", embedded=catalog, hot_reload=False)
    assert registry.get_script("game", "damage").source is ScriptSource.EMBEDDED


# --- shared scripts ----------------------------------------------------------------------


def test_resolver_serves_shared_scripts(make_registry: Make, scripts_dir: Path) -> None:
    registry = make_registry()
    resolve = registry.resolver("game")
    assert resolve("shared/utils") == UTILS
    for target in ["shared/nope", "game/heal", "shared/../game/damage", "utils", "/etc/x"]:
        assert resolve(target) is None
    assert registry.resolver("game", ScriptLanguage.ZYGOMYS)("shared/utils") is None
    override = "export { double: func(x) { return x + x } }\n"
    write(scripts_dir / "shared" / "utils.tengo", override)
    registry.reload_script("shared", "utils")
    assert resolve("shared/utils") == override
    assert registry.shared_sources(ScriptLanguage.TENGO) == {"shared/utils": override}
    assert registry.shared_sources(ScriptLanguage.ZYGOMYS) == {}


def test_scripts_are_validated_with_their_imports(make_registry: Make, scripts_dir: Path) -> None:
    write(scripts_dir / "game" / "damage.tengo", 'u := import("shared/utils")\nresult := u.double(base)')
    write(scripts_dir / "game" / "heal.tengo", 'u := import("shared/nope")\nresult := 1')
    registry = make_registry()
    assert registry.get_script("game", "damage").source is ScriptSource.EXTERNAL
    errors = {e.name: e.error for e in registry.entries() if e.error}
    assert list(errors) == ["heal"]
    assert "module 'shared/nope' not found" in errors["heal"].message
    assert errors["heal"].line == 1


def test_shared_scripts_are_validated_as_modules(make_registry: Make, scripts_dir: Path) -> None:
    # a module sees no input variables: `base` is unresolved in a shared script
    write(scripts_dir / "shared" / "utils.tengo", "export { x: base }")
    write(scripts_dir / "shared" / "more.tengo", 'u := import("shared/utils")\nexport u')
    registry = make_registry()
    assert registry.get_script("shared", "utils").content == UTILS
    (entry,) = [e for e in registry.entries() if e.error]
    assert entry.error is not None and entry.name == "utils"
    assert "unresolved reference 'base'" in entry.error.message
    assert registry.get_script("shared", "more").source is ScriptSource.EXTERNAL
