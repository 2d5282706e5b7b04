"""Guide rule: what the 政府信息公开指南 page must tell (条例 第十二条)."""
from __future__ import annotations

import re
from urllib.parse import unquote

from audits.registry import rule
from audits.rules._util import checked, continuation_pages, is_file_link, links_from

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


# A page shorter than this that offers files, or that tells none of the items, is a cover (a title
# and a date over an image, a frame, a script or a file): what the guide tells was not seen.
SHORT = 300


def _says(text: str, word) -> bool:
    return bool(word.search(text)) if isinstance(word, re.Pattern) else word in text


@rule("guide.incomplete", title="政府信息公开指南要素不全", severity="advisory",
      source="条例 第十二条")
def guide_incomplete(ctx):
    """政府信息公开指南页面（正文及其附件链接名称）未写明受理机构、办公地址、办公时间、联系电话、申请方式/申请表、监督救济（行政复议、行政诉讼）中的任一项。指南以附件发布、页面较短且提供附件、分页发布而后续页未读取，或页面文字未写任何要素（可能为图片、框架、脚本呈现）时不判断，记为未检查。"""
    snap = ctx.snapshot
    links = None
    for c in snap.columns:
        if c.category != "guide" or not checked(c):
            continue
        text = re.sub(r"\s+", "", c.text or "")
        if not text:
            if not c.is_page:
                ctx.note(f"“{c.name}”栏目为列表而非内容页，未检查指南要素")
            continue
        if links is None:
            links = links_from(snap)
        files = [ln for ln in links.get(c.url, []) if is_file_link(ln)]
        # A download's name is the page's word too (《政府信息公开申请表》.doc); nav links are not.
        said = text + "".join(re.sub(r"\s+", "", ln.text or "") for ln in files)
        missing = [item for item, words in GUIDE_ITEMS if not any(_says(said, w) for w in words)]
        if not missing:
            continue
        # The guide itself as a file (指南.pdf), or a short page that offers files: its items may
        # be in a file we did not read as the guide.
        named = [ln.to_url for ln in files if "指南" in (ln.text or "") + unquote(ln.to_url)]
        later = continuation_pages(c.url, links.get(c.url, []))
        if later:
            ctx.note(f"“{c.name}”分页发布，后续页（{later[0]}）未读取，未检查指南要素")
        elif named or (files and len(text) < SHORT):
            ctx.note(f"“{c.name}”页面提供附件（{(named or [files[0].to_url])[0]}），指南内容可能在附件中，"
                     "未检查指南要素")
        elif len(missing) == len(GUIDE_ITEMS) and len(text) < SHORT:
            ctx.note(f"“{c.name}”页面文字（{len(text)}字）未写任何指南要素，指南可能以图片、框架或脚本呈现，"
                     "未检查指南要素")
        else:
            yield ctx.finding(f"指南未写明{'、'.join(missing)}", column=c.name, url=c.url,
                              title=c.name)
