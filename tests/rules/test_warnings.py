"""Early warnings fire at their thresholds below the veto lines, and only on what was seen."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from audits.finding import Finding
from audits.warnings import WARNING_PARAMS, early_warnings, warning_defaults, warning_params
from snapshot.model import Probe
from tests.rules.builders import AS_OF, audit_of, site


def warnings_of(builder, params=None, as_of=AS_OF):
    result = audit_of(builder, as_of)
    return early_warnings(builder.build(), result.findings, as_of, params)


def homepage(days_ago):
    return site().homepage((AS_OF - timedelta(days=days_ago)).isoformat())


def test_defaults_are_documented_in_one_place():
    assert warning_defaults() == {"homepage_days": 10, "blank_columns": 2, "stale_columns": 6,
                                  "failed_share": 0.03}
    assert all(p.doc for p in WARNING_PARAMS)


@pytest.mark.parametrize("days, fires", [(9, False), (10, True), (14, True)])
def test_homepage_warning_from_ten_days(days, fires):
    out = warnings_of(homepage(days))
    assert [w for w in out if w.startswith("首页")] == ([
        f"首页已{days}天未更新（最新信息发布于{(AS_OF - timedelta(days=days)).isoformat()}），"
        "超过14天未更新将被单项否决"] if fires else [])


def test_homepage_veto_replaces_the_warning():
    # 20 days: veto.homepage_stale fires, the warning would only repeat it
    assert warnings_of(homepage(20)) == []


def test_homepage_threshold_is_configurable():
    assert warnings_of(homepage(8), {"homepage_days": 7})
    assert not warnings_of(homepage(12), {"homepage_days": 13})


def test_navigation_homepage_needs_every_news_column_read():
    nav = site().column("工作动态", (AS_OF - timedelta(days=11)).isoformat())
    assert any("按动态要闻类栏目" in w for w in warnings_of(nav))
    unread = (site().column("工作动态", (AS_OF - timedelta(days=11)).isoformat())
              .column("部门动态", status="failed"))
    assert warnings_of(unread) == []


def blanks(n, **extra):
    b = homepage(1)
    for i in range(n):
        b.column(f"空白栏目{i}", evidence="marker", empty_marker=True)
    for name, status in extra.items():
        b.column(name, status=status)
    return b


@pytest.mark.parametrize("n, fires", [(1, False), (2, True), (4, True), (5, False)])
def test_blank_columns_from_two_until_the_veto(n, fires):
    out = warnings_of(blanks(n))
    assert bool(out) is fires
    if fires:
        assert out == [f"已有{n}个空白栏目（{'、'.join(f'空白栏目{i}' for i in range(n))}），达到5个将被单项否决"]


def test_unread_columns_do_not_count_as_blank():
    # one blank column seen, three more that could not be read or confirmed: no warning
    assert warnings_of(blanks(1, 栏目甲="failed", 栏目乙="blocked", 栏目丙="unverified")) == []


def test_findings_on_columns_not_read_this_time_are_ignored():
    snap = blanks(1).build()
    extra = Finding("column.empty", "deduct", "栏目无任何信息", column="其他", url="http://elsewhere/")
    found = audit_of(blanks(1)).findings + [extra]
    assert early_warnings(snap, found, AS_OF, None) == []


def test_triaged_and_fixed_findings_do_not_count():
    b = blanks(2)
    rows = [{**f.as_dict(), "triage": "excluded"} if f.column == "空白栏目0" else f.as_dict()
            for f in audit_of(b).findings]
    assert early_warnings(b.build(), rows, AS_OF, None) == []
    rows = [{**f.as_dict(), "status": "fixed"} if f.column == "空白栏目0" else f.as_dict()
            for f in audit_of(b).findings]
    assert early_warnings(b.build(), rows, AS_OF, None) == []


def stale(n):
    b = homepage(1)
    for i in range(n):      # 人事 columns: stale, but never enough for the 5-column key veto
        b.column(f"人事信息{i}", "2024-01-01")
    return b


@pytest.mark.parametrize("n, fires", [(5, False), (6, True), (9, True), (10, False)])
def test_stale_columns_from_six_until_the_veto(n, fires):
    out = warnings_of(stale(n))
    assert bool(out) is fires
    if fires:
        assert out[0].startswith(f"已有{n}个栏目未按期更新（人事信息0、")


def probed(failed, total=100):
    b = homepage(1)
    start = datetime(2026, 11, 14, 0, 0)
    for i in range(total):
        b.snap.probes.append(Probe(at=start + timedelta(hours=i * 1.5),
                                   outcome="timeout" if i < failed else "ok", elapsed=1.0))
    return b


@pytest.mark.parametrize("failed, fires", [(2, False), (3, True), (4, True), (5, False)])
def test_probe_failures_from_three_percent_until_the_veto(failed, fires):
    out = warnings_of(probed(failed))
    assert bool(out) is fires
    if fires:
        assert out == [f"最近7天100次可用性监测中{failed}次无法访问或超时（{failed}.0%），达到5%将被单项否决"]


def test_slow_probes_count_as_failed_and_too_few_probes_say_nothing():
    b = probed(0)
    for p in b.snap.probes[:3]:
        p.elapsed = 20.0
    assert warnings_of(b)
    assert warnings_of(probed(3, total=19)) == []       # fewer than the rule's 20 probes


def test_bad_parameters_are_one_clear_error():
    with pytest.raises(ValueError, match="homepage_dayz"):
        warning_params({"homepage_dayz": 3})
    with pytest.raises(ValueError, match="failed_share"):
        warning_params({"failed_share": -1})
    assert warning_params({"failed_share": 0.02})["failed_share"] == 0.02


def test_as_of_is_the_reference_date():
    b = homepage(3)
    assert warnings_of(b, as_of=date(2026, 11, 20)) == []
    assert warnings_of(b, as_of=date(2026, 11, 28))       # 11 days later seen from a later date
