"""The `deliveries` table: one row per alert x channel, the outbox's only state."""

from __future__ import annotations

from collections.abc import Sequence

from chipwatch.db.records import AlertRef, AlertRow, DeliveryState, DueDelivery
from chipwatch.db.store import Store


def insert_delivery(store: Store, alert_id: int, channel: str, now: str) -> int:
    """A pending row for one alert on one channel; 0 when it already has one."""
    cur = store.db.execute(
        """INSERT OR IGNORE INTO deliveries (alert_id, channel, status, attempts, next_attempt)
           VALUES (?, ?, 'pending', 0, ?)""", [alert_id, channel, now])
    return cur.rowcount


def unrouted_alerts(store: Store, since: str) -> list[AlertRef]:
    """Alerts created since `since` that have no delivery row on any channel."""
    rows = store.query(
        """SELECT a.id, a.type FROM alerts a
           WHERE a.created_at >= ? AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.alert_id = a.id)
           ORDER BY a.id""", [since])
    return [AlertRef(int(r["id"]), r["type"]) for r in rows]


def attempts(store: Store, delivery_id: int) -> int:
    row = store.one("SELECT attempts FROM deliveries WHERE id = ?", [delivery_id])
    return int(row["attempts"]) if row else 0


def mark_delivered(store: Store, delivery_id: int, attempts: int, at: str) -> None:
    store.db.execute(
        """UPDATE deliveries SET status = 'delivered', attempts = ?, delivered_at = ?,
             last_error = NULL, next_attempt = NULL WHERE id = ?""",
        [attempts, at, delivery_id])


def mark_given_up(store: Store, delivery_id: int, attempts: int, error: str) -> None:
    store.db.execute(
        """UPDATE deliveries SET status = 'failed', attempts = ?, last_error = ?,
             next_attempt = NULL WHERE id = ?""",
        [attempts, error, delivery_id])


def mark_retry(store: Store, delivery_id: int, attempts: int, error: str, next_attempt: str) -> None:
    store.db.execute(
        """UPDATE deliveries SET attempts = ?, last_error = ?, next_attempt = ?
           WHERE id = ?""",
        [attempts, error, next_attempt, delivery_id])


def defer(store: Store, delivery_id: int, note: str, next_attempt: str) -> None:
    """Not attempted: no attempt is charged."""
    store.db.execute(
        "UPDATE deliveries SET last_error = ?, next_attempt = ? WHERE id = ?",
        [note, next_attempt, delivery_id])


def due(store: Store, channel: str, now: str) -> list[DueDelivery]:
    """Pending rows of one channel whose next attempt has come, oldest alert first."""
    rows = store.query(
        """SELECT d.id AS delivery_id, a.* FROM deliveries d JOIN alerts a ON a.id = d.alert_id
           WHERE d.channel = ? AND d.status = 'pending'
             AND (d.next_attempt IS NULL OR d.next_attempt <= ?)
           ORDER BY a.id""", [channel, now])
    return [DueDelivery(int(r["delivery_id"]), AlertRow.from_row(r)) for r in rows]


def last_delivered_at(store: Store, channel: str) -> str | None:
    row = store.one(
        "SELECT max(delivered_at) AS t FROM deliveries WHERE channel = ? AND status = 'delivered'",
        [channel])
    return row["t"] if row else None


def pending_count(store: Store) -> int:
    row = store.one("SELECT count(*) AS n FROM deliveries WHERE status = 'pending'")
    return int(row["n"]) if row else 0


def states(store: Store, alert_ids: Sequence[int]) -> dict[int, list[DeliveryState]]:
    """Delivery rows per alert, by channel."""
    out: dict[int, list[DeliveryState]] = {}
    for i in range(0, len(alert_ids), 500):
        chunk = list(alert_ids[i:i + 500])
        marks = ",".join("?" * len(chunk))
        for r in store.query(
            f"""SELECT alert_id, channel, status, attempts, next_attempt, last_error, delivered_at
                FROM deliveries WHERE alert_id IN ({marks}) ORDER BY channel""", chunk):
            out.setdefault(r["alert_id"], []).append(DeliveryState.from_row(r))
    return out
