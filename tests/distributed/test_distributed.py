"""`zwgk run --distributed` with real `zwgk worker`s on a real redis-server and PostgreSQL: the
workers crawl and audit the sites, and the stored findings, the sites' lines and the 通报 equal a
single-process run's; a worker killed with kill -9 mid-site has its site crawled again by the
other and stored exactly once; one killed while auditing has its site audited (not crawled) again,
and the reports of a run enqueued with --no-wait are written by a `--report-only` process."""
from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import ProgrammingError

from snapshot.store import database_url, fetches, findings, runs
from tests.e2e.helpers import REPO, zwgk
from tests.sites.generator import FRESH, STALE, ColumnSpec, SiteSpec

AS_OF = SiteSpec().as_of
FAST = ("--as-of", AS_OF.isoformat(), "--no-throttle", "--per-host", "4", "--render", "never",
        "--timeout", "8", "--no-screenshots")


def _env(**extra) -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
            "ZWGK_HOMEPAGE_RETRY_SPAN": "1", **extra}


class Workers:
    """`zwgk worker` subprocesses, each in its own session (killed with its whole tree at the end)."""

    def __init__(self, broker: str, log_dir: Path, **env):
        self.broker, self.log_dir, self.env = broker, log_dir, env
        self.procs: list[subprocess.Popen] = []

    def start(self, concurrency: int = 2) -> subprocess.Popen:
        log = (self.log_dir / f"worker{len(self.procs)}.log").open("w")
        proc = subprocess.Popen([sys.executable, "-m", "zwgk", "worker", "--broker", self.broker,
                                 "--concurrency", str(concurrency), "--loglevel", "INFO"],
                                cwd=self.log_dir, stdout=log, stderr=subprocess.STDOUT,
                                env=_env(**self.env), start_new_session=True)
        self.procs.append(proc)
        return proc

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


@pytest.fixture
def workers(tmp_path, redis_url):
    # Each test its own Redis database: no task of another test is left in its queue.
    broker = redis_url.rsplit("/", 1)[0] + f"/{abs(hash(tmp_path.name)) % 14 + 1}"
    w = Workers(broker, tmp_path, ZWGK_VISIBILITY_TIMEOUT="4", ZWGK_BUSY_RETRY="1",
                ZWGK_RETRY_BASE="1")
    yield w
    w.stop()


def _registry(site_factory, tmp_path, specs) -> Path:
    rows = []
    for i, spec in enumerate(specs):
        base, _, spec = site_factory(spec)
        rows.append({"name": spec.name, "url": base, "kind": spec.kind, "group": "区直部门",
                     "ident": f"37030600{i + 1:02d}", "host_org": spec.name + "办公室"})
    path = tmp_path / "sites.yaml"
    path.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
    return path


def _stored(db: str) -> tuple[list[tuple], dict[str, int]]:
    """(every stored finding of the database, sorted; runs per site)."""
    engine = create_engine(database_url(db))
    with engine.connect() as conn:
        rows = conn.execute(select(runs.c.site_name, findings.c.rule_id, findings.c.severity,
                                   findings.c.column, findings.c.url, findings.c.target,
                                   findings.c.title, findings.c.detail, findings.c.status,
                                   findings.c.fingerprint)
                            .join(runs, runs.c.id == findings.c.run_id)).all()
        per_site = dict(conn.execute(select(runs.c.site_url, func.count())
                                     .group_by(runs.c.site_url)).all())
    engine.dispose()
    return sorted(tuple(r) for r in rows), per_site


def _worker_steps(log_dir: Path) -> list[tuple[int, str]]:
    """(run id, 'crawled' | 'audited') for every step the workers logged, in each log's order."""
    steps = []
    for log in sorted(log_dir.glob("worker*.log")):
        steps += [(int(m[1]), m[2]) for m in
                  re.finditer(r"run (\d+) \(.*?\): (crawled|audited)", log.read_text(errors="replace"))]
    return steps


def _run_ids(db: str) -> set[int]:
    engine = create_engine(database_url(db))
    with engine.connect() as conn:
        ids = set(conn.execute(select(runs.c.id)).scalars())
    engine.dispose()
    return ids


def _lines(out: Path) -> list[dict]:
    """The sites' lines of run.json, without what differs between two runs of the same sites."""
    sites = json.loads((out / "run.json").read_text(encoding="utf-8"))["sites"]
    return [{k: v for k, v in s.items() if k != "run_id"} for s in sites]


def _tongbao(out: Path) -> list[list[str]]:
    with (out / "tongbao.csv").open(encoding="utf-8-sig", newline="") as fh:
        return sorted(csv.reader(fh))


def test_two_workers_store_and_report_what_one_process_does(site_factory, tmp_path, postgres, workers):
    specs = [
        SiteSpec(seed=61, kind="government", name="测试区人民政府", list_style="li_span", pager="links",
                 columns=[ColumnSpec.of("工作动态", 5, FRESH), ColumnSpec.of("人事信息", 3, STALE)]),
        SiteSpec(seed=62, kind="department", name="测试区财政局", list_style="table", pager="links",
                 columns=[ColumnSpec.of("通知公告", 4, FRESH), ColumnSpec.of("政策文件", 3, FRESH)],
                 dead_links=1),
        SiteSpec(seed=63, kind="government", name="测试区某某镇人民政府", list_style="li_b", pager="links",
                 columns=[ColumnSpec.of("工作动态", 4, FRESH)], missing_fields=1),
        SiteSpec(seed=64, name="测试区故障局", unreachable=True),
    ]
    registry = _registry(site_factory, tmp_path, specs)
    single, dist = postgres.create_database("single"), postgres.create_database("dist")

    proc = zwgk("run", str(registry), "--out", str(tmp_path / "one"), "--db", single, *FAST,
                cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]

    # Nobody is killed here: no early redelivery (a short visibility timeout has Redis hand
    # running sites to the other worker, which only finds them locked).
    workers.env["ZWGK_VISIBILITY_TIMEOUT"] = "600"
    workers.start()
    workers.start()
    proc = zwgk("run", str(registry), "--distributed", "--broker", workers.broker, "--out",
                str(tmp_path / "many"), "--db", dist, *FAST, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]

    one, one_runs = _stored(single)
    many, many_runs = _stored(dist)
    assert one and {r[1] for r in one} >= {"site.unreachable"}
    assert many == one
    assert set(many_runs.values()) == {1} and len(many_runs) == len(specs)
    assert _tongbao(tmp_path / "many") == _tongbao(tmp_path / "one")
    assert _lines(tmp_path / "many") == _lines(tmp_path / "one")
    # The workers audited every site (the enqueuing process only wrote the reports).
    steps = _worker_steps(tmp_path)
    assert {r for r, step in steps if step == "audited"} == _run_ids(dist)
    for name in ("index.html", "tongbao.xlsx", "tongbao.docx"):
        assert (tmp_path / "many" / name).is_file()
    assert (tmp_path / "many" / "测试区财政局" / "scorecard.html").is_file()


def _crawl_children(worker: subprocess.Popen) -> list[int]:
    out = subprocess.run(["pgrep", "-s", str(worker.pid), "-f", "zwgk.distributed site"],
                         capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def test_a_worker_killed_mid_site_has_its_site_stored_once(site_factory, tmp_path, postgres, workers):
    specs = [
        # Page 2 of 工作动态 answers after 3 s: the site is mid-crawl long enough to be killed.
        SiteSpec(seed=71, kind="department", name="测试区慢站局", list_style="li_span", pager="links",
                 columns=[ColumnSpec.of("工作动态", 45, FRESH), ColumnSpec.of("通知公告", 4, FRESH)],
                 slow_column="工作动态", slow_delay=3.0),
        SiteSpec(seed=72, kind="department", name="测试区商务局", list_style="table", pager="links",
                 columns=[ColumnSpec.of("通知公告", 4, FRESH)]),
    ]
    registry = _registry(site_factory, tmp_path, specs)
    db = postgres.create_database("kill")
    first = workers.start(concurrency=2)
    run = subprocess.Popen([sys.executable, "-m", "zwgk", "run", str(registry), "--distributed",
                            "--broker", workers.broker, "--out", str(tmp_path / "out"), "--db", db,
                            *FAST], cwd=tmp_path, env=_env(), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while len(_crawl_children(first)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _crawl_children(first), "the worker never started a crawl"
        time.sleep(1.0)                      # mid-site: some of its rows are stored
        os.kill(first.pid, signal.SIGKILL)   # the worker process itself, without warning
        workers.start(concurrency=2)
        out, err = run.communicate(timeout=150)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert run.returncode == 0, err[-2000:]
    engine = create_engine(database_url(db))
    with engine.connect() as conn:
        per_site = dict(conn.execute(select(runs.c.site_name, func.count())
                                     .group_by(runs.c.site_name)).all())
        states = set(conn.execute(select(runs.c.state, runs.c.site_status)).all())
        # Nothing of the killed delivery stays: each page fetched once in the site's one run.
        fetched = conn.execute(select(fetches.c.url, func.count()).group_by(fetches.c.url)).all()
    engine.dispose()
    assert per_site == {"测试区慢站局": 1, "测试区商务局": 1}
    assert states == {("audited", "ok")}
    assert fetched and max(n for _, n in fetched) == 1
    csv_sites = {row[1] for row in _tongbao(tmp_path / "out")[1:]}
    assert csv_sites <= {"测试区慢站局", "测试区商务局"}


def _run_state(db: str):
    """(state, finished) of the database's one run; None before the enqueuer made it."""
    engine = create_engine(database_url(db))
    try:
        with engine.connect() as conn:
            return conn.execute(select(runs.c.state, runs.c.finished)).first()
    except ProgrammingError:            # no tables yet
        return None
    finally:
        engine.dispose()


def test_a_worker_killed_while_auditing_has_its_site_audited_once_not_crawled_again(
        site_factory, tmp_path, postgres, workers):
    specs = [SiteSpec(seed=75, kind="department", name="测试区审计局", list_style="table",
                      pager="links", columns=[ColumnSpec.of("通知公告", 24, FRESH),
                                              ColumnSpec.of("政策文件", 16, STALE)], dead_links=1)]
    registry = _registry(site_factory, tmp_path, specs)
    db = postgres.create_database("audit_kill")
    first = workers.start(concurrency=1)
    # Enqueued without waiting; the reports are written by another process, told to.
    enqueued = zwgk("run", str(registry), "--distributed", "--no-wait", "--broker", workers.broker,
                    "--out", str(tmp_path / "out"), "--db", db, *FAST, cwd=tmp_path, timeout=60)
    assert enqueued.returncode == 0, enqueued.stderr[-2000:]
    batch = re.search(r"--batch (\S+)", enqueued.stdout)[1]
    assert not (tmp_path / "out" / "tongbao.csv").exists()
    run = subprocess.Popen([sys.executable, "-m", "zwgk", "run", str(registry), "--report-only",
                            "--batch", batch, "--out", str(tmp_path / "out"), "--db", db, *FAST],
                           cwd=tmp_path, env=_env(), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        seen = None
        while time.monotonic() < deadline:
            seen = _run_state(db)
            if seen is not None and seen.state != "crawling":
                break
            time.sleep(0.02)
        # Crawled, its audit under way in the worker's site process: the worker dies.
        os.kill(first.pid, signal.SIGKILL)
        assert seen is not None and seen.state == "crawled", seen
        workers.start(concurrency=1)
        out, err = run.communicate(timeout=120)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert run.returncode == 0, err[-2000:]
    engine = create_engine(database_url(db))
    with engine.connect() as conn:
        rows = conn.execute(select(runs.c.id, runs.c.state, runs.c.verdict, runs.c.finished)).all()
        fetched = conn.execute(select(fetches.c.url, func.count()).group_by(fetches.c.url)).all()
        stored = conn.execute(select(findings.c.rule_id, func.count())
                              .group_by(findings.c.rule_id)).all()
    engine.dispose()
    assert len(rows) == 1 and rows[0].state == "audited" and rows[0].verdict
    # The second worker only audited it (the killed one logged nothing): the crawl that ended at
    # `seen.finished` was not repeated.
    assert _worker_steps(tmp_path) == [(rows[0].id, "audited")]
    assert rows[0].finished == seen.finished
    assert fetched and max(n for _, n in fetched) == 1
    # Its findings stored once: the run's findings.json lists each stored row once.
    assert dict(stored).get("link.broken")
    listed = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert sum(n for _, n in stored) == len(listed)
    assert (tmp_path / "out" / "测试区审计局" / "scorecard.html").is_file()
    assert _tongbao(tmp_path / "out")
