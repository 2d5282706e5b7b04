"""The row model every report shares: one site's findings, columns and run summary as plain dicts.

The CSV/JSON writers, the scorecard, and later the dashboard and the 通报 list all read these rows,
so a field is named and formatted in one place. Nothing here judges the site: the audit did that.
"""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urldefrag, urlsplit

from audits.finding import SEVERITIES, AuditResult
from snapshot.model import (
    COLUMN_OK, COLUMN_STATUS_LABELS, COLUMN_UNVERIFIED, OK, OUTCOME_LABELS, Column, Snapshot,
)

# contract.md, "Output files of one site's audit": the order is part of the contract.
FINDING_FIELDS = ("site", "rule_id", "severity", "column", "url", "target", "title", "detail", "status")
COLUMN_FIELDS = ("column", "category", "url", "status", "entries", "newest", "pages", "rendered",
                 "evidence")

# China has no DST, so a fixed offset is exact and needs no tz database on the host.
CST = timezone(timedelta(hours=8))

# How a column's emptiness was seen (Column.evidence), for the scorecard.
EVIDENCE_LABELS = {
    "rendered": "浏览器渲染后无条目",
    "endpoint": "列表接口返回0条",
    "marker": "页面显示“暂无信息”",
}

_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def site_name(snapshot: Snapshot) -> str:
    return snapshot.run.site_name or urlsplit(snapshot.run.site_url).hostname or snapshot.run.site_url


def to_cst(moment: datetime) -> datetime:
    """The moment in +08:00. A naive datetime is taken as Beijing wall-clock time."""
    return moment.replace(tzinfo=CST) if moment.tzinfo is None else moment.astimezone(CST)


def cst_iso(moment: datetime | None) -> str:
    return to_cst(moment).isoformat(timespec="seconds") if moment else ""


def finding_rows(snapshot: Snapshot, result: AuditResult) -> list[dict]:
    """One dict per finding, keys in FINDING_FIELDS order; vetoes first, then deduct, advisory.

    The sort is stable, so within a severity the audit's own order (rule by rule) is kept.
    """
    site = site_name(snapshot)
    findings = sorted(result.findings, key=lambda f: _SEVERITY_RANK.get(f.severity, len(SEVERITIES)))
    return [{"site": site, **{k: getattr(f, k) for k in FINDING_FIELDS[1:]}} for f in findings]


def column_depths(columns: list[Column]) -> dict[int, int]:
    """Nesting depth of each column (0 = top level); guards against parent cycles in bad data."""
    parents = {c.id: c.parent_id for c in columns}
    depths = {}
    for c in columns:
        depth, parent, seen = 0, c.parent_id, {c.id}
        while parent is not None and parent in parents and parent not in seen:
            seen.add(parent)
            depth += 1
            parent = parents[parent]
        depths[c.id] = depth
    return depths


def column_rows(snapshot: Snapshot) -> list[dict]:
    """One dict per column in crawl order: the COLUMN_FIELDS (for columns.csv) plus display extras.

    `newest` is a date or None here; writers format it. Extras (`status_label`, `error`, `depth`,
    ...) are for HTML and are not written to columns.csv.
    """
    counts: Counter[int] = Counter()
    newest: dict[int, date] = {}
    for e in snapshot.entries:
        if e.column_id is None:
            continue
        counts[e.column_id] += 1
        if e.date and (e.column_id not in newest or e.date > newest[e.column_id]):
            newest[e.column_id] = e.date
    depths = column_depths(snapshot.columns)
    documents = Counter(d.column_id for d in snapshot.documents)   # documents fetched (sampled)
    return [
        {
            "column": c.name,            # the name alone, never a path (contract.md)
            "category": c.category,
            "url": c.url,
            "entries": counts[c.id],
            "documents": documents[c.id],
            "newest": newest.get(c.id),
            "pages": c.pages,
            "rendered": c.rendered,
            "evidence": c.evidence,
            "evidence_label": EVIDENCE_LABELS.get(c.evidence, c.evidence),
            "status": c.status,
            "status_label": COLUMN_STATUS_LABELS.get(c.status, c.status)
            + ("（部分列表页失败）" if c.partial else ""),
            "error": c.error,
            "partial": c.partial,
            "is_page": c.is_page,
            "has_children": c.has_children,
            "depth": depths[c.id],
        }
        for c in snapshot.columns
    ]


def sampling_note(options: dict | None) -> str:
    """What documents were fetched per column (the crawl's bound, run.json options.documents)."""
    bound = (options or {}).get("documents")
    if not bound:
        return ""
    text = (f"文档抽样：每个栏目抓取近{bound['months']}个月内发布的全部文档，且不少于列表中最新的"
            f"{bound['min']}篇（无日期的条目计入篇数）；政策解读、年报栏目全部抓取")
    own = [f"「{name}」近{b.get('months', bound['months'])}个月、不少于{b.get('min', bound['min'])}篇"
           for name, b in (bound.get("columns") or {}).items()]
    return text + ("；按配置：" + "，".join(own) if own else "") + "。链接检查覆盖已抓取的列表页和文档页。"


def incomplete_reasons(snapshot: Snapshot) -> list[str]:
    """Why the conclusions are incomplete, in Chinese; empty when the snapshot is complete.

    Mirrors Snapshot.incomplete, plus an unreachable homepage: then nothing was checked at all,
    and a clean score would otherwise read as a pass.
    """
    reasons = []
    outcome = snapshot.run.homepage_outcome
    if outcome and outcome not in (OK, "not_modified"):
        reasons.append(f"首页无法访问（{snapshot.run.homepage_error or outcome}），未能检查各栏目")
    elif not snapshot.section_read:
        why = OUTCOME_LABELS.get(snapshot.section_failure, snapshot.section_failure)
        reasons.append(f"信息公开专栏页面未能读取（{why}），专栏结构、年报栏目等未能检查")
    if snapshot.run.cut_short:
        reasons.append(f"已达到抓取页数上限，抓取在 {snapshot.run.pages} 页后中止，部分页面未检查")
    for c in snapshot.columns:
        if c.status != COLUMN_OK:
            label = COLUMN_STATUS_LABELS.get(c.status, c.status)
            tail = "，未判断是否空白" if c.status == COLUMN_UNVERIFIED else ""
            reasons.append(f"栏目「{c.name}」{label}" + (f"：{c.error}" if c.error else "") + tail)
        elif c.partial:
            reasons.append(f"栏目「{c.name}」部分列表页抓取失败" + (f"：{c.error}" if c.error else ""))
    unread = snapshot.unread_documents
    if unread:
        why = "、".join(sorted({OUTCOME_LABELS.get(d.status, d.status) for d in unread}))
        pages = "、".join(d.url for d in unread[:3]) + (" 等" if len(unread) > 3 else "")
        reasons.append(f"{len(unread)} 篇文件未能读取（{why}），其内容未检查：{pages}")
    return reasons


# Carried link statuses listed on the scorecard at most (a weekly cadence carries most of a site's).
CARRIED_LISTED = 300


def link_check(snapshot: Snapshot) -> dict:
    """What the link check said about the run's link targets (fragments ignored): how many have a
    status, and which of them it carried forward from an earlier night's check instead of asking
    again (ZWGK_LINK_CADENCE_DAYS), with the day of the check each carries. `sentence` is the
    scorecard's line; "" when the run has no links."""
    statuses: set[str] = set()                          # targets with a status
    carried: dict[str, dict] = {}
    unchecked: set[str] = set()
    for ln in snapshot.links:
        target = urldefrag(ln.to_url)[0]
        if not ln.status:
            unchecked.add(target)
            continue
        statuses.add(target)
        if ln.carried and target not in carried:
            carried[target] = {"url": ln.to_url, "checked": ln.checked,
                               "status": f"正常（HTTP {ln.status}）" if ln.status.isdigit()
                               else OUTCOME_LABELS.get(ln.status, ln.status)}
    unchecked -= statuses
    days = [c["checked"] for c in carried.values() if c["checked"]]
    since = min(days).isoformat() if days else ""
    cadence = snapshot.run.link_cadence or 1
    if not statuses:
        sentence = "链接检查未运行或被中断，链接未检查" if unchecked else ""
    elif carried:
        sentence = (f"本次检查 {len(statuses)} 个链接地址；{len(carried)} 个沿用此前检查结果（正常，"
                    + (f"最早于 {since} 检查，" if since else "") + f"每 {cadence} 天复查一次）")
    else:
        sentence = f"本次检查 {len(statuses)} 个链接地址，均为本次检查结果，未沿用此前的检查结果"
    if statuses and unchecked:
        sentence += f"；另有 {len(unchecked)} 个未检查（链接检查被中断）"
    rows = sorted(carried.values(), key=lambda c: (c["checked"] or date.min, c["url"]))
    return {"targets": len(statuses), "carried": len(carried), "carried_since": since,
            "cadence": cadence, "unchecked": len(unchecked), "sentence": sentence,
            "carried_links": rows[:CARRIED_LISTED], "carried_unlisted": max(0, len(rows) - CARRIED_LISTED)}


def error_counts(snapshot: Snapshot) -> dict[str, int]:
    """Fetch errors by outcome. The crawler's counter is authoritative; a snapshot loaded without
    it still has its fetch log, so count that instead of reporting no errors."""
    if snapshot.run.errors:
        return dict(snapshot.run.errors)
    return dict(Counter(f.outcome for f in snapshot.fetches if f.outcome not in (OK, "not_modified")))


def severity_counts(result: AuditResult) -> dict[str, int]:
    counts = Counter(f.severity for f in result.findings)
    return {s: counts.get(s, 0) for s in SEVERITIES}


def run_summary(snapshot: Snapshot, result: AuditResult, *, started: datetime, finished: datetime,
                options: dict | None = None) -> dict:
    """run.json's content; the dashboard reads the same dict for its one line per site."""
    reasons = incomplete_reasons(snapshot)
    run = snapshot.run
    return {
        # contract.md keys first
        "as_of": result.as_of.isoformat(),
        "started": cst_iso(started),
        "finished": cst_iso(finished),
        "pages": run.pages,
        "errors": error_counts(snapshot),
        "cut_short": run.cut_short,
        # extras
        "duration_seconds": round((to_cst(finished) - to_cst(started)).total_seconds(), 1),
        "site": {"name": site_name(snapshot), "url": run.site_url, "kind": run.kind,
                 "section_url": run.section_url},
        "homepage_outcome": run.homepage_outcome,
        "homepage_error": run.homepage_error,
        # how the homepage's entries were seen: static | rendered | scripted (veto.homepage_stale)
        "homepage_seen": run.homepage_seen,
        "verdict": result.score.verdict,
        "score": result.score.points,
        "vetoed": result.score.vetoed,
        "deductions": dict(result.score.deductions),
        "counts": severity_counts(result),
        "columns": len(snapshot.columns),
        "incomplete": bool(reasons),
        "incomplete_reasons": reasons,
        "notes": list(result.notes),
        "link_check": {k: v for k, v in link_check(snapshot).items()
                       if k not in ("carried_links", "carried_unlisted")},
        "thresholds": dict(result.thresholds),
        "options": dict(options or {}),
    }
