"""`zwgk inspect`: what zwgk sees on one page, as the JSON object of contract.md.

Uses the same decoding, list readers and field extractor as the spider, so an assessor sees
exactly what an audit would. List endpoints' XML/JSON answers (Hanweb dataproxy, jpaas, NEA,
gkmlpt) are read by the same list readers. Related links and attachments are printed as plain
absolute URL strings (contract.md).
"""
from __future__ import annotations

from pathlib import Path

from crawler.extract.dates import iso
from crawler.extract.encoding import decode_html
from crawler.extract.fields import LABELS, extract_document
from crawler.extract.navigation import page_text_length
from crawler.readers import read_list
from crawler.readers.base import ListContext

__all__ = ["inspect_page", "inspect_file"]

FIELD_KEYS = tuple(LABELS)
# Metas that only article pages carry (list pages of 集约化 sites carry ColumnName, not these).
_ARTICLE_METAS = ("ArticleTitle", "PubDate", "firstpublishedtime", "publishdate")


def _empty_result() -> dict:
    return {
        "kind": "other",
        "entries": [],
        "next_pages": [],
        "total": None,
        "fields": {key: None for key in FIELD_KEYS},
        "meta": {},
        "related": {"interpretations": [], "policies": []},
        "attachments": [],
    }


def inspect_page(body: bytes, url: str, encoding: str | None = None) -> dict:
    """The contract's inspect object for one response body at `url`.

    `encoding` forces a codec (the CLI's --encoding); otherwise bytes are decoded as the spider does.
    """
    if encoding:
        text = body.decode(encoding, errors="replace")
    else:
        text, _used = decode_html(body)
    result = _empty_result()
    page = read_list(text, url)
    if ListContext(text, url).kind != "html":      # a list endpoint's XML/JSON answer
        if page.entries or page.next_pages:
            _fill_list(result, page)
        return result

    doc = extract_document(text, url)
    result["meta"] = doc.meta
    if _is_document(doc, page, page_text_length(text)):
        result["kind"] = "document"
        result["fields"].update(doc.fields)
        result["related"] = {"interpretations": _urls(doc.interpretations), "policies": _urls(doc.policies)}
        result["attachments"] = _urls(doc.attachments)
    elif page.entries or page.next_pages or page.empty_marker or doc.meta.get("ColumnName"):
        # A column page with no readable entries (script-built, or empty) is still a list page.
        _fill_list(result, page)
    return result


def _fill_list(result: dict, page) -> None:
    result["kind"] = "list"
    # `related`: links nested in the row (相关解读 popbox, relation JSON), as URL strings.
    result["entries"] = [{"title": e.title, "url": e.url, "date": iso(e.date), "related": _urls(e.related)}
                         for e in page.entries]
    result["next_pages"] = page.next_pages
    result["total"] = page.total


def _urls(links) -> list[str]:
    out: list[str] = []
    for link in links:
        url = link.get("url") if isinstance(link, dict) else link
        if url and url not in out:
            out.append(url)
    return out


def _is_document(doc, page, prose: int) -> bool:
    if doc.has_meta_block:
        return True
    if any(doc.meta.get(name) for name in _ARTICLE_METAS):
        return True
    # Lists are mostly link text; an article is mostly prose outside links and page chrome.
    if len(page.entries) >= 3 and prose < 150 * len(page.entries):
        return False
    return prose >= 200


def inspect_file(path: str | Path, base_url: str | None = None, encoding: str | None = None) -> dict:
    """Inspect a saved page; `base_url` gives it its address (else its file:// URI)."""
    path = Path(path)
    url = base_url or path.resolve().as_uri()
    return inspect_page(path.read_bytes(), url, encoding)
