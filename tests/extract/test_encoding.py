from crawler.extract.encoding import decode_html

TEXT = "政府信息公开 镕 堃"  # 镕 and 堃 are GBK but not GB2312 characters


def test_gbk_bytes_under_gb2312_meta_decode():
    body = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>{TEXT}</body></html>'.encode("gbk")
    text, used = decode_html(body)
    assert TEXT in text
    assert used == "gb18030"


def test_gbk_bytes_under_gb2312_header():
    text, used = decode_html(TEXT.encode("gbk"), declared="GB2312")
    assert text == TEXT and used == "gb18030"


def test_bytes_win_over_a_wrong_declaration():
    body = f'<meta charset="gbk"><p>{TEXT}</p>'.encode("utf-8")
    text, used = decode_html(body, declared="gbk")
    assert TEXT in text and used == "utf-8"


def test_gbk_bytes_declared_utf8_fall_back():
    text, used = decode_html(f"<p>{TEXT}</p>".encode("gbk"), declared="utf-8")
    assert TEXT in text and used == "gb18030"


def test_bom_first():
    text, used = decode_html("\ufeff<p>公开</p>".encode("utf-8"), declared="gbk")
    assert text == "<p>公开</p>" and used == "utf-8-sig"
