"""History across nightly runs (audits/history.py) and triage decisions (audits/triage.py): pure."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from audits.history import (
    Coverage, PastRun, compare, consecutive, coverage, fingerprint, locus, site_consecutive,
)
from audits.triage import Decision, TriageError, annotate, in_force, parse_opinion
from snapshot.model import Column, Document, Fetch, Link, RunInfo, Snapshot

SITE = "http://www.example.gov.cn/"
D1, D2, D3, D4 = date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)


def snapshot(*, reachable=True, columns=(("通知公告", "ok"),), docs=(), links=()) -> Snapshot:
    snap = Snapshot(run=RunInfo(id=1, site_url=SITE, homepage_outcome="ok" if reachable else "refused"))
    root = Column(id=1, name="法定主动公开内容", url=SITE + "fdzdgknr/", category="other")
    snap.columns.append(root)
    for i, (name, status) in enumerate(columns, 2):
        snap.columns.append(Column(id=i, name=name, url=f"{SITE}c{i}/", category="notice_policy",
                                   parent_id=1, status=status))
    for url in docs:
        snap.documents.append(Document(url=url, column_id=2))
        snap.fetches.append(Fetch(url=url, role="document", outcome="ok", status=200))
    for frm, to, status in links:
        snap.links.append(Link(from_url=frm, to_url=to, status=status))
    return snap


def row(rule_id, *, column="", url="", target="", snap=None, detail="说明"):
    r = {"rule_id": rule_id, "severity": "deduct", "column": column, "url": url, "target": target,
         "title": "", "detail": detail}
    r["locus"] = locus(r, snap or snapshot())
    r["fingerprint"] = fingerprint(SITE, rule_id, r["locus"], target)
    return r


RULES = frozenset({"column.stale", "privacy.phone", "link.broken", "site.unreachable"})
DOC = SITE + "c2/202611/t1.html"


def cov(snap=None, rules=RULES) -> Coverage:
    return coverage(snap or snapshot(docs=[DOC]), rules)


def past(*runs) -> list[PastRun]:
    """runs: (as_of, [(row, status, first_seen)])"""
    out = []
    for i, (as_of, rows) in enumerate(runs, 1):
        out.append(PastRun(i, as_of, findings=[{**r, "status": st, "first_seen": fs} for r, st, fs in rows]))
    return out


def by_status(rows):
    return {r["fingerprint"]: r["status"] for r in rows}


def test_fingerprint_ignores_wording_and_scheme_but_not_what_it_is_about():
    a = row("column.stale", column="通知公告", url=SITE + "c2/", detail="已超过6个月未更新")
    b = row("column.stale", column="通知公告", url=SITE + "c2/", detail="已超过7个月未更新")
    assert a["fingerprint"] == b["fingerprint"]
    assert a["locus"] == "col:法定主动公开内容/通知公告"
    assert fingerprint("https://WWW.example.gov.cn", "link.broken", "page:x", "http://a.cn/f.pdf#p2") == \
        fingerprint(SITE, "link.broken", "page:x", "https://a.cn/f.pdf")
    other_target = fingerprint(SITE, "link.broken", "page:x", "http://a.cn/g.pdf")
    assert other_target != fingerprint(SITE, "link.broken", "page:x", "http://a.cn/f.pdf")
    assert fingerprint(SITE, "column.stale", a["locus"]) != fingerprint(SITE, "column.empty", a["locus"])


def test_a_document_finding_is_about_the_document_a_link_about_its_page():
    snap = snapshot(docs=[DOC])
    assert row("privacy.phone", column="通知公告", url=DOC, snap=snap)["locus"] == \
        "doc:www.example.gov.cn/c2/202611/t1.html"
    assert row("link.broken", column="通知公告", url=DOC, target="http://x.cn/a", snap=snap)["locus"] == \
        "page:www.example.gov.cn/c2/202611/t1.html"


def test_first_night_everything_is_new():
    stale = row("column.stale", column="通知公告", url=SITE + "c2/")
    out = compare([stale], [], cov(), D1)
    assert out == [{**stale, "status": "new", "first_seen": D1, "consecutive": 1}]


def test_persisting_fixed_and_new_against_the_previous_run():
    stale = row("column.stale", column="通知公告", url=SITE + "c2/")
    phone = row("privacy.phone", column="通知公告", url=DOC)
    fresh = row("link.broken", url=DOC, target="http://x.cn/gone")
    history = past((D1, [(stale, "new", D1), (phone, "new", D1)]))
    out = compare([stale, fresh], history, cov(), D2)
    assert by_status(out) == {stale["fingerprint"]: "persisting", fresh["fingerprint"]: "new",
                              phone["fingerprint"]: "fixed"}
    got = {r["fingerprint"]: r for r in out}
    assert got[stale["fingerprint"]]["first_seen"] == D1
    assert got[stale["fingerprint"]]["consecutive"] == 2
    assert got[fresh["fingerprint"]]["first_seen"] == D2


def test_not_checked_this_time_is_unverified_not_fixed():
    stale = row("column.stale", column="通知公告", url=SITE + "c2/")
    phone = row("privacy.phone", column="通知公告", url=DOC)
    history = past((D1, [(stale, "new", D1), (phone, "new", D1)]))
    # 通知公告 failed tonight and its document was not fetched: neither can be called fixed.
    snap = snapshot(columns=(("通知公告", "failed"),))
    out = compare([], history, coverage(snap, RULES), D2)
    assert by_status(out) == {stale["fingerprint"]: "unverified", phone["fingerprint"]: "unverified"}
    # The site could not be reached at all: the rules did not run either.
    down = snapshot(reachable=False)
    out = compare([], history, coverage(down, {"site.unreachable"}), D2)
    assert set(by_status(out).values()) == {"unverified"}
    # A column that is 未能确认 (no entries, no evidence) is not checked either.
    out = compare([], past((D1, [(stale, "new", D1)])),
                  coverage(snapshot(columns=(("通知公告", "unverified"),)), RULES), D2)
    assert by_status(out) == {stale["fingerprint"]: "unverified"}


def test_an_unverified_night_carries_the_finding_to_the_next_check():
    stale = row("column.stale", column="通知公告", url=SITE + "c2/")
    carried = compare([], past((D1, [(stale, "new", D1)])),
                      coverage(snapshot(columns=(("通知公告", "failed"),)), RULES), D2)
    history = past((D1, [(stale, "new", D1)]), (D2, [(r, r["status"], r["first_seen"]) for r in carried]))
    # Night 3 checks it again: gone now is fixed; still there is persisting since night 1.
    assert by_status(compare([], history, cov(), D3)) == {stale["fingerprint"]: "fixed"}
    out = compare([stale], history, cov(), D3)[0]
    assert (out["status"], out["first_seen"], out["consecutive"]) == ("persisting", D1, 2)


def test_gone_one_night_and_back_keeps_first_seen_and_restarts_the_count():
    stale = row("column.stale", column="通知公告", url=SITE + "c2/")
    history = past((D1, [(stale, "new", D1)]), (D2, [(stale, "persisting", D1)]),
                   (D3, [(stale, "fixed", D1)]))
    out = compare([stale], history, cov(), D4)[0]
    assert out["status"] == "persisting"
    assert out["first_seen"] == D1
    assert out["consecutive"] == 1


def test_a_link_that_could_not_be_verified_tonight_is_not_fixed():
    page = SITE + "c2/202611/t1.html"
    gone = row("link.broken", url=page, target="http://x.cn/a.pdf")
    history = past((D1, [(gone, "new", D1)]))
    timed_out = snapshot(docs=[page], links=[(page, "http://x.cn/a.pdf", "timeout")])
    assert by_status(compare([], history, coverage(timed_out, RULES), D2)) == {gone["fingerprint"]: "unverified"}
    answers = snapshot(docs=[page], links=[(page, "http://x.cn/a.pdf", "200")])
    assert by_status(compare([], history, coverage(answers, RULES), D2)) == {gone["fingerprint"]: "fixed"}
    taken_off = snapshot(docs=[page])
    assert by_status(compare([], history, coverage(taken_off, RULES), D2)) == {gone["fingerprint"]: "fixed"}


def test_consecutive_counts_open_runs_and_skips_unverified_ones():
    r = row("column.stale", column="通知公告", url=SITE + "c2/")
    history = past((D1, [(r, "new", D1)]), (D2, [(r, "unverified", D1)]), (D3, [(r, "persisting", D1)]))
    assert consecutive(r["fingerprint"], history) == 2
    assert consecutive(r["fingerprint"], past((D1, [(r, "new", D1)]), (D2, []))) == 0


def test_site_consecutive_failures():
    assert site_consecutive(["合格", "不合格", "不合格"], "不合格") == 3
    assert site_consecutive(["不合格", "未能检查"], "不合格") == 2
    assert site_consecutive(["不合格", "合格"], "不合格") == 1
    assert site_consecutive(["不合格"], "合格") == 0


# ---- triage ----
def test_opinions_read_back_from_the_sheet():
    assert parse_opinion("") is None
    assert parse_opinion("人工排除：该栏目为链接型栏目") == Decision("excluded", "该栏目为链接型栏目")
    assert parse_opinion("人工排除: 外链") == Decision("excluded", "外链")
    assert parse_opinion("已说明") == Decision("explained", "")
    got = parse_opinion("报备 2026-07-01至2026-09-30 网站改版")
    assert (got.decision, got.valid_from, got.valid_to, got.reason) == \
        ("exempt", date(2026, 7, 1), date(2026, 9, 30), "网站改版")
    assert parse_opinion("报备2026年7月1日～2026年9月30日").valid_to == date(2026, 9, 30)
    for d in (Decision("excluded", "误报"), Decision("explained", ""),
              Decision("exempt", "", date(2026, 7, 1), date(2026, 9, 30))):
        assert parse_opinion(d.label()) == d


@pytest.mark.parametrize("text", ["人工排除", "人工排除：", "报备 2026-07-01", "同意",
                                  "报备 2026-09-30至2026-07-01", "报备 2026-02-30至2026-03-01"])
def test_unreadable_opinions_are_refused(text):
    with pytest.raises(TriageError):
        parse_opinion(text)


def test_decisions_in_force():
    at = datetime(2026, 11, 1, 9, 0)
    rows = [{"fingerprint": "a", "decision": "excluded", "reason": "误报", "by": "王", "at": at},
            {"fingerprint": "b", "decision": "exempt", "reason": "", "by": "李", "at": at,
             "valid_from": date(2026, 11, 1), "valid_to": date(2026, 11, 30)},
            {"fingerprint": "c", "decision": "explained", "reason": "", "by": "李", "at": at,
             "cleared": datetime(2026, 11, 2)}]
    assert set(in_force(rows, date(2026, 11, 15))) == {"a", "b"}
    assert set(in_force(rows, date(2026, 12, 1))) == {"a"}          # the 报备 window has ended
    out = annotate([{"fingerprint": "a"}, {"fingerprint": "z"}], in_force(rows, date(2026, 11, 15)))
    assert out[0]["triage"] == "excluded" and out[0]["triage_reason"] == "误报"
    assert out[0]["triage_by"] == "王" and out[0]["triage_at"] == "2026-11-01 09:00"
    assert out[1]["triage"] == ""
