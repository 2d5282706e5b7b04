"""Working days (rules.md, 工作日): the State Council's schedule with 调休 make-up days.

Data comes from the `chinese-calendar` package, extended (or overridden, year by year) by an optional
holiday file for years the package lacks. A year without data raises `NoCalendarData`: a rule then
stays silent for that year and says so — never a Monday–Friday guess.
"""
from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import chinese_calendar


class NoCalendarData(LookupError):
    """No holiday schedule is known for `year`."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"缺少{year}年的节假日安排数据（可在配置的 holidays 中补充），涉及该年的工作日期限未判断")


def _as_date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{where}: 日期应为 YYYY-MM-DD，实为 {value!r}") from None


def parse_extra(data: Any) -> dict[int, tuple[frozenset[date], frozenset[date]]]:
    """`{year: {holidays: [dates], workdays: [dates]}}` → year → (holidays, workdays).

    Raises ValueError with the path of the bad key, e.g. ``holidays.2027.workdays[1]: …``.
    """
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError("holidays: 应为 {年份: {holidays: [...], workdays: [...]}}")
    out: dict[int, tuple[frozenset[date], frozenset[date]]] = {}
    for key, spec in data.items():
        where = f"holidays.{key}"
        try:
            year = int(key)
        except (TypeError, ValueError):
            raise ValueError(f"{where}: 年份应为四位数字") from None
        if not isinstance(spec, dict):
            raise ValueError(f"{where}: 应为 {{holidays: [...], workdays: [...]}}")
        unknown = set(spec) - {"holidays", "workdays"}
        if unknown:
            raise ValueError(f"{where}.{sorted(map(str, unknown))[0]}: 未知配置项（只允许 holidays、workdays）")
        sets = []
        for part in ("holidays", "workdays"):
            items = spec.get(part) or []
            if not isinstance(items, list):
                raise ValueError(f"{where}.{part}: 应为日期列表")
            days = set()
            for i, raw in enumerate(items):
                d = _as_date(raw, f"{where}.{part}[{i}]")
                if d.year != year:
                    raise ValueError(f"{where}.{part}[{i}]: {d} 不在{year}年")
                days.add(d)
            sets.append(frozenset(days))
        out[year] = (sets[0], sets[1])
    return out


def load_extra(path: str | Path) -> dict:
    """Read a holiday file (YAML, or JSON by suffix)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        return json.loads(text)
    import yaml
    return yaml.safe_load(text) or {}


class WorkCalendar:
    def __init__(self, extra: dict | None = None):
        # The extra data wins for a year it names: a local schedule may correct the package.
        self._extra = parse_extra(extra)

    @classmethod
    def from_file(cls, path: str | Path) -> "WorkCalendar":
        return cls(load_extra(path))

    def covers(self, year: int) -> bool:
        if year in self._extra:
            return True
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
            return True
        except NotImplementedError:
            return False

    def is_workday(self, d: date) -> bool:
        if d.year in self._extra:
            holidays, workdays = self._extra[d.year]
            return d in workdays or (d.weekday() < 5 and d not in holidays)
        try:
            return chinese_calendar.is_workday(d)
        except NotImplementedError:
            raise NoCalendarData(d.year) from None

    def add_workdays(self, d: date, n: int) -> date:
        """The n-th working day after `d` (the event day itself does not count): the last allowed day."""
        if n < 0:
            raise ValueError("n must be >= 0")
        day, left = d, n
        while left:
            day += timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def workdays_between(self, a: date, b: date) -> int:
        """Working days after `a` up to and including `b` (0 when b <= a).

        So `b` is within an N-working-day limit from `a` exactly when this is <= N.
        """
        count, day = 0, a
        while day < b:
            day += timedelta(days=1)
            count += self.is_workday(day)
        return count
