"""The report's data: every section read from the database once, so the HTML page and
the Markdown say the same thing (monitor/report.py puts the parts together)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chipwatch.db import queries
from chipwatch.db.postgres import redact_url
from chipwatch.db.store import Store, utcnow
from chipwatch.monitor import baseline
from chipwatch.monitor.baseline import VERDICTS
from chipwatch.monitor.origins import overview as origin_overview

EVIDENCE_SHOWN = 6  # evidence quotes listed per claim; the rest are counted


@dataclass
class ReportData:
    """Everything a report shows, read once so HTML and Markdown say the same thing."""

    generated_at: str
    database: str
    counts: dict[str, int]
    claims: list[dict]
    figures: list[dict]
    timeline: list[dict]
    alerts: list[dict]
    sources: list[dict]
    documents: list[dict]
    tallies: dict[str, int] = field(default_factory=dict)
    origins: list[dict] = field(default_factory=list)  # who said it first (issue 14)


def collect(store: Store, claims: Iterable[Any] = (), sources: Iterable[Any] = (),
            *, alerts_limit: int = 20) -> ReportData:
    """Read the report's sections; `claims` and `sources` come from the configuration."""
    claims = list(claims)
    status = claim_status(store, claims)
    tallies = {v: sum(1 for c in status if c["verdict"] == v) for v in VERDICTS}
    return ReportData(
        generated_at=utcnow(),
        database=Path(store.path).name if store.dialect == "sqlite" else redact_url(str(store.path)),
        counts=queries.counts(store),
        claims=status,
        figures=queries.figures_across_sources(store),
        timeline=queries.timeline(store),
        alerts=queries.recent_alerts(store, alerts_limit),
        sources=queries.source_health(store, sources),
        documents=queries.document_rows(store),
        tallies=tallies,
        origins=origin_overview(store),
    )


def claim_status(store: Store, claims: list[Any]) -> list[dict]:
    """Each claim with verdict, evidence and citation check.

    The baseline matcher is the one authority on verdicts, so the report says exactly what
    `chipwatch baseline` says.
    """
    out = []
    for claim, v in zip(claims, baseline.verdicts(store, claims)):
        items = [{**e, "verdict": "supports"} for e in v.supports]
        items += [{**e, "verdict": "contradicts"} for e in v.contradicts]
        for e in items:
            e.setdefault("fetched_at", e.get("snapshot_time"))
        doc = store.document_by_url(v.cited) if v.cited else None
        found_again = v.citation_resolved or {}
        resolved = found_again.get("found_url")
        if resolved and found_again.get("status") in ("found", "pinned"):
            doc = store.document_by_url(resolved) or {"url": resolved}  # the page found again
        out.append({
            **claim.to_dict(),
            "sources_for": [g["label"] for g in v.for_sources],
            "sources_against": [g["label"] for g in v.against_sources],
            "verdict": v.verdict,
            "supports": len(v.supports),
            "contradicts": len(v.contradicts),
            "evidence": items,
            "citation": {"status": v.citation, "detail": v.citation_detail,
                         "url": (doc or {}).get("url") or v.cited or None,
                         "title": (doc or {}).get("title")},
        })
    return out
