"""`zwgk audit` finds the content defects of tests/sites/defects.py, and nothing on look-alikes."""
from tests.sites.defects import BANK_CARD, ID_NUMBER, PHONE, RULES, build_site_with_defects
from tests.sites.generator import random_spec
from tests.sites.server import serve

from .helpers import audit


def test_content_defects_found_exactly(tmp_path):
    spec = random_spec(2)
    truth = build_site_with_defects(tmp_path / "site", spec)
    with serve(tmp_path / "site", truth.faults) as base:
        proc, findings = audit(base, tmp_path / "out", as_of=spec.as_of.isoformat())
        truth = truth.resolve(base)
    assert proc.returncode == 0, proc.stderr[-2000:]
    expected = {k for k in truth.findings if k[0] in RULES}
    got = {(f["rule_id"], f["column"], f["url"]) for f in findings if f["rule_id"] in RULES}
    assert got == expected
    assert {k[0] for k in expected} == RULES          # every content rule is seeded here
    broken = [f for f in findings if f["rule_id"] == "link.broken"]
    assert broken and broken[0]["target"].endswith("/files/gone.pdf")
    assert "已撤回的文件" in broken[0]["detail"]
    # The report itself leaks nothing.
    assert not any(n in f["detail"] for f in findings for n in (PHONE, ID_NUMBER, BANK_CARD))
