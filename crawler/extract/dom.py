"""Shared lxml helpers: parsing, visible text, link resolution.

Everything parses with lxml.html, a real HTML parser: markup inside `<!-- -->` is a comment node,
never an element, so commented-out list items and pagers (the Gansu capture) are dead.
"""
from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml import etree

SPACE_RE = re.compile(r"[\s\u3000\xa0\u200b\ufeff]+")
# Characters XML (and so lxml's tree) cannot hold: C0 controls but tab/LF/CR, lone surrogates,
# U+FFFE/FFFF. One such byte on a real page must not make every later reading raise.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DEAD_TAGS = ("script", "style", "noscript", "template", "textarea", "select", "option")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def parse(html: str) -> lxml.html.HtmlElement:
    """Parse a page (never raises on junk; an empty page gives an empty <html>)."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    # lxml refuses str input that carries an XML encoding declaration.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html or "")
    html = _NOT_XML.sub(" ", html)
    if not html.strip():
        html = "<html></html>"
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return lxml.html.document_fromstring("<html></html>")


def clean_copy(root):
    """A copy without comments, scripts and styles (their text is not page text)."""
    root = _deepcopy(root)
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        drop_keep_tail(node)
    etree.strip_elements(root, *_DEAD_TAGS, with_tail=False)
    return root


def _deepcopy(root):
    import copy

    return copy.deepcopy(root)


def append_mixed(el, parts) -> None:
    """Append text and elements to `el` in order: text goes to the last child's tail (or to
    el.text), elements keep their own tails."""
    for part in parts:
        if isinstance(part, str):
            if len(el):
                el[-1].tail = (el[-1].tail or "") + part
            else:
                el.text = (el.text or "") + part
        else:
            el.append(part)


def drop_keep_tail(node) -> None:
    """Remove `node` from its tree, keeping the text that follows it (its tail) in place."""
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail
    prev = node.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


def norm(text: str | None) -> str:
    """Collapse all whitespace (including U+3000 and &nbsp;) to single spaces."""
    return SPACE_RE.sub(" ", text or "").strip()


def squash(text: str | None) -> str:
    """Remove all whitespace: for comparing labels and short names (标　　题 == 标题)."""
    return SPACE_RE.sub("", text or "")


def text_of(el) -> str:
    """Normalised text of an element (comments never count; use on a clean copy for scripts)."""
    if el is None:
        return ""
    if not isinstance(el.tag, str):
        return ""
    return norm(el.text_content())


# Class names the usual frameworks (AngularJS, Bootstrap, layui, jQuery habits) and Chinese CMS
# stylesheets (`.none { display: none }`) hide with.
_HIDDEN_CLASS = re.compile(r"(?:^|\s)(?:ng-hide|hide|hidden|d-none|invisible|layui-hide|none)(?:\s|$)", re.I)


def hides(el) -> bool:
    """The element itself is hidden: inline style, the hidden attribute, aria-hidden="true" or a
    hiding class. (Ancestors are not looked at: see is_hidden.)"""
    if not isinstance(el.tag, str):
        return False
    return (el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style") or "") is not None
            or (el.get("aria-hidden") or "").strip().lower() == "true"
            or _HIDDEN_CLASS.search(el.get("class") or "") is not None)


def is_hidden(el) -> bool:
    """The element or an ancestor is hidden (see hides)."""
    while el is not None:
        if hides(el):
            return True
        el = el.getparent()
    return False


def base_url(root, url: str) -> str:
    """The page's base for relative links: <base href> resolved against the page URL."""
    for base in root.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            return urljoin(url, href)
    return url


def resolve(base: str, href: str | None) -> str | None:
    """Absolute http(s) URL without fragment, or None for javascript:, mailto:, # and junk."""
    if href is None:
        return None
    href = href.strip().replace("\\", "/")
    if not href or href.startswith("#"):
        return None
    scheme = href.split(":", 1)[0].lower() if ":" in href.split("/", 1)[0] else ""
    if scheme and scheme not in ("http", "https"):
        return None
    try:
        absolute = urldefrag(urljoin(base, href))[0]
    except ValueError:
        return None
    if urlsplit(absolute).scheme not in ("http", "https"):
        return None
    return absolute


# A page address written in a script: window.open('…'), location.href="…", openUrl('…').
# Only strings shaped like a page address count (a path, ./ ../, http(s)://, or a file name with a
# page extension), never ids: queryDetail('123','456') names no address we could follow.
_SCRIPT_URL = re.compile(r"""['"]((?:https?://|\.{1,2}/|/)[^'"\s<>()]*|[\w./-]+\.(?:s?html?|jsp|aspx?|php|do|action)"""
                         r"""(?:\?[^'"\s<>()]*)?)['"]""", re.I)
_DATA_HREF = ("data-href", "data-url", "data-link", "lay-href", "_href", "data-link-url")
_CLICK_ROWS = ("li", "tr", "dd", "dt", "div", "p", "td")


def script_url(code: str | None) -> str | None:
    """The first page address a piece of script (an onclick, a javascript: href) opens."""
    m = _SCRIPT_URL.search(code or "")
    return m.group(1) if m else None


def link_url(a, base: str) -> str | None:
    """Where a link leads: its href, else (href="javascript:void(0)", "#" or absent) the address in
    data-href/data-url …, in its onclick (window.open('…'), location.href='…'), in a javascript:
    href, or in the onclick of the row around it (`<li onclick="location.href='…'"><a href="#">`).
    Real lists do all of these; a reader that knows only href sees an empty list."""
    href = a.get("href")
    url = resolve(base, href)
    if url:
        return url
    for name in _DATA_HREF:
        url = resolve(base, a.get(name))
        if url:
            return url
    code = " ".join(x for x in (a.get("onclick"), href if (href or "").strip().lower().startswith("javascript:") else None) if x)
    found = script_url(code)
    if found is None:
        node = a.getparent()
        for _ in range(2):
            if node is None or node.tag not in _CLICK_ROWS:
                break
            if node.get("onclick"):
                found = script_url(node.get("onclick"))
                break
            node = node.getparent()
    return resolve(base, found) if found else None


def link_text(a) -> str:
    """Link text, falling back to the title attribute and image alt text."""
    text = text_of(a)
    if not text:
        text = norm(a.get("title"))
    if not text:
        for img in a.iter("img"):
            text = norm(img.get("alt") or img.get("title"))
            if text:
                break
    return text


def host_key(url: str) -> str:
    """Host without a leading www., for same-site comparisons."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


_INDEX_RE = re.compile(r"/(index|default)\.(s?html?|jsp|php|aspx?)$", re.I)


def same_page(a: str, b: str) -> bool:
    """Whether two URLs name the same page (dir/ == dir/index.html, scheme and www ignored)."""
    def key(u: str) -> tuple[str, str, str]:
        p = urlsplit(u)
        path = _INDEX_RE.sub("/", p.path or "/")
        return host_key(u), path, p.query
    return key(a) == key(b)
