"""Personal data (个人信息) in page and attachment text: 身份证号, mobile numbers, bank cards.

Details show each match masked (3703**********1234), so that the report leaks nothing itself.

The text comes with its boundaries (crawler/extract/text.py: a line a block or `<br>` line, table
cells apart), so a number in a table cell stands alone. Finders read it after NFKC (full-width
digits, U+3000 and &nbsp; become ASCII) and take a number written in groups (138 1234 5678,
138-1234-5678, 3703 0219 9001 0112 34). What stays silent, because a false accusation is worse
than none: masked numbers (138****5678), landlines, numbers glued to other digits or letters
(文号, 索引号, 订单号, dates, timestamps), numbers with a decimal part or a unit (13812345678元),
numbers right after a code label (编号：…), a grouped number that is one group of a longer row of
numbers, and 身份证号 whose birth date or check digit is wrong.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Iterator

from audits.registry import Param, rule

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_MASK = "*×xX●○#"
# Candidates, found at every position (the lookahead lets them overlap); a group separator is one
# space or one hyphen, the same one throughout the number.
_ID = re.compile(r"(?=(\d{17}[\dXx]|\d{6}([ -])\d{8}\2\d{3}[\dXx]|\d{6}([ -])\d{4}\3\d{4}\3\d{3}[\dXx]"
                 r"|\d{4}([ -])\d{4}\4\d{4}\4\d{4}\4\d[\dXx]))")
_MOBILE = re.compile(r"(?=(1[3-9]\d([ -]?)\d{4}\2\d{4}))")
_CARD = re.compile(r"(?<![\d*])(\d(?:[ ]?\d){15,18})(?![\d*])")
_ACCOUNT_WORDS = re.compile(r"账号|帐号|账户|帐户|卡号|银行|开户行")
# +86 / (86) / 0086 before a mobile is a country code, not a glued digit.
_COUNTRY = re.compile(r"(?:\+86|\(\+?86\)|0086)[ -]?$")
# A label naming a code, not a person: what follows is a serial number, whatever it looks like.
_CODE_LABEL = re.compile(r"(?:编号|单号|序号|文号|索引号|证书号|流水号|合同号|案号|登记号|批准号|"
                         r"备案号|许可证号|批次号|票号|发票号|条码|代码|编码|订单|工号|学号|考号|"
                         r"准考证号|识别号|税号|No|NO|no)\s*[.:：]?\s*$")
# A quantity: an amount or a count is not a phone number.
_UNIT = re.compile(r" ?(?:元|万|亿|千|百|次|件|个|户|份|条|号|人次|%|‰|㎡|平方|吨|公斤|千克|克|米|公里|"
                   r"kg|km|KB|MB|GB|字节)")
_HYPHENS = {0x2010: "-", 0x2011: "-", 0x2212: "-"}      # NFKC keeps these apart from "-"


def normalise(text: str) -> str:
    """NFKC (１３８→138, U+3000/&nbsp;→space, －→-) plus the hyphens NFKC leaves alone."""
    return unicodedata.normalize("NFKC", text or "").translate(_HYPHENS)


def id_valid(number: str, latest: date | None = None) -> bool:
    """GB 11643-1999: a real birth date (1900 to `latest`, the audit's as-of date; today when
    called without one) and the ISO 7064 MOD 11-2 check digit."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if born.year < 1900 or born > (latest or date.today()):
        return False
    total = sum(int(ch) * w for ch, w in zip(number[:17], _WEIGHTS))
    return _CHECK[total % 11] == number[17].upper()


def luhn(number: str) -> bool:
    digits = [int(ch) for ch in reversed(number)]
    total = sum(d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2) for i, d in enumerate(digits))
    return total % 10 == 0


def mask(number: str, keep_head: int = 4, keep_tail: int = 4) -> str:
    return number[:keep_head] + "*" * (len(number) - keep_head - keep_tail) + number[-keep_tail:]


def _ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _standalone(text: str, start: int, end: int, grouped: bool, country: bool = False) -> bool:
    """Whether text[start:end] is a number of its own rather than a piece of a longer one.

    A space before or after is a boundary (table cells in PDF text, words), unless the number is
    written in groups: then a digit beyond that space makes it one group of a row of numbers."""
    before = text[max(0, start - 12):start]
    prev, prev2 = before[-1:], before[-2:-1]
    after = text[end:end + 2]
    nxt, nxt2 = after[:1], after[1:2]
    if country and _COUNTRY.search(before):
        pass
    elif prev and (_ascii_alnum(prev) or prev in _MASK):
        return False
    elif prev in ("-", ".", "_") and prev2 and (_ascii_alnum(prev2) or prev2 in _MASK):
        return False                                  # 2023-13812345678, 1.38…, A_138…
    elif prev == " " and grouped and prev2.isdigit():
        return False
    if nxt and (_ascii_alnum(nxt) or nxt in _MASK):
        return False
    if nxt in ("-", ".", "_") and nxt2 and (_ascii_alnum(nxt2) or nxt2 in _MASK):
        return False                                  # …-1, ….00, ….pdf
    if nxt == " " and grouped and nxt2.isdigit():
        return False
    if _UNIT.match(text, end) or _CODE_LABEL.search(before):
        return False
    return True


def _scan(pattern, text: str, valid, country: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, digits) of every standalone, valid candidate, leftmost first, no overlaps."""
    out: list[tuple[int, int, str]] = []
    taken = 0
    for m in pattern.finditer(text):
        start, raw = m.start(1), m.group(1)
        end = start + len(raw)
        if start < taken:
            continue
        digits = re.sub(r"[ -]", "", raw).upper()
        grouped = len(digits) != len(raw)
        if valid(digits) and _standalone(text, start, end, grouped, country):
            out.append((start, end, digits))
            taken = end
    return out


def find_ids(text: str, latest: date | None = None) -> list[str]:
    """18-digit 身份证号 (also in groups of 6-8-4, 6-4-4-4, 4-4-4-4-2) with a valid check digit."""
    return [d for _s, _e, d in _scan(_ID, normalise(text), lambda n: id_valid(n, latest))]


def find_mobiles(text: str, latest: date | None = None) -> list[str]:
    """Mobile numbers 1[3-9]XXXXXXXXX, also as 3-4-4 groups, never a piece of an 身份证号."""
    text = normalise(text)
    ids = _scan(_ID, text, lambda n: id_valid(n, latest))
    out = []
    for start, end, digits in _scan(_MOBILE, text, lambda d: True, country=True):
        if not any(s < end and start < e for s, e, _d in ids):
            out.append(digits)
    return out


def find_cards(text: str, window: int = 20) -> list[str]:
    text = normalise(text)
    out = []
    for m in _CARD.finditer(text):
        number = re.sub(r"\D", "", m.group(1))
        before = text[max(0, m.start() - window):m.start()]
        if 16 <= len(number) <= 19 and luhn(number) and _ACCOUNT_WORDS.search(before):
            out.append(number)
    return out


def texts(snap) -> Iterator[tuple[str, str, str, str, str]]:
    """(text, column name, page URL, target URL, title) of every fetched page and attachment."""
    names = {c.id: c.name for c in snap.columns}
    titles = {}
    for c in snap.columns:
        if c.text:
            yield c.text, c.name, c.url, "", c.name
    for d in snap.documents:
        titles[d.url] = (names.get(d.column_id, ""), d.title or d.fields.get("title", ""))
        if d.status == "ok" and d.text:
            yield d.text, titles[d.url][0], d.url, "", titles[d.url][1]
    for a in snap.attachments:
        if a.text:
            column, title = titles.get(a.document_url, ("", ""))
            yield a.text, column, a.document_url, a.url, title


def _check(ctx, find, what: str, head: int, tail: int):
    limit = ctx.params["max_shown"]
    for text, column, url, target, title in texts(ctx.snapshot):
        found = list(dict.fromkeys(find(text)))
        if not found:
            continue
        where = "附件" if target else "页面"
        shown = "、".join(mask(n, head, tail) for n in found[:limit])
        more = f"等{len(found)}处" if len(found) > limit else ""
        yield ctx.finding(f"{where}中公开了未脱敏的{what}：{shown}{more}", column=column, url=url,
                          target=target, title=title)


SHOWN = (Param("max_shown", 3, "详情中最多列出的号码数（均已打码）"),)


@rule("privacy.id_number", title="公开未脱敏身份证号", severity="deduct",
      source="seeds (001); 个人信息保护", points=5, params=SHOWN)
def id_number(ctx):
    """页面或附件文字（表格单元格、换行各自分开）中有完整的18位身份证号，连写、分组书写（3703 0219 9001 0112 34）或全角数字均算，出生日期有效且 GB 11643 校验位正确；已打码的号码和嵌在更长编号中的数字不算。"""
    # Born after the as-of date cannot be a real number: the rule reads no clock.
    yield from _check(ctx, lambda t: find_ids(t, ctx.as_of), "身份证号", 4, 4)


@rule("privacy.phone", title="公开未脱敏手机号", severity="deduct",
      source="seeds (001); 个人信息保护", points=5, params=SHOWN)
def phone(ctx):
    """页面或附件文字（表格单元格、换行各自分开）中有完整的手机号码 1[3-9]XXXXXXXXX，连写、分组书写（138 1234 5678、138-1234-5678）或全角数字均算；固定电话、400号码、已打码的号码（138****1234）以及嵌在文号、索引号、订单号、日期、金额等更长数字中的不算。"""
    yield from _check(ctx, lambda t: find_mobiles(t, ctx.as_of), "手机号码", 3, 4)


@rule("privacy.bank_card", title="公开银行账号", severity="deduct",
      source="seeds (001); 个人信息保护", points=5, params=SHOWN)
def bank_card(ctx):
    """页面或附件文字中，“账号、卡号、银行”等字样之后出现16–19位且通过 Luhn 校验的数字。"""
    yield from _check(ctx, find_cards, "银行账号", 4, 4)
