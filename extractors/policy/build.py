"""Candidate + chip -> Fact: actor, status, attribution, target and quote put together."""

from __future__ import annotations

from chipwatch.extractors.actors import actor_family, ActorMention
from chipwatch.extractors.chips import ChipMention
from chipwatch.extractors.facts import Fact
from chipwatch.extractors.language.sentences import Span
from chipwatch.extractors.policy.actor import _actor_for
from chipwatch.extractors.policy.context import _Context
from chipwatch.extractors.policy.document import _times
from chipwatch.extractors.policy.quote import _quote_span
from chipwatch.extractors.policy.records import _Candidate
from chipwatch.extractors.policy.status import _attribution_for, _status_for, _target_for
from chipwatch.extractors.policy.version import NAME, VERSION

def _build_fact(text: str, sentence: Span, cand: _Candidate, chip: ChipMention | None,
                actors: list[ActorMention], chips: list[ChipMention], context: _Context,
                japanese: bool) -> Fact | None:
    s_text = sentence.text
    actor, explicit_actor = _actor_for(cand, s_text, actors, context, text, sentence,
                                       japanese)
    attribution = context.memo(("attribution", sentence.start, sentence.end),
                               lambda: _attribution_for(s_text, text, sentence, context))
    status = cand.status_override or _status_for(cand, s_text, text, sentence, context, actor,
                                                 attribution)
    if cand.former_start is not None and actor_family(actor) == "US":
        actor = "US"  # the undone rule was the government's, not the reverser's own act
    quote = _quote_span(text, sentence, cand, chip)
    if quote is None:
        return None
    target = _target_for(s_text, actor)
    fact = Fact(
        kind="policy",
        quote=quote.text,
        char_start=quote.start,
        char_end=quote.end,
        extractor=NAME,
        extractor_version=VERSION,
        chip=chip.chip if chip else None,
        metric=cand.metric or "other",
        value=cand.value,
        unit=cand.unit,
        actor=actor,
        action=cand.action,
        status=status,
        negated=cand.negated,
        target=target,
        attribution=attribution,
    )
    fact.extra["sentence_start"] = sentence.start
    fact.extra["trigger"] = (sentence.start + cand.trig_start, sentence.start + cand.trig_end)
    fact.extra["sentence_times"] = _times(s_text)
    fact.extra["explicit_actor"] = explicit_actor
    if cand.chip_free:
        fact.extra["extension"] = True
    return fact
