"""The snapshot store: SQLAlchemy Core tables for runs, columns, entries, documents, links,
fetches and findings. SQLite by default; any SQLAlchemy URL (postgresql://…) serves too.

Writes are idempotent per (run, url) so that a crawl resumed after a kill can replay items
without duplicating rows, and every write commits at once: what was stored survives a crash.
"""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import (
    Boolean, Column as Col, Date, Float, ForeignKey, Index, Integer, MetaData, Table,
    UniqueConstraint, bindparam, create_engine, event, insert, select, update,
)
from sqlalchemy.engine import Engine

from . import model
from .types import CST, Id, Json, Moment, Str, Txt   # one type per field, real on both databases

metadata = MetaData()

runs = Table(
    "runs", metadata,
    Col("id", Id, primary_key=True),
    Col("site_url", Txt, nullable=False),
    Col("site_name", Txt, default=""),
    Col("kind", Str(16), default="auto"),
    Col("started", Moment),
    Col("finished", Moment),
    Col("as_of", Date),
    Col("pages", Integer, default=0),
    Col("cut_short", Boolean, default=False),
    Col("errors", Json, default=dict),
    Col("homepage_outcome", Str(32), default=""),
    Col("homepage_error", Txt, default=""),
    Col("section_url", Txt, default=""),
    Col("render", Str(16), default="auto"),
    Col("homepage_meta", Json, default=dict),
    Col("homepage_text", Txt, default=""),
    Col("state", Str(16), default="crawling"),      # crawling | crawled | audited | interrupted
    # Results read back by history and the dashboard (set by `zwgk run` after the audit).
    Col("batch", Txt, default=""),                  # the `zwgk run` this site's run belonged to
    Col("score", Float),
    Col("verdict", Str(16)),                        # verdict with triaged findings left out
    Col("site_status", Str(16), default=""),        # ok | down | blocked | failed
)

columns = Table(
    "columns", metadata,
    Col("id", Id, primary_key=True),
    Col("run_id", ForeignKey("runs.id"), nullable=False, index=True),
    Col("parent_id", Id),
    Col("name", Txt, nullable=False),
    Col("url", Txt, nullable=False),
    Col("category", Str(32), nullable=False),
    Col("status", Str(16), default=model.COLUMN_OK),
    Col("error", Txt, default=""),
    Col("pages", Integer, default=0),
    Col("rendered", Boolean, default=False),
    Col("is_page", Boolean, default=False),
    Col("has_children", Boolean, default=False),
    Col("empty_marker", Boolean, default=False),
    Col("partial", Boolean, default=False),
    Col("seq", Integer, default=0),
    Col("text", Txt, default=""),
    Col("evidence", Str(16), default=""),      # why a column without entries is known empty
    UniqueConstraint("run_id", "url"),
)

entries = Table(
    "entries", metadata,
    Col("id", Id, primary_key=True),
    Col("run_id", ForeignKey("runs.id"), nullable=False, index=True),
    Col("column_id", Id),               # NULL: listed on the homepage
    Col("title", Txt, default=""),
    Col("url", Txt, nullable=False),
    Col("date", Date),
    Col("page", Integer, default=1),
    Col("position", Integer, default=0),
    Col("related", Json, default=list),
    UniqueConstraint("run_id", "column_id", "url"),
)

documents = Table(
    "documents", metadata,
    Col("id", Id, primary_key=True),
    Col("run_id", ForeignKey("runs.id"), nullable=False, index=True),
    Col("column_id", Id),
    Col("url", Txt, nullable=False),
    Col("title", Txt, default=""),
    Col("status", Str(32), default=model.OK),
    Col("fields", Json, default=dict),
    Col("has_meta_block", Boolean, default=False),
    Col("meta", Json, default=dict),
    Col("interpretations", Json, default=list),
    Col("policies", Json, default=list),
    Col("attachments", Json, default=list),
    Col("text_digest", Str(64), default=""),
    Col("text", Txt, default=""),
    Col("tables", Json, default=list),
    UniqueConstraint("run_id", "url"),
)

links = Table(
    "links", metadata,
    Col("id", Id, primary_key=True),
    Col("run_id", ForeignKey("runs.id"), nullable=False, index=True),
    Col("from_url", Txt, nullable=False),
    Col("to_url", Txt, nullable=False),
    Col("text", Txt, default=""),
    Col("kind", Str(16), default="link"),
    Col("status", Str(32), default=""),
    # The link checker updates statuses by (run, target): keep that lookup indexed.
    Index("ix_links_run_to", "run_id", "to_url"),
)

fetches = Table(
    "fetches", metadata,
    Col("id", Id, primary_key=True),
    Col("run_id", ForeignKey("runs.id"), nullable=False, index=True),
    Col("url", Txt, nullable=False),
    Col("role", Str(16), default="other"),
    Col("outcome", Str(32), nullable=False),
    Col("status", Integer),
    Col("error", Txt, default=""),
    Col("elapsed", Float),
    Col("rendered", Boolean, default=False),
)

attachments = Table(
    "attachments", metadata,
    Col("id", Id, primary_key=True),
    Col("run_id", ForeignKey("runs.id"), nullable=False, index=True),
    Col("document_url", Txt, nullable=False),
    Col("url", Txt, nullable=False),
    Col("status", Str(32), default=model.OK),
    Col("kind", Str(16), default=""),
    Col("size", Id),
    Col("text", Txt, default=""),
    Col("tables", Json, default=list),
    Col("error", Txt, default=""),
    UniqueConstraint("run_id", "url"),
)

# Availability probes are per site, not per run: `run` judges the last 7 days of them.
probes = Table(
    "probes", metadata,
    Col("id", Id, primary_key=True),
    Col("site_url", Txt, nullable=False, index=True),
    Col("at", Moment, nullable=False),
    Col("outcome", Str(32), nullable=False),
    Col("elapsed", Float),
)

findings = Table(
    "findings", metadata,
    Col("id", Id, primary_key=True),
    Col("run_id", ForeignKey("runs.id"), nullable=False, index=True),
    Col("rule_id", Str(64), nullable=False),
    Col("severity", Str(16), nullable=False),
    Col("column", Txt, default=""),
    Col("url", Txt, default=""),
    Col("target", Txt, default=""),
    Col("title", Txt, default=""),
    Col("detail", Txt, default=""),
    Col("status", Str(16), default="new"),
    # History (`zwgk run`, audits/history.py): the same problem keeps its fingerprint night to night.
    Col("fingerprint", Str(40), default="", index=True),
    Col("locus", Txt, default=""),          # the column path or document URL the finding is about
    Col("first_seen", Date),
    Col("consecutive", Integer, default=1),
    Col("evidence", Txt, default=""),       # screenshot, relative to the run's out dir (issue 8.6)
)

# The registry as last run: what the office calls each site (reports group and name by it).
sites = Table(
    "sites", metadata,
    Col("url", Txt, primary_key=True),
    Col("name", Txt, default=""),
    Col("kind", Str(16), default="auto"),
    Col("group", Txt, default=""),
    Col("ident", Txt, default=""),
    Col("host_org", Txt, default=""),
    Col("updated", Moment),
)

# An office's decisions on findings (zwgk triage): by fingerprint, with who, when and why.
triage = Table(
    "triage", metadata,
    Col("id", Id, primary_key=True),
    Col("fingerprint", Str(40), nullable=False, index=True),
    Col("site_url", Txt, default=""),
    Col("decision", Str(16), nullable=False),        # excluded | explained | exempt
    Col("reason", Txt, default=""),
    Col("by", Txt, default=""),
    Col("at", Moment, nullable=False),
    Col("valid_from", Date),                         # 报备 window (exempt only)
    Col("valid_to", Date),
    Col("cleared", Moment),                          # set by `triage clear`; the row stays as a record
    Col("cleared_by", Txt, default=""),
)


def _sqlite_pragmas(dbapi_conn, _record):
    # WAL: readers (a report) never block the crawler's writer; NORMAL sync is crash-safe in WAL.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def database_url(url: str | Path) -> str:
    """A SQLAlchemy URL for --db: a path is a SQLite file; postgresql:// means psycopg 3."""
    if hasattr(url, "render_as_string"):      # an engine's URL: str() would mask the password
        url = url.render_as_string(hide_password=False)
    url = str(url)
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str | Path, *, migrate: bool = True) -> Engine:
    """The engine for a store URL; the schema brought to head (snapshot.migrations) unless
    migrate=False. A missing SQLite file is created, with its folder."""
    url = database_url(url)
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    pg = url.startswith("postgresql")
    # An unreachable server fails within seconds, not at the OS's TCP timeout.
    engine = create_engine(url, future=True, pool_pre_ping=pg,
                           connect_args={"connect_timeout": 10}
                           if pg and "connect_timeout" not in url else {})
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if migrate:
        from .migrations import ensure_schema
        ensure_schema(engine)
    return engine


class Store:
    """Write and read snapshots. One instance per process; cheap to create."""

    def __init__(self, url: str | Path):
        self.engine = make_engine(url)

    # ---- writing (crawler side) ----
    def create_run(self, site_url: str, *, kind: str = "auto", render: str = "auto",
                   started: datetime | None = None, site_name: str = "") -> int:
        with self.engine.begin() as conn:
            return conn.execute(insert(runs).values(
                site_url=site_url, kind=kind, render=render, site_name=site_name,
                started=started or datetime.now(CST), errors={}, state="crawling",
            )).inserted_primary_key[0]

    def interrupt_unfinished(self, site_urls, *, batch_prefix: str | None = None) -> list[int]:
        """Runs of these sites that a killed process left unfinished (`crawling`, or `crawled`
        and never audited), marked `interrupted`: never judged, never history. Called when the
        same command starts again, so it restarts those sites cleanly. With `batch_prefix`
        (`zwgk run`: "<as-of>@"), every run of a batch that holds an unfinished run — its
        audited sites too, which the new run audits again — so each site is stored once for
        that night; without it (`zwgk audit`), the sites' unfinished spot checks (no batch).
        Returns the ids marked."""
        urls = list(site_urls)
        unfinished = runs.c.state.in_(("crawling", "crawled"))
        with self.engine.begin() as conn:
            if batch_prefix is None:
                ids = list(conn.execute(select(runs.c.id).where(
                    runs.c.site_url.in_(urls), runs.c.batch == "", unfinished)).scalars())
            else:
                batches = list(conn.execute(select(runs.c.batch).where(
                    runs.c.site_url.in_(urls), runs.c.batch.startswith(batch_prefix, autoescape=True),
                    unfinished).distinct()).scalars())
                ids = list(conn.execute(select(runs.c.id).where(
                    runs.c.batch.in_(batches), runs.c.state != "interrupted")).scalars()) if batches else []
            if ids:
                conn.execute(update(runs).where(runs.c.id.in_(ids)).values(state="interrupted"))
            return ids

    def update_run(self, run_id: int, **values) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(**values))

    def add_column(self, run_id: int, *, name: str, url: str, category: str,
                   parent_id: int | None = None, seq: int = 0) -> int:
        """Insert a column (or return the existing one with this URL in this run)."""
        with self.engine.begin() as conn:
            found = conn.execute(select(columns.c.id).where(
                columns.c.run_id == run_id, columns.c.url == url)).scalar()
            if found is not None:
                return found
            return conn.execute(insert(columns).values(
                run_id=run_id, name=name, url=url, category=category, parent_id=parent_id, seq=seq,
            )).inserted_primary_key[0]

    def update_column(self, column_id: int, **values) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(columns).where(columns.c.id == column_id).values(**values))

    def entry_counts(self, run_id: int) -> dict[int, int]:
        """column id -> entries stored for it in this run (the pipeline's final say on emptiness)."""
        from sqlalchemy import func
        with self.engine.connect() as conn:
            rows = conn.execute(select(entries.c.column_id, func.count()).where(
                entries.c.run_id == run_id, entries.c.column_id.is_not(None))
                .group_by(entries.c.column_id))
            return {cid: n for cid, n in rows}

    def add_entries(self, run_id: int, column_id: int | None, rows: list[dict]) -> None:
        """rows: {title, url, date, page, position, related}. Duplicates (same URL) are skipped."""
        if not rows:
            return
        with self.engine.begin() as conn:
            have = set(conn.execute(select(entries.c.url).where(
                entries.c.run_id == run_id,
                entries.c.column_id.is_(None) if column_id is None
                else entries.c.column_id == column_id)).scalars())
            fresh = []
            for r in rows:
                if r["url"] in have:
                    continue
                have.add(r["url"])
                fresh.append({"run_id": run_id, "column_id": column_id, "title": r.get("title", ""),
                              "url": r["url"], "date": r.get("date"), "page": r.get("page", 1),
                              "position": r.get("position", 0), "related": r.get("related") or []})
            if fresh:
                conn.execute(insert(entries), fresh)

    def add_document(self, run_id: int, row: dict) -> None:
        with self.engine.begin() as conn:
            exists = conn.execute(select(documents.c.id).where(
                documents.c.run_id == run_id, documents.c.url == row["url"])).scalar()
            values = {k: row[k] for k in row if k in documents.c and k not in ("id", "run_id")}
            if exists is None:
                conn.execute(insert(documents).values(run_id=run_id, **values))
            else:
                conn.execute(update(documents).where(documents.c.id == exists).values(**values))

    def merge_document_relations(self, run_id: int, url: str, interpretations: list[str],
                                 policies: list[str]) -> None:
        """Add relation links found elsewhere (an iframe sidebar) to a stored document."""
        with self.engine.begin() as conn:
            row = conn.execute(select(documents.c.id, documents.c.interpretations, documents.c.policies)
                               .where(documents.c.run_id == run_id, documents.c.url == url)).first()
            if row is None:
                return
            merged_i = list(dict.fromkeys([*(row.interpretations or []), *interpretations]))
            merged_p = list(dict.fromkeys([*(row.policies or []), *policies]))
            conn.execute(update(documents).where(documents.c.id == row.id)
                         .values(interpretations=merged_i, policies=merged_p))

    def add_links(self, run_id: int, rows: list[dict]) -> None:
        if rows:
            with self.engine.begin() as conn:
                conn.execute(insert(links), [{"run_id": run_id, **r} for r in rows])

    def add_attachment(self, run_id: int, row: dict) -> None:
        """One fetched attachment file (replayed items update the stored row)."""
        values = {k: row[k] for k in row if k in attachments.c and k not in ("id", "run_id")}
        with self.engine.begin() as conn:
            exists = conn.execute(select(attachments.c.id).where(
                attachments.c.run_id == run_id, attachments.c.url == row["url"])).scalar()
            if exists is None:
                conn.execute(insert(attachments).values(run_id=run_id, **values))
            else:
                conn.execute(update(attachments).where(attachments.c.id == exists).values(**values))

    def link_targets(self, run_id: int) -> list[str]:
        """Distinct link targets of a run, for the link checker."""
        with self.engine.connect() as conn:
            return list(conn.execute(select(links.c.to_url).where(links.c.run_id == run_id)
                                     .distinct().order_by(links.c.to_url)).scalars())

    def set_link_statuses(self, run_id: int, statuses: dict[str, str]) -> None:
        """Record the link checker's results ({to_url: status}) on every link of the run."""
        if not statuses:
            return
        stmt = (update(links).where(links.c.run_id == bindparam("r"), links.c.to_url == bindparam("u"))
                .values(status=bindparam("s")))
        with self.engine.begin() as conn:
            conn.execute(stmt, [{"r": run_id, "u": u, "s": st} for u, st in statuses.items()])

    def fetch_statuses(self, run_id: int) -> dict[str, str]:
        """url -> what fetching it in this run gave: the HTTP status, or the failure outcome."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(fetches.c.url, fetches.c.status, fetches.c.outcome)
                                .where(fetches.c.run_id == run_id).order_by(fetches.c.id))
            return {r.url: str(r.status) if r.status else r.outcome for r in rows}

    def add_fetch(self, run_id: int, row: dict) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(fetches).values(run_id=run_id, **row))

    def add_probe(self, site_url: str, at: datetime, outcome: str, elapsed: float | None) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(probes).values(site_url=site_url, at=at, outcome=outcome,
                                               elapsed=elapsed))

    # ---- findings (audit side) ----
    def save_findings(self, run_id: int, rows: list[dict], *, as_of: date) -> None:
        keep = {c.name for c in findings.c} - {"id", "run_id"}
        with self.engine.begin() as conn:
            conn.execute(findings.delete().where(findings.c.run_id == run_id))
            if rows:
                conn.execute(insert(findings), [
                    {"run_id": run_id, **{k: v for k, v in r.items() if k in keep}} for r in rows])
            conn.execute(update(runs).where(runs.c.id == run_id).values(as_of=as_of, state="audited"))

    # ---- reading (audits and reports) ----
    def site_url(self, run_id: int) -> str:
        with self.engine.connect() as conn:
            return conn.execute(select(runs.c.site_url).where(runs.c.id == run_id)).scalar() or ""

    def load(self, run_id: int) -> model.Snapshot:
        with self.engine.connect() as conn:
            r = conn.execute(select(runs).where(runs.c.id == run_id)).mappings().one()
            info = model.RunInfo(
                id=r["id"], site_url=r["site_url"], site_name=r["site_name"] or "", kind=r["kind"],
                started=r["started"], finished=r["finished"], pages=r["pages"] or 0,
                cut_short=bool(r["cut_short"]), errors=dict(r["errors"] or {}),
                homepage_outcome=r["homepage_outcome"] or "", homepage_error=r["homepage_error"] or "",
                section_url=r["section_url"] or "", render=r["render"] or "auto",
                homepage_meta=dict(r["homepage_meta"] or {}), homepage_text=r["homepage_text"] or "")
            snap = model.Snapshot(run=info)
            for c in conn.execute(select(columns).where(columns.c.run_id == run_id)
                                  .order_by(columns.c.seq, columns.c.id)).mappings():
                snap.columns.append(model.Column(
                    id=c["id"], name=c["name"], url=c["url"], category=c["category"],
                    parent_id=c["parent_id"], status=c["status"], error=c["error"] or "",
                    pages=c["pages"] or 0, rendered=bool(c["rendered"]), is_page=bool(c["is_page"]),
                    has_children=bool(c["has_children"]), empty_marker=bool(c["empty_marker"]),
                    partial=bool(c["partial"]), text=c["text"] or "",
                    evidence=c["evidence"] or ""))
            for e in conn.execute(select(entries).where(entries.c.run_id == run_id)
                                  # NULLs (homepage entries) first on PostgreSQL too
                                  .order_by(entries.c.column_id.asc().nulls_first(), entries.c.page,
                                            entries.c.position, entries.c.id)).mappings():
                snap.entries.append(model.Entry(
                    column_id=e["column_id"], title=e["title"] or "", url=e["url"], date=e["date"],
                    page=e["page"] or 1, position=e["position"] or 0, related=list(e["related"] or [])))
            for d in conn.execute(select(documents).where(documents.c.run_id == run_id)
                                  .order_by(documents.c.id)).mappings():
                snap.documents.append(model.Document(
                    url=d["url"], column_id=d["column_id"], title=d["title"] or "",
                    status=d["status"], fields=dict(d["fields"] or {}),
                    has_meta_block=bool(d["has_meta_block"]), meta=dict(d["meta"] or {}),
                    interpretations=list(d["interpretations"] or []),
                    policies=list(d["policies"] or []), attachments=list(d["attachments"] or []),
                    text_digest=d["text_digest"] or "", text=d["text"] or "",
                    tables=list(d["tables"] or [])))
            for ln in conn.execute(select(links).where(links.c.run_id == run_id)).mappings():
                snap.links.append(model.Link(from_url=ln["from_url"], to_url=ln["to_url"],
                                             text=ln["text"] or "", kind=ln["kind"],
                                             status=ln["status"] or ""))
            for f in conn.execute(select(fetches).where(fetches.c.run_id == run_id)
                                  .order_by(fetches.c.id)).mappings():
                snap.fetches.append(model.Fetch(url=f["url"], role=f["role"], outcome=f["outcome"],
                                                status=f["status"], error=f["error"] or "",
                                                elapsed=f["elapsed"], rendered=bool(f["rendered"])))
            for a in conn.execute(select(attachments).where(attachments.c.run_id == run_id)
                                  .order_by(attachments.c.id)).mappings():
                snap.attachments.append(model.Attachment(
                    url=a["url"], document_url=a["document_url"], status=a["status"],
                    kind=a["kind"] or "", size=a["size"], text=a["text"] or "",
                    tables=list(a["tables"] or []), error=a["error"] or ""))
            # The month before the run: enough for any as-of window a rule looks at.
            since = (info.started or datetime.now(CST).replace(tzinfo=None)) - timedelta(days=31)
            for p in conn.execute(select(probes).where(probes.c.site_url == info.site_url,
                                                       probes.c.at >= since)
                                  .order_by(probes.c.at)).mappings():
                snap.probes.append(model.Probe(at=p["at"], outcome=p["outcome"], elapsed=p["elapsed"]))
        return snap

    def latest_run(self, site_url: str) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(select(runs.c.id).where(runs.c.site_url == site_url)
                                .order_by(runs.c.id.desc()).limit(1)).scalar()

    def run_state(self, run_id: int) -> str:
        with self.engine.connect() as conn:
            return conn.execute(select(runs.c.state).where(runs.c.id == run_id)).scalar() or ""

    # ---- history and triage (`zwgk run`, `zwgk triage`; logic in audits/history, audits/triage) ----
    def upsert_site(self, url: str, **values) -> None:
        """The registry's row for a site (name, kind, group, ident, host_org), as of this run."""
        values = {k: v for k, v in values.items() if k in sites.c and k != "url"}
        values["updated"] = datetime.now(CST)
        with self.engine.begin() as conn:
            if conn.execute(select(sites.c.url).where(sites.c.url == url)).first() is None:
                conn.execute(insert(sites).values(url=url, **values))
            else:
                conn.execute(update(sites).where(sites.c.url == url).values(**values))

    def site_rows(self) -> dict[str, dict]:
        with self.engine.connect() as conn:
            return {r["url"]: dict(r) for r in conn.execute(select(sites)).mappings()}

    def site_runs(self, site_url: str) -> list[dict]:
        """The site's completed (audited) runs, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(runs.c.id, runs.c.as_of, runs.c.started, runs.c.score,
                                       runs.c.verdict, runs.c.site_status, runs.c.batch,
                                       runs.c.cut_short)
                                .where(runs.c.site_url == site_url, runs.c.state == "audited")
                                .order_by(runs.c.started, runs.c.id)).mappings()
            return [dict(r) for r in rows]

    def run_findings(self, run_ids) -> list[dict]:
        """Stored findings of these runs (every column, with run_id), in stored order."""
        run_ids = list(run_ids)
        if not run_ids:
            return []
        with self.engine.connect() as conn:
            rows = conn.execute(select(findings).where(findings.c.run_id.in_(run_ids))
                                .order_by(findings.c.run_id, findings.c.id)).mappings()
            return [dict(r) for r in rows]

    def findings_by_fingerprint(self, prefix: str) -> list[dict]:
        """The newest stored row of each finding whose fingerprint starts with `prefix`,
        with its run's site_url, site_name and as_of."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(findings, runs.c.site_url, runs.c.site_name, runs.c.as_of)
                .join(runs, runs.c.id == findings.c.run_id)
                .where(findings.c.fingerprint.like(prefix.replace("%", "") + "%"),
                       findings.c.fingerprint != "")
                .order_by(findings.c.run_id.desc(), findings.c.id)).mappings()
            newest: dict[str, dict] = {}
            for r in rows:
                newest.setdefault(r["fingerprint"], dict(r))
            return list(newest.values())

    def add_triage(self, row: dict) -> int:
        values = {k: v for k, v in row.items() if k in triage.c and k != "id"}
        with self.engine.begin() as conn:
            return conn.execute(insert(triage).values(**values)).inserted_primary_key[0]

    def clear_triage(self, fingerprint: str, *, by: str, at: datetime) -> int:
        """End the standing decisions on a finding; returns how many were cleared."""
        with self.engine.begin() as conn:
            return conn.execute(update(triage).where(triage.c.fingerprint == fingerprint,
                                                     triage.c.cleared.is_(None))
                                .values(cleared=at, cleared_by=by)).rowcount

    def triage_rows(self, fingerprints=None, *, include_cleared: bool = False) -> list[dict]:
        """Triage decisions, oldest first (the newest standing one wins)."""
        stmt = select(triage).order_by(triage.c.at, triage.c.id)
        if fingerprints is not None:
            stmt = stmt.where(triage.c.fingerprint.in_(list(fingerprints)))
        if not include_cleared:
            stmt = stmt.where(triage.c.cleared.is_(None))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)
