"""The browser for pages whose content exists only after scripts run (scrapy-playwright).

Debian's or the user's Chromium is launched by path (Playwright cannot download its own browser
everywhere); images, fonts and media are never loaded; one browser serves the whole run and
scrapy-playwright closes it when the crawl ends.
"""
from __future__ import annotations

import json
import os
import shutil
import weakref
from urllib.parse import parse_qsl, urlsplit

from scrapy_playwright.page import PageMethod

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]
_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome",
               "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")
_SKIPPED_RESOURCES = {"image", "font", "media"}


def find_chromium() -> str | None:
    """A system Chrome/Chromium ($ZWGK_CHROMIUM first); None lets Playwright use its own."""
    env = os.environ.get("ZWGK_CHROMIUM")
    if env:
        return env
    for name in _CANDIDATES:
        path = shutil.which(name) or (name if os.path.isabs(name) and os.path.exists(name) else None)
        if path:
            return path
    return None


def skip_heavy(request) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: the list is text; pictures and fonts only cost time and memory."""
    return request.resource_type in _SKIPPED_RESOURCES


def browser_settings(per_host: int, timeout: float) -> dict:
    launch = {"headless": True, "args": CHROMIUM_ARGS}
    path = find_chromium()
    if path:
        launch["executable_path"] = path
    return {
        "DOWNLOAD_HANDLERS": {
            "http": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
            "https": "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler",
        },
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch,
        "PLAYWRIGHT_ABORT_REQUEST": skip_heavy,
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": max(1, per_host),
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": timeout * 2 * 1000,
    }


# Answers of the page's own scripts worth reading as list endpoints: XHR/fetch, and JSONP that
# comes as a script (a script whose path is not a .js file).
_ANSWER_TYPES = {"xhr", "fetch"}
_MAX_ANSWER = 5 * 1024 * 1024
_MAX_ANSWERS = 40


class Capture:
    """What the page's own scripts fetched while it rendered (kept in the request's meta).

    `answers`: [{"url", "method", "data", "headers", "status", "body"}] of XHR/fetch/JSONP answers
    that look like data (not HTML); `failed`: the page's own data requests that failed (an error
    status or no answer); `settled`: the page reached network idle in time."""

    def __init__(self):
        self.responses: list = []
        self.answers: list[dict] = []
        self.failed = 0
        self.settled = False
        self.cookies: list[dict] = []       # the browser context's cookies (a wall's clearance)

    def on_response(self, response) -> None:
        request = response.request
        kind = request.resource_type
        if kind not in _ANSWER_TYPES and not (kind == "script" and not _is_js_file(response.url)):
            return
        if response.status >= 400:
            self.failed += kind in _ANSWER_TYPES
            return
        if len(self.responses) < _MAX_ANSWERS:
            self.responses.append(response)

    def on_request_failed(self, request) -> None:
        if request.resource_type in _ANSWER_TYPES:
            self.failed += 1

    async def collect(self) -> None:
        """Read the recorded answers' bodies (the page is still open)."""
        for response in self.responses:
            try:
                body = await response.body()
            except Exception:  # noqa: BLE001 — a redirect or an evicted body: nothing to read
                continue
            if len(body) > _MAX_ANSWER:
                continue
            text = body.decode(_charset(response.headers.get("content-type", "")) or "utf-8", errors="replace")
            head = text.lstrip("\ufeff \t\r\n")[:200].lower()
            if head.startswith(("<!doctype", "<html")):
                continue
            request = response.request
            self.answers.append({"url": response.url, "method": request.method,
                                 "data": _form(request), "headers": _json_headers(request),
                                 "status": response.status, "body": text})
        self.responses = []


def _is_js_file(url: str) -> bool:
    return urlsplit(url).path.lower().endswith((".js", ".mjs"))


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def _form(request) -> dict:
    """A POST's form or JSON body as a dict (the readers page by its page parameter)."""
    body = request.post_data
    if not body:
        return {}
    try:
        value = json.loads(body)
        if isinstance(value, dict):
            return value
    except ValueError:
        pass
    return dict(parse_qsl(body, keep_blank_values=True))


def _json_headers(request) -> dict:
    ctype = (request.headers.get("content-type") or "").lower()
    return {"Content-Type": "application/json"} if request.post_data and "json" in ctype else {}


async def watch(page, request) -> None:
    """PLAYWRIGHT page init callback: record the page's own data requests from the start."""
    capture = Capture()
    request.meta["zwgk_capture"] = capture
    page.on("response", capture.on_response)
    page.on("requestfailed", capture.on_request_failed)
    _CAPTURES[page] = capture


_CAPTURES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


async def settle(page, timeout_ms: float) -> bool:
    """Wait for the page's own requests to finish; a page that keeps polling is read as it is.
    True when the page reached network idle in time; the captured answers are read here."""
    settled = True
    try:
        await page.wait_for_load_state("networkidle", timeout=timeout_ms)
    except Exception:  # noqa: BLE001 — Playwright's TimeoutError: take what has rendered
        settled = False
    capture = _CAPTURES.pop(page, None)
    if capture is not None:
        capture.settled = settled
        await capture.collect()
        try:
            capture.cookies = await page.context.cookies()
        except Exception:  # noqa: BLE001 — a closed context: no cookies to share
            capture.cookies = []
    return settled


def render_meta(timeout: float) -> dict:
    """Request meta that loads a page in the browser, records the data its scripts fetch and waits
    for those requests to finish."""
    return {"playwright": True,
            "playwright_page_init_callback": "crawler.browser.watch",
            "playwright_page_methods": [PageMethod(settle, timeout * 1000)]}


def rendering(meta: dict) -> tuple[bool, bool, list[dict]]:
    """(settled, failed, captured answers) of a response rendered with `render_meta`: settled, the
    page's own requests finished in time; failed, one of its data requests got an error or no
    answer (then what the page shows is not all it would show)."""
    capture = meta.get("zwgk_capture")
    if capture is None:
        return False, False, []
    return capture.settled, bool(capture.failed), list(capture.answers)
