"""Reads the commands share: facts with provenance, document history, full-text search.

Each returns plain dicts whose keys are the public field names of the design contract, so
the command line, the report and JSON output all say the same thing.
"""

from __future__ import annotations

import difflib
import re
import sqlite3
from dataclasses import dataclass

from chipwatch.db.store import Store

FACT_FIELDS = (
    "id", "kind", "chip", "metric", "value", "unit", "relative_to", "actor", "action",
    "status", "quote", "char_start", "char_end", "url", "outlet", "content_hash",
    "fetched_at", "extractor", "extractor_version", "first_seen", "last_seen", "baseline",
    "verdict", "snapshot_id", "document_id", "approx", "low", "high", "negated", "target",
    "attribution",
)

_FACT_SELECT = """
SELECT f.id, f.kind, f.chip, f.metric, f.value, f.unit, f.relative_to, f.actor, f.action,
       f.status, f.quote, f.char_start, f.char_end, d.url, d.outlet, s.content_hash,
       s.fetched_at, f.extractor, f.extractor_version, f.first_seen, f.last_seen,
       (SELECT a.claim_id FROM assessments a WHERE a.fact_id = f.id ORDER BY a.claim_id LIMIT 1) AS baseline,
       (SELECT a.verdict FROM assessments a WHERE a.fact_id = f.id ORDER BY a.claim_id LIMIT 1) AS verdict,
       f.snapshot_id, f.document_id, f.approx, f.low, f.high, f.negated, f.target, f.attribution
FROM facts f
JOIN documents d ON d.id = f.document_id
JOIN snapshots s ON s.id = f.snapshot_id
"""


@dataclass
class FactFilter:
    """Filters of `chipwatch facts`; every one given must hold."""

    chip: str | None = None
    metric: str | None = None
    kind: str | None = None
    action: str | None = None
    actor: str | None = None
    outlet: str | None = None
    since: str | None = None
    q: str | None = None
    baseline: str | None = None
    include_history: bool = False
    limit: int | None = None


def fts_query(text: str) -> str:
    """Turn what a user typed into an FTS5 query that cannot be a syntax error.

    Each word becomes a quoted term, so punctuation such as "H200's" or "25%" is safe.
    """
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    return " ".join(f'"{w}"' for w in words)


def list_facts(store: Store, flt: FactFilter) -> list[dict]:
    where: list[str] = []
    params: list[object] = []
    if not flt.include_history:
        where.append("f.current = 1")
    for column, value in (("f.chip", flt.chip), ("f.metric", flt.metric), ("f.kind", flt.kind),
                          ("f.action", flt.action), ("f.actor", flt.actor)):
        if value:
            where.append(f"{column} = ? COLLATE NOCASE")
            params.append(value)
    if flt.outlet:
        where.append("d.outlet LIKE ?")
        params.append(flt.outlet)
    if flt.since:
        where.append("f.first_seen >= ?")
        params.append(flt.since)
    if flt.q:
        query = fts_query(flt.q)
        if not query:
            return []
        where.append("f.id IN (SELECT rowid FROM facts_fts WHERE facts_fts MATCH ?)")
        params.append(query)
    if flt.baseline:
        where.append("f.id IN (SELECT fact_id FROM assessments WHERE claim_id = ? COLLATE NOCASE)")
        params.append(flt.baseline)
    sql = _FACT_SELECT
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY f.first_seen DESC, f.id DESC"
    if flt.limit:
        sql += f" LIMIT {int(flt.limit)}"
    return store.query(sql, params)


def document_history(store: Store, url: str) -> tuple[dict | None, list[dict]]:
    """The document behind `url` (or one of its aliases) and its versions, oldest first.

    Each version carries `changes`: the lines added and removed since the one before.
    """
    doc = store.document_by_url(url)
    if doc is None:
        return None, []
    versions = store.query(
        """SELECT s.id AS snapshot_id, s.version, s.fetched_at, s.content_hash, s.http_status,
                  s.title, length(s.text) AS chars, s.text,
                  (SELECT count(*) FROM fact_sightings fs WHERE fs.snapshot_id = s.id) AS facts
           FROM snapshots s WHERE s.document_id = ? ORDER BY s.version""",
        [doc["id"]],
    )
    previous: list[str] = []
    for v in versions:
        lines = [p.strip() for p in v.pop("text").split("\n") if p.strip()]
        v["changes"] = [
            line for line in difflib.unified_diff(previous, lines, lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        ] if v["version"] > 1 else []
        v["added"] = sum(1 for c in v["changes"] if c.startswith("+"))
        v["removed"] = sum(1 for c in v["changes"] if c.startswith("-"))
        previous = lines
    return doc, versions


def search(store: Store, text: str, limit: int = 20) -> list[dict]:
    """Latest versions of documents matching `text`, best first, with a marked snippet."""
    query = fts_query(text)
    if not query:
        return []
    try:
        return store.query(
            """SELECT d.outlet, coalesce(s.title, d.title) AS title, d.url, s.fetched_at,
                      snippet(snapshots_fts, 1, '[', ']', '…', 14) AS snippet,
                      round(bm25(snapshots_fts), 3) AS rank, s.id AS snapshot_id
               FROM snapshots_fts
               JOIN snapshots s ON s.id = snapshots_fts.rowid
               JOIN documents d ON d.latest_snapshot_id = s.id
               WHERE snapshots_fts MATCH ?
               ORDER BY bm25(snapshots_fts) LIMIT ?""",
            [query, limit],
        )
    except sqlite3.OperationalError:
        return []


def source_rows(store: Store) -> list[dict]:
    return store.query(
        """SELECT name, kind, outlet, enabled, status, last_attempt, last_success,
                  last_http_status AS http, failures_in_row AS failures, next_due, last_error, url
           FROM sources ORDER BY enabled DESC, name"""
    )
