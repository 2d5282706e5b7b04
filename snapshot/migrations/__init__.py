"""Schema versions of the snapshot store, kept by Alembic (configured here in code: no alembic.ini).

The schema is declared once: the fields of snapshot/model.py's dataclasses, with the table-only
columns snapshot/store.py adds (keys, constraints; findings, sites, triage); versions/ holds the
migrations from the previous release's schema (0001, the baseline) to it. `ensure_schema` brings
any database to head, whichever state it is in:
- empty: create_all + stamp head (one consistent way to make a new database);
- stamped with an older revision: upgrade;
- tables of the previous release and no alembic_version: stamp the baseline, then upgrade;
- anything else (other tables, a revision this zwgk does not know): SchemaError.
It runs under a lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock), so processes that
open a database at the same time neither race nor upgrade twice.

Changing the schema: add the field to its dataclass in snapshot/model.py (or a table-only column
in snapshot/store.py), then write versions/NNNN_*.py (next number, `down_revision` the previous
one; only add what is missing, as 0002 does). Alembic can draft it against a database at the
previous head:

    from alembic import command; from snapshot import migrations; from snapshot.store import make_engine
    with make_engine("dev.db", migrate=False).begin() as conn:
        command.revision(migrations.config(conn), "what changed", autogenerate=True, rev_id="NNNN")

tests/db/test_upgrade.py fails while upgraded databases differ from the declared schema.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

HERE = Path(__file__).resolve().parent
BASELINE = "0001"
# The previous release's tables and columns (versions/0001_baseline.py): what identifies its
# databases, which carry no alembic_version table.
BASELINE_TABLES = {
    "runs": {"id", "site_url", "site_name", "kind", "started", "finished", "as_of", "pages",
             "cut_short", "errors", "homepage_outcome", "homepage_error", "section_url", "render",
             "homepage_meta", "homepage_text", "state"},
    "columns": {"id", "run_id", "parent_id", "name", "url", "category", "status", "error", "pages",
                "rendered", "is_page", "has_children", "empty_marker", "partial", "seq", "text"},
    "entries": {"id", "run_id", "column_id", "title", "url", "date", "page", "position", "related"},
    "documents": {"id", "run_id", "column_id", "url", "title", "status", "fields",
                  "has_meta_block", "meta", "interpretations", "policies", "attachments",
                  "text_digest", "text", "tables"},
    "links": {"id", "run_id", "from_url", "to_url", "text", "kind", "status"},
    "fetches": {"id", "run_id", "url", "role", "outcome", "status", "error", "elapsed", "rendered"},
    "attachments": {"id", "run_id", "document_url", "url", "status", "kind", "size", "text",
                    "tables", "error"},
    "probes": {"id", "site_url", "at", "outcome", "elapsed"},
    "findings": {"id", "run_id", "rule_id", "severity", "column", "url", "target", "title",
                 "detail", "status"},
}
_PG_LOCK = 0x7A77_676B   # "zwgk": the advisory lock key for schema changes


class SchemaError(Exception):
    """The database cannot be brought to this zwgk's schema (message: one Chinese line)."""


@dataclass
class Outcome:
    before: str | None      # revision found (None: empty database; "0001?" unstamped old release)
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


def config(connection: Connection | None = None):
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(HERE / "versions"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def head() -> str:
    """The newest revision. Read from the version files' `revision =` / `down_revision =` lines
    rather than through Alembic, whose import would cost every Store() about half a second."""
    revisions, parents = set(), set()
    for path in (HERE / "versions").glob("[0-9]*.py"):
        source = path.read_text(encoding="utf-8")
        rev = re.search(r'^revision = ["\']([^"\']+)["\']', source, re.M)
        down = re.search(r'^down_revision = (?:["\']([^"\']+)["\']|None)', source, re.M)
        if not rev or not down:
            break
        revisions.add(rev.group(1))
        parents.add(down.group(1))
    else:
        heads = revisions - parents
        if len(heads) == 1:
            return heads.pop()
    from alembic.script import ScriptDirectory
    return ScriptDirectory.from_config(config()).get_current_head()


@lru_cache(maxsize=1)
def known_revisions() -> frozenset[str]:
    from alembic.script import ScriptDirectory
    return frozenset(s.revision for s in ScriptDirectory.from_config(config()).walk_revisions())


def current(conn: Connection) -> str | None:
    """The stamped revision, or None when the database has no alembic_version table."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def ensure_schema(engine: Engine) -> Outcome:
    """Bring the database to head (see the module's docstring). Cheap when it is there already."""
    with engine.connect() as conn:
        found = current(conn)
        conn.rollback()
    if found == head():
        return Outcome(found, found)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            # Take the write lock first: another process may be making the same database.
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
        outcome = _bring_to_head(conn)
        conn.commit()
    return outcome


def _bring_to_head(conn: Connection) -> Outcome:
    from alembic import command

    from snapshot.store import metadata

    cfg = config(conn)
    found = current(conn)           # again, under the lock
    if found == head():
        return Outcome(found, found)
    if found is not None:
        if found not in known_revisions():
            raise SchemaError(f"数据库的结构版本 {found} 比本程序新：请升级 zwgk 后再使用该数据库")
        command.upgrade(cfg, "head")
        return Outcome(found, head())
    tables = set(inspect(conn).get_table_names())
    if not tables:
        metadata.create_all(conn)
        command.stamp(cfg, "head")
        return Outcome(None, head())
    if _is_baseline(conn, tables):
        command.stamp(cfg, BASELINE)
        command.upgrade(cfg, "head")
        return Outcome(BASELINE + "?", head())
    raise SchemaError("数据库中已有其他表，不是 zwgk 的快照数据库：请用 --db 指定 zwgk 的数据库或新的文件")


def _is_baseline(conn: Connection, tables: set[str]) -> bool:
    """Tables of the previous release (columns added since by hand are allowed)."""
    if not set(BASELINE_TABLES) <= tables:
        return False
    inspector = inspect(conn)
    return all(cols <= {c["name"] for c in inspector.get_columns(t)}
               for t, cols in BASELINE_TABLES.items())
