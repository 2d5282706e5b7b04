"""Carried link statuses (ZWGK_LINK_CADENCE_DAYS = N > 1): which of last night's statuses the link
check carries instead of asking again, how they are stored (carried, with the day of the check
they carry), what the scorecard says, and that no finding rests on one."""
from __future__ import annotations

import zlib
from datetime import date, datetime, timedelta

from crawler.spiders.linkcheck import LinkCheckSpider
from reports.rows import link_check
from snapshot import model
from snapshot.store import Store
from snapshot.types import CST
from tests.rules.builders import BASE, FULL, fired, site

SITE = "http://www.example.gov.cn/"
OK_FRESH, DEAD, UNDATED, OLD, SERVER = (SITE + p for p in ("ok.html", "dead.html", "undated.html",
                                                           "old.html", "5xx.html"))
TODAY = datetime.now(CST).date()


def spider_for(store: Store, run_id: int, cadence: int, as_of: str) -> LinkCheckSpider:
    spider = LinkCheckSpider()
    spider.store, spider.run_id, spider.cadence, spider.as_of = store, run_id, cadence, as_of
    return spider


def night_off(targets, cadence: int) -> str:
    """An as-of day that is none of these targets' own night (when each is asked again anyway)."""
    day = date(2026, 11, 1)
    while any(zlib.crc32(t.encode()) % cadence == day.toordinal() % cadence for t in targets):
        day += timedelta(days=1)
    return day.isoformat()


def two_runs(tmp_path):
    store = Store(tmp_path / "z.db")
    now = datetime.now(CST).replace(tzinfo=None)
    prev = store.create_run(SITE, started=now - timedelta(days=1))
    store.add_links(prev, [{"from_url": SITE, "to_url": u} for u in (OK_FRESH, DEAD, UNDATED, OLD, SERVER)])
    yesterday = TODAY - timedelta(days=1)
    store.set_link_statuses(prev, {OK_FRESH: "200", DEAD: "404", SERVER: "503"}, checked=yesterday)
    store.set_link_statuses(prev, {OLD: "200"}, carried={OLD: TODAY - timedelta(days=7)})
    store.set_link_statuses(prev, {UNDATED: "200"})          # a row from before checks were dated
    store.update_run(prev, state="audited")
    return store, store.create_run(SITE, started=now), yesterday


def test_only_recent_ok_statuses_of_known_date_are_carried(tmp_path):
    store, run, yesterday = two_runs(tmp_path)
    as_of = night_off([OK_FRESH, UNDATED, OLD], 7)
    assert spider_for(store, run, 7, as_of)._carried() == {OK_FRESH: ("200", yesterday)}
    # Every night (the default): nothing is carried.
    assert spider_for(store, run, 1, as_of)._carried() == {}


def test_a_target_is_asked_again_on_its_own_night(tmp_path):
    store, run, _ = two_runs(tmp_path)
    day = date(2026, 11, 1)
    while zlib.crc32(OK_FRESH.encode()) % 7 != day.toordinal() % 7:
        day += timedelta(days=1)
    assert OK_FRESH not in spider_for(store, run, 7, day.isoformat())._carried()


def test_carried_statuses_are_stored_as_carried_with_the_day_they_were_checked(tmp_path):
    store, run, yesterday = two_runs(tmp_path)
    store.add_links(run, [{"from_url": SITE, "to_url": u} for u in (OK_FRESH, OK_FRESH + "#top", DEAD)])
    spider = spider_for(store, run, 7, night_off([OK_FRESH], 7))
    spider.groups = {OK_FRESH: [OK_FRESH, OK_FRESH + "#top"], DEAD: [DEAD]}
    spider._record(OK_FRESH, "200", yesterday)      # carried
    spider._record(DEAD, "404")                     # asked tonight
    spider.flush()
    links = {ln.to_url: ln for ln in store.load(run).links}
    assert (links[OK_FRESH].carried, links[OK_FRESH].checked) == (True, yesterday)
    assert (links[OK_FRESH + "#top"].carried, links[OK_FRESH + "#top"].checked) == (True, yesterday)
    assert (links[DEAD].status, links[DEAD].carried, links[DEAD].checked) == ("404", False, TODAY)


def test_the_scorecard_line_says_which_statuses_were_carried():
    snap = model.Snapshot(run=model.RunInfo(id=1, site_url=SITE, link_cadence=7))
    snap.links = [
        model.Link(SITE, OK_FRESH, status="200", checked=date(2026, 11, 27), carried=True),
        model.Link(SITE + "a.html", OK_FRESH + "#x", status="200", checked=date(2026, 11, 27), carried=True),
        model.Link(SITE, OLD, status="ok", checked=date(2026, 11, 24), carried=True),
        model.Link(SITE, DEAD, status="404", checked=date(2026, 11, 30)),
    ]
    info = link_check(snap)
    assert info["sentence"] == ("本次检查 3 个链接地址；2 个沿用此前检查结果（正常，最早于 2026-11-24 检查，"
                                "每 7 天复查一次）")
    assert [c["url"] for c in info["carried_links"]] == [OLD, OK_FRESH]
    for ln in snap.links:
        ln.carried = False
    info = link_check(snap)
    assert info["carried"] == 0 and "未沿用" in info["sentence"] and "3 个链接地址" in info["sentence"]
    assert link_check(model.Snapshot(run=model.RunInfo(id=1, site_url=SITE)))["sentence"] == ""


def test_no_finding_rests_on_a_carried_status():
    """Only ok statuses are carried; a failure stored as carried (a bug, a hand-edited database)
    is not tonight's evidence: unchecked, never broken."""
    url, dead = BASE + "/tzgg/1.html", BASE + "/files/gone.pdf"
    b = site().column("通知公告").doc("通知公告", url, "通知", **FULL).link(url, dead, "附件", status="404")
    assert len(fired(b, "link.broken")) == 1
    b.snap.links[-1].carried = True
    assert fired(b, "link.broken") == []
