"""Text (and tables) of attachment files: PDF, DOCX, XLSX, XLS — read with well-kept libraries.

Legacy binary .doc / .wps have no maintained pure-Python reader: they are recorded as unreadable
rather than guessed at, so a privacy rule never claims to have read what it could not.
"""
from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

log = logging.getLogger(__name__)

READABLE = {"pdf", "docx", "xlsx", "xls"}
FETCHED = READABLE | {"doc", "wps", "et"}     # fetched (size-limited) so the store says what they are
MAX_TEXT = 500_000
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class FileText:
    kind: str
    status: str = "ok"          # ok | unreadable
    text: str = ""
    tables: list[list[list[str]]] = field(default_factory=list)
    error: str = ""


# Extensions of files a document offers as attachments (not pages, not images).
FILE_EXTS = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "zip", "rar", "7z", "ofd",
                       "txt", "ppt", "pptx", "csv", "ceb", "dps"})
_PAGE_EXTS = frozenset({"htm", "html", "shtml", "xhtml"})
# Query keys that carry the file's own name (Hanweb downfile.jsp?filename=, fileName=, name= …).
_NAME_KEYS = frozenset({"filename", "file_name", "name", "fname", "file", "filepath", "path",
                        "attachname", "realname", "title", "downname", "newname", "oldname"})
_NAME_EXT = re.compile(r"\.([a-z0-9]{1,5})\s*(?:[(（\[【][^()（）\[\]【】]{0,20}[)）\]】])?\s*$", re.I)


def extension(url: str, text: str = "") -> str:
    """The file's extension: from the path, else from a file name in the query (a download
    script such as `downfile.jsp?filename=x.pdf`), else from the link `text` when it names a file
    (`实施方案.docx` on `/attach/123`). A page or script path without either keeps its own
    extension (`html`, `jsp`), and "" when there is none."""
    parts = urlsplit(url)
    last = parts.path.rsplit("/", 1)[-1].lower()
    own = last.rsplit(".", 1)[-1] if "." in last else ""
    if own in FILE_EXTS or own in _PAGE_EXTS:
        return own
    for key, value in parse_qsl(parts.query, keep_blank_values=False):
        if key.lower() in _NAME_KEYS:
            ext = _name_ext(unquote(value))
            if ext:
                return ext
    return _name_ext(text) or own


def is_attachment(url: str, text: str = "") -> bool:
    """Whether a link offers a file (see extension)."""
    return extension(url, text) in FILE_EXTS


def _name_ext(name: str) -> str:
    m = _NAME_EXT.search(name or "")
    ext = m.group(1).lower() if m else ""
    return ext if ext in FILE_EXTS else ""


def sniff(body: bytes, url: str = "") -> str:
    """The file's kind from its bytes (the extension only breaks ties: OLE is .doc or .xls)."""
    ext = extension(url)
    if body[:5] == b"%PDF-":
        return "pdf"
    if body[:4] == b"PK\x03\x04":
        try:
            names = zipfile.ZipFile(io.BytesIO(body)).namelist()
        except zipfile.BadZipFile:
            return ext or "zip"
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        return "zip"
    if body[:8] == _OLE:
        return ext if ext in ("doc", "xls", "wps", "et") else "ole"
    return ext


def read_file(body: bytes, url: str = "") -> FileText:
    kind = sniff(body, url)
    reader = _READERS.get(kind)
    if reader is None:
        return FileText(kind, "unreadable", error=f"不支持读取 {kind or '未知'} 格式")
    try:
        text, tables = reader(body)
    except Exception as exc:  # noqa: BLE001 — a broken file is an observation, not a crash
        log.info("cannot read %s (%s): %s", url, kind, exc)
        return FileText(kind, "unreadable", error=f"{type(exc).__name__}: {exc}"[:300])
    return FileText(kind, "ok", text[:MAX_TEXT], tables)


def _pdf(body: bytes):
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() or "" for page in reader.pages), []


def _docx(body: bytes):
    import docx
    d = docx.Document(io.BytesIO(body))
    tables = []
    for t in d.tables:
        # python-docx repeats a merged cell in every slot it covers: spans come expanded.
        tables.append([[c.text.strip() for c in row.cells] for row in t.rows])
    return "\n".join(_docx_lines(d)), tables


def _docx_lines(container) -> list[str]:
    """Paragraphs and table rows in document order: a line a paragraph, a line a table row."""
    from docx.table import Table
    lines: list[str] = []
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            lines += _docx_table_lines(block)
        else:
            lines.append(block.text)
    return lines


def _docx_table_lines(table) -> list[str]:
    """A line a row, cells joined by tabs (a merged cell once), nested tables after their row."""
    lines: list[str] = []
    for row in table.rows:
        cells, nested, seen = [], [], []
        for cell in row.cells:
            if any(cell._tc is tc for tc in seen):     # a horizontal merge repeats the cell
                continue
            seen.append(cell._tc)
            cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
            for inner in cell.tables:
                nested += _docx_table_lines(inner)
        lines.append("\t".join(cells))
        lines += nested
    return lines


def _xlsx(body: bytes):
    from openpyxl import load_workbook
    wb = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    tables = []
    for ws in wb.worksheets:
        tables.append([["" if v is None else _cell(v) for v in row]
                       for row in ws.iter_rows(values_only=True)])
    return _sheets_text(tables), tables


def _xls(body: bytes):
    import xlrd
    book = xlrd.open_workbook(file_contents=body)
    tables = []
    for sheet in book.sheets():
        rows = []
        for r in range(sheet.nrows):
            rows.append([_cell(v) for v in sheet.row_values(r)])
        tables.append(rows)
    return _sheets_text(tables), tables


def _cell(v) -> str:
    # xlrd gives numbers as floats: an ID or phone typed as a number must read as its digits.
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _sheets_text(tables) -> str:
    """One line a row, cells joined by tabs (so no number runs into its neighbour)."""
    rows = ("\t".join(c.strip() for c in row).rstrip("\t") for t in tables for row in t)
    return "\n".join(r for r in rows if r.strip())


_READERS = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "xls": _xls}
