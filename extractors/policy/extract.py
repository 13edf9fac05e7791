"""The pipeline: sentences -> trigger matches -> candidates -> facts -> article-level merge."""

from __future__ import annotations

import logging
import re

from chipwatch.extractors.facts import Fact
from chipwatch.extractors.language.numbers import Quantity
from chipwatch.extractors.language.sentences import Span, split_sentences
from chipwatch.extractors.policy.build import _build_fact
from chipwatch.extractors.policy.candidates import _candidate
from chipwatch.extractors.policy.clauses import _quantities
from chipwatch.extractors.policy.context import (
    _Context,
    _HAS_WORD,
    _is_heading,
    _JA_CHARS,
    _sentence_chips,
)
from chipwatch.extractors.policy.discourse import (
    _covered_by_terms,
    _inherited,
    _matched_terms,
    _shared_terms,
)
from chipwatch.extractors.policy.document import _dedupe_document, _merge_into
from chipwatch.extractors.policy.fees import _fee_candidates
from chipwatch.extractors.policy.japanese import _attach_conditions, _join_alternatives
from chipwatch.extractors.policy.records import _Candidate
from chipwatch.extractors.policy.tables import EN_TRIGGERS, guard, JA_TRIGGERS, words
from chipwatch.extractors.policy.values import (
    _adopt_threshold_actions,
    _attach_values,
    _line_facts,
    _spec_bound_candidates,
)

log = logging.getLogger(__name__)

_I = re.IGNORECASE

_HAS_NUMBER = words("has_number")
_MERGER_WORDS = guard("merger_words")
_RULE_WORDS = words("rule_words")

_MAX_CANDIDATES = 40


# Generic verbs and their weak cousins count only with chips, exports or a state in view
# ("ruled out Taliban involvement", "limits slated to be tested by regulators").
_GATED_MODES = frozenset({"allow", "ban", "other_gov", "ban_neg", "allow_g", "ban_g",
                          "purchase_g", "approval_g", "review_g"})


_WEAK_TRIGGER = guard("weak_trigger")


# A permission or ban is about this story only when chips, exports or a state are in view.
_TOPIC = words("topic")


_URL = re.compile(r"(?:https?://|www\.)\S+", _I)


def extract_policy(text: str) -> list[Fact]:
    """Every policy statement in `text`; never raises."""
    if not isinstance(text, str) or not text.strip():
        return []
    try:
        return _extract(text)
    except Exception:  # noqa: BLE001 - one odd article must not stop a poll
        log.exception("policy extraction failed on a text of %d characters", len(text))
        return []


def _extract(text: str) -> list[Fact]:
    if not _HAS_WORD.search(text):
        return []  # no words, no statements (and no work for the sentence splitter)
    sentences = split_sentences(text)
    facts: list[Fact] = []
    context = _Context(text)
    for index, sentence in enumerate(sentences):
        try:
            found = _sentence_facts(text, sentence, sentences, index, context)
        except Exception:  # noqa: BLE001 - skip the sentence, keep the article
            log.exception("policy extraction failed on one sentence")
            found = []
        if not found and facts:
            found = _inherited(text, sentence, facts, context)
        found = found + _shared_terms(text, sentence, found, context)
        found = found + _matched_terms(text, sentence, found, context)
        found = found + _covered_by_terms(text, sentence, found, context)
        heading = _is_heading(text, sentence)
        for f in found:
            f.extra["heading"] = heading
        facts.extend(found)
        context.update(text, sentence)
    facts = _dedupe_document(facts)
    return [f for f in facts if text[f.char_start:f.char_end] == f.quote]


def _sentence_facts(text: str, sentence: Span, sentences: list[Span], index: int,
                    context: _Context) -> list[Fact]:
    s_text = sentence.text
    if len(s_text) < 6 or re.match(r"^(?:URL|OUTLET):", s_text) or not _HAS_WORD.search(s_text):
        return []
    japanese = bool(_JA_CHARS.search(s_text))
    chips = _sentence_chips(s_text, context)
    actors = context.actors_of(s_text)
    candidates: list[_Candidate] = []
    triggers = EN_TRIGGERS.candidates(s_text)
    if japanese:
        triggers += JA_TRIGGERS.candidates(s_text)
    masked = _URL.sub(lambda u: " " * len(u.group(0)), s_text)
    previous = sentences[index - 1].text if index > 0 else ""
    on_topic = japanese or bool(context.chips_of(s_text)) or bool(_TOPIC.search(s_text)) or bool(
        previous and "\n\n" not in text[sentences[index - 1].end:sentence.start]
        and (context.chips_of(previous) or _TOPIC.search(previous)))
    merger_context = bool(_MERGER_WORDS.search(previous) or _MERGER_WORDS.search(s_text))
    chip_before = bool(previous and context.chips_of(previous))
    examined = 0
    for trigger in triggers:
        mode = trigger.mode
        if mode == "ban_list" and not context.names_list:
            continue
        for m in trigger.pattern.finditer(masked):
            examined += 1
            if len(candidates) >= 3 * _MAX_CANDIDATES or examined > 10 * _MAX_CANDIDATES:
                break  # a run-on "sentence" of trigger words: bounded work, not every match
            cand = _candidate(mode, m, s_text, sentence, actors, chips, merger_context,
                              context.china_story, chip_before)
            if cand is not None and (on_topic or (mode not in _GATED_MODES
                                                  and not _WEAK_TRIGGER.search(m.group(0)))):
                candidates.append(cand)
    candidates.extend(_fee_candidates(s_text, sentence, context))
    sentence_quantities: list[Quantity] | None = None
    if (candidates or _RULE_WORDS.search(s_text)) and _HAS_NUMBER.search(s_text):
        sentence_quantities = _quantities(s_text)
        known = {c.value_span for c in candidates if c.value_span}
        candidates.extend(c for c in _spec_bound_candidates(s_text, sentence, sentence_quantities)
                          if not any(k[0] <= c.trig_start < k[1] for k in known))
    if not candidates:
        return []
    # A "sentence" with dozens of triggers is a list or garbage; keep it bounded.
    candidates = sorted(candidates, key=lambda c: c.trig_start)[:_MAX_CANDIDATES]
    _adopt_threshold_actions(candidates)
    facts: list[Fact] = []
    for cand in candidates:
        for chip in cand.chips:
            fact = _build_fact(text, sentence, cand, chip, actors, chips, context, japanese)
            if fact is None:
                continue
            _merge_into(facts, fact)
    if japanese:
        facts = _join_alternatives(facts, s_text, sentence)
    if sentence_quantities:
        _attach_values(facts, s_text, sentence, sentence_quantities, candidates)
        if japanese:
            _attach_conditions(facts, s_text, sentence, sentence_quantities)
        facts = _line_facts(facts)
    return facts
