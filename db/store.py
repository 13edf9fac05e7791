"""The one write path into the database, and the small reads the watcher needs.

Every write that belongs together (a snapshot and its facts, a fetch and the source's new
state) happens inside one transaction, so a killed process leaves either all of it or none.
Rows that provenance depends on (snapshots, facts' quotes and offsets) are only inserted,
never rewritten: a new version of a page is a new snapshot.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from chipwatch import errors
from chipwatch.db.schema import migrations
from chipwatch.db.records import FactIn as Fact


# Defined in chipwatch.errors; the old names stay for the modules that import them here.
StoreError = errors.StoreError  # a database that cannot be used as asked
StoreBusy = errors.DatabaseBusy  # another writer held it longer than the busy timeout


DEFAULT_BUSY_TIMEOUT = 30.0  # seconds a write waits for another writer before it fails

# SQLite primary result codes (extended codes keep them in the low byte)
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_IOERR, _SQLITE_FULL = 5, 6, 10, 13


def _sqlite_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_busy(exc: BaseException) -> bool:
    """Another writer held the database longer than the busy timeout."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = _sqlite_code(exc)
    return code in (_SQLITE_BUSY, _SQLITE_LOCKED) or (code is None and "locked" in str(exc))


def is_disk_full(exc: BaseException) -> bool:
    """Nothing more can be written: the disk is full, a file-size limit is reached, or the
    storage fails writes. Going on would only fail again, so the caller stops."""
    if isinstance(exc, OSError) and exc.errno in (28, 27):  # ENOSPC, EFBIG
        return True
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    return _sqlite_code(exc) in (_SQLITE_FULL, _SQLITE_IOERR) or "disk is full" in str(exc)


def last_id(cur: sqlite3.Cursor) -> int:
    """The rowid an INSERT just made (sqlite3 types it optional: None only when nothing was
    inserted, which the callers rule out)."""
    if cur.lastrowid is None:
        raise StoreError("an INSERT made no row")
    return int(cur.lastrowid)


def utcnow() -> str:
    """Timestamps are ISO 8601 UTC with seconds, so they sort as text."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fact_key(fact: Fact) -> str:
    """Identity of a fact within one document, stable across versions of the page.

    Offsets are left out (they move when a paragraph is added above); the quote's words
    are kept so that two different statements of the same figure stay two facts.
    """
    value = None if fact.value is None else round(float(fact.value), 6)
    parts = [
        fact.kind, fact.chip, fact.metric, value, fact.unit, fact.relative_to, fact.actor,
        fact.action, fact.status, bool(fact.negated), " ".join(fact.quote.split()),
    ]
    return hashlib.sha1(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


@dataclass
class SavedVersion:
    """What one stored page version changed, for summaries and alerts."""

    document_id: int
    snapshot_id: int
    new_version: bool
    previous_snapshot_id: int | None = None
    added_fact_ids: list[int] = field(default_factory=list)
    removed_fact_ids: list[int] = field(default_factory=list)
    kept_fact_ids: list[int] = field(default_factory=list)


class Store:
    """A chipwatch database: open it, and every migration it lacks is applied."""

    def __init__(self, db: Database, path: Path | str):
        self.db = db  # sqlite-utils Database, or db/postgres.py's PgDatabase
        self.path = path

    @property
    def dialect(self) -> str:
        """"sqlite" or "postgresql": the few reads written per engine (full-text search)
        ask this; everything else is written once (db/dialect.py translates)."""
        return getattr(self.db, "dialect", "sqlite")

    # -- opening -------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, readonly: bool = False, create: bool = True,
             busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Store:
        """Open (and migrate) a database. `create=False` is for commands that only read:
        they must not leave an empty database, or its folder, behind. `busy_timeout` is
        how long a write waits for another writer (SQLite retries with growing pauses).
        A `postgresql://` URL opens a PostgreSQL database instead of a file."""
        from chipwatch.db.postgres import is_url

        if is_url(path):
            return cls._open_postgres(str(path), readonly=readonly)
        path = Path(path)
        if path.is_dir():
            raise StoreError(f"{path}: is a directory, not a database file")
        if (readonly or not create) and not path.exists():
            raise StoreError(f"{path}: no such database (nothing has been stored yet; "
                             "'chipwatch run --once' or 'chipwatch ingest' creates it)")
        if path.exists() and not path.is_file():
            raise StoreError(f"{path}: not a regular file, not a database")
        if readonly:
            try:
                conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
                store = cls(Database(conn), path)
                store._check_version()
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{path}: not a usable chipwatch database ({exc})") from exc
            return store
        if path.parent and not path.parent.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{path.parent}: cannot create the database folder ({exc.strerror})") from exc
        try:
            conn = sqlite3.connect(str(path), check_same_thread=False, timeout=busy_timeout)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: cannot open the database ({exc})") from exc
        db = Database(conn)
        store = cls(db, path)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            store._check_version()
            migrations.apply(db)
        except sqlite3.DatabaseError as exc:
            conn.close()
            if is_busy(exc):
                raise StoreBusy(f"{path}: database busy: another writer held it for more than "
                                 f"{busy_timeout:g} s") from exc
            raise StoreError(f"{path}: not a usable chipwatch database ({exc})") from exc
        return store

    @classmethod
    def _open_postgres(cls, url: str, *, readonly: bool = False) -> Store:
        from chipwatch.db.postgres import PgDatabase, applied_migrations, migrate, redact_url

        try:
            db = PgDatabase(url)
        except ImportError as exc:
            raise StoreError(str(exc)) from exc
        except Exception as exc:  # noqa: BLE001 - psycopg's errors: unreachable, refused, auth
            raise StoreError(f"{redact_url(url)}: cannot connect ({type(exc).__name__}: "
                             f"{str(exc).strip()[:300]})") from exc
        known = migrations.pending(Database(memory=True))
        unknown = sorted(set(applied_migrations(db)) - {m.name for m in known})
        if unknown:
            db.close()
            raise StoreError(f"{redact_url(url)}: written by a newer chipwatch (schema "
                             f"{unknown[-1]}); upgrade chipwatch to use it")
        if readonly:  # the server itself refuses writes on this connection
            db.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            db.execute("SET default_transaction_read_only = on")
        else:
            migrate(db, known)
        return cls(db, url)  # type: ignore[arg-type]

    def _check_version(self) -> None:
        """Refuse a database written by a newer chipwatch instead of misreading it."""
        if "_sqlite_migrations" not in self.db.table_names():
            return
        known = {m.name for m in migrations.pending(Database(memory=True))}
        applied = {
            row[0]
            for row in self.db.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", ["chipwatch"]
            ).fetchall()
        }
        unknown = sorted(applied - known)
        if unknown:
            raise StoreError(
                f"{self.path}: written by a newer chipwatch (schema {unknown[-1]}); "
                "upgrade chipwatch to use it"
            )

    def close(self) -> None:
        self.db.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """BEGIN IMMEDIATE so two processes never deadlock upgrading a read lock."""
        if self.dialect != "sqlite":
            with self.db.transaction():  # type: ignore[attr-defined]
                yield self.db
            return
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict]:
        return list(self.db.query(sql, params))

    def one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> dict | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    # -- sources -------------------------------------------------------------------

    def sync_sources(self, sources: Iterable[Any]) -> None:
        """Make the `sources` table match the configuration, keeping each one's state."""
        with self.transaction():
            seen = []
            for s in sources:
                seen.append(s.name)
                self.db.execute(
                    """INSERT INTO sources (name, outlet, url, kind, interval_s, keywords, enabled)
                       VALUES (?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT(name) DO UPDATE SET outlet=excluded.outlet, url=excluded.url,
                         kind=excluded.kind, interval_s=excluded.interval_s,
                         keywords=excluded.keywords, enabled=excluded.enabled""",
                    [s.name, s.outlet, s.url, s.kind, float(s.interval),
                     json.dumps(list(s.keywords), ensure_ascii=False), int(bool(s.enabled))],
                )
            placeholders = ",".join("?" * len(seen))
            self.db.execute(
                f"UPDATE sources SET enabled = 0 WHERE name NOT IN ({placeholders})"
                if seen else "UPDATE sources SET enabled = 0",
                seen,
            )

    def source_state(self, name: str) -> dict | None:
        return self.one("SELECT * FROM sources WHERE name = ?", [name])

    def update_source_state(self, name: str, **fields: Any) -> None:
        allowed = {
            "status", "last_attempt", "last_success", "last_http_status", "failures_in_row",
            "next_due", "last_error", "retry_after_until",
        }
        bad = set(fields) - allowed
        if bad:
            raise ValueError(f"unknown source state field(s): {sorted(bad)}")
        if not fields:
            return
        assignments = ", ".join(f"{k} = ?" for k in fields)
        with self.transaction():
            self.db.execute(
                f"UPDATE sources SET {assignments} WHERE name = ?", [*fields.values(), name]
            )

    # -- fetch log -----------------------------------------------------------------

    FETCH_COLUMNS = (
        "source", "url", "final_url", "started_at", "elapsed_ms", "http_status", "outcome",
        "bytes", "conditional", "retries", "error_class", "error", "etag", "last_modified",
        "content_type", "truncated", "snapshot_id",
    )

    def record_fetch(self, **fields: Any) -> int:
        bad = set(fields) - set(self.FETCH_COLUMNS)
        if bad:
            raise ValueError(f"unknown fetch field(s): {sorted(bad)}")
        fields.setdefault("started_at", utcnow())
        fields.setdefault("outcome", "ok")
        for flag in ("conditional", "truncated"):
            if flag in fields:
                fields[flag] = int(bool(fields[flag]))
        cols = ", ".join(fields)
        marks = ", ".join("?" * len(fields))
        with self.transaction():
            cur = self.db.execute(
                f"INSERT INTO fetches ({cols}) VALUES ({marks})", list(fields.values())
            )
            return last_id(cur)

    def set_fetch_outcome(self, fetch_id: int, outcome: str, error_class: str | None = None,
                          error: str | None = None) -> None:
        """The outcome of a fetch is final only after the pipeline looked at the body."""
        with self.transaction():
            self.db.execute(
                """UPDATE fetches SET outcome = ?, error_class = coalesce(?, error_class),
                     error = coalesce(?, error) WHERE id = ?""",
                [outcome, error_class, error, fetch_id],
            )

    def skipped_before(self, url: str, error_class: str) -> bool:
        """Ignored feed links are recorded once, not again on every poll."""
        return self.one(
            """SELECT 1 AS x FROM fetches WHERE url = ? AND outcome = 'skipped'
               AND error_class = ? LIMIT 1""",
            [url, error_class],
        ) is not None

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """ETag and Last-Modified of the last fetch of `url` that got content or a 304."""
        row = self.one(
            """SELECT etag, last_modified FROM fetches
               WHERE url = ? AND http_status IN (200, 203, 304) AND outcome IN ('ok','not_modified','unchanged')
               ORDER BY id DESC LIMIT 1""",
            [url],
        )
        if not row:
            return None, None
        return row["etag"], row["last_modified"]

    # -- documents -----------------------------------------------------------------

    def document_by_url(self, url: str) -> dict | None:
        """The document a URL names: its own URL first, then any URL it was fetched as."""
        return self.one(
            """SELECT * FROM documents
               WHERE id = coalesce((SELECT id FROM documents WHERE url = ?),
                                   (SELECT document_id FROM document_urls WHERE url = ?))""",
            [url, url],
        )

    def latest_version(self, url: str) -> tuple[int, int, str] | None:
        """(document id, snapshot id, content hash) of the latest stored version at `url`."""
        row = self.one(
            """SELECT d.id AS doc, s.id AS snap, s.content_hash FROM documents d
               JOIN snapshots s ON s.id = d.latest_snapshot_id
               WHERE d.id = coalesce((SELECT id FROM documents WHERE url = ?),
                                     (SELECT document_id FROM document_urls WHERE url = ?))""",
            [url, url],
        )
        return (int(row["doc"]), int(row["snap"]), row["content_hash"]) if row else None

    def mark_seen(self, document_id: int, seen_at: str) -> None:
        """A 304 or an unchanged body confirms the latest version: move last_seen forward."""
        with self.transaction():
            self.db.execute(
                "UPDATE documents SET last_seen = ?, status = 'watched' WHERE id = ?",
                [seen_at, document_id],
            )
            self.db.execute(
                "UPDATE facts SET last_seen = ? WHERE document_id = ? AND current = 1",
                [seen_at, document_id],
            )

    def add_discovered(
        self, *, url: str, outlet: str | None, source: str, title: str | None,
        published: str | None,
    ) -> bool:
        """Register an article URL found in a feed; True when it was not known before."""
        if self.document_by_url(url):
            return False
        now = utcnow()
        with self.transaction():
            cur = self.db.execute(
                """INSERT INTO documents (url, outlet, source, title, published, first_seen,
                     last_seen, discovered_via) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                [url, outlet, source, title, published, now, now, source],
            )
            self.db.execute(
                "INSERT OR IGNORE INTO document_urls (url, document_id) VALUES (?, ?)",
                [url, cur.lastrowid],
            )
        return True

    def watched_urls(self, source: str) -> list[dict]:
        return self.query(
            """SELECT d.id, d.url, d.title, d.latest_snapshot_id, d.status, d.first_seen,
                 (SELECT max(s.fetched_at) FROM snapshots s WHERE s.document_id = d.id) AS last_fetched,
                 (SELECT s.fetched_at FROM snapshots s WHERE s.id = d.latest_snapshot_id) AS last_changed,
                 CASE WHEN d.latest_snapshot_id IS NOT NULL THEN d.last_seen END AS last_confirmed,
                 (SELECT l.published FROM listings l WHERE l.url = d.url) AS listed
               FROM documents d WHERE d.discovered_via = ? ORDER BY d.id""",
            [source],
        )

    def _document_for(self, url: str, canonical: str | None, outlet: str | None,
                      source: str | None, fetched_at: str) -> int:
        """Find or create the document for a fetched URL, preferring its canonical URL."""
        doc = self.document_by_url(canonical) if canonical else None
        if doc is None:
            doc = self.document_by_url(url)
        if doc is None:
            cur = self.db.execute(
                """INSERT INTO documents (url, outlet, source, first_seen, last_seen)
                   VALUES (?, ?, ?, ?, ?)""",
                [canonical or url, outlet, source, fetched_at, fetched_at],
            )
            doc_id = last_id(cur)
        else:
            doc_id = int(doc["id"])
            if outlet and not doc.get("outlet"):
                self.db.execute("UPDATE documents SET outlet = ? WHERE id = ?", [outlet, doc_id])
        for alias in {url, canonical} - {None}:
            self.db.execute(
                "INSERT OR IGNORE INTO document_urls (url, document_id) VALUES (?, ?)",
                [alias, doc_id],
            )
        return doc_id

    # -- versions and facts ----------------------------------------------------------

    def save_version(
        self, *, url: str, canonical_url: str | None, body: bytes, text: str,
        title: str | None, published: str | None, updated: str | None,
        fetched_at: str, http_status: int | None, headers: dict[str, str] | None,
        content_type: str | None, encoding: str | None, parser: str,
        facts: list[Fact] | None, outlet: str | None = None, source: str | None = None,
        fetch_id: int | None = None, truncated: bool = False,
        extractors: Mapping[str, str] | None = None,
    ) -> SavedVersion:
        """Store one fetched version of a page and its facts, all or nothing.

        A body already stored for this document, or one whose article text is the same as
        the latest version's, adds no snapshot: the document is only marked as seen.
        `extractors` names every extractor that ran (name -> version), so a run that found
        nothing is recorded too and `reextract` does not redo it.
        """
        content_hash = sha256(body)
        text_hash = sha256((title or "").encode() + b"\0" + text.encode())
        with self.transaction():
            doc_id = self._document_for(url, canonical_url, outlet, source, fetched_at)
            doc = self.one("SELECT * FROM documents WHERE id = ?", [doc_id])
            assert doc is not None
            latest = None
            if doc["latest_snapshot_id"]:
                latest = self.one(
                    "SELECT id, content_hash, text_hash, version FROM snapshots WHERE id = ?",
                    [doc["latest_snapshot_id"]],
                )
            same = self.one(
                "SELECT id FROM snapshots WHERE document_id = ? AND content_hash = ?",
                [doc_id, content_hash],
            )
            if latest and (same and same["id"] == latest["id"] or latest["text_hash"] == text_hash):
                self.mark_seen(doc_id, fetched_at)
                if fetch_id:
                    self.db.execute(
                        "UPDATE fetches SET snapshot_id = ? WHERE id = ?", [latest["id"], fetch_id]
                    )
                return SavedVersion(doc_id, int(latest["id"]), False, int(latest["id"]))
            # A body seen before but not the latest (content flipping back) is still a
            # new version: the page did change at this time.
            version = (latest["version"] + 1) if latest else 1
            cur = self.db.execute(
                """INSERT INTO snapshots (document_id, version, url, content_hash, text_hash,
                     fetched_at, http_status, headers, content_type, encoding, body_size,
                     body_z, truncated, title, published, updated, text, parser, fetch_id)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [doc_id, version, url, content_hash, text_hash, fetched_at, http_status,
                 json.dumps(headers or {}, ensure_ascii=False), content_type, encoding,
                 len(body), zlib.compress(body, 6), int(truncated), title, published, updated,
                 text, parser, fetch_id],
            )
            snap_id = last_id(cur)
            self.db.execute(
                """UPDATE documents SET latest_snapshot_id = ?, last_seen = ?,
                     title = coalesce(?, title), published = coalesce(?, published),
                     updated = coalesce(?, updated), status = 'watched' WHERE id = ?""",
                [snap_id, fetched_at, title, published, updated, doc_id],
            )
            if fetch_id:
                self.db.execute("UPDATE fetches SET snapshot_id = ? WHERE id = ?", [snap_id, fetch_id])
            saved = SavedVersion(doc_id, snap_id, True, int(latest["id"]) if latest else None)
            if facts is not None:
                self._save_facts(saved, facts, fetched_at, latest=True, extractors=extractors)
            return saved

    def _save_facts(self, saved: SavedVersion, facts: list[Fact], seen_at: str,
                    *, latest: bool, extractors: Mapping[str, str] | None = None) -> None:
        """Record the facts one extraction found in one snapshot.

        A fact already known for this document (same key, same extractor version) gains a
        sighting instead of a new row, so first_seen keeps its original time.
        """
        doc_id, snap_id = saved.document_id, saved.snapshot_id
        versions: dict[str, str] = {}
        seen_ids: set[int] = set()
        for fact in facts:
            versions[fact.extractor] = fact.extractor_version
            key = fact_key(fact)
            row = self.one(
                """SELECT id, current FROM facts WHERE document_id = ? AND fact_key = ?
                   AND extractor = ? AND extractor_version = ?""",
                [doc_id, key, fact.extractor, fact.extractor_version],
            )
            if row is None:
                cur = self.db.execute(
                    """INSERT INTO facts (document_id, snapshot_id, fact_key, kind, chip, metric,
                         value, unit, relative_to, actor, action, status, negated, approx, low,
                         high, target, attribution, extra, quote, char_start, char_end,
                         extractor, extractor_version, first_seen, last_seen, current, confidence)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                               ?, ?, ?, ?, ?, ?)""",
                    [doc_id, snap_id, key, fact.kind, fact.chip, fact.metric, fact.value,
                     fact.unit, fact.relative_to, fact.actor, fact.action, fact.status,
                     int(fact.negated), int(fact.approx), fact.low, fact.high, fact.target,
                     fact.attribution, json.dumps(fact.extra or {}, ensure_ascii=False),
                     fact.quote, fact.char_start, fact.char_end, fact.extractor,
                     fact.extractor_version, seen_at, seen_at, int(latest), fact.confidence],
                )
                fact_id = last_id(cur)
                saved.added_fact_ids.append(fact_id)
            else:
                fact_id = int(row["id"])
                if fact_id in seen_ids:
                    continue
                if latest:
                    self.db.execute(
                        "UPDATE facts SET last_seen = ?, current = 1 WHERE id = ?", [seen_at, fact_id]
                    )
                if fact.confidence is not None:
                    # A score, not provenance: the newest extraction's reading replaces it
                    # (and gives rows stored before confidences existed their first one).
                    self.db.execute("UPDATE facts SET confidence = ? WHERE id = ?",
                                    [fact.confidence, fact_id])
                if row["current"]:
                    saved.kept_fact_ids.append(fact_id)
                elif latest:  # back in the document's newest version
                    saved.added_fact_ids.append(fact_id)
                # else: seen again in an older version (re-extraction): it stays history
            seen_ids.add(fact_id)
            self.db.execute(
                """INSERT OR IGNORE INTO fact_sightings (fact_id, snapshot_id, char_start, char_end)
                   VALUES (?, ?, ?, ?)""",
                [fact_id, snap_id, fact.char_start, fact.char_end],
            )
        for name, version in {**(extractors or {}), **versions}.items():
            self.db.execute(
                """INSERT OR REPLACE INTO extraction_runs (snapshot_id, extractor,
                     extractor_version, ran_at, facts) VALUES (?, ?, ?, ?, ?)""",
                [snap_id, name, version, utcnow(),
                 sum(1 for f in facts if f.extractor == name)],
            )
        if latest:
            current = self.query(
                "SELECT id FROM facts WHERE document_id = ? AND current = 1", [doc_id]
            )
            gone = [r["id"] for r in current if r["id"] not in seen_ids]
            for fid in gone:
                self.db.execute("UPDATE facts SET current = 0 WHERE id = ?", [fid])
            saved.removed_fact_ids.extend(gone)

    def replace_facts(self, snapshot_id: int, facts: list[Fact],
                      extractors: Mapping[str, str] | None = None) -> SavedVersion:
        """Re-extraction of a stored snapshot: new extractor versions add rows, old stay."""
        snap = self.one("SELECT id, document_id, fetched_at FROM snapshots WHERE id = ?", [snapshot_id])
        if snap is None:
            raise StoreError(f"no snapshot {snapshot_id}")
        doc = self.one("SELECT latest_snapshot_id FROM documents WHERE id = ?", [snap["document_id"]])
        latest = bool(doc and doc["latest_snapshot_id"] == snapshot_id)
        saved = SavedVersion(int(snap["document_id"]), snapshot_id, False)
        with self.transaction():
            self._save_facts(saved, facts, snap["fetched_at"], latest=latest, extractors=extractors)
        return saved

    def snapshot_body(self, snapshot_id: int) -> bytes:
        row = self.one("SELECT body_z FROM snapshots WHERE id = ?", [snapshot_id])
        if row is None:
            raise StoreError(f"no snapshot {snapshot_id}")
        return zlib.decompress(row["body_z"])
