"""Annual report (政府信息公开工作年度报告) tables read from the grids the snapshot stores
(documents.tables, attachments.tables: rows of cell texts, spans expanded by the crawler's
crawler/extract/annual_report.parse_tables): the template's two numeric tables as rows of numbers.

Reading stored grids is the audit's side: which identities must hold is audits/rules/annual_report.
Both templates are read by their row and column labels, not by position: 2019–2020 (国办公开办函
〔2019〕60号) and 2021+ (〔2021〕30号) differ in table 二 and in the (六)其他处理 rows of table 三.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_NUMBER = re.compile(r"^\d+$")
_BLANKS = {"", "-", "—", "－", "/", "／", "无", "0"}


def number(cell: str) -> int | None:
    """A cell's count: blanks and &nbsp; (and dashes) read as 0; None for text like 251000元."""
    value = re.sub(r"[\s,，\u3000\xa0]", "", cell or "")
    if value in _BLANKS:
        return 0
    return int(value) if _NUMBER.match(value) else None


def _key(text: str) -> str:
    return re.sub(r"[\s\u3000\xa0]", "", text or "")


@dataclass
class ApplicationTable:
    """Table 三 (收到和处理政府信息公开申请情况): applicant columns, the last one 总计."""
    columns: list[str]
    new: list[int]                   # 一、本年新收
    carried_in: list[int]            # 二、上年结转
    outcomes: list[tuple[str, list[int]]] = field(default_factory=list)   # 三's leaf rows
    total: list[int] = field(default_factory=list)                        # 三(七)总计
    carried_out: list[int] = field(default_factory=list)                  # 四、结转下年度


def application_table(grid: list[list[str]]) -> ApplicationTable | None:
    """Read table 三 from a grid, or None when the grid is not that table."""
    start = next((c for row in grid for c, cell in enumerate(row) if _key(cell) == "自然人"), None)
    if start is None or not any("新收" in _key(row[0]) for row in grid if row):
        return None
    # The lowest header row names each applicant column (商业企业, 科研机构 … under 法人或其他组织).
    leaf_header = max((r for r in grid if _key(r[start]) == "自然人"),
                      key=lambda r: len(set(r[start:])))
    columns = [_key(x) for x in leaf_header[start:]]
    table = ApplicationTable(columns=columns, new=[], carried_in=[])
    in_results = False
    for row in grid:
        labels = [_key(x) for x in row[:start]]
        values = [number(x) for x in row[start:]]
        if not labels or any(v is None for v in values) or _key(row[start]) == "自然人":
            continue
        first = labels[0]
        leaf = labels[-1]
        if "新收" in first:
            table.new = values
        elif "上年结转" in first:
            table.carried_in = values
        elif "结转下年" in first:
            table.carried_out = values
            in_results = False
        elif "办理结果" in first or in_results:
            in_results = True
            if "总计" in leaf:
                table.total = values
            else:
                name = "".join(dict.fromkeys(x for x in labels[1:]))
                table.outcomes.append((name, values))
    if not (table.new and table.total):
        return None
    return table


@dataclass
class ReviewBlock:
    """One block of table 四: 行政复议, 未经复议直接起诉, 复议后起诉."""
    name: str
    parts: list[tuple[str, int]]     # 结果维持, 结果纠正, 其他结果, 尚未审结
    total: int


def review_table(grid: list[list[str]]) -> list[ReviewBlock] | None:
    """Read table 四 (行政复议、行政诉讼) from a grid, or None when the grid is not that table."""
    flat = "".join(_key(x) for row in grid for x in row)
    if "行政复议" not in flat or "行政诉讼" not in flat or "结果维持" not in flat:
        return None
    data = [row for row in grid if row and all(number(x) is not None for x in row)
            and any(_key(x) for x in row)]
    header = next((row for row in reversed(grid) if sum("总计" in _key(x) for x in row) >= 2), None)
    if not data or header is None:
        return None
    values = [number(x) for x in data[-1]]
    blocks, parts = [], []
    for c, label in enumerate(header):
        label = _key(label)
        if "总计" in label:
            # The block's name: the header cell above it that says 复议 (行政复议, 复议后起诉 …).
            name = next((_key(r[c]) for r in grid if "复议" in _key(r[c])), label)
            blocks.append(ReviewBlock(name, parts, values[c]))
            parts = []
        else:
            parts.append((label, values[c]))
    return blocks or None
