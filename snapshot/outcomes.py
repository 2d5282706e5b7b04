"""The one failure taxonomy: the names of fetch outcomes, their Chinese wording, and which of them
are evidence that a page is gone (permanent) and which may be gone a moment later (transient).

Neutral ground: the crawler records these names (crawler/outcomes.py classifies exceptions and
responses into them), audits and reports read them back from the snapshot; neither imports the
other. architecture.md: GSA-scanner style outcomes; audits rely on the difference between
"not fetched" and "fetched and empty".
"""
from __future__ import annotations

OK = "ok"
OUTCOMES = (
    OK, "not_modified", "timeout", "dns", "refused", "reset", "tls", "http_4xx", "http_5xx",
    "too_many_redirects", "oversize", "blocked", "robots", "not_html", "error",
    # Faults met (issue 9), never findings by themselves.
    "truncated", "empty", "redirect_loop", "forbidden_address", "offsite", "budget", "rate_limited",
)

# Chinese wording for reports and logs.
LABELS = {
    "ok": "正常", "not_modified": "未修改", "timeout": "请求超时", "dns": "域名无法解析",
    "refused": "连接被拒绝", "reset": "连接中断", "tls": "TLS/证书错误",
    "http_4xx": "页面不存在或拒绝访问(4xx)", "http_5xx": "服务器错误(5xx)",
    "too_many_redirects": "重定向过多", "oversize": "页面过大", "blocked": "被反爬虫防护拦截",
    "robots": "robots.txt 禁止抓取", "not_html": "不是网页(HTML)", "error": "抓取出错",
    "unknown": "未得到应答",
    "truncated": "页面不完整（传输中断）", "empty": "应答内容为空", "redirect_loop": "重定向循环",
    "forbidden_address": "禁止访问的地址（内网或保留地址）",
    "offsite": "站外地址（不在本站范围内，未抓取）",
    "budget": "超出抓取上限，其余未抓取", "rate_limited": "服务器限流或要求稍后再试",
    # Link check: a failure seen once whose later retry never ran (the check was interrupted).
    "unconfirmed": "仅失败一次，未能复查",
}


def label(outcome: str) -> str:
    return LABELS.get(outcome, outcome)


# ---- link verdicts (rules.md, link.broken) ----
# The link check records one status per target: the HTTP status of its own final answer
# ("404"; a 5xx only once a later retry, spaced in time, answered 5xx again) or a failure outcome
# ("dns" and "refused" likewise confirmed; any other outcome is not evidence either way).
PERMANENT_HTTP = frozenset({404, 410})
CONFIRMED_FAILURES = frozenset({"dns", "refused"})
# Answers that may be gone a moment later: the link check asks again before recording them.
TRANSIENT_OUTCOMES = frozenset({"dns", "refused", "reset", "timeout", "error"})
TRANSIENT_HTTP = frozenset({408, 429})
_WALL_HTTP = frozenset({412, 521})          # 瑞数 / 加速乐 challenges: a wall, not a dead page
_HTTP_REASONS = {401: "需要登录(401)", 403: "拒绝访问(403)", 429: "限流(429)",
                 412: "被反爬虫防护拦截(412)", 521: "被反爬虫防护拦截(521)"}


def link_verdict(status: str) -> tuple[str, str]:
    """("ok" | "broken" | "unverified" | "unchecked", Chinese reason) for a recorded link status.
    Broken only on evidence: 404/410, a confirmed 5xx, DNS failure or refused connection.
    401/403/429, timeouts, walls, robots.txt and forbidden addresses are unverified."""
    status = (status or "").strip()
    if not status:
        return "unchecked", "未检查"
    if status.isdigit():
        code = int(status)
        if code < 400:
            return "ok", ""
        if code in PERMANENT_HTTP or (code >= 500 and code not in _WALL_HTTP):
            return "broken", f"HTTP {code}"
        return "unverified", _HTTP_REASONS.get(code, f"HTTP {code}")
    if status in (OK, "not_modified"):
        return "ok", ""
    if status in CONFIRMED_FAILURES:
        return "broken", label(status)
    return "unverified", label(status)


def is_transient(status: str) -> bool:
    """A recorded answer that may be gone a moment later (5xx, 408/429, DNS, refused, reset,
    timeout): the link check asks again, spaced in time, before it records one."""
    if status.isdigit():
        code = int(status)
        return code in TRANSIENT_HTTP or (code >= 500 and link_verdict(status)[0] == "broken")
    return status in TRANSIENT_OUTCOMES
