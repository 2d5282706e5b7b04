"""`zwgk run` over a registry of generated sites (every style; some down, one blocking): sites
per hour, pages per CPU-second and peak memory of the run, and whether every output was written.

    .venv/bin/python bench/run_bench.py [--sites 50] [--down 2] [--blocked 1] [--concurrency 8]

The sites are served from child processes (so that serving them does not count as zwgk's CPU).
Politeness is off (our own servers): no AutoThrottle, 8 requests per host, no browser unless
--render auto|always. Down sites
keep the real homepage retry span (a minute), as a nightly run would. Prints figures; asserts
nothing.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.sites.generator import build_site, random_spec  # noqa: E402
from tests.sites.server import serve_process  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=50)
    ap.add_argument("--down", type=int, default=2)
    ap.add_argument("--blocked", type=int, default=1)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--render", choices=["never", "auto", "always"], default="never")
    ap.add_argument("--keep", type=Path, help="keep the output here")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        tmp = Path(tmp)
        rows = []
        t_build = time.monotonic()
        for i in range(args.sites):
            spec = random_spec(1000 + i)
            spec = replace(spec, slow_column="")      # a 20 s page would measure the fixture, not zwgk
            if i < args.down:
                spec = replace(spec, unreachable=True)
            elif i < args.down + args.blocked:
                spec = replace(spec, blocked=True)
            root = tmp / f"site{i:02d}"
            truth = build_site(root, spec)
            base = stack.enter_context(serve_process(root, truth.faults))
            rows.append({"name": f"{truth.name}（{i:02d}）", "url": base, "kind": spec.kind,
                         "group": ("区直部门", "镇街", "区县政府")[i % 3], "ident": f"3703{i:06d}"})
        registry = tmp / "sites.yaml"
        registry.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
        print(f"built and serving {len(rows)} sites in {time.monotonic() - t_build:.1f} s", flush=True)

        out = args.keep or tmp / "out"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "zwgk", "run", str(registry), "--out", str(out), "--db",
             str(tmp / "bench.db"), "--as-of", random_spec(0).as_of.isoformat(), "--no-throttle",
             "--per-host", "8", "--render", args.render, "--concurrency", str(args.concurrency)],
            cwd=ROOT, capture_output=True, text=True)
        wall = time.monotonic() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise SystemExit(f"zwgk run failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        peak_mb = after.ru_maxrss / 1024           # Linux: KiB; the largest child so far (the
        # browser's own processes, with --render auto/always, are not counted in it)
        run = json.loads((out / "run.json").read_text(encoding="utf-8"))
        pages = run["pages"]
        statuses = {}
        for s in run["sites"]:
            statuses[s["status"]] = statuses.get(s["status"], 0) + 1
        written = all((out / s["scorecard"]).exists() for s in run["sites"] if s["scorecard"])
        files = [n for n in ("index.html", "tongbao.xlsx", "tongbao.csv", "tongbao.docx") if (out / n).exists()]
        print(f"sites: {len(rows)} ({statuses}); pages: {pages}; wall: {wall:.1f} s; CPU: {cpu:.1f} s")
        print(f"sites per hour: {len(rows) / wall * 3600:.0f}")
        print(f"pages per CPU-second: {pages / cpu:.1f}" if cpu else "pages per CPU-second: n/a")
        print(f"peak memory (RSS of the zwgk run process): {peak_mb:.0f} MB")
        print(f"every scorecard written: {written}; run files: {', '.join(files)}")


if __name__ == "__main__":
    main()
