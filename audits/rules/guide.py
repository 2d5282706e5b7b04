"""Guide rule: what the 政府信息公开指南 page must tell (条例 第十二条)."""
from __future__ import annotations

import re

from audits.registry import rule
from audits.rules._util import checked

# 条例 第十二条: what a 指南 must tell. (item, any of these words shows it)
GUIDE_ITEMS = (
    ("受理机构", ("受理机构", "受理机关", "受理单位", "工作机构", "办理机构", "受理部门")),
    ("办公地址", ("办公地址", "地址", "通讯地址", "通信地址")),
    ("办公时间", ("办公时间", "工作时间", "受理时间", "接待时间")),
    ("联系电话", ("联系电话", "电话", "咨询电话")),
    ("申请方式/申请表", ("申请方式", "申请表", "申请渠道", "提出申请", "申请途径")),
    # 监督 as a duty, not inside an agency's name (市场监督管理局, 药品监督管理局 …).
    ("监督/救济（行政复议、行政诉讼）", ("行政复议", "行政诉讼", re.compile(r"监督(?!管理|局)"), "举报", "投诉")),
)


def _says(text: str, word) -> bool:
    return bool(word.search(text)) if isinstance(word, re.Pattern) else word in text


@rule("guide.incomplete", title="政府信息公开指南要素不全", severity="advisory",
      source="条例 第十二条")
def guide_incomplete(ctx):
    """政府信息公开指南页面未写明受理机构、办公地址、办公时间、联系电话、申请方式/申请表、监督救济（行政复议、行政诉讼）中的任一项。"""
    snap = ctx.snapshot
    for c in snap.columns:
        if c.category != "guide" or not checked(c):
            continue
        text = re.sub(r"\s+", "", c.text or "")
        if not text:
            if not c.is_page:
                ctx.note(f"“{c.name}”栏目为列表而非内容页，未检查指南要素")
            continue
        missing = [item for item, words in GUIDE_ITEMS if not any(_says(text, w) for w in words)]
        if missing:
            yield ctx.finding(f"指南未写明{'、'.join(missing)}", column=c.name, url=c.url,
                              title=c.name)
