from datetime import date

import pytest

from tests.rules.builders import audit_of, fired, site


# -- column.empty ---------------------------------------------------------------------------
@pytest.mark.parametrize("evidence,words", [
    ("rendered", "浏览器渲染后无条目"),
    ("endpoint", "列表接口返回0条"),
    ("marker", "页面显示“暂无信息”"),
])
def test_empty_fires_on_each_kind_of_evidence_and_names_it(evidence, words):
    b = site().empty("通知公告", evidence=evidence)
    [f] = fired(b, "column.empty")
    assert f.detail == f"栏目无任何信息（{words}）"
    assert (f.column, f.url, f.title) == ("通知公告", b.col("通知公告").url, "通知公告")


@pytest.mark.parametrize("kw", [{}, {"empty_marker": True}, {"evidence": "bogus"}])
def test_no_entries_without_evidence_is_not_empty_but_noted(kw):
    # Read, no entries, nothing proving it empty (an older store, or a 暂无信息 with scripts).
    result = audit_of(site().column("通知公告", **kw))
    assert not [f for f in result.findings if f.rule_id.startswith("column.")]
    assert any("通知公告" in n and "无为空的确证" in n for n in result.notes)


def test_unverified_column_is_not_judged_and_is_noted():
    b = site().unverified("通知公告").empty("人事信息", evidence="marker").unverified("工作动态")
    result = audit_of(b)
    assert [f.column for f in result.findings if f.rule_id.startswith("column.")] == ["人事信息"]
    assert any("通知公告（未能确认）" in n and "工作动态（未能确认）" in n and "不完整" in n
               for n in result.notes)
    assert b.build().incomplete


def test_pages_parents_and_filled_columns_are_not_empty():
    b = (site().column("机构职能", is_page=True).column("法定主动公开内容", has_children=True)
         .column("工作动态", "2026-11-19"))
    assert fired(b, "column.empty") == []
    # evidence that came before entries on a later page never outweighs the entries
    assert fired(site().column("通知公告", "2026-11-19", evidence="endpoint"), "column.empty") == []


@pytest.mark.parametrize("status", ["failed", "blocked", "skipped", "pending", "unverified"])
def test_unchecked_columns_are_never_empty_or_stale_and_noted(status):
    b = (site().column("通知公告", status=status, evidence="rendered")
         .column("工作动态", status=status))
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
    b = site().empty("工作动态")
    assert fired(b, "column.stale") == [] and fired(b, "column.empty")


def test_stale_is_never_judged_on_an_unverified_column():
    # Even were entries stored against it, a column not ok is not judged stale.
    b = site().unverified("通知公告")
    b.entry("通知公告", "旧通知", "2020-01-01")
    assert fired(b, "column.stale") == []


def test_partial_column_with_only_undated_entries_is_not_stale_by_guess():
    b = site().column("工作动态", None, None, partial=True)
    result = audit_of(b)
    assert not [f for f in result.findings if f.rule_id == "column.stale"]
    assert any("工作动态" in n and "未判断是否更新" in n for n in result.notes)


def test_partial_column_is_judged_on_the_dates_it_read():
    # Later pages failed, but the list's first page shows its newest date: judged on that,
    # and the snapshot says the conclusion is incomplete.
    b = site().column("通知公告", "2025-01-01", partial=True)
    [f] = fired(b, "column.stale")
    assert "2025-01-01" in f.detail and b.build().incomplete
    assert fired(site().column("通知公告", "2026-11-01", partial=True), "column.stale") == []


def test_other_categories_and_pages_are_never_stale():
    b = site().column("政策解读", "2010-01-01").column("政府信息公开指南", "2010-01-01")
    b.column("规划计划", is_page=True)
    assert fired(b, "column.stale") == []


def test_stale_limit_from_config():
    b = site().column("工作动态", "2026-11-10")
    assert fired(b, "column.stale", config={"rules": {"column.stale": {"news_days": 7}}})
    assert not fired(b, "column.stale")
