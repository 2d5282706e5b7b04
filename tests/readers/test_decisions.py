"""The reading decisions as pure functions: does a list page need the browser, what evidence of
emptiness does it hold, which endpoints and pages come next — on markup variants and real pages."""
import json
from datetime import date

import pytest

from crawler.middlewares import browser_reason, section_needs_browser
from crawler.readers import read_list, read_rendered

URL = "http://www.x.gov.cn/xxgk/tzgg/index.html"
REF = date(2026, 11, 20)


def page(body: str, url: str = URL, **kw):
    return read_list(f"<html><head><title>通知公告</title></head><body>{body}</body></html>", url, REF, **kw)


ROWS = "".join(f'<li><a href="./202611/t2026111{i}_{i}.html">关于第{i}项工作的通知</a><span>2026-11-1{i}</span></li>'
               for i in range(1, 4))
# Every way a script can sit on a page; none may be ruled out by its name.
SCRIPTS = [
    '<script src="/static/js/app.3f9a1c7e.js"></script>',
    '<script src="/res/main.js"></script>',
    '<script src="/js/jquery.min.js"></script>',
    '<script src="/stat/count.js?v=2"></script>',
    '<script type="module" src="/assets/index-4d2a.js"></script>',
    '<script>var c = 1;</script>',
    '<script type="text/javascript">window.onload = function () { init(); };</script>',
]


# ------------------------------------------------------------------ needs the browser?

@pytest.mark.parametrize("script", SCRIPTS)
def test_any_script_on_a_list_without_entries_needs_the_browser(script):
    p = page(f'<ul class="list" id="list"></ul>{script}')
    assert p.entries == [] and p.has_scripts and p.needs_browser
    assert p.evidence == ""          # without the browser: no evidence, never empty


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_list_with_entries_stays_out_of_the_browser(script):
    p = page(f'<ul class="list">{ROWS}</ul>{script}')
    assert len(p.entries) == 3 and not p.needs_browser


@pytest.mark.parametrize("markup", [
    '<ul></ul><!-- <script src="/static/js/app.1.js"></script> -->',        # dead: inside a comment
    '<ul></ul><script type="application/ld+json">{"@type": "WebPage"}</script>',
    '<ul></ul><script type="text/x-handlebars-template"><li>{x}</li></script>',
    '<ul></ul><script></script>',
])
def test_dead_or_data_scripts_fill_nothing(markup):
    p = page(markup)
    assert not p.has_scripts
    # Still no entries and no evidence of emptiness: only a rendering can call it empty.
    assert not p.evidence and p.needs_browser


def test_a_page_that_says_it_is_empty_and_has_no_script_needs_no_browser():
    p = page('<ul></ul><p>暂无信息</p>')
    assert p.evidence == "marker" and not p.needs_browser


@pytest.mark.parametrize("markup", ['<ul><li v-for="d in docs">{{ d.title }}</li></ul>',
                                    '<table><tr ng-repeat="d in docs"><td>{{d.title}}</td></tr></table>'])
def test_client_templates_need_the_browser(markup):
    assert page(markup).needs_browser


def test_an_endpoint_found_in_the_page_avoids_the_browser():
    p = page('<ul id="l"></ul><script>fetch("/api/list?col=tzgg&page=" + n)</script>')
    assert p.has_scripts and not p.needs_browser and p.endpoints


# ------------------------------------------------------------------ evidence

@pytest.mark.parametrize("marker", ["<p>暂无信息</p>", "<div class='empty'>暂无数据！</div>",
                                    "<td>没有找到相关记录</td>", "<span>暂无相关信息</span>"])
def test_marker_is_evidence_only_without_scripts(marker):
    assert page(f'<div class="list">{marker}</div>').evidence == "marker"
    for script in SCRIPTS:
        p = page(f'<div class="list">{marker}</div>{script}')
        assert p.empty_marker and p.evidence == ""
        assert page(f'<div class="list">{marker}</div>{script}', rendered=True).evidence == "rendered"


def test_hidden_marker_and_no_marker_are_no_evidence():
    assert page('<div style="display:none">暂无数据</div>').evidence == ""
    assert page('<ul class="list"></ul>').evidence == ""


def test_rendered_page_with_entries_has_no_evidence():
    assert page(f"<ul>{ROWS}</ul>", rendered=True).evidence == ""
    assert page("<ul></ul>", rendered=True).evidence == "rendered"


API = "http://www.x.gov.cn/api/list?col=tzgg&page=1"


@pytest.mark.parametrize("body", [
    '{"total": 0, "data": {"list": []}}',
    '{"code": 0, "msg": "ok", "rows": [], "total": 0}',
    '{"success": true, "data": {"records": [], "pages": 0, "current": 1}}',
    'jQuery1830_17({"items": []});',
    '{"totalCount": 0, "pageSize": 15, "data": null}',
    '{"articles": [], "classify": {"name": "通知公告"}}',
])
def test_endpoint_answering_zero_records_is_evidence(body):
    p = read_list(body, API, REF)
    assert p.entries == [] and p.records == 0 and p.evidence == "endpoint"


@pytest.mark.parametrize("body", [
    '{"count": 0}',                                         # a counter, not a list
    '{"success": false, "data": []}',                       # an error envelope
    '{"code": 500, "msg": "系统繁忙", "list": []}',
    '{"error": "token expired", "rows": []}',
    '{"total": 37, "list": []}',                            # a page beyond the end of a full list
    '{"data": null}',
    '{"menu": [], "site": "x"}',                            # an empty array under no list key
    '{"foo": "bar"}',
    '[]',
])
def test_unrecognised_or_error_answers_are_no_evidence(body):
    assert read_list(body, API, REF).evidence == ""


def test_zero_answer_to_a_request_read_from_the_page_code_is_no_evidence():
    req = {"url": API, "method": "GET", "data": {}, "headers": {}, "discovered": True}
    assert read_list('{"total": 0, "data": []}', API, REF, request=req).evidence == ""
    # and a web page answering such a URL is no list at all (its links are not this column's)
    assert read_list(f"<html><body><ul>{ROWS}</ul></body></html>", API, REF, request=req).entries == []


def test_hanweb_answers(real_pages):
    xml = (real_pages / "hanweb_jpage_dataproxy_dingxi_2022.xml").read_text("utf-8")
    proxy = "http://zwgk.dingxi.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15"
    full = read_list(xml, proxy, REF)
    assert len(full.entries) == 45 and full.evidence == ""
    empty = "<datastore><nextgroup><![CDATA[]]></nextgroup><recordset></recordset></datastore>"
    assert read_list(empty, proxy, REF).evidence == "endpoint"
    # An empty first group embedded in the column page is the server's own answer too.
    col = page(f'<div id="38486"><script type="text/xml">{empty}</script></div>'
               '<script src="/module/web/jpage/jquery.page.js"></script>',
               url="http://zwgk.dingxi.gov.cn/col/col12377/index.html")
    assert col.evidence == "endpoint"


# ------------------------------------------------------------------ real pages

@pytest.mark.parametrize("name,url,entries", [
    ("trs_wcm_list_zhangshu_createPageHTML_2017_excerpt.html", "http://www.zhangshu.gov.cn/zwgk/zhxx/index.html", 7),
    ("ndrc_trs_list_fzggwl_with_jiedu_popbox_trimmed.html", "https://www.ndrc.gov.cn/xxgk/zcfb/fzggwl/", 3),
    ("jiangxi_sthjt_list_col42150_ucap_listData_json_jiedu.html",
     "https://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/index.html", None),
    ("nea_vue_list_datasource_json_trimmed.json", "https://www.nea.gov.cn/policy/ds_8f2.json", None),
    ("miit_jpaas_list_unit_api_with_jiedu_trimmed.json",
     "https://www.miit.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit?pageNo=1", None),
])
def test_real_lists_need_no_browser_and_hold_no_evidence(real_pages, name, url, entries):
    p = read_list((real_pages / name).read_text("utf-8"), url, REF)
    assert p.entries and not p.needs_browser and p.evidence == ""
    if entries is not None:
        assert len(p.entries) == entries


def test_real_script_page_without_live_entries_needs_the_browser(real_pages):
    # Gansu (瑞数): every <li> and the pager sit in a comment; the page says nothing is empty.
    html = (real_pages / "gansu_jyt_list_c110634_createPageHTML6_commented_block_ruishu.html").read_text("utf-8")
    url = "http://jyt.gansu.gov.cn/jyt/c110634/zwgklist.shtml"
    p = read_list(html, url, REF)
    assert p.needs_browser and p.evidence == ""
    assert read_list(html, url, REF, rendered=True).evidence == "rendered"


# ------------------------------------------------------------------ discovery without the browser

@pytest.mark.parametrize("markup,expected", [
    ("<script>window.APP_CONFIG = {api: '/api/list', columnId: 'tzgg', pageSize: 20, theme: 'blue'};</script>",
     "http://www.x.gov.cn/api/list?columnId=tzgg&pageSize=20"),
    ('<script>var cfg = {"dataUrl": "/xxgk/data/tzgg.json", "title": "通知公告"};</script>',
     "http://www.x.gov.cn/xxgk/data/tzgg.json"),
    ("<script>var listConf = { list: { url: '/api/list?col=12&page=', el: '#list' } };</script>",
     "http://www.x.gov.cn/api/list?col=12&page=1"),
    ('<ul class="news" data-url="/api/docs?channel=88"></ul>', "http://www.x.gov.cn/api/docs?channel=88"),
    ('<div id="list" data-api="/open/api/articles" data-column-id="301" data-page="1" data-skin="a"></div>',
     "http://www.x.gov.cn/open/api/articles?columnId=301&page=1"),
    ("<script>$.ajax({type: 'post', url: '/policy/ds_4a1.json', dataType: 'json'})</script>",
     "http://www.x.gov.cn/policy/ds_4a1.json"),
])
def test_endpoints_named_in_configuration_are_found(markup, expected):
    p = page(f'<ul id="l"></ul>{markup}')
    assert [e["url"] for e in p.endpoints] == [expected]
    assert expected in [n["url"] for n in p.next_pages if isinstance(n, dict)]
    assert not p.needs_browser


@pytest.mark.parametrize("markup", [
    "<script>window.SITE = {url: 'http://www.x.gov.cn/', name: '示例'};</script>",     # the site, no API
    "<script>var cfg = {api: 'https://analytics.example.com/collect'};</script>",       # another host
    '<img data-src="/upload/banner.jpg"><div data-url="/xxgk/tzgg/index_1.html"></div>',  # images, pages
    "<script>var cfg = {url: '/xxgk/gzdt/'};</script>",
])
def test_non_endpoints_are_not_discovered(markup):
    assert page(f'<ul id="l"></ul>{markup}').endpoints == []


@pytest.mark.parametrize("script,expected", [
    ("var totalPage = 5; function go(i){ location.href='index_'+i+'.html'; }",
     [f"index_{i}.html" for i in range(1, 6)]),
    ("$('#pager').pagination({totalPage: 3, callback: function(n){ window.location.href = \"list_\" + (n - 1) + \".shtml\"; }});",
     [f"list_{i}.shtml" for i in range(1, 4)]),
    ("var pages = 3; for (var i = 1; i <= pages; i++) { html += `<a href=\"index_${i}.html\">${i}</a>`; }",
     [f"index_{i}.html" for i in range(1, 4)]),
    ('var opts = {"pageCount": "3"}; function jump(p) { location = "?page=" + p; }',
     [f"index.html?page={i}" for i in range(1, 4)]),
])
def test_pagers_written_only_in_script_are_followed(script, expected):
    p = page(f"<ul>{ROWS}</ul><div id='pager'></div><script>{script}</script>")
    assert p.next_pages == [f"http://www.x.gov.cn/xxgk/tzgg/{e}" for e in expected]


@pytest.mark.parametrize("script", [
    "var x = 'detail_' + id + '.html';",                    # a template without a page count
    "var totalPage = 5; var img = 'banner_' + n + '.jpg';",  # a count, but no page URL shape
    "var totalPage = 1; location.href='index_'+i+'.html';",  # a single page
    # a language switch beside a page count is no pager
    "var pages = 3; if (lang != 'zh') { window.location.href = 'index_' + langencours + '.html'; }",
])
def test_no_pages_from_scripts_that_are_no_pager(script):
    assert page(f"<ul>{ROWS}</ul><script>{script}</script>").next_pages == []


def test_commented_script_pager_is_dead():
    p = page(f"<ul>{ROWS}</ul><!-- <script>var totalPage = 5; location.href='index_'+i+'.html';</script> -->")
    assert p.next_pages == []


# ------------------------------------------------------------------ a rendered page and its captured answers

def _answer(url, body, method="GET", data=None):
    return {"url": url, "method": method, "data": data or {}, "headers": {}, "status": 200,
            "body": body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)}


def _api(page_no, n=10, total=25):
    return {"code": 0, "data": {"total": total, "list": [
        {"title": f"关于第{page_no}-{i}项工作的通知", "url": f"/xxgk/tzgg/2026{page_no:02d}/t{i}.html",
         "publishTime": f"2026-11-{10 + i % 9:02d} 09:00:00"} for i in range(n)]}}


MENU = {"data": [{"name": "首页", "url": "/"}, {"name": "政务公开", "url": "/xxgk/"}, {"name": "互动", "url": "/hd/"}]}


def test_captured_answer_gives_entries_and_later_pages_through_the_endpoint():
    api = "http://www.x.gov.cn/api/list?col=tzgg&page=1"
    html = '<html><body><ul id="list"></ul><script src="/static/js/app.9c1f.js"></script></body></html>'
    p = read_rendered(html, URL, REF, [_answer("http://www.x.gov.cn/api/menu", MENU), _answer(api, _api(1))])
    assert len(p.entries) == 10 and p.entries[0].url == "http://www.x.gov.cn/xxgk/tzgg/202601/t0.html"
    assert [n["url"] for n in p.next_pages] == ["http://www.x.gov.cn/api/list?col=tzgg&page=2",
                                                "http://www.x.gov.cn/api/list?col=tzgg&page=3"]
    assert all(isinstance(n, dict) for n in p.next_pages)      # dicts: never rendered
    assert p.evidence == ""


def test_captured_post_json_answer_pages_by_its_body():
    api = "http://www.x.gov.cn/api/search"
    p = read_rendered("<html><body><div id='app'></div></body></html>", URL, REF,
                      [_answer(api, _api(1), method="POST", data={"pageNo": 1, "col": "tzgg"})])
    assert [n["data"]["pageNo"] for n in p.next_pages] == ["2", "3"]


def test_rendered_dom_entries_win_and_the_endpoint_pages_on():
    api = "http://www.x.gov.cn/api/list?col=tzgg&page=1"
    rows = "".join(f'<li><a href="/xxgk/tzgg/202601/t{i}.html">关于第1-{i}项工作的通知</a><span>2026-11-1{i % 9}</span></li>'
                   for i in range(10))
    p = read_rendered(f"<html><body><ul>{rows}</ul></body></html>", URL, REF, [_answer(api, _api(1))])
    assert p.reader == "html" and len(p.entries) == 10
    assert p.next_pages[0]["url"].endswith("page=2")


def test_captured_zero_answer_is_endpoint_evidence_and_menus_are_no_list():
    api = "http://www.x.gov.cn/api/list?col=gzbg&page=1"
    html = "<html><body><ul id='list'></ul><script src='/static/js/app.js'></script></body></html>"
    p = read_rendered(html, URL, REF, [_answer("http://www.x.gov.cn/api/menu", MENU),
                                       _answer(api, {"code": 0, "data": {"total": 0, "list": []}})])
    assert p.entries == [] and p.evidence == "endpoint"
    assert read_rendered(html, URL, REF, [_answer("http://www.x.gov.cn/api/menu", MENU)]).evidence == "rendered"


def test_a_failed_or_unsettled_rendering_is_no_evidence():
    html = "<html><body><ul id='list'></ul><script src='/static/js/app.js'></script></body></html>"
    zero = _answer("http://www.x.gov.cn/api/list?page=1", {"total": 0, "list": []})
    assert read_rendered(html, URL, REF, [], settled=False).evidence == ""
    assert read_rendered(html, URL, REF, [], settled=True, failed=True).evidence == ""
    assert read_rendered(html, URL, REF, [zero], settled=True, failed=True).evidence == ""
    assert read_rendered(html, URL, REF, [zero], settled=False).evidence == "endpoint"


# ------------------------------------------------------------------ the middleware's decisions

def test_browser_reason():
    empty = page('<ul></ul><script src="/static/js/app.1.js"></script>')
    full = page(f"<ul>{ROWS}</ul><script src='/js/app.js'></script>")
    for role in ("homepage", "section", "column", "list"):
        assert browser_reason(role, "blocked", "auto") == "wall"
        assert browser_reason(role, "blocked", "always") == "wall"
        assert browser_reason(role, "blocked", "never") == ""
    assert browser_reason("document", "blocked", "auto") == ""
    assert browser_reason("column", "ok", "auto", empty) == "script"
    assert browser_reason("list", "ok", "auto", empty) == "script"
    assert browser_reason("column", "ok", "never", empty) == ""
    assert browser_reason("column", "ok", "auto", full) == ""
    assert browser_reason("column", "http_4xx", "auto", empty) == ""
    assert browser_reason("section", "ok", "auto", None, section_script_tree=True) == "script"


def test_section_needs_browser():
    tree = '<ul class="tree"><li><a href="/xxgk/tzgg/">通知公告</a></li><li><a href="/xxgk/gzdt/">工作动态</a></li></ul>'
    url = "http://www.x.gov.cn/xxgk/"
    assert section_needs_browser('<html><body><ul id="tree"></ul><script src="/js/tree.js"></script></body></html>', url)
    assert not section_needs_browser(f'<html><body>{tree}<script src="/js/x.js"></script></body></html>', url)
    assert not section_needs_browser('<html><body><iframe src="tree.html"></iframe><script>a()</script></body></html>', url)
    assert section_needs_browser('<html><body><iframe src="tree.html"></iframe><script>a()</script></body></html>',
                                 url, framed=True)
    assert not section_needs_browser('<html><body><p>政府信息公开</p></body></html>', url)


def test_the_short_last_page_of_an_api_does_not_resize_the_paging():
    body = json.dumps({"data": {"total": 23, "pageSize": 10, "list": _api(3, n=3)["data"]["list"]}})
    assert read_list(body, "http://www.x.gov.cn/api/list?col=tzgg&page=3", REF).next_pages == []


@pytest.mark.parametrize("script", [
    "fetch('/api/list?col=' + col + '&page=' + p)",            # the column id is left out
    "$.getJSON('/api/list?page=' + p + '&col=' + col)",
    "fetch(`/api/list?col=${col}&page=${p}`)",
    "$.ajax({url: '/api/list?channel=' + channelId, dataType: 'json'})",
])
def test_an_incomplete_url_is_not_an_endpoint(script):
    # Requesting it would answer for another list (or all of them): better the browser.
    p = page(f'<ul id="l"></ul><script>{script}</script>')
    assert p.endpoints == [] and p.needs_browser


@pytest.mark.parametrize("script,url", [
    ("fetch('/api/list?col=12&page=' + p)", "http://www.x.gov.cn/api/list?col=12&page=1"),
    ("fetch(`/api/list?col=12&pageNo=${n}`)", "http://www.x.gov.cn/api/list?col=12&pageNo=1"),
    ("xhr.open('GET', '/xxgk/tzgg/data.json', true)", "http://www.x.gov.cn/xxgk/tzgg/data.json"),
])
def test_a_url_missing_only_its_page_number_is_an_endpoint(script, url):
    assert [e["url"] for e in page(f'<ul id="l"></ul><script>{script}</script>').endpoints] == [url]


def test_a_content_page_with_scripts_stays_out_of_the_browser():
    from crawler.middlewares import Reading, is_content_page
    article = "<div class='content'>" + "<p>负责本区国民经济和社会发展规划的组织实施，统筹推进各项改革工作。</p>" * 8 + "</div>"
    url = "http://www.x.gov.cn/xxgk/jgzn/"
    for body, content in [(article, True), ("<ul id='list'></ul>", False),
                          (article + "<p>暂无信息</p>", False), (f"<ul>{ROWS}</ul>" + article, False)]:
        html = f"<html><body>{body}<script src='/static/js/app.1.js'></script></body></html>"
        reading = Reading(url, "ok", html, read_list(html, url, REF))
        assert is_content_page(reading) is content
        assert (browser_reason("column", "ok", "auto", reading.page, content_page=content) == "script") is (
            not content and not reading.page.entries)


def test_an_api_without_a_stated_size_is_paged_one_full_page_at_a_time():
    items = _api(1)["data"]["list"]
    full = read_list(json.dumps({"list": items}), "http://www.x.gov.cn/api/list?col=3&page=1", REF)
    assert full.next_pages == ["http://www.x.gov.cn/api/list?col=3&page=2"]
    short = read_list(json.dumps({"list": items[:4]}), "http://www.x.gov.cn/api/list?col=3&page=2", REF)
    assert short.next_pages == []
    sized = read_list(json.dumps({"pageSize": 20, "list": items}), "http://www.x.gov.cn/api/list?col=3&page=1", REF)
    assert sized.next_pages == []          # 10 of 20: the last page


def test_answers_from_other_sites_are_not_the_list():
    html = "<html><body><ul id='list'></ul><script src='/static/js/app.js'></script></body></html>"
    ours = _answer("http://api.x.gov.cn/list?col=tzgg&page=1", _api(1))
    theirs = _answer("https://widgets.example.com/feed?page=1", _api(1))
    assert len(read_rendered(html, URL, REF, [ours]).entries) == 10       # the site's own API host
    assert read_rendered(html, URL, REF, [theirs]).entries == []


def test_an_answer_without_paging_leaves_the_pages_own_pager():
    # One endpoint file per list page (`/api/list/tzgg.json`, `…_2.json`): the DOM's pager goes on.
    html = ("<html><body><ul id='list'></ul><div class='page'><a href='?page=2'>下一页</a> "
            "<a href='?page=5'>尾页</a></div><script src='/static/js/app.js'></script></body></html>")
    p = read_rendered(html, URL, REF, [_answer("http://www.x.gov.cn/api/list/tzgg.json", _api(1, total=50))])
    assert len(p.entries) == 10
    assert p.next_pages == [f"{URL}?page=2", f"{URL}?page=5"]
