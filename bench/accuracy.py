"""Recall and precision of `zwgk audit` over generated fixture sites with seeded defects.

    .venv/bin/python bench/accuracy.py [--sites 24] [--first-seed 100]

Each site is built from `random_spec(seed)` (markup, pagination, defect mix and faults drawn
from the seed), served on 127.0.0.1, audited through the real command line, and its findings
compared with the site's truth. Prints a table per rule; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.accuracy import Tally  # noqa: E402
from tests.sites.generator import build_site, random_spec  # noqa: E402
from tests.sites.server import serve  # noqa: E402


def audit_one(seed: int, tmp: Path) -> tuple[int, str, set, list[dict], str]:
    spec = random_spec(seed)
    spec.slow_delay = 6.0
    truth = build_site(tmp / f"site{seed}", spec)
    out = tmp / f"out{seed}"
    with serve(tmp / f"site{seed}", truth.faults) as base:
        proc = subprocess.run(
            [sys.executable, "-m", "zwgk", "audit", base, "--out", str(out), "--db",
             str(out / "zwgk.db"), "--as-of", spec.as_of.isoformat(), "--no-throttle",
             "--per-host", "8", "--timeout", "3"], capture_output=True, text=True)
        truth = truth.resolve(base)
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8")) if proc.returncode == 0 else []
    return seed, spec.style, truth.findings, findings, proc.stderr[-500:] if proc.returncode else ""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=24)
    ap.add_argument("--first-seed", type=int, default=100)
    args = ap.parse_args()
    tally = Tally()
    by_style: dict[str, Tally] = {}
    sites_by_style: dict[str, int] = {}
    seeds = range(args.first_seed, args.first_seed + args.sites)
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(2) as pool:
        for seed, style, expected, found, err in pool.map(lambda s: audit_one(s, Path(tmp)), seeds):
            if err:
                print(f"seed {seed}: audit failed: {err}")
            missed, extra = tally.add(expected, found)
            by_style.setdefault(style, Tally()).add(expected, found)
            sites_by_style[style] = sites_by_style.get(style, 0) + 1
            for k in sorted(missed):
                print(f"seed {seed}: missed {k}")
            for k in sorted(extra):
                print(f"seed {seed}: extra  {k}")
    print(f"\n{args.sites} generated sites (seeds {seeds.start}–{seeds.stop - 1})")
    print(f"{'rule':28} {'TP':>5} {'FP':>4} {'FN':>4} {'recall':>7} {'precision':>9}")
    for rule, tp, fp, fn, rec, prec in tally.table():
        print(f"{rule:28} {tp:5d} {fp:4d} {fn:4d} {rec:7.3f} {prec:9.3f}")
    rec, prec = tally.overall()
    print(f"{'overall':28} {sum(tally.tp.values()):5d} {sum(tally.fp.values()):4d} "
          f"{sum(tally.fn.values()):4d} {rec:7.3f} {prec:9.3f}")
    print("\nby list style")
    for style, t in sorted(by_style.items()):
        rec, prec = t.overall()
        print(f"{style:10} {sites_by_style[style]:3d} sites  TP {sum(t.tp.values()):4d}  "
              f"FP {sum(t.fp.values()):3d}  FN {sum(t.fn.values()):3d}  recall {rec:.3f}  precision {prec:.3f}")


if __name__ == "__main__":
    main()
