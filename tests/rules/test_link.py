import pytest

from audits.rules.link import broken_reason
from tests.rules.builders import BASE, FULL, audit_of, fired, site

URL = BASE + "/tzgg/1.html"
DEAD = BASE + "/files/gone.pdf"


@pytest.mark.parametrize("status,reason", [("404", "HTTP 404"), ("410", "HTTP 410"), ("503", "HTTP 503"),
                                           ("dns", "域名无法解析"), ("refused", "连接被拒绝")])
def test_broken_statuses(status, reason):
    assert broken_reason(status) == reason


@pytest.mark.parametrize("status", ["200", "301", "401", "403", "429", "timeout", "ok"])
def test_not_broken_statuses(status):
    assert broken_reason(status) is None


def linked(status, text="附件：某某名单.pdf"):
    b = site().column("通知公告").doc("通知公告", URL, "通知", **FULL)
    return b.link(URL, DEAD, text, status=status)


def test_broken_link_names_its_text():
    [f] = fired(linked("404"), "link.broken")
    assert f.detail == "链接“附件：某某名单.pdf”无法打开（HTTP 404）"
    assert (f.url, f.target, f.column, f.title) == (URL, DEAD, "通知公告", "通知")


def test_same_link_twice_on_a_page_is_one_finding():
    b = linked("404").link(URL, DEAD, "again", status="404")
    assert len(fired(b, "link.broken")) == 1


def test_unverified_and_unchecked_are_noted_not_broken():
    result = audit_of(linked("403").link(URL, BASE + "/x", "x", status=""))
    assert not [f for f in result.findings if f.rule_id == "link.broken"]
    assert any("未能验证" in n for n in result.notes)
    assert any("未检查" in n for n in result.notes)
