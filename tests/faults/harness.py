"""The fault harness (issue 9.7): one healthy generated site, and one copy of it per fault kind with
that one fault applied (homepage, section, a list page or a document), all served on 127.0.0.1 and
audited together by one `zwgk run` — a registry mixing faulty and healthy sites, as a night meets
real government servers. Each faulty site's findings are compared with the healthy site's:

    lost  = healthy findings the faulty run did not report (allowed only where the scorecard says
            结论不完整 — the part the fault hid was not checked, and the report says so)
    added = findings the faulty run reported that the healthy one did not (must be none)

Used by tests/faults/test_faults.py (asserts) and bench/faults.py (prints the table).
"""
from __future__ import annotations

import json
import os
import re
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from tests.sites.generator import ColumnSpec, SiteSpec, build_site
from tests.sites.server import _Server

AS_OF = SiteSpec().as_of
SECTION = "/zfxxgk/"
LIST = "/zfxxgk/tzgg/"          # 通知公告: stale in the healthy site (column.stale)
NEWS = "/zfxxgk/gzdt/"          # 工作动态: two list pages
POLICY = "/zfxxgk/zcwj/"        # 政策文件
TIMEOUT = 3.0                   # --timeout of the run; the slow fault answers after SLOW s
SLOW = 8.0
MAX_LIST_PAGES = 6              # ZWGK_MAX_LIST_PAGES for the run (the healthy columns have ≤ 2)
# 加速乐: a script sets the clearance cookie and reloads; 瑞数: $_ts and a script, no text.
JSL = ("<html><body><script>document.cookie=('__jsl_clearance=1606;max-age=3600;path=/');"
       "location.href=location.pathname+location.search</script></body></html>")
RS = ("<html><head><meta charset=utf-8><script>var $_ts=window['$_ts'];if(!$_ts)$_ts=window['$_ts']={};"
      "$_ts.nsd=38475;$_ts.cd='qrzbrrAlqGlF';</script><script src='/rs/abc.js' r='m'></script>"
      "</head><body></body></html>")


def healthy_spec() -> SiteSpec:
    """Small, with findings a fault could hide: a stale and an empty column, a document missing a
    field, a dead link."""
    return replace(SiteSpec(seed=3), page_size=5, pager="links", dead_links=1, missing_fields=1,
                   columns=[ColumnSpec.of("工作动态", 8), ColumnSpec.of("通知公告", 6, "stale"),
                            ColumnSpec.of("政策文件", 4), ColumnSpec.of("人事信息", 0, "empty")])


@dataclass
class Case:
    kind: str                      # the fault kind (table row)
    where: str                     # homepage | section | list | document | link
    faults: dict = field(default_factory=dict)     # server faults (paths may hold {doc}, {other})
    edit: object = None            # edit(root, ctx) -> None: file changes (robots.txt, bad bytes)
    outcomes: tuple = ()           # run.json errors kinds, any of which names the fault
    render: str = "never"
    real: tuple = ()               # findings the fault makes true (the homepage really is down)


def _robots(root: Path, ctx) -> None:
    (root / "robots.txt").write_text(f"User-agent: *\nDisallow: {SECTION}\n", "utf-8")


def _vt_after_comment(root: Path, ctx) -> None:
    page = root / "index.html"
    html = page.read_text("utf-8")
    page.write_text(html.replace("<body>", "<body><!-- 统计代码 -->\x0b", 1), "utf-8")


def _link_to(address: str):
    def edit(root: Path, ctx) -> None:
        doc = root / ctx["doc"].lstrip("/")
        html = doc.read_text("utf-8")
        doc.write_text(html.replace("</body>", f'<p><a href="{address}">相关链接</a></p></body>', 1), "utf-8")
    return edit


CASES = [
    Case("503 ×3 then recover", "list", {LIST: {"status": 503, "times": 3}}, outcomes=("retried_http_5xx",)),
    # A page that stays 5xx across the later recheck is really broken for its readers: the links
    # to it are link.broken (rules.md), the true finding such a fault makes.
    Case("503 always", "list", {LIST: {"status": 503}}, outcomes=("http_5xx",), real=("link.broken",)),
    Case("503 ×2 then recover", "list", {LIST: {"status": 503, "times": 2}}, outcomes=("retried_http_5xx",)),
    Case("connection reset once", "list", {LIST: {"reset": True, "times": 1}}, outcomes=("retried_reset",)),
    Case("connection reset always", "document", {"{doc}": {"reset": True}}, outcomes=("reset",)),
    Case("429 + Retry-After", "list", {LIST: {"status": 429, "times": 2, "headers": {"Retry-After": "1"}}},
         outcomes=("retried_rate_limited",)),
    Case("503 + Retry-After", "section", {SECTION: {"status": 503, "times": 2, "headers": {"Retry-After": "1"}}},
         outcomes=("retried_http_5xx",)),
    Case("429 + Retry-After too long", "list",
         {LIST: {"status": 429, "headers": {"Retry-After": "3600"}}}, outcomes=("rate_limited",)),
    Case("加速乐 521 passed by the browser", "list",
         {LIST: {"status": 521, "body": JSL, "unless_cookie": "__jsl_clearance"}}, render="auto"),
    Case("瑞数 412 wall that stays shut", "list", {LIST: {"status": 412, "body": RS}},
         outcomes=("blocked",), render="auto"),
    Case("瑞数 412 wall (no browser)", "list", {LIST: {"status": 412, "body": RS}}, outcomes=("blocked",)),
    Case("slow headers > --timeout", "section", {SECTION: {"delay": SLOW}}, outcomes=("timeout",)),
    Case("slow headers > --timeout (list)", "list", {LIST: {"delay": SLOW}}, outcomes=("timeout",)),
    Case("robots.txt disallows the section", "section", edit=_robots, outcomes=("robots",)),
    Case("200 with an empty body", "list", {LIST: {"status": 200, "body": ""}}, outcomes=("empty",)),
    Case("truncated body", "list", {LIST: {"answer": "truncate"}}, outcomes=("truncated",)),
    Case("binary served as text/html", "document", {"{doc}": {"answer": "binary"}}, outcomes=("not_html",)),
    Case("20 MB page", "document", {"{doc}": {"answer": "oversize", "size": 20 << 20}}),
    Case("gzip bomb (1 GiB)", "document", {"{doc}": {"answer": "gzip_bomb", "size": 1 << 30}},
         outcomes=("oversize",)),
    Case("redirect loop", "list", {LIST: {"status": 302, "headers": {"Location": "/loop/a.html"}},
                                   "/loop/a.html": {"status": 302, "headers": {"Location": LIST}}},
         outcomes=("redirect_loop",)),
    Case("redirect to 10.0.0.1", "list",
         {LIST: {"status": 302, "headers": {"Location": "http://10.0.0.1/zfxxgk/tzgg/"}}},
         outcomes=("forbidden_address",)),
    Case("redirect to 169.254.169.254", "document",
         {"{doc}": {"status": 302, "headers": {"Location": "http://169.254.169.254/latest/meta-data/"}}},
         outcomes=("forbidden_address",)),
    Case("link to 10.0.0.1", "link", edit=_link_to("http://10.0.0.1/admin/")),
    Case("column redirected to another host", "list",
         {POLICY: {"status": 302, "headers": {"Location": "{other}zfxxgk/zcwj/"}}}, outcomes=("offsite",)),
    Case("endless pagination", "list", {NEWS: {"answer": "endless"}, NEWS + "*": {"answer": "endless"}},
         outcomes=("budget",)),
    Case("U+000B after a comment (homepage)", "homepage", edit=_vt_after_comment),
    Case("homepage 5xx burst that recovers", "homepage", {"/": {"status": 503, "times": 3}},
         outcomes=("retried_http_5xx",)),
    Case("homepage down", "homepage", {"/": {"status": 503}}, outcomes=("http_5xx",),
         real=("site.unreachable",)),
]


class _Quiet(_Server):
    def handle_error(self, request, client_address):
        pass        # a client that gave up on a fault answer is no news


@contextmanager
def serve_bounded(root: Path, faults: dict, *, max_requests: int = 5000, lifetime: float = 600):
    """The fixture server with a bound on requests and on its lifetime (then it shuts down)."""
    import threading
    server = _Quiet(root, faults)
    server.max_requests = max_requests
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    timer = threading.Timer(lifetime, lambda: (server.stopping.set(), server.shutdown()))
    timer.daemon = True
    timer.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", server
    finally:
        timer.cancel()
        server.stopping.set()
        server.shutdown()
        server.server_close()


def _key(f: dict, base: str) -> tuple:
    """A finding independent of the port it was served on."""
    strip = lambda u: (u or "").replace(base, "/").replace(base.rstrip("/"), "")   # noqa: E731
    return (f["rule_id"], f.get("column", ""), strip(f.get("url")), strip(f.get("target")))


@dataclass
class Result:
    case: Case
    base: str
    errors: dict
    findings: set
    incomplete: bool
    duration: float
    status: str
    lost: set = field(default_factory=set)
    added: set = field(default_factory=set)
    requests: int = 0
    scorecard: str = ""
    fault_errors: dict = field(default_factory=dict)   # errors beyond the healthy site's

    @property
    def named(self) -> list[str]:
        return [k for k in self.case.outcomes if self.errors.get(k)]


def _site_results(out: Path, sites: dict, servers: dict) -> dict:
    run = json.loads((out / "run.json").read_text("utf-8"))
    results = {}
    for row in run["sites"]:
        case, base = sites[row["name"]]
        folder = out / Path(row["scorecard"]).parent if row.get("scorecard") else None
        site_run, findings, html = {}, [], ""
        if folder and (folder / "run.json").exists():
            site_run = json.loads((folder / "run.json").read_text("utf-8"))
            findings = json.loads((folder / "findings.json").read_text("utf-8"))
            html = (folder / "scorecard.html").read_text("utf-8")
        if case.where == "link" and site_run:
            errors = dict(site_run.get("errors", {}))
            for status in _link_statuses(out.parent / "zwgk.db", site_run, "10.0.0.1"):
                errors[f"link:{status or 'unchecked'}"] = errors.get(f"link:{status or 'unchecked'}", 0) + 1
            site_run["errors"] = errors
        results[row["name"]] = Result(
            case=case, base=base, errors=site_run.get("errors", {}),
            findings={_key(f, base) for f in findings},
            incomplete="结论不完整" in html, duration=float(site_run.get("duration_seconds") or 0),
            status=row["status"], requests=servers[row["name"]].requests, scorecard=html)
    return results


def zwgk(*args: str, cwd: Path, timeout: float):
    """The real command line in a subprocess, this checkout first on the path, with `env()`."""
    import subprocess
    import sys
    repo = Path(__file__).resolve().parents[2]
    environ = {**os.environ, **env(),
               "PYTHONPATH": os.pathsep.join(filter(None, [str(repo), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "zwgk", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env=environ)


def _link_statuses(db: Path, site_run: dict, host: str) -> list[str]:
    """What the link check recorded for the links to `host` (a link is no fetch of the crawl)."""
    from snapshot.store import Store
    run_id = (site_run.get("options") or {}).get("run_id")
    if run_id is None:
        return []
    snap = Store(str(db)).load(int(run_id))
    return [ln.status for ln in snap.links if host in ln.to_url]


def run_cases(tmp: Path, cases: list[Case], render: str) -> tuple[Result, list[Result], float]:
    """Serve the healthy site and one faulty copy per case; `zwgk run` them all at once.
    Returns (healthy, faulty results in case order, wall seconds of the run)."""
    spec = healthy_spec()
    tmp.mkdir(parents=True, exist_ok=True)
    from tests.faults.answers import gzip_bomb
    for case in cases:      # made before serving, not while the crawler waits
        for fault in case.faults.values():
            if fault.get("answer") == "gzip_bomb":
                gzip_bomb(int(fault["size"]))
    with ExitStack() as stack:
        # The other host a column is redirected to: another generated site, "localhost".
        other_root = tmp / "other"
        build_site(other_root, replace(SiteSpec(seed=8), page_size=5))
        other_base, _ = stack.enter_context(serve_bounded(other_root, {}))
        other_base = other_base.replace("127.0.0.1", "localhost")
        sites, servers, registry = {}, {}, []
        for i, case in enumerate([Case("healthy", "-", render=render)] + cases):
            root = tmp / f"site{i}"
            truth = build_site(root, spec)
            ctx = {"doc": _fault_document(truth, root), "other": other_base}
            if case.edit:
                case.edit(root, ctx)
            faults = {k.format(**ctx): _fill(v, ctx) for k, v in case.faults.items()}
            base, server = stack.enter_context(serve_bounded(root, faults))
            name = f"F{i:02d}" if i else "healthy"
            sites[name], servers[name] = (case, base), server
            registry.append({"name": name, "url": base, "kind": spec.kind})
        reg = tmp / "sites.yaml"
        reg.write_text(yaml.safe_dump(registry, allow_unicode=True), "utf-8")
        out = tmp / "out"
        t0 = time.monotonic()
        proc = zwgk("run", str(reg), "--out", str(out), "--db", str(tmp / "zwgk.db"),
                    "--as-of", AS_OF.isoformat(), "--no-throttle", "--per-host", "4",
                    "--render", render, "--concurrency", "6", "--timeout", str(TIMEOUT),
                    "--no-screenshots", cwd=tmp, timeout=900)
        seconds = time.monotonic() - t0
        if proc.returncode != 0:
            raise AssertionError(f"zwgk run exited {proc.returncode}: {proc.stderr[-3000:]}")
        if "Traceback" in proc.stderr:
            raise AssertionError(f"a traceback on stderr: {proc.stderr[-3000:]}")
        results = _site_results(out, sites, servers)
    healthy = results.pop("healthy")
    ordered = []
    for name in sorted(results):
        r = results[name]
        r.lost = healthy.findings - r.findings
        r.added = r.findings - healthy.findings
        r.fault_errors = {k: n - healthy.errors.get(k, 0) for k, n in r.errors.items()
                          if n > healthy.errors.get(k, 0)}
        ordered.append(r)
    return healthy, ordered, seconds


def _fill(value, ctx):
    if isinstance(value, dict):
        return {k: _fill(v, ctx) for k, v in value.items()}
    return value.format(**ctx) if isinstance(value, str) and "{" in value and "}" in value \
        and not value.lstrip().startswith("<") else value


def _fault_document(truth, root: Path) -> str:
    """The path of a document with a finding of its own (the missing field), so that losing it
    shows as a lost finding."""
    for rule_id, _column, url in sorted(truth.findings):
        if rule_id == "doc.missing_fields":
            return urlsplit(url).path
    docs = sorted(root.glob("zfxxgk/tzgg/*/t*.html"))
    return "/" + docs[0].relative_to(root).as_posix()


def env() -> dict:
    """The environment the run needs: short waits (see tests/conftest.py) and a small list budget."""
    return {"ZWGK_HOMEPAGE_RETRY_SPAN": os.environ.get("ZWGK_HOMEPAGE_RETRY_SPAN", "0.6"),
            "ZWGK_LINK_RECHECK_DELAY": os.environ.get("ZWGK_LINK_RECHECK_DELAY", "0.5"),
            "ZWGK_MAX_LIST_PAGES": str(MAX_LIST_PAGES)}


def table(results: list[Result]) -> str:
    rows = [("fault kind", "where", "outcome named (run.json errors)", "lost", "added", "结论不完整")]
    for r in results:
        named = ", ".join(f"{k}×{v}" for k, v in sorted(r.fault_errors.items())) or \
            ("— (overcome)" if not r.lost else "— (NOT NAMED)")
        real = {k for k in r.added if k[0] in r.case.real}
        added = str(len(r.added - real)) + (f" (+{len(real)} true: {', '.join(sorted({k[0] for k in real}))})"
                                            if real else "")
        rows.append((r.case.kind, r.case.where, named, str(len(r.lost)), added,
                     "yes" if r.incomplete else "no"))
    widths = [max(_w(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c + " " * (w - _w(c)) for c, w in zip(row, widths)) for row in rows)


def _w(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
