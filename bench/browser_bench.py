"""Memory and throughput with the browser in use: a ~500-page generated site audited with
`--render always` (every page through Chromium), next to the same site with `--render never`
as the baseline measured in the same run.

    .venv/bin/python bench/browser_bench.py [--documents 450]

Peak memory is the largest sum of PSS (proportional set size: shared pages split between the
processes that share them, so Chromium's many processes are not counted many times) over zwgk
and all its child processes, sampled every 0.5 s. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.sites.generator import benchmark_spec, build_site  # noqa: E402
from tests.sites.server import serve_process  # noqa: E402


def run_audit(base: str, out: Path, as_of: str, render: str) -> tuple[dict, float, float]:
    """(run.json, peak MB of the whole process tree, peak MB over the run's first half): a
    bounded run peaks as high early as late."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "zwgk", "audit", base, "--out", str(out), "--db", str(out / "b.db"),
         "--as-of", as_of, "--no-throttle", "--ignore-robots", "--per-host", "4", "--render", render],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    root, samples, t0 = psutil.Process(proc.pid), [], time.monotonic()
    while proc.poll() is None:
        try:
            procs = [root, *root.children(recursive=True)]
            total = sum(p.memory_full_info().pss for p in procs)
            samples.append((time.monotonic() - t0, total))
        except psutil.Error:
            pass
        time.sleep(0.5)
    if proc.returncode != 0:
        raise SystemExit(f"zwgk audit --render {render} failed: {proc.stderr.read()[-2000:]}")
    half = (time.monotonic() - t0) / 2
    peak = max(m for _, m in samples)
    early = max((m for t, m in samples if t <= half), default=0)
    return json.loads((out / "run.json").read_text(encoding="utf-8")), peak / 2**20, early / 2**20


def rate(run: dict) -> float:
    secs = (datetime.fromisoformat(run["finished"]) - datetime.fromisoformat(run["started"])).total_seconds()
    return run["pages"] / secs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=1100,
                    help="documents in the site (~500 pages are fetched: lists + policy documents)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        spec = benchmark_spec(args.documents)
        build_site(tmp / "site", spec)
        with serve_process(tmp / "site") as base:
            plain, plain_mb, _ = run_audit(base, tmp / "plain", spec.as_of.isoformat(), "never")
            browser, browser_mb, early_mb = run_audit(base, tmp / "browser", spec.as_of.isoformat(), "always")
    print(f"--render never : {plain['pages']} pages, {rate(plain):.1f} pages/s, peak {plain_mb:.0f} MB")
    print(f"--render always: {browser['pages']} pages, {rate(browser):.1f} pages/s, peak {browser_mb:.0f} MB "
          f"(zwgk + Chromium; first half of the run peaked at {early_mb:.0f} MB)")
    print(f"browser / plain: {rate(browser) / rate(plain):.2f}x throughput, {browser_mb / plain_mb:.2f}x memory")


if __name__ == "__main__":
    main()
