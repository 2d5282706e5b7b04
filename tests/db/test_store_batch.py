"""Store.add_batch (the crawl pipeline's buffered writes) stores exactly what the one-row methods
store one item at a time: documents (a URL seen again updates its row, within a batch and across
batches), links, fetches in order, column updates merged in order, and list entries (a URL the
column already holds is skipped, within a batch and across batches; homepage entries apart)."""
from __future__ import annotations

from dataclasses import asdict, replace

from snapshot import model
from snapshot.store import Store

SITE = "http://127.0.0.1:9/"


def _doc(n: int, **kw) -> model.Document:
    return model.Document(url=f"{SITE}doc/{n}.html", title=f"关于第{n}号文件的通知", text=f"正文{n}",
                          fields={"published": "2026-11-0%d" % n, "publisher": "某局"},
                          attachments=[f"{SITE}doc/{n}.pdf"], text_digest=f"d{n}", **kw)


def _fetch(url: str, status: int | None, outcome: str = "ok") -> model.Fetch:
    return model.Fetch(url=url, role="document", outcome=outcome, status=status, elapsed=0.1)


def _records(store: Store, run_id: int) -> dict:
    snap = store.load(run_id)

    def rows(items, drop=("id",)):
        return [{k: v for k, v in asdict(x).items() if k not in drop} for x in items]
    return {"documents": rows(snap.documents, ("id", "column_id")),
            "fetches": rows(snap.fetches), "links": rows(snap.links),
            "columns": rows(snap.columns, ("id", "parent_id")),
            "entries": [(e.column_id is None, e.title, e.url, e.date, e.page, e.position)
                        for e in snap.entries]}


def _entry(n: int, page: int = 1, title: str = "") -> dict:
    return {"title": title or f"通知{n}", "url": f"{SITE}tzgg/{n}.html", "date": None, "page": page,
            "position": n, "related": []}


def test_entries_in_batches_are_the_entries_one_page_at_a_time(tmp_path):
    store = Store(str(tmp_path / "zwgk.db"))
    one, batch = store.create_run(SITE), store.create_run(SITE)
    pages = [("col", [_entry(1), _entry(2), _entry(1, title="重复")]),     # a pinned entry again
             (None, [_entry(7), _entry(7)]),                               # the homepage's list
             ("col", [_entry(2, 2), _entry(3, 2)]),
             ("sub", [_entry(3, 1)]),                                      # another column: kept
             ("col", [_entry(4, 3), _entry(1, 3)]),
             (None, [_entry(8), _entry(7)])]
    for run, split in ((one, None), (batch, 2)):
        ids = {"col": store.add_column(run, name="通知公告", url=SITE + "tzgg/", category="notice_policy"),
               "sub": store.add_column(run, name="下级", url=SITE + "sub/", category="other"), None: None}
        if split is None:
            for key, rows in pages:
                store.add_entries(run, ids[key], rows)
        else:
            store.add_entries(run, ids["col"], pages[0][1])          # stored before the batches
            store.add_batch(run, entry_rows=[(ids[k], rows) for k, rows in pages[1:split + 1]])
            store.add_batch(run, entry_rows=[(ids[k], rows) for k, rows in pages[split + 1:]])
    expected, got = _records(store, one)["entries"], _records(store, batch)["entries"]
    assert got == expected
    assert len(got) == 7 and [e[2].rsplit("/", 1)[1] for e in got if e[0]] == ["7.html", "8.html"]


def test_a_batch_stores_what_one_row_at_a_time_stores(tmp_path):
    store = Store(str(tmp_path / "zwgk.db"))
    one, batch = store.create_run(SITE), store.create_run(SITE)
    links = [{"from_url": f"{SITE}doc/1.html", "to_url": f"{SITE}a.html", "text": "甲"},
             {"from_url": f"{SITE}doc/2.html", "to_url": f"{SITE}b.pdf", "text": "乙", "kind": "attachment"}]
    first = [_doc(1), _doc(2), replace(_doc(1), title="已更正的标题", fields={"published": ""})]
    later = [replace(_doc(2), text="第二晚的正文", status="http_404"), _doc(3),
             {"url": f"{SITE}doc/4.html", "title": "只有标题"}]          # a partial row: defaults
    fetches = [_fetch(f"{SITE}doc/1.html", 200), _fetch(f"{SITE}doc/9.html", None, "timeout"),
               _fetch(f"{SITE}doc/2.html", 404)]

    # One row at a time, as the pipeline used to write.
    col = store.add_column(one, name="通知公告", url=SITE + "tzgg/", category="notice_policy")
    for row in first + later:
        store.add_document(one, row)
    store.add_links(one, links)
    for f in fetches:
        store.add_fetch(one, f)
    store.update_column(col, status="pending", error="未完成抓取")
    store.update_column(col, status="ok", error="", pages=2)
    store.update_column(col, rendered=True)

    # Two batches: the second updates a document the first stored.
    col = store.add_column(batch, name="通知公告", url=SITE + "tzgg/", category="notice_policy")
    store.add_batch(batch, document_rows=first, link_rows=links[:1], fetch_rows=fetches[:2],
                    column_values={col: {"status": "pending", "error": "未完成抓取"}})
    store.add_batch(batch, document_rows=later, link_rows=links[1:], fetch_rows=fetches[2:],
                    column_values={col: {"status": "ok", "error": "", "pages": 2, "rendered": True}})

    expected, got = _records(store, one), _records(store, batch)
    assert got == expected
    assert [d["url"] for d in got["documents"]] == [f"{SITE}doc/{n}.html" for n in (1, 2, 3, 4)]
    assert got["documents"][0]["title"] == "已更正的标题" and got["documents"][1]["status"] == "http_404"
    assert [f["status"] for f in got["fetches"]] == [200, None, 404]
    assert got["columns"][0]["status"] == "ok" and got["columns"][0]["rendered"] is True


def test_an_empty_batch_writes_nothing(tmp_path):
    store = Store(str(tmp_path / "zwgk.db"))
    run = store.create_run(SITE)
    store.add_batch(run)
    assert _records(store, run) == {"documents": [], "fetches": [], "links": [], "columns": [],
                                    "entries": []}
