"""Regenerate the bundled demo sites: `zwgk/demo_site/` (the single-site spot check, `zwgk demo
--site`) and `zwgk/demo_site/_nightly/` (two more sites and the second night's edits for the
nightly demo, `zwgk demo`).

    python -m tests.sites.build_demo

Writes the static site plus `manifest.json`: {"as_of", "kind", "name", "findings": [...]}, where
findings are the truth (site-relative URLs; see generator.Truth) so a demo run can be checked.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.sites.generator import DEAD, EMPTY, FRESH, PHONE, STALE, ColumnSpec, SiteSpec, build_site

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


# The nightly demo: the site above plus two smaller ones (and a registry entry that is down).
# Pagers without scripts, so an empty column's 暂无信息 is evidence without a browser.
NIGHTLY_SPECS = {
    "jtj": (SiteSpec(
        seed=2027, kind="department", name="淄博市周村区教育和体育局", list_style="table",
        pager="links", page_size=10, meta_style=1,
        columns=[ColumnSpec.of("工作动态", 8, FRESH), ColumnSpec.of("通知公告", 6, FRESH),
                 ColumnSpec.of("政策文件", 4, FRESH), ColumnSpec.of("人事信息", 3, STALE),
                 ColumnSpec.of("规划计划", 0, EMPTY)],
        missing_fields=1, annual_report="ok"), {"group": "区直部门", "ident": "3703060012",
                                                 "host_org": "淄博市周村区教育和体育局"}),
    "cbl": (SiteSpec(
        seed=2028, kind="government", name="淄博市周村区城北路街道办事处", list_style="li_b",
        pager="links", page_size=10, meta_style=2,
        columns=[ColumnSpec.of("工作动态", 6, FRESH), ColumnSpec.of("通知公告", 5, FRESH),
                 ColumnSpec.of("政策文件", 3, FRESH), ColumnSpec.of("财政预决算", 2, STALE)],
        dead_links=1, annual_report="ok"), {"group": "镇街", "ident": "3703060021",
                                            "host_org": "淄博市周村区城北路街道办事处"}),
}
MAIN_INFO = {"group": "区县政府", "ident": "3703060001", "host_org": "淄博市周村区人民政府办公室"}


def _paths(truth, rule: str) -> list[tuple[str, str]]:
    return sorted((k[1], k[2]) for k in truth.findings if k[0] == rule)


def build_nightly(main_truth, out: Path = DEMO_DIR / "_nightly") -> dict:
    """Build the extra sites and the second night's edits (zwgk.demo applies them): on the main
    site a mobile number is masked; on 教育和体育局 an entry is published into the blank column and
    a new mobile number appears; on 城北路街道 the broken link's target is put up."""
    if out.exists():
        shutil.rmtree(out)
    sites = [{"dir": "", "name": DEMO_SPEC.name, "kind": DEMO_SPEC.kind, **MAIN_INFO}]
    truths = {"": main_truth}
    for slug, (spec, info) in NIGHTLY_SPECS.items():
        truths[slug] = build_site(out / slug, spec)
        sites.append({"dir": slug, "name": spec.name, "kind": spec.kind, **info})
    edits = []
    for _, path in _paths(truths[""], "privacy.phone")[:1]:
        edits.append({"site": "", "op": "mask_number", "path": path, "number": PHONE})
    jtj = truths["jtj"]
    for column, path in _paths(jtj, "column.empty")[:1]:
        donor = next(c for c in jtj.columns if c["entries"] and c["name"] == "通知公告")
        edits.append({"site": "jtj", "op": "publish", "path": path, "donor": donor["url"]})
    doc = next(c for c in jtj.columns if c["name"] == "通知公告")     # its documents are read
    edits.append({"site": "jtj", "op": "add_number", "column": doc["url"]})
    if _paths(truths["cbl"], "link.broken"):
        edits.append({"site": "cbl", "op": "create_target", "path": DEAD})
    manifest = {"as_of": DEMO_SPEC.as_of.isoformat(), "sites": sites,
                "down": {"name": "淄博市周村区已关停网站", "group": "区直部门", "ident": "3703060099"},
                "night2": edits}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    return manifest


def build(out: Path = DEMO_DIR) -> dict:
    if out.exists():
        shutil.rmtree(out)
    truth = build_site(out, DEMO_SPEC)
    data = truth.to_json()
    manifest = {"as_of": data["as_of"], "kind": data["kind"], "name": data["name"],
                "findings": data["findings"], "columns": data["columns"]}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n",
                                       encoding="utf-8")
    build_nightly(truth, out / "_nightly")
    return manifest


if __name__ == "__main__":
    m = build()
    size = sum(p.stat().st_size for p in DEMO_DIR.rglob("*") if p.is_file())
    print(f"{DEMO_DIR}: {len(m['findings'])} findings, {size // 1024} KB")
