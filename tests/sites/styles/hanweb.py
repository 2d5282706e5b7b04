"""Hanweb JCMS column pages: the first group embedded as a jpage `<datastore>`, later groups
from `/module/web/jpage/dataproxy.jsp` (answered by tests/sites/server.py from `.dataproxy/`)."""
from __future__ import annotations

import html
import json
import zlib

GROUP_PAGES = 3          # jpage's groupSize: one proxy answer = 3 display pages


def col_id(slug: str) -> int:
    return 10000 + zlib.crc32(slug.encode()) % 89999


def col_path(slug: str) -> str:
    return f"/col/col{col_id(slug)}/"


def doc_path(col, doc) -> str:
    d = doc.date
    return f"/art/{d.year}/{d.month}/{d.day}/art_{col_id(col.spec.slug)}_{doc.id}.html"


def record(b, doc) -> str:
    ds = f"{doc.listed:%Y-%m-%d}" if doc.dated else ""
    return (f'<li class="clearfix"><a target="_blank" href="{doc.path}" title="{html.escape(doc.title)}">'
            f"{html.escape(b.cut(doc.title))}</a><b>{ds}</b></li>")


def list_pages(b, col, cols, crumbs) -> None:
    s, c = b.spec, col.spec
    cid, unitid = col_id(c.slug), 300000 + col_id(c.slug)
    per_group = s.page_size * GROUP_PAGES
    records = [record(b, d) for d in col.docs]
    with_total = cid % 2 == 0          # some deployments state <totalrecord>, some do not
    root = b.root / ".dataproxy"
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{unitid}.json").write_text(json.dumps({"records": records, "total": with_total}, ensure_ascii=False),
                                         encoding="utf-8")
    first = "".join(f"<record><![CDATA[\n{r}]]></record>\n" for r in records[:per_group])
    total = f"<totalrecord>{len(records)}</totalrecord>" if with_total else ""
    marker = '<div class="no-data">暂无信息</div>\n' if c.state == "empty" else ""
    dead = b.dead_block(col) if s.comment_block else ""
    content = (f'{marker}<div id="{unitid}"><script type="text/xml"><datastore>{total}\n<nextgroup><![CDATA[<a href="'
               f'/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid={cid}&unitid={unitid}'
               f'&webname=%25E6%25B5%258B%25E8%25AF%2595&permissiontype=0"></a>]]></nextgroup>\n<recordset>\n'
               f"{first}</recordset></datastore></script></div>\n{dead}"
               f'<script type="text/javascript">$("#{unitid}").jpage({{dataStore: dataStore, perPage: {s.page_size}, '
               f"groupSize: {GROUP_PAGES}, proxyUrl: '/module/web/jpage/dataproxy.jsp', webid: '1', "
               f"columnid: '{cid}', unitid: '{unitid}', webname: '测试'}});</script>\n")
    body = b.framed(cols, c.name, content, crumbs)
    b.write(col.path, b.page(f"{c.name}-{b.name}", body, c.name))
