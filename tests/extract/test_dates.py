from datetime import date

import pytest

from crawler.extract.dates import date_from_url, find_date, from_timestamp, parse_date


@pytest.mark.parametrize("text, expected", [
    ("2019年02月15日", date(2019, 2, 15)),
    ("2019年2月5日", date(2019, 2, 5)),
    ("2019 年 2 月 5 日", date(2019, 2, 5)),
    ("2022-04-17", date(2022, 4, 17)),
    ("2026/04/09", date(2026, 4, 9)),
    ("2020.01.31", date(2020, 1, 31)),
    ("[2017-04-24]", date(2017, 4, 24)),
    ("2022-04-17 14:46", date(2022, 4, 17)),
    ("2022-04-17 14:46:00", date(2022, 4, 17)),
    ("2019-02-15-10:30:00", date(2019, 2, 15)),
    ("20230331", date(2023, 3, 31)),
])
def test_parse_date_formats(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2019-02-30", "2019年13月01日", "2019-02", "", None, "发布日期", "14-12处理"])
def test_parse_date_rejects(text):
    assert parse_date(text) is None


def test_month_day_takes_year_from_url_hint():
    assert parse_date("10-11", url_hint="./201710/t20171011_397574.html") == date(2017, 10, 11)
    assert parse_date("10/11", url_hint="/art/2016/10/11/art_1_2.html") == date(2016, 10, 11)


def test_month_day_takes_latest_year_not_after_ref():
    assert parse_date("10-11", ref=date(2025, 12, 1)) == date(2025, 10, 11)
    assert parse_date("12-31", ref=date(2025, 6, 1)) == date(2024, 12, 31)
    assert parse_date("02-29", ref=date(2025, 6, 1)) == date(2024, 2, 29)


def test_month_day_without_ref_or_hint_is_none():
    assert parse_date("10-11") is None


def test_find_date_in_text():
    assert find_date("发布日期：2020-01-31 来源：办公厅") == date(2020, 1, 31)
    assert find_date("印发于2019年2月5日，自2019年3月1日起施行") == date(2019, 2, 5)
    assert find_date("信访件14-12处理情况") is None


def test_timestamps_seconds_and_milliseconds_china_time():
    # 2023-12-31T16:30:00Z is already 2024-01-01 in Beijing
    assert from_timestamp(1704040200) == date(2024, 1, 1)
    assert from_timestamp("1704040200000") == date(2024, 1, 1)
    assert from_timestamp("abc") is None


@pytest.mark.parametrize("url, expected", [
    ("http://www.mee.gov.cn/ywdt/hjywnews/202204/t20220417_974894.shtml", date(2022, 4, 17)),
    ("http://x.gov.cn/art/2025/10/29/art_80179_1.html", date(2025, 10, 29)),
    ("http://www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm", date(2019, 2, 15)),
    ("https://www.shanghai.gov.cn/nw12344/20230331/0a1b2c.html", date(2023, 3, 31)),
    ("http://jyt.gansu.gov.cn/jyt/c110634/202507/174168252.shtml", date(2025, 7, 1)),
    ("http://x.gov.cn/col/col123/index.html", None),
])
def test_date_from_url(url, expected):
    assert date_from_url(url) == expected
