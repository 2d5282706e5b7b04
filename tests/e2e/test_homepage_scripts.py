"""A homepage whose news block a script fills after load (here from a JSON file the page fetches):
its static HTML shows only old dates. 首页不更新 is judged only on what a visitor sees — with
--render auto the homepage is rendered and judged on the rendering; with --render never it is
未能确认, never a false veto. A homepage that is stale as written, or stale once rendered, is
still vetoed."""
import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from crawler.browser import find_chromium
from zwgk.serve import serve_directory

from .helpers import audit

AS_OF = date(2026, 11, 20)
OLD = [AS_OF - timedelta(days=d) for d in (70, 75, 90)]
FRESH = [AS_OF - timedelta(days=d) for d in (1, 3, 6)]
STALE = [AS_OF - timedelta(days=d) for d in (40, 44, 51)]

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}-示例区人民政府</title>{head}</head>
<body><div class="nav"><a href="/">首页</a> <a href="/xxgk/">政府信息公开</a></div>
<div class="main">{main}</div>
<div class="footer">主办单位：示例区人民政府办公室 网站标识码：3701000001 鲁ICP备12345678号</div>{tail}</body></html>"""
# Two markups for a script-filled block: a list the script replaces, and a table it writes rows into.
FILL_LIST = """<script>
fetch('/api/news.json').then(function (r) { return r.json(); }).then(function (d) {
  document.getElementById('news').innerHTML = d.rows.map(function (x) {
    return '<li><a href="' + x.link + '">' + x.name + '</a><span class="time">' + x.day + '</span></li>';
  }).join('');
});
</script>"""
FILL_TABLE = """<script src="/static/js/home.7c1e.js"></script>"""
HOME_JS = """(function () {
  var xhr = new XMLHttpRequest();
  xhr.open('GET', '/api/news.json');
  xhr.onload = function () {
    var d = JSON.parse(xhr.responseText), t = document.querySelector('#news');
    t.innerHTML = d.rows.map(function (x) {
      return '<tr><td><a href="' + x.link + '">' + x.name + '</a></td><td>' + x.day + '</td></tr>';
    }).join('');
  };
  xhr.send();
})();"""


def _rows(dates, tag="li"):
    cell = ("<li><a href=\"{u}\">{t}</a><span>{d}</span></li>" if tag == "li"
            else "<tr><td><a href=\"{u}\">{t}</a></td><td>{d}</td></tr>")
    return "".join(cell.format(u=f"/zwdt/{d:%Y%m}/t{d:%Y%m%d}_{i}.html",
                               t=f"示例区召开{d.month}月第{i + 1}次专题会议部署重点工作", d=d)
                   for i, d in enumerate(dates))


def _build(root: Path, static_dates, api_dates, script: str) -> Path:
    """The homepage shows `static_dates` as written; `script` ("", FILL_LIST, FILL_TABLE) replaces
    them with `api_dates` from /api/news.json. The disclosure section and its columns are fresh."""
    tag = "tr" if script == FILL_TABLE else "li"
    block = (f'<table id="news">{_rows(static_dates, tag)}</table>' if tag == "tr"
             else f'<ul id="news" class="news-list">{_rows(static_dates)}</ul>')
    pages = {"": ("首页", f"<h3>政务要闻</h3>{block}", script),
             "xxgk/": ("政府信息公开", '<ul class="tree"><li><a href="/xxgk/gzdt/">工作动态</a></li>'
                       '<li><a href="/xxgk/tzgg/">通知公告</a></li></ul>', "")}
    for col, name in (("gzdt", "工作动态"), ("tzgg", "通知公告")):
        pages[f"xxgk/{col}/"] = (name, f'<h3>{name}</h3><ul class="list">{_rows(FRESH)}</ul>', "")
    for path, (title, main, tail) in pages.items():
        (root / path).mkdir(parents=True, exist_ok=True)
        (root / path / "index.html").write_text(PAGE.format(title=title, head="", main=main, tail=tail),
                                                encoding="utf-8")
    (root / "api").mkdir()
    (root / "api" / "news.json").write_text(json.dumps({"code": 0, "rows": [
        {"name": f"示例区召开{d.month}月第{i + 1}次专题会议部署重点工作", "link": f"/zwdt/{d:%Y%m}/t{d:%Y%m%d}_{i}.html",
         "day": d.isoformat()} for i, d in enumerate(api_dates)]}, ensure_ascii=False), encoding="utf-8")
    (root / "static" / "js").mkdir(parents=True)
    (root / "static" / "js" / "home.7c1e.js").write_text(HOME_JS, encoding="utf-8")
    return root


def _run(tmp_path, render, static_dates, api_dates, script):
    with serve_directory(_build(tmp_path / "site", static_dates, api_dates, script)) as base:
        proc, findings = audit(base, tmp_path / "out", "--render", render, as_of=AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr[-2000:]
    with sqlite3.connect(tmp_path / "out" / "zwgk.db") as con:
        [(seen,)] = con.execute("select homepage_seen from runs").fetchall()
    vetoes = [f for f in findings if f["rule_id"] == "veto.homepage_stale"]
    scorecard = (tmp_path / "out" / "scorecard.html").read_text(encoding="utf-8")
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["vetoed"] == bool(vetoes) and run["homepage_seen"] == seen
    return vetoes, seen, scorecard


needs_browser = pytest.mark.skipif(find_chromium() is None, reason="no Chrome/Chromium on this machine")


@needs_browser
@pytest.mark.parametrize("script", [FILL_LIST, FILL_TABLE], ids=["fetch-inline", "xhr-bundle"])
def test_a_homepage_filled_fresh_by_script_is_rendered_and_not_vetoed(tmp_path, script):
    vetoes, seen, scorecard = _run(tmp_path, "auto", OLD, FRESH, script)
    assert vetoes == [] and seen == "rendered"
    assert "未能确认首页是否更新" not in scorecard


def test_without_the_browser_a_script_filled_homepage_is_unconfirmed(tmp_path):
    vetoes, seen, scorecard = _run(tmp_path, "never", OLD, FRESH, FILL_LIST)
    assert vetoes == [] and seen == "scripted"
    assert "未能确认首页是否更新" in scorecard and f"最新信息发布于{OLD[0]}" in scorecard


@pytest.mark.parametrize("render", [pytest.param("auto", marks=needs_browser), "never"])
def test_a_static_homepage_that_is_stale_is_vetoed_in_both_modes(tmp_path, render):
    vetoes, seen, _ = _run(tmp_path, render, STALE, FRESH, "")
    assert seen == "static"
    [veto] = vetoes
    assert veto["detail"] == f"首页最新信息发布于{STALE[0]}，已超过14天未更新"


@needs_browser
def test_a_script_filled_homepage_stale_once_rendered_is_vetoed(tmp_path):
    vetoes, seen, _ = _run(tmp_path, "auto", OLD, STALE, FILL_TABLE)
    assert seen == "rendered"
    [veto] = vetoes
    assert f"最新信息发布于{STALE[0]}" in veto["detail"]      # the rendering's dates, not the HTML's
