"""Baseline claims and the assessments of facts against them (`baseline_claims`,
`assessments`), plus the fact reads the assessor needs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chipwatch.db.records import (
    AssessmentRow, ClaimRow, EvidenceRow, Sighting, VerdictSighting,
)
from chipwatch.db.store import Store


def claim_specs(store: Store) -> dict[str, str]:
    """Each synced claim's id and the spec it was synced from."""
    return {r["id"]: r["spec"] for r in store.query("SELECT id, spec FROM baseline_claims")}


def delete_claim(store: Store, claim_id: str) -> None:
    store.db.execute("DELETE FROM assessments WHERE claim_id = ?", [claim_id])
    store.db.execute("DELETE FROM baseline_claims WHERE id = ?", [claim_id])


def upsert_claim(store: Store, c: Any, spec: str) -> None:
    """Insert or update one claim from anything with the claim's fields."""
    store.db.execute(
        """INSERT INTO baseline_claims (id, text, original, cited, kind, chip, metric,
             value, unit, relative_to, actor, action, tolerance, spec)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET text=excluded.text, original=excluded.original,
             cited=excluded.cited, kind=excluded.kind, chip=excluded.chip,
             metric=excluded.metric, value=excluded.value, unit=excluded.unit,
             relative_to=excluded.relative_to, actor=excluded.actor,
             action=excluded.action, tolerance=excluded.tolerance, spec=excluded.spec""",
        [c.id, c.text, c.original, c.cited, c.kind, c.chip, c.metric, c.value, c.unit,
         c.relative_to, c.actor, c.action, c.tolerance, spec],
    )


def claims(store: Store) -> list[ClaimRow]:
    return [ClaimRow.from_row(r) for r in store.query("SELECT * FROM baseline_claims ORDER BY id")]


def facts_for_assessment(store: Store, columns: Sequence[str],
                         document_id: int | None = None) -> list[dict[str, Any]]:
    """Facts with the given columns and their offsets, all or one document's.

    They stay plain mappings: the assessor adds what it derives (the paragraph) to each.
    """
    cols = ", ".join(f"f.{c}" for c in columns)
    if document_id is None:
        return store.query(f"SELECT {cols}, f.char_start, f.char_end FROM facts f")
    return store.query(f"SELECT {cols}, f.char_start, f.char_end FROM facts f "
                       "WHERE f.document_id = ?", [document_id])


def snapshot_text(store: Store, snapshot_id: int) -> str:
    row = store.one("SELECT text FROM snapshots WHERE id = ?", [snapshot_id])
    return row["text"] if row else ""


def snapshot_time(store: Store, snapshot_id: int) -> str | None:
    row = store.one("SELECT fetched_at FROM snapshots WHERE id = ?", [snapshot_id])
    return row["fetched_at"] if row else None


def sightings(store: Store, document_id: int | None = None,
              fact_ids: Sequence[int] | None = None) -> list[Sighting]:
    """Which versions each fact was read in: one document's facts, the given facts (read
    by primary key in chunks, never the whole table), or all facts."""
    if document_id is not None:
        rows = store.query(
            """SELECT fs.fact_id, fs.snapshot_id FROM fact_sightings fs
               JOIN facts f ON f.id = fs.fact_id WHERE f.document_id = ?""", [document_id])
    elif fact_ids is not None:
        ids = sorted(set(fact_ids))
        rows = []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            rows += store.query(f"SELECT fact_id, snapshot_id FROM fact_sightings "
                                f"WHERE fact_id IN ({','.join('?' * len(chunk))})", chunk)
    else:
        rows = store.query("SELECT fact_id, snapshot_id FROM fact_sightings")
    return [Sighting(r["fact_id"], r["snapshot_id"]) for r in rows]


def claim_filter(kind: str | None, metric: str | None, actions: Sequence[str]) -> tuple[str, list[Any]]:
    """SQL over `facts f` for the only facts that can bear on a claim: a policy claim's
    actions (its own and the opposite ones), else its metric."""
    if kind == "policy":
        return f"f.kind = 'policy' AND f.action IN ({','.join('?' * len(actions))})", list(actions)
    return "f.metric = ?", [metric]


def candidate_documents(store: Store, where: str, params: Sequence[Any], after: int,
                        limit: int) -> list[int]:
    """The next `limit` documents after `after` holding facts that match a claim_filter."""
    return [r["document_id"] for r in store.query(
        f"SELECT DISTINCT f.document_id FROM facts f WHERE {where} AND f.document_id > ? "
        f"ORDER BY f.document_id LIMIT ?", [*params, after, limit])]


def candidate_facts(store: Store, columns: Sequence[str], where: str, params: Sequence[Any],
                    document_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The facts of these documents that match a claim_filter, as facts_for_assessment."""
    cols = ", ".join(f"f.{c}" for c in columns)
    marks = ",".join("?" * len(document_ids))
    return store.query(f"SELECT {cols}, f.char_start, f.char_end FROM facts f "
                       f"WHERE {where} AND f.document_id IN ({marks})", [*params, *document_ids])


def drop_stale_assessments(store: Store, claim_id: str, where: str, params: Sequence[Any]) -> int:
    """Assessments of a claim by facts that no longer match its filter; how many went."""
    cur = store.db.execute(f"DELETE FROM assessments WHERE claim_id = ? AND fact_id NOT IN "
                           f"(SELECT f.id FROM facts f WHERE {where})", [claim_id, *params])
    return cur.rowcount or 0


def assessments_of(store: Store, fact_ids: set[int]) -> list[AssessmentRow]:
    """Stored assessments of these facts (may include others when the set is large)."""
    if len(fact_ids) <= 500:
        marks = ",".join("?" * len(fact_ids))
        rows = store.query(f"SELECT fact_id, claim_id, verdict, reason FROM assessments "
                           f"WHERE fact_id IN ({marks})", sorted(fact_ids))
    else:
        rows = store.query("SELECT fact_id, claim_id, verdict, reason FROM assessments")
    return [AssessmentRow.from_row(r) for r in rows]


def delete_assessment(store: Store, fact_id: int, claim_id: str) -> None:
    store.db.execute("DELETE FROM assessments WHERE fact_id = ? AND claim_id = ?",
                     [fact_id, claim_id])


def upsert_assessment(store: Store, fact_id: int, claim_id: str, verdict: str,
                      reason: str | None, at: str) -> None:
    store.db.execute(
        """INSERT INTO assessments (fact_id, claim_id, verdict, reason, assessed_at)
           VALUES (?, ?, ?, ?, ?) ON CONFLICT(fact_id, claim_id) DO UPDATE SET
           verdict=excluded.verdict, reason=excluded.reason,
           assessed_at=excluded.assessed_at""",
        [fact_id, claim_id, verdict, reason, at],
    )


_EVIDENCE_SQL = """
SELECT a.claim_id, a.verdict, a.reason, f.id AS fact_id, f.document_id, f.quote, f.value,
       f.unit, f.chip, f.status, f.current, d.url, d.outlet, d.title,
       s.id AS snapshot_id, s.fetched_at, s.content_hash
FROM assessments a
JOIN facts f ON f.id = a.fact_id
JOIN documents d ON d.id = f.document_id
JOIN snapshots s ON s.id = (
    SELECT max(fs.snapshot_id) FROM fact_sightings fs WHERE fs.fact_id = f.id)
"""


def evidence(store: Store, claim_id: str, *, current_only: bool = True) -> list[EvidenceRow]:
    """Assessed facts of a claim with their provenance (latest version carrying each)."""
    sql = _EVIDENCE_SQL + " WHERE a.claim_id = ?" + (" AND f.current = 1" if current_only else "")
    return [EvidenceRow.from_row(r)
            for r in store.query(sql + " ORDER BY s.fetched_at, f.id", [claim_id])]


def verdicts_in_document(store: Store, claim_id: str, document_id: int) -> list[VerdictSighting]:
    """Every (verdict, version) of a claim's assessed facts in one document."""
    return [VerdictSighting.from_row(r) for r in store.query(
        """SELECT a.verdict, fs.snapshot_id, s.fetched_at FROM assessments a
           JOIN facts f ON f.id = a.fact_id
           JOIN fact_sightings fs ON fs.fact_id = f.id
           JOIN snapshots s ON s.id = fs.snapshot_id
           WHERE a.claim_id = ? AND f.document_id = ?""",
        [claim_id, document_id],
    )]


def source_gone(store: Store, urls: Sequence[str]) -> bool:
    """A configured source at one of these URLs was found gone (404/410)."""
    marks = ",".join("?" * len(urls))
    return store.one(f"SELECT 1 AS x FROM sources WHERE url IN ({marks}) AND status = 'gone'",
                     list(urls)) is not None


def fact_ids_with_verdict(store: Store, claim_id: str, snapshot_id: int, verdict: str) -> list[int]:
    """Facts of one version assessed with `verdict` on a claim."""
    return [r["fact_id"] for r in store.query(
        """SELECT fs.fact_id FROM fact_sightings fs
           JOIN assessments a ON a.fact_id = fs.fact_id
           WHERE fs.snapshot_id = ? AND a.claim_id = ? AND a.verdict = ?""",
        [snapshot_id, claim_id, verdict])]
