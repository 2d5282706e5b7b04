"""Hanweb datastore/dataproxy, JSON API, embedded JSON and legacy GBK list pages."""
from datetime import date

from crawler.extract.encoding import decode_html
from crawler.readers import read_list

REF = date(2026, 11, 20)
PROXY = "http://www.x.gov.cn/module/web/jpage/dataproxy.jsp"


def _records(n, start=0):
    return "".join(f"<record><![CDATA[<li><a href='/art/2026/3/{1 + (i % 28)}/art_77_{start + i}.html' "
                   f"title='第{start + i}号通知全文标题'>第{start + i}号通知</a><span>2026-03-{1 + (i % 28):02d}</span></li>]]></record>"
                   for i in range(n))


def _column(n, total=None, extra=""):
    tot = f"<totalrecord>{total}</totalrecord>" if total is not None else ""
    return (f"<html><body><div id='4321'><script type='text/xml'><datastore>{tot}<recordset>{_records(n)}"
            f"</recordset></datastore></script><script>$('#4321').jpage({{webid:'9',perPage:15,"
            f"proxyUrl:'/module/web/jpage/dataproxy.jsp',webname:'某市政府'}});</script></div>{extra}</body></html>")


def _proxy_req(start, end, method="POST"):
    return {"url": f"{PROXY}?startrecord={start}&endrecord={end}&perpage=15", "method": method,
            "data": {"col": "1", "unitid": "4321"}, "headers": {"Referer": "http://www.x.gov.cn/col/col77/index.html"}}


def test_hanweb_column_page_posts_next_group():
    page = read_list(_column(45), "http://www.x.gov.cn/col/col77/index.html", ref=REF)
    assert page.reader == "hanweb" and len(page.entries) == 45
    assert page.entries[0].title == "第0号通知全文标题" and page.entries[0].date == date(2026, 3, 1)
    (nxt,) = page.next_pages
    assert nxt["method"] == "POST" and nxt["url"] == f"{PROXY}?startrecord=46&endrecord=90&perpage=15"
    assert nxt["data"] == {"col": "1", "appid": "1", "webid": "9", "path": "/", "columnid": "77",
                           "sourceContentType": "1", "unitid": "4321", "webname": "某市政府", "permissiontype": "0"}
    assert nxt["headers"] == {"X-Requested-With": "XMLHttpRequest", "Referer": "http://www.x.gov.cn/col/col77/index.html"}


def test_hanweb_total_stops_paging():
    assert read_list(_column(30, total=30), "http://www.x.gov.cn/col/col77/index.html").next_pages == []
    page = read_list(_column(45, total=50), "http://www.x.gov.cn/col/col77/index.html")
    assert page.total == 50 and "startrecord=46&endrecord=50" in page.next_pages[0]["url"]


def test_hanweb_proxy_answer_advances_by_records_returned():
    xml = f"<?xml version='1.0'?><datastore><recordset>{_records(76)}</recordset></datastore>"
    page = read_list(xml, f"{PROXY}?startrecord=46&endrecord=70&perpage=15", request=_proxy_req(46, 70))
    assert len(page.entries) == 76
    (nxt,) = page.next_pages               # overlapping server: advance past what came back
    assert nxt["url"].startswith(f"{PROXY}?startrecord=122&endrecord=146")
    assert nxt["method"] == "POST" and nxt["data"] == {"col": "1", "unitid": "4321"}


def test_hanweb_short_or_empty_group_is_the_last():
    short = f"<datastore><recordset>{_records(10)}</recordset></datastore>"
    assert read_list(short, PROXY, request=_proxy_req(46, 90)).next_pages == []
    empty = "<datastore><recordset></recordset></datastore>"
    page = read_list(empty, PROXY, request=_proxy_req(91, 135))
    assert page.entries == [] and page.next_pages == []


def test_hanweb_nextgroup_get_keeps_double_encoded_webname(real_pages):
    xml = (real_pages / "hanweb_jpage_dataproxy_dingxi_2022.xml").read_text("utf-8")
    # An embedded group without ids in the page: the nextgroup link is followed by GET.
    html = f"<html><body><script type='text/xml'>{xml}</script></body></html>"
    page = read_list(html, "http://zwgk.dingxi.gov.cn/zwgk/list.html", ref=REF)
    assert len(page.entries) == 45
    nxt = page.next_pages[0]
    assert nxt["method"] == "POST" and nxt["data"]["webname"].startswith("%E5%AE%9A")  # from nextgroup ids
    assert nxt["data"]["columnid"] == "12377" and nxt["data"]["unitid"] == "38486"
    # Other-host records keep their host.
    assert any(e.url.startswith("http://zwgk.dingxi.gov.cn/art/") for e in page.entries)


def test_hanweb_commented_datastore_is_dead():
    html = "<html><body><!-- " + _column(5)[12:-14] + " --></body></html>"
    page = read_list(html, "http://www.x.gov.cn/col/col77/index.html")
    assert page.reader != "hanweb"


def test_json_api_pages_by_parameter():
    body = ('{"total": 47, "data": {"list": [' + ",".join(
        f'{{"title": "文件{i}", "url": "/art/{i}.html", "publishTime": {1767225600 + i * 86400}}}' for i in range(20))
        + "]}}")
    page = read_list(body, "http://www.x.gov.cn/api/list?column=12&page=1", ref=REF)
    assert page.reader == "json" and len(page.entries) == 20 and page.total == 47
    assert page.entries[0].url == "http://www.x.gov.cn/art/0.html" and page.entries[0].date == date(2026, 1, 1)
    assert page.next_pages == ["http://www.x.gov.cn/api/list?column=12&page=2", "http://www.x.gov.cn/api/list?column=12&page=3"]
    last = read_list(body, "http://www.x.gov.cn/api/list?column=12&page=3")
    assert last.next_pages == []


def test_json_api_post_paging_and_gkmlpt_unix_dates():
    body = ('{"classify": {"post_count": 3}, "articles": [{"id": 1, "title": "受理公告", "date": 1783353600,'
            ' "url": "https://www.x.gov.cn/gkmlpt/content/3/3255/post_3255421.html"}]}')
    req = {"url": "http://www.x.gov.cn/gkmlpt/api/all/5", "method": "POST", "data": {"pageNo": "1"}, "headers": {}}
    page = read_list(body, req["url"], request=req)
    assert page.entries[0].date == date(2026, 7, 7)
    assert [p["data"]["pageNo"] for p in page.next_pages] == ["2", "3"]


def test_script_json_endpoint_is_discovered():
    html = ("<html><body><ul id='list'></ul><script>function load(p){fetch('/api/list?column=12&page=' + p)"
            ".then(r => r.json()).then(render)} load(1);</script>"
            "<script>$.ajax({url: \"/policy/ds_8f2.json\", dataType: 'json'});</script></body></html>")
    page = read_list(html, "http://www.x.gov.cn/col/col12/index.html")
    assert page.entries == [] and page.has_scripts and not page.needs_browser   # readable without a browser
    assert [p["url"] for p in page.next_pages] == ["http://www.x.gov.cn/api/list?column=12&page=1",
                                                   "http://www.x.gov.cn/policy/ds_8f2.json"]
    assert all(p["discovered"] for p in page.next_pages)


def test_embedded_list_data_and_menus():
    html = ("<html><body><script>var nav = [{name: '首页', url: '/'}, {name: '政务公开', url: '/zwgk/'}];\n"
            "var listData = {articleList: [{title: '关于印发某办法的通知', urls: '{\"pc\":\"/c/1.html\"}', pubDate: '2026-05-06 10:00', relation: 1,"
            " relationUrl: '/rel/1.json'}, {title: '某某公告', urls: '{\"pc\":\"/c/2.html\"}', pubDate: '2026-05-01 09:00', relation: 0,"
            " relationUrl: '/rel/2.json'},]};</script></body></html>")
    page = read_list(html, "http://www.x.gov.cn/col/col9/index.html")
    assert page.reader == "embedded-json"
    assert [(e.url, e.date) for e in page.entries] == [("http://www.x.gov.cn/c/1.html", date(2026, 5, 6)),
                                                       ("http://www.x.gov.cn/c/2.html", date(2026, 5, 1))]
    assert page.entries[0].related == [{"title": "relationUrl", "url": "http://www.x.gov.cn/rel/1.json"}]
    assert page.entries[1].related == []


def test_legacy_gbk_table_rows_and_query_paging():
    rows = "".join(f"<tr><td><a href='/news/2023{m:02d}/{m}.htm'>关于第{m}批项目的公示公告</a></td><td>{d}</td></tr>"
                   for m, d in ((5, "2023年05月12日"), (4, "[2023-04-03]"), (3, "03-15")))
    body = ("<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'></head><body>"
            f"<table>{rows}</table><a href='list.asp?page=2'>下一页</a> <a href='list.asp?page=9'>尾页</a>"
            "<p>镕</p></body></html>").encode("gbk")          # 镕 is GBK, not GB2312
    text, used = decode_html(body, "gb2312")
    assert used == "gb18030" and "镕" in text
    page = read_list(text, "http://www.x.gov.cn/list.asp?page=1", ref=REF)
    assert [e.date for e in page.entries] == [date(2023, 5, 12), date(2023, 4, 3), date(2023, 3, 15)]
    assert page.next_pages == ["http://www.x.gov.cn/list.asp?page=2", "http://www.x.gov.cn/list.asp?page=9"]


def test_script_built_list_without_reader_keeps_has_scripts(real_pages):
    html = (real_pages / "gansu_jyt_list_c110634_createPageHTML6_commented_block_ruishu.html").read_text("utf-8")
    page = read_list(html, "http://jyt.gansu.gov.cn/jyt/c110634/zwgklist.shtml")
    assert page.entries == [] and page.has_scripts
