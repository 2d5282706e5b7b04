"""JSON lists: list APIs a column page's script calls, and list data embedded in the page.

Client-rendered columns (NEA `ds_<id>.json`, MIIT jpaas `{success, data:{html}}`, gkmlpt
`{articles:[…]}`, Jiangxi `var listData = {articleList:[…]}`) keep their entries in JSON
(README §2.5). Nothing here knows a site: the reader looks for the array of objects that carries
title-, URL- and date-like keys, reads HTML strings (`data.html`) with the HTML reader, and pages
by the request's `page`/`pageNo` parameter when the answer states a total or a page count.

`discover` finds the JSON endpoint a column page's script fetches (`fetch('/api/list?…&page=')`,
`$.getJSON(…)`, `url: "….json"`), so that a script-built list can be read without a browser.
"""
from __future__ import annotations

import json
import math
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.extract import dom
from crawler.extract.dates import find_date, from_timestamp, parse_date
from crawler.readers.base import ListContext, ListEntry, ListPage

TITLE_KEYS = ("title", "TITLE", "name", "showTitle", "docTitle", "DOCTITLE", "articleTitle", "subject", "bt")
URL_KEYS = ("url", "URL", "publishUrl", "link", "href", "urls", "pcUrl", "docUrl", "DOCPUBURL",
            "articleUrl", "post_url", "path", "linkUrl")
DATE_KEYS = ("publishTime", "pubDate", "date", "DOCRELPUBTIME", "publishDate", "pubdate", "pub_date",
             "publish_time", "first_publish_time", "releaseDate", "docRelTime", "DOCRELTIME", "time",
             "deploytime", "createTime", "created_at", "fbrq", "fwrq", "cwrq", "showTime")
TOTAL_KEYS = ("total", "totalCount", "totalRecord", "totalrecord", "recordCount", "totalElements",
              "total_count", "count", "post_count", "totalNum", "totalSize")
PAGES_KEYS = ("pages", "totalPage", "totalPages", "pageCount", "page_count", "totalpage", "pageTotal")
PAGE_PARAMS = ("page", "pageNo", "pageNum", "pageIndex", "currentPage", "curPage", "current", "pn", "p",
               "page_no", "pageNumber")
_SIZE_KEYS = ("pageSize", "perPage", "per_page", "page_size", "pagesize", "size", "limit", "rows")
_RELATION_KEYS = ("relationUrl", "relation_url", "jdUrl", "jiedu_url", "relatedUrl")
_MAX_PAGES = 2000


# ------------------------------------------------------------------------------ parsing


def loads(text: str):
    """JSON, JSONP `cb({...})` or None."""
    text = text.strip().lstrip("\ufeff")
    m = re.match(r"^[\w$.]+\s*\(\s*(.*?)\s*\)\s*;?\s*$", text, re.S)
    if m and not text.startswith(("{", "[")):
        text = m.group(1)
    try:
        return json.loads(text)
    except ValueError:
        return None


_JS_STRING = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'""", re.S)


def loads_js(literal: str):
    """A JS object literal as Python: strict JSON first, else with bare keys quoted, single-quoted
    strings re-quoted and trailing commas dropped (outside strings only)."""
    value = loads(literal)
    if value is not None:
        return value
    out, pos = [], 0

    def code(part: str) -> str:
        part = re.sub(r"([{,]\s*)([A-Za-z_$][\w$]*)\s*:", r'\1"\2":', part)
        return re.sub(r",(\s*[}\]])", r"\1", part)

    for m in _JS_STRING.finditer(literal):
        out.append(code(literal[pos:m.start()]))
        token = m.group(0)
        if token.startswith("'"):
            token = json.dumps(token[1:-1].replace("\\'", "'"), ensure_ascii=False)
        out.append(token)
        pos = m.end()
    out.append(code(literal[pos:]))
    try:
        return json.loads("".join(out))
    except ValueError:
        return None


def balanced(text: str, start: int) -> str | None:
    """The `{…}` / `[…]` literal opening at text[start], strings respected."""
    opener = text[start]
    closer = {"{": "}", "[": "]"}.get(opener)
    if closer is None:
        return None
    depth, i, quote = 0, start, ""
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                return text[start:i + 1]
        i += 1
    return None


# Keys of any other CMS, by their names (docPubTime, fbsj, docPubUrl, wzbt …) when none of the
# known ones is there: each value must still read as what it claims (a date parses, a URL resolves).
_TITLE_NAME = re.compile(r"title|bt$|biaoti|subject|^name$|showname", re.I)
_URL_NAME = re.compile(r"url|link|href|path", re.I)
_DATE_NAME = re.compile(r"time|date|rq$|sj$|riqi|shijian", re.I)
_PUB_NAME = re.compile(r"pub|rel|fb|fabu|issue|send|doc", re.I)
_NOT_OWN = re.compile(r"site|column|channel|category|catalog|dept|unit|author|source|img|pic|thumb|"
                      r"icon|cover|video|file|attach|update|modif|edit|expire|end|start|begin|birth", re.I)


def _named(item: dict, known, pattern: re.Pattern):
    """(key, value) of a known key, else of the first key whose name fits `pattern` (publication
    words first) and holds a plain value; (None, None) when none."""
    key, value = _pick(item, known)
    if key is not None:
        return key, value
    named = [k for k in item if isinstance(k, str) and pattern.search(k) and not _NOT_OWN.search(k)
             and item[k] not in (None, "", [], {}) and not isinstance(item[k], (list, bool))]
    named.sort(key=lambda k: not _PUB_NAME.search(k))
    return (named[0], item[named[0]]) if named else (None, None)


# Known keys that name another moment (creation, display, last change): weaker than any key
# that names publication (docPubTime), and a change date is never a publication date.
_WEAK_DATE_KEYS = ("time", "createTime", "created_at", "showTime")
# Last resort: the date a list then shows is usually this one.
_CHANGE_DATE_KEYS = ("updateTime", "modifyTime", "lastModified", "updated_at")


def _date_value(item: dict):
    """The value of the item's publication date: a known publication key, a key named like one
    (docPubTime, fbsj), then a creation or display time."""
    key, value = _pick(item, [k for k in DATE_KEYS if k not in _WEAK_DATE_KEYS])
    if key is not None:
        return value
    key, value = _named(item, (), _DATE_NAME)
    if key is not None and _PUB_NAME.search(key):
        return value
    for fallback in (_pick(item, _WEAK_DATE_KEYS)[1], value, _pick(item, _CHANGE_DATE_KEYS)[1]):
        if fallback is not None:
            return fallback
    return None


def _pick(item: dict, keys) -> tuple[str, object] | tuple[None, None]:
    for key in keys:
        if key in item and item[key] not in (None, "", [], {}):
            return key, item[key]
    return None, None


def _url_of(value, base: str) -> str | None:
    """A URL value: a string, a `{"pc": …}` object or that object serialised in a string (UCAP)."""
    if isinstance(value, str) and value.strip().startswith("{"):
        value = loads(value) or value
    if isinstance(value, dict):
        value = value.get("pc") or value.get("url") or next((v for v in value.values() if isinstance(v, str)), None)
    if not isinstance(value, str):
        return None
    m = re.search(r"""href\s*=\s*["']([^"']+)""", value)
    return dom.resolve(base, m.group(1) if m else value.strip())


def _text(value) -> str:
    """A title value; NEA `Link` items carry an `<a>` tag as the title."""
    if not isinstance(value, str):
        return ""
    if "<" in value:
        value = dom.text_of(dom.parse(f"<html><body>{value}</body></html>").find("body"))
    return dom.norm(value)


def _date_of(value, ctx: ListContext, url: str | None):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) or (isinstance(value, str) and re.fullmatch(r"\d{9,13}", value.strip())):
        return from_timestamp(value)
    if isinstance(value, str):
        return parse_date(value, ctx.ref, url) or find_date(value)
    return None


def _is_item(obj) -> bool:
    return (isinstance(obj, dict) and _named(obj, TITLE_KEYS, _TITLE_NAME)[0] is not None
            and _named(obj, URL_KEYS, _URL_NAME)[0] is not None)


def _arrays(value, depth: int = 0):
    """Every list of objects inside a JSON value (depth-first, shallow ones first)."""
    if depth > 8:
        return
    if isinstance(value, list):
        if any(isinstance(v, dict) for v in value):
            yield value
        for v in value:
            if isinstance(v, (dict, list)):
                yield from _arrays(v, depth + 1)
    elif isinstance(value, dict):
        for v in value.values():
            if isinstance(v, (dict, list)):
                yield from _arrays(v, depth + 1)


def best_array(value) -> list[dict] | None:
    """The list of objects that looks most like a document list (dated items count double)."""
    best, score = None, 0
    for arr in _arrays(value):
        items = [v for v in arr if _is_item(v)]
        if not items:
            continue
        dated = sum(1 for v in items if _date_value(v) is not None)
        s = len(items) + dated
        if s > score:
            best, score = arr, s
    return best


def entries_of(arr: list, ctx: ListContext) -> list[ListEntry]:
    out: list[ListEntry] = []
    seen: set[str] = set()
    for item in arr:
        if not _is_item(item):
            continue
        url = _url_of(_named(item, URL_KEYS, _URL_NAME)[1], ctx.base)
        title = _text(_named(item, TITLE_KEYS, _TITLE_NAME)[1])
        if not url or not title or url in seen:
            continue
        seen.add(url)
        out.append(ListEntry(title=title, url=url, date=_date_of(_date_value(item), ctx, url),
                             related=_related(item, ctx)))
    return out


def _related(item: dict, ctx: ListContext) -> list[dict]:
    """Relations carried by an item: a relation-JSON URL (Jiangxi `relationUrl` with `relation:1`)
    or nested arrays of {title, url} (相关解读 lists)."""
    out = []
    # `relation: 0` says the relation file is empty: only a set flag (or none at all) counts.
    flag = item.get("relation", item.get("hasRelation", 1))
    for key in _RELATION_KEYS:
        if isinstance(item.get(key), str) and flag not in (0, "0", False, None, ""):
            url = dom.resolve(ctx.base, item[key])
            if url:
                out.append({"title": key, "url": url})
    for value in item.values():
        if isinstance(value, list):
            for sub in value:
                if _is_item(sub):
                    url = _url_of(_pick(sub, URL_KEYS)[1], ctx.base)
                    title = _text(_pick(sub, TITLE_KEYS)[1])
                    if url and title:
                        out.append({"title": title, "url": url})
    return out


def _number(value, keys) -> int | None:
    """The first numeric value under `keys` anywhere in the object (shallow levels first)."""
    queue = [value]
    for _ in range(4):
        nxt = []
        for obj in queue:
            if isinstance(obj, dict):
                for key in keys:
                    v = obj.get(key)
                    if isinstance(v, (int, float)) and not isinstance(v, bool) or (isinstance(v, str) and v.isdigit()):
                        return int(v)
                nxt.extend(v for v in obj.values() if isinstance(v, dict))
        queue = nxt
    return None


# ------------------------------------------------------------------------------ paging


def _request_params(ctx: ListContext) -> tuple[str, str, dict, dict]:
    req = ctx.request or {}
    return (req.get("url") or ctx.url, (req.get("method") or "GET").upper(), dict(req.get("data") or {}),
            dict(req.get("headers") or {}))


def page_requests(ctx: ListContext, count: int | None, total: int | None, per_page: int,
                  full: bool = False) -> list:
    """Pages after the current one, by the request's page parameter, when the size is stated; when
    it is not, the next page only, after a full page (the spider ends the chain on a page that
    brings nothing new)."""
    url, method, data, headers = _request_params(ctx)
    query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    where, key, current = None, None, None
    for name in PAGE_PARAMS:
        for k, v in query:
            if k == name and v.isdigit():
                where, key, current = "query", k, int(v)
                break
        if where is None and str(data.get(name, "")).isdigit():
            where, key, current = "data", name, int(data[name])
        if where:
            break
    if where is None:
        return []
    if count is None and total is not None and per_page:
        count = math.ceil(total / per_page)
    if count is None and total is None and full:
        count = current + 1
    if not count or current >= count:
        return []
    out = []
    for n in range(current + 1, min(count, current + _MAX_PAGES) + 1):
        if where == "query":
            parts = urlsplit(url)
            q = urlencode([(k, str(n) if k == key else v) for k, v in query])
            nurl = urlunsplit((parts.scheme, parts.netloc, parts.path, q, ""))
            out.append(nurl if method == "GET" and not data and not headers
                       else {"url": nurl, "method": method, "data": data, "headers": headers})
        else:
            out.append({"url": url, "method": method, "data": {**data, key: str(n)}, "headers": headers})
    return out


# ------------------------------------------------------------------------------ readers


class JsonApiReader:
    """A list endpoint's JSON answer."""
    name = "json"

    def read(self, ctx: ListContext) -> ListPage | None:
        if ctx.kind != "json":
            return None
        value = loads(ctx.html)
        if value is None:
            return None
        page = self._html_inside(value, ctx)
        if page is None:
            arr = best_array(value)
            entries = entries_of(arr, ctx) if arr else []
            page = ListPage(entries=entries, reader=self.name)
            # The stated page size, not this answer's length: the last page is short.
            stated = _number(value, _SIZE_KEYS)
            per_page = stated or len(arr or [])
            full = len(arr or []) >= (stated or 10)
            page.records = len(arr) if arr else (0 if empty_list_answer(value) else None)
        else:
            page.records = len(page.entries)
            per_page = getattr(page, "per_page", None) or _number(
                value, ("rows", "pageSize", "perPage", "size", "limit")) or len(page.entries)
            full = False
        total = page.total if page.total is not None else _number(value, TOTAL_KEYS)
        count = _number(value, PAGES_KEYS)
        page.total = total
        if page.entries:
            page.next_pages.extend(page_requests(ctx, count, total, per_page, full))
        return page

    @staticmethod
    def _html_inside(value, ctx: ListContext) -> ListPage | None:
        """`{data: {html: "<ul>…"}}`: the HTML reader reads the string (MIIT jpaas)."""
        from crawler.readers.html_list import HtmlListReader

        for text in _html_strings(value):
            sub = ListContext(text, ctx.url, ctx.ref, ctx.request)
            page = HtmlListReader().read(sub)
            if page and page.entries:
                page.reader = "json-html"
                # A pager element stating count="2846" rows="24" (jpaas) sizes the paging.
                pager = sub.clean.xpath("//*[@count]")
                if pager and str(pager[0].get("count")).isdigit():
                    page.total = int(pager[0].get("count"))
                    if str(pager[0].get("rows") or "").isdigit():
                        page.per_page = int(pager[0].get("rows"))
                return page
        return None


# Keys under which list answers hold their records: an empty array (or null) there is a list
# answer with no records; an empty array under any other name (menus, tags) says nothing.
_LIST_KEY = re.compile(r"^(?:data|datas|items?|list|lists|records?|rows|results?|articles?|docs?|documents|"
                       r"entries|infos?|news|posts|contents?|datasource|hits)$|list$|_list$|List$", re.I)
_OK_CODES = {"0", "00", "000000", "200", "ok", "success"}


def _error_answer(value: dict) -> bool:
    """An API's error envelope (`success: false`, `code: 500`, `error: …`): nothing about the list."""
    if value.get("success") is False or value.get("ok") is False or value.get("error") or value.get("err"):
        return True
    for key in ("code", "status", "errcode", "errCode", "resultCode", "retCode", "state"):
        v = value.get(key)
        if v is not None and not isinstance(v, bool) and str(v).strip().lower() not in _OK_CODES:
            return True
    return False


def _named_empty(value, null: bool, depth: int = 0) -> bool:
    if depth > 4 or not isinstance(value, dict):
        return False
    for key, v in value.items():
        if _LIST_KEY.search(str(key)) and (v == [] or (null and v is None)):
            return True
        if isinstance(v, dict) and _named_empty(v, null, depth + 1):
            return True
    return False


def empty_list_answer(value) -> bool:
    """A list endpoint's answer that says, by itself, that the list holds no record: an empty array
    under a list key (`{"data": {"list": []}}`), or a zero total with a list key or paging keys
    (`{"total": 0, "pageSize": 20, "rows": null}`). An error envelope, a bare counter
    (`{"count": 0}`) or an unrecognised JSON is not such an answer."""
    if not isinstance(value, dict) or _error_answer(value) or any(True for _ in _arrays(value)):
        return False
    total = _number(value, TOTAL_KEYS)
    if total is not None:           # `rows: null` beside a zero total; alone, null may be an error
        paging = _number(value, PAGES_KEYS + ("pageSize", "perPage", "size", "limit") + PAGE_PARAMS) is not None
        return total == 0 and (_named_empty(value, null=True) or paging)
    return _named_empty(value, null=False)


def _html_strings(value, depth: int = 0):
    if depth > 6:
        return
    if isinstance(value, str):
        if "<a " in value and ("<li" in value or "<tr" in value or "<div" in value):
            yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _html_strings(v, depth + 1)
    elif isinstance(value, list):
        for v in value:
            yield from _html_strings(v, depth + 1)


_ASSIGN = re.compile(r"(?:\b(?:var|let|const)\s+([\w$]+)|\b(window\.[\w$.]+)|\b([\w$]+))\s*=\s*(?=[{\[])")


class EmbeddedJsonReader:
    """List data assigned in a live script: `var listData = {articleList: […]}`."""
    name = "embedded-json"

    def read(self, ctx: ListContext) -> ListPage | None:
        if ctx.kind != "html":
            return None
        best: list[ListEntry] = []
        for script in ctx.live_scripts:
            if "=" not in script or not re.search(r"""["']?(title|TITLE|name)["']?\s*:""", script):
                continue
            for m in _ASSIGN.finditer(script):
                literal = balanced(script, m.end())
                if not literal or len(literal) < 20:
                    continue
                value = loads_js(literal)
                arr = best_array(value) if value is not None else None
                if not arr:
                    continue
                entries = entries_of(arr, ctx)
                if sum(e.date is not None for e in entries) > sum(e.date is not None for e in best) or (
                        not any(e.date for e in best) and len(entries) > len(best)):
                    best = entries
        # Menus and column trees are also arrays of {name, url}: a list needs dates or length.
        if not best or (not any(e.date for e in best) and len(best) < 3):
            return None
        return ListPage(entries=best, reader=self.name)


# ------------------------------------------------------------------------------ discovery

_CALLS = re.compile(
    r"""(?:fetch|\$\.(?:getJSON|get|post|ajax)|axios(?:\.(?:get|post))?|\.open\s*\(\s*["'](?:GET|POST)["']\s*,)"""
    r"""\s*\(?\s*(["'`])([^"'`]+)\1""", re.I)
# `url: "…"` in an ajax call, or a configuration key that names the list's data source.
_URL_KEYS = (r"url|api|apiUrl|api_url|dataUrl|data_url|listUrl|list_url|ajaxUrl|requestUrl|dataSource|jsonUrl|"
             r"queryUrl|listApi|dataApi|endpoint")
_URL_KEY = re.compile(rf"(?:{_URL_KEYS})", re.I)
_URL_PROP = re.compile(rf"""["']?\b({_URL_KEYS})["']?\s*[:=]\s*(["'`])([^"'`]+)\2""", re.I)
_API_HINT = re.compile(r"\.json\b|/api/|[?&](?:%s)=" % "|".join(PAGE_PARAMS), re.I)
_NOT_API = re.compile(r"\.(?:js|css|png|jpe?g|gif|svg|ico|woff2?|html?|shtml)(?:\?|$)|dataproxy\.jsp|^javascript:|^#", re.I)
# Attributes that name a list container's data source.
_DATA_ATTRS = ("data-url", "data-api", "data-src", "data-source", "data-list-url", "data-ajax-url", "data-json")
_CONTAINERS = {"ul", "ol", "div", "table", "tbody", "section", "dl", "main", "article", "list", "nav"}
# Configuration values worth sending with a configured endpoint: ids of the column, paging.
_PARAM_KEY = re.compile(r"col|column|channel|cat|type|^id$|id$|site|web|unit|node|classify|dept|org|"
                        r"page|size|rows|limit|per", re.I)


def discover(ctx: ListContext) -> list[dict]:
    """List endpoints the page's scripts and markup name, as requests {"url", "method", "data",
    "headers", "discovered": True} (page parameter set to 1 where the script appends it).

    - calls in live scripts: `fetch('/api/list?col=3&page=' + p)`, `$.getJSON(…)`, `xhr.open('GET', …)`;
    - configuration objects: `window.APP = {api: '/api/list', col: 12}`, `var cfg = {dataUrl: …}`;
    - data attributes on list containers: `<ul data-url="/api/list?col=12">`.

    A discovered request is a reading of the page's code, not the request the code makes: its
    answer may list entries, but a zero answer is no evidence that the column is empty.
    """
    out: list[dict] = []
    seen: set[str] = set()
    raws: set[str] = set()          # a configured URL is read once, with its object's parameters

    def add(raw: str, params: dict | None = None, hinted: bool = True, rest: str = "") -> None:
        if raw in raws or not _complete(raw, rest):
            return
        raws.add(raw)
        raw = re.sub(r"\$\{[^}]*\}", "", raw.strip())          # template literal holes
        if (not raw or _NOT_API.search(raw) or re.search(r"\s", raw) or not re.search(r"[/?.]", raw)
                or not (hinted or _API_HINT.search(raw))):
            return
        url = dom.resolve(ctx.base, _fill_page(raw))
        if not url or dom.host_key(url) != dom.host_key(ctx.url):
            return
        if params:
            known = {k for k, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)}
            extra = [(k, str(v)) for k, v in params.items() if k not in known]
            if extra:
                url += ("&" if "?" in url else "?") + urlencode(extra)
        if url not in seen:
            seen.add(url)
            out.append({"url": url, "method": "GET", "data": {}, "headers": {}, "discovered": True})

    for script in ctx.live_scripts:
        for m in _CALLS.finditer(script):
            add(m.group(2), hinted=False, rest=script[m.end():m.end() + 200])
        for config in _configs(script):
            for key, value, params in config:
                add(value, params, hinted=key.lower() != "url")
        for m in _URL_PROP.finditer(script):
            add(m.group(3), hinted=m.group(1).lower() != "url", rest=script[m.end():m.end() + 200])
    for el in ctx.root.iter(*_CONTAINERS):
        for attr in _DATA_ATTRS:
            value = el.get(attr)
            if value and el.tag != "img":
                params = {_camel(k[5:]): v for k, v in el.attrib.items()
                          if k.startswith("data-") and k not in _DATA_ATTRS and _PARAM_KEY.search(k[5:])
                          and v and len(v) <= 40 and not re.search(r"[\s/]", v)}
                add(value, params)
    return out


_PAGE_HOLE = re.compile(r"[?&](?:%s)=$" % "|".join(PAGE_PARAMS), re.I)
_CONCAT_REST = re.compile(r"\s*\+\s*\(?\s*[\w$.]+(?:\s*[-+]\s*\d+)?\s*\)?\s*(\+)?")


def _complete(raw: str, rest: str) -> bool:
    """Whether the literal is the whole URL but for the page number: `'/api/list?col=' + col`
    (or `${col}`) leaves the column out, and that request would answer for another list."""
    for hole in re.finditer(r"\$\{[^}]*\}", raw):
        if not _PAGE_HOLE.search(raw[:hole.start()]):
            return False
    m = _CONCAT_REST.match(rest)
    if m is None:
        return True
    return bool(_PAGE_HOLE.search(raw)) and not m.group(1)


def _camel(name: str) -> str:
    """`data-page-size` names the parameter pageSize (the dataset name scripts read)."""
    head, *rest = name.split("-")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def _configs(script: str):
    """Configuration objects assigned in a script: for each, [(key, url, params)] where `key`
    names a data source and `params` are the object's scalar column/paging values."""
    for m in _ASSIGN.finditer(script):
        if script[m.end()] != "{":
            continue
        literal = balanced(script, m.end())
        if not literal or len(literal) > 20000:
            continue
        value = loads_js(literal)
        if isinstance(value, dict):
            found = list(_config_urls(value))
            if found:
                yield found


def _config_urls(obj: dict, depth: int = 0):
    if depth > 3:
        return
    params = {k: v for k, v in obj.items()
              if isinstance(v, (str, int)) and not isinstance(v, bool) and _PARAM_KEY.search(k)
              and not _URL_KEY.fullmatch(k) and len(str(v)) <= 40 and not re.search(r"[\s/]", str(v))}
    for key, v in obj.items():
        if isinstance(v, str) and _URL_KEY.fullmatch(key):
            yield key, v, params
        elif isinstance(v, dict):
            yield from _config_urls(v, depth + 1)


def _fill_page(raw: str) -> str:
    """`…&page=` (the number is concatenated at run time) becomes `…&page=1`."""
    names = "|".join(PAGE_PARAMS)
    return re.sub(rf"([?&](?:{names})=)(?=&|$)", r"\g<1>1", raw)


__all__ = ["JsonApiReader", "EmbeddedJsonReader", "discover", "loads", "loads_js", "best_array"]
