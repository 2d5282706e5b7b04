"""Fixture styles: same truth for every style, and the servers answer like the real systems."""
import json
import urllib.request
from dataclasses import replace

from tests.sites.generator import TRS_SEEDS, build_site, random_spec
from tests.sites.server import serve


def test_style_draw_keeps_old_seeds_trs_and_truth_style_independent(tmp_path):
    assert all(random_spec(s).style == "trs" for s in TRS_SEEDS)
    assert {random_spec(s).style for s in range(60)} == {"trs", "hanweb", "legacy", "json"}
    truths = {st: build_site(tmp_path / st, random_spec(7, style=st)) for st in ("trs", "hanweb", "legacy", "json")}
    rules = {st: t.rules() for st, t in truths.items()}
    assert len({json.dumps(r, sort_keys=True) for r in rules.values()}) == 1
    assert [c["entries"] for c in truths["trs"].columns] == [c["entries"] for c in truths["hanweb"].columns]


def _get(url, data=None):
    req = urllib.request.Request(url, data=data.encode() if data else None)
    with urllib.request.urlopen(req) as r:
        return r.headers.get("Content-Type"), r.read()


def test_hanweb_dataproxy_and_legacy_gbk_are_served(tmp_path):
    spec = replace(random_spec(7, style="hanweb"), docs_per_column=50)
    truth = build_site(tmp_path / "h", spec)
    col = next(c for c in truth.columns if c["entries"] == 50)
    with serve(tmp_path / "h", truth.faults) as base:
        _, page = _get(base + col["url"].lstrip("/"))
        assert page.count(b"<record>") == 3 * spec.page_size
        unitid = page.decode().split('<div id="')[1].split('"')[0]
        ctype, xml = _get(base + "module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15",
                          f"col=1&unitid={unitid}")
        assert ctype.startswith("text/xml") and xml.count(b"<record>") == 50 - 45
    spec = replace(random_spec(7, style="legacy"), docs_per_column=30, page_size=10)
    truth = build_site(tmp_path / "l", spec)
    col = next(c for c in truth.columns if c["entries"] == 30)
    with serve(tmp_path / "l", truth.faults) as base:
        ctype, body = _get(base + col["url"].lstrip("/") + "?page=3")
        assert ctype == "text/html; charset=gb2312" and b'charset="gb2312"' in body
        assert "共3页".encode("gbk") in body


def test_blocked_site_answers_412_challenge(tmp_path):
    truth = build_site(tmp_path, replace(random_spec(7), blocked=True))
    assert truth.blocked and truth.findings == set()
    with serve(tmp_path, truth.faults) as base:
        try:
            _get(base)
        except urllib.error.HTTPError as e:
            assert e.code == 412 and b'r="m"' in e.read()
        else:
            raise AssertionError("expected 412")
