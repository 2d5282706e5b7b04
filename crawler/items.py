"""Items the spider yields: observations only. `SnapshotPipeline` stores them.

Columns are keyed by their URL (the spider never sees database ids). Items that are a stored
record reuse snapshot.model's dataclass (its one declaration); the others are crawler events the
pipeline turns into updates.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from snapshot import model


@dataclass
class SiteItem:
    """What the homepage said, or why it could not be read."""
    homepage_outcome: str
    homepage_error: str = ""
    name: str = ""
    section_url: str = ""
    meta: dict | None = None
    text: str = ""
    homepage_seen: str = ""         # how its entries were seen (snapshot.model.HOMEPAGE_SEEN)


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
class DocumentItem(model.Document):
    """A fetched document: the stored record (snapshot.model.Document), with its column by URL
    (the pipeline looks up the id) and the links on its page, stored as links from it."""
    column_url: str | None = None
    links: list[dict] = field(default_factory=list)   # {to_url, text, kind}


# A document's attachment file as fetched and read (text for the privacy and 年报 rules), and one
# request's outcome: the stored records themselves.
AttachmentItem = model.Attachment
FetchItem = model.Fetch


@dataclass
class RelatedItem:
    """Relations found on a page fetched for a document (e.g. its iframe sidebar)."""
    document_url: str
    interpretations: list[str] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
