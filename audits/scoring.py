"""The scorecard (rules.md, Scoring): 不合格 on any veto; else 100 minus capped deductions."""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from audits.finding import Finding, Score
from audits.registry import DEFAULT_MAX_POINTS

PASS_MIN = 60      # below: 不合格
GOOD_ABOVE = 80    # above: 良好; 60–80 inclusive: 合格


def verdict(points: float, vetoed: bool = False) -> str:
    if vetoed or points < PASS_MIN:
        return "不合格"
    return "良好" if points > GOOD_ABOVE else "合格"


def score(findings: Iterable[Finding], params: dict[str, dict]) -> Score:
    """Score `findings`; `params` gives each deduct rule's `points` and `max_points`.

    Advisory findings are not scored; a deduct finding whose rule has no points is an error
    (the rule must declare them), not a silent zero.
    """
    findings = list(findings)
    counts = Counter(f.rule_id for f in findings if f.severity == "deduct")
    deductions: dict[str, float] = {}
    for rule_id, n in sorted(counts.items()):
        p = params.get(rule_id, {})
        if "points" not in p:
            raise KeyError(f"no points for deduct rule {rule_id}")
        deductions[rule_id] = min(n * p["points"], p.get("max_points", DEFAULT_MAX_POINTS))
    points = max(0.0, 100.0 - sum(deductions.values()))
    vetoed = any(f.severity == "veto" for f in findings)
    return Score(points=points, verdict=verdict(points, vetoed), vetoed=vetoed, deductions=deductions)
