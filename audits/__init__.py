"""Audits: pure functions of (snapshot, as-of date, calendar, config) → findings and a score.

`audit()` is the entry point; `default_as_of()` is the only place that reads the clock.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from audits.config import AuditConfig, ConfigError, load_config
from audits.finding import AuditResult, Finding, Score
from audits.registry import run_rules
from audits.scoring import score
from snapshot.model import Snapshot

SHANGHAI = ZoneInfo("Asia/Shanghai")


def default_as_of() -> date:
    """Today in Asia/Shanghai — for the CLI; rules never read the clock."""
    return datetime.now(SHANGHAI).date()


def _order(f: Finding):
    return (f.severity != "veto", f.rule_id, f.column, f.url)


def audit(snapshot: Snapshot, as_of: date, config: AuditConfig | None = None) -> AuditResult:
    config = config or AuditConfig()
    out = run_rules(snapshot, as_of, config)
    notes = list(out.notes)
    if snapshot.run.cut_short:
        notes.append("抓取达到页数上限提前结束，部分栏目和文件未检查，结论不完整")
    partial = [c.name for c in snapshot.columns if c.partial]
    if partial:
        notes.append(f"以下栏目的部分列表页未能抓取，结论可能不完整：{'、'.join(partial)}")
    findings = sorted(out.findings, key=_order)
    return AuditResult(as_of=as_of, findings=findings, score=score(findings, out.thresholds),
                       notes=notes, thresholds=out.thresholds)


__all__ = ["audit", "default_as_of", "AuditConfig", "ConfigError", "load_config", "AuditResult",
           "Finding", "Score"]
