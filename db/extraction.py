"""Which stored versions an extractor set has not run over yet (`extraction_runs`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from chipwatch.db.store import Store


@dataclass
class SnapshotToExtract:
    id: int
    text: str


def _missing_runs(extractors: Mapping[str, str]) -> tuple[str, list[str]]:
    """The WHERE clause (on snapshots `s`) of a snapshot missing a run of any of these
    extractor versions, and its parameters."""
    where = " OR ".join(
        "NOT EXISTS (SELECT 1 FROM extraction_runs r WHERE r.snapshot_id = s.id "
        "AND r.extractor = ? AND r.extractor_version = ?)" for _ in extractors
    )
    return where, [x for item in extractors.items() for x in item]


def snapshots_missing_runs(store: Store, extractors: Mapping[str, str]) -> list[SnapshotToExtract]:
    """Snapshots that lack a run of at least one of these extractor versions, oldest first."""
    if not extractors:
        return []
    where, params = _missing_runs(extractors)
    rows = store.query(f"SELECT s.id, s.text FROM snapshots s WHERE {where} ORDER BY s.id", params)
    return [SnapshotToExtract(int(r["id"]), r["text"]) for r in rows]


@dataclass
class SnapshotRef:
    id: int
    document_id: int


def snapshot_refs_missing_runs(store: Store, extractors: Mapping[str, str]) -> list[SnapshotRef]:
    """The same snapshots as `snapshots_missing_runs`, without their text (for handing out
    to workers, which read the text themselves)."""
    if not extractors:
        return []
    where, params = _missing_runs(extractors)
    rows = store.query(f"SELECT s.id, s.document_id FROM snapshots s WHERE {where} ORDER BY s.id",
                       params)
    return [SnapshotRef(int(r["id"]), int(r["document_id"])) for r in rows]


def snapshot_texts(store: Store, ids: list[int]) -> list[SnapshotToExtract]:
    """The text of each of these snapshots, in id order (ids not found are left out)."""
    out: list[SnapshotToExtract] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        rows = store.query(f"SELECT id, text FROM snapshots WHERE id IN ({marks}) ORDER BY id", chunk)
        out.extend(SnapshotToExtract(int(r["id"]), r["text"]) for r in rows)
    return out
