"""Items the spider yields: observations only. `SnapshotPipeline` stores them.

Columns are keyed by their URL (the spider never sees database ids).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class SiteItem:
    """What the homepage said, or why it could not be read."""
    homepage_outcome: str
    homepage_error: str = ""
    name: str = ""
    section_url: str = ""
    meta: dict | None = None
    text: str = ""


@dataclass
class ColumnItem:
    """A column found in the disclosure section's tree."""
    url: str
    name: str
    category: str
    parent_url: str | None = None
    seq: int = 0
    status: str | None = None       # set when it is known without fetching (skipped)
    error: str = ""


@dataclass
class ColumnPageItem:
    """One list page of a column was fetched, or failed."""
    column_url: str
    page: int
    outcome: str
    entries: list[dict] = field(default_factory=list)   # {title, url, date, page, position, related}
    first: bool = False             # the column's own page (decides ok / failed / blocked)
    optional: bool = False          # a probed page that may legitimately not exist
    error: str = ""
    rendered: bool = False
    is_page: bool = False
    has_children: bool = False
    empty_marker: bool = False
    text: str = ""                  # main text of a content page
    # Positive evidence that the list is empty: "rendered" (a browser rendering shows no entries),
    # "endpoint" (the list endpoint answered zero records), "marker" (the page says 暂无信息 and
    # holds no script that could fill it), or "" (none: the column is 未能确认, never empty).
    evidence: str = ""
    # Every link a reader can follow on this list page ({to_url, text, kind}), stored as links
    # from `url` (the page's own URL; the column's page when the list came from an endpoint).
    links: list[dict] = field(default_factory=list)
    url: str = ""


@dataclass
class HomepageEntriesItem:
    entries: list[dict]


@dataclass
class DocumentItem:
    url: str
    column_url: str | None
    status: str = "ok"
    title: str = ""
    fields: dict = field(default_factory=dict)
    has_meta_block: bool = False
    meta: dict = field(default_factory=dict)
    interpretations: list[str] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    text_digest: str = ""
    text: str = ""
    tables: list = field(default_factory=list)
    links: list[dict] = field(default_factory=list)   # {to_url, text, kind}


@dataclass
class AttachmentItem:
    """A document's attachment file as fetched and read (text for the privacy and 年报 rules)."""
    url: str
    document_url: str
    status: str = "ok"
    kind: str = ""
    size: int | None = None
    text: str = ""
    tables: list = field(default_factory=list)
    error: str = ""


@dataclass
class RelatedItem:
    """Relations found on a page fetched for a document (e.g. its iframe sidebar)."""
    document_url: str
    interpretations: list[str] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)


@dataclass
class FetchItem:
    url: str
    role: str
    outcome: str
    status: int | None = None
    error: str = ""
    elapsed: float | None = None
    rendered: bool = False


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
