"""Document pages: the 政府信息公开 metadata block, metas, 解读/原文 links, attachments, body text.

Labels vary by site and carry padding (`索 引 号：`, `标　　题：`, `索&nbsp;&nbsp;引&nbsp;&nbsp;号`),
so they are normalised before matching and looked up in a synonym table (README §2.2). Values
come from the next cell (td/th, dt/dd), the text after a `<span>label：</span>`, or the rest of a
`label：value` element. Every date is stored separately: 成文日期 ≠ 发布日期 ≠ URL date ≠ PubDate.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.extract import dom
from crawler.extract.dates import find_date, parse_date
from crawler.extract.text import visible_text

__all__ = ["DocumentData", "extract_document", "extract_related_from_iframe", "normalise_label",
           "LABELS", "main_content"]

LABELS: dict[str, tuple[str, ...]] = {
    "index_no": ("索引号", "索取号", "信息索引号", "索引"),
    "topic": ("主题分类", "信息分类", "主题类别", "分类", "公开类别"),
    "publisher": ("发布机构", "发文机关", "发文单位", "发布单位", "发文机构", "制发机关", "公开主体", "信息发布机构"),
    "written": ("成文日期", "生成日期", "印发日期", "成文时间", "发文日期", "生成时间"),
    "doc_no": ("发文字号", "文号", "发文号", "文件编号", "文件字号"),
    "published": ("发布日期", "公开日期", "发布时间", "公开时间", "发文时间"),
    "validity": ("有效性", "时效", "时效状态", "效力状态", "有效状态", "是否有效"),
    "title": ("标题", "名称", "文件名称", "信息名称", "文件标题"),
}
_LABEL_KEY = {label: key for key, labels in LABELS.items() for label in labels}
_DATE_KEYS = {"written", "published"}
_COLONS = ":：﹕∶"
_ATTACH_EXT = re.compile(r"\.(pdf|docx?|xlsx?|wps|zip|rar|7z|ofd|et|txt|pptx?|csv|ceb)$", re.I)
_JIEDU_HEAD = re.compile(r"^(相关|政策|文件|图文|图片|视频|专家|媒体)?解读(文件|材料|文章|链接)?$|^一图读懂$|^图解$")
_JIEDU_TEXT = re.compile(r"解读|一图读懂|图解|图说|答记者问")
_POLICY_HEAD = re.compile(r"^(政策)?原文(链接)?$|^相关(政策)?文件$|^文件链接$|^相关政策$|^政策文件$|^原文件$")
_BODY_SELECTORS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_UEDITOR ')]",
    "//*[@id='UCAP-CONTENT']", "//*[@id='zoom']", "//*[@id='fontzoom']",
    "//*[contains(@class, 'pages_content')]", "//*[contains(@class, 'article-content')]",
    "//*[contains(@class, 'zwgkdetail')]", "//*[contains(@class, 'wrapper_detail_text')]",
    "//*[contains(@class, 'trs_paper_default')]", "//*[contains(@class, 'news_cont_d_wrap')]",
    "//*[@id='detail']", "//*[contains(@class, 'xlcontent')]", "//*[@id='content_body_xxgk']",
)


@dataclass
class DocumentData:
    url: str
    title: str = ""
    # Keys index_no topic publisher written doc_no published validity title; dates ISO.
    # A label with an empty value gives ""; a label absent from the page leaves the key absent.
    fields: dict[str, str] = field(default_factory=dict)
    has_meta_block: bool = False
    meta: dict[str, str] = field(default_factory=dict)
    interpretations: list[dict] = field(default_factory=list)   # {"title", "url"}
    policies: list[dict] = field(default_factory=list)          # {"title", "url"}
    attachments: list[dict] = field(default_factory=list)       # {"title", "url"}
    iframes: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (url, text)
    text: str = ""
    text_digest: str = ""


def normalise_label(text: str | None) -> str:
    """`索 引 号：` / `标　　题:` / `索&nbsp;引&nbsp;号` → 索引号 / 标题."""
    squashed = dom.squash(text)
    return squashed.strip(_COLONS + "【】[]")


def extract_document(html: str, url: str) -> DocumentData:
    root = dom.parse(html)
    clean = dom.clean_copy(root)
    base = dom.base_url(root, url)
    doc = DocumentData(url=url)
    doc.meta = _metas(root)
    doc.fields, doc.has_meta_block = _fields(clean)
    doc.title = _title(root, clean, doc)
    doc.links = _links(clean, base)
    doc.attachments = _attachments(clean, base)
    doc.iframes = [u for u in (dom.resolve(base, f.get("src")) for f in root.iter("iframe")) if u]
    body = main_content(clean)
    doc.text = visible_text(body) if body is not None else ""     # lines and cells kept apart
    doc.text_digest = hashlib.sha1(doc.text.encode("utf-8")).hexdigest()
    doc.interpretations = _interpretations(clean, base, body)
    if _is_interpretation(doc):
        doc.policies = _policies(clean, base, doc.url)
    return doc


# --- metadata ---------------------------------------------------------------------------------

def page_metas(html: str) -> dict[str, str]:
    """The page's <meta name=… content=…> pairs (SiteName, SiteIDCode, …)."""
    return _metas(dom.parse(html))


def _metas(root) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in root.iter("meta"):
        name = (m.get("name") or "").strip()
        if name and (name not in out or not out[name]):
            out[name] = (m.get("content") or "").strip()
    return out


def _label_key(el) -> str | None:
    text = dom.text_of(el)
    if not text or len(text) > 16:
        return None
    return _LABEL_KEY.get(normalise_label(text))


def _fields(root) -> tuple[dict[str, str], bool]:
    """Label/value pairs. Where the page shows a metadata block, only the block's labels count:
    a 发布时间 in the article's byline does not fill a 发布日期 row the block lacks."""
    pairs: list[tuple[str, str, object]] = []
    consumed: set = set()
    for el in root.iter():
        if not isinstance(el.tag, str) or el in consumed or el.tag in ("html", "body", "a"):
            continue
        key = _label_key(el)
        if key is not None:
            # The innermost element that is the whole label: skip wrappers holding only it.
            inner = [c for c in el.iter() if c is not el and isinstance(c.tag, str) and _label_key(c) == key]
            if inner and dom.text_of(inner[-1]) == dom.text_of(el):
                continue
            value = _value_after(el)
            if value is not None:
                pairs.append((key, _clean_value(key, value), el))
            continue
        # `label：value` in one element (no child elements carrying another label)
        if len(el) == 0 or all(c.tag in ("br", "font", "span", "b", "strong") for c in el):
            for key, value in _inline_pairs(dom.text_of(el)):
                pairs.append((key, _clean_value(key, value), el))
                consumed.update(el.iter())
    block, has_block = _meta_block([el for _k, _v, el in pairs])
    found: dict[str, str] = {}
    for key, value, el in pairs:
        if block is None or el is block or any(anc is block for anc in el.iterancestors()):
            found.setdefault(key, value)
    return found, has_block


def _value_after(label):
    """The value of a label element: the next cell, the dd, or the text following it."""
    cell = label
    # <td><b>索 引 号：</b></td><td>value</td>: climb to the cell that is the label.
    for anc in label.iterancestors():
        if anc.tag in ("td", "th", "dt") and dom.text_of(anc) == dom.text_of(label):
            cell = anc
            break
        if dom.text_of(anc) != dom.text_of(label):
            break
    if cell.tag in ("td", "th"):
        nxt = cell.getnext()
        while nxt is not None and not isinstance(nxt.tag, str):
            nxt = nxt.getnext()
        return dom.text_of(nxt) if nxt is not None and nxt.tag in ("td", "th") else ""
    if cell.tag == "dt":
        nxt = cell.getnext()
        return dom.text_of(nxt) if nxt is not None and nxt.tag == "dd" else ""
    # <span>label：</span>value — the tail, then following siblings until the next label.
    parts = [cell.tail or ""]
    sib = cell.getnext()
    while sib is not None:
        if isinstance(sib.tag, str):
            if _label_key(sib) is not None or sib.tag in ("br", "p", "div", "li", "tr"):
                break
            parts.append(dom.text_of(sib))
        parts.append(sib.tail or "")
        sib = sib.getnext()
    value = dom.norm(" ".join(parts))
    if not value and cell.getparent() is not None and cell.getparent().tag in ("td", "th", "dt"):
        # <td><b>label</b></td><td>value</td> where the label element sits inside the cell
        return _value_after(cell.getparent()) if _label_key(cell.getparent()) is None else value
    return value


_SEP = r"[\s\u3000\xa0]*"
_INLINE = re.compile(
    "(" + "|".join(sorted(
        (_SEP.join(map(re.escape, label)) for label in _LABEL_KEY), key=len, reverse=True)) + ")"
    + _SEP + "[" + _COLONS + "]")


def _inline_pairs(text: str) -> list[tuple[str, str]]:
    """`发布日期：2020-01-31  发文字号：国发〔2019〕5号` → [(published, …), (doc_no, …)]."""
    if not text or len(text) > 300:
        return []
    matches = list(_INLINE.finditer(text))
    out = []
    for i, m in enumerate(matches):
        # The label must start the text or follow a separator, not sit inside a sentence.
        if m.start() > 0 and text[m.start() - 1] not in " |｜/;；,，\u3000\xa0":
            continue
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        key = _LABEL_KEY[dom.squash(m.group(1))]
        out.append((key, text[m.end():end].strip(" |｜;；,，")))
    return out


def _clean_value(key: str, value: str) -> str:
    value = dom.norm(value)
    if key in _DATE_KEYS and value:
        parsed = parse_date(value) or find_date(value)
        return parsed.isoformat() if parsed else value
    return value


def _meta_block(labels: list):
    """(block, has_block). A page has a metadata block when two labels share a close ancestor
    (≤4 levels up). The block itself is the deepest element holding most (≥60%) of the labels;
    labels outside it, such as a byline's 发布时间, are not the block's. None when the labels
    are spread over several small blocks: then all of them count."""
    counts: dict = {}
    depth: dict = {}
    for el in set(labels):
        for level, anc in enumerate(el.iterancestors()):
            if level >= 4 or anc.tag in ("body", "html"):
                break
            counts[anc] = counts.get(anc, 0) + 1
            depth.setdefault(anc, sum(1 for _ in anc.iterancestors()))
    if not any(n >= 2 for n in counts.values()):
        return None, False
    need = max(2, 0.6 * len(set(labels)))
    fits = [anc for anc, n in counts.items() if n >= need]
    return (max(fits, key=lambda anc: depth[anc]) if fits else None), True


def _title(root, clean, doc: DocumentData) -> str:
    if doc.meta.get("ArticleTitle"):
        return doc.meta["ArticleTitle"]
    if doc.fields.get("title"):
        return doc.fields["title"]
    for tag in ("h1",):
        for h in clean.iter(tag):
            text = dom.text_of(h)
            if text:
                return text
    t = root.find(".//title")
    title = dom.text_of(t) if t is not None else ""
    site = doc.meta.get("SiteName", "")
    if site and title.endswith(site):
        title = title[: -len(site)].rstrip(" _-|—–")
    if title:
        return title
    # Fragments without <title> (stored bodies): a title-classed element (div.wrapper_deatil_title)
    for el in clean.xpath("//*[contains(@class,'title') or contains(@class,'Title')]"):
        text = dom.text_of(el)
        if 6 <= len(text) <= 120 and el.find(".//a") is None:
            return text
    return ""


# --- links ------------------------------------------------------------------------------------

def _links(root, base: str) -> list[tuple[str, str]]:
    out = []
    for a in root.iter("a"):
        url = dom.resolve(base, a.get("href"))
        if url:
            out.append((url, dom.link_text(a)))
    return out


def _attachments(root, base: str) -> list[dict]:
    out, seen = [], set()
    for a in root.iter("a"):
        url = dom.resolve(base, a.get("href"))
        if url and _ATTACH_EXT.search(urlsplit(url).path) and url not in seen:
            seen.add(url)
            out.append({"title": dom.link_text(a), "url": url})
    return out


def _link_dict(a, base: str) -> dict | None:
    url = dom.resolve(base, a.get("href"))
    if not url:
        return None
    return {"title": dom.norm(a.get("title")) or dom.link_text(a), "url": url}


def _links_after_heading(head, base: str, limit: int = 20) -> list[dict]:
    """Links following a heading (相关解读 / 原文 …): in its later siblings, climbing a few levels
    when the heading sits alone in its own wrapper, until the next heading-like element."""
    out: list[dict] = []
    node = head
    for _ in range(4):
        for sib in node.itersiblings():
            if not isinstance(sib.tag, str):
                continue
            if sib.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and out:
                return out
            for a in ([sib] if sib.tag == "a" else sib.iter("a")):
                item = _link_dict(a, base)
                if item and item not in out:
                    out.append(item)
                if len(out) >= limit:
                    return out
            if out and sib.tag not in ("a", "br"):
                # one list block after the heading is the block
                return out
        if out:
            return out
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html") or len(dom.text_of(parent)) > 60 + len(dom.text_of(node)):
            break
        node = parent
    return out


def _heading_elements(root, pattern: re.Pattern):
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("a", "html", "body"):
            continue
        if any(anc.tag == "a" for anc in el.iterancestors()):
            continue
        text = dom.text_of(el)
        if text and len(text) <= 12 and pattern.match(normalise_label(text)):
            if not any(_is_inner_same(c, text) for c in el if isinstance(c.tag, str)):
                yield el


def _is_inner_same(child, text: str) -> bool:
    return dom.text_of(child) == text


def _interpretations(root, base: str, body) -> list[dict]:
    out: list[dict] = []

    def add(item):
        if item and item["url"] not in {x["url"] for x in out}:
            out.append(item)

    for head in _heading_elements(root, _JIEDU_HEAD):
        label = normalise_label(dom.text_of(head))
        # A bare "政策解读" box may be a site-wide sidebar of other documents' 解读; trust it only
        # inside the article body or written as a label (政策解读：).
        generic = label == "政策解读" and not dom.text_of(head).endswith(tuple(_COLONS))
        if generic and (body is None or not _within(head, body)):
            continue
        for item in _links_after_heading(head, base):
            add(item)
    for a in root.iter("a"):
        text = dom.link_text(a)
        title = dom.norm(a.get("title"))
        prev = _text_before(a)
        inline = bool(re.search(r"解读[^\s]{0,4}[" + _COLONS + r"]\s*$", prev))
        descriptive = (_JIEDU_TEXT.search(text) or _JIEDU_TEXT.search(title)) and len(dom.squash(text)) > 6
        if inline or descriptive:
            add(_link_dict(a, base))
    return out


def _text_before(a) -> str:
    """The text just before a link inside its parent (for inline `政策解读：<a>`)."""
    prev = a.getprevious()
    if prev is not None:
        return dom.norm((dom.text_of(prev) + " " + (prev.tail or ""))[-30:])
    parent = a.getparent()
    return dom.norm(parent.text or "")[-30:] if parent is not None else ""


def _within(el, container) -> bool:
    return el is container or any(anc is container for anc in el.iterancestors())


def _is_interpretation(doc: DocumentData) -> bool:
    hay = f"{doc.title} {doc.meta.get('ColumnName', '')}"
    return bool(_JIEDU_TEXT.search(hay)) or bool(re.search(r"/(zcjd|jd|jiedu)/", urlsplit(doc.url).path))


def _policies(root, base: str, url: str) -> list[dict]:
    out: list[dict] = []

    def add(item):
        if item and item["url"] != url and item["url"] not in {x["url"] for x in out}:
            out.append(item)

    for head in _heading_elements(root, _POLICY_HEAD):
        for item in _links_after_heading(head, base):
            add(item)
    for a in root.iter("a"):
        text = dom.squash(dom.link_text(a))
        prev = _text_before(a)
        if re.search(r"(原文|相关文件|文件链接|政策文件|相关政策)(链接|地址)?[" + _COLONS + r"]\s*$", prev):
            add(_link_dict(a, base))
        elif re.fullmatch(r"《[^《》]{4,}》.{0,20}", text) and not _JIEDU_TEXT.search(text):
            add(_link_dict(a, base))
    return out


def extract_related_from_iframe(html: str, url: str) -> list[dict]:
    """Links to 解读 in a related-materials iframe page (gov.cn's sidebar): those under a 解读
    heading, else those whose text names an interpretation."""
    root = dom.clean_copy(dom.parse(html))
    base = dom.base_url(root, url)
    return _interpretations(root, base, root.find("body") if root.find("body") is not None else root)


# --- main text --------------------------------------------------------------------------------

def _own_text_len(el) -> int:
    """Characters of text not inside links (navigation is mostly links, articles are not)."""
    total = 0
    for node in el.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag != "a" and not any(anc.tag == "a" for anc in node.iterancestors()):
            total += len(dom.squash(node.text))
        if node is not el:
            parent = node.getparent()
            if parent is not None and parent.tag != "a" and not any(x.tag == "a" for x in parent.iterancestors()):
                total += len(dom.squash(node.tail))
    return total


def main_content(clean):
    """The article body: a known body container, else the block holding most non-link text."""
    for xp in _BODY_SELECTORS:
        for el in clean.xpath(xp):
            if len(dom.squash(el.text_content())) >= 20:
                return el
    body = clean.find(".//body")
    node = body if body is not None else clean
    # Descend while one child holds most of the non-link text.
    while True:
        total = _own_text_len(node)
        if total == 0:
            return node
        best, best_len = None, 0
        for child in node:
            if isinstance(child.tag, str):
                n = _own_text_len(child)
                if n > best_len:
                    best, best_len = child, n
        if best is None or best_len < total * 0.7 or best.tag in ("p", "span", "br", "td"):
            return node
        node = best
