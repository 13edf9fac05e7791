"""Retention: the `fetches` log is trimmed, provenance never is.

Every poll adds a fetch row (a 304 included), so the log grows with sources x polls. What
is kept of a URL's attempts: the last `keep` of them; every attempt that stored a version
(a snapshot names it as its fetch); every attempt whose outcome differs from the one
before (when a page started failing, and when it came back); and the one-off `skipped`
records that stop a refused link from being logged again. Snapshots, documents and facts
are never touched here: they are what provenance points to.
"""

from __future__ import annotations

from dataclasses import dataclass

from chipwatch.db.store import Store

BATCH = 5000  # rows deleted per transaction, so a poller waiting to write is not held long

_PRUNABLE = """
    SELECT id FROM (
        SELECT f.id, f.outcome,
               row_number() OVER (PARTITION BY f.url ORDER BY f.id DESC) AS newer,
               lag(f.outcome) OVER (PARTITION BY f.url ORDER BY f.id) AS previous
        FROM fetches f
    ) AS w
    WHERE newer > ? AND outcome != 'skipped' AND previous IS outcome
      AND id NOT IN (SELECT fetch_id FROM snapshots WHERE fetch_id IS NOT NULL)
    ORDER BY id
"""


@dataclass
class GcReport:
    fetches_before: int
    prunable: int
    deleted: int
    keep: int

    @property
    def fetches_after(self) -> int:
        return self.fetches_before - self.deleted


def prune_fetches(store: Store, keep: int, *, dry_run: bool = False, batch: int = BATCH) -> GcReport:
    """Delete the fetch rows nothing needs; returns what was (or, dry, would be) deleted."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    before = (store.one("SELECT count(*) AS n FROM fetches") or {"n": 0})["n"]
    ids = [r["id"] for r in store.query(_PRUNABLE, [keep])]
    deleted = 0
    if not dry_run:
        for start in range(0, len(ids), batch):
            chunk = ids[start:start + batch]
            with store.transaction():
                cur = store.db.execute(f"DELETE FROM fetches WHERE id IN ({','.join('?' * len(chunk))})", chunk)
                deleted += cur.rowcount
    return GcReport(before, len(ids), deleted, keep)
