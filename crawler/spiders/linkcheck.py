"""The link checker: runs after the disclosure spider, in the same process, on the same run.

It reads the run's links from the store and checks each distinct target once (fragments ignored):
a target the main crawl already fetched keeps that result; the others get a HEAD request, and a GET
(stopped once the headers arrive) where HEAD is refused with 405/501. Retries on 5xx and timeouts
come from the crawl's RetryMiddleware; robots.txt, per-host concurrency and AutoThrottle are the
crawl's too. It records an HTTP status ("404") or a failure outcome ("dns") on every link to the
target; judging them (404 broken, 403 unverified …) is `link.broken`'s business.
"""
from __future__ import annotations

import logging
from urllib.parse import urldefrag, urlparse

import scrapy
from scrapy import signals
from scrapy.exceptions import StopDownload
from scrapy.http import Request

from crawler.outcomes import classify_failure
from snapshot.store import Store

FLUSH_EVERY = 200          # statuses written per batch
progress = logging.getLogger("zwgk.progress")


class LinkCheckSpider(scrapy.Spider):
    name = "linkcheck"
    # Its results go straight to the links table: the snapshot pipeline (which counts the run's
    # pages) and the crawl's progress extension are for the disclosure spider.
    custom_settings = {"ITEM_PIPELINES": {}, "EXTENSIONS": {}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pending: dict[str, str] = {}
        self.groups: dict[str, list[str]] = {}    # defragmented target -> stored to_urls
        self.counts = {"links": 0, "targets": 0, "reused": 0, "requests": 0, "get_fallbacks": 0}

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.store = Store(crawler.settings.get("ZWGK_STORE"))
        spider.run_id = crawler.settings.getint("ZWGK_RUN_ID")
        crawler.signals.connect(spider.headers_received, signal=signals.headers_received)
        crawler.signals.connect(spider.spider_closed, signal=signals.spider_closed)
        return spider

    async def start(self):
        targets = self.store.link_targets(self.run_id)
        self.counts["links"] = len(targets)
        for url in targets:
            self.groups.setdefault(urldefrag(url)[0], []).append(url)
        known = self.store.fetch_statuses(self.run_id)
        self.counts["targets"] = len(self.groups)
        progress.info("检查链接：%d 个链接，%d 个不同地址（%d 个已在抓取中访问过）",
                      len(targets), len(self.groups), sum(t in known for t in self.groups))
        for target in self.groups:
            if target in known:
                self.counts["reused"] += 1
                self._record(target, known[target])
            elif urlparse(target).scheme in ("http", "https"):
                yield self._request(target, "HEAD")
            else:
                self._record(target, "error")

    def _request(self, url: str, method: str) -> Request:
        self.counts["requests"] += 1
        return Request(url, method=method, callback=self.checked, errback=self.failed,
                       dont_filter=True, meta={"role": "link", "target": url, "check": True})

    def headers_received(self, headers, body_length, request, spider):
        # A GET fallback only needs the status line: do not download the body.
        if spider is self and request.meta.get("check") and request.method == "GET":
            raise StopDownload(fail=False)

    def checked(self, response):
        target = response.meta["target"]
        if response.request.method == "HEAD" and response.status in (405, 501):
            self.counts["get_fallbacks"] += 1
            yield self._request(target, "GET")
            return
        self._record(target, str(response.status))

    def failed(self, failure):
        outcome, _ = classify_failure(failure)
        self._record(failure.request.meta["target"], outcome)

    def _record(self, target: str, status: str) -> None:
        for url in self.groups.get(target, [target]):
            self.pending[url] = status
        if len(self.pending) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        self.store.set_link_statuses(self.run_id, self.pending)
        self.pending = {}

    def spider_closed(self, spider, reason):
        self.flush()
        self.logger.info("link check (%s): %s", reason, self.counts)
        progress.info("链接检查完成：发出 %d 次请求", self.counts["requests"])
