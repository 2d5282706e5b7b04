"""List readers: one per list style, tried in order; adding a CMS means adding a reader.

`read_list` runs the readers in order and takes the first that finds entries; pagination, the
stated total, the 暂无信息 marker and the script hint are read the same way for every style.
"""
from __future__ import annotations

import re
from datetime import date

from crawler.extract import dom
from crawler.readers.base import ListContext, ListEntry, ListPage, ListReader
from crawler.readers.hanweb import HanwebReader
from crawler.readers.html_list import HtmlListReader
from crawler.readers.json_list import EmbeddedJsonReader, JsonApiReader, discover
from crawler.readers.pagination import next_pages, stated_total

__all__ = ["read_list", "READERS", "ListEntry", "ListPage", "ListReader", "ListContext"]

# Endpoint and embedded-data readers first: their pages also hold ordinary links (menus, trees)
# that the generic HTML reader would take for a list.
READERS: list[ListReader] = [HanwebReader(), JsonApiReader(), EmbeddedJsonReader(), HtmlListReader()]

_EMPTY = re.compile(r"暂无(相关)?(的)?(公开)?(信息|数据|内容|记录|文章|文件|公告|资料)|没有(找到)?(相关|符合条件)?的?(信息|数据|内容|记录|文章)"
                    r"|无相关(信息|数据|内容|记录)|(信息|数据|内容|记录)为空|暂无$")
# Inline code that builds or fetches content, anti-bot bootstraps (瑞数 $_ts), client templates.
_SCRIPT_MARKERS = re.compile(
    r"\$\.(ajax|get|post|getJSON)|\bajax\s*\(|fetch\s*\(|XMLHttpRequest|axios|new\s+Vue|createApp|"
    r"loadPageData|listData|\$_ts|innerHTML|\.html\(|template\(|Handlebars|jsonp|dataproxy", re.I)
_SCRIPT_SRC = re.compile(r"list|page|data|vue|react|angular|app\.|chunk|handlebars|template|\.js\?", re.I)
_TRIVIAL_SRC = re.compile(r"jquery|jiucuo|conac|stat|count|baidu|cnzz|share|aria|wza|analytics|"
                          r"login|gov\.cn/exposure|layer|swiper|bootstrap|font", re.I)


def read_list(html: str, url: str, ref: date | None = None, request: dict | None = None) -> ListPage:
    """Read one list response (decoded HTML, XML or JSON) at `url`.

    `ref` resolves MM-DD dates without a year; `request` is the list-endpoint request that
    produced the response ({"url", "method", "data", "headers"}), or None for a plain GET.
    """
    ctx = ListContext(html, url, ref, request)
    page: ListPage | None = None
    for reader in READERS:
        try:
            page = reader.read(ctx)
        except Exception:  # one reader's bug must not hide the list from the others
            page = None
        if page is not None and page.entries:
            break
    if page is None or not page.entries:
        page = ListPage(reader="")
    if ctx.kind != "html":          # an endpoint's answer: its reader decided the next requests
        return page
    pages, trs_total = next_pages(ctx)
    endpoints = discover(ctx) if not page.entries else []
    # A script-built list: the JSON endpoint its script calls is the list.
    pages += [u for u in endpoints if u not in pages]
    page.next_pages = page.next_pages + [p for p in pages if p not in page.next_pages]
    page.total = page.total if page.total is not None else (trs_total if trs_total is not None else stated_total(ctx))
    page.empty_marker = has_empty_marker(ctx)
    # A list readable through the endpoint its script calls needs no browser.
    page.has_scripts = has_scripts(ctx) and not endpoints
    return page


def has_empty_marker(ctx: ListContext) -> bool:
    """The page visibly says it has nothing: 暂无信息 / 暂无数据 / 没有相关信息 …"""
    for el in ctx.clean.iter():
        if not isinstance(el.tag, str):
            continue
        for text, holder in ((el.text, el), (el.tail, el.getparent())):
            if text and len(text.strip()) <= 30 and _EMPTY.search(dom.squash(text)):
                if holder is not None and not dom.is_hidden(holder):
                    return True
    return False


def has_scripts(ctx: ListContext) -> bool:
    """Whether the page carries scripts that may build its list (a browser may be needed)."""
    for script in ctx.root.iter("script"):
        kind = (script.get("type") or "").lower()
        if kind and ("template" in kind or "handlebars" in kind or "text/html" in kind):
            return True
        src = script.get("src")
        if src:
            if _SCRIPT_SRC.search(src) and not _TRIVIAL_SRC.search(src):
                return True
            continue
        code = script.text or ""
        if _SCRIPT_MARKERS.search(code):
            return True
    # Client-side templating in the markup itself.
    return bool(re.search(r"\{\{[^}]+\}\}|\bv-for=|\bng-repeat=|\bx-for=", ctx.html))
