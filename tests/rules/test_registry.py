from datetime import date

from audits import AuditConfig, audit, default_as_of
from audits.catalog import render_catalog
from audits.registry import REGISTRY, Rule, all_rules, run_rules
from tests.rules.builders import site

IMPLEMENTED = {"site.unreachable", "veto.homepage_stale", "column.empty", "veto.blank_columns",
               "column.stale", "veto.stale_columns", "doc.missing_fields", "interpretation.unlinked",
               "annual_report.missing", "annual_report.late"}


def test_every_rule_is_declared_fully():
    rules = all_rules()
    assert IMPLEMENTED <= {r.id for r in rules}
    for r in rules:
        assert r.title and r.source and r.description, r.id
        # one guess finds a rule: its id's area names its module (column → columns.py)
        assert r.check.__module__.startswith(f"audits.rules.{r.area}"), r.id
        if r.severity == "deduct":
            assert r.param("points") and r.param("max_points")


def test_veto_rules_run_after_what_they_read():
    order = [r.id for r in all_rules()]
    assert order.index("veto.blank_columns") > order.index("column.empty")
    assert order.index("veto.stale_columns") > order.index("column.stale")


def test_catalog_is_generated_from_declarations():
    text, md = render_catalog("text"), render_catalog("markdown")
    for r in all_rules():
        assert r.id in text and r.title in text and f"`{r.id}`" in md
    assert "news_days=14" in text and "| `notice_policy_months` | 6 |" in md


def test_disabled_rule_does_not_run():
    b = site().column("栏目")
    result = audit(b.build(), date(2026, 3, 1), AuditConfig.from_mapping({"disable": ["column.empty"]}))
    assert not [f for f in result.findings if f.rule_id == "column.empty"]
    assert "column.empty" not in result.thresholds


def test_missing_calendar_year_silences_a_rule_and_notes_it():
    def check(ctx):
        ctx.calendar.is_workday(date(2027, 5, 6))
        yield ctx.finding("never")
    r = Rule("test.calendar", "测试", "advisory", "none", check)
    out = run_rules(site().build(), date(2027, 5, 7), AuditConfig(), rules=[r])
    assert out.findings == [] and any("2027" in n for n in out.notes)


def test_default_as_of_is_a_date():
    assert isinstance(default_as_of(), date)
    assert "test.calendar" not in REGISTRY     # an ad-hoc Rule is not registered


def test_rule_title_lookup_for_reports():
    from audits.registry import get_rule, rule_title
    assert rule_title("column.stale") == "栏目不更新" and rule_title("x.y") == "x.y"
    assert get_rule("veto.blank_columns").needs == ("column.empty",)
