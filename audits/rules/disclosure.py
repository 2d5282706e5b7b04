"""Disclosure section rule: the four required parts of the 政府信息公开 section (61号)."""
from __future__ import annotations

import re

from audits.registry import rule
from audits.rules._util import section_unread_note

# (part, category, names that stand for it). A part is present when a column has its category
# or one of its names: sites word 法定主动公开内容 as 主动公开 / 政府信息公开目录 …
PARTS = (
    ("政府信息公开指南", "guide", ("公开指南",)),
    ("政府信息公开制度", "system", ("公开制度", "公开规定")),
    ("法定主动公开内容", None, ("法定主动公开", "主动公开内容", "主动公开目录", "主动公开")),
    ("政府信息公开年报", "annual_report", ("年报", "年度报告")),
)

# Categories of 条例 第二十条 content: a section that lists them holds 法定主动公开内容.
CONTENT = {"profile", "notice_policy", "personnel_plan"}


@rule("disclosure.structure", title="信息公开专栏结构不完整", severity="advisory",
      source="国办公开办函〔2019〕61号")
def structure(ctx):
    """政府信息公开专栏缺少政府信息公开指南、政府信息公开制度、法定主动公开内容、政府信息公开年报中的任一栏目（按栏目名称和类别判断；专栏直接列出机构职能、政策文件、规划计划等法定公开内容栏目的，视为有法定主动公开内容）。专栏页面或可能含下级栏目的栏目页面未能读取或未能确认时不作判断。"""
    snap = ctx.snapshot
    if not snap.section_read:
        ctx.note(section_unread_note(snap, "信息公开专栏结构"))
        return
    if not snap.columns:
        ctx.note("未找到信息公开专栏的栏目，未检查专栏结构")
        return
    names = [re.sub(r"\s+", "", c.name) for c in snap.columns]
    cats = {c.category for c in snap.columns}
    missing = [part for part, cat, keys in PARTS
               if cat not in cats and not any(k in n for k in keys for n in names)
               # 法定主动公开内容 shown as its columns (机构职能, 政策文件, 规划计划 …) without a
               # column of that name is there: "missing" would judge a heading, not the content.
               and not (part == "法定主动公开内容" and cats & CONTENT)]
    if missing and (why := section_unread_note(snap, "专栏是否缺少" + "、".join(missing))):
        ctx.note(why)       # the missing part may sit under a column that was not read
        return
    if missing:
        run = snap.run
        yield ctx.finding(f"信息公开专栏缺少{'、'.join(missing)}栏目",
                          url=run.section_url or run.site_url, title=run.site_name)
