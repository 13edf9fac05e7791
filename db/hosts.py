"""Per-host politeness shared by every worker on every machine (PostgreSQL only).

A host's slot is a session advisory lock (one request to the host at a time, whichever
process makes it) plus a row of `host_slots` saying when the next request to the host
may start, read and written with the server's clock so that machines whose clocks
disagree still keep the delay. The table is created on first use: it is the workers'
state, not part of the stored news.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from chipwatch.db.postgres import PgDatabase
from chipwatch.db.store import Store

_LOCK_SPACE = 7460226  # first key of the two-key advisory lock: chipwatch's host slots


class SharedHostGate:
    """Drop-in for the fetcher's in-process HostGate (same `slot()`), across processes."""

    def __init__(self, url: str, delay: float, *, poll: float = 0.05) -> None:
        self.delay = delay
        self.poll = poll
        self.db = PgDatabase(url)
        self._locks: dict[str, asyncio.Lock] = {}
        create_table_once(self.db, """CREATE TABLE IF NOT EXISTS host_slots (
                             host TEXT PRIMARY KEY, next_allowed DOUBLE PRECISION NOT NULL)""")

    def _try_lock(self, key: str) -> bool:
        row = self.db.execute("SELECT pg_try_advisory_lock(?, hashtext(?))", [_LOCK_SPACE, key]).fetchone()
        return bool(row and row[0])

    def _unlock(self, key: str) -> None:
        self.db.execute("SELECT pg_advisory_unlock(?, hashtext(?))", [_LOCK_SPACE, key])

    def _wait(self, key: str) -> float:
        row = self.db.execute(
            """SELECT next_allowed - extract(epoch FROM clock_timestamp())
               FROM host_slots WHERE host = ?""", [key]).fetchone()
        return float(row[0]) if row else 0.0

    def _done(self, key: str, pause: float) -> None:
        self.db.execute(
            """INSERT INTO host_slots (host, next_allowed)
               VALUES (?, extract(epoch FROM clock_timestamp()) + ?)
               ON CONFLICT (host) DO UPDATE SET next_allowed = excluded.next_allowed""",
            [key, pause])

    @contextlib.asynccontextmanager
    async def slot(self, key: str, extra_delay: float = 0.0) -> AsyncIterator[None]:
        local = self._locks.setdefault(key, asyncio.Lock())
        async with local:  # this process's own requests queue here (the lock is per session)
            while not self._try_lock(key):
                await asyncio.sleep(self.poll)
            try:
                wait = self._wait(key)
                if wait > 0:
                    await asyncio.sleep(wait)
                try:
                    yield
                finally:
                    self._done(key, max(self.delay, extra_delay))
            finally:
                self._unlock(key)

    def close(self) -> None:
        self.db.close()


def create_table_once(db: PgDatabase, ddl: str) -> None:
    """CREATE TABLE IF NOT EXISTS, safe when several processes start at once: without the
    lock, two such statements at the same moment can both go ahead and one fails on
    PostgreSQL's catalog (duplicate key in pg_type), taking a starting worker down."""
    with db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(?)", [_LOCK_SPACE])
        db.execute(ddl)


def create_schema_once(store: Store, lock_key: int, marker_table: str, schema_sql: str) -> None:
    """Run `schema_sql` unless `marker_table` exists; a transaction-scoped advisory lock
    keeps two processes starting at once from both creating it."""
    with store.transaction():
        store.db.execute("SELECT pg_advisory_xact_lock(?)", [lock_key])
        if marker_table not in store.db.table_names():
            with store.db.conn.cursor() as cur:  # type: ignore[attr-defined]
                cur.execute(schema_sql)
