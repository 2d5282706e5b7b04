"""Item pipeline: writes the spider's observations into the snapshot store as they arrive,
so that a run killed half-way keeps everything it had seen."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from snapshot import model
from snapshot.store import Store

from . import items as it
from .outcomes import OK, label


@dataclass
class ColumnReading:
    """What the list pages of one column have shown so far, in this crawl."""
    first: str = ""             # outcome of its first page; "" while that page has not come
    first_error: str = ""
    entries: int = 0
    evidence: str = ""          # the first positive evidence of emptiness any page brought
    rendered: bool = False
    is_page: bool = False
    has_children: bool = False
    empty_marker: bool = False
    later_failed: bool = False


def column_verdict(r: ColumnReading) -> dict | None:
    """The column's stored status, error and evidence from what its pages showed; None while its
    first page has not come (it stays pending). A list read with no entries is ok only with
    positive evidence that it is empty; otherwise it is 未能确认, never empty."""
    if not r.first:
        return None
    if r.first != OK:
        status = model.COLUMN_BLOCKED if r.first in ("blocked", "robots") else model.COLUMN_FAILED
        return {"status": status, "error": r.first_error or label(r.first), "evidence": ""}
    if r.entries or r.is_page or r.has_children:
        return {"status": model.COLUMN_OK, "error": "", "evidence": ""}
    if r.evidence:
        return {"status": model.COLUMN_OK, "error": "", "evidence": r.evidence}
    if r.empty_marker:
        why = "页面显示“暂无信息”，但含可能填充列表的脚本，未能确认栏目为空"
    elif r.rendered:
        why = "浏览器渲染后未读到列表条目，也未能确认栏目为空"
    else:
        why = "未读到列表条目，也未见“暂无信息”等提示（列表可能由脚本生成，未能在浏览器中确认）"
    if r.later_failed:
        why += "；后续列表页或列表接口未能抓取"
    return {"status": model.COLUMN_UNVERIFIED, "error": why, "evidence": ""}


class SnapshotPipeline:
    # Documents, links, fetches and column updates are written in batches (Store.add_batch): one
    # transaction per item was a fifth of a crawl's CPU. Nothing reads them before the crawl
    # closes, which flushes; a kill -9 loses at most a batch of a run that is then set aside as
    # interrupted and crawled again.
    FLUSH_AT = 200          # buffered rows (a document counts 4)

    def __init__(self, store_url: str, run_id: int):
        self.store = Store(store_url)
        self.run_id = run_id
        self.column_ids: dict[str, int] = {}
        self.readings: dict[str, ColumnReading] = {}
        self.pages: Counter[str] = Counter()
        self.partial: set[str] = set()
        self.errors: Counter[str] = Counter()
        self.fetched = 0
        self.link_pairs: set[int] = set()   # hashes of (from_url, to_url) stored in this run
        self._docs: list = []
        self._links: list[dict] = []
        self._fetches: list = []
        self._columns: dict[int, dict] = {}
        self._entries: list[tuple[int | None, list[dict]]] = []
        self._buffered = 0

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        pipeline = cls(s.get("ZWGK_STORE"), s.getint("ZWGK_RUN_ID"))
        pipeline.stats = crawler.stats
        return pipeline

    def process_item(self, item, spider=None):
        handler = getattr(self, "_" + type(item).__name__, None)
        if handler is None:
            raise TypeError(f"unknown item {type(item).__name__}")
        handler(item)
        if self._buffered >= self.FLUSH_AT:
            self.flush()
        return item

    def flush(self) -> None:
        if self._buffered or self._columns:
            self.store.add_batch(self.run_id, document_rows=self._docs, link_rows=self._links,
                                 fetch_rows=self._fetches, column_values=self._columns,
                                 entry_rows=self._entries)
        self._docs, self._links, self._fetches, self._columns, self._entries = [], [], [], {}, []
        self._buffered = 0

    def _add_entries(self, cid: int | None, rows: list[dict]) -> None:
        if rows:
            self._entries.append((cid, rows))
            self._buffered += len(rows)

    def _update_column(self, cid: int, now: bool = False, **values) -> None:
        self._columns[cid] = {**self._columns.get(cid, {}), **values}
        self._buffered += 1
        if now:     # with whatever this column had buffered, so that nothing overtakes it
            self.store.update_column(cid, **self._columns.pop(cid))

    def _SiteItem(self, item: it.SiteItem):
        values = {"homepage_outcome": item.homepage_outcome, "homepage_error": item.homepage_error}
        if item.name:
            values["site_name"] = item.name
        if item.section_url:
            values["section_url"] = item.section_url
        if item.meta is not None:
            values["homepage_meta"] = item.meta
        if item.text:
            values["homepage_text"] = item.text
        if item.homepage_seen:
            values["homepage_seen"] = item.homepage_seen
        self.store.update_run(self.run_id, **values)

    def _ColumnItem(self, item: it.ColumnItem):
        parent = self.column_ids.get(item.parent_url) if item.parent_url else None
        cid = self.store.add_column(self.run_id, name=item.name, url=item.url,
                                    category=item.category, parent_id=parent, seq=item.seq)
        self.column_ids[item.url] = cid
        # Pending until its first page is read: a crash or a kill never leaves an "empty" column.
        self._update_column(cid, now=True, status=item.status or model.COLUMN_PENDING,
                            error=item.error or ("" if item.status else "未完成抓取"))
        if parent is not None:
            values = {"has_children": True}
            reading = self.readings.setdefault(item.parent_url, ColumnReading())
            reading.has_children = True         # a parent is not 未能确认 for having no entries
            values.update(column_verdict(reading) or {})
            self._update_column(parent, **values)

    def _ColumnPageItem(self, item: it.ColumnPageItem):
        cid = self.column_ids.get(item.column_url)
        if cid is None:
            return
        r = self.readings.setdefault(item.column_url, ColumnReading())
        values: dict = {}
        if item.outcome == OK:
            self.pages[item.column_url] += 1
            values["pages"] = self.pages[item.column_url]
            if item.rendered:
                values["rendered"] = r.rendered = True
            if item.first:
                r.first, r.is_page, r.empty_marker = OK, item.is_page, item.empty_marker
                r.has_children = r.has_children or item.has_children
                values.update(is_page=item.is_page, empty_marker=item.empty_marker, text=item.text)
                if item.has_children:
                    values["has_children"] = True
            # Any page may bring entries or evidence: an endpoint found on a script-built first
            # page answers later, and upgrades the column from 未能确认.
            r.entries += len(item.entries)
            if item.evidence in model.EVIDENCE and not r.evidence:
                r.evidence = item.evidence
            self._add_entries(cid, item.entries)
            self._add_links(item.url or item.column_url, item.links)
        elif item.first:
            if r.first != OK:
                r.first, r.first_error = item.outcome, item.error or label(item.outcome)
        elif not item.optional:
            values["partial"] = r.later_failed = True
        values.update(column_verdict(r) or {})
        if values:
            self._update_column(cid, **values)

    def _HomepageEntriesItem(self, item: it.HomepageEntriesItem):
        self._add_entries(None, item.entries)

    def _DocumentItem(self, item: it.DocumentItem):
        # The stored record is the item's model.Document part, with its column's id.
        item.column_id = self.column_ids.get(item.column_url)
        self._docs.append(item)
        self._buffered += 4
        self._add_links(item.url, item.links)

    def _add_links(self, from_url: str, links: list[dict]) -> None:
        """Each (page, target) once per run: list pages are read again on a resumed or
        re-rendered crawl, and the link check judges targets, not rows."""
        rows = []
        for ln in links:
            key = hash((from_url, ln["to_url"]))
            if key not in self.link_pairs:
                self.link_pairs.add(key)
                rows.append({"from_url": from_url, **ln})
        self._links.extend(rows)
        self._buffered += len(rows)

    def _Attachment(self, item: it.AttachmentItem):
        self.store.add_attachment(self.run_id, item)

    def _RelatedItem(self, item: it.RelatedItem):
        self.flush()        # the document it adds to may still be in the buffer
        self.store.merge_document_relations(self.run_id, item.document_url,
                                            item.interpretations, item.policies)

    def _Fetch(self, item: it.FetchItem):
        self.fetched += 1
        if item.outcome != OK:
            self.errors[item.outcome] += 1
        self._fetches.append(item)
        self._buffered += 1

    def close_spider(self, spider=None):
        self.flush()
        # The final say on each column, from the entries the store actually holds.
        counts = self.store.entry_counts(self.run_id)
        for url, r in self.readings.items():
            cid = self.column_ids.get(url)
            if cid is not None and r.first:
                r.entries = counts.get(cid, 0)
                self.store.update_column(cid, **column_verdict(r))
        # Faults the retries overcame are named too (retried_http_5xx …): a night's 503 bursts
        # leave no finding, but the office should see them.
        from crawler.retry import RETRIED
        stats = getattr(self, "stats", None)
        for key, n in (stats.get_stats() if stats is not None else {}).items():
            if key.startswith(RETRIED) and n:
                self.errors["retried_" + key[len(RETRIED):]] += n
        self.store.update_run(self.run_id, pages=self.fetched, errors=dict(self.errors))
