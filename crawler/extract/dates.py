"""Dates, parsed once and in one place.

Government pages write dates in many shapes (README §2.3). `parse_date` reads a string that *is*
a date (a list cell, a metadata value); `find_date` finds the first full date inside longer text;
`date_from_url` reads the date some CMSs put in URLs, which is only ever a hint (migrations and
republications make URL dates differ from 发布日期).
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

__all__ = ["parse_date", "parse_date_parts", "find_date", "date_from_url", "from_timestamp", "iso"]

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
_STRIP = " \t\r\n\u3000\xa0[]【】()（）<>〔〕「」『』·•●◆◇■□▪▶►"   # and list bullets


def _mk(y: int | str, m: int | str, d: int | str) -> date | None:
    """A date, or None when impossible (2019-02-30) or implausible for a web page."""
    try:
        value = date(int(y), int(m), int(d))
    except ValueError:
        return None
    return value if 1900 <= value.year <= 2100 else None


_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0, "O": 0, "0": 0}
_CN_NUM = "〇零○ＯO0一二三四五六七八九十"
# 二〇二四年一月五日, 二○二三年十二月三十一日: how 公文 write 成文日期 (GB/T 9704), also in metadata
_CN_WRITTEN = re.compile(rf"([{_CN_NUM}]{{4}})\s*年\s*([{_CN_NUM}]{{1,3}})\s*月\s*([{_CN_NUM}]{{1,3}})\s*日")


def _cn_small(text: str) -> int | None:
    """一 … 三十一 (months and days)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _CN_DIGIT.get(tens, -1) if tens else 1
        o = _CN_DIGIT.get(ones, -1) if ones else 0
        return None if t < 0 or o < 0 else t * 10 + o
    return _CN_DIGIT.get(text) if len(text) == 1 else None


def _arabic(text: str) -> str:
    """Dates written in Chinese numerals, rewritten with digits (other text unchanged)."""
    if "年" not in text:
        return text

    def sub(m):
        year = "".join(str(_CN_DIGIT.get(c, "")) for c in m[1])
        month, day = _cn_small(m[2]), _cn_small(m[3])
        if len(year) != 4 or month is None or day is None:
            return m[0]
        return f"{year}年{month}月{day}日"
    return _CN_WRITTEN.sub(sub, text)


def parse_date(text: str | None, ref: date | None = None, url_hint: str | None = None) -> date | None:
    """Parse a string that is a date (surrounding brackets and a time of day are allowed).

    `MM-DD` / `MM/DD` without a year take the year of the date in `url_hint` when there is one,
    else the latest year that keeps the date not after `ref`; without either they give None.
    """
    if not text:
        return None
    s = re.sub(r"[\s\u3000\xa0]+", " ", _arabic(str(text))).strip(_STRIP)
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


_YM = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
_Y = re.compile(r"(\d{4})\s*年?")
_D = re.compile(r"(\d{1,2})\s*日?")
_MD = re.compile(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def parse_date_parts(parts: list[str]) -> date | None:
    """A date a list row shows in pieces, each in its own element: the day big and the month
    below (`<span>05</span><em>2024-01</em>`, either order), or the year apart from the month and
    day (`<b>2024</b><span>01-05</span>`). Two or three short pieces; anything else gives None."""
    parts = [re.sub(r"[\s\u3000\xa0]+", "", p).strip(_STRIP) for p in parts]
    parts = [p for p in parts if p]
    if not 2 <= len(parts) <= 3 or any(len(p) > 10 for p in parts):
        return None
    if any(not any(r.fullmatch(p) for r in (_YM, _Y, _D, _MD)) for p in parts):
        return None     # every piece is a piece of a date (not 浏览 12 beside 2024-01)
    for i, a in enumerate(parts):
        for j, b in enumerate(parts):
            if i == j:
                continue
            ym, d = _YM.fullmatch(a), _D.fullmatch(b)
            if ym and d:
                return _mk(ym[1], ym[2], d[1])
            y, md = _Y.fullmatch(a), _MD.fullmatch(b)
            if y and md:
                return _mk(y[1], md[1], md[2])
    if len(parts) == 3:         # <span>2024</span><span>01</span><span>05</span>
        y, m, d = (_Y.fullmatch(parts[0]), _D.fullmatch(parts[1]), _D.fullmatch(parts[2]))
        if y and m and d:
            return _mk(y[1], m[1], d[1])
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
    text = _arabic(text)
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
