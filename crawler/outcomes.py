"""Which fetch outcome a response or an exception is: the crawler's side of the one failure
taxonomy, whose names, wording and link verdicts are snapshot/outcomes.py's (re-exported here).

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
from snapshot.outcomes import (  # noqa: F401  (re-exported: the crawler imports them from here)
    CONFIRMED_FAILURES, LABELS, OK, PERMANENT_HTTP, label, link_verdict,
)

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
