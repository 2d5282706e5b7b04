"""The outcome kinds the fault suite relies on, as pure decisions: a fault is named by what it is
(truncated, oversize, rate_limited, not a page), never folded into a kind that means something
else (reset, error, a 4xx that reads as "no such page")."""
from __future__ import annotations

from scrapy.exceptions import IgnoreRequest, ResponseDataLossError
from scrapy.http import Headers, HtmlResponse, Request
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed

from crawler.outcomes import classify_failure, classify_response, link_verdict
from crawler.spiders.disclosure import _looks_like_html


def _failure(exc) -> Failure:
    try:
        raise exc
    except Exception:  # noqa: BLE001
        return Failure()


def test_a_body_shorter_than_its_length_is_truncated_not_a_reset():
    assert classify_failure(_failure(ResponseDataLossError()))[0] == "truncated"
    assert classify_failure(_failure(ResponseFailed([_failure(ConnectionError("x"))])))[0] == "reset"


def test_a_gzip_bomb_stopped_while_decompressing_is_oversize():
    msg = ("Ignored response <200 http://x/> because its body (1043656 B compressed, 52428800 B "
           "decompressed so far) exceeded DOWNLOAD_MAXSIZE (52428800 B) during decompression.")
    assert classify_failure(_failure(IgnoreRequest(msg)))[0] == "oversize"
    assert classify_failure(_failure(IgnoreRequest("Forbidden by robots.txt")))[0] == "robots"


def test_429_is_rate_limited_and_no_broken_link():
    assert classify_response(429, Headers(), b"") == "rate_limited"
    assert link_verdict("rate_limited")[0] == "unverified"
    assert classify_response(404, Headers(), b"") == "http_4xx"


def _html(body: bytes, ctype="text/html; charset=utf-8") -> HtmlResponse:
    return HtmlResponse("http://x/a.html", body=body, headers={"Content-Type": ctype},
                        request=Request("http://x/a.html"))


def test_bytes_served_as_html_are_not_a_page():
    assert not _looks_like_html(_html(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"))
    assert not _looks_like_html(_html(b"%PDF-1.7\n%\xe2\xe3"))
    assert not _looks_like_html(_html(b"<html>\0\0\0</html>"))
    # Pages in any charset, and pages without a type, still are.
    assert _looks_like_html(_html("<html><body>通知公告</body></html>".encode("gbk"), "text/html"))
    assert _looks_like_html(_html(b"<!DOCTYPE html><html></html>", ""))


def test_an_offsite_redirect_to_an_internal_address_is_named_forbidden():
    from scrapy.utils.test import get_crawler

    from crawler.netsafety import ForbiddenAddress, OutOfScope, SiteScopeMiddleware

    class Spider:
        start_url = "http://www.example.gov.cn/"

    scope = SiteScopeMiddleware(set(), get_crawler(settings_dict={"ZWGK_ALLOW_NETWORKS": ["10.9.0.0/16"]}))
    for url in ("http://10.0.0.1/zfxxgk/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/"):
        try:
            scope.process_request(Request(url, meta={"role": "column"}), Spider())
        except ForbiddenAddress as exc:
            assert classify_failure(_failure(exc))[0] == "forbidden_address"
        else:
            raise AssertionError(f"{url} let through")
    # A name is not resolved here (offsite); an allowed network is only off the site.
    for url in ("http://internal.example.org/", "http://10.9.1.1/"):
        try:
            scope.process_request(Request(url, meta={"role": "column"}), Spider())
        except OutOfScope as exc:
            assert not isinstance(exc, ForbiddenAddress)
        else:
            raise AssertionError(f"{url} let through")
