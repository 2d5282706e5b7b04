import pytest

from audits.rules.interpretations import policy_key
from tests.rules.builders import BASE, fired, site

POLICY = BASE + "/zcwj/1.html"
JD = BASE + "/zcjd/1.html"
TITLE = "某某区促进民营经济发展若干措施"


def policy_site(policy_links=(), jd_links=(), jd_title=f"《{TITLE}》政策解读", policy_doc=True):
    b = site().column("政策文件", entries=[(TITLE, "2026-10-01")]).column("政策解读", "2026-10-02")
    b.snap.entries[0].url = POLICY
    if policy_doc:
        b.doc("政策文件", POLICY, TITLE, interpretations=policy_links)
    return b.doc("政策解读", JD, jd_title, policies=jd_links)


def test_linked_both_ways_is_fine():
    assert fired(policy_site([JD], [POLICY]), "interpretation.unlinked") == []
    # scheme, fragment and host case do not matter
    assert fired(policy_site([JD.replace("http:", "https:")], [POLICY + "#top"]),
                 "interpretation.unlinked") == []


def test_policy_does_not_link_back():
    [f] = fired(policy_site([], [POLICY]), "interpretation.unlinked")
    assert (f.url, f.target, f.title) == (JD, POLICY, f"《{TITLE}》政策解读")
    assert "政策文件页面未链接本解读" in f.detail


def test_interpretation_does_not_link_but_policy_does():
    [f] = fired(policy_site([JD], []), "interpretation.unlinked")
    assert f.target == POLICY and "政策文件已链接本解读" in f.detail


@pytest.mark.parametrize("jd_title", [
    f"《{TITLE}》政策解读", f"一图读懂《{TITLE}》", f"关于{TITLE}的解读", f"图解：{TITLE}",
    f"“{TITLE}”解读",
])
def test_title_match_is_said_in_the_detail(jd_title):
    [f] = fired(policy_site([], [], jd_title), "interpretation.unlinked")
    assert f.target == POLICY
    assert f"按标题匹配到《{TITLE}》" in f.detail and "政策文件也未链接本解读" in f.detail


def test_title_match_against_list_entries_only():
    [f] = fired(policy_site(jd_title=f"{TITLE}解读", policy_doc=False), "interpretation.unlinked")
    assert f.target == POLICY and "按标题匹配" in f.detail and "也未链接" not in f.detail


def test_no_policy_found_fires_with_empty_target():
    [f] = fired(policy_site(jd_title="《另一份完全不同的文件》解读"), "interpretation.unlinked")
    assert f.target == "" and "未找到对应的政策文件" in f.detail


def test_unfetched_policy_is_noted_not_fired():
    from tests.rules.builders import audit_of
    result = audit_of(policy_site([], [POLICY], policy_doc=False))
    assert not [f for f in result.findings if f.rule_id == "interpretation.unlinked"]
    assert any("未抓取" in n for n in result.notes)


def test_policy_key():
    assert policy_key("关于《某某办法》的解读") == "某某办法"
    assert policy_key("政策解读：某某办法") == "某某办法"
    assert policy_key("某某 办法 一图读懂") == "某某办法"
