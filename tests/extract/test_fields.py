import pytest

from crawler.extract.fields import extract_document, extract_related_from_iframe, normalise_label

GOVCN = {
    "govcn_policy_detail_2019_content_5365945.html": {
        "index_no": "000014349/2019-00007", "topic": "市场监管、安全生产监管\\工商", "publisher": "国务院",
        "written": "2019-01-27", "doc_no": "国发〔2019〕5号", "published": "2019-02-15",
        "title": "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见"},
    "govcn_policy_detail_2019_content_5359620_with_jiedu_iframe.html": {
        "index_no": "000014349/2018-00230", "topic": "城乡建设、环境保护\\节能与资源综合利用",
        "publisher": "国务院办公厅", "written": "2018-12-29", "doc_no": "国办发〔2018〕128号",
        "published": "2019-01-21", "title": "国务院办公厅关于印发“无废城市”建设试点工作方案的通知"},
    "govcn_policy_detail_oldlayout_2018_content_5353307.html": {
        "index_no": "000014349/2018-00222", "topic": "卫生、体育\\医药管理", "publisher": "国务院",
        "written": "2018-12-21", "doc_no": "国发〔2018〕43号", "published": "2018-12-29"},
    "govcn_policy_detail_archive1996_content_5351713.html": {
        "index_no": "000014349/1996-00076", "topic": "城乡建设、环境保护\\气象、水文、测绘、地震",
        "publisher": "国务院办公厅", "written": "1996-02-05", "doc_no": "国办发〔1996〕2号",
        "published": "2018-12-24"},
    "govcn_policy_detail_holiday_2019_content_5346276.html": {
        "index_no": "000014349/2018-00213", "topic": "综合政务\\其他", "publisher": "国务院办公厅",
        "written": "2018-12-04", "doc_no": "国办发明电〔2018〕15号", "published": "2018-12-06",
        "title": "国务院办公厅关于2019年部分节假日安排的通知"},
}


@pytest.mark.parametrize("name", sorted(GOVCN))
def test_govcn_metadata_table(real_pages, name):
    doc = extract_document((real_pages / name).read_text("utf-8"), "http://www.gov.cn/zhengce/content/x.htm")
    for key, value in GOVCN[name].items():
        assert doc.fields[key] == value, key
    assert doc.has_meta_block
    assert "validity" not in doc.fields       # gov.cn 2019 tables have no 有效性 row
    assert doc.meta == {}                     # stored body only: no <head>
    assert doc.text and len(doc.text_digest) == 40


def test_govcn_sidebar_iframe_reported(real_pages):
    html = (real_pages / "govcn_policy_detail_2019_content_5365945.html").read_text("utf-8")
    doc = extract_document(html, "http://www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm")
    assert doc.iframes == ["http://www.gov.cn/zhengce/2019-02/15/content_5365963.htm"]
    assert doc.title.startswith("国务院关于在市场监管领域全面推行")
    assert "国发〔2019〕5号" in doc.text and "索引号" not in doc.text.replace(" ", "")


def test_mee_metas_and_yitu_links(real_pages):
    url = "http://www.mee.gov.cn/ywdt/hjywnews/202204/t20220417_974894.shtml"
    doc = extract_document((real_pages / "trs_mee_detail_t20220417_974894_excerpt.html").read_text("utf-8"), url)
    assert doc.meta["SiteName"] == "中华人民共和国生态环境部"
    assert doc.meta["SiteIDCode"] == "bm17000009"
    assert doc.meta["ColumnName"] == "环境要闻"
    assert doc.meta["PubDate"] == "2022-04-17 14:46:00"
    assert doc.meta["contentid"] == "974894"
    assert doc.title == "生态环境部一周要闻（4.10-4.16）"
    urls = [i["url"] for i in doc.interpretations]
    assert "http://www.mee.gov.cn/zcwj/zcjd/202204/t20220411_974307.shtml" in urls
    assert "http://www.mee.gov.cn/zcwj/zcjd/202204/t20220413_974578.shtml" in urls
    # the commented-out recommendation <li> is dead
    assert all("12369" not in t for _u, t in doc.links)
    assert doc.fields == {} and not doc.has_meta_block


def test_hunb_inline_jiedu_and_attachments(real_pages):
    import json
    records = json.loads((real_pages / "trs_nea_hunb_detail_bodies_crawled_2025.json").read_text("utf-8"))
    by_url = {r["url"]: r for r in records}
    rec = by_url["https://hunb.nea.gov.cn/xxgk/zcfg/202309/t20230913_65758.html"]
    doc = extract_document(rec["body_html"], rec["url"])
    assert doc.interpretations == [{
        "title": "湖南电力中长期交易规则2020版解读",
        "url": "http://hunb.nea.gov.cn/adminContent/initViewContent.do?pk=8abf807b79a8f9610179efb926da6610"}]
    rec = by_url["https://hunb.nea.gov.cn/xxgk/zcfg/202412/t20241224_274387.html"]
    doc = extract_document(rec["body_html"], rec["url"])
    assert [a["url"] for a in doc.attachments] == ["https://hunb.nea.gov.cn/xxgk/zcfg/202412/P020241224579916280454.pdf"]
    assert doc.interpretations == []


@pytest.mark.parametrize("raw", ["索 引 号：", "索\u3000引\u3000号:", "索\xa0\xa0引\xa0\xa0号", " 索引号 ："])
def test_label_padding(raw):
    assert normalise_label(raw) == "索引号"


def _doc(body: str):
    return extract_document(f"<html><body>{body}</body></html>", "http://www.example.gov.cn/a/t20240102_1.html")


def test_label_variants_in_tables():
    doc = _doc("<table><tr><td>索&nbsp;&nbsp;引&nbsp;&nbsp;号</td><td>ABC/2024-001</td>"
               "<td>标　　题:</td><td>关于某事的通知</td></tr>"
               "<tr><th>发布机构</th><th>某某局</th><td>印发日期：</td><td>2024年1月2日</td></tr></table>")
    assert doc.fields == {"index_no": "ABC/2024-001", "title": "关于某事的通知", "publisher": "某某局",
                          "written": "2024-01-02"}
    assert doc.has_meta_block and doc.title == "关于某事的通知"


def test_synonyms_dt_dd_and_span_values():
    doc = _doc("<dl><dt>发文单位：</dt><dd>市教育局</dd><dt>文号</dt><dd>某教发〔2024〕3号</dd></dl>"
               "<ul><li><span>时效状态：</span>有效</li><li><span>生成日期：</span>2024/03/05</li></ul>")
    assert doc.fields["publisher"] == "市教育局"
    assert doc.fields["doc_no"] == "某教发〔2024〕3号"
    assert doc.fields["validity"] == "有效"
    assert doc.fields["written"] == "2024-03-05"


def test_label_and_value_in_one_element():
    doc = _doc("<div class='info'><p>公开日期：2024-05-06 主题分类：综合政务</p><p>有效性:有效</p></div>")
    assert doc.fields == {"published": "2024-05-06", "topic": "综合政务", "validity": "有效"}
    assert doc.has_meta_block


def test_empty_field_versus_absent_field():
    doc = _doc("<table><tr><td>索引号：</td><td>X/2024-1</td><td>有效性：</td><td></td></tr></table>")
    assert doc.fields["validity"] == ""
    assert "doc_no" not in doc.fields


def test_single_label_is_not_a_meta_block():
    doc = _doc("<p>发布日期：2020-01-31</p><p>正文内容很长很长。</p>")
    assert doc.fields == {"published": "2020-01-31"}
    assert not doc.has_meta_block


def test_jiedu_heading_block_and_policies_on_jiedu_page():
    doc = _doc("<div class='xgjd'><h3>相关解读</h3><ul><li><a href='/jd/t20240103_2.html'>关于某事的通知解读</a></li></ul></div>"
               "<div class='nav'><a href='/zcjd/'>政策解读</a></div>")
    assert doc.interpretations == [{"title": "关于某事的通知解读", "url": "http://www.example.gov.cn/jd/t20240103_2.html"}]
    jd = extract_document("<html><head><title>《某某办法》政策解读</title></head><body>"
                          "<p>原文链接：<a href='/zc/t20240101_1.html'>某某办法</a></p>"
                          "<p>另见<a href='/zc/t20231201_9.html'>《某某实施细则》</a></p></body></html>",
                          "http://www.example.gov.cn/zcjd/t20240103_2.html")
    assert [p["url"] for p in jd.policies] == ["http://www.example.gov.cn/zc/t20240101_1.html",
                                              "http://www.example.gov.cn/zc/t20231201_9.html"]


def test_attachments_links_and_base_href():
    doc = extract_document("<html><head><base href='/site/'></head><body>"
                           "<a href='files/a.PDF'>附件1</a><a href='b.docx'>附件2</a><a href='c.html'>页面</a>"
                           "<a href='javascript:void(0)'>x</a><a href='mailto:a@b'>m</a></body></html>",
                           "http://www.example.gov.cn/col/index.html")
    assert [a["url"] for a in doc.attachments] == ["http://www.example.gov.cn/site/files/a.PDF",
                                                   "http://www.example.gov.cn/site/b.docx"]
    assert [u for u, _t in doc.links] == ["http://www.example.gov.cn/site/files/a.PDF",
                                         "http://www.example.gov.cn/site/b.docx",
                                         "http://www.example.gov.cn/site/c.html"]


def test_related_from_iframe_page():
    html = ("<html><body><div><h2>相关报道</h2><a href='/news/1.htm'>新闻一则报道内容</a></div>"
            "<div><h2>相关解读</h2><ul><li><a href='/jd/2.htm'>权威解读：无废城市怎么建</a></li></ul></div></body></html>")
    assert extract_related_from_iframe(html, "http://www.gov.cn/zhengce/x.htm") == [
        {"title": "权威解读：无废城市怎么建", "url": "http://www.gov.cn/jd/2.htm"}]


def test_byline_date_does_not_fill_a_row_the_block_lacks():
    # The block has no 发布日期 row; the article's byline shows 发布时间. doc.missing_fields
    # judges the block, so `published` must stay absent.
    doc = _doc("<table><tr><td>索引号：</td><td>X/2026-1</td><td>成文日期：</td><td>2026年10月08日</td></tr>"
               "<tr><td>发文机关：</td><td>某区政府</td></tr></table>"
               "<h1>关于某事的公告</h1><div class='info'>发布时间：2026-10-09 来源：某区政府</div>")
    assert doc.has_meta_block
    assert "published" not in doc.fields
    assert doc.fields["written"] == "2026-10-08"


def test_byline_counts_when_there_is_no_block():
    doc = _doc("<h1>关于某事的公告</h1><div class='info'>发布时间：2026-10-09 来源：某区政府</div>")
    assert not doc.has_meta_block
    assert doc.fields == {"published": "2026-10-09"}
