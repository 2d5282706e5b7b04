"""Compare an audit's findings with a generated site's truth: recall and precision per rule."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# The rules the generated sites seed (tests/sites/generator.py): every rule of rules.md except
# veto.unreachable, which needs `zwgk probe` history rather than one audit.
SEEDED_RULES = {
    "site.unreachable", "veto.homepage_stale", "column.empty", "veto.blank_columns",
    "column.stale", "veto.stale_columns", "doc.missing_fields", "doc.number_format",
    "doc.date_inconsistent", "doc.late_publication", "interpretation.unlinked",
    "interpretation.late", "interpretation.missing", "annual_report.missing", "annual_report.late",
    "annual_report.sections", "annual_report.arithmetic", "disclosure.structure", "guide.incomplete",
    "link.broken", "privacy.id_number", "privacy.phone", "privacy.bank_card", "site.identity",
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
