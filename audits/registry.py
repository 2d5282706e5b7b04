"""The rule catalog: each rule declares id, Chinese title, severity, source clause and parameters
beside its check (like a ruff or axe-core rule); the `@rule` decorator registers it.

A check is a function `check(ctx) -> Iterable[Finding]`; it reads only `ctx.snapshot`, `ctx.as_of`,
`ctx.calendar` and `ctx.params`. Veto rules name the rules whose findings they aggregate in `needs`
and are run after them.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Callable, Iterable

from audits.calendar import NoCalendarData, WorkCalendar
from audits.finding import SEVERITIES, Finding
from snapshot.model import Snapshot

if TYPE_CHECKING:
    from audits.config import AuditConfig

DEFAULT_MAX_POINTS = 20   # rules.md: a rule's total never exceeds 20


@dataclass(frozen=True)
class Param:
    name: str
    default: Any
    doc: str                                            # Chinese, shown in the catalog
    # Extra validation beyond the default's type: returns an error message or None.
    validate: Callable[[Any], str | None] | None = None

    def check(self, value: Any) -> str | None:
        """Error message for `value`, or None when it is acceptable."""
        d = self.default
        if isinstance(d, bool):
            ok = isinstance(value, bool)
            want = "true/false"
        elif isinstance(d, (int, float)):
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
            if isinstance(d, int) and ok:
                ok = float(value).is_integer()
            want = "非负整数" if isinstance(d, int) else "非负数"
        else:
            ok = isinstance(value, type(d))
            want = type(d).__name__
        if not ok:
            return f"应为{want}，实为 {value!r}"
        return self.validate(value) if self.validate else None


@dataclass(frozen=True)
class Rule:
    id: str
    title: str                  # Chinese
    severity: str               # veto | deduct | advisory
    source: str                 # the clause in rules.md
    check: Callable[["Context"], Iterable[Finding]]
    params: tuple[Param, ...] = ()
    needs: tuple[str, ...] = () # rules whose findings this one reads (run first)
    needs_site: bool = True     # False: runs even when the homepage could not be loaded
    description: str = ""       # when it fires (the check's docstring)

    @property
    def area(self) -> str:
        return self.id.split(".", 1)[0]

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


REGISTRY: dict[str, Rule] = {}


def rule(id: str, *, title: str, severity: str, source: str, params: Iterable[Param] = (),
         points: float | None = None, needs: Iterable[str] = (), needs_site: bool = True):
    """Register the decorated check as rule `id`. Deduct rules must give their `points`."""
    if severity not in SEVERITIES:
        raise ValueError(f"{id}: unknown severity {severity!r}")
    params = tuple(params)
    if severity == "deduct":
        if points is None:
            raise ValueError(f"{id}: a deduct rule needs points")
        params += (Param("points", float(points), "每条扣分"),
                   Param("max_points", float(DEFAULT_MAX_POINTS), "本规则最多扣分"))

    def register(fn):
        if id in REGISTRY:
            raise ValueError(f"rule {id} registered twice")
        REGISTRY[id] = Rule(id, title, severity, source, fn, params, tuple(needs), needs_site,
                            inspect.getdoc(fn) or "")
        return fn
    return register


def all_rules() -> list[Rule]:
    """Every rule, in run order (dependencies first, else declaration order)."""
    import audits.rules  # noqa: F401  (importing the modules registers their rules)
    ordered: list[Rule] = []
    seen: set[str] = set()

    def visit(r: Rule, path: tuple[str, ...] = ()):
        if r.id in seen:
            return
        if r.id in path:
            raise ValueError(f"rule dependency cycle: {' → '.join(path + (r.id,))}")
        for dep in r.needs:
            visit(REGISTRY[dep], path + (r.id,))
        seen.add(r.id)
        ordered.append(r)

    for r in list(REGISTRY.values()):
        visit(r)
    return ordered


def get_rule(rule_id: str) -> Rule:
    """The declared rule `rule_id` (KeyError when there is none)."""
    all_rules()
    return REGISTRY[rule_id]


def rule_title(rule_id: str) -> str:
    """The rule's Chinese title, for reports; the id itself for an unknown rule."""
    all_rules()
    r = REGISTRY.get(rule_id)
    return r.title if r else rule_id


@dataclass
class Context:
    """What a check sees. One per rule; notes and findings are shared across the run."""
    snapshot: Snapshot
    as_of: date
    calendar: WorkCalendar
    config: "AuditConfig"
    rule: Rule | None = None
    params: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    results: dict[str, list[Finding]] = field(default_factory=dict)

    def finding(self, detail: str, **kw) -> Finding:
        return Finding(rule_id=self.rule.id, severity=self.rule.severity, detail=detail, **kw)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def findings_of(self, rule_id: str) -> list[Finding]:
        return self.results.get(rule_id, [])


@dataclass
class RunOutput:
    findings: list[Finding]
    notes: list[str]
    thresholds: dict[str, dict]     # rule_id -> parameters used


def run_rules(snapshot: Snapshot, as_of: date, config: "AuditConfig",
              calendar: WorkCalendar | None = None, rules: Iterable[Rule] | None = None) -> RunOutput:
    """Run the enabled rules in dependency order and collect their findings and notes."""
    from audits.config import apply_overrides
    rules = all_rules() if rules is None else list(rules)
    snapshot = apply_overrides(snapshot, config)
    calendar = calendar or config.calendar()
    base = Context(snapshot, as_of, calendar, config)
    findings: list[Finding] = []
    thresholds: dict[str, dict] = {}
    if not snapshot.reachable:
        base.note("首页无法访问，本次未能检查其他项目")
    for r in rules:
        if r.id in config.disabled:
            continue
        if r.needs_site and not snapshot.reachable:
            continue
        ctx = replace(base, rule=r, params=config.params_for(r))
        thresholds[r.id] = dict(ctx.params)
        try:
            found = list(r.check(ctx))
        except NoCalendarData as exc:
            # Safety net: a rule that did not handle a missing year itself stays silent.
            base.note(f"{r.id}：{exc}")
            found = []
        base.results[r.id] = found
        findings.extend(found)
    return RunOutput(findings, base.notes, thresholds)
