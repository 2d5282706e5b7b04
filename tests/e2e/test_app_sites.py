"""App-style sites: every column page holds an empty list that a bundled script
(`/static/js/app.<hash>.js`) fills from a JSON API. With the browser, the entries are read (the
first page rendered, later pages straight from the API the script used) and only a column whose
API answers zero records is 空白栏目; without the browser those columns are 未能确认, never empty."""
import csv
import json
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.browser import find_chromium
from zwgk.serve import QuietHandler, serve_directory

from .helpers import audit

AS_OF = date(2026, 11, 20)
# column -> (name, records, how the app asks: GET JSON, POST JSON body, JSONP script)
COLUMNS = {"tzgg": ("通知公告", 23, "get"), "gzdt": ("工作动态", 7, "post"),
           "zcjd": ("政策解读", 12, "jsonp"), "rsxx": ("人事信息", 0, "get"),
           "zcwj": ("政策文件", 5, "get"), "ghjh": ("规划计划", 4, "get")}
# Extra markup on a column page: the list's endpoint named on its container (read without the
# browser), or a configuration naming an endpoint that is not the list (the browser is needed).
EXTRA = {"zcwj": ' data-url="/api/list?col=zcwj&page=1"',
         "ghjh": '></ul><script>window.SITE_CONF = {api: "/api/stats", siteId: 3};</script><ul hidden'}
PAGE_SIZE = 10
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="SiteName" content="示例区人民政府">
<title>{title}</title><script src="/static/js/chunk-vendors.5e1b2c.js"></script></head><body>
<div class="nav"><a href="/">首页</a> <a href="/xxgk/">政府信息公开</a></div>
<div class="side"><ul class="tree">{tree}</ul></div><div class="main">{main}</div>
<script src="/static/js/app.3f9a1c7e.js"></script></body></html>"""
APP_JS = """(function () {
  var ul = document.getElementById('list');
  if (!ul) return;
  var col = ul.getAttribute('data-col'), how = ul.getAttribute('data-how');
  function draw(d) {
    ul.innerHTML = d.data.list.map(function (x) {
      return '<li><a href="' + x.url + '" title="' + x.title + '">' + x.title + '</a><span>' + x.publishTime.slice(0, 10) + '</span></li>';
    }).join('');
  }
  if (how === 'post') {
    fetch('/api/search', {method: 'POST', headers: {'Content-Type': 'application/json'},
                          body: JSON.stringify({col: col, pageNo: 1})}).then(function (r) { return r.json(); }).then(draw);
  } else if (how === 'jsonp') {
    window.cb_list = draw;
    var s = document.createElement('script');
    s.src = '/api/jsonp?col=' + col + '&page=1&callback=cb_list';
    document.head.appendChild(s);
  } else {
    fetch('/api/list?col=' + col + '&page=1').then(function (r) { return r.json(); }).then(draw);
  }
})();"""


def _records(col: str, page: int, columns: dict = COLUMNS) -> dict:
    name, count, _ = columns[col]
    start = (page - 1) * PAGE_SIZE
    items = [{"title": f"{name}第{i + 1}号：关于做好相关工作的通知", "url": f"/xxgk/{col}/2026/{col}_{i + 1}.html",
              "publishTime": f"{AS_OF - timedelta(days=i)} 09:30:00"}
             for i in range(start, min(count, start + PAGE_SIZE))]
    return {"code": 0, "msg": "success", "data": {"total": count, "pageSize": PAGE_SIZE, "list": items}}


class _App(QuietHandler):
    hits: list = []             # API requests served, shared by the test
    columns = COLUMNS

    def _json(self, payload, callback: str | None = None):
        text = json.dumps(payload, ensure_ascii=False)
        body = (f"{callback}({text});" if callback else text).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/javascript" if callback else "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        parts = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/api/stats":
            self.hits.append(("GET", "stats", 0))
            return self._json({"code": 0, "data": {"visits": 1234, "online": 5}})
        if parts.path in ("/api/list", "/api/jsonp"):
            self.hits.append(("GET", q.get("col"), int(q.get("page", 1))))
            return self._json(_records(q["col"], int(q.get("page", 1)), self.columns), q.get("callback"))
        return super().do_GET()

    def do_POST(self):
        data = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        self.hits.append(("POST", data.get("col"), int(data.get("pageNo", 1))))
        return self._json(_records(data["col"], int(data.get("pageNo", 1)), self.columns))


def _build(root: Path, columns: dict = COLUMNS) -> Path:
    tree = "".join(f'<li><a href="/xxgk/{c}/">{n}</a></li>' for c, (n, _, _) in columns.items())
    pages = [("", "示例区人民政府", "<p>欢迎访问</p>"), ("xxgk/", "政府信息公开", "<p>政府信息公开专栏</p>")]
    pages += [(f"xxgk/{c}/", n, f'<ul class="list" id="list" data-col="{c}" data-how="{how}"{EXTRA.get(c, "")}></ul>')
              for c, (n, _, how) in columns.items()]
    for path, title, main in pages:
        (root / path).mkdir(parents=True, exist_ok=True)
        (root / path / "index.html").write_text(PAGE.format(title=title, tree=tree, main=main), encoding="utf-8")
    for col, (name, count, _) in columns.items():
        (root / "xxgk" / col / "2026").mkdir(parents=True, exist_ok=True)
        for i in range(1, count + 1):
            title = f"{name}第{i}号：关于做好相关工作的通知"
            (root / "xxgk" / col / "2026" / f"{col}_{i}.html").write_text(
                f'<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{title}">'
                f'<meta name="PubDate" content="{AS_OF - timedelta(days=i - 1)} 09:30"><title>{title}</title></head>'
                f"<body><h1>{title}</h1><p>发布日期：{AS_OF - timedelta(days=i - 1)}</p><p>{'正文内容。' * 40}</p></body></html>",
                encoding="utf-8")
    (root / "static" / "js").mkdir(parents=True)
    (root / "static" / "js" / "app.3f9a1c7e.js").write_text(APP_JS, encoding="utf-8")
    (root / "static" / "js" / "chunk-vendors.5e1b2c.js").write_text("window.vendor = {};", encoding="utf-8")
    return root


@pytest.fixture
def app_site(tmp_path):
    _App.hits = []
    with serve_directory(_build(tmp_path / "site"), handler=_App) as base:
        yield base


def _columns(out: Path) -> dict:
    with open(out / "columns.csv", encoding="utf-8-sig", newline="") as fh:
        return {r["column"]: r for r in csv.DictReader(fh)}


@pytest.mark.skipif(find_chromium() is None, reason="no Chrome/Chromium on this machine")
def test_app_columns_are_read_through_their_api_and_only_the_empty_one_is_blank(app_site, tmp_path):
    proc, findings = audit(app_site, tmp_path / "out", "--render", "auto", as_of=AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr[-2000:]
    cols = _columns(tmp_path / "out")
    for col, (name, count, _) in COLUMNS.items():
        assert int(cols[name]["entries"]) == count, (name, cols[name])
        # the column page needed the browser, unless its container named the list's endpoint …
        assert cols[name]["rendered"] == ("false" if col == "zcwj" else "true"), (name, cols[name])
    assert ("GET", "stats", 0) in _App.hits     # a configured endpoint that is no list: then the browser
    # … but its later pages came straight from the API the script used (GET, POST body, JSONP).
    assert ("GET", "tzgg", 3) in _App.hits and ("POST", "gzdt", 1) in _App.hits and ("GET", "zcjd", 2) in _App.hits
    assert (int(cols["通知公告"]["pages"]), int(cols["政策解读"]["pages"])) == (3, 2)   # no page past the end
    empty = [f for f in findings if f["rule_id"] == "column.empty"]
    assert [f["column"] for f in empty] == ["人事信息"]
    assert cols["人事信息"]["evidence"] in ("endpoint", "rendered") and cols["人事信息"]["status"] == "ok"
    assert cols["通知公告"]["evidence"] == ""
    assert not [f for f in findings if f["rule_id"].startswith("veto.")]
    run = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert run["errors"] == {} or set(run["errors"]) <= {"http_4xx"}


def test_without_the_browser_app_columns_are_unverified_never_empty(app_site, tmp_path):
    proc, findings = audit(app_site, tmp_path / "out", "--render", "never", as_of=AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not [f for f in findings if f["rule_id"] in ("column.empty", "column.stale")
                or f["rule_id"].startswith("veto.")]
    cols = _columns(tmp_path / "out")
    for col, (name, count, _) in COLUMNS.items():
        if col == "zcwj":       # its container names the endpoint: read without a browser
            assert int(cols[name]["entries"]) == count and cols[name]["status"] == "ok"
            continue
        assert cols[name]["status"] == "unverified" and cols[name]["evidence"] == "", cols[name]
    assert "未能确认" in (tmp_path / "out" / "scorecard.html").read_text(encoding="utf-8")


WALLED = {"tzgg": ("通知公告", 13, "get"), "rsxx": ("人事信息", 0, "get")}


class _WalledApp(_App):
    """加速乐-style: 521 and a script that sets the clearance cookie, for every path (the API
    too) until the request carries it."""
    columns = WALLED

    def _open(self) -> bool:
        if "clearance=1" in (self.headers.get("Cookie") or ""):
            return True
        body = (b'<html><head><script>document.cookie="clearance=1; path=/";location.reload();'
                b"</script></head><body></body></html>")
        self.send_response(521)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return False

    def do_GET(self):
        if self._open():
            super().do_GET()

    def do_POST(self):
        if self._open():
            super().do_POST()


@pytest.mark.skipif(find_chromium() is None, reason="no Chrome/Chromium on this machine")
def test_behind_a_wall_the_api_pages_carry_the_browsers_clearance(tmp_path):
    _App.hits = []
    with serve_directory(_build(tmp_path / "site", WALLED), handler=_WalledApp) as base:
        proc, findings = audit(base, tmp_path / "out", "--render", "auto", as_of=AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr[-2000:]
    cols = _columns(tmp_path / "out")
    assert (int(cols["通知公告"]["entries"]), int(cols["通知公告"]["pages"])) == (13, 2), cols["通知公告"]
    assert ("GET", "tzgg", 2) in _App.hits            # the second page: outside the browser, let through
    assert [f["column"] for f in findings if f["rule_id"] == "column.empty"] == ["人事信息"]


MANY = {c: (n, k, "get") for c, n, k in (("tzgg", "通知公告", 12), ("gzdt", "工作动态", 6), ("bmdt", "部门动态", 5),
                                          ("zcjd", "政策解读", 4), ("gsgg", "公示公告", 3), ("rsxx", "人事信息", 0))}


class _ManyApp(_App):
    columns = MANY


@pytest.mark.skipif(find_chromium() is None, reason="no Chrome/Chromium on this machine")
def test_an_endpoint_learned_on_two_columns_serves_the_others_without_the_browser(tmp_path):
    _App.hits = []
    with serve_directory(_build(tmp_path / "site", MANY), handler=_ManyApp) as base:
        proc, findings = audit(base, tmp_path / "out", "--render", "auto", "--per-host", "1",
                               as_of=AS_OF.isoformat())
    assert proc.returncode == 0, proc.stderr[-2000:]
    cols = _columns(tmp_path / "out")
    assert {n: int(cols[n]["entries"]) for n, _, _ in MANY.values()} == {n: k for n, k, _ in MANY.values()}
    rendered = [n for n, _, _ in MANY.values() if cols[n]["rendered"] == "true"]
    assert 2 <= len(rendered) <= 3, rendered      # two teach, the empty one is confirmed in the browser
    # The empty column read through a learned request is no proof (the request was zwgk's own):
    # it is rendered before it is called empty.
    assert cols["人事信息"]["rendered"] == "true" and cols["人事信息"]["evidence"] in ("rendered", "endpoint")
    assert [f["column"] for f in findings if f["rule_id"] == "column.empty"] == ["人事信息"]
