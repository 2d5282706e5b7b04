"""Annual report (政府信息公开工作年度报告) rules: published for the previous year, on time."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from audits.registry import Param, rule
from audits.rules._util import checked, in_category, note_unchecked

_CN_DIGITS = "〇一二三四五六七八九"
_ZERO_VARIANTS = re.compile(r"[零○OoＯ]")
_MMDD = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


def _mmdd(value: str) -> str | None:
    return None if _MMDD.match(value) else f"应为 MM-DD，实为 {value!r}"


PARAMS = (
    Param("government_deadline", "03-31", "人民政府门户网站年报截止日（MM-DD）", _mmdd),
    Param("department_deadline", "01-31", "部门网站年报截止日（MM-DD）", _mmdd),
)


def site_kind(ctx) -> str:
    """government | department: the run's kind (--kind, given on the command line, beats the config
    file), else the config's, else from the site name (…人民政府 → government)."""
    for kind in (ctx.snapshot.run.kind, ctx.config.kind):
        if kind in ("government", "department"):
            return kind
    return "government" if "人民政府" in ctx.snapshot.run.site_name else "department"


def deadline(ctx) -> date:
    month, day = map(int, ctx.params[f"{site_kind(ctx)}_deadline"].split("-"))
    return date(ctx.as_of.year, month, day)


def is_report_for(title: str, year: int) -> bool:
    """The title names `year` (2025 or 二〇二五) and is a 年度报告 / 年报."""
    t = _ZERO_VARIANTS.sub("〇", re.sub(r"\s+", "", title or ""))
    cn = "".join(_CN_DIGITS[int(ch)] for ch in str(year))
    return (str(year) in t or cn in t) and ("年度报告" in t or "年报" in t)


@dataclass
class Report:
    url: str
    title: str
    column: str
    published: date | None


@dataclass
class Search:
    columns: list            # annual_report columns
    complete: bool           # every annual_report column was checked
    reports: list[Report]    # the previous year's reports found


def search(ctx) -> Search:
    snap = ctx.snapshot
    year = ctx.as_of.year - 1
    columns = in_category(snap, "annual_report")
    ids = {c.id: c for c in columns if checked(c)}
    docs = {d.url: d for d in snap.documents}
    found: dict[str, Report] = {}
    for e in snap.entries:
        if e.column_id in ids and is_report_for(e.title, year):
            found[e.url] = Report(e.url, e.title, ids[e.column_id].name, e.date)
    for d in snap.documents:
        if d.column_id in ids and d.url not in found and is_report_for(d.title, year):
            found[d.url] = Report(d.url, d.title, ids[d.column_id].name, None)
    for r in found.values():
        # The page's own 发布日期 wins over the list date.
        doc = docs.get(r.url)
        if doc is not None and doc.status == "ok" and doc.fields.get("published"):
            try:
                r.published = date.fromisoformat(doc.fields["published"])
            except ValueError:
                pass
    return Search(columns, all(checked(c) for c in columns), list(found.values()))


@rule("annual_report.missing", title="年报未发布", severity="deduct", source="条例 第四十九条",
      points=5, params=PARAMS)
def missing(ctx):
    """已过截止日（部门1月31日、人民政府3月31日），年报栏目中没有上一年度的年报（或没有年报栏目）。"""
    due = deadline(ctx)
    if ctx.as_of <= due:
        return
    s = search(ctx)
    if s.reports:
        return
    year = ctx.as_of.year - 1
    if not s.complete:
        note_unchecked(ctx, s.columns, "年报是否发布")
        return
    when = f"应于{due.year}年{due.month}月{due.day}日前发布"
    if not s.columns:
        run = ctx.snapshot.run
        yield ctx.finding(f"未找到政府信息公开年报栏目，未见{year}年度政府信息公开工作年度报告（{when}）",
                          url=run.section_url or run.site_url)
        return
    first = s.columns[0]
    yield ctx.finding(f"年报栏目中未见{year}年度政府信息公开工作年度报告（{when}）",
                      column=first.name, url=first.url, title=first.name)


@rule("annual_report.late", title="年报逾期发布", severity="deduct", source="条例 第四十九条",
      points=5, params=PARAMS)
def late(ctx):
    """上一年度年报的发布日期（文件页面的发布日期，否则列表日期）晚于截止日。"""
    s = search(ctx)
    dated = [r for r in s.reports if r.published]
    if s.reports and not dated:
        ctx.note("上一年度年报未标注发布日期，未判断是否逾期")
    if not dated:
        return
    # A government's 年报 column may list several bodies' reports: the earliest stands for the site.
    r = min(dated, key=lambda r: r.published)
    due = deadline(ctx)
    if r.published > due:
        yield ctx.finding(f"{ctx.as_of.year - 1}年度年报发布于{r.published.isoformat()}，"
                          f"晚于{due.year}年{due.month}月{due.day}日的期限",
                          column=r.column, url=r.url, title=r.title)
