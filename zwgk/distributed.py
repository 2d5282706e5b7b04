"""`zwgk run --distributed` and `zwgk worker` (issue 10): one Celery task per site on a Redis broker.

The division of work:
- the enqueuing `zwgk run --distributed` records the run and its sites in the database first (one
  run row per site, tagged with the batch: zwgk.run.prepare_run), enqueues one `zwgk.crawl_site`
  task per site, waits until every site's run row says it was crawled, then audits and writes the
  reports itself through the same code as a single-process run (zwgk.run.report_run) — so the
  scorecards, dashboard and 通报 are written once, by that one process, and are those of `zwgk run`;
- a `zwgk worker` runs each task's crawl in a child process (Scrapy's reactor cannot be restarted
  in one process), through zwgk.crawl.crawl_many as `zwgk run` does.

Delivery: tasks are acknowledged late and rejected when their worker is lost, so a site whose worker
died (kill -9, a lost machine) is delivered again — by Redis after the visibility timeout. A site is
stored exactly once because its run row exists before the task: a delivery takes the run's lock
(a PostgreSQL advisory lock, held by its database session, so a dead worker's lock goes with it;
a file lock for SQLite), does nothing when the run is already crawled, and otherwise discards what a
killed delivery left of the run before crawling it again. A delivery that finds the lock held (the
first one still running after the visibility timeout) comes back later.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from pathlib import Path

from celery import Celery

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
            site_status="", score=None, verdict=None))


def run_rows(store, run_ids) -> dict[int, dict]:
    from sqlalchemy import select

    from snapshot.store import runs
    with store.engine.connect() as conn:
        rows = conn.execute(select(runs.c.id, runs.c.state, runs.c.site_status, runs.c.pages,
                                   runs.c.cut_short).where(runs.c.id.in_(list(run_ids)))).mappings()
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


def crawl_in_child(spec: dict, db: str) -> dict:
    """Run the site's crawl in a fresh Python process; its outcome (a dict) or Transient."""
    spec = {**spec, "db": db}
    proc = subprocess.run([sys.executable, "-m", "zwgk.distributed", "crawl", json.dumps(spec)],
                          capture_output=True, text=True, preexec_fn=_die_with_parent)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = " ".join((proc.stderr or "").split()[-30:])
        raise Transient(f"crawl process exited {proc.returncode}: {tail}")
    return json.loads(lines[-1])


def do_site(spec: dict) -> str:
    """One delivery of one site: 'crawled', 'already' (an earlier delivery stored it) or Busy."""
    from snapshot.store import Store

    from .jobs import now
    db = _worker_db(spec)
    store = Store(db)
    run_id = int(spec["run_id"])
    with run_lock(store, run_id) as mine:
        if not mine:
            raise Busy(f"run {run_id} is being crawled by another worker")
        if store.run_state(run_id) in ("crawled", "audited"):
            return "already"
        reset_run(store, run_id)
        outcome = crawl_in_child(spec, db)
        store.update_run(run_id, state="crawled", cut_short=bool(outcome.get("cut_short")),
                         finished=now().replace(tzinfo=None),
                         site_status="failed" if outcome.get("state") == "failed" else "")
    return "crawled"


def mark_failed(spec: dict, error: str) -> None:
    """Retries spent: the site is failed tonight (the run reports it), never left hanging."""
    from snapshot.store import Store

    from .jobs import now
    store = Store(_worker_db(spec))
    run_id = int(spec["run_id"])
    with run_lock(store, run_id) as mine:
        if mine and store.run_state(run_id) == "crawling":
            store.update_run(run_id, state="crawled", cut_short=True, site_status="failed",
                             finished=now().replace(tzinfo=None),
                             errors={"worker": error[:500]})


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
        mark_failed(spec, f"{type(exc).__name__}: {exc}")
        return "failed"


# ---- the child: one site's crawl ----

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


# ---- the enqueuing side ----

def task_spec(plan, crawled, job) -> dict:
    opts = asdict(plan.crawl)
    opts["as_of"] = opts["as_of"].isoformat() if opts.get("as_of") else None
    db = plan.db if "://" in plan.db else str(Path(plan.db).resolve())
    return {"db": db, "run_id": crawled.run_id, "name": crawled.name, "url": crawled.url,
            "host": crawled.host, "opts": opts, "log": str(Path(job.out_dir).resolve() / "crawl.log")}


def check_broker(url: str, timeout: float = 5.0) -> str | None:
    """None when the broker answers, else a one-line reason."""
    try:
        with app.connection_for_write(url) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:  # noqa: BLE001
        from kombu.utils.url import maybe_sanitize_url
        return f"无法连接消息队列 {maybe_sanitize_url(url)}（{type(exc).__name__}）"   # no password shown
    return None


def run_distributed(plan, broker: str, *, progress=None, poll: float = 1.0, log=print):
    """`zwgk run --distributed`: record, enqueue, wait for the workers, then report here."""
    from .run import prepare_run, report_run

    t0 = time.monotonic()
    app.conf.broker_url = broker
    store, batch, jobs, crawls, started = prepare_run(plan)
    with app.connection_for_write(broker) as conn:
        for c in crawls:
            crawl_site.apply_async(args=[task_spec(plan, c, jobs[c.name])], queue=QUEUE,
                                   connection=conn)
    print(f"zwgk: 已分发 {len(crawls)} 个网站（批次 {batch}），等待 zwgk worker 完成…",
          file=sys.stderr, flush=True)
    by_id = {c.run_id: c for c in crawls}
    pending = set(by_id)
    while pending:
        for run_id, row in run_rows(store, pending).items():
            if row["state"] in ("crawled", "audited"):
                c = by_id[run_id]
                c.state = "failed" if row["site_status"] == "failed" else "done"
                c.pages, c.cut_short = row["pages"] or 0, bool(row["cut_short"])
                pending.discard(run_id)
        if progress:
            progress.tick(crawls)
        if pending:
            time.sleep(poll)
    if progress:
        progress.close()
    return report_run(plan, store, batch, jobs, crawls, started, t0, log=log)


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
    if len(sys.argv) == 3 and sys.argv[1] == "crawl":
        result = child_crawl(json.loads(sys.argv[2]))
        print(json.dumps(result, ensure_ascii=False, default=str), flush=True)
        sys.exit(0)
    print("usage: python -m zwgk.distributed crawl SPEC_JSON", file=sys.stderr)
    sys.exit(2)
