"""A tiny fluent builder for hand-made Snapshots.

    snap = (site("某某区人民政府")
            .homepage("2026-11-18")
            .column("工作动态", "2026-11-10", None)
            .column("通知公告", status="failed")
            .doc("通知公告", "http://x.gov.cn/tzgg/1.html", index_no="1", ...)
            .build())
"""
from __future__ import annotations

from datetime import date

from snapshot.categories import classify
from snapshot.model import Attachment, Column, Document, Entry, Fetch, Link, RunInfo, Snapshot

BASE = "http://www.example.gov.cn"


def d(value: str | date | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


class SiteBuilder:
    def __init__(self, name: str = "某某区人民政府", homepage: str = "ok", kind: str = "auto"):
        self.snap = Snapshot(run=RunInfo(id=1, site_url=BASE + "/", site_name=name, kind=kind,
                                         homepage_outcome=homepage, section_url=BASE + "/zwgk/"))
        # The fetch log a crawl leaves: the homepage, then the section page (read unless told).
        self.snap.fetches.append(Fetch(BASE + "/", "homepage", homepage))
        if homepage == "ok":
            self.snap.fetches.append(Fetch(BASE + "/zwgk/", "section", "ok"))
        self._n = 0

    def section(self, outcome: str) -> "SiteBuilder":
        """The section page's fetch outcome ("timeout", "robots" …): not ok = never read."""
        for f in self.snap.fetches:
            if f.role == "section":
                f.outcome = outcome
        return self

    def homepage(self, *dates) -> "SiteBuilder":
        for i, v in enumerate(dates):
            self.snap.entries.append(Entry(None, f"首页信息{i}", f"{BASE}/home/{i}.html", d(v), position=i))
        return self

    def column(self, name: str, *dates, category: str | None = None, parent: str | None = None,
               entries: list[tuple[str, str | None]] = (), **kw) -> "SiteBuilder":
        """A column with one undated-or-dated entry per `dates` item, plus titled `entries`.
        With neither, it was read but holds nothing: pass `evidence=` ("rendered", "endpoint",
        "marker") to prove it empty, as the crawler would, or use `empty()`."""
        self._n += 1
        parent_col = self.col(parent) if parent else None
        c = Column(id=self._n, name=name, url=f"{BASE}/col{self._n}/",
                   category=category or classify(name, parent or ""),
                   parent_id=parent_col.id if parent_col else None, **kw)
        self.snap.columns.append(c)
        rows = [(f"{name}信息{i}", v) for i, v in enumerate(dates)] + list(entries)
        for i, (title, v) in enumerate(rows):
            self.entry(name, title, v, url=f"{c.url}{i}.html")
        return self

    def empty(self, name: str, evidence: str = "rendered", **kw) -> "SiteBuilder":
        """A column read and proven empty (a browser rendering, the list endpoint, a 暂无信息 page)."""
        return self.column(name, evidence=evidence, **kw)

    def unverified(self, name: str, why: str = "未读到列表条目，也未见“暂无信息”等提示",
                   **kw) -> "SiteBuilder":
        """A column whose list was read with no entries and nothing proving it empty (未能确认)."""
        return self.column(name, status="unverified", error=why, **kw)

    def entry(self, column: str, title: str, when=None, url: str | None = None) -> "SiteBuilder":
        c = self.col(column)
        n = len(self.snap.column_entries(c.id))
        self.snap.entries.append(Entry(c.id, title, url or f"{c.url}e{n}.html", d(when), position=n))
        return self

    def doc(self, column: str | None, url: str, title: str = "", *, meta: bool = True,
            interpretations=(), policies=(), status: str = "ok", **fields) -> "SiteBuilder":
        self.snap.documents.append(Document(
            url=url, column_id=self.col(column).id if column else None, title=title, status=status,
            fields=fields, has_meta_block=meta, interpretations=list(interpretations),
            policies=list(policies)))
        return self

    def body(self, text: str = "", tables=()) -> "SiteBuilder":
        """Text and tables of the last document added."""
        self.snap.documents[-1].text = text
        self.snap.documents[-1].tables = list(tables)
        return self

    def attachment(self, url: str, text: str = "", tables=(), status: str = "ok") -> "SiteBuilder":
        """An attachment file of the last document added, as the crawler read it."""
        doc = self.snap.documents[-1]
        doc.attachments.append(url)
        self.snap.attachments.append(Attachment(url=url, document_url=doc.url, status=status,
                                                text=text, tables=list(tables)))
        return self

    def link(self, from_url: str, to_url: str, text: str = "", status: str = "") -> "SiteBuilder":
        self.snap.links.append(Link(from_url, to_url, text, status=status))
        return self

    def footer(self, text: str, **meta) -> "SiteBuilder":
        self.snap.run.homepage_text = text
        self.snap.run.homepage_meta = dict(meta)
        return self

    def col(self, name: str) -> Column:
        return next(c for c in self.snap.columns if c.name == name)

    def build(self) -> Snapshot:
        return self.snap


def site(name: str = "某某区人民政府", **kw) -> SiteBuilder:
    return SiteBuilder(name, **kw)


# A complete, correct metadata block for notice_policy documents.
FULL = dict(index_no="11370000/2026-00001", publisher="某某区人民政府办公室", written="2026-10-01",
            doc_no="某政办发〔2026〕1号", published="2026-10-02", validity="有效")


AS_OF = date(2026, 11, 20)


def audit_of(builder: SiteBuilder, as_of: date = AS_OF, config: dict | None = None):
    from audits import AuditConfig, audit
    return audit(builder.build(), as_of, AuditConfig.from_mapping(config) if config else None)


def fired(builder: SiteBuilder, rule_id: str, as_of: date = AS_OF, config: dict | None = None):
    """The findings of one rule."""
    return [f for f in audit_of(builder, as_of, config).findings if f.rule_id == rule_id]
