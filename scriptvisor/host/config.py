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
| `SCRIPTVISOR_LISTEN`        | (none)       | daemon endpoint for `Client`s: `ipc://PATH` or `tcp://HOST:PORT` |
| `SCRIPTVISOR_SERVER_KEY`    | (none)       | the daemon's CURVE `.key_secret` file (required for tcp) |
| `SCRIPTVISOR_CLIENT_KEYS`   | (none)       | allowed client public keys: `.key` files or folders, `:`-separated |

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
    listen: str | None = None
    server_key: Path | None = None
    client_keys: tuple[Path, ...] = ()

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
            listen=env.get("SCRIPTVISOR_LISTEN", "").strip() or None,
            server_key=_path(env, "SCRIPTVISOR_SERVER_KEY"),
            client_keys=tuple(
                Path(p) for p in env.get("SCRIPTVISOR_CLIENT_KEYS", "").split(os.pathsep) if p
            ),
        )
        config = replace(config, **{k: v for k, v in overrides.items() if v is not None})
        config.check_listen()
        return config

    def check_listen(self) -> None:
        """The daemon endpoint's settings are coherent (`ConfigError` otherwise)."""
        if self.listen is None:
            if self.server_key or self.client_keys:
                raise ConfigError("SCRIPTVISOR_SERVER_KEY/--server-key: set without an "
                                  "endpoint to listen on (SCRIPTVISOR_LISTEN/--listen)")
            return
        scheme = self.listen.partition("://")[0]
        if scheme not in ("ipc", "tcp"):
            raise ConfigError(f"SCRIPTVISOR_LISTEN: '{brief(self.listen)}' must be "
                              "ipc://PATH or tcp://HOST:PORT")
        if scheme == "tcp" and not (self.server_key and self.client_keys):
            raise ConfigError("SCRIPTVISOR_LISTEN: a tcp:// endpoint requires CURVE: "
                              "--server-key and --client-keys (see `scriptvisor keygen`)")
        if bool(self.server_key) != bool(self.client_keys):
            raise ConfigError("SCRIPTVISOR_SERVER_KEY/SCRIPTVISOR_CLIENT_KEYS: CURVE needs "
                              "both the server's secret key and the allowed client keys")


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


def _path(env: Mapping[str, str], var: str) -> Path | None:
    text = env.get(var, "").strip()
    return Path(text) if text else None


def _text(env: Mapping[str, str], var: str, default: str) -> str:
    text = env.get(var, "").strip()
    if any(c.isspace() or c == "\0" for c in text):
        raise ConfigError(f"{var}: '{brief(text)}' is not a host name or address")
    return text or default
