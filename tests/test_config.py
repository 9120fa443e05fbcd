import pytest

from scriptvisor.config import ConfigError, parse_duration, parse_size


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("5s", 5.0), ("250ms", 0.25), ("1.5m", 90.0), ("2", 2.0), ("100us", 1e-4), ("1h", 3600.0)],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("text", "size"),
    [("10MB", 10 * 1024 * 1024), ("512KiB", 512 * 1024), ("4096", 4096), ("1gb", 1 << 30)],
)
def test_sizes(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "fast", "5 parsecs", "-1s", "0s"])
def test_bad_duration_names_the_setting(text: str) -> None:
    with pytest.raises(ConfigError, match="SCRIPT_MAX_EXECUTION_TIME"):
        parse_duration(text, "SCRIPT_MAX_EXECUTION_TIME")


@pytest.mark.parametrize("text", ["", "lots", "10XB", "0MB"])
def test_bad_size_names_the_setting(text: str) -> None:
    with pytest.raises(ConfigError, match="SCRIPT_MAX_MEMORY_BYTES"):
        parse_size(text, "SCRIPT_MAX_MEMORY_BYTES")
