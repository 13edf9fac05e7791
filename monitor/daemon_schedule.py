"""The daemon's schedule: when each source runs, from what the database remembers, and
the base of the daemon that gives each source its job and moves it after every run.

The first run resumes at the stored `next_due` (Retry-After always holds; overdue sources are
spread over a short window); after every run the next time is `poll.next_due` of the state the
poll just wrote, written back to `sources.next_due` for `chipwatch sources`.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import statistics
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from chipwatch.db.store import Store
from chipwatch.monitor.config import Config, SourceConfig
from chipwatch.monitor.fetch import Fetcher, iso, utc_now
from chipwatch.monitor.workers import Workers
from chipwatch.monitor.poll import (
    PollContext, SourceResult, next_due, select_sources,
)
from chipwatch.monitor.since import parse_time

# one logger for every part of the daemon, so its lines read as before the split
log = logging.getLogger("chipwatch.monitor.daemon")

SOURCE_JOB = "source:"
FAILED_STATUSES = ("failing", "blocked", "gone")
OK_STATUSES = ("ok", "not_modified")


@dataclass
class DaemonOptions:
    watchdog: float = 600.0  # seconds between watchdog log lines
    config_check: float = 30.0  # seconds between looks at the config files' mtimes; 0 = SIGHUP only
    startup_spread: float = 60.0  # overdue sources start spread over at most this many seconds
    stop_timeout: float = 6.0  # how long in-flight polls may finish after SIGTERM


# -- when each source runs --------------------------------------------------------------------

def retry_after_of(state: dict | None) -> datetime | None:
    """The stored Retry-After, rounded up: the column keeps whole seconds, the server's
    deadline may lie up to a second later, and we never want to come back early."""
    until = parse_time((state or {}).get("retry_after_until"))
    return until + timedelta(seconds=1) if until else None


def longest_wait(source: SourceConfig, failures: int, max_backoff: float, jitter: float) -> float:
    """The longest gap poll.next_due can produce for this many failures in a row."""
    interval = source.interval
    if failures > 1:
        interval = min(interval * 2 ** (failures - 1), max(max_backoff, interval))
    return interval * (1 + jitter)


def resume_time(state: dict | None, source: SourceConfig, now: datetime, max_backoff: float,
                jitter: float) -> datetime | None:
    """When a source runs next according to the database, or None when it is due now (never
    polled, or overdue). A stored time further away than the source's current interval
    allows (the interval was shortened) is pulled in; Retry-After always holds."""
    state = state or {}
    due = parse_time(state.get("next_due"))
    if due is None:
        return None
    wait_until = retry_after_of(state)
    base = parse_time(state.get("last_attempt")) or now
    failures = int(state.get("failures_in_row") or 0)
    ceiling = base + timedelta(seconds=longest_wait(source, failures, max_backoff, jitter))
    if wait_until is not None:
        ceiling = max(ceiling, wait_until)
        due = max(due, wait_until)
    due = min(due, ceiling)
    return due if due > now else None


def plan_start(items: list[tuple[SourceConfig, dict | None]], now: datetime, spread: float,
               max_backoff: float, jitter: float) -> dict[str, datetime]:
    """First run time of each source: its stored time, or, for sources due now, an even
    spread over a short window (never longer than any of their intervals, so none of them
    loses a whole interval), most overdue first."""
    plan: dict[str, datetime] = {}
    overdue: list[tuple[SourceConfig, dict | None]] = []
    for source, state in items:
        when = resume_time(state, source, now, max_backoff, jitter)
        if when is None:
            overdue.append((source, state))
        else:
            plan[source.name] = when
    if overdue:
        overdue.sort(key=lambda item: ((item[1] or {}).get("next_due") or "", item[0].name))
        window = min([spread] + [s.interval for s, _ in overdue])
        for i, (source, _) in enumerate(overdue):
            plan[source.name] = now + timedelta(seconds=window * i / len(overdue))
    return plan


@dataclass
class DaemonStats:
    started: float = field(default_factory=time.monotonic)
    polls: int = 0
    errors: int = 0
    busy_skips: int = 0
    delays: deque = field(default_factory=lambda: deque(maxlen=20000))  # seconds late, this period

    def delay_summary(self) -> str:
        if not self.delays:
            return "no polls"
        values = sorted(self.delays)
        p50 = statistics.median(values)
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        return f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms"


class DaemonBase:
    """The daemon's state and its source jobs; daemon.py adds the life cycle and the poll job,
    daemon_upkeep.py the outbox and housekeeping jobs, daemon_reload.py the reload."""

    def __init__(self, config: Config, store: Store, *, db_path: Path | str, only: list[str] | None = None,
                 options: DaemonOptions | None = None) -> None:
        self.config = config
        self.store = store
        self.db_path = db_path
        self.only = only
        self.opts = options or DaemonOptions()
        self.sources: dict[str, SourceConfig] = {s.name: s for s in select_sources(config, only)}
        self.stats = DaemonStats()
        self.failures: dict[str, int] = {}  # mirror of failures_in_row for when the database fails us
        self.planned: dict[str, datetime] = {}  # the run time each source job was given
        self.started_at: dict[str, datetime] = {}  # start of each source's running poll
        self.inflight: set[asyncio.Task] = set()
        self.stopping = False
        self._retired: list[Fetcher] = []
        self._outbox_store: Store | None = None
        self._outbox_running: asyncio.Future | None = None
        self._deliver_again = False
        self._stop: asyncio.Event | None = None
        self.scheduler: AsyncIOScheduler | None = None
        self.ctx: PollContext | None = None
        self.workers: Workers = Workers(0)  # replaced by the real pool when the daemon runs

    # -- scheduling -----------------------------------------------------------------------

    async def _poll_job(self, name: str) -> SourceResult | None:
        """The job each source's schedule runs: one poll (daemon.py has it)."""
        raise NotImplementedError

    def _trigger(self, source: SourceConfig) -> IntervalTrigger:
        jitter = source.interval * self.config.schedule.jitter
        return IntervalTrigger(seconds=source.interval, jitter=jitter or None, timezone=timezone.utc)

    def _states(self, names: list[str]) -> dict[str, dict | None]:
        try:
            return {n: self.store.source_state(n) for n in names}
        except sqlite3.Error as exc:
            log.error("cannot read source state (%s); starting those sources now", exc)
            return {n: None for n in names}

    def _schedule_new(self, sources: list[SourceConfig]) -> None:
        """Add a job for each source, resuming where the database left it."""
        assert self.scheduler is not None
        states = self._states([s.name for s in sources])
        sched = self.config.schedule
        plan = plan_start([(s, states[s.name]) for s in sources], utc_now(), self.opts.startup_spread,
                          sched.max_backoff, sched.jitter)
        for source in sources:
            state = states[source.name] or {}
            self.failures[source.name] = int(state.get("failures_in_row") or 0)
            when = plan[source.name]
            self.scheduler.add_job(self._poll_job, self._trigger(source), args=[source.name],
                                   id=SOURCE_JOB + source.name, name=source.name, next_run_time=when,
                                   replace_existing=True, max_instances=1, coalesce=True,
                                   misfire_grace_time=None)
            self._set_planned(source.name, when)

    def _set_planned(self, name: str, when: datetime) -> None:
        """Remember the run time and show it in `chipwatch sources`."""
        self.planned[name] = when
        try:
            self.store.update_source_state(name, next_due=iso(when))
        except sqlite3.Error as exc:
            log.warning("cannot write the next run of %s (%s)", name, exc)

    def _reschedule(self, name: str) -> None:
        """After a run: the next one at the time computed from the stored state."""
        if self.stopping or name not in self.sources or self.scheduler is None:
            return
        source = self.sources[name]
        started = self.started_at.pop(name, None) or utc_now()
        assert self.ctx is not None
        try:
            state = self.store.source_state(name) or {}
            failures = int(state.get("failures_in_row") or 0)
            failed = state.get("status") in FAILED_STATUSES
            self.failures[name] = failures
            wait_until = retry_after_of(state)
        except sqlite3.Error as exc:
            log.error("cannot read the state of %s (%s); backing off from memory", name, exc)
            failures = self.failures.get(name, 0)
            failed, wait_until = failures > 0, None
        when = next_due(self.ctx, source, failures, failed, started, wait_until)
        try:
            self.scheduler.modify_job(SOURCE_JOB + name, next_run_time=when)
        except JobLookupError:
            return  # removed by a reload while it ran
        self._set_planned(name, when)
