"""Copy a SQLite chipwatch database into PostgreSQL, row for row, ids kept.

Provenance survives the move unchanged: every row keeps its id (facts still point at the
snapshot and the offsets they were read at, alerts at their facts), the copy is one
transaction (a failure leaves the target as it was), and both sides are counted and the
facts checksummed afterwards so the user sees that nothing was lost.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from chipwatch.db.dialect import ID_TABLES
from chipwatch.db.store import Store, StoreError

# Parents before children (foreign keys); tables not named here follow, by name.
TABLE_ORDER = (
    "sources", "fetches", "documents", "document_urls", "snapshots", "facts", "fact_sightings",
    "extraction_runs", "baseline_claims", "assessments", "alerts", "deliveries", "listings",
    "signatures", "signature_bands", "stories", "story_members", "credits",
    "citation_resolutions",
)
BATCH = 1000
FACT_COLUMNS = ("id", "document_id", "snapshot_id", "fact_key", "kind", "chip", "metric",
                "value", "unit", "relative_to", "actor", "action", "status", "negated",
                "approx", "low", "high", "target", "attribution", "extra", "quote",
                "char_start", "char_end", "extractor", "extractor_version", "first_seen",
                "last_seen", "current", "confidence")


@dataclass
class TableCount:
    table: str
    source: int
    target: int


@dataclass
class CopyReport:
    counts: list[TableCount] = field(default_factory=list)
    source_checksum: str = ""
    target_checksum: str = ""

    @property
    def ok(self) -> bool:
        return (self.source_checksum == self.target_checksum
                and all(c.source == c.target for c in self.counts))


def _sqlite_tables(store: Store) -> list[str]:
    names = [t for t in store.db.table_names()
             if not t.startswith(("_sqlite", "sqlite_")) and "_fts" not in t]
    known = [t for t in TABLE_ORDER if t in names]
    return known + sorted(t for t in names if t not in TABLE_ORDER)


def count(store: Store, table: str) -> int:
    row = store.one(f"SELECT count(*) AS n FROM {table}")
    return int(row["n"]) if row else 0


def facts_checksum(store: Store) -> str:
    """SHA-256 over every fact row (the columns provenance rests on), in id order; the
    same on both engines when the rows are the same."""
    h = hashlib.sha256()
    cols = ", ".join(FACT_COLUMNS)
    last = 0
    while True:
        rows = store.query(f"SELECT {cols} FROM facts WHERE id > ? ORDER BY id LIMIT ?",
                           [last, BATCH])
        for r in rows:
            values = [float(v) if k in ("value", "low", "high", "confidence") and v is not None
                      else v for k, v in r.items()]
            h.update(json.dumps(values, ensure_ascii=False).encode())
            h.update(b"\n")
        if len(rows) < BATCH:
            return h.hexdigest()
        last = rows[-1]["id"]


def copy_database(src: Store, dst: Store) -> CopyReport:
    """Copy every table of `src` (SQLite) into `dst` (PostgreSQL, empty)."""
    if dst.dialect != "postgresql":
        raise StoreError("the target of a copy must be a postgresql:// database")
    tables = _sqlite_tables(src)
    target_tables = set(dst.db.table_names())
    busy = [t for t in tables if t in target_tables and count(dst, t)]
    if busy:
        raise StoreError(f"the target database is not empty ({', '.join(busy[:5])} have rows); "
                         "copy into a new database")
    missing = [t for t in tables if t not in target_tables]
    if missing:
        raise StoreError(f"the target lacks table(s) {', '.join(missing)}")
    with dst.transaction():
        for table in tables:
            _copy_table(src, dst, table)
    report = CopyReport()
    for table in tables:
        report.counts.append(TableCount(table, count(src, table), count(dst, table)))
    report.source_checksum = facts_checksum(src)
    report.target_checksum = facts_checksum(dst)
    return report


def _copy_table(src: Store, dst: Store, table: str) -> None:
    theirs = set(dst.db.columns(table))  # type: ignore[attr-defined]
    cols = [c.name for c in src.db[table].columns if c.name in theirs]
    names = ", ".join(cols)
    marks = ", ".join("%s" for _ in cols)
    insert = f"INSERT INTO {table} ({names}) VALUES ({marks})"
    cursor = src.db.conn.execute(f"SELECT {names} FROM {table} ORDER BY rowid")
    with dst.db.conn.cursor() as out:  # type: ignore[attr-defined]  # a psycopg connection
        while True:
            rows = cursor.fetchmany(BATCH)
            if not rows:
                break
            out.executemany(insert, rows)
        if table in ID_TABLES:  # the next id PostgreSQL hands out follows the copied ones
            out.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)")
