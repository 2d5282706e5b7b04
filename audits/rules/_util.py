"""Small helpers shared by rule modules (dates, column lookups, notes)."""
from __future__ import annotations

import calendar as _cal
from datetime import date, timedelta

from audits.calendar import NoCalendarData
from snapshot.model import COLUMN_OK, Column, Entry, Snapshot

STATUS_LABELS = {"failed": "抓取失败", "blocked": "被拦截", "skipped": "未抓取"}


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
    """Only columns whose list was fetched may be judged ("not fetched is not empty")."""
    return column.status == COLUMN_OK


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
        names = "、".join(f"{c.name}（{STATUS_LABELS.get(c.status, c.status)}）" for c in missed)
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
