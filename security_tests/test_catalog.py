"""Every probe of the catalog and its control, exactly as `scriptvisor security-test` runs
them: the control succeeds, the attack ends in its typed blocked outcome, and the
supervisor is healthy afterwards."""

from __future__ import annotations

import pytest

from scriptvisor.security.catalog import CATALOG
from scriptvisor.security.model import Probe
from scriptvisor.security.runner import Runner

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize("probe", CATALOG, ids=[p.key for p in CATALOG])
def test_probe(runner: Runner, probe: Probe) -> None:
    result = runner.run(probe)
    assert result.passed, (
        f"{result.verdict.value}: {result.detail}\n"
        f"  attack:  {result.attack.describe()}\n  control: {result.control.describe()}"
    )
