import json
from pathlib import Path

import pytest

from audits.catalog import render_catalog
from audits.config import AuditConfig, ConfigError, load_config
from tests.rules.builders import fired, site

ROOT = Path(__file__).resolve().parents[2]


def test_column_category_override():
    b = site().column("历史文件", "2025-01-01")          # "文件" → notice_policy: stale
    assert len(fired(b, "column.stale")) == 1
    cfg = {"columns": {"历史文件": {"category": "other"}}}
    assert fired(b, "column.stale", config=cfg) == []


def test_column_skip_is_not_checked():
    b = site().empty("工作动态")                           # proven empty
    assert len(fired(b, "column.empty")) == 1
    assert fired(b, "column.empty", config={"columns": {"工作动态": {"skip": True}}}) == []


@pytest.mark.parametrize("data,where", [
    ({"columns": {"工作动态": {"category": "bogus"}}}, "columns.工作动态.category"),
    ({"columns": {"工作动态": {"skip": "yes"}}}, "columns.工作动态.skip"),
    ({"columns": {"工作动态": {"hide": True}}}, "columns.工作动态.hide"),
    ({"rules": {"doc.late_publication": {"workdays": -1}}}, "rules.doc.late_publication.workdays"),
    ({"rules": {"privacy.phone": {"points": "x"}}}, "rules.privacy.phone.points"),
])
def test_bad_overrides_name_the_key(data, where):
    with pytest.raises(ConfigError) as exc:
        AuditConfig.from_mapping(data)
    assert str(exc.value).startswith(where) and "\n" not in str(exc.value)


def test_yaml_sets_thresholds_points_and_holidays(tmp_path):
    path = tmp_path / "zwgk.yaml"
    path.write_text("rules:\n  interpretation.late: {workdays: 5}\n  link.broken: {points: 1}\n"
                    "holidays:\n  2027: {holidays: [2027-10-01], workdays: []}\n"
                    "columns:\n  部门文件: {category: notice_policy}\n", encoding="utf-8")
    cfg = load_config(path)
    assert cfg.rules["interpretation.late"] == {"workdays": 5}
    assert cfg.rules["link.broken"]["points"] == 1.0
    assert not cfg.calendar().is_workday(__import__("datetime").date(2027, 10, 1))
    assert cfg.columns == {"部门文件": {"category": "notice_policy"}}


def test_catalog_json_lists_every_rule():
    rules = json.loads(render_catalog("json"))
    ids = {r["id"] for r in rules}
    assert {"doc.number_format", "link.broken", "privacy.bank_card", "site.identity"} <= ids
    phone = next(r for r in rules if r["id"] == "privacy.phone")
    assert phone["severity"] == "deduct" and {p["name"] for p in phone["params"]} >= {"points", "max_points"}


def test_committed_docs_match_the_declarations():
    """docs/rules.md is generated: `zwgk rules --format markdown > docs/rules.md`."""
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == render_catalog("markdown")
