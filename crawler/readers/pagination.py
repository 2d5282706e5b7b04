"""Further list pages: ordinary pager links, `?page=N` paging and TRS `createPageHTML(...)` calls.

Only live markup counts: a `createPageHTML` call inside an HTML comment (Gansu) is dead, and the
function *definition* that TRS pages embed is not a call.
"""
from __future__ import annotations

import posixpath
import re
from urllib.parse import parse_qsl, urlsplit

from crawler.extract import dom
from crawler.readers.base import ListContext

_NEXT_TEXTS = {"下一页", "下页", "尾页", "末页", "后页", "最后一页", "下一頁", "尾頁", ">", ">>", "›", "»",
               "next", "last", "nextpage"}
_PAGER_CLASS = re.compile(r"page|pag|fenye|fanye|pg|turn", re.I)
_PAGE_PARAMS = {"page", "pageno", "pagenum", "pageindex", "curpage", "currentpage", "pn", "p",
                "pagecurrent", "page_no", "page_num", "startpage"}
_CALL = re.compile(r"(?<![\w.])createPageHTML\s*\(([^()]*)\)")
_FUNC_DEF = re.compile(r"function\s+$")
_ARG = re.compile(r"""\s*('[^']*'|"[^"]*"|[^,]*)\s*(?:,|$)""")
_TOTAL = re.compile(r"(?:共|总共|共有|总计|合计|记录总数[:：]?|总条数[:：]?|总记录数?[:：]?)\s*(\d{1,7})\s*(?:条|篇|项|个记录|条记录)")
_MAX_PAGES = 5000


def next_pages(ctx: ListContext) -> tuple[list[str], int | None]:
    """(further list page URLs in a stable order, total records stated by a pager call)."""
    pages: list[str] = []
    total: int | None = None
    for script in ctx.live_scripts:
        for call in _CALL.finditer(script):
            if _FUNC_DEF.search(script[max(0, call.start() - 20):call.start()]):
                continue
            urls, records = trs_pages([_value_of(a, script[:call.start()]) for a in _args(call.group(1))], ctx.base)
            pages.extend(urls)
            total = total if total is not None else records
    pages.extend(_link_pages(ctx))
    pages.extend(script_pages(ctx))
    out: list[str] = []
    for url in pages:
        if not dom.same_page(url, ctx.url) and url not in out and _same_column(url, ctx.url):
            out.append(url)
    return out, total


# A page count a pager script states: `totalPage: 54`, `var pageCount = 54`, `"pages":"54"`.
_SCRIPT_COUNT = re.compile(
    r"""(?<![\w$])["']?(?:total_?pages?|pages?_?count|page_?total|count_?page|page_?sum|max_?page|last_?page|"""
    r"""all_?pages?|page_?num_?total|pages)["']?\s*[:=]\s*["']?(\d{1,5})(?!\d)""", re.I)
# A page URL built by concatenation: 'index_' + i + '.html', "list_" + (n - 1) + ".shtml",
# '?page=' + p, 'list.jsp?pageNo=' + n + '&col=3'; or a template literal `index_${i}.html`
# (matched from the start of a URL-ish run only: no quadratic rescans of long runs).
_CONCAT = re.compile(
    r"""(["'])([^"'\s<>()+]*?)\1\s*\+\s*\(?\s*([\w$.]+)(?:\s*[-+]\s*\d+)?\s*\)?"""
    r"""(?:\s*\+\s*(["'])([^"'\s<>()+]*?)\4)?""")
_TEMPLATE_LITERAL = re.compile(r"(?<![\w./?&=:-])([\w./?&=:-]*[_=-])\$\{\s*([\w$.]+)[^}]*\}((?:\.(?:s?html?|jsp|aspx?|php))?(?:&[\w=&]*)?)")
# The number spliced in is a page number (`i`, `n`, `page`, `pageNo`, `cur`), not a language or id.
_PAGE_VAR = re.compile(r"^(?:[ijknp]|pg|pn|no|num|idx|index|cur\w*|\w*page\w*|\w*Page\w*)$", re.I)
_PAGE_SUFFIX = re.compile(r"^\.(?:s?html?|jsp|aspx?|php)(?:[?#].*)?$|^&[^#]*$|^$", re.I)


def _value_of(arg: str, before: str) -> str:
    """A createPageHTML argument named by a variable (`var countPage = 7//共多少页` then
    `createPageHTML(countPage, currentPage, "index", "html")`): the number last assigned to it
    before the call; other arguments unchanged."""
    if not re.fullmatch(r"[A-Za-z_$][\w$]*", arg or ""):
        return arg
    found = re.findall(rf"(?<![\w$.]){re.escape(arg)}\s*=\s*['\"]?(\d{{1,6}})(?!\d)", before)
    return found[-1] if found else arg


# Adjacent string literals joined by +: "index"+"_" is "index_" (the classic TRS pager writes so).
_JOINED = re.compile(r"""(["'])\s*\+\s*\1""")


def script_pages(ctx: ListContext) -> list[str]:
    """Pages of a pager written only in script: a page count (`totalPage: 54`) and a URL template
    (`location.href = 'index_' + i + '.html'`). Both come from live scripts; the count from the
    template's own script, else the one count the page's scripts state. Pages 1 … count are
    named, so that both conventions (page 2 is `_1` or `_2`) are covered; a missing page is a
    404 the spider tolerates on later list pages."""
    counts, templates = [], []
    for script in ctx.live_scripts:
        found = _templates(_JOINED.sub("", script))
        numbers = [int(m.group(1)) for m in _SCRIPT_COUNT.finditer(script)]
        counts.extend(numbers)
        templates.extend((prefix, suffix, max(numbers) if numbers else None) for prefix, suffix in found)
    distinct = set(counts)
    out: list[str] = []
    for prefix, suffix, count in templates:
        count = count if count is not None else (distinct.pop() if len(distinct) == 1 else None)
        if not count or count <= 1:
            continue
        for n in range(1, min(count, _MAX_PAGES) + 1):
            url = dom.resolve(ctx.base, f"{prefix}{n}{suffix}")
            if url and url not in out:
                out.append(url)
    return out


def _templates(script: str) -> list[tuple[str, str]]:
    """(prefix, suffix) of page URLs a script builds; only shapes that name a page file or a page
    parameter (`index_`, `list-`, `?page=`) count, not any string concatenation."""
    out = []
    pairs = [(m.group(2), m.group(5) or "") for m in _CONCAT.finditer(script)
             if _PAGE_VAR.match(m.group(3).split(".")[-1])]
    if "`" in script:
        pairs += [(m.group(1), m.group(3)) for m in _TEMPLATE_LITERAL.finditer(script)
                  if _PAGE_VAR.match(m.group(2).split(".")[-1])]
    for prefix, suffix in pairs:
        prefix, suffix = prefix.replace("\\", ""), suffix.replace("\\", "")   # "<a href=\"index_" + i + ".html\">"
        if prefix.lower().startswith(("javascript:", "http:", "https:", "mailto:")) and "//" not in prefix:
            continue
        name_like = re.search(r"(?:^|/)[\w.-]*[_-]$", prefix) and re.match(r"^\.(?:s?html?|jsp|aspx?|php)$", suffix, re.I)
        param_like = re.search(r"[?&](?:page|pageno|pagenum|pageindex|curpage|currentpage|pn|p|page_no|pageIndex)=$",
                               prefix, re.I) and _PAGE_SUFFIX.match(suffix)
        if (name_like or param_like) and (prefix, suffix) not in out:
            out.append((prefix, suffix))
    return out


# 共5页, 共 5 页, 第1/5页, 1/5页, 页次：1/5, 当前第1页 共5页
_PAGE_COUNT = re.compile(r"共\s*(\d{1,5})\s*页|第?\s*\d{1,5}\s*/\s*(\d{1,5})\s*页|页次[:：]?\s*\d{1,5}\s*/\s*(\d{1,5})")
_NEXT_WORDS = {"下一页", "下页", "后页", "尾页", "末页", "最后一页", "下一頁", "尾頁"}


def unread_pager(ctx: ListContext) -> bool:
    """The page shows its list goes on but no further page can be named: a visible page count
    above 1 (共5页, 第1/5页), or a 下一页/尾页 link that only a script or a form follows
    (`href="javascript:goPage(2)"`, `onclick="turnPage(2)"`, a submit button), with no count
    saying there is one page. For the spider: the column is read in part (never a guess about
    the rest)."""
    body = ctx.clean.find(".//body")
    text = dom.text_of(body if body is not None else ctx.clean)
    counts = [int(next(g for g in m.groups() if g)) for m in _PAGE_COUNT.finditer(text)]
    if counts:
        here = [int(n) for n in re.findall(r"第\s*(\d{1,5})\s*(?:/\s*\d{1,5}\s*)?页", text)]
        return max(counts) > 1 and not (here and max(here) >= max(counts))   # not the last page
    for el in ctx.clean.iter("a", "button", "input", "span"):
        label = dom.squash(dom.link_text(el) if el.tag != "input" else el.get("value") or "").strip("[]【】<>《》")
        if label not in _NEXT_WORDS or dom.is_hidden(el):
            continue
        if el.tag == "a" and not dom.link_url(el, ctx.base) and (el.get("onclick") or (el.get("href") or "").strip()):
            return True
        if el.tag in ("button", "input") or (el.tag == "span" and el.get("onclick")):
            return True
    return False


def stated_total(ctx: ListContext) -> int | None:
    """The total entry count where the visible page text states it: 共148条."""
    m = _TOTAL.search(dom.text_of(ctx.clean.find("body") if ctx.clean.find("body") is not None else ctx.clean))
    return int(m.group(1)) if m else None


def _args(raw: str) -> list[str]:
    return [m.group(1).strip().strip("'\"").strip() for m in _ARG.finditer(raw) if m.group(0).strip()]


def _int(value: str) -> int | None:
    return int(value) if re.fullmatch(r"-?\d+", value or "") else None


def trs_pages(args: list[str], base: str) -> tuple[list[str], int | None]:
    """Pages named by one createPageHTML call.

    - `(countPage, currentIndex0, "index", "html")`: zero-based; pages index_1 … index_{n-1}.
    - `('page_div', totalPages, currentPage1, 'prefix', 'ext', totalRecords)`: sites differ on
      whether page 2 is prefix_1 or prefix_2, so prefix_1 … prefix_n covers both (the spider
      tolerates a 404 on the first or last probe).
    - all-numeric variants such as `('page_div','15','1','10','148')` give no file names: the
      current page's own name is assumed, zero-based like the four-argument form.
    """
    if not args:
        return [], None
    with_div = _int(args[0]) is None
    vals = args[1:] if with_div else args
    nums = [_int(v) for v in vals]
    count = nums[0] if nums else None
    if not count or count <= 1:
        records = next((n for n in reversed(nums) if n is not None), None) if with_div and len(vals) >= 5 else None
        return [], records
    count = min(count, _MAX_PAGES)
    names = [v for v, n in zip(vals, nums) if n is None and v]
    records = None
    if len(names) >= 2:
        name, ext = names[0], names[1].lstrip(".")
        after = nums[vals.index(names[1]) + 1:]
        records = next((n for n in after if n is not None), None)
        first_based = with_div
    else:
        path = urlsplit(base).path
        stem = posixpath.basename(path) or "index.html"
        name, _, ext = stem.partition(".")
        name = re.sub(r"_\d+$", "", name) or "index"
        ext = ext or "html"
        numeric = [n for n in nums if n is not None]
        records = numeric[3] if len(numeric) >= 4 else None
        first_based = False
    last = count if first_based else count - 1
    urls = [dom.resolve(base, f"{name}.{ext}")] + [dom.resolve(base, f"{name}_{i}.{ext}") for i in range(1, last + 1)]
    return [u for u in urls if u], records


def _link_pages(ctx: ListContext) -> list[str]:
    out: list[str] = []
    current_qs = dict((k.lower(), v) for k, v in parse_qsl(urlsplit(ctx.url).query))
    for a in ctx.clean.iter("a"):
        url = dom.link_url(a, ctx.base)
        if not url:
            continue
        text = dom.squash(dom.link_text(a)).strip("[]【】").lower()
        if text in _NEXT_TEXTS:
            out.append(url)
            continue
        if re.fullmatch(r"\d{1,4}", text) and _in_pager(a):
            out.append(url)
            continue
        split = urlsplit(url)
        if split.path == urlsplit(ctx.url).path:
            for key, value in parse_qsl(split.query):
                if key.lower() in _PAGE_PARAMS and value.isdigit() and current_qs.get(key.lower()) != value:
                    out.append(url)
                    break
    return out


def _in_pager(a) -> bool:
    """A numbered link sits in a pager: a page-ish class/id nearby, or next/prev links beside it."""
    node = a.getparent()
    for _ in range(3):
        if node is None:
            break
        if _PAGER_CLASS.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            return True
        if re.search(r"下一?页|上一?页|尾页|首页", dom.text_of(node)) and len(dom.text_of(node)) < 200:
            return True
        node = node.getparent()
    return False


def _same_column(url: str, current: str) -> bool:
    """Same host and the same directory: pages of this column, not of another one."""
    a, b = urlsplit(url), urlsplit(current)
    if dom.host_key(url) != dom.host_key(current):
        return False
    return posixpath.dirname(a.path or "/") == posixpath.dirname(b.path or "/")
