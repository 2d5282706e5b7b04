"""`zwgk db upgrade`: a database made by the previous release (no alembic_version) is recognised,
brought to the current schema, and its history survives; new databases and upgraded ones end
with the same schema as the store declares (so a column added without a migration fails here)."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from snapshot import migrations
from snapshot.store import Store, database_url, make_engine, metadata
from tests.db import old_release
from tests.e2e.helpers import REPO, zwgk


def schema_diffs(url: str, target=metadata) -> list:
    engine = make_engine(url, migrate=False)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(ctx, target)
    finally:
        engine.dispose()


def revision(url: str) -> str | None:
    engine = make_engine(url, migrate=False)
    try:
        with engine.connect() as conn:
            return migrations.current(conn)
    finally:
        engine.dispose()


def assert_history_survived(url: str, run_id: int) -> None:
    store = Store(url)
    snap = store.load(run_id)
    assert snap.run.site_name == "旧版示例网站" and snap.run.started == old_release.STARTED
    assert snap.run.errors == {"timeout": 2}
    assert [c.name for c in snap.columns] == ["政策文件"] and snap.columns[0].evidence == ""
    assert snap.entries[0].date == date(2026, 9, 30)
    assert snap.documents[0].fields["doc_no"] == "某发〔2026〕1号"
    assert snap.documents[0].tables == [[["序号", "名称"], ["1", "办法"]]]
    assert snap.attachments[0].size == 12345 and snap.links[0].status == "http_4xx"
    assert snap.probes[0].at == datetime(2026, 9, 29, 8, 0)
    [finding] = store.run_findings([run_id])
    assert finding["detail"] == "链接打不开（404）" and finding["fingerprint"] is None
    assert store.site_runs("http://old.example.gov.cn/")[0]["as_of"] == date(2026, 10, 2)
    # The upgraded database takes this release's writes: history and triage.
    store.update_run(run_id, score=90.0, verdict="合格", batch="2026-10-02")
    store.upsert_site("http://old.example.gov.cn/", name="旧版示例网站", group="部门")
    store.add_triage({"fingerprint": "f" * 40, "decision": "explained", "at": datetime(2026, 10, 3)})
    assert store.site_runs("http://old.example.gov.cn/")[0]["verdict"] == "合格"
    assert store.triage_rows()[0]["decision"] == "explained"
    store.engine.dispose()


def test_previous_release_sqlite_database_upgrades_and_keeps_its_history(tmp_path):
    db = tmp_path / "zwgk.db"
    run_id = old_release.make_old_database(f"sqlite:///{db}")
    assert revision(str(db)) is None

    proc = zwgk("db", "upgrade", "--db", str(db), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "旧版" in proc.stdout and migrations.head() in proc.stdout
    assert revision(str(db)) == migrations.head()
    assert schema_diffs(str(db)) == []
    assert_history_survived(str(db), run_id)

    again = zwgk("db", "upgrade", "--db", str(db), cwd=tmp_path)
    assert again.returncode == 0 and "已是最新" in again.stdout
    with sqlite3.connect(db) as conn:          # still the embedded default: WAL
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_previous_release_postgresql_database_upgrades_and_keeps_its_history(pg_url, tmp_path):
    run_id = old_release.make_old_database(database_url(pg_url))
    proc = zwgk("db", "upgrade", "--db", pg_url, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert revision(pg_url) == migrations.head()
    assert schema_diffs(pg_url) == []
    assert_history_survived(pg_url, run_id)


def test_opening_an_old_database_upgrades_it_too(tmp_path):
    """Store() brings an old zwgk.db to head by itself (as `zwgk audit` on last year's file)."""
    db = tmp_path / "old.db"
    run_id = old_release.make_old_database(f"sqlite:///{db}")
    assert_history_survived(str(db), run_id)
    assert revision(str(db)) == migrations.head()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_baseline_migration_is_the_previous_release_schema(backend, tmp_path, request):
    url = f"sqlite:///{tmp_path / 'b.db'}" if backend == "sqlite" else \
        database_url(request.getfixturevalue("pg_url"))
    engine = create_engine(url)
    with engine.begin() as conn:
        cfg = migrations.config(conn)
        command.upgrade(cfg, migrations.BASELINE)
    engine.dispose()
    assert schema_diffs(url, old_release.metadata) == []


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_new_database_is_made_at_head_with_the_declared_schema(backend, tmp_path, request):
    url = str(tmp_path / "new.db") if backend == "sqlite" else request.getfixturevalue("pg_url")
    Store(url).engine.dispose()
    assert revision(url) == migrations.head()
    assert schema_diffs(url) == []


def test_interim_database_with_some_new_columns_upgrades(tmp_path):
    """A file from an interim build that added some of the new columns by hand, unstamped."""
    db = tmp_path / "interim.db"
    run_id = old_release.make_old_database(f"sqlite:///{db}")
    with sqlite3.connect(db) as conn:
        conn.execute('ALTER TABLE columns ADD COLUMN "evidence" VARCHAR(16)')
        conn.execute('ALTER TABLE runs ADD COLUMN "batch" TEXT')
    assert zwgk("db", "upgrade", "--db", str(db), cwd=tmp_path).returncode == 0
    assert schema_diffs(str(db)) == []
    assert_history_survived(str(db), run_id)


def test_foreign_or_newer_databases_are_refused_with_one_line(tmp_path):
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    proc = zwgk("db", "upgrade", "--db", str(foreign), cwd=tmp_path)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    assert "不是 zwgk" in proc.stderr and "Traceback" not in proc.stderr
    with sqlite3.connect(foreign) as conn:       # left as it was
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["invoices"]

    newer = tmp_path / "newer.db"
    Store(newer).engine.dispose()
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    proc = zwgk("audit", "http://127.0.0.1:9/", "--db", str(newer), "--out", str(tmp_path / "o"),
                cwd=tmp_path)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    assert "9999" in proc.stderr and "升级 zwgk" in proc.stderr


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_processes_opening_a_new_database_together_make_it_once(backend, tmp_path, request):
    db = str(tmp_path / "shared.db") if backend == "sqlite" else request.getfixturevalue("pg_url")
    code = ("import sys; from snapshot.store import Store; "
            "s = Store(sys.argv[1]); s.create_run('http://a.gov.cn/')")
    procs = [subprocess.Popen([sys.executable, "-c", code, db], cwd=REPO,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for p in procs:
        assert p.wait(timeout=60) == 0, p.stderr.read()
    engine = make_engine(db, migrate=False)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM runs")).scalar() == 3
    engine.dispose()
    assert schema_diffs(db) == []


def test_store_rejects_nothing_it_used_to_accept(tmp_path):
    """Values the crawler stores (aware or naive datetimes, NUL in text) never fail on SQLite."""
    store = Store(tmp_path / "z.db")
    run = store.create_run("http://a.gov.cn/", started=datetime(2026, 1, 1, 12, 0))
    store.update_run(run, homepage_text="a\x00b", homepage_meta={"k\x00": ["v\x00"]})
    snap = store.load(run)
    assert snap.run.homepage_text == "ab" and snap.run.homepage_meta == {"k": ["v"]}
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    assert set(inspect(store.engine).get_table_names()) >= {t.name for t in metadata.sorted_tables}


def test_head_read_from_the_files_is_alembics_head():
    from alembic.script import ScriptDirectory
    assert migrations.head() == ScriptDirectory.from_config(migrations.config()).get_current_head()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@pytest.mark.parametrize("at", ["0003", "0004"])
def test_a_database_before_dated_link_checks_upgrades(backend, at, tmp_path, request):
    """0005 dates link statuses (links.checked, links.carried, runs.link_cadence). Statuses
    stored before it keep no date: loaded as observed on an unknown day, never as carried, and
    never carried forward again."""
    url = f"sqlite:///{tmp_path / 'c.db'}" if backend == "sqlite" else \
        database_url(request.getfixturevalue("pg_url"))
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(migrations.config(conn), at)
        conn.execute(text("INSERT INTO runs (site_url, started, state) VALUES "
                          "('http://a.gov.cn/', '2026-11-28 22:00:00', 'audited')"))
        run_id = conn.execute(text("SELECT max(id) FROM runs")).scalar()
        conn.execute(text("INSERT INTO links (run_id, from_url, to_url, text, kind, status) VALUES "
                          f"({run_id}, 'http://a.gov.cn/', 'http://a.gov.cn/x', 'x', 'link', '200')"))
    engine.dispose()
    assert revision(url) == at

    store = Store(url)
    assert revision(url) == migrations.head() and schema_diffs(url) == []
    snap = store.load(run_id)
    [ln] = snap.links
    assert (ln.status, ln.checked, ln.carried, snap.run.link_cadence) == ("200", None, False, 1)
    # The upgraded database takes the link check's dated writes.
    store.set_link_statuses(run_id, {"http://a.gov.cn/x": "200"}, carried={"http://a.gov.cn/x": date(2026, 11, 21)})
    store.update_run(run_id, link_cadence=7)
    snap = store.load(run_id)
    assert (snap.links[0].checked, snap.links[0].carried, snap.run.link_cadence) == \
        (date(2026, 11, 21), True, 7)
    store.engine.dispose()
