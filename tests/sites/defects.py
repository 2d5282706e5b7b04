"""Every content defect the generator can seed (文号, dates, 解读, 年报, structure, 指南, footer, links,
personal data), all on one TRS site, with look-alikes that must not fire.

The generator (tests/sites/generator.py) seeds these from SiteSpec fields and computes their truth
from what it wrote; `random_spec` draws them per seed. This module turns them all on at once.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.sites import generator as g
from tests.sites.generator import DEAD, ID_NUMBER, PHONE, BANK_CARD  # noqa: F401  (re-exported)

# Rules whose truth `build_site_with_defects` seeds (and computes) completely.
RULES = {"doc.number_format", "doc.date_inconsistent", "doc.late_publication", "interpretation.late",
         "interpretation.missing", "annual_report.sections", "disclosure.structure", "guide.incomplete",
         "site.identity", "link.broken", "privacy.phone", "privacy.id_number", "privacy.bank_card"}


def build_site_with_defects(root: Path, spec: g.SiteSpec) -> g.Truth:
    """`spec`'s site in TRS style with one or two of each content defect and the look-alikes; a
    规范性文件 column (for interpretation.missing) and a 政策解读 column are added if missing."""
    columns = list(spec.columns)
    for name, docs in (("规范性文件", 6), ("政策解读", 3)):
        if not any(c.name == name for c in columns):
            columns.append(g.ColumnSpec.of(name, docs))
    return g.build_site(root, replace(
        spec, style="trs", columns=columns, number_format=2, date_inconsistent=2, late_publication=1,
        interpretation_late=1, interpretation_missing=1, annual_content="sections",
        disclosure_missing=g.SYSTEM, guide_missing="办公时间", identity_fault="police", dead_links=1,
        privacy=g.PRIVACY, lookalikes=True))
