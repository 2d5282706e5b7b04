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
