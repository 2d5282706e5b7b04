"""Shared fixtures: fixture government sites served on 127.0.0.1, and the shared spec folder."""
from __future__ import annotations

import os
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

import pytest

from tests.sites.generator import SiteSpec, build_site, random_spec

# Waits that real runs need (rules.md: site.unreachable after retries spread over a minute; a
# failed link asked again 30 s later) shortened for the served test sites; subprocesses inherit.
os.environ.setdefault("ZWGK_HOMEPAGE_RETRY_SPAN", "0.6")
os.environ.setdefault("ZWGK_LINK_RECHECK_DELAY", "0.5")
from tests.sites.server import serve


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """/work/shared (specs, real pages): $ZWGK_SHARED, else the repository's sibling `shared`."""
    env = os.environ.get("ZWGK_SHARED")
    path = Path(env) if env else Path(__file__).resolve().parents[2] / "shared"
    if not path.is_dir():
        pytest.skip(f"shared folder not found: {path}")
    return path


@pytest.fixture
def site_factory(tmp_path):
    """make(spec_or_seed=0, **overrides) -> (base_url, truth, spec).

    Builds the site under tmp_path, serves it with the spec's faults, and returns the truth with
    absolute URLs. `overrides` replace SiteSpec fields (e.g. slow_delay=2.0).
    """
    stack = ExitStack()
    count = 0

    def make(spec: SiteSpec | int = 0, **overrides):
        nonlocal count
        count += 1
        spec = random_spec(spec) if isinstance(spec, int) else spec
        if overrides:
            spec = replace(spec, **overrides)
        root = tmp_path / f"site{count}"
        truth = build_site(root, spec)
        base = stack.enter_context(serve(root, truth.faults))
        return base, truth.resolve(base), spec

    with stack:
        yield make


REAL_PAGES = Path(__file__).resolve().parent / "fixtures" / "real_pages"


@pytest.fixture(scope="session")
def real_pages() -> Path:
    """Pages saved from real government sites, kept in the repository (tests/fixtures/real_pages,
    copied from ../shared/real-pages with its README), so that a clone runs every test."""
    return REAL_PAGES


# Throwaway PostgreSQL and redis-server (tests/services.py): postgres, pg_url, redis_url.
from tests.services import pg_url, postgres, redis_url, service_binaries  # noqa: E402,F401
