"""Throughput you can plan with (issue 10.4), and incremental nights warm vs cold (issue 10.3).

    .venv/bin/python bench/throughput.py [--sites 200] [--docs 40] [--concurrency 32]
        [--latency 0.1 0.3] [--per-host 2] [--workers 1 4 8 16] [--scrapy-seconds 15]
    .venv/bin/python bench/throughput.py --warm-cold [--documents 5000] [--latency 0.1 0.3] [--cadence 7]
    Either: [--baseline OTHER_CHECKOUT] measures that zwgk first in the same run (ratios honest on a
    loaded machine); [--profile FILE] runs zwgk under cProfile.

Run: N generated sites, each served on its own 127.0.0.1 port with 100–300 ms simulated latency
per answer, audited by one `zwgk run` at --per-host 2 (no AutoThrottle: our own servers; no
browser). Prints sites per hour, pages per CPU-second and peak memory (max RSS) of the `zwgk run`
process, the projection to 14,300 sites × 500 pages on N workers, and `scrapy bench` measured in
the same run on the same machine.

Warm/cold: a generated site of --documents documents whose files carry their publication time (as
static government pages do), served with ETag and Last-Modified and the same 100–300 ms latency at
per-host 2; `zwgk audit --cache` twice with links rechecked weekly (ZWGK_LINK_CADENCE_DAYS=7): the
first night fills the cache, the second asks for lists fresh, for documents only as RFC 2616
allows and for a seventh of the links. Prints both times, the speed-up, the requests by kind (full
answers vs 304s) and whether the findings are identical.

The servers run in this process (threads), so their CPU is not counted as zwgk's. Prints figures;
asserts nothing.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.distributed.conditional import make_server  # noqa: E402
from tests.sites.generator import benchmark_spec, build_site  # noqa: E402

NATION_SITES, NATION_PAGES = 14_300, 500


def serve_all(stack: ExitStack, roots: list[Path], latency, last_modified=False) -> list[tuple[str, object]]:
    out = []
    for root in roots:
        server = make_server(root, latency=latency if latency and latency[1] > 0 else None,
                             last_modified=last_modified)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.5}, daemon=True)
        thread.start()

        def stop(server=server):
            server.stopping.set()
            server.shutdown()
            server.server_close()
        stack.callback(stop)
        out.append((f"http://127.0.0.1:{server.server_address[1]}/", server))
    return out


def timed(cmd: list[str], cwd: Path, profile: str = "", code: Path = ROOT,
          env: dict | None = None) -> tuple[float, float, float, subprocess.Popen, str]:
    """(wall s, CPU s, max RSS MB, process, stderr tail) of one child command, its own rusage.
    With `profile`, the child runs under cProfile writing that file (figures then include its cost)."""
    if profile and cmd[1:3] == ["-m", "zwgk"]:
        profile = str(Path(profile).resolve())
        if profile.endswith(".txt"):    # sampled (py-spy, where installed): no per-call distortion
            spy = Path(sys.executable).with_name("py-spy")
            cmd = [str(spy), "record", "--nonblocking", "-r", "200", "-f", "raw", "-o", profile, "--", *cmd]
        else:
            cmd = [cmd[0], "-m", "cProfile", "-o", profile, "-m", "zwgk", *cmd[3:]]
    t0 = time.perf_counter()
    err = open(cwd / "stderr.log", "w")
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err,
                            env={**os.environ, **(env or {}), "PYTHONPATH": str(code)})
    _, status, ru = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    err.close()
    tail = (cwd / "stderr.log").read_text(errors="replace")[-2000:]
    return time.perf_counter() - t0, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, proc, tail


def scrapy_bench(seconds: int) -> float:
    from bench.crawl_bench import scrapy_bench as measure
    return measure(seconds)


def profile_file(profile: str, label: str) -> str:
    """FILE.label (cProfile) or FILE.label.txt (py-spy) for one measured process."""
    if not profile:
        return ""
    return f"{profile[:-4]}.{label}.txt" if profile.endswith(".txt") else f"{profile}.{label}"


def code_roots(args) -> list[tuple[str, Path]]:
    """(label, source root) of each zwgk measured: --baseline first (another checkout, e.g. a
    `git worktree` of an older commit), then this one — the ratio is what a loaded machine can
    tell honestly."""
    roots = [("baseline", Path(args.baseline).resolve())] if args.baseline else []
    return roots + [("this", ROOT)]


def run_bench(args) -> None:
    with workdir(args) as tmp, ExitStack() as stack:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        roots, specs = [], []
        for i in range(args.sites):
            spec = replace(benchmark_spec(args.docs, seed=1000 + i), name=f"基准测试站{i + 1:03d}")
            build_site(tmp / f"site{i}", spec)
            roots.append(tmp / f"site{i}")
            specs.append(spec)
        print(f"{args.sites} sites of ~{args.docs} documents generated in {time.perf_counter() - t0:.1f} s",
              flush=True)
        served = serve_all(stack, roots, args.latency)
        registry = tmp / "sites.yaml"
        registry.write_text(yaml.safe_dump(
            [{"name": s.name, "url": url, "kind": s.kind} for s, (url, _) in zip(specs, served)],
            allow_unicode=True), encoding="utf-8")
        results = {}
        for label, code in code_roots(args):
            for _, srv in served:
                srv.counts.clear()
            work = tmp / label
            work.mkdir()
            wall, cpu, rss, proc, tail = timed(
                [sys.executable, "-m", "zwgk", "run", str(registry), "--out", str(work / "out"),
                 "--db", str(work / "bench.db"), "--as-of", specs[0].as_of.isoformat(), "--no-throttle",
                 "--per-host", str(args.per_host), "--render", "never", "--no-screenshots",
                 "--concurrency", str(args.concurrency), "--timeout", "10"], work,
                profile_file(args.profile, label), code)
            if proc.returncode != 0:
                raise SystemExit(f"zwgk run ({label}) failed ({proc.returncode}):\n{tail}")
            run = json.loads((work / "out" / "run.json").read_text(encoding="utf-8"))
            answered = sum(sum(srv.counts.values()) for _, srv in served)
            ok = sum(1 for s in run["sites"] if s["status"] == "ok")
            results[label] = (wall, cpu, rss, run["pages"], answered, ok, findings_of(work / "out"))
            print(f"[{label}] {run['pages']} pages, {wall:.0f} s wall, {cpu:.1f} s CPU "
                  f"({os.getloadavg()[0]:.1f} load)", flush=True)
        scrapy_rate = scrapy_bench(args.scrapy_seconds)

    for label, (wall, cpu, rss, pages, answered, ok, _) in results.items():
        per_hour = args.sites / wall * 3600
        pages_h = pages / wall * 3600
        print(f"zwgk run [{label}]: {args.sites} sites ({ok} ok), {pages} pages ({answered} answers "
              f"served) in {wall:.0f} s, concurrency {args.concurrency}, per-host {args.per_host}, "
              f"latency {args.latency[0]:.2f}–{args.latency[1]:.2f} s")
        print(f"  sites per hour: {per_hour:.0f}    pages per hour: {pages_h:.0f}")
        print(f"  CPU: {cpu:.1f} s = {pages / cpu:.0f} pages per CPU-second (aim ≥ 150)")
        print(f"  peak memory (max RSS of the zwgk run process): {rss:.0f} MB")
    print(f"  scrapy bench on this machine: {scrapy_rate:.0f} pages/s")
    if "baseline" in results:
        (bw, bc, _, bp, *_, bf), (tw, tc, _, tp, *_, tf) = results["baseline"], results["this"]
        print(f"this vs baseline: pages per CPU-second ×{(tp / tc) / (bp / bc):.2f}, "
              f"wall ×{bw / tw:.2f}; findings identical: {bf == tf}")
    wall, cpu, rss, pages, *_ = results["this"]
    pages_h = pages / wall * 3600
    total = NATION_SITES * NATION_PAGES
    print(f"Projection: {NATION_SITES} sites × {NATION_PAGES} pages = {total / 1e6:.2f} M pages")
    cpu_bound = pages / cpu * 3600          # one busy core
    for n in args.workers:
        # Each worker a machine like this one running this concurrency; the slower of what the
        # wall rate and one core's CPU rate allow.
        rate = min(pages_h, cpu_bound) * n
        print(f"  {n:>3} worker(s): {total / rate:6.1f} h  ({rate / NATION_PAGES:.0f} sites/h)")


def findings_of(out: Path) -> list[str]:
    """The run's findings, comparable between runs (ordered, without run-specific fields)."""
    rows = []
    for path in sorted(out.rglob("findings.json")):
        for f in json.loads(path.read_text(encoding="utf-8")):
            rows.append(json.dumps({k: v for k, v in f.items() if k not in ("run_id", "fetched_at")},
                                   sort_keys=True, ensure_ascii=False))
    return sorted(rows)


def workdir(args):
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=False)
        return contextlib.nullcontext(args.keep)
    return tempfile.TemporaryDirectory()


_ATTACHMENT = re.compile(r"\.(pdf|docx?|xlsx?|wps|et|zip|rar|7z|ofd|txt|csv)$", re.I)


def request_kind(method: str, path: str) -> str:
    """What a request to the generated site was for, from its method and path: the link check
    asks HEAD; list and section pages are index*.html or folders; the rest are documents and
    attachments (a link check's GET fallback would count as a document: there are none here)."""
    if method == "HEAD":
        return "link HEAD"
    if method == "POST":
        return "list (POST)"       # a list's data endpoint
    name = path.rsplit("/", 1)[-1]
    if not name or name.startswith("index") or "." not in name or path == "/robots.txt":
        return "list/section"
    return "attachment" if _ATTACHMENT.search(name) else "document"


def by_kind(log: list[tuple[str, str, int]]) -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    for method, path, status in log:
        out.setdefault(request_kind(method, path), Counter())[
            "304" if status == 304 else "full" if method == "GET" else str(status)] += 1
    return out


def warm_cold(args) -> None:
    with workdir(args) as tmp, ExitStack() as stack:
        tmp = Path(tmp)
        spec = benchmark_spec(args.documents)
        truth = build_site(tmp / "site", spec)
        # Static government pages keep their publication time: two months old here.
        old = time.time() - 60 * 86400
        for path in (tmp / "site").rglob("*"):
            if path.is_file():
                os.utime(path, (old, old))
        print(f"site: {truth.documents} documents; latency {args.latency[0]:.2f}–{args.latency[1]:.2f} s, "
              f"per-host {args.per_host}, link cadence {args.cadence} days", flush=True)
        [(base, server)] = serve_all(stack, [tmp / "site"], args.latency, last_modified=True)
        env = {"ZWGK_LINK_CADENCE_DAYS": str(args.cadence)}
        figures: dict[tuple[str, str], tuple] = {}
        for label, code in code_roots(args):
            for night in ("cold", "warm"):
                server.counts.clear()
                server.log.clear()
                work = tmp / label / night
                work.mkdir(parents=True)
                wall, cpu, rss, proc, tail = timed(
                    [sys.executable, "-m", "zwgk", "audit", base, "--out", str(work / "out"),
                     "--db", str(tmp / label / "bench.db"), "--as-of", spec.as_of.isoformat(),
                     "--no-throttle", "--ignore-robots", "--per-host", str(args.per_host),
                     "--render", "never", "--no-screenshots", "--cache", str(tmp / label / "cache")],
                    work, profile_file(args.profile, f"{label}.{night}"), code, env)
                if proc.returncode != 0:
                    raise SystemExit(f"zwgk audit ({label}, {night}) failed:\n{tail}")
                run = json.loads((work / "out" / "run.json").read_text(encoding="utf-8"))
                figures[label, night] = (wall, cpu, run["pages"], by_kind(server.log),
                                         findings_of(work / "out"))
                print(f"[{label} {night}] {wall:.1f} s wall, {cpu:.1f} s CPU "
                      f"({os.getloadavg()[0]:.1f} load)", flush=True)
    for (label, night), (wall, cpu, pages, kinds, _) in figures.items():
        total = sum(sum(c.values()) for c in kinds.values())
        # The least wall time these requests take at the per-host limit and the mean latency.
        floor = total * sum(args.latency) / 2 / args.per_host
        print(f"[{label}] {night}: {wall:.1f} s wall, {cpu:.1f} s CPU, {pages} pages read; "
              f"{total} requests answered (≥ {floor:.0f} s at per-host {args.per_host}):")
        for kind in sorted(kinds):
            print(f"    {kind:<13} " + ", ".join(f"{n} {what}" for what, n in sorted(kinds[kind].items())))
    for label, _ in code_roots(args):
        (cw, cc, *_), (ww, wc, *_) = figures[label, "cold"], figures[label, "warm"]
        print(f"[{label}] warm vs cold: {cw / ww:.1f}× faster (wall; aim ≥ 10×), {cc / wc:.1f}× less CPU; "
              f"findings identical: {figures[label, 'cold'][4] == figures[label, 'warm'][4]}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=200)
    ap.add_argument("--docs", type=int, default=40, help="documents per site")
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--per-host", type=int, default=2)
    ap.add_argument("--latency", type=float, nargs=2, default=None, metavar=("MIN", "MAX"))
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 4, 8, 16])
    ap.add_argument("--scrapy-seconds", type=int, default=15)
    ap.add_argument("--warm-cold", action="store_true")
    ap.add_argument("--documents", type=int, default=5000)
    ap.add_argument("--cadence", type=int, default=7,
                    help="warm/cold: ZWGK_LINK_CADENCE_DAYS (links rechecked weekly by default)")
    ap.add_argument("--keep", help="work in this new folder and keep it (logs, outputs)")
    ap.add_argument("--baseline", help="also measure the zwgk in this checkout (e.g. a git worktree "
                    "of an older commit) first, in the same run, and print the ratio")
    ap.add_argument("--profile", default="", help="run zwgk under cProfile, writing this file "
                    "(FILE.this, FILE.baseline …; read with python -m pstats); a FILE ending in .txt: "
                    "sampled by py-spy (collapsed stacks)")
    args = ap.parse_args()
    if args.warm_cold:
        args.latency = args.latency or [0.1, 0.3]
        warm_cold(args)
    else:
        args.latency = args.latency or [0.1, 0.3]
        run_bench(args)


if __name__ == "__main__":
    main()
