"""Where zwgk may send a request: network safety and site scope, as downloader middlewares.

Run as a service, zwgk takes URLs, redirects and links from pages it does not control; a page
that links or redirects to 10.0.0.1 or 169.254.169.254 must not make it talk to internal hosts
or a cloud metadata endpoint. Every request (redirects pass through the middlewares again) is
checked before a connection is made:

- only http and https;
- the host's addresses, resolved (an IP literal as it is), must all be public: loopback, private,
  link-local, multicast, reserved and unspecified addresses are refused — unless the host is one
  the user named (the audited site's own hosts, `ZWGK_SITE_HOSTS`) or its address lies in a
  network the user allowed (`ZWGK_ALLOW_NETWORKS`, e.g. "10.0.0.0/8");
- the disclosure crawl stays on the site's own hosts (`SiteScopeMiddleware`): a column or document
  elsewhere is recorded as `offsite`, never crawled; links out are only link-checked.

A refusal is a fetch outcome (`forbidden_address`, `offsite`), never a broken link.
"""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from twisted.internet.threads import deferToThread


class ForbiddenAddress(IgnoreRequest):
    """The request would reach an address zwgk may not visit (or a scheme it does not speak)."""


class OutOfScope(IgnoreRequest):
    """The request leaves the audited site's own hosts."""


def site_hosts(url: str) -> set[str]:
    """The hosts a site's homepage URL names: its host, and without a leading `www.` (the
    registrable part, so that xxgk.example.gov.cn belongs to www.example.gov.cn)."""
    host = (urlsplit(url).hostname or "").lower()
    if not host:
        return set()
    return {host, host[4:]} if host.startswith("www.") else {host}


def in_scope(host: str, hosts: set[str]) -> bool:
    """`host` is one of `hosts` or a subdomain of one (never a mere suffix: evilexample.gov.cn
    is not example.gov.cn)."""
    host = (host or "").lower().rstrip(".")
    return any(host == h or host.endswith("." + h) for h in hosts if h)


def public(address: str) -> bool:
    """A globally routable unicast address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def _networks(values) -> list:
    out = []
    for value in values or ():
        out.append(ipaddress.ip_network(str(value).strip(), strict=False))
    return out


def _literal(host: str) -> str:
    """The address a host name spells outright (an IP literal), else ""."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return ""


def _resolve(host: str, port: int) -> list[str]:
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})
    except (socket.gaierror, UnicodeError):
        return []        # the download itself will fail and be classified as dns


class AddressGuardMiddleware:
    """Refuses non-http(s) schemes and non-public addresses before any connection is made."""

    def __init__(self, site_hosts_: set[str], allowed_networks: list, crawler=None):
        self.site_hosts = {h.lower() for h in site_hosts_}
        self.allowed = allowed_networks
        self.crawler = crawler                   # Scrapy no longer passes the spider along
        self.verdicts: dict[str, str] = {}       # host -> "" (fine) or the refusal's reason

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(set(s.getlist("ZWGK_SITE_HOSTS")), _networks(s.getlist("ZWGK_ALLOW_NETWORKS")),
                   crawler)

    def _hosts_of(self, spider) -> set[str]:
        spider = spider or getattr(self.crawler, "spider", None)
        hosts = set(self.site_hosts) | set(getattr(spider, "site_hosts", ()) or ())
        start = getattr(spider, "start_url", "")
        if start:
            hosts |= site_hosts(start)
        return hosts

    async def process_request(self, request, spider=None):
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            raise ForbiddenAddress(f"scheme {parts.scheme!r} is not fetched")
        host = (parts.hostname or "").lower()
        if host in self._hosts_of(spider):
            return None          # the site the user asked for, wherever it lives
        if host not in self.verdicts:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            try:
                addresses = [str(ipaddress.ip_address(host))]
            except ValueError:
                addresses = await deferToThread(_resolve, host, port)
            self.verdicts[host] = self._refusal(addresses)
        if self.verdicts[host]:
            raise ForbiddenAddress(f"{host}: {self.verdicts[host]}")
        return None

    def _refusal(self, addresses: list[str]) -> str:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            if any(ip in net for net in self.allowed):
                continue
            if not public(address):
                return f"address {address} is not public"
        return ""


class SiteScopeMiddleware:
    """The disclosure crawl stays on the site's own hosts; the link check is not limited."""

    def __init__(self, extra_hosts: set[str], crawler=None):
        self.extra = {h.lower() for h in extra_hosts}
        self.crawler = crawler
        self.learned: set[str] = set()     # where the homepage itself ended up (a moved domain)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(set(crawler.settings.getlist("ZWGK_SITE_HOSTS")), crawler)

    def process_request(self, request, spider=None):
        spider = spider or getattr(self.crawler, "spider", None)
        start = getattr(spider, "start_url", "")
        if not start or request.meta.get("role") in ("homepage", "robots"):
            return None          # not a site crawl (the link check reads every target)
        hosts = site_hosts(start) | self.extra | self.learned
        if not in_scope(urlsplit(request.url).hostname or "", hosts):
            # An internal address named outright (a redirect to 10.0.0.1 or 169.254.169.254) is
            # named for what it is; nothing is resolved for this, so a name stays `offsite`.
            literal = _literal(urlsplit(request.url).hostname or "")
            allowed = _networks(self.crawler.settings.getlist("ZWGK_ALLOW_NETWORKS")) \
                if self.crawler is not None else []
            if literal and not public(literal) and not any(ipaddress.ip_address(literal) in n
                                                             for n in allowed):
                raise ForbiddenAddress(f"{literal}: address is not public (outside the site)")
            raise OutOfScope(f"{urlsplit(request.url).hostname} is outside the site "
                             f"({', '.join(sorted(hosts))})")
        return None

    def process_response(self, request, response, spider=None):
        if request.meta.get("role") == "homepage" and 200 <= response.status < 300:
            self.learned |= site_hosts(response.url)
        return response
