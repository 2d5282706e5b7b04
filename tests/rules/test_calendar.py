from datetime import date

import pytest

from audits.calendar import NoCalendarData, WorkCalendar

cal = WorkCalendar()


def test_national_day_2025_with_make_up_days():
    assert cal.is_workday(date(2025, 9, 28))           # Sunday, 调休
    assert not any(cal.is_workday(date(2025, 10, day)) for day in range(1, 9))
    assert cal.is_workday(date(2025, 10, 11))          # Saturday, 调休
    assert cal.is_workday(date(2025, 10, 9))


def test_add_workdays_skips_the_holiday_and_counts_make_up_days():
    # 9-30 → 10-9 (1), 10-10 (2), 10-11 Sat make-up (3)
    assert cal.add_workdays(date(2025, 9, 30), 3) == date(2025, 10, 11)
    # 9-27 (Sat) → 9-28 Sun make-up is the first working day after it
    assert cal.add_workdays(date(2025, 9, 27), 1) == date(2025, 9, 28)
    assert cal.add_workdays(date(2025, 9, 26), 0) == date(2025, 9, 26)


def test_spring_festival_2026():
    assert cal.is_workday(date(2026, 2, 14))            # Saturday make-up
    assert not cal.is_workday(date(2026, 2, 16))        # Monday, 春节
    assert not cal.is_workday(date(2026, 2, 23))
    assert cal.is_workday(date(2026, 2, 28))            # Saturday make-up
    assert cal.add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert cal.add_workdays(date(2026, 2, 14), 1) == date(2026, 2, 24)


def test_national_day_2024_and_workdays_between():
    assert cal.is_workday(date(2024, 9, 29)) and cal.is_workday(date(2024, 10, 12))
    assert not cal.is_workday(date(2024, 10, 7))
    # after 9-30 up to 10-8: only 10-8
    assert cal.workdays_between(date(2024, 9, 30), date(2024, 10, 8)) == 1
    assert cal.workdays_between(date(2024, 10, 8), date(2024, 10, 8)) == 0
    a, b = date(2025, 9, 26), cal.add_workdays(date(2025, 9, 26), 5)
    assert cal.workdays_between(a, b) == 5


def test_2027_has_no_data():
    assert cal.covers(2026) and not cal.covers(2027)
    with pytest.raises(NoCalendarData) as exc:
        cal.is_workday(date(2027, 3, 1))
    assert exc.value.year == 2027 and "2027" in str(exc.value)
    with pytest.raises(NoCalendarData):
        cal.add_workdays(date(2026, 12, 30), 5)        # crosses into 2027


def test_extra_data_supplies_a_year():
    extra = WorkCalendar({2027: {"holidays": ["2027-01-01"], "workdays": ["2027-01-09"]}})
    assert extra.covers(2027)
    assert not extra.is_workday(date(2027, 1, 1))      # Friday, holiday
    assert extra.is_workday(date(2027, 1, 9))          # Saturday, make-up
    assert not extra.is_workday(date(2027, 1, 10))     # plain Sunday
    assert extra.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_extra_file(tmp_path):
    path = tmp_path / "holidays.yaml"
    path.write_text("2027:\n  holidays: [2027-10-01]\n  workdays: []\n", encoding="utf-8")
    assert not WorkCalendar.from_file(path).is_workday(date(2027, 10, 1))
    path = tmp_path / "holidays.json"
    path.write_text('{"2027": {"holidays": ["2027-10-01"]}}', encoding="utf-8")
    assert not WorkCalendar.from_file(path).is_workday(date(2027, 10, 1))


def test_bad_extra_names_the_key():
    with pytest.raises(ValueError, match=r"holidays.2027.workdays\[0\]"):
        WorkCalendar({2027: {"workdays": ["2026-01-01"]}})
    with pytest.raises(ValueError, match="holidays.2027.days"):
        WorkCalendar({2027: {"days": []}})
