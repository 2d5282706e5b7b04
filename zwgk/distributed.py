"""`zwgk run --distributed` and `zwgk worker` (issue 10): one Celery task per site on a Redis broker.

The division of work:
- the enqueuing `zwgk run --distributed` records the run and its sites in the database first (one
  run row per site, tagged with the batch: zwgk.run.prepare_run), enqueues one `zwgk.crawl_site`
  task per site and waits until every site's run is audited;
- a `zwgk worker` runs each site in a child process (Scrapy's reactor cannot be restarted in one
  process): its crawl through zwgk.crawl.crawl_many, then its audit through zwgk.run.audit_site —
  history, triage, score, evidence screenshots and the site's folder (scorecard …), stored with
  the site's line for the run's reports (runs.report) — exactly as `zwgk run` audits a site;
- the enqueuing process then only reads the database and writes the run's reports once
  (zwgk.run.report_run without auditing: run.json, findings.json, dashboard, 通报), the same
  code and the same reports as a single-process run.
The site's folder is written by the worker under the run's --out path: on several machines that
path is a shared mount (NFS), as README's deployment section says.

Delivery: tasks are acknowledged late and rejected when their worker is lost, so a site whose worker
died (kill -9, a lost machine) is delivered again — by Redis after the visibility timeout. A site is
stored exactly once because its run row exists before the task and moves crawling → crawled →
audited: a delivery takes the run's lock (a PostgreSQL advisory lock, held by its database session,
so a dead worker's lock goes with it; a file lock for SQLite), does nothing when the run is already
audited, only audits it when it is crawled (the delivery before was lost while auditing), and
otherwise discards what a killed delivery left of the run before crawling it again. The audit marks
the run audited last, in one transaction with its findings. A delivery that finds the lock held
(the first one still running after the visibility timeout) comes back later.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

from celery import Celery
from celery.utils.log import get_task_logger

logger = get_task_logger("zwgk.distributed")
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
QUEUE = "zwgk"


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, "") or default)
    except ValueError:
        return default


def broker_url(value: str | None = None) -> str:
    return value or os.environ.get("ZWGK_BROKER") or DEFAULT_BROKER


def _transport_options(visibility: float) -> dict:
    options = {"visibility_timeout": visibility}
    if visibility < 600:
        # kombu looks for overdue tasks every 10 s × 10 (throttle); a short timeout wants it often.
        options.update(unacked_restore_interval=1, unacked_restore_throttle=1)
    return options


app = Celery("zwgk", broker=broker_url(), set_as_current=False)
app.conf.update(
    task_acks_late=True,                 # acknowledged when the site is done, not when received
    task_reject_on_worker_lost=True,     # a worker that dies mid-site gives the site back
    worker_prefetch_multiplier=1,        # a worker holds only the sites it is crawling
    task_default_queue=QUEUE,
    task_serializer="json", accept_content=["json"],
    task_ignore_result=True,             # results live in the database, not the broker
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
    # Redis redelivers an unacknowledged task after this many seconds: how long a dead worker's
    # site waits. A live worker slower than this meets its duplicate at the run lock (harmless).
    broker_transport_options=_transport_options(_env_float("ZWGK_VISIBILITY_TIMEOUT", 3600)),
)


class Transient(Exception):
    """A failure worth another try later (the crawl process died, the database was away)."""


class Busy(Exception):
    """Another live delivery of the same site holds its run lock."""


# ---- the site's run: lock, reset, state ----

def run_tables():
    """The snapshot tables holding a run's rows (everything keyed by run_id, besides runs)."""
    from snapshot.store import metadata
    return [t for t in metadata.sorted_tables if "run_id" in t.c and t.name != "runs"]


@contextmanager
def run_lock(store, run_id: int):
    """Yields True when this process holds the run's lock, False when another does."""
    engine = store.engine
    if engine.dialect.name == "postgresql":
        from sqlalchemy import text
        with engine.connect() as conn:
            got = conn.execute(text("SELECT pg_try_advisory_lock(7311, :r)"), {"r": run_id}).scalar()
            conn.commit()
            try:
                yield bool(got)
            finally:
                if got:
                    conn.execute(text("SELECT pg_advisory_unlock(7311, :r)"), {"r": run_id})
                    conn.commit()
        return
    import fcntl
    db = engine.url.database or "zwgk.db"
    path = Path(f"{db}.run{run_id}.lock")
    with path.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def reset_run(store, run_id: int) -> None:
    """Discard what an interrupted delivery stored of the run: its rows and crawl fields."""
    from sqlalchemy import update

    from snapshot.store import runs
    with store.engine.begin() as conn:
        for table in reversed(run_tables()):
            conn.execute(table.delete().where(table.c.run_id == run_id))
        conn.execute(update(runs).where(runs.c.id == run_id).values(
            pages=0, cut_short=False, errors={}, homepage_outcome="", homepage_error="",
            section_url="", homepage_meta={}, homepage_text="", state="crawling", finished=None,
            site_status="", score=None, verdict=None, report={}))


def run_rows(store, run_ids) -> dict[int, dict]:
    from sqlalchemy import select

    from snapshot.store import runs
    with store.engine.connect() as conn:
        rows = conn.execute(select(runs.c.id, runs.c.state, runs.c.site_status, runs.c.pages,
                                   runs.c.cut_short, runs.c.finished, runs.c.report)
                            .where(runs.c.id.in_(list(run_ids)))).mappings()
        return {r["id"]: dict(r) for r in rows}


# ---- the task ----

def _worker_db(spec: dict) -> str:
    """The worker's own --db / $ZWGK_DB wins (each machine may name the server its own way)."""
    return os.environ.get("ZWGK_WORKER_DB") or spec["db"]


def _die_with_parent() -> None:
    # The crawl process must not outlive a killed worker: it would go on writing a run that
    # is being crawled again elsewhere. (Linux; elsewhere the run lock still guards the store.)
    try:
        import ctypes
        import signal
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001
        pass


def in_child(step: str, spec: dict, db: str) -> dict:
    """Run the site's step in a fresh Python process: 'site' (crawl, then audit) or 'audit'
    alone; its outcome (a dict) or Transient. Scrapy's reactor cannot be restarted in one
    process, and an audit is CPU work that the threads of one worker would queue behind the GIL;
    the crawl's process audits too, which spares a second interpreter per site."""
    spec = {**spec, "db": db}
    proc = subprocess.run([sys.executable, "-m", "zwgk.distributed", step, json.dumps(spec)],
                          capture_output=True, text=True, preexec_fn=_die_with_parent)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = " ".join((proc.stderr or "").split()[-30:])
        raise Transient(f"{step} process exited {proc.returncode}: {tail}")
    return json.loads(lines[-1])


def site_in_child(spec: dict, db: str) -> dict:
    return in_child("site", spec, db)


def audit_in_child(spec: dict, db: str) -> dict:
    return in_child("audit", spec, db)


def mark_crawled(store, run_id: int, outcome: dict) -> None:
    """crawling → crawled: the crawl's part is stored whole."""
    from .jobs import now
    store.update_run(run_id, state="crawled", cut_short=bool(outcome.get("cut_short")),
                     finished=now().replace(tzinfo=None),
                     site_status="failed" if outcome.get("state") == "failed" else "")


def do_site(spec: dict) -> str:
    """One delivery of one site, through the run's states crawling → crawled → audited:
    'audited', 'already' (an earlier delivery finished it) or Busy. A delivery that finds the
    site crawled (the one before was lost while auditing) only audits it; one that finds it
    crawling (lost mid-crawl) discards what was stored of it and starts again."""
    from snapshot.store import Store

    db = _worker_db(spec)
    store = Store(db)
    try:
        return _deliver(store, db, spec)
    finally:
        store.engine.dispose()      # a long-lived worker keeps no connections between sites


def _deliver(store, db: str, spec: dict) -> str:
    run_id = int(spec["run_id"])
    with run_lock(store, run_id) as mine:
        if not mine:
            raise Busy(f"run {run_id} is being crawled by another worker")
        state = store.run_state(run_id)
        if state == "audited" or stored_report(store, run_id):
            return "already"
        if state != "crawled":
            reset_run(store, run_id)
            outcome = site_in_child(spec, db)
            logger.info("run %s (%s): crawled, %s pages", run_id, spec["name"], outcome.get("pages"))
        else:
            outcome = audit_in_child(spec, db)
        logger.info("run %s (%s): audited, %s", run_id, spec["name"], outcome.get("verdict"))
    return "audited"


def stored_report(store, run_id: int) -> dict:
    from .run import stored_reports
    return stored_reports(store, [run_id]).get(run_id) or {}


def mark_failed(spec: dict, error: str) -> None:
    """Retries spent: the site is failed tonight (the run reports it), never left hanging —
    what was stored of it is audited here, in the worker's own process."""
    from snapshot.store import Store

    store = Store(_worker_db(spec))
    try:
        _fail(store, spec, error)
    finally:
        store.engine.dispose()


def _fail(store, spec: dict, error: str) -> None:
    from .jobs import now
    run_id = int(spec["run_id"])
    with run_lock(store, run_id) as mine:
        if not mine or store.run_state(run_id) == "audited" or stored_report(store, run_id):
            return
        if store.run_state(run_id) == "crawling":
            store.update_run(run_id, state="crawled", cut_short=True, site_status="failed",
                             finished=now().replace(tzinfo=None),
                             errors={"worker": error[:500]})
        child_audit(spec, store=store, failed=True)


@app.task(bind=True, name="zwgk.crawl_site", acks_late=True, reject_on_worker_lost=True,
          max_retries=None)
def crawl_site(self, spec: dict) -> str:
    attempts = int(os.environ.get("ZWGK_TASK_RETRIES", "3"))
    base = _env_float("ZWGK_RETRY_BASE", 30.0)
    try:
        return do_site(spec)
    except Busy as exc:
        raise self.retry(exc=exc, countdown=_env_float("ZWGK_BUSY_RETRY", 60.0))
    except Exception as exc:  # noqa: BLE001 — database away, crawl process killed …
        from sqlalchemy.exc import DBAPIError
        transient = isinstance(exc, (Transient, DBAPIError, OSError, ConnectionError))
        failures = int(spec.get("failures", 0))
        if transient and failures < attempts:
            # Exponential backoff: base, 2×base, 4×base … seconds.
            raise self.retry(exc=exc, countdown=base * 2 ** failures,
                             args=[{**spec, "failures": failures + 1}])
        try:
            mark_failed(spec, f"{type(exc).__name__}: {exc}")
        except Exception as again:  # noqa: BLE001 — the database away: the site must not hang
            raise self.retry(exc=again, countdown=base * 2 ** attempts)
        return "failed"


# ---- the children: one site crawled and audited, or audited alone ----

def child_crawl(spec: dict) -> dict:
    from .crawl import CrawlOptions, SiteCrawl, crawl_many
    opts = dict(spec["opts"])
    if os.environ.get("ZWGK_CACHE"):        # the worker machine's own cache root wins
        opts["cache_dir"] = os.environ["ZWGK_CACHE"]
    if opts.get("as_of"):
        opts["as_of"] = date.fromisoformat(opts["as_of"])
    site = SiteCrawl(name=spec["name"], url=spec["url"], run_id=int(spec["run_id"]),
                     host=spec["host"])
    log = Path(spec["log"]) if spec.get("log") else None
    crawl_many([site], spec["db"], CrawlOptions(**opts), concurrency=1, log_file=log)
    return {"state": site.state, "pages": site.pages, "cut_short": site.cut_short,
            "error": site.error, "finish_reason": site.finish_reason}


def child_site(spec: dict) -> dict:
    """The site's crawl, the run marked crawled, then its audit (a process killed during the
    audit leaves the run crawled: the next delivery audits it without crawling again)."""
    from snapshot.store import Store
    outcome = child_crawl(spec)
    store = Store(spec["db"])
    mark_crawled(store, int(spec["run_id"]), outcome)
    return {**outcome, **child_audit({**spec, "pages": outcome.get("pages")}, store=store)}


def child_audit(spec: dict, *, store=None, failed: bool = False) -> dict:
    """The site's audit as `zwgk run` does it (zwgk.run.audit_site: history, triage, score,
    screenshots, its folder), stored with the run marked `audited`. A failing audit is the site's
    outcome (检查未能完成); the database being away is not (the delivery is tried again)."""
    from sqlalchemy.exc import DBAPIError

    from snapshot.store import Store

    from .crawl import SiteCrawl
    from .registry import Site
    from .run import audit_stored_site, site_job
    store = store or Store(spec["db"])
    run_id = int(spec["run_id"])
    plan = plan_of(spec)
    site = Site(**spec["site"])
    job = site_job(plan, site, spec["folder"])
    job.out_dir.mkdir(parents=True, exist_ok=True)
    row = run_rows(store, [run_id])[run_id]
    crawled = SiteCrawl(name=site.name, url=site.url, run_id=run_id, host=site.host,
                        state="failed" if failed or row["site_status"] == "failed" else "done",
                        # pages as the crawl counted them (zwgk run's figure); after a lost
                        # delivery, as the store counted them
                        pages=spec.get("pages") or row["pages"] or 0,
                        cut_short=bool(row["cut_short"]))
    started = datetime.fromisoformat(spec["started"])
    finished = now_of(row) or started
    line = audit_stored_site(store, plan, site, job, run_id, crawled, spec["batch"], started,
                             finished, log_file=Path(spec["log"]).with_name("zwgk.log")
                             if spec.get("log") else job.out_dir / "zwgk.log",
                             transient=(DBAPIError, OSError))
    return {"verdict": line.get("verdict"), "status": line.get("status")}


def now_of(row: dict):
    """The crawl's end as a China-time datetime (runs.finished is stored naive, China time)."""
    from .jobs import SHANGHAI
    f = row.get("finished")
    return f.replace(tzinfo=SHANGHAI) if f is not None and f.tzinfo is None else f


def plan_of(spec: dict):
    """The RunPlan a worker needs to audit one site, from the task's spec."""
    from .crawl import CrawlOptions
    from .run import RunPlan
    opts = dict(spec["opts"])
    if opts.get("as_of"):
        opts["as_of"] = date.fromisoformat(opts["as_of"])
    run = spec["run"]
    return RunPlan(sites=[], out=Path(run["out"]), db=run["db"],
                   as_of=date.fromisoformat(run["as_of"]), crawl=CrawlOptions(**opts),
                   config=run["config"], warnings=run["warnings"],
                   base_dir=Path(run["base_dir"]) if run.get("base_dir") else None)


# ---- the enqueuing side ----

def task_spec(plan, crawled, job, *, site, batch: str, started) -> dict:
    """Everything a worker needs to crawl and audit one site of the run (JSON)."""
    opts = asdict(plan.crawl)
    opts["as_of"] = opts["as_of"].isoformat() if opts.get("as_of") else None
    db = plan.db if "://" in plan.db else str(Path(plan.db).resolve())
    out = Path(job.out_dir).resolve()
    return {"db": db, "run_id": crawled.run_id, "name": crawled.name, "url": crawled.url,
            "host": crawled.host, "opts": opts, "log": str(out / "crawl.log"),
            "site": asdict(site), "folder": out.name, "batch": batch,
            "started": started.isoformat(),
            "run": {"out": str(out.parent), "db": plan.db, "as_of": plan.as_of.isoformat(),
                    "config": plan.config, "warnings": plan.warnings,
                    "base_dir": str(Path(plan.base_dir).resolve()) if plan.base_dir else None}}


def check_broker(url: str, timeout: float = 5.0) -> str | None:
    """None when the broker answers, else a one-line reason."""
    try:
        with app.connection_for_write(url) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:  # noqa: BLE001
        from kombu.utils.url import maybe_sanitize_url
        return f"无法连接消息队列 {maybe_sanitize_url(url)}（{type(exc).__name__}）"   # no password shown
    return None


def finished_for_run(row: dict) -> bool:
    """The site's part of the run is done: audited, or its audit failed (its line says so)."""
    return row["state"] == "audited" or bool(row.get("report"))


def run_distributed(plan, broker: str, *, progress=None, poll: float = 1.0, wait: bool = True,
                    log=print):
    """`zwgk run --distributed`: record, enqueue, wait until the workers have crawled and
    audited every site, then write the run's reports here from the database. With wait=False,
    only record and enqueue: the batch's name is returned, and `--report-only` reports it."""
    from .run import prepare_run

    t0 = time.monotonic()
    app.conf.broker_url = broker
    store, batch, jobs, crawls, started = prepare_run(plan)
    by_name = {s.name: s for s in plan.sites}
    with app.connection_for_write(broker) as conn:
        for c in crawls:
            spec = task_spec(plan, c, jobs[c.name], site=by_name[c.name], batch=batch,
                             started=started)
            crawl_site.apply_async(args=[spec], queue=QUEUE, connection=conn)
    print(f"zwgk: 已分发 {len(crawls)} 个网站（批次 {batch}）"
          + ("，等待 zwgk worker 完成…" if wait else ""), file=sys.stderr, flush=True)
    if not wait:
        return batch
    return wait_and_report(plan, store, batch, jobs, crawls, started, t0, progress=progress,
                           poll=poll, log=log)


def wait_and_report(plan, store, batch, jobs, crawls, started, t0, *, progress=None,
                    poll: float = 1.0, log=print):
    """Wait until every site of the batch is audited (by the workers), then write the run's
    reports from the database (zwgk.run.report_run, auditing nothing here)."""
    from .run import report_run
    by_id = {c.run_id: c for c in crawls}
    pending = set(by_id)
    while pending:
        for run_id, row in run_rows(store, pending).items():
            if finished_for_run(row):
                c = by_id[run_id]
                c.state = "failed" if row["site_status"] == "failed" else "done"
                c.pages = (row.get("report") or {}).get("pages") or row["pages"] or 0
                c.cut_short = bool(row["cut_short"])
                pending.discard(run_id)
        if progress:
            progress.tick(crawls)
        if pending:
            time.sleep(poll)
    if progress:
        progress.close()
    return report_run(plan, store, batch, jobs, crawls, started, t0, audit=False, log=log)


class NoBatch(ValueError):
    """--report-only finds no batch of these sites to report (one line)."""


def report_batch(plan, batch: str | None = None, *, progress=None, poll: float = 1.0, log=print):
    """`zwgk run SITES --report-only [--batch B]`: the reports of a distributed run written by
    this process — e.g. when the enqueuing one was stopped, or enqueued with --no-wait. The batch
    is the latest of the as-of date holding the registry's sites unless named; waits until the
    workers have audited all of its sites."""
    from sqlalchemy import select

    from snapshot.store import Store, runs

    from .crawl import SiteCrawl
    from .jobs import SHANGHAI
    from .run import site_folders, site_job

    t0 = time.monotonic()
    store = Store(plan.db)
    urls = [s.url for s in plan.sites]
    with store.engine.connect() as conn:
        if batch is None:
            batch = conn.execute(
                select(runs.c.batch).where(runs.c.site_url.in_(urls), runs.c.state != "interrupted",
                                           runs.c.batch.startswith(f"{plan.as_of.isoformat()}@",
                                                                   autoescape=True))
                .order_by(runs.c.id.desc()).limit(1)).scalar()
        rows = conn.execute(select(runs.c.id, runs.c.site_url, runs.c.started)
                            .where(runs.c.batch == (batch or ""), runs.c.state != "interrupted")
                            .order_by(runs.c.id)).all()
    if not batch or not rows:
        raise NoBatch(f"数据库中没有这些网站 {plan.as_of.isoformat()} 的分布式检查批次"
                      if not batch else f"数据库中没有批次 {batch}")
    run_of = {url: run_id for run_id, url, _ in rows}
    missing = [s.name for s in plan.sites if s.url not in run_of]
    if missing:
        raise NoBatch(f"批次 {batch} 中没有这些网站：{'、'.join(missing[:5])}"
                      + ("等" if len(missing) > 5 else ""))
    started = min(r.started for r in rows if r.started is not None)
    started = started.replace(tzinfo=SHANGHAI) if started.tzinfo is None else started.astimezone(SHANGHAI)
    plan.out.mkdir(parents=True, exist_ok=True)
    jobs, crawls = {}, []
    for site, folder in zip(plan.sites, site_folders(plan.sites)):
        jobs[site.name] = site_job(plan, site, folder)
        crawls.append(SiteCrawl(name=site.name, url=site.url, run_id=run_of[site.url],
                                host=site.host))
    print(f"zwgk: 等待批次 {batch} 的 {len(crawls)} 个网站完成检查…", file=sys.stderr, flush=True)
    return wait_and_report(plan, store, batch, jobs, crawls, started, t0, progress=progress,
                           poll=poll, log=log)


def start_worker(concurrency: int, broker: str, db: str | None = None, loglevel: str = "INFO") -> int:
    """`zwgk worker`: crawls run in child processes, so the worker's own pool is threads."""
    if db:
        os.environ["ZWGK_WORKER_DB"] = db
    app.conf.broker_url = broker
    app.worker_main(["worker", "--pool", "threads", "--concurrency", str(concurrency),
                     "--queues", QUEUE, "--loglevel", loglevel, "--without-gossip",
                     "--without-mingle", "--hostname", f"zwgk-{os.getpid()}@%h"])
    return 0


if __name__ == "__main__":
    steps = {"site": child_site, "crawl": child_crawl, "audit": child_audit}
    if len(sys.argv) == 3 and sys.argv[1] in steps:
        result = steps[sys.argv[1]](json.loads(sys.argv[2]))
        print(json.dumps(result, ensure_ascii=False, default=str), flush=True)
        sys.exit(0)
    print("usage: python -m zwgk.distributed site|crawl|audit SPEC_JSON", file=sys.stderr)
    sys.exit(2)
