"""Politeness: `zwgk audit --per-host N` never has more than N requests in flight to the site —
the crawl, its retries and its link check alike (zwgk.crawl.SharedHostLimit; Scrapy's own
per-domain limit lets a slot's whole queue through at once on the asyncio reactor)."""
from __future__ import annotations

from tests.distributed.conditional import serve_conditional
from tests.sites.generator import FRESH, ColumnSpec, SiteSpec, build_site

from .helpers import zwgk


def test_audit_keeps_to_the_per_host_limit(tmp_path):
    spec = SiteSpec(seed=91, kind="department", name="测试区礼貌局", list_style="li_span", pager="links",
                    columns=[ColumnSpec.of("工作动态", 16, FRESH), ColumnSpec.of("通知公告", 8, FRESH)])
    build_site(tmp_path / "site", spec)
    # A little latency, so that requests sent together are answered together.
    with serve_conditional(tmp_path / "site", latency=(0.02, 0.05)) as (base, server):
        proc = zwgk("audit", base, "--out", str(tmp_path / "out"), "--db", str(tmp_path / "z.db"),
                    "--as-of", spec.as_of.isoformat(), "--no-throttle", "--per-host", "2",
                    "--render", "never", "--no-screenshots", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr[-2000:]
        answered = sum(server.counts[k] for k in server.counts if k.isdigit())
    assert answered > 30 and server.counts.get("HEAD", 0) > 0     # the crawl and the link check ran
    assert server.max_in_flight == 2
    assert (tmp_path / "out" / "findings.json").exists()
