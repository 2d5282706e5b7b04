from datetime import date, datetime, timedelta

from snapshot.model import Probe

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


def _probed(fails: int, total: int = 140, slow: int = 0, start=datetime(2026, 11, 14, 0, 5)):
    """`total` probes spread over the 7 days to 2026-11-20: `fails` failed, `slow` took 20 s."""
    b = site().homepage("2026-11-19")
    for i in range(total):
        at = start + timedelta(minutes=72 * i)
        outcome = "timeout" if i < fails else "ok"
        elapsed = 20.0 if fails <= i < fails + slow else 0.4
        b.snap.probes.append(Probe(at=at, outcome=outcome, elapsed=elapsed))
    return b


def _veto(result):
    return [f for f in result.findings if f.rule_id == "veto.unreachable"]


def test_unreachable_history_vetoes_at_five_percent():
    assert _veto(audit_of(_probed(fails=7)))                # 7/140 = 5%
    assert not _veto(audit_of(_probed(fails=6)))            # 4.3%


def test_slow_probes_count_as_failures():
    [f] = _veto(audit_of(_probed(fails=3, slow=4)))
    assert "7次" in f.detail and f.severity == "veto"
    assert audit_of(_probed(fails=3, slow=4)).score.verdict == "不合格"


def test_probes_outside_the_window_or_too_few_are_not_judged():
    old = _probed(fails=140, start=datetime(2026, 10, 1))   # all failed, a month before as-of
    result = audit_of(old)
    assert not _veto(result) and any("可用性监测记录不足" in n for n in result.notes)
    assert not _veto(audit_of(_probed(fails=19, total=19)))  # below the 20-probe minimum
