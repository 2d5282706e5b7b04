"""The snapshot store: SQLAlchemy Core tables for runs, columns, entries, documents, links,
fetches and findings. SQLite by default; any SQLAlchemy URL (postgresql://…) serves too.

The snapshot's tables are built from snapshot/model.py's dataclasses (one declaration per stored
field, its type from the annotation); rows load back into them through one generic loader.

Writes are idempotent per (run, url) so that a crawl resumed after a kill can replay items
without duplicating rows, and every write commits at once: what was stored survives a crash.
"""
from __future__ import annotations

import json
from dataclasses import MISSING, fields, is_dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import get_type_hints

from sqlalchemy import (
    Column as Col, Date, Float, ForeignKey, Index, Integer, MetaData, Table,
    UniqueConstraint, bindparam, create_engine, event, insert, select, update,
)
from sqlalchemy.engine import Engine

from . import model
from .types import (  # one type per field, real on both databases
    CST, Id, Json, Moment, Str, Txt, column_type,
)

metadata = MetaData()


# ---- tables of the snapshot's records, built from snapshot/model.py's dataclasses ----
def declared_columns(record: type) -> list[Col]:
    """The columns of a model dataclass's fields (`id` excepted: the table's key): the type from
    the annotation or from `sql(...)` in the field's metadata (snapshot.types), the field's
    default as the column's default on insert."""
    hints = get_type_hints(record)
    out = []
    for f in fields(record):
        if f.name == "id":
            continue
        options = dict(f.metadata.get("sql", {}))
        type_ = options.pop("type_", None) or column_type(hints[f.name])
        if f.default is not MISSING and f.default is not None:
            options.setdefault("default", f.default)
        elif f.default_factory is not MISSING:
            options.setdefault("default", f.default_factory)
        out.append(Col(f.name, type_, **options))
    return out


def _table(name: str, record: type, *extra, per_run: bool = True) -> Table:
    """A table of `record`'s fields, after its key (and, per run, the run it belongs to); `extra`:
    table-only columns, constraints and indexes."""
    own = [Col("run_id", ForeignKey("runs.id"), nullable=False, index=True)] if per_run else []
    return Table(name, metadata, Col("id", Id, primary_key=True), *own,
                 *declared_columns(record), *extra)


runs = _table(
    "runs", model.RunInfo,
    Col("as_of", Date),
    Col("state", Str(16), default="crawling"),      # crawling | crawled | audited | interrupted
    # Results read back by history and the dashboard (set by `zwgk run` after the audit).
    Col("batch", Txt, default=""),                  # the `zwgk run` this site's run belonged to
    Col("score", Float),
    Col("verdict", Str(16)),                        # verdict with triaged findings left out
    Col("site_status", Str(16), default=""),        # ok | down | blocked | failed
    # The site's line in its run's dashboard and 通报, stored by the process that audited it
    # (migration 0004), so the run's reports are written from the database alone.
    Col("report", Json),
    per_run=False,
)
columns = _table("columns", model.Column, Col("seq", Integer, default=0),   # order in the tree
                 UniqueConstraint("run_id", "url"))
entries = _table("entries", model.Entry, UniqueConstraint("run_id", "column_id", "url"))
documents = _table("documents", model.Document, UniqueConstraint("run_id", "url"))
# The link checker updates statuses by (run, target): keep that lookup indexed.
links = _table("links", model.Link, Index("ix_links_run_to", "run_id", "to_url"))
fetches = _table("fetches", model.Fetch)
attachments = _table("attachments", model.Attachment, UniqueConstraint("run_id", "url"))
# Availability probes are per site, not per run: `run` judges the last 7 days of them.
probes = _table("probes", model.Probe, Col("site_url", Txt, nullable=False, index=True),
                per_run=False)


@lru_cache(maxsize=None)
def _empties(record: type) -> tuple[tuple[str, object, object], ...]:
    """(field, default factory or None, value) for each field of a model dataclass, in order: what
    a NULL or a missing value becomes — its default; without one, "" for text and None otherwise."""
    hints = get_type_hints(record)
    return tuple((f.name, None if f.default_factory is MISSING else f.default_factory,
                  f.default if f.default is not MISSING else ("" if hints[f.name] is str else None))
                 for f in fields(record))


def complete(record: type, row) -> dict:
    """Every field of `record` from a mapping (a writer's dict, a database row): NULL or absent →
    the field's default."""
    out = {}
    for name, factory, empty in _empties(record):
        value = row.get(name)
        out[name] = value if value is not None else factory() if factory else empty
    return out


def _select(record: type, table: Table):
    """SELECT of `record`'s fields from its table, in field order (rows for `_loaded`)."""
    return select(*(table.c[name] for name, _, _ in _empties(record)))


def _loaded(record: type, rows) -> list:
    """The one loader: records from rows of `_select(record, …)`, NULL → the field's default."""
    spec = _empties(record)
    return [record(*[v if v is not None else f() if f else e for v, (_, f, e) in zip(row, spec)])
            for row in rows]


@lru_cache(maxsize=None)
def _names(record: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(record)) - {"id"}


def _insert_many(conn, table, rows: list[dict]) -> None:
    """Insert rows in order, one executemany per run of rows with the same keys."""
    from itertools import groupby
    for _keys, group in groupby(rows, key=lambda r: tuple(r)):
        conn.execute(insert(table), list(group))


def stored_values(record: type, row) -> dict:
    """The values of `record`'s declared fields in `row` (a dict, or a dataclass such as the
    crawler's items): anything else the writer holds (an item's links, a column URL) is left out."""
    names = _names(record)
    if is_dataclass(row):
        return {n: getattr(row, n) for n in names if hasattr(row, n)}
    return {k: v for k, v in row.items() if k in names}


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
                fresh.append({**complete(model.Entry, r), "run_id": run_id, "column_id": column_id})
            if fresh:
                conn.execute(insert(entries), fresh)

    def add_document(self, run_id: int, row) -> None:
        """A fetched document (a dict or a model.Document; replayed items update the stored row)."""
        values = stored_values(model.Document, row)
        with self.engine.begin() as conn:
            exists = conn.execute(select(documents.c.id).where(
                documents.c.run_id == run_id, documents.c.url == values["url"])).scalar()
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
                conn.execute(insert(links), [{**complete(model.Link, r), "run_id": run_id}
                                             for r in rows])

    def add_attachment(self, run_id: int, row) -> None:
        """One fetched attachment file, a dict or a model.Attachment (replayed items update the
        stored row)."""
        values = stored_values(model.Attachment, row)
        with self.engine.begin() as conn:
            exists = conn.execute(select(attachments.c.id).where(
                attachments.c.run_id == run_id, attachments.c.url == values["url"])).scalar()
            if exists is None:
                conn.execute(insert(attachments).values(run_id=run_id, **values))
            else:
                conn.execute(update(attachments).where(attachments.c.id == exists).values(**values))

    def link_targets(self, run_id: int) -> list[str]:
        """Distinct link targets of a run, for the link checker."""
        with self.engine.connect() as conn:
            return list(conn.execute(select(links.c.to_url).where(links.c.run_id == run_id)
                                     .distinct().order_by(links.c.to_url)).scalars())

    def set_link_statuses(self, run_id: int, statuses: dict[str, str], *,
                          checked: date | None = None, carried: dict[str, date] | None = None) -> None:
        """Record the link checker's results ({to_url: status}) on every link of the run: observed
        on `checked`, or for the targets in `carried` ({to_url: day of that check}) carried
        forward from an earlier check."""
        if not statuses:
            return
        carried = carried or {}
        stmt = (update(links).where(links.c.run_id == bindparam("r"), links.c.to_url == bindparam("u"))
                .values(status=bindparam("s"), checked=bindparam("c"), carried=bindparam("k")))
        with self.engine.begin() as conn:
            conn.execute(stmt, [{"r": run_id, "u": u, "s": st, "c": carried.get(u, checked),
                                 "k": u in carried} for u, st in statuses.items()])

    def fetch_statuses(self, run_id: int) -> dict[str, str]:
        """url -> what fetching it in this run gave: the HTTP status, or the failure outcome."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(fetches.c.url, fetches.c.status, fetches.c.outcome)
                                .where(fetches.c.run_id == run_id).order_by(fetches.c.id))
            return {r.url: str(r.status) if r.status else r.outcome for r in rows}

    def add_fetch(self, run_id: int, row) -> None:
        """One request's outcome, a dict or a model.Fetch."""
        with self.engine.begin() as conn:
            conn.execute(insert(fetches).values(run_id=run_id, **stored_values(model.Fetch, row)))

    def add_batch(self, run_id: int, *, document_rows=(), link_rows=(), fetch_rows=(),
                  column_values: dict[int, dict] | None = None, entry_rows=()) -> None:
        """Many crawler records in one transaction, each stored as its one-row method stores it
        (add_document: a row whose URL the run already holds updates it; add_links; add_fetch,
        in order; update_column: {column id: values}; add_entries: entry_rows is [(column id,
        rows)…] in order). The pipeline's buffer: a few statements and one commit instead of a
        transaction per item (a fifth of a crawl's CPU)."""
        docs: dict[str, dict] = {}
        for row in document_rows:
            values = stored_values(model.Document, row)
            docs[values["url"]] = {**docs.get(values["url"], {}), **values}
        with self.engine.begin() as conn:
            have: dict[str, int] = {}
            urls = list(docs)
            for i in range(0, len(urls), 500):
                have.update((r.url, r.id) for r in conn.execute(select(documents.c.url, documents.c.id)
                            .where(documents.c.run_id == run_id, documents.c.url.in_(urls[i:i + 500]))))
            _insert_many(conn, documents, [{**v, "run_id": run_id} for u, v in docs.items()
                                           if u not in have])
            for url, values in docs.items():
                if url in have:
                    conn.execute(update(documents).where(documents.c.id == have[url]).values(**values))
            if link_rows:
                conn.execute(insert(links), [{**complete(model.Link, r), "run_id": run_id}
                                             for r in link_rows])
            _insert_many(conn, fetches, [{**stored_values(model.Fetch, r), "run_id": run_id}
                                         for r in fetch_rows])
            for cid, values in (column_values or {}).items():
                if values:
                    conn.execute(update(columns).where(columns.c.id == cid).values(**values))
            if entry_rows:
                ids = {cid for cid, _rows in entry_rows}
                have: dict[int | None, set[str]] = {cid: set() for cid in ids}
                known = [i for i in ids if i is not None]
                where = entries.c.column_id.in_(known) if known else None
                if None in ids:
                    where = entries.c.column_id.is_(None) if where is None else \
                        (where | entries.c.column_id.is_(None))
                for cid, url in conn.execute(select(entries.c.column_id, entries.c.url)
                                             .where(entries.c.run_id == run_id, where)):
                    have[cid].add(url)
                fresh = []
                for cid, rows in entry_rows:
                    for r in rows:
                        if r["url"] in have[cid]:
                            continue
                        have[cid].add(r["url"])
                        fresh.append({**complete(model.Entry, r), "run_id": run_id, "column_id": cid})
                if fresh:
                    conn.execute(insert(entries), fresh)

    def add_probe(self, site_url: str, at: datetime, outcome: str, elapsed: float | None) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(probes).values(site_url=site_url, at=at, outcome=outcome,
                                               elapsed=elapsed))

    # ---- findings (audit side) ----
    def save_findings(self, run_id: int, rows: list[dict], *, as_of: date, **run_values) -> None:
        """The run's findings, replacing any stored, and the run marked audited with `run_values`
        (score, verdict …) in the same transaction: a process killed on the way leaves all or none."""
        keep = {c.name for c in findings.c} - {"id", "run_id"}
        with self.engine.begin() as conn:
            conn.execute(findings.delete().where(findings.c.run_id == run_id))
            if rows:
                conn.execute(insert(findings), [
                    {"run_id": run_id, **{k: v for k, v in r.items() if k in keep}} for r in rows])
            conn.execute(update(runs).where(runs.c.id == run_id).values(as_of=as_of, state="audited",
                                                                       **run_values))

    # ---- reading (audits and reports) ----
    def site_url(self, run_id: int) -> str:
        with self.engine.connect() as conn:
            return conn.execute(select(runs.c.site_url).where(runs.c.id == run_id)).scalar() or ""

    def load(self, run_id: int) -> model.Snapshot:
        def rows(record, table, *order):
            stmt = _select(record, table).where(table.c.run_id == run_id).order_by(*order, table.c.id)
            return _loaded(record, conn.execute(stmt))

        with self.engine.connect() as conn:
            [info] = _loaded(model.RunInfo, [conn.execute(
                _select(model.RunInfo, runs).where(runs.c.id == run_id)).one()])
            snap = model.Snapshot(
                run=info,
                columns=rows(model.Column, columns, columns.c.seq),
                # NULLs (homepage entries) first on PostgreSQL too
                entries=rows(model.Entry, entries, entries.c.column_id.asc().nulls_first(),
                             entries.c.page, entries.c.position),
                documents=rows(model.Document, documents),
                links=rows(model.Link, links),
                fetches=rows(model.Fetch, fetches),
                attachments=rows(model.Attachment, attachments))
            # The month before the run: enough for any as-of window a rule looks at.
            since = (info.started or datetime.now(CST).replace(tzinfo=None)) - timedelta(days=31)
            snap.probes = _loaded(model.Probe, conn.execute(
                _select(model.Probe, probes).where(probes.c.site_url == info.site_url,
                                                   probes.c.at >= since).order_by(probes.c.at)))
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
