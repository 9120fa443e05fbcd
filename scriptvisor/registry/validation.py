"""Validating a script before it goes live: a pluggable `Validator`.

The default, `CompileValidator`, compiles in this process through the `EngineFactory`; a
host that runs a supervisor plugs in a validator that compiles in a confined child.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from scriptvisor.engines.base import ImportResolver, ScriptLanguage
from scriptvisor.engines.factory import EngineFactory, UnsupportedLanguage
from scriptvisor.protocol.errors import ErrorType, ScriptError
from scriptvisor.protocol.models import Script
from scriptvisor.registry.layout import SHARED_MODULE

log = logging.getLogger("scriptvisor.registry")

Validator = Callable[[Script], "ScriptError | None"]
"""Returns None when `script` may go live, or the `ScriptError` that keeps it out."""

ResolverFor = Callable[[Script], ImportResolver]
"""The import resolver a script is validated with (the registry's `validation_resolver`)."""


class CompileValidator:
    """Compiles a script in this process, with the imports it would see once live.

    A shared Tengo script is a module: it is validated as one, by compiling
    `import("shared/<name>")` against it (a module sees no input variables).
    """

    def __init__(
        self, resolver_for: ResolverFor | None = None, factory: EngineFactory | None = None
    ) -> None:
        self._resolver_for = resolver_for
        self._factory = factory or EngineFactory()

    def __call__(self, script: Script) -> ScriptError | None:
        try:
            engine = self._factory.create_engine(script.language)
        except UnsupportedLanguage as exc:
            return ScriptError(ErrorType.COMPILATION, str(exc))
        resolver = self._resolver_for(script) if self._resolver_for else None
        source, name = script.content, script.name
        if script.module_name == SHARED_MODULE and script.language is ScriptLanguage.TENGO:
            source, name = _module_probe(script)
            resolver = _with_module(script, resolver)
        try:
            engine.compile(source, name, resolver=resolver)
        except ScriptError as exc:
            return exc
        return None


def _module_probe(script: Script) -> tuple[str, str]:
    # named after the script, not the module, or the import would look cyclic
    return f'_ := import("{SHARED_MODULE}/{script.name}")', script.name


def _with_module(script: Script, resolver: ImportResolver | None) -> ImportResolver:
    own = f"{SHARED_MODULE}/{script.name}"

    def resolve(name: str) -> str | None:
        if name == own:
            return script.content
        return resolver(name) if resolver else None

    return resolve


def attributed(error: ScriptError, script: Script) -> ScriptError:
    """`error` as the registry keeps it: attributed to `script`'s module and name; an error
    inside an imported script names that script in its message."""
    own = {script.name, f"{script.module_name}/{script.name}", ""}
    message = error.message if error.script in own else f"in {error.script}: {error.message}"
    return ScriptError(
        error.type,
        message,
        module=script.module_name,
        script=script.name,
        line=error.line,
        column=error.column,
        timestamp=error.timestamp,
    )


def run_validator(validator: Validator, script: Script) -> ScriptError | None:
    """The validator's verdict, attributed; a validator that fails keeps the script out."""
    try:
        error = validator(script)
    except Exception:
        log.exception("validating %s/%s failed", script.module_name, script.name)
        error = ScriptError(
            ErrorType.COMPILATION, "the script could not be validated (see the host log)"
        )
    return None if error is None else attributed(error, script)
