"""A list endpoint learned from the browser, applied to the site's other column pages.

When a rendered column page's script fetched its list from an endpoint (`/api/list?col=tzgg&page=1`),
`learn` finds where the page itself names each parameter's value: a segment of the page's path,
an attribute of one of its elements (`<ul data-col="tzgg">`, `<meta name="ColumnId">`) or a value
assigned in a script (`var columnId = "12"`). Such a template is trusted once two different
columns agree on it (same endpoint, same sources, same constant parameters): a parameter that is
column-specific but not named on the page would differ between them. `apply` then builds the
request for another column page from that page's own values, so the browser is not needed for it.

A learned request is marked `discovered`: its zero answer is no evidence, and when it gives nothing
the spider sends the column page to the browser after all.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.extract import dom
from crawler.readers.json_list import PAGE_PARAMS

_SKIP_ATTRS = {"class", "href", "src", "style", "title", "alt", "action", "onclick", "target", "rel", "type"}
_PAGE_KEYS = {p.lower() for p in PAGE_PARAMS}


@dataclass
class Template:
    url: str                        # the endpoint without its query
    method: str
    query: list[tuple[str, str]]    # the captured query, in order
    data: dict
    headers: dict
    # ("query"|"data", name) -> where the page names the value: ("path", i) | ("attr", tag, name)
    # | ("meta", name) | ("var", name)
    bindings: dict = field(default_factory=dict)

    def key(self) -> tuple:
        """What two columns must agree on: endpoint, sources, and every constant parameter."""
        constants = tuple(sorted((w, k, str(v)) for w, k, v in _params(self) if (w, k) not in self.bindings
                                 and k.lower() not in _PAGE_KEYS))
        return (self.method, self.url, tuple(sorted(self.bindings.items())), constants)


def _params(t: Template):
    for k, v in t.query:
        yield "query", k, v
    for k, v in t.data.items():
        yield "data", k, v


def learn(html: str, page_url: str, request: dict) -> Template | None:
    """The template of `request` (the endpoint a column page's script used), or None when the page
    names none of its parameters."""
    parts = urlsplit(request["url"])
    t = Template(url=urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")),
                 method=(request.get("method") or "GET").upper(),
                 query=parse_qsl(parts.query, keep_blank_values=True),
                 data=dict(request.get("data") or {}), headers=dict(request.get("headers") or {}))
    root = dom.parse(html)
    scripts = [s.text or "" for s in root.iter("script")]
    for where, key, value in list(_params(t)):
        value = str(value)
        if key.lower() in _PAGE_KEYS or not value or len(value) > 80:
            continue
        source = _source_of(value, root, scripts, page_url)
        if source is not None:
            t.bindings[(where, key)] = source
    return t if t.bindings else None


def _source_of(value: str, root, scripts: list[str], url: str):
    segments = [s for s in urlsplit(url).path.split("/") if s]
    for i, seg in enumerate(reversed(segments)):
        if seg == value or re.sub(r"\.\w+$", "", seg) == value:
            return ("path", i)
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("a", "script", "link", "img"):
            continue
        if el.tag == "meta" and (el.get("content") or "").strip() == value and el.get("name"):
            return ("meta", el.get("name"))
        for name, val in el.attrib.items():
            if name.lower() not in _SKIP_ATTRS and val.strip() == value and el.tag != "meta":
                return ("attr", el.tag, name)
    for script in scripts:
        m = re.search(rf"""["']?([A-Za-z_$][\w$]*)["']?\s*[:=]\s*["']?{re.escape(value)}["']?(?![\w-])""", script)
        if m:
            return ("var", m.group(1))
    return None


def _resolve(source: tuple, root, scripts: list[str], url: str) -> str | None:
    kind = source[0]
    if kind == "path":
        segments = [s for s in urlsplit(url).path.split("/") if s]
        if source[1] >= len(segments):
            return None
        seg = segments[-1 - source[1]]
        return re.sub(r"\.\w+$", "", seg) if "." in seg else seg
    if kind == "meta":
        for el in root.iter("meta"):
            if (el.get("name") or "") == source[1] and el.get("content"):
                return el.get("content").strip()
        return None
    if kind == "attr":
        values = {el.get(source[2]).strip() for el in root.iter(source[1]) if el.get(source[2])}
        return values.pop() if len(values) == 1 else None       # ambiguous: do not guess
    for script in scripts:
        m = re.search(rf"""["']?{re.escape(source[1])}["']?\s*[:=]\s*["']?([\w.-]+)""", script)
        if m:
            return m.group(1)
    return None


def apply(t: Template, html: str, page_url: str) -> dict | None:
    """The list request for another column page, from its own values; None when one is missing
    or all equal the learned column's (then it is that column, or the values say nothing)."""
    root = dom.parse(html)
    scripts = [s.text or "" for s in root.iter("script")]
    values = {}
    for ref, source in t.bindings.items():
        value = _resolve(source, root, scripts, page_url)
        if not value:
            return None
        values[ref] = value
    learned = {(w, k): str(v) for w, k, v in _params(t)}
    if all(values[ref] == learned.get(ref) for ref in values):
        return None
    query = [(k, values.get(("query", k), v)) for k, v in t.query]
    data = {k: values.get(("data", k), v) for k, v in t.data.items()}
    url = t.url + ("?" + urlencode(query) if query else "")
    return {"url": url, "method": t.method, "data": data, "headers": dict(t.headers), "discovered": True}


class Learned:
    """Templates seen per site; one is trusted once two different columns agree on it."""

    def __init__(self):
        self.seen: dict[tuple, set[str]] = {}     # template key -> column pages it was learned on
        self.templates: dict[tuple, Template] = {}

    def add(self, t: Template, page_url: str) -> None:
        key = t.key()
        self.seen.setdefault(key, set()).add(dom.host_key(page_url) + urlsplit(page_url).path)
        self.templates.setdefault(key, t)

    def pending(self, netloc: str) -> bool:
        """A template of this host learned on one column only: a second may confirm it."""
        return any(len(cols) == 1 and urlsplit(self.templates[key].url).netloc == netloc
                   for key, cols in self.seen.items())

    def request_for(self, html: str, page_url: str) -> dict | None:
        for key, t in self.templates.items():
            if len(self.seen[key]) >= 2 and _same_site(t.url, page_url):
                req = apply(t, html, page_url)
                if req:
                    return req
        return None


def _same_site(a: str, b: str) -> bool:
    from crawler.readers import _same_site as same   # the package imports this module's siblings

    return same(a, b)


__all__ = ["Template", "learn", "apply", "Learned"]
