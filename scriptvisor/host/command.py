"""`scriptvisor serve`: registry + supervisor + bus + HTTP + the wargame module.

Flags override the environment (see `scriptvisor.host.config`); the server stops cleanly
on SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from scriptvisor.config import ConfigError
from scriptvisor.host.config import HostConfig


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="listen address (default: $SCRIPTVISOR_HOST, else "
                        "127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default: $SCRIPTVISOR_PORT, else 8080)")
    parser.add_argument("--scripts-dir", metavar="DIR",
                        help="external scripts (default: $SCRIPTS_DIR, else ./scripts)")
    parser.add_argument("--pool-size", type=int, help="warm children "
                        "(default: $SCRIPTVISOR_POOL_SIZE, else min(cores, 4))")
    parser.add_argument("--listen", metavar="ENDPOINT", help="also serve Client stubs on "
                        "ipc://PATH or tcp://HOST:PORT (default: $SCRIPTVISOR_LISTEN)")
    parser.add_argument("--server-key", metavar="FILE", help="the daemon's CURVE .key_secret "
                        "file (required with tcp://; default: $SCRIPTVISOR_SERVER_KEY)")
    parser.add_argument("--client-keys", metavar="PATH", action="append",
                        help="an allowed client's .key file, or a folder of them "
                        "(repeatable; default: $SCRIPTVISOR_CLIENT_KEYS)")
    parser.add_argument("--extract-scripts", action="store_true",
                        help="first write the embedded scripts to the scripts directory "
                        "(never overwriting a file)")


def run(args: argparse.Namespace) -> int:
    """Serve until a signal; 0 on a clean stop, 1 when startup failed, 2 on bad config."""
    from pathlib import Path

    overrides: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "scripts_dir": Path(args.scripts_dir) if args.scripts_dir else None,
        "pool_size": args.pool_size,
        "extract_scripts": args.extract_scripts or None,
        "listen": args.listen,
        "server_key": Path(args.server_key) if args.server_key else None,
        "client_keys": tuple(Path(p) for p in args.client_keys) if args.client_keys else None,
    }
    if args.port is not None and not 0 <= args.port <= 65535:
        raise ConfigError(f"--port: {args.port} is out of range (0..65535)")
    if args.pool_size is not None and args.pool_size < 1:
        raise ConfigError(f"--pool-size: {args.pool_size} must be at least 1")
    config = HostConfig.from_env(**overrides)

    from scriptvisor.host.app import Host
    from scriptvisor.host.http import serve
    from scriptvisor.modules.wargame.module import WargameModule

    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    host = Host(config, [WargameModule()])
    listening = f", clients on {config.listen}" if config.listen else ""
    print(f"scriptvisor: serving on http://{config.host}:{config.port}/wargame "
          f"(scripts in {config.scripts_dir}{listening})", file=sys.stderr, flush=True)
    return serve(host)
