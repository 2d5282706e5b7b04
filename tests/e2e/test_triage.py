"""`zwgk triage`: decisions read back from the 通报 spreadsheet change the next run's verdict and
通报 but stay visible in the scorecard; one-at-a-time commands; bad input is one line, exit 2."""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import yaml

from tests.sites.generator import FRESH, ColumnSpec, SiteSpec

from .helpers import zwgk
from .test_run import AS_OF, NIGHT2, run

REASON = "首页为专题聚合页，由上级网站统一更新"


def _detail(xlsx: Path):
    ws = openpyxl.load_workbook(xlsx)["问题明细"]
    rows = list(ws.iter_rows(values_only=True))
    return rows[0], rows[1:]


def test_excluded_in_the_sheet_leaves_the_verdict_and_the_tongbao(site_factory, tmp_path):
    spec = SiteSpec(seed=51, kind="government", name="淄博市排除区人民政府", list_style="li_span",
                    pager="links", homepage_stale=True,
                    columns=[ColumnSpec.of("工作动态", 5, FRESH), ColumnSpec.of("通知公告", 4, FRESH),
                             ColumnSpec.of("政策文件", 3, FRESH)], missing_fields=1)
    base, truth, spec = site_factory(spec)
    registry = tmp_path / "sites.yaml"
    registry.write_text(yaml.safe_dump([{"name": spec.name, "url": base, "group": "区县政府"}],
                                       allow_unicode=True), encoding="utf-8")
    db = tmp_path / "h.db"
    out1 = tmp_path / "n1"
    proc = run(registry, out1, db, AS_OF)
    assert proc.returncode == 0, proc.stderr[-3000:]
    site = json.loads((out1 / "run.json").read_text(encoding="utf-8"))["sites"][0]
    assert site["verdict"] == "不合格"
    veto = next(f for f in json.loads((out1 / "findings.json").read_text(encoding="utf-8"))
                if f["rule_id"] == "veto.homepage_stale")

    # The office writes its opinion into the sheet it was sent, and zwgk reads it back.
    wb = openpyxl.load_workbook(out1 / "tongbao.xlsx")
    ws = wb["问题明细"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[header.index("指纹")].value == veto["fingerprint"])
    row[header.index("处理意见")].value = f"人工排除：{REASON}"
    returned = tmp_path / "returned.xlsx"
    wb.save(returned)
    proc = zwgk("triage", "import", str(returned), "--db", str(db), "--by", "王科长", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "人工排除 1 条" in proc.stdout
    # Importing the same sheet again changes nothing.
    again = zwgk("triage", "import", str(returned), "--db", str(db), "--by", "王科长", cwd=tmp_path)
    assert "未变化 1 条" in again.stdout

    out2 = tmp_path / "n2"
    proc = run(registry, out2, db, NIGHT2)
    assert proc.returncode == 0, proc.stderr[-3000:]
    site = json.loads((out2 / "run.json").read_text(encoding="utf-8"))["sites"][0]
    assert site["verdict"] in ("合格", "良好"), site
    rows = json.loads((out2 / "findings.json").read_text(encoding="utf-8"))
    excluded = next(f for f in rows if f["fingerprint"] == veto["fingerprint"])
    assert (excluded["triage"], excluded["triage_reason"], excluded["triage_by"]) == ("excluded", REASON, "王科长")
    header, detail = _detail(out2 / "tongbao.xlsx")
    assert veto["fingerprint"] not in {r[header.index("指纹")] for r in detail}
    assert any(r[header.index("问题类型")] == "文件要素缺失" for r in detail)     # the rest stays
    card = (out2 / site["scorecard"]).read_text(encoding="utf-8")
    assert REASON in card and "王科长" in card and "人工处理（1 条" in card
    assert not (out2 / Path(site["scorecard"]).parent / "findings.csv").read_text(
        encoding="utf-8-sig").count("veto.homepage_stale")

    # One at a time: list shows it, clear ends it, set needs a reason for 人工排除.
    listed = zwgk("triage", "list", "--db", str(db), cwd=tmp_path)
    assert veto["fingerprint"] in listed.stdout and REASON in listed.stdout
    short = veto["fingerprint"][:8]
    proc = zwgk("triage", "set", short, "excluded", "--db", str(db), cwd=tmp_path)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1 and "理由" in proc.stderr
    proc = zwgk("triage", "clear", short, "--db", str(db), "--by", "王科长", cwd=tmp_path)
    assert proc.returncode == 0 and "已撤销 1 条" in proc.stdout
    assert veto["fingerprint"] not in zwgk("triage", "list", "--db", str(db), cwd=tmp_path).stdout
    proc = zwgk("triage", "set", short, "exempt", "--from", "2026-11-01", "--to", "2026-12-31",
                "--reason", "网站改版报备", "--db", str(db), cwd=tmp_path)
    assert proc.returncode == 0 and "报备 2026-11-01至2026-12-31" in proc.stdout


def test_an_unreadable_opinion_rejects_the_file_naming_the_row(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "问题明细"
    ws.append(["序号", "网站名称", "问题类型", "问题页面", "栏目", "处理意见", "指纹"])
    ws.append([1, "甲局", "栏目不更新", "http://a.gov.cn/c/", "通知公告", "同意", "0123456789abcdef"])
    wb.save(tmp_path / "t.xlsx")
    proc = zwgk("triage", "import", "t.xlsx", "--db", "h.db", cwd=tmp_path)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "第2行" in proc.stderr
    (tmp_path / "bad.xlsx").write_text("not a workbook", encoding="utf-8")
    proc = zwgk("triage", "import", "bad.xlsx", "--db", "h.db", cwd=tmp_path)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
