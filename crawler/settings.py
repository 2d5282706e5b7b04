"""Scrapy settings for zwgk: every crawler setting in one place.

Politeness is the default (robots.txt, AutoThrottle, 2 requests in flight per host); the
command line relaxes it only when asked (--ignore-robots, --per-host, --no-throttle).
"""
import os

from zwgk import __version__

BOT_NAME = "zwgk"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# ASCII only: header values are Latin-1 on the wire.
USER_AGENT = f"Mozilla/5.0 (compatible; zwgk/{__version__}; government disclosure audit; +https://pypi.org/project/zwgk/)"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 10.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# rules.md: a homepage that takes ≥15 s counts as unreachable.
DOWNLOAD_TIMEOUT = 15
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# A retry waits ZWGK_RETRY_BACKOFF × 2^n s (or the server's Retry-After, ≤ ZWGK_RETRY_AFTER_MAX).
ZWGK_RETRY_BACKOFF = 1.0
# The homepage (site.unreachable) is retried ZWGK_HOMEPAGE_RETRY_TIMES times spread over
# ZWGK_HOMEPAGE_RETRY_SPAN seconds (rules.md: at least a minute). The environment serves tests.
ZWGK_HOMEPAGE_RETRY_TIMES = 3
# Section and column list pages (what gets checked at all) are retried this many times.
ZWGK_STRUCTURE_RETRY_TIMES = 4
# A scripted homepage whose newest date as fetched is older than this is rendered before
# veto.homepage_stale judges it (the rule's default; the audit's config may lower it).
ZWGK_HOMEPAGE_FRESH_DAYS = 14
ZWGK_HOMEPAGE_RETRY_SPAN = float(os.environ.get("ZWGK_HOMEPAGE_RETRY_SPAN", "60"))
DOWNLOAD_MAXSIZE = 50 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = True   # WAF session cookies (__jsluid, wzws_sessionid) must be kept
DNS_TIMEOUT = 10

# Callbacks see every status: a 404 or 503 is an observation to store, not a silent drop.
HTTPERROR_ALLOW_ALL = True

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
# No remote console of any kind: a crawler fed hostile pages must not listen on a port.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
# Speed (bench/throughput.py, profiled): Scrapy re-reads and re-parses a callback's source on
# every response to warn about `return value` in generators (a cache keyed by bound methods that
# never hits) — 15% of a run's CPU. And each response's output is handed to CONCURRENT_ITEMS
# asyncio tasks (100 by default) although the pipeline is synchronous: a few suffice.
WARN_ON_GENERATOR_RETURN_VALUE = False
CONCURRENT_ITEMS = 4
# Nothing reads request depths or the downloader's byte counts: one layer fewer around every
# callback's output, no header sizes summed per response.
DOWNLOADER_STATS = False

# Documents fetched per column (crawler/sampling.py): every entry dated in the last
# ZWGK_DOCS_MONTHS months, and at least the newest ZWGK_DOCS_MIN; 解读 and 年报 columns whole.
# ZWGK_DOCS_COLUMNS overrides both by column name (the config's `columns:` section).
ZWGK_DOCS_MONTHS = 12
ZWGK_DOCS_MIN = 50
ZWGK_DOCS_COLUMNS: dict = {}
# Link check: a transient failure (5xx, DNS, refused, reset, timeout) is asked again this many
# seconds later before anything is recorded; a Retry-After up to ZWGK_RETRY_AFTER_MAX is waited
# for, a longer one leaves the link unverified. The environment variable serves test runs.
ZWGK_LINK_RECHECK_DELAY = float(os.environ.get("ZWGK_LINK_RECHECK_DELAY", "30"))
ZWGK_RETRY_AFTER_MAX = 120.0
ZWGK_LINK_RECHECKS = 1

# The browser retry (walls, script-built lists and trees): after retries, redirects and
# decompression (process_response runs from the downloader side), before the engine.
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.BrowserRetryMiddleware": 540,
    # Network safety and site scope first: nothing, not even robots.txt, is asked of an address
    # zwgk may not visit, and the crawl stays on the site's hosts (crawler/netsafety.py).
    "crawler.netsafety.SiteScopeMiddleware": 40,
    "crawler.netsafety.AddressGuardMiddleware": 50,
    # Retries that wait, per host, honouring Retry-After (crawler/retry.py).
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.retry.BackoffRetryMiddleware": 550,
    # Sees 3xx answers before RedirectMiddleware (600): a loop is named, not silently dropped.
    "crawler.budget.RedirectLoopMiddleware": 610,
}
# Budgets (crawler/budget.py): hitting one is the outcome `budget`, named in run.json, and the
# crawl is reported cut short. Wall time per site ends the crawl the same way.
SPIDER_MIDDLEWARES = {"crawler.budget.BudgetMiddleware": 950,
                      "scrapy.spidermiddlewares.depth.DepthMiddleware": None}
# The environment serves tests (an endless pager stops after a few pages, not a thousand).
ZWGK_MAX_LIST_PAGES = int(os.environ.get("ZWGK_MAX_LIST_PAGES", "1000"))
ZWGK_MAX_PAGES_PER_SITE = 50000
ZWGK_SITE_WALL_SECONDS = 4 * 3600
CLOSESPIDER_TIMEOUT = ZWGK_SITE_WALL_SECONDS
# Hosts that belong to the audited site besides the homepage's (the registry names them), and
# networks the user allows although they are not public (e.g. an intranet portal).
ZWGK_SITE_HOSTS: list = []
ZWGK_ALLOW_NETWORKS: list = []

ITEM_PIPELINES = {"crawler.pipelines.SnapshotPipeline": 300}
EXTENSIONS = {"crawler.extensions.Progress": 500}
ZWGK_PROGRESS_INTERVAL = 5.0
