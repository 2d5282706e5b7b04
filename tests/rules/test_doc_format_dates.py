from datetime import date

import pytest

from audits.rules.documents import number_problems
from tests.rules.builders import BASE, FULL, fired, site

URL = BASE + "/tzgg/1.html"


def doc(rule, column="通知公告", listed="2026-10-02", as_of=date(2026, 11, 20), config=None, **fields):
    b = site().column(column, entries=[("关于某事的通知", listed)])
    b.snap.entries[-1].url = URL
    return fired(b.doc(column, URL, "关于某事的通知", **dict(FULL, **fields)), rule, as_of, config)


@pytest.mark.parametrize("number", ["某政办发〔2026〕1号", "国令第123号", "某市人民政府令第5号",
                                    "国办发明电〔2018〕15号", "", "无", "某政发〔2026〕10号"])
def test_good_or_exempt_numbers(number):
    assert number_problems(number) == []


@pytest.mark.parametrize("number,problem", [
    ("某政发[2023]5号", "六角括号"), ("某政发(2023)5号", "六角括号"), ("某政发（2023）5号", "六角括号"),
    ("某政发【2023】5号", "六角括号"), ("某政发﹝2023﹞5号", "六角括号"), ("某政发〔23〕5号", "四位"),
    ("某政发〔2023〕第5号", "第"), ("某政发〔2023〕005号", "虚位"),
])
def test_bad_numbers(number, problem):
    [p] = number_problems(number)
    assert problem in p


def test_number_format_finding_names_the_number():
    [f] = doc("doc.number_format", doc_no="某政办发[2026]1号")
    assert f.detail.startswith("发文字号“某政办发[2026]1号”：年份应使用六角括号〔〕")
    assert (f.url, f.column, f.severity) == (URL, "通知公告", "advisory")
    assert doc("doc.number_format") == []


def test_dates_consistent_is_fine():
    assert doc("doc.date_inconsistent") == []


def test_written_after_published():
    [f] = doc("doc.date_inconsistent", written="2026-10-05")
    assert f.detail == "成文日期2026-10-05晚于发布日期2026-10-02"


def test_published_after_as_of():
    [f] = doc("doc.date_inconsistent", published="2026-12-01", listed="2026-12-01")
    assert f.detail == "发布日期2026-12-01晚于检查基准日2026-11-20"


def test_list_date_differs_from_page_date():
    [f] = doc("doc.date_inconsistent", listed="2026-10-09")
    assert f.detail == "栏目列表日期2026-10-09与页面发布日期2026-10-02不一致"
    assert doc("doc.date_inconsistent", listed=None) == []     # undated list entry: nothing to compare


def test_list_date_in_another_year_on_the_same_day_is_no_contradiction():
    # A list printing only 10-02 had its year inferred; the page says 2025-10-02: not seen to differ.
    assert doc("doc.date_inconsistent", listed="2026-10-02", published="2025-10-02",
               written="2025-09-30") == []
    [f] = doc("doc.date_inconsistent", listed="2026-10-03", published="2025-10-02", written="2025-09-30")
    assert "不一致" in f.detail


# 2026 国庆: 10-01…10-07 off, 10-10 (Saturday) a make-up working day. 20 working days after
# 2026-09-25 end on 10-29 (Monday–Friday counting would say 10-23).
@pytest.mark.parametrize("published,late", [("2026-10-23", False), ("2026-10-29", False),
                                            ("2026-10-30", True)])
def test_late_publication_counts_holidays(published, late):
    found = doc("doc.late_publication", written="2026-09-25", published=published, listed=published)
    assert bool(found) == late
    if late:
        assert found[0].detail == "成文于2026-09-25，发布于2026-10-30，超过20个工作日"


def test_late_publication_threshold_from_config():
    found = doc("doc.late_publication", written="2026-09-25", published="2026-10-29",
                listed="2026-10-29", config={"rules": {"doc.late_publication": {"workdays": 10}}})
    assert len(found) == 1


def test_late_publication_silent_without_calendar_year_and_noted():
    from tests.rules.builders import audit_of
    b = site().column("通知公告").doc("通知公告", URL, "t", **dict(FULL, written="2027-01-04",
                                                                 published="2027-03-01"))
    result = audit_of(b, as_of=date(2027, 3, 5))
    assert not [f for f in result.findings if f.rule_id == "doc.late_publication"]
    assert any("2027" in n and "doc.late_publication" in n for n in result.notes)
    extra = {"holidays": {2027: {"holidays": [], "workdays": []}}}
    result = audit_of(b, as_of=date(2027, 3, 5), config=extra)
    assert [f for f in result.findings if f.rule_id == "doc.late_publication"]
