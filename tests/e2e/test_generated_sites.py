"""`zwgk audit` on served fixture sites finds exactly the seeded defects."""
import csv
import json

import pytest

from tests.sites.generator import ColumnSpec, SiteSpec, random_spec

from .accuracy import Tally
from .helpers import audit

SEEDS = [1, 2, 3, 5, 8, 13, 21, 34]


@pytest.mark.parametrize("seed", SEEDS)
def test_finds_exactly_the_seeded_defects(site_factory, tmp_path, seed):
    base, truth, spec = site_factory(seed, slow_delay=6.0)
    proc, findings = audit(base, tmp_path / "out", "--timeout", "3", as_of=spec.as_of.isoformat())
    assert proc.returncode == 0, proc.stderr[-2000:]
    missed, extra = Tally().add(truth.findings, findings)
    assert not missed and not extra, f"missed={sorted(missed)} extra={sorted(extra)}"


def test_unchecked_column_is_never_empty_or_stale_and_scorecard_says_incomplete(site_factory, tmp_path):
    spec = random_spec(4)
    target = next(c for c in spec.columns if c.category == "news")
    target.state = "stale"
    spec.fail_column, spec.slow_column, spec.unreachable = target.name, "", False
    base, truth, spec = site_factory(spec)
    out = tmp_path / "out"
    proc, findings = audit(base, out, as_of=spec.as_of.isoformat())
    assert proc.returncode == 0
    assert not [f for f in findings if f["column"] == target.name and f["rule_id"].startswith("column.")]
    html = (out / "scorecard.html").read_text(encoding="utf-8")
    assert "结论不完整" in html and target.name in html
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["errors"].get("http_5xx", 0) >= 1


def test_columns_csv_describes_every_column(site_factory, tmp_path):
    base, truth, spec = site_factory(2)
    out = tmp_path / "out"
    proc, _ = audit(base, out, as_of=spec.as_of.isoformat())
    assert proc.returncode == 0
    with open(out / "columns.csv", encoding="utf-8-sig", newline="") as fh:
        rows = {r["column"]: r for r in csv.DictReader(fh)}
    for col in truth.columns:
        row = rows[col["name"]]
        assert row["category"] == col["category"], col["name"]
        if col.get("checked", True) and col.get("entries") is not None:
            assert int(row["entries"]) == col["entries"], col["name"]
            assert row["newest"] == (col.get("newest") or ""), col["name"]


def test_max_pages_cuts_short_and_says_so(site_factory, tmp_path):
    base, truth, spec = site_factory(3)
    out = tmp_path / "out"
    proc, findings = audit(base, out, "--max-pages", "5", as_of=spec.as_of.isoformat())
    assert proc.returncode == 0
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["cut_short"] is True and run["pages"] <= 6
    # Columns never fetched are not judged.
    assert not [f for f in findings if f["rule_id"] in ("column.empty", "column.stale")]
    assert "结论不完整" in (out / "scorecard.html").read_text(encoding="utf-8")
