"""Run the disclosure spider for one site into the snapshot store (Scrapy in this process)."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import date
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
    as_of: date | None = None           # documents are sampled per column up to this date
    docs_months: int = default_settings.ZWGK_DOCS_MONTHS     # crawler/sampling.py
    docs_min: int = default_settings.ZWGK_DOCS_MIN
    docs_columns: dict = field(default_factory=dict)   # 栏目名 -> {"months", "min"} (config)
    screenshots: bool = False           # evidence screenshots after the audit (crawler/screenshots.py)
    cache_dir: str = ""                 # incremental nights: HTTP cache root (crawler/httpcache.py); "" off
    cache_max_age: float | None = None  # seconds a cached document is used without asking
    homepage_days: int | None = None    # the 首页不更新 limit (config); None: the rule's default

    def sampling(self) -> dict:
        """The document bound used, for the report."""
        return {"months": self.docs_months, "min": self.docs_min, "columns": dict(self.docs_columns)}


def crawl_settings(store_url: str, run_id: int, opts: CrawlOptions, log_file: Path | None,
                   site_url: str = "") -> Settings:
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
        "ZWGK_AS_OF": opts.as_of.isoformat() if opts.as_of else "",
        "ZWGK_DOCS_MONTHS": opts.docs_months,
        "ZWGK_DOCS_MIN": opts.docs_min,
        "ZWGK_DOCS_COLUMNS": dict(opts.docs_columns),
        **({"ZWGK_HOMEPAGE_FRESH_DAYS": opts.homepage_days} if opts.homepage_days else {}),
    }, priority="cmdline")
    if opts.render != "never":
        settings.setdict(browser_settings(opts.per_host, opts.timeout), priority="cmdline")
    if not opts.throttle:
        # Our own servers (benchmarks, tests): as fast as the per-host limit allows.
        settings.set("CONCURRENT_REQUESTS", max(16, opts.per_host * 2), priority="cmdline")
    if log_file:
        settings.set("LOG_FILE", str(log_file), priority="cmdline")
        # Every crawler re-installs the root handler from its settings when it starts (the link
        # check too): append, never truncate — the caller starts the file (crawl, crawl_many).
        settings.set("LOG_FILE_APPEND", True, priority="cmdline")
    if opts.cache_dir and site_url:
        from crawler.httpcache import cache_settings
        settings.setdict(cache_settings(opts.cache_dir, site_url, opts.cache_max_age), priority="cmdline")
        mws = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
        mws.update({"scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware": None,
                    "crawler.httpcache.IncrementalCacheMiddleware": 900})
        settings.set("DOWNLOADER_MIDDLEWARES", mws, priority="cmdline")
    return settings


GC_EVERY_SITES = 8      # crawl_many: a full collection after every 8 finished sites


def tune_gc() -> None:
    """Fewer cyclic garbage collections for the crawl. With Python's defaults (700, 10, 10) a
    crawl spent 17% of its CPU in the collector, mostly in full collections walking every
    long-lived object (bench/throughput.py, gc callbacks). What exists now (modules, settings)
    lives as long as the process: frozen out of the walks; the young generation is collected
    every 10,000 allocations instead of 700 (peak memory: see the bench)."""
    import gc
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def crawl(url: str, store_url: str, run_id: int, opts: CrawlOptions,
          log_file: Path | None = None) -> dict:
    """Crawl one site; returns {"cut_short": bool, "finish_reason": str}. Blocks until done."""
    tune_gc()
    settings = crawl_settings(store_url, run_id, opts, log_file, site_url=url)
    # Scrapy 2.19 on the asyncio reactor lets a slot's whole queue through at once
    # (CONCURRENT_REQUESTS_PER_DOMAIN=2 gave 15 requests in flight to one host): the per-host
    # limit is ours, as in crawl_many.
    SharedHostLimit.limiter = HostLimiter(opts.per_host)
    mws = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    mws["zwgk.crawl.SharedHostLimit"] = 990
    settings.set("DOWNLOADER_MIDDLEWARES", mws, priority="cmdline")
    if log_file:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        log_file.write_text("", encoding="utf-8")     # one audit, one log: the crawl and its link check
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


@dataclass
class SiteCrawl:
    """One site of a multi-site crawl, and what became of it (read by the progress display)."""
    name: str
    url: str
    run_id: int
    host: str                       # the per-host unit: never two crawls of one host at once
    state: str = "queued"           # queued | crawling | checking | done | failed
    pages: int = 0
    cut_short: bool = False
    finish_reason: str = ""
    error: str = ""
    started: float | None = None    # time.monotonic()
    finished: float | None = None
    crawler: object | None = field(default=None, repr=False)

    def live_pages(self) -> int:
        crawler = self.crawler
        if crawler is not None and getattr(crawler, "_stats", None) is not None:
            return crawler.stats.get_value("response_received_count", 0) or 0
        return self.pages


def crawl_many(sites: list[SiteCrawl], store_url: str, opts: CrawlOptions, *, concurrency: int = 8,
               log_file: Path | None = None, on_tick=None, tick: float = 0.5) -> list[SiteCrawl]:
    """Crawl many sites in this process, on one reactor: each site's disclosure crawl then its
    link check, up to `concurrency` sites at once and never two sites of one host together (so
    each host sees at most its per-host limit). A site whose crawl fails is marked failed and the
    others go on. `on_tick(sites)` is called every `tick` seconds and once at the end.
    Blocks until every site is done (or the process is interrupted)."""
    import time

    from scrapy.crawler import Crawler
    from twisted.internet import task

    tune_gc()

    base = Settings()
    base.setmodule(default_settings, priority="project")
    if log_file:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        log_file.write_text("", encoding="utf-8")
        # Every crawler re-installs Scrapy's root handler from its settings: append, never truncate.
        base.setdict({"LOG_FILE": str(log_file), "LOG_FILE_APPEND": True}, priority="cmdline")
    configure_logging(base)
    SharedHostLimit.limiter = HostLimiter(opts.per_host)
    process = _Process(base, install_root_handler=False)
    stopping = process.stopping
    queue = list(sites)
    busy_hosts: set[str] = set()
    running: list[SiteCrawl] = []
    first = [True]
    finished_all = [False]
    finished = [0]

    def settings_for(site: SiteCrawl, render: bool = True) -> Settings:
        # The link checker never renders: without the browser handler it starts no Playwright
        # driver (each crawler with it starts its own, ~120 MB).
        s = crawl_settings(store_url, site.run_id, opts if render else replace(opts, render="never"),
                           log_file, site_url=site.url)
        s.set("LOG_FILE_APPEND", True, priority="cmdline")
        if render and opts.render != "never":
            s.set("PLAYWRIGHT_BROWSER_PROVIDER", "zwgk.crawl.SharedBrowserProvider", priority="cmdline")
        mws = dict(s.getdict("DOWNLOADER_MIDDLEWARES"))
        mws["zwgk.crawl.SharedHostLimit"] = 990
        s.set("DOWNLOADER_MIDDLEWARES", mws, priority="cmdline")
        try:    # the site the registry names may be on any address (crawler/netsafety.py)
            from crawler.netsafety import site_hosts
            s.set("ZWGK_SITE_HOSTS", sorted(site_hosts(site.url)), priority="cmdline")
        except ImportError:
            pass
        return s

    def new_crawler(spidercls, settings):
        crawler = Crawler(spidercls, settings, init_reactor=first[0])
        first[0] = False
        return crawler

    def start_next():
        while len(running) < concurrency and not stopping[0]:
            site = next((s for s in queue if s.host not in busy_hosts), None)
            if site is None:
                break
            queue.remove(site)
            busy_hosts.add(site.host)
            running.append(site)
            launch(site)
        if not queue and not running and not finished_all[0]:
            finished_all[0] = True
            if on_tick:
                on_tick(sites)
            from twisted.internet import reactor
            if reactor.running:
                reactor.callLater(0, process._stop_reactor)

    def done(site: SiteCrawl, state: str, error: str = ""):
        site.state, site.error = state, error
        site.pages = site.live_pages()
        site.finished = time.monotonic()
        site.crawler = None
        running.remove(site)
        busy_hosts.discard(site.host)
        finished[0] += 1
        if finished[0] % GC_EVERY_SITES == 0:
            # A finished site's crawlers are reference cycles (crawler, engine, spider …) that
            # only a full collection frees, and tune_gc makes those rare: without this, peak
            # memory grew with the number of sites (217 → 334 MB over 200 sites).
            import gc
            gc.collect()
        start_next()

    def launch(site: SiteCrawl):
        settings = settings_for(site)
        site.state, site.started = "crawling", time.monotonic()
        try:
            crawler = new_crawler(DisclosureSpider, settings)
        except Exception as exc:  # noqa: BLE001 — one site's set-up failure stays that site's
            done(site, "failed", f"{type(exc).__name__}: {exc}")
            return
        site.crawler = crawler
        d = process.crawl(crawler, start_url=site.url, max_pages=opts.max_pages, render=opts.render,
                          timeout=opts.timeout)

        def crawled(_):
            try:
                check(_)
            except Exception as exc:  # noqa: BLE001
                done(site, "done", f"链接检查未能启动：{exc}")

        def check(_):
            spider = crawler.spider
            site.pages = site.live_pages()
            site.finish_reason = crawler.stats.get_value("finish_reason", "") or ""
            site.cut_short = bool(spider and spider.cut_short) or site.finish_reason != "finished"
            if (stopping[0] or site.finish_reason != "finished"
                    or not settings.getbool("ZWGK_CHECK_LINKS", True)):
                done(site, "done")
                return None
            site.state = "checking"
            checker = new_crawler(LinkCheckSpider, settings_for(site, render=False))
            checked = process.crawl(checker)
            checked.addCallbacks(lambda _: done(site, "done"),
                                 lambda f: done(site, "done", f"链接检查失败：{f.getErrorMessage()}"))
            return None

        def failed(failure):
            done(site, "failed", failure.getErrorMessage())
            return None

        d.addCallbacks(crawled, failed)

    start_next()
    if finished_all[0]:
        return sites
    loop = None
    if on_tick:
        loop = task.LoopingCall(on_tick, sites)
        loop.start(tick, now=True)
    process.start(stop_after_crawl=False)
    if loop is not None and loop.running:
        loop.stop()
    for site in sites:      # interrupted: what never finished says so
        if site.state not in ("done", "failed"):
            site.pages = site.live_pages()
            site.cut_short = True
            site.state, site.error = "failed", site.error or "运行被中断"
    return sites


def host_key(url: str) -> str:
    """host:port — the unit of the per-host limit (two sites on one server share it)."""
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    return (parts.hostname or "") + (f":{port}" if port else "")


class HostLimiter:
    """One per-host limit shared by every crawler of a `zwgk run` (or of one `zwgk audit`: its
    crawl and its link check): sites crawl one at a time per host already, but their link checks
    all reach the same outside hosts (www.gov.cn …). Scrapy's own CONCURRENT_REQUESTS_PER_DOMAIN
    is not enough: on the asyncio reactor its slot lets every queued request through at once."""

    def __init__(self, limit: int):
        self.limit = max(1, limit)
        self.semaphores: dict = {}

    def acquire(self, key: str):
        from twisted.internet.defer import DeferredSemaphore
        sem = self.semaphores.get(key)
        if sem is None:
            sem = self.semaphores[key] = DeferredSemaphore(self.limit)
        return sem.acquire()

    def release(self, key: str) -> None:
        self.semaphores[key].release()


class SharedHostLimit:
    """Downloader middleware (nearest the downloader, so every request that is really sent —
    robots.txt, redirects and retries too — takes a slot, and gives it back on its response or
    failure; whatever a closing crawler still holds is given back when it closes)."""

    limiter: HostLimiter | None = None      # set by crawl_many for the run

    def __init__(self, limiter: HostLimiter):
        self.limiter = limiter
        self.held: dict[int, str] = {}

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals
        from scrapy.exceptions import NotConfigured
        if SharedHostLimit.limiter is None:
            raise NotConfigured
        mw = cls(SharedHostLimit.limiter)
        crawler.signals.connect(mw.closed, signal=signals.spider_closed)
        return mw

    async def process_request(self, request, spider=None):
        from scrapy.utils.defer import maybe_deferred_to_future
        key = host_key(request.url)
        await maybe_deferred_to_future(self.limiter.acquire(key))
        self.held[id(request)] = key
        return None

    def process_response(self, request, response, spider=None):
        self._release(request)
        return response

    def process_exception(self, request, exception, spider=None):
        self._release(request)
        return None

    def _release(self, request) -> None:
        key = self.held.pop(id(request), None)
        if key is not None:
            self.limiter.release(key)

    def closed(self, spider=None, reason=None):
        for key in self.held.values():
            self.limiter.release(key)
        self.held.clear()


class _SharedBrowser:
    """The run's one browser as one crawler's handler sees it: everything but close() — the
    handler closes "its" browser when its crawler ends, and the others still use it."""

    def __init__(self, browser):
        self._browser = browser

    def __getattr__(self, name):
        return getattr(self._browser, name)

    async def close(self, **_):
        return None


class SharedBrowserProvider:
    """PLAYWRIGHT_BROWSER_PROVIDER for `zwgk run`: one Playwright driver and one Chromium for every
    crawler of the run (each crawler's handler would otherwise start its own driver, ~120 MB, and
    its own browser). Started by the first crawler, stopped when the last one closes."""

    _lock = None
    _users = 0
    _manager = None
    _playwright = None
    _browser = None

    def __init__(self, config):
        self.config = config
        self.browser_type = None

    async def start(self) -> None:
        import asyncio

        from playwright.async_api import PlaywrightContextManager
        cls = SharedBrowserProvider
        if cls._lock is None:
            cls._lock = asyncio.Lock()
        async with cls._lock:
            if cls._playwright is None:
                cls._manager = PlaywrightContextManager()
                cls._playwright = await cls._manager.start()
            cls._users += 1
        self.browser_type = getattr(cls._playwright, self.config.browser_type_name)

    async def launch_browser(self):
        cls = SharedBrowserProvider
        async with cls._lock:
            if cls._browser is None or not cls._browser.is_connected():
                cls._browser = await self.browser_type.launch(**self.config.launch_options)
            return _SharedBrowser(cls._browser)

    async def launch_persistent_context(self, context_kwargs: dict):
        return await self.browser_type.launch_persistent_context(**context_kwargs)

    async def close(self) -> None:
        cls = SharedBrowserProvider
        async with cls._lock:
            cls._users -= 1
            if cls._users > 0:
                return
            browser, playwright = cls._browser, cls._playwright
            cls._browser = cls._playwright = cls._manager = None
            if browser is not None:
                try:
                    await browser.close()
                except Exception:  # noqa: BLE001 — already gone
                    pass
            if playwright is not None:
                await playwright.stop()


class _Process(CrawlerProcess):
    """A CrawlerProcess that tells the scheduler when it is being stopped (Ctrl-C, SIGTERM, the
    end of the run), so that no new site is started while the running ones close."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stopping = [False]

    def _stop_dfd(self):
        self.stopping[0] = True
        return super()._stop_dfd()


def _progress_to_stderr() -> None:
    log = logging.getLogger("zwgk.progress")
    if not any(getattr(h, "_zwgk", False) for h in log.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler._zwgk = True
        log.addHandler(handler)
    log.setLevel(logging.INFO)
