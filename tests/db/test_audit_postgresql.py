"""`zwgk audit --db postgresql://…` of a served fixture site gives what the SQLite store gives."""
from __future__ import annotations

import json

from snapshot.store import Store
from tests.e2e.helpers import audit


def _key(f: dict) -> str:
    return json.dumps(f, ensure_ascii=False, sort_keys=True)


def test_audit_on_postgresql_finds_what_sqlite_finds(site_factory, tmp_path, pg_url):
    # Slow pages well within the timeout: two crawls of the site see the same pages.
    base, truth, spec = site_factory(2, slow_delay=0.2)
    as_of = spec.as_of.isoformat()
    lite, lite_findings = audit(base, tmp_path / "sqlite", as_of=as_of)
    pg, pg_findings = audit(base, tmp_path / "pg", "--db", pg_url, as_of=as_of)
    assert lite.returncode == 0, lite.stderr[-2000:]
    assert pg.returncode == 0, pg.stderr[-2000:]
    assert not (tmp_path / "pg" / "zwgk.db").exists()       # the run went to PostgreSQL
    assert lite_findings, "the fixture site has seeded defects"
    assert sorted(map(_key, pg_findings)) == sorted(map(_key, lite_findings))

    # What PostgreSQL holds is what the report was made from, as on SQLite. (Which documents a
    # crawl samples may differ between two crawls; tests/db/test_store_backends.py compares the
    # stored documents themselves.)
    stores = {"sqlite": Store(tmp_path / "sqlite" / "zwgk.db"), "pg": Store(pg_url)}
    stored = {}
    for name, store in stores.items():
        run = store.latest_run(base)
        assert store.run_state(run) == "audited"
        snap = store.load(run)
        stored[name] = {
            "findings": sorted((f["rule_id"], f["url"], f["target"], f["detail"])
                               for f in store.run_findings([run])),
            "columns": [(c.name, c.url, c.status, c.evidence) for c in snap.columns],
            "entries": sorted((e.url, e.title, e.date) for e in snap.entries),
        }
        store.engine.dispose()
    for part in stored["pg"]:
        pg_rows, lite_rows = stored["pg"][part], stored["sqlite"][part]
        assert pg_rows == lite_rows, (part, [r for r in pg_rows if r not in lite_rows][:3],
                                      [r for r in lite_rows if r not in pg_rows][:3])
    assert len(stored["pg"]["findings"]) == len(pg_findings)
