"""The fact record every extractor returns, and that the database stores.

Field names and vocabulary are fixed by the design contract; extend by adding, never by
renaming, because stored facts and user queries depend on them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("chip_figure", "chip_comparison", "policy")
METRICS = (
    "tpp", "performance_density", "memory_bandwidth", "memory_capacity", "compute_flops",
    "performance_ratio", "lag_months", "price", "fee_percent", "revenue_share", "units",
    "other",
)
ACTIONS = (
    "allow_export", "ban_export", "restrict_purchase", "require_review", "require_approval",
    "fee", "revenue_share", "other",
)
STATUSES = ("enacted", "announced", "proposed", "considered", "reported", "denied")


@dataclass
class Fact:
    """One statement found in an article, with the exact words it came from.

    `char_start`/`char_end` index the article text the extractor was given, so that
    `text[char_start:char_end] == quote` always holds.
    """

    kind: str
    quote: str
    char_start: int
    char_end: int
    extractor: str
    extractor_version: str
    chip: str | None = None
    metric: str | None = None
    value: float | None = None
    unit: str | None = None
    relative_to: str | None = None
    actor: str | None = None
    action: str | None = None
    # Qualifiers kept rather than dropped: approximations, ranges, policy status.
    approx: bool = False
    low: float | None = None
    high: float | None = None
    status: str | None = None
    negated: bool = False
    target: str | None = None
    attribution: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # How likely the fact is right, 0..1: the producing rule family's measured precision,
    # moved by the policy model's reading of the sentence (extractors/learned/combine.py).
    # None until the combination step has run.
    confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
