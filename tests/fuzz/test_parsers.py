"""Fuzzing the readers that see hostile or broken input from real sites: no exception escapes.

A page that breaks a parser must become that page's `error` outcome at worst, never a crash of
the run; these properties keep the parsers themselves total. Each example runs in milliseconds.
"""
from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audits.annual_tables import application_table, review_table
from audits.rules.documents import number_problems
from audits.rules.privacy import find_cards, find_ids, find_mobiles, id_valid
from crawler.extract.annual_report import parse_tables
from crawler.extract.dates import date_from_url, find_date, from_timestamp, parse_date
from crawler.extract.encoding import decode_html
from crawler.extract.fields import extract_document, normalise_label
from crawler.extract.navigation import column_tree, find_section_link
from crawler.readers import read_list

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text drawn towards what these parsers look for: digits, date separators, CJK labels, brackets.
_ALPHABET = st.sampled_from(list("0123456789-/.年月日时分秒:：〔〕[]()（）【】第号规发布日期索引号 \t\n\u3000\xa0"
                                 "\x00\x0b\ufeff<>&;\"'=abcXx*＊１２３"))
snippets = st.text(_ALPHABET, max_size=60) | st.text(max_size=60)

_TAGS = ["div", "ul", "li", "a", "span", "table", "tr", "td", "p", "br", "script", "b", "em",
         "iframe", "h1", "meta", "!--", "datastore", "record"]


@st.composite
def html_soup(draw):
    """Random, often unbalanced markup with dates, links and labels in it."""
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        tag = draw(st.sampled_from(_TAGS))
        kind = draw(st.integers(0, 3))
        if kind == 0:
            parts.append(f"<{tag} href='{draw(snippets)}' title=\"{draw(snippets)}\" "
                         f"style='{draw(st.sampled_from(['', 'display:none']))}'>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(draw(snippets))
        else:
            parts.append(draw(st.sampled_from([
                "发布日期：2023-10-23", "createPageHTML(5, 0, 'index', 'html')", "暂无信息",
                "<![CDATA[", "]]>", "<?xml version='1.0'?>", "{\"list\": [", "]}", "索 引 号：",
                "var listData = {", "totalPage: 54", "location.href='index_'+i+'.html'"])))
    return "".join(parts)


@FUZZ
@given(snippets, st.none() | st.dates(date(1990, 1, 1), date(2030, 12, 31)), st.none() | snippets)
def test_dates(text, ref, url_hint):
    for value in (parse_date(text, ref=ref, url_hint=url_hint), find_date(text), date_from_url(text)):
        assert value is None or isinstance(value, date)
    from_timestamp(text)


@FUZZ
@given(st.integers(-2**63, 2**63) | st.floats(allow_nan=True) | snippets)
def test_timestamps(value):
    result = from_timestamp(value)
    assert result is None or isinstance(result, date)


@FUZZ
@given(snippets)
def test_document_numbers_and_labels(text):
    assert isinstance(number_problems(text), list)
    assert isinstance(normalise_label(text), str)


@FUZZ
@given(snippets)
def test_personal_data_finders(text):
    for found in (find_ids(text), find_mobiles(text), find_cards(text)):
        assert isinstance(found, list)
    id_valid(text)


@FUZZ
@given(html_soup(), st.sampled_from(["https://www.example.gov.cn/xxgk/tzgg/index.html",
                                    "http://127.0.0.1:8000/col/col123/index.html"]))
def test_list_reading(html, url):
    page = read_list(html, url, ref=date(2026, 11, 20))
    for entry in page.entries:
        assert entry.url.startswith(("http://", "https://"))


@FUZZ
@given(html_soup())
def test_document_and_navigation(html):
    url = "https://www.example.gov.cn/xxgk/tzgg/202310/t20231023_1.html"
    extract_document(html, url)
    find_section_link(html, url)
    column_tree(html, url)


@FUZZ
@given(html_soup())
def test_annual_report_tables(html):
    for grid in parse_tables(html):
        application_table(grid)
        review_table(grid)


@FUZZ
@given(st.binary(max_size=300), st.none() | st.sampled_from(["gb2312", "utf-8", "bogus", "latin-1"]))
def test_decoding(body, declared):
    text, codec = decode_html(body, declared)
    assert isinstance(text, str)
