"""SnapshotPipeline decides a column's status from what its list pages showed: a list read with
no entries is ok only with evidence that it is empty, else 未能确认 (issue 7.1)."""
from __future__ import annotations

import pytest

from crawler import items as it
from crawler.pipelines import ColumnReading, SnapshotPipeline, column_verdict
from snapshot.store import Store

SITE = "http://127.0.0.1:9/"
COL = SITE + "zwgk/tzgg/"
ROWS = [{"title": "关于开展检查的通知", "url": SITE + "zwgk/tzgg/1.html", "date": None, "page": 2,
         "position": 0, "related": []}]


@pytest.fixture
def crawl(tmp_path):
    """A pipeline over a fresh SQLite store, and a reader of the column as stored."""
    url = str(tmp_path / "zwgk.db")
    run_id = Store(url).create_run(SITE)
    pipe = SnapshotPipeline(url, run_id)
    pipe.process_item(it.SiteItem(homepage_outcome="ok", section_url=SITE + "zwgk/"))
    pipe.process_item(it.ColumnItem(url=COL, name="通知公告", category="notice_policy"))

    def column():
        pipe.flush()        # what the crawl has seen so far, as its next batch stores it
        [c] = Store(url).load(run_id).columns
        return c
    pipe.column = column
    return pipe


def page(n=1, *, entries=(), evidence="", first=None, outcome="ok", **kw):
    return it.ColumnPageItem(column_url=COL, page=n, outcome=outcome, first=n == 1 if first is None else first,
                             entries=list(entries), evidence=evidence, **kw)


def test_found_column_is_pending_until_its_first_page(crawl):
    assert crawl.column().status == "pending"


def test_first_page_without_entries_or_evidence_is_unverified(crawl):
    crawl.process_item(page(1))
    c = crawl.column()
    assert (c.status, c.evidence) == ("unverified", "")
    assert "未读到列表条目" in c.error
    crawl.close_spider()
    assert crawl.column().status == "unverified"         # closing does not make it empty


def test_entries_from_a_later_endpoint_page_upgrade_to_ok(crawl):
    crawl.process_item(page(1))                           # script-built page: nothing readable
    crawl.process_item(page(2, entries=ROWS))             # its endpoint, found in the page's config
    c = crawl.column()
    assert (c.status, c.error, c.evidence, c.pages) == ("ok", "", "", 2)
    crawl.close_spider()
    assert crawl.column().status == "ok"


def test_endpoint_answering_zero_records_later_proves_empty(crawl):
    crawl.process_item(page(1))
    assert crawl.column().status == "unverified"
    crawl.process_item(page(2, evidence="endpoint"))
    c = crawl.column()
    assert (c.status, c.evidence, c.error) == ("ok", "endpoint", "")


@pytest.mark.parametrize("evidence", ["marker", "rendered", "endpoint"])
def test_first_page_evidence_is_stored(crawl, evidence):
    crawl.process_item(page(1, evidence=evidence, empty_marker=evidence == "marker",
                            rendered=evidence == "rendered"))
    crawl.close_spider()
    c = crawl.column()
    assert (c.status, c.evidence) == ("ok", evidence)


def test_evidence_never_stands_beside_entries(crawl):
    crawl.process_item(page(1, entries=[{**ROWS[0], "page": 1}]))
    crawl.process_item(page(2, evidence="endpoint"))       # a page past the last one answers 0
    crawl.close_spider()
    c = crawl.column()
    assert (c.status, c.evidence) == ("ok", "")


def test_unknown_evidence_is_no_evidence(crawl):
    crawl.process_item(page(1, evidence="guess"))
    assert crawl.column().status == "unverified"


def test_marker_with_scripts_has_no_evidence_and_says_so(crawl):
    crawl.process_item(page(1, empty_marker=True))         # 暂无信息, but scripts could fill it
    c = crawl.column()
    assert c.status == "unverified" and "暂无信息" in c.error and c.empty_marker


def test_failed_later_page_keeps_unverified_and_partial(crawl):
    crawl.process_item(page(1))
    crawl.process_item(page(2, outcome="timeout", first=False))
    c = crawl.column()
    assert (c.status, c.partial) == ("unverified", True) and "未能抓取" in c.error


def test_first_page_failure_is_failed_or_blocked(crawl):
    crawl.process_item(page(1, outcome="robots", error="robots.txt 禁止抓取"))
    assert (crawl.column().status, crawl.column().error) == ("blocked", "robots.txt 禁止抓取")


def test_content_pages_and_parents_need_no_evidence(crawl):
    crawl.process_item(page(1, is_page=True))
    assert crawl.column().status == "ok"


def test_sub_column_found_later_makes_the_parent_ok(crawl):
    crawl.process_item(page(1))
    assert crawl.column().status == "unverified"
    crawl.process_item(it.ColumnItem(url=COL + "sub/", name="下级", category="other", parent_url=COL))
    crawl.flush()
    parent = Store(crawl.store.engine.url).load(crawl.run_id).column(crawl.column_ids[COL])
    assert (parent.status, parent.has_children) == ("ok", True)


def test_later_page_arriving_first_waits_for_the_first(crawl):
    crawl.process_item(page(2, entries=ROWS, first=False))
    assert crawl.column().status == "pending"             # its own page has not come
    crawl.process_item(page(1))
    assert crawl.column().status == "ok"


def test_close_spider_decides_from_the_stored_entries(crawl):
    crawl.process_item(page(1, entries=[{**ROWS[0], "page": 1}]))
    crawl.readings[COL].entries = 0                        # memory lost track (a replayed item)
    crawl.close_spider()
    assert crawl.column().status == "ok"


@pytest.mark.parametrize("reading,status", [
    (ColumnReading(), None),
    (ColumnReading(first="ok"), "unverified"),
    (ColumnReading(first="ok", rendered=True), "unverified"),
    (ColumnReading(first="ok", evidence="rendered"), "ok"),
    (ColumnReading(first="ok", entries=3), "ok"),
    (ColumnReading(first="ok", has_children=True), "ok"),
    (ColumnReading(first="timeout"), "failed"),
    (ColumnReading(first="blocked", evidence="rendered"), "blocked"),
])
def test_column_verdict(reading, status):
    verdict = column_verdict(reading)
    assert (verdict and verdict["status"]) == status
    if verdict and verdict["status"] == "unverified":
        assert verdict["error"] and not verdict["evidence"]
