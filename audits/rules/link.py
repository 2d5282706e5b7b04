"""Link rules: links on fetched pages that no longer open (the link-check spider records status).

What a recorded status means is `snapshot.outcomes.link_verdict` (the one outcome taxonomy): the
link check records a 5xx, a DNS failure or a refused connection only once a later retry, spaced
in time, saw it again; everything that is no evidence either way is "unverified".
"""
from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

from audits.registry import rule
from snapshot.outcomes import link_verdict


_INDEX = re.compile(r"/(?:index|default)\.(?:s?html?|jsp|php|aspx?)$", re.I)


def page_key(url: str) -> tuple[str, str, str]:
    """One key for one page: "/tzgg/" and "/tzgg/index.html" (a pager's 首页 link) are the same."""
    parts = urlsplit(url)
    return parts.netloc.lower(), _INDEX.sub("/", parts.path) or "/", parts.query


def _folder(key: tuple[str, str, str]) -> tuple[str, str]:
    return key[0], key[1][: key[1].rfind("/") + 1]


def list_pages(columns):
    """from_url -> the column whose list page it is (its own page, or a later page in the
    column's folder: index_2.html, ?page=3), or None."""
    by_page = {page_key(c.url): c for c in columns}
    by_folder: dict[tuple[str, str], list] = {}
    for c in columns:
        by_folder.setdefault(_folder(page_key(c.url)), []).append(c)

    def column_of(url: str):
        key = page_key(url)
        if key in by_page:
            return by_page[key]
        near = by_folder.get(_folder(key), [])
        return near[0] if len(near) == 1 else None
    return column_of


def broken_reason(status: str) -> str | None:
    """Why a link with this recorded status is broken, or None when it is not (or unverified)."""
    verdict, reason = link_verdict(status)
    return reason if verdict == "broken" else None


@rule("link.broken", title="链接不可用", severity="deduct", source="19号 链接可用性", points=0.5)
def broken(ctx):
    """页面上的链接（栏目列表页和文档页上的站内、站外链接及附件）由链接检查本身得到404/410，或间隔一段时间复查后仍为5xx、域名解析失败、拒绝连接；401/403/429、超时、反爬虫防护、robots.txt禁止及不允许访问的地址记为“未能验证”，不算不可用；抓取时失败一次不作为依据。"""
    snap = ctx.snapshot
    docs = {d.url: d for d in snap.documents}
    names = {c.id: c.name for c in snap.columns}
    column_of = list_pages(snap.columns)
    seen: set[tuple] = set()
    unchecked: set[str] = set()
    unverified: dict[str, str] = {}            # target -> why
    for ln in snap.links:
        verdict, reason = link_verdict(ln.status)
        if ln.carried and verdict != "ok":
            # Only ok statuses are carried from an earlier night: a failure counts only as seen
            # by tonight's check.
            verdict = "unchecked"
        if verdict == "unchecked":
            unchecked.add(ln.to_url)
            continue
        if verdict == "unverified":
            unverified[ln.to_url] = reason
            continue
        if verdict != "broken":
            continue
        doc = docs.get(ln.from_url)
        listing = None if doc else column_of(ln.from_url)
        # A column's list pages are one list: a link on several of them (its template, a pager)
        # is one finding on the column's page.
        url = listing.url if listing else ln.from_url
        key = (page_key(url), ln.to_url)
        if key in seen:
            continue
        seen.add(key)
        column = names.get(doc.column_id, "") if doc else (listing.name if listing else "")
        text = ln.text.strip() or ln.to_url
        yield ctx.finding(f"链接“{text}”无法打开（{reason}）", column=column, url=url,
                          target=ln.to_url, title=(doc.title if doc else column))
    if unchecked:
        ctx.note(f"有{len(unchecked)}个链接目标未检查（链接检查未运行或被中断）")
    if unverified:
        why = Counter(unverified.values())
        parts = "，".join(f"{reason}{n}个" for reason, n in why.most_common())
        ctx.note(f"有{len(unverified)}个链接目标未能验证，未计为不可用：{parts}")
