import json

from crawler.inspect import inspect_file, inspect_page

KEYS = {"kind", "entries", "next_pages", "total", "fields", "meta", "related", "attachments"}


def test_govcn_document(real_pages):
    r = inspect_file(real_pages / "govcn_policy_detail_2019_content_5365945.html",
                     base_url="http://www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm")
    assert set(r) == KEYS
    assert r["kind"] == "document"
    assert r["fields"]["doc_no"] == "国发〔2019〕5号"
    assert r["fields"]["published"] == "2019-02-15"
    assert r["fields"]["validity"] is None          # absent row → null
    json.dumps(r, ensure_ascii=False)               # the object is JSON-serialisable


def test_zhangshu_list(real_pages):
    r = inspect_file(real_pages / "trs_wcm_list_zhangshu_createPageHTML_2017_excerpt.html",
                     base_url="http://www.zhangshu.gov.cn/zwgk/zhxx/index.html")
    assert r["kind"] == "list"
    assert r["entries"][0] == {"title": "樟树启动实施“智慧城市”建设",
                               "url": "http://www.zhangshu.gov.cn/zwgk/zhxx/201710/t20171011_397574.html",
                               "date": "2017-10-11", "related": []}
    assert len(r["next_pages"]) == 20
    assert all(v is None for v in r["fields"].values())


def test_shanghai_annual_report_is_a_document(real_pages):
    r = inspect_file(real_pages / "annual_report_shanghai_bgt_2019_tables.html",
                     base_url="https://www.shanghai.gov.cn/nw12344/20200131/report.html")
    assert r["kind"] == "document"
    assert r["fields"]["published"] == "2020-01-31"
    assert r["entries"] == []


def test_mee_document_with_metas(real_pages):
    r = inspect_file(real_pages / "trs_mee_detail_t20220417_974894_excerpt.html",
                     base_url="http://www.mee.gov.cn/ywdt/hjywnews/202204/t20220417_974894.shtml")
    assert r["kind"] == "document"
    assert r["meta"]["ArticleTitle"] == "生态环境部一周要闻（4.10-4.16）"
    assert any(u.endswith("t20220411_974307.shtml") for u in r["related"]["interpretations"])


def test_gansu_list_without_live_entries(real_pages):
    r = inspect_file(real_pages / "gansu_jyt_list_c110634_createPageHTML6_commented_block_ruishu.html",
                     base_url="http://jyt.gansu.gov.cn/jyt/c110634/zwgklist.shtml")
    assert r["kind"] == "list" and r["entries"] == [] and r["next_pages"] == []
    assert r["meta"]["SiteIDCode"] == "6200000068"


def test_json_and_xml_endpoints_are_lists(real_pages):
    for name in ("miit_jpaas_list_unit_api_with_jiedu_trimmed.json", "nea_vue_list_datasource_json_trimmed.json",
                 "hanweb_jpage_dataproxy_dingxi_2022.xml"):
        r = inspect_file(real_pages / name, base_url="https://www.miit.gov.cn/api")
        assert r["kind"] == "list" and set(r) == KEYS and r["entries"]
        json.dumps(r, ensure_ascii=False)


def test_gbk_page_bytes():
    body = ("<html><head><meta charset='gb2312'></head><body><table><tr><td>索引号：</td><td>A/2024-1</td>"
            "<td>发文字号：</td><td>镕发〔2024〕1号</td></tr></table></body></html>").encode("gbk")
    r = inspect_page(body, "http://www.example.gov.cn/a.html")
    assert r["kind"] == "document" and r["fields"]["doc_no"] == "镕发〔2024〕1号"
    assert inspect_page(b"", "http://www.example.gov.cn/")["kind"] == "other"


def test_one_article_with_many_footer_links_is_a_document():
    rows = "".join(f"<li><a href='/xxgk/tzgg/202310/t202310{i % 28 + 1:02d}_{i}.html'>关于第{i}项工作的通知公告</a>"
                   f"<span>2023-10-{i % 28 + 1:02d}</span></li>" for i in range(30))
    html = ("<html><head><title>关于做好秋季森林防火工作的通知</title></head><body>"
            "<h1>关于做好秋季森林防火工作的通知</h1><div class='info'>来源：某某市应急管理局 发布时间：2023-10-23 08:59 "
            "浏览次数：</div><div class='content'><p>各区县人民政府：当前已进入秋季森林防火期，现将有关事项通知如下。</p>"
            "<p>附件：<a href='/module/download/downfile.jsp?classid=0&filename=fa.pdf'>实施方案</a></p></div>"
            f"<div class='footer'><h3>相关文章</h3><ul>{rows}</ul></div></body></html>").encode()
    r = inspect_page(html, "http://www.example.gov.cn/xxgk/tzgg/202310/t20231023_1.html")
    assert r["kind"] == "document" and r["entries"] == []
    assert r["fields"]["published"] == "2023-10-23" and r["fields"]["publisher"] == "某某市应急管理局"
    assert r["fields"]["index_no"] is None
    assert r["attachments"] == ["http://www.example.gov.cn/module/download/downfile.jsp?classid=0&filename=fa.pdf"]


def test_hidden_metadata_block_is_not_shown():
    html = ("<html><body><div class='ng-hide'><table><tr><td>索引号：</td><td>X/2020-1</td><td>发布日期：</td>"
            "<td>2020-01-01</td></tr></table></div><h1>关于某事的通知</h1><p>发布日期: <span>2012-06-24</span></p>"
            "<div id='zoom'><p>各单位：现将有关事项通知如下，请认真贯彻执行。</p></div></body></html>").encode()
    r = inspect_page(html, "http://www.example.gov.cn/a/t20120624_1.html")
    assert r["kind"] == "document"
    assert r["fields"]["published"] == "2012-06-24" and r["fields"]["index_no"] is None
