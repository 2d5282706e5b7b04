"""Fetch outcomes: what happened when we asked for a URL (architecture.md, GSA-scanner style).

The crawler records an outcome for every request; audits rely on the difference between
"not fetched" and "fetched and empty".
"""
from __future__ import annotations

import re

from scrapy import exceptions as sx
from scrapy.exceptions import IgnoreRequest
from twisted.internet import error as neterr
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.budget import RedirectLoop
from crawler.netsafety import ForbiddenAddress, OutOfScope

OK = "ok"

# Chinese wording for reports and logs.
LABELS = {
    "ok": "正常", "timeout": "请求超时", "dns": "域名无法解析", "refused": "连接被拒绝",
    "reset": "连接中断", "tls": "TLS/证书错误", "http_4xx": "页面不存在或拒绝访问(4xx)",
    "http_5xx": "服务器错误(5xx)", "too_many_redirects": "重定向过多", "oversize": "页面过大",
    "blocked": "被反爬虫防护拦截", "robots": "robots.txt 禁止抓取", "not_html": "不是网页(HTML)",
    "error": "抓取出错",
    # Link check: a server that asked to wait longer than zwgk waits, and a failure seen once
    # whose later retry never ran (the link check was interrupted).
    "rate_limited": "服务器限流或要求稍后再试", "unconfirmed": "仅失败一次，未能复查",
    "forbidden_address": "禁止访问的地址（内网或保留地址）",
    "offsite": "站外地址（不在本站范围内，未抓取）",
    "redirect_loop": "重定向循环", "budget": "超出抓取上限，其余未抓取",
    "truncated": "页面不完整（传输中断）", "empty": "应答内容为空",
}

# Anti-bot walls: 瑞数 (412 + $_ts), 加速乐 (521 + __jsl), WZWS cookies, header gating (403).
_CHALLENGE = re.compile(rb"\$_ts|__jsl_clearance|__jsluid|wzws|WZWS|_\$[a-zA-Z]{2}|<meta[^>]+\br=.m.", re.I)


def classify_response(status: int, headers, body: bytes, rendered: bool = False) -> str:
    """Outcome of a received response (after retries). `headers`: Scrapy Headers or None.
    `rendered`: a browser loaded it; the status is the first navigation's, so a challenge the
    browser passed (it set its cookie and reloaded) is judged by what the page now holds."""
    if status in (403, 412, 521):
        return OK if rendered and _text_length(body) >= 60 else "blocked"
    if 200 <= status < 300:
        # WZWS and friends also answer 200/202 with a script that only sets a cookie: that
        # page is a wall, not an empty column.
        return "blocked" if looks_like_challenge(body, headers) else OK
    if status == 304:
        return "not_modified"
    if 300 <= status < 400:
        return "too_many_redirects"
    if status == 429:
        return "rate_limited"   # asked to wait longer than zwgk waits: no sign the page is absent
    return "http_5xx" if status >= 500 else "http_4xx"


def _marked(body: bytes, headers) -> bool:
    cookies = b" ".join(headers.getlist(b"Set-Cookie")).lower() if headers is not None else b""
    return bool(_CHALLENGE.search(body[:20000])) or b"wzws" in cookies or b"__jsl" in cookies


def looks_like_challenge(body: bytes, headers=None) -> bool:
    """A challenge page: the wall's markers and next to no text."""
    return _marked(body, headers) and _text_length(body) < 60


def _text_length(body: bytes) -> int:
    head = body[:20000]
    return len(re.sub(rb"<script.*?</script>|<style.*?</style>|<[^>]+>|\s+", b"", head, flags=re.S | re.I))


def classify_failure(failure) -> tuple[str, str]:
    """(outcome, message) for a Twisted failure raised while fetching."""
    exc = failure.value
    msg = f"{type(exc).__name__}: {exc}"[:300]
    if failure.check(ForbiddenAddress):
        return "forbidden_address", msg
    if failure.check(OutOfScope):
        return "offsite", msg
    if failure.check(RedirectLoop):
        return "redirect_loop", msg
    if failure.check(IgnoreRequest) and "max redirections" in str(exc):
        return "too_many_redirects", msg
    if failure.check(IgnoreRequest) and "DOWNLOAD_MAXSIZE" in str(exc):
        return "oversize", msg          # a gzip bomb, stopped while decompressing
    if failure.check(IgnoreRequest):
        # RobotsTxtMiddleware raises IgnoreRequest("Forbidden by robots.txt").
        return ("robots" if "robots" in str(exc).lower() else "error"), msg
    # Scrapy ≥2.14 wraps Twisted's errors in its own download exceptions.
    if failure.check(neterr.TimeoutError, neterr.TCPTimedOutError, sx.DownloadTimeoutError):
        return "timeout", msg
    if failure.check(neterr.DNSLookupError, sx.CannotResolveHostError):
        return "dns", msg
    if failure.check(neterr.ConnectionRefusedError, neterr.NoRouteError, sx.DownloadConnectionRefusedError):
        return "refused", msg
    if failure.check(sx.DownloadCancelledError) and "maxsize" in str(exc).lower():
        return "oversize", msg
    name = type(exc).__name__
    if "SSL" in name or "TLS" in name or "Certificate" in msg:
        return "tls", msg
    if failure.check(ResponseNeverReceived, ResponseFailed, neterr.ConnectionLost,
                     neterr.ConnectionDone, neterr.ConnectError, sx.DownloadFailedError,
                     sx.ResponseDataLossError, sx.DownloadCancelledError):
        text = str(exc)
        if "SSL" in text or "certificate" in text:
            return "tls", msg
        if "maxsize" in text or "Cancelling download" in text:
            return "oversize", msg
        if failure.check(sx.ResponseDataLossError) or "DataLoss" in text or "_DataLoss" in repr(exc):
            return "truncated", msg     # fewer bytes than Content-Length said, then the end
        return "reset", msg
    return "error", msg


def label(outcome: str) -> str:
    return LABELS.get(outcome, outcome)


# ---- link verdicts (rules.md, link.broken) ----
# The link check records one status per target: the HTTP status of its own final answer
# ("404"; a 5xx only once a later retry, spaced in time, answered 5xx again) or a failure outcome
# ("dns" and "refused" likewise confirmed; any other outcome is not evidence either way).
PERMANENT_HTTP = frozenset({404, 410})
CONFIRMED_FAILURES = frozenset({"dns", "refused"})
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
