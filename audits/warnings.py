"""Early warnings (预警): a site approaching a veto line, said before the 通报 has to say it.

Monitoring vendors warn below the 19号 veto lines (开普云 EarlyType: 首页超过10天未更新, 空白栏目超过2个,
基本信息不更新的栏目超过6个, 首页不连通率超过3%). A warning is not a finding: it never changes the
verdict. Like the rules, it judges only what was seen — columns that could not be read (failed,
blocked, unverified) count for nothing, and too few probes mean no availability warning.

The thresholds live in WARNING_PARAMS (one place; `zwgk run` may override them from the config's
`warnings:` section). The veto line each warning refers to is read from the veto rule's own
parameters, so the message never disagrees with the rule.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from audits.registry import Param, get_rule
from audits.rules._util import checked, entries_by_column, in_category, newest
from snapshot.model import Snapshot

WARNING_PARAMS: tuple[Param, ...] = (
    Param("homepage_days", 10, "首页连续多少天未更新即预警（否决线：veto.homepage_stale 的 days，默认14天）"),
    Param("blank_columns", 2, "空白栏目达到此数即预警（否决线：veto.blank_columns，默认5个）"),
    Param("stale_columns", 6, "不更新栏目达到此数即预警（否决线：veto.stale_columns，默认5/10个）"),
    Param("failed_share", 0.03, "最近若干天探测失败比例达到此值即预警（否决线：veto.unreachable，默认5%）"),
)

# The veto rule each warning anticipates: once it has fired, the warning would only repeat it.
_VETO_OF = {
    "homepage_days": "veto.homepage_stale",
    "blank_columns": "veto.blank_columns",
    "stale_columns": "veto.stale_columns",
    "failed_share": "veto.unreachable",
}
_CLOSED = ("fixed",)        # finding statuses that are no longer a problem


def warning_defaults() -> dict[str, Any]:
    return {p.name: p.default for p in WARNING_PARAMS}


def warning_params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Defaults overlaid with `params`; ValueError (one Chinese line) for an unknown or bad value."""
    merged = warning_defaults()
    known = {p.name: p for p in WARNING_PARAMS}
    for name, value in (params or {}).items():
        if name not in known:
            raise ValueError(f"预警参数 {name} 不存在（可用：{'、'.join(known)}）")
        error = known[name].check(value)
        if error:
            raise ValueError(f"预警参数 {name}：{error}")
        merged[name] = value
    return merged


def early_warnings(snapshot: Snapshot, findings: Iterable[Any], as_of: date,
                   params: Mapping[str, Any] | None = None) -> list[str]:
    """Chinese sentences, one per early warning, for one site's audit.

    `findings` are that audit's findings (audits.finding.Finding objects, or dicts / frame rows
    with the same keys); triaged and fixed ones are ignored.
    """
    p = warning_params(params)
    open_findings = [f for f in findings if _open(f)]
    fired = {_get(f, "rule_id") for f in open_findings}
    out: list[str] = []
    checks = (
        ("homepage_days", _homepage),
        ("blank_columns", _blank_columns),
        ("stale_columns", _stale_columns),
        ("failed_share", _probes),
    )
    for name, check in checks:
        if _VETO_OF[name] in fired:
            continue
        message = check(snapshot, open_findings, as_of, p)
        if message:
            out.append(message)
    return out


def _get(f: Any, key: str, default: Any = "") -> Any:
    if isinstance(f, Mapping):
        return f.get(key, default)
    return getattr(f, key, default)


def _open(f: Any) -> bool:
    triage = _get(f, "triage", "")
    return _get(f, "status", "new") not in _CLOSED and not (isinstance(triage, str) and triage)


def _veto_param(rule_id: str, name: str) -> Any:
    return get_rule(rule_id).defaults()[name]


def _homepage(snapshot: Snapshot, findings: list, as_of: date, p: dict) -> str | None:
    """The newest dated item on the homepage; for a navigation-only homepage, in its news columns
    (as veto.homepage_stale judges it), and only when every news column could be read."""
    last = newest(snapshot.homepage_entries)
    where = "首页"
    if last is None:
        news = in_category(snapshot, "news")
        if not news or not all(checked(c) for c in news):
            return None
        by_column = entries_by_column(snapshot)
        last = newest([e for c in news for e in by_column.get(c.id, [])])
        where = "首页（按动态要闻类栏目）"
        if last is None:
            return None
    days = (as_of - last).days
    if days < p["homepage_days"]:
        return None
    veto = _veto_param("veto.homepage_stale", "days")
    return (f"{where}已{days}天未更新（最新信息发布于{last.isoformat()}），"
            f"超过{veto}天未更新将被单项否决")


def _column_findings(snapshot: Snapshot, findings: list, rule_id: str) -> list:
    """Findings of `rule_id` on columns that were actually read (status ok) in this snapshot."""
    ok_urls = {c.url for c in snapshot.columns if checked(c)}
    return [f for f in findings if _get(f, "rule_id") == rule_id and _get(f, "url") in ok_urls]


def _names(found: list, limit: int = 6) -> str:
    names = [str(_get(f, "column") or _get(f, "title")) for f in found]
    shown = "、".join(names[:limit])
    return shown + (f"等{len(names)}个" if len(names) > limit else "")


def _blank_columns(snapshot: Snapshot, findings: list, as_of: date, p: dict) -> str | None:
    found = _column_findings(snapshot, findings, "column.empty")
    if len(found) < p["blank_columns"]:
        return None
    veto = _veto_param("veto.blank_columns", "min_columns")
    return f"已有{len(found)}个空白栏目（{_names(found)}），达到{veto}个将被单项否决"


def _stale_columns(snapshot: Snapshot, findings: list, as_of: date, p: dict) -> str | None:
    found = _column_findings(snapshot, findings, "column.stale")
    if len(found) < p["stale_columns"]:
        return None
    key = _veto_param("veto.stale_columns", "min_news_notice")
    total = _veto_param("veto.stale_columns", "min_all")
    return (f"已有{len(found)}个栏目未按期更新（{_names(found)}），动态要闻类和通知公告政策文件类"
            f"达到{key}个或合计达到{total}个将被单项否决")


def _probes(snapshot: Snapshot, findings: list, as_of: date, p: dict) -> str | None:
    """The share of failed or slow probes over the veto rule's window (same counting as the rule)."""
    rule = get_rule("veto.unreachable").defaults()
    start = as_of - timedelta(days=rule["days"] - 1)
    window = [x for x in snapshot.probes if start <= x.at.date() <= as_of]
    if not window or len(window) < rule["min_probes"]:
        return None             # too few observations to say anything
    failed = [x for x in window if x.outcome != "ok" or (x.elapsed or 0) >= rule["slow_seconds"]]
    share = len(failed) / len(window)
    if share < p["failed_share"]:
        return None
    return (f"最近{rule['days']}天{len(window)}次可用性监测中{len(failed)}次无法访问或超时（{share:.1%}），"
            f"达到{rule['max_failed_share']:.0%}将被单项否决")
