"""Scrapy settings for zwgk: every crawler setting in one place.

Politeness is the default (robots.txt, AutoThrottle, 2 requests in flight per host); the
command line relaxes it only when asked (--ignore-robots, --per-host, --no-throttle).
"""
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
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408]
DOWNLOAD_MAXSIZE = 50 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = True   # WAF session cookies (__jsluid, wzws_sessionid) must be kept
DNS_TIMEOUT = 10

# Callbacks see every status: a 404 or 503 is an observation to store, not a silent drop.
HTTPERROR_ALLOW_ALL = True

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

# The browser retry (walls, script-built lists and trees): after retries, redirects and
# decompression (process_response runs from the downloader side), before the engine.
DOWNLOADER_MIDDLEWARES = {"crawler.middlewares.BrowserRetryMiddleware": 540}

ITEM_PIPELINES = {"crawler.pipelines.SnapshotPipeline": 300}
EXTENSIONS = {"crawler.extensions.Progress": 500}
ZWGK_PROGRESS_INTERVAL = 5.0
