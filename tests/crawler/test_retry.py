"""Retries that wait: backoff, Retry-After per host, the homepage spread over a minute."""
from __future__ import annotations

import asyncio
import time

import scrapy
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from crawler.retry import BackoffRetryMiddleware, retry_after_seconds


class Spider(scrapy.Spider):
    name = "t"


def middleware(**settings):
    crawler = get_crawler(Spider, {"RETRY_TIMES": 2, "RETRY_HTTP_CODES": [503, 429, 500],
                                   "ZWGK_RETRY_BACKOFF": 1.0, "ZWGK_RETRY_AFTER_MAX": 120.0,
                                   "ZWGK_HOMEPAGE_RETRY_TIMES": 3,
                                   "ZWGK_HOMEPAGE_RETRY_SPAN": 60.0, **settings})
    crawler.spider = crawler._create_spider()
    return BackoffRetryMiddleware.from_crawler(crawler)


def test_retry_after_forms():
    assert retry_after_seconds(b"7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds(b"soon") is None
    assert retry_after_seconds(None) is None


def test_backoff_doubles_and_the_answer_stands_after_the_last_try():
    mw = middleware()
    request = Request("http://a.gov.cn/col/")
    delays = []
    for _ in range(2):
        request = mw.process_response(request, Response(request.url, status=503), None)
        assert isinstance(request, Request)
        delays.append(request.meta["zwgk_retry_delay"])
    assert delays == [1.0, 2.0]
    final = mw.process_response(request, Response(request.url, status=503), None)
    assert isinstance(final, Response) and final.status == 503


def test_retry_after_is_honoured_for_the_whole_host():
    mw = middleware()
    request = Request("http://a.gov.cn/col/")
    retry = mw.process_response(request, Response(request.url, status=429,
                                                  headers={"Retry-After": "5"}), None)
    assert retry.meta["zwgk_retry_delay"] >= 5.0
    assert mw.resume_at["a.gov.cn"] - time.monotonic() > 4.0      # other pages of the host wait too
    assert "b.gov.cn" not in mw.resume_at


def test_a_wait_longer_than_the_cap_is_not_retried():
    mw = middleware(ZWGK_RETRY_AFTER_MAX=10.0)
    request = Request("http://a.gov.cn/col/")
    answer = mw.process_response(request, Response(request.url, status=503,
                                                   headers={"Retry-After": "3600"}), None)
    assert isinstance(answer, Response) and answer.status == 503


def test_homepage_retries_span_a_minute():
    mw = middleware()
    request = Request("http://a.gov.cn/", meta={"role": "homepage"})
    waited = 0.0
    tries = 0
    while isinstance(request, Request):
        answer = mw.process_response(request, Response(request.url, status=503), None)
        if not isinstance(answer, Request):
            break
        waited += answer.meta["zwgk_retry_delay"]
        tries += 1
        request = answer
    assert tries == 3 and waited >= 60.0


def test_process_request_waits_what_was_asked():
    mw = middleware()
    request = Request("http://a.gov.cn/x", meta={"zwgk_retry_delay": 0.3})
    started = time.monotonic()
    asyncio.run(mw.process_request(request, None))
    assert time.monotonic() - started >= 0.29
    assert "zwgk_retry_delay" not in request.meta


def test_success_is_not_retried():
    mw = middleware()
    request = Request("http://a.gov.cn/col/")
    ok = Response(request.url, status=200)
    assert mw.process_response(request, ok, None) is ok


def test_retried_faults_are_counted_by_kind():
    mw = middleware()
    request = Request("http://a.gov.cn/col/")
    retry = mw.process_response(request, Response(request.url, status=503), None)
    mw.process_response(retry, Response(request.url, status=429), None)
    stats = mw.crawler.stats.get_stats()
    assert stats["zwgk/retried/http_5xx"] == 1 and stats["zwgk/retried/rate_limited"] == 1
