"""Incremental nights (issue 10.3): documents and attachments fetched conditionally.

Scrapy's HTTP cache with the RFC 2616 policy, narrowed to what may be carried from one night to
the next without hiding anything tonight:
- only documents and attachments are cached; the homepage, sections and list pages are always
  fetched fresh (their entries and dates are what the rules judge);
- a cached copy is used without asking only while RFC 2616 says it is fresh (Cache-Control /
  Expires, else a tenth of its age since Last-Modified) and never longer than ZWGK_CACHE_MAX_AGE;
  after that the request carries If-None-Match / If-Modified-Since and a 304 reuses the copy;
- a server error or a failed connection tonight is tonight's outcome: never answered from the
  cache (Scrapy's policy would serve the old copy), so a broken document is still seen broken;
- pages rendered in the browser are not cached.
The cache is one folder per site (host_port) under the cache root (zwgk run --cache,
$ZWGK_CACHE); its counts are the crawl's stats httpcache/hit (served without asking),
httpcache/revalidate (304) and httpcache/miss.
"""
from __future__ import annotations

import os
import re

from scrapy.downloadermiddlewares.httpcache import HttpCacheMiddleware
from scrapy.extensions.httpcache import RFC2616Policy

CACHED_ROLES = frozenset({"document", "attachment"})
DEFAULT_MAX_AGE = float(os.environ.get("ZWGK_CACHE_MAX_AGE") or 7 * 24 * 3600)


def site_cache_dir(root: str, url: str) -> str:
    """The site's own folder under the cache root: host_port, safe on every file system."""
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    name = (parts.hostname or "site") + (f"_{port}" if port else "")
    return str(__import__("pathlib").Path(root) / re.sub(r"[^\w.-]+", "_", name))


class IncrementalPolicy(RFC2616Policy):
    def __init__(self, settings):
        super().__init__(settings)
        self.max_age = settings.getfloat("ZWGK_CACHE_MAX_AGE", DEFAULT_MAX_AGE)

    def should_cache_request(self, request) -> bool:
        if request.meta.get("role") not in CACHED_ROLES or request.meta.get("playwright"):
            return False
        return super().should_cache_request(request)

    def _compute_freshness_lifetime(self, response, request, now: float) -> float:
        return min(super()._compute_freshness_lifetime(response, request, now), self.max_age)

    def is_cached_response_valid(self, cachedresponse, response, request) -> bool:
        return response.status == 304       # a 5xx tonight is what tonight's audit saw


class IncrementalCacheMiddleware(HttpCacheMiddleware):
    def process_exception(self, request, exception, spider=None):
        request.meta.pop("cached_response", None)   # a failure tonight stays a failure
        return None


def cache_settings(root: str, site_url: str, max_age: float | None = None) -> dict:
    """Settings that turn the incremental cache on for one site's crawl."""
    values = {
        "HTTPCACHE_ENABLED": True,
        "HTTPCACHE_POLICY": "crawler.httpcache.IncrementalPolicy",
        "HTTPCACHE_STORAGE": "scrapy.extensions.httpcache.FilesystemCacheStorage",
        "HTTPCACHE_DIR": site_cache_dir(root, site_url),
        "HTTPCACHE_EXPIRATION_SECS": 0,
        "HTTPCACHE_GZIP": True,
    }
    if max_age is not None:
        values["ZWGK_CACHE_MAX_AGE"] = max_age
    return values
