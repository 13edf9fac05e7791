"""Re-run changed extractors over stored snapshots; older facts stay as history.

A snapshot needs it when one of today's extractors (name and version) has no run recorded
for it. The new facts are assessed against the baseline like those of a fetched version.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from chipwatch.db.extraction import snapshots_missing_runs
from chipwatch.db.store import Store, is_busy, is_disk_full
from chipwatch.errors import DatabaseBusy, DiskFull
from chipwatch.extractors import EXTRACTORS
from chipwatch.monitor import baseline
from chipwatch.monitor.config import Config


@dataclass
class ReextractReport:
    snapshots: int = 0  # snapshots re-run
    added: int = 0  # fact rows added
    versions: dict[str, str] = field(default_factory=dict)  # the extractor versions used
    failed_jobs: int = 0  # --distributed: jobs that failed in their workers

    def summary(self) -> str:
        versions = ", ".join(f"{k} {v}" for k, v in self.versions.items())
        failed = f"; {self.failed_jobs} job(s) failed in workers" if self.failed_jobs else ""
        return (f"re-extracted {self.snapshots} snapshot(s) with {versions}: "
                f"{self.added} fact row(s) added{failed}")


def reextract(store: Store, config: Config, jobs: int = 1) -> ReextractReport:
    """Extract again from every snapshot an extractor version has not seen, in `jobs`
    processes (stored in order by this one).

    Raises DiskFull or DatabaseBusy when a write cannot be made; snapshots done before it
    keep their new facts.
    """
    try:
        return _reextract(store, config, jobs)
    except sqlite3.OperationalError as exc:
        if is_disk_full(exc):
            raise DiskFull(f"reextract: cannot write the database: {exc}") from exc
        if is_busy(exc):
            raise DatabaseBusy(f"reextract: database busy for more than "
                               f"{config.database.busy_timeout:g} s") from exc
        raise


def _reextract(store: Store, config: Config, jobs: int) -> ReextractReport:
    from chipwatch.monitor.backfill import extract_all

    todo = snapshots_missing_runs(store, EXTRACTORS)
    added, documents = 0, set()
    for snapshot_id, facts in extract_all(((row.id, row.text) for row in todo), jobs):
        saved = store.replace_facts(snapshot_id, facts, EXTRACTORS)
        added += len(saved.added_fact_ids)
        documents.add(saved.document_id)
    # New facts bear on the baseline like those of a fetched version.
    claims = config.baseline
    baseline.sync_claims(store, claims)
    with store.transaction():
        for document_id in sorted(documents):
            baseline.assess_document(store, document_id, claims)
    return ReextractReport(len(todo), added, dict(EXTRACTORS))
