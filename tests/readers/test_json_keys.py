"""JSON list answers of CMSs we have not seen: keys read by what they name, not a fixed list."""
from __future__ import annotations

import json
from datetime import date

import pytest

from crawler.readers import read_list

URL = "http://a.gov.cn/api/list?page=1"


def entries(items, wrap=lambda x: {"data": {"list": x, "total": len(x)}}):
    page = read_list(json.dumps(wrap(items), ensure_ascii=False), URL)
    return [(e.title, e.url.replace("http://a.gov.cn", ""), e.date) for e in page.entries]


@pytest.mark.parametrize("title,url,when", [
    ("docTitle", "docPubUrl", "docPubTime"),          # TRS 海云-style
    ("articleTitle", "articleLink", "releaseTimeStr"),
    ("wzbt", "url", "fbsj"),                           # pinyin initials: 文章标题 / 发布时间
    ("title", "href", "publishDateStr"),
])
def test_title_url_and_publication_date_by_key_name(title, url, when):
    items = [{title: "关于A的通知", url: "/a/1.html", when: "2023-10-23 08:59:00"},
             {title: "关于B的通知", url: "/a/2.html", when: "2023/10/20"}]
    assert entries(items) == [("关于A的通知", "/a/1.html", date(2023, 10, 23)),
                              ("关于B的通知", "/a/2.html", date(2023, 10, 20))]


def test_a_change_date_is_never_the_publication_date():
    items = [{"title": "关于A的通知", "url": "/a/1.html", "docPubTime": "2023-10-23",
              "updateTime": "2026-11-01", "modifyDate": "2026-11-02"}]
    assert entries(items)[0][2] == date(2023, 10, 23)
    # With nothing else, the change date is what such a list shows: better than "undated".
    only_changed = [{"title": "关于A的通知", "url": "/a/1.html", "updateTime": "2026-11-01"}]
    assert entries(only_changed)[0][2] == date(2026, 11, 1)


def test_a_creation_time_serves_when_nothing_names_publication():
    items = [{"title": "关于A的通知", "url": "/a/1.html", "createTime": "2023-10-23"}]
    assert entries(items)[0][2] == date(2023, 10, 23)


def test_names_of_other_things_are_not_titles_or_links():
    items = [{"siteName": "某区政府", "columnName": "通知公告", "imgUrl": "/i.png", "fbsj": "2023-10-23"}]
    assert entries(items) == []
