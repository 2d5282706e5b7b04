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

    # What PostgreSQL holds is what the report was made from, as on SQLite.
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
            "documents": sorted((d.url, d.status, tuple(sorted(d.fields.items()))) for d in snap.documents),
        }
        store.engine.dispose()
    assert stored["pg"] == stored["sqlite"]
    assert len(stored["pg"]["findings"]) == len(pg_findings)
