"""Absence-based rules judge only what was seen: each fires where the thing is visibly absent from a
page read in full, and stays silent (with a note) where the snapshot shows it may sit where we did
not read — a footer drawn by a script, a guide or report in a file or on a later page, a 解读 link in
a frame, a list page that was not read."""
from __future__ import annotations

from snapshot.model import Entry, Fetch, Link
from tests.rules.builders import BASE, FULL, audit_of, fired, site
from tests.rules.test_section_site import FOOTER, GUIDE

AS_OF_REPORTS = "2026-11-20"     # past both 年报 deadlines for 2025


def notes(builder) -> str:
    return "\n".join(audit_of(builder).notes)


# --- site.identity ---------------------------------------------------------------------------------

def test_footer_seen_without_site_code_fires():
    text = "首页 政务公开 " + FOOTER.replace("网站标识码：3701000001 ", "")
    [f] = fired(site().footer(text), "site.identity")
    assert f.detail == "首页底部缺少网站标识码"


def test_footer_never_seen_is_not_judged():
    # The footer came by script or in a frame: the text we read has no footer at all.
    b = site().footer("首页 政务公开 工作动态 关于开展安全生产检查的通知 2026-11-18 更多>>")
    assert fired(b, "site.identity") == []
    assert "未能确认网站标识信息" in notes(b)


def test_footer_never_seen_still_judges_the_meta_tag_we_read():
    b = site().footer("首页 政务公开 工作动态", SiteIDCode="37010000")
    [f] = fired(b, "site.identity")
    assert "格式不符" in f.detail and "缺少" not in f.detail


# --- guide.incomplete ------------------------------------------------------------------------------

LONG_GUIDE = GUIDE + "本指南所称政府信息，是指行政机关在履行行政管理职能过程中制作或者获取的，以一定形式记录、保存的信息。" * 5


def guide(text: str, *links: Link):
    b = site().column("政府信息公开指南", is_page=True, text=text)
    b.snap.links.extend(links)
    return b


def col_url(b, name="政府信息公开指南") -> str:
    return b.col(name).url


def test_guide_text_lacking_an_item_fires_even_with_a_form_to_download():
    b = guide(LONG_GUIDE.replace("办公时间：工作日9:00-17:00，", ""))
    b.snap.links.append(Link(col_url(b), BASE + "/files/sqb.doc", "政府信息公开申请表.doc"))
    [f] = fired(b, "guide.incomplete")
    assert f.detail == "指南未写明办公时间"


def test_a_download_link_names_the_application_form():
    text = LONG_GUIDE.replace("申请人可通过信函、网络提交申请表。", "")
    assert "申请表" not in text and "申请方式" not in text
    [f] = fired(guide(text), "guide.incomplete")
    assert "申请方式/申请表" in f.detail
    b = guide(text)
    b.snap.links.append(Link(col_url(b), BASE + "/module/download/downfile.jsp?filename=a.doc",
                             "政府信息公开申请表"))
    assert fired(b, "guide.incomplete") == []


def test_guide_published_as_a_file_is_not_judged():
    cover = "为便于公民、法人和其他组织依法获取政府信息，编制本指南，全文见附件。发布时间：2026-01-05"
    b = guide(cover)
    b.snap.links.append(Link(col_url(b), BASE + "/files/P020260105.pdf", "某某区政府信息公开指南.pdf"))
    assert fired(b, "guide.incomplete") == []
    assert "指南内容可能在附件中" in notes(b)


def test_guide_shown_as_an_image_is_not_judged():
    b = guide("政府信息公开指南 发布时间：2026-01-05 来源：区政府办公室 浏览次数：1024 字号：大 中 小 打印本页 关闭窗口")
    assert fired(b, "guide.incomplete") == []
    assert "未检查指南要素" in notes(b)


# --- annual_report.missing -------------------------------------------------------------------------

def annual(*titles, **kw):
    return site().column("政府信息公开年报", entries=[(t, "2026-01-20") for t in titles], **kw)


def test_report_absent_from_a_fully_read_column_fires():
    [f] = fired(annual("某某区人民政府2024年政府信息公开工作年度报告"), "annual_report.missing")
    assert "未见2025年度" in f.detail


def test_report_worded_as_work_report_counts():
    for title in ("某某区2025年度政府信息公开工作报告", "某某区人民政府2025年政府信息公开工作报告"):
        assert fired(annual(title), "annual_report.missing") == []


def test_column_with_unread_list_pages_is_not_judged():
    b = annual("某某区人民政府2024年政府信息公开工作年度报告", partial=True)
    assert fired(b, "annual_report.missing") == []
    assert "部分列表页未能读取" in notes(b)


def test_crawl_cut_short_is_not_judged():
    b = annual("某某区人民政府2024年政府信息公开工作年度报告")
    b.snap.run.cut_short = True
    assert fired(b, "annual_report.missing") == []


def test_title_cut_short_naming_the_year_is_not_judged():
    b = annual("某某区人民政府2025年政府信息公开工作...", "某某区人民政府2024年政府信息公开工作年度报告")
    assert fired(b, "annual_report.missing") == []
    assert "标题被截断或未写年份" in notes(b)
    # A cut title of another year says nothing about 2025's report.
    b = annual("某某区人民政府2024年政府信息公开工作…")
    assert len(fired(b, "annual_report.missing")) == 1


# --- annual_report.sections ------------------------------------------------------------------------

REPORT = BASE + "/col1/2025nb.html"
FIVE = ("一、总体情况 本年度主动公开政府信息，" + "持续推进政务公开。" * 20 +
        "二、主动公开政府信息情况 见下表。三、收到和处理政府信息公开申请情况 见下表。"
        "四、政府信息公开行政复议、行政诉讼情况 见下表。五、存在的主要问题及改进情况 无。")


def report_site():
    b = annual("某某区人民政府2025年政府信息公开工作年度报告")
    b.doc("政府信息公开年报", REPORT, "某某区人民政府2025年政府信息公开工作年度报告", meta=False).body(FIVE)
    b.snap.entries[-1].url = REPORT
    return b


def test_report_read_whole_lacking_a_section_fires():
    [f] = fired(report_site(), "annual_report.sections")
    assert "其他需要报告的事项" in f.detail


def test_report_with_an_unread_attachment_is_not_judged():
    b = report_site().attachment(BASE + "/files/2025nb.pdf", status="oversize")
    assert fired(b, "annual_report.sections") == []
    assert "附件或后续分页未能读取" in notes(b)
    b = report_site().attachment(BASE + "/files/2025nb.pdf", text="六、其他需要报告的事项 无。")
    assert fired(b, "annual_report.sections") == []      # read: the section is there


def test_report_split_over_pages_is_not_judged():
    b = report_site()
    b.snap.links.append(Link(REPORT, BASE + "/col1/2025nb_1.html", "2"))
    assert fired(b, "annual_report.sections") == []
    b = report_site()
    b.snap.links.append(Link(REPORT, BASE + "/col1/2024nb.html", "上一篇"))
    assert len(fired(b, "annual_report.sections")) == 1   # another document, not a later page


# --- interpretation.unlinked -----------------------------------------------------------------------

POLICY = BASE + "/zcwj/1.html"
JD = BASE + "/zcjd/1.html"


def pair(**policy_kw):
    b = site().column("政策文件").column("政策解读")
    b.doc("政策文件", POLICY, "某某区关于加强某某管理的办法", **FULL, **policy_kw)
    b.doc("政策解读", JD, "《某某区关于加强某某管理的办法》解读", policies=[POLICY])
    return b


def test_policy_read_whole_without_link_back_fires():
    [f] = fired(pair(), "interpretation.unlinked")
    assert "政策文件页面未链接本解读" in f.detail


def test_policy_with_an_unread_frame_is_not_judged():
    frame = BASE + "/zcwj/related_1.html"
    b = pair()
    b.snap.links.append(Link(POLICY, frame, kind="frame"))
    b.snap.fetches.append(Fetch(frame, "related", "timeout"))
    assert fired(b, "interpretation.unlinked") == []
    assert "框架未能读取" in notes(b)
    # The frame was read and holds no link to this 解读: the absence was seen.
    b = pair()
    b.snap.links.append(Link(POLICY, frame, kind="frame"))
    b.snap.fetches.append(Fetch(frame, "related", "ok"))
    assert len(fired(b, "interpretation.unlinked")) == 1
    # A frame on another host (a video player) is no place for the relation.
    b = pair()
    b.snap.links.append(Link(POLICY, "https://player.example.com/v/1", kind="frame"))
    assert len(fired(b, "interpretation.unlinked")) == 1


def test_policy_whose_list_row_links_the_interpretation_is_linked():
    b = pair()
    b.snap.entries.append(Entry(b.col("政策文件").id, "某某区关于加强某某管理的办法", POLICY, None,
                                related=[{"title": "解读", "url": JD}]))
    assert fired(b, "interpretation.unlinked") == []


def test_interpretation_page_with_a_frame_is_not_judged_unlinked():
    b = site().column("政策文件").column("政策解读")
    b.doc("政策解读", JD, "关于某项工作的解读")
    assert len(fired(b, "interpretation.unlinked")) == 1       # no link, nothing unseen
    b.snap.links.append(Link(JD, BASE + "/zcjd/xgwj_1.html", kind="frame"))
    assert fired(b, "interpretation.unlinked") == []
    assert "未能确认其是否链接政策文件" in notes(b)


# --- interpretation.missing ------------------------------------------------------------------------

def normative(*cols, **kw):
    b = site().column("规范性文件")
    for name in cols:
        b.column(name, entries=[("关于某某规划的解读", "2026-10-01")], **kw)
    b.doc("规范性文件", POLICY, "某某区关于加强某某管理的办法", **FULL)
    return b


def test_normative_document_without_any_interpretation_fires():
    [f] = fired(normative("政策解读"), "interpretation.missing")
    assert f.url == POLICY


def test_no_interpretation_column_seen_is_not_judged():
    b = normative()
    assert fired(b, "interpretation.missing") == []
    assert "未找到政策解读栏目" in notes(b)


def test_interpretation_column_partly_read_is_not_judged():
    assert fired(normative("政策解读", partial=True), "interpretation.missing") == []


def test_list_row_nesting_the_interpretation_counts():
    b = normative("政策解读")
    b.snap.entries.append(Entry(b.col("规范性文件").id, "某某区关于加强某某管理的办法", POLICY, None,
                                related=[{"title": "图解", "url": BASE + "/tj/1.html"}]))
    assert fired(b, "interpretation.missing") == []


# --- column.stale ----------------------------------------------------------------------------------

def undated_news(*published):
    b = site().column("工作动态", None, None)
    for i, day in enumerate(published):
        b.doc("工作动态", f"{b.col('工作动态').url}{i}.html", f"动态{i}", meta=False, published=day)
    return b


def test_undated_list_with_nothing_dated_anywhere_fires():
    [f] = fired(undated_news(), "column.stale")
    assert "均未标注发布日期" in f.detail


def test_undated_list_is_dated_by_its_document_pages():
    # The list's dates were written by a script we did not run; the pages show them.
    assert fired(undated_news("2026-11-18", "2026-09-01"), "column.stale") == []
    [f] = fired(undated_news("2026-08-01"), "column.stale")
    assert "最新信息发布于2026-08-01" in f.detail


# --- disclosure.structure / annual_report.missing: parts under a column we could not read ------------

def test_section_listing_the_content_columns_holds_the_statutory_content():
    b = (site().column("政府信息公开指南", is_page=True, text=GUIDE).column("政府信息公开制度", is_page=True, text="制度")
         .column("政府信息公开年报", "2026-01-20").column("机构职能", is_page=True, text="职能")
         .column("政策文件", "2026-11-01"))
    assert fired(b, "disclosure.structure") == []
    b = site().column("政府信息公开指南", is_page=True, text=GUIDE).column("工作动态", "2026-11-01")
    [f] = fired(b, "disclosure.structure")
    assert "法定主动公开内容" in f.detail


def test_a_generic_column_we_could_not_confirm_may_hold_the_missing_part():
    b = (site().column("政府信息公开指南", is_page=True, text=GUIDE).column("政府信息公开制度", is_page=True, text="制度")
         .column("法定主动公开内容", has_children=True).unverified("其他信息"))
    assert fired(b, "disclosure.structure") == []
    assert fired(b, "annual_report.missing") == []
    assert "其他信息（未能确认）" in notes(b)
    # Read with entries, it is a list of its own: the section has no 年报.
    b = (site().column("政府信息公开指南", is_page=True, text=GUIDE).column("政府信息公开制度", is_page=True, text="制度")
         .column("法定主动公开内容", has_children=True).column("其他信息", "2026-11-01"))
    assert len(fired(b, "disclosure.structure")) == 1 and len(fired(b, "annual_report.missing")) == 1


def test_interpretation_published_as_a_file_is_not_judged_for_its_links():
    url = BASE + "/zcjd/P020261101.pdf"
    b = site().column("政策文件").column("政策解读")
    b.doc("政策文件", POLICY, "某某区关于加强某某管理的办法", interpretations=[url], **FULL)
    b.doc("政策解读", url, "《某某区关于加强某某管理的办法》解读")
    b.snap.documents[-1].attachments = [url]         # the crawler's record of a file read as the document
    assert fired(b, "interpretation.unlinked") == []
    assert "以文件形式发布" in notes(b)
    b.snap.documents[-1].attachments = []            # a page: it should have linked its policy
    assert len(fired(b, "interpretation.unlinked")) == 1


def test_guide_split_over_pages_is_not_judged():
    text = LONG_GUIDE.replace("办公时间：工作日9:00-17:00，", "")
    b = guide(text)
    b.snap.links.append(Link(col_url(b), col_url(b) + "index_1.html", "下一页"))
    assert fired(b, "guide.incomplete") == []
    assert "分页发布" in notes(b)
    b = guide(text)
    b.snap.links.append(Link(col_url(b), BASE + "/zwgk/zfxxgkzd/", "政府信息公开制度"))
    assert len(fired(b, "guide.incomplete")) == 1      # a link elsewhere is no later page


def test_undated_list_of_a_cut_crawl_is_not_judged():
    b = undated_news()
    b.snap.run.cut_short = True
    assert fired(b, "column.stale") == []
    assert "页数上限" in notes(b)


def test_footer_wordings_of_real_sites_count():
    text = "某某区人民政府办公室主办 标识码：3701000001 鲁ICP备12345678号 鲁公网安备 37010202000001号"
    assert fired(site().footer(text), "site.identity") == []
    [f] = fired(site().footer(text.replace("主办", "维护")), "site.identity")
    assert f.detail == "首页底部缺少主办单位"


def test_report_title_naming_no_year_listed_this_year_is_not_judged():
    b = site().column("政府信息公开年报", entries=[("某某局政府信息公开工作年度报告", "2026-01-15")])
    assert fired(b, "annual_report.missing") == []
    assert "未写年份" in notes(b)
    # Listed before 2025 ended, it is an older year's report.
    b = site().column("政府信息公开年报", entries=[("某某局政府信息公开工作年度报告", "2025-01-15")])
    assert len(fired(b, "annual_report.missing")) == 1


def test_link_back_spelled_another_way_is_the_same_page():
    from audits.rules.interpretations import norm_url
    assert norm_url("https://www.x.gov.cn:443/zcjd/index.html#top") == norm_url("http://x.gov.cn/zcjd/")
    assert norm_url("http://x.gov.cn/%E8%A7%A3%E8%AF%BB/1.html") == norm_url("http://x.gov.cn/解读/1.html")
    assert norm_url("http://x.gov.cn:8080/a.html") != norm_url("http://x.gov.cn/a.html")
    b = pair(interpretations=["https://example.gov.cn/zcjd/1.html"])     # www. dropped
    assert fired(b, "interpretation.unlinked") == []
