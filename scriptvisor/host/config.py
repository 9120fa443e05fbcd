"""The host's configuration, from environment variables (flags override them).

| variable                    | default      | meaning                                  |
| --------------------------- | ------------ | ---------------------------------------- |
| `SCRIPT_MAX_EXECUTION_TIME` | `5s`         | per execution (`250ms`, `5s`)            |
| `SCRIPT_MAX_MEMORY_BYTES`   | `10MB`       | per execution (`10MB`, `64MiB`)          |
| `HOT_RELOAD_SCRIPTS`        | `true`       | watch `SCRIPTS_DIR` and reload on change |
| `SCRIPTS_DIR`               | `./scripts`  | external scripts, `<module>/<name>.<ext>` |
| `SCRIPTVISOR_POOL_SIZE`     | min(cores,4) | warm confined children                   |
| `SCRIPTVISOR_HOST`          | `127.0.0.1`  | HTTP listen address                      |
| `SCRIPTVISOR_PORT`          | `8080`       | HTTP port (0: any free port)             |

A bad value raises `ConfigError` whose message starts with the variable's name.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from scriptvisor.config import ConfigError
from scriptvisor.protocol.models import SecurityLimits
from scriptvisor.protocol.values import brief
from scriptvisor.registry.registry import hot_reload_from_env, scripts_dir_from_env

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
MAX_POOL_SIZE = 256


@dataclass(frozen=True)
class HostConfig:
    """Everything `scriptvisor serve` needs to start."""

    limits: SecurityLimits = field(default_factory=SecurityLimits)
    hot_reload: bool = True
    scripts_dir: Path = Path("./scripts")
    pool_size: int = field(default_factory=lambda: min(os.cpu_count() or 1, 4))
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    extract_scripts: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> HostConfig:
        """The configuration the environment describes, then `overrides` (None ignored)."""
        env = os.environ if environ is None else environ
        config = cls(
            limits=SecurityLimits.from_env(env),
            hot_reload=hot_reload_from_env(env),
            scripts_dir=scripts_dir_from_env(env),
            pool_size=_int(env, "SCRIPTVISOR_POOL_SIZE", cls().pool_size, 1, MAX_POOL_SIZE),
            host=_text(env, "SCRIPTVISOR_HOST", DEFAULT_HOST),
            port=_int(env, "SCRIPTVISOR_PORT", DEFAULT_PORT, 0, 65535),
        )
        return replace(config, **{k: v for k, v in overrides.items() if v is not None})


def _int(env: Mapping[str, str], var: str, default: int, low: int, high: int) -> int:
    text = env.get(var, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"{var}: '{brief(text)}' is not a whole number") from None
    if not low <= value <= high:
        raise ConfigError(f"{var}: {value} is out of range ({low}..{high})")
    return value


def _text(env: Mapping[str, str], var: str, default: str) -> str:
    text = env.get(var, "").strip()
    if any(c.isspace() or c == "\0" for c in text):
        raise ConfigError(f"{var}: '{brief(text)}' is not a host name or address")
    return text or default
