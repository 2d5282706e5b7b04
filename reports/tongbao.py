"""The 通报 of one round: tongbao.xlsx (附件 tables), tongbao.csv (问题明细) and tongbao.docx (a draft).

A pure renderer over the frames `audits.history` builds (notes/interfaces.md): `sites` (one row a
site, verdict decided), `findings` (one row a finding, status and triage decided). Nothing is judged
here: a verdict, a status or a 连续通报次数 is printed as given. The layout follows what offices
publish (shared/reference/tongbao.md §1, §5): 检查情况汇总 / 问题网站名单 / 问题明细, and a draft in
the GB/T 9704 shape with 发文字号, 签发 and 成文日期 left as placeholders for the office to fill.

Crawled text stays inert: spreadsheet cells that Excel would read as a formula are prefixed with
an apostrophe (as findings.csv), characters XML cannot hold are dropped, and the draft is plain text.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from copy import copy
from functools import lru_cache
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from audits.finding import SEVERITIES, SEVERITY_LABELS
from reports.site import excel_safe, write_csv

# -- the frames' vocabulary (notes/interfaces.md) ------------------------------------------------

UNCHECKED = "未能检查"
FAIL = "不合格"
PASSING = ("合格", "良好")
JUDGED = PASSING + (FAIL,)          # any other verdict ("", 未能检查) means the site was not checked
STATUS_LABELS = {"new": "新发现", "persisting": "持续存在", "unverified": "未复查", "fixed": "已整改"}
SITE_STATUS_LABELS = {"ok": "正常", "down": "无法访问", "blocked": "被拦截", "failed": "检查失败"}
TRIAGE_LABELS = {"excluded": "人工排除", "explained": "已说明", "exempt": "报备"}
NO_GROUP = "未分组"

SITE_DEFAULTS: dict[str, Any] = {
    "name": "", "url": "", "ident": "", "host_org": "", "group": "", "kind": "", "verdict": UNCHECKED,
    "score": None, "complete": True, "status": "ok", "scorecard": "", "run_id": None,
    "consecutive": 0, "summary": "", "warnings": None,
}
FINDING_DEFAULTS: dict[str, Any] = {
    "site": "", "ident": "", "group": "", "host_org": "", "rule_id": "", "rule_title": "",
    "severity": "advisory", "column": "", "url": "", "target": "", "title": "", "detail": "",
    "status": "new", "first_seen": None, "consecutive": 0, "triage": "", "triage_reason": "",
    "triage_by": "", "triage_at": None, "fingerprint": "", "evidence": "",
    # Optional extra (not in interfaces.md): the newest entry date of a stale column, for the
    # sentence 「自2025年3月以来未更新」. Absent: the date is taken from the audit's own detail.
    "newest": None,
}

SUMMARY_HEADERS = ("序号", "分组", "在运行网站数", "检查数", "未能检查数", "不合格数", "合格率")
LIST_HEADERS = ("序号", "网站名称", "网站标识码", "主办单位", "网址", "检查结论", "存在的突出问题",
                "连续通报次数")
DETAIL_HEADERS = ("序号", "网站名称", "网站标识码", "分组", "问题类型", "严重程度", "问题描述", "栏目",
                  "问题页面", "证据", "发现时间", "整改期限", "状态", "处理意见", "指纹")
FIXED_HEADERS = ("序号", "网站名称", "网站标识码", "分组", "问题类型", "问题描述", "栏目", "问题页面",
                 "发现时间", "状态", "指纹")
HANDLED_HEADERS = ("序号", "网站名称", "网站标识码", "问题类型", "问题描述", "栏目", "问题页面",
                   "处理意见", "处理人", "处理时间", "指纹")

_SEV_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def _blank(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):     # lists and other containers
        return False


def _with_defaults(frame: pd.DataFrame | None, defaults: Mapping[str, Any]) -> pd.DataFrame:
    """A copy with every expected column present; missing values become the column's default."""
    frame = pd.DataFrame() if frame is None else frame.copy()
    for col, default in defaults.items():
        if col not in frame.columns:
            frame[col] = [default] * len(frame)
        elif default is not None and not isinstance(default, (list, dict)):
            frame[col] = [default if _blank(v) else v for v in frame[col]]
    return frame.reset_index(drop=True)


def normalise_sites(sites: pd.DataFrame | None) -> pd.DataFrame:
    frame = _with_defaults(sites, SITE_DEFAULTS)
    frame["group"] = [str(g) if str(g).strip() else NO_GROUP for g in frame["group"]]
    frame["verdict"] = [v if v in JUDGED else UNCHECKED for v in frame["verdict"]]
    frame["warnings"] = [list(w) if isinstance(w, (list, tuple)) else [] for w in frame["warnings"]]
    frame["consecutive"] = [int(v) if not _blank(v) else 0 for v in frame["consecutive"]]
    return frame


def normalise_findings(findings: pd.DataFrame | None) -> pd.DataFrame:
    frame = _with_defaults(findings, FINDING_DEFAULTS)
    for col in ("group",):
        frame[col] = [str(g) if str(g).strip() else NO_GROUP for g in frame[col]]
    frame["triage"] = ["" if _blank(t) else str(t) for t in frame["triage"]]
    return frame


def open_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings that count in this round: not triaged, not fixed."""
    mask = (findings["triage"] == "") & (findings["status"] != "fixed")
    return findings[mask]


def triaged_findings(findings: pd.DataFrame) -> pd.DataFrame:
    return findings[findings["triage"] != ""]


def fixed_findings(findings: pd.DataFrame) -> pd.DataFrame:
    return findings[(findings["triage"] == "") & (findings["status"] == "fixed")]


def pass_counts(sites: pd.DataFrame) -> tuple[int, int]:
    """(passed, checked): a site that could not be checked (or has no verdict) counts in neither."""
    checked = sites[sites["verdict"].isin(JUDGED)]
    return int(checked["verdict"].isin(PASSING).sum()), len(checked)


def pass_rate(passed: int, checked: int) -> str:
    """「96.7%（118/122）」: the rate never without its counts (offices define it differently)."""
    if not checked:
        return f"—（{passed}/{checked}）"
    return f"{passed / checked:.1%}（{passed}/{checked}）"


def group_summary(sites: pd.DataFrame) -> pd.DataFrame:
    """One row per group (in order of first appearance) plus 合计: the 检查情况汇总 table."""
    rows = []
    for group, part in list(sites.groupby("group", sort=False)) + [("合计", sites)]:
        passed, checked = pass_counts(part)
        rows.append({"分组": group, "在运行网站数": len(part), "检查数": checked,
                     "未能检查数": len(part) - checked, "不合格数": int((part["verdict"] == FAIL).sum()),
                     "合格率": pass_rate(passed, checked)})
    return pd.DataFrame(rows)


def chinese_date(value) -> str:
    """2026-12-05 → 2026年12月5日 (GB/T 9704: no padding zeros)."""
    d = _as_date(value)
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def _as_date(value) -> date | None:
    if _blank(value) or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _iso(value) -> str:
    d = _as_date(value)
    return d.isoformat() if d else ""


def round_text(round_: str) -> str:
    """2026Q3 → 2026年第三季度; 2026H1 → 2026年上半年; 2026-05 → 2026年5月份; anything else as given."""
    text = str(round_ or "").strip()
    if m := re.fullmatch(r"(\d{4})\s*[Qq]([1-4])", text):
        return f"{m[1]}年第{'一二三四'[int(m[2]) - 1]}季度"
    if m := re.fullmatch(r"(\d{4})\s*[Hh]([12])", text):
        return f"{m[1]}年{'上下'[int(m[2]) - 1]}半年"
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        return f"{m[1]}年{int(m[2])}月份"
    return text


# -- shared cell text ----------------------------------------------------------------------------

def _text(value) -> str:
    """Plain text of a frame value, with characters that XML (xlsx, docx) cannot hold removed."""
    if isinstance(value, (list, tuple)):
        value = "；".join(str(v) for v in value)
    elif _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _cell(value):
    """A spreadsheet cell: numbers stay numbers; text is cleaned and defused (=, +, -, @, tab, CR)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)) and not _blank(value):
        return value
    return excel_safe(_text(value))


def _site_sort(sites: pd.DataFrame) -> pd.DataFrame:
    """Worst first: 不合格, then by score ascending; unchecked sites last."""
    order = {FAIL: 0, "合格": 1, "良好": 2, UNCHECKED: 3}
    keyed = sites.assign(_v=sites["verdict"].map(lambda v: order.get(v, 3)),
                         _s=pd.to_numeric(sites["score"], errors="coerce").fillna(1e9))
    return keyed.sort_values(["_v", "_s", "name"], kind="stable").drop(columns=["_v", "_s"])


def _finding_sort(findings: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    site_rank = {name: i for i, name in enumerate(_site_sort(sites)["name"])}
    keyed = findings.assign(_site=findings["site"].map(lambda s: site_rank.get(s, len(site_rank))),
                            _sev=findings["severity"].map(lambda s: _SEV_RANK.get(s, 9)))
    return keyed.sort_values(["_site", "_sev", "rule_id"], kind="stable").drop(columns=["_site", "_sev"])


def _rule_title(row) -> str:
    return row["rule_title"] or _registry_title(row["rule_id"])


@lru_cache(maxsize=None)
def _registry_title(rule_id: str) -> str:
    try:
        from audits.registry import rule_title
        return rule_title(rule_id)
    except Exception:           # an unknown id (an older database): show the id itself
        return rule_id


def _description(row) -> str:
    detail = _text(row["detail"])
    title = _text(row["title"])
    if title and title not in (_text(row["column"]), _text(row["site"])) and title not in detail:
        return f"《{title}》：{detail}"
    return detail


def _evidence(row, shot: int | None = None) -> str:
    """链接目标 and the screenshot, numbered as offices cite them (「见截图3」)."""
    parts = []
    if _text(row["target"]):
        parts.append(f"链接目标：{_text(row['target'])}")
    if _text(row["evidence"]):
        parts.append(f"见截图{shot or ''}（{_text(row['evidence'])}）")
    return "；".join(parts)


def _triage_text(row) -> str:
    label = TRIAGE_LABELS.get(row["triage"], row["triage"])
    reason = _text(row["triage_reason"])
    return f"{label}：{reason}" if reason else label


def detail_rows(sites: pd.DataFrame, findings: pd.DataFrame, deadline) -> list[dict]:
    """问题明细: open, untriaged findings, worst site first; 处理意见 is left for the office."""
    rows, shots = [], 0
    for i, f in enumerate(_finding_sort(open_findings(findings), sites).to_dict("records"), 1):
        if _text(f["evidence"]):
            shots += 1
        rows.append({
            "序号": i, "网站名称": f["site"], "网站标识码": f["ident"], "分组": f["group"],
            "问题类型": _rule_title(f), "严重程度": SEVERITY_LABELS.get(f["severity"], f["severity"]),
            "问题描述": _description(f), "栏目": f["column"], "问题页面": f["url"],
            "证据": _evidence(f, shots if _text(f["evidence"]) else None), "发现时间": _iso(f["first_seen"]), "整改期限": _iso(deadline),
            "状态": STATUS_LABELS.get(f["status"], f["status"]), "处理意见": "",
            "指纹": f["fingerprint"],
        })
    return rows


def _site_conclusion(site, vetoes: pd.DataFrame) -> str:
    titles = list(dict.fromkeys(_rule_title(r) for _, r in vetoes.iterrows()))
    return f"{site['verdict']}（单项否决：{'、'.join(titles)}）" if titles else str(site["verdict"])


def _site_problem(site, site_findings: pd.DataFrame) -> str:
    """The one-sentence 存在的突出问题: the run's summary, else the site's vetoes in a sentence."""
    if _text(site["summary"]):
        return _text(site["summary"])
    worst = site_findings.assign(_sev=site_findings["severity"].map(lambda s: _SEV_RANK.get(s, 9)))
    worst = worst.sort_values("_sev", kind="stable")
    worst = worst[worst["severity"] == worst["severity"].iloc[0]] if len(worst) else worst
    parts = [_text(r["detail"]) for _, r in worst.head(3).iterrows()]
    return "；".join(parts) + ("。" if parts else "")


def list_rows(sites: pd.DataFrame, findings: pd.DataFrame) -> list[dict]:
    """问题网站名单: every 不合格 site, worst first."""
    live = open_findings(findings)
    rows = []
    failing = _site_sort(sites[sites["verdict"] == FAIL])
    for i, (_, s) in enumerate(failing.iterrows(), 1):
        mine = live[live["site"] == s["name"]]
        rows.append({
            "序号": i, "网站名称": s["name"], "网站标识码": s["ident"], "主办单位": s["host_org"],
            "网址": s["url"], "检查结论": _site_conclusion(s, mine[mine["severity"] == "veto"]),
            "存在的突出问题": _site_problem(s, mine), "连续通报次数": int(s["consecutive"]),
        })
    return rows


# -- xlsx ----------------------------------------------------------------------------------------

_HEAD_FONT = Font(name="黑体", bold=True, size=11)
_HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
_THIN = Side(style="thin", color="A6A6A6")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

# Column widths in characters (a CJK character is about 2); unlisted headers get 12.
_WIDTHS = {
    "序号": 6, "分组": 12, "网站名称": 22, "网站标识码": 13, "主办单位": 20, "网址": 30, "检查结论": 22,
    "存在的突出问题": 50, "连续通报次数": 8, "问题类型": 16, "严重程度": 9, "问题描述": 50, "栏目": 16,
    "问题页面": 36, "证据": 30, "发现时间": 12, "整改期限": 12, "状态": 9, "处理意见": 24, "指纹": 18,
    "合格率": 18, "处理人": 10, "处理时间": 12,
}


def _sheet(wb: Workbook, title: str, headers, rows: list[dict]) -> None:
    ws = wb.create_sheet(title)
    ws.append(list(headers))
    for row in rows:
        ws.append([_cell(row.get(h, "")) for h in headers])
    for i, header in enumerate(headers, 1):
        cell = ws.cell(row=1, column=i)
        cell.font, cell.fill, cell.border, cell.alignment = _HEAD_FONT, _HEAD_FILL, _BORDER, _CENTER
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(header, 12)
    template = None
    for r in ws.iter_rows(min_row=2):
        for cell in r:
            # Style one cell, copy its style array to the rest: per-cell style objects cost
            # openpyxl a hash each (a 300-site run took half a minute).
            if template is None:
                cell.border, cell.alignment = _BORDER, _WRAP
                template = copy(cell._style)
            else:
                cell._style = copy(template)
            if isinstance(cell.value, str):
                cell.data_type = "s"        # never a formula, whatever the text
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(ws.max_row, 1)}"
    ws.row_dimensions[1].height = 30


# The 处理意见 forms `zwgk triage import` reads back (audits/triage.py parse_opinion).
OPINION_HINT = "人工排除：理由 / 已说明 / 报备 YYYY-MM-DD至YYYY-MM-DD"


def _opinion_prompt(ws) -> None:
    """A prompt on the 处理意见 cells telling the office the forms the import understands."""
    from openpyxl.worksheet.datavalidation import DataValidation
    col = get_column_letter(DETAIL_HEADERS.index("处理意见") + 1)
    dv = DataValidation(allow_blank=True, showInputMessage=True, promptTitle="处理意见",
                        prompt=OPINION_HINT, showErrorMessage=False)
    dv.add(f"{col}2:{col}{max(ws.max_row, 2) + 500}")
    ws.add_data_validation(dv)


def write_xlsx(path: Path, sites: pd.DataFrame, findings: pd.DataFrame, deadline) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    summary = group_summary(sites)
    summary.insert(0, "序号", list(range(1, len(summary))) + [""])
    _sheet(wb, "检查情况汇总", SUMMARY_HEADERS, summary.to_dict("records"))
    _sheet(wb, "问题网站名单", LIST_HEADERS, list_rows(sites, findings))
    _sheet(wb, "问题明细", DETAIL_HEADERS, detail_rows(sites, findings, deadline))
    _opinion_prompt(wb["问题明细"])
    fixed = _finding_sort(fixed_findings(findings), sites)
    _sheet(wb, "已整改问题", FIXED_HEADERS, [
        {"序号": i, "网站名称": f["site"], "网站标识码": f["ident"], "分组": f["group"],
         "问题类型": _rule_title(f), "问题描述": _description(f), "栏目": f["column"],
         "问题页面": f["url"], "发现时间": _iso(f["first_seen"]), "状态": STATUS_LABELS["fixed"],
         "指纹": f["fingerprint"]}
        for i, f in enumerate(fixed.to_dict("records"), 1)])
    handled = _finding_sort(triaged_findings(findings), sites)
    _sheet(wb, "已处理问题（不计入通报）", HANDLED_HEADERS, [
        {"序号": i, "网站名称": f["site"], "网站标识码": f["ident"], "问题类型": _rule_title(f),
         "问题描述": _description(f), "栏目": f["column"], "问题页面": f["url"],
         "处理意见": _triage_text(f), "处理人": f["triage_by"], "处理时间": _iso(f["triage_at"]),
         "指纹": f["fingerprint"]}
        for i, f in enumerate(handled.to_dict("records"), 1)])
    wb.save(path)
    return path


# -- docx ----------------------------------------------------------------------------------------

# Themes of 二、主要问题, in the order real 通报 raise them (veto-level problems first).
THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("网站无法正常访问", ("veto.unreachable", "site.unreachable")),
    ("信息更新不及时", ("veto.homepage_stale", "veto.stale_columns", "column.stale")),
    ("存在空白栏目", ("veto.blank_columns", "column.empty")),
    ("链接不可用", ("link.",)),
    ("个人信息保护不到位", ("privacy.",)),
    ("政策文件发布不规范", ("doc.",)),
    ("政策解读不到位", ("interpretation.",)),
    ("政府信息公开工作年度报告不规范", ("annual_report.",)),
    ("信息公开专栏建设不规范", ("disclosure.", "guide.", "site.")),
)
OTHER_THEME = "其他问题"
MAX_NAMED_SITES = 5


def theme_of(rule_id: str) -> str:
    for theme, prefixes in THEMES:
        if any(rule_id == p or (p.endswith(".") and rule_id.startswith(p)) for p in prefixes):
            return theme
    return OTHER_THEME


def site_label(name: str) -> str:
    """「XX网站」 as 通报 name a site: a name already ending in 网/网站 is kept as it is."""
    name = _text(name).strip()
    return name if name.endswith(("网", "网站", "平台")) else f"{name}网站"


_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _chinese_dates(text: str) -> str:
    return _ISO.sub(lambda m: f"{m[1]}年{int(m[2])}月{int(m[3])}日", text)


def finding_sentence(row) -> str:
    """One finding in the 通报 style, without the site name: 「“通知公告”栏目自2025年3月以来未更新」."""
    column = _text(row["column"])
    detail = _text(row["detail"]).rstrip("。；;")
    where = f"“{column}”栏目" if column else ""
    if row["rule_id"] == "column.stale":
        newest = _as_date(row["newest"])
        if newest is None and (m := _ISO.search(detail)):
            newest = _as_date(m[0])
        if newest is not None:
            return f"{where}自{newest.year}年{newest.month}月以来未更新"
        return f"{where}{detail.removeprefix('栏目')}"
    if row["rule_id"] == "column.empty":
        return f"{where}为空白栏目"
    title = _text(row["title"])
    if title and title != column and title != _text(row["site"]) and row["rule_id"].split(".")[0] in (
            "doc", "privacy", "interpretation", "annual_report"):
        where += f"发布的《{title}》"
    return _chinese_dates(f"{where}{detail.removeprefix('栏目') if where else detail}")


def _site_theme_sentence(mine: pd.DataFrame) -> str:
    """One site's problems of one theme: its first specific findings (a column, a page), and the
    veto's count where one fired — 「“通知公告”栏目自2025年3月以来未更新，共有5个栏目长期未更新」."""
    mine = mine.sort_values("_sev", kind="stable")
    vetoes = mine[mine["severity"] == "veto"]
    specific = mine[mine["severity"] != "veto"]
    phrases = []
    empty = specific[specific["rule_id"] == "column.empty"]
    if len(empty):
        cols = "".join(f"“{_text(c)}”" for c in empty["column"].head(3))
        phrases.append(f"{cols}{'等' + str(len(empty)) + '个' if len(empty) > 3 else ''}栏目为空白栏目")
        specific = specific[specific["rule_id"] != "column.empty"]
    phrases += [finding_sentence(r) for _, r in specific.head(2).iterrows()]
    if len(specific) > 2:
        phrases[-1] += f"等{len(specific)}个问题"
    for _, v in vetoes.iterrows():
        summary = _chinese_dates(_text(v["detail"]).split("：")[0].rstrip("。"))
        if summary and summary not in phrases:
            phrases.append(summary)
    return "，".join(phrases)


def theme_paragraphs(findings: pd.DataFrame, sites: pd.DataFrame) -> list[tuple[str, str]]:
    """(theme, sentence naming up to five sites) for each theme with open veto/deduct findings."""
    live = open_findings(findings)
    # 未复查 findings were not seen this time: listed in 附件3, never accused in the text.
    live = live[live["severity"].isin(("veto", "deduct")) & (live["status"] != "unverified")]
    # A site that could not be checked tonight is named in 总体情况 as such; one night's failure to
    # load it is not a problem of the site to publish (a veto rests on a week of probes, so stays).
    unchecked = set(sites.loc[~sites["verdict"].isin(JUDGED), "name"])
    live = live[~live["site"].isin(unchecked) | (live["severity"] == "veto")]
    if live.empty:
        return []
    repeat_said: set[str] = set()
    consecutive = dict(zip(sites["name"], sites["consecutive"]))
    live = live.assign(_theme=live["rule_id"].map(theme_of),
                       _sev=live["severity"].map(lambda s: _SEV_RANK.get(s, 9)))
    order = [t for t, _ in THEMES] + [OTHER_THEME]
    out = []
    for theme in order:
        part = live[live["_theme"] == theme]
        if part.empty:
            continue
        # Sites with a veto here first, then by how many problems they have.
        per_site = part.groupby("site", sort=False).agg(sev=("_sev", "min"), n=("_sev", "size"))
        per_site = per_site.sort_values(["sev", "n"], ascending=[True, False], kind="stable")
        sentences = []
        for name in per_site.index[:MAX_NAMED_SITES]:
            sentence = site_label(name) + _site_theme_sentence(part[part["site"] == name])
            if consecutive.get(name, 0) >= 2 and name not in repeat_said:
                repeat_said.add(name)
                sentence += f"（已连续{consecutive[name]}次被通报）"
            sentences.append(sentence)
        text = "；".join(sentences)
        if len(per_site) > MAX_NAMED_SITES:
            text += f"。共有{len(per_site)}个网站存在此类问题，详见附件3"
        out.append((theme, text + "。"))
    return out


def _office(office: Mapping[str, Any] | None) -> dict[str, str]:
    office = dict(office or {})
    return {"name": _text(office.get("name") or "××人民政府办公室"),
            "recipients": _text(office.get("recipients") or "各有关单位"),
            "title_region": _text(office.get("title_region") or "")}


def tongbao_title(office: Mapping[str, Any] | None, round_: str) -> str:
    o = _office(office)
    return f"{o['name']}关于{round_text(round_)}{o['title_region']}政府网站检查情况的通报（草稿）"


def _overview(sites: pd.DataFrame, findings: pd.DataFrame, office: dict, as_of) -> list[str]:
    """The paragraphs of 一、总体情况 (numbers only; every rate with its counts)."""
    passed, checked = pass_counts(sites)
    unchecked = len(sites) - checked
    failing = int((sites["verdict"] == FAIL).sum())
    good = int((sites["verdict"] == "良好").sum())
    region = office["title_region"]
    first = (f"（一）政府网站检查情况。本次对{region}在运行的{len(sites)}个政府网站开展检查（数据截至"
             f"{chinese_date(as_of)}）")
    if unchecked:
        names = [f"{_text(r['name'])}（{SITE_STATUS_LABELS.get(r['status'], r['status'])}）"
                 for _, r in sites[~sites["verdict"].isin(JUDGED)].head(10).iterrows()]
        first += (f"，其中{unchecked}个网站因无法访问或被拦截未能完成检查（{'、'.join(names)}"
                  f"{'等' if unchecked > len(names) else ''}），未计入合格率")
    first += (f"；完成检查的{checked}个网站中，存在突出问题（不合格）的网站{failing}个，"
              f"合格率{pass_rate(passed, checked)}，评为良好的{good}个。")
    groups = group_summary(sites)
    if len(groups) > 2:        # more than one group besides 合计
        parts = [f"{r['分组']}检查{r['检查数']}个、不合格{r['不合格数']}个、合格率{r['合格率']}"
                 for _, r in groups.iloc[:-1].iterrows()]
        first += "分组情况：" + "；".join(parts) + "（见附件1）。"
    paras = [first]

    fixed = fixed_findings(findings)
    live = open_findings(findings)
    persisting = live[live["status"] == "persisting"]
    new = live[live["status"] == "new"]
    unverified = live[live["status"] == "unverified"]
    if len(fixed) or len(persisting):
        text = (f"（二）上次检查问题整改情况。经复查，上次检查发现的问题中{len(fixed)}个已整改"
                f"（涉及{fixed['site'].nunique()}个网站），{len(persisting)}个仍未整改到位"
                f"（涉及{persisting['site'].nunique()}个网站）")
        if len(unverified):
            text += f"，{len(unverified)}个因相关栏目本次未能检查而未复查"
        text += f"；本次新发现问题{len(new)}个。"
    else:
        text = f"（二）上次检查问题整改情况。本次无可复查的上次检查问题记录；本次发现问题{len(new) + len(unverified)}个。"
    paras.append(text)

    handled = triaged_findings(findings)
    if len(handled):
        counts = handled["triage"].map(lambda t: TRIAGE_LABELS.get(t, t)).value_counts()
        parts = "、".join(f"{label}{n}个" for label, n in counts.items())
        paras.append(f"（三）人工核查情况。经人工核查，{parts}，以上问题均未计入本次通报。")
    return paras


# GB/T 9704-2012: A4, 版心 156×225 mm; fonts of each element (shared/reference/tongbao.md §5.2).
BODY_FONT, HEADING1_FONT, HEADING2_FONT, TITLE_FONT = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体"
LATIN_FONT = "Times New Roman"
SIZE_3, SIZE_2 = 16, 22             # 三号, 二号 in points


def _set_font(element_font, rpr, east_asia: str, size: float | None = None, *, bold: bool | None = None,
              latin: str = LATIN_FONT) -> None:
    """Latin and East Asian font names; python-docx's font.name leaves w:eastAsia unset."""
    from docx.oxml.ns import qn
    from docx.shared import Pt
    element_font.name = latin
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asia)
    if size:
        element_font.size = Pt(size)
    if bold is not None:
        element_font.bold = bold


def _styles(doc) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt, RGBColor

    normal = doc.styles["Normal"]
    _set_font(normal.font, normal.element.get_or_add_rPr(), BODY_FONT, SIZE_3)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    pf = normal.paragraph_format
    pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28.95)   # 22 lines a page
    pf.space_before = pf.space_after = Pt(0)

    def para_style(name, font, size, *, align=None, indent=True):
        s = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        s.base_style = normal
        _set_font(s.font, s.element.get_or_add_rPr(), font, size)
        s.paragraph_format.first_line_indent = Pt(2 * SIZE_3) if indent else Pt(0)
        if align is not None:
            s.paragraph_format.alignment = align
        return s

    body = para_style("公文正文", BODY_FONT, SIZE_3)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    para_style("公文一级标题", HEADING1_FONT, SIZE_3)
    title = para_style("公文标题", TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    title.paragraph_format.line_spacing = Pt(35)
    para_style("主送机关", BODY_FONT, SIZE_3, indent=False)
    h2 = doc.styles.add_style("公文二级标题", WD_STYLE_TYPE.CHARACTER)
    _set_font(h2.font, h2.element.get_or_add_rPr(), HEADING2_FONT, SIZE_3)


def _page(doc) -> None:
    from docx.shared import Mm
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        _page_number(section)


def _page_number(section) -> None:
    """「— 1 —」 below the 版心, 4号 宋体 (GB/T 9704 7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = 0
    for text, field in (("— ", False), ("PAGE", True), (" —", False)):
        if field:
            fld = OxmlElement("w:fldSimple")
            fld.set(qn("w:instr"), "PAGE")
            r = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.text = "1"
            r.append(t)
            fld.append(r)
            p._p.append(fld)
        else:
            run = p.add_run(text)
            _set_font(run.font, run._element.get_or_add_rPr(), "宋体", 14)


def _red_rule(paragraph) -> None:
    """The red separator line under the 版头 (a bottom border of the 发文字号 paragraph)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(k), v)
    borders.append(bottom)
    ppr.append(borders)


def write_docx(path: Path, sites: pd.DataFrame, findings: pd.DataFrame, *, round_: str, deadline,
               as_of, office: Mapping[str, Any] | None) -> Path:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    o = _office(office)
    year = (_as_date(as_of) or date.today()).year
    doc = Document()
    _styles(doc)
    _page(doc)
    doc.core_properties.title = tongbao_title(office, round_)

    def para(text: str = "", style: str = "公文正文", align=None):
        p = doc.add_paragraph(_text(text), style=style)
        if align is not None:
            p.alignment = align
            p.paragraph_format.first_line_indent = Pt(0)
        return p

    def heading2(lead: str, text: str):
        p = doc.add_paragraph(style="公文正文")
        p.add_run(_text(lead), style="公文二级标题")
        p.add_run(_text(text))
        return p

    # 版头: 发文机关标志 (red 小标宋), 发文字号 and 签发人 as placeholders, the red rule.
    head = para(o["name"], "公文标题")
    for run in head.runs:
        run.font.color.rgb = RGBColor(0xC0, 0, 0)
        run.font.size = Pt(26)
    number = para(f"××〔{year}〕×号（待编号）　　签发人：×××", align=WD_ALIGN_PARAGRAPH.CENTER)
    _red_rule(number)
    para()
    para(tongbao_title(office, round_), "公文标题")
    para()
    recipients = o["recipients"].rstrip("：:")
    para(f"{recipients}：", "主送机关")

    para("为贯彻落实《国务院办公厅关于印发政府网站发展指引的通知》（国办发〔2017〕47号）和《国务院"
         "办公厅秘书局关于印发政府网站与政务新媒体检查指标、监管工作年度考核指标的通知》（国办秘函〔2019〕"
         f"19号）要求，{o['name']}组织开展了{round_text(round_)}{o['title_region']}政府网站检查，"
         "采用自动检查与人工复核相结合的方式进行。现将有关情况通报如下：")

    para("一、总体情况", "公文一级标题")
    for text in _overview(sites, findings, o, as_of):
        lead, _, rest = text.partition("。")
        heading2(lead + "。", rest)

    para("二、发现的主要问题", "公文一级标题")
    themes = theme_paragraphs(findings, sites)
    if not themes:
        para("本次检查未发现存在突出问题的政府网站。")
    numerals = "一二三四五六七八九十"
    for i, (theme, text) in enumerate(themes):
        heading2(f"（{numerals[i] if i < len(numerals) else i + 1}）{theme}。", text)

    para("三、工作要求", "公文一级标题")
    heading2("（一）强化内容保障。", "各单位要按照《检查指标》要求及时更新网站栏目信息，对长期无信息可发布的"
             "栏目及时整合或归档，杜绝空白栏目和长期不更新栏目。")
    heading2("（二）强化运维管理。", "定期开展链接巡查，及时清除错链、断链，确保网站及其栏目正常访问。")
    heading2("（三）强化信息审核。", "严格落实信息发布审核制度，防止泄露个人身份证号、手机号等个人信息。")
    repeat = sites[(sites["consecutive"] >= 2) & (sites["verdict"] == FAIL)]
    extra = (f"对连续被通报的{len(repeat)}个网站，主管单位要督促其查找原因、落实责任。" if len(repeat) else "")
    deadline_text = chinese_date(deadline) or "××××年×月×日"
    heading2("（四）抓好问题整改。", f"请有关单位对照附件所列问题立即整改，于{deadline_text}前将整改情况"
             f"（含整改前后截图）报送{o['name']}。{extra}")

    para()
    rt = round_text(round_)
    attachments = (f"{rt}政府网站检查情况汇总表", "存在突出问题的政府网站名单", "政府网站检查问题明细")
    for i, name in enumerate(attachments, 1):
        para(("附件：" if i == 1 else "　　　") + f"{i}.{name}")
    para()
    para()
    sign = para(o["name"], align=WD_ALIGN_PARAGRAPH.RIGHT)
    sign.paragraph_format.right_indent = Pt(2 * SIZE_3)
    dated = para(f"{year}年×月×日", align=WD_ALIGN_PARAGRAPH.RIGHT)
    dated.paragraph_format.right_indent = Pt(2 * SIZE_3)
    para("（本通报为自动生成的草稿，发文字号、签发、成文日期待定，须经人工审核后方可印发）")
    _attachments(doc, attachments, sites, findings)
    doc.save(path)
    return path


def _attachments(doc, names, sites: pd.DataFrame, findings: pd.DataFrame) -> None:
    """附件 pages (GB/T 9704 8.x): 「附件N」 黑体 top left, the title centred, then the table — in a
    landscape section, as wide 附件 tables are printed. 问题明细 can run to thousands of rows: its
    page points to the spreadsheet instead."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm, Pt

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(28), Mm(26)
    section.left_margin, section.right_margin = Mm(37), Mm(35)

    summary = group_summary(sites)
    summary.insert(0, "序号", list(range(1, len(summary))) + [""])
    live = open_findings(findings)
    tables = (
        (SUMMARY_HEADERS, summary.to_dict("records")),
        (LIST_HEADERS, list_rows(sites, findings)),
        (None, f"问题明细共{len(live)}条，见电子表格 tongbao.xlsx 的「问题明细」工作表"
               "（含问题页面、证据、整改期限和处理意见栏）。"),
    )
    for i, (name, (headers, rows)) in enumerate(zip(names, tables), 1):
        if i > 1:
            doc.add_page_break()
        label = doc.add_paragraph(f"附件{i}", style="公文一级标题")
        label.paragraph_format.first_line_indent = Pt(0)
        doc.add_paragraph()
        doc.add_paragraph(_text(name), style="公文标题")
        if headers is None:
            doc.add_paragraph(rows, style="公文正文")
            continue
        if not rows:
            doc.add_paragraph("无。", style="公文正文")
            continue
        table = doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, header in zip(table.rows[0].cells, headers):
            _table_text(cell, header, HEADING1_FONT)
        for row in rows:
            for cell, header in zip(table.add_row().cells, headers):
                _table_text(cell, _text(row.get(header, "")), BODY_FONT)


def _table_text(cell, text: str, font: str) -> None:
    """A table cell in 五号 type, no first-line indent, single-spaced."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt
    p = cell.paragraphs[0]
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    run = p.add_run(text)
    _set_font(run.font, run._element.get_or_add_rPr(), font, 10.5)


def write_tongbao(out_dir, sites: pd.DataFrame, findings: pd.DataFrame, *, round: str, deadline,
                  as_of, office: Mapping[str, Any] | None) -> dict[str, Path]:
    """Write tongbao.xlsx, tongbao.csv (问题明细, UTF-8 with BOM) and tongbao.docx into `out_dir`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sites = normalise_sites(sites)
    findings = normalise_findings(findings)
    paths = {
        "xlsx": write_xlsx(out_dir / "tongbao.xlsx", sites, findings, deadline),
        "csv": out_dir / "tongbao.csv",
        "docx": write_docx(out_dir / "tongbao.docx", sites, findings, round_=round, deadline=deadline,
                           as_of=as_of, office=office),
    }
    rows = [{k: _text(v) if isinstance(v, str) else v for k, v in r.items()}
            for r in detail_rows(sites, findings, deadline)]
    write_csv(paths["csv"], DETAIL_HEADERS, rows)
    return paths
