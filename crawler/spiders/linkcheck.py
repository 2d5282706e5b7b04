"""The link checker: runs after the disclosure spider, in the same process, on the same run.

It reads the run's links from the store and checks each distinct target once (fragments ignored).
A link is broken only on evidence (rules.md, link.broken), so a verdict is never inherited from a
crawl fetch that failed: a target the crawl fetched keeps that result only when it opened (2xx) or
answered 404/410. The others get a HEAD request, and a GET (stopped once the headers arrive) when
HEAD answers anything but 2xx/3xx (servers that refuse or mishandle HEAD). A transient answer
(5xx, DNS failure, refused, reset, timeout, 429) is asked again later, spaced in time
(ZWGK_LINK_RECHECK_DELAY, and no sooner than a Retry-After up to ZWGK_RETRY_AFTER_MAX); only what
that later answer says is recorded. robots.txt, per-host concurrency and AutoThrottle are the
crawl's. It records an HTTP status ("404") or a failure outcome ("dns") on every link to the
target, dated the day it was observed; `snapshot.outcomes.link_verdict` says what each means and
`link.broken` judges with it. With ZWGK_LINK_CADENCE_DAYS = N > 1 an ok status of last night may be
carried forward instead of asked again (`_carried`): stored as carried, with the day of the check
it carries, so the scorecard can say so.
"""
from __future__ import annotations

import logging
import os
import zlib
from collections import Counter
from datetime import date, datetime, timedelta
from urllib.parse import urldefrag, urlparse

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, StopDownload
from scrapy.http import Request
from sqlalchemy import select

from crawler.netsafety import site_hosts
from crawler.outcomes import OK, PERMANENT_HTTP, classify_failure, classify_response, link_verdict
from crawler.retry import retry_after_seconds  # noqa: F401  (one parser of Retry-After)
# Answers that may be gone a moment later (ask again before recording anything): the taxonomy's.
from snapshot.outcomes import TRANSIENT_HTTP, TRANSIENT_OUTCOMES, is_transient  # noqa: F401
from snapshot.store import Store, fetches, links, runs
from snapshot.types import CST

FLUSH_EVERY = 200          # statuses written per batch
RECHECK_DELAY = 30.0       # seconds between a transient failure and the retry that confirms it
RETRY_AFTER_MAX = 120.0    # the longest Retry-After honoured; a longer one leaves the link unverified
RECHECKS = 1               # later retries of a target that failed transiently
progress = logging.getLogger("zwgk.progress")


def reusable(fetched: list[tuple[int | None, str]]) -> str | None:
    """The status a crawl fetch gives a link target without asking again, from the crawl's
    (HTTP status, outcome) pairs for that URL: it opened, or it answered 404/410. A failure that
    may be transient (5xx, reset, a wall the browser later passed) is never reused."""
    for status, outcome in fetched:
        if outcome in (OK, "not_html"):
            # A wall's 521/412 with outcome ok: the browser passed it and read the page.
            return str(status) if status and 200 <= status < 300 else OK
    for status, outcome in fetched:
        if status in PERMANENT_HTTP:
            return str(status)
    return None


def response_status(code: int, headers=None, body: bytes = b"") -> str:
    """What one answer says about a link target: its HTTP status, or "blocked" for an anti-bot
    challenge (412/521, a 200 cookie script); 401/403 keep their status."""
    if code not in (401, 403) and classify_response(code, headers, body) == "blocked":
        return "blocked"
    return str(code)


def plan(status: str, attempt: int, retry_after: float | None, *, delay: float = RECHECK_DELAY,
         retry_after_max: float = RETRY_AFTER_MAX, rechecks: int = RECHECKS) -> tuple[str, float | None]:
    """The decision after attempt `attempt` (1 = the first) answered `status`:
    (status to record, None) when this is the answer, or ("", seconds) to ask again after a wait.
    A server asking to wait longer than zwgk waits (Retry-After over the cap, or still asking on
    the last attempt) leaves the link unverified ("rate_limited")."""
    if not is_transient(status):
        return status, None
    asks_to_wait = retry_after is not None and status in ("429", "503")
    if asks_to_wait and retry_after > retry_after_max:
        return ("429" if status == "429" else "rate_limited"), None
    if attempt > rechecks:
        return ("rate_limited" if asks_to_wait and status != "429" else status), None
    return "", max(delay, retry_after if asks_to_wait else 0.0)


class LinkCheckSpider(scrapy.Spider):
    name = "linkcheck"
    # Its results go straight to the links table: the snapshot pipeline (which counts the run's
    # pages) and the crawl's progress extension are for the disclosure spider.
    custom_settings = {"ITEM_PIPELINES": {}, "EXTENSIONS": {}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.pending: dict[str, str] = {}
        self.carried_on: dict[str, date] = {}     # stored to_url -> day of the check carried
        self.today = datetime.now(CST).date()     # the day tonight's observations are dated
        self.groups: dict[str, list[str]] = {}    # defragmented target -> stored to_urls
        self.waiting: dict[str, object] = {}      # target -> timer of its later retry
        self.counts = {"links": 0, "targets": 0, "reused": 0, "carried": 0, "requests": 0,
                       "get_fallbacks": 0, "rechecks": 0}
        self.verdicts: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        spider.store = Store(s.get("ZWGK_STORE"))
        spider.run_id = s.getint("ZWGK_RUN_ID")
        # The audited site may live on an address the guard refuses to strangers (127.0.0.1).
        spider.site_hosts = site_hosts(spider.store.site_url(spider.run_id))
        spider.recheck_delay = s.getfloat("ZWGK_LINK_RECHECK_DELAY", RECHECK_DELAY)
        spider.retry_after_max = s.getfloat("ZWGK_RETRY_AFTER_MAX", RETRY_AFTER_MAX)
        spider.rechecks = s.getint("ZWGK_LINK_RECHECKS", RECHECKS)
        spider.cadence = max(1, s.getint("ZWGK_LINK_CADENCE_DAYS",
                                         int(os.environ.get("ZWGK_LINK_CADENCE_DAYS") or 1)))
        spider.as_of = s.get("ZWGK_AS_OF") or ""
        crawler.signals.connect(spider.headers_received, signal=signals.headers_received)
        crawler.signals.connect(spider.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.spider_closed, signal=signals.spider_closed)
        return spider

    async def start(self):
        targets = self.store.link_targets(self.run_id)
        self.counts["links"] = len(targets)
        for url in targets:
            self.groups.setdefault(urldefrag(url)[0], []).append(url)
        known = self._crawl_fetches()
        carried = self._carried()
        self.store.update_run(self.run_id, link_cadence=self.cadence)
        self.counts["targets"] = len(self.groups)
        progress.info("检查链接：%d 个链接，%d 个不同地址（%d 个已在抓取中访问过）",
                      len(targets), len(self.groups), sum(t in known for t in self.groups))
        for target in self.groups:
            status = reusable(known.get(target, []))
            if status is not None:
                self.counts["reused"] += 1
                self._record(target, status)
            elif target in carried:
                self.counts["carried"] += 1
                self._record(target, *carried[target])
            elif urlparse(target).scheme in ("http", "https"):
                yield self._request(target, "HEAD", attempt=1)
            else:
                self._record(target, "error")

    def _carried(self) -> dict[str, tuple[str, date]]:
        """Targets whose last status is carried forward tonight, with ZWGK_LINK_CADENCE_DAYS = N > 1,
        as {target: (status, day it was checked)}. Each target is asked again on its own night of
        every N (a stable hash of its URL), on every night when its last status was not ok (a
        broken link is judged only on what tonight's check saw), and whenever that status was
        observed N or more days ago or on an unknown day (a row from before checks were dated).
        Carried from the site's previous run, when it started < N days ago."""
        if self.cadence <= 1:
            return {}
        with self.store.engine.connect() as conn:
            site, started = conn.execute(select(runs.c.site_url, runs.c.started)
                                         .where(runs.c.id == self.run_id)).one()
            if started is None:
                return {}
            prev = conn.execute(select(runs.c.id).where(
                runs.c.site_url == site, runs.c.id < self.run_id,
                runs.c.state.in_(("crawled", "audited")),
                runs.c.started >= started - timedelta(days=self.cadence))
                .order_by(runs.c.id.desc()).limit(1)).scalar()
            if prev is None:
                return {}
            rows = conn.execute(select(links.c.to_url, links.c.status, links.c.checked)
                                .where(links.c.run_id == prev, links.c.status != "",
                                       links.c.checked.is_not(None))).all()
        try:
            day = date.fromisoformat(self.as_of).toordinal()
        except ValueError:
            day = date.today().toordinal()
        out = {}
        for to_url, status, checked in rows:
            target = urldefrag(to_url)[0]
            if link_verdict(status)[0] == "ok" and (self.today - checked).days < self.cadence and \
                    zlib.crc32(target.encode("utf-8")) % self.cadence != day % self.cadence:
                out[target] = (status, checked)
        return out

    def _crawl_fetches(self) -> dict[str, list[tuple[int | None, str]]]:
        """url -> the crawl's (HTTP status, outcome) for it, in fetch order."""
        out: dict[str, list[tuple[int | None, str]]] = {}
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(fetches.c.url, fetches.c.status, fetches.c.outcome)
                                .where(fetches.c.run_id == self.run_id).order_by(fetches.c.id))
            for r in rows:
                out.setdefault(urldefrag(r.url)[0], []).append((r.status, r.outcome))
        return out

    def _request(self, url: str, method: str, attempt: int) -> Request:
        self.counts["requests"] += 1
        # dont_retry: the crawl's immediate retries would ignore Retry-After; `plan` spaces them.
        return Request(url, method=method, callback=self.checked, errback=self.failed,
                       dont_filter=True, meta={"role": "link", "target": url, "check": True,
                                               "attempt": attempt, "dont_retry": True})

    def headers_received(self, headers, body_length, request, spider):
        # A GET only needs the status line: do not download the body.
        if spider is self and request.meta.get("check") and request.method == "GET":
            raise StopDownload(fail=False)

    def checked(self, response):
        meta = response.meta
        status = response_status(response.status, response.headers, response.body)
        if response.request.method == "HEAD" and not 200 <= response.status < 400:
            # HEAD is refused (405/501) or mishandled (404/403/5xx for a page that opens) by
            # many servers: the GET decides.
            self.counts["get_fallbacks"] += 1
            yield self._request(meta["target"], "GET", attempt=meta["attempt"])
            return
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        self._decide(meta["target"], status, meta["attempt"], wait)

    def failed(self, failure):
        outcome, _ = classify_failure(failure)
        meta = failure.request.meta
        self._decide(meta["target"], outcome, meta.get("attempt", 1), None)

    def _decide(self, target: str, status: str, attempt: int, retry_after: float | None) -> None:
        final, wait = plan(status, attempt, retry_after, delay=self.recheck_delay,
                           retry_after_max=self.retry_after_max, rechecks=self.rechecks)
        if wait is None:
            self._record(target, final)
            return
        from twisted.internet import reactor
        self.waiting[target] = reactor.callLater(wait, self._recheck, target, attempt + 1)

    def _recheck(self, target: str, attempt: int) -> None:
        self.waiting.pop(target, None)
        self.counts["rechecks"] += 1
        self.crawler.engine.crawl(self._request(target, "GET", attempt=attempt))

    def spider_idle(self, spider):
        if spider is self and self.waiting:
            raise DontCloseSpider       # later retries are due: their timers schedule them

    def _record(self, target: str, status: str, carried_on: date | None = None) -> None:
        """The target's status: observed tonight, or carried from the check of `carried_on`."""
        self.verdicts[link_verdict(status)[0]] += 1
        for url in self.groups.get(target, [target]):
            self.pending[url] = status
            if carried_on is not None:
                self.carried_on[url] = carried_on
        if len(self.pending) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        carried = {u: self.carried_on.pop(u) for u in self.pending if u in self.carried_on}
        self.store.set_link_statuses(self.run_id, self.pending, checked=self.today, carried=carried)
        self.pending = {}

    def spider_closed(self, spider, reason):
        # Interrupted before a later retry ran: a failure seen once is not a verdict.
        for target, timer in list(self.waiting.items()):
            if timer.active():
                timer.cancel()
            self._record(target, "unconfirmed")
        self.waiting.clear()
        self.flush()
        self.counts.update({f"verdict_{k}": v for k, v in self.verdicts.items()})
        self.logger.info("link check (%s): %s", reason, self.counts)
        progress.info("链接检查完成：发出 %d 次请求（其中复查 %d 次），沿用上次正常结果 %d 个",
                      self.counts["requests"], self.counts["rechecks"], self.counts["carried"])
