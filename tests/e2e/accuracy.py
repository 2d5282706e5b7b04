"""Compare an audit's findings with a generated site's truth: recall and precision per rule."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# The rules the generated sites seed (tests/sites/generator.py); others are not compared yet.
SEEDED_RULES = {
    "site.unreachable", "veto.homepage_stale", "column.empty", "veto.blank_columns",
    "column.stale", "veto.stale_columns", "doc.missing_fields", "interpretation.unlinked",
    "annual_report.missing", "annual_report.late",
}


def key(finding: dict) -> tuple[str, str, str]:
    return (finding["rule_id"], finding.get("column") or "", finding.get("url") or "")


@dataclass
class Tally:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)

    def add(self, expected: set[tuple], found: list[dict]) -> tuple[set, set]:
        got = {key(f) for f in found if f["rule_id"] in SEEDED_RULES}
        missed, extra = expected - got, got - expected
        for k in expected & got:
            self.tp[k[0]] += 1
        for k in extra:
            self.fp[k[0]] += 1
        for k in missed:
            self.fn[k[0]] += 1
        return missed, extra

    def table(self) -> list[tuple[str, int, int, int, float, float]]:
        rows = []
        for rule in sorted(set(self.tp) | set(self.fp) | set(self.fn)):
            tp, fp, fn = self.tp[rule], self.fp[rule], self.fn[rule]
            rows.append((rule, tp, fp, fn, tp / (tp + fn) if tp + fn else 1.0,
                         tp / (tp + fp) if tp + fp else 1.0))
        return rows

    def overall(self) -> tuple[float, float]:
        tp, fp, fn = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        return (tp / (tp + fn) if tp + fn else 1.0, tp / (tp + fp) if tp + fp else 1.0)
