"""Regenerate the bundled demo site `zwgk/demo_site/` (served and audited by `zwgk demo`).

    python -m tests.sites.build_demo

Writes the static site plus `manifest.json`: {"as_of", "kind", "name", "findings": [...]}, where
findings are the truth (site-relative URLs; see generator.Truth) so a demo run can be checked.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.sites.generator import EMPTY, FRESH, STALE, ColumnSpec, SiteSpec, build_site

DEMO_DIR = Path(__file__).resolve().parents[2] / "zwgk" / "demo_site"

DEMO_SPEC = SiteSpec(
    seed=2026, kind="government", name="淄博市周村区人民政府", section_text="政府信息公开",
    list_style="li_span", pager="trs4", page_size=10, comment_block=True, meta_style=0,
    columns=[ColumnSpec.of("工作动态", 12, FRESH), ColumnSpec.of("通知公告", 8, FRESH),
             ColumnSpec.of("政策文件", 6, FRESH), ColumnSpec.of("政策解读", 3),
             ColumnSpec.of("人事信息", 4, STALE), ColumnSpec.of("规划计划", 0, EMPTY),
             ColumnSpec.of("财政预决算", 3, FRESH)],
    missing_fields=2, unlinked=1, annual_report="late",
    # One of a few content defects (no look-alikes: `zwgk demo` serves plain files, no 403 paths).
    number_format=1, privacy=("phone",), dead_links=1)


def build(out: Path = DEMO_DIR) -> dict:
    if out.exists():
        shutil.rmtree(out)
    truth = build_site(out, DEMO_SPEC)
    data = truth.to_json()
    manifest = {"as_of": data["as_of"], "kind": data["kind"], "name": data["name"],
                "findings": data["findings"], "columns": data["columns"]}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    return manifest


if __name__ == "__main__":
    m = build()
    size = sum(p.stat().st_size for p in DEMO_DIR.rglob("*") if p.is_file())
    print(f"{DEMO_DIR}: {len(m['findings'])} findings, {size // 1024} KB")
