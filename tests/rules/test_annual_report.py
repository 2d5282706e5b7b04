from datetime import date

import pytest

from audits.rules.annual_report import is_report_for
from tests.rules.builders import BASE, audit_of, fired, site

GOV, DEPT = "某某区人民政府", "某某区教育局"


def with_report(name=GOV, title="某某区2025年政府信息公开工作年度报告", when="2026-03-20", **kw):
    b = site(name, **kw).column("政府信息公开年报", entries=[(title, when)])
    return b


@pytest.mark.parametrize("name,as_of,fires", [
    (GOV, date(2026, 3, 31), False),       # on the deadline day: not yet missing
    (GOV, date(2026, 4, 1), True),
    (DEPT, date(2026, 1, 31), False),
    (DEPT, date(2026, 2, 1), True),
])
def test_missing_only_after_the_deadline(name, as_of, fires):
    b = site(name).column("政府信息公开年报", entries=[("某某区2024年政府信息公开工作年度报告", "2025-03-01")])
    found = fired(b, "annual_report.missing", as_of=as_of)
    assert bool(found) is fires
    if fires:
        assert "2025年度" in found[0].detail and found[0].column == "政府信息公开年报"


def test_report_found_is_not_missing_and_chinese_numerals_count():
    assert fired(with_report(), "annual_report.missing") == []
    b = with_report(title="二〇二五年度政府信息公开工作年报")
    assert fired(b, "annual_report.missing") == []


@pytest.mark.parametrize("name,when,late", [
    (GOV, "2026-03-31", False), (GOV, "2026-04-01", True),
    (DEPT, "2026-01-31", False), (DEPT, "2026-02-01", True),
])
def test_late(name, when, late):
    found = fired(with_report(name, when=when), "annual_report.late")
    assert bool(found) is late
    if late:
        assert found[0].detail == (f"2025年度年报发布于{when}，晚于2026年"
                                   f"{'3月31日' if name == GOV else '1月31日'}的期限")


def test_document_date_wins_over_list_date():
    b = with_report(when="2026-03-01")
    b.doc("政府信息公开年报", b.snap.entries[0].url, "某某区2025年政府信息公开工作年度报告",
          published="2026-04-10")
    [f] = fired(b, "annual_report.late")
    assert "2026-04-10" in f.detail


def test_late_before_deadline_is_silent():
    assert fired(with_report(when="2026-01-10"), "annual_report.late", as_of=date(2026, 1, 20)) == []


def test_unchecked_column_is_noted_not_missing():
    b = site(GOV).column("政府信息公开年报", status="failed")
    result = audit_of(b, as_of=date(2026, 6, 1))
    assert not [f for f in result.findings if f.rule_id.startswith("annual_report")]
    assert any("年报是否发布" in n for n in result.notes)


def test_no_annual_report_column_at_all():
    [f] = fired(site(GOV), "annual_report.missing", as_of=date(2026, 6, 1))
    assert "未找到政府信息公开年报栏目" in f.detail and f.url == BASE + "/zwgk/"


def test_kind_from_run_and_config():
    b = site(GOV, kind="department").empty("年度报告")
    assert fired(b, "annual_report.missing", as_of=date(2026, 2, 15))
    b = site(DEPT).empty("年度报告")
    assert not fired(b, "annual_report.missing", as_of=date(2026, 2, 15), config={"kind": "government"})


def test_deadline_from_config():
    b = with_report(when="2026-03-20")
    cfg = {"rules": {"annual_report.late": {"government_deadline": "03-15"}}}
    assert fired(b, "annual_report.late", config=cfg)


def test_is_report_for():
    assert is_report_for("2025年度政府信息公开工作年度报告", 2025)
    assert is_report_for("二零二五年政府信息公开年报", 2025)
    assert not is_report_for("2024年度政府信息公开工作年度报告", 2025)
    assert not is_report_for("2025年工作计划", 2025)


# -- not read is not missing (issue 9: a slow or robots-disallowed section page) --------------
@pytest.mark.parametrize("outcome", ["timeout", "robots", "http_5xx", "blocked"])
def test_unread_section_page_never_means_no_annual_report(outcome):
    # The section page never answered: no column was found, so none can be said to be missing.
    b = site(GOV).section(outcome)
    result = audit_of(b, as_of=date(2026, 6, 1))
    assert not [f for f in result.findings if f.rule_id in ("annual_report.missing",
                                                            "disclosure.structure")]
    assert any("信息公开专栏页面未能读取" in n for n in result.notes)
    assert b.build().incomplete


def test_section_read_without_annual_report_column_still_fires():
    b = site(GOV).section("ok").column("政策文件", "2026-05-01")
    [f] = fired(b, "annual_report.missing", as_of=date(2026, 6, 1))
    assert "未找到政府信息公开年报栏目" in f.detail


def test_annual_report_column_may_sit_under_a_column_that_was_not_read():
    # 法定主动公开内容 failed: its sub-columns (年报 among them) are unknown.
    b = site(GOV).column("政策文件", "2026-05-01").column("法定主动公开内容", status="failed")
    result = audit_of(b, as_of=date(2026, 6, 1))
    assert not [f for f in result.findings if f.rule_id == "annual_report.missing"]
    assert any("法定主动公开内容" in n and "其下级栏目未知" in n for n in result.notes)


@pytest.mark.parametrize("how", ["unverified", "no evidence"])
def test_annual_report_column_read_without_proof_is_not_judged(how):
    b = site(GOV)
    if how == "unverified":
        b.unverified("政府信息公开年报")
    else:
        b.column("政府信息公开年报")        # ok but neither entries nor proof (an older store)
    result = audit_of(b, as_of=date(2026, 6, 1))
    assert not [f for f in result.findings if f.rule_id == "annual_report.missing"]
    assert any("年报是否发布" in n for n in result.notes)


def test_annual_report_column_proven_empty_is_missing():
    [f] = fired(site(GOV).empty("政府信息公开年报", evidence="endpoint"), "annual_report.missing",
                as_of=date(2026, 6, 1))
    assert f.column == "政府信息公开年报"


def test_a_nianbao_column_read_as_text_is_not_judged_missing():
    """A 年报 column that showed text and no entries (a script-built list taken for an article)
    is unproven: noted, never "no report"."""
    b = site(GOV).column("政府信息公开年报", is_page=True, text="本栏目发布本机关政府信息公开工作年度报告。" * 5)
    result = audit_of(b, as_of=date(2026, 4, 1))
    assert not [f for f in result.findings if f.rule_id == "annual_report.missing"]
    assert any("年报" in n for n in result.notes)


def test_a_nianbao_page_naming_the_report_in_its_text_has_it():
    text = "各年度报告：\n某某区2025年政府信息公开工作年度报告\n某某区2024年政府信息公开工作年度报告"
    b = site(GOV).column("政府信息公开年报", is_page=True, text=text)
    assert fired(b, "annual_report.missing", as_of=date(2026, 4, 1)) == []
