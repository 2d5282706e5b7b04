"""Client-rendered columns: an empty list container and a script that fetches
`/api/list?column=<id>&page=N` (JSON files `api/list@column=<id>&page=N`), or the whole list
embedded as `var listData = {…}` (every third column)."""
from __future__ import annotations

import json
import math

from tests.sites.styles.hanweb import col_id


def item(doc) -> dict:
    return {"title": doc.title, "url": doc.path, "publishTime": f"{doc.listed:%Y-%m-%d} 09:30:00" if doc.dated else ""}


def list_pages(b, col, cols, crumbs) -> None:
    s, c = b.spec, col.spec
    cid = col_id(c.slug)
    embedded = cid % 3 == 0
    dead = b.dead_block(col) if s.comment_block else ""
    if c.state == "empty":
        content = '<div class="no-data">暂无信息</div>\n' + dead
    elif embedded:
        data = json.dumps({"articleList": [item(d) for d in col.docs], "total": len(col.docs)}, ensure_ascii=False)
        content = (f'<ul class="list" id="list"></ul>\n{dead}<script type="text/javascript">\nvar listData = {data};\n'
                   "render(listData.articleList);\n</script>\n")
    else:
        pages, ps = col.pages, s.page_size
        for k in range(pages):
            chunk = col.docs[k * ps:(k + 1) * ps]
            body = {"code": 0, "data": {"total": len(col.docs), "pages": pages, "page": k + 1,
                                        "list": [item(d) for d in chunk]}}
            b.write(f"/api/list@column={cid}&page={k + 1}", json.dumps(body, ensure_ascii=False))
        content = (f'<ul class="list" id="list"></ul>\n<div class="page" id="pager"></div>\n{dead}'
                   '<script type="text/javascript">\nfunction load(p){\n'
                   f"  fetch('/api/list?column={cid}&page=' + p).then(function(r){{return r.json();}})"
                   ".then(function(d){render(d.data.list); pager(d.data.pages, p);});\n}\nload(1);\n</script>\n")
    body = b.framed(cols, c.name, content, crumbs)
    b.write(col.path, b.page(f"{c.name}-{b.name}", body, c.name))
