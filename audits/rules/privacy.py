"""Personal data (个人信息) in page and attachment text: 身份证号, mobile numbers, bank cards.

Details show each match masked (3703**********1234), so that the report leaks nothing itself.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Iterator

from audits.registry import Param, rule

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# Digits not glued to other digits (or to a mask character, which makes it a masked number).
_ID = re.compile(r"(?<![\d*＊Xx])(\d{17}[\dXx])(?![\d*＊])")
_MOBILE = re.compile(r"(?<![\d*＊])(1[3-9]\d{9})(?![\d*＊])")
_CARD = re.compile(r"(?<![\d*＊])(\d(?:[ \u00a0]?\d){15,18})(?![\d*＊])")
_ACCOUNT_WORDS = re.compile(r"账号|帐号|账户|帐户|卡号|银行|开户行")


def id_valid(number: str) -> bool:
    """GB 11643-1999: a real birth date and the ISO 7064 MOD 11-2 check digit."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if born.year < 1900:
        return False
    total = sum(int(ch) * w for ch, w in zip(number[:17], _WEIGHTS))
    return _CHECK[total % 11] == number[17].upper()


def luhn(number: str) -> bool:
    digits = [int(ch) for ch in reversed(number)]
    total = sum(d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2) for i, d in enumerate(digits))
    return total % 10 == 0


def mask(number: str, keep_head: int = 4, keep_tail: int = 4) -> str:
    return number[:keep_head] + "*" * (len(number) - keep_head - keep_tail) + number[-keep_tail:]


def find_ids(text: str) -> list[str]:
    return [m.group(1) for m in _ID.finditer(text) if id_valid(m.group(1))]


def find_mobiles(text: str) -> list[str]:
    ids = set(find_ids(text))
    return [m.group(1) for m in _MOBILE.finditer(text) if m.group(1) not in ids]


def find_cards(text: str, window: int = 20) -> list[str]:
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
    """页面或附件文字中有完整的18位身份证号（出生日期有效且 GB 11643 校验位正确）。"""
    yield from _check(ctx, find_ids, "身份证号", 4, 4)


@rule("privacy.phone", title="公开未脱敏手机号", severity="deduct",
      source="seeds (001); 个人信息保护", points=5, params=SHOWN)
def phone(ctx):
    """页面或附件文字中有完整的手机号码 1[3-9]XXXXXXXXX；固定电话和已打码的号码（138****1234）不算。"""
    yield from _check(ctx, find_mobiles, "手机号码", 3, 4)


@rule("privacy.bank_card", title="公开银行账号", severity="deduct",
      source="seeds (001); 个人信息保护", points=5, params=SHOWN)
def bank_card(ctx):
    """页面或附件文字中，“账号、卡号、银行”等字样之后出现16–19位且通过 Luhn 校验的数字。"""
    yield from _check(ctx, find_cards, "银行账号", 4, 4)
