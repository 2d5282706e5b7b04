"""Annual report (政府信息公开工作年度报告) rules: published for the previous year, on time."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from audits.annual_tables import application_table, review_table
from audits.registry import Param, rule
from audits.rules._util import (
    checked, continuation_pages, entries_by_column, in_category, links_from, note_unchecked,
    section_unread_note, seen_empty_or_filled, unread_attachments,
)

_CN_DIGITS = "〇一二三四五六七八九"
_ZERO_VARIANTS = re.compile(r"[零○OoＯ]")
_MMDD = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


def _mmdd(value: str) -> str | None:
    return None if _MMDD.match(value) else f"应为 MM-DD，实为 {value!r}"


PARAMS = (
    Param("government_deadline", "03-31", "人民政府门户网站年报截止日（MM-DD）", _mmdd),
    Param("department_deadline", "01-31", "部门网站年报截止日（MM-DD）", _mmdd),
)


def site_kind(ctx) -> str:
    """government | department: the run's kind (--kind, given on the command line, beats the config
    file), else the config's, else from the site name (…人民政府 → government)."""
    for kind in (ctx.snapshot.run.kind, ctx.config.kind):
        if kind in ("government", "department"):
            return kind
    return "government" if "人民政府" in ctx.snapshot.run.site_name else "department"


def deadline(ctx) -> date:
    month, day = map(int, ctx.params[f"{site_kind(ctx)}_deadline"].split("-"))
    return date(ctx.as_of.year, month, day)


def _names_year(title: str, year: int) -> bool:
    t = _ZERO_VARIANTS.sub("〇", re.sub(r"\s+", "", title or ""))
    cn = "".join(_CN_DIGITS[int(ch)] for ch in str(year))
    return str(year) in t or cn in t


def is_report_for(title: str, year: int) -> bool:
    """The title names `year` (2025 or 二〇二五) and is a 年度报告 / 年报 (also worded
    2025年度政府信息公开工作报告, 2025年政府信息公开工作报告)."""
    t = re.sub(r"\s+", "", title or "")
    return _names_year(t, year) and ("年度报告" in t or "年报" in t
                                     or ("报告" in t and ("年度" in t or "信息公开" in t)))


_CUT = re.compile(r"(\.{2,}|…+|。{3,})$")


_ANY_YEAR = re.compile(r"(19|20)\d\d|[〇零○一二][〇零○一二三四五六七八九]{3}")


def maybe_report_for(title: str, year: int, listed: date | None = None) -> bool:
    """A list title cut short (2025年政府信息公开工作年…) that names `year`, or a 年度报告 whose
    title names no year at all, listed after `year` ended: it may be the report."""
    t = re.sub(r"\s+", "", title or "")
    if _CUT.search(t) and _names_year(t, year):
        return True
    return (("年度报告" in t or "年报" in t) and not _ANY_YEAR.search(t)
            and listed is not None and listed.year > year)


@dataclass
class Report:
    url: str
    title: str
    column: str
    published: date | None


@dataclass
class Search:
    columns: list            # annual_report columns
    complete: bool           # every annual_report column was read (entries, or proof it is empty)
    reports: list[Report]    # the previous year's reports found
    unproven: list = ()      # annual_report columns stored ok with no entries and no proof
    partial: list = ()       # annual_report columns some of whose list pages were not read
    cut: list = ()           # titles that may name the report: cut short (…), or naming no year


def search(ctx) -> Search:
    snap = ctx.snapshot
    year = ctx.as_of.year - 1
    columns = in_category(snap, "annual_report")
    ids = {c.id: c for c in columns if checked(c)}
    docs = {d.url: d for d in snap.documents}
    found: dict[str, Report] = {}
    for e in snap.entries:
        if e.column_id in ids and is_report_for(e.title, year):
            found[e.url] = Report(e.url, e.title, ids[e.column_id].name, e.date)
    for d in snap.documents:
        if d.column_id in ids and d.url not in found and is_report_for(d.title, year):
            found[d.url] = Report(d.url, d.title, ids[d.column_id].name, None)
    for r in found.values():
        # The page's own 发布日期 wins over the list date.
        doc = docs.get(r.url)
        if doc is not None and doc.status == "ok" and doc.fields.get("published"):
            try:
                r.published = date.fromisoformat(doc.fields["published"])
            except ValueError:
                pass
    by_column = entries_by_column(snap)
    for c in columns:
        # A 年报 column read as a page of text: the reports it names in that text count.
        if c.id in ids and c.is_page and not by_column.get(c.id):
            for line in (c.text or "").splitlines():
                if is_report_for(line, year):
                    found.setdefault(f"{c.url}#{line.strip()[:40]}",
                                     Report(c.url, line.strip(), c.name, None))
    # A column whose name says it lists 年报 but that showed no entries, only text, was not read
    # as a list (a script-built list taken for an article): unproven, never "no report".
    unproven = [c for c in columns
                if checked(c) and (not seen_empty_or_filled(c, by_column.get(c.id, []))
                                   or (c.is_page and not by_column.get(c.id)
                                       and not any(r.column == c.name for r in found.values())))]
    # Some list pages unread (failed, a pager only a script follows, the crawl cut at --max-pages):
    # the report may be listed on one of them.
    partial = [c for c in columns if checked(c) and (c.partial or snap.run.cut_short)]
    cut = [e.title for e in snap.entries if e.column_id in ids and e.url not in found
           and maybe_report_for(e.title, year, e.date)]
    complete = all(checked(c) for c in columns) and not unproven and not partial and not cut
    return Search(columns, complete, list(found.values()), unproven, partial, cut)


@rule("annual_report.missing", title="年报未发布", severity="deduct", source="条例 第四十九条",
      points=5, params=PARAMS)
def missing(ctx):
    """已过截止日（部门1月31日、人民政府3月31日），年报栏目中没有上一年度的年报（或没有年报栏目）。年报栏目未能读取或未能确认、其部分列表页未能读取（含抓取达到页数上限）、栏目中有可能为该年度年报的条目（标题被截断且含该年份，或未写年份且发布于该年之后）、专栏页面或某栏目页面未能读取时不作判断。"""
    due = deadline(ctx)
    if ctx.as_of <= due:
        return
    s = search(ctx)
    if s.reports:
        return
    year = ctx.as_of.year - 1
    if not s.complete:
        note_unchecked(ctx, s.columns, "年报是否发布")
        if s.unproven:
            ctx.note(f"年报栏目未读到条目，也无为空的确证，未判断年报是否发布："
                     f"{'、'.join(c.name for c in s.unproven)}")
        if s.partial:
            ctx.note(f"年报栏目部分列表页未能读取（或抓取达到页数上限），未判断年报是否发布："
                     f"{'、'.join(c.name for c in s.partial)}")
        if s.cut:
            ctx.note(f"年报栏目中有可能为{year}年度年报的条目（标题被截断或未写年份：{s.cut[0]}），未判断年报是否发布")
        return
    when = f"应于{due.year}年{due.month}月{due.day}日前发布"
    if not s.columns:
        # "No 年报 column" only from a section whose page, and every column page, was read.
        if why := section_unread_note(ctx.snapshot, "是否有年报栏目"):
            ctx.note(why)
            return
        run = ctx.snapshot.run
        yield ctx.finding(f"未找到政府信息公开年报栏目，未见{year}年度政府信息公开工作年度报告（{when}）",
                          url=run.section_url or run.site_url)
        return
    first = s.columns[0]
    yield ctx.finding(f"年报栏目中未见{year}年度政府信息公开工作年度报告（{when}）",
                      column=first.name, url=first.url, title=first.name)


@rule("annual_report.late", title="年报逾期发布", severity="deduct", source="条例 第四十九条",
      points=5, params=PARAMS)
def late(ctx):
    """上一年度年报的发布日期（文件页面的发布日期，否则列表日期）晚于截止日。"""
    s = search(ctx)
    dated = [r for r in s.reports if r.published]
    if s.reports and not dated:
        ctx.note("上一年度年报未标注发布日期，未判断是否逾期")
    if not dated:
        return
    # A government's 年报 column may list several bodies' reports: the earliest stands for the site.
    r = min(dated, key=lambda r: r.published)
    due = deadline(ctx)
    if r.published > due:
        yield ctx.finding(f"{ctx.as_of.year - 1}年度年报发布于{r.published.isoformat()}，"
                          f"晚于{due.year}年{due.month}月{due.day}日的期限",
                          column=r.column, url=r.url, title=r.title)


# --- content of the previous year's report ------------------------------------------------------

# 30号's six sections: (name, words one of which a numbered heading “X、…” carries).
SECTIONS = (
    ("总体情况", ("总体情况",)),
    ("主动公开政府信息情况", ("主动公开政府信息",)),
    ("收到和处理政府信息公开申请情况", ("收到和处理", "依申请公开")),
    ("政府信息公开行政复议、行政诉讼情况", ("行政复议", "行政诉讼")),
    ("存在的主要问题及改进情况", ("存在的主要问题", "主要问题及改进")),
    ("其他需要报告的事项", ("其他需要报告",)),
)
_HEADING = r"(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,2}\s*[、.．]\s*[^、。；;]{0,14}?"


def has_section(text: str, words: tuple[str, ...]) -> bool:
    """A numbered heading names the section (the preamble's list of sections does not count)."""
    return any(re.search(_HEADING + re.escape(w), text) for w in words)


@dataclass
class ReportContent:
    report: Report
    text: str
    tables: list
    unread: list = ()        # its attachments not read, and later pages of a split report


def contents(ctx) -> list[ReportContent]:
    """The previous year's reports with their text and tables: the page's own, plus those of its
    attachments (a report published as PDF/DOC is read by the crawler)."""
    snap = ctx.snapshot
    docs = {d.url: d for d in snap.documents}
    files: dict[str, list] = {}
    for a in snap.attachments:
        files.setdefault(a.document_url, []).append(a)
    out = []
    links = None
    for r in search(ctx).reports:
        doc = docs.get(r.url)
        if doc is None or doc.status != "ok":
            continue
        if links is None:
            links = links_from(snap)
        parts = [a for a in files.get(r.url, []) if a.status == "ok"]
        text = "\n".join([doc.text] + [a.text for a in parts])
        tables = list(doc.tables) + [t for a in parts for t in a.tables]
        unread = unread_attachments(snap, doc) + continuation_pages(doc.url, links.get(doc.url, []))
        out.append(ReportContent(r, text, tables, unread))
    return out


@rule("annual_report.sections", title="年报内容不完整", severity="advisory", source="30号")
def sections(ctx):
    """上一年度年报（页面或其 PDF/DOC 附件的文字）缺少30号模板六部分中的任一部分（按“一、总体情况”式的编号标题判断）。年报的附件未能读取（失败、超限、无法解析的格式）或年报分页发布而后续页未读取时不作判断。"""
    for c in contents(ctx):
        text = re.sub(r"\s+", "", c.text)
        if len(text) < 200:
            ctx.note(f"年报《{c.report.title}》未取得足够文字（可能为图片或无法读取的附件），未检查其内容")
            continue
        missing = [name for name, words in SECTIONS if not has_section(text, words)]
        if missing and c.unread:
            # The missing parts may stand in a file or on a page we did not read.
            ctx.note(f"年报《{c.report.title}》的附件或后续分页未能读取（{c.unread[0]}），"
                     f"未断定其缺少“{'”“'.join(missing)}”部分")
            continue
        if missing:
            yield ctx.finding(f"年报缺少“{'”“'.join(missing)}”部分", column=c.report.column,
                              url=c.report.url, title=c.report.title)


def arithmetic_errors(tables) -> tuple[list[str], bool]:
    """The failed identities of 30号's tables 三 and 四 (Chinese phrases), and whether either table
    was found at all."""
    errors: list[str] = []
    found = False
    for grid in tables:
        app = application_table(grid)
        if app is not None:
            found = True
            errors += _application_errors(app)
        blocks = review_table(grid)
        if blocks:
            found = True
            for b in blocks:
                parts = sum(v for _, v in b.parts)
                if parts != b.total:
                    errors.append(f"表四“{b.name}”总计{b.total}，维持、纠正、其他、尚未审结合计{parts}")
    return errors, found


def _application_errors(t) -> list[str]:
    errors = []
    rows = [("一、本年新收", t.new), ("二、上年结转", t.carried_in)] + list(t.outcomes) + \
        [("三、（七）总计", t.total), ("四、结转下年度", t.carried_out)]
    width = len(t.columns)
    for c, name in enumerate(t.columns):
        label = "总计" if c == width - 1 else name
        get = (lambda vals: vals[c] if c < len(vals) else 0)
        left = get(t.new) + get(t.carried_in)
        right = get(t.total) + get(t.carried_out)
        if left != right:
            errors.append(f"表三“{label}”列：一+二={left}，三（七）+四={right}")
        outcomes = sum(get(v) for _, v in t.outcomes)
        if get(t.total) != outcomes:
            errors.append(f"表三“{label}”列：三（七）总计{get(t.total)}，各办理结果合计{outcomes}")
    for name, vals in rows:
        if len(vals) == width and width > 1 and vals[-1] != sum(vals[:-1]):
            errors.append(f"表三“{name}”行：总计{vals[-1]}，各类申请人合计{sum(vals[:-1])}")
    return errors


@rule("annual_report.arithmetic", title="年报数据勾稽关系不符", severity="advisory",
      source="30号 (勾稽关系)",
      params=(Param("max_shown", 5, "详情中最多列出的不符之处"),))
def arithmetic(ctx):
    """上一年度年报表格的勾稽关系不成立：每列 一+二=三（七）+四；三（七）=各办理结果之和；总计=各类申请人之和；表四每组 总计=维持+纠正+其他+尚未审结。空白单元格按0计。"""
    limit = ctx.params["max_shown"]
    for c in contents(ctx):
        errors, found = arithmetic_errors(c.tables)
        if not found:
            if c.text.strip():
                ctx.note(f"年报《{c.report.title}》中未识别出统计表格，未核对勾稽关系")
            continue
        if errors:
            more = f"等{len(errors)}处" if len(errors) > limit else ""
            yield ctx.finding("；".join(errors[:limit]) + more, column=c.report.column,
                              url=c.report.url, title=c.report.title)
