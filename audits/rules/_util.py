"""Small helpers shared by rule modules (dates, column lookups, notes)."""
from __future__ import annotations

import calendar as _cal
import re
from datetime import date, timedelta
from urllib.parse import unquote, urlsplit

from audits.calendar import NoCalendarData
from snapshot.model import (
    COLUMN_BLOCKED, COLUMN_FAILED, COLUMN_OK, COLUMN_PENDING, COLUMN_SKIPPED, COLUMN_STATUS_LABELS,
    COLUMN_UNVERIFIED,
    OK, OUTCOME_LABELS, Column, Document, Entry, Link, Snapshot,
)


def months_before(d: date, months: int) -> date:
    """The same day `months` calendar months earlier, clamped to the month's end (5-31 − 3 → 2-28)."""
    total = d.year * 12 + d.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(d.day, _cal.monthrange(year, month)[1]))


def cutoff(as_of: date, *, days: int = 0, months: int = 0) -> date:
    """The oldest date still fresh: anything dated before it is stale."""
    return months_before(as_of, months) - timedelta(days=days)


def newest(entries: list[Entry]) -> date | None:
    return max((e.date for e in entries if e.date), default=None)


def entries_by_column(snapshot: Snapshot) -> dict[int | None, list[Entry]]:
    """All entries grouped by column in one pass (Snapshot.column_entries scans every entry)."""
    out: dict[int | None, list[Entry]] = {}
    for e in snapshot.entries:
        out.setdefault(e.column_id, []).append(e)
    return out


def checked(column: Column) -> bool:
    """Only columns whose list was read, with entries or proof of emptiness, may be judged
    ("not fetched is not empty"; failed, blocked, skipped, pending and 未能确认 are not)."""
    return column.status == COLUMN_OK


def seen_empty_or_filled(column: Column, entries: list[Entry]) -> bool:
    """Whether what the column holds is known: checked, and entries were read from its list, or
    its emptiness is proven (Column.evidence), or it is a content page or a parent. A column
    stored ok with neither (an older store) is treated like 未能确认."""
    return checked(column) and bool(entries or column.evidence or column.is_page
                                    or column.has_children)


# Columns whose name says what list or page they are (工作动态, 通知公告, 机构职能 …) hold their
# own entries, not the section's other parts; only a generic one (法定主动公开内容, 公开目录,
# an unclassified name) may hold a 指南 or 年报 among sub-columns we never saw.
CONTAINER_CATEGORIES = ("other", "catalog")


def unread_pages(snapshot: Snapshot) -> list[Column]:
    """Columns whose own page was never read, or read without entries, sub-columns or proof
    (未能确认: a tree a script draws), and that may hold sub-columns (a 年报 under
    法定主动公开内容): while there are any, no rule may say a part of the section is missing."""
    return [c for c in snapshot.columns
            if c.status in (COLUMN_FAILED, COLUMN_BLOCKED, COLUMN_SKIPPED, COLUMN_PENDING,
                            COLUMN_UNVERIFIED)
            and c.category in CONTAINER_CATEGORIES]


def section_unread_note(snapshot: Snapshot, what: str) -> str | None:
    """Why no rule may conclude that a part of the section is missing, or None when it may."""
    if not snapshot.section_read:
        why = OUTCOME_LABELS.get(snapshot.section_failure, snapshot.section_failure)
        return f"信息公开专栏页面未能读取（{why}），未检查{what}"
    missed = unread_pages(snapshot)
    if missed:
        names = "、".join(f"{c.name}（{COLUMN_STATUS_LABELS.get(c.status, c.status)}）" for c in missed)
        return f"以下栏目未能读取，其下级栏目未知，未断定{what}：{names}"
    return None


def in_category(snapshot: Snapshot, *categories: str) -> list[Column]:
    return [c for c in snapshot.columns if c.category in categories]


def name_chain(snapshot: Snapshot, column: Column) -> list[str]:
    """The column's name and its ancestors' names (for "a 规范性文件 column")."""
    names, seen, c = [], set(), column
    while c is not None and c.id not in seen:
        seen.add(c.id)
        names.append(c.name)
        c = snapshot.column(c.parent_id)
    return names


def note_unchecked(ctx, columns: list[Column], what: str) -> None:
    """Say which columns could not be judged, so the reader knows the conclusion is incomplete."""
    missed = [c for c in columns if not checked(c)]
    if missed:
        names = "、".join(f"{c.name}（{COLUMN_STATUS_LABELS.get(c.status, c.status)}）" for c in missed)
        ctx.note(f"以下栏目未能检查，{what}的结论不完整：{names}")


def late_by(ctx, start: date, end: date, limit: int) -> bool | None:
    """Whether `end` is after the `limit`-th working day after `start`; None (with a note) when the
    calendar lacks a year that decides it — never a Monday–Friday guess."""
    if (end - start).days <= limit:
        return False        # fewer calendar days than the limit: cannot be late
    try:
        return end > ctx.calendar.add_workdays(start, limit)
    except NoCalendarData as exc:
        ctx.note(f"{ctx.rule.id}：{exc}")
        return None


# --- what a page showed but we could not read -----------------------------------------------------

# A file a page offers (指南 or 年报 published as PDF/DOC/WPS/OFD, or as an image): by the path's
# extension, a file name in the query (downfile.jsp?filename=x.pdf) or link text ending in one.
_FILE = re.compile(r"\.(pdf|docx?|wps|ofd|xlsx?|et|rtf|zip|rar|jpe?g|png|gif|bmp|tiff?)(?:$|[?#&])", re.I)


def is_file_link(link: Link) -> bool:
    if link.kind == "attachment":
        return True
    parts = urlsplit(link.to_url)
    return bool(_FILE.search(parts.path) or _FILE.search(unquote(parts.query) + "&")
                or _FILE.search((link.text or "").strip() + "&"))


def links_from(snapshot: Snapshot) -> dict[str, list[Link]]:
    """Stored links grouped by the page they were found on (one pass over Snapshot.links)."""
    out: dict[str, list[Link]] = {}
    for ln in snapshot.links:
        out.setdefault(ln.from_url, []).append(ln)
    return out


def unread_attachments(snapshot: Snapshot, doc: Document) -> list[str]:
    """The document's attachment files that were not read into text (failed, oversize, a kind
    no reader takes, never asked for): what they say was not seen."""
    read = {a.url for a in snapshot.attachments if a.document_url == doc.url and a.status == OK}
    return [u for u in doc.attachments if u not in read]


_NEXT_TEXT = re.compile(r"^(下一页|下页|后页|[>›»]|\d{1,2})$")


def continuation_pages(doc_url: str, links: list[Link]) -> list[str]:
    """Later pages of a document split over several (TRS t2024…_123_1.html, page2.html, a 下一页
    link): the document's text beyond its first page was not read."""
    path = urlsplit(doc_url).path
    if path.endswith("/"):
        path += "index.html"        # a folder's page: its later pages are index_1.html …
    stem, dot, ext = path.rpartition(".")
    stem = stem if dot and "/" not in ext else path
    same = re.compile(re.escape(stem) + r"_\d{1,3}" + (r"\.[a-z]{3,5}" if dot else "") + "$")
    out = []
    for ln in links:
        target = urlsplit(ln.to_url).path
        if same.match(target) or (_NEXT_TEXT.match((ln.text or "").strip())
                                  and ln.to_url.split("#")[0] != doc_url.split("#")[0]
                                  and target.rsplit("/", 1)[0] == path.rsplit("/", 1)[0]):
            out.append(ln.to_url)
    return out


def frames_unread(snapshot: Snapshot, links: list[Link]) -> list[str]:
    """Frames a page shows (stored as links of kind "frame") whose page was not read: what they
    hold (gov.cn's 相关解读 sidebar) was not seen."""
    # A frame on another host (a video player, a share widget) is not where a site keeps its
    # relations; one on the page's own host may be.
    frames = [ln.to_url for ln in links if ln.kind == "frame" and _host(ln.to_url) == _host(ln.from_url)]
    if not frames:
        return []
    read = {f.url for f in snapshot.fetches if f.role == "related" and f.outcome == OK}
    return [u for u in frames if u not in read]


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host
