"""The design's `EngineFactory`: one engine per language, created on first use."""

from __future__ import annotations

from pathlib import Path

from scriptvisor.engines.base import LANGUAGE_EXTENSIONS, LanguageEngine, ScriptLanguage


class UnsupportedLanguage(LookupError):
    """No engine exists (yet) for the language asked for."""


class EngineFactory:
    """Creates and keeps the language engines; asking for an unknown one is a typed error."""

    def __init__(self) -> None:
        self._engines: dict[ScriptLanguage, LanguageEngine] = {}

    def supported_languages(self) -> list[ScriptLanguage]:
        return [ScriptLanguage.TENGO, ScriptLanguage.ZYGOMYS]

    def create_engine(self, language: str) -> LanguageEngine:
        try:
            lang = ScriptLanguage(language)
        except ValueError:
            raise UnsupportedLanguage(f"unknown script language '{language}'") from None
        engine = self._engines.get(lang)
        if engine is None:
            engine = self._engines[lang] = self._build(lang)
        return engine

    def _build(self, lang: ScriptLanguage) -> LanguageEngine:
        if lang is ScriptLanguage.TENGO:
            from scriptvisor.engines.tengo.engine import TengoEngine

            return TengoEngine()
        if lang is ScriptLanguage.ZYGOMYS:
            from scriptvisor.engines.zygomys.engine import ZygomysEngine

            return ZygomysEngine()
        raise UnsupportedLanguage(f"script language '{lang.value}' is not supported yet")


def language_of(path: str | Path) -> ScriptLanguage:
    """The language a file's extension names (`.tengo`, `.zygomys`, `.zy`)."""
    suffix = Path(path).suffix.lower()
    try:
        return LANGUAGE_EXTENSIONS[suffix]
    except KeyError:
        raise UnsupportedLanguage(f"no script language uses the extension '{suffix}'") from None
