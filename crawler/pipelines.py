"""Item pipeline: writes the spider's observations into the snapshot store as they arrive,
so that a run killed half-way keeps everything it had seen."""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict

from snapshot import model
from snapshot.store import Store

from . import items as it
from .outcomes import OK, label


class SnapshotPipeline:
    def __init__(self, store_url: str, run_id: int):
        self.store = Store(store_url)
        self.run_id = run_id
        self.column_ids: dict[str, int] = {}
        self.pages: Counter[str] = Counter()
        self.partial: set[str] = set()
        self.errors: Counter[str] = Counter()
        self.fetched = 0

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(s.get("ZWGK_STORE"), s.getint("ZWGK_RUN_ID"))

    def process_item(self, item, spider=None):
        handler = getattr(self, "_" + type(item).__name__, None)
        if handler is None:
            raise TypeError(f"unknown item {type(item).__name__}")
        handler(item)
        return item

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
        self.store.update_run(self.run_id, **values)

    def _ColumnItem(self, item: it.ColumnItem):
        parent = self.column_ids.get(item.parent_url) if item.parent_url else None
        cid = self.store.add_column(self.run_id, name=item.name, url=item.url,
                                    category=item.category, parent_id=parent, seq=item.seq)
        self.column_ids[item.url] = cid
        # Pending until its first page is read: a crash or a kill never leaves an "empty" column.
        self.store.update_column(cid, status=item.status or model.COLUMN_PENDING,
                                 error=item.error or ("" if item.status else "未完成抓取"))
        if parent is not None:
            self.store.update_column(parent, has_children=True)

    def _ColumnPageItem(self, item: it.ColumnPageItem):
        cid = self.column_ids.get(item.column_url)
        if cid is None:
            return
        values: dict = {}
        if item.outcome == OK:
            self.pages[item.column_url] += 1
            values["pages"] = self.pages[item.column_url]
            if item.rendered:
                values["rendered"] = True
            if item.first:
                values.update(status=model.COLUMN_OK, error="", is_page=item.is_page,
                              empty_marker=item.empty_marker, text=item.text)
                if item.has_children:
                    values["has_children"] = True
            self.store.add_entries(self.run_id, cid, item.entries)
        elif item.first:
            status = model.COLUMN_BLOCKED if item.outcome in ("blocked", "robots") else model.COLUMN_FAILED
            values.update(status=status, error=item.error or label(item.outcome))
        elif not item.optional:
            values["partial"] = True
        if values:
            self.store.update_column(cid, **values)

    def _HomepageEntriesItem(self, item: it.HomepageEntriesItem):
        self.store.add_entries(self.run_id, None, item.entries)

    def _DocumentItem(self, item: it.DocumentItem):
        row = asdict(item)
        links = row.pop("links")
        row["column_id"] = self.column_ids.get(row.pop("column_url"))
        self.store.add_document(self.run_id, row)
        self.store.add_links(self.run_id, [{"from_url": item.url, **ln} for ln in links])

    def _AttachmentItem(self, item: it.AttachmentItem):
        self.store.add_attachment(self.run_id, asdict(item))

    def _RelatedItem(self, item: it.RelatedItem):
        self.store.merge_document_relations(self.run_id, item.document_url,
                                            item.interpretations, item.policies)

    def _FetchItem(self, item: it.FetchItem):
        self.fetched += 1
        if item.outcome != OK:
            self.errors[item.outcome] += 1
        self.store.add_fetch(self.run_id, asdict(item))

    def close_spider(self, spider=None):
        self.store.update_run(self.run_id, pages=self.fetched, errors=dict(self.errors))
