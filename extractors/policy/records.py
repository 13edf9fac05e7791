"""The candidate record: what a trigger proposes before the actor, status and quote are known."""

from __future__ import annotations

from dataclasses import dataclass, field

from chipwatch.extractors.chips import ChipMention
from chipwatch.extractors.language.sentences import Span

@dataclass
class _Candidate:
    action: str
    trig_start: int
    trig_end: int
    sentence: Span
    negated: bool = False
    chips: list[ChipMention | None] = field(default_factory=lambda: [None])
    metric: str | None = None
    value: float | None = None
    unit: str | None = None
    value_span: tuple[int, int] | None = None
    status_override: str | None = None
    chip_free: bool = False  # extension statements ("also apply to AMD") name no chip
    default_actor: str | None = None  # who usually does this when the text does not say
    threshold: bool = False  # a rule's figure: takes the action of the rule it belongs to
    ceiling: bool = False  # a threshold parts must stay under to be allowed (keeps its action)
    former_start: int | None = None  # "reversing a policy that had kept ...": where it starts
