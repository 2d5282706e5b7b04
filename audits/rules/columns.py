"""Column rules: blank columns (空白栏目) and columns not updated in time (栏目不更新)."""
from __future__ import annotations

from audits.registry import Param, rule
from audits.rules._util import checked, cutoff, entries_by_column, newest, note_unchecked

# category -> (parameter name, unit); the limit's value comes from the rule's parameters.
STALE_LIMITS = {
    "news": ("news_days", "天"),
    "notice_policy": ("notice_policy_months", "个月"),
    "personnel_plan": ("personnel_plan_months", "个月"),
}


@rule("column.empty", title="空白栏目", severity="deduct", source="19号 空白栏目", points=2)
def empty(ctx):
    """栏目已抓取，不是内容页、也不含子栏目，却没有任何条目（含显示“暂无信息”）。"""
    note_unchecked(ctx, ctx.snapshot.columns, "空白栏目、栏目更新")
    entries = entries_by_column(ctx.snapshot)
    for c in ctx.snapshot.columns:
        if not checked(c) or c.is_page or c.has_children or entries.get(c.id):
            continue
        detail = "栏目无任何信息（页面显示“暂无信息”）" if c.empty_marker else "栏目无任何信息"
        yield ctx.finding(detail, column=c.name, url=c.url, title=c.name)


def stale_limit(params: dict, category: str) -> tuple[int, str] | None:
    """(amount, unit) of the category's staleness limit, or None when it has none."""
    if category not in STALE_LIMITS:
        return None
    name, unit = STALE_LIMITS[category]
    return params[name], unit


@rule("column.stale", title="栏目不更新", severity="deduct", source="19号 栏目不更新; seeds",
      points=2, params=(
          Param("news_days", 14, "动态要闻类栏目的更新期限（天）"),
          Param("notice_policy_months", 6, "通知公告、政策文件类栏目的更新期限（自然月）"),
          Param("personnel_plan_months", 12, "人事、规划计划类栏目的更新期限（自然月）"),
      ))
def stale(ctx):
    """动态要闻类、通知公告政策文件类、人事规划计划类栏目的最新带日期条目早于期限；条目均无日期视为未更新。"""
    note_unchecked(ctx, ctx.snapshot.columns, "空白栏目、栏目更新")
    by_column = entries_by_column(ctx.snapshot)
    for c in ctx.snapshot.columns:
        limit = stale_limit(ctx.params, c.category)
        if limit is None or not checked(c) or c.is_page:
            continue
        entries = by_column.get(c.id, [])
        if not entries:
            continue            # a blank column is column.empty, not also stale
        amount, unit = limit
        last = newest(entries)
        if unit == "天":
            oldest_fresh = cutoff(ctx.as_of, days=amount)
        else:
            oldest_fresh = cutoff(ctx.as_of, months=amount)
        if last is None:
            detail = f"栏目信息均未标注发布日期，视为超过{amount}{unit}未更新"
        elif last < oldest_fresh:
            detail = f"栏目最新信息发布于{last.isoformat()}，已超过{amount}{unit}未更新"
        else:
            continue
        yield ctx.finding(detail, column=c.name, url=c.url, title=c.name)
