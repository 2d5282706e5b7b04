"""Markup perturbations of a built fixture site: the same site in other clothes.

    truth = build_site(root, spec)
    report = perturb_site(root, spec, truth, seed=3, kinds=MARKUP)   # rewrites files under root
    # `truth` is still exact: only markup changed, never an entry, title, date, link target or
    # defect. An audit of the perturbed site must find what it finds on the unperturbed one.

The generator was written beside the reader and shares its assumptions (ul.list > li > a + span,
one date format per style, scripts only where a list needs them). Held-out sites do not. Each
kind below rewrites the generated files (lxml parse → rewrite → write back in the page's own
encoding), deterministically from `seed`; every list keeps one layout and date format per column,
as one CMS template would.

Markup kinds (readable without a browser; audit with `--render never`):
  layout    list containers re-built as `<ul>`/`<ol>` rows, `<table>` rows (sometimes with a
            标题/发布日期 header row) or `<div>` grids; the date in a `<span>`/`<em>`/`<b>`/`<i>`/
            `<td>`/`<div>`, before or after the title. Also the Hanweb datastore records (in the
            page and in `.dataproxy/`), one record a `<li>`, a `<div>` or a one-row `<table>`.
  dates     list dates (HTML rows, Hanweb records, JSON `publishTime`) and the metadata block's /
            发布时间 line's dates in real formats: 2023-10-23, 2023/10/23, 2023年10月23日,
            2023年1月5日, 2023.10.23, [2023-10-23], (2023-10-23), `2023-10-23 08:59`. MM-DD rows
            (no year) keep their text. JSON dates also as `2023-10-23T08:59:00` or epoch millis.
  wrappers  every class name renamed (one random name per class per site, never a "hidden"
            word), ids no script refers to renamed, and the list, the article, the metadata block,
            the column tree and the body text wrapped in 0–3 extra `<div>`s.
  cells     the seeded personal-data defects (privacy.*) moved from a sentence into table rows,
            one value a cell (a roster with 序号/姓名/职务/联系电话, or a 开户银行/账号 key-value
            table); other rows hold masked numbers only.
  footer    document pages get a 相关链接 / 专题专栏 block of 20–40 links (to pages written here,
            under /ztzl/, all answering 200) before the site footer.
  rows      HTML lists re-built as real sites also write them (one per column): `<dl>` with the
            title in `<dt>` and the date in the `<dd>` after it; one `<div>` of `·<a>…</a> date<br>`
            lines; `<li>` whose date is split into the day and the year-month
            (`<div class="date"><span>05</span><em>2024-01</em></div>`) before the title.
  links     list links that lead somewhere only by script (one way per column):
            `href="javascript:void(0)" onclick="window.open('…')"`, `data-href`, a
            `javascript:window.open('…')` href, or `href="#"` inside a row whose onclick sets
            location.href.
  meta      the metadata block of documents re-laid (one layout per document): a `<div>` grid of
            label and value cells, a colon in a cell of its own, labels split character by
            character into `<span>`s, a row of labels above a row of values, `<dl>`; dates
            sometimes in Chinese numerals (二〇二四年一月五日); in some blocks the values written
            by `document.write("…")`. Labels, values, empty and missing rows stay exactly as
            generated.

Script kinds (need a browser for part of the site; audit with `--render auto` and Chromium):
  scripts   a jQuery file and a statistics script (external `/res/…` or an inline `_hmt` loader)
            on every page; the TRS pager function moved from inline code to an external file under
            an arbitrary name (`/static/js/app.<hash>.js`, `/res/main.js` …).
  api       lists filled by a bundled script: for about half the HTML-list columns (TRS, legacy)
            every list page ships an empty container and a real script (external under an
            arbitrary name, or inline) that fetches `/api/list/….json` and builds the rows in the
            browser; the endpoint is named in a `data-src` attribute or computed in script from
            `location`; dates as APIs write them (2023-10-23, `2023/10/23 09:12`, `…T09:12:00`,
            epoch milliseconds …). Empty columns answer an empty list and the script writes 暂无信息. JSON-style
            sites get the `render()` / `pager()` functions their pages call (without them a
            browser builds nothing).

Not perturbed: the homepage footer and meta (site.identity), comment blocks (dead lists stay dead),
document bodies other than the seeded personal data, link targets, and anything answering a fault.
"""
from __future__ import annotations

import copy
import hashlib
import json
import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from tests.sites import names as N
from tests.sites.generator import BANK_CARD, ID_NUMBER, PHONE, SiteSpec, Truth

MARKUP = ("layout", "dates", "wrappers", "cells", "footer", "rows", "links", "meta")
SCRIPTED = ("scripts", "api")
KINDS = MARKUP + SCRIPTED

LAYOUTS = ("ul", "ol", "table", "table_head", "div_row", "div_item")
ROW_LAYOUTS = ("dl", "br", "split")
LINK_STYLES = ("onclick", "data", "jshref", "row")
META_LAYOUTS = ("grid", "colon_cell", "split", "vertical", "dl")
_CN_DIGITS = "〇一二三四五六七八九"
DATE_FORMATS = ("iso", "slash", "cn", "cn_short", "dot", "bracket", "paren", "time")
DATE_HOLDERS = ("span", "em", "b", "i")
_FULL_DATE = re.compile(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?")
_BEIJING = timezone(timedelta(hours=8))
_HIDDEN_WORDS = re.compile(r"hid|none|display|invis|collapse|fade|sr-only|off|close", re.I)


def fmt_date(d: date, fmt: str, minute: int = 0) -> str:
    """`d` written the way `fmt` says (DATE_FORMATS)."""
    return {
        "iso": f"{d:%Y-%m-%d}", "slash": f"{d:%Y/%m/%d}", "cn": f"{d.year}年{d.month:02d}月{d.day:02d}日",
        "cn_short": f"{d.year}年{d.month}月{d.day}日", "dot": f"{d:%Y.%m.%d}", "bracket": f"[{d:%Y-%m-%d}]",
        "paren": f"({d:%Y-%m-%d})", "time": f"{d:%Y-%m-%d} {8 + minute % 10:02d}:{minute % 60:02d}",
    }[fmt]


def cn_numerals(d: date) -> str:
    """二〇二四年一月五日: how 公文 write their dates."""
    def small(n: int) -> str:
        tens, ones = divmod(n, 10)
        return ("" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")) + ("" if ones == 0 and tens else _CN_DIGITS[ones])
    return "".join(_CN_DIGITS[int(c)] for c in str(d.year)) + f"年{small(d.month)}月{small(d.day)}日"


def parse_full_date(text: str) -> date | None:
    """The one full date (with its year) in `text`, else None."""
    m = _FULL_DATE.search(text or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def json_date(d: date, fmt: str) -> str | int:
    """`d` as list APIs write it, one style per DATE_FORMATS key (epoch milliseconds, Beijing time,
    for "bracket": brackets are for HTML)."""
    m = d.toordinal() % 60
    return {
        "iso": f"{d:%Y-%m-%d}", "slash": f"{d:%Y/%m/%d} 09:{m:02d}", "cn": fmt_date(d, "cn"),
        "cn_short": f"{d:%Y-%m-%d}T09:{m:02d}:00", "dot": fmt_date(d, "dot"),
        "bracket": int(datetime(d.year, d.month, d.day, 9, m, tzinfo=_BEIJING).timestamp() * 1000),
        "paren": f"{d:%Y-%m-%d} 09:{m:02d}:00", "time": fmt_date(d, "time", m),
    }[fmt]


@dataclass
class ListLook:
    """How one column's lists look after perturbation."""
    layout: str
    fmt: str
    holder: str
    before: bool

    @classmethod
    def draw(cls, rng: random.Random) -> "ListLook":
        return cls(rng.choice(LAYOUTS), rng.choice(DATE_FORMATS), rng.choice(DATE_HOLDERS), rng.random() < 0.35)


@dataclass
class Report:
    """What `perturb_site` changed (for tests and the bench)."""
    kinds: tuple[str, ...]
    pages: int = 0                      # HTML files rewritten
    lists: int = 0                      # list containers re-built or re-dated
    records: int = 0                    # Hanweb records / JSON items rewritten
    dates: int = 0                      # dates re-formatted
    cells: int = 0                      # personal-data values moved into table cells
    footers: int = 0
    scripts: int = 0                    # script elements added or moved out
    api_columns: list[str] = field(default_factory=list)   # column URLs whose lists a script builds
    layouts: set[str] = field(default_factory=set)
    formats: set[str] = field(default_factory=set)


class _Perturber:
    def __init__(self, root: Path, spec: SiteSpec, truth: Truth, seed: int, kinds: tuple[str, ...]):
        self.root, self.spec, self.truth, self.seed = Path(root), spec, truth, seed
        self.kinds = set(kinds)
        unknown = self.kinds - set(KINDS)
        if unknown:
            raise ValueError(f"unknown perturbation kinds: {sorted(unknown)}")
        self.report = Report(tuple(k for k in KINDS if k in self.kinds))
        self.rng = random.Random(f"perturb-{seed}-{spec.seed}")
        self.encoding = "gbk" if spec.style == "legacy" else "utf-8"
        self.classes: dict[str, str] = {}
        self.ids: dict[str, str] = {}
        self.looks: dict[str, ListLook] = {}
        self.columns = {c["url"]: c for c in truth.columns}
        faulty = {k for k in truth.faults if k != "*"}
        self.api_cols = set()
        if "api" in self.kinds and spec.style in ("trs", "legacy"):
            cands = sorted(u for u, c in self.columns.items() if u not in faulty and c.get("checked", True))
            r = random.Random(f"perturb-api-{seed}-{spec.seed}")
            self.api_cols = {u for u in cands if r.random() < 0.5}
            with_entries = [u for u in cands if self.columns[u]["entries"]]
            if with_entries and not self.api_cols & set(with_entries):
                self.api_cols.add(r.choice(with_entries))
        self.report.api_columns = sorted(self.api_cols)
        h = hashlib.sha1(f"{seed}-{spec.seed}".encode()).hexdigest()
        r = self.rng
        self.app_js = r.choice([f"/static/js/app.{h[:8]}.js", "/res/main.js", f"/js/index.{h[8:16]}.js",
                                f"/static/js/chunk-{h[16:24]}.js", "/assets/bundle.min.js"])
        self.pager_js = r.choice([f"/static/js/common.{h[24:32]}.js", "/res/page.js", "/js/util.js",
                                  f"/static/js/vendor.{h[:6]}.js"])
        self.inline_app = r.random() < 0.3
        self.use_fetch = r.random() < 0.5
        self.json_keys = r.choice([("data.list", "title", "url", "pubDate"),
                                   ("rows", "name", "link", "publishTime"),
                                   ("data.records", "docTitle", "docUrl", "docPubTime")])
        self.stat_inline = r.random() < 0.5
        self.zt_pages: list[tuple[str, str]] = []

    # ------------------------------------------------------------------ io
    def read(self, file: Path) -> str:
        data = file.read_bytes()
        return data.decode("gb18030" if self.encoding == "gbk" else "utf-8")

    def write(self, file: Path, text: str) -> None:
        file.parent.mkdir(parents=True, exist_ok=True)
        if self.encoding == "gbk" and file.suffix not in (".js", ".json", ".css"):
            file.write_bytes(text.encode("gbk", errors="xmlcharrefreplace"))
        else:
            file.write_text(text, encoding="utf-8")

    def site_path(self, file: Path) -> str:
        rel = file.relative_to(self.root).as_posix()
        rel, _, query = rel.partition("@")
        return "/" + rel + (f"?{query}" if query else "")

    @staticmethod
    def col_dir(path: str) -> str:
        return path.split("?")[0].rsplit("/", 1)[0] + "/"

    def look(self, key: str) -> ListLook:
        if key not in self.looks:
            self.looks[key] = ListLook.draw(random.Random(f"perturb-look-{self.seed}-{self.spec.seed}-{key}"))
        return self.looks[key]

    # ------------------------------------------------------------------ run
    def run(self) -> Report:
        files = sorted(p for p in self.root.rglob("*") if p.is_file() and self.is_page(p))
        if "footer" in self.kinds:
            self.write_zt_pages()
        for file in files:
            self.page(file)
        if self.spec.style == "hanweb" and self.kinds & {"layout", "dates"}:
            for file in sorted((self.root / ".dataproxy").glob("*.json")):
                self.dataproxy(file)
        if self.spec.style == "json" and "dates" in self.kinds:
            for file in sorted((self.root / "api").glob("list@*")):
                data = json.loads(file.read_text("utf-8"))
                self.json_items(data["data"]["list"], file.name.split("column=")[1].split("&")[0])
                file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        if "scripts" in self.kinds:
            self.write_script_files()
        if self.api_cols or ("api" in self.kinds and self.spec.style == "json"):
            self.write(self.root / self.app_js.lstrip("/"), self.app_code())
        return self.report

    def is_page(self, p: Path) -> bool:
        rel = p.relative_to(self.root).as_posix()
        if rel.startswith((".dataproxy/", "api/", "ztzl/")):
            return False
        name = p.name.split("@")[0]
        return name.endswith((".html", ".htm"))

    def page(self, file: Path) -> None:
        text = self.read(file)
        path = self.site_path(file)
        tree = lxml.html.document_fromstring(text)
        doctype = tree.getroottree().docinfo.doctype
        changed = False
        is_doc = bool(tree.xpath('//div[@class="article"]/h1[@class="title"]'))
        col = self.col_dir(path)
        if col in self.api_cols:
            changed |= self.to_api(tree, path, col)
        if "rows" in self.kinds:
            changed |= self.row_layouts(tree, path)
        if self.kinds & {"layout", "dates"}:
            changed |= self.lists(tree, path)
            changed |= self.hanweb_datastore(tree, col)
            changed |= self.embedded_json(tree, col)
        if "dates" in self.kinds and is_doc:
            changed |= self.doc_dates(tree, path)
        if "links" in self.kinds:
            changed |= self.script_links(tree, path)
        if "meta" in self.kinds and is_doc:
            changed |= self.meta_layout(tree, path)
        if "cells" in self.kinds and is_doc:
            changed |= self.cells(tree)
        if "footer" in self.kinds and is_doc:
            changed |= self.footer(tree, path)
        if "scripts" in self.kinds:
            changed |= self.scripts(tree)
        if "api" in self.kinds and self.spec.style == "json":
            changed |= self.json_app(tree)
        if "wrappers" in self.kinds:
            changed |= self.wrappers(tree, path)
        if changed:
            out = etree.tostring(tree.getroottree(), method="html", encoding="unicode", doctype=doctype or None)
            self.write(file, out)
            self.report.pages += 1

    # ------------------------------------------------------------------ lists
    def containers(self, tree) -> list:
        return tree.xpath('//ul[@class="list" or @class="news-list"] | //table[@class="list"]')

    def list_boxes(self, tree, path: str):
        """(container, its key, its parsed rows) of each list on the page that has rows."""
        for box in self.containers(tree):
            key = self.col_dir(path) + ("#news" if box.get("class") == "news-list" else "")
            rows = [r for r in (self.parse_row(r) for r in box.iter("li", "tr")) if r is not None]
            if rows:
                yield box, key, rows

    def lists(self, tree, path: str) -> bool:
        changed = False
        for box, key, rows in self.list_boxes(tree, path):
            look = self.look(key)
            if "layout" in self.kinds:
                new = self.build_list(rows, look)
                new.tail = box.tail
                box.getparent().replace(box, new)
                self.report.layouts.add(look.layout)
            else:
                for _, _, holder, d, _ in rows:
                    if d is not None:
                        holder.text = self.date_text(d, holder.text, look)
            self.report.lists += 1
            changed = True
        return changed

    @staticmethod
    def parse_row(row):
        """(row, <a>, date holder, date, raw date text) of a generated list row, else None."""
        a = next(row.iter("a"), None)
        if a is None:
            return None
        for el in row.iter():
            if el is row or el is a or a in el.iterancestors() or el in a.iterancestors():
                continue
            text = (el.text or "").strip()
            if text and re.fullmatch(r"[\[(]?[\d年月日\-/. :]+[\])]?", text):
                return row, a, el, parse_full_date(text), text
        return row, a, None, None, ""

    def date_text(self, d: date | None, raw: str, look: ListLook) -> str:
        if d is None or "dates" not in self.kinds:
            return raw
        self.report.dates += 1
        self.report.formats.add(look.fmt)
        return fmt_date(d, look.fmt, d.toordinal())

    def build_list(self, rows, look: ListLook):
        E = lxml.html.Element
        layout = look.layout
        if layout in ("ul", "ol"):
            box = E(layout)
        elif layout.startswith("table"):
            box = E("table")
            box.set("width", "100%")
        else:
            box = E("div")
        box.set("class", "list")
        if layout == "table_head":
            head = etree.SubElement(box, "tr")
            for label in ("标题", "发布日期") if not look.before else ("发布日期", "标题"):
                etree.SubElement(head, "th").text = label
        for _, a, _, d, raw in rows:
            a = copy.deepcopy(a)
            a.tail = None
            text = self.date_text(d, raw, look) if raw else ""
            if layout in ("ul", "ol", "div_item"):
                row = etree.SubElement(box, "li" if layout != "div_item" else "div")
                if layout == "div_item":
                    row.set("class", "item")
                parts = [a]
                if text:
                    h = E(look.holder)
                    h.text = text
                    parts.insert(0 if look.before else 1, h)
                for p in parts:
                    row.append(p)
            elif layout.startswith("table"):
                row = etree.SubElement(box, "tr")
                ta, td = E("td"), E("td")
                ta.append(a)
                td.text = text
                for cell in ((td, ta) if look.before else (ta, td)):
                    row.append(cell)
            else:   # div_row: a grid row of two cells
                row = etree.SubElement(box, "div")
                row.set("class", "row")
                ta, td = E("div"), E("div")
                ta.set("class", "col-title")
                td.set("class", "col-date")
                ta.append(a)
                td.text = text
                for cell in ((td, ta) if look.before else (ta, td)):
                    row.append(cell)
        return box

    # -- rows: list layouts of real sites beyond ul/table/div grids --
    def row_layouts(self, tree, path: str) -> bool:
        changed = False
        for box, key, rows in self.list_boxes(tree, path):
            r = random.Random(f"perturb-rows-{self.seed}-{self.spec.seed}-{key}")
            layout = r.choice(ROW_LAYOUTS)
            if "layout" in self.kinds and r.random() < 0.5:
                continue        # with `layout` too, half the columns keep to its layouts
            look = self.look(key)
            E = lxml.html.Element
            new = E("dl" if layout == "dl" else "ol" if layout == "split" else "div")   # not re-read by lists()
            new.set("class", box.get("class"))
            for _, a, _, d, raw in rows:
                a = copy.deepcopy(a)
                a.tail = None
                text = self.date_text(d, raw, look) if raw else ""
                if layout == "dl":
                    dt = etree.SubElement(new, "dt")
                    dt.append(a)
                    if text:
                        etree.SubElement(new, "dd").text = text
                elif layout == "br":
                    if len(new):
                        new[-1].tail = "·"
                    else:
                        new.text = "·"
                    new.append(a)
                    a.tail = ("\u00a0\u00a0" + text) if text else None
                    etree.SubElement(new, "br")
                else:
                    li = etree.SubElement(new, "li")
                    if d is not None:
                        box_ = etree.SubElement(li, "div")
                        box_.set("class", "date")
                        etree.SubElement(box_, "span").text = f"{d.day:02d}"
                        etree.SubElement(box_, "em").text = f"{d.year}-{d.month:02d}" if look.fmt != "dot" else f"{d.year}.{d.month:02d}"
                    elif text:
                        etree.SubElement(li, "span").text = text
                    li.append(a)
            new.tail = box.tail
            box.getparent().replace(box, new)
            self.report.layouts.add(layout)
            self.report.lists += 1
            changed = True
        return changed

    # -- links: entries reached only by script --
    def script_links(self, tree, path: str) -> bool:
        changed = False
        boxes = tree.xpath('//*[@class="list" or @class="news-list"]')
        for box in boxes:
            key = self.col_dir(path) + ("#news" if box.get("class") == "news-list" else "")
            style = random.Random(f"perturb-links-{self.seed}-{self.spec.seed}-{key}").choice(LINK_STYLES)
            for a in box.iter("a"):
                href = a.get("href")
                if not href or href.startswith(("#", "javascript:")):
                    continue
                parent = a.getparent()
                if style == "onclick":
                    a.set("href", "javascript:void(0)")
                    a.set("onclick", f"window.open('{href}')")
                elif style == "data":
                    a.set("href", "javascript:;")
                    a.set("data-href", href)
                elif style == "jshref":
                    a.set("href", f"javascript:window.open('{href}','_blank')")
                elif parent is not None and parent.tag in ("li", "td", "dt", "div", "dd") \
                        and len(parent.findall(".//a")) == 1:
                    a.set("href", "#")
                    parent.set("onclick", f"location.href='{href}'")
                else:
                    a.set("href", "javascript:void(0)")
                    a.set("onclick", f"window.open('{href}')")
                self.report.records += 1
                changed = True
        return changed

    # -- meta: the 政府信息公开 metadata block in other real layouts --
    @staticmethod
    def meta_pairs(block) -> list[tuple[str, str]]:
        """(label text, value text) of a generated metadata block, in order."""
        if block.tag == "table":
            cells = [c for c in block.iter("td", "th")]
            return [(cells[i].text_content(), cells[i + 1].text_content()) for i in range(0, len(cells) - 1, 2)]
        return [(li[0].text_content(), li[1].text_content()) for li in block.iter("li") if len(li) >= 2]

    def meta_layout(self, tree, path: str) -> bool:
        r = random.Random(f"perturb-meta-{self.seed}-{path}")
        changed = False
        for block in tree.xpath('//*[@class="xxgk_table" or @class="xxgk-info" or @class="zwgk-meta"]'):
            pairs = self.meta_pairs(block)
            if not pairs:
                continue
            layout, cn, scripted = r.choice(META_LAYOUTS), r.random() < 0.3, r.random() < 0.3
            E = lxml.html.Element
            out = []
            for label, value in pairs:
                value = value.strip("\u00a0 ")
                d = parse_full_date(value)
                if cn and d is not None and re.fullmatch(r"[\d年月日\-/. :]+", value):
                    value = cn_numerals(d)
                    self.report.dates += 1
                out.append((label, value))
            bare = lambda lab: re.sub(r"[\s\u3000\u00a0:：]+", "", lab)   # noqa: E731

            def put(cell, value):
                """The value as text, or (some blocks) written by the template's script."""
                if scripted and value:
                    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
                    etree.SubElement(cell, "script").text = f'document.write("{quoted}");'
                else:
                    cell.text = value
            if layout == "grid":
                new = E("div")
                for label, value in out:
                    row = etree.SubElement(new, "div", {"class": "row"})
                    etree.SubElement(row, "div", {"class": "l"}).text = label
                    put(etree.SubElement(row, "div", {"class": "r"}), value)
            elif layout == "colon_cell":
                new = E("table")
                for label, value in out:
                    tr = etree.SubElement(new, "tr")
                    etree.SubElement(tr, "th").text = bare(label)
                    etree.SubElement(tr, "td").text = "："
                    put(etree.SubElement(tr, "td"), value)
            elif layout == "split":
                new = E("div")
                for label, value in out:
                    p = etree.SubElement(new, "p")
                    for ch in bare(label):
                        etree.SubElement(p, "span").text = ch
                    p[-1].tail = "："
                    if value:
                        etree.SubElement(p, "span", {"class": "v"}).text = value
            elif layout == "vertical":
                new = E("table")
                for i in range(0, len(out), 4):
                    chunk = out[i:i + 4]
                    head, body = etree.SubElement(new, "tr"), etree.SubElement(new, "tr")
                    for label, value in chunk:
                        etree.SubElement(head, "th").text = bare(label)
                        etree.SubElement(body, "td").text = value
            else:
                new = E("dl")
                for label, value in out:
                    etree.SubElement(new, "dt").text = label
                    put(etree.SubElement(new, "dd"), value)
            new.set("class", block.get("class"))
            new.tail = block.tail
            block.getparent().replace(block, new)
            self.report.layouts.add("meta_" + layout)
            changed = True
        return changed

    # -- Hanweb datastore records (page and dataproxy) --
    def record(self, html_text: str, key: str) -> str:
        frag = lxml.html.fragment_fromstring(html_text.strip(), create_parent="div")
        li = frag[0] if len(frag) else None
        parsed = self.parse_row(li) if li is not None else None
        if parsed is None:
            return html_text
        _, a, holder, d, raw = parsed
        look = self.look(key)
        self.report.records += 1
        if "layout" not in self.kinds:
            if holder is not None:
                holder.text = self.date_text(d, raw, look)
            return "\n" + lxml.html.tostring(li, encoding="unicode")
        box = self.build_list([parsed], ListLook(
            {"ol": "ul", "table_head": "table", "div_row": "div_row"}.get(look.layout, look.layout),
            look.fmt, look.holder, look.before))
        self.report.layouts.add(look.layout)
        if box.tag in ("ul", "ol"):
            return "\n" + lxml.html.tostring(box[0], encoding="unicode")
        if box.tag == "table":
            return "\n" + lxml.html.tostring(box, encoding="unicode")
        return "\n" + lxml.html.tostring(box[0], encoding="unicode")

    def hanweb_datastore(self, tree, col: str) -> bool:
        changed = False
        for script in tree.iter("script"):
            if script.get("type") != "text/xml" or "<record>" not in (script.text or ""):
                continue
            script.text = re.sub(r"<record><!\[CDATA\[(.*?)\]\]></record>",
                                 lambda m: f"<record><![CDATA[{self.record(m[1], col)}]]></record>",
                                 script.text, flags=re.S)
            changed = True
        return changed

    def dataproxy(self, file: Path) -> None:
        data = json.loads(file.read_text("utf-8"))
        col = f"/col/col{int(file.stem) - 300000}/"
        data["records"] = [self.record(r, col).strip() for r in data["records"]]
        file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    # -- JSON lists (json style) --
    def json_items(self, items: list[dict], key: str) -> None:
        look = self.look(f"json-{key}")
        for it in items:
            d = parse_full_date(it.get("publishTime", ""))
            if d is None:
                continue
            it["publishTime"] = json_date(d, look.fmt)
            self.report.records += 1
            self.report.formats.add(look.fmt)

    def embedded_json(self, tree, col: str) -> bool:
        if "dates" not in self.kinds:
            return False
        changed = False
        for script in tree.iter("script"):
            m = re.search(r"var listData = (\{.*\});", script.text or "")
            if not m:
                continue
            data = json.loads(m[1])
            self.json_items(data["articleList"], col)
            script.text = script.text.replace(m[1], json.dumps(data, ensure_ascii=False))
            changed = True
        return changed

    # ------------------------------------------------------------------ documents
    def doc_dates(self, tree, path: str) -> bool:
        r = random.Random(f"perturb-doc-{self.seed}-{path}")
        fmt = r.choice([f for f in DATE_FORMATS if f not in ("bracket", "paren")])
        changed = False
        for block in tree.xpath('//*[@class="xxgk_table" or @class="xxgk-info" or @class="zwgk-meta"]'):
            for el in block.iter("td", "span", "dd"):
                text = (el.text or "").strip()
                d = parse_full_date(text)
                if d is not None and len(el) == 0 and re.fullmatch(r"[\d年月日\-/. ]+", text):
                    el.text = fmt_date(d, fmt if fmt != "time" else "iso")
                    self.report.dates += 1
                    changed = True
        for info in tree.xpath('//div[@class="info"]'):
            m = re.search(r"发布时间：(\d{4}-\d{2}-\d{2})", info.text or "")
            if m:
                d = date.fromisoformat(m[1])
                info.text = info.text.replace(m[0], "发布时间：" + fmt_date(d, fmt, d.toordinal()))
                self.report.dates += 1
                changed = True
        return changed

    def cells(self, tree) -> bool:
        changed = False
        for p in list(tree.iter("p")):
            text = p.text_content()
            if "*" in text:
                continue                      # the look-alike paragraph stays a sentence
            if PHONE in text:
                table = self.roster(("序号", "姓名", "职务", "联系电话"),
                                    [("1", "张三", "联系人", PHONE), ("2", "王五", "工作人员", "139****2468")])
            elif ID_NUMBER in text:
                table = self.roster(("序号", "申请人", "身份证号码", "申请事项"),
                                    [("1", "李四", ID_NUMBER, "政府信息公开申请"),
                                     ("2", "赵六", "3701**********1234", "政府信息公开申请")])
            elif f"账号：{BANK_CARD}" in text:
                unit = re.search(r"收款单位：([^，]+)", text)
                table = self.roster(None, [("收款单位", unit[1] if unit else "财政局"),
                                           ("开户银行", "中国工商银行"), ("账号", BANK_CARD)])
            else:
                continue
            table.tail = p.tail
            p.getparent().replace(p, table)
            self.report.cells += 1
            changed = True
        return changed

    @staticmethod
    def roster(head, rows):
        table = lxml.html.Element("table")
        table.set("border", "1")
        table.set("class", "roster")
        if head:
            tr = etree.SubElement(table, "tr")
            for h in head:
                etree.SubElement(tr, "th").text = h
        for row in rows:
            tr = etree.SubElement(table, "tr")
            for v in row:
                etree.SubElement(tr, "td").text = v
        return table

    def write_zt_pages(self) -> None:
        r = random.Random(f"perturb-zt-{self.seed}-{self.spec.seed}")
        topics = r.sample(N.TOPICS, 24)
        for i, t in enumerate(topics):
            path = f"/ztzl/zt{i + 1:02d}/"
            self.zt_pages.append((path, f"{t}专题"))
            self.write(self.root / path.lstrip("/") / "index.html",
                       f'<!DOCTYPE html>\n<html><head><meta charset="{"gb2312" if self.encoding == "gbk" else "utf-8"}">'
                       f"<title>{t}专题</title></head><body><h3>{t}专题</h3><p>{t}工作专题专栏。</p></body></html>\n")
        self.zt_pages += [("/", "网站首页"), ("/zwdt/", "政务动态"), ("/zwfw/", "政务服务"),
                          ("/hdjl/", "互动交流"), ("/wzdt/", "网站地图"), ("/lxwm/", "联系我们")]

    def footer(self, tree, path: str) -> bool:
        foot = tree.xpath('//div[@class="footer"]')
        if not foot:
            return False
        r = random.Random(f"perturb-footer-{self.seed}-{path}")
        links = r.sample(self.zt_pages, min(len(self.zt_pages), r.randint(20, 30)))
        block = lxml.html.Element("div")
        block.set("class", "links")
        etree.SubElement(block, "h4").text = r.choice(["相关链接", "专题专栏", "友情链接"])
        holder = etree.SubElement(block, "ul")
        for href, text in links:
            li = etree.SubElement(holder, "li")
            a = etree.SubElement(li, "a", href=href, target="_blank")
            a.text = text
        foot[0].addprevious(block)
        block.tail = "\n"
        self.report.footers += 1
        return True

    # ------------------------------------------------------------------ scripts
    def scripts(self, tree) -> bool:
        head, body = tree.find("head"), tree.find("body")
        if head is None or body is None:
            return False
        jq = etree.SubElement(head, "script", src="/static/js/jquery-1.12.4.min.js", type="text/javascript")
        jq.text = ""
        head.insert(1, jq)
        for script in list(head.iter("script")):
            code = script.text or ""
            if "function createPageHTML" in code:    # the TRS pager, moved out under another name
                script.text = ""
                script.set("src", self.pager_js)
                self.pager_code = code
        if self.stat_inline:
            st = etree.SubElement(body, "script", type="text/javascript")
            st.text = ('\nvar _hmt = _hmt || [];\n(function() {\n  var hm = document.createElement("script");\n'
                       '  hm.src = "/res/hm.js?a1b2c3";\n  var s = document.getElementsByTagName("script")[0];\n'
                       '  s.parentNode.insertBefore(hm, s);\n})();\n')
        else:
            st = etree.SubElement(body, "script", src="/res/tj.js", type="text/javascript")
            st.text = ""
        st.tail = "\n"
        self.report.scripts += 2
        return True

    def write_script_files(self) -> None:
        self.write(self.root / "static/js/jquery-1.12.4.min.js",
                   "/*! jQuery-like stub for fixture sites */\n(function(w){function $(s){var e=typeof s==='string'?"
                   "document.querySelectorAll(s):[s];var o={length:e.length,each:function(f){for(var i=0;i<e.length;"
                   "i++){f.call(e[i],i,e[i]);}return o;},html:function(h){if(h===undefined){return e[0]&&e[0].innerHTML;}"
                   "o.each(function(){this.innerHTML=h;});return o;},jpage:function(){return o;}};return o;}"
                   "w.jQuery=w.$=$;})(window);\n")
        self.write(self.root / "res/tj.js", "(function(){var i=new Image();i.src='/res/tj.gif?t='+new Date().getTime();})();\n")
        self.write(self.root / "res/hm.js", "window._hmt_loaded=1;\n")
        self.write(self.root / "res/tj.gif", "GIF89a")
        if getattr(self, "pager_code", ""):
            self.write(self.root / self.pager_js.lstrip("/"), self.pager_code.strip() + "\n")

    # -- lists filled by a bundled script from /api/list/….json --
    def to_api(self, tree, path: str, col: str) -> bool:
        boxes = self.containers(tree) + tree.xpath('//div[@class="no-data"]')
        boxes = [b for b in boxes if b.get("class") != "news-list"]
        if not boxes:
            return False
        box = boxes[0]
        rows = [self.parse_row(r) for r in box.iter("li", "tr")] if box.tag != "div" else []
        rows = [r for r in rows if r is not None]
        base = path.split("?")[0]
        _, title_k, url_k, date_k = self.json_keys
        items = []
        for _, a, _, d, raw in rows:
            items.append({title_k: a.get("title") or a.text_content(),
                          url_k: urljoin(base, a.get("href")),
                          date_k: raw if d is None else json_date(d, self.look(col).fmt)})
        payload: dict = {"code": 200, "msg": "success"}
        lst, total = self.json_keys[0], self.columns[col]["entries"] if col in self.columns else len(items)
        if lst == "rows":
            payload.update(rows=items, total=total)
        else:
            payload["data"] = {lst.split(".")[1]: items, "total": total}
        key = re.sub(r"[^A-Za-z0-9]", "_", re.sub(r"index\.html?$", "", base))
        query = path.partition("?")[2]
        explicit = random.Random(f"perturb-src-{self.seed}-{col}").random() < 0.5
        if explicit:
            src = f"/api/list/{key}{'_' + re.sub('[^0-9]', '', query) if query else ''}.json"
            file = self.root / src.lstrip("/")
        else:
            file = self.root / "api/list" / (f"{key}.json" + (f"@{query}" if query else ""))
        self.write(file, json.dumps(payload, ensure_ascii=True))
        tag = {"table": "table"}.get(box.tag, "ul")
        new = lxml.html.Element(tag)
        new.set("class", "list")
        new.set("data-list", "1")
        if explicit:
            new.set("data-src", src)
        new.tail = box.tail
        box.getparent().replace(box, new)
        body = tree.find("body")
        if self.inline_app:
            s = etree.SubElement(body, "script", type="text/javascript")
            s.text = "\n" + self.app_code()
        else:
            s = etree.SubElement(body, "script", src=self.app_js, type="text/javascript")
            s.text = ""
        s.tail = "\n"
        self.report.scripts += 1
        return True

    def app_code(self) -> str:
        lst, title_k, url_k, date_k = self.json_keys
        before = "true" if self.rng.random() < 0.3 else "false"
        get = ("function get(u,cb){fetch(u).then(function(r){return r.json();}).then(cb);}" if self.use_fetch else
               "function get(u,cb){var x=new XMLHttpRequest();x.open('GET',u,true);x.onreadystatechange=function(){"
               "if(x.readyState==4&&x.status==200){cb(JSON.parse(x.responseText));}};x.send();}")
        return f"""/* list app (fixture bundle) */
(function(w){{
  var BEFORE={before};
  {get}
  function pick(o,p){{p=p.split('.');for(var i=0;i<p.length;i++){{if(o==null){{return null;}}o=o[p[i]];}}return o;}}
  function esc(s){{return String(s==null?'':s).replace(/&/g,'&amp;').replace(/</g,'&lt;').replace(/"/g,'&quot;');}}
  function row(tag,it){{
    var a='<a href="'+esc(it.url)+'" title="'+esc(it.title)+'" target="_blank">'+esc(it.title)+'</a>';
    var d=it.date;
    if(typeof d=='number'){{d=new Date(d+8*3600000).toISOString().slice(0,10);}}
    d=d?String(d):'';
    if(tag=='TABLE'){{var c=['<td>'+a+'</td>','<td>'+esc(d)+'</td>'];if(BEFORE){{c.reverse();}}return '<tr>'+c.join('')+'</tr>';}}
    var p=[a];if(d){{p[BEFORE?'unshift':'push']('<span>'+esc(d)+'</span>');}}
    return (tag=='UL'?'<li>':'<div>')+p.join('')+(tag=='UL'?'</li>':'</div>');
  }}
  function draw(el,list){{
    var tag=el.tagName,h=[];
    for(var i=0;i<list.length;i++){{h.push(row(tag,list[i]));}}
    if(!h.length){{h.push(tag=='TABLE'?'<tr><td>\\u6682\\u65e0\\u4fe1\\u606f</td></tr>':(tag=='UL'?'<li>\\u6682\\u65e0\\u4fe1\\u606f</li>':'<div>\\u6682\\u65e0\\u4fe1\\u606f</div>'));}}
    el.innerHTML=h.join('');
  }}
  function fill(el){{
    var src=el.getAttribute('data-src');
    if(!src){{src='/api/list/'+location.pathname.replace(/index\\.html?$/,'').replace(/[^A-Za-z0-9]/g,'_')+'.json'+location.search;}}
    get(src,function(d){{
      var raw=pick(d,'{lst}')||[],list=[];
      for(var i=0;i<raw.length;i++){{list.push({{title:raw[i]['{title_k}'],url:raw[i]['{url_k}'],date:raw[i]['{date_k}']}});}}
      draw(el,list);
    }});
  }}
  // JSON-style pages call render(list) and pager(pages, current) themselves.
  w.render=function(list){{
    var el=document.getElementById('list'),out=[];
    for(var i=0;i<(list||[]).length;i++){{out.push({{title:list[i].title,url:list[i].url,date:list[i].publishTime}});}}
    if(el){{draw(el,out);}}
  }};
  w.pager=function(pages,cur){{
    var el=document.getElementById('pager'),h=[];if(!el||pages<=1){{return;}}
    for(var p=1;p<=pages;p++){{h.push(p==cur?'<span>'+p+'</span>':'<a href="javascript:load('+p+')">'+p+'</a>');}}
    el.innerHTML=h.join(' ');
  }};
  function start(){{var els=document.querySelectorAll('[data-list]');for(var i=0;i<els.length;i++){{fill(els[i]);}}}}
  if(document.readyState=='loading'){{document.addEventListener('DOMContentLoaded',start);}}else{{start();}}
}})(window);
"""

    def json_app(self, tree) -> bool:
        """JSON-style pages call render()/pager(): bundle them (before the page's own script)."""
        for script in tree.iter("script"):
            code = script.text or ""
            if "render(" in code or "pager(" in code:
                if self.inline_app:
                    s = lxml.html.Element("script", type="text/javascript")
                    s.text = "\n" + self.app_code()
                else:
                    s = lxml.html.Element("script", src=self.app_js, type="text/javascript")
                    s.text = ""
                s.tail = "\n"
                script.addprevious(s)
                self.report.scripts += 1
                return True
        return False

    # ------------------------------------------------------------------ wrappers and names
    def class_name(self, name: str) -> str:
        if name not in self.classes:
            r = random.Random(f"perturb-class-{self.seed}-{self.spec.seed}-{name}")
            while True:
                new = r.choice(["box", "wrap", "con", "mod", "pane", "blk", "sec", "area", "main", "inner",
                                "cnt", "fl", "fr", "w1200", "clearfix", "part"]) + "-" + "".join(
                    r.choice("abcdegjkmpqrstuvwxyz23456789") for _ in range(r.randint(2, 4)))
                if not _HIDDEN_WORDS.search(new) and new not in self.classes.values():
                    break
            self.classes[name] = new
        return self.classes[name]

    def wrappers(self, tree, path: str) -> bool:
        r = random.Random(f"perturb-wrap-{self.seed}-{path}")
        targets = tree.xpath('//*[@class="list" or @class="news-list" or @class="article" or @class="tree" or '
                             '@class="xxgk_table" or @class="xxgk-info" or @class="zwgk-meta" or @class="TRS_Editor" '
                             'or @class="right" or @class="left" or @class="roster"]')
        for el in targets:
            if el.getparent() is None or el.tag in ("tr", "td", "tbody", "li"):
                continue
            depth = r.randint(0, 3)
            outer = inner = None
            for _ in range(depth):
                div = lxml.html.Element("div")
                div.set("class", self.class_name(f"wrap{r.randint(0, 9)}"))
                if inner is None:
                    outer = div
                else:
                    inner.append(div)
                inner = div
            if outer is not None:
                outer.tail, el.tail = el.tail, None
                el.getparent().replace(el, outer)
                inner.append(el)
        scripts = " ".join(s.text or "" for s in tree.iter("script"))
        for el in tree.iter():
            if not isinstance(el.tag, str):
                continue
            cls = el.get("class")
            if cls:
                el.set("class", " ".join(self.class_name(c) for c in cls.split()))
            ident = el.get("id")
            if ident and not ident.isdigit() and ident not in ("list", "pager") and ident not in scripts:
                if ident not in self.ids:
                    self.ids[ident] = "i" + hashlib.sha1(f"{self.seed}{ident}".encode()).hexdigest()[:6]
                el.set("id", self.ids[ident])
        return True


def perturb_site(root: Path, spec: SiteSpec, truth: Truth, seed: int, kinds=MARKUP) -> Report:
    """Rewrite the built site under `root` (built from `spec`, with its unresolved `truth`) with
    the perturbation `kinds` (see the module docstring), drawn from `seed`."""
    if truth.base_url:
        raise ValueError("perturb_site needs the truth as built (site paths), not a resolved one")
    return _Perturber(root, spec, truth, seed, tuple(kinds)).run()
