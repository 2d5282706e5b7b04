"""Column categories by name (rules.md 栏目分类): the names real sites give their columns."""
import pytest

from snapshot.categories import classify


@pytest.mark.parametrize("name, category", [
    ("政府信息公开年报", "annual_report"),
    ("政府信息公开年度报告", "annual_report"),
    ("政府信息公开工作报告", "annual_report"),          # named after the report's title
    ("政府信息公开工作年度报告", "annual_report"),
    ("政府信息公开报告", "annual_report"),
    ("政府信息公开制度", "system"),
    ("政府信息公开规定", "system"),
    ("政府信息公开指南", "guide"),
    ("工作动态", "news"),
    ("通知公告", "notice_policy"),
    ("规章制度", "other"),                            # not the disclosure system itself
    ("工作报告", "other"),                            # a 政府工作报告 is not the 年报
])
def test_column_names_are_classified(name, category):
    assert classify(name) == category
