"""Progress for long runs: a Chinese status line every few seconds on the "zwgk.progress" logger
(the command line prints it to stderr; the log file keeps Scrapy's own detail)."""
from __future__ import annotations

import logging

from scrapy import signals
from twisted.internet import task

log = logging.getLogger("zwgk.progress")


class Progress:
    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler, crawler.settings.getfloat("ZWGK_PROGRESS_INTERVAL", 5.0))
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider):
        if self.interval > 0:
            self.loop = task.LoopingCall(self.report, spider)
            self.loop.start(self.interval, now=False)

    def report(self, spider):
        stats = self.crawler.stats
        pages = stats.get_value("response_received_count", 0)
        pending = (stats.get_value("scheduler/enqueued", 0)
                   - stats.get_value("scheduler/dequeued", 0))
        counts = getattr(spider, "counts", {})
        log.info("已抓取 %d 页，待抓取 %d；栏目 %d 个，文件 %d 篇，错误 %d",
                 pages, pending, counts.get("columns", 0), counts.get("documents", 0),
                 counts.get("errors", 0))

    def closed(self, spider):
        if self.loop and self.loop.running:
            self.loop.stop()
        self.report(spider)
