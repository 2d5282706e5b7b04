"""The documents a column's bound fetches are the same whatever order its list pages answer in
(crawler/sampling.py): two crawls of an unchanged site must not see findings come and go."""
from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date

from crawler.sampling import Bound, DocumentSampler, choose

AS_OF = date(2026, 11, 20)
RECENT, OLD = date(2026, 6, 1), date(2020, 3, 1)


@dataclass(frozen=True)
class E:
    url: str
    date: date | None = None
    title: str = ""


def _column():
    """Five list pages of a column, newest first; page 1's pager names pages 2–4 and page 2's
    names 3–5 (a pager window). A pinned entry repeats on every page; one recent entry sits
    late in the list (lists are not always sorted)."""
    pinned = E("pinned")
    pages = {
        "p1": [pinned, E("a1", RECENT), E("a2", OLD), E("a3")],
        "p2": [pinned, E("b1", OLD), E("b2", OLD), E("b3", OLD)],
        "p3": [pinned, E("c1", OLD), E("c2"), E("c3", OLD)],
        "p4": [pinned, E("d1", OLD), E("d2", RECENT), E("d3", OLD)],
        "p5": [pinned, E("e1", OLD), E("e2", OLD)],
    }
    links = {"p1": ["p2", "p3", "p4"], "p2": ["p3", "p4", "p5"], "p3": ["p4", "p5"],
             "p4": ["p5"], "p5": []}
    return pages, links


def _crawl(order_seed: int, bound: Bound, fail: frozenset = frozenset(), drop: frozenset = frozenset()):
    """Simulate the spider: the column page first, then every page it learns of requested at once
    and answered in a shuffled order (failed pages fail, dropped ones never answer)."""
    pages, links = _column()
    rng = random.Random(order_seed)
    s = DocumentSampler(AS_OF, bound)
    s.expect("c")
    fetched: list[str] = list(s.page("c", "工作动态", "news", "p1", pages["p1"], links["p1"]))
    requested, in_flight = {"p1"}, []

    def ask(keys):
        for k in keys:
            if k not in requested:
                requested.add(k)
                in_flight.append(k)
                if k not in drop:
                    s.expect("c")
    ask(links["p1"])
    while in_flight:
        k = in_flight.pop(rng.randrange(len(in_flight)))
        if k in drop:
            continue
        if k in fail:
            fetched += s.failed("c")
            continue
        ask(links[k])
        fetched += s.page("c", "工作动态", "news", k, pages[k], links[k])
    for due in s.flush().values():       # the spider going idle
        fetched += due
    return [e.url for e in fetched]


def test_the_same_documents_whatever_order_the_list_pages_answer_in():
    bound = Bound(months=12, minimum=6)
    runs = {seed: _crawl(seed, bound) for seed in range(60)}
    chosen = {frozenset(urls) for urls in runs.values()}
    assert len(chosen) == 1
    # … and it is what the bound means: the window, plus the first six listed (pinned once).
    assert chosen.pop() == {"pinned", "a1", "a2", "a3", "b1", "b2", "d2"}
    assert all(len(urls) == len(set(urls)) for urls in runs.values())    # each asked once


def test_the_choice_is_that_of_the_list_read_in_order():
    pages, _ = _column()
    listing = [e for k in ("p1", "p2", "p3", "p4", "p5") for e in pages[k]]
    for minimum in range(0, 14):
        bound = Bound(months=12, minimum=minimum)
        sequential = DocumentSampler(AS_OF, bound)
        in_order = [e.url for k in pages for e in sequential.take("c", "工作动态", "news", pages[k])]
        assert {e.url for e in choose(listing, bound, AS_OF)} == set(in_order)
        assert {frozenset(_crawl(seed, bound)) for seed in range(12)} == {frozenset(in_order)}


def test_a_failed_or_dropped_page_changes_nothing_about_the_order():
    bound = Bound(months=12, minimum=6)
    failed = {frozenset(_crawl(seed, bound, fail=frozenset({"p2"}))) for seed in range(30)}
    assert len(failed) == 1
    # Page 2 unread: the first six listed that were seen are page 1's and page 3's.
    assert failed.pop() == {"pinned", "a1", "a2", "a3", "c1", "c2", "d2"}
    dropped = {frozenset(_crawl(seed, bound, drop=frozenset({"p3"}))) for seed in range(30)}
    assert dropped == {frozenset({"pinned", "a1", "a2", "a3", "b1", "b2", "d2"})}


def test_what_no_later_page_can_change_is_fetched_at_once():
    pages, links = _column()
    s = DocumentSampler(AS_OF, Bound(months=12, minimum=3))
    s.expect("c")
    # Page 1's first three listed are the column's first three, whatever comes later.
    assert [e.url for e in s.page("c", "工作动态", "news", "p1", pages["p1"], links["p1"])] == \
        ["pinned", "a1", "a2"]
    for _ in links["p1"]:
        s.expect("c")
    # A recent entry on a later page is due at once; its old neighbours wait for the list.
    assert [e.url for e in s.page("c", "工作动态", "news", "p4", pages["p4"], links["p4"])] == ["d2"]
    assert s.page("c", "工作动态", "news", "p3", pages["p3"], links["p3"]) == []


def test_the_minimum_waits_for_earlier_pages_not_for_arrival():
    """Pages 3 and 4 answer before page 2: the minimum is filled from page 2 all the same."""
    pages, links = _column()
    s = DocumentSampler(AS_OF, Bound(months=0, minimum=5))
    s.expect("c")
    got = [e.url for e in s.page("c", "工作动态", "news", "p1", pages["p1"], links["p1"])]
    for _ in links["p1"]:
        s.expect("c")
    for k in ("p4", "p3", "p2"):
        got += [e.url for e in s.page("c", "工作动态", "news", k, pages[k], links[k])]
    assert got == ["pinned", "a1", "a2", "a3", "b1"]


def test_unbounded_columns_fetch_every_page_at_once():
    pages, links = _column()
    s = DocumentSampler(AS_OF, Bound(months=0, minimum=0))
    s.expect("j")
    s.expect("j")
    got = s.page("j", "政策解读", "interpretation", "p5", pages["p5"], [])
    assert [e.url for e in got] == ["pinned", "e1", "e2"]


def test_keys_and_orders_are_exhaustive_for_a_small_list():
    """Every order of pages 2–4 (page 1 always answers first)."""
    pages, links = _column()
    links = {"p1": ["p2", "p3", "p4"], "p2": [], "p3": [], "p4": []}
    results = set()
    for order in itertools.permutations(["p2", "p3", "p4"]):
        s = DocumentSampler(AS_OF, Bound(months=12, minimum=5))
        s.expect("c")
        got = {e.url for e in s.page("c", "n", "news", "p1", pages["p1"], links["p1"])}
        for _ in order:
            s.expect("c")
        for k in order:
            got |= {e.url for e in s.page("c", "n", "news", k, pages[k], links[k])}
        results.add(frozenset(got))
    assert results == {frozenset({"pinned", "a1", "a2", "a3", "b1", "d2"})}


def test_a_slow_second_list_page_does_not_change_the_documents_fetched(tmp_path):
    """Served: page 2 of a column answers after page 3. The first six listed are fetched all the
    same — four from page 1, two from page 2 — and none of page 3's; so a dead link in a document
    of page 2 is found every night (seed 302's link.broken came and went with the answer order)."""
    import re
    from dataclasses import replace

    from snapshot.store import Store
    from tests.e2e.helpers import audit
    from tests.sites.generator import ColumnSpec, SiteSpec, build_site
    from tests.sites.server import serve

    spec = replace(SiteSpec(seed=1), page_size=4, columns=[ColumnSpec.of("工作动态", 12)])
    root = tmp_path / "site"
    build_site(root, spec)
    folder = root / "zfxxgk" / "gzdt"
    listed = [href for name in ("index.html", "index_1.html", "index_2.html")
              for href in re.findall(r'<ul class="list">(.*?)</ul>', (folder / name).read_text("utf-8"),
                                     re.S)[0].split('href="./')[1:]]
    listed = [h.split('"')[0] for h in listed]
    assert len(listed) == 12
    sixth = folder / listed[5]
    sixth.write_text(sixth.read_text("utf-8").replace(
        "</body>", '<p><a href="/zt/removed.html">已撤下的专题</a></p></body>'), "utf-8")
    config = tmp_path / "zwgk.yaml"
    config.write_text("columns:\n  工作动态: {docs_months: 0, docs_min: 6}\n", "utf-8")
    out = tmp_path / "out"
    with serve(root, {"/zfxxgk/gzdt/index_1.html": {"delay": 1.5}}) as base:
        proc, findings = audit(base, out, "--render", "never", "--config", str(config))
    assert proc.returncode == 0, proc.stderr[-2000:]
    store = Store(str(out / "zwgk.db"))
    snap = store.load(store.latest_run(base))
    fetched = {d.url.rsplit("/gzdt/", 1)[1] for d in snap.documents if "/gzdt/" in d.url}
    assert fetched == set(listed[:6])
    assert {(f["url"].rsplit("/", 1)[1], f["target"].rsplit("/", 1)[1]) for f in findings
            if f["rule_id"] == "link.broken"} == {(listed[5].rsplit("/", 1)[1], "removed.html")}
