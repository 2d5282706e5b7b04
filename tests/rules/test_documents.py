import pytest

from tests.rules.builders import BASE, FULL, fired, site

URL = BASE + "/tzgg/1.html"


def one(column="通知公告", **fields):
    b = site().column(column, "2026-11-01")
    return fired(b.doc(column, URL, "关于某事的通知", **fields), "doc.missing_fields")


def test_complete_block_is_fine():
    assert one(**FULL) == []


def test_missing_and_empty_fields_named_in_one_finding():
    fields = dict(FULL, written="  ")
    del fields["index_no"]
    [f] = one(**fields)
    assert f.detail == "缺少索引号、成文日期"
    assert (f.url, f.column, f.title) == (URL, "通知公告", "关于某事的通知")


@pytest.mark.parametrize("key,name", [("publisher", "发布机构"), ("published", "发布日期")])
def test_each_required_field(key, name):
    [f] = one(**dict(FULL, **{key: ""}))
    assert f.detail == f"缺少{name}"


def test_doc_no_only_when_the_row_is_absent():
    assert one(**dict(FULL, doc_no="")) == []           # 文号 row present but empty: fine
    fields = dict(FULL)
    del fields["doc_no"]
    [f] = one(**fields)
    assert f.detail == "缺少发文字号"


def test_validity_only_in_normative_columns():
    fields = dict(FULL)
    del fields["validity"]
    assert one(**fields) == []
    [f] = one("规范性文件", **fields)
    assert f.detail == "缺少有效性"
    [f] = one("规范性文件", **dict(FULL, validity=""))
    assert f.detail == "缺少有效性"
    b = (site().column("规范性文件", has_children=True).column("2026年", "2026-11-01", parent="规范性文件")
         .doc("2026年", URL, **fields))
    assert [f.detail for f in fired(b, "doc.missing_fields")] == ["缺少有效性"]


def test_only_meta_block_documents_in_notice_policy_columns():
    b = site().column("通知公告", "2026-11-01").column("工作动态", "2026-11-19")
    b.doc("通知公告", URL, meta=False).doc("工作动态", BASE + "/gzdt/1.html")
    b.doc("通知公告", BASE + "/tzgg/2.html", status="timeout")
    assert fired(b, "doc.missing_fields") == []
