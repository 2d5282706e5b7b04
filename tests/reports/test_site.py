import csv
import json
import re

import pytest

from reports.html import safe_href
from reports.rows import FINDING_FIELDS, finding_rows
from reports.site import write_site_report

from snapshot.model import Fetch

from .conftest import (
    FINISHED, JS_URL, STARTED, UNVERIFIED_WHY, XSS_TITLE, make_result, make_snapshot,
)


@pytest.fixture
def out(tmp_path, snapshot, result):
    write_site_report(tmp_path, snapshot, result, started=STARTED, finished=FINISHED,
                      options={"max_pages": None})
    return tmp_path


def read_csv(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_findings_csv_has_bom_and_contract_header(out):
    raw = (out / "findings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = read_csv(out / "findings.csv")
    assert rows[0] == ["site", "rule_id", "severity", "column", "url", "target", "title", "detail", "status"]
    assert len(rows) == 5
    # vetoes first, then the audit's order within a severity
    assert [r[1] for r in rows[1:]] == ["veto.blank_columns", "column.stale", "link.broken", "doc.number_format"]
    broken = rows[3]
    assert broken[0] == "示例区人民政府"
    assert broken[6] == XSS_TITLE + "\n第二行"          # the newline survives csv quoting
    assert broken[8] == "new"
    assert rows[4][6] == "'=HYPERLINK(\"x\")"          # no live Excel formula from a crawled title


def test_findings_json_fields(out):
    text = (out / "findings.json").read_text(encoding="utf-8")
    assert "示例区人民政府" in text                      # ensure_ascii=False
    data = json.loads(text)
    assert [list(d) for d in data] == [list(FINDING_FIELDS)] * 4
    assert data[0]["rule_id"] == "veto.blank_columns" and data[0]["severity"] == "veto"
    assert data[3]["title"] == '=HYPERLINK("x")'        # JSON keeps the text as crawled


def test_finding_rows_are_the_shared_model(snapshot, result):
    rows = finding_rows(snapshot, result)
    assert rows == json.loads(json.dumps(rows))          # plain data, reusable by other writers
    assert {r["site"] for r in rows} == {"示例区人民政府"}


def test_columns_csv(out):
    raw = (out / "columns.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = read_csv(out / "columns.csv")
    # contract.md, columns.csv: exactly these, in this order
    assert rows[0] == ["column", "category", "url", "status", "entries", "newest", "pages", "rendered",
                       "evidence"]
    body = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert [r[0] for r in rows[1:]] == ["法定主动公开内容", "政策文件", "工作动态", "人事信息"]  # crawl order, no path
    assert list(body["政策文件"].values())[1:] == [
        "notice_policy", "https://www.example.gov.cn/zwgk/zcwj/", "ok", "3", "2026-05-09", "3", "true", ""]
    assert (body["工作动态"]["entries"], body["工作动态"]["newest"]) == ("1", "")   # undated only
    assert list(body["人事信息"].values())[3:] == ["ok", "0", "", "1", "true", "rendered"]
    assert body["法定主动公开内容"]["entries"] == "0"     # homepage entries belong to no column


@pytest.mark.parametrize("complete", [True, False])
def test_columns_csv_status_and_evidence(tmp_path, complete):
    snapshot = make_snapshot(complete=complete, unverified=True)
    write_site_report(tmp_path, snapshot, make_result(), started=STARTED, finished=FINISHED)
    rows = read_csv(tmp_path / "columns.csv")
    body = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert (body["政策解读"]["status"], body["政策解读"]["evidence"]) == ("unverified", "")
    assert (body["人事信息"]["status"], body["人事信息"]["evidence"]) == (
        ("ok", "rendered") if complete else ("failed", ""))


def test_run_json(out):
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert {"as_of", "started", "finished", "pages", "errors", "cut_short"} <= run.keys()
    assert run["as_of"] == "2026-11-20"
    assert run["started"] == "2026-11-20T09:00:00+08:00"
    assert run["finished"].endswith("+08:00")
    assert run["pages"] == 42 and run["errors"] == {"timeout": 2, "http_4xx": 1}
    assert run["cut_short"] is False and run["incomplete"] is False
    assert run["verdict"] == "不合格" and run["score"] == 98.5
    assert run["counts"] == {"veto": 1, "deduct": 2, "advisory": 1}
    assert run["notes"] == ["工作日规则：缺少2027年节假日数据，相关规则未判定"]
    assert run["duration_seconds"] == 750.0


def test_naive_times_are_beijing_time(tmp_path, snapshot, result):
    write_site_report(tmp_path, snapshot, result, started=STARTED.replace(tzinfo=None),
                      finished=FINISHED.replace(tzinfo=None))
    run = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert run["started"] == "2026-11-20T09:00:00+08:00"


def test_scorecard_content(out):
    html = (out / "scorecard.html").read_text(encoding="utf-8")
    assert "不合格" in html and "98.5" in html and "2026-11-20" in html
    assert "示例区人民政府" in html and 'href="https://www.example.gov.cn/"' in html
    assert html.index("VETO-DETAIL") < html.index("DEDUCT-DETAIL")
    # column table with Chinese labels and values
    table = html[html.index('id="columns"'):html.index('id="thresholds"')]
    for text in ("<th>栏目</th>", "<th>分类</th>", "条目数", "最新日期", "列表页数", "已抓取文档",
                 "<th>状态</th>", "是否渲染"):
        assert text in table, text
    row = table[table.index(">政策文件</a>"):]
    row = re.sub(r"\s+", "", row[:row.index("</tr>")])
    assert row.endswith('<td>通知公告、政策文件类</td><tdclass="num">3</td><tdclass="center">2026-05-09</td>'
                        '<tdclass="num">3</td><tdclass="num">0/3</td><td>正常</td><tdclass="center">是</td>'), row
    # a proven-empty column says how it was seen
    row = table[table.index(">人事信息</a>"):]
    assert "为空确证：浏览器渲染后无条目" in row[:row.index("</tr>")]
    assert "news_days = 14" in html                       # thresholds used
    assert "工作日规则：缺少2027年节假日数据" in html         # notes show even when complete
    assert "结论不完整" not in html


def test_scorecard_escapes_crawled_text(out):
    html = (out / "scorecard.html").read_text(encoding="utf-8")
    assert XSS_TITLE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I)
    assert JS_URL in html                                  # still shown, as inert text


@pytest.mark.parametrize("url", [JS_URL, "JavaScript:alert(1)", " javascript:x", "java\tscript:x",
                                 "data:text/html,x", "vbscript:x", "//evil.example/", "http:/x",
                                 "https://a.gov.cn/\nx", "", None])
def test_href_refuses_non_http(url):
    assert safe_href(url) == ""


@pytest.mark.parametrize("url", ["http://a.gov.cn/", "HTTPS://a.gov.cn/x?a=1&b=2"])
def test_href_admits_http(url):
    assert safe_href(url) == url


def test_incomplete_banner_lists_unchecked_columns(tmp_path):
    snapshot = make_snapshot(complete=False)
    write_site_report(tmp_path, snapshot, make_result(), started=STARTED, finished=FINISHED)
    html = (tmp_path / "scorecard.html").read_text(encoding="utf-8")
    banner = html[html.index("结论不完整"):html.index('id="vetoes"')]
    assert "人事信息" in banner and "抓取失败" in banner and "连接超时" in banner
    assert "工作日规则" in banner                          # the result's notes go with it
    run = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert run["incomplete"] is True and run["incomplete_reasons"]


def test_scorecard_lists_unverified_columns_with_their_reason(tmp_path):
    snapshot = make_snapshot(unverified=True)
    write_site_report(tmp_path, snapshot, make_result(), started=STARTED, finished=FINISHED)
    html = (tmp_path / "scorecard.html").read_text(encoding="utf-8")
    banner = html[html.index("结论不完整"):html.index('id="vetoes"')]
    assert "政策解读" in banner and "未能确认" in banner and UNVERIFIED_WHY in banner
    assert "人事信息" not in banner                        # proven empty: judged, not incomplete
    table = html[html.index('id="columns"'):html.index('id="thresholds"')]
    row = table[table.index(">政策解读</a>"):]
    row = row[:row.index("</tr>")]
    assert "未能确认" in row and UNVERIFIED_WHY in row and "为空确证" not in row
    run = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert run["incomplete"] is True
    assert any("政策解读" in r and "未能确认" in r for r in run["incomplete_reasons"])


@pytest.mark.parametrize("outcome,words", [("timeout", "请求超时"), ("robots", "robots.txt 禁止抓取")])
def test_unread_section_page_makes_the_conclusion_incomplete(tmp_path, outcome, words):
    snapshot = make_snapshot()
    snapshot.fetches = [Fetch("https://www.example.gov.cn/", "homepage", "ok"),
                        Fetch("https://www.example.gov.cn/zwgk/", "section", outcome)]
    write_site_report(tmp_path, snapshot, make_result(), started=STARTED, finished=FINISHED)
    html = (tmp_path / "scorecard.html").read_text(encoding="utf-8")
    banner = html[html.index("结论不完整"):html.index('id="vetoes"')]
    assert "信息公开专栏页面未能读取" in banner and words in banner


def test_cut_short_is_incomplete(tmp_path, snapshot, result):
    snapshot.run.cut_short = True
    write_site_report(tmp_path, snapshot, result, started=STARTED, finished=FINISHED)
    html = (tmp_path / "scorecard.html").read_text(encoding="utf-8")
    assert "结论不完整" in html and "抓取页数上限" in html
    assert json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))["cut_short"] is True


def test_rule_titles_come_from_the_registry(out):
    html = (out / "scorecard.html").read_text(encoding="utf-8")
    findings = html[html.index('id="vetoes"'):html.index('id="columns"')]
    assert "栏目不更新" in findings and "空白栏目过多" in findings     # audits.registry titles
    assert '<span class="id">column.stale</span>' in findings         # id kept beside a real title


@pytest.mark.parametrize("outcomes,read", [
    (["ok"], True),
    (["blocked", "ok"], True),           # a wall passed in the browser
    (["ok", "timeout"], False),          # the browser retry of a script-drawn tree failed
    (["robots"], False),
])
def test_section_read_is_decided_by_the_last_answer(outcomes, read):
    snapshot = make_snapshot()
    snapshot.fetches = [Fetch("https://www.example.gov.cn/", "homepage", "ok")] + [
        Fetch("https://www.example.gov.cn/zwgk/", "section", o) for o in outcomes]
    assert snapshot.section_read is read and snapshot.incomplete is not read


def test_homepage_as_section_and_a_section_never_answered():
    snapshot = make_snapshot()
    snapshot.fetches = [Fetch("https://www.example.gov.cn/", "homepage", "ok")]
    assert snapshot.section_failure == "unknown"         # asked for /zwgk/, never answered
    snapshot.run.section_url = "https://www.example.gov.cn/#nav"
    assert snapshot.section_read                         # the homepage holds the tree


def test_scorecard_says_what_documents_were_sampled(tmp_path, snapshot, result):
    bound = {"months": 12, "min": 50, "columns": {"工作动态": {"min": 3}}}
    write_site_report(tmp_path, snapshot, result, started=STARTED, finished=FINISHED,
                      options={"documents": bound})
    html = (tmp_path / "scorecard.html").read_text(encoding="utf-8")
    assert "近12个月内发布的全部文档，且不少于列表中最新的50篇" in html
    assert "「工作动态」近12个月、不少于3篇" in html
    assert json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))["options"]["documents"] == bound
