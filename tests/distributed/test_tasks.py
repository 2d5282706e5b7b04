"""The site task's delivery rules, run eagerly in this process (no broker): a crawl process that
fails is tried again, then the site is failed — never left hanging; a site already stored is not
crawled again; a delivery finds the run reset of what a killed one left."""
from __future__ import annotations

import pytest

from snapshot.store import Store
from zwgk import distributed as dist


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setenv("ZWGK_RETRY_BASE", "0")
    monkeypatch.setenv("ZWGK_TASK_RETRIES", "2")
    monkeypatch.delenv("ZWGK_WORKER_DB", raising=False)
    db = str(tmp_path / "zwgk.db")
    store = Store(db)
    run_id = store.create_run("http://a.example.gov.cn/", site_name="甲局")
    spec = {"db": db, "run_id": run_id, "name": "甲局", "url": "http://a.example.gov.cn/",
            "host": "a.example.gov.cn", "opts": {}, "log": ""}
    return store, run_id, spec


def _crawls(monkeypatch, outcomes):
    calls = []

    def fake(spec, db):
        calls.append(spec["run_id"])
        outcome = outcomes[min(len(calls), len(outcomes)) - 1]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome
    monkeypatch.setattr(dist, "crawl_in_child", fake)
    return calls


def test_a_failed_crawl_process_is_tried_again_then_stored_once(site, monkeypatch):
    store, run_id, spec = site
    calls = _crawls(monkeypatch, [dist.Transient("exit -9"), {"state": "done", "cut_short": False}])
    assert dist.crawl_site.apply(args=[spec]).get() == "crawled"
    assert len(calls) == 2 and store.run_state(run_id) == "crawled"
    # Delivered again (a redelivery after the visibility timeout): nothing is crawled twice.
    assert dist.crawl_site.apply(args=[spec]).get() == "already"
    assert len(calls) == 2


def test_retries_spent_leave_the_site_failed_not_hanging(site, monkeypatch):
    store, run_id, spec = site
    calls = _crawls(monkeypatch, [dist.Transient("exit 1")])
    assert dist.crawl_site.apply(args=[spec]).get() == "failed"
    assert len(calls) == 3                                   # the first try and 2 more
    row = dist.run_rows(store, [run_id])[run_id]
    assert row["state"] == "crawled" and row["site_status"] == "failed"


def test_a_redelivered_site_starts_from_an_empty_run(site, monkeypatch):
    store, run_id, spec = site
    store.add_fetch(run_id, {"url": "http://a.example.gov.cn/", "role": "homepage", "outcome": "ok",
                             "status": 200})          # left by a delivery killed mid-site
    seen = []

    def fake(spec, db):
        seen.append(len(store.load(run_id).fetches))
        return {"state": "done"}
    monkeypatch.setattr(dist, "crawl_in_child", fake)
    assert dist.crawl_site.apply(args=[spec]).get() == "crawled"
    assert seen == [0]


def test_a_site_locked_by_a_live_delivery_is_not_crawled_beside_it(site, monkeypatch):
    store, run_id, spec = site
    calls = _crawls(monkeypatch, [{"state": "done"}])
    with dist.run_lock(store, run_id) as mine:
        assert mine
        with pytest.raises(dist.Busy):
            dist.do_site(spec)
    assert calls == []
