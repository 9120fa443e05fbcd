"""A supervisor with a daemon endpoint in its own process, for the client tests:
`python daemon_process.py ENDPOINT`; prints `ready` once bound; stops on SIGTERM."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from client_harness import make_engine  # noqa: E402

from scriptvisor.supervisor.daemon import Daemon  # noqa: E402


def main() -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    engine = make_engine()
    daemon = Daemon(engine, sys.argv[1]).start()
    print("ready", flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    daemon.stop()
    engine.shutdown()


if __name__ == "__main__":
    main()
