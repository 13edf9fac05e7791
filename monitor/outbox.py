"""The outbox: one `deliveries` row per alert x channel, sent until delivered or given up.

Alert rows and their delivery rows are written together, and a delivery is marked done
only after its channel accepted it, so a crash or a dead channel loses nothing: the next
cycle finds the row still pending. The other way round, a restart never sends twice what
was marked delivered; the only window is a crash between a channel accepting and the mark
being written, and for the JSONL file even that is closed by checking the file's tail.

Retries back off (BACKOFF) and stop after MAX_ATTEMPTS, counting only deliveries that
were attempted. After one failure the next alert is still tried, so one alert the
receiver always refuses never starves the rest; after two in a row the channel counts as
down for this cycle and the rest wait, uncharged; an answer that cannot get better
(a 4xx, a URL Apprise does not know) gives up at once. A channel with `digest` set sends
everything due as one message per cycle, and at most one message per digest period.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from chipwatch.db import outbox as rows_db
from chipwatch.db.records import AlertRow
from chipwatch.db.store import Store, utcnow
from chipwatch.monitor.channels import Channel, SendResult, accepts, channels_from_config
from chipwatch.monitor.config import Config

log = logging.getLogger(__name__)

# Seconds to wait after the n-th failed attempt (the last value repeats). The first retry
# is due at once, i.e. on the next poll cycle.
BACKOFF = (0, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600)
MAX_ATTEMPTS = 12
# Alerts raised while no channel was known (e.g. by `chipwatch ingest`) are queued on the
# next delivery cycle when they are at most this old; older ones are history, not news.
BACKLOG = timedelta(days=1)

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


def _iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _parse(ts: str) -> datetime:
    t = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def backoff(attempts: int) -> float:
    return float(BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1])


@dataclass
class ChannelReport:
    channel: str
    sent: int = 0  # alerts delivered
    messages: int = 0  # messages sent (a digest carries several alerts)
    failed: int = 0  # attempts that failed and will be retried
    deferred: int = 0  # not attempted this cycle because the channel just failed
    given_up: int = 0
    held: int = 0  # waiting for the digest period
    errors: list[str] = field(default_factory=list)


@dataclass
class DeliveryReport:
    channels: dict[str, ChannelReport] = field(default_factory=dict)
    queued: int = 0  # delivery rows created for alerts no channel had yet
    pending: int = 0  # rows still pending after this cycle

    @property
    def delivered(self) -> int:
        return sum(c.sent for c in self.channels.values())

    @property
    def failed(self) -> int:
        return sum(c.failed for c in self.channels.values())

    @property
    def given_up(self) -> int:
        return sum(c.given_up for c in self.channels.values())

    def summary(self) -> str:
        return (f"alerts delivered {self.delivered}, failed {self.failed} (will retry), "
                f"given up {self.given_up}, pending {self.pending}")


def enqueue(store: Store, alert_id: int, alert_type: str, config: Config | None,
            channels: list[Channel] | None = None) -> int:
    """Delivery rows for one alert, one per channel that takes its type."""
    channels = channels if channels is not None else channels_from_config(config)
    now = utcnow()
    n = 0
    with store.transaction():
        for ch in channels:
            if not accepts(ch, alert_type):
                continue
            n += rows_db.insert_delivery(store, alert_id, ch.id, now)
    return n


def enqueue_unrouted(store: Store, channels: list[Channel], now: datetime) -> int:
    """Queue recent alerts that were raised with no channels at hand."""
    if not channels:
        return 0
    rows = rows_db.unrouted_alerts(store, _iso(now - BACKLOG))
    return sum(enqueue(store, r.id, r.type, None, channels) for r in rows)


def alert_message(alert: AlertRow | dict[str, Any]) -> dict[str, Any]:
    """What every channel receives for one alert: the row, with its JSON fields decoded."""
    def decoded(value: Any, default: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return default
        return value if value is not None else default

    return {
        "id": alert["id"], "type": alert["type"], "title": alert["title"],
        "body": alert["body"], "created_at": alert["created_at"],
        "dedupe_key": alert["dedupe_key"], "source": alert.get("source"),
        "document_id": alert.get("document_id"), "claim_id": alert.get("claim_id"),
        "fact_ids": decoded(alert.get("fact_ids"), []),
        "snapshot_ids": decoded(alert.get("snapshot_ids"), []),
        "payload": decoded(alert.get("payload"), {}),
    }


def _mark(store: Store, delivery_ids: list[int], result: SendResult, now: datetime) -> tuple[int, int, int]:
    """Record one attempt for these rows; returns (delivered, failed, given_up)."""
    sent = failed = given_up = 0
    with store.transaction():
        for did in delivery_ids:
            attempts = rows_db.attempts(store, did) + 1
            if result.ok:
                rows_db.mark_delivered(store, did, attempts, _iso(now))
                sent += 1
            elif result.permanent or attempts >= MAX_ATTEMPTS:
                rows_db.mark_given_up(store, did, attempts, result.detail[:500])
                given_up += 1
            else:
                rows_db.mark_retry(store, did, attempts, result.detail[:500],
                                   _iso(now + timedelta(seconds=backoff(attempts))))
                failed += 1
    return sent, failed, given_up


def _defer(store: Store, delivery_ids: list[int], result: SendResult, now: datetime) -> None:
    """Rows not tried because the channel just failed: no attempt is charged, they stay due."""
    with store.transaction():
        for did in delivery_ids:
            rows_db.defer(store, did, f"not attempted: channel failed on another alert ({result.detail})"[:500],
                          _iso(now))


def _safe_send(channel: Channel, messages: list[dict[str, Any]], digest: bool) -> SendResult:
    try:
        return channel.send(messages, digest=digest)
    except Exception as exc:  # noqa: BLE001 - a broken channel must not stop the others
        log.exception("channel %s failed", channel.id)
        return SendResult(False, f"{type(exc).__name__}")


def deliver_pending(store: Store, config: Config | None, *, now: datetime | None = None,
                    channels: list[Channel] | None = None) -> DeliveryReport:
    """Send every due delivery; called once per poll cycle (and by `chipwatch run --once`)."""
    now = now or datetime.now(timezone.utc)
    channels = channels if channels is not None else channels_from_config(config)
    report = DeliveryReport()
    report.queued = enqueue_unrouted(store, channels, now)
    for ch in channels:
        rep = report.channels.setdefault(ch.id, ChannelReport(ch.id))
        rows = rows_db.due(store, ch.id, _iso(now))
        if not rows:
            continue
        if ch.digest > 0:
            last = rows_db.last_delivered_at(store, ch.id)
            if last and _parse(last) + timedelta(seconds=ch.digest) > now:
                rep.held += len(rows)
                continue
            batches = [rows]
        else:
            batches = [[r] for r in rows]
        failures_in_row = 0
        for position, batch in enumerate(batches):
            result = _safe_send(ch, [alert_message(r.alert) for r in batch], ch.digest > 0)
            sent, failed, given_up = _mark(store, [r.delivery_id for r in batch], result, now)
            rep.sent += sent
            rep.failed += failed
            rep.given_up += given_up
            rep.messages += 1 if result.ok else 0
            failures_in_row = 0 if result.ok else failures_in_row + 1
            if not result.ok:
                rep.errors.append(result.detail)
                log.warning("alert delivery via %s failed: %s", ch.id, result.detail)
                # One failure may be that alert's own (a receiver refusing one payload): the
                # next alert is still tried. Two in a row: the channel is down.
                if not ch.digest and not result.permanent and failures_in_row >= 2:
                    # The channel may be down: leave the rest for the next cycle instead of
                    # timing out once per alert. They were not tried, so nothing is charged.
                    later = [r.delivery_id for b in batches[position + 1:] for r in b]
                    _defer(store, later, result, now)
                    rep.deferred += len(later)
                    break
    report.pending = rows_db.pending_count(store)
    if report.delivered or report.failed or report.given_up:
        log.info("outbox: %s", report.summary())
    return report


def send_test(config: Config | None, channels: list[Channel] | None = None) -> list[dict[str, Any]]:
    """One test alert to every channel, stored nowhere; returns each channel's result."""
    channels = channels if channels is not None else channels_from_config(config)
    now = utcnow()
    message = {
        "id": 0, "type": "test", "title": "chipwatch test alert",
        "body": "If you can read this, alerts from chipwatch reach this channel.",
        "created_at": now, "dedupe_key": f"test:{now}", "source": None, "document_id": None,
        "claim_id": None, "fact_ids": [], "snapshot_ids": [], "payload": {"test": True},
    }
    results = []
    for ch in channels:
        result = _safe_send(ch, [message], False)
        results.append({"channel": ch.id, "kind": ch.kind, "ok": result.ok,
                        "result": "ok" if result.ok else "failed", "detail": result.detail})
    return results


def delivery_status(store: Store, alert_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Delivery rows per alert, for `chipwatch alerts`."""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not alert_ids:
        return out
    for alert_id, states in rows_db.states(store, alert_ids).items():
        out[alert_id] = [asdict(s) for s in states]
    return out
