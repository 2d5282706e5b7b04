"""List readers: one per list style, tried in order; adding a CMS means adding a reader.

`read_list` runs the readers in order and takes the first that finds entries; pagination, the
stated total, the 暂无信息 marker, the scripts and the evidence of emptiness are read the same way
for every style. These are pure functions of (response, context), shared by the spider, its
browser middleware and `zwgk inspect`.
"""
from __future__ import annotations

import re
from datetime import date

from crawler.extract import dom
from crawler.readers.base import ListContext, ListEntry, ListPage, ListReader
from crawler.readers.hanweb import HanwebReader
from crawler.readers.html_list import HtmlListReader, document_links, unlinked_rows
from crawler.readers.json_list import EmbeddedJsonReader, JsonApiReader, discover
from crawler.readers.pagination import next_pages, stated_total, unread_pager

__all__ = ["read_list", "read_rendered", "evidence_of", "needs_browser", "READERS", "ListEntry", "ListPage", "ListReader", "ListContext"]

# Endpoint and embedded-data readers first: their pages also hold ordinary links (menus, trees)
# that the generic HTML reader would take for a list.
READERS: list[ListReader] = [HanwebReader(), JsonApiReader(), EmbeddedJsonReader(), HtmlListReader()]

_EMPTY = re.compile(r"暂无(相关)?(的)?(公开)?(信息|数据|内容|记录|文章|文件|公告|资料)|没有(找到)?(相关|符合条件)?的?(信息|数据|内容|记录|文章)"
                    r"|无相关(信息|数据|内容|记录)|(信息|数据|内容|记录)为空|暂无$")
# Script types that hold data or markup, not code: they fill nothing by themselves.
_DATA_TYPES = re.compile(r"json|xml|template|handlebars|text/html|x-tmpl|mustache|text/plain|importmap|"
                         r"speculationrules", re.I)
# Client-side templating in the markup itself (filled by some script).
_TEMPLATING = re.compile(r"\{\{[^}]+\}\}|\bv-for=|\bng-repeat=|\bx-for=|\bv-html=|\bng-bind")


def read_list(html: str, url: str, ref: date | None = None, request: dict | None = None,
              rendered: bool = False) -> ListPage:
    """Read one list response (decoded HTML, XML or JSON) at `url`.

    `ref` resolves MM-DD dates without a year; `request` is the list-endpoint request that
    produced the response ({"url", "method", "data", "headers"}), or None for a plain GET;
    `rendered`: the HTML is a browser's rendering after the page's own requests settled.
    The result carries the entries, the next requests and the evidence of emptiness.
    """
    ctx = ListContext(html, url, ref, request)
    if (request or {}).get("discovered") and ctx.kind == "html":
        # A URL read from the page's code that answers a web page is not the list's endpoint:
        # its links (often the site's homepage) are no entries of this column.
        return ListPage(reader="")
    page: ListPage | None = None
    empty_answer = ""               # the reader that recognised a list answer with zero records
    for reader in READERS:
        try:
            page = reader.read(ctx)
        except Exception:  # one reader's bug must not hide the list from the others
            page = None
        if page is not None and page.entries:
            break
        if page is not None and page.records == 0 and page.total in (None, 0) and not empty_answer:
            empty_answer = page.reader or reader.name
    if page is None or not page.entries:
        page = ListPage(reader=empty_answer, records=0 if empty_answer else None)
    if ctx.kind != "html":          # an endpoint's answer: its reader decided the next requests
        page.evidence = evidence_of(page, ctx, rendered)
        return page
    pages, trs_total = next_pages(ctx)
    if not page.entries:
        pages += [u for u in list_frames(ctx) if u not in pages]
    endpoints = discover(ctx) if not page.entries else []
    page.endpoints = endpoints
    # A script-built list: the endpoints its scripts or configuration name may be the list.
    known = {p if isinstance(p, str) else p.get("url") for p in pages}
    pages += [e for e in endpoints if e["url"] not in known]
    page.next_pages = page.next_pages + [p for p in pages if p not in page.next_pages]
    page.total = page.total if page.total is not None else (trs_total if trs_total is not None else stated_total(ctx))
    page.pager_unread = bool(page.entries) and not page.next_pages and unread_pager(ctx)
    page.empty_marker = has_empty_marker(ctx)
    page.has_scripts = has_scripts(ctx)
    page.evidence = evidence_of(page, ctx, rendered)
    return page


def evidence_of(page: ListPage, ctx: ListContext, rendered: bool = False) -> str:
    """Positive evidence that this list is empty, or "" (then the column is 未能确认, never empty).

    - "rendered": a browser rendering, after the page's own requests settled, shows no entries;
    - "endpoint": the list endpoint's answer (XML/JSON/JSONP, or a Hanweb datastore embedded in
      the page) was recognised as a list answer with zero records — never an answer to a request
      zwgk derived from reading the page's code, nor an unrecognised JSON;
    - "marker": the page visibly says 暂无信息 … and carries no script that could fill it.
    """
    if page.entries:
        return ""
    if ctx.kind == "html" and unlinked_rows(ctx) >= 2:
        return ""                   # rows the page shows but whose links we cannot follow
    if rendered and ctx.kind == "html":
        # …and shows no document or file link in its content that we could not read as rows
        return "rendered" if not document_links(ctx) else ""
    request = ctx.request or {}
    if page.records == 0 and not request.get("discovered") and (ctx.kind != "html" or page.reader == "hanweb"):
        return "endpoint"
    if ctx.kind == "html" and page.empty_marker and not page.has_scripts:
        return "marker"
    return ""


def read_rendered(html: str, url: str, ref: date | None = None, answers: list[dict] = (),
                  settled: bool = True, failed: bool = False, request: dict | None = None) -> ListPage:
    """Read a page the browser rendered, with the JSON / XML / JSONP answers its own scripts
    fetched (`answers`: [{"url", "method", "data", "headers", "body"}]).

    Entries come from the rendered DOM where it shows them, else from the answer that lists them.
    When an answer lists entries, the column's later pages are that endpoint's next requests
    (read without the browser). Evidence: "rendered" only when the page's requests settled and
    none of its data requests failed; "endpoint" when an answer was a list answer with zero
    records and no data request failed."""
    page = read_list(html, url, ref, request, rendered=settled and not failed)
    dom_urls = {e.url for e in page.entries}
    best, best_score, best_req, empty = None, (0, 0, 0), None, False
    for answer in answers:
        req = {"url": answer["url"], "method": (answer.get("method") or "GET").upper(),
               "data": dict(answer.get("data") or {}), "headers": dict(answer.get("headers") or {})}
        if ListContext(answer.get("body") or "", answer["url"]).kind == "html":
            continue                # an HTML fragment the DOM already shows
        if not _same_site(answer["url"], url):
            continue                # a third party's widget (statistics, shared services)
        sub = read_list(answer.get("body") or "", answer["url"], ref, request=req)
        if sub.entries:
            # The list's answer shares entries with the DOM, or carries dates (menus do not).
            score = (len({e.url for e in sub.entries} & dom_urls), sum(e.date is not None for e in sub.entries),
                     len(sub.entries))
            if score > best_score and (score[0] or score[1]):
                best, best_score, best_req = sub, score, req
        elif sub.evidence == "endpoint":
            empty = True
    if best is not None:
        page.endpoint = best_req
        if not page.entries:
            page.entries, page.reader = best.entries, best.reader
        if best.next_pages:         # the endpoint pages by itself: later pages without the browser
            page.next_pages = [p if isinstance(p, dict) else {"url": p, "method": "GET", "data": {}, "headers": {}}
                               for p in best.next_pages]
            page.pager_unread = False
        # else the page's own pager (one endpoint file per page): its pages are rendered in turn
        page.total = best.total if best.total is not None else page.total
        page.evidence = ""
    elif not page.entries and empty and not failed:
        page.evidence = "endpoint"
    return page


def _same_site(a: str, b: str) -> bool:
    """Same host, or hosts under the same site domain (www.x.gov.cn and api.x.gov.cn)."""
    ha, hb = dom.host_key(a), dom.host_key(b)
    if ha == hb:
        return True
    if re.fullmatch(r"[\d.]+|\[.*\]", ha) or re.fullmatch(r"[\d.]+|\[.*\]", hb):
        return False
    labels = 3 if re.search(r"\.(gov|edu|org|com|net|ac)\.cn$", hb) else 2
    site = ".".join(hb.split(".")[-labels:])
    return ha == site or ha.endswith("." + site)


def needs_browser(page: ListPage) -> bool:
    """`--render auto`: a list page goes to the browser when it yields no entries and carries any
    script (inline or external, whatever its name) and no endpoint to read the list through."""
    return page.needs_browser


# Frames that hold a widget, never a column's list.
_WIDGET = re.compile(r"weather|tianqi|share|fenxiang|tongji|stat|count|map|video|player|live|banner|adv?\b|"
                     r"search|sousuo|login|denglu|calendar|clock|time\.|baidu|qq\.com|weibo|wx|wechat", re.I)


def list_frames(ctx: ListContext) -> list[str]:
    """Pages a column page shows in an <iframe>/<frame> on the site's own host: older portals put
    the column's list in a frame (`<iframe src="/module/list.jsp?cid=12">`), which a browser's
    rendering of the outer page does not hold. They are read as the column's further pages (a
    page without entries; widgets such as weather, share or statistics frames excepted)."""
    out = []
    for frame in ctx.root.iter("iframe", "frame"):
        url = dom.resolve(ctx.base, frame.get("src"))
        if not url or not _same_site(url, ctx.url) or dom.same_page(url, ctx.url):
            continue
        if dom.is_hidden(frame) or _WIDGET.search(url.split("//", 1)[-1].split("/", 1)[-1]):
            continue
        size = [frame.get(k) or "" for k in ("width", "height")]
        if any(re.fullmatch(r"[0-4]?\d(px)?", v.strip()) for v in size):
            continue            # a frame a few pixels large shows no list
        if url not in out:
            out.append(url)
    return out


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
    """Whether the page carries anything that could fill its list after load: a live <script>
    with code (inline, or external whatever its file name), or client-side templating. Scripts
    inside HTML comments are dead; data blocks (`type="text/xml"`, JSON, templates) run nothing."""
    for script in ctx.root.iter("script"):
        kind = (script.get("type") or "").strip()
        if kind and _DATA_TYPES.search(kind):
            continue
        if script.get("src") or (script.text or "").strip():
            return True
    return bool(_TEMPLATING.search(ctx.html))
