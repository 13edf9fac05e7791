"""PostgreSQL behind the store: a connection that takes the statements db/ writes.

`PgDatabase` offers the few calls the store and db/ make on a database (execute, query,
executescript, transactions, table names), translating each statement with db/dialect.py.
The migrations are the same numbered functions as for SQLite (db/schema.py), applied in
order and recorded in `_chipwatch_migrations`; a database with a migration this chipwatch
does not know is refused. psycopg is imported only when a PostgreSQL URL is opened (the
`postgres` extra), so SQLite needs nothing more.
"""

from __future__ import annotations

import re

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from chipwatch.db import dialect

MIGRATIONS_TABLE = "_chipwatch_migrations"
_DDL = re.compile(r"\s*(CREATE|ALTER|DROP)\b", re.I)


def is_url(target: object) -> bool:
    """A PostgreSQL connection URL rather than a SQLite file path."""
    return str(target).startswith(("postgresql://", "postgres://"))


def redact_url(url: str) -> str:
    """The URL without its password, for messages."""
    head, sep, tail = url.partition("@")
    if not sep or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, _, user = head.partition("//")
    return f"{scheme}//{user.split(':', 1)[0]}:***@{tail}"


@dataclass
class Result:
    """What a statement returned, shaped like a DB-API cursor after execute()."""

    rows: list[tuple]
    description: Sequence[Any] | None
    rowcount: int
    lastrowid: int | None

    def fetchone(self) -> tuple | None:
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list[tuple]:
        return list(self.rows)

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.rows)


class PgDatabase:
    """One psycopg connection, autocommit outside `transaction()` blocks."""

    dialect = "postgresql"

    def __init__(self, url: str, *, connect_timeout: float = 10.0):
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ImportError("PostgreSQL needs psycopg: pip install 'chipwatch[postgres]'") from exc
        self.url = url
        self.conn = psycopg.connect(url, autocommit=True, connect_timeout=int(connect_timeout))
        self._depth = 0

    # -- statements ----------------------------------------------------------------------

    def execute(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> Result:
        if sql.lstrip().upper().startswith("PRAGMA"):
            return Result([], None, 0, None)  # SQLite settings mean nothing here
        if _DDL.match(sql):
            self.executescript(sql)
            return Result([], None, 0, None)
        text, returns_id = dialect.statement(sql)
        values = _params(params)
        with self.conn.cursor() as cur:
            cur.execute(text, values)
            rows = cur.fetchall() if cur.description else []
            lastrowid = None
            if returns_id and rows:
                lastrowid = int(rows[0][0])
            return Result(rows, cur.description, cur.rowcount, lastrowid)

    def query(self, sql: str, params: Iterable[Any] | dict[str, Any] = ()) -> Iterator[dict]:
        result = self.execute(sql, params)
        names = [d.name for d in result.description or ()]
        for row in result.rows:
            yield {n: _value(v) for n, v in zip(names, row)}

    def executescript(self, ddl: str) -> None:
        for stmt in dialect.script(ddl):
            with self.conn.cursor() as cur:
                cur.execute(stmt)

    # -- transactions --------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[PgDatabase]:
        """All or nothing; nested blocks join the outer one (as savepoints)."""
        with self.conn.transaction():
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1

    atomic = transaction

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    # -- schema --------------------------------------------------------------------------

    def table_names(self) -> list[str]:
        return [r["table_name"] for r in self.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
            "ORDER BY table_name")]

    def columns(self, table: str) -> list[str]:
        return [r["column_name"] for r in self.query(
            """SELECT column_name FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = ?
               ORDER BY ordinal_position""", [table])]

    def close(self) -> None:
        self.conn.close()


def _params(params: Iterable[Any] | dict[str, Any]) -> list[Any] | dict[str, Any]:
    if isinstance(params, dict):
        return params
    return [bytes(p) if isinstance(p, memoryview) else p for p in params]


def _value(v: Any) -> Any:
    return bytes(v) if isinstance(v, memoryview) else v


def applied_migrations(db: PgDatabase) -> list[str]:
    if MIGRATIONS_TABLE not in db.table_names():
        return []
    return [r["name"] for r in db.query(f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY applied_at, name")]


def migrate(db: PgDatabase, known: Sequence[Any]) -> list[str]:
    """Apply the migrations `known` (in order) that the database lacks; returns their names.

    An advisory lock keeps two processes opening a new database at once from both
    running the same migration.
    """
    done: list[str] = []
    with db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(7460225)")
        with db.conn.cursor() as cur:
            cur.execute(f"CREATE TABLE IF NOT EXISTS {MIGRATIONS_TABLE} "
                        "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        applied = set(applied_migrations(db))
        for m in known:
            if m.name in applied:
                continue
            m.fn(db)
            db.execute(f"INSERT INTO {MIGRATIONS_TABLE} (name, applied_at) VALUES (?, ?)",
                       [m.name, datetime.now(timezone.utc).isoformat()])
            done.append(m.name)
    return done
