"""Links read from list pages, and which documents of a column are fetched (crawler/sampling.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crawler.extract.links import list_page_links, page_links
from crawler.sampling import Bound, DocumentSampler, months_before

AS_OF = date(2026, 11, 20)


@dataclass
class E:
    url: str
    date: date | None = None
    title: str = ""


def test_page_links_once_per_target_without_dead_markup():
    html = """<html><body><div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a></div>
    <!-- <a href="/old/">旧栏目</a> --><script>var a = '<a href="/js/">x</a>';</script>
    <p>专题：<a href="../zt/a.html#top">专题A</a> <a href="javascript:void(0)">打印</a>
    <a href="mailto:x@y.cn">信箱</a> <a href="#">顶部</a></p>
    <ul><li><a href="./1.html">一</a></li><li><a href="1.html">一（重复）</a></li></ul>
    <a href="index_1.html">下一页</a><a href="index.html">本页</a></body></html>"""
    got = [(ln["to_url"], ln["text"]) for ln in page_links(html, "http://x.gov.cn/zwgk/tzgg/index.html")]
    assert got == [("http://x.gov.cn/", "首页"), ("http://x.gov.cn/zwgk/", "政务公开"),
                   ("http://x.gov.cn/zwgk/zt/a.html", "专题A"), ("http://x.gov.cn/zwgk/tzgg/1.html", "一"),
                   ("http://x.gov.cn/zwgk/tzgg/index_1.html", "下一页")]


def test_endpoint_answers_give_their_entries_as_links_of_the_column_page():
    url, links = list_page_links('{"data": [{"url": "/a.html"}]}', "http://x.gov.cn/api/list?page=2",
                                 "http://x.gov.cn/tzgg/", [E("http://x.gov.cn/a.html", title="甲")])
    assert url == "http://x.gov.cn/tzgg/"
    assert links == [{"to_url": "http://x.gov.cn/a.html", "text": "甲", "kind": "link"}]
    url, links = list_page_links("<html><body><a href='/b.html'>乙</a></body></html>",
                                 "http://x.gov.cn/tzgg/index_1.html", "http://x.gov.cn/tzgg/", [])
    assert url == "http://x.gov.cn/tzgg/index_1.html" and links[0]["to_url"] == "http://x.gov.cn/b.html"


def test_months_before_is_calendar_months():
    assert months_before(AS_OF, 12) == date(2025, 11, 20)
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 5), 2) == date(2025, 11, 5)


def _urls(entries):
    return [e.url for e in entries]


def test_bound_takes_the_window_and_at_least_the_minimum_across_pages():
    s = DocumentSampler(AS_OF, Bound(months=12, minimum=3))
    old = [E(f"o{i}", date(2020, 1, i + 1)) for i in range(10)]
    assert _urls(s.take("c", "工作动态", "news", old[:5])) == ["o0", "o1", "o2"]
    assert s.take("c", "工作动态", "news", old[5:]) == []                # later pages: minimum met
    # A recent entry listed late (lists are not always newest first) is still fetched.
    assert _urls(s.take("c", "工作动态", "news", [E("new", date(2026, 6, 1)), E("o99", date(2019, 1, 1))])) == ["new"]


def test_undated_entries_count_toward_the_minimum_and_repeats_count_once():
    s = DocumentSampler(AS_OF, Bound(months=12, minimum=2))
    page1 = [E("pinned"), E("u1"), E("r1", date(2026, 10, 1))]
    assert _urls(s.take("c", "通知公告", "notice_policy", page1)) == ["pinned", "u1", "r1"]
    page2 = [E("pinned"), E("u2"), E("r2", date(2026, 9, 1)), E("old", date(2024, 1, 1))]
    assert _urls(s.take("c", "通知公告", "notice_policy", page2)) == ["r2"]


def test_window_covers_every_recent_entry_beyond_the_minimum():
    s = DocumentSampler(AS_OF, Bound(months=12, minimum=1))
    recent = [E(f"r{i}", date(2026, 1 + i, 1)) for i in range(10)]
    assert len(s.take("c", "工作动态", "news", recent)) == 10


def test_interpretation_and_annual_report_columns_are_fetched_whole():
    s = DocumentSampler(AS_OF, Bound(months=0, minimum=0))
    old = [E(f"o{i}", date(2015, 1, 1)) for i in range(5)]
    assert len(s.take("j", "政策解读", "interpretation", old)) == 5
    assert len(s.take("n", "年报", "annual_report", old)) == 5
    assert s.take("x", "其他", "other", old) == []


def test_per_column_bound_by_name():
    s = DocumentSampler(AS_OF, Bound(), per_column={"工作动态": Bound(months=0, minimum=1)})
    old = [E(f"o{i}", date(2026, 11, 1)) for i in range(5)]
    assert len(s.take("a", "工作动态", "news", old)) == 1
    assert len(s.take("b", "部门动态", "news", old)) == 5


def test_settings_and_as_of():
    from scrapy.settings import Settings
    s = DocumentSampler.from_settings(Settings({"ZWGK_DOCS_MONTHS": 6, "ZWGK_DOCS_MIN": 10,
                                                "ZWGK_AS_OF": "2026-01-31",
                                                "ZWGK_DOCS_COLUMNS": {"工作动态": {"min": 2}}}),
                                      today=AS_OF)
    assert s.as_of == date(2026, 1, 31) and s.default == Bound(6, 10)
    assert s.bound("工作动态", "news") == Bound(6, 2) and s.bound("政策解读", "interpretation") is None
