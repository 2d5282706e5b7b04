"""Retries that wait: transient failures are retried with backoff, honouring Retry-After per host.

Scrapy's RetryMiddleware re-sends at once, so a server that asked to wait (429/503 +
Retry-After) or a short 5xx burst used up every retry in a second and the page was lost. Here:

- a retry waits `ZWGK_RETRY_BACKOFF × 2^n` seconds, or what the server's Retry-After asks
  (seconds or an HTTP date), capped at `ZWGK_RETRY_AFTER_MAX`; a server asking for longer is not
  waited for (the response stands: 429/503, an outcome, never a finding by itself);
- the wait holds back every request to that host (per host, as Retry-After means), not only
  the one retried;
- section and column list pages decide what is checked at all: they get
  `ZWGK_STRUCTURE_RETRY_TIMES` retries (backoff 1, 2, 4, 8 s) where other pages get RETRY_TIMES;
- the homepage decides `site.unreachable` (rules.md: "after retries spaced over at least a
  minute"): it gets `ZWGK_HOMEPAGE_RETRY_TIMES` retries spread over `ZWGK_HOMEPAGE_RETRY_SPAN`
  seconds.
"""
from __future__ import annotations

import asyncio
import time
from datetime import timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.response import response_status_message

_DELAY = "zwgk_retry_delay"
RETRIED = "zwgk/retried/"     # crawler stats prefix: faults retried, by outcome kind
STRUCTURE = ("section", "column", "list")     # pages whose loss leaves columns unchecked


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1", "replace") if isinstance(value, bytes) else str(value)
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:             # "-0000": an HTTP date is GMT
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.backoff = settings.getfloat("ZWGK_RETRY_BACKOFF", 1.0)
        self.cap = settings.getfloat("ZWGK_RETRY_AFTER_MAX", 120.0)
        self.homepage_times = settings.getint("ZWGK_HOMEPAGE_RETRY_TIMES", 3)
        self.homepage_span = settings.getfloat("ZWGK_HOMEPAGE_RETRY_SPAN", 60.0)
        self.structure_times = settings.getint("ZWGK_STRUCTURE_RETRY_TIMES", 4)
        self.resume_at: dict[str, float] = {}      # host -> monotonic time it may be asked again

    async def process_request(self, request, spider=None):
        host = urlsplit(request.url).netloc
        wait = max(request.meta.pop(_DELAY, 0.0),
                   self.resume_at.get(host, 0.0) - time.monotonic())
        if wait > 0:
            await asyncio.sleep(wait)
        return None

    def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        if asked is not None and asked > self.cap:
            return response          # longer than we wait: the answer stands as it is
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        delay = self._delay(request) if asked is None else max(asked, self._delay(request))
        if asked is not None:
            host = urlsplit(request.url).netloc
            self.resume_at[host] = max(self.resume_at.get(host, 0.0), time.monotonic() + asked)
        retry.meta[_DELAY] = delay
        self._count("rate_limited" if response.status == 429 else
                    "http_5xx" if response.status >= 500 else "http_4xx")
        return retry

    def process_exception(self, request, exception, spider=None):
        retry = super().process_exception(request, exception, spider)
        if retry is not None:
            retry.meta[_DELAY] = self._delay(request)
            from twisted.python.failure import Failure

            from crawler.outcomes import classify_failure
            self._count(classify_failure(Failure(exception))[0])
        return retry

    def _count(self, kind: str) -> None:
        """A fault met and retried: named in run.json (`retried_<kind>`) even when overcome."""
        stats = getattr(getattr(self, "crawler", None), "stats", None)
        if stats is not None:
            stats.inc_value(f"{RETRIED}{kind}")

    def _retry(self, request, reason):
        if "max_retry_times" not in request.meta:
            role = request.meta.get("role")
            if role == "homepage":
                request.meta["max_retry_times"] = self.homepage_times
            elif role in STRUCTURE:
                # A section or column page decides what gets checked at all: a burst of 5xx or
                # a reset that outlasts the usual retries would leave a whole column unread.
                request.meta["max_retry_times"] = max(self.max_retry_times, self.structure_times)
        return super()._retry(request, reason)

    def _delay(self, request) -> float:
        """The wait before the next try of `request` (its retry count so far in meta)."""
        done = request.meta.get("retry_times", 0)
        if request.meta.get("role") == "homepage":
            return self.homepage_span / max(1, self.homepage_times)
        return min(self.cap, self.backoff * (2 ** done))
