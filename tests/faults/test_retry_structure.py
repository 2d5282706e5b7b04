"""Pages that decide what is checked (section, column list pages) outlast a longer burst of
transient failures than other pages; documents keep the usual retries."""
from __future__ import annotations

import scrapy
from scrapy.http import Request, Response
from scrapy.utils.test import get_crawler

from crawler.retry import BackoffRetryMiddleware


class Spider(scrapy.Spider):
    name = "t"


def _tries(role: str) -> int:
    crawler = get_crawler(Spider, {"RETRY_TIMES": 2, "RETRY_HTTP_CODES": [503],
                                   "ZWGK_STRUCTURE_RETRY_TIMES": 4})
    crawler.spider = crawler._create_spider()
    mw = BackoffRetryMiddleware.from_crawler(crawler)
    request, n = Request("http://a.gov.cn/x/", meta={"role": role}), 1
    while True:
        answer = mw.process_response(request, Response(request.url, status=503), None)
        if isinstance(answer, Response):
            return n
        request, n = answer, n + 1


def test_column_and_section_pages_get_more_tries_than_documents():
    assert _tries("list") == 5 and _tries("column") == 5 and _tries("section") == 5
    assert _tries("document") == 3 and _tries("attachment") == 3
