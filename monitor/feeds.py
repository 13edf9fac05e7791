"""RSS/Atom feeds: parse the bytes the fetcher got, and decide which entries become watched
articles. feedparser only parses here; all network I/O goes through the fetcher.
"""
from __future__ import annotations

import calendar
import html
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import feedparser

from chipwatch.monitor.urls import (
    canonicalize, host_key, is_http_url, is_on_site, keyword_pattern, literal_private_host,
    outlet_domains,
)

_TAGS = re.compile(r"<[^>]+>")


@dataclass
class FeedEntry:
    url: str | None  # absolute link as the feed gives it
    title: str
    summary: str  # plain text
    published: str | None  # ISO 8601 UTC


@dataclass
class ParsedFeed:
    title: str | None
    version: str | None  # e.g. rss20, atom10; None when nothing looked like a feed
    entries: list[FeedEntry] = field(default_factory=list)
    bozo: bool = False
    bozo_message: str | None = None

    @property
    def problem(self) -> str | None:
        """A one-line report for malformed feeds (parsed as far as possible)."""
        if not self.bozo:
            return None
        return f"malformed feed ({self.bozo_message}); {len(self.entries)} entries read"


@dataclass
class EntryDecision:
    entry: FeedEntry
    url: str | None  # canonical URL when there is one
    verdict: str  # watch, no_match, offsite, private_address, bad_url, no_link
    reason: str = ""


def _plain(value: str | None) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", value or "")).split())


def _iso(parsed: time.struct_time | None) -> str | None:
    if not parsed:
        return None
    try:
        stamp = calendar.timegm(parsed)  # feedparser gives UTC struct_time
    except (TypeError, ValueError, OverflowError):
        return None
    return datetime.fromtimestamp(stamp, timezone.utc).isoformat()


def _entry_link(entry: dict) -> str | None:
    link = entry.get("link")
    if not link:
        for candidate in entry.get("links", []):
            if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                link = candidate["href"]
                break
    if not link:
        guid = entry.get("id") or ""
        if guid.startswith(("http://", "https://")) and entry.get("guidislink", True):
            link = guid
    return link or None


def parse_feed(body: bytes, headers: dict[str, str] | None, url: str) -> ParsedFeed:
    """Parse a fetched feed; the response headers let feedparser pick the charset and base URL."""
    response_headers = {k.lower(): v for k, v in (headers or {}).items()}
    response_headers.setdefault("content-location", url)
    parsed = feedparser.parse(body, response_headers=response_headers)
    entries = []
    for raw in parsed.entries:
        link = _entry_link(raw)
        entries.append(FeedEntry(
            url=urljoin(url, link.strip()) if link else None,
            title=_plain(raw.get("title")),
            summary=_plain(raw.get("summary") or raw.get("description")),
            published=_iso(raw.get("published_parsed") or raw.get("updated_parsed")),
        ))
    bozo = bool(parsed.get("bozo"))
    message = None
    if bozo:
        exc = parsed.get("bozo_exception")
        message = f"{type(exc).__name__}: {exc}" if exc else "unknown problem"
        message = " ".join(message.split())[:300]
    return ParsedFeed(title=_plain(parsed.feed.get("title")) or None, version=parsed.get("version") or None,
                      entries=entries, bozo=bozo, bozo_message=message)


def entry_matches(entry: FeedEntry, keywords: list[str]) -> bool:
    """No keywords means every entry; otherwise one keyword in the title or summary."""
    if not keywords:
        return True
    haystack = f"{entry.title}\n{entry.summary}"
    return any(keyword_pattern(k).search(haystack) for k in keywords if k.strip())


def select_entries(feed: ParsedFeed, *, feed_url: str, final_url: str | None = None,
                   outlet: str | None = None, keywords: list[str] | None = None,
                   allow_private: bool = False) -> list[EntryDecision]:
    """Sort entries into watched articles and ignored ones, with the reason for each.

    A link must stay on the feed's own site or the outlet's known domains. Links into the
    local network are refused even when private addresses are allowed for configured
    sources: a feed is third-party content and may not steer the poller anywhere but the
    feed's own host.
    """
    own_hosts = {host_key(feed_url)} | ({host_key(final_url)} if final_url else set())
    domains = outlet_domains(feed_url, outlet, [final_url] if final_url else None)
    decisions: list[EntryDecision] = []
    seen: set[str] = set()
    for entry in feed.entries:
        if not entry.url:
            decisions.append(EntryDecision(entry, None, "no_link", "entry has no link"))
            continue
        if not is_http_url(entry.url):
            decisions.append(EntryDecision(entry, None, "bad_url", f"not an http(s) link: {entry.url[:200]}"))
            continue
        try:
            url = canonicalize(entry.url)
        except ValueError as exc:  # "Port out of range", a broken IPv6 host: this entry only
            decisions.append(EntryDecision(entry, None, "bad_url", f"unusable link ({exc}): {entry.url[:200]}"))
            continue
        if url in seen:
            continue
        seen.add(url)
        if not entry_matches(entry, keywords or []):
            decisions.append(EntryDecision(entry, url, "no_match"))
            continue
        host = urlsplit(url).hostname or ""
        if literal_private_host(host) and (not allow_private or host_key(url) not in own_hosts):
            decisions.append(EntryDecision(entry, url, "private_address",
                                           f"feed link points at private address {host}"))
            continue
        if host_key(url) not in own_hosts and not is_on_site(url, domains):
            decisions.append(EntryDecision(entry, url, "offsite",
                                           f"{host} is not one of {', '.join(sorted(domains))}"))
            continue
        decisions.append(EntryDecision(entry, url, "watch"))
    return decisions
