"""`zwgk run SITES`: the scheduled audit of many sites (contract.md).

Order of the steps: every site crawled in this one process (zwgk.crawl.crawl_many: one reactor,
several spiders at once) → each site audited and reported through the same steps as `zwgk audit`
(zwgk.jobs), with history (audits.history: statuses by fingerprint) and triage (audits.triage),
and stored: findings, score, verdict and its line for the run's reports (audit_site) → the run's
reports read back from the database: the frames of notes/interfaces.md → the dashboard and the
通报 (reports.dashboard, reports.tongbao). `zwgk run --distributed` (zwgk.distributed) runs
audit_site in the workers and only the last step here.
A site that fails at any step is that site's outcome; the others go on.
"""
from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from snapshot.model import OK

from .crawl import CrawlOptions, SiteCrawl, crawl_many
from .jobs import AuditJob, audit_run, finish_crawl, now, start_run, write_report
from .registry import Site

RUN_CONFIG_KEYS = ("office", "warnings")     # sections of --config that are `run`'s, not the rules'


class RunConfigError(ValueError):
    """A bad --config for `run`; one line."""


@dataclass
class RunPlan:
    sites: list[Site]
    out: Path
    db: str
    as_of: date
    crawl: CrawlOptions = field(default_factory=CrawlOptions)
    config: dict = field(default_factory=dict)       # the rules' part of --config (a mapping)
    office: dict = field(default_factory=dict)       # 发文单位 … (config's office:)
    warnings: dict = field(default_factory=dict)     # early-warning thresholds (config's warnings:)
    concurrency: int = 8
    round: str = ""
    deadline: date | None = None
    base_dir: Path | None = None                     # resolves relative paths in --config


@dataclass
class RunResult:
    out: Path
    sites: list[dict]
    findings: list[dict]
    dashboard: Path | None = None
    tongbao: dict = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0


def default_round(as_of: date) -> str:
    return f"{as_of.year}Q{(as_of.month - 1) // 3 + 1}"


def load_run_config(path: Path | None) -> tuple[dict, dict, dict]:
    """(rules mapping, office, warnings) from a --config file; RunConfigError when bad."""
    import yaml

    from audits.config import AuditConfig, ConfigError
    if path is None:
        return {}, {}, {}
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError) as exc:
        raise RunConfigError(f"配置文件 {path} 无法读取（{exc}）") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RunConfigError(f"配置文件 {path} YAML 格式错误{f'第{mark.line + 1}行' if mark else ''}") from None
    if not isinstance(data, dict):
        raise RunConfigError(f"配置文件 {path} 应为键值映射")
    office, warnings = data.pop("office", None) or {}, data.pop("warnings", None) or {}
    if not isinstance(office, dict):
        raise RunConfigError(f"配置文件 {path} office: 应为 {{name: 发文单位, recipients: 主送, title_region: 全区}}")
    try:
        from audits.warnings import warning_params
        warning_params(warnings)
    except ImportError:
        pass
    except ValueError as exc:
        raise RunConfigError(f"配置文件 {path} warnings: {exc}") from None
    try:
        AuditConfig.from_mapping(data, base_dir=Path(path).parent)
    except ConfigError as exc:
        raise RunConfigError(f"配置文件 {path} 有误：{exc}") from None
    return data, office, warnings


def merge_config(base: dict, site: dict) -> dict:
    """The run's config overlaid with one site's overrides: rules and columns merged per key,
    disable lists joined, anything else replaced."""
    out = dict(base)
    for key, value in (site or {}).items():
        if key == "rules":
            rules = {k: dict(v) for k, v in (base.get("rules") or {}).items()}
            for rid, params in (value or {}).items():
                rules[rid] = {**rules.get(rid, {}), **(params or {})}
            out["rules"] = rules
        elif key == "columns":
            out["columns"] = {**(base.get("columns") or {}), **(value or {})}
        elif key == "disable":
            out["disable"] = list(dict.fromkeys([*(base.get("disable") or []), *(value or [])]))
        else:
            out[key] = value
    return out


def folder_name(site: Site) -> str:
    """The site's output folder: its name with characters no file system takes replaced."""
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", site.name).strip("._") or site.host.replace(":", "_")
    return name[:80]


def site_status(snapshot, crawl_state: str) -> str:
    """ok | down | blocked | failed — what the run could do with the site tonight."""
    outcome = snapshot.run.homepage_outcome if snapshot is not None else ""
    if outcome in (OK, "not_modified"):
        return "ok"
    if outcome in ("blocked", "robots"):
        return "blocked"
    if outcome:
        return "down"
    return "failed" if crawl_state == "failed" or snapshot is None else "down"


def summary_sentence(status: str, snapshot, open_rows: list[dict]) -> str:
    """存在的突出问题, one Chinese sentence from what the audit found (vetoes first)."""
    from audits.registry import rule_title
    if status == "down":
        err = snapshot.run.homepage_error if snapshot is not None else ""
        return f"检查期间首页无法访问{f'（{err}）' if err else ''}"
    if status == "blocked":
        return "检查期间首页被防护系统拦截，未能检查"
    if status == "failed":
        return "检查未能完成"
    counts: dict[str, int] = {}
    severity: dict[str, str] = {}
    for r in open_rows:
        if r["severity"] == "advisory":
            continue
        counts[r["rule_id"]] = counts.get(r["rule_id"], 0) + 1
        severity[r["rule_id"]] = r["severity"]
    order = sorted(counts, key=lambda rid: (severity[rid] != "veto", -counts[rid], rid))
    parts = [rule_title(rid) + (f"{counts[rid]}处" if counts[rid] > 1 and severity[rid] != "veto" else "")
             for rid in order[:4]]
    return "；".join(parts)


def _score_open(result, open_findings):
    from audits.scoring import score
    return score(open_findings, result.thresholds)


def _finding_obj(row: dict):
    from audits.finding import Finding
    return Finding(**{k: row.get(k, "") or "" for k in
                      ("rule_id", "severity", "detail", "column", "url", "target", "title", "status")})


def audit_site(store, plan: RunPlan, site: Site, job: AuditJob, run_id: int, crawled: SiteCrawl,
               batch: str, started: datetime, finished: datetime) -> dict:
    """Audit, compare with history, apply triage, store and report one crawled site: its folder
    (scorecard …), then in the database, in one transaction, its findings, score, verdict, its
    line in the run's reports (runs.report) and the run marked `audited` — a process killed on the
    way leaves it `crawled`, audited again on the next delivery.
    Returns the site's line (a sites-frame row)."""
    from audits import history as hist
    from audits import triage as tri
    from audits.finding import AuditResult

    finish_crawl(store, run_id, job, cut_short=crawled.cut_short, finished=finished)
    snapshot, result = audit_run(store, run_id, job)
    status = site_status(snapshot, crawled.state)
    if crawled.state == "failed" and status == "ok":
        status = "failed"       # the homepage loaded, then the crawl itself broke down

    current, fps = {}, []
    for f in result.findings:
        row = f.as_dict()
        row["locus"] = hist.locus(row, snapshot)
        row["fingerprint"] = hist.fingerprint(site.url, row["rule_id"], row["locus"], row["target"])
        fps.append(row["fingerprint"])
        current.setdefault(row["fingerprint"], row)         # one row per problem
    current = list(current.values())
    past = hist.load_site_history(store, site.url, exclude_run=run_id)
    cov = hist.coverage(snapshot, result.thresholds)
    compared = hist.compare(current, past, cov, plan.as_of)
    decisions = tri.in_force(store.triage_rows({r["fingerprint"] for r in compared}), plan.as_of)
    compared = tri.annotate(compared, decisions)

    present = [r for r in compared if r["status"] in hist.OPEN]
    open_rows = [r for r in present if not r["triage"]]
    triaged = [r for r in present if r["triage"]]
    points = _score_open(result, [_finding_obj(r) for r in open_rows])
    vetoed = any(r["severity"] == "veto" for r in open_rows)
    if status == "ok":
        verdict, score_value = points.verdict, points.points
    else:
        verdict, score_value = ("不合格" if vetoed else "未能检查"), None
    consecutive = hist.site_consecutive([p.verdict for p in past], verdict)

    trend = [{"as_of": p.as_of, "score": p.score, "verdict": p.verdict or "",
              "findings": sum(1 for r in p.findings if r.get("status") in hist.OPEN)} for p in past]
    trend.append({"as_of": plan.as_of, "score": score_value, "verdict": verdict,
                  "findings": len(open_rows)})
    for r in triaged:
        r["triage_label"] = tri.LABELS.get(r["triage"], r["triage"])
    history_view = {
        "labels": hist.STATUS_LABELS, "consecutive": consecutive, "trend": trend[-12:],
        "counts": {s: sum(1 for r in compared if r["status"] == s and not r["triage"])
                   for s in hist.STATUS_LABELS},
        "fixed": [r for r in compared if r["status"] == "fixed"],
        "unverified": [r for r in compared if r["status"] == "unverified"],
        "triaged": triaged,
    }
    # The scorecard's finding lists and findings.csv: this run's open, untriaged findings.
    by_fp = {r["fingerprint"]: r for r in open_rows}
    kept, seen = [], set()
    for f, fp in zip(result.findings, fps):
        if fp in by_fp and fp not in seen:
            seen.add(fp)
            f.status = by_fp[fp]["status"]
            kept.append(f)
    report_result = AuditResult(as_of=result.as_of, findings=kept, score=points, notes=result.notes,
                                thresholds=result.thresholds)
    write_report(job, run_id, snapshot, report_result, started=started, finished=finished,
                 history=history_view)

    try:
        from audits.warnings import early_warnings
        warnings = early_warnings(snapshot, open_rows, plan.as_of, plan.warnings or None) \
            if status == "ok" else []
    except ImportError:
        warnings = []
    site_row = {"name": site.name, "url": site.url, "ident": site.ident, "host_org": site.host_org,
                "group": site.group, "kind": site.kind, "verdict": verdict, "score": score_value,
                "complete": status == "ok" and not snapshot.incomplete, "status": status,
                "scorecard": f"{job.out_dir.name}/scorecard.html", "run_id": run_id,
                "consecutive": consecutive, "summary": summary_sentence(status, snapshot, open_rows),
                "warnings": warnings, "pages": crawled.pages}
    stored = [{k: v for k, v in r.items() if not k.startswith("triage")} for r in compared]
    keys = set().union(*stored) if stored else set()    # one insert: every row the same keys
    store.save_findings(run_id, [{k: r.get(k, "") for k in keys} for r in stored], as_of=plan.as_of,
                        batch=batch, score=score_value, verdict=verdict, site_status=status,
                        report=site_row)
    return site_row


def audit_stored_site(store, plan: RunPlan, site: Site, job: AuditJob, run_id: int,
                      crawled: SiteCrawl, batch: str, started: datetime, finished: datetime, *,
                      log_file: Path, transient: tuple = ()) -> dict:
    """audit_site; when it fails, the failure is the site's outcome: its line says 检查未能完成
    (stored, the run left `crawled`: never history) and the traceback goes to `log_file`.
    Exceptions of the `transient` kinds (the database away) propagate, to be tried again."""
    try:
        return audit_site(store, plan, site, job, run_id, crawled, batch, started, finished)
    except transient:
        raise
    except Exception as exc:  # noqa: BLE001 — one site's failure is that site's outcome
        import traceback
        with log_file.open("a", encoding="utf-8") as fh:
            fh.write(f"\n[{site.name}] audit failed\n{traceback.format_exc()}")
        row = failed_site_row(site, job, run_id, type(exc).__name__)
        try:
            store.update_run(run_id, batch=batch, report=row)
        except Exception:  # noqa: BLE001 — the line is still used in memory by this process
            pass
        return row


def stored_reports(store, run_ids) -> dict[int, dict]:
    """runs.report of these runs: each site's line, as its audit stored it ({} when none)."""
    from sqlalchemy import select

    from snapshot.store import runs
    with store.engine.connect() as conn:
        rows = conn.execute(select(runs.c.id, runs.c.report).where(runs.c.id.in_(list(run_ids))))
        return {run_id: report or {} for run_id, report in rows}


def stored_site_rows(store, plan: RunPlan, site: Site, job: AuditJob, run_id: int,
                     report: dict | None) -> tuple[dict, list[dict]]:
    """The site's line and its findings-frame rows, read back from the database (runs.report,
    the stored findings with their history, triage as of the run's date): the same whichever
    process audited the site."""
    from audits import history as hist
    from audits import triage as tri
    from audits.registry import rule_title

    site_row = dict(report) if report else failed_site_row(site, job, run_id, "未完成")
    rows = [{k: v for k, v in r.items() if k not in ("id", "run_id")}
            for r in store.run_findings([run_id])]
    decisions = tri.in_force(store.triage_rows({r["fingerprint"] for r in rows}), plan.as_of)
    finding_rows = []
    for r in tri.annotate(rows, decisions):
        if r["triage"] and r["status"] in hist.OPEN:
            r["triage_label"] = tri.LABELS.get(r["triage"], r["triage"])
        finding_rows.append({**r, "site": site.name, "ident": site.ident, "group": site.group,
                             "host_org": site.host_org, "rule_title": rule_title(r["rule_id"]),
                             "evidence": r.get("evidence") or ""})
    return site_row, finding_rows


def failed_site_row(site: Site, job: AuditJob, run_id: int | None, error: str) -> dict:
    return {"name": site.name, "url": site.url, "ident": site.ident, "host_org": site.host_org,
            "group": site.group, "kind": site.kind, "verdict": "未能检查", "score": None,
            "complete": False, "status": "failed", "scorecard": "", "run_id": run_id,
            "consecutive": 0, "summary": f"检查未能完成（{error}）", "warnings": [], "pages": 0}


def run_sites(plan: RunPlan, *, progress=None, log=print) -> RunResult:
    """The whole nightly job; returns what it wrote. Per-site failures are outcomes, not errors."""
    t0 = time.monotonic()
    store, batch, jobs, crawls, started = prepare_run(plan)
    crawl_many(crawls, plan.db, plan.crawl, concurrency=plan.concurrency,
               log_file=plan.out / "zwgk.log", on_tick=progress.tick if progress else None)
    if progress:
        progress.close()
    return report_run(plan, store, batch, jobs, crawls, started, t0, log=log)


def site_folders(sites: list[Site]) -> list[str]:
    """Each site's output folder under the run's out dir, in the registry's order."""
    out: list[str] = []
    for site in sites:
        folder = folder_name(site)
        if folder in out:           # two names that differ only in characters a path cannot hold
            folder = f"{folder}_{site.host.replace(':', '_')}"
        out.append(folder)
    return out


def site_job(plan: RunPlan, site: Site, folder: str) -> AuditJob:
    """The site's audit job: its folder under the run's out dir, its config (the run's with the
    site's overrides)."""
    from audits.config import AuditConfig
    mapping = merge_config(plan.config, site.config)
    if site.kind != "auto":
        mapping = {**mapping, "kind": site.kind}
    return AuditJob(url=site.url, out_dir=plan.out / folder, as_of=plan.as_of, db=plan.db,
                    kind=site.kind, name=site.name, crawl=plan.crawl,
                    config=AuditConfig.from_mapping(mapping, base_dir=plan.base_dir))


def prepare_run(plan: RunPlan):
    """The run and its sites recorded in the database before any crawl (one run row per site,
    tagged with the batch): (store, batch, jobs by site name, SiteCrawls, started)."""
    from snapshot.store import Store

    plan.out.mkdir(parents=True, exist_ok=True)
    store = Store(plan.db)
    started = now()
    batch = f"{plan.as_of.isoformat()}@{started:%Y-%m-%dT%H:%M:%S}"
    # The same night run again after a kill: the killed batch is set aside whole (its runs never
    # count as history) and every site is crawled afresh, so each is stored once for the night.
    store.interrupt_unfinished([s.url for s in plan.sites], batch_prefix=f"{plan.as_of.isoformat()}@")
    jobs: dict[str, AuditJob] = {}
    crawls: list[SiteCrawl] = []
    for site, folder in zip(plan.sites, site_folders(plan.sites)):
        store.upsert_site(site.url, name=site.name, kind=site.kind, group=site.group,
                          ident=site.ident, host_org=site.host_org)
        job = site_job(plan, site, folder)
        job.out_dir.mkdir(parents=True, exist_ok=True)
        jobs[site.name] = job
        run_id = start_run(store, job, started)
        store.update_run(run_id, batch=batch)
        crawls.append(SiteCrawl(name=site.name, url=site.url, run_id=run_id, host=site.host))
    return store, batch, jobs, crawls, started


def report_run(plan: RunPlan, store, batch: str, jobs: dict, crawls: list[SiteCrawl],
               started: datetime, t0: float, *, audit: bool = True, log=print) -> RunResult:
    """The run's reports: with `audit`, every crawled site audited here first (zwgk run); without
    (zwgk run --distributed: the workers audited them), only read back. Either way the sites'
    lines and findings are read from the database, so the reports are the same."""
    from audits.history import build_frames

    finished = now()
    by_name = {s.name: s for s in plan.sites}
    if audit:
        for crawled in crawls:
            audit_stored_site(store, plan, by_name[crawled.name], jobs[crawled.name],
                              crawled.run_id, crawled, batch, started, finished,
                              log_file=plan.out / "zwgk.log")

    site_rows, finding_rows, failed = [], [], []
    reports = stored_reports(store, [c.run_id for c in crawls])
    for crawled in crawls:
        site, job = by_name[crawled.name], jobs[crawled.name]
        row, rows = stored_site_rows(store, plan, site, job, crawled.run_id,
                                     reports.get(crawled.run_id))
        site_rows.append(row)
        finding_rows.extend(rows)
        if row["status"] != "ok":
            failed.append(site.name)

    sites, findings, trend = build_frames(site_rows, finding_rows, store,
                                          {s.name: s.url for s in plan.sites})
    result = RunResult(out=plan.out, sites=site_rows, findings=finding_rows, failed=failed,
                       pages=sum(c.pages for c in crawls), seconds=time.monotonic() - t0)
    _write_run_files(plan, result, started, finished)
    round_ = plan.round or default_round(plan.as_of)
    deadline = plan.deadline or plan.as_of + timedelta(days=15)
    region = plan.office.get("title_region") or ""
    try:
        from reports.dashboard import write_dashboard
        result.dashboard = write_dashboard(plan.out, sites, findings, trend, as_of=plan.as_of,
                                           title=f"{region}政府网站检查情况")
    except ImportError as exc:
        log(f"zwgk: 未生成仪表盘（{exc}）", file=sys.stderr)
    try:
        from reports.tongbao import write_tongbao
        result.tongbao = write_tongbao(plan.out, sites, findings, round=round_, deadline=deadline,
                                       as_of=plan.as_of, office=plan.office)
    except ImportError as exc:
        log(f"zwgk: 未生成通报（{exc}）", file=sys.stderr)
    return result


def _write_run_files(plan: RunPlan, result: RunResult, started: datetime, finished: datetime) -> None:
    """run.json (the run and one line per site) and findings.json (every finding of the run with
    its status — fixed and unverified included — fingerprint and triage): for scripts."""
    import json
    statuses: dict[str, int] = {}
    for f in result.findings:
        statuses[f["status"]] = statuses.get(f["status"], 0) + 1
    summary = {"as_of": plan.as_of.isoformat(), "started": started.isoformat(timespec="seconds"),
               "finished": finished.isoformat(timespec="seconds"), "pages": result.pages,
               "sites": result.sites, "statuses": statuses}
    (plan.out / "run.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1, default=str) + "\n",
                                       encoding="utf-8")
    (plan.out / "findings.json").write_text(
        json.dumps(result.findings, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")


# ---- progress on the terminal ----
def _clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """Sites done / running / failed, pages, elapsed and ETA: a live `rich` panel on a terminal,
    plain lines (one per finished site, a status line every `every` seconds) otherwise."""

    def __init__(self, total: int, stream=None, every: float = 30.0):
        self.stream = stream or sys.stderr
        self.total = total
        self.t0 = time.monotonic()
        self.every = every
        self.last_line = self.t0
        self.reported: set[str] = set()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.live = None
        if self.tty:
            from rich.console import Console
            from rich.live import Live
            self.live = Live(console=Console(file=self.stream), refresh_per_second=4, transient=False)
            self.live.start()

    def counts(self, sites: list[SiteCrawl]) -> dict:
        done = [s for s in sites if s.state in ("done", "failed")]
        running = [s for s in sites if s.state in ("crawling", "checking")]
        elapsed = time.monotonic() - self.t0
        eta = elapsed / len(done) * (self.total - len(done)) if done else None
        return {"done": len(done), "running": running,
                "failed": sum(1 for s in sites if s.state == "failed"),
                "pages": sum(s.live_pages() for s in sites), "elapsed": elapsed, "eta": eta}

    def headline(self, c: dict) -> str:
        eta = _clock(c["eta"]) if c["eta"] is not None else "估算中"
        return (f"站点 {c['done']}/{self.total} 已完成（失败 {c['failed']}），运行中 {len(c['running'])}，"
                f"已抓取 {c['pages']} 页，用时 {_clock(c['elapsed'])}，预计剩余 {eta}")

    def tick(self, sites: list[SiteCrawl]) -> None:
        c = self.counts(sites)
        if self.live is not None:
            from rich.console import Group
            from rich.table import Table
            from rich.text import Text
            table = Table(expand=False)
            table.add_column("运行中的站点")
            table.add_column("阶段")
            table.add_column("页数", justify="right")
            table.add_column("用时", justify="right")
            for s in c["running"]:
                table.add_row(s.name, "抓取" if s.state == "crawling" else "检查链接", str(s.live_pages()),
                              _clock(time.monotonic() - (s.started or self.t0)))
            self.live.update(Group(Text(self.headline(c), style="bold"), table) if c["running"]
                             else Text(self.headline(c), style="bold"))
            return
        for s in sites:
            if s.state in ("done", "failed") and s.name not in self.reported:
                self.reported.add(s.name)
                what = "失败：" + s.error if s.state == "failed" else f"{s.pages} 页"
                print(f"[{len(self.reported)}/{self.total}] {s.name} 抓取完成（{what}）",
                      file=self.stream, flush=True)
        if time.monotonic() - self.last_line >= self.every:
            self.last_line = time.monotonic()
            print(self.headline(c), file=self.stream, flush=True)

    def close(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None


def print_summary(result: RunResult, stream=None) -> None:
    stream = stream or sys.stdout
    n = len(result.sites)
    checked = [s for s in result.sites if s["verdict"] != "未能检查"]
    passed = [s for s in checked if s["verdict"] in ("合格", "良好")]
    rate = f"{len(passed) / len(checked) * 100:.1f}%（{len(passed)}/{len(checked)}）" if checked else "—"
    statuses = {}
    for f in result.findings:
        statuses[f["status"]] = statuses.get(f["status"], 0) + 1
    print(f"检查完成：{n} 个网站，合格率 {rate}，未能检查 {n - len(checked)} 个；"
          f"共抓取 {result.pages} 页，用时 {_clock(result.seconds)}", file=stream)
    print(f"问题：新发现 {statuses.get('new', 0)}，持续存在 {statuses.get('persisting', 0)}，"
          f"已整改 {statuses.get('fixed', 0)}，未复查 {statuses.get('unverified', 0)}", file=stream)
    for s in result.sites:
        if s["status"] != "ok":
            print(f"  {s['name']}：{ {'down': '无法访问', 'blocked': '被拦截', 'failed': '检查失败'}.get(s['status'], s['status'])}"
                  f"（{s['summary']}）", file=stream)
    if result.dashboard:
        print(f"仪表盘：{Path(result.dashboard).resolve()}", file=stream)
    for kind, path in sorted(result.tongbao.items()):
        print(f"通报（{kind}）：{Path(path).resolve()}", file=stream)
