"""Column rules: blank columns (空白栏目) and columns not updated in time (栏目不更新)."""
from __future__ import annotations

from datetime import date

from audits.registry import Param, rule
from audits.rules._util import checked, cutoff, entries_by_column, newest, note_unchecked
from snapshot.model import EVIDENCE_ENDPOINT, EVIDENCE_MARKER, EVIDENCE_RENDERED, OK

# How the emptiness was seen, as the finding's detail says it.
EMPTY_DETAIL = {
    EVIDENCE_RENDERED: "栏目无任何信息（浏览器渲染后无条目）",
    EVIDENCE_ENDPOINT: "栏目无任何信息（列表接口返回0条）",
    EVIDENCE_MARKER: "栏目无任何信息（页面显示“暂无信息”）",
}

# category -> (parameter name, unit); the limit's value comes from the rule's parameters.
STALE_LIMITS = {
    "news": ("news_days", "天"),
    "notice_policy": ("notice_policy_months", "个月"),
    "personnel_plan": ("personnel_plan_months", "个月"),
}


@rule("column.empty", title="空白栏目", severity="deduct", source="19号 空白栏目", points=2)
def empty(ctx):
    """栏目已抓取，不是内容页、也不含子栏目，且有为空的确证：浏览器渲染后无条目、列表接口返回0条，或页面显示“暂无信息”且无可填充列表的脚本。无确证的栏目为“未能确认”，不作评判。"""
    note_unchecked(ctx, ctx.snapshot.columns, "空白栏目、栏目更新")
    entries = entries_by_column(ctx.snapshot)
    unproven = []
    for c in ctx.snapshot.columns:
        if not checked(c) or c.is_page or c.has_children or entries.get(c.id):
            continue
        detail = EMPTY_DETAIL.get(c.evidence)
        if detail is None:
            unproven.append(c.name)     # no entries read, but nothing proves it empty
            continue
        yield ctx.finding(detail, column=c.name, url=c.url, title=c.name)
    if unproven:
        ctx.note(f"以下栏目未读到条目，也无为空的确证，未判断是否空白：{'、'.join(unproven)}")


def page_dates(snapshot) -> dict[int | None, list[date]]:
    """Column id -> the 发布日期 its fetched documents' pages show."""
    out: dict[int | None, list[date]] = {}
    for d in snapshot.documents:
        value = d.fields.get("published") if d.status == OK else None
        try:
            out.setdefault(d.column_id, []).append(date.fromisoformat(value[:10]))
        except (TypeError, ValueError):
            pass
    return out


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
    """动态要闻类、通知公告政策文件类、人事规划计划类栏目的最新带日期条目早于期限；列表条目均无日期时按已抓取文件页面的发布日期判断，仍无日期视为未更新（部分列表页未能抓取或抓取达到页数上限时不作此推断）。只依据已读取的列表和页面，未能确认的栏目不作评判。"""
    note_unchecked(ctx, ctx.snapshot.columns, "空白栏目、栏目更新")
    by_column = entries_by_column(ctx.snapshot)
    docs = None
    for c in ctx.snapshot.columns:
        limit = stale_limit(ctx.params, c.category)
        if limit is None or not checked(c) or c.is_page:
            continue
        entries = by_column.get(c.id, [])
        if not entries:
            continue            # a blank column is column.empty, not also stale
        amount, unit = limit
        last = newest(entries)
        if last is None:
            # A list that shows no dates (written by a script, or none at all): the dates its
            # documents' pages show are what was seen of the column's updates.
            if docs is None:
                docs = page_dates(ctx.snapshot)
            last = max(docs.get(c.id, ()), default=None)
        if last is None and (c.partial or ctx.snapshot.run.cut_short):
            # Dates may stand on the list pages that failed: "never dated" would be a guess.
            ctx.note(f"栏目「{c.name}」已读取的条目均无日期，且部分列表页未能抓取（或抓取达到页数上限），未判断是否更新")
            continue
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
