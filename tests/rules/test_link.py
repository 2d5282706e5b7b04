import pytest

from audits.rules.link import broken_reason
from crawler.outcomes import link_verdict
from crawler.spiders.linkcheck import plan, response_status, retry_after_seconds, reusable
from tests.rules.builders import BASE, FULL, audit_of, fired, site

URL = BASE + "/tzgg/1.html"
DEAD = BASE + "/files/gone.pdf"


@pytest.mark.parametrize("status,reason", [("404", "HTTP 404"), ("410", "HTTP 410"), ("503", "HTTP 503"),
                                           ("dns", "域名无法解析"), ("refused", "连接被拒绝")])
def test_broken_statuses(status, reason):
    assert broken_reason(status) == reason


@pytest.mark.parametrize("status", ["200", "301", "401", "403", "429", "timeout", "ok"])
def test_not_broken_statuses(status):
    assert broken_reason(status) is None


def linked(status, text="附件：某某名单.pdf"):
    b = site().column("通知公告").doc("通知公告", URL, "通知", **FULL)
    return b.link(URL, DEAD, text, status=status)


def test_broken_link_names_its_text():
    [f] = fired(linked("404"), "link.broken")
    assert f.detail == "链接“附件：某某名单.pdf”无法打开（HTTP 404）"
    assert (f.url, f.target, f.column, f.title) == (URL, DEAD, "通知公告", "通知")


def test_same_link_twice_on_a_page_is_one_finding():
    b = linked("404").link(URL, DEAD, "again", status="404")
    assert len(fired(b, "link.broken")) == 1


def test_unverified_and_unchecked_are_noted_not_broken():
    result = audit_of(linked("403").link(URL, BASE + "/x", "x", status=""))
    assert not [f for f in result.findings if f.rule_id == "link.broken"]
    assert any("未能验证" in n for n in result.notes)
    assert any("未检查" in n for n in result.notes)


# ---- the verdict of a recorded status (crawler.outcomes.link_verdict) ----

@pytest.mark.parametrize("status,verdict", [
    ("200", "ok"), ("301", "ok"), ("ok", "ok"), ("", "unchecked"),
    ("404", "broken"), ("410", "broken"), ("500", "broken"), ("dns", "broken"), ("refused", "broken"),
    ("401", "unverified"), ("403", "unverified"), ("429", "unverified"), ("412", "unverified"),
    ("521", "unverified"), ("blocked", "unverified"), ("timeout", "unverified"),
    ("robots", "unverified"), ("forbidden_address", "unverified"), ("reset", "unverified"),
    ("tls", "unverified"), ("rate_limited", "unverified"), ("unconfirmed", "unverified"),
    ("error", "unverified"), ("400", "unverified"),
])
def test_link_verdict(status, verdict):
    assert link_verdict(status)[0] == verdict


def test_unverified_reasons_are_counted_in_the_note():
    b = linked("521").link(URL, BASE + "/a", "a", status="timeout").link(URL, BASE + "/b", "b", status="timeout")
    result = audit_of(b)
    assert not [f for f in result.findings if f.rule_id == "link.broken"]
    note = next(n for n in result.notes if "未能验证" in n)
    assert note.startswith("有3个链接目标未能验证") and "请求超时2个" in note and "(521)1个" in note


def test_broken_link_on_a_list_page_names_its_column():
    b = site().column("工作动态", "2026-11-10")
    col = b.snap.columns[-1]
    [f] = fired(b.link(col.url, DEAD, "专题", status="404"), "link.broken")
    assert (f.url, f.column, f.target) == (col.url, "工作动态", DEAD)


# ---- the link check's decisions (crawler/spiders/linkcheck.py) ----

def test_crawl_fetches_reused_only_when_they_opened_or_are_gone():
    assert reusable([(200, "ok")]) == "200"
    assert reusable([(None, "ok")]) == "ok"                       # rendered, no status
    assert reusable([(521, "blocked"), (521, "ok")]) == "ok"      # a wall the browser passed
    assert reusable([(200, "not_html")]) == "200"                 # a PDF
    assert reusable([(404, "http_4xx")]) == "404"
    assert reusable([(503, "http_5xx"), (200, "ok")]) == "200"    # recovered in the crawl
    # A failure the crawl saw is no verdict: the link check asks itself.
    for fetched in ([(503, "http_5xx")], [(None, "reset")], [(521, "blocked")], [(None, "timeout")],
                    [(429, "http_4xx")], [(None, "dns")], []):
        assert reusable(fetched) is None


def test_response_status_names_walls():
    assert response_status(521, None, b"") == "blocked"
    assert response_status(412, None, b"<script>$_ts=1</script>") == "blocked"
    assert response_status(403, None, b"") == "403"
    assert response_status(404, None, b"") == "404"
    assert response_status(200, None, b"") == "200"


@pytest.mark.parametrize("status,attempt,retry_after,expected", [
    ("200", 1, None, ("200", None)),
    ("404", 1, None, ("404", None)),             # permanent: no second ask
    ("403", 1, None, ("403", None)),
    ("503", 1, None, ("", 30.0)),                # transient: ask again, spaced
    ("dns", 1, None, ("", 30.0)),
    ("reset", 1, None, ("", 30.0)),
    ("timeout", 1, None, ("", 30.0)),
    ("503", 2, None, ("503", None)),             # persisted on the later retry: recorded
    ("refused", 2, None, ("refused", None)),
    ("429", 1, 60.0, ("", 60.0)),                # Retry-After honoured within the cap
    ("503", 1, 5.0, ("", 30.0)),                 # … never sooner than the spacing
    ("429", 1, 3600.0, ("429", None)),           # over the cap: not waited for, unverified
    ("503", 1, 3600.0, ("rate_limited", None)),
    ("503", 2, 60.0, ("rate_limited", None)),    # still asking to wait: no verdict
    ("429", 2, 60.0, ("429", None)),
])
def test_plan(status, attempt, retry_after, expected):
    assert plan(status, attempt, retry_after, delay=30.0, retry_after_max=120.0, rechecks=1) == expected


def test_retry_after_forms():
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_a_page_and_its_index_html_are_one_page():
    b = linked("404").link(BASE + "/tzgg/", DEAD, "x", status="404").link(BASE + "/tzgg/index.html", DEAD, "x", status="404")
    assert len(fired(b, "link.broken")) == 2          # the document and the list page


def test_later_list_pages_count_as_the_columns_page():
    b = site().column("工作动态", "2026-11-10")
    col = b.snap.columns[-1]
    for page in ("", "index_1.html", "index_2.html", "?page=3"):
        b.link(col.url + page, DEAD, "专题", status="404")
    [f] = fired(b, "link.broken")
    assert (f.url, f.column) == (col.url, "工作动态")
