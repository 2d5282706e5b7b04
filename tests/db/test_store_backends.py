"""The store keeps a snapshot the same on PostgreSQL as on SQLite: what audits and reports load
back is equal, field by field, with real types (dates, naive China-time datetimes, JSON)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect

from snapshot.migrations import head
from snapshot.store import Store

SITE = "http://www.example.gov.cn/"
STARTED = datetime(2026, 11, 19, 22, 5, 7, 250001)       # naive: China Standard Time


def write_sample(store: Store) -> int:
    """One run with a row in every table, written through the crawler's and auditor's API."""
    run = store.create_run(SITE, kind="government", render="auto", started=STARTED,
                           site_name="示例县人民政府")
    store.update_run(run, finished=STARTED + timedelta(minutes=12), pages=41, cut_short=True,
                     errors={"timeout": 3, "http_4xx": 1}, homepage_outcome="ok",
                     section_url=SITE + "zwgk/", homepage_meta={"SiteName": "示例县", "ColumnName": "首页"},
                     homepage_text="网站标识码：1234000001\n京ICP备12345678号\x00")
    parent = store.add_column(run, name="政府信息公开", url=SITE + "zwgk/", category="section", seq=0)
    col = store.add_column(run, name="政策文件", url=SITE + "zwgk/zcwj/", category="policy",
                           parent_id=parent, seq=1)
    empty = store.add_column(run, name="财政预决算", url=SITE + "zwgk/czyjs/", category="budget", seq=2)
    store.update_column(col, pages=3, rendered=True, partial=True, text="政策文件\t列表")
    store.update_column(empty, status="unverified", evidence="", empty_marker=True)
    store.add_entries(run, col, [
        {"title": "关于印发《某办法》的通知", "url": SITE + "zwgk/zcwj/1.html", "date": date(2026, 11, 2),
         "page": 1, "position": 0, "related": [SITE + "jd/1.html"]},
        {"title": "无日期条目", "url": SITE + "zwgk/zcwj/2.html", "date": None, "page": 2, "position": 5},
    ])
    store.add_entries(run, None, [{"title": "首页要闻", "url": SITE + "yw/1.html", "date": date(2026, 1, 1)}])
    store.add_document(run, {
        "url": SITE + "zwgk/zcwj/1.html", "column_id": col, "title": "关于印发《某办法》的通知",
        "status": "ok", "fields": {"title": "关于印发《某办法》的通知", "published": "2026-11-02",
                                   "doc_no": "某政发〔2026〕7号", "z_last": "", "a_first": "x"},
        "has_meta_block": True, "meta": {"ArticleTitle": "某办法", "PubDate": "2026-11-02 09:00"},
        "interpretations": [SITE + "jd/1.html"], "policies": [],
        "attachments": [SITE + "f/1.pdf"], "text_digest": "0f" * 32,
        "text": "第一条 为了规范……\n第二条\x00 本办法", "tables": [[["序号", "姓名"], ["1", "张三"]]]})
    store.merge_document_relations(run, SITE + "zwgk/zcwj/1.html", [SITE + "jd/2.html"], [SITE + "zc/9.html"])
    store.add_links(run, [
        {"from_url": SITE, "to_url": SITE + "dead", "text": "失效链接", "kind": "link"},
        {"from_url": SITE + "zwgk/", "to_url": "https://other.gov.cn/", "text": "外链", "kind": "link"},
    ])
    store.set_link_statuses(run, {SITE + "dead": "http_4xx", "https://other.gov.cn/": "200"})
    store.add_fetch(run, {"url": SITE, "role": "homepage", "outcome": "ok", "status": 200,
                          "elapsed": 0.123456789, "rendered": False})
    store.add_fetch(run, {"url": SITE + "dead", "role": "link", "outcome": "http_4xx", "status": 404,
                          "error": "Not Found", "elapsed": 1.5})
    store.add_attachment(run, {"document_url": SITE + "zwgk/zcwj/1.html", "url": SITE + "f/1.pdf",
                               "status": "ok", "kind": "pdf", "size": 5 * 2**30,   # past 32 bits
                               "text": "附件：办法全文", "tables": [], "error": ""})
    # A probe stored with an aware datetime (UTC) and one with naive China time: both are instants.
    store.add_probe(SITE, datetime(2026, 11, 18, 0, 30, tzinfo=timezone.utc), "ok", 0.2)
    store.add_probe(SITE, datetime(2026, 11, 19, 7, 0), "timeout", None)
    store.save_findings(run, [
        {"rule_id": "link.broken", "severity": "deduct", "column": "首页", "url": SITE,
         "target": SITE + "dead", "title": "首页", "detail": "链接打不开（404）", "status": "new",
         "fingerprint": "a" * 40, "locus": SITE, "first_seen": date(2026, 11, 19), "consecutive": 2},
    ], as_of=date(2026, 11, 20))
    store.update_run(run, batch="2026-11-20", score=87.5, verdict="合格", site_status="ok")
    store.upsert_site(SITE, name="示例县人民政府", kind="government", group="县政府",
                      ident="1234000001", host_org="示例县人民政府办公室")
    store.add_triage({"fingerprint": "a" * 40, "site_url": SITE, "decision": "exempt",
                      "reason": "系统迁移", "by": "张三", "at": datetime(2026, 11, 20, 9, 30),
                      "valid_from": date(2026, 11, 20), "valid_to": date(2026, 12, 20)})
    return run


def everything(store: Store, run: int) -> dict:
    sites = store.site_rows()
    for row in sites.values():
        row.pop("updated")      # stamped with the time of writing
    return {"snapshot": store.load(run), "runs": store.site_runs(SITE),
            "findings": store.run_findings([run]), "sites": sites,
            "triage": store.triage_rows([("a" * 40)]),
            "by_fingerprint": store.findings_by_fingerprint("aaaa"),
            "entry_counts": store.entry_counts(run), "link_targets": store.link_targets(run),
            "fetch_statuses": store.fetch_statuses(run), "state": store.run_state(run)}


@pytest.fixture
def sqlite_store(tmp_path) -> Store:
    return Store(tmp_path / "zwgk.db")


@pytest.fixture
def pg_store(pg_url) -> Store:
    store = Store(pg_url)
    yield store
    store.engine.dispose()


def test_postgresql_store_loads_what_sqlite_loads(sqlite_store, pg_store):
    on_sqlite = everything(sqlite_store, write_sample(sqlite_store))
    on_pg = everything(pg_store, write_sample(pg_store))
    assert on_pg == on_sqlite

    snap = on_pg["snapshot"]
    assert snap.run.started == STARTED and snap.run.started.tzinfo is None
    assert [p.at for p in snap.probes] == [datetime(2026, 11, 18, 8, 30), datetime(2026, 11, 19, 7, 0)]
    assert [e.date for e in snap.entries] == [date(2026, 1, 1), date(2026, 11, 2), None]
    assert snap.entries[0].column_id is None      # homepage entries first, as on SQLite
    doc = snap.documents[0]
    assert doc.fields["doc_no"] == "某政发〔2026〕7号"
    assert doc.interpretations == [SITE + "jd/1.html", SITE + "jd/2.html"]
    assert doc.tables == [[["序号", "姓名"], ["1", "张三"]]]
    assert "\x00" not in doc.text and doc.text.endswith("本办法")    # NUL dropped on both
    assert snap.attachments[0].size == 5 * 2**30
    assert [c.status for c in snap.columns] == ["ok", "ok", "unverified"]
    assert {ln.to_url: ln.status for ln in snap.links} == {SITE + "dead": "http_4xx",
                                                          "https://other.gov.cn/": "200"}
    assert on_pg["runs"][0]["as_of"] == date(2026, 11, 20) and on_pg["runs"][0]["score"] == 87.5
    assert on_pg["triage"][0]["valid_to"] == date(2026, 12, 20)
    assert on_pg["triage"][0]["at"] == datetime(2026, 11, 20, 9, 30)


def test_postgresql_columns_have_real_types(pg_store):
    cols = {t: {c["name"]: c["type"] for c in inspect(pg_store.engine).get_columns(t)}
            for t in ("runs", "documents", "entries", "links", "triage", "attachments")}
    assert type(cols["documents"]["fields"]).__name__ == "JSONB"
    assert type(cols["runs"]["started"]).__name__ == "TIMESTAMP" and cols["runs"]["started"].timezone
    assert type(cols["entries"]["date"]).__name__ == "DATE"
    assert type(cols["links"]["id"]).__name__ == "BIGINT"
    assert type(cols["attachments"]["size"]).__name__ == "BIGINT"
    assert type(cols["triage"]["valid_from"]).__name__ == "DATE"
    with pg_store.engine.connect() as conn:
        from snapshot.migrations import current
        assert current(conn) == head()


def test_both_urls_name_psycopg(pg_url, postgres):
    plus = pg_url.replace("postgresql://", "postgresql+psycopg://")
    for url in (pg_url, plus):
        store = Store(url)
        assert store.engine.dialect.driver == "psycopg"
        run = store.create_run(SITE)
        assert store.latest_run(SITE) == run
        store.engine.dispose()
