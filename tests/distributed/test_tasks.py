"""The site task's delivery rules, run eagerly in this process (no broker): a crawl process that
fails is tried again, then the site is failed — never left hanging; a site already stored is not
crawled again; a delivery finds the run reset of what a killed one left; a delivery lost while
auditing has its site audited, not crawled, again."""
from __future__ import annotations

from datetime import date
from pathlib import Path

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
            "host": "a.example.gov.cn", "opts": {}, "log": "",
            "site": {"name": "甲局", "url": "http://a.example.gov.cn/", "kind": "department",
                     "group": "", "ident": "", "host_org": "", "config": {}},
            "folder": "甲局", "batch": "2026-11-20@2026-11-20T01:00:00",
            "started": "2026-11-20T01:00:00+08:00",
            "run": {"out": str(tmp_path / "out"), "db": db, "as_of": "2026-11-20", "config": {},
                    "warnings": {}, "base_dir": None}}
    return store, run_id, spec


def _audits(monkeypatch, outcomes=({"verdict": "合格"},)):
    """The audit step replaced: each call takes the next outcome; a dict marks the run audited
    (as the real child does, last), an exception is raised as the child's death would be."""
    calls = []

    def fake(spec, db):
        calls.append(spec["run_id"])
        outcome = outcomes[min(len(calls), len(outcomes)) - 1]
        if isinstance(outcome, Exception):
            raise outcome
        Store(db).save_findings(spec["run_id"], [], as_of=date(2026, 11, 20))
        return outcome
    monkeypatch.setattr(dist, "audit_in_child", fake)
    return calls


def _crawls(monkeypatch, outcomes, audit_outcomes=({"verdict": "合格"},)):
    """The site process replaced: its crawl takes the next outcome (an exception: the process
    died mid-crawl), then the run is marked crawled and the audit step runs, as in the child."""
    calls = []
    audits = _audits(monkeypatch, audit_outcomes)

    def fake(spec, db):
        calls.append(spec["run_id"])
        outcome = outcomes[min(len(calls), len(outcomes)) - 1]
        if isinstance(outcome, Exception):
            raise outcome
        dist.mark_crawled(Store(db), spec["run_id"], outcome)
        return {**outcome, **dist.audit_in_child(spec, db)}
    monkeypatch.setattr(dist, "site_in_child", fake)
    return calls, audits


def test_a_failed_crawl_process_is_tried_again_then_stored_once(site, monkeypatch):
    store, run_id, spec = site
    calls, _ = _crawls(monkeypatch, [dist.Transient("exit -9"), {"state": "done", "cut_short": False}])
    assert dist.crawl_site.apply(args=[spec]).get() == "audited"
    assert len(calls) == 2 and store.run_state(run_id) == "audited"
    # Delivered again (a redelivery after the visibility timeout): nothing is crawled twice.
    assert dist.crawl_site.apply(args=[spec]).get() == "already"
    assert len(calls) == 2


def test_retries_spent_leave_the_site_failed_not_hanging(site, monkeypatch):
    store, run_id, spec = site
    calls, _ = _crawls(monkeypatch, [dist.Transient("exit 1")])
    assert dist.crawl_site.apply(args=[spec]).get() == "failed"
    assert len(calls) == 3                                   # the first try and 2 more
    row = dist.run_rows(store, [run_id])[run_id]
    # What was stored of it was audited by the worker itself: the run's reports show it failed.
    assert row["state"] == "audited" and row["site_status"] == "failed"
    assert row["report"]["status"] == "failed" and row["report"]["verdict"] == "未能检查"
    assert dist.finished_for_run(row)


def test_a_delivery_lost_while_auditing_audits_again_without_crawling(site, monkeypatch):
    store, run_id, spec = site
    crawls, audits = _crawls(monkeypatch, [{"state": "done"}],
                             [dist.Transient("site process exited -9"), {"verdict": "合格"}])
    assert dist.crawl_site.apply(args=[spec]).get() == "audited"
    assert crawls == [run_id] and audits == [run_id, run_id]
    # A run left crawled by a worker killed mid-audit (state machine: crawled → audited).
    store.update_run(run_id, state="crawled")
    assert dist.crawl_site.apply(args=[spec]).get() == "audited"
    assert crawls == [run_id] and len(audits) == 3


def test_the_audit_step_stores_findings_verdict_and_the_sites_line(site):
    """The real audit child's work, in this process: a crawled run whose homepage was down is
    judged 未能检查 with site.unreachable, and marked audited with its line for the reports."""
    store, run_id, spec = site
    store.update_run(run_id, state="crawled", homepage_outcome="connection_refused",
                     homepage_error="连接被拒绝")
    assert dist.child_audit(spec) == {"verdict": "未能检查", "status": "down"}
    row = dist.run_rows(store, [run_id])[run_id]
    assert row["state"] == "audited"
    assert row["report"]["summary"].startswith("检查期间首页无法访问")
    assert row["report"]["scorecard"] == "甲局/scorecard.html"
    assert [f["rule_id"] for f in store.run_findings([run_id])] == ["site.unreachable"]
    assert (Path(spec["run"]["out"]) / "甲局" / "scorecard.html").is_file()


def test_a_redelivered_site_starts_from_an_empty_run(site, monkeypatch):
    store, run_id, spec = site
    store.add_fetch(run_id, {"url": "http://a.example.gov.cn/", "role": "homepage", "outcome": "ok",
                             "status": 200})          # left by a delivery killed mid-site
    seen = []

    def fake(spec, db):
        seen.append(len(store.load(run_id).fetches))
        dist.mark_crawled(store, run_id, {"state": "done"})
        return {"state": "done", **dist.audit_in_child(spec, db)}
    monkeypatch.setattr(dist, "site_in_child", fake)
    _audits(monkeypatch)
    assert dist.crawl_site.apply(args=[spec]).get() == "audited"
    assert seen == [0]


def test_a_site_locked_by_a_live_delivery_is_not_crawled_beside_it(site, monkeypatch):
    store, run_id, spec = site
    calls, _ = _crawls(monkeypatch, [{"state": "done"}])
    with dist.run_lock(store, run_id) as mine:
        assert mine
        with pytest.raises(dist.Busy):
            dist.do_site(spec)
    assert calls == []


def test_a_database_away_while_failing_the_site_is_tried_again_never_hangs(site, monkeypatch):
    store, run_id, spec = site
    _crawls(monkeypatch, [dist.Transient("exit 1")])
    real, tries = dist.mark_failed, []

    def flaky(spec, error):
        tries.append(error)
        if len(tries) == 1:
            raise OSError("connection refused")     # the database went away just then
        real(spec, error)
    monkeypatch.setattr(dist, "mark_failed", flaky)
    assert dist.crawl_site.apply(args=[spec]).get() == "failed"
    assert len(tries) == 2
    assert dist.finished_for_run(dist.run_rows(store, [run_id])[run_id])


def test_an_audit_that_dies_while_storing_leaves_nothing_that_reads_as_done(site, monkeypatch):
    """The site's line, findings, verdict and `audited` are stored together: an audit lost while
    storing leaves the run crawled with no line, so the next delivery audits it again."""
    store, run_id, spec = site
    store.update_run(run_id, state="crawled", homepage_outcome="connection_refused")

    def dies(self, *args, **kwargs):
        raise OSError("server closed the connection")
    monkeypatch.setattr(Store, "save_findings", dies)
    with pytest.raises(OSError):
        dist.child_audit(spec)
    row = dist.run_rows(store, [run_id])[run_id]
    assert row["state"] == "crawled" and not row["report"] and not dist.finished_for_run(row)
    monkeypatch.undo()
    assert dist.child_audit(spec)["verdict"] == "未能检查"
    assert dist.finished_for_run(dist.run_rows(store, [run_id])[run_id])
