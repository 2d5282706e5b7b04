"""veto.homepage_stale judges only a homepage seen as a visitor sees it (runs.homepage_seen):
static HTML carrying no live script, or a browser rendering. A homepage read as fetched while a
script could change it (--render never, a failed rendering) is 未能确认, never a veto."""
from datetime import date

import pytest

from crawler.middlewares import browser_reason, homepage_needs_browser, homepage_seen
from crawler.readers import read_list
from snapshot.model import HOMEPAGE_RENDERED, HOMEPAGE_SCRIPTED, HOMEPAGE_STATIC
from tests.rules.builders import audit_of, fired, site

AS_OF = date(2026, 11, 20)


def seen(builder, how):
    builder.snap.run.homepage_seen = how
    return builder


@pytest.mark.parametrize("how", [HOMEPAGE_STATIC, HOMEPAGE_RENDERED, ""])
def test_a_stale_homepage_seen_as_visitors_see_it_is_vetoed(how):
    [f] = fired(seen(site().homepage("2026-10-01", "2026-09-20"), how), "veto.homepage_stale")
    assert f.detail == "首页最新信息发布于2026-10-01，已超过14天未更新"


def test_a_stale_homepage_scripts_could_change_is_unconfirmed_not_vetoed():
    result = audit_of(seen(site().homepage("2026-10-01"), HOMEPAGE_SCRIPTED))
    assert [f for f in result.findings if f.rule_id == "veto.homepage_stale"] == []
    assert result.score.verdict != "不合格"
    [note] = [n for n in result.notes if "首页" in n and "未能确认" in n]
    assert "2026-10-01" in note and "脚本" in note and "未作单项否决" in note


def test_a_fresh_homepage_is_fine_however_it_was_seen():
    for how in (HOMEPAGE_SCRIPTED, HOMEPAGE_STATIC):
        result = audit_of(seen(site().homepage("2026-11-18"), how))
        assert not [f for f in result.findings if f.rule_id == "veto.homepage_stale"]
        assert not [n for n in result.notes if "未能确认首页" in n]


def test_a_dateless_scripted_homepage_is_not_judged_by_its_stale_news_columns():
    # It may show fresh news once its scripts ran; unseen, its columns do not stand in for it.
    b = site().column("工作动态", "2026-10-01")
    assert fired(seen(b, HOMEPAGE_STATIC), "veto.homepage_stale")
    b = site().column("工作动态", "2026-10-01")
    result = audit_of(seen(b, HOMEPAGE_SCRIPTED))
    assert not [f for f in result.findings if f.rule_id == "veto.homepage_stale"]
    assert any("未能确认首页是否更新" in n for n in result.notes)
    # fresh news columns: nothing to confirm
    result = audit_of(seen(site().column("工作动态", "2026-11-18"), HOMEPAGE_SCRIPTED))
    assert not [n for n in result.notes if "未能确认首页" in n]


# ---- the crawler's decisions (pure) ----
HOME = """<html><head><title>某区人民政府</title>{head}</head><body>
<div class="nav"><a href="/xxgk/">政府信息公开</a></div>
<div class="news"><h3>政务要闻</h3><ul id="news">{items}</ul></div>{tail}</body></html>"""


def _home(dates, head="", tail=""):
    items = "".join(f'<li><a href="/zwdt/t{i}.html">区政府召开第{i}次常务会议研究部署重点工作</a>'
                    f"<span>{d}</span></li>" for i, d in enumerate(dates))
    return read_list(HOME.format(head=head, items=items, tail=tail), "http://x.gov.cn/", ref=AS_OF)


@pytest.mark.parametrize("script", [
    '<script src="/js/index.8f3a.js"></script>',                        # an app bundle
    "<script>$.getJSON('/api/news', function (d) { draw(d); });</script>",
    '<script>document.write("<li>…</li>");</script>',
])
def test_a_stale_or_dateless_homepage_with_a_live_script_goes_to_the_browser(script):
    for dates in (["2026-10-01", "2026-09-28", "2026-09-01"], []):
        page = _home(dates, tail=script)
        assert homepage_needs_browser(page, AS_OF)
        assert browser_reason("homepage", "ok", "auto", page, homepage_scripted=True) == "script"
        assert browser_reason("homepage", "ok", "never", page, homepage_scripted=True) == ""


def test_a_fresh_homepage_or_one_without_live_scripts_is_read_as_fetched():
    assert not homepage_needs_browser(_home(["2026-11-18", "2026-10-01"], tail="<script src='/a.js'></script>"), AS_OF)
    # data blocks and commented-out scripts run nothing
    dead = '<script type="application/json">{"a": 1}</script><!-- <script src="/old.js"></script> -->'
    assert not homepage_needs_browser(_home(["2026-10-01"], tail=dead), AS_OF)
    assert not homepage_needs_browser(_home([]), AS_OF)
    # the limit: 14 days before the as-of date is still fresh
    assert not homepage_needs_browser(_home(["2026-11-06"], tail="<script>x()</script>"), AS_OF)
    assert homepage_needs_browser(_home(["2026-11-05"], tail="<script>x()</script>"), AS_OF)


def test_how_the_homepage_was_seen():
    assert homepage_seen(False, False, False, has_scripts=False) == HOMEPAGE_STATIC
    assert homepage_seen(False, False, False, has_scripts=True) == HOMEPAGE_SCRIPTED
    assert homepage_seen(True, True, False, has_scripts=True) == HOMEPAGE_RENDERED
    # a rendering whose requests did not settle, or one of whose data requests failed
    assert homepage_seen(True, False, False, has_scripts=True) == HOMEPAGE_SCRIPTED
    assert homepage_seen(True, True, True, has_scripts=True) == HOMEPAGE_SCRIPTED


# ---- a failed rendering: the homepage as fetched, not a site that is down ----
class _Spider:
    render = "auto"
    today = AS_OF
    settings = None
    browser_hosts: set = set()

    class logger:
        @staticmethod
        def info(*a, **k):
            pass

        exception = info


def test_when_the_homepage_rendering_fails_the_page_as_fetched_is_read():
    from scrapy.http import HtmlResponse, Request

    from crawler.browser import render_meta
    from crawler.middlewares import (
        FELL_BACK, HOMEPAGE_FALLBACK, BrowserRetryMiddleware, cached_reading,
    )
    url = "http://x.gov.cn/"
    body = HOME.format(head="", items='<li><a href="/zwdt/t1.html">区政府召开常务会议研究部署重点工作</a>'
                       "<span>2026-10-01</span></li>", tail="<script src='/a.js'></script>").encode()
    mw, spider = BrowserRetryMiddleware(), _Spider()
    # the static answer: stale with a live script, so the middleware asks for the browser
    first = Request(url, meta={"role": "homepage"})
    retry = mw.process_response(first, HtmlResponse(url, body=body, request=first,
                                                    headers={"Content-Type": "text/html"}), spider)
    assert isinstance(retry, Request) and retry.meta.get("playwright")
    assert retry.meta[HOMEPAGE_FALLBACK][3] == body
    # the browser fails (a navigation timeout after retries): the first answer stands in
    response = mw.process_exception(retry, TimeoutError("navigation"), spider)
    assert isinstance(response, HtmlResponse) and response.body == body and response.status == 200
    assert not response.meta.get("playwright") and response.meta[FELL_BACK]
    assert mw.process_response(retry, response, spider) is response          # no second rendering
    reading = cached_reading(response)
    assert [e.date.isoformat() for e in reading.page.entries] == ["2026-10-01"] and reading.page.has_scripts
    assert homepage_seen(False, False, False, reading.page.has_scripts) == HOMEPAGE_SCRIPTED
    # a request that was not a homepage queued for the browser is left to the errback
    assert mw.process_exception(Request(url, meta={"role": "homepage", **render_meta(15)}),
                                TimeoutError("x"), spider) is None


def test_the_configured_homepage_limit_reaches_the_crawl():
    # A config judging the homepage at 7 days makes the crawl render a scripted homepage 10 days
    # old (at the default 14 it would not, and the rule would leave it unconfirmed).
    from audits.config import AuditConfig
    from crawler.middlewares import _homepage_days
    from scrapy.settings import Settings
    from zwgk.crawl import CrawlOptions, crawl_settings

    config = AuditConfig.from_mapping({"rules": {"veto.homepage_stale": {"days": 7}}})
    assert config.homepage_fresh_days() == 7
    assert AuditConfig.from_mapping({}).homepage_fresh_days() == 14
    settings = crawl_settings("sqlite://", 1, CrawlOptions(homepage_days=7), None)

    class Spider:
        pass
    spider = Spider()
    spider.settings = settings
    assert _homepage_days(spider) == 7
    spider.settings = Settings()
    assert _homepage_days(spider) == 14
