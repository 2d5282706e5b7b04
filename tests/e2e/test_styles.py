"""`zwgk audit` sees every fixture style the way a browser does: exactly the seeded defects.

Styles (tests/sites/styles/): Hanweb jpage datastore + dataproxy, legacy GBK/GB2312 tables with
`?page=N`, JSON API / embedded listData columns, and a 瑞数-style 412 wall.
"""
from dataclasses import replace

import pytest

from tests.sites.generator import random_spec

from .accuracy import Tally
from .helpers import audit

CASES = [("hanweb", 6), ("legacy", 9), ("json", 6)]   # one site each: ~10 s per audit


@pytest.mark.parametrize("style,seed", CASES)
def test_style_finds_exactly_the_seeded_defects(site_factory, tmp_path, style, seed):
    spec = replace(random_spec(seed, style=style), unreachable=False, slow_column="")
    base, truth, spec = site_factory(spec)
    proc, findings = audit(base, tmp_path / "out", "--timeout", "3", as_of=spec.as_of.isoformat())
    assert proc.returncode == 0, proc.stderr[-2000:]
    missed, extra = Tally().add(truth.findings, findings)
    assert not missed and not extra, f"missed={sorted(missed)} extra={sorted(extra)}"
    # A script-built list with entries is never "empty".
    empty = {f["column"] for f in findings if f["rule_id"] == "column.empty"}
    assert empty <= {c["name"] for c in truth.columns if not c["entries"]}


def test_blocked_site_has_no_column_findings(site_factory, tmp_path):
    spec = replace(random_spec(6, style="trs"), blocked=True, unreachable=False)
    base, truth, spec = site_factory(spec)
    assert truth.blocked and not truth.findings
    proc, findings = audit(base, tmp_path / "out", "--timeout", "3", as_of=spec.as_of.isoformat())
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not [f for f in findings if f["rule_id"].startswith(("column.", "doc.", "veto.blank", "veto.stale"))]
