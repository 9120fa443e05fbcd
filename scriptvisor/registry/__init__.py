"""The script registry: embedded defaults, external overrides, validation, hot reload and
extraction (see `registry.ScriptRegistry`)."""

from scriptvisor.registry.embedded import (
    EmbeddedCatalog,
    default_catalog,
    register_embedded,
    register_embedded_package,
)
from scriptvisor.registry.extract import extract_default_scripts
from scriptvisor.registry.layout import SHARED_MODULE
from scriptvisor.registry.registry import (
    TOPIC_REJECTED,
    TOPIC_RELOADED,
    TOPIC_REMOVED,
    Publish,
    ScriptEntry,
    ScriptNotFound,
    ScriptRegistry,
    hot_reload_from_env,
    scripts_dir_from_env,
)
from scriptvisor.registry.validation import CompileValidator, Validator

__all__ = [
    "SHARED_MODULE",
    "TOPIC_REJECTED",
    "TOPIC_RELOADED",
    "TOPIC_REMOVED",
    "CompileValidator",
    "EmbeddedCatalog",
    "Publish",
    "ScriptEntry",
    "ScriptNotFound",
    "ScriptRegistry",
    "Validator",
    "default_catalog",
    "extract_default_scripts",
    "hot_reload_from_env",
    "register_embedded",
    "register_embedded_package",
    "scripts_dir_from_env",
]
