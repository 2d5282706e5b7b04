"""A document's frames are stored as links of kind "frame": rules tell a 相关解读 sidebar that was
read (a `related` fetch answered) from one that was not, and judge only the first."""
from __future__ import annotations

from pathlib import Path

from scrapy.http import HtmlResponse, Request

from crawler import items as it
from crawler.spiders.disclosure import DisclosureSpider

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real_pages"


def document_items(html: bytes, url: str):
    spider = DisclosureSpider(start_url="http://www.gov.cn/")
    req = Request(url, meta={"column_url": "http://www.gov.cn/zhengce/", "role": "document"})
    return list(spider.parse_document(HtmlResponse(url, body=html, request=req, encoding="utf-8")))


def test_govcn_sidebar_frame_is_stored_and_asked_for():
    url = "http://www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm"
    out = document_items((REAL / "govcn_policy_detail_2019_content_5365945.html").read_bytes(), url)
    [doc] = [o for o in out if isinstance(o, it.DocumentItem)]
    frames = [ln["to_url"] for ln in doc.links if ln["kind"] == "frame"]
    assert frames == ["http://www.gov.cn/zhengce/2019-02/15/content_5365963.htm"]
    asked = [o for o in out if getattr(o, "meta", {}).get("role") == "related"]
    assert [r.url for r in asked] == frames


def test_page_without_frames_stores_none():
    html = ("<html><body><h1>关于某某的通知</h1><div id='zoom'><p>正文内容。</p>"
            "<iframe src='javascript:void(0)'></iframe></div></body></html>").encode()
    [doc] = [o for o in document_items(html, "http://x.gov.cn/a/1.html") if isinstance(o, it.DocumentItem)]
    assert not [ln for ln in doc.links if ln["kind"] == "frame"]
