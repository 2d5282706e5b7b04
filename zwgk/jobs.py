"""One site's audit, wired end to end: crawl → snapshot → audits → report.

The command line owns arguments and exit codes; this module owns the order of the steps. The
steps are separate functions because `zwgk run` (zwgk/run.py) crawls many sites at once and then
audits and reports each one through the same steps as `zwgk audit`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from snapshot.store import Store

from .crawl import CrawlOptions, crawl

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class AuditJob:
    url: str
    out_dir: Path
    as_of: date
    db: str
    kind: str = "auto"
    name: str = ""
    crawl: CrawlOptions = field(default_factory=CrawlOptions)
    config: object | None = None      # audits.config.AuditConfig


def now() -> datetime:
    return datetime.now(SHANGHAI)


def start_run(store: Store, job: AuditJob, started: datetime) -> int:
    return store.create_run(job.url, kind=job.kind, render=job.crawl.render,
                            started=started.replace(tzinfo=None), site_name=job.name)


def finish_crawl(store: Store, run_id: int, job: AuditJob, *, cut_short: bool,
                 finished: datetime) -> None:
    values = {"finished": finished.replace(tzinfo=None), "cut_short": cut_short, "state": "crawled"}
    if job.name:
        values["site_name"] = job.name     # --name (or the registry's name) wins over the homepage
    store.update_run(run_id, **values)


def audit_run(store: Store, run_id: int, job: AuditJob):
    """(snapshot, AuditResult) of a crawled run."""
    from audits import audit
    snapshot = store.load(run_id)
    result = audit(snapshot, job.as_of, job.config)
    if getattr(job.crawl, "screenshots", False):
        # Evidence (issue 8.6): the pages of column and broken-link findings, shot into the
        # site's folder; each finding's `evidence` names its shot. Never fails the run.
        from crawler.screenshots import attach_screenshots
        attach_screenshots(snapshot, result.findings, job.out_dir, timeout=job.crawl.timeout)
    return snapshot, result


def report_options(job: AuditJob, run_id: int) -> dict:
    return {"render": job.crawl.render, "max_pages": job.crawl.max_pages,
            "obey_robots": job.crawl.obey_robots, "per_host": job.crawl.per_host, "db": job.db,
            "run_id": run_id, "documents": job.crawl.sampling()}


def write_report(job: AuditJob, run_id: int, snapshot, result, *, started: datetime,
                 finished: datetime, history: dict | None = None) -> Path:
    """The site's output folder (reports.site); `history` adds the run's 已整改 / 未复查 /
    人工处理 lists and trend to the scorecard (zwgk run)."""
    from reports.site import write_site_report
    options = report_options(job, run_id)
    if history is not None:
        return write_site_report(job.out_dir, snapshot, result, started=started, finished=finished,
                                 options=options, history=history)
    return write_site_report(job.out_dir, snapshot, result, started=started, finished=finished,
                             options=options)


def run_audit(job: AuditJob) -> Path:
    """Crawl, audit and render one site. Returns the scorecard's path."""
    job.out_dir.mkdir(parents=True, exist_ok=True)
    store = Store(job.db)
    started = now()
    store.interrupt_unfinished([job.url])     # a killed audit of this site: restarted cleanly
    run_id = start_run(store, job, started)
    outcome = crawl(job.url, job.db, run_id, job.crawl, log_file=job.out_dir / "zwgk.log")
    finished = now()
    finish_crawl(store, run_id, job, cut_short=outcome["cut_short"], finished=finished)
    snapshot, result = audit_run(store, run_id, job)
    store.save_findings(run_id, [f.as_dict() for f in result.findings], as_of=job.as_of)
    return write_report(job, run_id, snapshot, result, started=started, finished=finished)
