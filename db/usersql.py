"""SQL written by a user (`chipwatch sql`, `chipwatch.query()`), run so that it cannot write
and cannot run or grow without bound.

Read-only mode of the connection protects the database file; query_only and an authorizer
also keep a statement from writing elsewhere (ATTACH creates files, VACUUM INTO copies). No
single value may be larger than the whole result may be (randomblob(1e9) fails at once
instead of allocating), and the clock is checked every few thousand steps. Every limit is
undone afterwards, so a writable store stays writable.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from typing import Any

from chipwatch.db.store import Store
from chipwatch.errors import InputError

DEFAULT_TIME_LIMIT = 30.0  # seconds
DEFAULT_MAX_BYTES = 100_000_000


def _deny_attach(action: int, *_: object) -> int:
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _value_size(value: object) -> int:
    return len(value) if isinstance(value, (str, bytes)) else 8


def run_readonly(store: Store, statement: str, params: Sequence[Any] = (), *,
                 time_limit: float = DEFAULT_TIME_LIMIT, max_bytes: int = DEFAULT_MAX_BYTES,
                 limit_names: tuple[str, str] = ("time_limit", "max_bytes")) -> tuple[list[str], list[dict]]:
    """(columns, rows) of one statement. Raises InputError, one line, for a statement that
    fails, writes, runs past `time_limit` seconds or returns more than `max_bytes`;
    `limit_names` is how the caller names those two limits in that line."""
    time_name, bytes_name = limit_names
    if store.dialect != "sqlite":
        raise InputError("sql: runs on a SQLite database; on PostgreSQL use psql with a read-only role")
    conn = store.db.conn
    conn.execute("PRAGMA query_only = ON")
    conn.set_authorizer(_deny_attach)
    old_length = conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, max_bytes)
    deadline = time.monotonic() + time_limit
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        cursor = conn.execute(statement, list(params))
        columns = [d[0] for d in cursor.description or []]
        rows, size = [], 0
        while batch := cursor.fetchmany(1000):
            for r in batch:
                size += sum(_value_size(v) for v in r)
                rows.append(dict(zip(columns, r)))
            if size > max_bytes:
                raise InputError(f"the result is larger than {bytes_name} {max_bytes:,}; "
                                 "narrow the query (WHERE, LIMIT) or raise the limit")
    except sqlite3.Error as exc:
        message = str(exc)
        if "interrupted" in message and time.monotonic() > deadline:
            message = f"stopped after {time_name} {time_limit:g} s; narrow the query or raise the limit"
        elif "too big" in message:
            message = f"a value is larger than {bytes_name} {max_bytes:,} ({message})"
        elif "readonly" in message or "query_only" in message:
            message = "the database is opened read-only: only SELECT-style statements run"
        elif "not authorized" in message or "authorization denied" in message:
            message = "ATTACH, DETACH and VACUUM INTO are refused: sql only reads this database"
        raise InputError(message) from exc
    finally:
        conn.set_progress_handler(None, 0)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, old_length)
        conn.set_authorizer(None)
        conn.execute("PRAGMA query_only = OFF")
    return columns, rows
