"""The fault suite (issue 9.7): one fault at a time on a healthy site, all in one `zwgk run` beside
the healthy site itself. For every fault kind: the run finishes within its budget, the fault is
named in the site's run.json (`errors` by outcome, with its count) wherever it cost anything,
and the findings equal the healthy site's minus what could not be checked — which the scorecard
lists under 结论不完整 — with none added. The table of these figures: bench/faults.py."""
from __future__ import annotations

import pytest

from tests.faults import harness as H
from tests.sites.generator import build_site

NEVER = [c for c in H.CASES if c.render == "never"]
AUTO = [c for c in H.CASES if c.render == "auto"]
BUDGET = 120.0          # seconds per site: the slowest fault (timeouts with retries) needs ~20


@pytest.fixture(scope="module")
def never(tmp_path_factory):
    return _run(tmp_path_factory.mktemp("faults"), NEVER, "never")


@pytest.fixture(scope="module")
def auto(tmp_path_factory):
    from crawler.browser import find_chromium
    if find_chromium() is None:
        pytest.skip("no Chromium: the browser faults need it")
    return _run(tmp_path_factory.mktemp("faults_auto"), AUTO, "auto")


def _run(tmp, cases, render):
    healthy, results, seconds = H.run_cases(tmp, cases, render)
    # The healthy site, audited in the same run as the faulty ones, finds exactly its seeded
    # defects: the reference every fault is compared with.
    truth = build_site(tmp / "truth", H.healthy_spec())
    assert {k[:3] for k in healthy.findings} == set(truth.findings), healthy.findings
    assert not healthy.incomplete
    return {r.case.kind: r for r in results}, seconds


def _check(result: H.Result) -> None:
    case = result.case
    assert result.added == set(k for k in result.findings if k[0] in case.real), \
        f"{case.kind}: findings added by the fault: {sorted(result.added)}"
    assert result.duration < BUDGET, f"{case.kind}: {result.duration:.0f} s"
    if result.lost:
        assert result.incomplete, f"{case.kind}: {sorted(result.lost)} lost, scorecard silent"
        assert result.fault_errors, f"{case.kind}: findings lost and no fault named in run.json {result.errors}"
    if case.outcomes:
        assert any(result.fault_errors.get(k, 0) >= 1 for k in case.outcomes), \
            f"{case.kind}: expected one of {case.outcomes} in run.json errors, got {result.errors}"
    assert result.requests < 2000, f"{case.kind}: {result.requests} requests"


@pytest.mark.parametrize("kind", [c.kind for c in NEVER])
def test_fault_adds_no_finding_and_names_what_it_hid(never, kind):
    _check(never[0][kind])


@pytest.mark.parametrize("kind", [c.kind for c in AUTO])
def test_browser_fault_adds_no_finding(auto, kind):
    _check(auto[0][kind])


def test_faults_that_recover_lose_nothing(never):
    results = never[0]
    for kind in ("503 ×3 then recover", "503 ×2 then recover", "connection reset once", "429 + Retry-After",
                 "503 + Retry-After", "homepage 5xx burst that recovers",
                 "U+000B after a comment (homepage)", "link to 10.0.0.1", "endless pagination"):
        assert not results[kind].lost, f"{kind}: lost {sorted(results[kind].lost)}"


def test_the_wall_the_browser_passes_loses_nothing(auto):
    result = auto[0]["加速乐 521 passed by the browser"]
    assert not result.lost and not result.incomplete


def test_refusals_happen_before_any_connection(never):
    results = never[0]
    # The redirect target is named as refused for what it is, never fetched.
    for kind in ("redirect to 10.0.0.1", "redirect to 169.254.169.254"):
        errors = results[kind].errors
        assert errors.get("forbidden_address") == 1 and not errors.get("offsite"), errors
    assert results["column redirected to another host"].errors.get("offsite") == 1
    assert results["link to 10.0.0.1"].errors.get("link:forbidden_address") == 1


def test_homepage_down_is_the_only_true_finding(never):
    result = never[0]["homepage down"]
    assert result.findings <= {k for k in result.findings if k[0] == "site.unreachable"}
    assert result.incomplete and result.errors.get("http_5xx")


def test_the_endless_pager_is_cut_at_the_budget_and_named(never):
    result = never[0]["endless pagination"]
    assert result.errors.get("budget") == 1 and result.incomplete
    assert result.requests < 200
