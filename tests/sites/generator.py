"""Fixture government sites (TRS WCM style) with seeded defects and the truth about them.

    spec = random_spec(7)                 # or SiteSpec(...) by hand
    truth = build_site(tmp_path, spec)    # writes static files, returns what an audit must find
    with serve(tmp_path, truth.faults) as base:
        expected = truth.resolve(base).findings

Site layout (section dir `spec.section_dir`, e.g. "zfxxgk"):
    /index.html                         homepage: nav, dated news block (links into /zwdt/), footer
    /zwdt/, /zwfw/, /hdjl/              other nav targets (outside the disclosure section)
    /<sec>/                             section page, left column tree
    /<sec>/zfxxgkzn/                    政府信息公开指南 (content page)
    /<sec>/zfxxgkzd/                    政府信息公开制度 (list)
    /<sec>/fdzdgknr/                    法定主动公开内容 (holds sub-columns only)
    /<sec>/jgzn/                        机构职能 (content page, a sub-column of the above)
    /<sec>/<slug>/                      each list sub-column: index.html, index_1.html (= page 2) ...
    /<sec>/<slug>/YYYYMM/tYYYYMMDD_<id>.html   documents
    /<sec>/zfxxgknb/                    政府信息公开年报 (list)
Every column page repeats the left tree. Column URLs are directory URLs ("/zfxxgk/zcwj/").
"""
from __future__ import annotations

import calendar
import html
import json
import math
import random
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from audits.calendar import WorkCalendar
from tests.sites import names as N
from tests.sites import styles
from tests.sites.annual import report_body
import tests.sites.styles.hanweb  # noqa: F401  (style modules, imported for `styles.<name>`)
import tests.sites.styles.json_api  # noqa: F401
import tests.sites.styles.legacy  # noqa: F401

AS_OF = date(2026, 11, 20)

# Column states. Only news/notice_policy/personnel_plan columns can be stale.
FRESH, EDGE, STALE, DEEP, EMPTY, EMPTY_LIST, UNDATED = (
    "fresh", "edge", "stale", "deep", "empty", "empty_list", "undated")
STATES = (FRESH, EDGE, STALE, DEEP, EMPTY, EMPTY_LIST, UNDATED)
JUDGED = ("news", "notice_policy", "personnel_plan")          # categories with a staleness limit
LIST_STYLES = ("li_span", "li_b", "table", "bracket", "cn_date")
PAGERS = ("trs4", "trs6", "links")

# (name, slug, category, normative) — names classify as `category` under snapshot.categories.
COLUMN_POOL = [
    ("工作动态", "gzdt", "news", False), ("部门动态", "bmdt", "news", False),
    ("镇街动态", "zjdt", "news", False), ("政务要闻", "zwyw", "news", False),
    ("通知公告", "tzgg", "notice_policy", False), ("政策文件", "zcwj", "notice_policy", False),
    ("规范性文件", "gfxwj", "notice_policy", True), ("公示公告", "gsgg", "notice_policy", False),
    ("部门文件", "bmwj", "notice_policy", False),
    ("人事信息", "rsxx", "personnel_plan", False), ("规划计划", "ghjh", "personnel_plan", False),
    ("人事任免", "rsrm", "personnel_plan", False), ("工作计划", "gzjh", "personnel_plan", False),
    ("政策解读", "zcjd", "interpretation", False),
    ("财政预决算", "czyjs", "other", False), ("重点领域信息", "zdly", "other", False),
    ("建议提案办理", "jyta", "other", False),
]
POOL = {name: (slug, cat, norm) for name, slug, cat, norm in COLUMN_POOL}
GUIDE, SYSTEM, ACTIVE, PROFILE, ANNUAL = ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容",
                                          "机构职能", "政府信息公开年报")

# Content defects (rules that read page text): the values written, and look-alikes that must not fire.
PHONE = "13812345678"
ID_NUMBER = "11010519491231002X"          # valid GB 11643 check digit
BANK_CARD = "6222021001234567896"         # 19 digits, passes Luhn
NOT_LUHN = "6222021001234567891"          # 19 digits, fails Luhn
DEAD = "/files/gone.pdf"                  # answers 404
FORBIDDEN = "/files/internal.pdf"         # answers 403: unverified, never broken
PRIVACY = ("phone", "id_number", "bank_card")
NUMBER_FAULTS = ("square", "paren", "fullparen", "lenticular", "two_digit", "di", "padded")
GUIDE_ITEMS = ("办公时间", "受理机构", "监督")           # what guide_missing can leave out
IDENTITY_FAULTS = ("police", "icp", "sponsor", "site_id", "meta_mismatch", "meta_format")


class _Calendar(WorkCalendar):
    """The audit's working-day calendar (chinese-calendar, 调休 included), memoised per day."""
    def __init__(self):
        super().__init__()
        self._days: dict[date, bool] = {}

    def is_workday(self, d: date) -> bool:
        if d not in self._days:
            self._days[d] = super().is_workday(d)
        return self._days[d]


WORKDAYS = _Calendar()


# ---------------------------------------------------------------------------------- spec


@dataclass
class ColumnSpec:
    name: str
    slug: str
    category: str                 # news | notice_policy | personnel_plan | interpretation | other
    docs: int = 10
    state: str = FRESH            # see STATES
    normative: bool = False       # a 规范性文件 column: documents carry 有效性

    @classmethod
    def of(cls, name: str, docs: int = 10, state: str = FRESH) -> "ColumnSpec":
        slug, cat, norm = POOL[name]
        return cls(name, slug, cat, docs, state, norm)


def _default_columns() -> list[ColumnSpec]:
    return [ColumnSpec.of("工作动态", 12), ColumnSpec.of("通知公告", 8), ColumnSpec.of("政策文件", 6),
            ColumnSpec.of("政策解读", 3), ColumnSpec.of("人事信息", 4)]


@dataclass
class SiteSpec:
    """Everything that makes one fixture site; `build_site` is a pure function of it."""
    seed: int = 0
    as_of: date = AS_OF
    kind: str = "government"              # government (…人民政府, 年报 due 3-31) | department (1-31)
    name: str = ""                        # "" = picked from the seed
    section_text: str = "政府信息公开"     # the homepage nav link text of the section
    section_dir: str = "zfxxgk"
    list_style: str = "li_span"           # LIST_STYLES
    pager: str = "trs4"                   # PAGERS
    page_size: int = 15
    comment_block: bool = False           # dead <li>s and a stale pager inside <!-- --> on list pages
    meta_style: int = 0                   # 0 gov.cn table, 1 div/ul with &nbsp; labels, 2 th/td synonyms
    columns: list[ColumnSpec] = field(default_factory=_default_columns)
    docs_per_column: int | None = None    # overrides every ColumnSpec.docs (benchmarks)
    homepage_stale: bool = False
    annual_report: str = "ok"             # ok | late | missing (previous year's report)
    missing_fields: int = 0               # notice_policy documents with a missing/empty field
    unlinked: int = 0                     # 解读/policy pairs with one direction of the link missing
    unreachable: bool = False             # every path answers 503
    fail_column: str = ""                 # this column's list page answers 503 (not checked)
    slow_column: str = ""                 # page 3 of this column answers after `slow_delay` s
    slow_delay: float = 20.0
    # Page rendering style (tests/sites/styles/): trs | hanweb | legacy | json. The seeded
    # defects and the truth do not depend on it.
    style: str = "trs"
    blocked: bool = False                 # every path answers 412 with a 瑞数-style challenge page
    # Content defects (0 / "" = none). Each is seeded on documents no fault hides.
    number_format: int = 0                # 发文字号 written as [2026] / (2026) / 第N号 / 05号 …
    date_inconsistent: int = 0            # 成文日期 after 发布日期, or the list shows another date
    late_publication: int = 0             # 发布 more than 20 working days after 成文 (国庆/春节)
    interpretation_late: int = 0          # 解读 more than 3 working days after its policy
    interpretation_missing: int = 0       # 规范性文件 left without a 解读
    annual_content: str = "ok"            # ok | sections | arithmetic (previous year's report)
    disclosure_missing: str = ""          # "" | 政府信息公开制度 | 政府信息公开指南 (left out of the section)
    guide_missing: str = ""               # "" | GUIDE_ITEMS: the 指南 does not tell it
    identity_fault: str = ""              # "" | IDENTITY_FAULTS: homepage footer / meta defect
    dead_links: int = 0                   # documents with a link that answers 404
    privacy: tuple[str, ...] = ()         # PRIVACY kinds, each unmasked on one document
    lookalikes: bool = False              # non-firing look-alikes of the content defects

    def identity(self) -> tuple[str, str, str, str, str]:
        pool = N.GOVERNMENTS if self.kind == "government" else N.DEPARTMENTS
        for row in pool:
            if row[0] == self.name:
                return row
        row = pool[self.seed % len(pool)]
        return (self.name, *row[1:]) if self.name else row


# ---------------------------------------------------------------------------------- truth


@dataclass
class Truth:
    """What a correct audit of the site finds for `as_of` (deduct and veto rules listed below).

    `findings` is a set of (rule_id, column, url):
      - column.empty / column.stale: column = 栏目名, url = the column's first list page as a
        directory URL ("/zfxxgk/zcwj/"; "/zfxxgk/zcwj/index.html" is the same page). An empty
        column is only column.empty, never also column.stale. Columns in `unchecked` (their list
        page fails) have neither.
        Each column of `columns` names the `evidence` an empty one offers (marker | endpoint |
        rendered); `without_browser()` is the truth for an audit that cannot render.
      - veto.blank_columns, veto.stale_columns: ("veto.…", "", "/<section>/"), the section page.
      - veto.homepage_stale: ("veto.homepage_stale", "", "/").
      - doc.missing_fields: column = the document's column, url = the document; `details[key]`
        lists the field keys missing or empty (index_no, publisher, written, published, doc_no,
        validity).
      - interpretation.unlinked: column = the 解读 column, url = the 解读 page, and
        `targets[key]` = the policy's URL. `details[key]` says which direction is missing:
        ["policy"] (the 解读 lacks a link to its policy) or ["interpretation"] (the policy lacks
        its 相关解读 link back).
      - annual_report.missing: column = 年报 column, url = its list page.
      - annual_report.late: column = 年报 column, url = the late report's page.
      - site.unreachable: ("site.unreachable", "", "/") and nothing else.
      - doc.number_format / doc.date_inconsistent / doc.late_publication, privacy.*, link.broken:
        column = the document's column, url = the document (link.broken: `targets` = the dead
        target; computed from the hrefs written and what the server answers for them).
      - interpretation.late: url = the 解读, `targets` = its policy; interpretation.missing: url =
        the 规范性文件 no 解读 covers.
      - annual_report.sections / .arithmetic: url = the previous year's report.
      - disclosure.structure: ("disclosure.structure", "", "/<section>/"); guide.incomplete:
        (…, 政府信息公开指南, "/<section>/zfxxgkzn/"); site.identity: ("site.identity", "", "/").
    URLs are site paths until `resolve(base_url)` makes them absolute.
    """
    as_of: date
    kind: str
    name: str
    findings: set[tuple[str, str, str]] = field(default_factory=set)
    targets: dict[tuple[str, str, str], str] = field(default_factory=dict)
    details: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    columns: list[dict] = field(default_factory=list)   # every column as built (name, category, url, …)
    unchecked: set[str] = field(default_factory=set)    # columns that cannot be judged (faults)
    faults: dict[str, dict] = field(default_factory=dict)  # for server.serve(); paths
    # A 瑞数-style wall answers every path with 412: nothing of the site can be seen, so the
    # truth has no findings of its own; what the audit reports for it is the lead's rule.
    blocked: bool = False
    documents: int = 0                                  # document pages written
    base_url: str = ""

    def add(self, rule: str, column: str = "", url: str = "", target: str = "",
            detail: list[str] | None = None) -> None:
        key = (rule, column, url)
        self.findings.add(key)
        if target:
            self.targets[key] = target
        if detail:
            self.details[key] = detail

    def rules(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for rule, _, _ in self.findings:
            out[rule] = out.get(rule, 0) + 1
        return out

    def resolve(self, base_url: str) -> "Truth":
        """A copy with absolute URLs under `base_url` ("http://127.0.0.1:8000/")."""
        def absu(u: str) -> str:
            return urljoin(base_url, u) if u else u
        key = lambda k: (k[0], k[1], absu(k[2]))  # noqa: E731
        return replace(
            self, base_url=base_url, findings={key(k) for k in self.findings},
            targets={key(k): absu(v) for k, v in self.targets.items()},
            details={key(k): v for k, v in self.details.items()},
            columns=[{**c, "url": absu(c["url"])} for c in self.columns])

    def without_browser(self) -> "Truth":
        """The truth for an audit without a browser (`--render never`, no Chromium): a column whose
        emptiness only a rendering shows (evidence "rendered") is 未能确认 — no column.empty — and
        does not count toward veto.blank_columns."""
        blind = {c["name"] for c in self.columns if c.get("evidence") == "rendered"}
        findings = {k for k in self.findings if not (k[0] == "column.empty" and k[1] in blind)}
        if sum(k[0] == "column.empty" for k in findings) < 5:
            findings = {k for k in findings if k[0] != "veto.blank_columns"}
        return replace(self, findings=findings,
                       targets={k: v for k, v in self.targets.items() if k in findings},
                       details={k: v for k, v in self.details.items() if k in findings})

    def to_json(self) -> dict:
        rows = []
        for k in sorted(self.findings):
            rows.append({"rule_id": k[0], "column": k[1], "url": k[2],
                         "target": self.targets.get(k, ""), "detail": self.details.get(k, [])})
        return {"as_of": self.as_of.isoformat(), "kind": self.kind, "name": self.name,
                "findings": rows, "columns": self.columns, "unchecked": sorted(self.unchecked),
                "faults": self.faults, "documents": self.documents, "base_url": self.base_url,
                "blocked": self.blocked}

    @classmethod
    def from_json(cls, data: dict) -> "Truth":
        t = cls(date.fromisoformat(data["as_of"]), data["kind"], data["name"],
                columns=data.get("columns", []), unchecked=set(data.get("unchecked", [])),
                faults=data.get("faults", {}), documents=data.get("documents", 0),
                base_url=data.get("base_url", ""), blocked=data.get("blocked", False))
        for f in data["findings"]:
            t.add(f["rule_id"], f["column"], f["url"], f.get("target", ""), f.get("detail") or None)
        return t


# ---------------------------------------------------------------------------------- dates


def months_before(d: date, months: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    m += 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def cutoff(category: str, as_of: date) -> date | None:
    """The newest entry must be on or after this date, else the column is stale (rules.md)."""
    if category == "news":
        return as_of - timedelta(days=14)
    if category == "notice_policy":
        return months_before(as_of, 6)
    if category == "personnel_plan":
        return months_before(as_of, 12)
    return None


def annual_deadline(kind: str, year: int) -> date:
    return date(year, 1, 31) if kind == "department" else date(year, 3, 31)


# Dates near 国庆 and 春节 (with 调休) for later working-day rules: (published, written).
HOLIDAY_ANCHORS = [(date(2026, 10, 9), date(2026, 10, 3)), (date(2026, 10, 8), date(2026, 9, 28)),
                   (date(2026, 2, 24), date(2026, 2, 14)), (date(2025, 10, 10), date(2025, 10, 5))]


# ---------------------------------------------------------------------------------- model


@dataclass
class Doc:
    id: int
    title: str
    date: date                    # 发布日期 (also the URL date)
    written: date                 # 成文日期
    path: str = ""                # site path of its page
    dated: bool = True            # the list and the page show a date
    doc_no: str = ""
    drop: dict[str, str] = field(default_factory=dict)   # field key -> "drop" | "empty"
    links: list[tuple[str, str]] = field(default_factory=list)  # (path, title) of 解读 / policy
    link_style: int = 0
    attachment: str = ""          # file name next to the page
    list_date: date | None = None # the list shows this date instead of `date`
    extra: str = ""               # HTML put at the top of the body (seeded content)
    bad_no: bool = False          # the 发文字号 was written in a wrong format
    report: str = ""              # 年报 body HTML

    @property
    def listed(self) -> date:
        return self.list_date or self.date


@dataclass
class Col:
    spec: ColumnSpec
    path: str                     # directory URL
    docs: list[Doc] = field(default_factory=list)
    parent: str = ""

    page_size: int = 15

    @property
    def pages(self) -> int:
        return max(1, math.ceil(len(self.docs) / self.page_size))


# ---------------------------------------------------------------------------------- builder


class _Builder:
    def __init__(self, root: Path, spec: SiteSpec):
        self.root, self.spec = Path(root), spec
        self.rng = random.Random(f"zwgk-site-{spec.seed}")
        self.name, self.short, self.abbr, self.site_id, self.area = spec.identity()
        self.sec = "/" + spec.section_dir.strip("/") + "/"
        self.next_id = self.rng.randint(120000, 880000)
        self.titles: set[str] = set()
        self.truth = Truth(spec.as_of, spec.kind, self.name)
        self.as_of = spec.as_of
        # Content defects draw from their own stream: the rest of the site stays as it was.
        self.crng = random.Random(f"zwgk-content-{spec.seed}")

    # -- helpers --
    def new_id(self) -> int:
        self.next_id += self.rng.randint(1, 37)
        return self.next_id

    def title(self, kind: str, year: int) -> str:
        org = self.name if kind in ("policy",) else self.rng.choice([self.short, self.name])
        if self.spec.kind == "department" and kind in ("news", "personnel", "other"):
            org = self.short
        for attempt in range(8):
            t = self.rng.choice(N.TITLES[kind]).format(
                o=org, t=self.rng.choice(N.TOPICS), y=year, p=self.rng.choice(N.PEOPLE),
                z=self.rng.choice(N.TOWNS))
            if attempt == 7:
                t += f"（{self.rng.randint(2, 9)}）"
            if t not in self.titles:
                self.titles.add(t)
                return t
        return t

    def write(self, path: str, text: str) -> None:
        file = self.root / path.lstrip("/")
        if path.endswith("/"):
            file = file / "index.html"
        file.parent.mkdir(parents=True, exist_ok=True)
        if self.spec.style == "legacy" and not path.endswith((".css", ".json")):
            file.write_bytes(styles.legacy.encode(text))
        else:
            file.write_text(text, encoding="utf-8")

    # -- per-style URLs (tests/sites/styles/) --
    def col_path(self, slug: str) -> str:
        return styles.hanweb.col_path(slug) if self.spec.style == "hanweb" else f"{self.sec}{slug}/"

    def doc_path(self, col: "Col", doc: "Doc") -> str:
        if self.spec.style == "hanweb":
            return styles.hanweb.doc_path(col, doc)
        if self.spec.style == "legacy":
            return styles.legacy.doc_path(col, doc)
        return f"{col.path}{doc.date:%Y%m}/t{doc.date:%Y%m%d}_{doc.id}.html"

    # -- dates of one column --
    def column_dates(self, c: ColumnSpec, n: int) -> list[date]:
        r = self.rng
        lim = cutoff(c.category, self.as_of)
        span = {"news": 14, "notice_policy": 180, "personnel_plan": 365}.get(c.category, 120)
        if c.state == EDGE and lim:
            newest = lim + timedelta(days=1)              # exactly one day inside the limit
        elif c.state == STALE and lim:
            newest = lim - timedelta(days=r.randint(1, 300))
        else:
            newest = self.as_of - timedelta(days=r.randint(0, max(1, span // 4)))
        gap = {"news": (0, 6), "notice_policy": (1, 25), "personnel_plan": (5, 60)}.get(c.category, (3, 40))
        out, d = [], newest
        for _ in range(n):
            out.append(d)
            d -= timedelta(days=r.randint(*gap))
        return out

    # -- plan --
    def plan(self) -> list[Col]:
        s = self.spec
        cols = []
        for c in s.columns:
            if s.docs_per_column is not None and c.state not in (EMPTY, EMPTY_LIST):
                c = replace(c, docs=s.docs_per_column)
            if c.state == DEEP or c.name == s.slow_column:
                c = replace(c, docs=max(c.docs, 3 * s.page_size + 1))   # page 3 must exist
            if c.state in (EMPTY, EMPTY_LIST):
                c = replace(c, docs=0)
            col = Col(c, self.col_path(c.slug), parent=ACTIVE, page_size=s.page_size)
            cols.append(col)
        return cols

    def fill(self, col: Col) -> None:
        c = col.spec
        if c.category == "interpretation":
            return                                        # filled from the policies later
        kind = {"news": "news", "personnel_plan": "personnel", "other": "other",
                "system": "system"}.get(c.category, "policy" if "文件" in c.name else "notice")
        for i, d in enumerate(self.column_dates(c, c.docs)):
            doc = Doc(self.new_id(), self.title(kind, d.year), d, d - timedelta(days=self.rng.randint(0, 6)),
                      dated=c.state != UNDATED)
            if c.category == "notice_policy":
                doc.doc_no = self.doc_number(c, d.year) if kind == "policy" else ""
                if kind == "policy" and self.rng.random() < 0.3:
                    doc.attachment = f"P0{d:%Y%m%d}{doc.id}{self.rng.randint(100, 999)}.pdf"
            col.docs.append(doc)
        if c.category == "notice_policy" and c.state != UNDATED:
            self.anchor_holidays(col.docs)
        for doc in col.docs:
            doc.path = self.doc_path(col, doc)

    def doc_number(self, c: ColumnSpec, year: int) -> str:
        kind = "规" if c.normative else self.rng.choice(["发", "办发", "办字", "字"])
        return f"{self.abbr}{kind}〔{year}〕{self.rng.randint(1, 40)}号"

    def anchor_holidays(self, docs: list[Doc]) -> None:
        """Move a document (never the newest) onto a 国庆/春节 date where the order allows it."""
        for pub, written in HOLIDAY_ANCHORS:
            for i in range(1, len(docs)):
                newer, older = docs[i - 1].date, docs[i + 1].date if i + 1 < len(docs) else date.min
                if newer >= pub >= older and abs((docs[i].date - pub).days) <= 20:
                    docs[i].date, docs[i].written = pub, written
                    break

    # -- the whole site --
    def build(self) -> Truth:
        s, t = self.spec, self.truth
        cols = self.plan()
        for col in cols:
            self.fill(col)
        system = Col(ColumnSpec(SYSTEM, "zfxxgkzd", "system", 2), self.col_path("zfxxgkzd"), page_size=s.page_size)
        self.fill(system)
        self.pair_interpretations(cols)
        annual = self.annual_reports()
        self.seed_missing_fields(cols)
        self.seed_content(cols)

        # faults
        if s.unreachable:
            t.faults["*"] = {"status": 503}
        elif s.blocked:
            t.faults["*"] = {"status": 412, "body": RUISHU_CHALLENGE}
            t.blocked = True
        if s.style == "legacy":   # the server's Content-Type says gb2312 too (bytes are GBK)
            self.root.mkdir(parents=True, exist_ok=True)
            (self.root / ".site.json").write_text(json.dumps({"charset": "gb2312"}), encoding="utf-8")
        for col in cols:
            if col.spec.name == s.fail_column:
                t.faults[col.path] = {"status": 503}
                t.unchecked.add(col.spec.name)
            if col.spec.name == s.slow_column:
                t.faults[f"{col.path}index_2.html"] = {"delay": s.slow_delay}

        self.homepage()
        self.section_pages(cols, system, annual)
        for col in ([*cols, annual] if s.disclosure_missing == SYSTEM else [*cols, system, annual]):
            self.list_pages(col, cols)
            for doc in col.docs:
                self.document(col, doc, cols)
        built = [*cols, annual] if s.disclosure_missing == SYSTEM else [*cols, system, annual]
        self.judge(built, annual)
        return t

    @staticmethod
    def is_normative(col: Col, doc: Doc) -> bool:
        """A 规范性文件 (rules.md interpretation.missing): 文号 with 规 (before its year), or in a
        规范性文件 column."""
        head = doc.doc_no.split("〔")[0].split("[")[0] if doc.doc_no else ""
        return col.spec.normative or "规" in head

    def pair_interpretations(self, cols: list[Col]) -> None:
        self.pairs: list[tuple[Doc, Doc]] = []
        jd = next((c for c in cols if c.spec.category == "interpretation"), None)
        if jd is None or jd.spec.state in (EMPTY, EMPTY_LIST):
            return
        policies = [d for c in cols if c.spec.category == "notice_policy" and "文件" in c.spec.name
                    and c.spec.name not in (self.spec.fail_column, self.spec.slow_column)
                    for d in c.docs]
        policies.sort(key=lambda d: d.date, reverse=True)
        # Every 规范性文件 has its 解读, except those seeded as interpretation.missing.
        normative = [d for c in cols if c.spec.category == "notice_policy" for d in c.docs
                     if self.is_normative(c, d)]
        left_out = {d.id for d in self.crng.sample(normative, min(self.spec.interpretation_missing, len(normative)))}
        chosen = ({d.id for d in policies[: jd.spec.docs]} | {d.id for d in normative}) - left_out
        pairs = []
        for pol in [d for d in policies if d.id in chosen]:
            d = pol.date + timedelta(days=self.rng.choice([0, 0, 1]))
            form = self.rng.choice(["《{}》政策解读", "关于《{}》的解读", "一图读懂：{}"])
            doc = Doc(self.new_id(), form.format(pol.title), min(d, self.as_of), pol.written)
            doc.path = self.doc_path(jd, doc)
            pol.links.append((doc.path, doc.title))
            doc.links.append((pol.path, pol.title))
            pol.link_style = doc.link_style = self.rng.randint(0, 1)
            pairs.append((doc, pol))
        self.pairs = pairs
        jd.docs = sorted((d for d, _ in pairs), key=lambda d: (d.date, d.id), reverse=True)
        for doc, pol in self.rng.sample(pairs, min(self.spec.unlinked, len(pairs))):
            if self.rng.random() < 0.5:
                doc.links.clear()
                missing = ["policy"]
            else:
                pol.links = [x for x in pol.links if x[0] != doc.path]
                missing = ["interpretation"]
            self.truth.add("interpretation.unlinked", jd.spec.name, doc.path, pol.path, missing)

    def annual_reports(self) -> Col:
        s = self.spec
        col = Col(ColumnSpec(ANNUAL, "zfxxgknb", "annual_report", 0), self.col_path("zfxxgknb"), page_size=s.page_size)
        prev = self.as_of.year - 1
        years = range(prev, prev - 5, -1)
        for y in years:
            deadline = annual_deadline(s.kind, y + 1)
            if y == prev:
                if s.annual_report == "missing" or self.as_of < deadline - timedelta(days=10):
                    continue
                if s.annual_report == "late":
                    pub = deadline + timedelta(days=self.rng.randint(3, 40))
                else:   # on time, sometimes on the deadline itself (not late)
                    pub = deadline - timedelta(days=self.rng.choice([0, 0, 2, 9, 15]))
                pub = min(pub, self.as_of)
            else:
                pub = deadline - timedelta(days=self.rng.randint(0, 20))
            doc = Doc(self.new_id(), f"{self.name}{y}年政府信息公开工作年度报告", pub, pub)
            doc.path = self.doc_path(col, doc)
            seeded = s.annual_content if y == prev else "ok"
            doc.report = report_body(self.crng, self.name, y,
                                     drop_section=self.crng.randrange(6) if seeded == "sections" else None,
                                     arithmetic=seeded == "arithmetic")
            col.docs.append(doc)
            if y == prev and pub > deadline:
                self.truth.add("annual_report.late", ANNUAL, doc.path)
        if self.as_of > annual_deadline(s.kind, prev + 1) and not any(
                str(prev) + "年" in d.title for d in col.docs):
            self.truth.add("annual_report.missing", ANNUAL, col.path)
        return col

    def seed_missing_fields(self, cols: list[Col]) -> None:
        skip = (self.spec.fail_column, self.spec.slow_column)
        docs = [(c, d) for c in cols if c.spec.category == "notice_policy" and c.spec.name not in skip
                for d in c.docs]
        for col, doc in self.rng.sample(docs, min(self.spec.missing_fields, len(docs))):
            keys = ["index_no", "publisher", "written", "published", "doc_no"]
            if col.spec.normative:
                keys.append("validity")
            key = self.rng.choice(keys)
            doc.drop[key] = "drop" if key == "doc_no" else self.rng.choice(["drop", "empty"])
            self.truth.add("doc.missing_fields", col.spec.name, doc.path, detail=[key])

    # -- content defects --
    def seed_content(self, cols: list[Col]) -> None:
        """Seed the content defects of the spec on documents that every audit reaches (notice_policy
        columns and 解读; never a faulty column). The truth is computed later from what is written."""
        s, r = self.spec, self.crng
        docs = [(c, d) for c in cols if c.spec.category == "notice_policy" and c.spec.state != UNDATED
                and c.spec.name not in (s.fail_column, s.slow_column) for d in c.docs]
        free = [(c, d) for c, d in docs if not d.drop]
        r.shuffle(free)
        used: set[int] = set()

        def take(pred=lambda c, d: True):
            for c, d in free:
                if d.id not in used and pred(c, d):
                    used.add(d.id)
                    return c, d
            return None, None

        for i in range(s.number_format):
            c, d = take(lambda c, d: bool(d.doc_no))
            if d is None:
                break
            d.doc_no, d.bad_no = self.bad_number(d.doc_no, NUMBER_FAULTS[r.randrange(len(NUMBER_FAULTS))]), True
        for i in range(s.date_inconsistent):
            if i % 2 == 0:
                c, d = take()
                if d is None:
                    break
                d.written = d.date + timedelta(days=r.randint(1, 12))
            else:   # the list shows an earlier day of the same month (never the column's newest)
                c, d = take(lambda c, d: d is not c.docs[0] and d.date.day > 3)
                if d is None:
                    break
                d.list_date = d.date - timedelta(days=r.randint(1, 3))
        holiday = lambda c, d: date(2026, 2, 16) <= d.date <= date(2026, 3, 25) or \
            date(2026, 10, 1) <= d.date <= date(2026, 11, 5) or date(2025, 10, 1) <= d.date <= date(2025, 11, 5)  # noqa: E731
        for i in range(s.late_publication + (1 if s.lookalikes else 0)):
            c, d = take(holiday)
            if d is None:
                c, d = take()
            if d is None:
                break
            late_w = d.date - timedelta(days=20)
            while WORKDAYS.add_workdays(late_w, 20) >= d.date:
                late_w -= timedelta(days=1)
            if i < s.late_publication:
                d.written = late_w                      # one working day too many
            else:                                       # look-alike: the 20th working day itself
                w = late_w + timedelta(days=1)
                while WORKDAYS.add_workdays(w, 20) < d.date:
                    w += timedelta(days=1)
                d.written = w
        if s.lookalikes:
            c, d = take(lambda c, d: bool(d.doc_no))
            if d is not None:
                d.doc_no = r.choice([f"{self.name}令第{r.randint(1, 200)}号", f"{self.abbr}发明电〔{d.date.year}〕{r.randint(1, 9)}号"])
        bodies = {
            "phone": f"<p>联系人：张三，手机{PHONE}。</p>",
            "id_number": f"<p>申请人：李四，身份证号码{ID_NUMBER}。</p>",
            "bank_card": f"<p>收款单位：{self.name}财政局，开户银行：中国工商银行，账号：{BANK_CARD}。</p>",
            "dead": f'<p>相关文件：<a href="{DEAD}">已撤回的文件.pdf</a></p>',
        }
        failing = next((c for c in cols if c.spec.name == s.fail_column), None)
        if failing is not None:      # its list answers 503: a link to it is broken too
            bodies["dead_fault"] = f'<p>相关栏目：<a href="{failing.path}">{failing.spec.name}</a></p>'
        kinds = [*s.privacy, *["dead"] * s.dead_links]
        if failing is not None and s.dead_links >= 2:
            kinds[-1] = "dead_fault"
        for kind in kinds:
            c, d = take()
            if d is None:
                break
            d.extra += bodies[kind]
        if s.lookalikes:
            c, d = take()
            if d is not None:
                d.extra += ("<p>咨询电话：0531-87654321，联系人手机138****5678，身份证号3701**********1234，"
                            f"账号：{NOT_LUHN}，项目编号{BANK_CARD}，"
                            f'内部资料：<a href="{FORBIDDEN}">内部文件.pdf</a>。</p>')
                self.truth.faults[FORBIDDEN] = {"status": 403}
        # 解读 after its policy: late by one working day; a look-alike on the 3rd working day itself.
        unlinked = {k[2] for k in self.truth.findings if k[0] == "interpretation.unlinked"}
        pairs = [(j, p) for j, p in self.pairs if p.date <= self.as_of - timedelta(days=20) and j.path not in unlinked]
        r.shuffle(pairs)
        for i, (j, p) in enumerate(pairs[: s.interpretation_late + (1 if s.lookalikes else 0)]):
            last = WORKDAYS.add_workdays(p.date, 3)
            j.date = last + timedelta(days=1) if i < s.interpretation_late else last
        jd = next((c for c in cols if c.spec.category == "interpretation"), None)
        if jd is not None and self.pairs:
            for j, _ in self.pairs:
                j.path = self.doc_path(jd, j)
            for j, p in self.pairs:
                p.links = [(j.path, j.title) if t == j.title else (u, t) for u, t in p.links]
            jd.docs.sort(key=lambda d: (d.date, d.id), reverse=True)

    def bad_number(self, no: str, fault: str) -> str:
        """The 发文字号 `no` (周政发〔2026〕5号) written with `fault` (doc.number_format)."""
        head, rest = no.split("〔", 1)
        year, tail = rest.split("〕", 1)
        serial = tail.rstrip("号")
        if fault in ("square", "paren", "fullparen", "lenticular"):
            o, c = {"square": "[]", "paren": "()", "fullparen": "（）", "lenticular": "【】"}[fault]
            return f"{head}{o}{year}{c}{serial}号"
        if fault == "two_digit":
            return f"{head}〔{year[2:]}〕{serial}号"
        if fault == "di":
            return f"{head}〔{year}〕第{serial}号"
        return f"{head}〔{year}〕{int(serial):03d}号"

    def content_truth(self, cols: list[Col]) -> None:
        """Truth of the content rules, computed from the documents as written (and as served)."""
        t, s = self.truth, self.spec
        reached = [c for c in cols if c.spec.name not in t.unchecked and c.spec.name != s.slow_column]
        for col in reached:
            for d in col.docs:
                self.document_truth(col, d)
        # Missing fields were seeded on documents an audit may not fetch (the per-column bound).
        unseen = {d.path for col in cols for d in col.docs if not self.sampled(col, d)}
        for k in [k for k in t.findings if k[0] == "doc.missing_fields" and k[2] in unseen]:
            t.findings.discard(k)
            t.details.pop(k, None)
        for col in cols:
            if col.spec.name == s.slow_column:       # its deep pages may time out: nothing seeded there
                assert not any(self.broken_links(d) or d.extra for d in col.docs), col.spec.name
        # 规范性文件 without a 解读 — judged only where the site's 解读 column was read: without
        # one, where its 解读 are published was not seen (they may sit outside the section).
        paired = {p.id for _, p in self.pairs}
        jd_read = any(c.spec.category == "interpretation" for c in reached)
        for col in reached if jd_read else []:
            if col.spec.category == "notice_policy":
                for d in col.docs:
                    if self.is_normative(col, d) and d.id not in paired:
                        t.add("interpretation.missing", col.spec.name, d.path)
        # 解读 later than 3 working days after the policy's 发布日期 (the page's, else the list's)
        jd = next((c for c in cols if c.spec.category == "interpretation"), None)
        for j, p in self.pairs:
            theirs = p.listed if p.drop.get("published") else p.date
            if j.date > WORKDAYS.add_workdays(theirs, 3):
                t.add("interpretation.late", jd.spec.name, j.path, target=p.path)

    def sampled(self, col: Col, d: Doc) -> bool:
        """Whether an audit fetches this document under the default per-column bound
        (crawler/sampling.py: every entry listed within the last 12 months, and at least the first 50
        listed; 解读 and 年报 columns whole). An unfetched document's defects cannot be seen."""
        from crawler.sampling import DocumentSampler
        if not hasattr(self, "_sampled"):
            self._sampled: set[int] = set()
        key = col.path
        if key not in self.__dict__.setdefault("_sampled_cols", set()):
            self._sampled_cols.add(key)
            sampler = DocumentSampler(self.as_of)
            entries = [type("E", (), {"url": x.path, "date": x.listed if x.dated else None, "id": x.id})
                       for x in col.docs]
            self._sampled |= {e.id for e in sampler.take(key, col.spec.name, col.spec.category, entries)}
        return d.id in self._sampled

    def document_truth(self, col: Col, d: Doc) -> None:
        t, name = self.truth, col.spec.name
        if not self.sampled(col, d):
            return
        for rule, value in (("privacy.phone", PHONE), ("privacy.id_number", ID_NUMBER),
                            ("privacy.bank_card", BANK_CARD)):
            if rule == "privacy.bank_card" and f"账号：{value}" in d.extra or \
                    rule != "privacy.bank_card" and value in d.extra:
                t.add(rule, name, d.path)
        for target in self.broken_links(d):
            t.add("link.broken", name, d.path, target=target)
        if col.spec.category != "notice_policy":
            return
        shown = lambda key: not d.drop.get(key)   # noqa: E731
        if d.bad_no and shown("doc_no"):
            t.add("doc.number_format", name, d.path)
        written = d.written if shown("written") else None
        published = d.date if shown("published") else None
        if published and (written and written > published or published > self.as_of
                          or d.dated and d.listed != published):
            t.add("doc.date_inconsistent", name, d.path)
        if written and published and published > WORKDAYS.add_workdays(written, 20):
            t.add("doc.late_publication", name, d.path)

    def link_truth(self, cols: list[Col]) -> None:
        """link.broken on every column page read: the links of a column's list pages are one
        finding per target, on the column's page (document_truth does the documents)."""
        t, s = self.truth, self.spec
        pages = [(GUIDE, f"{self.sec}zfxxgkzn/"), (SYSTEM, self.col_path("zfxxgkzd")),
                 (ACTIVE, f"{self.sec}fdzdgknr/"), (PROFILE, f"{self.sec}jgzn/"),
                 (ANNUAL, self.col_path("zfxxgknb"))] + [(c.spec.name, c.path) for c in cols]
        for name, path in pages:
            folder = self.root / path.lstrip("/")
            if name in t.unchecked or not (folder / "index.html").is_file():
                continue
            slow = f"{path}index_2.html" if name == s.slow_column else None
            files = [f for f in folder.iterdir() if f.name.startswith("index") and f.is_file()
                     and f"{path}{f.name}" != slow]
            if any(self.broken_links(None, f) for f in files):
                t.add("link.broken", name, path)

    def broken_links(self, d: Doc | None, file: Path | None = None) -> list[str]:
        """Same-site links on the document's page (or a list page `file`) whose target answers
        404/410 or 5xx. Links written by scripts are not links a reader's browser shows as such."""
        file = file or self.root / d.path.lstrip("/")
        page = "/" + file.relative_to(self.root).as_posix().split("@")[0]
        raw = file.read_bytes().decode("gb18030" if self.spec.style == "legacy" else "utf-8", errors="replace")
        text = re.sub(r"<!--.*?-->|<script.*?</script>", "", raw, flags=re.S | re.I)
        out, cache = [], self.__dict__.setdefault("_status", {})
        for href in dict.fromkeys(re.findall(r'href="([^"#]+)"', text)):
            path = href if href.startswith("/") and "&" not in href and "?" not in href \
                else urlsplit(urljoin(page, html.unescape(href))).path
            if path.endswith(".css"):
                continue
            if path not in cache:
                cache[path] = self.served_status(path)
            status = cache[path]
            if status in (404, 410) or status >= 500:
                out.append(path)
        return out

    def served_status(self, path: str) -> int:
        from tests.sites.server import norm_path
        faults = self.truth.faults
        fault = faults.get(path) or faults.get(norm_path(path)) or \
            next((v for k, v in faults.items() if k != "*" and norm_path(k) == norm_path(path)), None)
        if fault and fault.get("status"):
            return int(fault["status"])
        file = self.root / path.lstrip("/")
        if path.endswith("/"):
            file = file / "index.html"
        return 200 if file.is_file() else 404

    def site_truth(self, annual: Col) -> None:
        s, t = self.spec, self.truth
        prev = next((d for d in annual.docs if f"{self.as_of.year - 1}年" in d.title), None)
        if prev is not None and s.annual_content == "sections":
            t.add("annual_report.sections", ANNUAL, prev.path)
        if prev is not None and s.annual_content == "arithmetic":
            t.add("annual_report.arithmetic", ANNUAL, prev.path)
        if s.disclosure_missing:
            t.add("disclosure.structure", "", self.sec)
        if s.guide_missing and s.disclosure_missing != GUIDE:
            t.add("guide.incomplete", GUIDE, f"{self.sec}zfxxgkzn/", detail=[s.guide_missing])
        if s.identity_fault:
            t.add("site.identity", "", "/", detail=[s.identity_fault])

    def empty_evidence(self, col: Col) -> str:
        """What shows that an empty column is empty (rules.md, Evidence), read from its first list
        page as written: "marker" (it says 暂无信息 and carries no script at all: any script could
        fill it), "endpoint" (the list data the page uses — Hanweb datastore, JSON API or embedded
        listData — holds zero records), else "rendered": only a browser rendering shows it stays
        empty."""
        file = self.root / col.path.lstrip("/") / "index.html"
        raw = file.read_bytes().decode("gb18030" if self.spec.style == "legacy" else "utf-8")
        live = re.sub(r"<!--.*?-->", "", raw, flags=re.S)
        if "暂无信息" in live and "<script" not in live:
            return "marker"
        return "endpoint" if self.spec.style in ("hanweb", "json") else "rendered"

    def judge(self, cols: list[Col], annual: Col) -> None:
        """Column-level truth, computed from what was written (not from the requested states)."""
        t, stale_np, stale_all, empty = self.truth, 0, 0, 0
        for col in cols:
            c = col.spec
            dated = [d.listed for d in col.docs if d.dated]
            newest = max(dated) if dated else None
            t.columns.append({"name": c.name, "category": c.category, "url": col.path,
                              "parent": col.parent, "entries": len(col.docs), "pages": col.pages,
                              "newest": newest.isoformat() if newest else None, "state": c.state,
                              "checked": c.name not in t.unchecked,
                              "evidence": self.empty_evidence(col) if not col.docs else ""})
            if c.name in t.unchecked:
                continue
            if not col.docs:
                t.add("column.empty", c.name, col.path)
                empty += 1
                continue
            lim = cutoff(c.category, self.as_of)
            if lim and (newest is None or newest < lim):
                t.add("column.stale", c.name, col.path)
                stale_all += 1
                stale_np += c.category in ("news", "notice_policy")
        if empty >= 5:
            t.add("veto.blank_columns", "", self.sec)
        if stale_np >= 5 or stale_all >= 10:
            t.add("veto.stale_columns", "", self.sec)
        if self.spec.homepage_stale:
            t.add("veto.homepage_stale", "", "/")
        self.content_truth(cols)
        self.link_truth(cols)
        self.site_truth(annual)
        t.documents = sum(len(c.docs) for c in cols) + len(self.home_docs)
        if self.spec.unreachable:   # nothing else can be seen
            t.findings, t.targets, t.details = {("site.unreachable", "", "/")}, {}, {}
        elif self.spec.blocked:     # nothing can be seen: no column or document truth
            t.findings, t.targets, t.details = set(), {}, {}

    # ------------------------------------------------------------------------------ pages

    def head(self, title: str, extra: str = "", column: str = "") -> str:
        meta = (f'<meta name="SiteName" content="{self.name}">\n'
                f'<meta name="SiteDomain" content="www.{self.site_id}.gov.cn">\n'
                f'<meta name="SiteIDCode" content="{self.meta_site_id()}">\n')
        if column:
            meta += f'<meta name="ColumnName" content="{column}">\n'
        return (f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
                f'<meta http-equiv="X-UA-Compatible" content="IE=edge">\n<title>{html.escape(title)}</title>\n'
                f'{meta}{extra}<link rel="stylesheet" href="/images/style.css">\n</head>\n<body>\n')

    def meta_site_id(self) -> str:
        if self.spec.identity_fault == "meta_mismatch":
            return self.site_id[:-1] + str((int(self.site_id[-1]) + 1) % 10)
        if self.spec.identity_fault == "meta_format":
            return "bm" + self.site_id[-6:]
        return self.site_id

    def header(self) -> str:
        return (f'<div class="header"><div class="logo"><a href="/"><span class="site-name">{self.name}</span></a></div>\n'
                '<div class="nav"><ul>\n<li><a href="/">首页</a></li>\n<li><a href="/zwdt/">政务动态</a></li>\n'
                f'<li><a href="{self.sec}">{self.spec.section_text}</a></li>\n'
                '<li><a href="/zwfw/">政务服务</a></li>\n<li><a href="/hdjl/">互动交流</a></li>\n</ul></div></div>\n')

    def footer(self) -> str:
        fault = self.spec.identity_fault
        sponsor = "" if fault == "sponsor" else f"主办单位：{self.name}办公室　"
        site_id = "" if fault == "site_id" else f"网站标识码：{self.site_id}　"
        icp = "" if fault == "icp" else f'<a href="/lxwm/">鲁ICP备05{self.site_id[-6:]}号</a>　'
        police = "" if fault == "police" else f"鲁公网安备 {self.site_id[:6]}02000{self.site_id[-3:]}号"
        return (f'<div class="footer"><p><a href="/">网站首页</a> | <a href="/wzdt/">网站地图</a> | '
                f'<a href="/lxwm/">联系我们</a></p>\n<p>{sponsor}'
                f'联系电话：{self.area}-6{self.site_id[-6:]}</p>\n<p>{site_id}{icp}{police}</p></div>\n'
                '</body>\n</html>\n')

    def page(self, title: str, body: str, column: str = "", extra: str = "") -> str:
        return self.head(title, extra, column) + self.header() + body + self.footer()

    def homepage(self) -> None:
        r, s = self.rng, self.spec
        newest = self.as_of - timedelta(days=r.randint(15, 60) if s.homepage_stale else r.randint(0, 5))
        self.home_docs = []
        d = newest
        for _ in range(r.randint(8, 12)):
            doc = Doc(self.new_id(), self.title("news", d.year), d, d)
            doc.path = f"/zwdt/{d:%Y%m}/t{d:%Y%m%d}_{doc.id}.html"
            self.home_docs.append(doc)
            d -= timedelta(days=r.randint(0, 4))
        items = "".join(f'<li><a href="{doc.path}" target="_blank" title="{html.escape(doc.title)}">'
                        f'{html.escape(self.cut(doc.title, 28))}</a><span>{doc.date:%Y-%m-%d}</span></li>\n'
                        for doc in self.home_docs[:8])
        body = ('<div class="banner"><img src="/images/banner.jpg" alt=""></div>\n<div class="main">\n'
                '<div class="news-box"><div class="hd"><h3>政务要闻</h3><a class="more" href="/zwdt/">更多&gt;&gt;</a></div>\n'
                f'<ul class="news-list">\n{items}</ul></div>\n'
                f'<div class="quick"><a href="{self.sec}">{s.section_text}</a> <a href="/zwfw/">网上办事</a> '
                '<a href="/hdjl/">区长信箱</a></div>\n</div>\n')
        self.write("/index.html", self.page(self.name, body))
        rows = "".join(f'<li><a href="./{doc.path.split("/", 2)[2]}" title="{html.escape(doc.title)}">'
                       f'{html.escape(doc.title)}</a><span>{doc.date:%Y-%m-%d}</span></li>\n' for doc in self.home_docs)
        self.write("/zwdt/", self.page(f"政务动态-{self.name}",
                                       f'<div class="main"><h3>政务动态</h3><ul class="list">\n{rows}</ul></div>\n'))
        for doc in self.home_docs:
            self.write(doc.path, self.page(doc.title, self.article(doc, "政务动态", meta_block="")))
        for path, title, text in (("/zwfw/", "政务服务", "政务服务事项请到区为民服务中心办理，工作日上午8:30-12:00，下午13:30-17:30。"),
                                  ("/hdjl/", "互动交流", "欢迎通过区长信箱、12345政务服务便民热线反映诉求。"),
                                  ("/wzdt/", "网站地图", "首页、政务动态、政府信息公开、政务服务、互动交流。"),
                                  ("/lxwm/", "联系我们", f"{self.name}办公室，联系电话：{self.area}-6{self.site_id[-6:]}。")):
            self.write(path, self.page(f"{title}-{self.name}", f'<div class="main"><h3>{title}</h3><p>{text}</p></div>\n'))
        self.write("/images/style.css", "body{font:14px/1.6 'Microsoft YaHei',sans-serif}\n")

    # -- section, tree, content pages --
    def tree(self, cols: list[Col], current: str) -> str:
        def li(name: str, path: str, inner: str = "") -> str:
            on = ' class="on"' if name == current else ""
            return f'<li{on}><a href="{path}">{name}</a>{inner}</li>\n'
        subs = li(PROFILE, f"{self.sec}jgzn/") + "".join(li(c.spec.name, c.path) for c in cols)
        return ('<div class="left"><div class="tree-title">'
                f'<h2>{self.spec.section_text}</h2></div>\n<ul class="tree">\n'
                + ("" if self.spec.disclosure_missing == GUIDE else li(GUIDE, f"{self.sec}zfxxgkzn/"))
                + ("" if self.spec.disclosure_missing == SYSTEM else li(SYSTEM, self.col_path("zfxxgkzd")))
                + li(ACTIVE, f"{self.sec}fdzdgknr/", f'<ul class="sub">\n{subs}</ul>')
                + li(ANNUAL, self.col_path("zfxxgknb")) + '</ul></div>\n')

    def crumbs(self, *names: str) -> str:
        parts = ['<a href="/">首页</a>', f'<a href="{self.sec}">{self.spec.section_text}</a>', *names]
        return f'<div class="location">当前位置：{" &gt; ".join(parts)}</div>\n'

    def framed(self, cols: list[Col], current: str, content: str, crumbs: list[str]) -> str:
        return (f'<div class="container">\n{self.crumbs(*crumbs)}{self.tree(cols, current)}'
                f'<div class="right">\n<div class="column-title"><h3>{current or self.spec.section_text}</h3></div>\n'
                f'{content}</div>\n</div>\n')

    def section_pages(self, cols: list[Col], system: Col, annual: Col) -> None:
        s, sec = self.spec, self.sec
        intro = (f'<div class="intro"><p>根据《中华人民共和国政府信息公开条例》，{self.name}在本栏目集中发布'
                 '法定主动公开的政府信息。</p></div>\n')
        self.write(sec, self.page(f"{s.section_text}-{self.name}", self.framed(cols, "", intro, [])))
        guide = (f'<div class="TRS_Editor"><p>为便于公民、法人和其他组织依法获取{self.name}政府信息，编制本指南。</p>\n'
                 '<p><b>一、主动公开</b></p><p>公开的主要内容包括机构职能、政策文件、通知公告、规划计划、人事信息等。</p>\n'
                 '<p><b>二、依申请公开</b></p>'
                 f'<p>受理机构：{self.name}办公室（政府信息公开工作机构）</p>\n'
                 f'<p>办公地址：{self.short}人民路{self.rng.randint(1, 200)}号</p>\n'
                 '<p>办公时间：工作日上午8:30-12:00，下午13:30-17:30（法定节假日除外）</p>\n'
                 f'<p>联系电话：{self.area}-6{self.site_id[-6:]}</p>\n'
                 '<p>申请方式：申请人可通过当面、邮寄、网上等方式提出申请，并填写《政府信息公开申请表》。</p>\n'
                 '<p><b>三、监督和救济</b></p><p>公民、法人或者其他组织认为行政机关在政府信息公开工作中侵犯其合法权益的，'
                 '可以依法申请行政复议或者提起行政诉讼。</p></div>\n')
        drop = {"办公时间": r"<p>办公时间：[^<]*</p>\n", "受理机构": r"<p>受理机构：[^<]*</p>\n",
                "监督": r"<p><b>三、监督和救济</b></p><p>[^<]*</p>"}.get(s.guide_missing)
        if drop:
            guide = re.sub(drop, "", guide)
        if s.disclosure_missing != GUIDE:
            self.write(f"{sec}zfxxgkzn/", self.page(f"{GUIDE}-{self.name}", self.framed(cols, GUIDE, guide, [GUIDE]), GUIDE))
        profile = (f'<div class="TRS_Editor"><p><b>机构名称：</b>{self.name}</p>\n<p><b>主要职责：</b>贯彻执行国家、省、市关于'
                   f'{self.rng.choice(N.TOPICS)}等方面的方针政策和法律法规，负责本行政区域内相关工作的统筹协调和监督管理。</p>\n'
                   f'<p><b>负责人：</b>{self.rng.choice(N.PEOPLE)}</p>\n<p><b>办公地址：</b>{self.short}人民路{self.rng.randint(1, 200)}号</p></div>\n')
        self.write(f"{sec}jgzn/", self.page(f"{PROFILE}-{self.name}", self.framed(cols, PROFILE, profile, [ACTIVE, PROFILE]), PROFILE))
        grid = "".join(f'<li><a href="{c.path}">{c.spec.name}</a></li>\n' for c in cols)
        grid = f'<div class="zdgk-nav"><ul>\n<li><a href="{sec}jgzn/">{PROFILE}</a></li>\n{grid}</ul></div>\n'
        self.write(f"{sec}fdzdgknr/", self.page(f"{ACTIVE}-{self.name}", self.framed(cols, ACTIVE, grid, [ACTIVE]), ACTIVE))

    # -- list pages --
    @staticmethod
    def cut(title: str, n: int = 24) -> str:
        return title if len(title) <= n else title[:n] + "..."

    def fmt_list_date(self, d: date) -> str:
        st = self.spec.list_style
        if st == "bracket":
            return f"[{d:%Y-%m-%d}]"
        if st == "cn_date":
            return f"{d.year}年{d.month:02d}月{d.day:02d}日"
        return f"{d:%Y-%m-%d}"

    def row(self, col: Col, doc_path: str, title: str, d: date | None) -> str:
        href = "./" + doc_path[len(col.path):] if doc_path.startswith(col.path) else doc_path
        a = f'<a href="{href}" target="_blank" title="{html.escape(title)}">{html.escape(self.cut(title))}</a>'
        ds = self.fmt_list_date(d) if d else ""
        st = self.spec.list_style
        if st == "table":
            return f'<tr><td class="title">{a}</td><td class="date" width="100">{ds}</td></tr>\n'
        if st == "li_b":
            return f"<li>{a}<b>{ds}</b></li>\n" if d else f"<li>{a}</li>\n"
        return f'<li>{a}<span class="date">{ds}</span></li>\n' if d else f"<li>{a}</li>\n"

    def pager_js(self) -> str:
        if self.spec.pager == "trs4":
            return ('<script type="text/javascript">\nfunction createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){\n'
                    ' if(_nPageCount==null||_nPageCount<=1){return;}\n var h=[], n=function(i){return _sPageName+(i>0?"_"+i:"")+"."+_sPageExt;};\n'
                    ' h.push(_nCurrIndex>0?"<a href=\\""+n(0)+"\\">首页</a> <a href=\\""+n(_nCurrIndex-1)+"\\">上一页</a>":"首页 上一页");\n'
                    ' h.push(_nCurrIndex<_nPageCount-1?"<a href=\\""+n(_nCurrIndex+1)+"\\">下一页</a> <a href=\\""+n(_nPageCount-1)+"\\">尾页</a>":"下一页 尾页");\n'
                    ' h.push("共"+_nPageCount+"页 当前第"+(_nCurrIndex+1)+"页");\n document.write(h.join(" "));\n}\n</script>\n')
        if self.spec.pager == "trs6":
            return ('<script type="text/javascript">\nfunction createPageHTML(divId, pages, cur, name, ext, total){\n'
                    ' var el=document.getElementById(divId); if(!el||pages<1){return;}\n'
                    ' var n=function(p){return name+(p>1?"_"+(p-1):"")+"."+ext;}, h=["共"+total+"条"];\n'
                    ' if(cur>1){h.push("<a href=\\""+n(1)+"\\">首页</a>","<a href=\\""+n(cur-1)+"\\">上一页</a>");}\n'
                    ' for(var p=Math.max(1,cur-2);p<=Math.min(pages,cur+2);p++){h.push(p==cur?"<span>"+p+"</span>":"<a href=\\""+n(p)+"\\">"+p+"</a>");}\n'
                    ' if(cur<pages){h.push("<a href=\\""+n(cur+1)+"\\">下一页</a>","<a href=\\""+n(pages)+"\\">尾页</a>");}\n'
                    ' el.innerHTML=h.join(" ");\n}\n</script>\n')
        return ""

    def pager(self, pages: int, k: int, total: int) -> str:
        p = self.spec.pager
        if p == "trs4":
            return f'<div class="page"><script type="text/javascript">createPageHTML({pages}, {k}, "index", "html");</script></div>\n'
        if p == "trs6":
            return (f'<div class="page" id="page_div"></div>\n<script type="text/javascript">'
                    f"createPageHTML('page_div', {pages}, {k + 1}, 'index', 'html', {total});</script>\n")
        if pages <= 1:
            return ""
        name = lambda i: "index.html" if i == 0 else f"index_{i}.html"  # noqa: E731
        parts = [f'<a href="{name(0)}">首页</a>' if k else "<span>首页</span>"]
        parts.append(f'<a href="{name(k - 1)}">上一页</a>' if k else "<span>上一页</span>")
        parts.append(f'<a href="{name(k + 1)}">下一页</a>' if k < pages - 1 else "<span>下一页</span>")
        parts.append(f'<a href="{name(pages - 1)}">尾页</a>' if k < pages - 1 else "<span>尾页</span>")
        return f'<div class="page">{" ".join(parts)} <span>共{pages}页 第{k + 1}页</span></div>\n'

    def dead_block(self, col: Col) -> str:
        """An old list and pager commented out by an editor: dead, and dated to mislead."""
        r, rows = self.rng, []
        fresh = col.spec.state in (STALE, UNDATED, EMPTY, EMPTY_LIST)   # newer than the live list
        for i in range(r.randint(2, 5)):
            d = self.as_of - timedelta(days=r.randint(1, 5)) if fresh else date(r.randint(2017, 2020), r.randint(1, 12), r.randint(1, 28))
            oid = r.randint(10000, 99999)
            rows.append(self.row(col, f"{col.path}{d:%Y%m}/t{d:%Y%m%d}_{oid}.html",
                                 self.title("notice", d.year), d).strip())
        pager = f'<script type="text/javascript">createPageHTML({r.randint(12, 40)}, 0, "index", "html");</script>'
        return "<!--\n" + "\n".join(rows) + "\n" + pager + "\n-->\n"

    def list_pages(self, col: Col, cols: list[Col]) -> None:
        s, c = self.spec, col.spec
        pages, ps = col.pages, s.page_size
        table = s.list_style == "table"
        opener, closer = ('<table class="list" width="100%" cellspacing="0">\n', "</table>\n") if table \
            else ('<ul class="list">\n', "</ul>\n")
        crumbs = [c.name] if col.parent == "" else [col.parent, c.name]
        style = {"hanweb": styles.hanweb, "legacy": styles.legacy, "json": styles.json_api}.get(s.style)
        if style is not None:
            return style.list_pages(self, col, cols, crumbs)
        for k in range(pages):
            chunk = col.docs[k * ps:(k + 1) * ps]
            dead = self.dead_block(col) if s.comment_block and k == 0 else ""
            if c.state == EMPTY:
                listing = dead + '<div class="no-data">暂无信息</div>\n'
            else:
                listing = opener + "".join(self.row(col, d.path, d.title, d.listed if d.dated else None)
                                           for d in chunk) + closer + dead
            content = listing + self.pager(pages, k, len(col.docs))
            body = self.framed(cols, c.name, content, crumbs)
            path = col.path if k == 0 else f"{col.path}index_{k}.html"
            self.write(path, self.page(f"{c.name}-{self.name}", body, c.name, self.pager_js()))

    # -- documents --
    def meta_block(self, col: Col, doc: Doc) -> str:
        st = self.spec.meta_style

        def fd(d: date) -> str:
            return (f"{d.year}年{d.month:02d}月{d.day:02d}日", f"{d:%Y-%m-%d}", f"{d.year}年{d.month}月{d.day}日")[st]
        labels = [
            ("索 引 号：", "索&nbsp;&nbsp;引&nbsp;&nbsp;号:", "索引号："),
            ("主题分类：", "信息分类:", "主题分类："),
            ("发文机关：", "发布机构:", "发布机构："),
            ("成文日期：", "成文日期:", "生成日期："),
            ("标　　题：", "标&nbsp;&nbsp;&nbsp;&nbsp;题:", "标题："),
            ("发文字号：", "文&nbsp;&nbsp;&nbsp;&nbsp;号:", "文号："),
            ("发布日期：", "发布日期:", "发布日期："),
            ("有 效 性：", "有&nbsp;&nbsp;效&nbsp;&nbsp;性:", "时效状态："),
        ]
        publisher = self.name if "文件" in col.spec.name else self.rng.choice([self.name, self.name + "办公室"])
        values = {
            "index_no": f"11{self.site_id}{self.site_id[-5:]}X/{doc.date.year}-{doc.id % 100000:05d}",
            "topic": self.rng.choice(N.SUBJECTS), "publisher": publisher, "written": fd(doc.written),
            "title": html.escape(doc.title), "doc_no": doc.doc_no, "published": fd(doc.date),
            "validity": "有效" if col.spec.normative else None,
        }
        keys = ["index_no", "topic", "publisher", "written", "title", "doc_no", "published", "validity"]
        rows = []
        for key, lab in zip(keys, labels):
            value = values[key]
            if value is None or doc.drop.get(key) == "drop":
                continue
            if doc.drop.get(key) == "empty":
                value = ""
            rows.append((lab[st], value or ("&nbsp;" if st == 0 else "")))
        if st == 0:
            cells = [f'<td class="t1"><b>{lab}</b></td><td class="t2">{v}</td>' for lab, v in rows]
            trs = "".join(f"<tr>{''.join(cells[i:i + 2])}</tr>\n" for i in range(0, len(cells), 2))
            return f'<table class="xxgk_table" width="100%" border="0" cellspacing="1">\n<tbody>\n{trs}</tbody></table>\n'
        if st == 1:
            lis = "".join(f'<li><span class="lab">{lab}</span><span class="val">{v}</span></li>\n' for lab, v in rows)
            return f'<div class="xxgk-info"><ul>\n{lis}</ul></div>\n'
        trs = "".join(f"<tr><th>{lab}</th><td>{v}</td></tr>\n" for lab, v in rows)
        return f'<table class="zwgk-meta">\n{trs}</table>\n'

    def article(self, doc: Doc, column: str, meta_block: str, inline: str = "", after: str = "") -> str:
        topic = next((t for t in N.TOPICS if t in doc.title), self.rng.choice(N.TOPICS))
        paras = self.rng.sample(N.PARAGRAPHS, 3)
        text = "".join(f"<p>{p.format(t=topic)}</p>\n" for p in paras)
        # A field the block lacks is shown nowhere else either: the line under the title and the
        # metas are read too (fields.read_fields), and a page that shows it lacks nothing.
        info = f"发布时间：{doc.date:%Y-%m-%d} " if doc.dated and "published" not in doc.drop else ""
        info += "" if "publisher" in doc.drop else f"来源：{self.name}"
        att = (f'<div class="fj"><p>附件：<a href="./{doc.attachment}">{html.escape(self.cut(doc.title, 20))}.pdf</a></p></div>\n'
               if doc.attachment else "")
        return (f'<div class="container">\n{self.crumbs(column)}<div class="article">\n{meta_block}'
                f'<h1 class="title">{html.escape(doc.title)}</h1>\n<div class="info">{info}</div>\n'
                f'<div class="TRS_Editor"><div class="Custom_UnionStyle">\n{text}{inline}</div></div>\n{att}{after}</div>\n</div>\n')

    def document(self, col: Col, doc: Doc, cols: list[Col]) -> None:
        # 解读 links: a 相关解读 / 相关文件 block below the body, or a line inside it (hunb.nea style).
        c = col.spec
        inline = after = ""
        if c.category == "notice_policy" and doc.links:
            if doc.link_style == 0:
                items = "".join(f'<li><a href="{p}" target="_blank">{html.escape(t)}</a></li>' for p, t in doc.links)
                after = f'<div class="xgjd"><h4>相关解读</h4><ul>{items}</ul></div>\n'
            else:
                inline = "".join(f'<p>政策解读：<a href="{p}">{html.escape(t)}</a></p>\n' for p, t in doc.links)
        elif c.category == "interpretation" and doc.links:
            p, t = doc.links[0]
            if doc.link_style:
                inline = f'<p>原文链接：<a href="{p}">《{html.escape(t)}》</a></p>\n'
            else:
                after = f'<div class="xgwj">相关文件：<a href="{p}">《{html.escape(t)}》</a></div>\n'
        if c.category == "annual_report":
            inline = doc.report
        inline = doc.extra + inline
        block = self.meta_block(col, doc) if c.category == "notice_policy" else ""
        pub = f'<meta name="PubDate" content="{doc.date:%Y-%m-%d} 09:{doc.id % 60:02d}">\n' \
            if doc.dated and "published" not in doc.drop else ""
        source = "" if "publisher" in doc.drop else f'<meta name="ContentSource" content="{self.name}">\n'
        head_extra = f'<meta name="ArticleTitle" content="{html.escape(doc.title)}">\n{pub}{source}'
        self.write(doc.path, self.page(doc.title, self.article(doc, c.name, block, inline, after), c.name, head_extra))
        if doc.attachment:
            (self.root / doc.path.lstrip("/")).parent.joinpath(doc.attachment).write_bytes(
                b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def build_site(root: Path, spec: SiteSpec) -> Truth:
    """Write the site's static files under `root` and return the truth for `spec.as_of`."""
    return _Builder(root, spec).build()


# ---------------------------------------------------------------------------------- random


STYLES = {"trs": 40, "hanweb": 20, "legacy": 20, "json": 20}
# Seeds whose sites the e2e tests were written against: they stay TRS.
TRS_SEEDS = {1, 2, 3, 4, 5, 8, 13, 21, 34}
RUISHU_CHALLENGE = ('<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
                    '<meta id="9DhefwqGPrzGxEp9hPaoag" content="x8tV0b1sLq" r="m"></head><body>'
                    '<script type="text/javascript" r="m">$_ts=window[\'$_ts\'];if(!$_ts){$_ts={};}$_ts.nsd=28475;'
                    '$_ts.cd="qxrrrpAlcGLqEa3FqGWqcsVqrG3";</script>'
                    '<script type="text/javascript" charset="utf-8" src="/4QbVtADbnLVIc/c.FxJzG50F.dfe1675.js" r="m"></script>'
                    '</body></html>')


def random_spec(seed: int, style: str | None = None) -> SiteSpec:
    """A varied site: markup, pagination and a defect mix all drawn from `seed`.

    `style` None draws one from STYLES on its own random stream (so the rest of the spec is the
    same for every style); the seeds in TRS_SEEDS stay TRS.
    """
    r = random.Random(f"zwgk-spec-{seed}")
    kind = "government" if r.random() < 0.65 else "department"
    pool = N.GOVERNMENTS if kind == "government" else N.DEPARTMENTS
    mix = r.choice(["clean", "mixed", "mixed", "mixed", "veto_blank", "veto_stale"])
    n = r.randint(3, 12) if mix in ("clean", "mixed") else r.randint(8, 12)
    names = ["工作动态", "通知公告", "政策文件"]
    if n >= 4 and r.random() < 0.85:
        names.append("政策解读")
    others = [x for x in POOL if x not in names]
    r.shuffle(others)
    names += others[: n - len(names)]
    page_size = r.choice([10, 15, 20])
    cols = []
    for name in names:
        docs = 1 + int(r.random() ** 2 * 60)
        c = ColumnSpec.of(name, docs)
        judged = c.category in JUDGED
        if mix == "mixed":
            c.state = r.choices([FRESH, EDGE, DEEP, STALE, EMPTY, EMPTY_LIST, UNDATED],
                                [45, 15, 8, 15, 8, 5, 4])[0]
        elif mix == "clean":
            c.state = r.choice([FRESH, FRESH, EDGE, DEEP])
        if c.state in (EDGE, STALE, UNDATED) and not judged or c.state == UNDATED and c.category == "notice_policy":
            c.state = FRESH
        cols.append(c)
    if mix == "veto_blank":
        for c in r.sample([c for c in cols if c.category != "interpretation"], 5 + r.randint(0, 1)):
            c.state = r.choice([EMPTY, EMPTY_LIST])
    elif mix == "veto_stale":
        for c in [c for c in cols if c.category in ("news", "notice_policy")][:6]:
            c.state = STALE
        if sum(c.category in ("news", "notice_policy") for c in cols) < 5:
            for c in cols:
                if c.category in JUDGED:
                    c.state = STALE
    spec = SiteSpec(
        seed=seed, kind=kind, name=pool[r.randrange(len(pool))][0],
        section_text=r.choice(["政府信息公开", "政府信息公开", "信息公开", "政务公开"]),
        section_dir=r.choice(["zfxxgk", "zfxxgk", "xxgk", "zwgk"]),
        list_style=r.choice(LIST_STYLES), pager=r.choice(PAGERS), page_size=page_size,
        comment_block=r.random() < 0.35, meta_style=r.randint(0, 2), columns=cols,
        homepage_stale=r.random() < 0.2, annual_report=r.choices(["ok", "late", "missing"], [3, 1, 1])[0],
        missing_fields=r.randint(0, 4), unlinked=r.randint(0, 2), unreachable=r.random() < 0.04)
    if style is None:
        rs = random.Random(f"zwgk-style-{seed}")
        style = "trs" if seed in TRS_SEEDS else rs.choices(list(STYLES), list(STYLES.values()))[0]
    spec.style = style
    # Faults: only on columns whose documents no other defect relies on.
    spare = [c for c in cols if c.category in ("news", "personnel_plan", "other")]
    if spare and r.random() < 0.2:
        c = r.choice(spare)
        c.state = r.choice([STALE if c.category in JUDGED else FRESH, EMPTY])  # a trap: not checked
        spec.fail_column = c.name
    spare = [c for c in spare if c.name != spec.fail_column]
    if spare and r.random() < 0.1:
        c = r.choice(spare)
        c.state = DEEP
        spec.slow_column = c.name
    # Content defects, on their own stream (the draws above are what older tests were written for).
    rc = random.Random(f"zwgk-content-spec-{seed}")
    spec.number_format = rc.choice([0, 0, 1, 2])
    spec.date_inconsistent = rc.choice([0, 0, 1, 2])
    spec.late_publication = rc.choice([0, 0, 1, 2])
    spec.interpretation_late = rc.choice([0, 1, 1, 2])
    spec.interpretation_missing = rc.choice([0, 0, 1, 2])
    spec.annual_content = rc.choices(["ok", "sections", "arithmetic"], [3, 1, 1])[0]
    spec.disclosure_missing = rc.choices(["", SYSTEM, GUIDE], [6, 1, 1])[0]
    spec.guide_missing = rc.choices(["", *GUIDE_ITEMS], [5, 1, 1, 1])[0]
    spec.identity_fault = rc.choices(["", *IDENTITY_FAULTS], [6, 1, 1, 1, 1, 1, 1])[0]
    spec.dead_links = rc.choice([0, 0, 1, 2])
    spec.privacy = tuple(k for k in PRIVACY if rc.random() < 0.3)
    spec.lookalikes = rc.random() < 0.7
    return spec


def benchmark_spec(documents: int = 5000, seed: int = 0) -> SiteSpec:
    """A large, fault-free site of about `documents` documents over 10 columns."""
    spec = random_spec(seed)
    names = ["工作动态", "部门动态", "通知公告", "政策文件", "规范性文件", "公示公告", "人事信息",
             "规划计划", "财政预决算", "重点领域信息"]
    return replace(spec, columns=[ColumnSpec.of(x) for x in names], docs_per_column=documents // len(names),
                   fail_column="", slow_column="", unreachable=False, page_size=20)


def spec_to_json(spec: SiteSpec) -> dict:
    d = asdict(spec)
    d["as_of"] = spec.as_of.isoformat()
    return d


def dump_truth(truth: Truth, path: Path) -> None:
    Path(path).write_text(json.dumps(truth.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
