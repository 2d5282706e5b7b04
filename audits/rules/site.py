"""Site-level rules: availability of the homepage in this run."""
from __future__ import annotations

from audits.registry import rule


@rule("site.unreachable", title="站点无法访问", severity="deduct", source="19号 站点无法访问",
      points=10, needs_site=False)
def unreachable(ctx):
    """本次检查中首页无法打开（域名解析失败、拒绝连接、超过15秒、5xx 等，已重试）。"""
    run = ctx.snapshot.run
    if run.homepage_outcome == "ok":
        return
    reason = run.homepage_error or run.homepage_outcome or "未能抓取"
    yield ctx.finding(f"首页无法访问（{reason}）", url=run.site_url, title=run.site_name)
