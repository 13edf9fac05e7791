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

The parts, one theme each: daemon_schedule.py (when each source runs, the source jobs),
daemon_upkeep.py (outbox, baseline reassessment, fetch-log trim, watchdog), daemon_reload.py
(the reload); this module has the life cycle, the signals and the poll job.
"""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import sqlite3
import time
from datetime import timezone
from typing import Any

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobExecutionEvent,
)
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from chipwatch.db.store import Store
from chipwatch.monitor.config import Config
from chipwatch.monitor.fetch import Fetcher, FetchParams, iso, utc_now
from chipwatch.monitor.alerts import check_source
from chipwatch.monitor.lock import AlreadyRunning, DaemonLock
from chipwatch.monitor.workers import Workers
from chipwatch.monitor.poll import (
    PollContext, SourceResult, poll_source, select_sources,
)
from chipwatch.monitor.daemon_reload import DaemonReload
from chipwatch.monitor.daemon_schedule import (  # the schedule's names, where callers found them
    FAILED_STATUSES, OK_STATUSES, SOURCE_JOB, DaemonOptions, DaemonStats, longest_wait, plan_start, resume_time,
    retry_after_of,
)

log = logging.getLogger(__name__)

__all__ = ["DAEMON_BUSY_TIMEOUT_MS", "DELIVER_EVERY", "FAILED_STATUSES", "OK_STATUSES", "SOURCE_JOB", "STOP_BUDGET",
           "Daemon", "DaemonOptions", "DaemonStats", "longest_wait", "plan_start", "resume_time", "retry_after_of",
           "run_daemon"]

DELIVER_EVERY = 10.0  # seconds between passes over the outbox (the outbox paces retries itself)
DAEMON_BUSY_TIMEOUT_MS = 5000  # a locked database stalls the loop at most this long per write
STOP_BUDGET = 9.0  # seconds from SIGTERM to exit, polls and the final delivery together


class Daemon(DaemonReload):
    """`chipwatch run` without --once: the life cycle, the signals and the poll job."""

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
