"""The browser retry, in one downloader middleware: the spider's callbacks never decide it.

A page goes to the browser once (never with `--render never`):
- an anti-bot wall (412/521/403 challenge, classified `blocked`) on the homepage, the section or a
  list page; the host is remembered and its later pages are rendered from the start (the wall's
  cookie lives in the browser);
- with `--render auto`, a list page that yields no entries, holds no evidence of being empty and
  names no endpoint to read the list through (`ListPage.needs_browser`: scripts are never ruled
  out by their names), unless it is an article or a parent column showing its sub-columns; and a
  section page whose column tree only scripts draw; and a homepage that, as fetched, would make
  veto.homepage_stale fire (no dated entry within HOMEPAGE_FRESH_DAYS, or none at all) while it
  carries a live script that could change it (`homepage_needs_browser`). If that rendering fails,
  the page as fetched is read instead (the site is not down), and the homepage stays unconfirmed.

List pages are read here once: the reading (`Reading`: decoded text and `ListPage`, with the
answers the page's own scripts fetched when it was rendered) rides on the request's meta and the
spider's callback reuses it. The decisions are pure functions (`browser_reason`,
`section_needs_browser`), tested directly.
"""
from __future__ import annotations

import asyncio
import posixpath
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urldefrag, urlparse

from scrapy.http import HtmlResponse

from crawler import settings as default_settings
from crawler.browser import render_meta, rendering
from crawler.extract.encoding import decode_html
from crawler.extract.navigation import (
    column_tree, find_section_link, homepage_forward, iframe_sources, page_text,
)
from crawler.outcomes import OK, classify_response
from crawler.readers import ListPage, has_scripts, read_list, read_rendered
from crawler.readers.base import ListContext
from crawler.readers.endpoints import Learned, learn
from snapshot.model import HOMEPAGE_RENDERED, HOMEPAGE_SCRIPTED, HOMEPAGE_STATIC

# Pages the wall retry applies to; on a host behind a passed wall these are rendered from the start.
PAGE_ROLES = {"homepage", "section", "column", "list"}
WALLED_ROLES = PAGE_ROLES | {"document", "related"}
LIST_ROLES = {"column", "list"}
# Column categories whose name says the page is a list of entries (snapshot.categories).
LIST_CATEGORIES = {"news", "notice_policy", "personnel_plan", "interpretation", "annual_report"}
READING = "zwgk_reading"
STATIC = "zwgk_static"          # a column page queued for the browser: its first answer and reading
LEARNED = "zwgk_learned"
RENDER_SLOT = "zwgk_render_slot"
# Column pages per host rendered at once while an endpoint may still be learned from them.
LEARNING_RENDERS = 2
# Main text of a column page that is an article (机构职能, 指南 …), not a list waiting for a script.
CONTENT_PAGE_TEXT = 100
# The homepage is rendered when, as fetched, its newest dated entry is older than the limit
# veto.homepage_stale judges by (ZWGK_HOMEPAGE_FRESH_DAYS, set from the audit's config).
HOMEPAGE_FRESH_DAYS = default_settings.ZWGK_HOMEPAGE_FRESH_DAYS
# A homepage queued for the browser: its answer as fetched, read instead if the rendering fails.
HOMEPAGE_FALLBACK = "zwgk_homepage_static"
FELL_BACK = "zwgk_homepage_fell_back"
# Meta keys that belong to one download, never copied onto the browser retry.
_PER_DOWNLOAD = {READING, "zwgk_capture", "download_latency", "download_slot", "depth", "retry_times",
                 "playwright", "playwright_page_methods", "playwright_page_init_callback",
                 "redirect_times", "redirect_urls", "redirect_ttl", "redirect_reasons", "_scheme_proxy",
                 "zwgk_render_slot", "zwgk_learned"}


@dataclass
class Reading:
    """A response as the middleware read it: its decoded text and, for list pages, the list."""
    url: str
    outcome: str
    text: str | None
    page: ListPage | None = None


def response_text(response) -> str | None:
    """The response body decoded as the spider decodes pages (declared charset, then detection)."""
    body = getattr(response, "body", b"")
    if not body:
        return ""
    declared = response.headers.get(b"Content-Type", b"").decode("latin-1")
    charset = None
    for part in declared.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip("\"' ")
    text, _ = decode_html(body, charset)
    return text


def browser_reason(role: str, outcome: str, render: str, page: ListPage | None = None,
                   section_script_tree: bool = False, content_page: bool = False,
                   homepage_scripted: bool = False) -> str:
    """Why a response (not yet rendered, a plain GET) is fetched again in the browser: "wall",
    "script" or "" (no retry). `content_page`: the column's page is an article (机构职能, 指南),
    not a list, so its scripts build no list."""
    if render == "never":
        return ""
    if role in PAGE_ROLES and outcome == "blocked":
        return "wall"
    if render != "auto" or outcome != OK:
        return ""
    if role in LIST_ROLES and page is not None and page.needs_browser and not content_page:
        return "script"
    if role == "section" and section_script_tree:
        return "script"
    if role == "homepage" and homepage_scripted:
        return "script"
    return ""


def homepage_needs_browser(page: ListPage | None, as_of: date,
                           days: int = HOMEPAGE_FRESH_DAYS) -> bool:
    """A homepage as fetched that would be judged 首页不更新 (no dated entry, or the newest older
    than `days` before `as_of`) while a live script could change what it shows (scripts are
    never ruled out by their names): only a rendering shows what a visitor sees."""
    if page is None or not page.has_scripts:
        return False
    newest = max((e.date for e in page.entries if e.date), default=None)
    return newest is None or newest < as_of - timedelta(days=days)


def homepage_seen(rendered: bool, settled: bool, failed: bool, has_scripts: bool) -> str:
    """How the homepage's entries were seen (snapshot.model.HOMEPAGE_SEEN): a browser rendering
    whose own requests settled with none failing; static HTML no script could change; else
    static HTML (or an unfinished rendering) a script could change — not what a visitor sees."""
    if rendered:
        return HOMEPAGE_RENDERED if settled and not failed else HOMEPAGE_SCRIPTED
    return HOMEPAGE_SCRIPTED if has_scripts else HOMEPAGE_STATIC


def section_needs_browser(text: str, url: str, framed: bool = False) -> bool:
    """A section page showing no column tree, no frame holding one, and a script that could draw it."""
    if column_tree(text, url):
        return False
    if not framed and any(urlparse(u).scheme in ("http", "https") for u in iframe_sources(text, url)):
        return False
    return has_scripts(ListContext(text, url))


def _homepage_days(spider) -> int:
    """The 首页不更新 limit the audit will judge by (ZWGK_HOMEPAGE_FRESH_DAYS, from the config)."""
    settings = getattr(spider, "settings", None)
    return (settings.getint("ZWGK_HOMEPAGE_FRESH_DAYS", HOMEPAGE_FRESH_DAYS)
            if settings is not None else HOMEPAGE_FRESH_DAYS) or HOMEPAGE_FRESH_DAYS


def _as_of(spider) -> date:
    """The date the audit judges against (--as-of, else the spider's today)."""
    settings = getattr(spider, "settings", None)
    value = settings.get("ZWGK_AS_OF") if settings is not None else None
    try:
        return date.fromisoformat(str(value)) if value else getattr(spider, "today", date.today())
    except ValueError:      # the command line checks --as-of; never fail a crawl over it here
        return getattr(spider, "today", date.today())


def _forwards(text: str, url: str) -> bool:
    """A stub that only forwards: the spider reads its target as the homepage instead."""
    return not find_section_link(text, url) and bool(homepage_forward(text, url))


def _domain_matches(host: str, domain: str) -> bool:
    domain = domain.lower().lstrip(".")
    return host == domain or host.endswith("." + domain)


def is_content_page(reading: Reading) -> bool:
    """A column page that is an article of its own: no entries, no 暂无信息, and main text well
    beyond a caption (page chrome and breadcrumbs are not main text)."""
    page = reading.page
    if page is None or page.entries or page.empty_marker or not reading.text:
        return False
    return len(page_text(reading.text)) >= CONTENT_PAGE_TEXT


def has_sub_columns(reading: Reading) -> bool:
    """A column page without entries that shows its own sub-columns (nested under it in the tree,
    or in folders below its own): a parent column, not a list waiting for a script."""
    if reading.page is None or reading.page.entries or not reading.text:
        return False
    here = urldefrag(reading.url)[0]
    folder = _directory(here)
    for _name, link, parent in column_tree(reading.text, reading.url):
        link = urldefrag(link)[0]
        if parent is not None and urldefrag(parent)[0] == here:
            return True
        if (urlparse(link).netloc == urlparse(here).netloc and _directory(link) != folder
                and _directory(link).startswith(folder)):
            return True
    return False


def _directory(url: str) -> str:
    path = urlparse(url).path or "/"
    return path if path.endswith("/") else posixpath.dirname(path) + "/"


def read_response(response, meta: dict, ref=None) -> Reading:
    """Classify and (for list pages) read one response: the reading the callback reuses."""
    rendered = bool(meta.get("playwright"))
    outcome = classify_response(response.status, response.headers, response.body, rendered=rendered)
    if outcome != OK or not hasattr(response, "text"):
        return Reading(response.url, outcome, None)
    text = response_text(response)
    page = None
    if meta.get("role") in LIST_ROLES:
        request = meta.get("list_request")
        if rendered:
            settled, failed, answers = rendering(meta)
            page = read_rendered(text, response.url, ref, answers, settled=settled, failed=failed,
                                 request=request)
        else:
            page = read_list(text, response.url, ref, request=request)
    elif meta.get("role") == "homepage":     # its dated entries (veto.homepage_stale)
        if rendered:
            settled, failed, answers = rendering(meta)
            page = read_rendered(text, response.url, ref, answers, settled=settled, failed=failed)
        else:
            page = read_list(text, response.url, ref)
    return Reading(response.url, outcome, text, page)


def cached_reading(response) -> Reading | None:
    """The middleware's reading of this very response, if it made one."""
    reading = response.meta.get(READING)
    return reading if isinstance(reading, Reading) and reading.url == response.url else None


class BrowserRetryMiddleware:
    """Downloader middleware: one browser retry per page, for walls and script-built pages."""

    def __init__(self, crawler=None):
        self.crawler = crawler
        # Cookies the browser holds per host behind a wall (a clearance cookie): requests that do
        # not go through the browser (list endpoints, attachments) carry them too.
        self.cookies: dict[str, dict[tuple, dict]] = {}
        # List endpoints learned from rendered column pages, applied to the site's other columns.
        self.learned = Learned()
        self._rendering: dict[str, set[int]] = {}      # host -> column pages rendering to learn
        self._changed = asyncio.Event()

    @property
    def spider(self):
        return getattr(self.crawler, "spider", None)

    async def process_request(self, request, spider=None):
        spider = spider or self.spider
        render = getattr(spider, "render", "never")
        meta = request.meta
        host = urlparse(request.url).netloc
        walled = host in getattr(spider, "browser_hosts", ())
        if (render != "never" and walled and not meta.get("playwright") and request.method == "GET"
                and meta.get("role") in WALLED_ROLES and "list_request" not in meta):
            # The wall's cookie lives in the browser: stay there for this host's pages.
            meta.update(render_meta(getattr(spider, "timeout", 15.0)))
        static = meta.get(STATIC)
        if static is not None and meta.get("playwright"):
            # A column page queued for the browser: an endpoint learned meanwhile may read it. At
            # most LEARNING_RENDERS such pages per host render at once; the others wait for them
            # (the browser's page limit would make them wait anyway), then look again.
            response = await self._learn_or_render(request, static, host,
                                                   4 * float(getattr(spider, "timeout", 15.0)))
            if response is not None:
                return response
        if walled and not meta.get("playwright") and not request.cookies and self.cookies.get(host):
            request.cookies = [{k: c[k] for k in ("name", "value", "domain", "path") if c.get(k)}
                               for c in self.cookies[host].values()]
        return None

    def process_response(self, request, response, spider=None):
        spider = spider or self.spider
        meta = request.meta
        role = meta.get("role")
        self._render_done(request)
        if role not in PAGE_ROLES or meta.pop(LEARNED, False):
            return response
        render = getattr(spider, "render", "never")
        if meta.get(FELL_BACK):
            return response             # the homepage as fetched, after its rendering failed
        fallback = meta.get(HOMEPAGE_FALLBACK)
        if fallback is not None and meta.get("playwright") and (
                classify_response(response.status, response.headers, response.body, rendered=True) != OK):
            return self._homepage_as_fetched(request, fallback, spider)
        try:
            reading = read_response(response, meta, ref=getattr(spider, "today", None))
        except Exception:  # noqa: BLE001 — the callback reads it again and records the error
            spider.logger.exception("reading %s failed", response.url)
            return response
        meta[READING] = reading
        capture = meta.get("zwgk_capture")
        if getattr(capture, "cookies", None):
            netloc = urlparse(response.url).netloc
            hostname = (urlparse(response.url).hostname or "").lower()
            jar = self.cookies.setdefault(netloc, {})
            jar.update({(c["name"], c.get("path")): c for c in capture.cookies if c.get("name")
                        and _domain_matches(hostname, c.get("domain") or hostname)})
        if meta.get("playwright") and role == "column" and reading.page and reading.page.endpoint:
            template = learn(reading.text or "", response.url, reading.page.endpoint)
            if template is not None:
                self.learned.add(template, response.url)
        if meta.get("playwright") or request.method != "GET" or "list_request" in meta:
            return response             # once in the browser is enough; endpoints are not pages
        tree = (role == "section" and reading.outcome == OK and render == "auto"
                and section_needs_browser(reading.text or "", response.url, bool(meta.get("framed"))))
        # A column named as a list (通知公告, 工作动态, 年报 …) showing no entries is a list not yet
        # read, whatever text its page carries; only other columns may be articles or parents.
        listed = meta.get("category") in LIST_CATEGORIES
        scripted = (role == "homepage" and render == "auto" and reading.outcome == OK
                    and homepage_needs_browser(reading.page, _as_of(spider), _homepage_days(spider))
                    and not _forwards(reading.text or "", response.url))
        reason = browser_reason(role, reading.outcome, render, reading.page, tree,
                                content_page=role == "column" and (
                                    (not listed and is_content_page(reading)) or has_sub_columns(reading)),
                                homepage_scripted=scripted)
        if reason == "script" and role == "column":
            learned = self.learned.request_for(reading.text or "", response.url)
            if learned is not None:     # the endpoint other columns' scripts used, with this page's ids
                reading.page.endpoints.append(learned)
                reading.page.next_pages.append(learned)
                return response
            meta[STATIC] = (response.url, response.status, response.headers.get(b"Content-Type", b""),
                            response.body, reading)
        if not reason:
            return response
        if reason == "wall":
            spider.browser_hosts.add(urlparse(response.url).netloc)
        spider.logger.info("rendering %s in the browser (%s)", request.url,
                           "anti-bot wall" if reason == "wall" else
                           "homepage entries scripts may change" if role == "homepage" else "list drawn by scripts")
        keep = {k: v for k, v in meta.items() if k not in _PER_DOWNLOAD}
        if reason == "script" and role == "homepage":
            keep[HOMEPAGE_FALLBACK] = (response.url, response.status,
                                       response.headers.get(b"Content-Type", b""), response.body)
        meta.pop(STATIC, None)
        return request.replace(meta={**keep, **render_meta(getattr(spider, "timeout", 15.0))},
                               dont_filter=True)

    def process_exception(self, request, exception, spider=None):
        self._render_done(request)
        fallback = request.meta.get(HOMEPAGE_FALLBACK)
        if fallback is not None and request.meta.get("playwright") and not request.meta.get(FELL_BACK):
            return self._homepage_as_fetched(request, fallback, spider or self.spider)
        return None

    def _homepage_as_fetched(self, request, fallback, spider) -> HtmlResponse:
        """The homepage as first fetched, when its rendering failed: the site answered, so it is not
        down; its entries stay unconfirmed (homepage_seen: scripted)."""
        url, status, ctype, body = fallback
        if spider is not None:
            spider.logger.info("rendering the homepage %s failed: reading it as fetched", url)
        for key in ("playwright", "playwright_page_methods", "playwright_page_init_callback",
                    "zwgk_capture", HOMEPAGE_FALLBACK):
            request.meta.pop(key, None)
        request.meta[FELL_BACK] = True
        response = HtmlResponse(url, status=status, headers={"Content-Type": ctype} if ctype else None,
                                body=body, request=request)
        request.meta[READING] = read_response(response, request.meta, ref=getattr(spider, "today", None))
        return response

    async def _learn_or_render(self, request, static, host: str, limit: float) -> HtmlResponse | None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        while True:
            response = self._learned_response(request, static)
            if response is not None:
                return response
            remaining = deadline - loop.time()
            busy = len(self._rendering.setdefault(host, set()))
            # Wait while the pages rendering now may still teach (or confirm) an endpoint.
            if remaining <= 0 or (busy < LEARNING_RENDERS and not (busy and self.learned.pending(host))):
                break
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except asyncio.TimeoutError:
                pass
        self._rendering[host].add(id(request))
        request.meta[RENDER_SLOT] = host
        return None

    def _render_done(self, request) -> None:
        host = request.meta.pop(RENDER_SLOT, None)
        if host is not None:
            self._rendering.get(host, set()).discard(id(request))
            self._changed.set()
            self._changed = asyncio.Event()

    def _learned_response(self, request, static) -> HtmlResponse | None:
        """The column page as first fetched, read through an endpoint learned since it was queued
        for the browser; None when no trusted endpoint applies."""
        url, status, ctype, body, reading = static
        learned = self.learned.request_for(reading.text or "", url)
        if learned is None or reading.page is None:
            return None
        for key in ("playwright", "playwright_page_methods", "playwright_page_init_callback", STATIC):
            request.meta.pop(key, None)
        reading.page.endpoints.append(learned)
        reading.page.next_pages.append(learned)
        request.meta[READING] = reading
        request.meta[LEARNED] = True
        return HtmlResponse(url, status=status, headers={"Content-Type": ctype} if ctype else None,
                            body=body, request=request)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)
