"""URL rules for polling: canonical form, which sites an outlet owns, and which addresses are safe.

Feeds are third-party content: a link in a feed must not be able to steer the
poller to another site or into the local network, so every discovered link is
checked here before it becomes a watched URL.
"""
from __future__ import annotations

import asyncio
import functools
import ipaddress
import re
import socket
import time
from typing import Callable
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from chipwatch import errors
from chipwatch.extractors.outlets import outlet_domains as known_outlet_domains
from chipwatch.extractors.outlets import outlet_for_domain

# Query parameters that only say where a reader came from; they never change the article.
# The maintained list is courlan's (trafilatura's URL library); these are the ones it does
# not name: Google's `srsltid` click id and the entries of our earlier hand-kept list.
EXTRA_TRACKING_PARAMS = {
    "srsltid", "cmp", "cmpid", "ito", "taid", "ocid", "icid", "ncid", "smid", "sr_share",
    "share", "spm", "guccounter", "rss", "feed_id",
}
EXTRA_TRACKING_PREFIXES = ("hsa_", "__s")


@functools.cache
def _trackers() -> re.Pattern[str]:
    from courlan.clean import TRACKERS_RE  # imported on first use: it costs ~0.1 s

    return TRACKERS_RE


@functools.cache
def _public_suffixes() -> Callable[..., str | None]:
    # tld ships a snapshot of the Public Suffix List and reads it from disk; it only fetches
    # when update_tld_names() is called, which chipwatch never does.
    from tld import get_fld

    return get_fld


def outlet_of(host: str) -> str | None:
    """The outlet a host belongs to, if any (the outlet table of the lexicon)."""
    return outlet_for_domain(host) if host else None


UnsafeURL = errors.UnsafeURL  # a URL the poller refuses to fetch (bad scheme, private address)


def is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return (low in EXTRA_TRACKING_PARAMS or low.startswith(EXTRA_TRACKING_PREFIXES)
            or _trackers().search(low) is not None)


def canonicalize(url: str, base: str | None = None) -> str:
    """One spelling per article: lower-case host, no default port, no fragment, no tracking."""
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        netloc = f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    path = parts.path or "/"
    query_pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    query = urlencode(query_pairs, doseq=True) if query_pairs else ""
    return urlunsplit((scheme, netloc, path, query, ""))


def host_key(url: str) -> str:
    """The politeness and robots unit: host plus port (distinct ports are distinct servers)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    return f"{host}:{port}"


def _ip_or_none(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def registrable_domain(host: str) -> str:
    """example: news.reuters.com -> reuters.com; IP literals and single labels stay as they are."""
    host = host.lower().rstrip(".")
    if _ip_or_none(host) is not None:
        return host
    if "." not in host:
        return host
    # The Public Suffix List: bbc.co.uk, but also user.github.io. A suffix it does not know
    # (.test, .internal) counts as one label.
    domain = _public_suffixes()(host, fix_protocol=True, fail_silently=True)
    return domain or ".".join(host.split(".")[-2:])


def outlet_domains(source_url: str, outlet: str | None = None, extra_urls: list[str] | None = None) -> set[str]:
    """Registrable domains whose links count as the outlet's own site."""
    domains: set[str] = set()
    for url in [source_url, *(extra_urls or [])]:
        host = urlsplit(url).hostname or ""
        if host:
            reg = registrable_domain(host)
            domains.add(reg)
            domains |= known_outlet_domains(reg)
    if outlet:
        domains |= known_outlet_domains(outlet)
    return domains


def is_on_site(url: str, domains: set[str]) -> bool:
    host = urlsplit(url).hostname or ""
    return bool(host) and registrable_domain(host) in domains


def is_private_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Anything that is not a public unicast address: loopback, RFC 1918, link-local, CGNAT, ..."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
        or ip.is_reserved or ip.is_unspecified or not ip.is_global
    )


def literal_private_host(host: str) -> bool:
    """True for hosts that are private without a DNS lookup (IP literals, localhost names)."""
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    ip = _ip_or_none(host)
    return ip is not None and is_private_ip(ip)


class AddressGuard:
    """Refuses private targets, resolving names itself so a public-looking name that points
    inside the network is caught too. Lookups are cached briefly to keep polling cheap."""

    def __init__(self, allow_private: bool, cache_seconds: float = 300.0,
                 exempt_hosts: set[str] | frozenset[str] = frozenset()) -> None:
        self.allow_private = allow_private
        self.exempt_hosts = set(exempt_hosts)  # "host:port" keys trusted despite the rule
        self.cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, list[str]]] = {}

    async def check(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            raise UnsafeURL("unsupported_scheme", f"only http and https are fetched, not {parts.scheme or 'no scheme'!r}")
        host = (parts.hostname or "").lower()
        if not host:
            raise UnsafeURL("bad_url", f"no host in {url!r}")
        if self.allow_private or host_key(url) in self.exempt_hosts:
            return
        if literal_private_host(host):
            raise UnsafeURL("private_address", f"{host} is a private or loopback address")
        if _ip_or_none(host) is not None:
            return
        for addr in await self._resolve(host, parts.port or 443):
            ip = _ip_or_none(addr.split("%", 1)[0])
            if ip is not None and is_private_ip(ip):
                raise UnsafeURL("private_address", f"{host} resolves to private address {ip}")

    async def connect_address(self, host: str, port: int) -> str:
        """The address to open a connection to, checked at connect time: a name that
        resolved to a public address for `check` but to a private one now (DNS rebinding)
        is refused here, and the connection goes to exactly the address that was checked."""
        if self.allow_private or f"{host.lower()}:{port}" in self.exempt_hosts:
            return host
        if literal_private_host(host):
            raise UnsafeURL("private_address", f"{host} is a private or loopback address")
        if _ip_or_none(host) is not None:
            return host
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror:
            return host  # let the connection attempt report the DNS failure
        addrs = [str(info[4][0]) for info in infos]
        for addr in addrs:
            ip = _ip_or_none(addr.split("%", 1)[0])
            if ip is not None and is_private_ip(ip):
                raise UnsafeURL("private_address", f"{host} resolves to private address {ip}")
        return addrs[0] if addrs else host

    async def _resolve(self, host: str, port: int) -> list[str]:
        now = time.monotonic()
        hit = self._cache.get(host)
        if hit and now - hit[0] < self.cache_seconds:
            return hit[1]
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror:
            return []  # the fetch itself will report the DNS failure
        addrs = sorted({str(info[4][0]) for info in infos})
        self._cache[host] = (now, addrs)
        return addrs


_WORD_KEYWORD = re.compile(r"^[\w\s.\-+'’]+$", re.ASCII)


def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """ASCII keywords match at word starts and allow a plural/possessive ending ("chip" hits
    "chips", "Nvidia" hits "Nvidia's", "AI" does not hit "said"); others match as substrings."""
    kw = keyword.strip()
    if _WORD_KEYWORD.match(kw):
        return re.compile(r"(?<!\w)" + re.escape(kw) + r"(?:s|es|'s|’s)?(?!\w)", re.IGNORECASE)
    return re.compile(re.escape(kw), re.IGNORECASE)
