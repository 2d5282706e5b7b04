"""Recall and precision of `zwgk audit` over generated fixture sites, plain and perturbed.

    .venv/bin/python bench/accuracy.py [--sites 24] [--first-seed 100] [--perturb [--each]]
                                       [--kinds layout,dates,...] [--style trs] [--render auto]

Each site is built from `random_spec(seed)` (style, markup, pagination, defect mix and faults drawn
from the seed), served on 127.0.0.1, audited through the real command line, and its findings
compared with the site's truth. With `--perturb` every site is also rebuilt, rewritten by
tests/sites/perturb.py (all kinds, or `--kinds`; perturbation seed = site seed) and audited again:
the columns "plain" and "perturbed" then stand side by side; with `--each`, one perturbed
audit per kind, a column per kind (which markup the reader depends on). With `--repeat N` every
audit runs N times: the figures count the first run, and each seed whose runs' findings (all
rules, the served address aside) differ is printed — an unchanged site must give the same findings,
or the nightly comparison (audits/history.py) shows problems new and fixed that never changed.

Prints: per rule TP/FP/FN, recall and precision; per style the same overall, and the share of
list pages (column pages, later list pages, endpoint answers) fetched through the browser, from
the run's stored fetches. Without Chromium the truth is `Truth.without_browser()`. Asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.browser import find_chromium  # noqa: E402
from tests.e2e.accuracy import Tally  # noqa: E402
from tests.sites.generator import build_site, random_spec  # noqa: E402
from tests.sites.perturb import KINDS, perturb_site  # noqa: E402
from tests.sites.server import serve  # noqa: E402

MODES = ("plain", "perturbed")


def render_share(db: Path) -> tuple[int, int]:
    """(list pages fetched, of them rendered in the browser) of one run's snapshot."""
    try:
        with sqlite3.connect(db) as con:
            rows = con.execute("select role, rendered from fetches").fetchall()
    except sqlite3.Error:
        return 0, 0
    lists = [bool(r) for role, r in rows if role in ("column", "list")]
    return len(lists), sum(lists)


def findings_of_run(found: list[dict]) -> frozenset:
    """A run's findings, comparable across runs (each serves the site on its own port)."""
    def bare(value) -> str:
        return re.sub(r"https?://[^/\s\"']+", "", str(value or ""))
    return frozenset((f["rule_id"], f.get("column") or "", bare(f.get("url")), bare(f.get("target")))
                     for f in found)


def audit_one(seed: int, mode: str, tmp: Path, args, run: int = 0) -> dict:
    spec = random_spec(seed, style=args.style)
    spec.slow_delay = 6.0
    root, out = tmp / f"site-{mode}-{seed}-{run}", tmp / f"out-{mode}-{seed}-{run}"
    truth = build_site(root, spec)
    if mode != "plain":
        perturb_site(root, spec, truth, seed=seed, kinds=args.kinds if mode == "perturbed" else (mode,))
    with serve(root, truth.faults) as base:
        proc = subprocess.run(
            [sys.executable, "-m", "zwgk", "audit", base, "--out", str(out), "--db", str(out / "zwgk.db"),
             "--as-of", spec.as_of.isoformat(), "--no-throttle", "--per-host", "8", "--timeout", "3",
             "--render", args.render], capture_output=True, text=True, cwd=ROOT)
        expected = truth.resolve(base)
    if args.render == "never" or not args.chromium:
        expected = expected.without_browser()
    found = json.loads((out / "findings.json").read_text(encoding="utf-8")) if proc.returncode == 0 else []
    return {"seed": seed, "mode": mode, "run": run, "style": spec.style, "expected": expected.findings,
            "found": found,
            "error": proc.stderr[-500:] if proc.returncode else "", "share": render_share(out / "zwgk.db")}


def figures(t: Tally | None, rule: str | None = None) -> tuple[int, int, int, float, float]:
    if t is None:
        return 0, 0, 0, float("nan"), float("nan")
    if rule is None:
        tp, fp, fn = sum(t.tp.values()), sum(t.fp.values()), sum(t.fn.values())
    else:
        tp, fp, fn = t.tp[rule], t.fp[rule], t.fn[rule]
    return tp, fp, fn, tp / (tp + fn) if tp + fn else 1.0, tp / (tp + fp) if tp + fp else 1.0


def fmt(t: Tally | None, rule: str | None = None, wide: bool = True) -> str:
    tp, fp, fn, rec, prec = figures(t, rule)
    return f"{tp:5d} {fp:4d} {fn:4d} {rec:7.3f} {prec:9.3f}" if wide else f"{rec:5.2f}/{prec:4.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sites", type=int, default=24)
    ap.add_argument("--first-seed", type=int, default=100)
    ap.add_argument("--perturb", action="store_true", help="also audit every site perturbed, side by side")
    ap.add_argument("--each", action="store_true",
                    help="with --perturb: one perturbed audit per kind (a column per kind) instead of all at once")
    ap.add_argument("--kinds", default=",".join(KINDS), help=f"perturbation kinds (default all: {','.join(KINDS)})")
    ap.add_argument("--style", choices=["trs", "hanweb", "legacy", "json"], default=None,
                    help="one fixture style for every site (default: drawn from the seed)")
    ap.add_argument("--render", choices=["auto", "never", "always"], default="auto")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1,
                    help="audit every site N times and print the seeds whose findings differ between runs")
    args = ap.parse_args()
    args.kinds = tuple(k for k in args.kinds.split(",") if k)
    unknown = set(args.kinds) - set(KINDS)
    if unknown:
        raise SystemExit(f"unknown perturbation kinds: {', '.join(sorted(unknown))}")
    args.chromium = find_chromium() is not None
    if not args.chromium:
        print("no Chromium: truth without render-only empty columns; script perturbations cannot be read")
    modes = ["plain"] + ([*args.kinds] if args.each else ["perturbed"] if args.perturb else [])
    wide = len(modes) <= 2
    seeds = range(args.first_seed, args.first_seed + args.sites)
    tally = {m: Tally() for m in modes}
    by_style: dict[str, dict[str, Tally]] = {}
    sites: dict[str, int] = {}
    shares: dict[tuple[str, str], list[int]] = {}
    jobs = [(s, m, k) for s in seeds for m in modes for k in range(max(1, args.repeat))]
    runs: dict[tuple[int, str], list[frozenset]] = {}
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(args.jobs) as pool:
        for r in pool.map(lambda j: audit_one(j[0], j[1], Path(tmp), args, j[2]), jobs):
            seed, mode, style = r["seed"], r["mode"], r["style"]
            if r["error"]:
                print(f"seed {seed} {mode}: audit failed: {r['error']}")
            runs.setdefault((seed, mode), []).append(findings_of_run(r["found"]))
            if r["run"]:
                continue        # the figures count each site's first run
            missed, extra = tally[mode].add(r["expected"], r["found"])
            by_style.setdefault(style, {}).setdefault(mode, Tally()).add(r["expected"], r["found"])
            if mode == "plain":
                sites[style] = sites.get(style, 0) + 1
            acc = shares.setdefault((style, mode), [0, 0])
            acc[0] += r["share"][0]
            acc[1] += r["share"][1]
            for k in sorted(missed):
                print(f"seed {seed} {style:6} {mode:9}: missed {k}")
            for k in sorted(extra):
                print(f"seed {seed} {style:6} {mode:9}: extra  {k}")

    if args.repeat > 1:
        differ = 0
        for (seed, mode), found in sorted(runs.items()):
            if len(set(found)) > 1:
                differ += 1
                union, common = frozenset().union(*found), frozenset.intersection(*found)
                for k in sorted(union - common):
                    print(f"seed {seed} {mode:9}: in {sum(k in f for f in found)}/{len(found)} runs: {k}")
        print(f"\nrepeated runs: {len(runs) - differ} of {len(runs)} audits gave the same findings "
              f"every time ({args.repeat} runs each)")

    print(f"\n{args.sites} generated sites (seeds {seeds.start}–{seeds.stop - 1}), --render {args.render}"
          + (f", perturbed with {','.join(args.kinds)}" + (" one kind at a time" if args.each else "")
             if len(modes) > 1 else ""))
    if wide:
        cols = f"{'TP':>5} {'FP':>4} {'FN':>4} {'recall':>7} {'precision':>9}"
        print(f"{'':28} " + " | ".join(f"{m:^32}" for m in modes))
        print(f"{'rule':28} " + " | ".join(cols for _ in modes))
    else:
        print(f"{'recall/precision':28} " + " ".join(f"{m:>10}" for m in modes))
    rules = sorted({rule for t in tally.values() for rule in (*t.tp, *t.fp, *t.fn)})
    sep = " | " if wide else " "
    cell = (lambda t, r: fmt(t, r)) if wide else (lambda t, r: f"{fmt(t, r, False):>10}")
    for rule in [*rules, None]:
        print(f"{rule or 'overall':28} " + sep.join(cell(tally[m], rule) for m in modes))

    print("\nby style: recall/precision overall, and list pages rendered in the browser / list pages fetched")
    print(f"{'style':8} {'sites':>5}  " + " | ".join(f"{m:^27}" for m in modes))
    for style in sorted(by_style):
        cells = []
        for mode in modes:
            _, _, _, rec, prec = figures(by_style[style].get(mode))
            n, rendered = shares.get((style, mode), [0, 0])
            cells.append(f"{rec:5.3f}/{prec:5.3f} {rendered:4d}/{n:<4d}{rendered / max(n, 1):4.0%}")
        print(f"{style:8} {sites.get(style, 0):5d}  " + " | ".join(cells))
    if len(modes) > 1:
        print("\nwhere perturbation changes a rule's figures (plain → perturbed recall, precision)")
        for style in sorted(by_style):
            p = by_style[style].get("plain")
            for mode in modes[1:]:
                q = by_style[style].get(mode)
                if p is None or q is None:
                    continue
                for rule in sorted({*p.tp, *p.fp, *p.fn, *q.tp, *q.fp, *q.fn}):
                    a, b = figures(p, rule), figures(q, rule)
                    if a[3:] != b[3:]:
                        print(f"  {style:7} {mode:9} {rule:28} recall {a[3]:.3f} → {b[3]:.3f}   "
                              f"precision {a[4]:.3f} → {b[4]:.3f}")

if __name__ == "__main__":
    main()
