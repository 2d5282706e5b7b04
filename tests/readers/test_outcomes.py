"""Fetch outcomes: an anti-bot wall is "blocked" whatever status it comes with; a real page is not."""
from scrapy.http import Headers

from crawler.outcomes import classify_response

RUISHU = b'<html><head><meta content="x" r="m"><script>var $_ts=window["$_ts"];</script></head><body></body></html>'
WZWS = b'<html><head><script>var wzwschallenge="abc";location.reload();</script></head><body></body></html>'
PAGE = "<html><body><ul><li><a href='/a.html'>关于开展安全生产大检查的通知</a><span>2026-11-19</span></li>" \
       "<li><a href='/b.html'>关于做好秋冬季森林防火工作的通知</a><span>2026-11-18</span></li></ul></body></html>"


def test_walls_are_blocked():
    assert classify_response(412, Headers(), RUISHU) == "blocked"
    assert classify_response(521, Headers(), b"<script>document.cookie='__jsl_clearance=1'</script>") == "blocked"
    assert classify_response(403, Headers(), b"Forbidden") == "blocked"
    assert classify_response(200, Headers({"Set-Cookie": "wzws_sessionid=abc"}), WZWS) == "blocked"
    assert classify_response(202, Headers(), WZWS) == "blocked"


def test_real_pages_are_ok_even_with_waf_cookies():
    cookies = Headers({"Set-Cookie": "__jsluid_s=abc; path=/"})
    assert classify_response(200, cookies, PAGE.encode()) == "ok"
    assert classify_response(200, Headers(), b"<html><body></body></html>") == "ok"   # empty, not walled


def test_a_wall_the_browser_passed_is_judged_by_its_content():
    assert classify_response(412, Headers(), PAGE.encode(), rendered=True) == "ok"
    assert classify_response(412, Headers(), RUISHU, rendered=True) == "blocked"


def test_other_statuses():
    assert classify_response(404, Headers(), b"") == "http_4xx"
    assert classify_response(503, Headers(), b"") == "http_5xx"
    assert classify_response(304, Headers(), b"") == "not_modified"


def test_a_plain_refusal_in_the_browser_stays_blocked():
    assert classify_response(403, Headers(), b"<html><body>403 Forbidden</body></html>", rendered=True) == "blocked"
