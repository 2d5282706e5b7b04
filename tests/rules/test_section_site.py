import pytest

from tests.rules.builders import BASE, fired, site

GUIDE = ("本机关政府信息公开工作机构为区政府办公室（受理机构），办公地址：某某路1号，办公时间：工作日9:00-17:00，"
         "联系电话：0531-12345678。申请人可通过信函、网络提交申请表。申请人认为侵犯其合法权益的，可依法申请行政复议或者提起行政诉讼。")
FOOTER = ("主办单位：某某区人民政府办公室 网站标识码：3701000001 鲁ICP备12345678号 "
          "鲁公网安备 37010202000001号")


def full_section():
    return (site().column("政府信息公开指南", is_page=True, text=GUIDE).column("政府信息公开制度", is_page=True, text="制度")
            .column("法定主动公开内容").column("政府信息公开年报"))


def test_complete_section_is_fine():
    assert fired(full_section(), "disclosure.structure") == []


def test_section_lacking_parts_names_them():
    b = site().column("政府信息公开指南", is_page=True, text=GUIDE).column("工作动态")
    [f] = fired(b, "disclosure.structure")
    assert f.detail == "信息公开专栏缺少政府信息公开制度、法定主动公开内容、政府信息公开年报栏目"
    assert f.url == BASE + "/zwgk/"


def test_no_columns_at_all_is_noted_not_judged():
    from tests.rules.builders import audit_of
    result = audit_of(site())
    assert not [f for f in result.findings if f.rule_id == "disclosure.structure"]
    assert any("未检查专栏结构" in n for n in result.notes)


def test_complete_guide_is_fine():
    assert fired(full_section(), "guide.incomplete") == []


@pytest.mark.parametrize("cut,name", [("办公时间：工作日9:00-17:00，", "办公时间"),
                                      ("联系电话：0531-12345678。", "联系电话")])
def test_guide_missing_an_item(cut, name):
    b = site().column("政府信息公开指南", is_page=True, text=GUIDE.replace(cut, ""))
    [f] = fired(b, "guide.incomplete")
    assert f.detail == f"指南未写明{name}" and f.column == "政府信息公开指南"


def test_guide_without_remedies():
    text = GUIDE.split("申请人认为")[0]
    [f] = fired(site().column("政府信息公开指南", is_page=True, text=text), "guide.incomplete")
    assert "监督/救济" in f.detail


def test_unfetched_guide_not_judged():
    assert fired(site().column("政府信息公开指南", status="failed"), "guide.incomplete") == []


def test_complete_footer_is_fine():
    assert fired(site().footer(FOOTER, SiteIDCode="3701000001"), "site.identity") == []
    assert fired(site().footer(FOOTER), "site.identity") == []       # no meta: the footer suffices


def test_footer_missing_police_record():
    text = FOOTER.replace("鲁公网安备 37010202000001号", "")
    [f] = fired(site().footer(text), "site.identity")
    assert f.detail == "首页底部缺少公安机关备案号"
    assert f.url == BASE + "/"


def test_footer_missing_several():
    [f] = fired(site().footer("版权所有 某某区人民政府"), "site.identity")
    assert f.detail == "首页底部缺少网站标识码、ICP备案号、公安机关备案号、主办单位"


@pytest.mark.parametrize("code,problem", [("37010000", "格式不符"), ("3701000002", "不一致"),
                                          ("bm1700000", "格式不符")])
def test_site_id_meta(code, problem):
    [f] = fired(site().footer(FOOTER, SiteIDCode=code), "site.identity")
    assert problem in f.detail


def test_ministry_code_form():
    text = FOOTER.replace("3701000001", "bm17000009")
    assert fired(site().footer(text, SiteIDCode="bm17000009"), "site.identity") == []


@pytest.mark.parametrize("outcome", ["timeout", "robots"])
def test_unread_section_page_is_not_judged(outcome):
    from tests.rules.builders import audit_of
    # Columns found elsewhere (the homepage nav) do not stand for a section never read.
    b = site().section(outcome).column("政策文件", "2026-11-01")
    result = audit_of(b)
    assert not [f for f in result.findings if f.rule_id == "disclosure.structure"]
    assert any("信息公开专栏页面未能读取" in n for n in result.notes)


def test_missing_part_under_an_unread_column_is_not_judged():
    from tests.rules.builders import audit_of
    b = (site().column("政府信息公开指南", is_page=True, text=GUIDE)
         .column("政府信息公开制度", is_page=True, text="制度")
         .column("法定主动公开内容", status="blocked"))
    result = audit_of(b)
    assert not [f for f in result.findings if f.rule_id == "disclosure.structure"]
    assert any("法定主动公开内容" in n for n in result.notes)


def test_an_unread_list_column_hides_no_part_of_the_section():
    """A 通知公告 page that failed holds its own notices, not the 年报: the missing 年报 is
    still judged (only a generic column — 法定主动公开内容, 公开目录 — may hide it)."""
    from tests.rules.builders import audit_of
    b = (site().column("政府信息公开指南", is_page=True, text=GUIDE)
         .column("政府信息公开制度", is_page=True, text="制度")
         .column("法定主动公开内容", has_children=True)
         .column("通知公告", status="failed").column("工作动态", status="blocked"))
    found = [f for f in audit_of(b).findings if f.rule_id == "disclosure.structure"]
    assert len(found) == 1 and "政府信息公开年报" in found[0].detail


def test_an_agency_named_for_supervision_does_not_stand_for_the_remedies():
    """市场监督管理局 names the office; it does not tell the applicant about 行政复议/行政诉讼."""
    text = ("受理机构：兰山区市场监督管理局办公室 办公地址：人民路96号 办公时间：工作日 "
            "联系电话：0539-6020105 申请方式：当面、邮寄，并填写《政府信息公开申请表》")
    found = fired(site().column("政府信息公开指南", is_page=True, text=text), "guide.incomplete")
    assert len(found) == 1 and "监督/救济" in found[0].detail
    ok = text + " 申请人认为行政机关侵犯其合法权益的，可依法申请行政复议或提起行政诉讼"
    assert fired(site().column("政府信息公开指南", is_page=True, text=ok), "guide.incomplete") == []
