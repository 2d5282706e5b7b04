"""The crawl records what the relation extractor decided: a document whose 相关解读 block a script
fills is stored relations_unseen; a 解读's frame gives its policy links, merged into the page's."""
from __future__ import annotations

from scrapy.http import HtmlResponse, Request

from crawler import items as it
from crawler.spiders.disclosure import DisclosureSpider
from snapshot.store import Store
from tests.extract.test_relation_blocks import FRAME, SCRIPTS, page

SITE = "http://www.example.gov.cn/"
DOC = SITE + "zcjd/202610/t20261002_9.html"
BOX = '<div class="xgjd"><h3>相关文件</h3><ul id="xgwj"></ul></div>'


def parsed(callback: str, html: str, url: str, **meta):
    spider = DisclosureSpider(start_url=SITE)
    req = Request(url, meta={"column_url": SITE + "zcjd/", **meta})
    return list(getattr(spider, callback)(HtmlResponse(url, body=html.encode(), request=req,
                                                       encoding="utf-8")))


def document(html: str) -> it.DocumentItem:
    [doc] = [o for o in parsed("parse_document", html, DOC, role="document")
             if isinstance(o, it.DocumentItem)]
    return doc


def test_document_with_a_scripted_relation_block_is_stored_unseen(tmp_path):
    unseen = document(page(BOX, SCRIPTS[1], title="《某某区关于加强某某管理的办法》解读"))
    seen = document(page(BOX, title="《某某区关于加强某某管理的办法》解读"))
    assert unseen.relations_unseen and not seen.relations_unseen
    store = Store(tmp_path / "z.db")
    run = store.create_run(SITE)
    store.add_document(run, unseen)
    assert store.load(run).documents[0].relations_unseen is True


def test_frame_of_an_interpretation_adds_its_policy(tmp_path):
    frame = SITE + "zcjd/related_7.html"
    [related] = [o for o in parsed("parse_related", FRAME, frame, role="related", document_url=DOC)
                 if isinstance(o, it.RelatedItem)]
    assert related.policies == [SITE + "zcwj/202610/t20261001_1.html"]
    assert related.interpretations == [SITE + "zcjd/202610/t20261003_5.html"]
    store = Store(tmp_path / "z.db")
    run = store.create_run(SITE)
    store.add_document(run, document(page("", title="《某某区关于加强某某管理的办法》解读")))
    store.merge_document_relations(run, DOC, related.interpretations, related.policies)
    assert store.load(run).documents[0].policies == related.policies


def test_relation_endpoint_is_asked_and_its_answer_read_as_relations():
    html = page(BOX, SCRIPTS[1], title="《某某区关于加强某某管理的办法》解读")
    out = parsed("parse_document", html, DOC, role="document")
    endpoint = SITE + "jxssthjt/col42150/relation/1234-RelationArticle.json"
    asked = [o for o in out if getattr(o, "meta", {}).get("role") == "related"]
    assert [r.url for r in asked] == [endpoint]
    answer = ('{"relationArticle": ['
              '{"title": "某某区关于加强某某管理的办法", "url": "/zcwj/202610/t20261001_1.html"},'
              '{"title": "图解：某某区加强某某管理", "url": "/zcjd/202610/t20261003_5.html"}]}')
    [related] = [o for o in parsed("parse_related", answer, endpoint, role="related", document_url=DOC)
                 if isinstance(o, it.RelatedItem)]
    assert related.document_url == DOC
    assert related.policies == [SITE + "zcwj/202610/t20261001_1.html"]
    assert related.interpretations == [SITE + "zcjd/202610/t20261003_5.html"]
