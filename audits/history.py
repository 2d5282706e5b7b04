"""History across nightly runs: the same problem night after night, and what was fixed.

A finding's *fingerprint* hashes what it is about — the site, the rule, the column path or the
document (or, for a link, the page holding it) and the target — never the wording, so a detail
sentence reworded or a count that changed keeps the fingerprint.

Statuses against the site's previous completed run (contract.md, `zwgk run`):
  new         first time this problem is seen on this site
  persisting  it was open last time — or it was seen on an earlier night, went away and came back
              (first_seen then stays the original date: a site cannot reset the clock)
  fixed       open last time, gone now, and its column / page / link *was* checked this time
  unverified  open last time, not seen now, but its column / page / link was not checked this
              time (failed, blocked, not reached, rule not run): neither fixed nor new. The row is
              carried forward so the next night that can check it decides.

Everything here except `load_site_history` and `build_frames` is a pure function of rows.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Mapping
from urllib.parse import urldefrag, urlsplit

from snapshot.model import COLUMN_OK, OK, Snapshot

OPEN = ("new", "persisting")
CARRIED = ("new", "persisting", "unverified")      # a previous run's problems still to decide
STATUS_LABELS = {"new": "新发现", "persisting": "持续存在", "fixed": "已整改", "unverified": "未复查"}


# ---- fingerprints ----
def norm_url(url: str) -> str:
    """A URL as a fingerprint sees it: no scheme or fragment, host lower-cased, no trailing
    slash — so a site moving to https, or a link written with '#top', is the same problem."""
    url = urldefrag((url or "").strip())[0]
    parts = urlsplit(url)
    if not parts.netloc:
        return url
    path = parts.path.rstrip("/")
    return f"{parts.netloc.lower()}{path}" + (f"?{parts.query}" if parts.query else "")


def column_path(snapshot: Snapshot, column_id: int | None) -> str:
    """栏目 names from the top of the tree down to this column, joined by '/'."""
    by_id = {c.id: c for c in snapshot.columns}
    names, seen = [], set()
    while column_id is not None and column_id in by_id and column_id not in seen:
        seen.add(column_id)
        c = by_id[column_id]
        names.append(c.name.strip())
        column_id = c.parent_id
    return "/".join(reversed(names))


def locus(finding: Mapping, snapshot: Snapshot) -> str:
    """What a finding is about: 'page:<url>' for a link (the page holding it), 'doc:<url>' for a
    document, 'col:<path>' for a column, else 'page:<url>' (site-level, e.g. the homepage)."""
    url = finding.get("url") or ""
    rule_id = finding.get("rule_id") or ""
    if rule_id.startswith("link."):
        return "page:" + norm_url(url)
    if url and snapshot.document(url) is not None:
        return "doc:" + norm_url(url)
    name = (finding.get("column") or "").strip()
    if name:
        match = next((c for c in snapshot.columns if c.url == url), None) \
            or next((c for c in snapshot.columns if c.name.strip() == name), None)
        return "col:" + (column_path(snapshot, match.id) if match else name)
    return "page:" + norm_url(url)


def fingerprint(site_url: str, rule_id: str, where: str, target: str = "") -> str:
    target = norm_url(target) if "://" in (target or "") else (target or "").strip()
    key = "\x1f".join((norm_url(site_url), rule_id, where, target))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


# ---- what this run checked ----
@dataclass(frozen=True)
class Coverage:
    reachable: bool
    rules: frozenset[str]                       # rules that ran this time
    columns: Mapping[str, str]                  # column path -> status
    documents: Mapping[str, str]                # normalised document URL -> fetch status
    pages: frozenset[str]                       # normalised URLs fetched ok (any role)
    links: Mapping[tuple[str, str], str] = field(default_factory=dict)   # (page, target) -> status


def coverage(snapshot: Snapshot, rules_run: Iterable[str]) -> Coverage:
    cols = {column_path(snapshot, c.id): c.status for c in snapshot.columns}
    docs = {norm_url(d.url): d.status for d in snapshot.documents}
    pages = {norm_url(f.url) for f in snapshot.fetches if f.outcome in (OK, "not_modified")}
    pages |= {k for k, st in docs.items() if st == OK}
    pages |= {norm_url(c.url) for c in snapshot.columns if c.status == COLUMN_OK}
    if snapshot.reachable:
        pages.add(norm_url(snapshot.run.site_url))
    links = {(norm_url(ln.from_url), norm_url(ln.to_url)): ln.status or "" for ln in snapshot.links}
    return Coverage(snapshot.reachable, frozenset(rules_run), cols, docs, frozenset(pages), links)


def _link_conclusive(status: str) -> bool:
    """A checked link whose answer says whether it works (not 403/429/timeout/unchecked)."""
    if status.isdigit():
        code = int(status)
        return 200 <= code < 400 or code in (404, 410) or code >= 500
    return status in ("ok", "dns", "refused", "tls", "reset", "too_many_redirects")


def was_checked(row: Mapping, cov: Coverage) -> bool:
    """Could this run have seen the problem `row` describes? If not, its absence proves nothing."""
    if row.get("rule_id") not in cov.rules:
        return False
    where = row.get("locus") or ""
    kind, _, key = where.partition(":")
    if kind == "col":
        return cov.columns.get(key) == COLUMN_OK
    if kind == "doc":
        return cov.documents.get(key) == OK
    if (row.get("rule_id") or "").startswith("link.") and row.get("target"):
        if key not in cov.pages:
            return False
        status = cov.links.get((key, norm_url(row["target"])))
        return status is None or _link_conclusive(status)      # None: the link was taken off
    return key in cov.pages if key else cov.reachable


# ---- statuses ----
@dataclass
class PastRun:
    run_id: int
    as_of: date | None
    verdict: str | None = None
    findings: list[dict] = field(default_factory=list)
    score: float | None = None   # stored rows: fingerprint, status, first_seen …


def compare(current: list[dict], past: list[PastRun], cov: Coverage, as_of: date) -> list[dict]:
    """This run's findings with status, first_seen and consecutive set, followed by the previous
    run's findings that are gone (status fixed, or unverified when not checked this time).

    `current` rows carry `fingerprint`; `past` is the site's completed runs, oldest first.
    """
    first_seen: dict[str, date] = {}
    for run in past:
        for r in run.findings:
            if r.get("status") in CARRIED and r.get("fingerprint"):
                seen = r.get("first_seen") or run.as_of
                fp = r["fingerprint"]
                if seen and (fp not in first_seen or seen < first_seen[fp]):
                    first_seen[fp] = seen
    previous = past[-1] if past else None
    prev_open = {r["fingerprint"]: r for r in (previous.findings if previous else [])
                 if r.get("status") in CARRIED and r.get("fingerprint")}

    out, here = [], set()
    for row in current:
        fp = row["fingerprint"]
        here.add(fp)
        known = fp in prev_open or fp in first_seen
        out.append({**row, "status": "persisting" if known else "new",
                    "first_seen": first_seen.get(fp, as_of),
                    "consecutive": consecutive(fp, past) + 1})
    for fp, r in prev_open.items():
        if fp in here:
            continue
        status = "fixed" if was_checked(r, cov) else "unverified"
        carried = {k: r.get(k, "") for k in ("rule_id", "severity", "column", "url", "target",
                                              "title", "detail", "fingerprint", "locus")}
        out.append({**carried, "status": status,
                    "first_seen": first_seen.get(fp) or r.get("first_seen") or as_of,
                    "consecutive": r.get("consecutive") or 1 if status == "unverified" else 0})
    return out


def consecutive(fp: str, past: list[PastRun]) -> int:
    """Runs in a row, ending with the latest past run, where the finding was open; a night it
    could not be checked (unverified) neither counts nor breaks the run."""
    n = 0
    for run in reversed(past):
        status = next((r.get("status") for r in run.findings if r.get("fingerprint") == fp), None)
        if status in OPEN:
            n += 1
        elif status == "unverified":
            continue
        else:
            break
    return n


def site_consecutive(verdicts: list[str | None], current: str) -> int:
    """连续通报次数: runs in a row, ending with this one, judged 不合格 (0 when this one is not)."""
    if current != "不合格":
        return 0
    n = 1
    for v in reversed(verdicts):
        if v == "不合格":
            n += 1
        elif v == "未能检查":
            continue
        else:
            break
    return n


# ---- store-facing part ----
def load_site_history(store, site_url: str, *, exclude_run: int | None = None) -> list[PastRun]:
    """The site's completed nightly runs (oldest first) with their stored findings. A spot check
    (`zwgk audit`) into the same database has no batch and no fingerprints: not history."""
    runs = [r for r in store.site_runs(site_url) if r["id"] != exclude_run and r.get("batch")]
    rows = store.run_findings(r["id"] for r in runs)
    by_run: dict[int, list[dict]] = {}
    for row in rows:
        by_run.setdefault(row["run_id"], []).append(row)
    return [PastRun(r["id"], r["as_of"], r.get("verdict"), by_run.get(r["id"], []), r.get("score"))
            for r in runs]


SITE_COLUMNS = ("name", "url", "ident", "host_org", "group", "kind", "verdict", "score", "complete",
                "status", "scorecard", "run_id", "consecutive", "summary", "warnings")
FINDING_COLUMNS = ("site", "ident", "group", "host_org", "rule_id", "rule_title", "severity", "column",
                   "url", "target", "title", "detail", "status", "first_seen", "consecutive",
                   "triage", "triage_reason", "triage_by", "triage_at", "fingerprint", "evidence")
TREND_COLUMNS = ("site", "run_id", "as_of", "score", "verdict", "findings")


def build_frames(site_rows: list[dict], finding_rows: list[dict], store, site_urls: Mapping[str, str]):
    """The three frames of interfaces.md (sites, findings, trend) for the dashboard and 通报.

    `site_urls` maps each site name to its URL; the trend is read back from every stored run.
    """
    import pandas as pd

    sites = pd.DataFrame([{k: r.get(k) for k in SITE_COLUMNS} for r in site_rows],
                         columns=list(SITE_COLUMNS))
    findings = pd.DataFrame([{k: r.get(k, "") for k in FINDING_COLUMNS} for r in finding_rows],
                            columns=list(FINDING_COLUMNS))
    trend_rows = []
    for name, url in site_urls.items():
        runs = [r for r in store.site_runs(url) if r.get("batch")]
        counts = _open_counts(store, [r["id"] for r in runs])
        for r in runs:
            trend_rows.append({"site": name, "run_id": r["id"], "as_of": r["as_of"],
                               "score": r["score"], "verdict": r["verdict"] or "",
                               "findings": counts.get(r["id"], 0)})
    trend = pd.DataFrame(trend_rows, columns=list(TREND_COLUMNS))
    return sites, findings, trend


def _open_counts(store, run_ids: list[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for row in store.run_findings(run_ids):
        if row.get("status") in OPEN:
            counts[row["run_id"]] = counts.get(row["run_id"], 0) + 1
    return counts
