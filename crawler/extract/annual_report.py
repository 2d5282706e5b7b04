"""Annual report (政府信息公开工作年度报告) tables: every <table> of a page as a grid of cell texts,
row/column spans expanded — what the snapshot stores (documents.tables, attachments.tables).

Observation only: reading the template's numeric tables from stored grids is the audit's side
(audits/annual_tables.py), and which identities must hold is audits/rules/annual_report.
"""
from __future__ import annotations

from crawler.extract import dom

MAX_SPAN = 100          # a bogus rowspan="9999" must not blow up the grid


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip() or 1), MAX_SPAN))
    except ValueError:
        return 1


def table_grid(table) -> list[list[str]]:
    """One <table> element as rows of cell texts; a spanned cell repeats in every slot it covers."""
    grid: dict[tuple[int, int], str] = {}
    rows = [tr for tr in table.iter("tr") if _own(tr, table)]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            text = dom.norm(cell.text_content())
            for i in range(_span(cell.get("rowspan"))):
                for j in range(_span(cell.get("colspan"))):
                    grid.setdefault((r + i, c + j), text)
            c += _span(cell.get("colspan"))
    if not grid:
        return []
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(min(height, len(rows)))]


def _own(tr, table) -> bool:
    """The row belongs to this table, not to a table nested in one of its cells."""
    p = tr.getparent()
    while p is not None and p.tag != "table":
        p = p.getparent()
    return p is table


def parse_tables(html: str) -> list[list[list[str]]]:
    """Every table of the page as a grid (outermost first; nested tables separately)."""
    root = dom.clean_copy(dom.parse(html))
    return [g for g in (table_grid(t) for t in root.iter("table")) if g]
