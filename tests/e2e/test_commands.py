"""The commands a user runs besides `audit`: demo, inspect, rules; and polite crawling."""
import json
from pathlib import Path

from zwgk.demo import DEMO_SITE
from zwgk.serve import QuietHandler, serve_directory

from .helpers import audit, zwgk


def test_demo_site_audits_the_bundled_site_and_ends_with_the_scorecard_path(tmp_path):
    proc = zwgk("demo", "--site", "--out", str(tmp_path / "demo"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    scorecard = Path(proc.stdout.strip().splitlines()[-1])
    assert scorecard.is_absolute() and scorecard.name == "scorecard.html" and scorecard.exists()
    # The bundled site's own record of its seeded defects is what the audit must find.
    manifest = json.loads((DEMO_SITE / "manifest.json").read_text(encoding="utf-8"))
    found = json.loads((scorecard.parent / "findings.json").read_text(encoding="utf-8"))
    base = json.loads((scorecard.parent / "run.json").read_text(encoding="utf-8"))["site"]["url"].rstrip("/")
    expected = {(f["rule_id"], f["column"], base + f["url"] if f["url"] else "") for f in manifest["findings"]}
    assert {(f["rule_id"], f["column"], f["url"]) for f in found} == expected


def test_inspect_a_saved_document_prints_its_fields(tmp_path):
    page = DEMO_SITE / "zfxxgk" / "tzgg"
    doc = next(p for p in sorted(page.rglob("t*.html")))
    proc = zwgk("inspect", str(doc), "--base-url", "http://www.example.gov.cn/zfxxgk/tzgg/x.html", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["kind"] == "document"
    assert set(out) == {"kind", "entries", "next_pages", "total", "fields", "meta", "related", "attachments"}
    assert out["fields"]["index_no"] and out["meta"]["SiteName"] == "淄博市周村区人民政府"


def test_inspect_a_missing_file_is_one_line_exit_2(tmp_path):
    proc = zwgk("inspect", "no/such/page.html", cwd=tmp_path)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


def test_rules_lists_the_catalog(tmp_path):
    proc = zwgk("rules", cwd=tmp_path)
    assert proc.returncode == 0
    for rule_id in ("column.empty", "column.stale", "veto.blank_columns", "annual_report.late"):
        assert rule_id in proc.stdout


class _Recorder(QuietHandler):
    user_agents: list[str] = []

    def do_GET(self):
        type(self).user_agents.append(self.headers.get("User-Agent", ""))
        return super().do_GET()


def _site_with_robots(root: Path) -> None:
    page = ('<html><head><meta charset="utf-8"><title>示例县人民政府</title></head><body>'
            '<a href="/xxgk/">政府信息公开</a><ul><li><a href="/xxgk/gzdt/">工作动态</a></li></ul></body></html>')
    for path in ("", "xxgk/", "xxgk/gzdt/"):
        (root / path).mkdir(parents=True, exist_ok=True)
        (root / path / "index.html").write_text(page, encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /xxgk/gzdt/\n", encoding="utf-8")


def test_robots_txt_is_obeyed_unless_told_otherwise(tmp_path):
    _site_with_robots(tmp_path / "site")
    _Recorder.user_agents = []
    with serve_directory(tmp_path / "site", handler=_Recorder) as base:
        proc, findings = audit(base, tmp_path / "polite", "--render", "never")
        assert proc.returncode == 0
        # Disallowed: not fetched, so not judged empty; the scorecard says it was not checked.
        assert not [f for f in findings if f["column"] == "工作动态"]
        assert "robots" in (tmp_path / "polite" / "scorecard.html").read_text(encoding="utf-8")
        assert all("zwgk" in ua for ua in _Recorder.user_agents)

        assert _column_status(tmp_path / "polite", "工作动态") == "blocked"

        proc, findings = audit(base, tmp_path / "inspector", "--render", "never", "--ignore-robots")
        # Fetched this time; a list with no entries and nothing proving it empty is 未能确认.
        assert _column_status(tmp_path / "inspector", "工作动态") == "unverified"
        assert not [f for f in findings if f["rule_id"] == "column.empty"]


def _column_status(out: Path, name: str) -> str:
    import csv
    with open(out / "columns.csv", encoding="utf-8-sig", newline="") as fh:
        return next(r["status"] for r in csv.DictReader(fh) if r["column"] == name)


def test_inspect_a_url_reads_the_list_as_the_crawler_does(tmp_path):
    with serve_directory(DEMO_SITE) as base:
        proc = zwgk("inspect", base + "zfxxgk/gzdt/", cwd=tmp_path)
        dead = zwgk("inspect", base + "no/such/page.html", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["kind"] == "list" and out["entries"]
    assert all(e["url"].startswith(base) and e["date"] for e in out["entries"])
    assert out["next_pages"]                       # 工作动态 runs over several pages
    assert dead.returncode == 2 and "404" in dead.stderr
