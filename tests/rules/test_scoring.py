import pytest

from audits.finding import Finding
from audits.scoring import score, verdict
from tests.rules.builders import audit_of, site

PARAMS = {"column.empty": {"points": 2.0, "max_points": 20.0},
          "doc.missing_fields": {"points": 0.5, "max_points": 20.0}}


def f(rule, severity="deduct"):
    return Finding(rule, severity, "x")


def test_rule_total_is_capped():
    s = score([f("column.empty")] * 15 + [f("doc.missing_fields")] * 3, PARAMS)
    assert s.deductions == {"column.empty": 20.0, "doc.missing_fields": 1.5}
    assert s.points == 78.5 and s.verdict == "合格" and not s.vetoed


def test_advisory_is_not_scored_and_veto_fails():
    assert score([f("doc.number_format", "advisory")], PARAMS).points == 100
    s = score([f("veto.blank_columns", "veto")], PARAMS)
    assert s.vetoed and s.verdict == "不合格" and s.points == 100


@pytest.mark.parametrize("points,band", [(100, "良好"), (80.5, "良好"), (80, "合格"), (60, "合格"),
                                         (59.5, "不合格")])
def test_bands(points, band):
    assert verdict(points) == band


def test_deduct_rule_without_points_is_an_error():
    with pytest.raises(KeyError):
        score([f("link.broken")], PARAMS)


def test_audit_scores_with_configured_points():
    b = site().homepage("2026-11-19").column("政府信息公开年报", entries=[("2025年度报告", "2026-01-01")])
    for i in range(4):
        b.empty(f"栏目{i}")
    result = audit_of(b)
    assert result.score.deductions == {"column.empty": 8.0} and result.score.verdict == "良好"
    result = audit_of(b, config={"rules": {"column.empty": {"points": 6, "max_points": 21}}})
    assert result.score.points == 79 and result.score.verdict == "合格"
    assert result.thresholds["column.empty"] == {"points": 6.0, "max_points": 21.0}
    assert result.thresholds["column.stale"]["notice_policy_months"] == 6
