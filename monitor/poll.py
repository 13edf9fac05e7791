"""One poll cycle: fetch every source, discover articles from feeds, store what changed.

The unit of work is `poll_source(ctx, source)`; `run_once` runs it for every enabled
source concurrently (politeness is per host, inside the fetcher), and a scheduler can call
`poll_source` itself with one long-lived `PollContext`.

Cheap when nothing changed: a 304 is recorded and nothing is parsed; a 200 whose body is
byte-identical to the latest stored version is recognised by its hash before any parsing.
"""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import AsyncIterator, Callable

from chipwatch import errors
from chipwatch.db.store import Store, is_busy, is_disk_full
from chipwatch.monitor.alerts import check_source
from chipwatch.monitor.baseline import sync_claims
from chipwatch.monitor.config import Config, SourceConfig
from chipwatch.db.sourcing import record_listings
from chipwatch.monitor.discovery import LISTING_KINDS, MAX_LISTINGS, poll_listing
from chipwatch.monitor.feeds import parse_feed, select_entries
from chipwatch.monitor.fetch import Fetcher, FetchParams, FetchResult, iso, utc_now
from chipwatch.monitor.outbox import DeliveryReport, deliver_pending
from chipwatch.monitor.pipeline import Prepared, prepare_body, store_prepared
from chipwatch.monitor.redact import redact
from chipwatch.monitor.revisits import RevisitPolicy, Watched, revisit_due
from chipwatch.monitor.since import parse_time
from chipwatch.monitor.workers import Workers

log = logging.getLogger(__name__)

FAILURE_OUTCOMES = ("blocked", "gone", "failing", "error")
SOURCE_STATUS = {
    "ok": "ok", "truncated": "ok", "unchanged": "ok", "not_modified": "not_modified",
    "blocked": "blocked", "gone": "gone", "failing": "failing", "error": "failing",
    "robots_disallowed": "robots_disallowed",
}
REFUSED_TARGETS = ("private_address", "unsupported_scheme", "bad_url")
STORAGE_EXIT = 3  # the exit code when the disk is full or the database cannot be written


@dataclass
class SourceResult:
    """What one source's poll did; the counters add up into the run summary."""

    source: str
    kind: str
    status: str = "new"  # the status written to the sources table
    http_status: int | None = None
    fetched: int = 0  # URLs requested (feed, pages, articles)
    not_modified: int = 0  # 304 answers
    unchanged: int = 0  # 200 answers whose content was already stored
    new_versions: int = 0
    new_facts: int = 0
    parsed: int = 0  # bodies that went through parsing (feeds and articles)
    failures: int = 0
    skipped: int = 0  # refused or ignored: robots, off-site or private links, non-articles
    discovered: int = 0  # new article URLs from a feed
    deferred: bool = False  # not polled: the server asked us to wait (Retry-After)
    reached: bool = False  # some server answered (or asked us to wait): the source could run
    message: str | None = None
    elapsed_ms: int = 0
    new_snapshot_ids: list[int] = field(default_factory=list)
    added_fact_ids: list[int] = field(default_factory=list)

    def line(self) -> str:
        status = f"deferred ({self.status})" if self.deferred else self.status
        http = "-" if self.http_status is None else str(self.http_status)
        parts = [f"{self.source:<30} {self.kind:<4} {status:<18} http {http:<3}",
                 f"fetched {self.fetched}", f"not modified {self.not_modified}",
                 f"unchanged {self.unchanged}", f"new versions {self.new_versions}",
                 f"new facts {self.new_facts}", f"parsed {self.parsed}", f"failures {self.failures}"]
        if self.kind == "feed" or self.kind in LISTING_KINDS:
            parts.append(f"discovered {self.discovered}")
        if self.skipped:
            parts.append(f"skipped {self.skipped}")
        text = "  ".join(parts)
        return f"{text}  - {self.message}" if self.message else text


COUNTERS = ("fetched", "not_modified", "unchanged", "new_versions", "new_facts", "parsed",
            "failures", "skipped", "discovered")


@dataclass
class PollSummary:
    results: list[SourceResult] = field(default_factory=list)
    elapsed_s: float = 0.0
    delivery: DeliveryReport | None = None
    storage_error: str | None = None  # the disk filled up (or failed writes) during the cycle
    no_dns: bool = False  # no host name resolved: likely no network

    def total(self, counter: str) -> int:
        return sum(getattr(r, counter) for r in self.results)

    @property
    def totals(self) -> dict[str, int]:
        return {c: self.total(c) for c in COUNTERS}

    @property
    def could_run(self) -> bool:
        return any(r.reached for r in self.results)

    @property
    def exit_code(self) -> int:
        """0 when at least one source could be polled, 1 when nothing could run at all,
        3 when the database could not be written (disk full): what was saved is kept."""
        if self.storage_error:
            return STORAGE_EXIT
        return 0 if self.could_run else 1

    def lines(self) -> list[str]:
        t = self.totals
        total = (f"total: {len(self.results)} sources, fetched {t['fetched']}, not modified {t['not_modified']}, "
                 f"unchanged {t['unchanged']}, new versions {t['new_versions']}, new facts {t['new_facts']}, "
                 f"parsed {t['parsed']}, failures {t['failures']}, skipped {t['skipped']}, "
                 f"discovered {t['discovered']} in {self.elapsed_s:.1f} s")
        lines = [r.line() for r in self.results]
        if self.delivery is not None:
            d = self.delivery
            lines.append(f"alerts: {d.delivered} delivered, {d.failed} failed, {d.pending} pending")
        return lines + [total]


@dataclass
class PollContext:
    """State shared by all sources of a run (or by a long-running scheduler)."""

    config: Config
    store: Store
    fetcher: Fetcher
    rng: random.Random = field(default_factory=random.Random)
    now: Callable[[], datetime] = utc_now
    max_articles_per_feed: int = 100  # watched articles re-fetched per feed poll, least recent first
    skip_identical: bool = True  # a 200 with the latest version's exact bytes is not parsed again
    storage_error: str | None = None  # set when the disk is full: later sources are not polled
    workers: Workers | None = None  # where parsing and extraction run; None: in this process

    @classmethod
    @contextlib.asynccontextmanager
    async def open(cls, config: Config, store: Store, *, params: FetchParams | None = None,
                   **options: object) -> AsyncIterator["PollContext"]:
        fetcher = Fetcher(params or FetchParams.from_config(config.fetch))
        given = options.pop("workers", None)
        workers = given if isinstance(given, Workers) else Workers(config.fetch.parse_workers)
        try:
            yield cls(config=config, store=store, fetcher=fetcher, workers=workers, **options)  # type: ignore[arg-type]
        finally:
            await fetcher.aclose()
            workers.close()

    async def prepare(self, body: bytes, headers: dict[str, str], url: str) -> Prepared:
        """Decode, parse and extract a body off the event loop."""
        if self.workers is None:
            return prepare_body(body, headers, url)
        return await self.workers.run(prepare_body, body, headers, url)

    async def parse_feed(self, body: bytes, headers: dict[str, str], url: str):  # noqa: ANN201
        if self.workers is None:
            return parse_feed(body, headers, url)
        return await self.workers.run(parse_feed, body, headers, url)


# -- one URL --------------------------------------------------------------------------------

def _fetch_row(source: str, fr: FetchResult, sent_etag: str | None, sent_lm: str | None) -> dict:
    etag, last_modified = fr.etag, fr.last_modified
    if fr.outcome == "not_modified":  # 304s may omit validators; keep the ones that worked
        etag, last_modified = etag or sent_etag, last_modified or sent_lm
    return dict(source=source, url=fr.url, final_url=fr.final_url, started_at=fr.started_at,
                elapsed_ms=fr.elapsed_ms, http_status=fr.status, outcome=fr.outcome, bytes=len(fr.body),
                conditional=fr.conditional, retries=fr.retries, error_class=fr.error_class,
                error=fr.error, etag=etag, last_modified=last_modified, content_type=fr.content_type,
                truncated=fr.truncated)


async def poll_url(ctx: PollContext, source: SourceConfig, url: str, res: SourceResult) -> FetchResult:
    """Fetch one page conditionally, store a new version if there is one, record the attempt."""
    store = ctx.store
    etag, last_modified = store.validators(url)
    fr = await ctx.fetcher.fetch(url, etag=etag, last_modified=last_modified)
    res.fetched += 1
    res.reached = res.reached or fr.got_response or fr.outcome == "robots_disallowed"
    row = _fetch_row(source.name, fr, etag, last_modified)
    if fr.outcome == "not_modified":
        res.not_modified += 1
        latest = store.latest_version(url)
        store.record_fetch(**row, snapshot_id=latest[1] if latest else None)
        if latest:
            store.mark_seen(latest[0], fr.started_at)
        return fr
    if not fr.has_body:
        store.record_fetch(**row)
        if fr.outcome in FAILURE_OUTCOMES:
            res.failures += 1
        else:
            res.skipped += 1
        return fr
    latest = store.latest_version(url) if ctx.skip_identical else None
    if latest and latest[2] == hashlib.sha256(fr.body).hexdigest():
        row["outcome"] = "unchanged"
        store.record_fetch(**row, snapshot_id=latest[1])
        store.mark_seen(latest[0], fr.started_at)
        res.unchanged += 1
        return fr
    fetch_id = store.record_fetch(**row)
    try:
        prepared = await ctx.prepare(fr.body, fr.headers, url)
        stored = store_prepared(store, prepared, url=url, body=fr.body, headers=fr.headers,
                                fetched_at=fr.started_at, http_status=fr.status, source=source.name,
                                outlet=source.outlet, fetch_id=fetch_id, truncated=fr.truncated,
                                config=ctx.config)
    except Exception as exc:  # noqa: BLE001 - one odd page must not stop the cycle
        if is_busy(exc) or is_disk_full(exc):
            raise  # the database's trouble, not the page's: poll_source decides
        log.exception("storing %s failed", url)
        store.set_fetch_outcome(fetch_id, "error", "pipeline_error", f"{type(exc).__name__}: {exc}"[:500])
        res.failures += 1
        fr.outcome, fr.error_class, fr.error = "error", "pipeline_error", str(exc)
        return fr
    if stored.skipped:
        store.set_fetch_outcome(fetch_id, "skipped", f"not_article_{stored.kind}", stored.message)
        res.skipped += 1
        if stored.kind in ("html", "text"):
            res.parsed += 1
        return fr
    res.parsed += 1
    if stored.new_version:
        res.new_versions += 1
        res.new_facts += stored.new_facts
        if stored.snapshot_id is not None:
            res.new_snapshot_ids.append(stored.snapshot_id)
        if stored.saved is not None:
            res.added_fact_ids.extend(stored.saved.added_fact_ids)
    else:
        store.set_fetch_outcome(fetch_id, "unchanged")
        res.unchanged += 1
    return fr


# -- feeds ----------------------------------------------------------------------------------

async def _poll_feed(ctx: PollContext, source: SourceConfig, res: SourceResult) -> FetchResult:
    store = ctx.store
    etag, last_modified = store.validators(source.url)
    fr = await ctx.fetcher.fetch(source.url, etag=etag, last_modified=last_modified)
    res.fetched += 1
    res.reached = res.reached or fr.got_response or fr.outcome == "robots_disallowed"
    row = _fetch_row(source.name, fr, etag, last_modified)
    if fr.outcome == "not_modified":
        res.not_modified += 1
    elif fr.has_body:
        feed = await ctx.parse_feed(fr.body, fr.headers, fr.final_url)
        res.parsed += 1
        if feed.version is None and not feed.entries:
            row.update(outcome="failing", error_class="not_a_feed", error=feed.problem or "no feed found in the body")
            fr.outcome, fr.error = "failing", row["error"]
            res.failures += 1
        else:
            if feed.bozo:
                row.update(error_class="malformed_feed", error=feed.problem)
                res.message = feed.problem
            _take_entries(ctx, source, fr, feed, res)
    elif fr.outcome in FAILURE_OUTCOMES:
        res.failures += 1
    else:
        res.skipped += 1
    store.record_fetch(**row)
    return fr


def _take_entries(ctx: PollContext, source: SourceConfig, fr: FetchResult, feed, res: SourceResult) -> None:  # noqa: ANN001
    decisions = select_entries(feed, feed_url=source.url, final_url=fr.final_url, outlet=source.outlet,
                               keywords=source.keywords,
                               allow_private=ctx.fetcher.params.allow_private_addresses)
    # every entry is remembered, matching or not: a broken citation may be one (issue 14)
    record_listings(ctx.store, source.name, source.outlet, [
        dict(url=d.url, title=d.entry.title, published=d.entry.published)
        for d in decisions[:MAX_LISTINGS] if d.url], iso(ctx.now()))
    cap = getattr(ctx.config.schedule, "max_new_entries", 50)
    held = 0
    for d in decisions:
        if d.verdict == "bad_url" and not d.url and d.entry.url:
            # an entry whose link cannot even be parsed: recorded once, the rest of the feed goes on
            res.skipped += 1
            raw = d.entry.url[:500]
            if not ctx.store.skipped_before(raw, "bad_url"):
                ctx.store.record_fetch(source=source.name, url=raw, started_at=iso(ctx.now()),
                                       outcome="skipped", error_class="bad_url", error=d.reason)
        elif d.verdict == "watch" and d.url:
            if res.discovered >= cap:
                # a feed of thousands of entries: the first `cap` new ones now (feeds list the
                # newest first), the others on later polls, so one poll stays bounded
                if ctx.store.document_by_url(d.url) is None:
                    held += 1
                continue
            if ctx.store.add_discovered(url=d.url, outlet=source.outlet, source=source.name,
                                        title=d.entry.title or None, published=d.entry.published):
                res.discovered += 1
        elif d.verdict in ("offsite", "private_address", "bad_url") and d.url:
            res.skipped += 1
            if not ctx.store.skipped_before(d.url, d.verdict):
                ctx.store.record_fetch(source=source.name, url=d.url, started_at=iso(ctx.now()),
                                       outcome="skipped", error_class=d.verdict, error=d.reason)
    if held:
        res.message = (f"{held} more new entries than schedule.max_new_entries ({cap}) "
                       "per poll: left for the next polls")
        log.info("%s: %s", source.name, res.message)


def _articles_to_poll(ctx: PollContext, source: SourceConfig) -> list[str]:
    now = ctx.now()
    policy = RevisitPolicy.from_schedule(ctx.config.schedule)
    watched = [d for d in ctx.store.watched_urls(source.name) if revisit_due(Watched(
        d["url"], parse_time(d.get("first_seen")), parse_time(d.get("last_confirmed")),
        parse_time(d.get("last_changed")), parse_time(d.get("listed"))), now, policy)]
    # never fetched first, then the least recently fetched
    watched.sort(key=lambda d: (d.get("latest_snapshot_id") is not None, d.get("last_fetched") or ""))
    return [d["url"] for d in watched[: ctx.max_articles_per_feed]]


# -- one source -----------------------------------------------------------------------------

def next_due(ctx: PollContext, source: SourceConfig, failures_in_row: int, failed: bool,
             now: datetime, retry_after_until: datetime | None) -> datetime:
    """Interval with jitter; after failures the interval doubles per failure, up to max_backoff."""
    interval = source.interval
    if failed and failures_in_row > 1:
        cap = max(getattr(ctx.config.schedule, "max_backoff", 6 * 3600.0), interval)
        interval = min(interval * 2 ** (failures_in_row - 1), cap)
    jitter = ctx.config.schedule.jitter
    due = now + timedelta(seconds=interval * (1 + ctx.rng.uniform(-jitter, jitter)))
    if retry_after_until is not None and retry_after_until > due:
        due = retry_after_until
    return due


async def poll_source(ctx: PollContext, source: SourceConfig) -> SourceResult:
    """Poll one source (a page, or a feed and its watched articles) and update its state.

    Whatever goes wrong inside is this source's failure, recorded as such: one odd
    response or entry never stops the other sources of the cycle. Only a full disk
    (nothing more can be saved) ends the cycle."""
    t0 = time.monotonic()
    res = SourceResult(source.name, source.kind)
    if ctx.storage_error:
        res.status, res.message = "not_polled", f"not polled: {ctx.storage_error}"
        return res
    try:
        return await _poll_source(ctx, source, res, t0)
    except Exception as exc:  # noqa: BLE001
        if is_disk_full(exc):
            ctx.storage_error = f"cannot write the database: {exc}"
            res.failures += 1
            res.status, res.message = "not_saved", f"not saved: {ctx.storage_error}"
            return res
        log.warning("polling %s failed: %s", source.name, exc, exc_info=not is_busy(exc))
        res.failures += 1
        res.status = "failing"
        res.message = redact(f"database busy, not saved this time ({exc})" if is_busy(exc)
                             else f"{type(exc).__name__}: {exc}")[:500]
        res.elapsed_ms = int((time.monotonic() - t0) * 1000)
        with contextlib.suppress(Exception):
            ctx.store.record_fetch(source=source.name, url=source.url, started_at=iso(ctx.now()),
                                   outcome="error", error_class="database_busy" if is_busy(exc) else "internal_error",
                                   error=res.message)
        return res


async def _poll_source(ctx: PollContext, source: SourceConfig, res: SourceResult, t0: float) -> SourceResult:
    state = ctx.store.source_state(source.name) or {}
    now = ctx.now()
    wait_until = parse_time(state.get("retry_after_until"))
    if wait_until is not None and wait_until > now:
        res.deferred = res.reached = True
        res.status = state.get("status") or "new"
        res.http_status = state.get("last_http_status")
        res.message = f"server asked to wait until {iso(wait_until)}"
        return res
    if source.kind == "feed" or source.kind in LISTING_KINDS:
        if source.kind == "feed":
            fr = await _poll_feed(ctx, source, res)
        else:  # sitemaps and the search engine list articles as a feed does (issue 14)
            fr = await poll_listing(ctx, source, res)
        if fr.outcome in ("ok", "truncated", "not_modified"):
            urls = _articles_to_poll(ctx, source)
            await asyncio.gather(*(poll_url(ctx, source, u, res) for u in urls))
        outcome = fr.outcome
    else:
        fr = await poll_url(ctx, source, source.url, res)
        outcome = "unchanged" if res.unchanged and fr.outcome in ("ok", "truncated") else fr.outcome
    _update_state(ctx, source, res, fr, outcome, state, now)
    res.elapsed_ms = int((time.monotonic() - t0) * 1000)
    return res


def _update_state(ctx: PollContext, source: SourceConfig, res: SourceResult, fr: FetchResult,
                  outcome: str, state: dict, now: datetime) -> None:
    failures = int(state.get("failures_in_row") or 0)
    if outcome == "skipped":
        status = "failing" if fr.error_class in REFUSED_TARGETS else "ok"
    else:
        status = SOURCE_STATUS.get(outcome, "failing")
    failed = status in ("blocked", "gone", "failing")
    if failed:
        failures += 1
    elif status != "robots_disallowed":
        failures = 0
    fields_: dict[str, object] = dict(
        status=status, last_attempt=fr.started_at, last_http_status=fr.status, failures_in_row=failures,
        last_error=fr.error if (failed or status == "robots_disallowed" or res.message) else None,
        retry_after_until=iso(fr.retry_after_until) if fr.retry_after_until else None,
        next_due=iso(next_due(ctx, source, failures, failed, now, fr.retry_after_until)),
    )
    if status in ("ok", "not_modified"):
        fields_["last_success"] = fr.started_at
        if res.message and not fr.error:
            fields_["last_error"] = res.message
    ctx.store.update_source_state(source.name, **fields_)
    res.status, res.http_status = status, fr.status
    if failed and not res.message:
        res.message = fr.error


# -- a whole cycle --------------------------------------------------------------------------

UnknownSource = errors.UnknownSource  # `--source NAME` names no configured source (exit 2)


def select_sources(config: Config, only: list[str] | None) -> list[SourceConfig]:
    """Every enabled source, or exactly the named ones (named sources run even if disabled)."""
    if not only:
        return list(config.enabled_sources)
    known = {s.name: s for s in config.sources}
    unknown = [n for n in only if n not in known]
    if unknown:
        raise UnknownSource(f"unknown source(s): {', '.join(unknown)}")
    return [known[n] for n in dict.fromkeys(only)]


async def poll_all(ctx: PollContext, sources: list[SourceConfig]) -> PollSummary:
    t0 = time.monotonic()
    results = await asyncio.gather(*(poll_source(ctx, s) for s in sources))
    return PollSummary(list(results), time.monotonic() - t0)


def run_once(config: Config, store: Store, *, only: list[str] | None = None,
             params: FetchParams | None = None, **options: object) -> PollSummary:
    """One poll of every enabled source (or the named ones), for `chipwatch run --once`.
    `options` are PollContext fields (rng, skip_identical, max_articles_per_feed)."""
    sources = select_sources(config, only)
    store.sync_sources(config.sources)
    sync_claims(store, config.baseline)  # a changed baseline is reassessed once, before polling

    async def cycle() -> PollSummary:
        async with PollContext.open(config, store, params=params, **options) as ctx:
            ctx.fetcher.names.quiet = True  # the command's last line says it
            done = await poll_all(ctx, sources)
            done.storage_error = ctx.storage_error
            done.no_dns = ctx.fetcher.names.no_dns
            return done

    summary = asyncio.run(cycle())
    if summary.storage_error:
        return summary  # judging sources and the outbox both write: nothing more to do now
    # Then what the daemon does after each poll: alert on sources that started failing or
    # came back, and send what the cycle raised.
    for source in sources:
        check_source(store, config, source.name)
    summary.delivery = deliver_pending(store, config)
    return summary


