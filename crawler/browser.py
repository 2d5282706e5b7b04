"""The browser for pages whose content exists only after scripts run (scrapy-playwright).

Debian's or the user's Chromium is launched by path (Playwright cannot download its own browser
everywhere); images, fonts and media are never loaded; one browser serves the whole run and
scrapy-playwright closes it when the crawl ends.
"""
from __future__ import annotations

import os
import shutil

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


async def settle(page, timeout_ms: float) -> None:
    """Wait for the page's own requests to finish; a page that keeps polling is read as it is."""
    try:
        await page.wait_for_load_state("networkidle", timeout=timeout_ms)
    except Exception:  # noqa: BLE001 — Playwright's TimeoutError: take what has rendered
        pass


def render_meta(timeout: float) -> dict:
    """Request meta that loads a page in the browser and waits for its scripts' requests."""
    return {"playwright": True,
            "playwright_page_methods": [PageMethod(settle, timeout * 1000)]}
