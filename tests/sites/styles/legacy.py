"""Legacy servers: GBK bytes declared as GB2312 (meta and header), table rows, `?page=N` paging,
dates as 2023年05月12日 / [2023-05-12] / MM-DD. `?page=N` answers are files named
`index.html@page=N` (tests/sites/server.py serves `<file>@<query>` for a query)."""
from __future__ import annotations

import html


def doc_path(col, doc) -> str:
    # The year-month directory lets a reader date "MM-DD" rows (README §2.3).
    return f"{col.path}{doc.date:%Y%m}/{doc.id}.htm"


def fmt(b, d) -> str:
    st = b.spec.list_style
    if st == "cn_date":
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    if st == "bracket":
        return f"[{d:%Y-%m-%d}]"
    return f"{d:%m-%d}"


def list_pages(b, col, cols, crumbs) -> None:
    s, c = b.spec, col.spec
    pages, ps = col.pages, s.page_size
    for k in range(pages):
        chunk = col.docs[k * ps:(k + 1) * ps]
        rows = "".join(f'<tr><td class="title"><a href="{d.path}" target="_blank" title="{html.escape(d.title)}">'
                       f'{html.escape(b.cut(d.title))}</a></td><td class="date">{fmt(b, d.listed) if d.dated else ""}</td></tr>\n'
                       for d in chunk)
        if c.state == "empty":
            listing = '<div class="no-data">暂无信息</div>\n'
        else:
            listing = f'<table class="list" width="100%">\n{rows}</table>\n'
        if s.comment_block and k == 0:
            listing += b.dead_block(col)
        nav = []
        if pages > 1:
            nav.append(f'<a href="?page=1">首页</a>' if k else "首页")
            nav.append(f'<a href="?page={k}">上一页</a>' if k else "上一页")
            nav.append(f'<a href="?page={k + 2}">下一页</a>' if k < pages - 1 else "下一页")
            nav.append(f'<a href="?page={pages}">尾页</a>' if k < pages - 1 else "尾页")
            nav.append(f"共{pages}页")
        content = listing + (f'<div class="page">{" ".join(nav)}</div>\n' if nav else "")
        text = b.page(f"{c.name}-{b.name}", b.framed(cols, c.name, content, crumbs), c.name)
        if k == 0:
            b.write(col.path, text)
        b.write(f"{col.path}index.html@page={k + 1}", text)


def encode(text: str) -> bytes:
    """GB2312 declared, GBK bytes (characters outside GB2312 such as 镕 stay encodable)."""
    return text.replace('<meta charset="utf-8">', '<meta charset="gb2312">', 1).encode("gbk", errors="xmlcharrefreplace")
