"""Polling the two listing kinds of source: news sitemaps (`kind = "sitemap"`) and the
GDELT search engine (`kind = "gdelt"`). Both only *list* articles; the entries that match
the source's keywords and are newer than its last poll become watched articles, which the
poller then fetches like a feed's.

Politeness: sitemaps are fetched with conditional GET (an index's children too, newest
first, a few per poll); the search engine gets exactly one request per poll; at most
`max_new` entries per poll become watched; failures back off through the source state
like any other source.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from chipwatch.db import sourcing
from chipwatch.monitor.feeds import FeedEntry, ParsedFeed, entry_matches, select_entries
from chipwatch.monitor.fetch import FetchResult, iso
from chipwatch.monitor.gdelt import parse_artlist
from chipwatch.monitor.sitemaps import SitemapEntry, newest_first, parse_sitemap, robots_sitemaps
from chipwatch.monitor.urls import canonicalize, is_http_url, literal_private_host, outlet_of

if TYPE_CHECKING:  # types only: poll.py imports this module
    from chipwatch.monitor.config import SourceConfig
    from chipwatch.monitor.poll import PollContext, SourceResult

LISTING_KINDS = ("sitemap", "gdelt")
MAX_CHILD_SITEMAPS = 5  # child sitemaps of an index fetched per poll (newest first)
MAX_INDEX_DEPTH = 2  # an index may list indexes once
MAX_LISTINGS = 2000  # listing rows recorded per poll
PUBLISHING_LAG = timedelta(hours=1)  # an entry may be listed a little after its date
FAILED = ("blocked", "gone", "failing", "error")


def slug_words(url: str) -> str:
    """The words of a URL's path ("/2025/12/nvidia-h200-china/" -> "2025 12 nvidia h200 china")."""
    path = unquote(urlsplit(url).path)
    return " ".join(w for w in re.split(r"[^0-9A-Za-z]+", path) if w and w.lower() not in ("html", "htm", "amp"))


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def _cutoff(ctx: "PollContext", source: "SourceConfig") -> datetime | None:
    """Entries dated before the last successful poll (less the publishing lag) are old."""
    state = ctx.store.source_state(source.name) or {}
    last = _time(state.get("last_success"))
    return None if last is None else last - PUBLISHING_LAG


def _is_new(entry: FeedEntry, cutoff: datetime | None) -> bool:
    if cutoff is None or not entry.published:
        return True
    when = _time(entry.published)
    return when is None or when >= cutoff


async def _get(ctx: "PollContext", source: "SourceConfig", url: str, res: "SourceResult",
               *, check_robots: bool = True) -> FetchResult:
    """One conditional request, recorded in `fetches` under the source."""
    etag, last_modified = ctx.store.validators(url)
    fr = await ctx.fetcher.fetch(url, etag=etag, last_modified=last_modified, check_robots=check_robots)
    res.fetched += 1
    res.reached = res.reached or fr.got_response or fr.outcome == "robots_disallowed"
    if fr.outcome == "not_modified":
        res.not_modified += 1
    elif fr.outcome in FAILED:
        res.failures += 1
    if fr.outcome == "not_modified":  # 304s may omit validators; keep the ones that worked
        etag, last_modified = fr.etag or etag, fr.last_modified or last_modified
    else:
        etag, last_modified = fr.etag, fr.last_modified
    ctx.store.record_fetch(
        source=source.name, url=fr.url, final_url=fr.final_url, started_at=fr.started_at,
        elapsed_ms=fr.elapsed_ms, http_status=fr.status, outcome=fr.outcome, bytes=len(fr.body),
        conditional=fr.conditional, retries=fr.retries, error_class=fr.error_class, error=fr.error,
        etag=etag, last_modified=last_modified, content_type=fr.content_type, truncated=fr.truncated)
    return fr


def _take(ctx: "PollContext", source: "SourceConfig", entries: list[FeedEntry], res: "SourceResult",
          *, listing_url: str, final_url: str, any_site: bool) -> None:
    """Keyword, date, site and cap rules; the survivors become watched documents."""
    cutoff = _cutoff(ctx, source)
    allow_private = ctx.fetcher.params.allow_private_addresses
    if any_site:  # a search engine lists every outlet: only the link itself is checked
        taken = 0
        for entry in entries:
            if taken >= source.max_new:
                break
            if not entry.url or not is_http_url(entry.url):
                continue
            url = canonicalize(entry.url)
            host = urlsplit(url).hostname or ""
            if literal_private_host(host) and not (allow_private and _loopback(host)):
                res.skipped += 1  # a listing is third-party content: never into a local network
                continue
            if not entry_matches(entry, source.keywords) or not _is_new(entry, cutoff):
                continue
            taken += _watch(ctx, source, url, entry, res)
        return
    feed = ParsedFeed(title=None, version="sitemap", entries=entries)
    decisions = select_entries(feed, feed_url=listing_url, final_url=final_url, outlet=source.outlet,
                               keywords=source.keywords, allow_private=allow_private)
    taken = 0
    for d in decisions:
        if taken >= source.max_new:
            break
        if d.verdict == "watch" and d.url and _is_new(d.entry, cutoff):
            taken += _watch(ctx, source, d.url, d.entry, res)
        elif d.verdict in ("offsite", "private_address", "bad_url"):
            res.skipped += 1


def _loopback(host: str) -> bool:
    """Loopback only: what tests serve from when private addresses are allowed."""
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host == "localhost"


def _watch(ctx: "PollContext", source: "SourceConfig", url: str, entry: FeedEntry, res: "SourceResult") -> int:
    host = urlsplit(url).hostname or ""
    outlet = source.outlet if source.kind == "sitemap" else (outlet_of(host) or host.removeprefix("www."))
    if ctx.store.add_discovered(url=url, outlet=outlet, source=source.name,
                                title=entry.title or None, published=entry.published):
        res.discovered += 1
        return 1
    return 0


# -- sitemaps -------------------------------------------------------------------------------

async def _sitemap_roots(ctx: "PollContext", source: "SourceConfig", res: "SourceResult") -> tuple[list[str], FetchResult | None]:
    """The sitemaps to read: the source's URL and, with `discover`, those robots.txt names
    (a `url` that is only the site's home page is then not read itself)."""
    if not source.discover:
        return [source.url], None
    parts = urlsplit(source.url)
    robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
    fr = await _get(ctx, source, robots_url, res, check_robots=False)
    found = robots_sitemaps(fr.body, robots_url) if fr.has_body else []
    news = [u for u in found if "news" in u.lower()]
    found = news or found  # a site's news sitemaps list what is new; the others, everything
    own = [] if parts.path in ("", "/") else [source.url]
    roots = own + [u for u in found if u not in own]
    if not roots:
        fr.outcome, fr.error_class = "failing", "no_sitemap"
        fr.error = "robots.txt names no sitemap" if fr.has_body or fr.outcome == "not_modified" else (fr.error or "robots.txt unreadable")
        res.failures += 1
    return roots, fr


async def poll_sitemap(ctx: "PollContext", source: "SourceConfig", res: "SourceResult") -> FetchResult:
    """Fetch the sitemap (or index, and its newest children); watch new matching entries.
    Returns the fetch that decides the source's status: the first sitemap that answered."""
    roots, robots = await _sitemap_roots(ctx, source, res)
    if not roots:
        assert robots is not None
        return robots
    max_bytes = ctx.fetcher.params.max_bytes
    entries: list[SitemapEntry] = []
    decisive: FetchResult | None = None
    queue = [(u, 0) for u in roots]
    seen: set[str] = set()
    children = 0
    while queue:
        url, depth = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        fr = await _get(ctx, source, url, res)
        if depth == 0 and (decisive is None or (not decisive.got_response and fr.got_response)):
            decisive = fr
        if not fr.has_body:
            continue
        sm = parse_sitemap(fr.body, fr.final_url, max_bytes)
        res.parsed += 1
        if sm.kind == "unknown":
            if depth == 0:
                fr.outcome, fr.error_class, fr.error = "failing", "not_a_sitemap", sm.problem
                res.failures += 1
            continue
        if sm.problem:
            res.message = sm.problem
        if sm.kind == "index":
            if depth >= MAX_INDEX_DEPTH:
                continue
            for child in newest_first(sm.entries):
                if children >= MAX_CHILD_SITEMAPS:
                    break
                if is_http_url(child.url):
                    queue.append((child.url, depth + 1))
                    children += 1
        else:
            entries.extend(sm.entries)
    assert decisive is not None
    if entries:
        sourcing.record_listings(ctx.store, source.name, source.outlet, [
            dict(url=e.url, title=e.title, published=e.when, keywords=e.keywords)
            for e in entries[:MAX_LISTINGS]], iso(ctx.now()))
    feed_entries = []
    for e in newest_first(entries):
        fe = e.as_feed_entry()
        fe.summary = f"{e.keywords}\n{slug_words(e.url)}"  # the keyword filter also sees the URL
        feed_entries.append(fe)
    _take(ctx, source, feed_entries, res, listing_url=decisive.final_url or source.url,
          final_url=decisive.final_url, any_site=False)
    return decisive


# -- the search engine --------------------------------------------------------------------

async def poll_search(ctx: "PollContext", source: "SourceConfig", res: "SourceResult") -> FetchResult:
    """One request to the search API; its hits become watched articles."""
    fr = await _get(ctx, source, source.url, res)
    if not fr.has_body:
        return fr
    results = parse_artlist(fr.body)
    res.parsed += 1
    if results.problem and not results.hits:
        fr.outcome, fr.error_class, fr.error = "failing", "search_error", results.problem
        res.failures += 1
        return fr
    sourcing.record_listings(ctx.store, source.name, None, [
        dict(url=h.url, title=h.title, published=h.seen, keywords="") for h in results.hits[:MAX_LISTINGS]],
        iso(ctx.now()))
    hits = sorted(results.hits, key=lambda h: h.seen or "", reverse=True)
    _take(ctx, source, [h.as_feed_entry() for h in hits], res, listing_url=source.url,
          final_url=fr.final_url, any_site=True)
    return fr


async def poll_listing(ctx: "PollContext", source: "SourceConfig", res: "SourceResult") -> FetchResult:
    if source.kind == "gdelt":
        return await poll_search(ctx, source, res)
    return await poll_sitemap(ctx, source, res)
