"""`ingest --distributed` and `reextract --distributed`: a backfill spread over the
`chipwatch worker` processes of every machine.

The command enqueues one job per file (ingest) or per batch of snapshots (reextract) on
the procrastinate queue in PostgreSQL, then waits for them and prints what the workers
did. A worker reads and parses in its parsing processes and stores in its own process,
exactly as a local ingest does: one transaction per version and its facts, and the job's
outcome (db/batches.py) is written in the same transaction, so a job shows an outcome
only when what it stored is committed. A job whose worker stops sending heartbeats
(killed, machine lost) is put back in the queue by the waiting command, and another
worker does it again: a file stored before the loss comes back as unchanged.

Workers read the files themselves, by the absolute path the command saw: every worker
must see the files at that path (a shared or copied folder).
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

from chipwatch.db import batches
from chipwatch.db.extraction import snapshot_refs_missing_runs, snapshot_texts
from chipwatch.db.store import Store
from chipwatch.extractors import EXTRACTORS
from chipwatch.monitor import baseline
from chipwatch.monitor.config import Config
from chipwatch.monitor.distributed import STALL_AFTER
from chipwatch.monitor.ingest import IngestEvent, IngestReport, _store_files, begin
from chipwatch.monitor.reextract import ReextractReport

INGEST_TASK, REEXTRACT_TASK = "chipwatch:ingest", "chipwatch:reextract"
MAX_EVENTS = 50  # per file: a WARC file of thousands of records reports its first 50


# -- in a worker -----------------------------------------------------------------------------

class _Ready:
    """The `take` the local ingest's storing loop expects, for one file already prepared
    (or the error reading it raised)."""

    def __init__(self, pairs: list | None, error: BaseException | None) -> None:
        self.pairs, self.error = pairs, error

    def take(self, path: Path) -> list:
        if self.error is not None:
            raise self.error
        return self.pairs or []


async def ingest_job(state: Any, *, batch: str, item: str, path: str, url: str | None,
                     outlet: str | None) -> dict:
    """Store one file's versions and facts, and the outcome, in one transaction."""
    from chipwatch.monitor.backfill import _prepare_file, ingest_items

    config: Config = state.config
    store: Store = state.store
    read = partial(ingest_items, url=url, max_bytes=config.fetch.max_bytes)
    try:
        ready = _Ready(await state.ctx.workers.run(_prepare_file, read, Path(path)), None)
    except (OSError, ValueError) as exc:
        ready = _Ready(None, exc)
    report = IngestReport()
    with store.transaction():
        _store_files(store, config, [Path(path)], url, outlet, ready, report, report.events.append, None)
        outcome = _ingest_outcome(report)
        batches.record(store, batch, item, outcome)
    return outcome


def _ingest_outcome(report: IngestReport) -> dict:
    counts = {k: getattr(report, k) for k in ("files", "new", "unchanged", "facts", "skipped", "failed")}
    return {**counts, "storage_failed": report.storage_failed,
            "events": [asdict(e) for e in report.events[:MAX_EVENTS]]}


async def reextract_job(state: Any, *, batch: str, item: str, snapshot_ids: list[int]) -> dict:
    """Extract again from these snapshots (each stored in its own transaction, as locally),
    then assess their documents and record the outcome together."""
    from chipwatch.extractors import extract_facts

    store: Store = state.store
    added, documents = 0, set()
    for snap in snapshot_texts(store, list(snapshot_ids)):
        facts = await state.ctx.workers.run(extract_facts, snap.text)
        saved = store.replace_facts(snap.id, facts, EXTRACTORS)
        added += len(saved.added_fact_ids)
        documents.add(saved.document_id)
    outcome = {"snapshots": len(snapshot_ids), "added": added}
    with store.transaction():
        for document_id in sorted(documents):
            baseline.assess_document(store, document_id, state.config.baseline)
        batches.record(store, batch, item, outcome)
    return outcome


# -- the command that spreads the work -------------------------------------------------------

def _wait(app: Any, store: Store, batch: str, job_ids: list[int], stall_after: float,
          on_outcome: Callable[[batches.ItemOutcome], None], poll: float = 0.5) -> dict[int, str]:
    """Until every job has ended; hands each outcome over as it arrives. Jobs of a worker
    silent for `stall_after` seconds go back to the queue. Returns each job's end state."""
    from chipwatch.monitor.distributed import _take_back

    mine = set(job_ids)
    seen = 0
    hinted = False
    started = time.monotonic()

    async def loop() -> dict[int, str]:
        nonlocal seen, hinted
        async with app.open_async():
            while True:
                for o in batches.outcomes_after(store, batch, seen):
                    seen = o.seq
                    on_outcome(o)
                states = batches.job_states(store, job_ids)
                if all(s in batches.TERMINAL for s in states.values()):
                    for o in batches.outcomes_after(store, batch, seen):  # the last ones
                        seen = o.seq
                        on_outcome(o)
                    return states
                for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stall_after):
                    if job.id in mine:
                        await _take_back(app, job)
                if not hinted and time.monotonic() - started > 30 and \
                        all(s == "todo" for s in states.values()):
                    print("waiting: no worker has taken a job yet (start `chipwatch worker` "
                          "with this database)", file=sys.stderr)
                    hinted = True
                await asyncio.sleep(poll)

    return asyncio.run(loop())


def _defer(app: Any, task: str, kwargs_list: list[dict]) -> list[int]:
    async def go() -> list[int]:
        async with app.open_async():
            ids: list[int] = []
            for start in range(0, len(kwargs_list), 500):
                ids += await app.configure_task(task).batch_defer_async(*kwargs_list[start:start + 500])
            return ids
    return asyncio.run(go()) if kwargs_list else []


def _queue(store: Store, url: str) -> Any:
    from chipwatch.monitor.distributed import ensure_queue_schema, make_app

    app = make_app(url)
    ensure_queue_schema(store, app)
    batches.ensure_table(store)
    return app


def ingest_distributed(store: Store, config: Config, db_url: str, paths: list[str], *,
                       url: str | None = None, outlet: str | None = None,
                       on_event: Callable[[IngestEvent], None] | None = None,
                       stall_after: float = STALL_AFTER) -> IngestReport:
    """One job per file for the workers; waits for them and sums what they report."""
    entries, report, tell = begin(paths, url, on_event)
    for e in entries:
        if e.ignored:
            tell(IngestEvent("ignored", str(e.path), e.ignored))
        elif e.refused:
            tell(IngestEvent("error", str(e.path), e.refused))
    baseline.sync_claims(store, config.baseline)  # once, before any worker assesses
    files = [str(e.path.absolute()) for e in entries if not e.ignored and not e.refused]
    app = _queue(store, db_url)
    batch = uuid.uuid4().hex
    job_ids = _defer(app, INGEST_TASK, [dict(batch=batch, item=str(i), path=p, url=url, outlet=outlet)
                                        for i, p in enumerate(files)])
    done: set[str] = set()

    def take(o: batches.ItemOutcome) -> None:
        done.add(o.item)
        for k in ("files", "new", "unchanged", "facts", "skipped", "failed"):
            setattr(report, k, getattr(report, k) + int(o.outcome.get(k, 0)))
        report.storage_failed |= bool(o.outcome.get("storage_failed"))
        for e in o.outcome.get("events", []):
            tell(IngestEvent(**e))

    try:
        _wait(app, store, batch, job_ids, stall_after, take)
        for i, p in enumerate(files):  # a job that failed in its worker (after its retries)
            if str(i) not in done:
                report.files += 1
                report.failed += 1
                tell(IngestEvent("error", p, "its job failed in a worker (see the worker's log)"))
    finally:
        batches.forget(store, batch)
    return report


def reextract_distributed(store: Store, config: Config, db_url: str, *, batch_size: int = 50,
                          stall_after: float = STALL_AFTER) -> ReextractReport:
    """Snapshots an extractor version has not seen, in jobs of about `batch_size`; the
    snapshots of one document stay in one job, so no two jobs assess the same document."""
    baseline.sync_claims(store, config.baseline)
    refs = snapshot_refs_missing_runs(store, EXTRACTORS)
    by_doc: dict[int, list[int]] = {}
    for r in refs:
        by_doc.setdefault(r.document_id, []).append(r.id)
    chunks: list[list[int]] = [[]]
    for ids in by_doc.values():
        if chunks[-1] and len(chunks[-1]) + len(ids) > batch_size:
            chunks.append([])
        chunks[-1].extend(ids)
    chunks = [c for c in chunks if c]
    app = _queue(store, db_url)
    batch = uuid.uuid4().hex
    job_ids = _defer(app, REEXTRACT_TASK, [dict(batch=batch, item=str(i), snapshot_ids=c)
                                           for i, c in enumerate(chunks)])
    added, done = 0, 0

    def take(o: batches.ItemOutcome) -> None:
        nonlocal added, done
        added += int(o.outcome.get("added", 0))
        done += int(o.outcome.get("snapshots", 0))

    try:
        states = _wait(app, store, batch, job_ids, stall_after, take)
    finally:
        batches.forget(store, batch)
    failed = sum(1 for s in states.values() if s != "succeeded")
    return ReextractReport(done, added, dict(EXTRACTORS), failed_jobs=failed)
