"""The disclosure spider: homepage → 政府信息公开 section → column tree → list pages → documents.

It observes and records (items); it judges nothing. Every request ends in a FetchItem with its
outcome, so that "could not fetch" is never mistaken for "empty".
"""
from __future__ import annotations

import json
import posixpath
from datetime import date, datetime
from functools import cached_property
from urllib.parse import urldefrag, urlencode, urlparse
from zoneinfo import ZoneInfo

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, TextResponse

from twisted.python.failure import Failure

from crawler import items as it
from crawler.browser import render_meta, rendering
from crawler.extract.annual_report import parse_tables
from crawler.extract.attachments import FETCHED, extension, read_file
from crawler.extract.dom import host_key, same_page, squash
from crawler.extract.encoding import decode_html
from crawler.extract.fields import (extract_document, extract_policies_from_iframe,
                                    extract_related_from_iframe, page_metas, split_relations)
from crawler.extract.links import list_page_links
from crawler.extract.navigation import (
    column_tree, find_section_link, homepage_forward, iframe_sources, page_links, page_text,
    template_links, visible_text,
)
from crawler.middlewares import cached_reading, homepage_seen
from crawler.outcomes import OK, classify_failure, classify_response, label
from crawler.readers import ListContext, read_list
from crawler.sampling import DocumentSampler
from snapshot.categories import classify

# Failures that mean "the content exists but we could not see it" (a 404 page is simply absent).
TRANSIENT = {"timeout", "http_5xx", "reset", "refused", "dns", "tls", "blocked", "robots", "error",
             # not transient, but no sign the page is absent either: a later list page lost
             # this way leaves the column partial (only a 4xx may mean "no such page")
             "truncated", "oversize", "redirect_loop", "too_many_redirects", "forbidden_address",
             "offsite", "not_html", "empty", "rate_limited"}
# A content page (机构职能, 指南) carries this much body text; an empty column does not.
CONTENT_PAGE_CHARS = 40
# Attachments are fetched for their text only up to this size (ZWGK_ATTACHMENT_MAXSIZE).
ATTACHMENT_MAXSIZE = 10 * 1024 * 1024


def _strip_fragment(url: str) -> str:
    return urldefrag(url)[0]


def _directory(url: str) -> str:
    path = urlparse(url).path
    return path if path.endswith("/") else posixpath.dirname(path) + "/"


class DisclosureSpider(scrapy.Spider):
    name = "disclosure"

    def __init__(self, start_url: str, max_pages: int | None = None, render: str = "never",
                 timeout: float = 15.0, **kwargs):
        super().__init__(**kwargs)
        self.start_url = start_url
        self.max_pages = int(max_pages) if max_pages else None
        self.render = render            # auto | never | always (the browser must be set up)
        self.timeout = float(timeout)
        self.scheduled = 0
        self.cut_short = False
        self.today = datetime.now(ZoneInfo("Asia/Shanghai")).date()   # only to date "MM-DD" items
        self.columns: dict[str, str] = {}          # column url -> name
        self.section_links: set[str] = set()       # column links shown on the section page
        self.section_url = ""
        self.site_nav: set[str] = set()            # column-like links on the homepage
        self.homepage_links: set[str] = set()      # every link on the homepage (template blocks)
        self.browser_hosts: set[str] = set()       # hosts behind an anti-bot wall the browser passed
        self.rendered_columns: set[str] = set()    # column pages sent to the browser after an endpoint
        self.page_counter: dict[str, int] = {}
        self.seen_entries: dict[str, set[str]] = {}   # column url -> entry urls read so far
        self.seq = 0
        self.counts = {"columns": 0, "documents": 0, "errors": 0}

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.list_dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        return spider

    # ---- requests ----
    async def start(self):
        meta = {"role": "homepage"}
        if self.render == "always":
            meta.update(render_meta(self.timeout))
        yield Request(self.start_url, callback=self.parse_homepage, errback=self.failed,
                      meta=meta, dont_filter=True)

    def _request(self, target: str | dict, callback, role: str, *, render: bool = False,
                 **meta) -> Request | None:
        """A request within the page budget (--max-pages), or None when the budget is spent.
        `target` is a URL or a list reader's request {"url", "method", "data", "headers"}."""
        if self.max_pages is not None and self.scheduled >= self.max_pages:
            self.cut_short = True
            return None
        self.scheduled += 1
        meta = {"role": role, **meta}
        if role in ("column", "list"):      # the sampler waits for its answer (or failure)
            self.sampler.expect(meta["column_url"])
        # Hosts behind a wall the browser passed: crawler.middlewares renders their pages.
        if render:
            meta.update(render_meta(self.timeout))
        if isinstance(target, str):
            return Request(target, callback=callback, errback=self.failed, meta=meta)
        method = (target.get("method") or "GET").upper()
        data = target.get("data") or {}
        headers = target.get("headers") or {}
        meta["list_request"] = target
        if method == "POST":
            if "json" in str(headers.get("Content-Type", "")).lower():     # a JSON body (captured)
                body = json.dumps(data, ensure_ascii=False)
            else:
                headers = {"Content-Type": "application/x-www-form-urlencoded", **headers}
                body = urlencode(data)
            return Request(target["url"], method="POST", body=body, headers=headers,
                           callback=callback, errback=self.failed, meta=meta)
        url = target["url"]
        if data:
            url += ("&" if "?" in url else "?") + urlencode(data)
        return Request(url, headers=headers, callback=callback, errback=self.failed, meta=meta)

    def _observe(self, response, any_text: bool = False) -> tuple[str, str | None, it.FetchItem]:
        """Classify a response: (outcome, decoded text or None, the fetch record to yield).
        `any_text`: list endpoints answer XML, JSON or script as well as HTML."""
        outcome = classify_response(response.status, response.headers, response.body,
                                    rendered=bool(response.meta.get("playwright")))
        text = None
        if outcome == OK and not response.body.strip():
            outcome = "empty"       # 200 and nothing: not read, so neither empty nor full
        if outcome == OK:
            if not isinstance(response, TextResponse) or not (any_text or _looks_like_html(response)):
                outcome = "not_html"
            else:
                declared = response.headers.get(b"Content-Type", b"").decode("latin-1")
                text, _ = decode_html(response.body, _charset(declared))
        fetch = self._fetch(response.url, response.meta.get("role", "other"), outcome,
                            status=response.status, elapsed=response.meta.get("download_latency"),
                            rendered=bool(response.meta.get("playwright")))
        return outcome, text, fetch

    def _fetch(self, url, role, outcome, *, status=None, error="", elapsed=None,
               rendered=False) -> it.FetchItem:
        if outcome != OK:
            self.counts["errors"] += 1
            self.logger.info("fetch %s %s: %s %s", role, url, outcome, error)
        return it.FetchItem(url=url, role=role, outcome=outcome, status=status, error=error,
                            elapsed=elapsed, rendered=rendered)

    # ---- homepage and section ----
    def parse_homepage(self, response):
        outcome, text, fetch = self._observe(response)
        yield fetch
        if outcome != OK:
            yield it.SiteItem(homepage_outcome=outcome, homepage_error=_why(outcome, response.status))
            return
        # A stub that only forwards (script redirect, frameset, one full-page iframe) is no
        # homepage: its target is read as the homepage instead (extract.navigation.homepage_forward).
        forward = homepage_forward(text, response.url) if not find_section_link(text, response.url) else None
        hops = response.meta.get("forwards", 0)
        if forward and hops < 3 and host_key(forward) == host_key(response.url):
            yield it.SiteItem(homepage_outcome=OK, name=_site_name(response, text))
            req = self._request(forward, self.parse_homepage, "homepage", forwards=hops + 1)
            if req:
                yield req
                return
        # Reachable is recorded first: whatever fails below, the site was not down.
        yield it.SiteItem(homepage_outcome=OK, name=_site_name(response, text),
                          meta=page_metas(text), text=visible_text(text))
        # The middleware's reading (a browser rendering where scripts could change the entries).
        reading = cached_reading(response)
        page = reading.page if reading is not None and reading.page is not None else \
            read_list(text, response.url, ref=self.today)
        yield it.HomepageEntriesItem(entries=_entry_rows(page.entries, page=1))
        rendered = bool(response.meta.get("playwright"))
        settled, failed, _ = rendering(response.meta)
        section = find_section_link(text, response.url)
        yield it.SiteItem(homepage_outcome=OK, section_url=section or response.url,
                          homepage_seen=homepage_seen(rendered, settled, failed, page.has_scripts))
        if section and not same_page(section, response.url):
            self.site_nav = {u for _n, u, _p in column_tree(text, response.url)}
            self.homepage_links = page_links(text, response.url)
            req = self._request(section, self.parse_section, "section")
            if req:
                yield req
        else:   # the URL given is the section itself (an assessor may paste it)
            yield from self._columns_of_section(text, response.url)

    def parse_section(self, response):
        outcome, text, fetch = self._observe(response)
        yield fetch
        if outcome != OK:
            return
        if not column_tree(text, response.url):
            frames = [u for u in iframe_sources(text, response.url)
                      if not response.meta.get("framed") and urlparse(u).scheme in ("http", "https")]
            if frames:          # the tree is a page of its own, shown in a frame
                self.section_url = _strip_fragment(response.url)
                for frame in frames:
                    if req := self._request(frame, self.parse_section, "section", framed=True):
                        yield req
                return
            # A section page that only forwards (location.href='…', meta refresh): read its target.
            forward = homepage_forward(text, response.url)
            if forward and not response.meta.get("framed") and host_key(forward) == host_key(response.url):
                if req := self._request(forward, self.parse_section, "section", framed=True):
                    yield req
                return
        # A tree drawn by scripts was rendered by crawler.middlewares before this callback.
        yield from self._columns_of_section(text, response.url)

    def _columns_of_section(self, text: str, url: str):
        self.section_url = self.section_url or _strip_fragment(url)   # a framed tree keeps its page's
        links = [(n, u, p) for n, u, p in column_tree(text, url)
                 if not same_page(u, url) and not same_page(u, self.start_url)]
        # The site's own navigation repeated on the section page (政务服务, 互动交流 …) is not a
        # disclosure column: drop links the homepage also shows unless their name or place
        # (below the section's folder) says they belong to the section.
        folder = _directory(url)
        self.section_links = {u for _, u, _ in links}     # all of them: none is a sub-column later
        links = [(n, u, p) for n, u, p in links
                 if u not in self.site_nav or classify(n) != "other" or _directory(u).startswith(folder)]
        # … and, whatever their names, links in a block repeated from the homepage's navigation
        # (found by structure: class names vary and are no evidence).
        template = template_links(text, url, self.homepage_links,
                                  hubs={self.start_url, url, self.section_url})
        links = [(n, u, p) for n, u, p in links
                 if u.rstrip("/") not in template or _directory(u).startswith(folder)]
        for name, link, parent in links:   # page order: a parent comes before its children
            yield from self._column(name, link, parent_url=parent if parent in self.columns else None)

    def _column(self, name: str, url: str, parent_url: str | None):
        if url in self.columns:
            return
        self.columns[url] = name
        self.counts["columns"] += 1
        self.seq += 1
        category = classify(name, self.columns.get(parent_url, "") if parent_url else "")
        req = self._request(url, self.parse_list, "column", render=self.render == "always",
                            column_url=url, first=True)
        status = None if req else "skipped"
        yield it.ColumnItem(url=url, name=name, category=category, parent_url=parent_url,
                            seq=self.seq, status=status,
                            error="" if req else "达到抓取页数上限(--max-pages)，未抓取")
        if req:
            req.meta["category"] = category
            yield req

    # ---- list pages ----
    def parse_list(self, response):
        meta = response.meta
        column_url, first = meta["column_url"], meta.get("first", False)
        outcome, text, fetch = self._observe(response, any_text=True)
        yield fetch
        page_no = self.page_counter[column_url] = self.page_counter.get(column_url, 0) + 1
        if outcome != OK:
            yield it.ColumnPageItem(column_url=column_url, page=page_no, outcome=outcome,
                                    first=first, optional=outcome not in TRANSIENT,
                                    error=_why(outcome, response.status))
            yield from self._browser_instead(meta, [])
            yield from self._documents(column_url, self.sampler.failed(column_url))
            return
        # Read once, in crawler.middlewares (which also sent script-built pages to the browser
        # and read the answers their scripts fetched); read here only without the middleware.
        reading = cached_reading(response)
        page = reading.page if reading and reading.page is not None else read_list(
            text, response.url, ref=self.today, request=meta.get("list_request"))
        rendered = bool(meta.get("playwright"))
        has_children = is_page = False
        body_text = ""
        if first:
            children = self._children(text, response.url, page)
            has_children = bool(children)
            for name, link in children:
                if link not in self.columns:
                    yield from self._column(name, link, parent_url=column_url)
            body_text = page_text(text) if not page.entries else ""
            # A page whose list is known to be elsewhere or empty (an endpoint it names, a list
            # answer, evidence of emptiness) is a list page, whatever text its chrome carries.
            is_page = (not page.entries and not has_children and not page.empty_marker
                       and not page.evidence and not page.endpoints and page.records is None
                       and len(squash(body_text)) >= CONTENT_PAGE_CHARS)  # characters, not layout
        yield it.ColumnPageItem(column_url=column_url, page=page_no, outcome=OK, first=first,
                                rendered=rendered, entries=_entry_rows(page.entries, page=page_no),
                                is_page=is_page, has_children=has_children,
                                empty_marker=page.empty_marker, text=body_text[:20000],
                                evidence=page.evidence,
                                **_links_of(text, response.url, column_url, page.entries))
        if first and page.pager_unread and not page.next_pages:
            # 共5页 / a 下一页 only a script or form follows: the column is read in part (partial).
            yield it.ColumnPageItem(column_url=column_url, page=0, outcome="pager", first=False,
                                    optional=False, error="分页无法读取（表单或脚本翻页），后续列表页未抓取")
        seen = self.seen_entries.setdefault(column_url, set())
        fresh = {e.url for e in page.entries} - seen
        seen |= fresh
        yield from self._browser_instead(meta, page.entries)
        # A later page that adds nothing new ends the chain: servers that ignore the page or
        # record range they are asked for would otherwise be walked forever.
        # A page whose list comes from an endpoint it names shows nothing new by itself: its
        # endpoint is its content, and its pager goes on.
        follow = first or bool(fresh) or (not page.entries and bool(page.endpoints))
        for nxt in page.next_pages if follow else ():
            if isinstance(nxt, str) or nxt.get("url"):
                # A list built by scripts stays in the browser for its later pages too.
                req = self._request(nxt, self.parse_list, "list",
                                    render=rendered and isinstance(nxt, str),
                                    column_url=column_url, category=meta.get("category"),
                                    page_key=_page_key(nxt))
                if req:
                    yield req
        # Documents of every column, as many as the column's bound asks (crawler/sampling.py):
        # the same documents whatever order the column's list pages answer in.
        due = self.sampler.page(column_url, self.columns.get(column_url, ""), meta.get("category"),
                                meta.get("page_key") or column_url, page.entries,
                                [_page_key(n) for n in page.next_pages if follow])
        yield from self._documents(column_url, due)

    def _documents(self, column_url: str, entries):
        for entry in entries:
            req = self._request(entry.url, self.parse_document, "document",
                                column_url=column_url, entry_title=entry.title)
            if req:
                yield req

    def list_dropped(self, request, spider=None):
        """A list request the scheduler dropped (a duplicate) never answers: not waited for."""
        if request.meta.get("role") in ("column", "list") and "column_url" in request.meta:
            column_url = request.meta["column_url"]
            for req in self._documents(column_url, self.sampler.failed(column_url)):
                self.crawler.engine.crawl(req)

    def idle(self, spider=None):
        """Nothing left to crawl: columns still waiting on a list page decide now."""
        scheduled = False
        for column_url, due in self.sampler.flush().items():
            self.logger.info("column %s: a list page never answered; its documents decided at idle",
                             column_url)
            for req in self._documents(column_url, due):
                self.crawler.engine.crawl(req)
                scheduled = True
        if scheduled:
            raise DontCloseSpider

    def _browser_instead(self, meta: dict, entries):
        """An endpoint read from the column page's code gave nothing (`--render auto`): the column
        page once in the browser, which shows and records what its scripts really fetch."""
        column_url = meta["column_url"]
        if (self.render != "auto" or entries or not (meta.get("list_request") or {}).get("discovered")
                or self.seen_entries.get(column_url) or column_url in self.rendered_columns):
            return
        self.rendered_columns.add(column_url)
        req = self._request(column_url, self.parse_list, "list", render=True, column_url=column_url,
                            category=meta.get("category"), page_key=column_url)
        if req:
            yield req.replace(dont_filter=True)

    def _children(self, text: str, url: str, page) -> list[tuple[str, str]]:
        """Sub-columns shown on a column page: links its nav tree nests under it, links below its
        folder, or links the section page did not show (a tree that opens only on the parent)."""
        here = _strip_fragment(url)
        folder = _directory(url)
        skip = {e.url for e in page.entries} | {n if isinstance(n, str) else n.get("url")
                                                 for n in page.next_pages}
        out = []
        for name, link, parent in column_tree(text, url):
            link = _strip_fragment(link)
            if link in skip or any(same_page(link, u) for u in (here, self.section_url, self.start_url)):
                continue
            below = urlparse(link).netloc == urlparse(url).netloc and \
                _directory(link).startswith(folder) and _directory(link) != folder
            nested = parent is not None and _strip_fragment(parent) == here
            if nested or below or (link not in self.section_links and link not in self.columns):
                out.append((name, link))
        return out

    # ---- documents ----
    @cached_property
    def sampler(self) -> DocumentSampler:
        return DocumentSampler.from_settings(self.settings, self.today)

    def parse_document(self, response):
        meta = response.meta
        outcome, text, fetch = self._observe(response)
        yield fetch
        self.counts["documents"] += 1
        if outcome == "not_html" and 200 <= response.status < 300:
            # A report published directly as a file (PDF, DOC): the entry is the document,
            # and its text is read now (the file is already here).
            file = _attachment_item(response.url, response.url, response.body)
            # A file no reader could read (bytes served as a page) leaves the document unread.
            yield it.DocumentItem(url=response.url, column_url=meta["column_url"],
                                  title=meta.get("entry_title", ""), attachments=[response.url],
                                  status=OK if file.status == OK else "not_html")
            yield file
            return
        if outcome != OK:
            yield it.DocumentItem(url=response.url, column_url=meta["column_url"], status=outcome,
                                  title=meta.get("entry_title", ""))
            return
        doc = extract_document(text, response.url)
        links = [{"to_url": ln["url"], "text": ln.get("title", ""), "kind": kind}
                 for kind, group in (("interpretation", doc.interpretations),
                                     ("policy", doc.policies), ("attachment", doc.attachments),
                                     # Frames (a 相关解读 sidebar): rules tell read from unread ones.
                                     ("frame", [{"url": u} for u in doc.iframes
                                                if urlparse(u).scheme in ("http", "https")]))
                 for ln in group]
        # Every other link on the page too, once per target: link.broken checks them all.
        seen = {ln["to_url"] for ln in links} | {response.url}
        for url, link_text in doc.links:
            if url not in seen and urlparse(url).scheme in ("http", "https"):
                seen.add(url)
                links.append({"to_url": url, "text": link_text, "kind": "link"})
        title = doc.title or meta.get("entry_title", "")
        column_name = self.columns.get(meta["column_url"], "")
        # 年报 tables (spans expanded) for annual_report.arithmetic; other pages need none.
        tables = parse_tables(text) if classify(column_name) == "annual_report" or \
            "年度报告" in title else []
        yield it.DocumentItem(
            url=response.url, column_url=meta["column_url"],
            title=title, fields=doc.fields,
            has_meta_block=doc.has_meta_block, meta=doc.meta,
            interpretations=_urls(doc.interpretations), policies=_urls(doc.policies),
            relations_unseen=doc.relations_unseen,
            attachments=_urls(doc.attachments), text_digest=doc.text_digest,
            text=doc.text[:200000], tables=tables, links=links)
        wanted = {}
        for a in doc.attachments:    # the link text names the file where the URL does not
            wanted.setdefault(a["url"], extension(a["url"], a.get("title", "")))
        for url, ext in wanted.items():
            if ext not in FETCHED:
                continue
            req = self._request(url, self.parse_attachment, "attachment", document_url=response.url,
                                attachment_kind=ext,
                                download_maxsize=self.settings.getint("ZWGK_ATTACHMENT_MAXSIZE",
                                                                      ATTACHMENT_MAXSIZE))
            if req:
                yield req.replace(errback=self.parse_attachment)
        for frame in doc.iframes + doc.relation_endpoints:
            req = self._request(frame, self.parse_related, "related", document_url=response.url)
            if req:
                yield req

    def parse_attachment(self, response):
        """An attachment file of a document (callback and errback): its text for the privacy and
        年报 rules. Size-limited (`download_maxsize`): an oversize file is recorded, not read."""
        if isinstance(response, Failure):
            outcome, msg = classify_failure(response)
            request = response.request
            yield self._fetch(request.url, "attachment", outcome, error=msg)
            yield it.AttachmentItem(url=request.url, document_url=request.meta["document_url"],
                                    status=outcome, error=msg,
                                    kind=request.meta.get("attachment_kind") or extension(request.url))
            return
        outcome = classify_response(response.status, response.headers, response.body)
        yield self._fetch(response.url, "attachment", outcome, status=response.status,
                          elapsed=response.meta.get("download_latency"))
        if outcome != OK:
            yield it.AttachmentItem(url=response.url, document_url=response.meta["document_url"],
                                    status=outcome,
                                    kind=response.meta.get("attachment_kind") or extension(response.url),
                                    error=_why(outcome, response.status))
            return
        yield _attachment_item(response.url, response.meta["document_url"], response.body)

    def parse_related(self, response):
        """A document's frame, or the endpoint its relation block is filled from (a page, or a
        JSON / XML answer read as a list whose entries are split into 解读 and policies)."""
        outcome, text, fetch = self._observe(response, any_text=True)
        yield fetch
        if outcome == OK and ListContext(text, response.url).kind != "html":
            jd, policies = split_relations(read_list(text, response.url).entries)
            yield it.RelatedItem(document_url=response.meta["document_url"],
                                 interpretations=_urls(jd), policies=_urls(policies))
        elif outcome == OK:
            found = extract_related_from_iframe(text, response.url)
            # A 解读's frame (相关文件 / 原文) may hold its policy: the rules read it as its page's.
            yield it.RelatedItem(document_url=response.meta["document_url"],
                                 interpretations=_urls(found),
                                 policies=_urls(extract_policies_from_iframe(text, response.url)))

    # ---- failures (after retries) ----
    def failed(self, failure):
        request = failure.request
        meta = request.meta
        outcome, msg = classify_failure(failure)
        role = meta.get("role", "other")
        yield self._fetch(request.url, role, outcome, error=msg)
        why = label(outcome)
        if role == "homepage":
            yield it.SiteItem(homepage_outcome=outcome, homepage_error=why)
        elif role in ("column", "list"):
            page_no = self.page_counter[meta["column_url"]] = self.page_counter.get(meta["column_url"], 0) + 1
            yield it.ColumnPageItem(column_url=meta["column_url"], page=page_no, outcome=outcome,
                                    first=meta.get("first", False),
                                    optional=outcome not in TRANSIENT, error=why)
            yield from self._documents(meta["column_url"], self.sampler.failed(meta["column_url"]))
        elif role == "document":
            yield it.DocumentItem(url=request.url, column_url=meta["column_url"], status=outcome,
                                  title=meta.get("entry_title", ""))

    def closed(self, reason):
        self.logger.info("closed (%s): %d requests scheduled, cut short: %s",
                         reason, self.scheduled, self.cut_short)


def _attachment_item(url: str, document_url: str, body: bytes) -> it.AttachmentItem:
    read = read_file(body, url)
    return it.AttachmentItem(url=url, document_url=document_url, status=read.status, kind=read.kind,
                             size=len(body), text=read.text, tables=read.tables, error=read.error)


def _links_of(text: str, url: str, column_url: str, entries) -> dict:
    """ColumnPageItem's `url` and `links`: what the link check checks on this list page."""
    page_url, links = list_page_links(text, url, column_url, entries)
    return {"url": page_url, "links": links}


def _page_key(target) -> str:
    """A list page's name for the sampler: its URL, or its list request (an endpoint's POST)."""
    if isinstance(target, str):
        return target
    return json.dumps(target, sort_keys=True, ensure_ascii=False, default=str)


def _entry_rows(entries, page: int) -> list[dict]:
    return [{"title": e.title, "url": e.url, "date": e.date, "page": page, "position": i,
             "related": list(e.related or [])} for i, e in enumerate(entries)]


def _urls(links: list[dict]) -> list[str]:
    return list(dict.fromkeys(ln["url"] for ln in links))


def _looks_like_html(response) -> bool:
    ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    head = response.body[:1024].lstrip().lower()
    if _binary(head):
        return False        # bytes served as text/html (an image, an archive): not a page
    if "html" in ctype or "xml" in ctype:
        return True
    return head.startswith((b"<!doctype", b"<html", b"<head", b"<meta", b"<div", b"<body"))


def _binary(head: bytes) -> bool:
    """A body no web page starts with: a NUL byte or a file signature (PNG, GIF, JPEG, PDF, ZIP,
    OLE) in its first bytes. Text in any charset (GBK, UTF-16 aside) carries no NUL."""
    return b"\0" in head[:512] or head.startswith(
        (b"\x89png", b"gif8", b"\xff\xd8\xff", b"%pdf", b"pk\x03\x04", b"\xd0\xcf\x11\xe0"))


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def _why(outcome: str, status: int | None) -> str:
    return f"{label(outcome)}（HTTP {status}）" if status and outcome != OK else label(outcome)


def _site_name(response, text: str) -> str:
    sel = scrapy.Selector(text=text)
    name = (sel.xpath('//meta[translate(@name,"SITENAME","sitename")="sitename"]/@content').get() or "").strip()
    if name:
        return name
    title = " ".join((sel.xpath("//title/text()").get() or "").split())
    parts = [p.strip() for p in title.replace("｜", "|").replace("—", "-").replace("_", "-")
             .replace("|", "-").split("-") if p.strip()]
    for part in parts:
        if any(k in part for k in ("政府", "局", "委员会", "办公室", "中心", "厅", "部", "院", "馆")):
            return part
    return parts[-1] if parts else urlparse(response.url).netloc


def today_shanghai() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()
