"""Evidence screenshots (issue 8.6): the page behind a 空白栏目, 栏目不更新 or 链接不可用 finding,
as a browser shows it, stamped with what an office cites — the URL, when, the HTTP status and,
for a column, the date of its newest entry.

Taken after the crawl and the audit, never during them: Playwright's sync API runs in a thread of
its own (the crawl's Twisted/asyncio reactor has stopped, and a fresh thread has no event loop),
one Chromium for all of a site's shots. Pages are loaded with their images and styles (a
screenshot should look like the page) but without fonts and media (speed; CJK text is drawn with
the system's fonts — fonts-noto-cjk, scripts/setup.sh).

Network safety is the crawl's (crawler/netsafety.py): every navigation, redirect and subrequest
passes a route handler that refuses schemes other than http(s) and hosts whose addresses are not
public — unless the host is the audited site's own — before the browser connects. Service workers
are blocked (they would fetch past the handler) and WebSockets are never connected. A page that
does not load, answers an error status or runs out of time gets no screenshot; that is never an
error of the run.

The stamp is a banner put into the page in a shadow root (the page's styles do not reach it), its
lines set as textContent only: crawled titles stay inert text.
"""
from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from .browser import CHROMIUM_ARGS, find_chromium
from .netsafety import _resolve, public, site_hosts

log = logging.getLogger(__name__)

SHOT_RULES = ("column.empty", "column.stale", "link.broken")      # in the order shots are taken
MAX_SHOTS = 50                 # per site ($ZWGK_MAX_SCREENSHOTS)
BUDGET = 180.0                 # seconds of shooting per site: a site of hanging pages ends there
VIEWPORT = {"width": 1280, "height": 900}
MAX_HEIGHT = 2400              # a long page is cut here (around the broken link, if it is lower)
JPEG_QUALITY = 60
SHOTS_DIR = "shots"
_SKIPPED = {"font", "media"}   # the picture needs images and styles, not web fonts or video
CST = timezone(timedelta(hours=8))


@dataclass
class Target:
    """One screenshot to take: `lines` are stamped on it (the capture adds its own time and
    HTTP status line); `highlight` is a link target outlined on the page."""
    key: str
    url: str
    lines: list[str] = field(default_factory=list)
    highlight: str = ""
    name: str = ""             # file name without extension ("" = from the key)
    settle: bool = False       # the page builds its content with scripts: wait for them


# ---- which findings get a shot, and what is stamped on it (pure) ----
def shot_targets(snapshot, findings, *, limit: int = MAX_SHOTS) -> list[Target]:
    """Targets for the findings that call for a screenshot, keyed by their index in `findings`:
    columns first (空白, 不更新), then broken links, at most `limit`. Only http(s) pages."""
    by_rule = {rid: [] for rid in SHOT_RULES}
    for i, f in enumerate(findings):
        if f.rule_id in by_rule and urlsplit(f.url or "").scheme in ("http", "https"):
            by_rule[f.rule_id].append((i, f))
    statuses = _fetch_statuses(snapshot)
    newest = _newest_by_column(snapshot)
    link_status = {urldefrag(ln.to_url)[0]: ln.status for ln in snapshot.links if ln.status}
    # Stored times are Beijing wall-clock time (naive) or aware: shown in Beijing time.
    began = snapshot.run.started
    if began is not None and began.tzinfo is not None:
        began = began.astimezone(CST)
    started = began.strftime("%Y-%m-%d %H:%M") if began else ""
    out: list[Target] = []
    for rid in SHOT_RULES:
        for i, f in by_rule[rid]:
            if len(out) >= limit:
                return out
            lines = [f"问题：{_title(rid)}" + (f" · 栏目「{f.column}」" if f.column else ""),
                     f"网址：{f.url}"]
            crawled = statuses.get(urldefrag(f.url)[0])
            if started or crawled:
                lines.append("抓取：" + "，".join(filter(None, (
                    started and f"{started}起的检查", crawled and f"HTTP状态 {crawled}"))))
            if rid.startswith("column."):
                lines.append(f"最新信息日期：{_newest_text(snapshot, f, newest)}")
            else:
                lines.append(f"失效链接：{f.target}")
                status = link_status.get(urldefrag(f.target)[0], "")
                if status:
                    lines.append(f"链接检查结果：{_status_text(status)}")
            column = _column_of(snapshot, f) if rid.startswith("column.") else None
            out.append(Target(key=str(i), url=f.url, lines=lines,
                              highlight=f.target if rid == "link.broken" else "",
                              name=_file_name(rid, f.url, f.target, f.column),
                              settle=bool(column and (column.rendered or column.evidence))))
    return out


def _title(rule_id: str) -> str:
    return {"column.empty": "空白栏目", "column.stale": "栏目不更新",
            "link.broken": "链接不可用"}.get(rule_id, rule_id)


def _status_text(status: str) -> str:
    return f"HTTP {status}" if str(status).isdigit() else str(status)


def _file_name(*parts: str) -> str:
    """Stable per problem: the same finding night after night overwrites its own shot."""
    return hashlib.sha1("\x1f".join(p or "" for p in parts).encode("utf-8")).hexdigest()[:16]


def _fetch_statuses(snapshot) -> dict[str, int]:
    out: dict[str, int] = {}
    for fetch in snapshot.fetches:
        if fetch.status:
            out[urldefrag(fetch.url)[0]] = fetch.status      # the last answer wins (retries)
    return out


def _newest_by_column(snapshot) -> dict[int, tuple[int, object]]:
    """column id -> (entries read, newest date or None)."""
    out: dict[int, tuple[int, object]] = {}
    for e in snapshot.entries:
        if e.column_id is None:
            continue
        n, best = out.get(e.column_id, (0, None))
        if e.date and (best is None or e.date > best):
            best = e.date
        out[e.column_id] = (n + 1, best)
    return out


def _column_of(snapshot, finding):
    return next((c for c in snapshot.columns if c.url == finding.url and c.name == finding.column),
                None) or next((c for c in snapshot.columns if c.url == finding.url), None)


def _newest_text(snapshot, finding, newest) -> str:
    column = _column_of(snapshot, finding)
    n, best = newest.get(column.id, (0, None)) if column else (0, None)
    if best:
        return best.isoformat()
    return "条目均无日期" if n else "无（未读到条目）"


# ---- where the browser may go ----
def _networks(values) -> list:
    return [ipaddress.ip_network(str(v).strip(), strict=False) for v in values or ()]


class Guard:
    """The crawl's address rules for the browser: `refusal(url)` is "" when it may be fetched."""

    def __init__(self, hosts: set[str], allow_networks=(), resolve=_resolve):
        self.hosts = {h.lower() for h in hosts}
        self.allowed = _networks(allow_networks)
        self.resolve = resolve
        self.verdicts: dict[str, str] = {}

    def refusal(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return f"scheme {parts.scheme!r} is not fetched"
        host = (parts.hostname or "").lower().rstrip(".")
        if not host:
            return "no host"
        if host in self.hosts:
            return ""          # the site the user asked for, wherever it lives
        if host not in self.verdicts:
            try:
                addresses = [str(ipaddress.ip_address(host))]
            except ValueError:
                try:
                    port = parts.port or (443 if parts.scheme == "https" else 80)
                except ValueError:
                    port = 80
                addresses = self.resolve(host, port)
            self.verdicts[host] = self._check(addresses)
        return self.verdicts[host]

    def _check(self, addresses: list[str]) -> str:
        if not addresses:
            return "does not resolve"
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            if any(ip in net for net in self.allowed):
                continue
            if not public(address):
                return f"address {address} is not public"
        return ""


# ---- the stamp: put into the page, text only ----
_STAMP_JS = r"""
({lines, highlight, cap}) => {
  const doc = document;
  const host = doc.createElement('zwgk-stamp');
  host.setAttribute('style', 'all: initial !important; display: block !important; ' +
    'position: relative !important; z-index: 2147483647 !important; width: 100% !important; ' +
    'margin: 0 !important; visibility: visible !important; opacity: 1 !important;');
  const root = host.attachShadow({mode: 'open'});
  const style = doc.createElement('style');
  style.textContent = ':host{all:initial}' +
    '.b{all:initial;display:block;box-sizing:border-box;width:100%;padding:8px 14px;' +
    'background:#fff4d6;border-bottom:3px solid #c0392b;color:#111;' +
    'font:14px/1.5 "Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei","PingFang SC",sans-serif}' +
    '.l{display:block;white-space:pre-wrap;word-break:break-all}' +
    '.h{font-weight:bold;color:#a00}';
  const box = doc.createElement('div');
  box.className = 'b';
  lines.forEach((text, i) => {
    const line = doc.createElement('div');
    line.className = i === 0 ? 'l h' : 'l';
    line.textContent = String(text);
    box.appendChild(line);
  });
  root.appendChild(style);
  root.appendChild(box);
  const body = doc.body || doc.documentElement;
  body.insertBefore(host, body.firstChild);

  let link = null;
  if (highlight) {
    const want = highlight.split('#')[0];
    for (const a of doc.querySelectorAll('a[href], area[href]')) {
      let href = '';
      try { href = new URL(a.getAttribute('href'), doc.baseURI).href.split('#')[0]; } catch (e) {}
      if (href === want || a.getAttribute('href') === highlight) {
        a.style.setProperty('outline', '3px solid #e00', 'important');
        a.style.setProperty('outline-offset', '2px', 'important');
        link = link || a;
      }
    }
  }
  const top = el => el.getBoundingClientRect().top + window.scrollY;
  let clipY = 0;
  if (link && top(link) + link.getBoundingClientRect().height + 40 > cap) {
    // The link is below the cut: show the part of the page around it, the stamp on top of it.
    doc.documentElement.appendChild(host);
    host.style.setProperty('position', 'absolute', 'important');
    host.style.setProperty('left', '0', 'important');
    clipY = Math.max(0, Math.round(top(link) - cap / 3));
    host.style.setProperty('top', clipY + 'px', 'important');
  }
  const height = Math.max(doc.documentElement.scrollHeight, doc.body ? doc.body.scrollHeight : 0);
  return {clipY, height, found: !!link};
}
"""


def stamp_time(moment: datetime | None = None) -> str:
    return (moment or datetime.now(CST)).astimezone(CST).strftime("%Y-%m-%d %H:%M:%S") + "（北京时间）"


# ---- capture ----
def capture(targets: list[Target], out_dir: Path, *, site_url: str = "", timeout: float = 15,
            chromium: str | None = None, allow_networks=(), max_shots: int = MAX_SHOTS,
            max_height: int = MAX_HEIGHT, budget: float = BUDGET) -> dict[str, str]:
    """Take the targets' screenshots into out_dir/shots/; returns {key: "shots/<name>.jpg"} for
    those taken. `site_url`'s hosts may be on private addresses (the audited site); everything
    else must be public. Never raises for a page or a browser that fails: it returns fewer shots."""
    targets = list(targets)[:max_shots]
    if not targets:
        return {}
    chromium = chromium or find_chromium()
    if chromium and os.path.isabs(chromium) and not os.path.exists(chromium):
        log.warning("screenshots: no browser at %s", chromium)
        return {}
    guard = Guard(site_hosts(site_url) if site_url else set(), allow_networks)
    shots: dict[str, str] = {}      # filled as shots are taken: a browser crash keeps those
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="zwgk-shots") as pool:
        future = pool.submit(_capture, targets, Path(out_dir), guard, timeout, chromium,
                             max_height, time.monotonic() + budget, shots)
        try:
            future.result()
        except Exception as exc:  # noqa: BLE001 — no browser, a crash: no evidence, not a failure
            log.warning("screenshots: browser unavailable (%s)", exc)
    return dict(shots)


def _capture(targets, out_dir: Path, guard: Guard, timeout: float, chromium: str | None,
             max_height: int, until: float, shots: dict[str, str]) -> None:
    from playwright.sync_api import sync_playwright

    folder = out_dir / SHOTS_DIR
    with sync_playwright() as p:
        launch = {"headless": True, "args": [*CHROMIUM_ARGS, "--dns-prefetch-disable"]}
        if chromium:
            launch["executable_path"] = chromium
        browser = p.chromium.launch(**launch)
        try:
            router = _Router(guard, timeout)
            tabs = _Tabs(browser, router)
            for target in targets:
                if time.monotonic() >= until:
                    log.info("screenshots: time is up after %d shots", len(shots))
                    break
                if guard.refusal(target.url):
                    continue
                name = (target.name or _file_name(target.key)) + ".jpg"
                try:
                    if _shoot(tabs, router, target, folder / name, timeout, max_height):
                        shots[target.key] = f"{SHOTS_DIR}/{name}"
                except Exception as exc:  # noqa: BLE001 — one page failing is that page's matter
                    log.info("screenshots: %s not captured (%s)", target.url,
                             str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
                    # A page stuck in its scripts holds its renderer, which a new tab of the same
                    # site would share: the next shot gets a new context (a new renderer).
                    tabs.drop_context()
        finally:
            _quietly(browser.close)


class _Tabs:
    """One tab for all shots (a new tab costs about as much as a shot), replaced when a
    navigation failed (the error page it commits later would cut into the next one), and its
    context replaced when a page got stuck."""

    def __init__(self, browser, router):
        self.browser, self.router = browser, router
        self.context = self.page = None

    def get(self):
        if self.context is None:
            self.context = self.browser.new_context(
                viewport=VIEWPORT, ignore_https_errors=True, service_workers="block",
                accept_downloads=False, locale="zh-CN", timezone_id="Asia/Shanghai")
            self.context.route("**/*", self.router.handle)
            self.context.route_web_socket("**/*", lambda ws: ws.close())   # never connected
        if self.page is None:
            self.page = self.context.new_page()
        return self.page

    def drop_page(self) -> None:
        page, self.page = self.page, None
        _quietly(page.close if page else None)

    def drop_context(self) -> None:
        context, self.context, self.page = self.context, None, None
        _quietly(context.close if context else None)


def _quietly(close) -> None:
    try:
        if close:
            close()
    except Exception:  # noqa: BLE001 — the browser is closed at the end anyway
        pass


MAX_REDIRECTS = 5


class _Router:
    """The route handler of every request the browser makes. Each is fetched here, hop by hop
    with no redirect followed, every hop's address checked first: Chromium follows a redirect it
    gets (answered by continue_ or fulfill) without asking the handler again. A redirect of the
    page itself is not answered at all: the page is sent to its new address by `_shoot`, so that
    the page knows where it is (its relative links resolve against that)."""

    def __init__(self, guard: Guard, timeout: float):
        self.guard = guard
        self.timeout_ms = timeout * 1000
        self.moved_to = ""          # where the last main-frame navigation was redirected

    def handle(self, route) -> None:
        request = route.request
        if request.resource_type in _SKIPPED:
            return route.abort()
        url = request.url
        try:
            main = request.is_navigation_request() and request.frame.parent_frame is None
        except Exception:  # noqa: BLE001 — no frame (a worker's request): treat as a subrequest
            main = False
        for _ in range(MAX_REDIRECTS + 1):
            why = self.guard.refusal(url)
            if why:
                log.info("screenshots: refused %s (%s)", url, why)
                return route.abort("blockedbyclient")
            try:
                response = route.fetch(url=url, max_redirects=0, timeout=self.timeout_ms)
            except Exception:  # noqa: BLE001 — connection refused, timeout …
                return route.abort("failed")
            location = response.headers.get("location")
            if not (300 <= response.status < 400 and location):
                return route.fulfill(response=response)
            url = urljoin(url, location)
            if main:
                self.moved_to = url
                return route.abort("aborted")
        return route.abort("failed")        # too many redirects


def _shoot(tabs: _Tabs, router: _Router, target: Target, path: Path, timeout: float,
           max_height: int) -> bool:
    from playwright.sync_api import TimeoutError as BrowserTimeout

    deadline = time.monotonic() + timeout
    url, response = target.url, None
    for _ in range(MAX_REDIRECTS + 1):
        page = tabs.get()
        page.set_viewport_size(VIEWPORT)
        page.set_default_timeout(timeout * 1000)
        router.moved_to = ""
        try:
            left = max(1.0, deadline - time.monotonic())
            response = page.goto(url, wait_until="load", timeout=left * 1000)
            break
        except Exception as exc:  # noqa: BLE001 — the router stopped a redirect, or the page failed
            if isinstance(exc, BrowserTimeout):
                raise           # the tab may be stuck: the caller starts afresh
            tabs.drop_page()
            if not router.moved_to or time.monotonic() >= deadline:
                log.info("screenshots: %s did not load (%s)", url, str(exc).splitlines()[0])
                return False
            url = router.moved_to
    if response is None or not response.ok:
        # Not the page the finding is about: no picture of an error page.
        log.info("screenshots: %s answered %s", url, response.status if response else "nothing")
        return False
    left = deadline - time.monotonic()
    if target.settle and left > 0:
        try:       # scripts that build the list: let their requests finish, a little
            page.wait_for_load_state("networkidle", timeout=min(left, 5.0) * 1000)
        except Exception:  # noqa: BLE001 — a page that keeps polling is shot as it is
            pass
    lines = [*target.lines, f"截图：{stamp_time()}，HTTP状态 {response.status}"]
    final = urldefrag(page.url)[0]
    if final != urldefrag(target.url)[0]:
        lines.insert(2, f"跳转至：{final}")
    placed = page.evaluate(_STAMP_JS, {"lines": lines, "highlight": target.highlight,
                                       "cap": max_height})
    clip_y = int(placed.get("clipY") or 0)
    height = max(1, min(max_height, int(placed.get("height") or VIEWPORT["height"]) - clip_y))
    path.parent.mkdir(parents=True, exist_ok=True)
    # A clip is cut from the viewport: make it tall enough (what full_page does itself).
    page.set_viewport_size({"width": VIEWPORT["width"],
                            "height": max(VIEWPORT["height"], clip_y + height)})
    page.screenshot(path=str(path), type="jpeg", quality=JPEG_QUALITY, animations="disabled",
                    clip={"x": 0, "y": clip_y, "width": VIEWPORT["width"], "height": height},
                    timeout=max(5.0, timeout) * 1000)
    return True


# ---- the audit's step ----
def attach_screenshots(snapshot, findings, out_dir: Path, *, timeout: float = 15,
                       limit: int | None = None, chromium: str | None = None) -> int:
    """Screenshot the findings that call for one into out_dir/shots/ and set each one's
    `evidence` to its path relative to out_dir's parent (the run's out dir in `zwgk run`, where
    the site's folder is out_dir): e.g. "示例区水务局/shots/3f…c1.jpg". Returns the count."""
    out_dir = Path(out_dir)
    if limit is None:
        limit = _max_shots()
    _clear_old(out_dir / SHOTS_DIR)
    try:
        targets = shot_targets(snapshot, findings, limit=limit)
        if not targets:
            return 0
        shots = capture(targets, out_dir, site_url=snapshot.run.site_url, timeout=timeout,
                        chromium=chromium, allow_networks=_allowed_networks(), max_shots=limit)
    except Exception as exc:  # noqa: BLE001 — evidence is an extra: the audit stands without it
        log.warning("screenshots: not taken (%s)", exc)
        return 0
    for key, rel in shots.items():
        findings[int(key)].evidence = f"{out_dir.name}/{rel}"
    return len(shots)


def _clear_old(folder: Path) -> None:
    """A folder written again (the same night run twice) keeps no shot of a finding now gone:
    only our own file names are removed."""
    if folder.is_dir():
        for path in folder.glob("*.jpg"):
            if re.fullmatch(r"[0-9a-f]{16}\.jpg", path.name):
                path.unlink(missing_ok=True)


def _max_shots() -> int:
    try:
        return max(0, int(os.environ.get("ZWGK_MAX_SCREENSHOTS", MAX_SHOTS)))
    except ValueError:
        return MAX_SHOTS


def _allowed_networks() -> list:
    from . import settings
    return list(getattr(settings, "ZWGK_ALLOW_NETWORKS", []) or [])
