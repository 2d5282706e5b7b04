"""Hanweb JCMS jpage lists: a `<datastore>` of CDATA records, paged through `dataproxy.jsp`.

The column page embeds the first group as `<script type="text/xml"><datastore>…` next to
`div id="<unitid>"`; the browser then asks `/module/web/jpage/dataproxy.jsp` (older sites:
`/module/jslib/jquery/jpage/dataproxy.jsp`) for later groups with
`?startrecord=&endrecord=&perpage=` and the column's ids as a form (README §2.6). The same reader
reads the proxy's XML answer: each response yields its records and at most one next request.

Servers differ: some give `<totalrecord>`, some only a `<nextgroup>` link (whose `webname` is
double-percent-encoded: it is passed through untouched), some return overlapping groups. The
next group starts after the records actually returned, and there is none when a response returns
fewer records than asked for, nothing, or reaches the stated total.
"""
from __future__ import annotations

import html as htmllib
import re
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from crawler.extract import dom
from crawler.readers.base import ListContext, ListEntry, ListPage
from crawler.readers.html_list import _main_link, _row_date, _Row, _title

_DATASTORE = re.compile(r"<datastore\b.*?</datastore>", re.S | re.I)
_RECORD = re.compile(r"<record\b[^>]*>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</record>", re.S | re.I)
_NEXTGROUP = re.compile(r"<nextgroup\b[^>]*>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</nextgroup>", re.S | re.I)
_HREF = re.compile(r"""href\s*=\s*(["'])(.*?)\1""", re.S | re.I)
_TAG_INT = {name: re.compile(rf"<{name}\b[^>]*>\s*(\d+)\s*</{name}>", re.I)
            for name in ("totalrecord", "totalpage")}
_PROXY = re.compile(r"""["']?(/[\w/.-]*?/jpage/dataproxy\.jsp)""", re.I)
DEFAULT_PROXY = "/module/web/jpage/dataproxy.jsp"
_MAX_RECORD = 200000          # a runaway server must not keep us paging forever


def _script_value(text: str, *names: str) -> str | None:
    """`name: 12`, `name='x'`, `"name":"x"`, `name=12&` in scripts or URLs (first match wins)."""
    for name in names:
        m = re.search(rf"""(?<![\w])["']?{name}["']?\s*[:=]\s*(["']?)([^"'&,;)\s}}]*)\1""", text, re.I)
        if m and m.group(2):
            return m.group(2)
    return None


def _int(value) -> int | None:
    return int(value) if value is not None and str(value).strip().isdigit() else None


def _range_of(url: str, data: dict | None) -> tuple[int, int, int | None] | None:
    """(startrecord, endrecord, perpage) of a proxy request, from its query or form."""
    params = {k.lower(): v for k, v in parse_qsl(urlsplit(url).query)}
    params.update({str(k).lower(): str(v) for k, v in (data or {}).items()})
    start, end = _int(params.get("startrecord")), _int(params.get("endrecord"))
    if start is None or end is None or end < start:
        return None
    return start, end, _int(params.get("perpage"))


def with_range(url: str, start: int, end: int, perpage: int) -> str:
    """`url` with startrecord/endrecord/perpage set; every other query byte is kept as is (the
    double-encoded webname of a nextgroup link must reach the server unchanged)."""
    parts = urlsplit(url)
    keep = [p for p in parts.query.split("&") if p and p.split("=", 1)[0].lower()
            not in ("startrecord", "endrecord", "perpage")]
    query = "&".join([f"startrecord={start}", f"endrecord={end}", f"perpage={perpage}", *keep])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


class HanwebReader:
    name = "hanweb"

    def read(self, ctx: ListContext) -> ListPage | None:
        if "<datastore" not in ctx.html.lower():
            return None
        stores = self._live_datastores(ctx)
        if not stores:
            return None
        entries: list[ListEntry] = []
        records = 0
        store_text = "\n".join(stores)
        for m in _RECORD.finditer(store_text):
            records += 1
            entry = self._entry(m.group(1) if m.group(1) is not None else htmllib.unescape(m.group(2) or ""), ctx)
            if entry is not None and entry.url not in {e.url for e in entries}:
                entries.append(entry)
        total = _int(_first(_TAG_INT["totalrecord"], store_text)) or _int(
            _script_value(ctx.html, "totalRecord", "totalrecord"))
        page = ListPage(entries=entries, total=total, reader=self.name, records=records)
        nxt = self._next(ctx, store_text, records, total)
        if nxt:
            page.next_pages.append(nxt)
        return page

    @staticmethod
    def _live_datastores(ctx: ListContext) -> list[str]:
        """Datastores outside HTML comments (a commented-out one is dead, like the Gansu pager)."""
        text = re.sub(r"<!--(?!\s*\[CDATA).*?-->", "", ctx.html, flags=re.S) if ctx.kind == "html" else ctx.html
        return _DATASTORE.findall(text)

    @staticmethod
    def _entry(fragment: str, ctx: ListContext) -> ListEntry | None:
        wrapped = f"<table>{fragment}</table>" if re.match(r"\s*<tr", fragment, re.I) else f"<div>{fragment}</div>"
        root = dom.parse(f"<html><body>{wrapped}</body></html>")
        links = [a for a in root.iter("a") if dom.link_url(a, ctx.base)]
        main = _main_link(links)
        if main is None:
            return None
        row = _Row(root.find("body"))
        row.links, row.main = links, main
        row.url = dom.link_url(main, ctx.base)
        row.title = _title(main)
        date = _row_date(row, set(), ctx)
        related = [{"title": _title(a), "url": dom.link_url(a, ctx.base)}
                   for a in links if a is not main and _title(a)]
        return ListEntry(title=row.title, url=row.url, date=date, related=related)

    def _next(self, ctx: ListContext, store: str, records: int, total: int | None):
        """The request for the group after this response's records, or None at the end."""
        req = ctx.request or {}
        current = _range_of(req.get("url") or ctx.url, req.get("data"))
        perpage = _int(_script_value(ctx.html, "perPage", "perpage")) or (current[2] if current else None) or 15
        if current:                                   # an answer of the proxy
            start, end, _ = current
            if records == 0 or records < end - start + 1:
                return None                           # an empty or short group is the last one
            nxt_start = start + records
        else:                                         # the column page's embedded first group
            if records == 0:
                return None
            nxt_start = records + 1
        if (total is not None and nxt_start > total) or nxt_start > _MAX_RECORD:
            return None
        size = records if not current else max(current[1] - current[0] + 1, 1)
        end = nxt_start + size - 1
        if total is not None:
            end = min(end, total)

        if current and req:                           # the same request, next range
            return {"url": with_range(req["url"], nxt_start, end, perpage), "method": req.get("method", "GET"),
                    "data": dict(req.get("data") or {}), "headers": dict(req.get("headers") or {})}
        headers = {"X-Requested-With": "XMLHttpRequest", "Referer": ctx.url}
        if current:                                   # a proxy answer fetched by plain GET
            return {"url": with_range(ctx.url, nxt_start, end, perpage), "method": "GET", "data": {},
                    "headers": headers}
        form = self._form(ctx, store)
        if form is not None:
            proxy = dom.resolve(ctx.base, _first(_PROXY, ctx.html) or DEFAULT_PROXY)
            return {"url": with_range(proxy, nxt_start, end, perpage), "method": "POST", "data": form,
                    "headers": headers}
        link = _nextgroup(store, ctx.base)
        if link:
            return {"url": with_range(link, nxt_start, end, perpage), "method": "GET", "data": {},
                    "headers": headers}
        return None

    @staticmethod
    def _form(ctx: ListContext, store: str) -> dict | None:
        """The proxy's form fields (col=1&appid=1&webid=&path=/&columnid=…), ids from the page."""
        group = _nextgroup(store, ctx.base) or ""
        qs = {k.lower(): v for k, v in parse_qsl(urlsplit(group).query)}
        text = ctx.html
        unitid = (qs.get("unitid") or _script_value(text, "unitid", "unitId")
                  or _first(re.compile(r"jpageform_(\d+)"), text)
                  or _unit_div(ctx))
        columnid = (qs.get("columnid") or _script_value(text, "columnid", "columnId")
                    or _first(re.compile(r"/col/col(\d+)/"), ctx.url) or _first(re.compile(r"/col/col(\d+)/"), text))
        if not unitid or not columnid:
            return None
        webid = qs.get("webid") or _script_value(text, "webid", "webId") or ""
        webname = qs.get("webname") or _script_value(text, "webname", "webName") or ""
        path = (qs.get("path") or "/").strip("'\"") or "/"
        return {"col": "1", "appid": qs.get("appid") or "1", "webid": webid, "path": path,
                "columnid": columnid, "sourceContentType": "1", "unitid": unitid,
                "webname": webname.strip("'\""), "permissiontype": "0"}


def _unit_div(ctx: ListContext) -> str | None:
    """`div id="<digits>"` right around the datastore script (the jpage container)."""
    for div in ctx.root.iter("div"):
        ident = div.get("id") or ""
        if ident.isdigit() and any("datastore" in (s.text or "") for s in div.iter("script")):
            return ident
    for div in ctx.root.iter("div"):
        if (div.get("id") or "").isdigit():
            return div.get("id")
    return None


def _nextgroup(store: str, base: str) -> str | None:
    m = _NEXTGROUP.search(store)
    if not m:
        return None
    href = _HREF.search(m.group(1) or m.group(2) or "")
    if not href:
        return None
    raw = href.group(2).strip().replace("&amp;", "&")
    # urljoin keeps the query bytes; resolve() would too, but never unquote webname here.
    return dom.resolve(base, raw)


def _first(rx: re.Pattern, text: str) -> str | None:
    m = rx.search(text or "")
    return m.group(1) if m else None


__all__ = ["HanwebReader", "with_range", "DEFAULT_PROXY"]
