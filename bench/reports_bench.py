"""Time and memory of the round's reports over a large synthetic run: the dashboard and the 通报.

    .venv/bin/python bench/reports_bench.py [SITES] [FINDINGS_PER_SITE] [NIGHTS]

Prints seconds per output, peak memory (tracemalloc, Python objects) and file sizes.
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports.dashboard import write_dashboard  # noqa: E402
from reports.tongbao import write_tongbao  # noqa: E402

RULES = [("column.stale", "deduct"), ("column.empty", "deduct"), ("link.broken", "deduct"),
         ("privacy.phone", "deduct"), ("doc.number_format", "advisory"), ("veto.homepage_stale", "veto")]


def frames(n_sites: int, per_site: int, nights: int, seed: int = 1):
    rnd = random.Random(seed)
    as_of = date(2026, 11, 20)
    sites, findings, trend = [], [], []
    for i in range(n_sites):
        name = f"测试网站{i:03d}"
        verdict = rnd.choice(["良好", "合格", "合格", "不合格", "未能检查"] if i % 50 else ["未能检查"])
        score = None if verdict == "未能检查" else round(rnd.uniform(60, 100), 1)
        sites.append({"name": name, "url": f"https://s{i}.example.gov.cn/", "ident": f"{1100000000 + i}",
                      "host_org": f"单位{i}", "group": rnd.choice(["区直部门", "镇街", "国有企业"]),
                      "kind": "department", "verdict": verdict, "score": score, "complete": True,
                      "status": "down" if verdict == "未能检查" else "ok",
                      "scorecard": f"sites/{name}/scorecard.html", "run_id": i, "consecutive": rnd.randint(0, 3),
                      "summary": "", "warnings": ["已有2个空白栏目"] if i % 7 == 0 else []})
        for j in range(per_site):
            rule, sev = rnd.choice(RULES)
            findings.append({"site": name, "ident": "", "group": sites[-1]["group"], "host_org": "",
                             "rule_id": rule, "rule_title": "", "severity": sev, "column": f"栏目{j % 9}",
                             "url": f"https://s{i}.example.gov.cn/c{j}/", "target": "", "title": f"文件{j}",
                             "detail": "栏目最新信息发布于2025-03-02，已超过6个月未更新",
                             "status": rnd.choice(["new", "persisting", "fixed", "unverified"]),
                             "first_seen": as_of - timedelta(days=rnd.randint(0, 90)), "consecutive": 1,
                             "triage": rnd.choice([""] * 19 + ["excluded"]), "triage_reason": "",
                             "triage_by": "", "triage_at": None, "fingerprint": f"{i}-{j}", "evidence": ""})
        for k in range(nights):
            trend.append({"site": name, "run_id": k, "as_of": as_of - timedelta(days=nights - 1 - k),
                          "score": score, "verdict": verdict, "findings": per_site})
    return pd.DataFrame(sites), pd.DataFrame(findings), pd.DataFrame(trend)


def main() -> None:
    n_sites, per_site, nights = (int(a) for a in (sys.argv[1:] + ["300", "40", "30"][len(sys.argv) - 1:]))
    sites, findings, trend = frames(n_sites, per_site, nights)
    print(f"{n_sites} sites, {len(findings)} findings, {len(trend)} trend rows")
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        paths = write_tongbao(tmp, sites, findings, round="2026Q4", deadline=date(2026, 12, 5),
                              as_of=date(2026, 11, 20), office={"name": "示例市人民政府办公室"})
        t_tongbao = time.perf_counter() - t
        t = time.perf_counter()
        index = write_dashboard(tmp, sites, findings, trend, as_of=date(2026, 11, 20), title="bench")
        t_dash = time.perf_counter() - t
        for name, p in {**paths, "index.html": index}.items():
            print(f"  {p.name:14s} {p.stat().st_size / 1024:9.1f} KiB")
        js = next(Path(tmp).glob("plotly-*.min.js"))
        print(f"  {js.name:14s} {js.stat().st_size / 1024:9.1f} KiB (written once)")
        # Memory in a second pass: tracemalloc slows every allocation, so it is not timed.
        tracemalloc.start()
        write_tongbao(tmp, sites, findings, round="2026Q4", deadline=date(2026, 12, 5),
                      as_of=date(2026, 11, 20), office=None)
        write_dashboard(tmp, sites, findings, trend, as_of=date(2026, 11, 20), title="bench")
        peak = tracemalloc.get_traced_memory()[1]
    print(f"tongbao (xlsx+csv+docx): {t_tongbao:.2f} s; dashboard: {t_dash:.2f} s; "
          f"peak traced memory {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
