"""Typed records that cross the boundary of db/: what the rest of chipwatch reads and writes.

Each is a dataclass with named, typed fields. They can also be read like the row they
came from (`rec["title"]`, `rec.get("source")`), so code written against rows keeps
working while it moves to attribute access; only fields the record declares can be read.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Protocol


class Record:
    """Mapping-style reads over a dataclass's fields."""

    def __getitem__(self, key: str) -> Any:
        if key not in self._names():
            raise KeyError(key)
        return getattr(self, key)

    def __setitem__(self, key: str, value: Any) -> None:
        if key not in self._names():
            raise KeyError(key)
        setattr(self, key, value)

    def __contains__(self, key: object) -> bool:
        return key in self._names()

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key) if key in self._names() else default

    def keys(self) -> list[str]:
        return list(self._names())

    def __iter__(self):
        return iter(self._names())

    @classmethod
    def _names(cls) -> tuple[str, ...]:
        names = cls.__dict__.get("_field_names")
        if names is None:
            names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
            cls._field_names = names  # type: ignore[attr-defined]
        return names

    @classmethod
    def from_row(cls, row: dict[str, Any]):
        """Build from a row with exactly (or more than) the record's columns."""
        return cls(**{k: row[k] for k in cls._names() if k in row})


@dataclass
class AlertRow(Record):
    """One stored alert, as channels and `chipwatch alerts` read it."""

    id: int
    type: str
    dedupe_key: str
    title: str
    body: str
    created_at: str
    source: str | None = None
    document_id: int | None = None
    claim_id: str | None = None
    fact_ids: str | None = None
    snapshot_ids: str | None = None
    payload: str | None = None


@dataclass
class DueDelivery:
    """A pending delivery row whose time has come, with the alert it carries."""

    delivery_id: int
    alert: AlertRow


@dataclass
class DeliveryState(Record):
    """Where one alert stands on one channel."""

    channel: str
    status: str
    attempts: int
    next_attempt: str | None
    last_error: str | None
    delivered_at: str | None


@dataclass
class AlertRef:
    id: int
    type: str


@dataclass
class DocumentRow(Record):
    """One watched article (a `documents` row)."""

    id: int
    url: str
    outlet: str | None
    source: str | None
    title: str | None
    published: str | None
    updated: str | None
    first_seen: str
    last_seen: str
    latest_snapshot_id: int | None
    discovered_via: str | None
    status: str


@dataclass
class SnapshotText(Record):
    """One stored version of a page, without its body."""

    id: int
    document_id: int
    version: int
    url: str
    content_hash: str
    text_hash: str
    fetched_at: str
    title: str | None
    text: str


@dataclass
class VersionRef(Record):
    id: int
    text_hash: str


@dataclass
class FactSighting(Record):
    """A fact as read in one version, with its offsets in that version's text."""

    id: int
    fact_key: str
    kind: str
    chip: str | None
    metric: str | None
    value: float | None
    unit: str | None
    relative_to: str | None
    actor: str | None
    action: str | None
    status: str | None
    negated: int
    approx: int
    quote: str
    char_start: int
    char_end: int
    confidence: float | None


@dataclass
class FactQuote(Record):
    id: int
    fact_key: str
    quote: str


@dataclass
class LastAlert(Record):
    dedupe_key: str
    created_at: str


@dataclass
class ClaimRow(Record):
    """A baseline claim as last synced (`baseline_claims`)."""

    id: str
    text: str
    original: str | None
    cited: str | None
    kind: str | None
    chip: str | None
    metric: str | None
    value: float | None
    unit: str | None
    relative_to: str | None
    actor: str | None
    action: str | None
    tolerance: float | None
    spec: str


@dataclass
class AssessmentRow(Record):
    fact_id: int
    claim_id: str
    verdict: str
    reason: str | None


@dataclass
class Sighting(Record):
    fact_id: int
    snapshot_id: int


@dataclass
class EvidenceRow(Record):
    """An assessed fact of a claim with the latest version that carries it."""

    claim_id: str
    verdict: str
    reason: str | None
    fact_id: int
    document_id: int
    quote: str
    value: float | None
    unit: str | None
    chip: str | None
    status: str | None
    current: int
    url: str
    outlet: str | None
    title: str | None
    snapshot_id: int
    fetched_at: str
    content_hash: str


@dataclass
class VerdictSighting(Record):
    verdict: str
    snapshot_id: int
    fetched_at: str


class FactIn(Protocol):
    """What the store reads from an extracted fact. The extractors' `Fact` has these
    fields; db/ names them here instead of importing the extractors."""

    kind: str
    quote: str
    char_start: int
    char_end: int
    extractor: str
    extractor_version: str
    chip: str | None
    metric: str | None
    value: float | None
    unit: str | None
    relative_to: str | None
    actor: str | None
    action: str | None
    approx: bool
    low: float | None
    high: float | None
    status: str | None
    negated: bool
    target: str | None
    attribution: str | None
    extra: dict[str, Any]
    confidence: float | None
