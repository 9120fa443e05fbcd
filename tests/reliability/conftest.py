"""Reliability suites: chaos, soak, fuzz and hot-reload storm against the real supervisor.

The long-running machinery lives in `benchmarks/` (`python -m benchmarks.chaos` etc. run
the full-size versions); these tests run it at a bounded size and assert its invariants.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for path in (ROOT, HERE):  # `benchmarks` and the fuzz helpers, however pytest was started
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
