"""Budgets and traps: a crawl that never ends stops, and says where and why.

Real sites hold pagers that never end (page N links page N+1, calendars, session ids in URLs)
and redirect loops. Each limit is a setting with a sane default, and hitting one is recorded as
a fetch outcome (`budget`, `redirect_loop`, `too_many_redirects`) — so run.json names it with its
count and the column concerned is marked partial — never followed for ever and never silent.

- `BudgetMiddleware` (spider middleware): at most `ZWGK_MAX_LIST_PAGES` list pages per column
  and `ZWGK_MAX_PAGES_PER_SITE` requests per site. The wall time per site is Scrapy's
  CLOSESPIDER_TIMEOUT (`ZWGK_SITE_WALL_SECONDS`), which ends the crawl as cut short.
- `RedirectLoopMiddleware` (downloader middleware, before RedirectMiddleware): a redirect back
  to a URL already on the chain is a loop, refused at once rather than dropped by the dupefilter
  without a trace.
"""
from __future__ import annotations

from urllib.parse import urljoin, urldefrag

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request

from crawler import items as it


class RedirectLoop(IgnoreRequest):
    """A redirect that leads back to a URL already visited on the same chain."""


class BudgetMiddleware:
    def __init__(self, crawler):
        s = crawler.settings
        self.crawler = crawler
        self.max_list_pages = s.getint("ZWGK_MAX_LIST_PAGES", 1000)
        self.max_pages = s.getint("ZWGK_MAX_PAGES_PER_SITE", 50000)
        self.list_pages: dict[str, int] = {}      # column url -> list-page requests let through
        self.pages = 0
        self.reported: set[str] = set()           # columns / "site" whose budget was reported

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_spider_output(self, response, result, spider=None):
        for obj in result:
            yield from self._filter(obj)

    async def process_spider_output_async(self, response, result, spider=None):
        async for obj in result:
            for out in self._filter(obj):
                yield out

    def _filter(self, obj):
        if not isinstance(obj, Request) or obj.meta.get("role") == "homepage":
            yield obj
            return
        meta = obj.meta
        column = meta.get("column_url")
        if meta.get("role") == "list" and column:
            used = self.list_pages.get(column, 0)
            if used >= self.max_list_pages:
                yield from self._over(obj, column, f"超出每个栏目列表页上限（{self.max_list_pages}页），"
                                                   "其余列表页未抓取")
                return
            self.list_pages[column] = used + 1
        if self.pages >= self.max_pages:
            yield from self._over(obj, "site", f"超出每个网站抓取页数上限（{self.max_pages}页），其余页面未抓取")
            return
        self.pages += 1
        yield obj

    def _over(self, request: Request, key: str, why: str):
        """A request over budget: recorded once per column (or once for the site), then dropped."""
        if key in self.reported:
            return
        self.reported.add(key)
        spider = self.crawler.spider
        if spider is not None:
            spider.cut_short = True
        role = request.meta.get("role", "other")
        yield it.FetchItem(url=request.url, role=role, outcome="budget", error=why)
        column = request.meta.get("column_url")
        if column and role in ("list", "column"):
            # Marks the column partial: judged on what was read, and the scorecard says so.
            yield it.ColumnPageItem(column_url=column, page=0, outcome="budget", first=False,
                                    optional=False, error=why)


class RedirectLoopMiddleware:
    """Sits after RedirectMiddleware in the chain (a higher number: sees 3xx answers first)."""

    def process_response(self, request, response, spider=None):
        location = response.headers.get(b"Location")
        if not (300 <= response.status < 400 and location):
            return response
        target = urldefrag(urljoin(request.url, location.decode("latin-1").strip()))[0]
        chain = [urldefrag(u)[0] for u in request.meta.get("redirect_urls", [])] + \
            [urldefrag(request.url)[0]]
        if target in chain:
            raise RedirectLoop(f"redirect loop: {' -> '.join(chain + [target])}"[:300])
        return response
