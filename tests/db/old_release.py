"""The previous release's store schema (zwgk 0.1, before migrations), frozen as its create_all
made it: a fixture for upgrade tests. Do not edit: it stands for databases already out there."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON, Boolean, Column as Col, Date, DateTime, Float, ForeignKey, Index, Integer, MetaData,
    String, Table, Text, UniqueConstraint, create_engine, insert,
)

metadata = MetaData()

runs = Table(
    "runs", metadata,
    Col("id", Integer, primary_key=True),
    Col("site_url", Text, nullable=False),
    Col("site_name", Text, default=""),
    Col("kind", String(16), default="auto"),
    Col("started", DateTime),
    Col("finished", DateTime),
    Col("as_of", Date),
    Col("pages", Integer, default=0),
    Col("cut_short", Boolean, default=False),
    Col("errors", JSON, default=dict),
    Col("homepage_outcome", String(32), default=""),
    Col("homepage_error", Text, default=""),
    Col("section_url", Text, default=""),
    Col("render", String(16), default="auto"),
    Col("homepage_meta", JSON, default=dict),
    Col("homepage_text", Text, default=""),
    Col("state", String(16), default="crawling"),   # crawling | crawled | audited
)

columns = Table(
    "columns", metadata,
    Col("id", Integer, primary_key=True),
    Col("run_id", ForeignKey("runs.id"), nullable=False, index=True),
    Col("parent_id", Integer),
    Col("name", Text, nullable=False),
    Col("url", Text, nullable=False),
    Col("category", String(32), nullable=False),
    Col("status", String(16), default="ok"),
    Col("error", Text, default=""),
    Col("pages", Integer, default=0),
    Col("rendered", Boolean, default=False),
    Col("is_page", Boolean, default=False),
    Col("has_children", Boolean, default=False),
    Col("empty_marker", Boolean, default=False),
    Col("partial", Boolean, default=False),
    Col("seq", Integer, default=0),
    Col("text", Text, default=""),
    UniqueConstraint("run_id", "url"),
)

entries = Table(
    "entries", metadata,
    Col("id", Integer, primary_key=True),
    Col("run_id", ForeignKey("runs.id"), nullable=False, index=True),
    Col("column_id", Integer),          # NULL: listed on the homepage
    Col("title", Text, default=""),
    Col("url", Text, nullable=False),
    Col("date", Date),
    Col("page", Integer, default=1),
    Col("position", Integer, default=0),
    Col("related", JSON, default=list),
    UniqueConstraint("run_id", "column_id", "url"),
)

documents = Table(
    "documents", metadata,
    Col("id", Integer, primary_key=True),
    Col("run_id", ForeignKey("runs.id"), nullable=False, index=True),
    Col("column_id", Integer),
    Col("url", Text, nullable=False),
    Col("title", Text, default=""),
    Col("status", String(32), default="ok"),
    Col("fields", JSON, default=dict),
    Col("has_meta_block", Boolean, default=False),
    Col("meta", JSON, default=dict),
    Col("interpretations", JSON, default=list),
    Col("policies", JSON, default=list),
    Col("attachments", JSON, default=list),
    Col("text_digest", String(64), default=""),
    Col("text", Text, default=""),
    Col("tables", JSON, default=list),
    UniqueConstraint("run_id", "url"),
)

links = Table(
    "links", metadata,
    Col("id", Integer, primary_key=True),
    Col("run_id", ForeignKey("runs.id"), nullable=False, index=True),
    Col("from_url", Text, nullable=False),
    Col("to_url", Text, nullable=False),
    Col("text", Text, default=""),
    Col("kind", String(16), default="link"),
    Col("status", String(32), default=""),
    # The link checker updates statuses by (run, target): keep that lookup indexed.
    Index("ix_links_run_to", "run_id", "to_url"),
)

fetches = Table(
    "fetches", metadata,
    Col("id", Integer, primary_key=True),
    Col("run_id", ForeignKey("runs.id"), nullable=False, index=True),
    Col("url", Text, nullable=False),
    Col("role", String(16), default="other"),
    Col("outcome", String(32), nullable=False),
    Col("status", Integer),
    Col("error", Text, default=""),
    Col("elapsed", Float),
    Col("rendered", Boolean, default=False),
)

attachments = Table(
    "attachments", metadata,
    Col("id", Integer, primary_key=True),
    Col("run_id", ForeignKey("runs.id"), nullable=False, index=True),
    Col("document_url", Text, nullable=False),
    Col("url", Text, nullable=False),
    Col("status", String(32), default="ok"),
    Col("kind", String(16), default=""),
    Col("size", Integer),
    Col("text", Text, default=""),
    Col("tables", JSON, default=list),
    Col("error", Text, default=""),
    UniqueConstraint("run_id", "url"),
)

# Availability probes are per site, not per run: `run` judges the last 7 days of them.
probes = Table(
    "probes", metadata,
    Col("id", Integer, primary_key=True),
    Col("site_url", Text, nullable=False, index=True),
    Col("at", DateTime, nullable=False),
    Col("outcome", String(32), nullable=False),
    Col("elapsed", Float),
)

findings = Table(
    "findings", metadata,
    Col("id", Integer, primary_key=True),
    Col("run_id", ForeignKey("runs.id"), nullable=False, index=True),
    Col("rule_id", String(64), nullable=False),
    Col("severity", String(16), nullable=False),
    Col("column", Text, default=""),
    Col("url", Text, default=""),
    Col("target", Text, default=""),
    Col("title", Text, default=""),
    Col("detail", Text, default=""),
    Col("status", String(16), default="new"),
)


STARTED = datetime(2026, 10, 1, 20, 30, 5, 123456)     # naive China Standard Time, as stored then


def make_old_database(url: str) -> int:
    """A database as zwgk 0.1 left it: its tables, no alembic_version, one audited run with a
    row in every table. Returns the run's id."""
    engine = create_engine(url)
    metadata.create_all(engine)
    with engine.begin() as conn:
        run_id = conn.execute(insert(runs).values(
            site_url="http://old.example.gov.cn/", site_name="旧版示例网站", kind="department",
            started=STARTED, finished=datetime(2026, 10, 1, 20, 41), as_of=date(2026, 10, 2),
            pages=7, cut_short=False, errors={"timeout": 2}, homepage_outcome="ok",
            section_url="http://old.example.gov.cn/zwgk/", render="never",
            homepage_meta={"SiteName": "旧版示例网站"}, homepage_text="首页 政务公开",
            state="audited")).inserted_primary_key[0]
        col = conn.execute(insert(columns).values(
            run_id=run_id, name="政策文件", url="http://old.example.gov.cn/zwgk/zcwj/",
            category="policy", status="ok", pages=2, seq=1, text="政策文件 列表")).inserted_primary_key[0]
        conn.execute(insert(entries).values(
            run_id=run_id, column_id=col, title="关于印发某办法的通知",
            url="http://old.example.gov.cn/zwgk/zcwj/1.html", date=date(2026, 9, 30), page=1,
            position=0, related=["http://old.example.gov.cn/jd/1.html"]))
        conn.execute(insert(documents).values(
            run_id=run_id, column_id=col, url="http://old.example.gov.cn/zwgk/zcwj/1.html",
            title="关于印发某办法的通知", status="ok",
            fields={"title": "关于印发某办法的通知", "published": "2026-09-30", "doc_no": "某发〔2026〕1号"},
            has_meta_block=True, meta={"ArticleTitle": "关于印发某办法的通知"},
            interpretations=["http://old.example.gov.cn/jd/1.html"], policies=[],
            attachments=["http://old.example.gov.cn/f/1.pdf"], text_digest="ab" * 32,
            text="第一条 为了……", tables=[[["序号", "名称"], ["1", "办法"]]]))
        conn.execute(insert(links).values(
            run_id=run_id, from_url="http://old.example.gov.cn/", to_url="http://old.example.gov.cn/x",
            text="死链", kind="link", status="http_4xx"))
        conn.execute(insert(fetches).values(
            run_id=run_id, url="http://old.example.gov.cn/", role="homepage", outcome="ok", status=200,
            elapsed=0.25, rendered=False))
        conn.execute(insert(attachments).values(
            run_id=run_id, document_url="http://old.example.gov.cn/zwgk/zcwj/1.html",
            url="http://old.example.gov.cn/f/1.pdf", status="ok", kind="pdf", size=12345,
            text="附件正文", tables=[]))
        conn.execute(insert(probes).values(
            site_url="http://old.example.gov.cn/", at=datetime(2026, 9, 29, 8, 0), outcome="ok",
            elapsed=0.1))
        conn.execute(insert(findings).values(
            run_id=run_id, rule_id="link.broken", severity="deduct", column="政策文件",
            url="http://old.example.gov.cn/", target="http://old.example.gov.cn/x",
            title="首页", detail="链接打不开（404）", status="new"))
    engine.dispose()
    return run_id
