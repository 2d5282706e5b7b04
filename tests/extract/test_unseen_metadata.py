"""政府信息公开 metadata blocks as real sites lay them out, beyond our fixtures' `td`/`td` table:
a colon in a cell of its own, labels split over several elements, a label cell beside its value
cell in a `<div>` grid, a row of labels above a row of values, dates in Chinese numerals. Each
reading that misses a value is a false doc.missing_fields; one that takes a wrong value hides a
real one."""
from __future__ import annotations

import pytest

from crawler.extract.dates import find_date, parse_date
from crawler.extract.fields import extract_document
from crawler.extract.scripted import UNREAD

URL = "http://www.example.gov.cn/zwgk/zcwj/202401/t20240105_1.html"
TITLE = "关于印发某某市优化营商环境实施方案的通知"
BODY = ("<div class='TRS_Editor'><p>各区县人民政府，市政府各部门：现将《某某市优化营商环境实施方案》印发给你们，"
        "请认真贯彻执行。</p><p>某某市人民政府</p><p>2024年1月3日</p></div>")
WANT = {"index_no": "11370100MB123/2024-00001", "publisher": "某某市人民政府办公厅",
        "written": "2024-01-03", "published": "2024-01-05"}
VALUES = {"索引号": WANT["index_no"], "发布机构": WANT["publisher"], "成文日期": WANT["written"],
          "发布日期": WANT["published"]}


def doc(block: str):
    return extract_document(f"<html><head><title>{TITLE}</title></head><body>{block}<h1>{TITLE}</h1>{BODY}"
                            "</body></html>", URL)


def spaced(label: str, sep: str) -> str:
    return sep.join(label)


LAYOUTS = {
    "colon in its own cell": lambda: "<table>" + "".join(
        f"<tr><th>{k}</th><td>：</td><td>{v}</td></tr>" for k, v in VALUES.items()) + "</table>",
    "label split into characters": lambda: "<div class='meta'>" + "".join(
        f"<div class='row'>{''.join(f'<span>{c}</span>' for c in k)}：<span>{v}</span></div>" for k, v in VALUES.items()) + "</div>",
    "label split into words": lambda: "<div class='meta'>" + "".join(
        f"<p><label>{k[:2]}</label><label>{k[2:]}</label>：{v}</p>" for k, v in VALUES.items()) + "</div>",
    "label and colon apart": lambda: "<div class='meta'>" + "".join(
        f"<p><b>{k}</b><i>：</i>{v}</p>" for k, v in VALUES.items()) + "</div>",
    "div grid": lambda: "<div class='meta'>" + "".join(
        f"<div class='row'><div class='l'>{spaced(k, '&nbsp;')}：</div><div class='r'>{v}</div></div>"
        for k, v in VALUES.items()) + "</div>",
    "label block then value block": lambda: "<div class='meta'>" + "".join(
        f"<div><strong>{k}:</strong></div><div>{v}</div>" for k, v in VALUES.items()) + "</div>",
    "labels row above values row": lambda: "<table><tr>" + "".join(f"<th>{k}</th>" for k in VALUES) + "</tr><tr>"
        + "".join(f"<td>{v}</td>" for v in VALUES.values()) + "</tr></table>",
    "full-width padding and colspan": lambda: (
        "<table><tr><td>索　引　号：</td><td>{0}</td><td>发布机构：</td><td>{1}</td></tr>"
        "<tr><td>标　　题：</td><td colspan='3'>" + TITLE + "</td></tr>"
        "<tr><td>成文日期：</td><td>{2}</td><td>发布日期：</td><td>{3}</td></tr></table>").format(*VALUES.values()),
    "dates in Chinese numerals": lambda: (
        "<table><tr><td>索引号：</td><td>{0}</td><td>发布机构：</td><td>{1}</td></tr>"
        "<tr><td>成文日期：</td><td>二〇二四年一月三日</td><td>发布日期：</td><td>二○二四年一月五日</td></tr></table>"
    ).format(*VALUES.values()),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_metadata_block_layouts(layout):
    d = doc(LAYOUTS[layout]())
    assert d.has_meta_block
    assert {k: d.fields.get(k) for k in WANT} == WANT


def test_an_empty_label_stays_empty_when_body_text_follows():
    """`发布日期：` with nothing after it, then the body: the field is shown empty, never read
    from the next paragraph."""
    d = doc("<div class='meta'><p>索引号：X/2024-1</p><p>发布机构：某局</p><p>成文日期：2024-01-03</p>"
            "<p>发布日期：</p><p>各区县人民政府：现将方案印发给你们。</p></div>")
    assert d.fields["published"] == ""


def test_an_empty_value_cell_beside_the_label_stays_empty():
    d = doc("<table><tr><td>索引号：</td><td>X/2024-1</td></tr><tr><td>发布机构：</td><td></td></tr>"
            "<tr><td>成文日期：</td><td>2024-01-03</td></tr><tr><td>发文字号：</td><td></td></tr></table>")
    assert d.fields["publisher"] == "" and d.fields["doc_no"] == ""


@pytest.mark.parametrize("text,want", [
    ("二〇二四年一月五日", "2024-01-05"), ("二○二三年十二月三十一日", "2023-12-31"),
    ("二〇二〇年十月十日", "2020-10-10"), ("二〇二四年十三月五日", None), ("一月五日", None),
])
def test_dates_in_chinese_numerals(text, want):
    got = parse_date(text)
    assert (got.isoformat() if got else None) == want
    found = find_date(f"成文日期：{text}　")
    assert (found.isoformat() if found else None) == want


def test_url_date_is_no_publication_date():
    """Only the URL carries a date: 发布日期 stays absent (URL dates are hints, rules.md)."""
    d = extract_document(f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>{BODY}</body></html>", URL)
    assert "published" not in d.fields


def test_label_synonyms_of_other_provinces():
    d = doc("<table><tr><td>索引号：</td><td>X/2024-1</td><td>发布机关：</td><td>某局</td></tr>"
            "<tr><td>印发时间：</td><td>2024-01-03</td><td>公布日期：</td><td>2024-01-05</td></tr>"
            "<tr><td>发文文号：</td><td>某发〔2024〕1号</td><td>时效性：</td><td>有效</td></tr></table>")
    assert d.fields == {**d.fields, "publisher": "某局", "written": "2024-01-03", "published": "2024-01-05",
                        "doc_no": "某发〔2024〕1号", "validity": "有效"}


def test_values_a_template_writes_with_document_write():
    """`<td><script>document.write("2024-01-05")</script></td>`: what the browser shows is the
    value; a value the script computes is shown as unread — neither empty (a false
    doc.missing_fields) nor guessed."""
    d = doc("<table><tr><td>索引号：</td><td>X/2024-1</td><td>发布机构：</td><td><script>document.write('某局');</script></td></tr>"
            "<tr><td>成文日期：</td><td><script type='text/javascript'>\n// 成文日期\ndocument.write(\"2024\" + \"-01-03\")\n"
            "</script></td><td>发布日期：</td><td><script>document.write(formatDate(pubDate))</script></td></tr></table>")
    assert d.fields["publisher"] == "某局" and d.fields["written"] == "2024-01-03"
    assert d.fields["published"] == UNREAD
    # a script elsewhere (statistics, a menu) writes nothing into the page text
    plain = doc("<div><script>var _hmt = _hmt || []; document.write(unescape('%3Cspan%3E'))</script>x</div>")
    assert UNREAD not in plain.text
