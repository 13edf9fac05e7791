"""Which stored versions an extractor set has not run over yet (`extraction_runs`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from chipwatch.db.store import Store


@dataclass
class SnapshotToExtract:
    id: int
    text: str


def snapshots_missing_runs(store: Store, extractors: Mapping[str, str]) -> list[SnapshotToExtract]:
    """Snapshots that lack a run of at least one of these extractor versions, oldest first."""
    if not extractors:
        return []
    clauses = " OR ".join(
        "NOT EXISTS (SELECT 1 FROM extraction_runs r WHERE r.snapshot_id = s.id "
        "AND r.extractor = ? AND r.extractor_version = ?)" for _ in extractors
    )
    params = [x for item in extractors.items() for x in item]
    rows = store.query(f"SELECT s.id, s.text FROM snapshots s WHERE {clauses} ORDER BY s.id", params)
    return [SnapshotToExtract(int(r["id"]), r["text"]) for r in rows]
