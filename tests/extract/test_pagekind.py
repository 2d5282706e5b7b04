"""page_kind: a list, a document or neither, from what the page shows (issue 7.5 / 7.7)."""
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.extract.fields import extract_document
from crawler.extract.pagekind import page_kind
from crawler.readers import read_list

# Every real page of tests/fixtures/real_pages that is a page (README §1), with its address.
REAL = [
    ("govcn_policy_detail_2019_content_5365945.html", "http://www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm", "document"),
    ("govcn_policy_detail_2019_content_5359620_with_jiedu_iframe.html", "http://www.gov.cn/zhengce/content/2019-01/21/content_5359620.htm", "document"),
    ("govcn_policy_detail_oldlayout_2018_content_5353307.html", "http://www.gov.cn/zhengce/content/2018-12/29/content_5353307.htm", "document"),
    ("govcn_policy_detail_archive1996_content_5351713.html", "http://www.gov.cn/zhengce/content/2018-12/24/content_5351713.htm", "document"),
    ("govcn_policy_detail_holiday_2019_content_5346276.html", "http://www.gov.cn/zhengce/content/2018-12/06/content_5346276.htm", "document"),
    ("trs_mee_detail_t20220417_974894_excerpt.html", "http://www.mee.gov.cn/ywdt/hjywnews/202204/t20220417_974894.shtml", "document"),
    ("annual_report_shanghai_bgt_2019_tables.html", "https://www.shanghai.gov.cn/nw12344/20200131/report.html", "document"),
    ("trs_wcm_list_zhangshu_createPageHTML_2017_excerpt.html", "http://www.zhangshu.gov.cn/zwgk/zhxx/index.html", "list"),
    ("gansu_jyt_list_c110634_createPageHTML6_commented_block_ruishu.html", "http://jyt.gansu.gov.cn/jyt/c110634/zwgklist.shtml", "list"),
    ("jiangxi_sthjt_list_col42150_ucap_listData_json_jiedu.html", "http://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/index.html", "list"),
    ("ndrc_trs_list_fzggwl_with_jiedu_popbox_trimmed.html", "https://www.ndrc.gov.cn/xxgk/zcfb/fzggwl/", "list"),
    ("hanweb_jpage_dataproxy_dingxi_2022.xml", "http://zwgk.dingxi.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15", "list"),
    ("hanweb_jpage_embedded_datastore_nantong_zfcg_2017_excerpt.xml", "http://zfcg.nantong.gov.cn/col/col31685/index.html", "list"),
    ("miit_jpaas_list_unit_api_with_jiedu_trimmed.json", "https://www.miit.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit", "list"),
    ("nea_vue_list_datasource_json_trimmed.json", "https://www.nea.gov.cn/policy/ds_1.json", "list"),
]


def test_every_real_page_is_listed_here(real_pages):
    # A new real page must say what it is: html/xml/json captures of pages and endpoints.
    pages = {p.name for p in real_pages.iterdir() if p.suffix in (".html", ".xml", ".json")}
    pages.discard("trs_nea_hunb_detail_bodies_crawled_2025.json")     # crawler output: bodies below
    assert pages == {name for name, _u, _k in REAL}


@pytest.mark.parametrize("name,url,kind", REAL)
def test_real_pages(real_pages, name, url, kind):
    html = (real_pages / name).read_text("utf-8")
    assert page_kind(html, url) == kind
    assert page_kind(html, url, read_list(html, url)) == kind      # with the caller's ListPage


def test_real_pages_without_their_metas(real_pages):
    # The content decides, not the national metas: the same pages stripped of <meta> tags.
    for name, url, kind in REAL:
        if name.endswith(".html") and not name.startswith("gansu"):   # Gansu: nothing but metas is live
            html = re.sub(r"<meta[^>]*>", "", (real_pages / name).read_text("utf-8"), flags=re.I)
            assert page_kind(html, url) == kind, name


def test_hunb_stored_bodies_are_documents(real_pages):
    for rec in json.loads((real_pages / "trs_nea_hunb_detail_bodies_crawled_2025.json").read_text("utf-8")):
        assert page_kind(rec["body_html"], rec["url"]) == "document", rec["url"]


# --- markup variants ----------------------------------------------------------------------------

def _rows(n: int, tag: str = "li", prefix: str = "/xxgk/tzgg/202310/t202310") -> str:
    if tag == "tr":
        return "<table>" + "".join(
            f"<tr><td><a href='{prefix}{i % 28 + 1:02d}_{i}.html'>关于第{i}项工作安排的通知公告</a></td>"
            f"<td>2023-10-{i % 28 + 1:02d}</td></tr>" for i in range(n)) + "</table>"
    if tag == "div":
        return "<div class='grid'>" + "".join(
            f"<div class='item'><div class='t'><a href='{prefix}{i % 28 + 1:02d}_{i}.html'>关于第{i}项工作安排的通知公告</a>"
            f"</div><div class='d'>[2023-10-{i % 28 + 1:02d}]</div></div>" for i in range(n)) + "</div>"
    return "<ul class='list'>" + "".join(
        f"<li><a href='{prefix}{i % 28 + 1:02d}_{i}.html' title='关于第{i}项工作安排的通知公告'>关于第{i}项工作安排的通知公告</a>"
        f"<span>2023-10-{i % 28 + 1:02d}</span></li>" for i in range(n)) + "</ul>"


HEAD = "<html><head><title>{t}_某某市人民政府</title></head><body>"
NAV = "<div class='nav'><a href='/'>首页</a><a href='/xxgk/'>政务公开</a><a href='/hdjl/'>互动交流</a></div>"
FOOT = ("<div class='footer'><p>主办：某某市人民政府办公室 地址：某某市人民路1号 邮编：100000</p>"
        "<p>网站标识码：1100000001 备案号：京ICP备12345678号</p></div></body></html>")
BODY = ("<p>各区县人民政府，市政府各部门：</p><p>当前已进入秋季森林防火期，为切实做好森林防火工作，"
        "保障人民群众生命财产安全，现将有关事项通知如下。</p>")
ART_TITLE = "关于做好2023年秋季森林防火工作的通知"


def article(byline: str = "<div class='info'>发布时间：2023-10-23 来源：某某市应急管理局</div>",
            body: str = BODY, around: str = "", wrapper: str = "div class='article'") -> str:
    close = wrapper.split()[0]
    return (HEAD.format(t=ART_TITLE) + NAV + f"<{wrapper}><h1>{ART_TITLE}</h1>{byline}"
            f"<div class='content'>{body}</div></{close}>" + around + FOOT)


@pytest.mark.parametrize("tag", ["li", "tr", "div"])
@pytest.mark.parametrize("n", [3, 12, 60])
def test_one_article_with_many_list_links_around_it_is_a_document(tag, n):
    related = f"<div class='xgwz'><h3>相关文章</h3>{_rows(n, tag)}</div>"
    footer_links = "<div class='links'>" + "".join(
        f"<a href='http://www.site{i}.gov.cn/'>某某部门网站{i}</a>" for i in range(40)) + "</div>"
    html = article(around=related + footer_links)
    assert len(read_list(html, "http://www.example.gov.cn/xxgk/tzgg/202310/t20231023_1.html").entries) >= 3
    assert page_kind(html, "http://www.example.gov.cn/xxgk/tzgg/202310/t20231023_1.html") == "document"


@pytest.mark.parametrize("byline", [
    "<div class='info'>发布时间：2023-10-23 来源：某某市应急管理局</div>",
    "<p>发布日期: <span>2023-10-23</span></p>",
    "<div class='date'><span>2023-10-23 08:59</span><span>来源：某某市应急管理局</span></div>",
    "<table class='xxgk'><tr><td>索引号：</td><td>X/2023-1</td><td>发文字号：</td><td>某发〔2023〕1号</td></tr></table>",
])
@pytest.mark.parametrize("wrapper", ["div class='article'", "td", "section"])
def test_document_variants(byline, wrapper):
    html = article(byline=byline, wrapper=wrapper, around=_rows(20))
    assert page_kind(html, "http://www.example.gov.cn/a/t20231023_1.html") == "document"


def test_document_whose_body_is_a_file_or_a_table():
    pdf = article(body="<p>附件：<a href='/module/download/downfile.jsp?classid=0&filename=x.pdf'>实施方案</a></p>")
    assert page_kind(pdf, "http://www.example.gov.cn/a/t20231023_1.html") == "document"
    table = article(body="<table>" + "".join(f"<tr><td>{i}</td><td>张{i}</td><td>某某社区</td></tr>"
                                             for i in range(8)) + "</table>")
    assert page_kind(table, "http://www.example.gov.cn/a/t20231023_1.html") == "document"


def test_meta_only_article_with_script_built_body():
    html = ("<html><head><title>x</title><meta name='ArticleTitle' content='关于某事的通知'>"
            "<meta name='PubDate' content='2023-10-23 08:00'></head><body><div id='app'></div>"
            "<script src='/static/js/app.3f2a.js'></script></body></html>")
    assert page_kind(html, "http://www.example.gov.cn/a/t20231023_1.html") == "document"


@pytest.mark.parametrize("tag", ["li", "tr", "div"])
def test_list_pages(tag):
    url = "http://www.example.gov.cn/xxgk/tzgg/index.html"
    side = "<div class='side'><h3>热点</h3><p>欢迎访问某某市人民政府网站，这里发布最新政务信息。</p></div>"
    html = HEAD.format(t="通知公告") + NAV + f"<h2>通知公告</h2>{_rows(15, tag)}{side}" + FOOT
    assert page_kind(html, url) == "list"
    # a column intro and a visible "更新时间" do not make it an article
    html = (HEAD.format(t="通知公告") + NAV + "<h2>通知公告</h2><div>更新时间：2023-10-23</div>"
            "<p>本栏目发布市政府及其部门的通知公告。</p>" + _rows(15, tag) + FOOT)
    assert page_kind(html, url) == "list"


def test_empty_or_unreadable_column_pages_are_lists():
    url = "http://www.example.gov.cn/xxgk/tzgg/index.html"
    empty = HEAD.format(t="通知公告") + NAV + "<h2>通知公告</h2><div class='no-data'>暂无信息</div>" + FOOT
    assert page_kind(empty, url) == "list"
    meta_only = ("<html><head><title>通知公告</title><meta name='ColumnName' content='通知公告'></head>"
                 "<body><ul id='list'></ul><script src='/res/main.js'></script></body></html>")
    assert page_kind(meta_only, url) == "list"


@pytest.mark.parametrize("html", [
    "",
    "<html><body></body></html>",
    # a content page (机构职能) with a dated news box beside it
    HEAD.format(t="机构职能") + NAV + "<h2>机构职能</h2><div class='content'>" + "<p>负责贯彻执行国家和省有关森林防火"
    "的方针政策和法律法规，拟订全市森林防火工作规划并组织实施，指导协调各区县做好森林防火工作。</p>" * 8
    + "</div><div class='side'><h3>最新动态</h3>" + _rows(5) + "</div>" + FOOT,
    # a search form
    HEAD.format(t="站内搜索") + NAV + "<form action='/search'><input name='q'><button>搜索</button></form>" + FOOT,
])
def test_neither_list_nor_document(html):
    assert page_kind(html, "http://www.example.gov.cn/jgzn/index.html") == "other"


def test_hidden_article_parts_do_not_count():
    # The only date is in a hidden block: the page shows no dated article.
    html = article(byline="<div class='ng-hide'>发布时间：2023-10-23</div>", body="", around=_rows(12))
    assert page_kind(html, "http://www.example.gov.cn/a/index.html") == "list"


def test_endpoint_answers():
    assert page_kind('{"total": 0, "list": []}', "http://www.example.gov.cn/api/list") == "other"
    assert page_kind(b"", "http://www.example.gov.cn/") == "other"


# --- generated fixture sites: every list page and every document of every style ------------------

@pytest.mark.parametrize("style", ["trs", "hanweb", "legacy", "json"])
def test_generated_sites(tmp_path, style):
    from tests.sites.generator import build_site, random_spec

    base = "http://127.0.0.1:8000"
    truth = build_site(tmp_path, random_spec(2, style))

    def read(path: str) -> str:
        file = tmp_path / path.lstrip("/")
        return (file / "index.html" if path.endswith("/") else file).read_text("utf-8", errors="replace")

    documents = 0
    for col in truth.columns:
        html, url = read(col["url"]), base + col["url"]
        page = read_list(html, url)
        assert page_kind(html, url, page) == "list", col["name"]
        for entry in page.entries:
            if entry.url.startswith(base) and not entry.url.endswith("/"):
                assert page_kind(read(entry.url[len(base):]), entry.url) == "document", entry.url
                documents += 1
    assert documents >= 5


# --- fuzz: never raises ---------------------------------------------------------------------------

_PIECES = st.sampled_from([
    "<h1>关于某事的通知</h1>", "<div class='info'>发布时间：2023-10-23 08:59 来源：某局 浏览次数：</div>",
    "<p>发布日期: <span>2012-06-24</span></p>", "<div class='ng-hide'>", "<div style='display:none'>",
    "<div hidden>", "<span aria-hidden='true'>", "</div>", "</span>", "<table><tr><td>索 引 号：</td><td>",
    "</td></tr></table>", "<ul><li><a href='/a/t20231023_1.html'>关于某事</a><span>2023-10-23</span></li></ul>",
    "<meta name='PubDate' content='2023-10-23-08:59:00'>", "<meta name='ArticleTitle' content='标题'>",
    "<meta name='ColumnName' content='通知公告'>", "<a href='/module/download/downfile.jsp?filename=x.pdf'>下载</a>",
    "<a href='/attach/1'>附件：方案.docx</a>", "暂无信息", "<div class='TRS_Editor'>", "时间：", "日期：", "：",
    "<title>标题_某市</title>", "<br>", "<!--", "-->", "<script>var a = 1;</script>", "\x00", "\ufeff",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES | st.text(max_size=30), max_size=30))
def test_fuzz_never_raises(parts):
    html = "".join(parts)
    url = "http://www.example.gov.cn/xxgk/tzgg/202310/t20231023_1.html"
    assert page_kind(html, url) in ("list", "document", "other")
    doc = extract_document(html, url)
    assert all(isinstance(v, str) for v in doc.fields.values())
    assert set(doc.field_sources) == set(doc.fields)
