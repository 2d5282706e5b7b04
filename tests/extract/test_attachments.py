import io

import pytest

from audits.rules.privacy import find_mobiles
from crawler.extract.attachments import read_file, sniff
from tests.rules.builders import BASE, FULL, fired, site

PHONE = "13812345678"


def _pdf(text: str) -> bytes:
    """A one-page PDF with `text` in Helvetica, cross-reference table computed."""
    return _pdf_page(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET")


def _pdf_page(content: str) -> bytes:
    """A one-page PDF whose content stream is `content` (font /F1 is Helvetica)."""
    stream = content.encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_pdf_text():
    read = read_file(_pdf(f"Tel {PHONE}"), "http://x.gov.cn/a.pdf")
    assert read.kind == "pdf" and read.status == "ok" and PHONE in read.text


def test_docx_text_and_tables():
    import docx
    d = docx.Document()
    d.add_paragraph("一、总体情况")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "申请人情况"
    t.cell(1, 0).text, t.cell(1, 1).text = "自然人", "3"
    buf = io.BytesIO()
    d.save(buf)
    read = read_file(buf.getvalue(), "http://x.gov.cn/a.docx")
    assert read.kind == "docx" and "一、总体情况" in read.text
    assert read.tables == [[["申请人情况", "申请人情况"], ["自然人", "3"]]]


def test_xlsx_numbers_read_as_digits():
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(["姓名", "手机"])
    wb.active.append(["张三", int(PHONE)])
    buf = io.BytesIO()
    wb.save(buf)
    read = read_file(buf.getvalue(), "http://x.gov.cn/名单.xlsx")
    assert read.kind == "xlsx" and f"张三\t{PHONE}" in read.text


@pytest.mark.parametrize("body,url,kind", [(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "http://x/a.doc", "doc"),
                                           (b"junk", "http://x/a.wps", "wps")])
def test_legacy_formats_are_unreadable_not_guessed(body, url, kind):
    read = read_file(body, url)
    assert (read.kind, read.status, read.text) == (kind, "unreadable", "")


def test_broken_pdf_is_unreadable():
    assert read_file(b"%PDF-1.4 garbage", "http://x/a.pdf").status == "unreadable"
    assert sniff(b"PK\x03\x04junk", "http://x/a.xlsx") == "xlsx"


# --- cells and lines stay apart, so a number in a cell stands alone ------------------------------

ROW = ("郭庄社区", "2", PHONE, "2", "马德胜")       # joined: 郭庄社区2138123456782马德胜


def _saved(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _fires(url: str, text: str) -> list:
    snap = (site().column("通知公告").doc("通知公告", BASE + "/tzgg/1.html", "名单公示", **FULL)
            .body("名单见附件").attachment(url, text=text))
    return fired(snap, "privacy.phone")


def test_docx_table_cells_are_apart_in_document_order():
    import docx
    d = docx.Document()
    d.add_paragraph("公益性岗位人员名单")
    t = d.add_table(rows=3, cols=5)
    for i, head in enumerate(("社区", "户数", "联系电话", "人数", "姓名")):
        t.cell(0, i).text = head
    for i, value in enumerate(ROW):
        t.cell(1, i).text = value
    t.cell(2, 0).merge(t.cell(2, 4)).text = "合计"
    inner = t.cell(1, 4).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "备用", "13912345678"
    d.add_paragraph("公示期五个工作日。")
    read = read_file(_saved(d), BASE + "/tzgg/名单.docx")
    lines = read.text.split("\n")
    assert lines[0] == "公益性岗位人员名单" and lines[-1] == "公示期五个工作日。"
    assert "\t".join(ROW) in lines and "备用\t13912345678" in lines
    assert "合计" in lines                                          # a merged cell once
    assert find_mobiles(read.text) == [PHONE, "13912345678"]
    [f] = _fires(BASE + "/tzgg/名单.docx", read.text)
    assert "138****5678" in f.detail and PHONE not in f.detail


def test_docx_cell_with_lines_keeps_them_apart():
    import docx
    d = docx.Document()
    cell = d.add_table(rows=1, cols=2).cell(0, 0)
    cell.text = "张三"
    cell.add_paragraph(PHONE)
    d.tables[0].cell(0, 1).text = "2"
    read = read_file(_saved(d), "http://x.gov.cn/a.docx")
    assert f"张三 {PHONE}\t2" in read.text and find_mobiles(read.text) == [PHONE]


def test_xlsx_cells_are_apart_on_every_sheet():
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(["社区", "户数", "联系电话", "人数", "姓名", None, None])
    wb.active.append(["郭庄社区", 2, int(PHONE), 2, "马德胜", None, None])
    other = wb.create_sheet("第二页")
    other.append(["李四", float("13912345678"), "１５９１２３４５６７８", "138****0000"])
    read = read_file(_saved(wb), BASE + "/tzgg/名单.xlsx")
    lines = read.text.split("\n")
    assert "\t".join(ROW) in lines and "社区\t户数\t联系电话\t人数\t姓名" in lines
    assert "李四\t13912345678\t１５９１２３４５６７８\t138****0000" in lines
    assert find_mobiles(read.text) == [PHONE, "13912345678", "15912345678"]
    [f] = _fires(BASE + "/tzgg/名单.xlsx", read.text)
    assert "138****5678" in f.detail and "159****5678" in f.detail


def test_xlsx_index_numbers_and_amounts_stay_silent():
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(["索引号", "金额（元）", "日期", "订单号"])
    wb.active.append(["11370300MB2857546X/2023-13812345678", 13812345678.5, "2023-10-23", "2023102313812345678"])
    read = read_file(_saved(wb), "http://x.gov.cn/a.xlsx")
    assert read.status == "ok" and find_mobiles(read.text) == []


def test_pdf_table_cells_keep_a_space():
    # Three cells of one row, placed apart on the line as a PDF table draws them.
    content = " ".join(f"BT /F1 12 Tf {x} 720 Td ({v}) Tj ET" for x, v in ((72, "2"), (100, PHONE), (200, "2")))
    read = read_file(_pdf_page(content), "http://x.gov.cn/a.pdf")
    assert f"2 {PHONE} 2" in read.text and find_mobiles(read.text) == [PHONE]
