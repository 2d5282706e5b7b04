"""The dashboard over one nightly run: index.html beside the sites' folders.

A pure renderer over the frames `audits.history` builds (notes/interfaces.md): `sites`, `findings`
and `trend`. Cross-site tables are pandas aggregations; nothing is judged again here.

Charts are plotly figures drawn by plotly.js from a local file written once next to index.html
(about 4.8 MB, so not inlined into every night's page): the page works with no network, and its
Content-Security-Policy admits only that file and the one inline script that draws the charts
(by hash). Figure data travels as JSON in a <script type="application/json"> island escaped by
Jinja's `tojson`, so a crawled site name cannot end the script. Without the script the same
numbers stay readable in the tables under the charts.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from markupsafe import Markup
from plotly.offline import get_plotlyjs, get_plotlyjs_version

from audits.finding import SEVERITY_LABELS
from reports.html import environment, safe_href
from reports.rows import CST
from reports.tongbao import (
    FAIL, JUDGED, PASSING, SITE_STATUS_LABELS, STATUS_LABELS, _rule_title, group_summary,
    normalise_findings, normalise_sites, open_findings, pass_counts, pass_rate,
)

try:
    from zwgk import __version__
except Exception:           # reports never need the CLI; the version is only printed
    __version__ = ""

_FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif'
_LOWEST = 10                # per-site trend lines: the sites with the lowest latest score

# Draws every chart listed in the JSON island; its hash goes into the page's CSP.
CHART_SCRIPT = """(function () {
  var island = document.getElementById("zwgk-charts");
  if (!island || typeof Plotly === "undefined") { return; }
  JSON.parse(island.textContent).forEach(function (chart) {
    var el = document.getElementById(chart.id);
    if (el) {
      Plotly.newPlot(el, chart.figure.data, chart.figure.layout,
                     {displaylogo: false, responsive: true});
    }
  });
})();"""

TREND_DEFAULTS = {"site": "", "run_id": None, "as_of": None, "score": None, "verdict": "", "findings": 0}


def script_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()


def plotly_file(out_dir: Path) -> str:
    """plotly.js as a local file beside the page, written once per plotly.js version."""
    name = f"plotly-{get_plotlyjs_version()}.min.js"
    path = Path(out_dir) / name
    if path.exists():
        return name
    # Each night has its own folder: hard-link last night's copy (same disk blocks, and each
    # folder still stands alone when copied elsewhere), else write it.
    for sibling in sorted(path.parent.parent.glob(f"*/{name}"), reverse=True):
        try:
            if sibling.stat().st_size > 0:
                os.link(sibling, path)
                return name
        except OSError:
            continue
    tmp = path.with_suffix(".tmp")
    tmp.write_text(get_plotlyjs(), encoding="utf-8")
    tmp.replace(path)
    return name


def local_href(path) -> str:
    """A relative link inside the output folder (a scorecard), or "" — never a scheme, an absolute
    path or a way out of the folder."""
    if not isinstance(path, str) or not path.strip():
        return ""
    path = path.strip().replace("\\", "/")
    parts = path.split("/")
    if path.startswith("/") or ":" in parts[0] or ".." in parts or any(ord(ch) < 32 for ch in path):
        return ""
    return quote(path, safe="/")


# -- frames --------------------------------------------------------------------------------------

def normalise_trend(trend: pd.DataFrame | None) -> pd.DataFrame:
    frame = pd.DataFrame() if trend is None else trend.copy()
    for col, default in TREND_DEFAULTS.items():
        if col not in frame.columns:
            frame[col] = [default] * len(frame)
    frame["as_of"] = pd.to_datetime(frame["as_of"], errors="coerce").dt.date
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce")
    frame["findings"] = pd.to_numeric(frame["findings"], errors="coerce").fillna(0).astype(int)
    return frame.dropna(subset=["as_of"]).reset_index(drop=True)


def ranking(sites: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """Checked sites by score (highest first, rank shared on ties), then the unchecked ones."""
    live = open_findings(findings)
    per_site = live.groupby("site").agg(open=("rule_id", "size"),
                                        vetoes=("severity", lambda s: int((s == "veto").sum())),
                                        new=("status", lambda s: int((s == "new").sum())))
    fixed = findings[(findings["status"] == "fixed") & (findings["triage"] == "")].groupby("site").size()
    frame = sites.copy()
    frame["score_num"] = pd.to_numeric(frame["score"], errors="coerce")
    frame["checked"] = frame["verdict"].isin(JUDGED)
    frame["status_label"] = frame["status"].map(lambda s: SITE_STATUS_LABELS.get(s, s))
    for col in ("open", "vetoes", "new"):
        frame[col] = frame["name"].map(per_site[col]).fillna(0).astype(int) if len(per_site) else 0
    frame["fixed"] = frame["name"].map(fixed).fillna(0).astype(int) if len(fixed) else 0
    checked = frame[frame["checked"]].sort_values(["score_num", "name"], ascending=[False, True],
                                                   kind="stable", na_position="last")
    checked = checked.assign(rank=checked["score_num"].rank(method="min", ascending=False))
    unchecked = frame[~frame["checked"]].sort_values("name", kind="stable").assign(rank=None)
    return pd.concat([checked, unchecked], ignore_index=True)


def by_rule(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings per rule: open, of which new, sites affected; fixed this round."""
    rows = []
    for rule_id, part in findings[findings["triage"] == ""].groupby("rule_id", sort=False):
        live = part[part["status"] != "fixed"]
        rows.append({"rule_id": rule_id, "title": _rule_title(part.iloc[0]),
                     "severity": part.iloc[0]["severity"], "open": len(live),
                     "new": int((live["status"] == "new").sum()), "sites": live["site"].nunique(),
                     "fixed": int((part["status"] == "fixed").sum())})
    rank = {"veto": 0, "deduct": 1, "advisory": 2}
    frame = pd.DataFrame(rows, columns=["rule_id", "title", "severity", "open", "new", "sites", "fixed"])
    if frame.empty:
        return frame
    frame["_sev"] = frame["severity"].map(lambda s: rank.get(s, 9))
    return frame.sort_values(["_sev", "open"], ascending=[True, False], kind="stable").drop(columns="_sev")


def by_group(sites: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    summary = group_summary(sites)
    live = open_findings(findings)
    counts = live.groupby("group").size()
    vetoes = live[live["severity"] == "veto"].groupby("group").size()
    summary["问题数"] = [int(len(live)) if g == "合计" else int(counts.get(g, 0)) for g in summary["分组"]]
    summary["否决项"] = [int((live["severity"] == "veto").sum()) if g == "合计" else int(vetoes.get(g, 0))
                      for g in summary["分组"]]
    return summary


def run_series(trend: pd.DataFrame) -> pd.DataFrame:
    """One row per as-of date: 合格率 with its counts, mean score, open findings, 不合格 sites."""
    rows = []
    for as_of, part in trend.groupby("as_of", sort=True):
        checked = part[part["verdict"].isin(JUDGED)]
        passed = int(checked["verdict"].isin(PASSING).sum())
        rows.append({"as_of": as_of, "checked": len(checked), "passed": passed,
                     "rate": passed / len(checked) * 100 if len(checked) else None,
                     "rate_text": pass_rate(passed, len(checked)),
                     "failing": int((checked["verdict"] == FAIL).sum()),
                     "mean_score": checked["score"].mean() if len(checked) else None,
                     "findings": int(part["findings"].sum())})
    return pd.DataFrame(rows, columns=["as_of", "checked", "passed", "rate", "rate_text", "failing",
                                       "mean_score", "findings"])


# -- charts --------------------------------------------------------------------------------------

def _layout(title: str, **extra) -> dict:
    layout = dict(title=dict(text=title, font=dict(size=15)), font=dict(family=_FONT, size=12),
                  margin=dict(l=50, r=20, t=45, b=40), height=300, paper_bgcolor="#fff",
                  plot_bgcolor="#fff", hovermode="x unified")
    return {**layout, **extra}


def _figure_json(fig: go.Figure) -> dict:
    return json.loads(pio.to_json(fig, validate=False))


def trend_charts(series: pd.DataFrame, trend: pd.DataFrame) -> list[dict]:
    """The dashboard's charts as {"id", "title", "figure"}; none without stored runs."""
    if series.empty:
        return []
    x = [d.isoformat() for d in series["as_of"]]
    axis = dict(type="category", title=dict(text="检查日期"))
    rate = go.Figure(go.Scatter(x=x, y=series["rate"], mode="lines+markers", name="合格率",
                                text=series["rate_text"], hovertemplate="合格率 %{text}<extra></extra>",
                                line=dict(color="#1f5fa8")))
    rate.update_layout(**_layout("合格率（%）", xaxis=axis, yaxis=dict(range=[0, 105], ticksuffix="%")))
    counts = go.Figure([
        go.Bar(x=x, y=series["findings"], name="未整改问题数", marker_color="#9a6700"),
        go.Scatter(x=x, y=series["failing"], name="不合格网站数", mode="lines+markers", yaxis="y2",
                   line=dict(color="#b3141b")),
    ])
    counts.update_layout(**_layout("问题数与不合格网站数", xaxis=axis,
                                   yaxis=dict(title=dict(text="问题数"), rangemode="tozero",
                                              tickformat="d"),
                                   yaxis2=dict(title=dict(text="网站数"), overlaying="y", side="right",
                                               rangemode="tozero", tickformat="d", dtick=1),
                                   legend=dict(orientation="h", y=-0.25)))
    charts = [{"id": "chart-rate", "title": "合格率", "figure": _figure_json(rate)},
              {"id": "chart-counts", "title": "问题数", "figure": _figure_json(counts)}]
    latest = trend[trend["as_of"] == trend["as_of"].max()].dropna(subset=["score"])
    lowest = latest.nsmallest(_LOWEST, "score")["site"].tolist()
    if lowest and trend["as_of"].nunique() > 1:
        lines = []
        for name in lowest:
            part = trend[trend["site"] == name].sort_values("as_of")
            lines.append(go.Scatter(x=[d.isoformat() for d in part["as_of"]], y=part["score"],
                                    mode="lines+markers", name=str(name)))
        scores = go.Figure(lines)
        scores.update_layout(**_layout(f"得分最低的{len(lowest)}个网站得分趋势", xaxis=axis,
                                       yaxis=dict(title=dict(text="得分")), hovermode="closest",
                                       height=360, legend=dict(orientation="h", y=-0.3)))
        charts.append({"id": "chart-scores", "title": "得分趋势", "figure": _figure_json(scores)})
    return charts


# -- page ----------------------------------------------------------------------------------------

def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: (None if _na(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]


def _na(v) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def render_dashboard(out_dir: Path, sites: pd.DataFrame, findings: pd.DataFrame, trend: pd.DataFrame,
                     *, as_of, title: str) -> str:
    sites = normalise_sites(sites)
    findings = normalise_findings(findings)
    trend = normalise_trend(trend)
    passed, checked = pass_counts(sites)
    live = open_findings(findings)
    series = run_series(trend)
    charts = trend_charts(series, trend)
    ranked = ranking(sites, findings)
    verdicts = sites["verdict"].value_counts()
    env = environment()
    env.filters.setdefault("local_href", local_href)
    return env.get_template("index.html").render(
        title=title, as_of=str(as_of),
        rate=pass_rate(passed, checked),
        totals={"sites": len(sites), "checked": checked, "unchecked": len(sites) - checked,
                "good": int(verdicts.get("良好", 0)), "pass": int(verdicts.get("合格", 0)),
                "fail": int(verdicts.get(FAIL, 0)), "open": len(live),
                "new": int((live["status"] == "new").sum()),
                "fixed": int(((findings["status"] == "fixed") & (findings["triage"] == "")).sum()),
                "triaged": int((findings["triage"] != "").sum())},
        ranking=_records(ranked), rules=_records(by_rule(findings)),
        groups=_records(by_group(sites, findings)),
        warnings=[{"name": s["name"], "scorecard": s["scorecard"], "messages": s["warnings"]}
                  for _, s in sites.iterrows() if s["warnings"]],
        unchecked=[{"name": s["name"], "url": s["url"], "scorecard": s["scorecard"],
                    "status": SITE_STATUS_LABELS.get(s["status"], s["status"])}
                   for _, s in sites.iterrows() if s["verdict"] not in JUDGED],
        series=_records(series), charts=charts,
        plotly_src=plotly_file(out_dir) if charts else "",
        chart_script=Markup(CHART_SCRIPT), chart_hash=script_hash(CHART_SCRIPT),
        severity_labels=SEVERITY_LABELS, status_labels=STATUS_LABELS,
        generated=datetime.now(CST).isoformat(sep=" ", timespec="seconds"), version=__version__,
    )


def write_dashboard(out_dir, sites: pd.DataFrame, findings: pd.DataFrame, trend: pd.DataFrame, *,
                    as_of, title: str) -> Path:
    """Write out_dir/index.html (and plotly.js beside it once); return index.html's path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "index.html"
    path.write_text(render_dashboard(out_dir, sites, findings, trend, as_of=as_of, title=title),
                    encoding="utf-8")
    return path


__all__ = ["write_dashboard", "render_dashboard", "local_href", "safe_href", "CHART_SCRIPT"]
