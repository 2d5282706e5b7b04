"""What audits produce: findings, the score, and notes on what could not be judged."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

SEVERITIES = ("veto", "deduct", "advisory")   # 单项否决 / 扣分 / 提示
SEVERITY_LABELS = {"veto": "单项否决", "deduct": "扣分", "advisory": "提示"}


@dataclass
class Finding:
    """One row of findings.csv (contract.md); `site` is added by the writer."""
    rule_id: str
    severity: str
    detail: str                 # one Chinese sentence a person can act on
    column: str = ""            # 栏目名, for column- and document-level findings
    url: str = ""               # where the problem can be seen
    target: str = ""            # the other end (broken link, the policy a 解读 should link to)
    title: str = ""             # the document's or column's title
    status: str = "new"         # new | persisting (run); audit writes new
    evidence: str = ""          # screenshot (crawler/screenshots.py), relative to the run's out dir

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Score:
    points: float               # 100 minus deductions (each rule capped), after vetoes irrelevant
    verdict: str                # 不合格 | 合格 | 良好
    vetoed: bool
    deductions: dict[str, float] = field(default_factory=dict)   # rule_id -> points taken


@dataclass
class AuditResult:
    as_of: date
    findings: list[Finding]
    score: Score
    notes: list[str] = field(default_factory=list)       # Chinese sentences: what was not judged and why
    thresholds: dict[str, dict] = field(default_factory=dict)  # rule_id -> parameters used

    @property
    def vetoes(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "veto"]
