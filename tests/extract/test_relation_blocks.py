"""A document's relation block (相关解读 / 相关文件 / 原文链接) that a script fills after load: the
static HTML shows the heading and an empty container, so its silence is no evidence of "no link"."""
from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extract.fields import (extract_document, extract_policies_from_iframe,
                                    extract_related_from_iframe)

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real_pages"
URL = "http://www.example.gov.cn/zcwj/202610/t20261001_1.html"
ARTICLE = """<div class="TRS_Editor"><p>各镇人民政府、街道办事处，区政府各部门：</p>
<p>为进一步加强某某管理工作，现将有关事项通知如下。一、总体要求……二、主要任务……</p></div>"""

# Each: the relation block as the page's static HTML shows it before a script fills it.
EMPTY_BLOCKS = [
    # h3 heading and an empty list in a wrapper (TRS, Jiangxi UCAP detail pages)
    '<div class="xgjd"><h3>相关解读</h3><ul id="jdList"></ul></div>',
    # a title div alone in its box; the script appends the list to the box
    '<div class="related-box" id="relationBox"><div class="tit"><span>相关解读</span></div></div>',
    # a table row with an empty cell
    '<table class="xgwj"><tr><td class="bt">相关文件：</td><td id="xgwj"></td></tr></table>',
    # a 解读 page's 原文链接 label with the link written later
    '<p class="ywlj"><strong>原文链接：</strong><span id="ywlj"></span></p>',
    '<div class="glwj"><div class="glwj-hd">关联文件</div><div class="glwj-bd"></div></div>',
]
SCRIPTS = [
    '<script src="/js/jquery.min.js"></script><script src="/js/relation.js"></script>',
    """<script>$.getJSON('/jxssthjt/col42150/relation/1234-RelationArticle.json', function (d) {
        $('#jdList').html(render(d)); });</script>""",
]


def page(block: str, scripts: str = "", title: str = "某某区关于加强某某管理的通知") -> str:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>{scripts}
</head><body><div class="header"><a href="/">首页</a> <a href="/zwgk/">政务公开</a></div>
<div class="content"><h1>{title}</h1>{ARTICLE}{block}</div>
<div class="footer"><a href="/wzdt/">网站地图</a> 主办单位：某某区人民政府办公室</div></body></html>"""


@pytest.mark.parametrize("block", EMPTY_BLOCKS)
@pytest.mark.parametrize("scripts", SCRIPTS)
def test_empty_block_on_a_scripted_page_is_unseen(block, scripts):
    doc = extract_document(page(block, scripts), URL)
    assert doc.relations_unseen and doc.interpretations == []


@pytest.mark.parametrize("block", EMPTY_BLOCKS)
def test_empty_block_without_a_live_script_is_seen(block):
    # Nothing can fill it: what the page shows is all there is.
    assert not extract_document(page(block), URL).relations_unseen
    # A script inside a comment, or a JSON data block, runs nothing.
    dead = '<!-- <script src="/js/relation.js"></script> --><script type="application/ld+json">{"a": 1}</script>'
    assert not extract_document(page(block, dead), URL).relations_unseen


@pytest.mark.parametrize("block", [
    '<div class="xgjd"><h3>相关解读</h3><ul><li><a href="/zcjd/202610/t20261002_9.html">'
    '《某某区关于加强某某管理的通知》政策解读</a></li></ul></div>',
    '<table class="xgwj"><tr><td class="bt">相关文件：</td><td>'
    '<a href="/zcwj/202609/t20260901_3.html">某某区某某管理办法</a></td></tr></table>',
    # the block says so itself: a visible statement, not a container waiting for a script
    '<div class="xgjd"><h3>相关解读</h3><p>暂无相关解读</p></div>',
    # tabs whose panels follow the tab strip
    '<ul class="tabs"><li>相关解读</li><li>相关文件</li></ul><div class="panel">'
    '<a href="/zcjd/202610/t20261002_9.html">《某某区关于加强某某管理的通知》解读</a></div>',
])
def test_filled_block_on_a_scripted_page_is_seen(block):
    assert not extract_document(page(block, SCRIPTS[0]), URL).relations_unseen


def test_a_bare_column_name_outside_the_article_is_no_relation_block():
    # A site-wide sidebar titled 政策解读 (not a label, not in the article) says nothing of this page.
    sidebar = '<div class="side"><div class="side-tit">政策解读</div><div class="side-bd"></div></div>'
    html = page("", SCRIPTS[0]).replace('<div class="footer">', sidebar + '<div class="footer">')
    assert not extract_document(html, URL).relations_unseen


def test_real_govcn_policy_page_has_no_empty_block():
    # gov.cn keeps its relations in a sidebar frame (read separately), not in a scripted block.
    html = (REAL / "govcn_policy_detail_2019_content_5359620_with_jiedu_iframe.html").read_text("utf-8")
    doc = extract_document(html, "http://www.gov.cn/zhengce/content/2019-01/21/content_5359620.htm")
    assert not doc.relations_unseen and doc.iframes


FRAME = """<html><head><meta charset="utf-8"></head><body>
<div class="xgwj"><h4>相关文件</h4><ul>
<li><a href="/zcwj/202610/t20261001_1.html" target="_blank">某某区关于加强某某管理的通知</a></li></ul></div>
<div class="xgjd"><h4>相关解读</h4><ul>
<li><a href="/zcjd/202610/t20261003_5.html" target="_blank">图解：某某区加强某某管理</a></li></ul></div>
</body></html>"""


def test_frame_of_an_interpretation_gives_its_policy_links():
    url = "http://www.example.gov.cn/zcjd/related_7.html"
    assert [p["url"] for p in extract_policies_from_iframe(FRAME, url)] == [
        "http://www.example.gov.cn/zcwj/202610/t20261001_1.html"]
    # and its 解读 links as before, never mixed up
    assert [i["url"] for i in extract_related_from_iframe(FRAME, url)] == [
        "http://www.example.gov.cn/zcjd/202610/t20261003_5.html"]
    # a frame without a 相关文件 / 原文 block gives no policy
    only_jd = FRAME.split('<div class="xgjd">')[0].split('<div class="xgwj">')[0] + \
        '<div class="xgjd">' + FRAME.split('<div class="xgjd">')[1]
    assert extract_policies_from_iframe(only_jd, url) == []


# --- where the block's content comes from, when the page names it ---------------------------------

@pytest.mark.parametrize("markup, expected", [
    # Jiangxi UCAP style: a relation-named variable holding the relation JSON's path
    ('<script>var relationUrl = "/jxssthjt/col42150/relation/1234-RelationArticle.json";'
     '$(function () { loadRelation(relationUrl); });</script>',
     "http://www.example.gov.cn/jxssthjt/col42150/relation/1234-RelationArticle.json"),
    # inline configuration object
    ("<script>window.PAGE_CFG = {\"articleId\": 1234, \"relationUrl\": \"/api/article/relation?id=1234\"};"
     "</script><script src=\"/js/detail.js\"></script>",
     "http://www.example.gov.cn/api/article/relation?id=1234"),
    # a call to a relation path
    ("<script>$.getJSON('/zcjd/xgjd/1234.json', function (d) { $('#jdList').html(d); });</script>",
     "http://www.example.gov.cn/zcjd/xgjd/1234.json"),
])
def test_relation_endpoint_named_in_the_page_is_found(markup, expected):
    doc = extract_document(page(EMPTY_BLOCKS[0], markup), URL)
    assert doc.relations_unseen and doc.relation_endpoints == [expected]


def test_data_url_on_the_block_is_its_endpoint():
    block = '<div class="xgjd"><h3>相关解读</h3><ul id="jdList" data-url="../../relation/1234.json"></ul></div>'
    doc = extract_document(page(block, SCRIPTS[0]), URL)
    assert doc.relation_endpoints == ["http://www.example.gov.cn/relation/1234.json"]


def test_other_endpoints_of_the_page_are_not_relations():
    # A visit counter and a news feed: their entries are not this document's relations.
    scripts = ("<script>$.getJSON('/api/visit/count.json?id=1234', f); var relationJs = '/js/relation.js';"
               "$.ajax({url: '/api/news/list?col=12', success: g});</script>")
    doc = extract_document(page(EMPTY_BLOCKS[0], scripts), URL)
    assert doc.relations_unseen and doc.relation_endpoints == []
    # and no endpoint is looked for where the block is filled
    filled = EMPTY_BLOCKS[0].replace("</ul>", '<li><a href="/zcjd/1.html">某某解读材料全文</a></li></ul>')
    assert extract_document(page(filled, SCRIPTS[1]), URL).relation_endpoints == []
