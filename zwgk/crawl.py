"""Run the disclosure spider for one site into the snapshot store (Scrapy in this process)."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.log import configure_logging

from crawler import settings as default_settings
from crawler.browser import browser_settings
from crawler.spiders.disclosure import DisclosureSpider
from crawler.spiders.linkcheck import LinkCheckSpider


@dataclass
class CrawlOptions:
    max_pages: int | None = None
    render: str = "auto"
    obey_robots: bool = True
    per_host: int = 2
    throttle: bool = True
    timeout: float = 15.0
    progress_interval: float = 5.0


def crawl_settings(store_url: str, run_id: int, opts: CrawlOptions, log_file: Path | None) -> Settings:
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    settings.setdict({
        "ZWGK_STORE": store_url,
        "ZWGK_RUN_ID": run_id,
        "ROBOTSTXT_OBEY": opts.obey_robots,
        "CONCURRENT_REQUESTS_PER_DOMAIN": opts.per_host,
        "AUTOTHROTTLE_ENABLED": opts.throttle,
        "DOWNLOAD_TIMEOUT": opts.timeout,
        "ZWGK_PROGRESS_INTERVAL": opts.progress_interval,
    }, priority="cmdline")
    if opts.render != "never":
        settings.setdict(browser_settings(opts.per_host, opts.timeout), priority="cmdline")
    if not opts.throttle:
        # Our own servers (benchmarks, tests): as fast as the per-host limit allows.
        settings.set("CONCURRENT_REQUESTS", max(16, opts.per_host * 2), priority="cmdline")
    if log_file:
        settings.set("LOG_FILE", str(log_file), priority="cmdline")
        settings.set("LOG_FILE_APPEND", False, priority="cmdline")
    return settings


def crawl(url: str, store_url: str, run_id: int, opts: CrawlOptions,
          log_file: Path | None = None) -> dict:
    """Crawl one site; returns {"cut_short": bool, "finish_reason": str}. Blocks until done."""
    settings = crawl_settings(store_url, run_id, opts, log_file)
    configure_logging(settings)
    _progress_to_stderr()
    process = CrawlerProcess(settings, install_root_handler=False)
    crawler = process.create_crawler(DisclosureSpider)
    checker = process.create_crawler(LinkCheckSpider)
    done = process.crawl(crawler, start_url=url, max_pages=opts.max_pages, render=opts.render,
                         timeout=opts.timeout)

    def check_links(result):
        # Chained on the first crawl's deferred, so that start()'s join waits for both; an
        # interrupted crawl is not followed by a link check.
        if settings.getbool("ZWGK_CHECK_LINKS", True) and \
                crawler.stats.get_value("finish_reason", "") == "finished":
            return process.crawl(checker)
        return result

    done.addCallback(check_links)
    process.start()
    spider = crawler.spider
    reason = crawler.stats.get_value("finish_reason", "")
    # Interrupted (Ctrl-C, SIGTERM): what was stored stays, and the report says it is partial.
    return {"cut_short": bool(spider and spider.cut_short) or reason != "finished",
            "finish_reason": reason,
            "link_check": dict(checker.spider.counts) if checker.spider else {}}


def _progress_to_stderr() -> None:
    log = logging.getLogger("zwgk.progress")
    if not any(getattr(h, "_zwgk", False) for h in log.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler._zwgk = True
        log.addHandler(handler)
    log.setLevel(logging.INFO)
