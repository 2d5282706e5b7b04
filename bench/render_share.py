"""The browser stays the exception: the share of list pages rendered in Chromium per list style,
with `--render auto`, on generated sites of every style and on an app-style site (empty lists
filled by `/static/js/app.<hash>.js` from a JSON API: each column page is rendered once, its later
pages come straight from the captured endpoint).

    .venv/bin/python bench/render_share.py [--seeds 2] [--documents 400] [--show]

Prints, per style: list pages fetched (column pages and later list pages / endpoint answers),
how many of them went through the browser, the share, and the share of all pages. Asserts nothing.
"""
from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.sites.generator import STYLES, benchmark_spec, build_site, random_spec  # noqa: E402
from tests.sites.server import serve  # noqa: E402


SHOW = False


def audit(base: str, out: Path, as_of: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [sys.executable, "-m", "zwgk", "audit", base, "--out", str(out), "--db", str(out / "b.db"),
         "--as-of", as_of, "--no-throttle", "--ignore-robots", "--per-host", "8", "--render", "auto",
         "--timeout", "5"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"zwgk audit failed: {proc.stderr[-2000:]}")
    return out / "b.db"


def shares(db: Path) -> tuple[int, int, int, int]:
    """(list pages, rendered list pages, all pages, rendered pages) of the run's fetches."""
    with sqlite3.connect(db) as con:
        rows = con.execute("select role, rendered from fetches").fetchall()
        if SHOW:
            for (url,) in con.execute("select url from fetches where rendered"):
                print("  rendered:", url)
    lists = [r for role, r in rows if role in ("column", "list")]
    return len(lists), sum(1 for r in lists if r), len(rows), sum(1 for _, r in rows if r)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=2, help="generated sites per style")
    ap.add_argument("--show", action="store_true", help="list the pages that were rendered")
    ap.add_argument("--documents", type=int, default=0,
                    help="use a large fault-free site of about this many documents per style "
                         "(benchmark_spec) instead of the small test sites")
    args = ap.parse_args()
    global SHOW
    SHOW = args.show
    results: dict[str, list[tuple[int, int, int, int]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for style in STYLES:
            for seed in range(args.seeds):
                if args.documents:
                    spec = benchmark_spec(args.documents, seed)
                    spec.style = style
                else:
                    spec = replace(random_spec(seed, style=style), unreachable=False, slow_column="")
                root = tmp / f"{style}{seed}"
                truth = build_site(root, spec)
                with serve(root, truth.faults) as base:
                    db = audit(base, tmp / f"out-{style}{seed}", spec.as_of.isoformat())
                results.setdefault(style, []).append(shares(db))
        from tests.e2e.test_app_sites import AS_OF, _App, _build
        from zwgk.serve import serve_directory

        # 19 columns of 0-45 records, every list drawn by /static/js/app.<hash>.js from /api/list.
        names = ["通知公告", "工作动态", "部门动态", "政策文件", "政策解读", "公示公告", "人事信息", "规划计划",
                 "财政预决算", "重点领域信息", "建议提案办理", "政务要闻", "乡镇动态", "招标采购", "统计数据",
                 "审计公告", "应急管理", "环境保护", "食品安全"]
        columns = {f"c{i:02d}": (name, (i * 7) % 46, "get") for i, name in enumerate(names)}

        class Handler(_App):
            pass
        Handler.columns = columns
        with serve_directory(_build(tmp / "app", columns), handler=Handler) as base:
            results["app (script + API)"] = [shares(audit(base, tmp / "out-app", AS_OF.isoformat()))]
    print(f"{'style':<20} {'list pages':>10} {'rendered':>9} {'share':>7} {'all pages':>10} {'rendered':>9} {'share':>7}")
    for style, runs in results.items():
        lists, rl, total, rt = (sum(x) for x in zip(*runs))
        print(f"{style:<20} {lists:>10} {rl:>9} {rl / max(lists, 1):>7.1%} {total:>10} {rt:>9} {rt / max(total, 1):>7.1%}")


if __name__ == "__main__":
    main()
