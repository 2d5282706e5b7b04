"""The dashboard: 合格率 with its counts, ranking, links, offline charts, hostile text inert."""
from __future__ import annotations

import os
from datetime import date

import lxml.html
import pandas as pd
import pytest

from reports.dashboard import local_href, write_dashboard
from tests.reports.test_tongbao import JS_URL, XSS, make_frames

AS_OF = date(2026, 11, 20)
CHROMIUM = "/usr/bin/chromium"


def make_trend(sites: pd.DataFrame) -> pd.DataFrame:
    """Three nights: the sites' scores fall by one point a night; one site fails on the first."""
    rows = []
    for night, as_of in enumerate(("2026-11-18", "2026-11-19", "2026-11-20")):
        for _, s in sites.iterrows():
            verdict = s["verdict"]
            if night == 0 and s["name"] == "示例区财政局":
                verdict = "不合格"
            score = None if s["score"] is None or pd.isna(s["score"]) else s["score"] + 2 - night
            rows.append({"site": s["name"], "run_id": night + 1, "as_of": as_of, "score": score,
                         "verdict": verdict, "findings": 2 + night})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    out = tmp_path_factory.mktemp("dash")
    sites, findings = make_frames()
    path = write_dashboard(out, sites, findings, make_trend(sites), as_of=AS_OF, title="示例市政府网站检查情况")
    return path


def tree(path):
    return lxml.html.fromstring(path.read_text(encoding="utf-8"))


def test_pass_rate_is_shown_with_its_counts(dashboard):
    doc = tree(dashboard)
    assert doc.get_element_by_id("pass-rate").text_content() == "57.1%（4/7）"
    trend = [tr.xpath("td")[1].text_content() for tr in doc.get_element_by_id("trend-table").xpath(".//tbody/tr")]
    assert trend == ["42.9%（3/7）", "57.1%（4/7）", "57.1%（4/7）"]


def test_ranking_by_score_with_unchecked_sites_last(dashboard):
    rows = tree(dashboard).get_element_by_id("ranking").xpath(".//tbody/tr")
    cells = [[td.text_content().strip() for td in tr.xpath("td")] for tr in rows]
    assert [c[1].split()[0] for c in cells[:4]] == ["示例区财政局", "乙街道", XSS + "网", "示例区卫健委"]
    assert [c[0] for c in cells] == ["1", "2", "3", "4", "5", "6", "7", "—", "—"]
    assert [c[3] for c in cells[:3]] == ["98", "96", "95"]
    assert cells[-1][4].startswith("未能检查（") and {c[4] for c in cells[-2:]} == {
        "未能检查（无法访问）", "未能检查（被拦截）"}
    edu = next(c for c in cells if c[1].startswith("示例区教育局"))
    assert edu[5:10] == ["1", "3", "1", "1", "2"]      # vetoes, open, new, fixed, consecutive


def test_links_to_every_scorecard_and_only_http_urls(dashboard):
    doc = tree(dashboard)
    scorecards = [a.get("href") for a in doc.xpath("//a[@class='scorecard']")]
    assert len(scorecards) == 9
    assert "sites/%E7%A4%BA%E4%BE%8B%E5%8C%BA%E6%95%99%E8%82%B2%E5%B1%80/scorecard.html" in scorecards
    hrefs = [a.get("href") for a in doc.xpath("//a[@href]")]
    assert not [h for h in hrefs if h.lower().startswith(("javascript", "data", "//"))]
    assert not [h for h in hrefs if h.startswith("http") and ".example.gov.cn" not in h]


def test_local_href_refuses_ways_out():
    assert local_href("sites/a b/scorecard.html") == "sites/a%20b/scorecard.html"
    for bad in ("/etc/passwd", "../x.html", "a/../../x", JS_URL, "https://x.cn/", "a\x01b", "", None):
        assert local_href(bad) == ""


def test_hostile_text_is_escaped(dashboard):
    html = dashboard.read_text(encoding="utf-8")
    assert XSS not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    doc = tree(dashboard)
    # only our three scripts: the JSON island, the local plotly.js and the chart drawing
    scripts = doc.xpath("//script")
    assert [s.get("type") for s in scripts] == ["application/json", None, None]
    assert scripts[1].get("src").startswith("plotly-") and "//" not in scripts[1].get("src")
    assert "</script" not in scripts[0].text     # a name in the chart data cannot close the island
    assert JS_URL in doc.text_content()          # shown as text, never a link (see above)


def test_warnings_groups_and_rules(dashboard):
    doc = tree(dashboard)
    assert "已有2个空白栏目（甲、乙），达到5个将被单项否决" in doc.get_element_by_id("warnings").text_content()
    groups = {tr.xpath("td")[0].text_content(): [td.text_content() for td in tr.xpath("td")[1:]]
              for tr in doc.get_element_by_id("by-group").xpath(".//tbody/tr")}
    assert groups["区直部门"][:5] == ["6", "5", "1", "3", "40.0%（2/5）"]
    assert groups["合计"][4] == "57.1%（4/7）"
    rules = {tr.xpath("td")[0].text_content(): [td.text_content() for td in tr.xpath("td")[2:]]
             for tr in doc.get_element_by_id("by-rule").xpath(".//tbody/tr")}
    assert rules["栏目不更新"] == ["2", "1", "2", "1"]     # open, new, sites, fixed
    assert rules["空白栏目"][0] == "1"                   # the triaged one does not count


def test_plotly_is_written_once_and_no_cdn(tmp_path):
    sites, findings = make_frames()
    trend = make_trend(sites)
    write_dashboard(tmp_path, sites, findings, trend, as_of=AS_OF, title="t")
    [js] = list(tmp_path.glob("plotly-*.min.js"))
    before = js.stat().st_mtime_ns
    html = write_dashboard(tmp_path, sites, findings, trend, as_of=AS_OF, title="t").read_text(encoding="utf-8")
    assert js.stat().st_mtime_ns == before
    assert "cdn" not in html.lower() and 'src="http' not in html


def test_plotly_is_shared_with_last_nights_folder(tmp_path):
    sites, findings = make_frames()
    trend = make_trend(sites)
    for night in ("2026-11-19", "2026-11-20"):
        write_dashboard(tmp_path / night, sites, findings, trend, as_of=AS_OF, title="t")
    [a] = (tmp_path / "2026-11-19").glob("plotly-*.min.js")
    [b] = (tmp_path / "2026-11-20").glob("plotly-*.min.js")
    assert a.name == b.name and a.stat().st_ino == b.stat().st_ino and b.stat().st_size > 1_000_000


def test_no_history_no_charts(tmp_path):
    sites, findings = make_frames()
    html = write_dashboard(tmp_path, sites, findings, pd.DataFrame(), as_of=AS_OF, title="t").read_text(
        encoding="utf-8")
    assert "暂无历史检查记录" in html and "<script" not in html
    assert not list(tmp_path.glob("plotly-*"))


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no Chromium at /usr/bin/chromium")
def test_charts_draw_offline_in_chromium(dashboard):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page()
            problems, outside, dialogs = [], [], []
            page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

            def route(r):
                if r.request.url.startswith("file:"):
                    r.continue_()
                else:
                    outside.append(r.request.url)
                    r.abort()
            page.route("**/*", route)
            page.goto(dashboard.as_uri())
            page.wait_for_function("document.querySelectorAll('.chart svg.main-svg').length >= 3",
                                   timeout=15000)
            drawn = page.evaluate("[...document.querySelectorAll('.chart')].map("
                                  "c => c.querySelectorAll('svg.main-svg').length > 0)")
            assert drawn == [True, True, True]
            assert page.evaluate("document.querySelectorAll('#chart-rate .scatterlayer .point').length") == 3
        finally:
            browser.close()
    assert problems == [] and outside == [] and dialogs == []


def test_a_site_or_run_without_a_verdict_is_not_counted_as_checked(tmp_path):
    sites = pd.DataFrame([{"name": "甲", "verdict": "合格", "score": 90.0, "scorecard": "a/scorecard.html"},
                          {"name": "乙", "verdict": "", "score": None, "status": "failed"}])
    trend = pd.DataFrame([{"site": "甲", "as_of": "2026-11-19", "score": 90.0, "verdict": "合格"},
                          {"site": "乙", "as_of": "2026-11-19", "score": None, "verdict": ""}])
    doc = tree(write_dashboard(tmp_path, sites, pd.DataFrame(), trend, as_of=AS_OF, title="t"))
    assert doc.get_element_by_id("pass-rate").text_content() == "100.0%（1/1）"
    assert doc.get_element_by_id("trend-table").xpath(".//tbody/tr/td")[1].text_content() == "100.0%（1/1）"
    last = doc.get_element_by_id("ranking").xpath(".//tbody/tr")[-1]
    assert [td.text_content().strip() for td in last.xpath("td")][4] == "未能检查（检查失败）"
