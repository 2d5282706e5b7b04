"""The snapshot: what one crawl of one site observed, as audits and reports read it.

The crawler writes these records through `snapshot.store.Store`; audits receive a loaded
`Snapshot` and never see the crawler's memory. Everything here is observation, not judgement.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

# Fetch outcomes (GSA-scanner style) and their Chinese wording: the one taxonomy, in
# snapshot/outcomes.py (audits and reports never import the crawler).
from .outcomes import LABELS as OUTCOME_LABELS, OK, OUTCOMES  # noqa: F401
from .types import Id, Str, sql

# Column status: only "ok" columns may be judged empty or stale.
COLUMN_OK = "ok"            # its list pages were fetched (at least the first one)
COLUMN_FAILED = "failed"    # the first list page could not be fetched (timeout, 5xx, ...)
COLUMN_BLOCKED = "blocked"  # an anti-bot wall or robots.txt kept us out
COLUMN_SKIPPED = "skipped"  # not fetched: --max-pages reached, or skipped by config
COLUMN_PENDING = "pending"  # found but its first page never processed (run killed, crawler fault)
# Its list was read but showed no entries and nothing proves it empty (a list built by scripts
# that no browser or endpoint confirmed): 未能确认, never judged empty.
COLUMN_UNVERIFIED = "unverified"

COLUMN_STATUS_LABELS = {
    COLUMN_OK: "正常",
    COLUMN_UNVERIFIED: "未能确认",
    COLUMN_FAILED: "抓取失败",
    COLUMN_BLOCKED: "被拦截",
    COLUMN_SKIPPED: "未抓取",
    COLUMN_PENDING: "未完成抓取",
}

# Positive evidence that a column's list is empty (Column.evidence); column.empty needs one.
EVIDENCE_RENDERED = "rendered"  # a browser rendering, after the page's requests settled, shows none
EVIDENCE_ENDPOINT = "endpoint"  # the list endpoint the page uses answered zero records
EVIDENCE_MARKER = "marker"      # the page says 暂无信息 and holds no script that could fill it
EVIDENCE = (EVIDENCE_RENDERED, EVIDENCE_ENDPOINT, EVIDENCE_MARKER)

# How the homepage's entries were seen (RunInfo.homepage_seen).
HOMEPAGE_STATIC = "static"      # its HTML as fetched, which carries no script that could change it
HOMEPAGE_RENDERED = "rendered"  # a browser rendering, after the page's own requests settled
# its HTML as fetched, although a live script could change what it shows (not rendered, or the
# rendering did not settle): what a visitor sees is not known
HOMEPAGE_SCRIPTED = "scripted"
HOMEPAGE_SEEN = (HOMEPAGE_STATIC, HOMEPAGE_RENDERED, HOMEPAGE_SCRIPTED)


# ---- stored records ----
# Each dataclass below is the one declaration of its table's fields (snapshot/store.py builds the
# columns from them): the type comes from the annotation (str → TEXT, int → INTEGER, dict/list →
# JSON, date → DATE, datetime → timestamp …); `sql(...)` says where the column differs (a length,
# a 64-bit key, NOT NULL). A field's default is what a NULL loads as. `id` is the table's key.

@dataclass
class RunInfo:
    id: int
    site_url: str = field(metadata=sql(nullable=False))
    site_name: str = ""
    kind: str = field(default="auto", metadata=sql(Str(16)))   # government | department | auto
    started: datetime | None = None
    finished: datetime | None = None
    pages: int = 0                  # responses received (any status)
    cut_short: bool = False         # --max-pages stopped the crawl
    errors: dict[str, int] = field(default_factory=dict)   # outcome -> count
    # fetch outcome of the homepage ("" = never tried)
    homepage_outcome: str = field(default="", metadata=sql(Str(32)))
    homepage_error: str = ""        # human-readable reason when not ok
    section_url: str = ""           # the 政府信息公开 section found from the homepage
    render: str = field(default="auto", metadata=sql(Str(16)))
    homepage_meta: dict[str, str] = field(default_factory=dict)   # <meta name=… content=…>
    homepage_text: str = ""         # visible text of the homepage (footer: 网站标识码, ICP备案 …)
    link_cadence: int = 1           # the link check asks each target again every N days
    # How the homepage's entries were seen (HOMEPAGE_SEEN): veto.homepage_stale judges only a
    # homepage seen as a visitor sees it. "" = not recorded (a store before migration 0006).
    homepage_seen: str = field(default="", metadata=sql(Str(16)))


@dataclass
class Column:
    id: int
    name: str = field(metadata=sql(nullable=False))
    url: str = field(metadata=sql(nullable=False))
    category: str = field(metadata=sql(Str(32), nullable=False))
    parent_id: int | None = field(default=None, metadata=sql(Id))
    status: str = field(default=COLUMN_OK, metadata=sql(Str(16)))
    error: str = ""                 # why it is not ok, in words
    pages: int = 0                  # list pages fetched
    rendered: bool = False          # a browser was needed for its list
    is_page: bool = False           # a single content page (概况, 指南), not a list
    has_children: bool = False      # it holds sub-columns (法定主动公开内容 → 政策文件 ...)
    empty_marker: bool = False      # the page says 暂无信息 / 暂无数据
    partial: bool = False           # some of its later list pages failed
    text: str = ""                  # visible main text of a content page (指南, 机构职能)
    # for a column with no entries: why it is known empty (EVIDENCE)
    evidence: str = field(default="", metadata=sql(Str(16)))


@dataclass
class Entry:
    column_id: int | None = field(metadata=sql(Id))     # None: an item listed on the homepage
    title: str
    url: str = field(metadata=sql(nullable=False))
    date: date | None
    page: int = 1                   # list page number (1-based, in crawl order)
    position: int = 0               # index on that page
    related: list[dict] = field(default_factory=list)   # nested links in the row: {"title","url"}


@dataclass
class Document:
    url: str = field(metadata=sql(nullable=False))
    column_id: int | None = field(default=None, metadata=sql(Id))
    title: str = ""
    status: str = field(default=OK, metadata=sql(Str(32)))     # fetch outcome
    # Normalised metadata (keys: index_no topic publisher written doc_no published validity title).
    # Dates are ISO strings. A key is absent when the page has no such row; "" when the row is empty.
    fields: dict[str, str] = field(default_factory=dict)
    has_meta_block: bool = False    # the page shows a 政府信息公开 metadata block
    meta: dict[str, str] = field(default_factory=dict)
    interpretations: list[str] = field(default_factory=list)  # links to 解读 of this document
    policies: list[str] = field(default_factory=list)         # links from a 解读 to its policy
    # A relation block (相关解读 / 原文 …) showed no link while a script could fill it after load:
    # its relations were not seen, and rules that conclude "not linked" stay silent.
    relations_unseen: bool = False
    attachments: list[str] = field(default_factory=list)
    text_digest: str = field(default="", metadata=sql(Str(64)))
    text: str = ""                  # the body text
    tables: list[list[list[str]]] = field(default_factory=list)  # body tables, spans expanded


@dataclass
class Link:
    from_url: str = field(metadata=sql(nullable=False))
    to_url: str = field(metadata=sql(nullable=False))
    text: str = ""
    kind: str = field(default="link", metadata=sql(Str(16)))   # link | attachment | interpretation | policy
    status: str = field(default="", metadata=sql(Str(32)))     # fetch outcome where checked
    # The day its status was observed. With ZWGK_LINK_CADENCE_DAYS > 1 a target's ok status may
    # be carried forward from an earlier night's check instead of asked again: `carried` says so,
    # and `checked` stays the day of the check it carries. Only ok statuses are ever carried.
    checked: date | None = None
    carried: bool = False


@dataclass
class Attachment:
    """A document's attachment file, fetched (size-limited) and read to text where a library can."""
    url: str = field(metadata=sql(nullable=False))
    document_url: str = field(metadata=sql(nullable=False))
    # fetch outcome; "oversize" over the limit, "unreadable" format
    status: str = field(default=OK, metadata=sql(Str(32)))
    kind: str = field(default="", metadata=sql(Str(16)))       # pdf docx doc xlsx xls wps …
    size: int | None = field(default=None, metadata=sql(Id))   # bytes: past 32 bits
    text: str = ""
    tables: list[list[list[str]]] = field(default_factory=list)   # docx/xlsx tables
    error: str = ""


@dataclass
class Fetch:
    url: str = field(metadata=sql(nullable=False))
    # homepage | section | column | list | document | robots | other
    role: str = field(metadata=sql(Str(16)))
    outcome: str = field(metadata=sql(Str(32), nullable=False))
    status: int | None = None
    error: str = ""
    elapsed: float | None = None
    rendered: bool = False


@dataclass
class Probe:
    """One availability probe of the homepage (`zwgk probe`, many a day)."""
    at: datetime = field(metadata=sql(nullable=False))
    outcome: str = field(metadata=sql(Str(32), nullable=False))   # a fetch outcome; "ok" when loaded
    elapsed: float | None = None    # seconds


@dataclass
class Snapshot:
    run: RunInfo
    columns: list[Column] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    fetches: list[Fetch] = field(default_factory=list)
    probes: list[Probe] = field(default_factory=list)   # the site's probe history (not only this run)
    attachments: list[Attachment] = field(default_factory=list)

    # -- convenience views used by audits and reports --
    def column_entries(self, column_id: int) -> list[Entry]:
        return [e for e in self.entries if e.column_id == column_id]

    @property
    def homepage_entries(self) -> list[Entry]:
        return [e for e in self.entries if e.column_id is None]

    def column(self, column_id: int | None) -> Column | None:
        for c in self.columns:
            if c.id == column_id:
                return c
        return None

    def document(self, url: str) -> Document | None:
        for d in self.documents:
            if d.url == url:
                return d
        return None

    @property
    def reachable(self) -> bool:
        return self.run.homepage_outcome == OK

    @property
    def section_failure(self) -> str:
        """The fetch outcome that kept the disclosure section's page (its column tree) unread, or
        "" when it was read. Unread, the section's columns are unknown: no rule may conclude that
        a column is missing. "unknown" when the page was never answered (a run cut or killed)."""
        if not self.reachable:
            return self.run.homepage_outcome or "unknown"
        if not self.fetches:
            # A snapshot without its fetch log (hand-built, or from an old store): the columns
            # found are the only sign the section was read.
            return "" if self.columns else "unknown"
        last: dict[str, str] = {}
        for f in self.fetches:          # in fetch order: a browser retry comes after the first try
            if f.role == "section":
                last[f.url] = f.outcome
        if last:
            # Every section page asked for (a framed tree asks for two) must have answered, the
            # last time it was asked (a wall passed in the browser; a retry that failed).
            return next((outcome for outcome in last.values() if outcome != OK), "")
        # No section request: the homepage itself holds the tree (its URL is the section's).
        home = {_page_key(f.url) for f in self.fetches if f.role == "homepage" and f.outcome == OK}
        return "" if not self.run.section_url or _page_key(self.run.section_url) in home else "unknown"

    @property
    def section_read(self) -> bool:
        return not self.section_failure

    @property
    def unchecked_columns(self) -> list[Column]:
        """Columns no rule may judge: not read, or read without entries or proof of emptiness."""
        return [c for c in self.columns if c.status != COLUMN_OK]

    @property
    def unread_documents(self) -> list[Document]:
        """Documents asked for but not read (a fault: reset, timeout, truncated, oversize, a
        redirect refused, not a page): their content was never checked. A 4xx is the site's
        answer (a dead entry), not a gap in the check."""
        return [d for d in self.documents if d.status not in (OK, "not_modified", "http_4xx")]

    @property
    def incomplete(self) -> bool:
        """Conclusions are incomplete: some column could not be checked (including 未能确认), the
        section's page was not read, a document could not be read, or the crawl was cut."""
        return (self.run.cut_short or self.run.homepage_outcome in ("blocked", "robots")
                or (self.reachable and not self.section_read)
                or any(c.status != COLUMN_OK or c.partial for c in self.columns)
                or bool(self.unread_documents))


def _page_key(url: str) -> str:
    return url.split("#", 1)[0].rstrip("/")
