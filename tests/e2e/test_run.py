"""`zwgk run` over a registry of served sites, two nights: outputs, statuses, failures; registry
errors. (A 50-site run is bench/run_bench.py.)"""
from __future__ import annotations

import json
import os
import socket
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
import yaml
from docx import Document as Docx

from tests.sites.generator import DEAD, EMPTY, FRESH, PHONE, STALE, ColumnSpec, SiteSpec
from zwgk.demo import add_number, create_target, mask_number, publish

from .accuracy import Tally
from .helpers import zwgk

AS_OF = SiteSpec().as_of
NIGHT2 = AS_OF + timedelta(days=1)


def _closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/"


def run(registry: Path, out: Path, db: Path, as_of, *extra):
    os.environ.setdefault("ZWGK_HOMEPAGE_RETRY_SPAN", "2")    # a down site is given up on quickly
    return zwgk("run", str(registry), "--out", str(out), "--db", str(db), "--as-of", as_of.isoformat(),
                "--no-throttle", "--per-host", "8", "--render", "never", "--concurrency", "4",
                "--timeout", "5", *extra, cwd=registry.parent, timeout=600)


def _specs():
    # Pagers without scripts: an empty column's 暂无信息 is evidence without a browser.
    gov = SiteSpec(seed=41, kind="government", name="淄博市测试区人民政府", list_style="li_span",
                   pager="links", columns=[ColumnSpec.of("工作动态", 6, FRESH), ColumnSpec.of("通知公告", 5, FRESH),
                                           ColumnSpec.of("政策文件", 4, FRESH), ColumnSpec.of("规划计划", 0, EMPTY),
                                           ColumnSpec.of("人事信息", 3, STALE)],
                   privacy=("phone",))
    dept = SiteSpec(seed=42, kind="department", name="淄博市测试区财政局", list_style="table", pager="links",
                    columns=[ColumnSpec.of("工作动态", 5, FRESH), ColumnSpec.of("通知公告", 5, FRESH),
                             ColumnSpec.of("政策文件", 3, FRESH)], dead_links=1)
    town = SiteSpec(seed=43, kind="government", name="淄博市测试区某某镇人民政府", list_style="li_b",
                    pager="links", columns=[ColumnSpec.of("工作动态", 5, FRESH), ColumnSpec.of("通知公告", 4, FRESH),
                                            ColumnSpec.of("政策文件", 3, FRESH)], missing_fields=1)
    blocked = SiteSpec(seed=44, name="淄博市测试区拦截局", blocked=True)
    down = SiteSpec(seed=45, name="淄博市测试区故障局", unreachable=True)
    return gov, dept, town, blocked, down


@pytest.fixture
def nightly(site_factory, tmp_path):
    """Five served sites and one whose server is off, in a YAML registry."""
    served = {}
    rows = []
    groups = ["区县政府", "区直部门", "镇街", "区直部门", "区直部门"]
    for i, spec in enumerate(_specs()):
        base, truth, spec = site_factory(spec)
        served[spec.name] = (base, truth, tmp_path / f"site{i + 1}")
        rows.append({"name": spec.name, "url": base, "kind": spec.kind, "group": groups[i],
                     "ident": f"37030600{i + 1:02d}", "host_org": spec.name + "办公室"})
    rows.append({"name": "淄博市测试区关停站", "url": _closed_port_url(), "group": "区直部门"})
    registry = tmp_path / "sites.yaml"
    registry.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
    return registry, served


def _findings(out: Path) -> list[dict]:
    return json.loads((out / "findings.json").read_text(encoding="utf-8"))


def _sites(out: Path) -> dict[str, dict]:
    return {s["name"]: s for s in json.loads((out / "run.json").read_text(encoding="utf-8"))["sites"]}


def test_two_nights_statuses_outputs_and_failed_sites(nightly, tmp_path):
    registry, served = nightly
    db = tmp_path / "history.db"
    out1 = tmp_path / "night1"
    proc = run(registry, out1, db, AS_OF)
    assert proc.returncode == 0, proc.stderr[-3000:]
    sites = _sites(out1)
    assert len(sites) == 6
    # Every site has its folder as `audit` writes it; the run has its dashboard and 通报.
    for name, s in sites.items():
        folder = out1 / Path(s["scorecard"]).parent if s["scorecard"] else None
        assert folder and (folder / "findings.csv").exists() and (folder / "columns.csv").exists(), name
    for name in ("index.html", "tongbao.xlsx", "tongbao.csv", "tongbao.docx"):
        assert (out1 / name).exists(), name
    # Down and blocked sites are shown as such, not judged; they never stopped the others.
    assert sites["淄博市测试区拦截局"]["status"] == "blocked"
    assert sites["淄博市测试区故障局"]["status"] == "down"
    assert sites["淄博市测试区关停站"]["status"] == "down"
    for name in ("淄博市测试区拦截局", "淄博市测试区故障局", "淄博市测试区关停站"):
        assert sites[name]["verdict"] == "未能检查" and sites[name]["score"] is None, name
    # The rest are correct: exactly the seeded defects, all new on the first night.
    first = _findings(out1)
    assert {f["status"] for f in first} == {"new"}
    for name in ("淄博市测试区人民政府", "淄博市测试区财政局", "淄博市测试区某某镇人民政府"):
        base, truth, _ = served[name]
        mine = [f for f in first if f["site"] == name]
        missed, extra = Tally().add(truth.without_browser().findings, mine)
        assert not missed and not extra, f"{name}: missed={sorted(missed)} extra={sorted(extra)}"
        assert sites[name]["status"] == "ok" and sites[name]["score"] is not None
    # The 通报 carries them: the problem list names every open finding with its fingerprint.
    wb = openpyxl.load_workbook(out1 / "tongbao.xlsx")
    assert {"检查情况汇总", "问题网站名单", "问题明细"} <= set(wb.sheetnames)
    detail = list(wb["问题明细"].iter_rows(values_only=True))
    header = list(detail[0])
    assert "处理意见" in header and "指纹" in header
    fps = {r[header.index("指纹")] for r in detail[1:]}
    assert fps <= {f["fingerprint"] for f in first}
    assert {f["fingerprint"] for f in first if f["severity"] != "advisory"} <= fps
    assert "草稿" in "\n".join(p.text for p in Docx(out1 / "tongbao.docx").paragraphs)

    # Between the nights the sites fix three seeded defects and one new problem appears.
    gov_root, dept_root, town_root = (served[n][2] for n in
                                      ("淄博市测试区人民政府", "淄博市测试区财政局", "淄博市测试区某某镇人民政府"))
    gov_truth, dept_truth = served["淄博市测试区人民政府"][1], served["淄博市测试区财政局"][1]
    phone_page = next(k[2] for k in gov_truth.findings if k[0] == "privacy.phone")
    blank = next(k[2] for k in gov_truth.findings if k[0] == "column.empty")
    base = served["淄博市测试区人民政府"][0]
    mask_number(gov_root, phone_page.removeprefix(base.rstrip("/")), PHONE)
    publish(gov_root, blank.removeprefix(base.rstrip("/")), "/" + _column_path(gov_truth, "通知公告", base))
    create_target(dept_root, DEAD)
    town_base = served["淄博市测试区某某镇人民政府"][0]
    new_page = add_number(town_root, "/" + _column_path(served["淄博市测试区某某镇人民政府"][1], "通知公告", town_base))

    out2 = tmp_path / "night2"
    proc = run(registry, out2, db, NIGHT2)
    assert proc.returncode == 0, proc.stderr[-3000:]
    second = _findings(out2)
    fixed = {(f["site"], f["rule_id"]) for f in second if f["status"] == "fixed"}
    assert fixed == {("淄博市测试区人民政府", "privacy.phone"), ("淄博市测试区人民政府", "column.empty"),
                     ("淄博市测试区财政局", "link.broken")}
    new = [(f["site"], f["rule_id"], f["url"]) for f in second if f["status"] == "new"]
    assert new == [("淄博市测试区某某镇人民政府", "privacy.phone", town_base.rstrip("/") + new_page)]
    # Everything else seen on night 1 is still there, with its first-seen date kept.
    first_fps = {f["fingerprint"] for f in first}
    persisting = {f["fingerprint"]: f for f in second if f["status"] == "persisting"}
    fixed_fps = {f["fingerprint"] for f in second if f["status"] == "fixed"}
    unverified = {f["fingerprint"] for f in second if f["status"] == "unverified"}
    assert set(persisting) | fixed_fps | unverified == first_fps
    assert all(f["first_seen"] == AS_OF.isoformat() and f["consecutive"] == 2 for f in persisting.values())
    # The scorecard lists what was fixed.
    gov_card = (out2 / _sites(out2)["淄博市测试区人民政府"]["scorecard"]).read_text(encoding="utf-8")
    assert "已整改（2 条）" in gov_card


def _column_path(truth, name: str, base: str) -> str:
    url = next(c["url"] for c in truth.columns if c["name"] == name)
    return url.removeprefix(base).lstrip("/")


@pytest.mark.parametrize("content, message", [
    ("name,url\n甲局,http://a.gov.cn/\n乙局,http://A.gov.cn\n", "重复"),
    ("name,url\n甲局,http://a.gov.cn/\n甲局,http://b.gov.cn/\n", "重复"),
    ("name,site\n甲局,http://a.gov.cn/\n", "缺少列 url"),
    ("name,url\n甲局,www.a.gov.cn\n", "无效的网址"),
    ("name,url,kind\n甲局,http://a.gov.cn/,bureau\n", "kind"),
])
def test_registry_errors_are_one_line_exit_2_and_nothing_written(tmp_path, content, message):
    (tmp_path / "sites.csv").write_text(content, encoding="utf-8")
    proc = zwgk("run", "sites.csv", "--out", "out", "--db", "h.db", cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], proc.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "h.db").exists()


def test_registry_in_gbk_or_with_a_bad_override_is_refused(tmp_path):
    (tmp_path / "sites.csv").write_bytes("name,url\n甲局,http://a.gov.cn/\n".encode("gbk"))
    proc = zwgk("run", "sites.csv", "--out", "out", cwd=tmp_path)
    assert proc.returncode == 2 and "UTF-8" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    (tmp_path / "sites.yaml").write_text(
        "- name: 甲局\n  url: http://a.gov.cn/\n  config: {rules: {column.stale: {news_dayz: 3}}}\n",
        encoding="utf-8")
    proc = zwgk("run", "sites.yaml", "--out", "out", cwd=tmp_path)
    assert proc.returncode == 2 and "news_dayz" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_distributed_with_no_broker_to_reach_is_one_line_exit_2(tmp_path):
    (tmp_path / "sites.csv").write_text("name,url\n甲局,http://a.gov.cn/\n", encoding="utf-8")
    proc = zwgk("run", "sites.csv", "--distributed", "--broker", "redis://127.0.0.1:1/0",
                "--out", "out", cwd=tmp_path)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert not (tmp_path / "out").exists()


def test_demo_runs_two_nights_and_ends_with_the_dashboard_and_tongbao(tmp_path):
    proc = zwgk("demo", "--out", str(tmp_path / "demo"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    last = proc.stdout.strip().splitlines()[-4:]
    assert last[0].startswith("仪表盘：") and last[0].endswith("index.html")
    paths = [Path(line.split("：", 1)[1]) for line in last]
    assert all(p.is_absolute() and p.exists() for p in paths)
    second = json.loads((paths[0].parent / "findings.json").read_text(encoding="utf-8"))
    statuses = {}
    for f in second:
        statuses[f["status"]] = statuses.get(f["status"], 0) + 1
    assert statuses.get("fixed") == 3 and statuses.get("new") == 1 and statuses.get("persisting", 0) > 3


def test_one_per_host_limit_is_shared_by_every_crawler_of_the_run():
    from zwgk.crawl import HostLimiter, SharedHostLimit, host_key

    limiter = HostLimiter(2)
    a, b = SharedHostLimit(limiter), SharedHostLimit(limiter)       # two sites' crawlers
    key = host_key("https://www.gov.cn/zhengce/")
    assert key == "www.gov.cn" and host_key("http://127.0.0.1:8080/x") == "127.0.0.1:8080"
    first, second, third = limiter.acquire(key), limiter.acquire(key), limiter.acquire(key)
    assert first.called and second.called and not third.called      # the third waits
    req_a, req_b = object(), object()
    a.held[id(req_a)], b.held[id(req_b)] = key, key
    a.process_exception(object(), Exception())
    assert not third.called                                         # an unknown request frees nothing
    a.process_exception(req_a, Exception())
    assert third.called                                              # a failure gives its slot back
    fourth = limiter.acquire(key)
    assert not fourth.called
    b.closed()                                                       # a closing crawler frees the rest
    assert fourth.called and not b.held


def test_one_browser_serves_every_site_that_needs_it(tmp_path):
    """Two script-built sites crawled together, --render auto: both lists are rendered through the
    run's one shared browser (the first crawler to close does not close it for the other)."""
    from crawler.browser import find_chromium
    from zwgk.serve import serve_directory

    from .test_browser import AS_OF as B_AS_OF, SCRIPTED, _write_site
    if find_chromium() is None:
        pytest.skip("no Chrome/Chromium on this machine")
    from contextlib import ExitStack
    with ExitStack() as stack:
        rows = []
        for i in range(2):
            base = stack.enter_context(serve_directory(_write_site(tmp_path / f"s{i}", SCRIPTED)))
            rows.append({"name": f"示例县{i}人民政府", "url": base})
        registry = tmp_path / "sites.yaml"
        registry.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
        proc = zwgk("run", str(registry), "--out", "out", "--db", "h.db", "--as-of", B_AS_OF.isoformat(),
                    "--no-throttle", "--per-host", "4", "--render", "auto", "--concurrency", "2",
                    cwd=tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    sites = _sites(tmp_path / "out")
    for name, s in sites.items():
        columns = (tmp_path / "out" / Path(s["scorecard"]).parent / "columns.csv").read_text(encoding="utf-8-sig")
        row = next(line for line in columns.splitlines() if line.startswith("工作动态,"))
        assert ",6,2026-11-19," in row and ",true," in row, (name, row)
