from datetime import date

from tests.rules.builders import audit_of, site


def test_unreachable_site_has_one_finding_and_a_note():
    b = site(homepage="timeout").column("通知公告").column("栏目1").column("栏目2")
    b.snap.run.homepage_error = "连接超时（15秒）"
    result = audit_of(b)
    [f] = result.findings
    assert (f.rule_id, f.detail) == ("site.unreachable", "首页无法访问（连接超时（15秒））")
    assert any("首页无法访问" in n for n in result.notes)
    assert result.score.points == 90 and result.score.verdict == "良好"


def test_never_tried_homepage_is_unreachable_reachable_is_not():
    assert [f.rule_id for f in audit_of(site(homepage="")).findings] == ["site.unreachable"]
    reachable = audit_of(site().homepage("2026-11-19"), as_of=date(2026, 3, 1))
    assert reachable.findings == [] and reachable.score.points == 100
