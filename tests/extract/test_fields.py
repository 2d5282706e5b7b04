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
    # No metadata block: the line under the title (an unlabelled date, 来源：) gives the values,
    # ArticleTitle the title; none of them makes a block.
    assert doc.fields == {"published": "2022-04-17", "publisher": "生态环境部", "title": "生态环境部一周要闻（4.10-4.16）"}
    assert doc.field_sources == {"published": "line", "publisher": "line", "title": "meta"}
    assert not doc.has_meta_block


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


def test_byline_fills_a_row_the_block_lacks():
    # The block has no 发布日期 row; the line under the title shows 发布时间. The page shows its
    # 发布日期, so it is not missing (doc.missing_fields must not accuse it); the block's own rows
    # still win where it has them.
    doc = _doc("<table><tr><td>索引号：</td><td>X/2026-1</td><td>成文日期：</td><td>2026年10月08日</td></tr>"
               "<tr><td>发文机关：</td><td>某区政府</td></tr></table>"
               "<h1>关于某事的公告</h1><div class='info'>发布时间：2026-10-09 来源：某区政府办公室</div>")
    assert doc.has_meta_block
    assert doc.fields["published"] == "2026-10-09" and doc.field_sources["published"] == "line"
    assert doc.fields["written"] == "2026-10-08" and doc.field_sources["written"] == "block"
    assert doc.fields["publisher"] == "某区政府"          # the block's 发文机关, not the byline's 来源


def test_byline_counts_when_there_is_no_block():
    doc = _doc("<h1>关于某事的公告</h1><div class='info'>发布时间：2026-10-09 来源：某区政府</div>")
    assert not doc.has_meta_block
    assert doc.fields == {"published": "2026-10-09", "publisher": "某区政府"}


# --- metadata as pages show it: the line under the title, meta tags, hidden blocks -------------

TITLE = "关于做好2023年秋季森林防火工作的通知"


def _page(body: str, head: str = "", url: str = "http://www.example.gov.cn/tzgg/202310/t20231023_1.html"):
    return extract_document(f"<html><head><title>{TITLE}_某某市人民政府</title>{head}</head>"
                            f"<body>{body}</body></html>", url)


BYLINES = [
    # (markup under the title, published, publisher)
    ("<div class='info'>发布时间：2023-10-23 08:59</div>", "2023-10-23", None),
    ("<p>发布日期: <span>2012-06-24</span></p>", "2012-06-24", None),
    ("<div>时间：2023年10月23日</div>", "2023-10-23", None),
    ("<div>日期：2023/10/23</div>", "2023-10-23", None),
    ("<div class='pages-date'>来源：某某市应急管理局 发布时间：2023-10-23 08:59  浏览次数：<span id='hits'>312</span></div>",
     "2023-10-23", "某某市应急管理局"),
    ("<div>来源：某某市应急管理局发布时间：2023-10-23【字体：大 中 小】【打印】</div>", "2023-10-23", "某某市应急管理局"),
    ("<div>发&nbsp;布&nbsp;时&nbsp;间 ： 2023-10-23</div>", "2023-10-23", None),
    ("<div><span class='lab'>发布日期</span>：<span class='val'>2023年10月23日</span></div>", "2023-10-23", None),
    ("<table><tr><td>发布时间：2023-10-23</td><td>信息来源：某某市应急管理局</td></tr></table>",
     "2023-10-23", "某某市应急管理局"),
    ("<div class='date'><span>2023-10-23 08:59</span><span>来源：某某市应急管理局</span></div>",
     "2023-10-23", "某某市应急管理局"),
    ("<p class='ydLyZzBox'><span>2023-10-23</span></p>", "2023-10-23", None),
    ("<div>发布时间：2023-10-23-08:59:00 | 作者：张三</div>", "2023-10-23", None),
]


@pytest.mark.parametrize("title_tag", ["h1", "div class='article-title'", "h2"])
@pytest.mark.parametrize("byline,published,publisher", BYLINES)
def test_visible_line_under_the_title(byline, published, publisher, title_tag):
    close = title_tag.split()[0]
    doc = _page(f"<div class='nav'><a href='/'>首页</a></div><{title_tag}>{TITLE}</{close}>{byline}"
                "<div class='TRS_Editor'><p>各区县人民政府，市政府各部门：</p><p>当前已进入秋季森林防火期，"
                "为切实做好森林防火工作，现将有关事项通知如下。</p></div>")
    assert doc.fields["published"] == published
    assert doc.field_sources["published"] == "line"
    assert doc.fields.get("publisher") == publisher
    assert not doc.has_meta_block                   # a byline is no metadata block


@pytest.mark.parametrize("body", [
    # a meeting's 时间 inside the body container
    "<h1>{t}</h1><div id='zoom'><p>各有关单位：</p><p>时间：2024年3月5日</p></div>",
    # … or after the first line of body text when no container is known
    "<h1>{t}</h1><div><p>各有关单位：</p><p>为做好森林防火工作，经研究决定召开专题会议，现将有关事项通知如下：</p>"
    "<p>时间：2024年3月5日</p></div>",
    # labels that are not the publication date
    "<h1>{t}</h1><div>更新时间：2024-03-05</div>",
    "<h1>{t}</h1><div>办公时间：2024-03-05</div>",
    # a date line far from any title, and a dated list entry
    "<div class='top'>今天是2024年3月5日</div><p>正文内容</p>",
    "<h1>{t}</h1><ul><li><a href='/a.html'>关于另一件事的通知</a> 2024-03-05</li></ul>",
])
def test_no_publication_date_where_the_page_shows_none(body):
    doc = _page(body.format(t=TITLE))
    assert "published" not in doc.fields


def test_hidden_block_loses_to_the_visible_line():
    hidden_ways = ["class='xxgk ng-hide'", "style='display: none;'", "hidden", "aria-hidden='true'",
                   "class='hide'", "class='none'", "style='visibility:hidden'"]
    for way in hidden_ways:
        doc = _page(f"<div {way}><table><tr><td>索引号：</td><td>X/2020-1</td><td>发布日期：</td>"
                    "<td>2020-01-01</td></tr><tr><td>成文日期：</td><td>2019-12-30</td></tr></table></div>"
                    f"<h1>{TITLE}</h1><p>发布日期: <span>2023-10-23</span></p>")
        assert doc.fields == {"published": "2023-10-23"}, way
        assert not doc.has_meta_block, way       # nothing visible forms a block


def test_hidden_ancestor_and_hidden_line_never_count():
    doc = _page(f"<div class='hidden'><div><p>发布日期：2020-01-01</p></div></div><h1>{TITLE}</h1>"
                "<div style='display:none'>发布时间：2020-02-02</div>")
    assert "published" not in doc.fields


def test_visible_block_wins_over_the_line_and_the_metas():
    doc = _page("<table><tr><td>索引号：</td><td>X/2023-1</td><td>发布日期：</td><td>2023年10月20日</td></tr>"
                "<tr><td>发文机关：</td><td>某某市人民政府办公室</td></tr></table>"
                f"<h1>{TITLE}</h1><div>发布时间：2023-10-23 来源：某某市应急管理局</div>",
                head="<meta name='PubDate' content='2023-10-25 09:00'><meta name='ContentSource' content='某局'>")
    assert doc.fields["published"] == "2023-10-20" and doc.field_sources["published"] == "block"
    assert doc.fields["publisher"] == "某某市人民政府办公室"


def test_empty_block_row_takes_the_value_the_page_shows():
    doc = _page("<table><tr><td>索引号：</td><td>X/2023-1</td><td>发布日期：</td><td></td></tr></table>"
                f"<h1>{TITLE}</h1><div>发布时间：2023-10-23</div>")
    assert doc.has_meta_block and doc.fields["published"] == "2023-10-23"
    doc = _page("<table><tr><td>索引号：</td><td>X/2023-1</td><td>发布日期：</td><td></td></tr></table>")
    assert doc.fields["published"] == ""            # shown nowhere: empty, as the block says


@pytest.mark.parametrize("head,published", [
    ("<meta name='PubDate' content='2023-10-23 08:59'>", "2023-10-23"),
    ("<meta name='pubdate' content='2023-10-23'>", "2023-10-23"),
    ("<meta name='firstpublishedtime' content='2019-02-15-10:30:00'>", "2019-02-15"),
    ("<meta name='publishdate' content='2019年02月15日'>", "2019-02-15"),
    ("<meta name='PubDate' content='not a date'>", None),
    ("<meta name='PubDate' content=''><meta name='firstpublishedtime' content='2019-02-15-10:30:00'>", "2019-02-15"),
])
def test_meta_tags_only(head, published):
    doc = _page("<div class='TRS_Editor'><p>正文内容。</p></div>", head=head +
                f"<meta name='ArticleTitle' content='{TITLE}'><meta name='ContentSource' content='某某市应急管理局'>")
    assert doc.fields.get("published") == published
    assert doc.fields["title"] == TITLE and doc.fields["publisher"] == "某某市应急管理局"
    assert doc.field_sources["publisher"] == "meta"
    assert not doc.has_meta_block


def test_visible_line_wins_over_meta_tags():
    doc = _page(f"<h1>{TITLE}</h1><div>发布时间：2023-10-23</div>",
                head="<meta name='PubDate' content='2023-10-25 09:00'>")
    assert doc.fields["published"] == "2023-10-23"


def test_hunb_bodies_publication_dates_from_the_line(real_pages):
    import json
    for rec in json.loads((real_pages / "trs_nea_hunb_detail_bodies_crawled_2025.json").read_text("utf-8")):
        doc = extract_document(rec["body_html"], rec["url"])
        assert doc.fields["published"] == rec["publish_time"][:10], rec["url"]
        assert not doc.has_meta_block


# --- attachments ---------------------------------------------------------------------------------

@pytest.mark.parametrize("href,text,is_file", [
    ("/module/download/downfile.jsp?classid=0&filename=1903151016.pdf", "下载", True),
    ("/module/download/downfile.jsp?classid=0&fileName=%E6%96%B9%E6%A1%88.docx", "附件1", True),
    ("/download.do?id=12&name=%25E6%2596%25B9%25E6%25A1%2588.xls", "附件", True),   # double-encoded
    ("/attach/123", "附件：实施方案.docx", True),
    ("/attach/124", "实施方案.DOCX（25KB）", True),
    ("/upload/2023/10/P020231023.pdf", "点击下载", True),
    ("files/a.OFD", "", True),
    ("/art/2023/10/23/art_1_2.html", "关于某事的通知.pdf", False),          # a page, whatever its text
    ("/pdfjs/web/viewer.html?file=/upload/x.pdf", "在线预览", False),
    ("/search.jsp?q=pdf", "搜索", False),
    ("/list.jsp?name=abc", "列表", False),
    ("/images/a.jpg", "图片", False),
    ("/attach/125", "实施方案", False),
])
def test_attachment_detection(href, text, is_file):
    doc = extract_document(f"<html><body><a href='{href}'>{text}</a></body></html>",
                           "http://www.example.gov.cn/col/t1.html")
    assert bool(doc.attachments) is is_file
    if is_file:
        assert doc.attachments[0]["url"].startswith("http://www.example.gov.cn/")


def test_attachment_extension():
    from crawler.extract.attachments import extension, is_attachment
    assert extension("http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=x.pdf") == "pdf"
    assert extension("http://x.gov.cn/attach/123", "实施方案.docx") == "docx"
    assert extension("http://x.gov.cn/attach/123") == ""
    assert extension("http://x.gov.cn/a/b.html", "x.pdf") == "html"
    assert extension("http://x.gov.cn/dl.jsp?id=3") == "jsp"
    assert is_attachment("http://x.gov.cn/a.WPS") and not is_attachment("http://x.gov.cn/a.shtml")


def test_a_byline_with_two_labels_is_no_block():
    # Two labels on the line under the title are a byline: doc.missing_fields must not judge the
    # page for 索引号 / 成文日期 it never meant to show. Table rows and list items are blocks.
    doc = _page(f"<h1>{TITLE}</h1><div class='info'><span>发布时间：2023-10-23</span> "
                "<span>发布机构：某某市应急管理局</span></div>")
    assert not doc.has_meta_block
    assert doc.fields == {"published": "2023-10-23", "publisher": "某某市应急管理局"}
    # An article header (标题, 发布时间, 来源 on lines of their own) is no block either.
    for header in ("<div class='hd'><div>标题：<span>某事</span></div><div>发布时间：<span>2023-10-23</span></div></div>",
                   "<table><tr><td>发布时间：</td><td>2023-10-23</td><td>发布机构：</td><td>某局</td></tr></table>"):
        assert not _page(f"<h1>{TITLE}</h1>{header}").has_meta_block, header
    # Three fields, or a field only metadata blocks show, in rows or cells of their own: a block.
    for block in ("<table><tr><td>索引号：</td><td>X/2023-1</td><td>发布机构：</td><td>某局</td></tr></table>",
                  "<ul><li><span>发布时间：</span>2023-10-23</li><li><span>发布机构：</span>某局</li>"
                  "<li><span>标题：</span>某事</li></ul>",
                  "<div><p>成文日期：2023-10-20</p><p>发布时间：2023-10-23</p></div>"):
        assert _page(f"<h1>{TITLE}</h1>{block}").has_meta_block, block


def test_title_that_names_the_column_does_not_anchor_the_line():
    # <title> is the column's name, which the menu also shows; the line under the <h1> counts.
    doc = extract_document(
        "<html><head><title>通知公告_某某市人民政府</title></head><body><ul class='nav'>"
        "<li><a href='/a/'>政务动态</a></li><li><a href='/tzgg/'>通知公告</a></li><li>时间：2020-01-01</li></ul>"
        f"<h1>{TITLE}</h1><div>发布时间：2023-10-23</div><div id='zoom'><p>各单位：现将有关事项通知如下。</p></div>"
        "</body></html>", "http://www.example.gov.cn/tzgg/t20231023_1.html")
    assert doc.fields == {"published": "2023-10-23"}
