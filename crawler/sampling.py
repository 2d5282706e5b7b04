"""Which documents of a column are fetched (issue 7.4): every entry dated within the last
`months` months of the as-of date, and at least the `minimum` first-listed entries (lists are
newest first on nearly every site; an undated or older entry counts toward the minimum). 解读 and
年报 columns are fetched whole: their rules pair documents across years.

The chosen set is a pure function of the column's complete list (`choose`), whatever order its
list pages answer in: an entry dated within the window is fetched as soon as it is seen, and so
are the first entries of the column's first page; "the first `minimum` listed" beyond those is
decided once every list page of the column has answered (`ColumnList`), in list order — the
first page, then the pages it links to, in the order its pager names them (breadth first). A
nightly run that compared two crawls of an unchanged site would otherwise see findings come and go.
Settings: ZWGK_DOCS_MONTHS, ZWGK_DOCS_MIN, ZWGK_DOCS_COLUMNS ({栏目名: {"months": …,
"min": …}}, from the config's per-column overrides), ZWGK_AS_OF (ISO date; default today).
"""
from __future__ import annotations

import calendar
from collections import deque
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
    lists: dict[str, "ColumnList"] = field(default_factory=dict)  # column url -> its list so far

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

    # ---- the spider's interface: list pages answer in any order ----
    def column(self, column_url: str, name: str = "", category: str | None = None) -> "ColumnList":
        if column_url not in self.lists:
            self.lists[column_url] = ColumnList(self.bound(name, category), self.as_of, column_url)
        return self.lists[column_url]

    def expect(self, column_url: str) -> None:
        """A list page of the column was requested: its answer (or failure) will come."""
        self.column(column_url).pending += 1

    def page(self, column_url: str, name: str, category: str | None, key: str, entries,
             next_keys=()) -> list:
        """A list page answered (`key` names it; `next_keys` name the pages its pager links to,
        in order): the entries whose documents to fetch now."""
        col = self.column(column_url, name, category)
        col.bound = self.bound(name, category)      # expect() may have made it without a name
        col.add(key, entries, next_keys)
        col.pending = max(0, col.pending - 1)
        return col.due()

    def failed(self, column_url: str) -> list:
        """A list page of the column failed or was dropped: nothing to add, one less to wait for."""
        col = self.column(column_url)
        col.pending = max(0, col.pending - 1)
        return col.due()

    def flush(self) -> dict[str, list]:
        """The crawl has nothing else to do (spider idle): decide every column still waiting on a
        page whose answer will never come (a request dropped without a callback)."""
        out = {}
        for url, col in self.lists.items():
            col.pending = 0
            if due := col.due():
                out[url] = due
        return out

    # ---- pages in list order (one reading, e.g. the fixture generator's truth) ----
    def take(self, column_url: str, name: str, category: str | None, entries) -> list:
        """The entries (with `.url`, `.date`) of one list page whose documents to fetch now,
        the column's pages given in list order."""
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
    return in_window(entry_date, bound, as_of) or taken < bound.minimum


def in_window(entry_date: date | None, bound: Bound, as_of: date) -> bool:
    return entry_date is not None and bound.months > 0 and entry_date >= months_before(as_of, bound.months)


def choose(listing, bound: Bound | None, as_of: date) -> list:
    """The entries of a column's complete list (in list order) whose documents are fetched: every
    one dated within the window, and the first `bound.minimum` distinct ones. Pure."""
    out, seen = [], set()
    for entry in listing:
        if entry.url in seen:
            continue            # a pinned entry repeated on every page counts once
        seen.add(entry.url)
        if bound is None or wanted(entry.date, len(seen) - 1, bound, as_of):
            out.append(entry)
    return out


@dataclass
class ColumnList:
    """One column's list pages as they answer, and the documents already asked for."""
    bound: Bound | None
    as_of: date
    first: str                                                  # the column page's key
    pending: int = 0                                            # list pages asked, not answered
    pages: dict[str, list] = field(default_factory=dict)        # page key -> entries
    links: dict[str, list[str]] = field(default_factory=dict)   # page key -> pager's page keys
    asked: set[str] = field(default_factory=set)                # entry urls already due
    fresh: list = field(default_factory=list)                   # entries added since due()

    def add(self, key: str, entries, next_keys=()) -> None:
        self.pages.setdefault(key, []).extend(entries)   # a page read twice (then rendered) adds
        self.fresh.extend(entries)
        known = self.links.setdefault(key, [])
        known.extend(k for k in next_keys if k not in known)

    def listing(self) -> list:
        """Entries in list order: the first page, then pages breadth first in their pagers' order
        (pages reached otherwise last, by key) — the same whatever order the answers came in."""
        order, queue, placed = [], deque([self.first]), {self.first}
        while queue:
            key = queue.popleft()
            order.append(key)
            for nxt in self.links.get(key, ()):
                if nxt not in placed:
                    placed.add(nxt)
                    queue.append(nxt)
        order += sorted(k for k in self.pages if k not in placed)
        return [e for k in order for e in self.pages.get(k, ())]

    def due(self) -> list:
        """Entries to fetch now and not asked before. Before the list is complete, only what no
        later page can change: entries dated in the window, and the first page's first entries."""
        if self.pending > 0:    # only new entries can be newly in the window: no rescans
            early = choose(self.pages.get(self.first, ()), self.bound, self.as_of)
            later = [e for e in self.fresh if self.bound is None or in_window(e.date, self.bound, self.as_of)]
            candidates = early + later
        else:
            candidates = choose(self.listing(), self.bound, self.as_of)
        self.fresh = []
        out = []
        for entry in candidates:
            if entry.url not in self.asked:
                self.asked.add(entry.url)
                out.append(entry)
        return out
