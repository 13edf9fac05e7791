"""The `alerts` table and the version reads that alerts are built from."""

from __future__ import annotations

import json
from collections.abc import Sequence

from chipwatch.db.records import (
    AlertRow, DocumentRow, FactQuote, FactSighting, LastAlert, SnapshotText, VersionRef,
)
from chipwatch.db.store import Store, last_id

_ALERT_COLUMNS = ("type, dedupe_key, title, body, created_at, source, document_id, claim_id, "
                  "fact_ids, snapshot_ids, payload")


def insert_alert(store: Store, *, type: str, dedupe_key: str, title: str, body: str,
                 created_at: str, source: str | None, document_id: int | None,
                 claim_id: str | None, fact_ids: list[int], snapshot_ids: list[int],
                 payload: dict) -> int | None:
    """The new alert's id, or None when its dedupe key is taken (raised before)."""
    cur = store.db.execute(
        f"""INSERT OR IGNORE INTO alerts ({_ALERT_COLUMNS})
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [type, dedupe_key, title, body, created_at, source, document_id, claim_id,
         json.dumps(fact_ids), json.dumps(snapshot_ids), json.dumps(payload, ensure_ascii=False)],
    )
    if not cur.rowcount:
        return None
    return last_id(cur)


def list_alerts(store: Store, *, since: str | None = None, types: Sequence[str] = (),
                limit: int | None = None) -> list[AlertRow]:
    """Alerts, newest first."""
    where: list[str] = []
    params: list[object] = []
    if since:
        where.append("created_at >= ?")
        params.append(since)
    if types:
        where.append(f"type IN ({','.join('?' * len(types))})")
        params.extend(types)
    sql = "SELECT * FROM alerts" + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY id DESC" + (f" LIMIT {int(limit)}" if limit else "")
    return [AlertRow.from_row(r) for r in store.query(sql, params)]


def last_claim_announcement(store: Store, claim_id: str) -> str | None:
    """The type of the last verdict alert raised about a claim."""
    row = store.one(
        """SELECT type FROM alerts WHERE claim_id = ? AND type IN
             ('claim_supported', 'claim_contradicted', 'claim_disputed')
           ORDER BY id DESC LIMIT 1""", [claim_id])
    return row["type"] if row else None


def last_failing(store: Store, source: str) -> LastAlert | None:
    """The last `source_failing` alert of a source (its key names the episode)."""
    row = store.one(
        """SELECT dedupe_key, created_at FROM alerts WHERE type = 'source_failing' AND source = ?
           ORDER BY id DESC LIMIT 1""", [source])
    return LastAlert.from_row(row) if row else None


# -- versions ------------------------------------------------------------------------


def document(store: Store, document_id: int) -> DocumentRow | None:
    row = store.one("SELECT * FROM documents WHERE id = ?", [document_id])
    return DocumentRow.from_row(row) if row else None


def snapshot_text(store: Store, snapshot_id: int) -> SnapshotText | None:
    row = store.one(
        """SELECT id, document_id, version, url, content_hash, text_hash, fetched_at, title, text
           FROM snapshots WHERE id = ?""", [snapshot_id])
    return SnapshotText.from_row(row) if row else None


def facts_in(store: Store, snapshot_id: int, min_confidence: float = 0.0) -> list[FactSighting]:
    """Facts read in one version, in text order; unscored (NULL) ones always pass."""
    return [FactSighting.from_row(r) for r in store.query(
        """SELECT f.id, f.fact_key, f.kind, f.chip, f.metric, f.value, f.unit, f.relative_to,
                  f.actor, f.action, f.status, f.negated, f.approx, f.quote,
                  fs.char_start, fs.char_end, f.confidence
           FROM fact_sightings fs JOIN facts f ON f.id = fs.fact_id
           WHERE fs.snapshot_id = ? AND (f.confidence IS NULL OR f.confidence >= ?)
           ORDER BY fs.char_start, f.id""", [snapshot_id, min_confidence])]


def versions_before(store: Store, document_id: int, version: int, limit: int) -> list[VersionRef]:
    """The last `limit` versions of a document before `version`, newest first."""
    return [VersionRef.from_row(r) for r in store.query(
        """SELECT id, text_hash FROM snapshots WHERE document_id = ? AND version < ?
           ORDER BY version DESC LIMIT ?""", [document_id, version, limit])]


def fact_keys_in(store: Store, snapshot_ids: Sequence[int]) -> set[str]:
    if not snapshot_ids:
        return set()
    marks = ",".join("?" * len(snapshot_ids))
    return {r["fact_key"] for r in store.query(
        f"""SELECT DISTINCT f.fact_key FROM fact_sightings fs JOIN facts f ON f.id = fs.fact_id
            WHERE fs.snapshot_id IN ({marks})""", list(snapshot_ids))}


def document_aliases(store: Store, document_id: int) -> set[str]:
    """Every URL a document was fetched as."""
    return {r["url"] for r in store.query(
        "SELECT url FROM document_urls WHERE document_id = ?", [document_id])}


def fact_quotes(store: Store, fact_ids: Sequence[int]) -> list[FactQuote]:
    if not fact_ids:
        return []
    return [FactQuote.from_row(r) for r in store.query(
        f"SELECT id, fact_key, quote FROM facts WHERE id IN ({','.join('?' * len(fact_ids))})",
        list(fact_ids))]
