from datetime import date

import pytest

from tests.rules.builders import audit_of, fired, site


# -- column.empty ---------------------------------------------------------------------------
def test_empty_column_fires_with_and_without_marker():
    b = site().column("通知公告").column("人事信息", empty_marker=True)
    found = fired(b, "column.empty")
    assert [(f.column, f.detail) for f in found] == [
        ("人事信息", "栏目无任何信息（页面显示“暂无信息”）"), ("通知公告", "栏目无任何信息")]
    assert found[1].url == b.col("通知公告").url and found[1].title == "通知公告"


def test_pages_parents_and_filled_columns_are_not_empty():
    b = (site().column("机构职能", is_page=True).column("法定主动公开内容", has_children=True)
         .column("工作动态", "2026-11-19"))
    assert fired(b, "column.empty") == []


@pytest.mark.parametrize("status", ["failed", "blocked", "skipped"])
def test_unchecked_columns_are_never_empty_or_stale_and_noted(status):
    b = site().column("通知公告", status=status).column("工作动态", status=status)
    result = audit_of(b)
    assert not [f for f in result.findings if f.rule_id.startswith("column.")]
    assert any("通知公告" in n and "不完整" in n for n in result.notes)


# -- column.stale ---------------------------------------------------------------------------
@pytest.mark.parametrize("name,newest,stale", [
    ("工作动态", "2026-11-06", False),     # exactly 14 days: still fresh
    ("工作动态", "2026-11-07", False),     # a day inside the limit
    ("工作动态", "2026-11-05", True),      # 15 days
    ("通知公告", "2026-05-20", False),     # exactly 6 calendar months
    ("通知公告", "2026-05-21", False),
    ("通知公告", "2026-05-19", True),
    ("人事信息", "2025-11-20", False),     # 12 months
    ("人事信息", "2025-11-19", True),
])
def test_stale_limits(name, newest, stale):
    b = site().column(name, "2020-01-01", newest, None)    # newest entry anywhere in the list
    assert bool(fired(b, "column.stale")) is stale


def test_stale_detail_and_fields():
    b = site().column("通知公告", "2025-03-02")
    [f] = fired(b, "column.stale")
    assert f.detail == "栏目最新信息发布于2025-03-02，已超过6个月未更新"
    assert (f.column, f.title, f.url) == ("通知公告", "通知公告", b.col("通知公告").url)
    [f] = fired(site().column("工作动态", "2026-10-01"), "column.stale")
    assert f.detail.endswith("已超过14天未更新")


def test_month_end_clamp():
    # as-of 2026-08-31 minus 6 months → 2026-02-28
    b = site().column("通知公告", "2026-02-28")
    assert fired(b, "column.stale", as_of=date(2026, 8, 31)) == []
    b = site().column("通知公告", "2026-02-27")
    assert fired(b, "column.stale", as_of=date(2026, 8, 31))


def test_entries_on_later_pages_count():
    b = site().column("通知公告", "2026-01-01")
    b.entry("通知公告", "第二页的新通知", "2026-10-01")
    assert fired(b, "column.stale") == []


def test_all_undated_is_stale_but_empty_is_not():
    [f] = fired(site().column("工作动态", None, None), "column.stale")
    assert "均未标注发布日期" in f.detail
    b = site().column("工作动态")
    assert fired(b, "column.stale") == [] and fired(b, "column.empty")


def test_other_categories_and_pages_are_never_stale():
    b = site().column("政策解读", "2010-01-01").column("政府信息公开指南", "2010-01-01")
    b.column("规划计划", is_page=True)
    assert fired(b, "column.stale") == []


def test_stale_limit_from_config():
    b = site().column("工作动态", "2026-11-10")
    assert fired(b, "column.stale", config={"rules": {"column.stale": {"news_days": 7}}})
    assert not fired(b, "column.stale")
