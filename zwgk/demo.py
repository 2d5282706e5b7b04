"""`zwgk demo`: the nightly job over bundled sample sites on 127.0.0.1, two nights, no network.

Night 1 audits every site; then some problems are fixed on the served files (a mobile number
masked, an entry published into a blank column, a broken link's target put up) and one new
problem appears (a mobile number published); night 2 runs again on the same database, so its
通报 and dashboard show 已整改 / 持续存在 / 新发现. `zwgk demo --site` is the single-site spot check.

Each night is its own `zwgk run` process: Twisted's reactor runs once per process.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from contextlib import ExitStack
from datetime import date, timedelta
from pathlib import Path

import yaml

from .crawl import CrawlOptions
from .jobs import AuditJob, run_audit
from .serve import serve_directory

DEMO_SITE = Path(__file__).parent / "demo_site"
NIGHTLY = DEMO_SITE / "_nightly"
REPO = Path(__file__).resolve().parents[1]


def run_demo(out: Path | None = None) -> Path:
    """The single-site spot check (`zwgk demo --site`): returns the scorecard's path."""
    manifest = json.loads((DEMO_SITE / "manifest.json").read_text(encoding="utf-8"))
    out = out or Path("zwgk-out") / "demo"
    with serve_directory(DEMO_SITE) as base_url:
        print(f"示例网站：{base_url}（{manifest.get('name', '')}）", flush=True)
        as_of = date.fromisoformat(manifest["as_of"])
        job = AuditJob(
            url=base_url, out_dir=out, as_of=as_of,
            db=str(out / "zwgk.db"), kind=manifest.get("kind", "auto"),
            crawl=CrawlOptions(throttle=False, per_host=8, progress_interval=2.0, as_of=as_of))
        return run_audit(job)


# ---- edits to served files: the office's sites fixing (or breaking) things between nights ----
def mask_number(root: Path, path: str, number: str) -> None:
    """Mask a published mobile number (138****5678) on the page at site path `path`."""
    page = _page(root, path)
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace(number, number[:3] + "****" + number[-4:]), encoding="utf-8")


def create_target(root: Path, path: str) -> None:
    """Put up the file a broken link points to."""
    target = root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"%PDF-1.4\n% zwgk demo\n")


def publish(root: Path, path: str, donor: str) -> None:
    """Publish one entry into the blank column at `path`: the 暂无信息 marker gives way to a list
    with the newest document of the column `donor` copied (so the entry's page exists, and its
    dates agree with the list)."""
    donor_page = _page(root, donor).read_text(encoding="utf-8")
    # The donor's newest entry and the date its list shows: the copy keeps the page's own dates.
    href, shown = re.search(r'href="([^"]*/t\d+_\d+\.html)".{0,600}?(\d{4}-\d{2}-\d{2})', donor_page,
                            re.S).groups()
    source = _page(root, donor.rstrip("/") + "/" + href.lstrip("./")) if not href.startswith("/") \
        else _page(root, href)
    when = date.fromisoformat(shown)
    name = f"{when:%Y%m}/t{when:%Y%m%d}_900001.html"
    target = root / path.strip("/") / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    title = re.search(r"<title>([^<-]+)", source.read_text(encoding="utf-8")).group(1).strip()
    column = _page(root, path)
    html = column.read_text(encoding="utf-8")
    entry = (f'<ul class="list">\n<li><a href="./{name}" target="_blank" title="{title}">{title}</a>'
             f'<span class="date">{when.isoformat()}</span></li>\n</ul>\n')
    column.write_text(html.replace('<div class="no-data">暂无信息</div>', entry, 1), encoding="utf-8")


def add_number(root: Path, column: str, number: str = "13900001111") -> str:
    """Publish a mobile number on the newest document of `column`; returns that page's site path."""
    listing = _page(root, column).read_text(encoding="utf-8")
    href = next(h for h in re.findall(r'href="([^"]+\.html)"', listing) if re.search(r"/t\d+_\d+\.html$", h))
    path = href if href.startswith("/") else column.rstrip("/") + "/" + href.lstrip("./")
    page = _page(root, path)
    html = page.read_text(encoding="utf-8")
    note = f"<p>联系人：王五，手机{number}。</p>"
    # After the body's first paragraph of text (the title and the footer are not the document).
    html = re.sub(r"(<p>[^<]{20,}</p>)", lambda m: m.group(1) + note, html, count=1)
    page.write_text(html, encoding="utf-8")
    return path


def _page(root: Path, path: str) -> Path:
    p = root / path.split("?")[0].lstrip("/")
    return p / "index.html" if path.endswith("/") or p.is_dir() else p


def apply_edit(root: Path, edit: dict, when: date) -> None:
    op = edit["op"]
    if op == "mask_number":
        mask_number(root, edit["path"], edit["number"])
    elif op == "create_target":
        create_target(root, edit["path"])
    elif op == "publish":
        publish(root, edit["path"], edit["donor"])
    elif op == "add_number":
        add_number(root, edit["column"])
    else:
        raise ValueError(f"unknown demo edit {op!r}")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_nightly_demo(out: Path | None = None) -> int:
    """Two nights of `zwgk run` over the bundled sites; prints where the results are."""
    manifest = json.loads((NIGHTLY / "manifest.json").read_text(encoding="utf-8"))
    out = Path(out or Path("zwgk-out") / "demo")
    if out.exists():
        shutil.rmtree(out)
    served = out / "sites"
    night1 = date.fromisoformat(manifest["as_of"])
    night2 = night1 + timedelta(days=1)
    with ExitStack() as stack:
        registry, roots = [], {}
        for site in manifest["sites"]:
            root = served / (site["dir"] or "main")
            src = NIGHTLY / site["dir"] if site["dir"] else DEMO_SITE
            shutil.copytree(src, root, ignore=shutil.ignore_patterns("_nightly", "manifest.json"))
            roots[site["dir"]] = root
            base = stack.enter_context(serve_directory(root))
            registry.append({k: site[k] for k in ("name", "kind", "group", "ident", "host_org")} | {"url": base})
        down = manifest.get("down")
        if down:    # a site whose server is off: shown as 无法访问, never stops the others
            registry.append({**down, "url": f"http://127.0.0.1:{_closed_port()}/"})
        sites_file = out / "sites.yaml"
        sites_file.write_text(yaml.safe_dump(registry, allow_unicode=True, sort_keys=False),
                              encoding="utf-8")
        print(f"示例网站 {len(registry)} 个，清单：{sites_file}", flush=True)

        print(f"\n== 第一晚（{night1}）==", flush=True)
        code = _night(sites_file, out, night1)
        if code:
            return code
        for edit in manifest.get("night2", []):
            apply_edit(roots[edit["site"]], edit, night2)
        print(f"\n== 第二晚（{night2}）：部分问题已整改，另有一个新问题 ==", flush=True)
        code = _night(sites_file, out, night2)
        if code:
            return code
    last = out / night2.isoformat()
    print(f"\n第一晚结果：{(out / night1.isoformat()).resolve()}")
    print(f"仪表盘：{(last / 'index.html').resolve()}")
    for name in ("tongbao.xlsx", "tongbao.docx", "tongbao.csv"):
        print(f"通报：{(last / name).resolve()}")
    return 0


def _night(sites_file: Path, out: Path, as_of: date) -> int:
    # The sample sites are ours, on this machine: no throttling, no browser, a down site given
    # up on after a few seconds (the real homepage retry spans a minute: rules.md).
    env = {**os.environ, "ZWGK_HOMEPAGE_RETRY_SPAN": os.environ.get("ZWGK_HOMEPAGE_RETRY_SPAN", "3"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    cmd = [sys.executable, "-m", "zwgk", "run", str(sites_file), "--out", str(out / as_of.isoformat()),
           "--db", str(out / "zwgk.db"), "--as-of", as_of.isoformat(), "--no-throttle",
           "--per-host", "8", "--render", "never", "--round", f"{as_of.year}Q{(as_of.month - 1) // 3 + 1}"]
    return subprocess.run(cmd, env=env).returncode
