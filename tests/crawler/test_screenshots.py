"""Evidence screenshots (issue 8.6): which findings get one and what is stamped on it; the browser
kept off internal addresses (redirects and subrequests too); shots of a served site's column page
and of the page holding a broken link; the stamp inert; the scorecard's thumbnail link."""
from __future__ import annotations

import http.server
import threading
from datetime import date, datetime
from pathlib import Path

import pytest

from audits.finding import AuditResult, Finding, Score
from crawler.browser import CHROMIUM_ARGS, find_chromium
from crawler.screenshots import (
    _STAMP_JS, Guard, Target, attach_screenshots, capture, shot_targets,
)
from reports.site import write_site_report
from snapshot.model import Column, Entry, Fetch, Link, RunInfo, Snapshot
from tests.sites.server import serve

CHROMIUM = find_chromium()
needs_browser = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium")
HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
SITE = "http://www.example.gov.cn/"


def snapshot_of(site: str = SITE) -> Snapshot:
    run = RunInfo(id=1, site_url=site, site_name="示例区人民政府", homepage_outcome="ok",
                  started=datetime(2026, 11, 20, 9, 0))
    columns = [Column(1, "通知公告", site + "tzgg/", "notice_policy"),
               Column(2, "人事信息", site + "rsxx/", "personnel_plan", evidence="rendered"),
               Column(3, "工作动态", site + "gzdt/", "news")]
    entries = [Entry(1, "旧通知", site + "tzgg/1.html", date(2025, 3, 2)),
               Entry(1, "更旧通知", site + "tzgg/2.html", date(2024, 12, 1)),
               Entry(3, "无日期", site + "gzdt/1.html", None)]
    fetches = [Fetch(site + "tzgg/", "list", "ok", status=200),
               Fetch(site + "rsxx/", "list", "ok", status=200)]
    links = [Link(site + "tzgg/1.html", site + "gone.pdf", "附件", "attachment", "404")]
    return Snapshot(run=run, columns=columns, entries=entries, fetches=fetches, links=links)


def findings_of(site: str = SITE) -> list[Finding]:
    return [
        Finding("doc.missing_fields", "deduct", "缺少文号", url=site + "tzgg/1.html"),
        Finding("link.broken", "deduct", "链接“附件”无法打开（404）", column="通知公告",
                url=site + "tzgg/1.html", target=site + "gone.pdf", title="旧通知"),
        Finding("column.stale", "deduct", "栏目最新信息发布于2025-03-02，已超过6个月未更新",
                column="通知公告", url=site + "tzgg/", title="通知公告"),
        Finding("column.empty", "deduct", "栏目为空", column="人事信息", url=site + "rsxx/"),
        Finding("column.stale", "deduct", "栏目信息均未标注发布日期", column="工作动态",
                url=site + "gzdt/"),
        Finding("column.empty", "deduct", "栏目为空", column="坏栏目", url="javascript:alert(1)"),
    ]


# ---- which findings, what stamp (pure) ----
def test_targets_are_column_and_broken_link_findings_columns_first():
    targets = shot_targets(snapshot_of(), findings_of())
    assert [t.key for t in targets] == ["3", "2", "4", "1"]       # empty, stale, stale, then link
    by_key = {t.key: t for t in targets}
    stale = "\n".join(by_key["2"].lines)
    assert "栏目不更新" in stale and "栏目「通知公告」" in stale and f"网址：{SITE}tzgg/" in stale
    assert "最新信息日期：2025-03-02" in stale and "抓取：2026-11-20 09:00起的检查，HTTP状态 200" in stale
    assert "最新信息日期：条目均无日期" in by_key["4"].lines
    assert "最新信息日期：无（未读到条目）" in by_key["3"].lines
    link = by_key["1"]
    assert link.url == SITE + "tzgg/1.html" and link.highlight == SITE + "gone.pdf"
    assert f"失效链接：{SITE}gone.pdf" in link.lines and "链接检查结果：HTTP 404" in link.lines
    assert not any(t.lines[0].startswith("问题：缺少") for t in targets)
    # Only a list its scripts build is waited for (the crawl needed a browser, or a rendering
    # proved it empty); a static page is shot once loaded.
    assert by_key["3"].settle and not by_key["2"].settle and not link.settle
    # Stable file names: the same problem tomorrow overwrites its own shot.
    assert [t.name for t in shot_targets(snapshot_of(), findings_of())] == [t.name for t in targets]
    assert len({t.name for t in targets}) == 4


def test_targets_are_bounded_per_site(monkeypatch):
    assert [t.key for t in shot_targets(snapshot_of(), findings_of(), limit=2)] == ["3", "2"]
    assert shot_targets(snapshot_of(), findings_of(), limit=0) == []
    # $ZWGK_MAX_SCREENSHOTS=0 turns them off: no browser is started, nothing is set.
    monkeypatch.setenv("ZWGK_MAX_SCREENSHOTS", "0")
    findings = findings_of()
    assert attach_screenshots(snapshot_of(), findings, Path("/nonexistent/site")) == 0
    assert all(f.evidence == "" for f in findings)


# ---- where the browser may go ----
def test_guard_refuses_internal_addresses_and_other_schemes_but_not_the_site():
    resolved = {"intranet.example.gov.cn": ["10.1.2.3"], "www.gov.cn": ["202.96.1.1"],
                "rebind.example.com": ["8.8.8.8", "127.0.0.1"]}
    guard = Guard({"127.0.0.1", "site.internal"}, resolve=lambda host, port: resolved.get(host, []))
    for bad in ("http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://[::1]:8080/",
                "http://intranet.example.gov.cn/", "http://rebind.example.com/",
                "http://nowhere.invalid/", "file:///etc/passwd", "javascript:alert(1)",
                "ftp://www.gov.cn/", "http://[::ffff:10.0.0.1]/"):
        assert guard.refusal(bad), bad
    for good in ("http://127.0.0.1:8080/zwgk/", "https://site.internal/a", "https://www.gov.cn/x"):
        assert guard.refusal(good) == "", good
    allowed = Guard(set(), ["10.0.0.0/8"], resolve=lambda host, port: resolved.get(host, []))
    assert allowed.refusal("http://intranet.example.gov.cn/") == ""
    assert allowed.refusal("http://169.254.169.254/")


# ---- the stamp, on its own ----
@needs_browser
def test_stamp_is_text_in_the_page_and_the_broken_link_is_outlined():
    sync_api = pytest.importorskip("playwright.sync_api")
    rows = "".join(f"<li><a href='/d{i}.html'>条目{i}</a></li>" for i in range(200))
    html = (f"<html><head><base href='http://www.example.gov.cn/zwgk/'><style>div{{display:none!important}}"
            f"</style></head><body><ul>{rows}</ul><a href='../gone.pdf#p2'>附件</a></body></html>")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content(html)
            placed = page.evaluate(_STAMP_JS, {"lines": ["问题：链接不可用", HOSTILE],
                                               "highlight": SITE + "gone.pdf", "cap": 1000})
            stamp = page.evaluate("document.querySelector('zwgk-stamp').shadowRoot.textContent")
            assert "问题：链接不可用" in stamp and HOSTILE in stamp          # as text
            assert page.evaluate("document.querySelector('zwgk-stamp').shadowRoot"
                                 ".querySelectorAll('img, script').length") == 0
            assert page.evaluate("document.images.length") == 0
            assert page.evaluate("window.__pwned") is None
            assert page.evaluate("document.querySelector('zwgk-stamp').getBoundingClientRect().height") > 20
            # The link lies far below the 1000px cut: the shot moves down to it, stamp on top.
            assert placed["found"] and placed["clipY"] > 1000
            assert page.evaluate("getComputedStyle(document.querySelector(\"a[href^='../gone']\"))"
                                 ".outlineStyle") == "solid"
            assert page.evaluate("document.querySelector('zwgk-stamp').getBoundingClientRect().top"
                                 " + scrollY") == placed["clipY"]
        finally:
            browser.close()


# ---- captures on a served site ----
class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):  # noqa: N802
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<p>internal</p>")

    def log_message(self, *args):
        pass


@pytest.fixture
def internal():
    """A server standing for an internal host: reached as http://localhost:<port>/ (loopback, not
    the audited site's host), it counts every request that gets through."""
    _Counter.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{server.server_address[1]}/", _Counter.hits
    server.shutdown()
    server.server_close()


def jpeg_size(path: Path) -> tuple[int, int]:
    """(width, height) from a JPEG's SOF header."""
    data = path.read_bytes()
    assert data[:3] == b"\xff\xd8\xff", "not a JPEG"
    i = 2
    while i < len(data):
        marker, length = data[i + 1], int.from_bytes(data[i + 2:i + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            return int.from_bytes(data[i + 7:i + 9], "big"), int.from_bytes(data[i + 5:i + 7], "big")
        i += 2 + length
    raise AssertionError("no SOF")


@needs_browser
def test_capture_of_a_served_site(site_factory, tmp_path, internal):
    base, truth, _ = site_factory(5, dead_links=1)
    internal_url, hits = internal
    column = next(c for c in truth.columns if c.get("url"))
    broken = sorted(k for k in truth.targets if k[0] == "link.broken")[0]
    dead = truth.targets[broken]
    # The served site's pages, plus one that pulls from and redirects to the internal host.
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "busy.html").write_text("<p>忙</p><script>for (;;) {}</script>", encoding="utf-8")
    (extra / "index.html").write_text(
        f"<html><body><p>页面</p><img src='{internal_url}img.png'><iframe src='{internal_url}frame'>"
        f"</iframe><script>fetch('{internal_url}xhr').catch(() => 0)</script></body></html>",
        encoding="utf-8")
    faults = {"/moved": {"status": 302, "headers": {"Location": internal_url + "redir"}, "body": ""},
              "/here": {"status": 301, "headers": {"Location": "/"}, "body": ""}}
    with serve(extra, faults) as other:
        targets = [
            Target("busy", other + "busy.html", ["x"]),      # hangs: the shots after it go on
            Target("col", column["url"], ["问题：栏目不更新 · 栏目「" + HOSTILE + "」", "最新信息日期：2025-03-02"]),
            Target("link", broken[2], ["问题：链接不可用", f"失效链接：{dead}"], highlight=dead),
            Target("meta", "http://169.254.169.254/latest/meta-data/", ["x"]),
            Target("private", "http://10.0.0.1/", ["x"]),
            Target("internal", internal_url, ["x"]),
            Target("moved", other + "moved", ["x"]),
            Target("here", other + "here", ["x"]),
            Target("pulls", other, ["x"]),
            Target("missing", base + "no-such-page.html", ["x"]),
        ]
        # The audited site is `base` (host 127.0.0.1), and so is `other` (same host, another
        # port); only "localhost" stands for an internal host.
        shots = capture(targets, tmp_path / "out", site_url=base, timeout=4)
    assert set(shots) == {"col", "link", "here", "pulls"}
    assert hits == []                  # not one request reached the internal host
    for key in ("col", "link"):
        path = tmp_path / "out" / shots[key]
        assert shots[key].startswith("shots/") and path.suffix == ".jpg"
        width, height = jpeg_size(path)
        assert width == 1280 and 300 <= height <= 2400
        assert 5_000 < path.stat().st_size < 1_500_000


@needs_browser
def test_attach_screenshots_sets_evidence_relative_to_the_run_folder(site_factory, tmp_path):
    base, truth, _ = site_factory(5)
    column = next(c for c in truth.columns if c.get("url"))
    snapshot = snapshot_of(base)
    findings = [Finding("column.stale", "deduct", "栏目最新信息发布于2025-03-02", column=column["name"],
                        url=column["url"], title=column["name"]),
                Finding("column.empty", "deduct", "栏目为空", column="坏栏目", url="http://10.0.0.1/"),
                Finding("doc.missing_fields", "deduct", "缺少文号", url=column["url"])]
    site_dir = tmp_path / "run" / "示例区人民政府"
    (site_dir / "shots").mkdir(parents=True)
    (site_dir / "shots" / "0123456789abcdef.jpg").write_bytes(b"yesterday's")   # a finding gone
    (site_dir / "shots" / "notes.jpg").write_bytes(b"someone's")                # not ours
    assert attach_screenshots(snapshot, findings, site_dir, timeout=10) == 1
    assert sorted(p.name for p in (site_dir / "shots").iterdir()) == sorted(
        ["notes.jpg", findings[0].evidence.rsplit("/", 1)[1]])
    assert findings[0].evidence.startswith("示例区人民政府/shots/") and findings[0].evidence.endswith(".jpg")
    assert (site_dir.parent / findings[0].evidence).is_file()
    assert findings[1].evidence == "" and findings[2].evidence == ""
    assert findings[0].as_dict()["evidence"] == findings[0].evidence     # stored and in the frames


def test_no_browser_means_no_shots_not_a_failure(tmp_path):
    targets = [Target("a", SITE, ["x"])]
    assert capture(targets, tmp_path, site_url=SITE, chromium=str(tmp_path / "no-chromium")) == {}
    findings = findings_of()
    assert attach_screenshots(snapshot_of(), findings, tmp_path, chromium=str(tmp_path / "none")) == 0
    assert all(f.evidence == "" for f in findings)


# ---- the scorecard ----
def test_scorecard_links_each_shot_from_the_site_folder(tmp_path):
    site_dir = tmp_path / "示例区人民政府"
    findings = findings_of()
    findings[2].evidence = "示例区人民政府/shots/abc.jpg"
    findings[3].evidence = "其他网站/shots/def.jpg"          # not this folder's: no link
    findings[1].evidence = "示例区人民政府/../../etc/x.jpg"  # a way out: no link
    result = AuditResult(as_of=date(2026, 11, 20), findings=findings,
                         score=Score(points=90, verdict="合格", vetoed=False))
    when = datetime(2026, 11, 20, 9, 0)
    scorecard = write_site_report(site_dir, snapshot_of(), result, started=when, finished=when)
    html = scorecard.read_text(encoding="utf-8")
    assert html.count('class="shot"') == 1
    assert '<a class="shot" href="shots/abc.jpg"' in html and '<img src="shots/abc.jpg"' in html
    assert "def.jpg" not in html and "etc/x.jpg" not in html
    assert "evidence" not in (site_dir / "findings.json").read_text(encoding="utf-8")
    assert "img-src data: 'self'\"" in html          # local images only, nothing from the web


@needs_browser
def test_scorecard_thumbnail_draws_in_chromium_offline(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    site_dir = tmp_path / "示例区人民政府"
    findings = findings_of()
    findings[2].evidence = "示例区人民政府/shots/abc.jpg"
    result = AuditResult(as_of=date(2026, 11, 20), findings=findings,
                         score=Score(points=90, verdict="合格", vetoed=False))
    when = datetime(2026, 11, 20, 9, 0)
    scorecard = write_site_report(site_dir, snapshot_of(), result, started=when, finished=when)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(offline=True)
            page = context.new_page()
            page.set_content("<p style='font-size:40px'>截图</p>")
            (site_dir / "shots").mkdir()
            page.screenshot(path=str(site_dir / "shots" / "abc.jpg"), type="jpeg")
            page.goto(scorecard.as_uri())
            page.locator("a.shot img").scroll_into_view_if_needed()     # it loads lazily
            page.wait_for_function("document.querySelector('a.shot img').complete && "
                                   "document.querySelector('a.shot img').naturalWidth > 100",
                                   timeout=5000)
        finally:
            browser.close()


# ---- wiring: the audit step and the command line ----
@needs_browser
def test_audit_run_attaches_shots_when_asked(site_factory, tmp_path, monkeypatch):
    import audits

    from snapshot.store import Store
    from zwgk.crawl import CrawlOptions
    from zwgk.jobs import AuditJob, audit_run

    base, truth, _ = site_factory(5)
    column = next(c for c in truth.columns if c.get("url"))
    store = Store(tmp_path / "z.db")
    run_id = store.create_run(base)
    store.add_column(run_id, name=column["name"], url=column["url"], category="notice_policy")

    def fake_audit(snapshot, as_of, config=None):     # the rules are not what is tested here
        findings = [Finding("column.stale", "deduct", "栏目最新信息发布于2025-03-02",
                            column=column["name"], url=column["url"])]
        return AuditResult(as_of=as_of, findings=findings,
                           score=Score(points=98, verdict="良好", vetoed=False))

    monkeypatch.setattr(audits, "audit", fake_audit)
    for wanted in (False, True):
        job = AuditJob(url=base, out_dir=tmp_path / "out" / "site", as_of=date(2026, 11, 20),
                       db=str(tmp_path / "z.db"), crawl=CrawlOptions(screenshots=wanted, timeout=5))
        _, result = audit_run(store, run_id, job)
        evidence = result.findings[0].evidence
        assert bool(evidence) is wanted and (not wanted or evidence.startswith("site/shots/"))
    store.save_findings(run_id, [f.as_dict() for f in result.findings], as_of=date(2026, 11, 20))
    assert store.run_findings([run_id])[0]["evidence"] == evidence       # kept in the store


def test_screenshots_option_defaults_to_a_browser_that_may_be_used(monkeypatch):
    from zwgk import cli

    parser = cli.build_parser()
    args = lambda *a: parser.parse_args(["audit", SITE, *a])            # noqa: E731
    assert cli._screenshots(args("--screenshots", "--render", "never")) is True
    assert cli._screenshots(args("--no-screenshots")) is False
    assert cli._screenshots(args("--render", "never")) is False
    monkeypatch.setenv("ZWGK_CHROMIUM", "/opt/some/chromium")
    assert cli._screenshots(args()) is True
    monkeypatch.delenv("ZWGK_CHROMIUM")
    monkeypatch.setenv("PATH", "")                                       # no browser anywhere
    assert cli._screenshots(args()) is False
    run = parser.parse_args(["run", "sites.yaml", "--no-screenshots"])
    assert cli._screenshots(run) is False
