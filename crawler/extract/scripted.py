"""Text a page writes with `document.write("…")` of a literal, put where the script stands.

Some CMS templates write values into the page by script instead of markup: a metadata cell
`<td><script>document.write("2024-01-05")</script></td>`, a heading `document.write('政策文件')`.
A browser shows them; a reader that drops scripts sees an empty cell — a false "发布日期 empty".
Only calls whose arguments are string literals (joined with +) are read; a cell whose only
content writes something computed shows UNREAD (the value exists, zwgk could not read it: never an
empty field, never a guess).
"""
from __future__ import annotations

import re

import lxml.html
from lxml import etree

from crawler.extract import dom

__all__ = ["inline_writes", "UNREAD"]

UNREAD = "（页面脚本生成，未能读取）"
_CELLS = {"td", "th", "dd", "span", "em", "font", "b", "i", "strong", "li", "p", "label"}

_COMMENTS = re.compile(r"/\*.*?\*/|(?<![:'\"\\])//[^\n]*|<!--|-->", re.S)
_LITERAL = r"""(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
_CALL = re.compile(rf"\s*document\s*\.\s*write(?:ln)?\s*\(\s*({_LITERAL}(?:\s*\+\s*{_LITERAL})*)\s*\)\s*;?\s*")
_PART = re.compile(_LITERAL)


def _unquote(literal: str) -> str:
    body = literal[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def _written(code: str) -> str | None:
    """The HTML a script writes when it is nothing but document.write of literals, else None."""
    code = _COMMENTS.sub("", code or "").strip()
    if not code:
        return None
    out, pos = [], 0
    while pos < len(code):
        m = _CALL.match(code, pos)
        if not m or m.end() == pos:
            return None
        out.append("".join(_unquote(p) for p in _PART.findall(m.group(1))))
        pos = m.end()
    return "".join(out)


def inline_writes(root) -> None:
    """Replace, in place, each inline <script> that only writes literals by what it writes (in a
    <span>, which keeps the script's place and its tail)."""
    for script in list(root.iter("script")):
        if script.get("src") or (script.get("type") or "text/javascript").lower() not in (
                "text/javascript", "javascript", "application/javascript", "text/jscript"):
            continue
        html = _written(script.text or "")
        parent = script.getparent()
        if parent is None:
            continue
        if html is None:
            # It writes something computed where it stands (a cell holding only this script):
            # a value the browser shows and we cannot know — said so, never read as empty.
            if "document.write" not in (script.text or "") or parent.tag not in _CELLS \
                    or (parent.text or "").strip() or len(parent) != 1:
                continue
            html = UNREAD
        span = script.makeelement("span", {})
        try:
            parts = lxml.html.fragments_fromstring(html) if "<" in html else [html]
        except (etree.ParserError, ValueError):
            parts = [re.sub(r"<[^>]*>", "", html)]
        dom.append_mixed(span, parts)
        span.tail = script.tail
        script.getparent().replace(script, span)
