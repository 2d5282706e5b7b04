"""An office's decisions on findings (zwgk triage), kept by fingerprint with who, when and why.

  人工排除 excluded   a false positive; a reason is required
  已说明   explained  the site published an explanation (e.g. 本栏目暂无信息的说明)
  报备     exempt     the site or column is registered as exempt from–to (a window of dates)

A standing decision applies to every later run while the finding keeps its fingerprint; a 报备
only inside its window. Triaged findings leave the verdict and the 通报 but stay visible in the
scorecard. This module is pure: parsing the 处理意见 cell and choosing the decision in force.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping

DECISIONS = ("excluded", "explained", "exempt")
LABELS = {"excluded": "人工排除", "explained": "已说明", "exempt": "报备"}
_BY_LABEL = {v: k for k, v in LABELS.items()}
_DATE = r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?"
_WINDOW = re.compile(_DATE + r"\s*(?:至|到|~|～|—|–|－)\s*" + _DATE)


class TriageError(ValueError):
    """A 处理意见 that cannot be read; the message is one Chinese line."""


@dataclass(frozen=True)
class Decision:
    decision: str                   # excluded | explained | exempt
    reason: str = ""
    valid_from: date | None = None  # 报备 window
    valid_to: date | None = None

    def label(self) -> str:
        """The 处理意见 cell as an office writes it (round-trips through parse_opinion)."""
        if self.decision == "exempt":
            return f"报备 {self.valid_from.isoformat()}至{self.valid_to.isoformat()}"
        if self.decision == "excluded":
            return f"人工排除：{self.reason}"
        return "已说明" + (f"：{self.reason}" if self.reason else "")


def _date(y: str, m: str, d: str) -> date:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        raise TriageError(f"无效的日期 {y}-{m}-{d}") from None


def parse_opinion(text) -> Decision | None:
    """The decision a 处理意见 cell states; None for an empty cell; TriageError otherwise."""
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    if not text:
        return None
    label = next((lab for lab in _BY_LABEL if text.startswith(lab)), None)
    if label is None:
        raise TriageError(f"无法识别的处理意见「{text[:30]}」（应为 人工排除：理由 / 已说明 / "
                          f"报备 YYYY-MM-DD至YYYY-MM-DD）")
    rest = text[len(label):].lstrip(" ：:，,、-—").strip()
    kind = _BY_LABEL[label]
    if kind == "excluded":
        if not rest:
            raise TriageError("人工排除须写明理由，如「人工排除：该栏目为链接型栏目」")
        return Decision(kind, rest)
    if kind == "explained":
        return Decision(kind, rest)
    m = _WINDOW.search(rest)
    if not m:
        raise TriageError(f"报备须写明起止日期，如「报备 2026-07-01至2026-09-30」，实为「{text[:30]}」")
    start, end = _date(*m.group(1, 2, 3)), _date(*m.group(4, 5, 6))
    if end < start:
        raise TriageError(f"报备截止日期 {end} 早于起始日期 {start}")
    reason = (rest[:m.start()] + rest[m.end():]).strip(" ：:，,、")
    return Decision(kind, reason, start, end)


def in_force(rows: Iterable[Mapping], as_of: date) -> dict[str, dict]:
    """fingerprint -> the newest standing decision that applies on `as_of` (stored rows, oldest
    first; cleared rows and 报备 outside their window do not apply)."""
    out: dict[str, dict] = {}
    for r in rows:
        if r.get("cleared"):
            continue
        if r["decision"] == "exempt":
            start, end = r.get("valid_from"), r.get("valid_to")
            if (start and as_of < start) or (end and as_of > end):
                continue
        out[r["fingerprint"]] = dict(r)
    return out


def annotate(rows: list[dict], decisions: Mapping[str, Mapping]) -> list[dict]:
    """Findings rows with triage, triage_reason, triage_by, triage_at filled from `decisions`."""
    out = []
    for row in rows:
        d = decisions.get(row.get("fingerprint", ""))
        if d is None:
            out.append({**row, "triage": "", "triage_reason": "", "triage_by": "", "triage_at": ""})
            continue
        reason = d.get("reason") or ""
        if d["decision"] == "exempt" and d.get("valid_from"):
            window = f"{d['valid_from']}至{d['valid_to']}"
            reason = f"{window} {reason}".strip()
        at = d.get("at")
        out.append({**row, "triage": d["decision"], "triage_reason": reason,
                    "triage_by": d.get("by") or "",
                    "triage_at": at.strftime("%Y-%m-%d %H:%M") if hasattr(at, "strftime") else str(at or "")})
    return out
