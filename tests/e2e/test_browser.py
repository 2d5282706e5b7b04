"""Lists that exist only after scripts run are read in the browser (--render auto), and an
anti-bot wall is reported as blocked, never as empty or stale columns."""
import csv
import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from crawler.browser import find_chromium
from zwgk.serve import QuietHandler, serve_directory

from .helpers import audit

pytestmark = pytest.mark.skipif(find_chromium() is None, reason="no Chrome/Chromium on this machine")

AS_OF = date(2026, 11, 20)
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="SiteName" content="示例县人民政府">
<title>{title}</title></head><body><div class="nav"><a href="/">首页</a> <a href="/xxgk/">政府信息公开</a></div>
<div class="left"><ul class="tree"><li><a href="/xxgk/tzgg/">通知公告</a></li><li><a href="/xxgk/gzdt/">工作动态</a></li></ul></div>
<div class="main">{main}</div></body></html>"""


def _static_list(n: int) -> str:
    rows = "".join(f'<li><a href="./2026{11:02d}/t{(AS_OF - timedelta(days=i)):%Y%m%d}_{i}.html" '
                   f'title="关于第{i}项工作的通知">关于第{i}项工作的通知</a><span>{AS_OF - timedelta(days=i)}</span></li>'
                   for i in range(1, n + 1))
    return f'<ul class="list">{rows}</ul>'


# The list is drawn by DOM calls from values computed in script: no JSON, no datastore, no API
# for a reader to find. Only a browser sees it.
SCRIPTED = """<ul class="list" id="list"></ul>
<script>
var items = [];
for (var i = 1; i <= 6; i++) {
  var d = new Date(Date.UTC(2026, 10, 20 - i));
  items.push({t: '工作动态第' + i + '条：镇街开展安全生产检查', u: './202611/dt_' + i + '.html',
              d: d.toISOString().slice(0, 10)});
}
document.getElementById('list').innerHTML = items.map(function (x) {
  return '<li><a href="' + x.u + '" title="' + x.t + '">' + x.t + '</a><span>' + x.d + '</span></li>';
}).join('');
</script>"""


def _write_site(root: Path, news_column: str) -> Path:
    """Homepage → 政府信息公开 → 通知公告 (a static list) and 工作动态 (`news_column`)."""
    for path, title, main in [("", "示例县人民政府", "<p>欢迎访问</p>"),
                              ("xxgk/", "政府信息公开", "<p>政府信息公开专栏</p>"),
                              ("xxgk/tzgg/", "通知公告", _static_list(3)),
                              ("xxgk/gzdt/", "工作动态", news_column)]:
        (root / path).mkdir(parents=True, exist_ok=True)
        (root / path / "index.html").write_text(PAGE.format(title=title, main=main), encoding="utf-8")
    return root


@pytest.fixture
def scripted_site(tmp_path):
    with serve_directory(_write_site(tmp_path / "site", SCRIPTED)) as base:
        yield base


def _columns(out: Path) -> dict:
    with open(out / "columns.csv", encoding="utf-8-sig", newline="") as fh:
        return {r["column"]: r for r in csv.DictReader(fh)}


def test_script_built_list_is_rendered_not_empty(scripted_site, tmp_path):
    proc, findings = audit(scripted_site, tmp_path / "out", "--render", "auto", as_of=AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr[-2000:]
    cols = _columns(tmp_path / "out")
    assert cols["工作动态"]["rendered"] == "true"
    assert int(cols["工作动态"]["entries"]) == 6
    assert cols["工作动态"]["newest"] == "2026-11-19"
    assert cols["通知公告"]["rendered"] == "false"       # static lists stay out of the browser
    assert not [f for f in findings if f["rule_id"] == "column.empty"]


def test_without_the_browser_the_list_is_unverified_never_empty(scripted_site, tmp_path):
    # An HTML-only reading sees no entries, but a script could fill the list: 未能确认, no finding.
    proc, findings = audit(scripted_site, tmp_path / "out", "--render", "never", as_of=AS_OF.isoformat())
    assert proc.returncode == 0
    assert not [f for f in findings if f["rule_id"] == "column.empty"]
    col = _columns(tmp_path / "out")["工作动态"]
    assert col["rendered"] == "false" and col.get("status", "unverified") == "unverified"
    assert not col.get("evidence")


class _Wall(QuietHandler):
    """瑞数-style wall: 412 and a script challenge until the browser holds the cookie it sets.
    `hard`: the wall never opens (a challenge no browser passes)."""
    hard = False

    def do_GET(self):
        if not self.hard and "wall_ok=1" in (self.headers.get("Cookie") or ""):
            return super().do_GET()
        body = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
                '<meta content="{x}" r="m"><script>var $_ts=window["$_ts"];'
                + ("" if self.hard else 'document.cookie="wall_ok=1; path=/";location.reload();')
                + "</script></head><body></body></html>").encode()
        self.send_response(412)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _HardWall(_Wall):
    hard = True


@pytest.fixture
def walled_site(tmp_path):
    return _write_site(tmp_path / "site", "<p>暂无信息</p>")


def test_challenge_wall_is_passed_in_the_browser(walled_site, tmp_path):
    with serve_directory(walled_site, handler=_Wall) as base:
        proc, findings = audit(base, tmp_path / "out", "--render", "auto", as_of=AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr[-2000:]
    cols = _columns(tmp_path / "out")
    assert int(cols["通知公告"]["entries"]) == 3 and cols["通知公告"]["rendered"] == "true"
    assert [f["column"] for f in findings if f["rule_id"] == "column.empty"] == ["工作动态"]


def test_wall_that_stays_shut_is_reported_blocked_without_column_findings(walled_site, tmp_path):
    with serve_directory(walled_site, handler=_HardWall) as base:
        proc, findings = audit(base, tmp_path / "out", "--render", "auto", as_of=AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not [f for f in findings if f["rule_id"].startswith(("column.", "site.unreachable", "veto."))]
    html = (tmp_path / "out" / "scorecard.html").read_text(encoding="utf-8")
    assert "结论不完整" in html and "反爬虫" in html
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["errors"].get("blocked", 0) >= 1


SCRIPTED_TREE = """<ul id="tree"></ul><script>
var cols = [['通知公告', '/xxgk/tzgg/'], ['工作动态', '/xxgk/gzdt/']];
document.getElementById('tree').innerHTML = cols.map(function (c) {
  return '<li><a href="' + c[1] + '">' + c[0] + '</a></li>';
}).join('');
</script>"""


def test_section_whose_column_tree_is_drawn_by_scripts(tmp_path):
    root = _write_site(tmp_path / "site", _static_list(2))
    # The section page shows no column link until its script runs (and no shared left tree).
    (root / "xxgk" / "index.html").write_text(
        f'<html><head><meta charset="utf-8"><title>政府信息公开</title></head><body>{SCRIPTED_TREE}</body></html>',
        encoding="utf-8")
    with serve_directory(root) as base:
        proc, _ = audit(base, tmp_path / "out", "--render", "auto", as_of=AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert set(_columns(tmp_path / "out")) == {"通知公告", "工作动态"}


def test_section_whose_column_tree_sits_in_a_frame(tmp_path):
    root = _write_site(tmp_path / "site", _static_list(2))
    (root / "xxgk" / "index.html").write_text(
        '<html><head><meta charset="utf-8"><title>政府信息公开</title></head><body>'
        '<iframe src="tree.html" width="200"></iframe></body></html>', encoding="utf-8")
    (root / "xxgk" / "tree.html").write_text(
        '<html><body><ul><li><a href="/xxgk/tzgg/" target="_parent">通知公告</a></li>'
        '<li><a href="/xxgk/gzdt/" target="_parent">工作动态</a></li></ul></body></html>', encoding="utf-8")
    with serve_directory(root) as base:
        proc, _ = audit(base, tmp_path / "out", "--render", "never", as_of=AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert set(_columns(tmp_path / "out")) == {"通知公告", "工作动态"}
