"""Document pages: the 政府信息公开 metadata block, metas, 解读/原文 links, attachments, body text.

Labels vary by site and carry padding (`索 引 号：`, `标　　题：`, `索&nbsp;&nbsp;引&nbsp;&nbsp;号`),
so they are normalised before matching and looked up in a synonym table (README §2.2). Values
come from the next cell (td/th, dt/dd), the text after a `<span>label：</span>`, or the rest of a
`label：value` element. Every date is stored separately: 成文日期 ≠ 发布日期 ≠ URL date ≠ PubDate.

Each field comes, in this order, from the metadata block, a visible labelled line near the title
(`发布时间：2023-10-23 08:59  来源：某局`), then the national meta tags (PubDate, ArticleTitle,
ContentSource …). Hidden elements (display:none, ng-hide …) never count: a hidden block loses to
the visible line. A line or a meta tag gives a value but never makes a metadata block.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.extract import dom
from crawler.extract.attachments import is_attachment
from crawler.extract.dates import find_date, parse_date
from crawler.extract.scripted import inline_writes
from crawler.extract.text import visible_text

__all__ = ["DocumentData", "extract_document", "extract_related_from_iframe", "normalise_label",
           "extract_policies_from_iframe", "empty_relation_block", "relations_unseen",
           "relation_endpoints", "split_relations",
           "LABELS", "main_content", "read_fields", "visible_copy", "page_metas", "find_title"]

LABELS: dict[str, tuple[str, ...]] = {
    "index_no": ("索引号", "索取号", "信息索引号", "索引"),
    "topic": ("主题分类", "信息分类", "主题类别", "分类", "公开类别"),
    "publisher": ("发布机构", "发文机关", "发文单位", "发布单位", "发文机构", "制发机关", "公开主体", "信息发布机构",
                  "发布机关", "发文部门", "制文机关"),
    "written": ("成文日期", "生成日期", "印发日期", "成文时间", "发文日期", "生成时间", "印发时间"),
    "doc_no": ("发文字号", "文号", "发文号", "文件编号", "文件字号", "发文文号"),
    "published": ("发布日期", "公开日期", "发布时间", "公开时间", "发文时间", "公布日期"),
    "validity": ("有效性", "时效", "时效状态", "效力状态", "有效状态", "是否有效", "时效性"),
    "title": ("标题", "名称", "文件名称", "信息名称", "文件标题"),
}
_LABEL_KEY = {label: key for key, labels in LABELS.items() for label in labels}
# Labels of the line under a title (发布时间：… 来源：… 浏览次数：…), on top of LABELS. They name a
# value but are not metadata-block labels: a byline never makes a block. None: ends a value only.
BYLINE_LABELS: dict[str, str | None] = {
    **_LABEL_KEY,
    "时间": "published", "日期": "published", "发稿时间": "published", "发表时间": "published",
    "信息发布日期": "published", "信息发布时间": "published", "发布于": "published",
    "来源": "publisher", "信息来源": "publisher", "文章来源": "publisher", "稿件来源": "publisher",
    "来源单位": "publisher", "发布者": "publisher",
    "更新时间": None, "修改时间": None, "浏览次数": None, "点击数": None, "阅读次数": None,
    "访问次数": None, "浏览量": None, "作者": None, "编辑": None, "责任编辑": None, "字号": None,
    "字体": None, "分享到": None, "分享": None,
}
# National 政府网站 meta tags (names compared case-insensitively), in order of preference.
META_FIELDS = {
    "published": ("PubDate", "firstpublishedtime", "publishdate", "pubtime", "ArticlePubDate"),
    "title": ("ArticleTitle",),
    "publisher": ("ContentSource",),
}
_DATE_KEYS = {"written", "published"}
_COLONS = ":：﹕∶"
_JIEDU_HEAD = re.compile(r"^(相关|关联|政策|文件|图文|图片|视频|专家|媒体)?解读(文件|材料|文章|链接)?$|^一图读懂$|^图解$")
_JIEDU_TEXT = re.compile(r"解读|一图读懂|图解|图说|答记者问")
_POLICY_HEAD = re.compile(r"^(政策)?原文(链接)?$|^相关(政策)?文件$|^文件链接$|^相关政策$|^政策文件$|^原文件$|^关联(政策)?文件$")
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
    # Where each field was read: "block" (metadata block), "line" (a labelled line near the
    # title), "page" (a lone label elsewhere, pages without a block) or "meta" (meta tags).
    field_sources: dict[str, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    interpretations: list[dict] = field(default_factory=list)   # {"title", "url"}
    policies: list[dict] = field(default_factory=list)          # {"title", "url"}
    attachments: list[dict] = field(default_factory=list)       # {"title", "url"}
    iframes: list[str] = field(default_factory=list)
    # A relation block (相关解读 / 原文 …) shows no link while a live script may fill it after
    # load: the page's relations were not seen, so "no link" is no evidence.
    relations_unseen: bool = False
    # Where such a block's content comes from, when the page names it (data-url, relationUrl).
    relation_endpoints: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (url, text)
    text: str = ""
    text_digest: str = ""


def normalise_label(text: str | None) -> str:
    """`索 引 号：` / `标　　题:` / `索&nbsp;引&nbsp;号` → 索引号 / 标题."""
    squashed = dom.squash(text)
    return squashed.strip(_COLONS + "【】[]")


def extract_document(html: str, url: str) -> DocumentData:
    root = dom.parse(html)
    inline_writes(root)         # <td><script>document.write("2024-01-05")</script></td>
    clean = dom.clean_copy(root)
    base = dom.base_url(root, url)
    doc = DocumentData(url=url)
    doc.meta = _metas(root)
    visible = visible_copy(clean)
    doc.fields, doc.has_meta_block, doc.field_sources = read_fields(visible, doc.meta)
    doc.title = _title(root, visible, doc)
    doc.links = _links(clean, base)
    doc.attachments = _attachments(clean, base)
    doc.iframes = [u for u in (dom.resolve(base, f.get("src")) for f in root.iter("iframe")) if u]
    body = main_content(clean)
    doc.text = visible_text(body) if body is not None else ""     # lines and cells kept apart
    doc.text_digest = hashlib.sha1(doc.text.encode("utf-8")).hexdigest()
    doc.interpretations = _interpretations(clean, base, body)
    if _is_interpretation(doc):
        doc.policies = _policies(clean, base, doc.url)
    doc.relations_unseen = relations_unseen(html, url, clean, body)
    if doc.relations_unseen:
        doc.relation_endpoints = relation_endpoints(html, url, clean, body)
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


def read_fields(visible, meta: dict[str, str]) -> tuple[dict[str, str], bool, dict[str, str]]:
    """(fields, has_meta_block, sources) of a page whose hidden elements are gone (visible_copy).

    A field comes from the first source that has a value: the metadata block, a labelled line
    near the title, a lone label elsewhere (only on pages without a block: a block's page puts
    its metadata in the block), the meta tags. An empty block row ("") is kept only when no
    other source shows the value: the page does show it, so it is not missing.
    """
    block, loose, has_block = _fields(visible)
    tiers = (("block", block), ("line", _line_fields(visible, meta, block.get("title", ""))),
             ("page", loose), ("meta", _meta_fields(meta)))
    fields: dict[str, str] = {}
    sources: dict[str, str] = {}
    for source, values in tiers:
        for key, value in values.items():
            if key not in fields or (not fields[key] and value):
                fields[key] = value
                sources[key] = source
    return fields, has_block, sources


def visible_copy(clean):
    """A copy of a parsed page without hidden elements (dom.hides); their tails stay."""
    import copy

    root = copy.deepcopy(clean)
    doomed = [el for el in root.iter() if isinstance(el.tag, str) and el.tag not in ("html", "body")
              and dom.hides(el)]
    for el in doomed:       # an element inside an already dropped one goes with it: harmless
        dom.drop_keep_tail(el)
    return root


_INLINE_TAGS = frozenset({"br", "font", "span", "b", "strong", "label", "i", "em", "u", "small", "ins", "sub", "sup"})


def _fields(root) -> tuple[dict[str, str], dict[str, str], bool]:
    """(block values, values of lone labels, has_block). Where the page shows a metadata block,
    only the block's labels are block values and lone labels elsewhere are ignored; without a
    block every label/value pair on the page is a lone one."""
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
        if len(el) == 0 or all(c.tag in _INLINE_TAGS for c in el):
            # child boundaries separate (`<span>索引号：X</span><span>发布机构：Y</span>`)
            for key, value in _inline_pairs(dom.norm(" ".join(el.itertext()))):
                pairs.append((key, _clean_value(key, value), el))
                consumed.update(el.iter())
    block, has_block = _meta_block([el for _k, _v, el in pairs], {k for k, _v, _el in pairs})
    found: dict[str, str] = {}
    for key, value, el in pairs:
        if block is None or el is block or any(anc is block for anc in el.iterancestors()):
            found.setdefault(key, value)
    return (found, {}, True) if has_block else ({}, found, False)


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
        nxt = _next_element(cell)
        while nxt is not None and nxt.tag in ("td", "th") and _only_colon(dom.text_of(nxt)):
            nxt = _next_element(nxt)          # <th>索引号</th><td>：</td><td>value</td>
        if nxt is not None and nxt.tag in ("td", "th") and _label_key(nxt) is not None:
            return _cell_below(cell)          # a row of labels above a row of values
        return dom.text_of(nxt) if nxt is not None and nxt.tag in ("td", "th") else _cell_below(cell)
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
    value = dom.norm(" ".join(parts)).lstrip(_COLONS + " ")
    if not value and cell.getparent() is not None and cell.getparent().tag in ("td", "th", "dt"):
        # <td><b>label</b></td><td>value</td> where the label element sits inside the cell
        return _value_after(cell.getparent()) if _label_key(cell.getparent()) is None else value
    if not value:
        return _value_beside(cell)
    return value


def _next_element(el):
    nxt = el.getnext()
    while nxt is not None and not isinstance(nxt.tag, str):
        nxt = nxt.getnext()
    return nxt


def _only_colon(text: str) -> bool:
    return bool(text) and not dom.squash(text).strip(_COLONS)


def _cell_below(cell) -> str:
    """The cell under a label cell (`<tr><td>索引号</td><td>发布机构</td></tr><tr><td>X</td>…`):
    same column in the next row, when that row holds no label. "" otherwise."""
    row = cell.getparent()
    if row is None or row.tag != "tr":
        return ""
    cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
    below = _next_element(row)
    if below is None or below.tag != "tr":
        return ""
    under = [c for c in below if isinstance(c.tag, str) and c.tag in ("td", "th")]
    if len(under) != len(cells) or any(_label_key(c) is not None for c in under):
        return ""
    return dom.text_of(under[cells.index(cell)])


def _value_beside(label) -> str:
    """A label alone in its own block (`<div class="l">发布机构：</div><div class="r">某局</div>`):
    the short, unlabelled block right after it. A date label takes it only when it is a date; an
    empty label followed by body text stays empty."""
    holder = label
    for anc in label.iterancestors():
        if anc.tag in ("body", "html") or dom.text_of(anc) != dom.text_of(label):
            break
        holder = anc
    nxt = _next_element(holder)
    if nxt is None or nxt.tag in ("br", "table", "ul", "ol", "h1", "h2", "h3"):
        return ""
    text = dom.text_of(nxt)
    if not text or len(text) > 60 or any(_label_key(c) is not None for c in nxt.iter() if isinstance(c.tag, str)):
        return ""
    if _INLINE.search(text) or _LABEL_KEY.get(normalise_label(text)):
        return ""
    key = _label_key(label)
    if key in _DATE_KEYS and not (parse_date(text) or find_date(text)):
        return ""
    return text


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


_LINE_BLOCKS = frozenset({"p", "div", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6",
                          "section", "article", "blockquote", "center", "form", "body"})


def _line_of(el):
    """The block element whose line `el` sits on (spans of a byline share their div)."""
    for node in (el, *el.iterancestors()):
        if node.tag in _LINE_BLOCKS:
            return node
    return el


# Labels only a 政府信息公开 metadata block shows (an article's header shows 标题, 发布时间, 来源).
_BLOCK_ONLY = {"index_no", "topic", "written", "doc_no", "validity"}


def _meta_block(labels: list, keys: set[str] = frozenset()):
    """(block, has_block). A page has a metadata block when two labels share a close ancestor
    (≤4 levels up), they are three fields or include one only such blocks show (索引号, 文号,
    成文日期 …), and they are not just two labels of one line: `<span>发布时间：…</span>
    <span>发布机构：…</span>` under a title, or 标题 and 发布时间 in an article's header, are no
    block. The block itself is the deepest element holding most (≥60%) of the labels; labels
    outside it, such as a byline's 发布时间, are not the block's. None when the labels are spread
    over several small blocks: then all of them count."""
    distinct = set(labels)
    if len(keys) < 3 and not keys & _BLOCK_ONLY:
        return None, False
    if len(distinct) < 3 and len({_line_of(el) for el in distinct}) < 2:
        return None, False
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


# --- the labelled line near the title --------------------------------------------------------

_BYLINE = re.compile(
    "(" + "|".join(sorted((_SEP.join(map(re.escape, label)) for label in BYLINE_LABELS),
                          key=len, reverse=True)) + ")" + _SEP + "[" + _COLONS + "]")
# Any other short label (`责任编辑：`, `【字体：`) ends the value before it.
_ANY_LABEL = re.compile(r"(?:^|(?<=[\s|｜/【\[（(]))[\u4e00-\u9fff]{1,6}" + _SEP + "[" + _COLONS + "]")
_LINE_MAX = 160          # a byline is short; longer lines are body text
_AFTER, _BEFORE = 5, 2   # lines looked at after / before the title line


def _line_fields(visible, meta: dict[str, str], block_title: str = "") -> dict[str, str]:
    """Fields from the labelled lines near the title: `发布时间：2023-10-23 08:59`, `发布日期:
    2012-06-24`, `来源：某局 发布时间：… 浏览次数：`, and an unlabelled date leading the line just
    under the title (`2024-12-24 16:04  来源：…`). Values run to the next label on the line; dates
    must parse. Lines stop where the article body starts: a known body container, a long line, or
    a line of text that is neither labelled, nor a date, nor a heading (`各单位：…` then `时间：…`
    of a meeting notice is the body's, not the page's)."""
    lines = [line for line in visible_text(visible).split("\n") if line.strip()]
    candidates = _title_candidates(visible, meta, block_title)
    at = _title_line(lines, candidates)
    if at is None:
        return {}
    headings = {dom.squash(c) for c in candidates}
    out: dict[str, str] = {}
    # The title's own line may go on with the byline (a short layout cell shown as one line).
    rest = _after_title(lines[at], candidates)
    if rest:
        _take_line(rest, out, lead_date=True)
    body = _body_container(visible)
    body_first = ""
    if body is not None:
        body_lines = [x for x in visible_text(body).split("\n") if x.strip()]
        title_key = dom.squash(lines[at])
        if body_lines and title_key not in dom.squash(" ".join(body_lines[:3])):
            body_first = body_lines[0]
    for i in range(at + 1, min(len(lines), at + 1 + _AFTER)):
        line = lines[i]
        if line == body_first or len(line) > _LINE_MAX:
            break
        lead, pairs = line_pairs(line)
        if not any(key for key, _v in pairs) and parse_date(lead) is None \
                and len(dom.squash(line)) >= 20 and dom.squash(line) not in headings:
            break
        _take_line(line, out, lead_date=i <= at + 3)
    for i in range(max(0, at - _BEFORE), at):
        if len(lines[i]) <= _LINE_MAX:
            _take_line(lines[i], out, lead_date=False)
    return out


def _take_line(line: str, out: dict[str, str], lead_date: bool) -> None:
    lead, pairs = line_pairs(line)
    for key, value in pairs:
        if key is None or not value or key in out:
            continue
        if key in _DATE_KEYS:
            parsed = parse_date(value) or find_date(value)
            if parsed is None:
                continue
            value = parsed.isoformat()
        elif key == "publisher":
            # `某局 【打印】【关闭】`: the name is the first word; a sentence is no name
            value = re.split(r"[\s，。；,;：:]", value)[0]
            if len(value) > 40:
                continue
        out[key] = value
    if lead_date and lead and "published" not in out:
        parsed = parse_date(lead)
        if parsed is not None:
            out["published"] = parsed.isoformat()


def line_pairs(line: str) -> tuple[str, list[tuple[str | None, str]]]:
    """(text before the first label, [(key, value)…]) of one line. A known label counts at the
    line's start or after anything but a Chinese character (办公时间 is no 时间), longer ones
    (发布时间, 信息来源) anywhere; key None marks labels that only end a value (浏览次数)."""
    spans: list[tuple[int, int, str | None]] = []
    for m in _BYLINE.finditer(line):
        label = dom.squash(m.group(1))
        if m.start() > 0 and len(label) < 4 and re.match(r"[\u4e00-\u9fff]", line[m.start() - 1]):
            continue
        spans.append((m.start(), m.end(), BYLINE_LABELS[label]))
    for m in _ANY_LABEL.finditer(line):
        if not any(a <= m.start() < b or m.start() <= a < m.end() for a, b, _k in spans):
            spans.append((m.start(), m.end(), None))
    spans.sort()
    strip = " \t|｜/;；,，【】[]()（）"
    lead = line[: spans[0][0]] if spans else line
    pairs = []
    for i, (_a, end, key) in enumerate(spans):
        stop = spans[i + 1][0] if i + 1 < len(spans) else len(line)
        value = re.split(r"[【\[]", line[end:stop], maxsplit=1)[0]
        pairs.append((key, dom.norm(value).strip(strip)))
    return lead.strip(strip), pairs


def _title_candidates(visible, meta: dict[str, str], block_title: str) -> list[str]:
    """Texts the title line may show, surest first: ArticleTitle, the block's 标题, the longest
    part of <title>, then headings and title-classed elements. A text some link shows is no
    candidate (a <title> that is the column's name matches its menu item; a logo <h1>)."""
    linked = {dom.squash(dom.link_text(a)) for a in visible.iter("a")}
    out = [_meta_value(meta, "ArticleTitle"), block_title]
    found = []
    t = visible.find(".//title")
    if t is not None:
        parts = re.split(r"\s*[_|｜—–-]+\s*|\s{2,}", dom.text_of(t))
        found.append(max(parts, key=len) if parts else "")
    found += [dom.text_of(el) for el in visible.iter("h1", "h2", "h3")]
    found += [dom.text_of(el) for el in visible.xpath(
        "//*[contains(@class,'title') or contains(@class,'Title') or contains(@class,'biaoti') "
        "or contains(@id,'title')]") if el.find(".//a") is None]
    out += [c for c in found if dom.squash(c) not in linked]
    return [c for c in out if c and 4 <= len(dom.squash(c)) <= 200]


def _title_line(lines: list[str], candidates: list[str]) -> int | None:
    """Index of the line showing the title: an exact match first, then a line holding it."""
    keys = [dom.squash(x) for x in lines]
    for cand in candidates:
        want = dom.squash(cand)
        for i, key in enumerate(keys):
            if key == want:
                return i
    for cand in candidates[:3]:
        want = dom.squash(cand)
        for i, key in enumerate(keys):
            if len(want) >= 8 and key.startswith(want) and len(key) <= len(want) + _LINE_MAX:
                return i
            if len(want) >= 8 and want in key and len(key) <= len(want) + 12:
                return i
    return None


def _after_title(line: str, candidates: list[str]) -> str:
    """What the title line shows after the title itself ("" when it is the title alone)."""
    key = dom.squash(line)
    for cand in candidates:
        want = dom.squash(cand)
        if want and want in key:
            end = key.index(want) + len(want)
            seen = 0
            for i, ch in enumerate(line):      # map the squashed offset back onto the line
                if not dom.SPACE_RE.match(ch):
                    seen += 1
                if seen == end:
                    return line[i + 1:].strip()
    return ""


def _body_container(root):
    """The first known article-body container with text (where the line under the title ends)."""
    for xp in _BODY_SELECTORS:
        for el in root.xpath(xp):
            if dom.squash(el.text_content()):
                return el
    return None


def _meta_value(meta: dict[str, str], name: str) -> str:
    if name in meta:
        return meta[name]
    low = name.lower()
    return next((v for k, v in meta.items() if k.lower() == low), "")


def _meta_fields(meta: dict[str, str]) -> dict[str, str]:
    """Fields from the national meta tags; a date that does not parse is no value."""
    out: dict[str, str] = {}
    for key, names in META_FIELDS.items():
        for name in names:
            value = dom.norm(_meta_value(meta, name))
            if not value:
                continue
            if key in _DATE_KEYS:
                parsed = parse_date(value) or find_date(value)
                if parsed is None:
                    continue
                value = parsed.isoformat()
            out[key] = value
            break
    return out


def find_title(root, meta: dict[str, str], fields: dict[str, str]) -> str:
    """The document's title (see _title): ArticleTitle, the block's 标题, the first <h1>, <title>."""
    return _title(root, root, DocumentData(url="", fields=fields, meta=meta))


def _title(root, clean, doc: DocumentData) -> str:
    if _meta_value(doc.meta, "ArticleTitle").strip():
        return _meta_value(doc.meta, "ArticleTitle").strip()
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
    """Links to files: by the extension of the path, of a file name in the query (Hanweb
    `downfile.jsp?filename=x.pdf`), or of the link text (`实施方案.docx` on `/attach/123`)."""
    out, seen = [], set()
    for a in root.iter("a"):
        url = dom.resolve(base, a.get("href"))
        if not url or url in seen:
            continue
        text = dom.link_text(a)
        if is_attachment(url, text) or is_attachment(url, dom.norm(a.get("title"))):
            seen.add(url)
            out.append({"title": text, "url": url})
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


_HEADING_MAX = 12
_short_cache: tuple = (None, [])     # (root, its short-text elements): one page, several patterns


def _short_texts(root) -> list:
    """(element, text) of every element outside links whose text is at most _HEADING_MAX long,
    in document order. Computed once per tree: the heading searches ask for several labels."""
    global _short_cache
    if _short_cache[0] is root:
        return _short_cache[1]
    out = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("a", "html", "body"):
            continue
        if _longer_than(el, _HEADING_MAX) or any(anc.tag == "a" for anc in el.iterancestors()):
            continue
        text = dom.text_of(el)
        if text and len(text) <= _HEADING_MAX:
            out.append((el, text))
    _short_cache = (root, out)
    return out


def _longer_than(el, limit: int) -> bool:
    """Whether el's text surely normalises to more than `limit` characters: its non-space
    characters (what text_content counts: element texts and descendants' tails) pass `limit`.
    Stops early, so a page's big containers cost little."""
    seen = 0
    for sub in el.iter():
        if isinstance(sub.tag, str) and sub.text:
            seen += len(dom.squash(sub.text))
        if sub is not el and sub.tail:
            seen += len(dom.squash(sub.tail))
        if seen > limit:
            return True
    return False


def _heading_elements(root, pattern: re.Pattern):
    for el, text in _short_texts(root):
        if pattern.match(normalise_label(text)):
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


# A bare column name (not a `政策解读：` label) outside the article is a site-wide sidebar's title.
_GENERIC_HEADS = ("政策解读", "政策文件", "相关政策")


def empty_relation_block(root, body=None) -> bool:
    """Whether the page shows a relation block (a 相关解读 / 政策解读 / 相关文件 / 原文 / 关联文件
    heading) that holds neither a link nor any other text: the container a script fills after load.
    `root` is a clean copy (no scripts); `body` the article, where a bare 政策解读 is trusted."""
    return next(_empty_blocks(root, body), None) is not None


def _empty_blocks(root, body=None):
    """The empty relation blocks (see empty_relation_block): each block's widest wrapper."""
    for pattern in (_JIEDU_HEAD, _POLICY_HEAD):
        for head in _heading_elements(root, pattern):
            text = dom.text_of(head)
            if normalise_label(text) in _GENERIC_HEADS and not text.endswith(tuple(_COLONS)) \
                    and (body is None or not _within(head, body)):
                continue
            block = _empty_block(head)
            if block is not None:
                yield block


def _empty_block(head):
    """The block under a relation heading when it holds no link and no other text, else None."""
    # The block is the widest wrapper whose only text is the heading (div.xgjd > h3 + ul#list):
    # empty when it holds no link. A heading sharing its wrapper with other text is followed by
    # its block: empty when the following siblings (up to the next heading) hold no link or text.
    label = dom.squash(dom.text_of(head))
    wrapper, node = head, head
    for _ in range(4):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html") or dom.squash(dom.text_of(parent)) != label:
            break
        wrapper = node = parent
    if wrapper is not head:
        return None if any(a.get("href") for a in wrapper.iter("a")) else wrapper
    # A heading last in its parent (a tab: ul > li 相关文件, then div.tab-content) is followed by
    # what follows the parent.
    node = head
    for _ in range(3):
        parent = node.getparent()
        if dom.squash(node.tail) or any(isinstance(x.tag, str) for x in node.itersiblings()) \
                or parent is None or parent.tag in ("body", "html"):
            break
        node = parent
    for sib in node.itersiblings():
        if not isinstance(sib.tag, str):
            continue
        if sib.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            break
        if sib.tag == "a" or any(a.get("href") for a in sib.iter("a")) or dom.squash(dom.text_of(sib)):
            return None
    if dom.squash(node.tail):
        return None
    parent = node.getparent()
    return node if parent is None or parent.tag in ("body", "html") else parent


def relations_unseen(html: str, url: str, clean=None, body=None) -> bool:
    """An empty relation block on a page carrying a live script: what the block holds after load
    (an XHR to a relation endpoint) was not seen, so its absence is no finding."""
    if clean is None:
        clean = dom.clean_copy(dom.parse(html))
    if not empty_relation_block(clean, body):
        return False
    from crawler.readers import ListContext, has_scripts     # readers import extract, not back
    return has_scripts(ListContext(html, url))


# A URL the page names as its relations' source: in a key or variable named for relations
# (relationUrl: '…'), or a request path that says so (/relation/…-RelationArticle.json, /xgjd/).
_RELATION_KEYED = re.compile(r"""["']?\w*relation\w*["']?\s*[:=]\s*(["'])([^"'\s+]+)\1""", re.I)
_RELATION_PATH = re.compile(r"relation|/xgjd|/xgwj|/glwj", re.I)
_NOT_DATA = re.compile(r"\.(?:js|css|png|jpe?g|gif|svg|ico|woff2?)$", re.I)    # the script itself
_DATA_URL_ATTRS = ("data-url", "data-api", "data-src", "data-source", "data-ajax-url", "data-json")


def relation_endpoints(html: str, url: str, clean=None, body=None) -> list[str]:
    """Same-site URLs an empty relation block is filled from, where the page names them: a data
    attribute on the block, a relation-named key in a script or configuration, or a request a
    script makes to a relation path. Other endpoints on the page (counters, news feeds) are left:
    their entries are not this document's relations."""
    from crawler.readers import ListContext
    from crawler.readers.json_list import discover

    if clean is None:
        clean = dom.clean_copy(dom.parse(html))
    ctx = ListContext(html, url)
    out: list[str] = []

    def add(raw: str | None) -> None:
        found = dom.resolve(ctx.base, (raw or "").strip())
        if found and dom.host_key(found) == dom.host_key(url) and found != url and found not in out \
                and not _NOT_DATA.search(urlsplit(found).path):
            out.append(found)

    for block in _empty_blocks(clean, body):
        for el in block.iter():
            if isinstance(el.tag, str):
                for attr in _DATA_URL_ATTRS:
                    add(el.get(attr))
    for script in ctx.live_scripts:
        for m in _RELATION_KEYED.finditer(script):
            if re.search(r"[/.]", m.group(2)):
                add(m.group(2))
    for request in discover(ctx):
        if _RELATION_PATH.search(urlsplit(request["url"]).path):
            add(request["url"])
    return out


def split_relations(entries) -> tuple[list[dict], list[dict]]:
    """A relation endpoint's entries ({title, url} or ListEntry) as (解读, policies): by title."""
    jd: list[dict] = []
    policies: list[dict] = []
    for e in entries:
        title, link = (e["title"], e["url"]) if isinstance(e, dict) else (e.title, e.url)
        if link:
            (jd if _JIEDU_TEXT.search(title or "") else policies).append({"title": title, "url": link})
    return jd, policies


def extract_policies_from_iframe(html: str, url: str) -> list[dict]:
    """Links to policies (原文 / 相关文件) in a related-materials frame of a 解读 page."""
    root = dom.clean_copy(dom.parse(html))
    return _policies(root, dom.base_url(root, url), url)


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
