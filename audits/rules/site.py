"""Site-level rules: availability of the homepage in this run."""
from __future__ import annotations

import re

from audits.registry import rule


@rule("site.unreachable", title="站点无法访问", severity="deduct", source="19号 站点无法访问",
      points=10, needs_site=False)
def unreachable(ctx):
    """本次检查中首页无法打开（域名解析失败、拒绝连接、超过15秒、5xx 等，已重试）。"""
    run = ctx.snapshot.run
    if run.homepage_outcome == "ok":
        return
    if run.homepage_outcome in ("blocked", "robots"):
        # The site answers, but not to us: that is our limit, not the office's fault.
        ctx.note(f"首页{run.homepage_error or '被拦截'}，本次未能检查网站内容，结论不完整")
        return
    reason = run.homepage_error or run.homepage_outcome or "未能抓取"
    yield ctx.finding(f"首页无法访问（{reason}）", url=run.site_url, title=run.site_name)


SITE_ID = re.compile(r"^(\d{10}|bm\d{8})$")
_FOOTER_ID = re.compile(r"标识码\s*[:：]?\s*([0-9A-Za-z]+)")   # 网站标识码 / 政府网站标识码 / 标识码
_ICP = re.compile(r"ICP\s*备\s*\d+|ICP\s*证\s*\d+", re.I)
_POLICE = re.compile(r"公网安备|公安机关备案|公安备案")
_SPONSOR = re.compile(r"主办")    # 主办单位： / 主办： / 某某区人民政府办公室主办
# Words of a page footer: without any, the footer was not in the text we read (drawn by a script,
# shown in a frame or as an image), and "missing" would be a judgement on what was not seen.
_FOOTER = re.compile(r"版权所有|版权|Copyright|©|\(c\)|主办|承办|协办|备案|标识码|技术支持|维护单位", re.I)


@rule("site.identity", title="网站标识信息不全", severity="advisory", source="国办发〔2017〕47号")
def identity(ctx):
    """首页底部缺少网站标识码、ICP备案号、公安机关备案号或主办单位；或 SiteIDCode 元标签格式不符（10位数字或 bm+8位数字）、与页脚标识码不一致。首页文字中未见页脚（无版权、主办、备案等字样，可能由脚本、框架或图片呈现）时不判断页脚各项，记为未能确认。"""
    run = ctx.snapshot.run
    text = run.homepage_text or ""
    if not text:
        ctx.note("未取得首页文字，未检查网站标识信息")
        return
    meta = {k.lower(): v.strip() for k, v in (run.homepage_meta or {}).items()}
    code = meta.get("siteidcode", "")
    footer = _FOOTER_ID.search(text)
    problems = []
    if not _FOOTER.search(text):
        # Only the meta tag, which we did read, may still be judged.
        ctx.note("首页文字中未见页脚（版权、主办、备案等字样；可能由脚本、框架或图片呈现），未能确认网站标识信息是否齐全")
        if code and not SITE_ID.match(code):
            yield ctx.finding(f"SiteIDCode 元标签“{code}”格式不符（应为10位数字或 bm+8位数字）",
                              url=run.site_url, title=run.site_name)
        return
    if not footer:
        problems.append("网站标识码")
    if not _ICP.search(text):
        problems.append("ICP备案号")
    if not _POLICE.search(text):
        problems.append("公安机关备案号")
    if not _SPONSOR.search(text):
        problems.append("主办单位")
    parts = [f"首页底部缺少{'、'.join(problems)}"] if problems else []
    if code and not SITE_ID.match(code):
        parts.append(f"SiteIDCode 元标签“{code}”格式不符（应为10位数字或 bm+8位数字）")
    elif code and footer and footer.group(1) != code:
        parts.append(f"SiteIDCode 元标签“{code}”与页脚网站标识码“{footer.group(1)}”不一致")
    if parts:
        yield ctx.finding("；".join(parts), url=run.site_url, title=run.site_name)

