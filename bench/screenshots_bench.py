"""Evidence screenshots (crawler/screenshots.py): what they cost a site.

    .venv/bin/python bench/screenshots_bench.py [--seeds 3 5 8] [--pages 20]

For each generated site (served on 127.0.0.1): the browser's start, seconds per shot and the size
of the JPEGs, shooting up to --pages of its column and document pages (one browser a site, as in
a run). Asserts nothing.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.browser import find_chromium  # noqa: E402
from crawler.screenshots import Target, capture  # noqa: E402
from tests.sites.generator import build_site, random_spec  # noqa: E402
from tests.sites.server import serve  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[3, 5, 8])
    ap.add_argument("--pages", type=int, default=20)
    args = ap.parse_args()
    if not find_chromium():
        sys.exit("no Chromium found")
    print(f"{'seed':>4} {'shots':>5} {'total s':>8} {'start s':>8} {'s/shot':>7} {'KB/shot':>8}")
    for seed in args.seeds:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            truth = build_site(root / "site", random_spec(seed))
            with serve(root / "site", truth.faults) as base:
                resolved = truth.resolve(base)
                urls = [c["url"] for c in resolved.columns if c.get("url")]
                urls += sorted({u for _, _, u in resolved.findings if u.endswith(".html")})
                urls = urls[:args.pages]
                t0 = time.perf_counter()
                capture([], root / "warm", site_url=base)        # nothing: no browser started
                one = capture([Target("0", base, ["x"])], root / "one", site_url=base)
                start = time.perf_counter() - t0                 # a browser and one shot
                t1 = time.perf_counter()
                shots = capture([Target(str(i), u, ["问题：基准", f"网址：{u}"]) for i, u in enumerate(urls)],
                                root / "out", site_url=base)
                total = time.perf_counter() - t1
                sizes = [(root / "out" / rel).stat().st_size for rel in shots.values()]
            n = len(shots)
            # total = start-up + n shots, start = start-up + 1 shot (when that one was taken)
            per = (total - start) / (n - 1) if n > 1 and one else 0.0
            print(f"{seed:>4} {n:>5} {total:>8.1f} {start:>8.1f} {per:>7.2f} "
                  f"{(sum(sizes) / n / 1024 if n else 0):>8.0f}")


if __name__ == "__main__":
    main()
