"""What the workers did with one distributed `ingest` or `reextract` (PostgreSQL only).

The command that spreads the work waits for its jobs and reads each job's outcome here:
one row per job, written in the transaction that stored the job's versions, so a job
either shows its outcome or stored nothing. Like `host_slots`, the table is the workers'
state, created on first use and not part of the stored news; a batch's rows are deleted
once its command has read them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from chipwatch.db.hosts import create_table_once
from chipwatch.db.store import Store

TERMINAL = ("succeeded", "failed", "cancelled", "aborted")


@dataclass
class ItemOutcome:
    """One job's outcome as the worker recorded it."""

    seq: int
    item: str
    outcome: dict


def ensure_table(store: Store) -> None:
    ddl = """CREATE TABLE IF NOT EXISTS batch_outcomes (
               seq BIGSERIAL PRIMARY KEY, batch TEXT NOT NULL, item TEXT NOT NULL,
               outcome TEXT NOT NULL, UNIQUE (batch, item))"""
    create_table_once(store.db, ddl)  # type: ignore[arg-type]  # a PostgreSQL store's


def record(store: Store, batch: str, item: str, outcome: dict) -> None:
    """Keep a job's outcome; a job run again (its worker was lost) replaces its row."""
    store.db.execute(
        """INSERT INTO batch_outcomes (batch, item, outcome) VALUES (?, ?, ?)
           ON CONFLICT (batch, item) DO UPDATE SET outcome = excluded.outcome""",
        [batch, item, json.dumps(outcome, ensure_ascii=False)])


def outcomes_after(store: Store, batch: str, seq: int) -> list[ItemOutcome]:
    rows = store.db.execute(
        "SELECT seq, item, outcome FROM batch_outcomes WHERE batch = ? AND seq > ? ORDER BY seq",
        [batch, seq]).fetchall()
    return [ItemOutcome(int(s), str(i), json.loads(o)) for s, i, o in rows]


def forget(store: Store, batch: str) -> None:
    store.db.execute("DELETE FROM batch_outcomes WHERE batch = ?", [batch])


def job_states(store: Store, job_ids: list[int]) -> dict[int, str]:
    """The queue's status of each of these jobs (procrastinate's table)."""
    out: dict[int, str] = {}
    for start in range(0, len(job_ids), 5000):
        chunk = job_ids[start:start + 5000]
        rows = store.db.execute("SELECT id, status::text FROM procrastinate_jobs WHERE id = ANY(?)",
                                [chunk]).fetchall()
        out.update({int(i): str(s) for i, s in rows})
    return out
