"""The rule catalog rendered from the rule declarations (`zwgk rules [--format markdown]`).

Documentation is generated here, never written twice: titles, severities, sources, parameters and
descriptions all come from the `@rule` declarations.
"""
from __future__ import annotations

import unicodedata

from audits.finding import SEVERITY_LABELS
from audits.registry import Rule, all_rules


def _value(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _params(r: Rule) -> str:
    return ", ".join(f"{p.name}={_value(p.default)}" for p in r.params)


def _catalog(rules: list[Rule] | None) -> list[Rule]:
    """Rules in id order, so each area's rules sit together (run order is the registry's concern)."""
    return sorted(rules if rules is not None else all_rules(), key=lambda r: r.id)


def _rows(rules: list[Rule]) -> list[list[str]]:
    return [[r.id, SEVERITY_LABELS[r.severity], r.title, r.source, _params(r)] for r in rules]


_HEAD = ["规则", "级别", "名称", "依据", "参数"]


def _width(s: str) -> int:
    """Display width: CJK characters take two terminal cells."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def render_text(rules: list[Rule] | None = None) -> str:
    rows = [_HEAD] + _rows(_catalog(rules))
    widths = [max(_width(row[i]) for row in rows) for i in range(len(_HEAD))]
    lines = []
    for n, row in enumerate(rows):
        cells = [cell + " " * (w - _width(cell)) for cell, w in zip(row, widths)]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _md(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def render_markdown(rules: list[Rule] | None = None) -> str:
    rules = _catalog(rules)
    out = ["# zwgk 规则目录", "", "| " + " | ".join(_HEAD[:4]) + " | 何时触发 |",
           "|---|---|---|---|---|"]
    for r in rules:
        out.append(f"| `{r.id}` | {SEVERITY_LABELS[r.severity]} | {_md(r.title)} | {_md(r.source)} "
                   f"| {_md(r.description)} |")
    out += ["", "## 参数", ""]
    for r in rules:
        if not r.params:
            continue
        out += [f"### `{r.id}` {r.title}", "", "| 参数 | 默认值 | 说明 |", "|---|---|---|"]
        out += [f"| `{p.name}` | {_value(p.default)} | {_md(p.doc)} |" for p in r.params]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def render_json(rules: list[Rule] | None = None) -> str:
    import json
    out = [{"id": r.id, "title": r.title, "severity": r.severity, "source": r.source,
            "description": r.description, "needs": list(r.needs),
            "params": [{"name": p.name, "default": p.default, "doc": p.doc} for p in r.params]}
           for r in _catalog(rules)]
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def render_catalog(fmt: str = "text") -> str:
    """`zwgk rules --format text|markdown|json`."""
    if fmt == "json":
        return render_json()
    if fmt == "markdown":
        return render_markdown()
    if fmt == "text":
        return render_text()
    raise ValueError(f"unknown format {fmt!r} (text | markdown | json)")


render = render_catalog
