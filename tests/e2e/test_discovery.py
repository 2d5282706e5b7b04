"""Finding the disclosure section and its column tree from the homepage alone."""
import csv
from datetime import date, timedelta

from zwgk.serve import serve_directory

from .helpers import audit

AS_OF = date(2026, 11, 20)
NAV = ('<div class="menu2"><a href="/">首页</a> <a href="/zwfw/">政务服务</a> '
       '<a href="/hdjl/">互动交流</a> <a href="/xxgk/">政府信息公开</a></div>')
TREE = ('<ul class="lm"><li><a href="/xxgk/tzgg/">通知公告</a></li>'
        '<li><a href="/xxgk/fdzdgk/">法定主动公开内容</a><ul><li><a href="/xxgk/zcwj/">政策文件</a></li></ul></li></ul>')


def _page(body: str) -> str:
    return f'<html><head><meta charset="utf-8"><title>示例区人民政府</title></head><body>{NAV}{body}</body></html>'


def _list(prefix: str) -> str:
    rows = "".join(f'<li><a href="{prefix}/t{d:%Y%m%d}_{i}.html">关于第{i}项工作安排的通知公告</a><span>{d}</span></li>'
                   for i, d in ((i, AS_OF - timedelta(days=i)) for i in range(1, 4)))
    return f"<ul class='list'>{rows}</ul>"


def test_site_navigation_is_not_taken_for_disclosure_columns(tmp_path):
    root = tmp_path / "site"
    pages = {"": _page(_list("/xw")), "xxgk/": _page(TREE), "xxgk/tzgg/": _page(TREE + _list(".")),
             "xxgk/fdzdgk/": _page(TREE), "xxgk/zcwj/": _page(TREE + _list(".")),
             # Portals of the site, not columns: judged as columns they would look empty.
             "zwfw/": _page("<div>办事指南</div>"), "hdjl/": _page("<div>留言</div>")}
    for path, html in pages.items():
        (root / path).mkdir(parents=True, exist_ok=True)
        (root / path / "index.html").write_text(html, encoding="utf-8")
    with serve_directory(root) as base:
        proc, findings = audit(base, tmp_path / "out", "--render", "never", as_of=AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr[-2000:]
    with open(tmp_path / "out" / "columns.csv", encoding="utf-8-sig", newline="") as fh:
        columns = [r["column"] for r in csv.DictReader(fh)]
    assert columns == ["通知公告", "法定主动公开内容", "政策文件"]
    # 法定主动公开内容 only holds 政策文件: a container, not an empty column.
    assert not [f for f in findings if f["rule_id"] == "column.empty"]
