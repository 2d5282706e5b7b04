"""What a page is — a column's list, one document, or neither — decided from what it shows.

A document is one article: a title, a date (metadata block, the line under the title or the meta
tags) and body text or a file to download; a page with a metadata block is one too. Whatever its
sidebar, footer or 相关文章 box holds, it stays a document: the list readers find entries there as
well, so the rows of every entry are taken out before the article is looked for.

A list is a page without an article that shows list content: entries (crawler.readers.read_list),
a pager, a 暂无信息 statement, or the national column metas (ColumnName without ArticleTitle: a
column page whose list is built by scripts or hidden from us), and little text besides. Anything
else (机构职能 pages, search forms, walls) is other. Hidden elements never count.

Shared by the spider and `zwgk inspect`: `page_kind(html, url)`, or `page_kind(html, url, page)`
with the ListPage the caller has already read, so that the page is not read twice.
"""
from __future__ import annotations

import re
from collections import Counter

from crawler.extract import dom
from crawler.extract.attachments import is_attachment
from crawler.extract.fields import find_title, main_content, page_metas, read_fields, visible_copy
from crawler.extract.scripted import inline_writes
from crawler.extract.text import visible_text
from crawler.readers import read_list
from crawler.readers.base import ListContext, ListPage

__all__ = ["page_kind", "LIST", "DOCUMENT", "OTHER"]

LIST, DOCUMENT, OTHER = "list", "document", "other"
MIN_PROSE = 10            # letters of body text outside links (任免 notices are short)
CONTENT_PROSE = 300       # a page with this much text and no entries of its own is content
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")
_LETTER = re.compile(r"[\u4e00-\u9fffA-Za-z]")


def page_kind(html: str | bytes, url: str, page: ListPage | None = None) -> str:
    """"list", "document" or "other" for one response body at `url` (HTML, or a list endpoint's
    XML/JSON answer, which is a list when it holds entries or further requests)."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    html = html or ""
    if page is None:
        page = read_list(html, url)
    if ListContext(html, url).kind != "html":
        return LIST if page.entries or page.next_pages else OTHER

    root = dom.parse(html)
    inline_writes(root)         # values a template writes with document.write("…")
    meta = page_metas(html)
    base = dom.base_url(root, url)
    visible = visible_copy(dom.clean_copy(root))
    _drop_rows(visible, base, {e.url for e in page.entries})
    fields, has_block, _sources = read_fields(visible, meta)
    if has_block:
        return DOCUMENT
    body = main_content(visible)
    prose = _prose(body)
    dated = any(_ISO.match(fields.get(key) or "") for key in ("published", "written"))
    if dated and find_title(visible, meta, fields):
        if prose >= MIN_PROSE or _offers_file(body, base):
            return DOCUMENT
        # The national metas mark an article page (its body may be drawn by a script).
        if _meta(meta, "ArticleTitle") and _meta(meta, "PubDate"):
            return DOCUMENT
    column_page = bool(_meta(meta, "ColumnName")) and not _meta(meta, "ArticleTitle")
    listish = page.entries or page.next_pages or page.empty_marker or column_page
    if listish and prose < max(CONTENT_PROSE, 40 * len(page.entries)):
        return LIST
    return OTHER


def _meta(meta: dict[str, str], name: str) -> str:
    low = name.lower()
    return next((v.strip() for k, v in meta.items() if k.lower() == low and v.strip()), "")


def _drop_rows(root, base: str, urls: set[str]) -> None:
    """Take out each entry's row: its link, climbing while the parent holds no other entry and
    little else (a row is a title, a date, a tag — not an article around one link)."""
    if not urls:
        return
    anchors = [a for a in root.iter("a") if dom.link_url(a, base) in urls]
    holders: Counter = Counter()
    for a in anchors:
        for anc in a.iterancestors():
            holders[anc] += 1
    rows = []
    for a in anchors:
        row = a
        size = len(dom.squash(row.text_content()))
        for _ in range(6):
            parent = row.getparent()
            if parent is None or parent.tag in ("body", "html") or holders[parent] > 1:
                break
            parent_size = len(dom.squash(parent.text_content()))
            if parent_size > size + 40:
                break
            row, size = parent, parent_size
        rows.append(row)
    for row in rows:
        dom.drop_keep_tail(row)


def _prose(el) -> int:
    """Letters (Chinese characters, Latin letters) of the text outside links."""
    if el is None:
        return 0
    return len(_LETTER.findall(visible_text(el, drop=lambda node: node.tag == "a")))


def _offers_file(el, base: str) -> bool:
    if el is None:
        return False
    return any(is_attachment(url, dom.link_text(a))
               for a in el.iter("a") if (url := dom.link_url(a, base)))
