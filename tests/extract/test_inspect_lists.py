"""`zwgk inspect` on list endpoints and script-built lists: what a person reads on the page."""
import json

from crawler.inspect import inspect_file

DINGXI = "http://zwgk.dingxi.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15"


def _ok(r):
    json.dumps(r, ensure_ascii=False)
    for e in r["entries"]:
        assert all(isinstance(u, str) and u.startswith("http") for u in e["related"])
    return r


def test_hanweb_dataproxy_answer(real_pages):
    r = _ok(inspect_file(real_pages / "hanweb_jpage_dataproxy_dingxi_2022.xml", base_url=DINGXI))
    assert r["kind"] == "list" and len(r["entries"]) == 45
    assert r["entries"][0] == {"title": "定西市“春节”文明祭祀倡议书", "date": "2022-01-20", "related": [],
                               "url": "http://zwgk.dingxi.gov.cn/art/2022/1/20/art_12377_1486865.html"}
    # the cut link text is replaced by the title attribute
    assert r["entries"][1]["title"].endswith("整改完成情况的公示")
    nxt = r["next_pages"][0]
    assert "startrecord=46&endrecord=90&perpage=15" in nxt["url"]


def test_hanweb_embedded_table_rows(real_pages):
    r = _ok(inspect_file(real_pages / "hanweb_jpage_embedded_datastore_nantong_zfcg_2017_excerpt.xml",
                         base_url="http://zfcg.nantong.gov.cn/col/col31685/index.html"))
    assert r["kind"] == "list" and len(r["entries"]) == 6
    assert r["entries"][0]["title"] == "南通市公安局交警支队空调设备询价2017XJ3018"
    assert [e["date"] for e in r["entries"]][:2] == ["2017-04-24", "2017-04-20"]
    assert r["next_pages"][0]["method"] == "POST" and r["next_pages"][0]["data"]["unitid"] == "80325"


def test_jiangxi_embedded_list_data_with_relations(real_pages):
    r = _ok(inspect_file(real_pages / "jiangxi_sthjt_list_col42150_ucap_listData_json_jiedu.html",
                         base_url="http://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/index.html"))
    assert r["kind"] == "list" and len(r["entries"]) == 50
    first = r["entries"][0]
    assert first["title"] == "《江西省生态环境分类执法监管办法》政策解读" and first["date"] == "2025-07-29"
    assert first["url"] == "http://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/content/content_1951206363677671424.html"
    assert first["related"] == ["http://sthjt.jiangxi.gov.cn/jxssthjt/col42150/relation/1951206363677671424-RelationArticle.json"]
    assert r["entries"][2]["related"] == []          # relation: 0


def test_miit_and_ndrc_nested_jiedu_are_related(real_pages):
    r = _ok(inspect_file(real_pages / "miit_jpaas_list_unit_api_with_jiedu_trimmed.json",
                         base_url="https://www.miit.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit?pageNo=1"))
    assert r["kind"] == "list" and len(r["entries"]) == 3 and r["total"] == 2846
    assert r["entries"][1]["related"] == ["https://www.miit.gov.cn/zwgk/zcjd/art/2026/art_ced716be0a094e82937064b815ecba28.html"]
    assert len(r["next_pages"]) == 118                # ceil(2846 / 24) - 1, by the pageNo parameter
    r = _ok(inspect_file(real_pages / "ndrc_trs_list_fzggwl_with_jiedu_popbox_trimmed.html",
                         base_url="https://www.ndrc.gov.cn/xxgk/zcfb/fzggwl/"))
    assert r["kind"] == "list" and r["entries"][0]["related"] and r["entries"][0]["date"] == "2026-04-09"


def test_nea_datasource(real_pages):
    r = _ok(inspect_file(real_pages / "nea_vue_list_datasource_json_trimmed.json",
                         base_url="http://www.nea.gov.cn/policy/ds_123.json"))
    assert [e["date"] for e in r["entries"]] == ["2026-05-15", "2026-04-20", "2026-05-13"]
    assert r["entries"][0]["url"] == "http://www.nea.gov.cn/20260515/76a82a7375a942e2ab748b36cf7cc14b/c.html"
    assert r["entries"][1]["title"] == "国家能源局关于印发《新型储能电站建设工程质量监督大纲》的通知"


def test_document_links_are_url_strings(real_pages):
    r = inspect_file(real_pages / "trs_mee_detail_t20220417_974894_excerpt.html",
                     base_url="http://www.mee.gov.cn/ywdt/hjywnews/202204/t20220417_974894.shtml")
    assert r["related"]["interpretations"] and all(isinstance(u, str) for u in r["related"]["interpretations"])
    assert all(isinstance(u, str) for u in r["attachments"])


def test_every_capture_inspects(real_pages):
    for path in sorted(real_pages.iterdir()):
        if path.name != "README.md":
            r = inspect_file(path, base_url="http://www.example.gov.cn/col/col1/index.html")
            assert r["kind"] in ("list", "document", "other")
            json.dumps(r, ensure_ascii=False)
