import pytest

from tests.rules.builders import audit_of, fired, site


def blanks(n, unverified=0):
    b = site().homepage("2026-11-19")
    for i in range(n):
        b.empty(f"栏目{i}", evidence=("rendered", "endpoint", "marker")[i % 3])
    for i in range(unverified):
        b.unverified(f"未确认{i}")
    return b


def test_four_blank_columns_are_not_a_veto_five_are():
    assert fired(blanks(4), "veto.blank_columns") == []
    [f] = fired(blanks(5), "veto.blank_columns")
    assert f.detail.startswith("共有5个空白栏目：") and "栏目4" in f.detail
    assert audit_of(blanks(5)).score.verdict == "不合格"


def stale_site(news=0, notice=0, personnel=0):
    b = site().homepage("2026-11-19")
    for i in range(news):
        b.column(f"工作动态{i}", "2026-01-01")
    for i in range(notice):
        b.column(f"通知公告{i}", "2025-01-01")
    for i in range(personnel):
        b.column(f"人事信息{i}", "2024-01-01")
    return b


def test_stale_columns_thresholds():
    assert fired(stale_site(news=2, notice=2, personnel=5), "veto.stale_columns") == []
    [f] = fired(stale_site(news=3, notice=2), "veto.stale_columns")
    assert f.detail.startswith("共有5个动态要闻类、通知公告、政策文件类栏目长期未更新")
    [f] = fired(stale_site(news=2, notice=2, personnel=6), "veto.stale_columns")
    assert f.detail.startswith("共有10个栏目长期未更新") and "人事信息5" in f.detail


@pytest.mark.parametrize("empty,unsure", [(0, 5), (4, 1), (0, 19)])
def test_unverified_columns_never_count_toward_the_veto(empty, unsure):
    result = audit_of(blanks(empty, unverified=unsure))
    assert [f for f in result.findings if f.rule_id == "veto.blank_columns"] == []
    assert len([f for f in result.findings if f.rule_id == "column.empty"]) == empty
    assert result.score.verdict != "不合格"
    assert any("未能确认是否空白" in n and "未计入空白栏目" in n for n in result.notes)


def test_veto_threshold_from_config():
    assert fired(blanks(3), "veto.blank_columns", config={"rules": {"veto.blank_columns": {"min_columns": 3}}})


def test_homepage_stale():
    assert fired(site().homepage("2026-01-01", "2026-11-06"), "veto.homepage_stale") == []
    [f] = fired(site().homepage("2026-11-05", None), "veto.homepage_stale")
    assert f.detail == "首页最新信息发布于2026-11-05，已超过14天未更新"
    assert f.severity == "veto"


def test_navigation_homepage_falls_back_to_news_columns():
    b = site().homepage(None, None).column("工作动态", "2026-11-10")
    assert fired(b, "veto.homepage_stale") == []
    b = site().column("工作动态", "2026-10-01").column("部门动态", "2026-10-20")
    [f] = fired(b, "veto.homepage_stale")
    assert "按动态要闻类栏目判断" in f.detail and "2026-10-20" in f.detail


def test_navigation_fallback_with_unreadable_news_column_only_notes():
    b = site().column("工作动态", "2026-10-01").column("部门动态", status="failed")
    result = audit_of(b)
    assert not [f for f in result.findings if f.rule_id == "veto.homepage_stale"]
    assert any("未能判断首页是否更新" in n for n in result.notes)


def test_no_dates_anywhere_is_noted_not_vetoed():
    result = audit_of(site().homepage(None))
    assert result.vetoes == [] and any("无带日期的信息" in n for n in result.notes)


def test_vetoes_sort_first():
    result = audit_of(blanks(5), config={"disable": ["disclosure.structure"]})
    assert result.findings[0].rule_id == "veto.blank_columns"
    # then by rule id, column, url
    assert [f.rule_id for f in result.findings[1:]] == ["annual_report.missing"] + ["column.empty"] * 5
    assert [f.column for f in result.findings[2:]] == [f"栏目{i}" for i in range(5)]
