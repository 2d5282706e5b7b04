"""Budgets and traps: an endless pager stops at its budget and is named; redirect loops too."""
from __future__ import annotations

import pytest
import scrapy
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler import items as it
from crawler.budget import BudgetMiddleware, RedirectLoop, RedirectLoopMiddleware
from crawler.outcomes import classify_failure


class Spider(scrapy.Spider):
    name = "t"
    cut_short = False


def budget(**settings):
    crawler = get_crawler(Spider, {"ZWGK_MAX_LIST_PAGES": 5, "ZWGK_MAX_PAGES_PER_SITE": 100, **settings})
    crawler.spider = crawler._create_spider()
    return BudgetMiddleware.from_crawler(crawler), crawler.spider


def endless_pager(column: str, pages: int):
    """What a trap column's callbacks yield: each page links the next, for ever."""
    for n in range(1, pages + 1):
        yield Request(f"{column}index_{n}.html", meta={"role": "list", "column_url": column})


def test_an_endless_pager_stops_at_the_column_budget_and_is_named():
    mw, spider = budget()
    out = list(mw.process_spider_output(None, endless_pager("http://a.gov.cn/tzgg/", 40)))
    requests = [o for o in out if isinstance(o, Request)]
    fetches = [o for o in out if isinstance(o, it.FetchItem)]
    pages = [o for o in out if isinstance(o, it.ColumnPageItem)]
    assert len(requests) == 5
    assert [f.outcome for f in fetches] == ["budget"]           # once, not once per dropped page
    assert pages and pages[0].outcome == "budget" and not pages[0].optional   # column → partial
    assert spider.cut_short


def test_other_columns_keep_their_own_budget():
    mw, _ = budget()
    list(mw.process_spider_output(None, endless_pager("http://a.gov.cn/tzgg/", 10)))
    out = list(mw.process_spider_output(None, endless_pager("http://a.gov.cn/zcwj/", 3)))
    assert len([o for o in out if isinstance(o, Request)]) == 3


def test_site_budget_counts_every_request_but_the_homepage():
    mw, _ = budget(ZWGK_MAX_PAGES_PER_SITE=3)
    reqs = [Request("http://a.gov.cn/", meta={"role": "homepage"})] + \
        [Request(f"http://a.gov.cn/d{n}.html", meta={"role": "document"}) for n in range(6)]
    out = list(mw.process_spider_output(None, reqs))
    assert len([o for o in out if isinstance(o, Request)]) == 4
    assert [o.outcome for o in out if isinstance(o, it.FetchItem)] == ["budget"]


def test_items_pass_untouched():
    mw, _ = budget()
    item = it.HomepageEntriesItem(entries=[])
    assert list(mw.process_spider_output(None, [item])) == [item]


@pytest.mark.parametrize("chain,location", [
    ([], "http://a.gov.cn/a"),                                   # to itself
    (["http://a.gov.cn/a"], "/a"),                               # a → b → a
    (["http://a.gov.cn/a", "http://a.gov.cn/b"], "http://a.gov.cn/b#x"),
])
def test_redirect_loops_are_named(chain, location):
    mw = RedirectLoopMiddleware()
    url = "http://a.gov.cn/a" if not chain else "http://a.gov.cn/c" if len(chain) > 1 else "http://a.gov.cn/b"
    request = Request(url, meta={"redirect_urls": chain})
    with pytest.raises(RedirectLoop) as info:
        mw.process_response(request, Response(url, status=302, headers={"Location": location}))
    assert classify_failure(Failure(info.value))[0] == "redirect_loop"


def test_a_plain_redirect_passes():
    mw = RedirectLoopMiddleware()
    request = Request("http://a.gov.cn/a")
    response = Response("http://a.gov.cn/a", status=301, headers={"Location": "/b"})
    assert mw.process_response(request, response) is response
