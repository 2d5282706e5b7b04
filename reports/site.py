"""Write one site's audit folder (contract.md, "Output files of one site's audit").

findings.csv / findings.json / columns.csv / run.json / scorecard.html, all from the shared row
model in reports.rows; this module only formats and writes.
"""
from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

from audits.finding import AuditResult
from snapshot.model import Snapshot

from .html import render
from .rows import (
    COLUMN_FIELDS, CST, FINDING_FIELDS, column_rows, finding_rows, link_check, run_summary,
    sampling_note, site_name,
)
from audits.registry import rule_title
from zwgk import __version__

# Excel takes a cell starting with these as a formula; crawled titles must not run as one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_VERDICT_CLASS = {"良好": "good", "合格": "pass", "不合格": "fail"}


def write_site_report(out_dir: Path, snapshot: Snapshot, result: AuditResult, *, started: datetime,
                      finished: datetime, options: dict | None = None,
                      history: dict | None = None) -> Path:
    """Write the five output files into `out_dir` (created if needed); return scorecard.html's path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    findings = finding_rows(snapshot, result)
    columns = column_rows(snapshot)
    summary = run_summary(snapshot, result, started=started, finished=finished, options=options)

    write_csv(out_dir / "findings.csv", FINDING_FIELDS, findings)
    write_json(out_dir / "findings.json", findings)
    write_csv(out_dir / "columns.csv", COLUMN_FIELDS, [_column_csv_row(c) for c in columns])
    write_json(out_dir / "run.json", summary)
    _add_shots(findings, result, out_dir)       # scorecard only: not a findings.csv/json field
    scorecard = out_dir / "scorecard.html"
    scorecard.write_text(render_scorecard(snapshot, result, summary, findings, columns, history),
                         encoding="utf-8")
    return scorecard


def _add_shots(rows: list[dict], result: AuditResult, out_dir: Path) -> None:
    """Each row's screenshot (Finding.evidence, relative to the run's out dir: "<this folder>/
    shots/…") as a link from this folder, in row["shot"]; "" where none or not a safe path."""
    shots = {_finding_key(f): f.evidence for f in result.findings if getattr(f, "evidence", "")}
    for row in rows:
        evidence = shots.get(_finding_key(row), "")
        head, _, rest = evidence.partition("/")
        if evidence and head == out_dir.name and rest:
            from .dashboard import local_href
            row["shot"] = local_href(rest)
        else:
            row["shot"] = ""


def _finding_key(f) -> tuple:
    get = f.get if isinstance(f, dict) else lambda k: getattr(f, k)
    return tuple(get(k) for k in ("rule_id", "column", "url", "target", "detail"))


def excel_safe(value):
    """Prefix a formula-looking text cell with ' so Excel shows it as text (CSV injection)."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def write_csv(path: Path, fields, rows: list[dict]) -> None:
    # utf-8-sig writes the BOM Excel needs to read Chinese; newline="" lets csv quote
    # embedded newlines itself instead of the platform translating them.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(fields), extrasaction="ignore")
        writer.writeheader()
        writer.writerows({k: excel_safe(v) for k, v in row.items()} for row in rows)


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")


def _column_csv_row(row: dict) -> dict:
    return {
        **{k: row[k] for k in COLUMN_FIELDS},
        "newest": row["newest"].isoformat() if row["newest"] else "",
        "rendered": "true" if row["rendered"] else "false",
    }


def _groups(rows: list[dict], result: AuditResult) -> list[dict]:
    """Findings grouped by rule, in the order rules first appear (rows are severity-sorted)."""
    groups: dict[str, dict] = {}
    for row in rows:
        group = groups.setdefault(row["rule_id"], {
            "rule_id": row["rule_id"], "title": rule_title(row["rule_id"]),
            "severity": row["severity"], "rows": [],
            "deduction": result.score.deductions.get(row["rule_id"]),
        })
        group["rows"].append(row)
    return list(groups.values())


def _params(params) -> str:
    if isinstance(params, dict):
        return "；".join(f"{k} = {_value(v)}" for k, v in params.items())
    return _value(params)


def _value(v) -> str:
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)


def render_scorecard(snapshot: Snapshot, result: AuditResult, summary: dict, findings: list[dict],
                     columns: list[dict], history: dict | None = None) -> str:
    """`history` (zwgk run, audits/history.py): {"labels", "fixed", "unverified", "triaged",
    "trend"} — decided by history and triage, only shown here."""
    vetoes = [f for f in findings if f["severity"] == "veto"]
    others = [f for f in findings if f["severity"] != "veto"]
    return render(
        "scorecard.html",
        site={"name": site_name(snapshot), "url": snapshot.run.site_url,
              "section_url": snapshot.run.section_url},
        as_of=summary["as_of"],
        # Beijing time by convention on these reports; the offset is in run.json.
        started=summary["started"][:19].replace("T", " "),
        finished=summary["finished"][:19].replace("T", " "),
        pages=summary["pages"], errors=summary["errors"], cut_short=summary["cut_short"],
        score=result.score, verdict_class=_VERDICT_CLASS.get(result.score.verdict, "fail"),
        counts=summary["counts"],
        incomplete_reasons=summary["incomplete_reasons"], notes=summary["notes"],
        vetoes=_groups(vetoes, result), groups=_groups(others, result),
        columns=columns, sampling=sampling_note(summary.get("options")),
        links=link_check(snapshot),
        thresholds=[{"rule_id": rid, "title": rule_title(rid), "params": _params(p)}
                    for rid, p in result.thresholds.items()],
        generated=datetime.now(CST).isoformat(sep=" ", timespec="seconds"),
        version=__version__,
        history=history,
    )
