"""The daemon's housekeeping jobs: alert delivery (the outbox, in a thread of its own so a
slow channel never holds up polling), the baseline reassessment and the daily fetch-log trim
(each on its own connection, off the loop), and the watchdog's status line."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from typing import Any, Callable

from apscheduler.jobstores.base import JobLookupError

from chipwatch.db import outbox as outbox_db
from chipwatch.db.sources import source_statuses
from chipwatch.db.store import Store
from chipwatch.monitor.fetch import utc_now
from chipwatch.db.retention import prune_fetches
from chipwatch.monitor.baseline import sync_claims
from chipwatch.monitor.outbox import deliver_pending
from chipwatch.monitor.daemon_schedule import FAILED_STATUSES, OK_STATUSES, DaemonBase

# one logger for every part of the daemon, so its lines read as before the split
log = logging.getLogger("chipwatch.monitor.daemon")


class DaemonUpkeep(DaemonBase):
    """The jobs beside the polls."""

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
