"""Incremental nights (issue 10.3): with a cache root, a site audited again the next night asks
for its documents conditionally (a 304 reuses last night's copy), its list pages fresh, and the
findings are the same; with a weekly link cadence most links' ok statuses are carried forward."""
from __future__ import annotations

import json
import os

from tests.distributed.conditional import serve_conditional
from tests.sites.generator import FRESH, STALE, ColumnSpec, SiteSpec, build_site

from .helpers import zwgk

AS_OF = SiteSpec().as_of


def _audit(base: str, out, cache, db):
    os.environ["ZWGK_LINK_CADENCE_DAYS"] = "7"      # read by the link checker in the subprocess
    proc = zwgk("audit", base, "--out", str(out), "--db", str(db), "--as-of", AS_OF.isoformat(),
                "--no-throttle", "--per-host", "4", "--render", "never", "--no-screenshots",
                "--cache", str(cache), cwd=out.parent)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)


def test_second_night_fetches_documents_conditionally_and_finds_the_same(tmp_path):
    spec = SiteSpec(seed=81, kind="department", name="测试区增量局", list_style="li_span", pager="links",
                    columns=[ColumnSpec.of("工作动态", 30, FRESH), ColumnSpec.of("通知公告", 12, FRESH),
                             ColumnSpec.of("人事信息", 4, STALE)], missing_fields=2, dead_links=1)
    root = tmp_path / "site"
    build_site(root, spec)
    cache, db = tmp_path / "cache", tmp_path / "zwgk.db"
    with serve_conditional(root) as (base, server):
        first = _audit(base, tmp_path / "night1", cache, db)
        night1 = dict(server.counts)
        server.counts.clear()
        second = _audit(base, tmp_path / "night2", cache, db)
        night2 = dict(server.counts)
    assert first and second == first
    # Night 1 downloads everything; night 2 answers most documents with 304 and downloads far less.
    assert night1.get("304", 0) == 0 and night1["200"] > 40
    assert night2.get("304", 0) >= 40
    assert night2["200"] <= night1["200"] // 3
    assert any(p.is_dir() for p in cache.iterdir())        # one folder per site
    # Links: about 6 in 7 of the targets checked ok last night are not asked again tonight.
    assert night1["HEAD"] >= 4 and night2.get("HEAD", 0) <= night1["HEAD"] // 2


def test_a_changed_document_is_fetched_again(tmp_path):
    spec = SiteSpec(seed=82, kind="department", name="测试区变更局", list_style="table", pager="links",
                    columns=[ColumnSpec.of("通知公告", 8, FRESH)])
    root = tmp_path / "site"
    build_site(root, spec)
    cache, db = tmp_path / "cache", tmp_path / "zwgk.db"
    with serve_conditional(root) as (base, server):
        _audit(base, tmp_path / "night1", cache, db)
        docs = sorted(p for p, st in server.answers.items() if p.endswith(".html") and
                      "/t20" in p and st == [200])
        assert len(docs) >= 2, "documents were fetched on night 1"
        changed = root / docs[0].lstrip("/")
        changed.write_bytes(changed.read_bytes().replace("</body>".encode(), "<p>更新</p></body>".encode()))
        server.answers.clear()
        _audit(base, tmp_path / "night2", cache, db)
        assert server.answers[docs[0]] == [200]       # changed: downloaded again
        assert server.answers[docs[1]] == [304]       # unchanged: last night's copy
