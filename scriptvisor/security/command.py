"""`scriptvisor security-test [--json] [--only CATEGORY]`.

Exit status: 0 every probe blocked as expected with its control succeeding; 1 any escape,
wrong outcome, failed control or unhealthy supervisor; 2 bad usage; 3 the sandbox could
not start.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from typing import Any


def add_command(sub: Any) -> None:
    """Register `security-test` on an `argparse` subparsers object."""
    from scriptvisor.security.catalog import CATEGORIES

    parser = sub.add_parser(
        "security-test", help="run the sandbox-escape, DoS and hostile-frame probes on this host"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON report on stdout "
                        "(progress goes to stderr)")
    parser.add_argument("--only", metavar="CATEGORY", help="one category (" + ", ".join(
        CATEGORIES) + ") or a probe key prefix such as dos-cpu/infinite")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from scriptvisor.security import report
    from scriptvisor.security.catalog import CATEGORIES, select
    from scriptvisor.security.runner import Runner
    from scriptvisor.supervisor.errors import SupervisorError

    probes = select(args.only)
    if not probes:
        print(f"scriptvisor: --only {args.only!r} matches no probe (categories: "
              f"{', '.join(CATEGORIES)})", file=sys.stderr)
        return 2
    _quiet_logs()  # the report says everything; the supervisor's warnings would interleave
    out = sys.stderr if args.json else sys.stdout
    began = time.perf_counter()
    try:
        runner = Runner()
    except SupervisorError as exc:
        print(f"scriptvisor: cannot start the sandbox: {exc}", file=sys.stderr)
        return 3
    with runner:
        report.layers(runner.confinement, out)
        results = []
        for index, result in enumerate(runner.run_all(probes), 1):
            results.append(result)
            report.progress(result, index, len(probes), out)
        confinement = runner.confinement
    seconds = time.perf_counter() - began
    if args.json:
        print(json.dumps(report.as_json(results, confinement, seconds), default=repr))
    else:
        report.tables(results, out)
    report.summary(results, seconds, sys.stderr if args.json else out)
    return 0 if all(r.passed for r in results) else 1


def _quiet_logs() -> None:
    root = logging.getLogger("scriptvisor")
    if not root.handlers and not logging.getLogger().handlers:
        root.addHandler(logging.NullHandler())
