"""Which documents of a column are fetched (issue 7.4): every entry dated within the last
`months` months of the as-of date, and at least the `minimum` first-listed entries (lists are
newest first on nearly every site; an undated or older entry counts toward the minimum). 解读 and
年报 columns are fetched whole: their rules pair documents across years.

A pure decision over entries as list pages arrive, in whatever order they come; the spider only
asks it. Settings: ZWGK_DOCS_MONTHS, ZWGK_DOCS_MIN, ZWGK_DOCS_COLUMNS ({栏目名: {"months": …,
"min": …}}, from the config's per-column overrides), ZWGK_AS_OF (ISO date; default today).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

MONTHS = 12
MINIMUM = 50
# Columns whose every document is fetched: 解读/policy pairs and 年报 span years.
UNBOUNDED = frozenset({"interpretation", "annual_report"})


@dataclass(frozen=True)
class Bound:
    months: int = MONTHS
    minimum: int = MINIMUM

    def describe(self) -> str:
        return f"近{self.months}个月内的全部文档，且不少于最新{self.minimum}篇"


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (clamped to that month's last day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass
class DocumentSampler:
    as_of: date
    default: Bound = field(default_factory=Bound)
    per_column: dict[str, Bound] = field(default_factory=dict)   # column name -> bound
    taken: dict[str, int] = field(default_factory=dict)          # column url -> documents asked
    seen: dict[str, set[str]] = field(default_factory=dict)      # column url -> entry urls judged

    @classmethod
    def from_settings(cls, settings, today: date) -> "DocumentSampler":
        as_of = settings.get("ZWGK_AS_OF") or None
        default = Bound(settings.getint("ZWGK_DOCS_MONTHS", MONTHS), settings.getint("ZWGK_DOCS_MIN", MINIMUM))
        per_column = {str(name).strip(): Bound(int(spec.get("months", default.months)),
                                               int(spec.get("min", default.minimum)))
                      for name, spec in (settings.getdict("ZWGK_DOCS_COLUMNS") or {}).items()}
        return cls(date.fromisoformat(str(as_of)) if as_of else today, default, per_column)

    def bound(self, name: str, category: str | None) -> Bound | None:
        """The column's bound, or None when every document is fetched."""
        if category in UNBOUNDED:
            return None
        return self.per_column.get((name or "").strip(), self.default)

    def take(self, column_url: str, name: str, category: str | None, entries) -> list:
        """The entries (with `.url`, `.date`) of one list page whose documents to fetch now."""
        bound = self.bound(name, category)
        seen = self.seen.setdefault(column_url, set())
        out = []
        for entry in entries:
            if entry.url in seen:
                continue            # a pinned entry repeated on every page counts once
            seen.add(entry.url)
            if bound is None or wanted(entry.date, self.taken.get(column_url, 0), bound, self.as_of):
                self.taken[column_url] = self.taken.get(column_url, 0) + 1
                out.append(entry)
        return out


def wanted(entry_date: date | None, taken: int, bound: Bound, as_of: date) -> bool:
    """Fetch this entry's document: it is dated within the window, or the minimum is not met yet."""
    in_window = entry_date is not None and bound.months > 0 and \
        entry_date >= months_before(as_of, bound.months)
    return in_window or taken < bound.minimum
