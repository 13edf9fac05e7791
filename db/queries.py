"""Reads the commands share: facts with provenance, document history, full-text search.

Each returns plain dicts whose keys are the public field names of the design contract, so
the command line, the report and JSON output all say the same thing.
"""

from __future__ import annotations

import difflib
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chipwatch.db.store import Store

FACT_FIELDS = (
    "id", "kind", "chip", "metric", "value", "unit", "relative_to", "actor", "action",
    "status", "quote", "char_start", "char_end", "url", "outlet", "content_hash",
    "fetched_at", "extractor", "extractor_version", "first_seen", "last_seen", "baseline",
    "verdict", "snapshot_id", "document_id", "approx", "low", "high", "negated", "target",
    "attribution", "confidence",
)

_FACT_SELECT = """
SELECT f.id, f.kind, f.chip, f.metric, f.value, f.unit, f.relative_to, f.actor, f.action,
       f.status, f.quote, f.char_start, f.char_end, d.url, d.outlet, s.content_hash,
       s.fetched_at, f.extractor, f.extractor_version, f.first_seen, f.last_seen,
       (SELECT a.claim_id FROM assessments a WHERE a.fact_id = f.id ORDER BY a.claim_id LIMIT 1) AS baseline,
       (SELECT a.verdict FROM assessments a WHERE a.fact_id = f.id ORDER BY a.claim_id LIMIT 1) AS verdict,
       f.snapshot_id, f.document_id, f.approx, f.low, f.high, f.negated, f.target, f.attribution,
       f.confidence
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
    min_confidence: float | None = None  # facts never scored (NULL) do not pass
    include_history: bool = False
    limit: int | None = None


def fts_query(text: str) -> str:
    """Turn what a user typed into an FTS5 query that cannot be a syntax error.

    Each word becomes a quoted term, so punctuation such as "H200's" or "25%" is safe.
    """
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    return " ".join(f'"{w}"' for w in words)


# Above this many matches a filter is not worth driving the query from: walking the
# newest facts and testing each is faster than sorting every match (see bench/query.py).
BROAD_MATCHES = 2000


def _count(store: Store | None, sql: str, params: list[object]) -> int:
    if store is None:
        return 0
    row = store.db.execute(sql, params).fetchone()
    return int(row[0]) if row else 0


def _fact_where(flt: FactFilter, store: Store | None = None) -> tuple[list[str], list[object]] | None:
    """SQL conditions for a filter over `facts f JOIN documents d`; None when nothing can match.

    With `store`, the full-text and outlet filters are first counted: a broad one is
    written so that SQLite walks the newest facts and tests it (`+column` keeps it from
    driving the query), a narrow one so that SQLite starts from its few matches.
    """
    where: list[str] = []
    params: list[object] = []
    if not flt.include_history:
        where.append("f.current = 1")
    chip = flt.chip  # the caller gives the canonical name (db/ knows no chip names)
    for column, value in (("f.chip", chip), ("f.metric", flt.metric), ("f.kind", flt.kind),
                          ("f.action", flt.action), ("f.actor", flt.actor)):
        if value:
            where.append(f"{column} = ? COLLATE NOCASE")
            params.append(value)
    if flt.outlet:
        broad = _count(store, "SELECT count(*) FROM documents WHERE outlet LIKE ?",
                       [flt.outlet]) * 20 > BROAD_MATCHES  # about 20 facts per document
        where.append(("+d.outlet" if broad else "d.outlet") + " LIKE ?")
        params.append(flt.outlet)
    if flt.since:
        where.append("f.first_seen >= ?")
        params.append(flt.since)
    if flt.min_confidence is not None:
        where.append("f.confidence >= ?")
        params.append(float(flt.min_confidence))
    if flt.q:
        query = fts_query(flt.q)
        if not query:
            return None
        if store is not None and store.dialect == "postgresql":
            where.append("f.fts @@ plainto_tsquery('simple', ?)")
            params.append(" ".join(re.findall(r"\w+", flt.q, flags=re.UNICODE)))
            return _tail(flt, where, params)
        broad = _count(store, "SELECT count(*) FROM facts_fts WHERE facts_fts MATCH ?",
                       [query]) > BROAD_MATCHES
        where.append(("+f.id" if broad else "f.id")
                     + " IN (SELECT rowid FROM facts_fts WHERE facts_fts MATCH ?)")
        params.append(query)
    return _tail(flt, where, params)


def _tail(flt: FactFilter, where: list[str], params: list[object]) -> tuple[list[str], list[object]]:
    if flt.baseline:
        where.append("f.id IN (SELECT fact_id FROM assessments WHERE claim_id = ?)")
        params.append(flt.baseline.strip().upper())
    return where, params


def list_facts(store: Store, flt: FactFilter) -> list[dict]:
    """Facts matching every filter given, newest first, each with its provenance."""
    built = _fact_where(flt, store)
    if built is None:
        return []
    where, params = built
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
    if store.dialect == "postgresql":
        return _search_postgres(store, " ".join(re.findall(r"\w+", text, flags=re.UNICODE)), limit)
    try:
        return store.query(
            """SELECT d.outlet, coalesce(s.title, d.title) AS title, d.url, s.fetched_at,
                      snippet(snapshots_fts, 1, '[', ']', '…', 14) AS snippet,
                      round(bm25(snapshots_fts), 3) AS rank, s.id AS snapshot_id
               FROM snapshots_fts
               JOIN snapshots s ON s.id = snapshots_fts.rowid
               JOIN documents d ON d.id = s.document_id AND d.latest_snapshot_id = s.id
               WHERE snapshots_fts MATCH ?
               ORDER BY bm25(snapshots_fts) LIMIT ?""",
            [query, limit],
        )
    except sqlite3.OperationalError:
        return []



# ts_headline marks the words found like SQLite's snippet(): [word], about 14 words around.
_HEADLINE = "StartSel=[, StopSel=], MaxWords=14, MinWords=6, MaxFragments=1, FragmentDelimiter=…"


def _search_postgres(store: Store, words: str, limit: int) -> list[dict]:
    """PostgreSQL's own full-text search: the GIN-indexed tsvector of title and text,
    ranked by ts_rank (higher is better; SQLite's bm25 is lower-is-better)."""
    return store.query(
        f"""SELECT d.outlet, coalesce(s.title, d.title) AS title, d.url, s.fetched_at,
                  ts_headline('simple', s.text, q, '{_HEADLINE}') AS snippet,
                  round(ts_rank(s.fts, q)::numeric, 3)::float AS rank, s.id AS snapshot_id
           FROM snapshots s
           JOIN documents d ON d.id = s.document_id AND d.latest_snapshot_id = s.id
           CROSS JOIN plainto_tsquery('simple', ?) AS q
           WHERE s.fts @@ q
           ORDER BY ts_rank(s.fts, q) DESC, s.id LIMIT ?""",
        [words, limit],
    )

def source_rows(store: Store) -> list[dict]:
    return store.query(
        """SELECT name, kind, outlet, enabled, status, last_attempt, last_success,
                  last_http_status AS http, failures_in_row AS failures, next_due, last_error, url
           FROM sources ORDER BY enabled DESC, name"""
    )


# -- comparing sources ------------------------------------------------------------------

COMPARE_FIELDS = (
    "chip", "metric", "relative_to", "value", "unit", "outlet", "agrees", "sources",
    "values", "documents", "mentions", "first_seen", "last_seen", "fetched_at", "url",
    "title", "quote", "content_hash", "fact_id", "snapshot_id", "document_id", "kind",
)


def compare_facts(store: Store, flt: FactFilter) -> list[dict]:
    """What each source says: one row per outlet and value for each chip and metric.

    A source is an outlet (a document without one counts as its own source). Each row
    counts the documents and mentions behind it and shows the newest of them as the
    example (URL, snapshot time, quote). A value most sources do not give is marked
    `agrees = "no"`, so disagreement shows at a glance. Facts without a number (most
    policy statements) are left out: there is nothing to compare.
    """
    built = _fact_where(flt)
    if built is None:
        return []
    where, params = built
    where.append("f.value IS NOT NULL")
    sql = f"""
        WITH picked AS (
            SELECT max(f.id) AS id, count(DISTINCT f.document_id) AS documents,
                   count(*) AS mentions, min(f.first_seen) AS first_seen
            FROM facts f JOIN documents d ON d.id = f.document_id
            WHERE {" AND ".join(where)}
            GROUP BY f.chip, f.metric, f.relative_to, f.unit, f.value, coalesce(d.outlet, CAST(d.id AS TEXT))
        )
        SELECT f.chip, f.metric, f.relative_to, f.value, f.unit, d.outlet, p.documents,
               p.mentions, p.first_seen, f.last_seen, s.fetched_at, d.url, d.title, f.quote,
               s.content_hash, f.id AS fact_id, f.snapshot_id, f.document_id, f.kind
        FROM picked p
        JOIN facts f ON f.id = p.id
        JOIN documents d ON d.id = f.document_id
        JOIN snapshots s ON s.id = f.snapshot_id
        ORDER BY f.chip, f.metric, f.relative_to, f.unit, p.documents DESC, f.value, d.outlet
    """
    rows = store.query(sql, params)
    mark_agreement(rows)
    if flt.limit:
        rows = rows[: int(flt.limit)]
    return rows


def _source_key(row: dict) -> object:
    return row.get("outlet") or row.get("document_id") or row.get("url")


def mark_agreement(rows: list[dict]) -> None:
    """Add `sources`, `values` and `agrees` to rows grouped by (chip, metric, ...).

    `agrees` is "yes" for the value most documents give, "no" for any other, "split" when
    no value is given by more documents than every other, and "only" when one source
    alone states the figure.
    """
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        key = (row.get("chip"), row.get("metric"), row.get("relative_to"), row.get("unit"))
        groups.setdefault(key, []).append(row)
    for members in groups.values():
        sources_by_value: dict[float, set] = {}
        weight: Counter = Counter()
        for row in members:
            sources_by_value.setdefault(row["value"], set()).add(_source_key(row))
            weight[row["value"]] += row.get("documents") or 1
        top = weight.most_common()
        majority = top[0][0] if len(top) == 1 or top[0][1] > top[1][1] else None
        n_sources = len({_source_key(row) for row in members})
        for row in members:
            row["sources"] = n_sources
            row["values"] = len(sources_by_value)
            if len(sources_by_value) == 1:
                row["agrees"] = "yes" if n_sources > 1 else "only"
            elif majority is None:
                row["agrees"] = "split"
            else:
                row["agrees"] = "yes" if row["value"] == majority else "no"


# -- figures, timeline, alerts, sources, documents (the report's sections) ---------------

def figures_across_sources(store: Store) -> list[dict]:
    """Every chip number still on its page, one row per document and value, grouped."""
    rows = compare_facts(store, FactFilter())
    return [r for r in rows if r["kind"] in ("chip_figure", "chip_comparison") and r["chip"]]


def timeline(store: Store, limit_documents: int = 30) -> list[dict]:
    """Every stored version of the most recently changed documents with the facts each
    version added and dropped, oldest first."""
    return store.query(
        """
        WITH docs AS (
            SELECT d.id FROM documents d WHERE d.latest_snapshot_id IS NOT NULL
            ORDER BY d.last_seen DESC LIMIT ?
        )
        SELECT s.id AS snapshot_id, s.document_id, s.version, s.fetched_at,
               coalesce(s.title, d.title) AS title, d.outlet, d.url,
               (SELECT count(*) FROM facts f WHERE f.snapshot_id = s.id) AS added,
               (SELECT count(*) FROM fact_sightings p
                  JOIN snapshots ps ON ps.id = p.snapshot_id
                  WHERE ps.document_id = s.document_id AND ps.version = s.version - 1
                    AND NOT EXISTS (SELECT 1 FROM fact_sightings c
                                    WHERE c.snapshot_id = s.id AND c.fact_id = p.fact_id)
               ) AS dropped
        FROM snapshots s JOIN documents d ON d.id = s.document_id
        WHERE s.document_id IN (SELECT id FROM docs)
        ORDER BY s.fetched_at, s.id
        """,
        [limit_documents],
    )


def recent_alerts(store: Store, limit: int = 20, since: str | None = None) -> list[dict]:
    """Latest alerts first, each with `deliveries` as "channel: status" text."""
    params: list[object] = []
    where = ""
    if since:
        where = "WHERE a.created_at >= ?"
        params.append(since)
    params.append(limit)
    return store.query(
        f"""
        SELECT a.id, a.type, a.title, a.body, a.created_at, a.source, a.claim_id,
               d.url, d.outlet,
               (SELECT group_concat(x.channel || ': ' || x.status, ', ')
                  FROM deliveries x WHERE x.alert_id = a.id) AS deliveries
        FROM alerts a LEFT JOIN documents d ON d.id = a.document_id
        {where}
        ORDER BY a.created_at DESC, a.id DESC LIMIT ?
        """,
        params,
    )


def source_health(store: Store, configured: Iterable[Any] = ()) -> list[dict]:
    """Stored source state, plus configured sources never polled yet (marked `new`)."""
    rows = store.query(
        """SELECT s.name, s.kind, s.outlet, s.url, s.enabled, s.status, s.last_attempt,
                  s.last_success, s.last_http_status AS http, s.failures_in_row AS failures,
                  s.next_due, s.last_error,
                  (SELECT count(*) FROM documents d WHERE d.source = s.name) AS documents
           FROM sources s ORDER BY s.enabled DESC, s.name"""
    )
    known = {r["name"] for r in rows}
    for src in configured:
        if src.name not in known:
            rows.append({"name": src.name, "kind": src.kind, "outlet": src.outlet, "url": src.url,
                         "enabled": int(bool(src.enabled)), "status": "new", "last_attempt": None,
                         "last_success": None, "http": None, "failures": 0, "next_due": None,
                         "last_error": None, "documents": 0})
    for r in rows:
        r["health"] = health_of(r)
    return rows


def health_of(source: dict) -> str:
    if not source.get("enabled"):
        return "disabled"
    if source.get("failures"):
        return "failing"
    if not source.get("last_success"):
        return "not fetched yet"
    return "ok"


def document_rows(store: Store, limit: int = 200) -> list[dict]:
    """Stored documents, latest change first, with how many versions and current facts."""
    return store.query(
        """SELECT d.id, d.outlet, d.title, d.url, d.first_seen, d.last_seen,
                  (SELECT count(*) FROM snapshots s WHERE s.document_id = d.id) AS versions,
                  (SELECT max(s.fetched_at) FROM snapshots s WHERE s.document_id = d.id) AS fetched_at,
                  (SELECT count(*) FROM facts f WHERE f.document_id = d.id AND f.current = 1) AS facts
           FROM documents d WHERE d.latest_snapshot_id IS NOT NULL
           ORDER BY d.last_seen DESC, d.id DESC LIMIT ?""",
        [limit],
    )


def counts(store: Store) -> dict[str, int]:
    """Headline numbers for the top of a report."""
    row = store.one(
        """SELECT (SELECT count(*) FROM documents WHERE latest_snapshot_id IS NOT NULL) AS documents,
                  (SELECT count(*) FROM snapshots) AS snapshots,
                  (SELECT count(*) FROM facts WHERE current = 1) AS facts,
                  (SELECT count(*) FROM alerts) AS alerts"""
    )
    return dict(row or {})
