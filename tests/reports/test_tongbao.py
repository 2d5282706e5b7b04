"""The 通报: xlsx sheets and formatting, csv = 问题明细, the docx draft's shape, sentences and fonts."""
from __future__ import annotations

import csv
from datetime import date

import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from reports.tongbao import (
    DETAIL_HEADERS, LIST_HEADERS, SUMMARY_HEADERS, finding_sentence, pass_rate, round_text,
    write_tongbao,
)

AS_OF = date(2026, 11, 20)
DEADLINE = date(2026, 12, 5)
OFFICE = {"name": "示例市人民政府办公室", "recipients": "各区人民政府，市政府各部门：",
          "title_region": "全市"}
HOSTILE = '=HYPERLINK("http://evil.example/","点我")'
XSS = "<script>alert(1)</script>"
JS_URL = "javascript:alert(1)"


def site(name, group, verdict, score, *, status="ok", consecutive=0, summary="", warnings=(),
         url=None, ident=None):
    return {"name": name, "url": url or f"https://{abs(hash(name)) % 10**6}.example.gov.cn/",
            "ident": ident or f"11000000{len(name):02d}", "host_org": f"{name}办公室", "group": group,
            "kind": "department", "verdict": verdict, "score": score,
            "complete": status == "ok", "status": status,
            "scorecard": f"sites/{name}/scorecard.html", "run_id": 7, "consecutive": consecutive,
            "summary": summary, "warnings": list(warnings)}


def finding(site_name, rule_id, severity, detail, *, column="", status="new", triage="", group="区直部门",
            fp=None, url="https://a.example.gov.cn/col/", target="", title="", first_seen=date(2026, 9, 1),
            **extra):
    return {"site": site_name, "ident": "1100000001", "group": group, "host_org": f"{site_name}办公室",
            "rule_id": rule_id, "rule_title": "", "severity": severity, "column": column, "url": url,
            "target": target, "title": title, "detail": detail, "status": status,
            "first_seen": first_seen, "consecutive": 1, "triage": triage,
            "triage_reason": "经核实本年度无此类信息" if triage else "", "triage_by": "张三" if triage else "",
            "triage_at": date(2026, 11, 19) if triage else None,
            "fingerprint": fp or f"fp-{site_name}-{rule_id}-{column}-{status}-{triage}", "evidence": "",
            **extra}


def make_frames():
    """Nine sites in two groups: 3 不合格 (one hostile), 1 down, 1 blocked; history statuses."""
    sites = pd.DataFrame([
        site("示例区教育局", "区直部门", "不合格", 88.0, consecutive=2,
             summary="“通知公告”栏目自2025年3月以来未更新，空白栏目达5个"),
        site("示例区卫健委", "区直部门", "不合格", 92.5, warnings=["已有2个空白栏目（甲、乙），达到5个将被单项否决"]),
        site(XSS + "网", "区直部门", "不合格", 95.0, url=JS_URL, ident=HOSTILE),
        site("示例区财政局", "区直部门", "良好", 98.0),
        site("示例区水务局", "区直部门", "合格", 85.0),
        site("示例区人社局", "区直部门", "未能检查", None, status="down"),
        site("甲街道", "镇街", "合格", 90.0),
        site("乙街道", "镇街", "良好", 96.0),
        site("丙街道", "镇街", "未能检查", None, status="blocked"),
    ])
    findings = pd.DataFrame([
        finding("示例区教育局", "veto.stale_columns", "veto", "共有5个动态要闻类、通知公告、政策文件类栏目长期未更新：a、b"),
        finding("示例区教育局", "column.stale", "deduct", "栏目最新信息发布于2025-03-02，已超过6个月未更新",
                column="通知公告", status="persisting"),
        finding("示例区教育局", "column.empty", "deduct", "栏目无任何信息", column="人事信息",
                status="unverified"),
        finding("示例区教育局", "link.broken", "deduct", "链接“旧文件”无法打开（HTTP 404）", column="政策文件",
                status="fixed"),
        finding("示例区卫健委", "veto.homepage_stale", "veto", "首页最新信息发布于2026-10-01，已超过14天未更新"),
        finding("示例区卫健委", "privacy.phone", "deduct", "正文中公开了未脱敏的手机号：138****0000",
                column="通知公告", title="关于开展体检的通知"),
        finding("示例区卫健委", "column.empty", "deduct", "栏目无任何信息", column="财政预决算",
                triage="excluded"),
        finding(XSS + "网", "veto.blank_columns", "veto", "共有5个空白栏目：" + XSS, group="区直部门"),
        finding(XSS + "网", "link.broken", "deduct", HOSTILE, column=XSS, url=JS_URL, target="@SUM(1+1)",
                title=HOSTILE),
        finding("示例区水务局", "column.stale", "deduct", "栏目最新信息发布于2026-05-09，已超过6个月未更新",
                column="政策文件", newest=date(2026, 5, 9), evidence="示例区水务局/shots/1.png"),
        finding("甲街道", "doc.number_format", "advisory", "发文字号年份应使用六角括号〔〕", group="镇街"),
        finding("丙街道", "site.unreachable", "deduct", "首页无法访问（被拦截）", group="镇街"),
        finding("甲街道", "column.stale", "deduct", "栏目最新信息发布于2026-01-01，已超过6个月未更新",
                column="工作动态", status="fixed", group="镇街"),
    ])
    return sites, findings


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("tongbao")
    sites, findings = make_frames()
    paths = write_tongbao(out, sites, findings, round="2026Q4", deadline=DEADLINE, as_of=AS_OF,
                          office=OFFICE)
    return paths


def rows_of(ws):
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def test_pass_rate_always_carries_its_counts():
    assert pass_rate(118, 122) == "96.7%（118/122）"
    assert pass_rate(0, 0) == "—（0/0）"
    assert round_text("2026Q3") == "2026年第三季度" and round_text("2026H2") == "2026年下半年"
    assert round_text("第5期") == "第5期"


def test_paths_and_sheets(written):
    assert {k: p.name for k, p in written.items()} == {
        "xlsx": "tongbao.xlsx", "csv": "tongbao.csv", "docx": "tongbao.docx"}
    wb = load_workbook(written["xlsx"])
    assert wb.sheetnames[:3] == ["检查情况汇总", "问题网站名单", "问题明细"]
    for name, headers in (("检查情况汇总", SUMMARY_HEADERS), ("问题网站名单", LIST_HEADERS),
                          ("问题明细", DETAIL_HEADERS)):
        ws = wb[name]
        assert tuple(rows_of(ws)[0]) == headers
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("D9E1F2")
        assert ws.column_dimensions["B"].width >= 10
    assert wb["问题明细"]["G2"].alignment.wrap_text
    [prompt] = wb["问题明细"].data_validations.dataValidation
    assert str(prompt.sqref).startswith("N2:N") and "人工排除：理由" in prompt.prompt


def test_summary_counts_per_group_and_total(written):
    rows = rows_of(load_workbook(written["xlsx"])["检查情况汇总"])[1:]
    by_group = {r[1]: r[2:] for r in rows}
    # 区直部门: 6 running, 1 down → 5 checked, 3 不合格 → 2/5
    assert by_group["区直部门"] == (6, 5, 1, 3, "40.0%（2/5）")
    assert by_group["镇街"] == (3, 2, 1, 0, "100.0%（2/2）")
    assert by_group["合计"] == (9, 7, 2, 3, "57.1%（4/7）")


def test_problem_site_list(written):
    ws = load_workbook(written["xlsx"])["问题网站名单"]
    rows = [dict(zip(LIST_HEADERS, r)) for r in rows_of(ws)[1:]]
    assert [r["网站名称"] for r in rows] == ["示例区教育局", "示例区卫健委", XSS + "网"]
    first = rows[0]
    assert first["检查结论"] == "不合格（单项否决：栏目不更新过多）"
    assert first["存在的突出问题"].startswith("“通知公告”栏目自2025年3月以来未更新")
    assert first["连续通报次数"] == 2
    assert "首页最新信息发布于2026-10-01" in rows[1]["存在的突出问题"]     # from its veto when no summary
    assert rows[2]["网站标识码"] == "'" + HOSTILE


def test_problem_details_leave_out_fixed_and_triaged(written):
    ws = load_workbook(written["xlsx"])["问题明细"]
    rows = [dict(zip(DETAIL_HEADERS, r)) for r in rows_of(ws)[1:]]
    assert [r["序号"] for r in rows] == list(range(1, len(rows) + 1))
    assert len(rows) == 10          # 13 findings − 2 fixed − 1 triaged
    descriptions = " ".join(r["问题描述"] for r in rows)
    assert "旧文件" not in descriptions                     # fixed
    assert "财政预决算" not in [r["栏目"] for r in rows]      # triaged 人工排除
    assert {r["状态"] for r in rows} == {"新发现", "持续存在", "未复查"}
    assert all(r["整改期限"] == "2026-12-05" and r["处理意见"] is None for r in rows)
    assert all(r["指纹"].startswith("fp-") for r in rows)
    assert rows[0]["网站名称"] == "示例区教育局" and rows[0]["严重程度"] == "单项否决"
    privacy = next(r for r in rows if r["问题类型"] == "公开未脱敏手机号")
    assert privacy["问题描述"].startswith("《关于开展体检的通知》：")
    assert privacy["发现时间"] == "2026-09-01"
    shot = next(r for r in rows if r["网站名称"] == "示例区水务局")
    assert shot["证据"] == "见截图1（示例区水务局/shots/1.png）"


def test_fixed_and_triaged_get_their_own_sheets(written):
    wb = load_workbook(written["xlsx"])
    fixed = rows_of(wb["已整改问题"])[1:]
    assert sorted(r[1] for r in fixed) == ["甲街道", "示例区教育局"]
    handled = rows_of(wb[wb.sheetnames[4]])[1:]
    assert len(handled) == 1 and handled[0][7] == "人工排除：经核实本年度无此类信息"


def test_crawled_formulas_stay_text(written):
    wb = load_workbook(written["xlsx"])
    cells = [c for ws in wb for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert "'" + HOSTILE in texts and "链接目标：@SUM(1+1)" in " ".join(texts)
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]


def test_csv_is_the_detail_sheet_with_bom(written):
    raw = written["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(written["csv"].open(encoding="utf-8-sig", newline="")))
    assert tuple(rows[0].keys()) == DETAIL_HEADERS
    sheet = rows_of(load_workbook(written["xlsx"])["问题明细"])[1:]
    assert [r["指纹"] for r in rows] == [s[-1] for s in sheet]
    hostile = next(r for r in rows if "HYPERLINK" in r["问题描述"])
    assert hostile["问题描述"].startswith("《'=HYPERLINK") or hostile["问题描述"].startswith("'=")
    assert all(not v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values())


def test_docx_shape_and_sentences(written):
    doc = Document(written["docx"])
    texts = [p.text for p in doc.paragraphs]
    title = "示例市人民政府办公室关于2026年第四季度全市政府网站检查情况的通报（草稿）"
    assert title in texts
    assert "各区人民政府，市政府各部门：" in texts
    for heading in ("一、总体情况", "二、发现的主要问题", "三、工作要求"):
        assert heading in texts
    body = "\n".join(texts)
    assert "合格率57.1%（4/7）" in body
    assert "2个网站因无法访问或被拦截未能完成检查（示例区人社局（无法访问）、丙街道（被拦截））" in body
    assert "2个已整改" in body and "1个仍未整改到位" in body
    assert "示例区教育局网站“通知公告”栏目自2025年3月以来未更新" in body
    assert "示例区水务局网站“政策文件”栏目自2026年5月以来未更新" in body
    assert "示例区卫健委网站首页最新信息发布于2026年10月1日" in body
    assert "已连续2次被通报" in body
    assert "于2026年12月5日前将整改情况" in body
    assert "附件：1.2026年第四季度政府网站检查情况汇总表" in body
    assert "××〔2026〕×号" in body and "签发人" in body
    assert XSS in body           # plain text in a docx: shown, never run
    assert "人工排除1个" in body
    assert "丙街道网站首页无法访问" not in body      # one night unreachable: not checked, not accused


def test_docx_names_two_to_five_sites_per_theme(tmp_path):
    sites, findings = make_frames()
    extra = [finding(f"测试局{i}", "column.stale", "deduct", "栏目最新信息发布于2025-01-02，已超过6个月未更新",
                     column="通知公告") for i in range(7)]
    sites = pd.concat([sites, pd.DataFrame([site(f"测试局{i}", "区直部门", "合格", 90.0) for i in range(7)])])
    findings = pd.concat([findings, pd.DataFrame(extra)])
    paths = write_tongbao(tmp_path, sites, findings, round="2026Q4", deadline=DEADLINE, as_of=AS_OF,
                          office=OFFICE)
    para = next(p.text for p in Document(paths["docx"]).paragraphs if "）信息更新不及时。" in p.text[:12])
    named = para.count("网站")
    assert 2 <= named <= 6 and "共有10个网站存在此类问题" in para


def east_asia(style):
    rfonts = style.element.rPr.rFonts
    return rfonts.get(qn("w:eastAsia"))


def test_docx_gbt9704_page_and_fonts(written):
    doc = Document(written["docx"])
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert (round(s.top_margin.mm), round(s.left_margin.mm)) == (37, 28)
    assert east_asia(doc.styles["Normal"]) == "仿宋_GB2312" and doc.styles["Normal"].font.size.pt == 16
    by_text = {p.text: p for p in doc.paragraphs}
    assert east_asia(by_text["一、总体情况"].style) == "黑体"
    title = by_text["示例市人民政府办公室关于2026年第四季度全市政府网站检查情况的通报（草稿）"]
    assert east_asia(title.style) == "方正小标宋简体" and title.style.font.size.pt == 22
    sub = next(p for p in doc.paragraphs if p.text.startswith("（一）政府网站检查情况"))
    assert sub.runs[0].style.name == "公文二级标题" and east_asia(sub.runs[0].style) == "楷体_GB2312"


def test_stale_sentence_falls_back_to_the_detail_without_a_date():
    row = pd.Series({"rule_id": "column.stale", "column": "工作动态", "detail": "栏目信息均未标注发布日期，视为超过14天未更新",
                     "newest": None, "title": "", "site": "x"})
    assert finding_sentence(row) == "“工作动态”栏目信息均未标注发布日期，视为超过14天未更新"


def test_no_problems_and_missing_optional_columns(tmp_path):
    sites = pd.DataFrame([{"name": "干净网", "url": "https://a.gov.cn/", "verdict": "良好", "score": 99.0}])
    findings = pd.DataFrame(columns=["site", "rule_id", "severity", "detail", "status"])
    paths = write_tongbao(tmp_path, sites, findings, round="2026Q1", deadline="2026-04-15",
                          as_of=date(2026, 3, 31), office=None)
    body = "\n".join(p.text for p in Document(paths["docx"]).paragraphs)
    assert "本次检查未发现存在突出问题的政府网站" in body and "合格率100.0%（1/1）" in body
    assert "于2026年4月15日前" in body
    wb = load_workbook(paths["xlsx"])
    assert len(rows_of(wb["问题明细"])) == 1 and len(rows_of(wb["问题网站名单"])) == 1


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def test_any_crawled_text_stays_inert_in_every_output(tmp_path_factory):
    from hypothesis import HealthCheck, given, settings, strategies as st

    crawled = st.builds(lambda lead, rest: lead + rest, st.sampled_from(_FORMULA + ("", "<", "“")),
                        st.text(max_size=30))

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(name=crawled, column=crawled, detail=crawled, title=crawled, url=crawled)
    def check(name, column, detail, title, url):
        out = tmp_path_factory.mktemp("fuzz")
        sites = pd.DataFrame([site(name or "x", "区直部门", "不合格", 80.0, url=url, summary=detail)])
        findings = pd.DataFrame([finding(name or "x", "column.stale", "veto", detail, column=column,
                                         title=title, url=url, target=title)])
        paths = write_tongbao(out, sites, findings, round="2026Q4", deadline=DEADLINE, as_of=AS_OF,
                              office={"name": name})
        wb = load_workbook(paths["xlsx"])
        for ws in wb:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f"
                    assert not (isinstance(c.value, str) and c.value.startswith(_FORMULA))
        for row in csv.reader(paths["csv"].open(encoding="utf-8-sig", newline="")):
            assert not [v for v in row if v.startswith(_FORMULA)]
        Document(paths["docx"])         # still a readable document

    check()


def test_docx_attachment_pages_carry_the_tables(written):
    doc = Document(written["docx"])
    texts = [p.text for p in doc.paragraphs]
    for i in (1, 2, 3):
        assert f"附件{i}" in texts
    assert "存在突出问题的政府网站名单" in texts
    summary, names = doc.tables
    assert tuple(c.text for c in summary.rows[0].cells) == SUMMARY_HEADERS
    assert [c.text for c in summary.rows[-1].cells][1:] == ["合计", "9", "7", "2", "3", "57.1%（4/7）"]
    assert tuple(c.text for c in names.rows[0].cells) == LIST_HEADERS
    assert [r.cells[1].text for r in names.rows[1:]] == ["示例区教育局", "示例区卫健委", XSS + "网"]
    assert any("问题明细共10条" in t for t in texts)
    last = doc.sections[-1]
    assert last.page_width > last.page_height          # wide tables on landscape pages
