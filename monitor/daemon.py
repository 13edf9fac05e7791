"""`chipwatch run`: the long-running watcher.

Design, in short:

* One asyncio event loop runs everything. APScheduler's AsyncIOScheduler starts each
  source's poll as a coroutine on that loop, so every poll shares one PollContext: one
  httpx client, one per-host gate (one request in flight per host, `per_host_delay`
  between them), one robots cache and one SQLite connection used from one thread.
  Different hosts are fetched concurrently; one host never sees two requests at once.
* One job per source (`source:<name>`), `max_instances=1`, `coalesce=True`, no misfire
  grace (a late run still runs, once). Its trigger is an IntervalTrigger at the source's
  interval with the configured jitter, but that is only the fallback rhythm: after every
  run (from the job-executed / job-error events) the job's next run time is set to the
  time the database says - `poll.next_due` from the state the poll just wrote (failures
  in a row, Retry-After). So Retry-After and exponential back-off shape the schedule,
  the schedule survives a restart, and a source whose follow-up could not be computed
  (database locked, disk full) still comes back at its interval.
* The database is the memory: on start each source resumes at its stored `next_due`;
  sources that are overdue (or new) are spread over a short window instead of all
  starting at once. The planned time is written back to `sources.next_due`, which is what
  `chipwatch sources` shows.
* Nothing a source does ends the daemon: job errors arrive as scheduler error events, are
  logged, written to the source's row (status failing, last_error), passed to the alert
  check and retried with back-off.
* SIGTERM/SIGINT: pause the scheduler, give in-flight polls up to `stop_timeout` seconds,
  flush deliveries, exit 0. SIGHUP, or a changed configuration file, reloads.
"""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import sqlite3
import statistics
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobExecutionEvent,
)
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from chipwatch.db import outbox as outbox_db
from chipwatch.db.sources import source_statuses
from chipwatch.db.store import Store
from chipwatch.monitor.config import Config, ConfigError, SourceConfig, load_config
from chipwatch.monitor.fetch import Fetcher, FetchParams, iso, utc_now
from chipwatch.monitor.alerts import check_source
from chipwatch.monitor.lock import AlreadyRunning, DaemonLock
from chipwatch.monitor.workers import Workers
from chipwatch.db.retention import prune_fetches
from chipwatch.monitor.baseline import sync_claims
from chipwatch.monitor.outbox import deliver_pending
from chipwatch.monitor.poll import (
    PollContext, SourceResult, next_due, parse_time, poll_source, select_sources,
)

log = logging.getLogger(__name__)

SOURCE_JOB = "source:"
FAILED_STATUSES = ("failing", "blocked", "gone")
OK_STATUSES = ("ok", "not_modified")
DELIVER_EVERY = 10.0  # seconds between passes over the outbox (the outbox paces retries itself)
DAEMON_BUSY_TIMEOUT_MS = 5000  # a locked database stalls the loop at most this long per write
STOP_BUDGET = 9.0  # seconds from SIGTERM to exit, polls and the final delivery together


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


# -- the daemon --------------------------------------------------------------------------------

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


class Daemon:
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
        self._config_mtimes = self._mtimes(config)
        self._retired: list[Fetcher] = []
        self._outbox_store: Store | None = None
        self._outbox_running: asyncio.Future | None = None
        self._deliver_again = False
        self._stop: asyncio.Event | None = None
        self.scheduler: AsyncIOScheduler | None = None
        self.ctx: PollContext | None = None
        self.workers: Workers = Workers(0)  # replaced by the real pool when the daemon runs

    # -- life cycle ---------------------------------------------------------------------

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._quiet_scheduler_logs()
        try:
            self.store.db.execute(f"PRAGMA busy_timeout = {DAEMON_BUSY_TIMEOUT_MS}")
        except sqlite3.Error as exc:
            log.warning("cannot shorten the database busy timeout: %s", exc)
        self.workers = Workers(self.config.fetch.parse_workers)  # parsing off the event loop
        self.ctx = PollContext(config=self.config, store=self.store,
                               fetcher=Fetcher(FetchParams.from_config(self.config.fetch)),
                               workers=self.workers)
        self.scheduler = AsyncIOScheduler(
            event_loop=loop, timezone=timezone.utc,
            job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": None})
        self.scheduler.add_listener(
            self._on_job_event, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)
        self._sync_sources(self.config)
        self._schedule_new(list(self.sources.values()))
        self.scheduler.add_job(self._watchdog, IntervalTrigger(seconds=self.opts.watchdog, timezone=timezone.utc),
                               id="watchdog", name="watchdog", max_instances=1, coalesce=True,
                               misfire_grace_time=None)
        self.scheduler.add_job(self._deliver, IntervalTrigger(seconds=DELIVER_EVERY, timezone=timezone.utc),
                               id="outbox", name="outbox", next_run_time=utc_now(),  # what was pending at start
                               max_instances=1, coalesce=True, misfire_grace_time=None)
        self.scheduler.add_job(self._trim_fetch_log, IntervalTrigger(hours=24, timezone=timezone.utc),
                               id="fetch-log-trim", name="fetch-log-trim", max_instances=1, coalesce=True,
                               misfire_grace_time=None)
        if self.opts.config_check > 0:
            self.scheduler.add_job(self._check_config_files,
                                   IntervalTrigger(seconds=self.opts.config_check, timezone=timezone.utc),
                                   id="config-check", name="config-check", max_instances=1, coalesce=True,
                                   misfire_grace_time=None)
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.request_stop, sig.name)
        loop.add_signal_handler(signal.SIGHUP, self.reload, "SIGHUP")
        self.scheduler.start()
        log.info("watching %d sources (pid %d, database %s)",
                 len(self.sources), os.getpid(), self.db_path,
                 extra={"event": "started", "sources": len(self.sources)})
        await self._stop.wait()
        await self._shutdown()
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            loop.remove_signal_handler(sig)
        return 0

    def request_stop(self, why: str = "request") -> None:
        if self.stopping:
            log.info("%s: already stopping", why)
            return
        log.info("%s: stopping (%d polls in flight)", why, len(self.inflight), extra={"event": "stopping"})
        self.stopping = True
        assert self._stop is not None
        self._stop.set()

    async def _shutdown(self) -> None:
        t0 = time.monotonic()
        assert self.scheduler is not None and self.ctx is not None
        self.scheduler.pause()  # no new work from here on
        pending: set[asyncio.Task] = set()
        if self.inflight:
            _, pending = await asyncio.wait(set(self.inflight), timeout=self.opts.stop_timeout)
        if pending:
            log.warning("stopping: %d polls did not finish within %g s and are cut off; they run again "
                        "after the next start", len(pending), self.opts.stop_timeout)
            for task in pending:
                task.cancel()
            await asyncio.wait(pending, timeout=1.0)
        budget = max(0.5, STOP_BUDGET - (time.monotonic() - t0))
        await self._flush_outbox(budget)
        self.scheduler.shutdown(wait=False)
        for fetcher in [self.ctx.fetcher, *self._retired]:
            try:
                await fetcher.aclose()
            except Exception as exc:  # noqa: BLE001
                log.debug("closing the HTTP client: %s", exc)
        if self._outbox_store is not None and (self._outbox_running is None or self._outbox_running.done()):
            self._outbox_store.close()
        self.workers.close(wait=False)
        log.info("stopped after %d polls (%.1f s to stop)", self.stats.polls, time.monotonic() - t0,
                 extra={"event": "stopped", "polls": self.stats.polls})

    @staticmethod
    def _quiet_scheduler_logs() -> None:
        """Job errors are logged once, here, with the source they belong to."""
        if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
            logging.getLogger("apscheduler.executors").setLevel(logging.CRITICAL)
            logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)

    # -- scheduling -----------------------------------------------------------------------

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

    # -- the jobs ---------------------------------------------------------------------------

    async def _poll_job(self, name: str) -> SourceResult | None:
        source = self.sources.get(name)
        if source is None or self.stopping or self.ctx is None:
            return None
        task = asyncio.current_task()
        if task is not None:
            self.inflight.add(task)
        now = utc_now()
        self.started_at[name] = now
        planned = self.planned.get(name)
        if planned is not None:
            self.stats.delays.append(max(0.0, (now - planned).total_seconds()))
        try:
            return await poll_source(self.ctx, source)
        finally:
            if task is not None:
                self.inflight.discard(task)

    def _on_job_event(self, event: JobExecutionEvent) -> None:
        if event.code == EVENT_JOB_MAX_INSTANCES:
            self.stats.busy_skips += 1
            log.debug("%s still running at its next run time; that run is folded into this one", event.job_id)
            return
        if event.code == EVENT_JOB_MISSED:
            log.warning("%s missed its run time %s", event.job_id, event.scheduled_run_time)
            return
        if not event.job_id.startswith(SOURCE_JOB):
            if event.code == EVENT_JOB_ERROR:
                self.stats.errors += 1
                log.error("%s failed: %s: %s\n%s", event.job_id, type(event.exception).__name__,
                          event.exception, event.traceback or "")
            return
        name = event.job_id[len(SOURCE_JOB):]
        try:
            if event.code == EVENT_JOB_ERROR:
                if self.stopping and isinstance(event.exception, asyncio.CancelledError):
                    log.info("poll of %s cut off by the stop", name)
                    return
                self._record_error(name, event.exception, event.traceback)
            elif event.retval is not None:
                self._after_poll(name, event.retval)
        except Exception:  # noqa: BLE001 - the follow-up of one source must not stop the others
            log.exception("after polling %s", name)
        finally:
            self._reschedule(name)

    def _after_poll(self, name: str, res: SourceResult) -> None:
        self.stats.polls += 1
        planned, started = self.planned.get(name), self.started_at.get(name)
        late_ms = int((started - planned).total_seconds() * 1000) if planned and started else None
        status = f"deferred ({res.status})" if res.deferred else res.status
        level = logging.WARNING if res.status in FAILED_STATUSES and not res.deferred else logging.INFO
        log.log(level, "poll %s: %s, http %s, fetched %d, new versions %d, new facts %d, failures %d%s",
                name, status, res.http_status if res.http_status is not None else "-", res.fetched,
                res.new_versions, res.new_facts, res.failures, f" - {res.message}" if res.message else "",
                extra={"event": "poll", "source": name, "status": res.status, "http_status": res.http_status,
                       "new_versions": res.new_versions, "elapsed_ms": res.elapsed_ms, "late_ms": late_ms})
        self._check_alerts(name)
        if res.new_versions:
            self._kick_outbox()  # the pipeline raised any alerts for the new version

    def _record_error(self, name: str, exc: BaseException, traceback: str | None) -> None:
        """A poll raised: write it against the source (if the database lets us) and alert."""
        self.stats.errors += 1
        self.stats.polls += 1
        failures = self.failures.get(name, 0) + 1
        self.failures[name] = failures
        message = f"{type(exc).__name__}: {exc}"[:500]
        log.error("poll %s raised %s (failure %d in a row)\n%s", name, message, failures, traceback or "",
                  extra={"event": "poll_error", "source": name, "error": message})
        source = self.sources.get(name)
        if source is None or self.ctx is None:
            return
        now = utc_now()
        try:
            state = self.store.source_state(name) or {}
            failures = max(failures, int(state.get("failures_in_row") or 0) + 1)
            self.failures[name] = failures
            self.store.update_source_state(
                name, status="failing", last_error=message, failures_in_row=failures, last_attempt=iso(now))
        except sqlite3.Error as db_exc:
            log.error("cannot record the failure of %s in the database (%s)", name, db_exc)
        self._check_alerts(name)

    def _check_alerts(self, name: str) -> None:
        try:
            raised = check_source(self.store, self.config, name)
        except Exception as exc:  # noqa: BLE001 - alerting trouble is logged, polling goes on
            log.error("alert check for %s failed: %s: %s", name, type(exc).__name__, exc)
            return
        if raised:
            self._kick_outbox()

    # -- the outbox ---------------------------------------------------------------------------

    def _kick_outbox(self) -> None:
        if self.stopping or self.scheduler is None:
            return
        if self._outbox_running is not None and not self._outbox_running.done():
            self._deliver_again = True
            return
        try:
            self.scheduler.modify_job("outbox", next_run_time=utc_now())
        except JobLookupError:
            pass

    def _deliver_blocking(self) -> Any:
        """Runs in its own thread with its own connection: channels may be slow."""
        if self._outbox_store is None:
            self._outbox_store = Store.open(self.db_path)
        return deliver_pending(self._outbox_store, self.config)

    def _start_delivery(self) -> asyncio.Future:
        if self._outbox_running is not None and not self._outbox_running.done():
            return self._outbox_running
        fut = _in_daemon_thread(self._deliver_blocking)
        self._outbox_running = fut
        return fut

    async def _deliver(self) -> None:
        while True:
            self._deliver_again = False
            try:
                await self._start_delivery()  # the outbox logs what it sent
            except Exception as exc:  # noqa: BLE001 - a dead channel is the outbox's business; keep going
                log.error("delivering alerts failed: %s: %s", type(exc).__name__, exc)
            # alerts raised meanwhile go out now: a kick while this job runs cannot start it again
            if not self._deliver_again or self.stopping:
                break

    async def _sync_claims(self) -> None:
        """A changed baseline is reassessed here, on its own connection in a thread, in
        batches: never inside a poll. Until it is done, new versions are assessed against
        the claims already synced."""
        claims = list(self.config.baseline)

        def sync() -> list[str]:
            store = Store.open(self.db_path, busy_timeout=self.config.database.busy_timeout)
            try:
                return sync_claims(store, claims)
            finally:
                store.close()

        try:
            changed = await asyncio.to_thread(sync)
            if changed:
                log.info("baseline claims reassessed: %s", ", ".join(changed))
        except Exception as exc:  # noqa: BLE001 - the next start or reload tries again
            log.warning("reassessing the baseline failed: %s: %s", type(exc).__name__, exc)

    async def _trim_fetch_log(self) -> None:
        """Daily: the fetch log keeps what db/retention.py keeps. On its own connection in a
        thread, in small transactions, so polls go on meanwhile."""
        keep = self.config.database.keep_fetches

        def trim() -> int:
            store = Store.open(self.db_path, busy_timeout=self.config.database.busy_timeout)
            try:
                return prune_fetches(store, keep).deleted
            finally:
                store.close()

        try:
            deleted = await asyncio.to_thread(trim)
            log.info("fetch log trimmed: %d old rows deleted (kept the last %d per URL)", deleted, keep)
        except Exception as exc:  # noqa: BLE001 - a trim can wait for tomorrow
            log.warning("trimming the fetch log failed: %s: %s", type(exc).__name__, exc)

    async def _flush_outbox(self, budget: float) -> None:
        deadline = time.monotonic() + budget
        try:
            running = self._outbox_running
            if running is not None and not running.done():
                await asyncio.wait_for(asyncio.shield(running), timeout=budget)
            left = deadline - time.monotonic()
            if left > 0.1:
                await asyncio.wait_for(asyncio.shield(self._start_delivery()), timeout=left)
        except asyncio.TimeoutError:
            log.warning("stopping: deliveries still running after %.1f s; what is undelivered stays "
                        "pending for the next start", budget)
        except Exception as exc:  # noqa: BLE001
            log.error("final delivery failed: %s: %s (pending deliveries stay pending)", type(exc).__name__, exc)

    # -- watchdog ----------------------------------------------------------------------------

    def pending_deliveries(self) -> int | None:
        try:
            return outbox_db.pending_count(self.store)
        except sqlite3.Error:
            return None

    async def _watchdog(self) -> None:
        names = list(self.sources)
        try:
            rows = {name: {"status": status} for name, status in source_statuses(self.store).items()}
        except sqlite3.Error as exc:
            log.error("watchdog: cannot read the database (%s)", exc)
            rows = {}
        ok = [n for n in names if (rows.get(n) or {}).get("status") in OK_STATUSES]
        failing = [n for n in names if (rows.get(n) or {}).get("status") in FAILED_STATUSES]
        other = len(names) - len(ok) - len(failing)
        pending = self.pending_deliveries()
        shown = ", ".join(sorted(failing)[:10]) + (", ..." if len(failing) > 10 else "")
        log.info("watchdog: %d sources: %d ok, %d failing%s, %d other; %s alert deliveries pending; "
                 "%d polls, %d errors since start; scheduling delay %s; %d polls in flight",
                 len(names), len(ok), len(failing), f" ({shown})" if failing else "", other,
                 "?" if pending is None else pending, self.stats.polls, self.stats.errors,
                 self.stats.delay_summary(), len(self.inflight),
                 extra={"event": "watchdog", "sources_ok": len(ok), "sources_failing": len(failing),
                        "pending_deliveries": pending, "polls": self.stats.polls, "errors": self.stats.errors})
        self.stats.delays.clear()

    # -- reload ------------------------------------------------------------------------------

    @staticmethod
    def _mtimes(config: Config) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for path in (config.path, config.sources_path, config.baseline_path):
            if path is not None:
                try:
                    out[str(path)] = os.stat(path).st_mtime_ns
                except OSError:
                    out[str(path)] = None
        return out

    async def _check_config_files(self) -> None:
        now = self._mtimes(self.config)
        if now != self._config_mtimes:
            self._config_mtimes = now  # a bad file is reported once, not at every look
            self.reload("configuration file changed")

    def _sync_sources(self, config: Config) -> None:
        try:
            self.store.sync_sources(config.sources)
        except sqlite3.Error as exc:
            log.error("cannot write the source list to the database (%s)", exc)
        if self.scheduler is not None:  # the baseline too, but off the loop (see _sync_claims)
            self.scheduler.add_job(self._sync_claims, id="baseline-sync", name="baseline-sync",
                                   replace_existing=True, misfire_grace_time=None)

    def reload(self, why: str = "reload") -> bool:
        """Apply a changed configuration; a bad one is logged and the running one kept."""
        if self.stopping or self.scheduler is None or self.ctx is None:
            return False
        try:
            new = load_config(self.config.path)
        except ConfigError as exc:
            log.error("%s: the new configuration is not valid, keeping the running one: %s", why, exc,
                      extra={"event": "reload_failed"})
            return False
        known = {s.name for s in new.sources}
        only = [n for n in self.only if n in known] if self.only else None
        if self.only and not only:
            log.error("%s: none of the sources named with --source are configured any more; keeping "
                      "the running configuration", why)
            return False
        wanted = {s.name: s for s in select_sources(new, only)}
        self._config_mtimes = self._mtimes(new)
        self._sync_sources(new)
        params = FetchParams.from_config(new.fetch)
        if params != self.ctx.fetcher.params:
            self._retired.append(self.ctx.fetcher)  # in-flight polls finish with it; closed at stop
            self.ctx = PollContext(config=new, store=self.store, fetcher=Fetcher(params), workers=self.workers)
        else:
            self.ctx.config = new
        old = self.sources
        self.config = new
        removed = [n for n in old if n not in wanted]
        added = [s for n, s in wanted.items() if n not in old]
        changed = [s for n, s in wanted.items() if n in old and old[n] != s]
        self.sources = dict(wanted)
        for name in removed:
            try:
                self.scheduler.remove_job(SOURCE_JOB + name)
            except JobLookupError:
                pass
            self.planned.pop(name, None)
        for source in changed:
            if old[source.name].interval != source.interval:
                # as if the last poll had been planned with the new interval
                state = self._states([source.name])[source.name] or {}
                last = parse_time(state.get("last_attempt"))
                now = utc_now()
                when = now
                if last is not None:
                    failures = int(state.get("failures_in_row") or 0)
                    when = max(now, next_due(self.ctx, source, failures, state.get("status") in FAILED_STATUSES,
                                             last, retry_after_of(state)))
                self.scheduler.reschedule_job(SOURCE_JOB + source.name, trigger=self._trigger(source))
                self.scheduler.modify_job(SOURCE_JOB + source.name, next_run_time=when)
                self._set_planned(source.name, when)
        self._schedule_new(added)
        log.info("%s: configuration reloaded: %d sources; added %s; removed %s; changed %s", why,
                 len(self.sources), _names(s.name for s in added), _names(removed),
                 _names(s.name for s in changed),
                 extra={"event": "reloaded", "sources": len(self.sources)})
        return True


def _names(items: Any) -> str:
    names = list(items)
    return ", ".join(names) if names else "none"


def _in_daemon_thread(fn: Callable[[], Any]) -> asyncio.Future:
    """Run blocking work in a daemon thread: unlike the loop's executor, a channel that hangs
    cannot hold the process open after SIGTERM (its deliveries simply stay pending)."""
    loop = asyncio.get_running_loop()
    fut: asyncio.Future = loop.create_future()

    def settle(result: Any = None, error: BaseException | None = None) -> None:
        if fut.done():
            return
        if error is not None:
            fut.set_exception(error)
        else:
            fut.set_result(result)

    def work() -> None:
        try:
            result = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the loop
            _call_soon(loop, settle, None, exc)
        else:
            _call_soon(loop, settle, result, None)

    threading.Thread(target=work, name="chipwatch-outbox", daemon=True).start()
    return fut


def _call_soon(loop: asyncio.AbstractEventLoop, fn: Callable[..., None], *args: Any) -> None:
    try:
        loop.call_soon_threadsafe(fn, *args)
    except RuntimeError:  # the loop is closed: the process is exiting
        pass


# -- entry point from the command line ----------------------------------------------------------

def run_daemon(config: Config, store: Store, only: list[str] | None = None, **options: Any) -> int:
    """`chipwatch run`: take the database's lock, then watch until SIGTERM/SIGINT."""
    from chipwatch.errors import InputError, RunError

    try:
        select_sources(config, only)
    except ValueError as exc:
        raise InputError(f"run: {exc}") from exc
    db_path = store.path
    try:
        lock = DaemonLock.acquire(db_path)
    except AlreadyRunning as exc:
        raise RunError(f"run: {exc}") from exc
    except OSError as exc:
        raise RunError(f"run: cannot take the lock next to {db_path}: {exc}") from exc
    try:
        daemon = Daemon(config, store, db_path=db_path, only=only,
                        options=DaemonOptions(**{k: v for k, v in options.items() if v is not None}))
        return asyncio.run(daemon.run())
    finally:
        lock.release()
