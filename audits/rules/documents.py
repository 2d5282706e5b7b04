"""Document rules: the 政府信息公开 metadata block of policy documents."""
from __future__ import annotations

import re
from datetime import date

from audits.registry import Param, rule
from audits.rules._util import late_by, name_chain

# Required fields in display order: (key, Chinese name).
REQUIRED = (("index_no", "索引号"), ("publisher", "发布机构"), ("written", "成文日期"),
            ("doc_no", "发文字号"), ("published", "发布日期"), ("validity", "有效性"))


def missing_fields(fields: dict[str, str], normative: bool) -> list[str]:
    """Chinese names of the required fields `fields` lacks."""
    out = []
    for key, name in REQUIRED:
        value = (fields.get(key) or "").strip()
        if key == "doc_no":
            # Many documents legitimately have no 文号: an empty 文号 row is fine, no row at all is not.
            gone = key not in fields
        elif key == "validity":
            gone = normative and not value
        else:
            gone = not value
        if gone:
            out.append(name)
    return out


@rule("doc.missing_fields", title="文件要素缺失", severity="deduct",
      source="seeds (001: 标题、正文、文号、成文日期、发布日期、有效性)", points=0.5)
def missing(ctx):
    """通知公告政策文件类栏目中显示元数据块的文件缺少索引号、发布机构、成文日期、发布日期；无文号行；规范性文件栏目缺有效性。"""
    snap = ctx.snapshot
    for doc in snap.documents:
        column = snap.column(doc.column_id)
        if column is None or column.category != "notice_policy" or doc.status != "ok" \
                or not doc.has_meta_block:
            continue
        normative = any("规范性文件" in n for n in name_chain(snap, column))
        names = missing_fields(doc.fields, normative)
        if names:
            yield ctx.finding(f"缺少{'、'.join(names)}", column=column.name, url=doc.url,
                              title=doc.title or doc.fields.get("title", ""))


# --- 发文字号 format (GB/T 9704-2012 7.2.4: 年份用六角括号〔〕, 序号不加“第”、不编虚位) ----------

_YEAR_BRACKETS = "〔［\\[(（【﹝〖"
_CLOSE = "〕］\\])）】﹞〗"
_NUMBER = re.compile(rf"(?P<open>[{_YEAR_BRACKETS}])\s*(?P<year>\d{{2,4}})\s*(?P<close>[{_CLOSE}])"
                     r"\s*(?P<di>第)?\s*(?P<serial>\d+)\s*号")
# 国令第N号 / 省政府令第N号 have no year by design; 明电 numbers follow their own practice.
_EXEMPT = re.compile(r"令\s*第\s*\d+\s*号|明电")


def number_problems(doc_no: str) -> list[str]:
    """What is wrong with a 发文字号 (Chinese phrases); [] when it is fine or not recognisable."""
    value = re.sub(r"\s+", "", doc_no or "")
    if not value or _EXEMPT.search(value):
        return []
    m = _NUMBER.search(value)
    if m is None:
        return []       # no "(year) serial 号" shape at all: nothing we can judge safely
    out = []
    if m["open"] != "〔" or m["close"] != "〕":
        out.append(f"年份应使用六角括号〔〕（现为{m['open']}{m['close']}）")
    if len(m["year"]) != 4:
        out.append("年份应为四位数字")
    if m["di"]:
        out.append("序号前不应加“第”")
    if len(m["serial"]) > 1 and m["serial"].startswith("0"):
        out.append("序号不应编虚位（如01、001）")
    return out


@rule("doc.number_format", title="发文字号格式不规范", severity="advisory",
      source="GB/T 9704-2012")
def number_format(ctx):
    """发文字号年份未用六角括号〔〕（如[2023]、(2023)、（2023）、【2023】）、年份非四位、序号加“第”或编虚位；令第N号、明电不在此列。"""
    snap = ctx.snapshot
    for doc in snap.documents:
        doc_no = doc.fields.get("doc_no") or ""
        problems = number_problems(doc_no) if doc.status == "ok" else []
        if problems:
            column = snap.column(doc.column_id)
            yield ctx.finding(f"发文字号“{doc_no.strip()}”：{'；'.join(problems)}",
                              column=column.name if column else "", url=doc.url,
                              title=doc.title or doc.fields.get("title", ""))


# --- dates ----------------------------------------------------------------------------------------

def _date(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def list_dates(snap) -> dict[tuple[int | None, str], set[date]]:
    """(column id, url) -> the dates the column's list shows for that URL."""
    out: dict[tuple[int | None, str], set[date]] = {}
    for e in snap.entries:
        if e.date and e.column_id is not None:
            out.setdefault((e.column_id, e.url), set()).add(e.date)
    return out


@rule("doc.date_inconsistent", title="文件日期矛盾", severity="advisory",
      source="19号 (伪造发稿日期)")
def date_inconsistent(ctx):
    """成文日期晚于发布日期、发布日期晚于检查基准日，或栏目列表日期与文件页面发布日期不一致（列表只显示月日时年份为推断，仅比较月日）。"""
    snap = ctx.snapshot
    listed = list_dates(snap)
    for doc in snap.documents:
        if doc.status != "ok":
            continue
        written, published = _date(doc.fields.get("written")), _date(doc.fields.get("published"))
        problems = []
        if written and published and written > published:
            problems.append(f"成文日期{written}晚于发布日期{published}")
        if published and published > ctx.as_of:
            problems.append(f"发布日期{published}晚于检查基准日{ctx.as_of}")
        shown = listed.get((doc.column_id, doc.url), set())
        # Lists that print only MM-DD leave the year to inference (URL date, else the latest year
        # not after the as-of date): the same month and day in another year is no contradiction
        # anyone saw, so only a different day is.
        if published and shown and not any((d.month, d.day) == (published.month, published.day)
                                           for d in shown):
            other = "、".join(sorted(d.isoformat() for d in shown))
            problems.append(f"栏目列表日期{other}与页面发布日期{published}不一致")
        if problems:
            column = snap.column(doc.column_id)
            yield ctx.finding("；".join(problems), column=column.name if column else "",
                              url=doc.url, title=doc.title or doc.fields.get("title", ""))


@rule("doc.late_publication", title="文件公开不及时", severity="advisory",
      source="条例 第二十六条; seeds",
      params=(Param("workdays", 20, "成文后应在此数量的工作日内公开"),))
def late_publication(ctx):
    """发布日期晚于成文日期后第20个工作日（按国务院节假日安排含调休；成文当日不计）。"""
    snap = ctx.snapshot
    limit = ctx.params["workdays"]
    for doc in snap.documents:
        if doc.status != "ok":
            continue
        written, published = _date(doc.fields.get("written")), _date(doc.fields.get("published"))
        if not (written and published) or not late_by(ctx, written, published, limit):
            continue
        column = snap.column(doc.column_id)
        yield ctx.finding(f"成文于{written}，发布于{published}，超过{limit}个工作日",
                          column=column.name if column else "", url=doc.url,
                          title=doc.title or doc.fields.get("title", ""))
