"""A single polite fetch outside a crawl (for `zwgk inspect URL`)."""
from __future__ import annotations

import urllib.error
import urllib.request

from crawler.settings import USER_AGENT


def fetch_once(url: str, timeout: float = 15.0) -> tuple[bytes, str, str]:
    """(body, final URL, Content-Type). Raises ValueError with a Chinese reason on failure."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.read(), resp.geturl(), resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise ValueError(f"{url} 返回 HTTP {exc.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ValueError(f"无法访问 {url}：{reason}") from None
