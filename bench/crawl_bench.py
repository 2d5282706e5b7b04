"""Crawl throughput and peak memory of `zwgk audit` on a generated 5,000-document site, next to
`scrapy bench` measured in the same run on the same machine.

    .venv/bin/python bench/crawl_bench.py [--documents 5000] [--scrapy-seconds 20]

Politeness is off for both (our own servers): no AutoThrottle, robots ignored, 16 requests in
flight. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.sites.generator import benchmark_spec, build_site  # noqa: E402
from tests.sites.server import serve_process  # noqa: E402


def scrapy_bench(seconds: int) -> float:
    """pages/s of Scrapy's own benchmark spider against its own local server."""
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}",
         "-s", "LOG_LEVEL=INFO"], capture_output=True, text=True, cwd=tempfile.gettempdir())
    log = proc.stderr + proc.stdout
    pages = re.search(r"'response_received_count': (\d+)", log)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", log)
    if not (pages and elapsed):
        raise SystemExit(f"could not read scrapy bench output:\n{log[-2000:]}")
    return int(pages.group(1)) / float(elapsed.group(1))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=5000)
    ap.add_argument("--scrapy-seconds", type=int, default=20)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        spec = benchmark_spec(args.documents)
        truth = build_site(tmp / "site", spec)
        print(f"site: {truth.documents} documents generated in {time.perf_counter() - t0:.1f} s")

        with serve_process(tmp / "site") as base:
            out = tmp / "out"
            t0 = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "zwgk", "audit", base, "--out", str(out), "--db",
                 str(tmp / "bench.db"), "--as-of", spec.as_of.isoformat(), "--no-throttle",
                 "--ignore-robots", "--per-host", "16"], capture_output=True, text=True)
            wall = time.perf_counter() - t0
            peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if proc.returncode != 0:
            raise SystemExit(f"zwgk audit failed:\n{proc.stderr[-3000:]}")
        run = json.loads((out / "run.json").read_text(encoding="utf-8"))
        crawl_s = (datetime.fromisoformat(run["finished"]) - datetime.fromisoformat(run["started"])).total_seconds()
        pages = run["pages"]
        zwgk_rate = pages / crawl_s
        # The same window holds the link check's own requests (HEAD/GET of every link target not
        # fetched by the crawl): requests per second counts them too.
        log = (out / "zwgk.log").read_text(encoding="utf-8", errors="replace")
        checked = re.search(r"link check \(finished\): \{[^}]*'requests': (\d+)", log)
        link_requests = int(checked.group(1)) if checked else 0

        scrapy_rate = scrapy_bench(args.scrapy_seconds)

    print(f"zwgk audit: {pages} pages crawled in {crawl_s:.1f} s = {zwgk_rate:.1f} pages/s "
          f"(whole command incl. start-up, audit and report: {wall:.1f} s)")
    print(f"zwgk peak memory (max RSS): {peak_mb:.0f} MB")
    print(f"scrapy bench: {scrapy_rate:.1f} pages/s")
    print(f"ratio zwgk / scrapy bench: {zwgk_rate / scrapy_rate:.2f}x (aim ≥ 0.8x); "
          f"memory aim ≤ 400 MB")
    both = (pages + link_requests) / crawl_s
    print(f"with the link check's {link_requests} requests in the same {crawl_s:.1f} s: "
          f"{both:.1f} requests/s = {both / scrapy_rate:.2f}x scrapy bench")


if __name__ == "__main__":
    main()
