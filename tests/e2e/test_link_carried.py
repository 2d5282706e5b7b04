"""Two nights with a weekly link cadence (ZWGK_LINK_CADENCE_DAYS=7): night one checks every link
target and its scorecard says none was carried; night two carries most ok statuses forward, and
its scorecard says how many, since when and how often they are asked again, and marks each
carried one. The dead link is asked again every night: its finding stands on tonight's check."""
from __future__ import annotations

import json
import re
from datetime import datetime

from snapshot.outcomes import link_verdict
from snapshot.store import Store
from snapshot.types import CST
from tests.sites.generator import FRESH, ColumnSpec, SiteSpec

from .helpers import audit


def test_second_night_scorecard_says_which_link_statuses_were_carried(site_factory, tmp_path, monkeypatch):
    monkeypatch.setenv("ZWGK_LINK_CADENCE_DAYS", "7")
    spec = SiteSpec(seed=91, kind="department", name="测试区沿用局", list_style="li_span", pager="links",
                    columns=[ColumnSpec.of("工作动态", 12, FRESH), ColumnSpec.of("通知公告", 8, FRESH)],
                    dead_links=1)
    base, truth, _ = site_factory(spec)
    db = tmp_path / "zwgk.db"
    runs = []
    for night in ("night1", "night2"):
        out = tmp_path / night
        proc, findings = audit(base, out, "--db", str(db), "--render", "never", "--no-screenshots",
                               as_of=spec.as_of.isoformat())
        assert proc.returncode == 0, proc.stderr[-2000:]
        html = (out / "scorecard.html").read_text(encoding="utf-8")
        summary = json.loads((out / "run.json").read_text(encoding="utf-8"))["link_check"]
        runs.append((findings, html, summary))
    (first, html1, sum1), (second, html2, sum2) = runs
    today = datetime.now(CST).date().isoformat()

    # Night one: every status observed that night.
    assert sum1["carried"] == 0 and sum1["targets"] >= 10
    assert f"本次检查 {sum1['targets']} 个链接地址，均为本次检查结果，未沿用此前的检查结果" in html1
    assert "沿用</span>" not in html1

    # Night two: most ok statuses carried, said in one line, each carried target marked.
    assert sum2["targets"] == sum1["targets"] and 0 < sum2["carried"] < sum2["targets"]
    line = re.search(r"本次检查 (\d+) 个链接地址；(\d+) 个沿用此前检查结果（正常，最早于 (\S+) 检查，每 7 天复查一次）",
                     html2)
    assert line and int(line[1]) == sum2["targets"] and int(line[2]) == sum2["carried"]
    assert line[3] == today == sum2["carried_since"]
    assert html2.count('<span class="badge carried">沿用</span>') == sum2["carried"]

    # The broken link was asked again, not carried: the same finding both nights.
    assert [f for f in first if f["rule_id"] == "link.broken"]
    assert sorted(map(json.dumps, first)) == sorted(map(json.dumps, second))
    store = Store(db)
    night2 = store.load(store.latest_run(base + "/") or store.latest_run(base))
    assert night2.run.link_cadence == 7
    carried = [ln for ln in night2.links if ln.carried]
    assert carried and all(link_verdict(ln.status)[0] == "ok" for ln in carried)
    assert all(not ln.carried for ln in night2.links if link_verdict(ln.status)[0] != "ok")
    store.engine.dispose()
