"""A homepage that is no page of its own: where it sends the reader (navigation.homepage_forward)."""
from __future__ import annotations

import pytest

from crawler.extract.navigation import homepage_forward

HOME = "http://www.example.gov.cn/"


@pytest.mark.parametrize("html,want", [
    ('<html><head><script>window.location.href="/col/col1/index.html";</script></head><body></body></html>',
     "http://www.example.gov.cn/col/col1/index.html"),
    ("<html><head><script type='text/javascript'>location.replace('./portal/index.shtml')</script></head>"
     "<body>页面跳转中……</body></html>", "http://www.example.gov.cn/portal/index.shtml"),
    ("<script>top.location = 'http://www.example.gov.cn/index.htm';</script>", "http://www.example.gov.cn/index.htm"),
    ('<html><head><meta http-equiv="refresh" content="0; url=index.shtml"></head><body>正在跳转</body></html>',
     "http://www.example.gov.cn/index.shtml"),
    ('<html><frameset rows="0,*"><frame src="top.html" name="topFrame"><frame src="main.html" name="mainFrame">'
     "</frameset></html>", "http://www.example.gov.cn/main.html"),
    ('<html><frameset cols="*"><frame src="/site/index.html"></frameset></html>', "http://www.example.gov.cn/site/index.html"),
    ('<html><body style="margin:0"><iframe src="/portal/" width="100%" height="100%" frameborder="0"></iframe></body></html>',
     "http://www.example.gov.cn/portal/"),
])
def test_a_stub_forwards(html, want):
    assert homepage_forward(html, HOME) == want


@pytest.mark.parametrize("html", [
    # a homepage with its own content and a mobile redirect in script
    "<html><body><div class='nav'>" + "".join(f"<a href='/c{i}/'>栏目{i}</a>" for i in range(8))
    + "</div><script>if (/Mobile/.test(navigator.userAgent)) { location.href = '/m/'; }</script></body></html>",
    # a page that reloads itself every five minutes
    '<html><head><meta http-equiv="refresh" content="300"></head><body><p>首页</p></body></html>',
    '<html><head><meta http-equiv="refresh" content="600; url=/"></head><body><a href="/zwgk/">政务公开</a></body></html>',
    # a homepage with content and an embedded weather iframe
    "<html><body><p>" + "某某市人民政府门户网站" * 30 + "</p><iframe src='/weather.html'></iframe></body></html>",
    # a redirect to itself
    '<html><head><script>location.href="/";</script></head><body></body></html>',
])
def test_a_page_of_its_own_does_not_forward(html):
    assert homepage_forward(html, HOME) is None
