"""The browser retry middleware: one place decides which response goes to the browser, and its
reading of a list page is what the spider's callback uses (the page is parsed once)."""
import asyncio
import logging
from datetime import date

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse

from crawler.middlewares import READING, BrowserRetryMiddleware, cached_reading

BASE = "http://www.x.gov.cn"
ROWS = "".join(f'<li><a href="/xxgk/tzgg/t{i}.html">关于第{i}项工作的通知</a><span>2026-11-1{i}</span></li>'
               for i in range(1, 4))


class _Spider:
    def __init__(self, render="auto"):
        self.render = render
        self.timeout = 5.0
        self.today = date(2026, 11, 20)
        self.browser_hosts = set()
        self.logger = logging.getLogger("test")


def _run(body: str, role="column", status=200, render="auto", url=f"{BASE}/xxgk/tzgg/", **meta):
    spider = _Spider(render)
    mw = BrowserRetryMiddleware()
    request = Request(url, meta={"role": role, "column_url": url, "first": True, "category": "notice_policy",
                                 **meta})
    response = HtmlResponse(url, status=status, body=body.encode(), encoding="utf-8", request=request,
                            headers={"Content-Type": "text/html; charset=utf-8"})
    return spider, request, response, mw.process_response(request, response, spider)


def test_a_static_list_is_read_once_and_handed_to_the_callback():
    spider, request, response, out = _run(f"<html><body><ul>{ROWS}</ul><script src='/js/app.js'></script></body></html>")
    assert out is response
    reading = cached_reading(response)
    assert reading is request.meta[READING] and len(reading.page.entries) == 3


@pytest.mark.parametrize("script", ['<script src="/static/js/app.3f9a1c.js"></script>', "<script>init()</script>"])
def test_a_script_built_list_goes_to_the_browser_once(script):
    spider, request, response, out = _run(f"<html><body><ul id='list'></ul>{script}</body></html>")
    assert isinstance(out, Request) and out.url == request.url and out.dont_filter
    assert out.meta["playwright"] and out.meta["playwright_page_init_callback"] == "crawler.browser.watch"
    assert {k: out.meta[k] for k in ("role", "column_url", "first", "category")} == {
        "role": "column", "column_url": request.url, "first": True, "category": "notice_policy"}
    assert READING not in out.meta
    # Rendered, it is not sent again, whatever it shows.
    again = Request(out.url, meta=out.meta)
    resp = HtmlResponse(out.url, body=b"<html><body><ul id='list'></ul><script>init()</script></body></html>",
                        encoding="utf-8", request=again)
    assert BrowserRetryMiddleware().process_response(again, resp, spider) is resp
    assert cached_reading(resp).page.evidence == ""        # no capture: not known to have settled


def test_no_browser_with_render_never_or_for_endpoints():
    body = "<html><body><ul id='list'></ul><script>init()</script></body></html>"
    _, _, response, out = _run(body, render="never")
    assert out is response and cached_reading(response).page.evidence == ""
    req = {"url": f"{BASE}/api/list?page=2", "method": "GET", "data": {}, "headers": {}}
    assert not isinstance(_run(body, role="list", list_request=req)[3], Request)


def test_a_wall_goes_to_the_browser_and_its_host_stays_there():
    wall = ('<html><head><meta content="x" r="m"><script>var $_ts=window["$_ts"];</script></head>'
            "<body></body></html>")
    spider, request, response, out = _run(wall, role="homepage", status=412, url=f"{BASE}/")
    assert isinstance(out, Request) and out.meta["playwright"]
    assert spider.browser_hosts == {"www.x.gov.cn"}
    mw = BrowserRetryMiddleware()
    page = Request(f"{BASE}/xxgk/tzgg/t1.html", meta={"role": "document"})
    asyncio.run(mw.process_request(page, spider))
    assert page.meta.get("playwright")
    for meta in ({"role": "attachment"}, {"role": "list", "list_request": {"url": f"{BASE}/api"}}):
        other = Request(f"{BASE}/x.pdf", meta=dict(meta))
        asyncio.run(mw.process_request(other, spider))
        assert not other.meta.get("playwright")
    assert isinstance(_run(wall, role="document", status=412)[3], HtmlResponse)   # documents: not retried


def test_a_section_tree_drawn_by_scripts_goes_to_the_browser():
    body = "<html><body><ul id='tree'></ul><script src='/js/tree.js'></script></body></html>"
    assert isinstance(_run(body, role="section", url=f"{BASE}/xxgk/")[3], Request)
    tree = '<ul><li><a href="/xxgk/tzgg/">通知公告</a></li><li><a href="/xxgk/gzdt/">工作动态</a></li></ul>'
    assert not isinstance(_run(f"<html><body>{tree}<script>x()</script></body></html>", role="section",
                               url=f"{BASE}/xxgk/")[3], Request)


def test_a_json_answer_is_read_as_an_endpoint():
    req = {"url": f"{BASE}/api/list?page=1", "method": "GET", "data": {}, "headers": {}}
    spider = _Spider()
    request = Request(req["url"], meta={"role": "list", "column_url": f"{BASE}/xxgk/tzgg/", "list_request": req})
    response = TextResponse(req["url"], body=b'{"total": 0, "data": {"list": []}}', encoding="utf-8",
                            request=request)
    assert BrowserRetryMiddleware().process_response(request, response, spider) is response
    assert cached_reading(response).page.evidence == "endpoint"


def test_the_browsers_clearance_cookie_goes_with_requests_outside_the_browser():
    from crawler.browser import Capture
    spider = _Spider()
    spider.browser_hosts.add("www.x.gov.cn")
    mw = BrowserRetryMiddleware()
    capture = Capture()
    capture.settled = True
    capture.cookies = [{"name": "__jsl_clearance", "value": "abc", "domain": "www.x.gov.cn", "path": "/"},
                       {"name": "tracker", "value": "1", "domain": ".other.com", "path": "/"}]
    rendered = Request(f"{BASE}/xxgk/tzgg/", meta={"role": "column", "column_url": f"{BASE}/xxgk/tzgg/",
                                                  "playwright": True, "zwgk_capture": capture})
    resp = HtmlResponse(rendered.url, body=f"<html><body><ul>{ROWS}</ul></body></html>".encode(),
                        encoding="utf-8", request=rendered)
    assert mw.process_response(rendered, resp, spider) is resp
    endpoint = Request(f"{BASE}/api/list?page=2", meta={"role": "list", "list_request": {"url": f"{BASE}/api"}})
    asyncio.run(mw.process_request(endpoint, spider))
    assert not endpoint.meta.get("playwright")
    assert endpoint.cookies == [{"name": "__jsl_clearance", "value": "abc", "domain": "www.x.gov.cn", "path": "/"}]
    elsewhere = Request("http://other.gov.cn/api", meta={"role": "list"})
    asyncio.run(mw.process_request(elsewhere, spider))
    assert not elsewhere.cookies


def test_a_parent_column_showing_its_sub_columns_stays_out_of_the_browser():
    from crawler.middlewares import Reading, has_sub_columns
    from crawler.readers import read_list
    url = f"{BASE}/xxgk/fdzdgk/"
    children = ('<ul class="sub"><li><a href="/xxgk/fdzdgk/jgzn/">机构职能</a></li>'
                '<li><a href="/xxgk/fdzdgk/ghjh/">规划计划</a></li></ul>')
    siblings = '<ul class="tree"><li><a href="/xxgk/tzgg/">通知公告</a></li><li><a href="/xxgk/gzdt/">工作动态</a></li></ul>'
    for body, parent in ((children, True), (siblings + "<ul id='list'></ul>", False)):
        html = f"<html><body>{body}<script src='/js/app.js'></script></body></html>"
        reading = Reading(url, "ok", html, read_list(html, url))
        assert has_sub_columns(reading) is parent
        out = _run(html, url=url)[3]
        assert isinstance(out, Request) is (not parent)


@pytest.mark.parametrize("category,to_browser", [("notice_policy", True), ("annual_report", True),
                                                  ("profile", False), ("guide", False)])
def test_only_a_column_not_named_as_a_list_may_be_an_article(category, to_browser):
    """Text around an empty, script-filled list does not make a 通知公告 or 年报 column an article;
    a 机构职能 or 指南 page with the same text stays out of the browser."""
    prose = "<p>" + "本栏目依法公开本机关的政府信息，欢迎社会公众查阅并监督。" * 6 + "</p>"
    body = f"<html><body><div class='main'>{prose}<ul id='list'></ul></div><script src='/js/app.js'></script></body></html>"
    out = _run(body, category=category)[3]
    assert isinstance(out, Request) is to_browser
