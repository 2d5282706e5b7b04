"""The fixture-site generator and server: deterministic, truthful, reachable."""
from __future__ import annotations

import re
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from snapshot.categories import classify
from tests.sites.generator import (
    ANNUAL, COLUMN_POOL, DEEP, EDGE, EMPTY, EMPTY_LIST, FRESH, STALE, UNDATED, ColumnSpec, SiteSpec, Truth,
    annual_deadline, build_site, cutoff, random_spec)
from tests.sites.server import serve_process

AS_OF = date(2026, 11, 20)


def fetch(url: str, timeout: float = 5) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8"), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, "", dict(e.headers)


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def by_rule(truth, rule):
    return {k for k in truth.findings if k[0] == rule}


# -------------------------------------------------------------------------- determinism


def test_same_seed_same_site(tmp_path):
    spec = random_spec(3)
    assert random_spec(3) == spec
    t1, t2 = build_site(tmp_path / "a", spec), build_site(tmp_path / "b", random_spec(3))
    assert t1.to_json() == t2.to_json()
    assert Truth.from_json(t1.to_json()) == t1
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")


def test_random_specs_vary():
    specs = [random_spec(s) for s in range(24)]
    assert {s.kind for s in specs} == {"government", "department"}
    assert len({s.list_style for s in specs}) >= 4 and {s.pager for s in specs} == {"trs4", "trs6", "links"}
    assert any(s.comment_block for s in specs) and any(s.fail_column for s in specs)
    assert all(3 <= len(s.columns) <= 12 for s in specs)


def test_column_names_classify_as_declared():
    for name, _, category, _ in COLUMN_POOL:
        assert classify(name, "法定主动公开内容") == category, name
    assert classify(ANNUAL) == "annual_report"


def test_small_site_builds_fast(tmp_path):
    for seed in range(5):
        t0 = time.perf_counter()
        build_site(tmp_path / str(seed), random_spec(seed))
        assert time.perf_counter() - t0 < 0.5


def test_docs_per_column_scales(tmp_path):
    spec = SiteSpec(columns=[ColumnSpec.of("通知公告"), ColumnSpec.of("工作动态")], docs_per_column=300)
    truth = build_site(tmp_path, spec)
    col = next(c for c in truth.columns if c["name"] == "通知公告")
    assert col["entries"] == 300 and col["pages"] == 20
    assert (tmp_path / "zfxxgk/tzgg/index_19.html").exists()
    assert not (tmp_path / "zfxxgk/tzgg/index_20.html").exists()


# -------------------------------------------------------------------------- truth


def hand_spec(**kw) -> SiteSpec:
    cols = [ColumnSpec.of("工作动态", 10, EDGE), ColumnSpec.of("通知公告", 12, STALE),
            ColumnSpec.of("政策文件", 8, FRESH), ColumnSpec.of("政策解读", 4),
            ColumnSpec.of("人事信息", 5, UNDATED), ColumnSpec.of("规划计划", 5, EMPTY),
            ColumnSpec.of("部门动态", 5, DEEP), ColumnSpec.of("公示公告", 5, EMPTY_LIST),
            ColumnSpec.of("人事任免", 6, STALE), ColumnSpec.of("规范性文件", 6, EDGE)]
    return SiteSpec(seed=11, columns=cols, page_size=10, **kw)


def test_truth_matches_spec(tmp_path):
    spec = hand_spec(missing_fields=3, unlinked=2, annual_report="late", homepage_stale=True)
    truth = build_site(tmp_path, spec)
    cols = {c["name"]: c for c in truth.columns}
    assert {k[1] for k in by_rule(truth, "column.stale")} == {"通知公告", "人事信息", "人事任免"}
    assert {k[1] for k in by_rule(truth, "column.empty")} == {"规划计划", "公示公告"}
    assert ("column.empty", "规划计划", "/zfxxgk/ghjh/") in truth.findings
    # edge cases: one day inside the limit, newest on page 1 of many
    assert date.fromisoformat(cols["工作动态"]["newest"]) == cutoff("news", AS_OF) + timedelta(days=1)
    assert date.fromisoformat(cols["规范性文件"]["newest"]) == date(2026, 5, 21)
    assert cols["部门动态"]["pages"] >= 4
    assert by_rule(truth, "veto.homepage_stale") == {("veto.homepage_stale", "", "/")}
    assert not by_rule(truth, "veto.blank_columns") and not by_rule(truth, "veto.stale_columns")
    assert len(by_rule(truth, "doc.missing_fields")) == 3
    assert len(by_rule(truth, "interpretation.unlinked")) == 2
    (late,) = by_rule(truth, "annual_report.late")
    assert late[1] == ANNUAL and "/zfxxgknb/2026" in late[2]
    assert (tmp_path / "zfxxgk/ghjh/index.html").read_text().count("暂无信息") == 1


def test_undated_list_has_no_dates(tmp_path):
    build_site(tmp_path, hand_spec())
    page = (tmp_path / "zfxxgk/rsxx/index.html").read_text()
    assert "<li><a href=\"./" in page and not re.search(r"\d{4}-\d{2}-\d{2}</span>", page)


def test_doc_defects_are_on_the_pages(tmp_path):
    truth = build_site(tmp_path, hand_spec(missing_fields=4, unlinked=3, meta_style=2))
    read = lambda u: (tmp_path / u.lstrip("/")).read_text()  # noqa: E731
    labels = {"index_no": "索引号", "publisher": "发布机构", "written": "生成日期", "published": "发布日期",
              "doc_no": "文号", "validity": "时效状态"}
    for key in by_rule(truth, "doc.missing_fields"):
        (field,) = truth.details[key]
        m = re.search(rf"<th>{labels[field]}：</th><td>(.*?)</td>", read(key[2]))
        assert m is None or m.group(1) == "", (key, field)
    for key in by_rule(truth, "interpretation.unlinked"):
        jd, policy = key[2], truth.targets[key]
        if truth.details[key] == ["policy"]:
            assert policy not in read(jd) and jd in read(policy)
        else:
            assert jd not in read(policy) and policy in read(jd)


@pytest.mark.parametrize("empties,stales,vetoes", [
    (5, 0, {"veto.blank_columns"}), (4, 0, set()), (0, 5, {"veto.stale_columns"}), (0, 4, set())])
def test_veto_thresholds(tmp_path, empties, stales, vetoes):
    names = ["工作动态", "部门动态", "镇街动态", "政务要闻", "通知公告", "公示公告", "部门文件", "人事信息"]
    cols = [ColumnSpec.of(n, 4, EMPTY if i < empties else STALE if i < stales else FRESH)
            for i, n in enumerate(names)]
    truth = build_site(tmp_path, SiteSpec(columns=cols))
    assert {k[0] for k in truth.findings if k[0].startswith("veto.")} == vetoes


@pytest.mark.parametrize("personnel,veto", [(6, True), (5, False)])
def test_stale_columns_veto_by_ten_of_all_three(tmp_path, personnel, veto):
    # 4 stale news/notice columns (under the 5 threshold) plus stale personnel_plan columns
    cols = [ColumnSpec.of(n, 3, STALE) for n in ("工作动态", "部门动态", "通知公告", "公示公告")]
    plans = ["人事信息", "规划计划", "人事任免", "工作计划", "发展规划", "年度计划"]
    cols += [ColumnSpec(n, f"p{i}", "personnel_plan", 3, STALE) for i, n in enumerate(plans[:personnel])]
    cols.append(ColumnSpec.of("政策文件", 3, FRESH))
    truth = build_site(tmp_path, SiteSpec(columns=cols))
    assert len(by_rule(truth, "column.stale")) == 4 + personnel
    assert bool(by_rule(truth, "veto.stale_columns")) == veto


@pytest.mark.parametrize("kind,state,rule", [
    ("government", "ok", None), ("government", "late", "annual_report.late"),
    ("department", "missing", "annual_report.missing"), ("department", "late", "annual_report.late")])
def test_annual_reports(tmp_path, kind, state, rule):
    truth = build_site(tmp_path, SiteSpec(kind=kind, annual_report=state))
    assert {k[0] for k in truth.findings if k[0].startswith("annual_report")} == ({rule} if rule else set())
    listing = (tmp_path / "zfxxgk/zfxxgknb/index.html").read_text()
    assert ("2025年政府信息公开工作年度报告" in listing) == (state != "missing")
    m = re.search(r"(\d{4}-\d{2}-\d{2})</span></li>", listing)   # newest report's date
    if state == "ok":
        assert date.fromisoformat(m.group(1)) <= annual_deadline(kind, 2026)
    if state == "late":
        assert date.fromisoformat(m.group(1)) > annual_deadline(kind, 2026)


def test_holiday_dates_appear():
    seen = Counter()
    for seed in range(12):
        with tempfile.TemporaryDirectory() as d:
            build_site(Path(d), random_spec(seed))
            seen["national_day"] += len(list(Path(d).rglob("t2026100[89]_*.html")))
            seen["spring"] += len(list(Path(d).rglob("t20260224_*.html")))
    assert seen["national_day"] and seen["spring"]


# -------------------------------------------------------------------------- serving


def crawl(base: str) -> dict[str, int]:
    """Breadth-first over same-site links, ignoring HTML comments (as a correct crawler does)."""
    seen, todo = {}, [base]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        status, text, _ = fetch(url)
        seen[url] = status
        text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
        for href in re.findall(r'href="([^"#]+)"', text):
            nxt = urljoin(url, href)
            if nxt.startswith(base) and nxt not in seen and not nxt.endswith(".css"):
                todo.append(nxt)
        # TRS pagers live in scripts only
        for m in re.finditer(r"createPageHTML\((?:'page_div',\s*)?(\d+),", text):
            for k in range(1, int(m.group(1))):
                todo.append(urljoin(url, f"index_{k}.html"))
    return seen


def test_served_site_is_reachable(site_factory):
    base, truth, spec = site_factory(hand_spec(missing_fields=2, unlinked=1, comment_block=True, pager="trs6"))
    seen = crawl(base)
    assert all(s == 200 for s in seen.values()), [u for u, s in seen.items() if s != 200]
    for _, _, url in truth.findings:
        if url:
            assert url in seen or url.rstrip("/") + "/index.html" in seen or fetch(url)[0] == 200
    assert sum(1 for u in seen if re.search(r"/t\d{8}_\d+\.html$", u)) == truth.documents
    status, _, headers = fetch(base)
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert fetch(base + "robots.txt")[1].startswith("User-agent: *")
    assert fetch(base + "zfxxgk/nothing/")[0] == 404


def test_faults(site_factory):
    spec = hand_spec(fail_column="规划计划", slow_column="部门动态", slow_delay=0.6)
    base, truth, spec = site_factory(spec)
    assert truth.unchecked == {"规划计划"}
    assert not [k for k in truth.findings if k[1] == "规划计划"]      # not checked, not judged
    assert fetch(base + "zfxxgk/ghjh/")[0] == 503 and fetch(base + "zfxxgk/ghjh/index.html")[0] == 503
    t0 = time.perf_counter()
    assert fetch(base + "zfxxgk/bmdt/index_1.html")[0] == 200 and time.perf_counter() - t0 < 0.5
    t0 = time.perf_counter()
    assert fetch(base + "zfxxgk/bmdt/index_2.html")[0] == 200 and time.perf_counter() - t0 >= 0.6
    with pytest.raises(OSError):   # a client with a shorter timeout gives up
        urllib.request.urlopen(base + "zfxxgk/bmdt/index_2.html", timeout=0.2).read()


def test_unreachable_site(site_factory):
    base, truth, _ = site_factory(SiteSpec(unreachable=True, homepage_stale=True))
    assert truth.findings == {("site.unreachable", "", base)}
    assert fetch(base)[0] == 503


def test_serve_process(tmp_path):
    truth = build_site(tmp_path, SiteSpec(columns=[ColumnSpec.of("工作动态", 3)]))
    with serve_process(tmp_path, {"/zfxxgk/": {"status": 503}}) as base:
        assert urlsplit(base).hostname == "127.0.0.1"
        assert fetch(base)[0] == 200 and fetch(base + "zfxxgk/")[0] == 503
    assert truth.documents > 0


def test_bundled_demo_is_current(tmp_path):
    from tests.sites.build_demo import DEMO_DIR, build
    manifest = build(tmp_path / "demo")
    assert tree_bytes(tmp_path / "demo") == tree_bytes(DEMO_DIR), "run python -m tests.sites.build_demo"
    assert manifest["kind"] == "government" and manifest["as_of"] == "2026-11-20"
    assert sum(len(b) for b in tree_bytes(DEMO_DIR).values()) < 1_000_000
