"""Page text that keeps its boundaries: the one text extraction every rule reads.

Zyte's html-text does the walk (whitespace rules, a new line for block elements). Around it:
scripts, styles, comments and hidden elements (dom.hides) never count; every block, list item and
`<br>` line is its own line; table cells are separated by a tab and rows by a newline. Why: 公示
lists put one person a row with the mobile number in its own cell, and a number that runs into its
neighbours (`郭庄社区2138612140172马德胜`) can be told from neither a phone nor an index number.

html-text puts a space around inline elements (`发布<b>日期</b>` → `发布 日期`); between two Chinese
characters that space is taken out again, so labels read as the browser shows them. Spaces next to
digits are kept: they may be all that separates two numbers.
"""
from __future__ import annotations

import copy
import re
from typing import Callable

import html_text

from crawler.extract import dom

__all__ = ["visible_text", "text_lines"]

_CELL = "\ue000"          # private-use mark put at the start of a cell; becomes a tab
_NEVER_SHOWN = ("head", "title", "script", "style", "noscript", "template", "select",
                "option", "object", "embed", "iframe", "frame", "frameset", "map", "svg", "math")
_LINE_TAGS = frozenset(html_text.NEWLINE_TAGS | html_text.DOUBLE_NEWLINE_TAGS | {
    "section", "caption", "address", "center", "summary", "figure", "thead", "tbody", "tfoot",
    "dir", "menu", "noframes", "marquee"})
_CELLS = ("td", "th")
_SHORT_CELL = 200
_HAN = (r"[\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
        r"\ufe30-\ufe4f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")
_HAN_SPACE = re.compile(rf"(?<={_HAN}) (?={_HAN})")
_CELL_MARK = re.compile(rf" ?{_CELL} ?")
_LINE_SPACE = re.compile(r"[ \t]*\n[ \t\n]*")


def visible_text(source, *, drop: Callable[[object], bool] | None = None) -> str:
    """The text a reader sees, blocks and `<br>` lines on lines of their own, table cells apart.

    `source` is HTML (str or bytes) or an lxml element: a whole page or a part of one (the part's
    own hidden descendants are dropped; whether an ancestor hides it is the caller's business).
    `drop(el)` names further elements to leave out (links, page chrome …); their tails stay.
    The caller's tree is never changed.
    """
    if source is None:
        return ""
    if isinstance(source, (str, bytes)):
        root = dom.parse(source)
    elif isinstance(getattr(source, "tag", None), str):
        root = copy.deepcopy(source)
        root.tail = None
    else:
        return ""
    _prune(root, drop)
    _flatten_cells(root)
    _mark_cells(root)
    raw = html_text.etree_to_text(root, guess_layout=True, newline_tags=_LINE_TAGS,
                                  double_newline_tags=())
    return _tidy(raw)


def text_lines(source) -> list[str]:
    """The non-empty lines of visible_text (a cell row is one line, cells joined by tabs)."""
    return [line for line in visible_text(source).split("\n") if line]


def _prune(root, drop) -> None:
    """Take out what is never shown: comments, scripts and the like, hidden elements (but never
    <html>/<body>: pages hide the body until their scripts have run), and what `drop` names."""
    doomed = []
    for node in root.iter():
        if not isinstance(node.tag, str):           # comments, processing instructions, entities
            doomed.append(node)
        elif node is root or node.tag in ("html", "body"):
            continue
        elif node.tag in _NEVER_SHOWN or dom.hides(node) or (drop is not None and drop(node)):
            doomed.append(node)
    for node in doomed:
        _remove(node)


def _remove(node) -> None:
    """Remove a node and its subtree, keeping the text that follows it."""
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail
    if tail:
        prev = node.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


def _flatten_cells(root) -> None:
    """A data cell's paragraphs stay on its row: Word-made tables wrap every cell in <p>, and a
    row that is one line keeps a record (name, 社区, phone) together. <br> still breaks the line;
    cells holding a table or much text (page layout tables) keep their blocks."""
    for cell in root.iter(*_CELLS):
        if cell.find(".//table") is not None or len(cell.text_content()) > _SHORT_CELL:
            continue
        for el in cell.iterdescendants():
            if isinstance(el.tag, str) and el.tag in _LINE_TAGS and el.tag != "br":
                el.tag = "span"


def _mark_cells(root) -> None:
    """Put the cell mark at the start of every cell that follows another in its row."""
    for cell in root.iter(*_CELLS):
        prev = cell.getprevious()
        while prev is not None and not isinstance(prev.tag, str):
            prev = prev.getprevious()
        if prev is not None and prev.tag in _CELLS:
            cell.text = _CELL + (cell.text or "")


def _tidy(raw: str) -> str:
    text = _CELL_MARK.sub("\t", raw)
    text = _HAN_SPACE.sub("", text)
    text = _LINE_SPACE.sub("\n", text)
    return "\n".join(line.strip(" \t") for line in text.split("\n") if line.strip(" \t"))

