"""One site's audit, wired end to end: crawl → snapshot → audits → report.

The command line owns arguments and exit codes; this module owns the order of the steps.
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


def run_audit(job: AuditJob) -> Path:
    """Crawl, audit and render one site. Returns the scorecard's path."""
    from audits import audit
    from reports.site import write_site_report

    job.out_dir.mkdir(parents=True, exist_ok=True)
    store = Store(job.db)
    started = datetime.now(SHANGHAI)
    run_id = store.create_run(job.url, kind=job.kind, render=job.crawl.render,
                              started=started.replace(tzinfo=None), site_name=job.name)
    outcome = crawl(job.url, job.db, run_id, job.crawl, log_file=job.out_dir / "zwgk.log")
    finished = datetime.now(SHANGHAI)
    values = {"finished": finished.replace(tzinfo=None), "cut_short": outcome["cut_short"],
              "state": "crawled"}
    if job.name:
        values["site_name"] = job.name     # --name wins over what the homepage says
    store.update_run(run_id, **values)

    snapshot = store.load(run_id)
    result = audit(snapshot, job.as_of, job.config)
    store.save_findings(run_id, [f.as_dict() for f in result.findings], as_of=job.as_of)
    return write_site_report(job.out_dir, snapshot, result, started=started, finished=finished,
                             options={"render": job.crawl.render, "max_pages": job.crawl.max_pages,
                                      "obey_robots": job.crawl.obey_robots,
                                      "per_host": job.crawl.per_host, "db": job.db,
                                      "run_id": run_id})
