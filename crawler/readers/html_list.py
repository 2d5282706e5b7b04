"""The generic HTML list reader: rows (li / tr / dd / p / div) holding a main link and a date.

Most government list pages are `ul > li` or table rows with `a[title]` and a sibling date cell
(README §3.3). The row's first link is the entry; links nested in the same row (NDRC popbox, MIIT
hidden `dl.tslb-list`) are its `related` links, never entries of their own.
"""
from __future__ import annotations

import re
from collections import defaultdict

from crawler.extract import dom
from crawler.extract.attachments import is_attachment
from crawler.extract.dates import find_date, parse_date, parse_date_parts
from crawler.readers.base import ListContext, ListEntry, ListPage

ROW_TAGS = {"li", "tr", "dd", "dt", "p"}
# Containers: walking up from a link stops here (a row never spans a whole list).
_CONTAINERS = {"ul", "ol", "table", "tbody", "thead", "dl", "body", "html", "form"}
_DATE_HOLDERS = {"span", "b", "td", "th", "em", "i", "font", "div", "p", "time", "small", "label",
                 "strong", "dd", "cite", "var", "h4", "h5", "h6", "li"}
_ABS = "data-zwgk-abs"
_MAX_ROW_LINKS = 8          # more links than this: a container, not a row
_CATEGORY_TAG = re.compile(r"^[\[【(（].{1,8}[\]】)）]$")   # [通知] 【政策】 before the real title
_CUT = ("…", "...", "..", "．．．")
_DOC_HREF = re.compile(r"(/t\d{8}_\d+|/art/\d{4}/|content_\d+|/\d{6,8}/[^/]+$|\d{5,}\.s?html?$"
                       r"|[?&](id|docid|articleid|infoid|pk)=)", re.I)


class HtmlListReader:
    name = "html"

    def read(self, ctx: ListContext) -> ListPage | None:
        rows = _collect_rows(ctx)
        entries = _select(rows)
        if not entries:
            return None
        return ListPage(entries=entries, reader=self.name)


class _Row:
    __slots__ = ("el", "links", "date", "nested", "main", "title", "url")

    def __init__(self, el):
        self.el = el
        self.links: list = []
        self.date = None
        self.nested: list[_Row] = []
        self.main = None
        self.title = ""
        self.url = ""


def _clickable_rows(root, base: str) -> None:
    """Rows that are links only by script (`<tr onclick="location.href='…'">` holding no <a>):
    their title cell becomes a link to that address, so they read like any other row. `root` is
    the context's own clean copy."""
    for el in list(root.iter("tr", "li", "dd", "div", "p")):
        code = el.get("onclick")
        if not code or el.find(".//a") is not None:
            continue
        url = dom.resolve(base, dom.script_url(code))
        if not url:
            continue
        cells = [c for c in el.iter() if c is not el and isinstance(c.tag, str) and len(c) == 0
                 and dom.text_of(c) and not parse_date(dom.text_of(c))]
        holder = max(cells, key=lambda c: len(dom.text_of(c)), default=el if len(el) == 0 else None)
        if holder is None:
            continue
        a = holder.makeelement("a", {"href": url})
        a.text, holder.text = holder.text, None
        for child in list(holder):
            a.append(child)
        holder.insert(0, a)


_BLOCKS = {"div", "p", "ul", "ol", "li", "table", "tr", "dl", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6"}


def _br_rows(root) -> None:
    """Rows separated by <br> only (`<td><a>…</a> 2024-01-05<br><a>…</a> 2023-12-20<br>…`, old
    portals): each stretch between two <br> becomes a <p> of its own, so that each link is a row
    with its own date rather than all of them one row with the first date."""
    for el in list(root.iter("div", "td", "p", "span", "font", "li", "dd")):
        kids = [c for c in el if isinstance(c.tag, str)]
        if sum(c.tag == "a" for c in kids) < 2 or not any(c.tag == "br" for c in kids) \
                or any(c.tag in _BLOCKS for c in kids):
            continue
        segments, current = [], [el.text or ""]
        for child in list(el):
            el.remove(child)
            if isinstance(child.tag, str) and child.tag == "br":
                segments.append(current)
                current = [child.tail or ""]
            else:
                current.append(child)
        segments.append(current)
        el.text = None
        for seg in segments:
            if not any(not isinstance(x, str) or x.strip() for x in seg):
                continue
            p = el.makeelement("p", {})
            dom.append_mixed(p, seg)
            el.append(p)


def unlinked_rows(ctx: ListContext) -> int:
    """Visible list-like rows whose link leads nowhere we can follow (`<a href="javascript:;"
    onclick="queryDetail('123')">`, an onclick row without an address): titles (≥ 12 characters)
    or dated texts a reader sees and clicks. A page showing two of them is not an empty list,
    whatever the browser's rendering holds: it is a list zwgk cannot read."""
    count = 0
    for el in ctx.clean.iter("a", "tr", "li", "dd", "div"):
        if el.tag == "a":
            if el.get(_ABS) or dom.link_url(el, ctx.base):
                continue
        elif not el.get("onclick") or el.find(".//a") is not None:
            continue
        text = dom.squash(dom.text_of(el))
        if not text or len(text) > 200 or dom.is_hidden(el):
            continue
        if len(text) >= 12 or find_date(text):
            count += 1
            if count >= 2:
                break
    return count


# Page chrome by tag or by class/id: links there are the site's, not the column's.
_CHROME = re.compile(r"(^|[\s_-])(header|head|footer|foot|top|bottom|nav|navbar|menu|copyright|breadcrumb|crumb|"
                     r"position|location|share|search|links?|yqlj|friend)($|[\s_-]|\d)", re.I)


_DOC_PATH = re.compile(r"/t\d{8}_\d+|/art/\d{4}/|content_\d+|/\d{6,8}/[^/]+\.\w+$|\d{5,}\.s?html?$", re.I)


def document_links(ctx: ListContext) -> int:
    """Visible links outside the page's chrome that lead to a document or a file (an article
    address such as /t20240105_1.html or /art/2024/…, a .pdf/.docx …): what a column page shows
    as its content even when too few, or too plain, to read as list rows (two undated PDF links
    of a 年报 column). A page showing one is no evidence of an empty column."""
    count = 0
    for a in ctx.clean.iter("a"):
        url = a.get(_ABS) or dom.link_url(a, ctx.base)
        if not url or dom.same_page(url, ctx.url) or not dom.link_text(a):
            continue
        if not (_DOC_PATH.search(url.split("?", 1)[0]) or is_attachment(url, dom.link_text(a))):
            continue
        if dom.is_hidden(a) or any(anc.tag in ("header", "footer", "nav") or _CHROME.search(
                f"{anc.get('class') or ''} {anc.get('id') or ''}") for anc in a.iterancestors()):
            continue
        count += 1
    return count


def _collect_rows(ctx: ListContext) -> list[_Row]:
    root, base = ctx.clean, ctx.base
    _clickable_rows(root, base)
    _br_rows(root)
    anchors = []
    for a in root.iter("a"):
        url = dom.link_url(a, base)     # href, else data-href / onclick="window.open('…')"
        if url:
            a.set(_ABS, url)  # ctx.clean is our own copy: remember the resolved URL on it
            anchors.append(a)
    link_count: dict = defaultdict(int)
    for a in anchors:
        for anc in a.iterancestors():
            link_count[anc] += 1

    rows: dict = {}
    for a in anchors:
        el = _row_element(a, link_count, ctx.ref)
        rows.setdefault(el, _Row(el)).links.append(a)

    inner: dict = defaultdict(set)   # row element -> row elements nested inside it
    for el in rows:
        for anc in el.iterancestors():
            if anc in rows:
                inner[anc].add(el)
    for row in rows.values():
        row.main = _main_link(row.links)
        if row.main is not None:
            row.url = row.main.get(_ABS)
            row.title = _title(row.main)
            row.date = _row_date(row, inner[row.el], ctx)

    # Nested rows without a date of their own (a 相关解读 popbox inside the policy's <li>) belong
    # to the enclosing row; dated nested rows are a real list inside a tab or menu item.
    ordered = list(rows.values())
    for row in ordered:
        if row.date is not None and not dom.is_hidden(row.el):
            continue
        for anc in row.el.iterancestors():
            outer = rows.get(anc)
            if outer is not None and outer.main is not None:
                outer.nested.append(row)
                row.main = None
                break
    return [r for r in ordered if r.main is not None]


def _row_element(a, link_count, ref=None):
    """The element that holds one list row around link `a`."""
    el = a.getparent()
    depth = 0
    while el is not None and depth < 6 and el.tag not in _CONTAINERS:
        if link_count.get(el, 0) > _MAX_ROW_LINKS:
            break
        if el.tag in ROW_TAGS:
            return el
        el, depth = el.getparent(), depth + 1
    # div-based rows: the nearest small ancestor whose text outside the link carries a date.
    el = a.getparent()
    for _ in range(3):
        if el is None or el.tag in _CONTAINERS or link_count.get(el, 0) > 3:
            break
        outside = _text_outside_links(el)
        # A full date, or a bare MM-DD cell (`<div class="col-date">03-17</div>`) beside the link.
        if find_date(outside) or (len(outside) <= 40 and parse_date(outside, ref, a.get(_ABS))):
            return el
        el = el.getparent()
    return a.getparent()


def _main_link(links):
    for a in links:
        text = dom.link_text(a)
        if text and not _CATEGORY_TAG.match(text):
            return a
    return None


def _title(a) -> str:
    """Link text, or the title attribute where the text is cut (ends with … or is a prefix)."""
    text = dom.norm(a.text_content())
    for child in a.iter():
        if child is not a and (parse_date(dom.text_of(child)) or _pieces_date(child)):   # a date inside the link
            text = dom.norm(text.replace(dom.text_of(child), " "))
    # A card: <a><h3>title</h3><p>summary…</p><span>date</span></a> — the heading is the title.
    head = next((c for c in a.iter("h1", "h2", "h3", "h4", "h5", "h6", "strong", "b")
                 if c is not a and len(dom.squash(dom.text_of(c))) >= 4), None)
    if head is not None and a.find(".//p") is not None:
        text = dom.text_of(head)
    title = dom.norm(a.get("title"))
    if not text:
        return title or dom.link_text(a)
    stem = text.rstrip(".…．").strip()
    if title and len(title) > len(stem):
        if text.endswith(_CUT) or title.startswith(stem):
            return title
    return text


def _text_outside_links(el, skip=()) -> str:
    parts: list[str] = []

    def walk(node):
        if node.tag == "a" or node in skip:
            return
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            parts.append(child.tail or "")

    walk(el)
    return dom.norm(" ".join(parts))


def _row_date(row: _Row, nested: set, ctx: ListContext):
    el = row.el

    def inside_skipped(node) -> bool:
        for anc in node.iterancestors():
            if anc is el:
                return False
            if anc.tag == "a" or anc in nested:
                return True
        return False

    for node in el.iter():
        # <b readlabel="2025-10-29">, <time datetime="2024-01-05T09:00">
        label = (node.get("readlabel") or (node.get("datetime") if node.tag == "time" else None)) \
            if isinstance(node.tag, str) else None
        if label:
            value = parse_date(label, ctx.ref, row.url) or find_date(label)
            if value:
                return value
    # A cell that is nothing but a date: span/b/td … outside links (MM-DD needs the year hint).
    for node in el.iter(*_DATE_HOLDERS):
        if node is el or inside_skipped(node) or node.find(".//a") is not None:
            continue
        text = dom.text_of(node)
        if len(text) <= 40:
            value = parse_date(text, ctx.ref, row.url)
            if value:
                return value
    value = find_date(_text_outside_links(el, nested))
    if value:
        return value
    text = _text_outside_links(el, nested)
    if len(text) <= 40:  # the row's own text (a bare `<li><a/> 10-11</li>`)
        value = parse_date(text, ctx.ref, row.url)
        if value:
            return value
    # A date in pieces (`<div class="date"><p>05</p><p>2024-01</p></div>`), outside the link or in it
    for node in [*el.iter(*_DATE_HOLDERS), *row.main.iter()]:
        if node is not el and not (node in nested or any(anc in nested for anc in node.iterancestors())):
            value = _pieces_date(node)
            if value:
                return value
    # A date inside the link itself: <a><span>title</span><span>2024-01-02</span></a>
    for node in row.main.iter():
        if node is not row.main and len(node) == 0:
            value = parse_date(dom.text_of(node), ctx.ref, row.url)
            if value:
                return value
    # The cell after the row's own: <dt><a>title</a></dt><dd>2024-01-05</dd>
    nxt = el.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getnext()
    if nxt is not None and nxt.find(".//a") is None and nxt.tag != "a":
        text = dom.text_of(nxt)
        if len(text) <= 40:
            return parse_date(text, ctx.ref, row.url) or _pieces_date(nxt)
    return None


def _pieces_date(node):
    """The date of a small element showing it in pieces, one leaf each (see parse_date_parts)."""
    if not isinstance(node.tag, str) or len(node) < 2 or node.tag == "a" and len(node) > 3:
        return None
    leaves = [dom.text_of(c) for c in node.iter() if c is not node and isinstance(c.tag, str) and len(c) == 0]
    loose = dom.norm(node.text) + dom.norm("".join(c.tail or "" for c in node))
    if loose.strip(" /.-") or not 2 <= len(leaves) <= 3:
        return None
    return parse_date_parts(leaves)


def _looks_like_document(row: _Row) -> bool:
    return len(dom.squash(row.title)) >= 12 or bool(_DOC_HREF.search(row.url))


def _select(rows: list[_Row]) -> list[ListEntry]:
    """Rows that are list entries: dated rows, plus undated rows in clear document lists."""
    groups: dict = defaultdict(list)
    for row in rows:
        groups[row.el.getparent()].append(row)
    accepted: list[_Row] = []
    for members in groups.values():
        dated = [r for r in members if r.date is not None]
        docs = [r for r in members if _looks_like_document(r)]
        doc_list = (len(dated) >= 2 and len(dated) * 2 >= len(members)) or (
            len(members) >= 3 and len(docs) * 5 >= len(members) * 3
            and sum(len(dom.squash(r.title)) for r in members) / len(members) >= 10)
        for r in members:
            if r.date is not None or doc_list:
                accepted.append(r)
    if not accepted:
        return []
    # The page's list is the dominant cluster of same-shaped rows; side boxes (热点, 最新) that
    # are much smaller are dropped.
    clusters: dict = defaultdict(list)
    for r in accepted:
        clusters[_signature(r.el)].append(r)
    best = max(len(v) for v in clusters.values())
    keep = {k for k, v in clusters.items() if len(v) == best or (len(v) >= 3 and len(v) * 5 >= best * 3)}
    seen: set[str] = set()
    entries: list[ListEntry] = []
    for r in rows:  # page order
        if r not in accepted or _signature(r.el) not in keep or r.url in seen:
            continue
        seen.add(r.url)
        entries.append(ListEntry(title=r.title, url=r.url, date=r.date, related=_related(r)))
    return entries


def _related(row: _Row) -> list[dict]:
    out, seen = [], {row.url}
    links = list(row.links) + [a for n in row.nested for a in n.links]
    for a in links:
        if a is row.main:
            continue
        url = a.get(_ABS)
        if url is None:
            continue
        text = _title(a)
        if url not in seen and text:
            seen.add(url)
            out.append({"title": text, "url": url})
    return out


def _signature(el) -> tuple:
    parts = [el.tag]
    node = el.getparent()
    for _ in range(2):
        if node is None:
            break
        parts.append(f"{node.tag}.{node.get('class') or ''}")
        node = node.getparent()
    return tuple(parts)
