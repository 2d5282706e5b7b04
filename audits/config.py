"""Audit configuration: per-rule parameter overrides, site kind, extra holidays.

Mapping form (the `--config` YAML file has the same shape)::

    kind: government            # government | department | auto
    holidays:                   # years chinese-calendar lacks; or a path to a YAML/JSON file
      2027: {holidays: [2027-10-01, ...], workdays: [2027-09-26, ...]}
    rules:
      column.stale: {news_days: 14, points: 2}
    disable: [doc.missing_fields]
    columns:                    # per-site overrides, by column name (栏目名)
      部门文件: {category: notice_policy}
      历史资料: {skip: true}    # treated as not checked: never empty, stale or audited
      工作动态: {docs_months: 6, docs_min: 20}   # documents fetched: last 6 months, ≥ newest 20
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audits.calendar import WorkCalendar, load_extra, parse_extra
from audits.registry import Rule, all_rules

KINDS = ("auto", "government", "department")
_KEYS = ("kind", "holidays", "rules", "disable", "columns")
# Sections of the same file that belong to `zwgk run` (the 通报's office, early-warning lines):
# one config file serves audit and run; run validates them (zwgk/run.py), audit leaves them be.
_RUN_KEYS = ("office", "warnings")
_COLUMN_KEYS = ("category", "skip", "docs_months", "docs_min")


class ConfigError(ValueError):
    """A bad configuration; the message is one line naming the bad key."""


@dataclass
class AuditConfig:
    kind: str = "auto"
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)   # rule_id -> overrides
    holidays: dict | None = None
    disabled: frozenset[str] = frozenset()
    columns: dict[str, dict[str, Any]] = field(default_factory=dict)  # column name -> override

    def params_for(self, rule: Rule) -> dict[str, Any]:
        return rule.defaults() | self.rules.get(rule.id, {})

    def calendar(self) -> WorkCalendar:
        return WorkCalendar(self.holidays)

    def homepage_fresh_days(self) -> int:
        """The 首页不更新 limit this config judges by: the crawl renders a scripted homepage that
        looks older than it, so that the veto is judged on what a visitor sees."""
        from .registry import get_rule
        return int(self.params_for(get_rule("veto.homepage_stale"))["days"])

    def crawl_columns(self) -> dict[str, dict[str, int]]:
        """Per-column document bounds for the crawl: {栏目名: {"months": …, "min": …}}."""
        keys = {"docs_months": "months", "docs_min": "min"}
        return {name: {keys[k]: v for k, v in spec.items() if k in keys}
                for name, spec in self.columns.items() if any(k in keys for k in spec)}

    @classmethod
    def from_mapping(cls, data: dict | None, base_dir: str | Path | None = None) -> "AuditConfig":
        """Validate `data` and build a config. `base_dir` resolves a relative holiday file path."""
        data = data or {}
        if not isinstance(data, dict):
            raise ConfigError("配置文件应为键值映射")
        for key in data:
            if key not in _KEYS + _RUN_KEYS:
                raise ConfigError(f"{key}: 未知配置项（可用：{'、'.join(_KEYS + _RUN_KEYS)}）")

        kind = data.get("kind", "auto")
        if kind not in KINDS:
            raise ConfigError(f"kind: 应为 {'/'.join(KINDS)}，实为 {kind!r}")

        holidays = data.get("holidays")
        if isinstance(holidays, (str, Path)):
            path = Path(holidays)
            if base_dir is not None and not path.is_absolute():
                path = Path(base_dir) / path
            try:
                holidays = load_extra(path)
            except (OSError, ValueError) as exc:
                raise ConfigError(f"holidays: 无法读取节假日文件 {path}（{exc}）") from None
        try:
            parse_extra(holidays)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None

        known = {r.id: r for r in all_rules()}
        overrides: dict[str, dict[str, Any]] = {}
        rules = data.get("rules") or {}
        if not isinstance(rules, dict):
            raise ConfigError("rules: 应为 {规则编号: {参数: 值}}")
        for rule_id, params in rules.items():
            rule = known.get(rule_id)
            if rule is None:
                raise ConfigError(f"rules.{rule_id}: 未知规则")
            if not isinstance(params, dict):
                raise ConfigError(f"rules.{rule_id}: 应为 {{参数: 值}}")
            for name, value in params.items():
                param = rule.param(name)
                if param is None:
                    names = "、".join(p.name for p in rule.params) or "无"
                    raise ConfigError(f"rules.{rule_id}.{name}: 未知参数（可用：{names}）")
                error = param.check(value)
                if error:
                    raise ConfigError(f"rules.{rule_id}.{name}: {error}")
                if isinstance(param.default, int) and not isinstance(param.default, bool):
                    value = int(value)
                elif isinstance(param.default, float):
                    value = float(value)
                overrides.setdefault(rule_id, {})[name] = value

        disable = data.get("disable") or []
        if not isinstance(disable, list):
            raise ConfigError("disable: 应为规则编号列表")
        for rule_id in disable:
            if rule_id not in known:
                raise ConfigError(f"disable: 未知规则 {rule_id!r}")
        columns = _columns(data.get("columns"))
        return cls(kind=kind, rules=overrides, holidays=holidays, disabled=frozenset(disable),
                   columns=columns)


def _columns(data) -> dict[str, dict[str, Any]]:
    """Validate the per-column overrides: {栏目名: {category: …, skip: true|false}}."""
    from snapshot.categories import LABELS
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError("columns: 应为 {栏目名: {category: 类别, skip: true}}")
    out = {}
    for name, spec in data.items():
        where = f"columns.{name}"
        if not isinstance(spec, dict):
            raise ConfigError(f"{where}: 应为 {{category: 类别, skip: true}}")
        for key, value in spec.items():
            if key not in _COLUMN_KEYS:
                raise ConfigError(f"{where}.{key}: 未知配置项（可用：{'、'.join(_COLUMN_KEYS)}）")
            if key == "category" and value not in LABELS:
                raise ConfigError(f"{where}.category: 未知类别 {value!r}（可用：{'、'.join(LABELS)}）")
            if key == "skip" and not isinstance(value, bool):
                raise ConfigError(f"{where}.skip: 应为true/false，实为 {value!r}")
            if key in ("docs_months", "docs_min") and (
                    isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ConfigError(f"{where}.{key}: 应为不小于0的整数，实为 {value!r}")
        out[str(name).strip()] = dict(spec)
    return out


def apply_overrides(snapshot, config: AuditConfig):
    """The snapshot as the config sees it: a column's category replaced by name, and skipped
    columns marked not checked (so no rule judges them). The stored snapshot is not changed."""
    from dataclasses import replace as _replace

    from snapshot.model import COLUMN_SKIPPED
    if not config.columns:
        return snapshot
    columns = []
    for c in snapshot.columns:
        spec = config.columns.get(c.name.strip(), {})
        if spec.get("category"):
            c = _replace(c, category=spec["category"])
        if spec.get("skip"):
            c = _replace(c, status=COLUMN_SKIPPED, error="按配置跳过")
        columns.append(c)
    skipped = {c.id for c in columns if config.columns.get(c.name.strip(), {}).get("skip")}
    return _replace(snapshot, columns=columns,
                    documents=[d for d in snapshot.documents if d.column_id not in skipped])


def load_config(path: str | Path) -> AuditConfig:
    """Read and validate a YAML config file; errors are `ConfigError` with a one-line message."""
    import yaml
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: 无法读取（{exc.strerror or exc}）") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行" if mark else ""
        raise ConfigError(f"{path}: YAML 格式错误{where}") from None
    return AuditConfig.from_mapping(data, base_dir=path.parent)

