"""Policy interpretation (政策解读) rules: 解读 and policy must link to each other (双向关联)."""
from __future__ import annotations

import re
from datetime import date
from urllib.parse import unquote, urlsplit, urlunsplit

from audits.registry import Param, rule
from audits.rules._util import checked, frames_unread, late_by, links_from
from snapshot.model import Document, Snapshot

_SPACE = re.compile(r"\s+")
_QUOTES = re.compile(r"[《》〈〉“”\"'‘’「」『』]")
_BOOK = re.compile(r"《([^》]+)》")
_ABOUT = re.compile(r"^关于(.+?)的(?:政策)?解读$")
_PREFIXES = ("一图读懂", "图解", "政策解读", "解读")
_SUFFIXES = ("的政策解读", "政策解读", "的解读", "解读", "一图读懂", "图解")
_PUNCT = "：:—-－ ，,"
_MIN_KEY = 5     # shorter keys match too many titles by containment


_INDEX = re.compile(r"/index\.(?:s?html?|jsp|php|aspx?)$", re.I)


def norm_url(url: str) -> str:
    """Compare URLs as the same page whatever the spelling: without fragment, scheme (http/https),
    host case, a leading www., the default port, percent-encoding or a folder's index.html."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    if parts.port and parts.port not in (80, 443):
        host += f":{parts.port}"
    path = _INDEX.sub("/", unquote(parts.path or "/"))
    return urlunsplit(("", host, path, parts.query, ""))


def policy_key(title: str) -> str:
    """The policy's name as a 解读 title gives it: the text in 《》, else the title without
    decorations such as 政策解读 / 解读 / 一图读懂 / 图解 / 关于…的解读."""
    t = _SPACE.sub("", title or "")
    m = _BOOK.search(t)
    if m:
        return _QUOTES.sub("", m.group(1))
    t = _QUOTES.sub("", t)
    m = _ABOUT.match(t)
    if m:
        t = m.group(1)
    changed = True
    while changed:
        changed = False
        for p in _PREFIXES:
            if t.startswith(p):
                t, changed = t[len(p):].lstrip(_PUNCT), True
        for s in _SUFFIXES:
            if t.endswith(s):
                t, changed = t[:-len(s)].rstrip(_PUNCT), True
    return t


def _clean(title: str) -> str:
    return _QUOTES.sub("", _SPACE.sub("", title or ""))


def policy_candidates(snap: Snapshot) -> dict[str, str]:
    """url -> title of every document and list entry in notice_policy columns."""
    cols = {c.id for c in snap.columns if c.category == "notice_policy"}
    out: dict[str, str] = {}
    for e in snap.entries:
        if e.column_id in cols:
            out.setdefault(e.url, e.title)
    for d in snap.documents:
        if d.column_id in cols and (d.title or d.fields.get("title")):
            out[d.url] = d.title or d.fields["title"]
    return out


def match_by_title(key: str, candidates: dict[str, str]) -> tuple[str, str] | None:
    """(url, title) of the one policy whose title is `key` (or contains it, or is contained in it)."""
    if not key:
        return None
    exact = {u: t for u, t in candidates.items() if _clean(t) == key}
    if len(exact) == 1:
        return next(iter(exact.items()))
    if exact:
        return None     # ambiguous: better no match than a wrong one
    near = {u: t for u, t in candidates.items()
            if min(len(key), len(_clean(t))) >= _MIN_KEY and (key in _clean(t) or _clean(t) in key)}
    return next(iter(near.items())) if len(near) == 1 else None


def row_relations(snap: Snapshot) -> dict[str, set[str]]:
    """Entry URL -> the URLs its list row links besides itself (MIIT/NDRC nest a policy's 解读
    in its row): a relation the site shows, as a page link does."""
    out: dict[str, set[str]] = {}
    for e in snap.entries:
        for r in e.related:
            if r.get("url"):
                out.setdefault(norm_url(e.url), set()).add(norm_url(r["url"]))
    return out


def links_back(policy: Document | None, interpretation_url: str, rows: dict | None = None,
               unseen: bool = False) -> bool | None:
    """Whether the fetched policy links to the 解读 (on its page, in a frame we read, or in its
    list row); None when the policy page was not fetched, or its relations were not all seen
    (`unseen`: a frame we did not read, a relation block a script fills) and no link."""
    if policy is None or policy.status != "ok":
        return None
    target = norm_url(interpretation_url)
    if target in {norm_url(u) for u in policy.interpretations} \
            or target in (rows or {}).get(norm_url(policy.url), ()):
        return True
    return None if unseen else False


@rule("interpretation.unlinked", title="解读与政策未双向关联", severity="deduct",
      source="seeds (002, 001)", points=1)
def unlinked(ctx):
    """解读未链接所解读的政策文件，或政策文件未链接回解读（双向关联）；解读无链接时按标题查找政策文件。页面、页面所含框架或列表行中的链接均算关联；链接可能所在的框架未能读取，或页面的相关解读/相关文件区块为空而页面含可在加载后填充它的脚本时，为“未能确认”，不作判断。"""
    snap = ctx.snapshot
    columns = {c.id: c for c in snap.columns if c.category == "interpretation"}
    docs = {norm_url(d.url): d for d in snap.documents}
    # 解读 URL -> fetched documents that link to it (the policy's side of the pair)
    linked_from: dict[str, list[Document]] = {}
    for d in snap.documents:
        if d.status == "ok":
            for u in {norm_url(u) for u in d.interpretations}:
                linked_from.setdefault(u, []).append(d)
    candidates = None
    unverified = unseen_side = as_file = 0
    rows = row_relations(snap)
    page_links = links_from(snap)

    def unseen(doc: Document | None) -> bool:
        """Its relations were not all seen: a frame not read, or a block a script fills."""
        return doc is not None and (doc.relations_unseen
                                    or bool(frames_unread(snap, page_links.get(doc.url, []))))

    for j in snap.documents:
        column = columns.get(j.column_id)
        if column is None or j.status != "ok":
            continue
        title = j.title or j.fields.get("title", "")
        base = dict(column=column.name, url=j.url, title=title)
        # The 解读's links to its policy: on its page, or in its list row.
        policies = list(j.policies) + [u for u in rows.get(norm_url(j.url), ())
                                       if norm_url(u) in docs and docs[norm_url(u)].column_id != j.column_id]
        if policies:
            for p in dict.fromkeys(policies):
                policy = docs.get(norm_url(p))
                back = links_back(policy, j.url, rows, unseen(policy))
                if back is None:
                    unverified += 1
                elif not back:
                    yield ctx.finding("政策文件页面未链接本解读（未双向关联）", target=p, **base)
            continue
        if j.attachments == [j.url]:
            # A 解读 published as a file (PDF, DOC, an image): there is no page to carry a link.
            as_file += 1
            continue
        if unseen(j):
            # Its link to the policy may be in a frame not read, or in a 相关文件 block a script
            # fills after load: not seen is not absent. A frame that was read is judged on what
            # it shows (its policy links are merged into the page's).
            unseen_side += 1
            continue
        # No link from the 解读: find its policy by the policy's link to it, then by title.
        linked = linked_from.get(norm_url(j.url), [])
        if linked:
            for p in linked:
                yield ctx.finding("解读页面未链接所解读的政策文件（政策文件已链接本解读）",
                                  target=p.url, **base)
            continue
        if candidates is None:
            candidates = policy_candidates(snap)
        found = match_by_title(policy_key(title), candidates)
        if found is None:
            yield ctx.finding("解读页面未链接所解读的政策文件，且按标题未找到对应的政策文件", **base)
            continue
        url, policy_title = found
        detail = f"解读页面未链接所解读的政策文件（按标题匹配到《{_clean(policy_title)}》）"
        policy = docs.get(norm_url(url))
        if links_back(policy, j.url, rows, unseen(policy)) is False:
            detail += "，政策文件也未链接本解读"
        yield ctx.finding(detail, target=url, **base)
    if unverified:
        ctx.note(f"有{unverified}处解读所链接的政策文件未抓取，或其页面中的框架未能读取，未检查其是否链接回解读")
    if as_file:
        ctx.note(f"有{as_file}篇解读以文件形式发布（非网页），未检查其是否链接政策文件")
    if unseen_side:
        ctx.note(f"有{unseen_side}篇解读页面的相关文件未能读取（框架未能读取，或由脚本加载），"
                 "未能确认其是否链接政策文件")


def _published(doc: Document | None, listed: dict[str, date]) -> date | None:
    """The page's 发布日期, else the list date."""
    if doc is not None and doc.fields.get("published"):
        try:
            return date.fromisoformat(doc.fields["published"][:10])
        except ValueError:
            pass
    return listed.get(norm_url(doc.url)) if doc is not None else None


def pairs(snap: Snapshot):
    """(解读 document, its column, policy URL) for every 解读 whose policy is known: by its own
    link, by the policy's link to it, else by title."""
    columns = {c.id: c for c in snap.columns if c.category == "interpretation"}
    linked_from: dict[str, list[str]] = {}
    for d in snap.documents:
        if d.status == "ok":
            for u in {norm_url(u) for u in d.interpretations}:
                linked_from.setdefault(u, []).append(d.url)
    candidates = None
    for j in snap.documents:
        column = columns.get(j.column_id)
        if column is None or j.status != "ok":
            continue
        urls = list(j.policies) or linked_from.get(norm_url(j.url), [])
        if not urls:
            if candidates is None:
                candidates = policy_candidates(snap)
            found = match_by_title(policy_key(j.title or j.fields.get("title", "")), candidates)
            urls = [found[0]] if found else []
        for u in urls:
            yield j, column, u


@rule("interpretation.late", title="解读发布不及时", severity="advisory",
      source="seeds (001: 3个工作日)",
      params=(Param("workdays", 3, "政策文件发布后应在此数量的工作日内发布解读"),))
def late(ctx):
    """解读的发布日期晚于所解读政策文件发布日期后第3个工作日（政策发布当日不计）。"""
    snap = ctx.snapshot
    limit = ctx.params["workdays"]
    docs = {norm_url(d.url): d for d in snap.documents}
    listed = {norm_url(e.url): e.date for e in snap.entries if e.date}
    for j, column, policy_url in pairs(snap):
        policy = docs.get(norm_url(policy_url))
        mine = _published(j, listed)
        theirs = _published(policy, listed) if policy else listed.get(norm_url(policy_url))
        if not (mine and theirs) or not late_by(ctx, theirs, mine, limit):
            continue
        yield ctx.finding(f"政策文件发布于{theirs}，解读发布于{mine}，超过{limit}个工作日",
                          column=column.name, url=j.url, target=policy_url,
                          title=j.title or j.fields.get("title", ""))


_JIEDU = re.compile(r"解读|一图读懂|图解|答记者问")
_RULE_NO = re.compile(r"^[^〔［\[(（【﹝〖\d]*规")


def is_normative(snap: Snapshot, doc: Document) -> bool:
    """A 规范性文件: its 文号 has 规 (沪府规〔2026〕1号), or it sits in a 规范性文件 column."""
    from audits.rules._util import name_chain
    if _RULE_NO.search(re.sub(r"\s+", "", doc.fields.get("doc_no") or "")):
        return True
    column = snap.column(doc.column_id)
    return column is not None and any("规范性文件" in n for n in name_chain(snap, column))


@rule("interpretation.missing", title="规范性文件无解读", severity="advisory",
      source="seeds (002, 000)")
def missing(ctx):
    """规范性文件（文号含“规”，或位于规范性文件栏目）没有任何解读与之关联（双向链接、列表行中的解读链接或标题匹配均无）。未找到政策解读栏目，或解读栏目未能检查、部分列表页未能读取时不作判断；文件页面的相关解读区块由脚本加载（未能确认）时，该文件不作判断。"""
    snap = ctx.snapshot
    interp_cols = [c for c in snap.columns if c.category == "interpretation"]
    if not interp_cols:
        # Where this site publishes its 解读 was not seen: "none" would rest on nothing read.
        ctx.note("未找到政策解读栏目，未判断规范性文件是否有解读")
        return
    if any(not checked(c) for c in interp_cols):
        ctx.note("部分政策解读栏目未能检查，未判断规范性文件是否有解读")
        return
    if any(c.partial for c in interp_cols) or snap.run.cut_short:
        ctx.note("政策解读栏目部分列表页未能读取（或抓取达到页数上限），未判断规范性文件是否有解读")
        return
    covered = {norm_url(u) for _, _, u in pairs(snap)}
    ids = {c.id for c in interp_cols}
    interp_urls = {norm_url(e.url) for e in snap.entries if e.column_id in ids}
    # A policy's list row that nests its 解读 (MIIT, NDRC) shows the relation.
    for e in snap.entries:
        if any(norm_url(r.get("url", "")) in interp_urls or _JIEDU.search(r.get("title", ""))
               for r in e.related):
            covered.add(norm_url(e.url))
    # 解读 list entries not fetched as documents still count, by title or by their nested links.
    keys = []
    for e in snap.entries:
        if e.column_id in ids:
            covered |= {norm_url(r.get("url", "")) for r in e.related}
            keys.append(policy_key(e.title))
    unseen = 0
    for d in snap.documents:
        column = snap.column(d.column_id)
        if d.status != "ok" or column is None or column.category != "notice_policy" \
                or not is_normative(snap, d):
            continue
        if d.interpretations or norm_url(d.url) in covered:
            continue
        title = d.title or d.fields.get("title", "")
        if any(k and match_by_title(k, {d.url: title}) for k in keys):
            continue
        if d.relations_unseen:
            unseen += 1
            continue
        yield ctx.finding("规范性文件未见政策解读", column=column.name, url=d.url, title=title)
    if unseen:
        ctx.note(f"有{unseen}篇规范性文件页面的相关解读由脚本加载，未能确认其是否有解读")
