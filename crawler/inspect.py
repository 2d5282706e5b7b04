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
from crawler.extract.fields import LABELS, extract_document, page_metas
from crawler.extract.pagekind import DOCUMENT, LIST, page_kind
from crawler.readers import read_list
from crawler.readers.base import ListContext

__all__ = ["inspect_page", "inspect_file"]

FIELD_KEYS = tuple(LABELS)


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

    kind = page_kind(text, url, page)       # the spider's decision (crawler.extract.pagekind)
    if kind == DOCUMENT:
        doc = extract_document(text, url)
        result["meta"] = doc.meta
        result["kind"] = "document"
        result["fields"].update(doc.fields)
        result["related"] = {"interpretations": _urls(doc.interpretations), "policies": _urls(doc.policies)}
        result["attachments"] = _urls(doc.attachments)
        return result
    result["meta"] = page_metas(text)
    if kind == LIST:
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


def inspect_file(path: str | Path, base_url: str | None = None, encoding: str | None = None) -> dict:
    """Inspect a saved page; `base_url` gives it its address (else its file:// URI)."""
    path = Path(path)
    url = base_url or path.resolve().as_uri()
    return inspect_page(path.read_bytes(), url, encoding)
