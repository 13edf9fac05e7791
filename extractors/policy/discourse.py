"""Statements that point back to earlier ones: the same terms, a matching fee, terms that
cover a chip, ellipsis ("Neither is the Rubin") and a rule's scope.
"""

from __future__ import annotations

from dataclasses import replace
import re

from chipwatch.extractors.actors import actor_family, ACTOR_INFO
from chipwatch.extractors.chips import ChipMention
from chipwatch.extractors.facts import Fact
from chipwatch.extractors.language.sentences import Span, tight
from chipwatch.extractors.policy.context import _Context
from chipwatch.extractors.policy.document import _times
from chipwatch.extractors.policy.tables import words
from chipwatch.extractors.policy.version import NAME, VERSION

# "resume sales of the MI308 ... on the same arrangement Nvidia accepted for the H20: a 15%
# cut": the money term named for the H20 applies to the sentence's own chip too.
_SAME_DEAL = words("same_deal")


def _shared_terms(text: str, sentence: Span, found: list[Fact], context: "_Context") -> list[Fact]:
    s_text = sentence.text
    same = _SAME_DEAL.search(s_text)
    if not same:
        return []
    money = [f for f in found if f.action in ("revenue_share", "fee") and f.value is not None]
    if not money:
        return []
    have = {(f.action, f.chip) for f in found}
    out: list[Fact] = []
    for c in context.chips_of(s_text):
        if c.end > same.start() or any((m.action, c.chip) in have for m in money):
            continue
        base = money[0]
        start = max(base.char_start, sentence.start + same.end())
        colon = re.search(r"[:—–]\s*", s_text[same.end():base.char_end - sentence.start])
        if colon:
            start = sentence.start + same.end() + colon.end()
        span = tight(text, start, base.char_end)
        if not span.text:
            continue
        vendor = c.vendor if c.vendor in ACTOR_INFO else base.actor
        out.append(replace(base, chip=c.chip, actor=vendor, quote=span.text,
                           char_start=span.start, char_end=span.end, extra=dict(base.extra)))
        have.add((base.action, c.chip))
    return out


# "AMD ... its MI308. ... a 25% cut of each sale, matching the fee on Nvidia's H200": the money
# term named for the H200 is also the one on the chip the previous sentences were about.
_MATCHING = words("matching")


def _matched_terms(text: str, sentence: Span, found: list[Fact], context: "_Context") -> list[Fact]:
    s_text = sentence.text
    m = _MATCHING.search(s_text)
    if not m:
        return []
    money = [f for f in found if f.action in ("revenue_share", "fee") and f.value is not None
             and f.char_start < sentence.start + m.start()]
    if not money:
        return []
    base = money[-1]
    named = {c.chip for c in context.chips_of(s_text)}
    topic = None
    for lead in reversed(context.lead_ins[-2:]):
        if lead.end < sentence.start - 600:
            break
        others = [c for c in context.chips_of(lead.text) if c.chip not in named]
        if others:
            topic = others[-1]
            break
    if topic is None or any((f.action, f.chip) == (base.action, topic.chip) for f in found):
        return []
    return [replace(base, chip=topic.chip, extra=dict(base.extra))]


# "the terms the White House offered ..., which the company expects to cover its MI308" is a
# grant for the MI308; "the framework does not cover Nvidia's Blackwell products" excludes it.
_TERMS_COVER = words("terms_cover")


def _covered_by_terms(text: str, sentence: Span, found: list[Fact],
                      context: "_Context") -> list[Fact]:
    s_text = sentence.text
    m = _TERMS_COVER.search(s_text)
    if not m:
        return []
    chips = [c for c in context.chips_of(s_text) if m.end() <= c.start <= m.end() + 12]
    if not chips:
        return []
    chip = chips[0]
    action = "ban_export" if m.group("neg") else "allow_export"
    if any(f.chip == chip.chip and f.action in ("allow_export", "ban_export") for f in found):
        return []
    span = tight(text, sentence.start + m.start(), sentence.start + chip.end)
    if not span.text:
        return []
    actor = None
    for a in context.actors_of(s_text):
        if m.start() <= a.start < m.end() and actor_family(a.actor) in ("US", "China"):
            actor = a.actor
            break
    fact = Fact(kind="policy", quote=span.text, char_start=span.start, char_end=span.end,
                extractor=NAME, extractor_version=VERSION, chip=chip.chip, metric="other",
                actor=actor or context.last_state or "US", action=action, status="announced")
    fact.extra["sentence_start"] = sentence.start
    fact.extra["sentence_times"] = _times(s_text)
    return [fact]


# Ellipsis and back-reference: "Neither is the upcoming Rubin line", "Nor is the B30A",
# "So is the MI308", "The MI325X can be sold on the same terms".
_ELLIPSIS = words("ellipsis")


_SAME_TERMS = words("same_terms")


_SALE_WORDS = words("sale_words")


# "expects to ask for permission to sell X under the same arrangement": not granted yet.
_REQUEST = words("request")


# A rule's scope: "new rules covering its MI308", "the rules ... cover the NXT:2000i systems".
_SCOPE = words("scope")


def _scope(text: str, sentence: Span, facts: list[Fact], context: "_Context") -> list[Fact]:
    """A rule's scope takes the action of the last restriction named shortly before."""
    s_text = sentence.text
    m = _SCOPE.search(s_text)
    if not m:
        return []
    bases = [f for f in facts if f.action in ("ban_export", "require_approval")
             and sentence.start - 800 <= f.char_end <= sentence.start]
    if not bases:
        return []
    base = bases[-1]
    chips = [c for c in context.chips_of(s_text) if c.start >= m.end()]
    if chips:
        end = sentence.start + chips[-1].end
    else:
        stop = re.search(r"[,;:]\s", s_text[m.end():])
        end = sentence.start + (m.end() + stop.start() if stop else len(s_text))
    span = tight(text, sentence.start + m.start(), end)
    if not span.text:
        return []
    out: list[Fact] = []
    targets: list[ChipMention | None] = list(chips) or [None]
    for c in targets:
        if c is not None and any(o.chip == c.chip for o in out):
            continue
        out.append(replace(base, chip=c.chip if c else None, quote=span.text,
                           char_start=span.start, char_end=span.end, metric="other", value=None,
                           unit=None, extra=dict(base.extra)))
    return out


def _inherited(text: str, sentence: Span, facts: list[Fact], context: "_Context") -> list[Fact]:
    """A sentence that only points back ("Neither is X") takes the previous fact's action."""
    s_text = sentence.text
    scoped = _scope(text, sentence, facts, context)
    if scoped:
        return scoped
    ellipsis = _ELLIPSIS.match(s_text)
    same = None if ellipsis else _SAME_TERMS.search(s_text)
    if not (ellipsis or same):
        return []
    chips = [c for c in context.chips_of(s_text)]
    if not chips:
        return []
    if ellipsis:
        base = facts[-1]
        if base.char_end < sentence.start - 400:
            return []
        action = base.action
    elif same is not None:
        if not _SALE_WORDS.search(s_text[:same.start()]) or _REQUEST.search(s_text[:same.start()]):
            return []
        allows = [f for f in facts if f.action == "allow_export"]
        if not allows:
            return []
        base, action = allows[-1], "allow_export"
    else:
        return []
    end = sentence.end
    comma = s_text.find(",", chips[-1].end)
    if comma > 0:
        end = sentence.start + comma
    span = tight(text, sentence.start, end)
    out: list[Fact] = []
    seen: set[str] = set()
    for c in chips:
        if c.chip in seen:
            continue
        seen.add(c.chip)
        out.append(replace(base, chip=c.chip, action=action, quote=span.text,
                           char_start=span.start, char_end=span.end, metric="other" if
                           base.metric in ("fee_percent", "revenue_share") else base.metric,
                           value=None if base.metric in ("fee_percent", "revenue_share")
                           else base.value, extra=dict(base.extra)))
    return out
