"""`zwgk triage`: an office's decisions read from the 通报 spreadsheet or given one at a time,
stored by fingerprint (snapshot.store `triage` table); audits/triage.py parses and applies them.

Rows of the 问题明细 sheet are matched on its 指纹 column; a sheet without it (rebuilt by hand)
falls back to 网站名称 + 问题页面 + 问题类型 + 栏目 against the latest stored run of that site.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from audits.triage import Decision, TriageError, parse_opinion

SHEET = "问题明细"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _now() -> datetime:
    return datetime.now(SHANGHAI).replace(tzinfo=None, microsecond=0)


@dataclass
class ImportResult:
    counts: dict = field(default_factory=dict)     # decision -> rows stored
    unchanged: int = 0                             # the same decision already stands
    unmatched: list[int] = field(default_factory=list)   # sheet row numbers matching no finding


def read_sheet(path: Path) -> list[dict]:
    """Rows of the 问题明细 sheet that carry a 处理意见: {"row", "opinion", "fingerprint", "site",
    "page", "rule", "column"}. TriageError (one line) for a file that is not such a workbook."""
    from openpyxl import load_workbook
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 — zip/XML errors of a file that is not xlsx
        raise TriageError(f"{path.name} 不是可读取的 xlsx 文件（{type(exc).__name__}）") from None
    if SHEET not in wb.sheetnames:
        raise TriageError(f"{path.name} 中没有「{SHEET}」工作表")
    rows = list(wb[SHEET].iter_rows(values_only=True))
    head_at = next((i for i, r in enumerate(rows[:5]) if r and "处理意见" in [str(c or "").strip() for c in r]),
                   None)
    if head_at is None:
        raise TriageError(f"{path.name}「{SHEET}」工作表没有“处理意见”列")
    header = [str(c or "").strip() for c in rows[head_at]]
    col = {name: header.index(name) for name in header if name}

    def cell(r, name):
        i = col.get(name)
        return str(r[i]).strip() if i is not None and i < len(r) and r[i] is not None else ""

    out = []
    for n, r in enumerate(rows[head_at + 1:], head_at + 2):
        opinion = cell(r, "处理意见")
        if not opinion:
            continue
        out.append({"row": n, "opinion": opinion, "fingerprint": cell(r, "指纹"),
                    "site": cell(r, "网站名称"), "page": cell(r, "问题页面"),
                    "rule": cell(r, "问题类型"), "column": cell(r, "栏目")})
    return out


def _fallback_index(store) -> dict[tuple, str]:
    """(site name, page, rule title, column) -> fingerprint, over each site's latest run."""
    from audits.registry import rule_title
    index: dict[tuple, str] = {}
    names = {url: row["name"] for url, row in store.site_rows().items()}
    for url, name in names.items():
        runs = [r for r in store.site_runs(url) if r.get("batch")]     # nightly runs only
        if not runs:
            continue
        for f in store.run_findings([runs[-1]["id"]]):
            if f.get("fingerprint"):
                index[(name, f["url"] or "", rule_title(f["rule_id"]), f["column"] or "")] = f["fingerprint"]
    return index


def import_sheet(store, path: Path, *, by: str) -> ImportResult:
    """Store the decisions of a returned 通报 spreadsheet. Every cell is read before anything is
    stored: one unreadable 处理意见 rejects the file (TriageError naming its row)."""
    rows = read_sheet(path)
    parsed = []
    for r in rows:
        try:
            parsed.append((r, parse_opinion(r["opinion"])))
        except TriageError as exc:
            raise TriageError(f"{path.name} 第{r['row']}行：{exc}") from None
    index = None
    result = ImportResult()
    known = {f["fingerprint"]: f for f in store.findings_by_fingerprint("")} if parsed else {}
    for r, decision in parsed:
        fp = r["fingerprint"]
        if not fp or fp not in known:
            if index is None:
                index = _fallback_index(store)
            fp = index.get((r["site"], r["page"], r["rule"], r["column"]), "")
        if not fp or fp not in known:
            result.unmatched.append(r["row"])
            continue
        if record(store, known[fp], decision, by=by):
            result.counts[decision.decision] = result.counts.get(decision.decision, 0) + 1
        else:
            result.unchanged += 1
    return result


def record(store, finding: dict, decision: Decision, *, by: str, at: datetime | None = None) -> bool:
    """Store `decision` on a finding unless the same one already stands; True when stored."""
    fp = finding["fingerprint"]
    for r in store.triage_rows([fp]):
        if (r["decision"], r["reason"] or "", r["valid_from"], r["valid_to"]) == \
                (decision.decision, decision.reason, decision.valid_from, decision.valid_to):
            return False
    at = at or _now()
    store.clear_triage(fp, by=by, at=at)        # the newest decision replaces the standing one
    store.add_triage({"fingerprint": fp, "site_url": finding.get("site_url", ""),
                      "decision": decision.decision, "reason": decision.reason, "by": by, "at": at,
                      "valid_from": decision.valid_from, "valid_to": decision.valid_to})
    return True


def resolve(store, prefix: str) -> dict:
    """The stored finding a fingerprint (or a unique prefix of ≥ 6 characters) names."""
    prefix = prefix.strip().lower()
    if len(prefix) < 6:
        raise TriageError(f"指纹 {prefix!r} 太短：至少给出前 6 位")
    found = store.findings_by_fingerprint(prefix)
    if not found:
        raise TriageError(f"没有指纹为 {prefix} 的问题（zwgk triage list 或 tongbao.xlsx 的“指纹”列可查）")
    if len(found) > 1:
        raise TriageError(f"指纹前缀 {prefix} 对应 {len(found)} 个问题，请给出更长的指纹")
    return found[0]


def decision_from_args(kind: str, reason: str, start: date | None, end: date | None) -> Decision:
    kind = {"人工排除": "excluded", "已说明": "explained", "报备": "exempt"}.get(kind, kind)
    reason = (reason or "").strip()
    if kind == "excluded" and not reason:
        raise TriageError("人工排除须给出理由：--reason 文字")
    if kind == "exempt":
        if not (start and end):
            raise TriageError("报备须给出起止日期：--from YYYY-MM-DD --to YYYY-MM-DD")
        if end < start:
            raise TriageError(f"报备截止日期 {end} 早于起始日期 {start}")
        return Decision("exempt", reason, start, end)
    return Decision(kind, reason)


def listing(store, *, include_cleared: bool = False) -> list[dict]:
    """Standing decisions joined with the finding they are about (newest stored row)."""
    from audits.registry import rule_title
    from audits.triage import LABELS
    findings = {f["fingerprint"]: f for f in store.findings_by_fingerprint("")}
    sites = store.site_rows()
    out = []
    for t in store.triage_rows(include_cleared=include_cleared):
        f = findings.get(t["fingerprint"], {})
        site_url = f.get("site_url") or t["site_url"]
        label = LABELS.get(t["decision"], t["decision"])
        if t["decision"] == "exempt":
            label += f" {t['valid_from']}至{t['valid_to']}"
        out.append({"fingerprint": t["fingerprint"],
                    "site": (sites.get(site_url) or {}).get("name") or f.get("site_name") or site_url,
                    "rule": rule_title(f["rule_id"]) if f else "", "url": f.get("url", ""),
                    "decision": label, "reason": t["reason"] or "", "by": t["by"] or "",
                    "at": t["at"].strftime("%Y-%m-%d %H:%M") if t["at"] else "",
                    "cleared": t["cleared"].strftime("%Y-%m-%d %H:%M") if t.get("cleared") else ""})
    return out
