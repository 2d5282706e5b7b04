"""Each stored field is declared once, in snapshot/model.py: the tables take their columns (and
real types) from the dataclasses, rows load back through one loader with NULL → the field's
default, writers keep only declared fields, and the crawler's items are the same records."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime

import pytest
from sqlalchemy import BigInteger, Boolean, Date, Float, Integer, MetaData, Table, insert

from crawler import items as it
from crawler import outcomes as crawler_outcomes
from snapshot import model
from snapshot import outcomes
from snapshot.store import Store, complete, declared_columns, documents, links, stored_values
from snapshot.types import Id, Json, Moment, Str, Txt, sql

TABLES = {"runs": model.RunInfo, "columns": model.Column, "entries": model.Entry,
          "documents": model.Document, "links": model.Link, "fetches": model.Fetch,
          "attachments": model.Attachment, "probes": model.Probe}


@pytest.mark.parametrize("table", TABLES)
def test_every_field_of_the_model_is_a_column_of_its_table(table):
    from snapshot.store import metadata
    columns = metadata.tables[table].c
    for f in fields(TABLES[table]):
        assert f.name in columns, f"{TABLES[table].__name__}.{f.name} has no column"


def test_types_come_from_the_annotations_and_sql_metadata():
    @dataclass
    class Sample:
        name: str = field(metadata=sql(nullable=False))
        code: str = field(default="", metadata=sql(Str(16)))
        count: int = 0
        big: int | None = field(default=None, metadata=sql(Id))
        flag: bool = False
        ratio: float | None = None
        day: date | None = None
        at: datetime | None = None
        seen: dict[str, int] = field(default_factory=dict)
        rows: list[list[str]] = field(default_factory=list)

    table = Table("sample", MetaData(), *declared_columns(Sample))
    c = table.c
    assert isinstance(c.name.type, Txt) and not c.name.nullable
    assert isinstance(c.code.type, Str) and c.code.type.length == 16 and c.code.nullable
    assert isinstance(c.count.type, Integer) and c.count.default.arg == 0
    assert c.big.type is Id and isinstance(c.big.type, BigInteger)
    assert isinstance(c.flag.type, Boolean) and isinstance(c.ratio.type, Float)
    assert isinstance(c.day.type, Date) and isinstance(c.at.type, Moment)
    assert isinstance(c.seen.type, Json) and isinstance(c.rows.type, Json)


def test_a_field_without_a_column_type_is_refused():
    @dataclass
    class Odd:
        pair: tuple[int, int] = (0, 0)

    with pytest.raises(TypeError, match="pair|tuple"):
        declared_columns(Odd)


def test_null_loads_as_the_fields_default(tmp_path):
    """Rows written by hand (an old release, another tool) with NULLs: the snapshot holds the
    defaults, never None where a text or a list is promised."""
    store = Store(tmp_path / "z.db")
    run = store.create_run("http://a.gov.cn/")
    with store.engine.begin() as conn:
        conn.execute(insert(documents).values(run_id=run, url="http://a.gov.cn/1.html", title=None,
                                              status=None, fields=None, tables=None, text=None,
                                              has_meta_block=None))
        conn.execute(insert(links).values(run_id=run, from_url="http://a.gov.cn/",
                                          to_url="http://a.gov.cn/x", text=None, kind=None,
                                          status=None))
    snap = store.load(run)
    [doc] = snap.documents
    assert (doc.title, doc.status, doc.fields, doc.tables, doc.text, doc.has_meta_block) == \
        ("", "ok", {}, [], "", False)
    assert doc.column_id is None
    [ln] = snap.links
    assert (ln.text, ln.kind, ln.status) == ("", "link", "")


def test_complete_fills_what_a_writer_left_out():
    row = complete(model.Entry, {"url": "http://a.gov.cn/1.html", "title": None, "date": None})
    assert row == {"column_id": None, "title": "", "url": "http://a.gov.cn/1.html", "date": None,
                   "page": 1, "position": 0, "related": []}


def test_writers_keep_only_declared_fields(tmp_path):
    item = it.DocumentItem(url="http://a.gov.cn/1.html", column_url="http://a.gov.cn/zcwj/",
                           title="通知", links=[{"to_url": "http://a.gov.cn/x"}])
    values = stored_values(model.Document, item)
    assert "links" not in values and "column_url" not in values and values["title"] == "通知"
    assert stored_values(model.Fetch, {"url": "u", "role": "list", "outcome": "ok", "junk": 1}) == \
        {"url": "u", "role": "list", "outcome": "ok"}

    store = Store(tmp_path / "z.db")
    run = store.create_run("http://a.gov.cn/")
    store.add_document(run, item)            # the item itself: its extra fields are not stored
    store.add_fetch(run, it.FetchItem(url="http://a.gov.cn/", role="homepage", outcome="ok",
                                      status=200, elapsed=0.5))
    snap = store.load(run)
    assert snap.documents[0].title == "通知" and snap.documents[0].url == item.url
    assert snap.fetches == [model.Fetch(url="http://a.gov.cn/", role="homepage", outcome="ok",
                                        status=200, elapsed=0.5)]


def test_items_that_are_records_reuse_the_model():
    assert it.FetchItem is model.Fetch and it.AttachmentItem is model.Attachment
    assert issubclass(it.DocumentItem, model.Document)
    own = {f.name for f in fields(it.DocumentItem)} - {f.name for f in fields(model.Document)}
    assert own == {"column_url", "links"}


def test_one_outcome_taxonomy():
    assert crawler_outcomes.LABELS is outcomes.LABELS is model.OUTCOME_LABELS
    assert crawler_outcomes.link_verdict is outcomes.link_verdict
    assert model.OK == crawler_outcomes.OK == outcomes.OK
    # Every outcome the crawler records has Chinese wording for the reports.
    assert all(outcomes.label(o) != o for o in outcomes.OUTCOMES)
    assert outcomes.is_transient("503") and outcomes.is_transient("timeout")
    assert not outcomes.is_transient("404") and not outcomes.is_transient("521")
