from crawler.extract.navigation import find_column_links, find_section_link, page_text_length

HOME = """<html><body>
<div class="news"><ul>
 <li><a href="/zwgk/2025/t20250120_1.html">2024年政府信息公开工作年度报告</a></li>
 <li><a href="/xxgk/znb/">政府信息公开年报</a></li>
 <li><a href="/xxgk/zn/">政府信息公开指南</a></li>
</ul></div>
<div class="nav"><a href="/">首页</a><a href="/zwdt/">政务动态</a><a href="/xxgk/">政府信息公开</a>
<a href="/zwgk/">政务公开</a></div></body></html>"""


def test_section_link_prefers_exact_name_over_report_title():
    assert find_section_link(HOME, "http://www.example.gov.cn/") == "http://www.example.gov.cn/xxgk/"


def test_section_link_by_image_alt_and_title():
    html = ('<div><a href="/a/"><img src="x.png" alt="政务公开"></a>'
            '<a href="/b/" title="信息公开"><img src="y.png"></a></div>')
    assert find_section_link(html, "http://www.example.gov.cn/index.html") == "http://www.example.gov.cn/b/"


def test_no_section_link():
    assert find_section_link("<a href='/x/'>新闻中心</a><a href='javascript:;'>政府信息公开</a>",
                             "http://www.example.gov.cn/") is None


def test_column_links_on_real_gansu_section_nav(real_pages):
    html = (real_pages / "gansu_jyt_list_c110634_createPageHTML6_commented_block_ruishu.html").read_text("utf-8")
    cols = find_column_links(html, "http://jyt.gansu.gov.cn/jyt/c110634/zwgklist.shtml")
    names = [n for n, _u in cols]
    assert ("政策解读", "http://jyt.gansu.gov.cn/jyt/c107274/zwgklist.shtml") in cols
    assert ("政府信息公开指南", "http://jyt.gansu.gov.cn/jyt/c107268/zwgk.shtml") in cols
    assert names.index("政策法规") < names.index("政府文件") < names.index("决策草案意见征集")
    for junk in ("登录", "注册", "退出", "陇ICP备17003689号-1"):
        assert junk not in names
    assert len({u for _n, u in cols}) == len(cols)


def test_column_links_filters_documents_attachments_and_paging():
    html = """<div class="left"><ul>
      <li><a href="/xxgk/zcwj/">政策文件</a></li><li><a href="/xxgk/zcjd/">政策解读</a></li>
      <li><a href="/xxgk/zcwj/">政策文件</a></li>
      <li><a href="/xxgk/zcwj/202401/t20240102_1.html">关于印发某某办法的通知</a></li>
      <li><a href="/files/a.pdf">附件</a></li><li><a href="index_1.html">2</a></li>
      <li><a href="/xxgk/list?page=2">下一页</a></li><li><a href="http://other.gov.cn/x/">外站</a></li>
      <li><a href="/">首页</a></li><li><a href="/map.html">网站地图</a></li>
      <li><a href="javascript:void(0)">打印</a></li></ul></div>"""
    assert find_column_links(html, "http://www.example.gov.cn/xxgk/index.html") == [
        ("政策文件", "http://www.example.gov.cn/xxgk/zcwj/"), ("政策解读", "http://www.example.gov.cn/xxgk/zcjd/")]


def test_page_text_length_content_versus_empty(real_pages):
    content = "<html><body><div class='nav'><a href='/'>首页</a></div><div class='main'><p>" + "本机关主要职责是负责。" * 40 + "</p></div><div class='footer'>版权所有 某某市人民政府办公室 地址电话</div></body></html>"
    empty = "<html><body><div class='nav'><a href='/'>首页</a><a href='/a'>机构职能</a></div><div class='main'></div><div class='footer'>版权所有 某某市人民政府办公室</div></body></html>"
    assert page_text_length(content) == 440
    assert page_text_length(empty) == 0
    gansu = (real_pages / "gansu_jyt_list_c110634_createPageHTML6_commented_block_ruishu.html").read_text("utf-8")
    assert page_text_length(gansu) < 50
