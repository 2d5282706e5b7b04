"""A small hand-built snapshot and audit result, with hostile crawled text in it."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from audits.finding import AuditResult, Finding, Score
from snapshot.model import Column, Entry, RunInfo, Snapshot

XSS_TITLE = "<script>alert(1)</script>"
JS_URL = "javascript:alert(1)"
CST = timezone(timedelta(hours=8))
STARTED = datetime(2026, 11, 20, 9, 0, 0, tzinfo=CST)
FINISHED = datetime(2026, 11, 20, 9, 12, 30, tzinfo=CST)


UNVERIFIED_WHY = "列表由脚本生成，未能在浏览器中确认"


def make_snapshot(*, complete: bool = True, unverified: bool = False) -> Snapshot:
    run = RunInfo(id=1, site_url="https://www.example.gov.cn/", site_name="示例区人民政府",
                  kind="government", pages=42, errors={"timeout": 2, "http_4xx": 1},
                  homepage_outcome="ok", section_url="https://www.example.gov.cn/zwgk/")
    columns = [
        Column(1, "法定主动公开内容", "https://www.example.gov.cn/zwgk/fdzdgknr/", "other",
               pages=1, has_children=True),
        Column(2, "政策文件", "https://www.example.gov.cn/zwgk/zcwj/", "notice_policy",
               parent_id=1, pages=3, rendered=True),
        Column(3, "工作动态", JS_URL, "news", pages=1),
        Column(4, "人事信息", "https://www.example.gov.cn/zwgk/rsxx/", "personnel_plan", pages=1,
               rendered=True, evidence="rendered"),
    ]
    if not complete:
        columns[3].status, columns[3].error, columns[3].pages = "failed", "连接超时", 0
        columns[3].evidence = ""
    if unverified:
        columns.append(Column(5, "政策解读", "https://www.example.gov.cn/zwgk/zcjd/", "interpretation",
                              status="unverified", error=UNVERIFIED_WHY, pages=1))
    entries = [
        Entry(2, "关于印发《示例办法》的通知", "https://www.example.gov.cn/zwgk/zcwj/1.html", date(2026, 3, 2)),
        Entry(2, XSS_TITLE, "https://www.example.gov.cn/zwgk/zcwj/2.html", date(2026, 5, 9), page=2),
        Entry(2, "无日期条目", "https://www.example.gov.cn/zwgk/zcwj/3.html", None, page=3),
        Entry(3, "示例动态", "https://www.example.gov.cn/dt/1.html", None),
        Entry(None, "首页要闻", "https://www.example.gov.cn/yw/1.html", date(2026, 11, 19)),
    ]
    return Snapshot(run=run, columns=columns, entries=entries)


def make_result() -> AuditResult:
    findings = [
        Finding("column.stale", "deduct", "DEDUCT-DETAIL 栏目最新信息发布于2026-05-09，已超过6个月未更新",
                column="政策文件", url="https://www.example.gov.cn/zwgk/zcwj/", title="政策文件"),
        Finding("link.broken", "deduct", "链接无法访问（404）", column="政策文件",
                url=JS_URL, target=JS_URL, title=XSS_TITLE + "\n第二行"),
        Finding("doc.number_format", "advisory", "发文字号年份应使用六角括号〔〕",
                url="https://www.example.gov.cn/zwgk/zcwj/1.html", title="=HYPERLINK(\"x\")"),
        Finding("veto.blank_columns", "veto", "VETO-DETAIL 空白栏目达到5个"),
    ]
    score = Score(points=98.5, verdict="不合格", vetoed=True,
                  deductions={"column.stale": 1.0, "link.broken": 0.5})
    return AuditResult(as_of=date(2026, 11, 20), findings=findings, score=score,
                       notes=["工作日规则：缺少2027年节假日数据，相关规则未判定"],
                       thresholds={"column.stale": {"news_days": 14, "notice_policy_months": 6}})


@pytest.fixture
def snapshot() -> Snapshot:
    return make_snapshot()


@pytest.fixture
def result() -> AuditResult:
    return make_result()
