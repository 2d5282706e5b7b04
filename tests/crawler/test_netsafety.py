"""Network safety and site scope: refused before any connection, named as an outcome."""
from __future__ import annotations

import asyncio
import socket

import pytest
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.netsafety import (
    AddressGuardMiddleware, ForbiddenAddress, OutOfScope, SiteScopeMiddleware, in_scope, public,
    site_hosts,
)
from crawler.outcomes import classify_failure, link_verdict


class Spider:
    def __init__(self, start_url=""):
        self.start_url = start_url


@pytest.fixture
def no_connect(monkeypatch):
    """Fail the test on any attempt to open a socket connection."""
    attempts = []

    def refuse(self, address):
        attempts.append(address)
        raise AssertionError(f"connect() attempted to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def run(coro):
    return asyncio.run(coro) if asyncio.iscoroutine(coro) else coro


@pytest.mark.parametrize("address", ["10.0.0.1", "169.254.169.254", "127.0.0.1", "192.168.1.1",
                                     "172.16.5.4", "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1",
                                     "fe80::1", "fc00::1", "::ffff:10.0.0.1", "240.0.0.1"])
def test_internal_addresses_are_not_public(address):
    assert not public(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "202.108.22.5", "2400:da00::6666"])
def test_public_addresses(address):
    assert public(address)


@pytest.mark.parametrize("url", ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/",
                                 "http://[::1]:8080/", "http://127.0.0.1:9/x"])
def test_private_targets_refused_before_connect(url, no_connect):
    guard = AddressGuardMiddleware(set(), [])
    with pytest.raises(ForbiddenAddress):
        run(guard.process_request(Request(url), Spider("https://www.example.gov.cn/")))
    assert no_connect == []


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch, no_connect):
    monkeypatch.setattr(socket, "getaddrinfo",
                        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 80))])
    guard = AddressGuardMiddleware(set(), [])
    # process_request resolves in a thread; run the resolution synchronously for the test.
    monkeypatch.setattr("crawler.netsafety.deferToThread", _sync_deferred)
    with pytest.raises(ForbiddenAddress):
        run(guard.process_request(Request("http://intranet.example.gov.cn/"), Spider()))


async def _sync_deferred(fn, *args):
    return fn(*args)


def test_the_audited_site_and_allowed_networks_pass(no_connect):
    guard = AddressGuardMiddleware(set(), [])
    assert run(guard.process_request(Request("http://127.0.0.1:8080/xxgk/"),
                                     Spider("http://127.0.0.1:8080/"))) is None
    allowed = AddressGuardMiddleware({"10.0.0.5"}, [])
    assert run(allowed.process_request(Request("http://10.0.0.5/"), Spider())) is None
    net = AddressGuardMiddleware(set(), [__import__("ipaddress").ip_network("10.0.0.0/8")])
    assert run(net.process_request(Request("http://10.9.9.9/"), Spider())) is None


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.gov.cn/x", "gopher://x/"])
def test_only_http_and_https(url):
    guard = AddressGuardMiddleware(set(), [])
    with pytest.raises(ForbiddenAddress):
        run(guard.process_request(Request(url), Spider()))


def test_refusal_is_an_outcome_and_never_a_broken_link():
    guard = AddressGuardMiddleware(set(), [])
    try:
        run(guard.process_request(Request("http://169.254.169.254/"), Spider()))
    except ForbiddenAddress as exc:
        outcome, _ = classify_failure(Failure(exc))
    assert outcome == "forbidden_address"
    assert link_verdict(outcome)[0] == "unverified"


def test_site_scope():
    hosts = site_hosts("http://www.example.gov.cn/")
    assert in_scope("www.example.gov.cn", hosts)
    assert in_scope("xxgk.example.gov.cn", hosts)
    assert not in_scope("evilexample.gov.cn", hosts)
    assert not in_scope("other.gov.cn", hosts)
    scope = SiteScopeMiddleware(set())
    spider = Spider("http://www.example.gov.cn/")
    assert scope.process_request(Request("http://xxgk.example.gov.cn/a/"), spider) is None
    with pytest.raises(OutOfScope) as info:
        scope.process_request(Request("http://www.other.gov.cn/col/", meta={"role": "column"}), spider)
    assert classify_failure(Failure(info.value))[0] == "offsite"
    # The link check (no start URL) is not limited to the site.
    assert scope.process_request(Request("http://www.other.gov.cn/"), Spider()) is None


def test_a_moved_homepage_brings_its_new_host_into_scope():
    scope = SiteScopeMiddleware(set())
    spider = Spider("http://old.example.gov.cn/")
    home = Request("http://new-site.gov.cn/", meta={"role": "homepage"})
    assert scope.process_request(home, spider) is None
    scope.process_response(home, Response("http://www.new-site.gov.cn/", status=200), spider)
    assert scope.process_request(Request("http://www.new-site.gov.cn/xxgk/"), spider) is None
