"""`zwgk probe SITES`: load each homepage once and store the outcome and time (veto.unreachable
judges the last 7 days of these; run it from cron 20 or more times a day)."""
from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

from crawler.settings import USER_AGENT
from snapshot.store import Store

from .registry import Site

LIMIT = 15.0    # rules.md: a homepage taking 15 s or more counts as unreachable


def probe_once(url: str, timeout: float = LIMIT) -> tuple[str, float]:
    """(fetch outcome, seconds) of one homepage load."""
    start = time.monotonic()
    try:
        req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
        outcome = "ok"
    except urllib.error.HTTPError as exc:
        outcome = "http_5xx" if exc.code >= 500 else "blocked" if exc.code in (403, 412, 521) else "http_4xx"
    except urllib.error.URLError as exc:
        reason = exc.reason
        outcome = ("timeout" if isinstance(reason, (TimeoutError, socket.timeout))
                   else "dns" if isinstance(reason, socket.gaierror)
                   else "refused" if isinstance(reason, ConnectionRefusedError) else "error")
    except (TimeoutError, socket.timeout):
        outcome = "timeout"
    except OSError:
        outcome = "reset"
    return outcome, time.monotonic() - start


def probe_sites(sites: list[Site], db: str, workers: int = 8) -> list[tuple[Site, str, float]]:
    store = Store(db)
    at = datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    with ThreadPoolExecutor(max(1, min(workers, len(sites)))) as pool:
        results = list(pool.map(lambda s: (s, *probe_once(s.url)), sites))
    for site, outcome, elapsed in results:
        store.add_probe(site.url, at, outcome, round(elapsed, 3))
    return results
