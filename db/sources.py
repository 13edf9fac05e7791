"""Reads of the `sources` table that the watchdog needs."""

from __future__ import annotations

from chipwatch.db.store import Store


def source_statuses(store: Store) -> dict[str, str | None]:
    """Each configured source's last status, by name."""
    return {r["name"]: r["status"] for r in store.query("SELECT name, status FROM sources")}
