"""Dates, parsed once and in one place.

Government pages write dates in many shapes (README §2.3). `parse_date` reads a string that *is*
a date (a list cell, a metadata value); `find_date` finds the first full date inside longer text;
`date_from_url` reads the date some CMSs put in URLs, which is only ever a hint (migrations and
republications make URL dates differ from 发布日期).
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

__all__ = ["parse_date", "find_date", "date_from_url", "from_timestamp", "iso"]

CHINA_TZ = timezone(timedelta(hours=8))

_SP = r"[\s\u3000\xa0]*"
# 2019年02月15日 / 2019年2月5日 (the 日 is sometimes omitted)
_CN = re.compile(rf"(?<!\d)(\d{{4}}){_SP}年{_SP}(\d{{1,2}}){_SP}月{_SP}(\d{{1,2}})(?!\d){_SP}日?")
# 2019-02-15, 2019/2/15, 2019.02.15, optionally followed by a time (also the gov.cn "-HH:mm:ss")
_YMD = re.compile(r"(?<![\d.])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![\d])")
_TIME = r"(?:[\sT-]+\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)?"
_YMD_FULL = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME)
_CN_FULL = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?" + r"(?:\s*\d{1,2}[:时]\d{2}(?::\d{2})?分?)?")
_MD_FULL = re.compile(r"(\d{1,2})([-/])(\d{1,2})" + r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_MD_CN_FULL = re.compile(r"(\d{1,2})月(\d{1,2})日")
_COMPACT_FULL = re.compile(r"(\d{4})(\d{2})(\d{2})")
# Brackets and padding around a date cell: [2017-04-24], (2019-01-01), 【...】
_STRIP = " \t\r\n\u3000\xa0[]【】()（）<>〔〕"


def _mk(y: int | str, m: int | str, d: int | str) -> date | None:
    """A date, or None when impossible (2019-02-30) or implausible for a web page."""
    try:
        value = date(int(y), int(m), int(d))
    except ValueError:
        return None
    return value if 1900 <= value.year <= 2100 else None


def parse_date(text: str | None, ref: date | None = None, url_hint: str | None = None) -> date | None:
    """Parse a string that is a date (surrounding brackets and a time of day are allowed).

    `MM-DD` / `MM/DD` without a year take the year of the date in `url_hint` when there is one,
    else the latest year that keeps the date not after `ref`; without either they give None.
    """
    if not text:
        return None
    s = re.sub(r"[\s\u3000\xa0]+", " ", str(text)).strip(_STRIP)
    s = re.sub(r"\s*([年月日])\s*", r"\1", s).strip()
    for rx in (_YMD_FULL, _CN_FULL):
        m = rx.fullmatch(s)
        if m:
            g = m.groups()
            return _mk(g[0], g[2], g[3]) if rx is _YMD_FULL else _mk(*g)
    m = _COMPACT_FULL.fullmatch(s)
    if m:
        return _mk(*m.groups())
    m = _MD_FULL.fullmatch(s) or _MD_CN_FULL.fullmatch(s)
    if m:
        g = m.groups()
        month, day = (g[0], g[2]) if len(g) == 3 else g
        return _infer_year(int(month), int(day), ref, url_hint)
    return None


def _infer_year(month: int, day: int, ref: date | None, url_hint: str | None) -> date | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    hint = date_from_url(url_hint) if url_hint else None
    if hint is not None:
        return _mk(hint.year, month, day)
    if ref is None:
        return None
    # The latest year such that the date is not after ref (Feb 29 may need a few years back).
    for year in range(ref.year, ref.year - 8, -1):
        value = _mk(year, month, day)
        if value is not None and value <= ref:
            return value
    return None


def find_date(text: str | None) -> date | None:
    """The first full date (with a year) inside a longer string, e.g. '发布日期：2020-01-31'."""
    if not text:
        return None
    candidates = []
    for rx in (_CN, _YMD):
        for m in rx.finditer(text):
            g = m.groups()
            value = _mk(*g) if rx is _CN else _mk(g[0], g[2], g[3])
            if value is not None:
                candidates.append((m.start(), value))
                break
    return min(candidates)[1] if candidates else None


def from_timestamp(value: int | float | str | None) -> date | None:
    """Unix seconds (gkmlpt) or milliseconds (miit) to a China-local date."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if number > 1e11:  # milliseconds: 1e11 s would be the year 5138
        number /= 1000
    try:
        value = datetime.fromtimestamp(number, CHINA_TZ).date()
    except (OverflowError, OSError, ValueError):
        return None
    return value if 1990 <= value.year <= 2100 else None


# URL shapes, most specific first. Month-only shapes give the 1st of the month.
_URL_PATTERNS = (
    re.compile(r"/t(\d{4})(\d{2})(\d{2})_\d+"),                    # TRS /t20220417_974894.html
    re.compile(r"/art/(\d{4})/(\d{1,2})/(\d{1,2})/"),              # Hanweb /art/2025/10/29/art_...
    re.compile(r"/(\d{4})-(\d{1,2})/(\d{1,2})/"),                  # gov.cn content/2019-02/15/
    re.compile(r"/(\d{4})(\d{2})(\d{2})/"),                        # /20230331/<hex>.html, NEA
    re.compile(r"[/_-](\d{4})(\d{2})(\d{2})[_.-]"),                # ..._20230331_1.html
)
_URL_MONTH = (
    re.compile(r"/(\d{4})(\d{2})/"),                               # /202204/, /c110634/202507/
    re.compile(r"/(\d{4})-(\d{2})/"),
)


def date_from_url(url: str | None) -> date | None:
    """The date a URL carries, as a hint only (URL dates are often migration dates)."""
    if not url:
        return None
    for rx in _URL_PATTERNS:
        for m in rx.finditer(url):
            value = _mk(*m.groups())
            if value is not None:
                return value
    for rx in _URL_MONTH:
        for m in rx.finditer(url):
            value = _mk(m.group(1), m.group(2), 1)
            if value is not None:
                return value
    return None


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
