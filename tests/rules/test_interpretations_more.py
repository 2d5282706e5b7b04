from datetime import date

import pytest

from tests.rules.builders import BASE, FULL, fired, site

POLICY = BASE + "/gfxwj/1.html"
JD = BASE + "/zcjd/1.html"


def pair(policy_pub="2026-09-30", jd_pub="2026-10-10", linked=True):
    b = site().column("规范性文件").column("政策解读")
    b.doc("规范性文件", POLICY, "某某区关于加强某某管理的办法",
          interpretations=[JD] if linked else [], **dict(FULL, published=policy_pub))
    b.doc("政策解读", JD, "《某某区关于加强某某管理的办法》政策解读", policies=[POLICY] if linked else [],
          published=jd_pub)
    return b


# 2026-09-30 + 3 working days: 10-01…07 off, 10-08, 10-09, 10-10 (make-up Saturday) → 10-10.
@pytest.mark.parametrize("jd_pub,late", [("2026-10-10", False), ("2026-10-12", True)])
def test_interpretation_late_counts_holidays(jd_pub, late):
    found = fired(pair(jd_pub=jd_pub), "interpretation.late")
    assert bool(found) == late
    if late:
        [f] = found
        assert (f.url, f.target, f.column) == (JD, POLICY, "政策解读")
        assert f.detail == "政策文件发布于2026-09-30，解读发布于2026-10-12，超过3个工作日"


def test_interpretation_late_found_by_title_without_links():
    assert len(fired(pair(jd_pub="2026-10-12", linked=False), "interpretation.late")) == 1


def test_normative_document_with_interpretation_is_fine():
    assert fired(pair(), "interpretation.missing") == []
    assert fired(pair(linked=False), "interpretation.missing") == []   # matched by title


def test_normative_document_without_interpretation():
    b = site().column("规范性文件").column("政策解读", "2026-10-01")
    b.doc("规范性文件", POLICY, "某某区关于加强某某管理的办法", **FULL)
    [f] = fired(b, "interpretation.missing")
    assert (f.url, f.column, f.detail) == (POLICY, "规范性文件", "规范性文件未见政策解读")


def test_rule_number_makes_a_normative_document_anywhere():
    b = site().column("通知公告").column("政策解读", entries=[("关于某某规划的解读", "2026-10-01")])
    b.doc("通知公告", POLICY, "办法", **dict(FULL, doc_no="某政规〔2026〕2号"))
    b.doc("通知公告", BASE + "/tzgg/2.html", "通知", **FULL)      # 某政办发: not normative
    [f] = fired(b, "interpretation.missing")
    assert f.url == POLICY


def test_unchecked_interpretation_column_stays_silent():
    b = site().column("规范性文件").column("政策解读", status="failed")
    b.doc("规范性文件", POLICY, "某某区关于加强某某管理的办法", **FULL)
    assert fired(b, "interpretation.missing") == []
