"""crawler/extract/text.py: the one page text every rule reads keeps blocks, <br> lines and table
cells apart, and leaves out what a reader never sees."""
import lxml.html
import pytest

from audits.rules.privacy import find_mobiles
from crawler.extract.annual_report import parse_tables
from crawler.extract.fields import extract_document
from crawler.extract.navigation import page_text, page_text_length, visible_text as homepage_text
from crawler.extract.text import text_lines, visible_text

# The row of the issue: 社区, 户数, 联系电话, 人数, 姓名 — joined, it reads 郭庄社区2138612140172马德胜.
CELLS = ("郭庄社区", "2", "13861214017", "2", "马德胜")
ROW = "<tr>" + "".join(f"<td>{c}</td>" for c in CELLS) + "</tr>"
LINE = "\t".join(CELLS)


def page(body: str) -> str:
    return f"<html><head><title>标题13800000000</title></head><body>{body}</body></html>"


@pytest.mark.parametrize("table", [
    f"<table>{ROW}</table>",
    f"<table><tbody>{ROW}</tbody></table>",
    # Word-made tables wrap every cell in <p><span>; the row still reads as one line.
    "<table><tr>" + "".join(f"<td><p class='MsoNormal'><span>{c}</span></p></td>" for c in CELLS) + "</tr></table>",
    "<table><tr><th>郭庄社区</th><td>2</td><td> 13861214017 </td><td>2</td><td>马德胜</td></tr></table>",
    "<table><tr><td>郭庄社区</td><td>2</td><td><div>13861214017</div></td><td>2</td><td>马德胜</td></tr></table>",
    "<TABLE border=1><TR><TD><FONT face=宋体>郭庄社区</FONT><TD>2<TD><B>13861214017</B><TD>2<TD>马德胜</TABLE>",
])
def test_cells_are_apart_and_a_row_is_a_line(table):
    text = visible_text(page("<p>名单如下：</p>" + table + "<p>公示期五天。</p>"))
    assert text.split("\n") == ["名单如下：", LINE, "公示期五天。"]
    assert find_mobiles(text) == ["13861214017"]


def test_the_old_joined_text_is_what_the_rule_cannot_read():
    # The failure this module exists for: text_content() glues the cells into one number.
    joined = lxml.html.fromstring(f"<table>{ROW}</table>").text_content()
    assert "2138612140172" in joined and find_mobiles(joined) == []


def test_rows_are_lines_and_empty_cells_keep_their_tab():
    html = page("<table><tr><th>姓名</th><th>电话</th><th>备注</th></tr>"
                "<tr><td>张三</td><td>&nbsp;</td><td>无</td></tr>"
                "<tr><td>李四</td><td>13912345678</td><td></td></tr></table>")
    assert visible_text(html) == "姓名\t电话\t备注\n张三\t\t无\n李四\t13912345678"


def test_nested_tables_keep_inner_cells_apart():
    html = page("<table><tr><td>外层</td><td><table><tr><td>1</td><td>13812345678</td></tr>"
                "<tr><td>2</td><td>13912345678</td></tr></table></td></tr></table>")
    lines = text_lines(html)
    assert "1\t13812345678" in lines and "2\t13912345678" in lines
    assert find_mobiles(visible_text(html)) == ["13812345678", "13912345678"]


def test_br_lines_and_blocks_are_lines():
    html = page("<div>联系人：张三<br>电话：13812345678<br/>地址：某某路1号</div>"
                "<ul><li>第一项</li><li>第二项</li></ul><h2>二、标题</h2><p>正文<span>一段</span>。</p>")
    assert text_lines(html) == ["联系人：张三", "电话：13812345678", "地址：某某路1号",
                                "第一项", "第二项", "二、标题", "正文一段。"]


def test_inline_tags_join_chinese_but_keep_digits_apart():
    html = page("<p>发布<b>日期</b>：<span>2023-10-23</span></p><p>标　　题：通知</p>"
                "<p><span>138</span><span>1234</span><span>5678</span></p><p>共<em>12</em>人</p>")
    lines = text_lines(html)
    assert lines[:2] == ["发布日期： 2023-10-23", "标题：通知"]
    assert lines[2] == "138 1234 5678"          # as shown: one number, written in groups
    assert find_mobiles(lines[2]) == ["13812345678"]


@pytest.mark.parametrize("hidden", [
    '<div style="display:none">{}</div>', '<div style="DISPLAY: none;">{}</div>',
    '<span style="visibility : hidden">{}</span>', "<p hidden>{}</p>", '<p aria-hidden="true">{}</p>',
    '<div class="ng-hide">{}</div>', '<div class="box hide">{}</div>', '<div class="hidden x">{}</div>',
    '<div class="d-none">{}</div>', '<div style="display:none"><table><tr><td>{}</td></tr></table></div>',
])
def test_hidden_elements_are_dropped(hidden):
    html = page("<p>可见文字</p>" + hidden.format("隐藏13812345678") + "<p>尾部</p>")
    assert visible_text(html) == "可见文字\n尾部"


@pytest.mark.parametrize("shown", ['<div class="hideout">{}</div>', '<div class="unhidden">{}</div>',
                                   '<p aria-hidden="false">{}</p>', '<p style="display:block">{}</p>'])
def test_look_alike_classes_are_not_hidden(shown):
    assert "显示" in visible_text(page(shown.format("显示")))


def test_a_body_hidden_until_scripts_run_is_still_read():
    html = '<html><body style="display:none" class="hide"><p>正文</p><p hidden>藏</p></body></html>'
    assert visible_text(html) == "正文"


def test_scripts_styles_comments_and_head_are_not_text():
    html = page("<style>.a{color:red}</style><script>var tel='13812345678';</script>"
                "<noscript>请开启脚本</noscript><template><p>模板</p></template>"
                "<!-- 13912345678 --><p>正文<!-- 注释 -->内容</p><select><option>选项</option></select>")
    assert visible_text(html) == "正文内容"


@pytest.mark.parametrize("source", ["", "   ", None, b"", "<html>", "纯文字 13812345678",
                                    "<?xml version='1.0' encoding='utf-8'?><p>x</p>", b"\xff\xfe<p>\x00</p>"])
def test_junk_never_raises(source):
    assert isinstance(visible_text(source), str) and "" not in text_lines(source)


def test_tree_input_reads_the_part_and_leaves_the_tree_alone():
    root = lxml.html.document_fromstring(page(
        "<div id='main'><p>正文</p><p style='display:none'>藏</p><table><tr><td>1</td><td>2</td></tr>"
        "</table></div>尾巴"))
    before = lxml.html.tostring(root)
    main = root.get_element_by_id("main")
    assert visible_text(main) == "正文\n1\t2"       # the element's tail is not its text
    assert "尾巴" in visible_text(root) and visible_text(b"<p>\xe6\xad\xa3</p>") == "正"
    assert lxml.html.tostring(root) == before


def test_drop_leaves_elements_out_but_keeps_their_tails():
    html = page("<p>请致电<a href='/x'>链接文字</a>13812345678咨询</p>")
    assert visible_text(html, drop=lambda el: el.tag == "a") == "请致电13812345678咨询"


# --- the producers: column page text, homepage text, document body --------------------------------

GONGSHI = page(
    "<div class='header'><a href='/'>首页</a>热线 12345</div>"
    "<div class='main'><h1>2023年公益性岗位人员名单公示</h1>"
    "<table><tr><td>序号</td><td>社区</td><td>联系电话</td><td>姓名</td></tr>" + ROW +
    "<tr><td>3</td><td>北关社区</td><td>139 1234 5678</td><td>王某</td></tr></table>"
    "<p class='hide'>内部备注 15912345678</p></div>"
    "<div class='footer'>版权所有 网站标识码：3703000001<br>鲁ICP备12345678号</div>")


def test_column_page_text_keeps_cells_and_drops_chrome_links_and_hidden():
    text = page_text(GONGSHI)
    assert LINE in text.split("\n")
    assert "首页" not in text and "版权所有" not in text and "15912345678" not in text
    assert find_mobiles(text) == ["13861214017", "13912345678"]
    assert page_text_length(GONGSHI) == len("".join(text.split()))


def test_homepage_text_keeps_the_footer_lines():
    lines = homepage_text(GONGSHI).split("\n")
    assert "版权所有网站标识码：3703000001" in lines and "鲁ICP备12345678号" in lines
    assert homepage_text(GONGSHI, limit=10) == homepage_text(GONGSHI)[-10:]


def test_document_body_text_keeps_cells():
    doc = extract_document(GONGSHI, "http://www.example.gov.cn/tzgg/202310/t20231023_1.html")
    assert LINE in doc.text.split("\n")
    assert "15912345678" not in doc.text and len(doc.text_digest) == 40
    assert find_mobiles(doc.text) == ["13861214017", "13912345678"]


# --- real pages ----------------------------------------------------------------------------------

def test_shanghai_annual_report_tables_keep_cells_apart(real_pages):
    html = (real_pages / "annual_report_shanghai_bgt_2019_tables.html").read_text("utf-8")
    lines = text_lines(html)
    assert "规章\t13\t13\t524" in lines
    assert "一、本年新收政府信息公开申请数量\t821\t35\t\t\t2\t1\t859" in lines
    assert "四、结转下年度继续办理\t72\t\t\t\t\t\t72" in lines
    assert "政府集中采购\t6\t251000元" in lines
    # Every number of table 三 stands alone in the text, as in parse_tables' grid.
    grid = next(g for g in parse_tables(html) if any("本年新收" in c for c in g[3]))
    total_row = next(r for r in grid if r[1] == "（七）总计")
    line = next(ln for ln in lines if ln.startswith("（七）总计"))
    assert line.split("\t")[1:] == total_row[3:]
    assert "82135" not in "".join(lines) and not find_mobiles("\n".join(lines))


def test_govcn_metadata_table_reads_label_then_value(real_pages):
    html = (real_pages / "govcn_policy_detail_2019_content_5365945.html").read_text("utf-8")
    lines = text_lines(html)
    assert "索引号：\t000014349/2019-00007\t主题分类：\t市场监管、安全生产监管\\工商" in lines
    assert "发文字号：\t国发〔2019〕5号\t发布日期：\t2019年02月15日" in lines
    # The body (a long layout cell) keeps its paragraphs on lines of their own.
    assert "一、总体要求" in lines and "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：" in lines


def test_gansu_commented_list_items_are_not_text(real_pages):
    html = (real_pages / "gansu_jyt_list_c110634_createPageHTML6_commented_block_ruishu.html").read_text("utf-8")
    text = visible_text(html)
    assert "createPageHTML" not in text and "<li>" not in text
