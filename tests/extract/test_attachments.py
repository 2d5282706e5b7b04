import io

import pytest

from crawler.extract.attachments import read_file, sniff

PHONE = "13812345678"


def _pdf(text: str) -> bytes:
    """A one-page PDF with `text` in Helvetica, cross-reference table computed."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
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
