"""What a list reader returns, and the protocol every reader follows.

A reader recognises one list style (plain HTML rows, TRS createPageHTML, Hanweb datastore, JSON
APIs …) and turns one response into entries plus the further requests. `read_list` tries the
readers in order; adding a CMS means adding a reader.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Protocol

from crawler.extract import dom


@dataclass
class ListEntry:
    title: str
    url: str
    date: date | None
    # Other links nested in the same row, e.g. a 相关解读 popbox: {"title", "url"}.
    related: list[dict] = field(default_factory=list)


@dataclass
class ListPage:
    entries: list[ListEntry] = field(default_factory=list)
    # Further list pages: absolute URLs, or {"url", "method", "data", "headers"} for list endpoints.
    next_pages: list[str | dict] = field(default_factory=list)
    total: int | None = None          # total entry count where the page states it
    empty_marker: bool = False        # the page says 暂无信息 / 暂无数据 …
    # Any live script (inline or external, whatever its name) or client template: something
    # that could fill the list after load. Names are never used to rule a script out.
    has_scripts: bool = False
    reader: str = ""                  # name of the reader that produced the entries
    # Records in the answer when a reader recognised a list endpoint's answer (Hanweb datastore,
    # JSON list): 0 means the endpoint itself said the list is empty; None: not such an answer.
    records: int | None = None
    # Positive evidence that the list is empty: "rendered", "endpoint", "marker" or "" (see
    # crawler.readers.evidence_of); only set when the page has no entries.
    evidence: str = ""
    # Endpoints found in the page's scripts or configuration (also in next_pages): the list can
    # be read through them without a browser.
    endpoints: list[dict] = field(default_factory=list)
    # A rendered page: the request (of the page's own script) whose answer listed the entries.
    endpoint: dict | None = None
    # The page shows that its list goes on (共5页, a 下一页 that only a script or a form follows)
    # and names no further page zwgk can request: what was read is part of the list only.
    pager_unread: bool = False

    @property
    def needs_browser(self) -> bool:
        """No entries, no evidence that there are none, and no endpoint to read them through.
        Scripts or not: only a rendering can say "empty" of a page that does not say so itself,
        and a page without any script costs the browser one cheap load."""
        return not self.entries and not self.evidence and not self.endpoints


class ListContext:
    """One response, parsed lazily once and shared by all readers."""

    def __init__(self, html: str, url: str, ref: date | None = None, request: dict | None = None):
        self.html = html
        self.url = url
        self.ref = ref
        # The request that produced this response ({"url","method","data","headers"}), or None
        # for a plain GET: endpoint readers (Hanweb dataproxy, JSON APIs) derive the next one from it.
        self.request = request

    @cached_property
    def kind(self) -> str:
        """"json", "xml" (an endpoint's answer) or "html"; decided on the text, not the header."""
        head = self.html.lstrip("\ufeff \t\r\n")[:300].lower()
        if head.startswith(("{", "[")) or re.match(r"^[\w$.]+\s*\(\s*[\[{]", head):
            return "json"
        if head.startswith(("<?xml", "<datastore")) and "<html" not in self.html[:3000].lower():
            return "xml"
        return "html"

    @cached_property
    def root(self):
        """The parsed page, comments included as comment nodes (never as elements)."""
        return dom.parse(self.html)

    @cached_property
    def clean(self):
        """The parsed page without comments, scripts and styles."""
        return dom.clean_copy(self.root)

    @cached_property
    def base(self) -> str:
        return dom.base_url(self.root, self.url)

    @cached_property
    def live_scripts(self) -> list[str]:
        """Text of <script> elements that are not inside comments."""
        return [s.text or "" for s in self.root.iter("script")]


class ListReader(Protocol):
    name: str

    def read(self, ctx: ListContext) -> ListPage | None:
        """A ListPage when this reader recognises the page's list style, else None."""
        ...
