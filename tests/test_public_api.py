"""The public API is small and deliberate: this list changes only on purpose."""

import scriptvisor


def test_public_names_are_pinned() -> None:
    assert sorted(scriptvisor.__all__) == [
        "AsyncClient",
        "Client",
        "EngineFactory",
        "ErrorType",
        "ExecutionRequest",
        "LanguageEngine",
        "ScriptEngine",
        "ScriptError",
        "ScriptInput",
        "ScriptLanguage",
        "ScriptOutput",
        "SecurityLimits",
    ]
    for name in scriptvisor.__all__:
        assert getattr(scriptvisor, name) is not None


def test_package_is_typed() -> None:
    from importlib import resources

    assert (resources.files("scriptvisor") / "py.typed").is_file()
