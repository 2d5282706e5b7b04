"""Links a person can follow on a fetched page, for the link check (rules.md, link.broken)."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.extract import dom

# A link only a script follows (data-href, onclick) is checked when it names a page or a file:
# `data-url="/api/share"` may be an endpoint a script POSTs to, whose GET answer says nothing.
_PAGEISH = re.compile(r"(/|\.(s?html?|jsp|aspx?|php|do|pdf|docx?|xlsx?|wps|ofd|zip|rar|txt))$", re.I)


def page_links(html: str, url: str) -> list[dict]:
    """Every http(s) link on the page once per target, in page order: {"to_url", "text", "kind"}.
    Navigation, side columns, 专题 links and the pager's own links are all links a reader can
    click; links inside comments and scripts are not. The page itself is left out."""
    root = dom.parse(html)
    base = dom.base_url(root, url)
    here = dom.resolve(url, url) or url
    out, seen = [], {here}
    for a in dom.clean_copy(root).iter("a"):
        target = dom.link_url(a, base)
        if target and not dom.resolve(base, a.get("href")) and not _PAGEISH.search(urlsplit(target).path or "/"):
            continue
        if target and target not in seen:
            seen.add(target)
            out.append({"to_url": target, "text": dom.link_text(a)[:200], "kind": "link"})
    return out


def entry_links(entries) -> list[dict]:
    """The entries of a list read from an endpoint (JSON, XML): the links its page shows."""
    out, seen = [], set()
    for e in entries:
        if e.url not in seen:
            seen.add(e.url)
            out.append({"to_url": e.url, "text": (e.title or "")[:200], "kind": "link"})
    return out


def is_html_page(text: str) -> bool:
    """A page a reader sees (not a JSON / XML answer of a list endpoint)."""
    head = (text or "")[:5000].lower()
    return "<html" in head or "<body" in head


def list_page_links(text: str, url: str, column_url: str, entries) -> tuple[str, list[dict]]:
    """(the page the links are on, its links) for one list page read: an HTML page's own links,
    or, for an endpoint's answer, its entries as links of the column's page that shows them."""
    if is_html_page(text):
        return url, page_links(text, url)
    return column_url, entry_links(entries)
