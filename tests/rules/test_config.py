import pytest

from audits.config import AuditConfig, ConfigError, load_config


@pytest.mark.parametrize("data,key", [
    ({"colour": 1}, "colour"),
    ({"kind": "county"}, "kind"),
    ({"rules": {"column.nope": {}}}, "rules.column.nope"),
    ({"rules": {"column.stale": {"news_dayz": 3}}}, "rules.column.stale.news_dayz"),
    ({"rules": {"column.stale": {"news_days": "14"}}}, "rules.column.stale.news_days"),
    ({"rules": {"column.stale": {"news_days": 1.5}}}, "rules.column.stale.news_days"),
    ({"rules": {"column.empty": {"points": -1}}}, "rules.column.empty.points"),
    ({"rules": {"annual_report.late": {"government_deadline": "3月31日"}}},
     "rules.annual_report.late.government_deadline"),
    ({"holidays": {2027: {"holidays": ["2027-13-01"]}}}, "holidays.2027.holidays[0]"),
    ({"disable": ["nope"]}, "disable"),
])
def test_bad_values_name_the_key(data, key):
    with pytest.raises(ConfigError) as exc:
        AuditConfig.from_mapping(data)
    message = str(exc.value)
    assert message.startswith(key) and "\n" not in message


def test_good_mapping():
    cfg = AuditConfig.from_mapping({"kind": "department",
                                    "rules": {"column.empty": {"points": 3}, "column.stale": {"news_days": 7.0}},
                                    "disable": ["doc.missing_fields"]})
    assert cfg.kind == "department" and cfg.rules["column.stale"]["news_days"] == 7
    assert isinstance(cfg.rules["column.stale"]["news_days"], int)
    assert cfg.rules["column.empty"]["points"] == 3.0 and "doc.missing_fields" in cfg.disabled


def test_load_config_yaml_with_holiday_file(tmp_path):
    (tmp_path / "h.yaml").write_text("2027: {holidays: [2027-10-01]}\n", encoding="utf-8")
    path = tmp_path / "zwgk.yaml"
    path.write_text("kind: government\nholidays: h.yaml\nrules:\n  column.empty: {points: 1}\n",
                    encoding="utf-8")
    cfg = load_config(path)
    assert cfg.calendar().covers(2027) and cfg.rules == {"column.empty": {"points": 1.0}}


def test_load_config_errors(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("kind: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="YAML"):
        load_config(path)
    with pytest.raises(ConfigError, match="无法读取"):
        load_config(tmp_path / "missing.yaml")
    path.write_text("holidays: nothere.yaml\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="^holidays"):
        load_config(path)


def test_one_file_serves_audit_and_run():
    """The 通报's office and the early-warning lines are `zwgk run`'s sections of the same file:
    an audit with that file runs (a misspelt section is still refused)."""
    from audits.config import AuditConfig, ConfigError
    AuditConfig.from_mapping({"office": {"name": "区政务公开办"}, "warnings": {"blank_columns": 2}})
    with pytest.raises(ConfigError, match="offce"):
        AuditConfig.from_mapping({"offce": {"name": "x"}})
