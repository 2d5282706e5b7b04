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


@rule("disclosure.structure", title="信息公开专栏结构不完整", severity="advisory",
      source="国办公开办函〔2019〕61号")
def structure(ctx):
    """政府信息公开专栏缺少政府信息公开指南、政府信息公开制度、法定主动公开内容、政府信息公开年报中的任一栏目（按栏目名称和类别判断）。专栏页面或某栏目页面未能读取时不作判断。"""
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
               if cat not in cats and not any(k in n for k in keys for n in names)]
    if missing and (why := section_unread_note(snap, "专栏是否缺少" + "、".join(missing))):
        ctx.note(why)       # the missing part may sit under a column that was not read
        return
    if missing:
        run = snap.run
        yield ctx.finding(f"信息公开专栏缺少{'、'.join(missing)}栏目",
                          url=run.section_url or run.site_url, title=run.site_name)
