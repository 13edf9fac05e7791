"""Work spread over machines: jobs on a procrastinate queue whose broker is the same
PostgreSQL database the news is stored in.

`chipwatch run --scheduler-only` (one process) enqueues a poll job for each source that is
due, and a delivery job; `ingest --distributed` and `reextract --distributed` enqueue
backfill jobs (monitor/distributed_backfill.py); `chipwatch worker` (any number, on any
machine, each with the same configuration file) runs them. What keeps the single daemon's guarantees:

- a source is never polled twice at once: its jobs carry the queueing lock and the lock
  `poll:<name>` (at most one waiting and one running), and a job whose source is no
  longer due when it starts (another job just polled it) does nothing;
- per-host politeness across workers: the fetcher's host gate is db/hosts.py's
  SharedHostGate (an advisory lock per host and a next-allowed time kept in PostgreSQL);
- Retry-After and back-off: a poll writes the source's next_due and retry_after_until
  exactly as the daemon does, and the scheduler only enqueues sources that are due;
- each alert delivered once per channel: delivery jobs carry the lock `deliver`, so one
  worker at a time runs the outbox, which marks each row delivered before the next run;
- a killed worker's job is retried: workers send heartbeats, and the scheduler puts the
  jobs of a worker silent for longer than `stall_after` back in the queue.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chipwatch.db.hosts import create_schema_once
from chipwatch.db.store import Store
from chipwatch.monitor.config import Config

log = logging.getLogger(__name__)

POLL_QUEUE, DELIVER_QUEUE, BACKFILL_QUEUE = "poll", "deliver", "backfill"
_SCHEMA_LOCK = 7460227
# Seconds without a worker's heartbeat before its job is given to another worker.
STALL_AFTER = 15.0


def make_app(url: str):  # noqa: ANN201 - procrastinate.App, imported lazily
    """The queue: procrastinate on the database at `url`, with chipwatch's tasks."""
    import procrastinate

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=url))
    app.add_tasks_from(_blueprint(), namespace="chipwatch")
    return app


_BP = None


def _blueprint():  # noqa: ANN202
    global _BP
    if _BP is not None:
        return _BP
    import procrastinate

    bp = procrastinate.Blueprint()

    @bp.task(name="poll", queue=POLL_QUEUE)
    async def poll(source: str) -> str:
        return await _state().poll(source)

    @bp.task(name="deliver", queue=DELIVER_QUEUE)
    async def deliver() -> int:
        return _state().deliver()

    # ingest/reextract --distributed (monitor/distributed_backfill.py); a job that raised
    # (say two files of one new page stored at once) is tried again, the second time
    # finding what the first stored
    @bp.task(name="ingest", queue=BACKFILL_QUEUE, retry=2)
    async def ingest(**kwargs: Any) -> dict:
        from chipwatch.monitor.distributed_backfill import ingest_job

        return await ingest_job(_state(), **kwargs)

    @bp.task(name="reextract", queue=BACKFILL_QUEUE, retry=2)
    async def reextract(**kwargs: Any) -> dict:
        from chipwatch.monitor.distributed_backfill import reextract_job

        return await reextract_job(_state(), **kwargs)

    _BP = bp
    return bp


def ensure_queue_schema(store: Store, app) -> None:  # noqa: ANN001
    """Create procrastinate's tables once; an advisory lock keeps two starters apart."""
    create_schema_once(store, _SCHEMA_LOCK, "procrastinate_jobs", app.schema_manager.get_schema())


# -- a worker process ------------------------------------------------------------------------

@dataclass
class WorkerState:
    config: Config
    store: Store
    ctx: object  # PollContext, with the shared host gate

    async def poll(self, name: str) -> str:
        from chipwatch.monitor.alerts import check_source
        from chipwatch.monitor.poll import poll_source
        from chipwatch.monitor.since import parse_time

        source = next((s for s in self.config.sources if s.name == name and s.enabled), None)
        if source is None:
            return "unknown"
        state = self.store.source_state(name) or {}
        due = parse_time(state.get("next_due"))
        if due is not None and due > self.ctx.now():  # type: ignore[attr-defined]
            return "not_due"  # polled by an earlier job since this one was queued
        res = await poll_source(self.ctx, source)  # type: ignore[arg-type]
        check_source(self.store, self.config, name)
        return res.status

    def deliver(self) -> int:
        from chipwatch.monitor.outbox import deliver_pending

        return deliver_pending(self.store, self.config).delivered


_STATE: WorkerState | None = None


def _state() -> WorkerState:
    if _STATE is None:
        raise RuntimeError("chipwatch jobs run inside `chipwatch worker`")
    return _STATE


QUEUES = (POLL_QUEUE, DELIVER_QUEUE, BACKFILL_QUEUE)


def run_worker(config: Config, url: str, *, concurrency: int = 4, name: str | None = None,
               heartbeat: float = 2.0, queues: tuple[str, ...] = QUEUES) -> None:
    """Take poll, delivery and backfill jobs until stopped (SIGINT/SIGTERM end it gracefully)."""
    from chipwatch.db.hosts import SharedHostGate
    from chipwatch.monitor.poll import PollContext

    store = Store.open(url)
    app = make_app(url)
    ensure_queue_schema(store, app)

    async def main() -> None:
        global _STATE
        async with PollContext.open(config, store) as ctx:
            log.info("worker: taking jobs (concurrency %d)", concurrency)
            gate = SharedHostGate(url, config.fetch.per_host_delay)
            ctx.fetcher.gate = gate  # type: ignore[assignment]  # the same slot(), across processes
            _STATE = WorkerState(config, store, ctx)
            try:
                async with app.open_async():
                    await app.run_worker_async(
                        queues=list(queues), concurrency=concurrency, name=name,
                        update_heartbeat_interval=heartbeat, fetch_job_polling_interval=0.5)
            finally:
                gate.close()
                _STATE = None

    try:
        asyncio.run(main())
    finally:
        store.close()


async def _take_back(app, job) -> None:  # noqa: ANN001
    """A job whose worker went silent (killed, machine lost) goes back to the queue; when a
    newer job for the same thing already waits there, that one takes over and the stalled
    one is closed as failed (its lock released, so the waiting one can start)."""
    from procrastinate import jobs
    from procrastinate.exceptions import UniqueViolation

    try:
        await app.job_manager.retry_job(job)
        log.warning("job %s (%s) of a silent worker: queued again", job.id, job.task_name)
    except UniqueViolation:
        await app.job_manager.finish_job(job, status=jobs.Status.FAILED, delete_job=False)
        log.warning("job %s (%s) of a silent worker: closed, the same work is queued", job.id,
                    job.task_name)


# -- the scheduler ---------------------------------------------------------------------------

def run_scheduler(config: Config, url: str, *, tick: float = 1.0, stall_after: float = STALL_AFTER,
                  stop_after: float | None = None) -> int:
    """Enqueue due sources and the outbox every `tick` seconds; returns jobs enqueued."""
    from procrastinate.exceptions import AlreadyEnqueued

    from chipwatch.monitor.since import parse_time

    store = Store.open(url)
    store.sync_sources(config.sources)
    app = make_app(url)
    ensure_queue_schema(store, app)
    enqueued = 0
    started = time.monotonic()

    async def loop() -> None:
        nonlocal enqueued
        last_prune = time.monotonic()
        async with app.open_async():
            log.info("scheduler: enqueuing due sources of %d every %g s", len(config.sources), tick)
            while stop_after is None or time.monotonic() - started < stop_after:
                now = datetime.now().astimezone()
                for source in config.sources:
                    if not source.enabled:
                        continue
                    due = parse_time((store.source_state(source.name) or {}).get("next_due"))
                    if due is not None and due > now:
                        continue
                    lock = f"poll:{source.name}"
                    try:
                        await app.configure_task("chipwatch:poll", queueing_lock=lock, lock=lock) \
                            .defer_async(source=source.name)
                        enqueued += 1
                    except AlreadyEnqueued:
                        pass
                try:
                    await app.configure_task("chipwatch:deliver", queueing_lock="deliver",
                                             lock="deliver").defer_async()
                except AlreadyEnqueued:
                    pass
                for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stall_after):
                    await _take_back(app, job)
                if time.monotonic() - last_prune > 600:  # finished jobs are kept an hour, for audit
                    await app.job_manager.delete_old_jobs(nb_hours=1, include_failed=True)
                    last_prune = time.monotonic()
                await asyncio.sleep(tick)

    try:
        asyncio.run(loop())
    except KeyboardInterrupt:
        pass
    finally:
        store.close()
    return enqueued
