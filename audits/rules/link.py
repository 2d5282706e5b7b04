"""Link rules: links on fetched pages that no longer open (the link-check spider records status)."""
from __future__ import annotations

from audits.registry import rule

# Statuses the link checker records: an HTTP status code ("404") or a failure outcome ("dns").
BROKEN_OUTCOMES = {"dns", "refused", "tls", "reset", "too_many_redirects"}
# 401/403/429 and timeouts say nothing about whether the target exists: unverified, never broken.
REASONS = {"dns": "域名无法解析", "refused": "连接被拒绝", "tls": "TLS 握手失败",
           "reset": "连接被重置", "too_many_redirects": "重定向次数过多"}


def broken_reason(status: str) -> str | None:
    """Why a link with this recorded status is broken, or None when it is not (or unverified)."""
    if status.isdigit():
        code = int(status)
        if code in (404, 410) or 500 <= code <= 599:
            return f"HTTP {code}"
        return None
    return REASONS.get(status) if status in BROKEN_OUTCOMES else None


@rule("link.broken", title="链接不可用", severity="deduct", source="19号 链接可用性", points=0.5)
def broken(ctx):
    """页面上的链接（站内、站外及附件）打开返回404/410，或重试后仍为5xx、域名解析失败、拒绝连接；401/403/429及超时记为“未能验证”，不算不可用。"""
    snap = ctx.snapshot
    docs = {d.url: d for d in snap.documents}
    names = {c.id: c.name for c in snap.columns}
    seen: set[tuple[str, str]] = set()
    unchecked: set[str] = set()
    unverified: set[str] = set()
    for ln in snap.links:
        if not ln.status:
            unchecked.add(ln.to_url)
            continue
        reason = broken_reason(ln.status)
        if reason is None:
            if ln.status not in ("ok", "200") and not ln.status.startswith(("2", "3")):
                unverified.add(ln.to_url)
            continue
        if (ln.from_url, ln.to_url) in seen:
            continue
        seen.add((ln.from_url, ln.to_url))
        doc = docs.get(ln.from_url)
        text = ln.text.strip() or ln.to_url
        yield ctx.finding(f"链接“{text}”无法打开（{reason}）",
                          column=names.get(doc.column_id, "") if doc else "", url=ln.from_url,
                          target=ln.to_url, title=(doc.title if doc else ""))
    if unchecked:
        ctx.note(f"有{len(unchecked)}个链接目标未检查（链接检查未运行或被中断）")
    if unverified:
        ctx.note(f"有{len(unverified)}个链接目标未能验证（需登录、拒绝访问、限流或超时），未计为不可用")
