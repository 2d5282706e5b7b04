"""Finding the disclosure section on a homepage and the columns inside it, by link text.

Sites differ in markup but agree on names (政府信息公开, 信息公开, 政务公开 …), so matching is on
normalised link text (also `title` attributes and image `alt`), never on one site's classes.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from crawler.extract import dom, text

__all__ = ["find_section_link", "find_column_links", "column_tree", "iframe_sources", "page_text",
           "homepage_forward",
           "page_text_length",
           "visible_text"]

# Best first. Exact names only; a longer text merely containing one ranks after all of them.
SECTION_NAMES = ("政府信息公开", "信息公开", "政务公开", "政府信息公开专栏", "政务信息公开",
                 "政府信息公开目录", "信息公开目录", "政务公开专栏", "政府信息公开平台", "信息公开专栏")
_SECTION_WORDS = re.compile(r"政府信息公开|信息公开|政务公开")
# Texts that name a document or a sub-page, not the section: 年报, 指南, 制度, 规定 …
_NOT_SECTION = re.compile(r"年报|报告|指南|制度|规定|办法|条例|通知|意见|申请|工作要点|要点|考核|测评|"
                          r"\d{4}|《|》|目录编制|标准|监督|保障|培训|会议|文件")
_SKIP_TEXT = re.compile(
    r"^(首页|网站首页|返回首页|主页|更多|更多>+|more|>+|网站地图|无障碍|无障碍浏览|长者模式|关怀版|适老化|"
    r"english|返回|返回顶部|打印|打印本页|关闭|关闭窗口|登录|注册|退出|收藏|加入收藏|设为首页|联系我们|"
    r"繁体|繁體|简体|繁体版|简体版|搜索|高级搜索|检索|分享|微信|微博|网站声明|隐私声明|法律声明|帮助|"
    r"上一页|下一页|上页|下页|首页|尾页|末页|大|中|小|字号|默认|\d{1,3}|\[大\]|\[中\]|\[小\]|"
    r"app|移动版|手机版|政务微博|政务微信|纠错|我要纠错|举报|主办单位|网站标识码|ICP.*|.*备案.*)$", re.I)
_ATTACH = re.compile(r"\.(pdf|docx?|xlsx?|wps|zip|rar|7z|ofd|et|txt|pptx?|jpg|jpeg|png|gif|mp4|swf)$", re.I)
_DOC_URL = re.compile(r"/t\d{8}_\d+|/art/\d{4}/\d|content_\d{5,}|/\d{6}/[^/]+\.\w+$|/\d{8}/[^/]+$|"
                      r"post_\d+|[?&](id|docid|articleid|infoid|contentid|pk)=", re.I)
_PAGE_PARAM = re.compile(r"^(page|pageno|pagenum|pageindex|curpage|currentpage|pn|p)$", re.I)
_CHROME = re.compile(r"(^|[\s_-])(header|head|footer|foot|top|bottom|copyright|topbar|toolbar|"
                     r"breadcrumb|crumb|crumbs|position|location|weizhi|dqwz|share|search)($|[\s_-]|\d)", re.I)
_MAX_COLUMN_NAME = 16


def _candidates(root, base: str):
    """(absolute URL, candidate texts) for every followable link, in page order."""
    for a in root.iter("a"):
        url = dom.link_url(a, base)    # href, else data-href / onclick="window.open('…')"
        if not url:
            continue
        texts = [dom.squash(dom.text_of(a)), dom.squash(a.get("title"))]
        texts += [dom.squash(img.get("alt") or img.get("title")) for img in a.iter("img")]
        yield a, url, [t for t in texts if t]


def find_section_link(html: str, url: str) -> str | None:
    """The homepage link to the 政府信息公开 section, by its text; None when there is none."""
    root = dom.clean_copy(dom.parse(html))
    base = dom.base_url(root, url)
    best: tuple[int, int] | None = None
    best_url = None
    for order, (_a, link, texts) in enumerate(_candidates(root, base)):
        if _ATTACH.search(urlsplit(link).path) or _DOC_URL.search(link):
            continue
        rank = None
        for text in texts:
            if text in SECTION_NAMES:
                r = SECTION_NAMES.index(text)
            elif len(text) <= 12 and _SECTION_WORDS.search(text) and not _NOT_SECTION.search(text):
                r = len(SECTION_NAMES) + len(text)   # e.g. 区政府信息公开, 政务公开栏目
            else:
                continue
            rank = r if rank is None else min(rank, r)
        if rank is not None and (best is None or (rank, order) < best):
            best, best_url = (rank, order), link
    return best_url


_REFRESH = re.compile(r"url\s*=\s*['\"]?([^'\";\s]+)", re.I)
# location.href = '…', window.location = "…", location.replace('…'), top.location.href='…'
_JS_GO = re.compile(r"""(?:^|[^\w.])(?:(?:window|top|self|parent|document)\.)?location(?:\.href)?\s*=\s*(['"])([^'"]+)\1"""
                    r"""|location\.(?:replace|assign)\(\s*(['"])([^'"]+)\3""")
_STUB_TEXT = 200        # characters of visible text a redirecting or framing page may show


def homepage_forward(html: str, url: str) -> str | None:
    """Where a homepage that is no page of its own sends the reader: a `<meta http-equiv=refresh>`,
    a script that sets location (`<script>location.href='/col/col1/index.html'</script>` with
    almost nothing else), the main frame of a `<frameset>`, or the one iframe of a page that is
    nothing but that iframe. None for a page with content (links, text) of its own.

    Without this the stub is taken for the homepage: no disclosure section, no 网站标识码 —
    findings about a page no visitor ever reads."""
    root = dom.parse(html)
    base = dom.base_url(root, url)
    here = dom.resolve(url, url) or url
    for meta in root.iter("meta"):
        if (meta.get("http-equiv") or "").strip().lower() == "refresh":
            content = meta.get("content") or ""
            delay = re.match(r"\s*(\d+)", content)
            if delay and int(delay.group(1)) > 10:
                continue        # a page that reloads itself every few minutes stays itself
            m = _REFRESH.search(content)
            target = dom.resolve(base, m.group(1)) if m else None
            if target and target != here:
                return target
    clean = dom.clean_copy(root)
    body = clean.find(".//body")
    shown = dom.squash(text.visible_text(body)) if body is not None else ""
    links = [u for u in (dom.link_url(a, base) for a in clean.iter("a")) if u]
    if len(shown) > _STUB_TEXT or len(links) > 3:
        return None
    frames = [(f.get("name") or f.get("id") or "", dom.resolve(base, f.get("src")))
              for f in root.iter("frame", "iframe")]
    frames = [(n, u) for n, u in frames if u and u != here]
    if root.find(".//frameset") is not None and frames:
        named = [u for n, u in frames if re.search(r"main|content|body|center|zhuti|mainframe", n, re.I)]
        return (named or [frames[0][1]])[0]
    for script in root.iter("script"):
        m = _JS_GO.search(script.text or "")
        if m:
            target = dom.resolve(base, m.group(2) or m.group(4))
            if target and target != here:
                return target
    iframes = [u for n, u in frames]
    if len(iframes) == 1 and not links:
        return iframes[0]
    return None


def _in_chrome(a) -> bool:
    """Inside a header/footer/breadcrumb block (by class or id), or a <header>/<footer> tag."""
    for anc in a.iterancestors():
        if anc.tag in ("header", "footer"):
            return True
        if _CHROME.search(f"{anc.get('class') or ''} {anc.get('id') or ''}"):
            return True
    return False


def find_column_links(html: str, url: str) -> list[tuple[str, str]]:
    """(name, absolute URL) of links that look like columns of a section page, in page order."""
    return [(name, link) for name, link, _parent in column_tree(html, url)]


def _tree_parent(a):
    """The item a nav tree nests this link under: the anchor heading the enclosing <li>/<dd>
    group one level up (法定主动公开内容 → <ul class="sub"> → 政策文件). None at the top."""
    own = next((anc for anc in a.iterancestors() if anc.tag in ("li", "dd", "dt")), None)
    if own is None:
        return None
    for anc in own.iterancestors():
        if anc.tag == "li":
            return next((x for x in anc.iter("a")
                         if not any(p is own for p in x.iterancestors())), None)
        if anc.tag == "dl":     # <dl><dt>parent</dt><dd>children</dd></dl>
            dt = anc.find(".//dt")
            return next(dt.iter("a"), None) if dt is not None and own.tag == "dd" else None
    return None


def column_tree(html: str, url: str) -> list[tuple[str, str, str | None]]:
    """(name, absolute URL, parent URL or None) of column links, in page order: the parent is
    the column a nav tree nests the link under, when that one is a column link too."""
    root = dom.clean_copy(dom.parse(html))
    base = dom.base_url(root, url)
    site = dom.host_key(url)
    out: list[tuple[str, str, object]] = []
    seen: set[str] = set()
    for a, link, texts in _candidates(root, base):
        name = texts[0] if texts else ""
        if not name or len(name) > _MAX_COLUMN_NAME or _SKIP_TEXT.match(name):
            continue
        if dom.host_key(link) != site or dom.same_page(link, url):
            continue
        split = urlsplit(link)
        if _ATTACH.search(split.path) or _DOC_URL.search(link):
            continue
        if any(_PAGE_PARAM.match(k) for k, _v in parse_qsl(split.query)) or re.search(r"_\d+\.s?html?$", split.path):
            continue
        if "《" in name or _in_chrome(a):
            continue
        key = link.rstrip("/")
        if key in seen:
            continue
        seen.add(key)
        out.append((name, link, a))
    anchors = {id(a): link for _n, link, a in out}
    tree = []
    for name, link, a in out:
        head = _tree_parent(a)
        tree.append((name, link, anchors.get(id(head)) if head is not None else None))
    return tree


_CHROME_BLOCK = re.compile(r"(^|[\s_-])(header|head|footer|foot|top|bottom|nav|navbar|menu|copyright|"
                           r"breadcrumb|crumb|position|location|sidebar|side|left|share|search)($|[\s_-]|\d)", re.I)


def iframe_sources(html: str, url: str) -> list[str]:
    """Absolute URLs of the page's <iframe>/<frame> sources, in page order."""
    root = dom.parse(html)
    base = dom.base_url(root, url)
    out = []
    for el in root.iter("iframe", "frame"):
        src = dom.resolve(base, el.get("src"))
        if src and src not in out:
            out.append(src)
    return out


def _not_content(el) -> bool:
    """Links, <header>/<footer>/<nav> and blocks named like page chrome (the root never is)."""
    if el.tag in ("a", "header", "footer", "nav"):
        return True
    return bool(_CHROME_BLOCK.search(f"{el.get('class') or ''} {el.get('id') or ''}"))


def page_text(html: str) -> str:
    """Body text outside links, nav/header/footer-ish blocks, hidden elements, scripts and
    comments, lines and table cells kept apart (extract.text): a content page (机构职能, 指南)
    has hundreds of characters, an empty column page almost none."""
    root = dom.parse(html)
    body = root.find(".//body")
    body = body if body is not None else root
    return text.visible_text(body, drop=_not_content)


def page_text_length(html: str) -> int:
    """Characters of page_text, whitespace not counted (line breaks are layout, not content)."""
    return len(dom.squash(page_text(html)))


def visible_text(html: str, limit: int = 20000) -> str:
    """All visible text of a page, footer included (网站标识码, 备案号 live there), lines kept."""
    body = text.visible_text(html)
    return body[-limit:] if len(body) > limit else body


def page_links(html: str, url: str) -> set[str]:
    """Every followable link of a page, absolute and without fragment (see `template_links`)."""
    root = dom.clean_copy(dom.parse(html))
    base = dom.base_url(root, url)
    return {_link_key(u) for _a, u, _t in _candidates(root, base)}


def _link_key(url: str) -> str:
    return url.rstrip("/")


def template_links(html: str, url: str, elsewhere: set[str], hubs: set[str] = frozenset(),
                   min_links: int = 3) -> set[str]:
    """Links of `html` that sit in a block repeated from another page of the site: the smallest
    element around the link holding at least `min_links` links, every one of which the other
    page (`elsewhere`, its `page_links`) shows too — the site's own navigation repeated on the
    section page (首页 / 政务动态 / 政务服务 / 互动交流), whatever its class names say. With
    `hubs` (the homepage's and the section's own URLs), the block must also link to one of them,
    as a site's navigation does: a disclosure tree that the homepage happens to show in full
    (and that never links back to the homepage) stays the section's.

    Structure, not names: a renamed or unlabelled nav bar is still the homepage's nav bar."""
    if not elsewhere:
        return set()
    root = dom.clean_copy(dom.parse(html))
    base = dom.base_url(root, url)
    anchors = [(a, _link_key(u)) for a, u, _t in _candidates(root, base)]
    links_in: dict = {}      # element -> links below it (elements as keys keep lxml's proxies alive)
    for a, key in anchors:
        for anc in a.iterancestors():
            links_in.setdefault(anc, []).append(key)
    out: set[str] = set()
    for a, key in anchors:
        for anc in a.iterancestors():
            held = links_in[anc]
            if len(set(held)) >= min_links:
                if all(k in elsewhere for k in held) and (
                        not hubs or any(dom.same_page(h, k) for h in hubs if h for k in set(held))):
                    out.add(key)
                break
    return out
