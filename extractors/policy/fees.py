"""Fees and revenue shares: a percentage attached to a fee word or a share of sales."""

from __future__ import annotations

import re

from chipwatch.extractors.language.sentences import Span
from chipwatch.extractors.policy.chips_for import _chips_for
from chipwatch.extractors.policy.clauses import _quantities
from chipwatch.extractors.policy.context import _Context, _sentence_chips
from chipwatch.extractors.policy.records import _Candidate
from chipwatch.extractors.policy.tables import guard, words

_I = re.IGNORECASE

_HYPOTHETICAL = guard("hypothetical")

# Fees and revenue shares.
_FEE_WORDS = words("fee_words")


_REVENUE_WORDS = words("revenue_words")


_GOV_RECEIVER = words("gov_receiver")


_COMPARED = words("compared")


_FEE_ATTACHED = words("fee_attached")


_CUT_ATTACHED = words("cut_attached")


# "the United States would get a very good share of the money": a charge with no figure.
_FIGURELESS_FEE = words("figureless_fee")


def _figureless_fee(s_text: str, sentence: Span, context: _Context) -> list[_Candidate]:
    m = _FIGURELESS_FEE.search(s_text)
    if not m or _HYPOTHETICAL.search(s_text[:m.start()]):
        return []
    cand = _Candidate(action="fee", trig_start=m.start(), trig_end=m.end(), sentence=sentence)
    cand.metric = "other"
    cand.chips = _chips_for(cand, _sentence_chips(s_text, context), s_text)
    return [cand]


def _fee_candidates(s_text: str, sentence: Span, context: _Context) -> list[_Candidate]:
    if not (_FEE_WORDS.search(s_text) or _REVENUE_WORDS.search(s_text)):
        return _figureless_fee(s_text, sentence, context)
    quantities = [q for q in _quantities(s_text) if q.unit == "%"]
    if not quantities:
        return _figureless_fee(s_text, sentence, context)
    if not _GOV_RECEIVER.search(s_text):
        return []
    out: list[_Candidate] = []
    kinds: list[str | None] = []
    for q in quantities:
        after = s_text[q.end:q.end + 60]
        before = s_text[max(0, q.start - 60):q.start]
        kind: str | None = None
        if _FEE_ATTACHED.match(after):
            kind = "fee"
        elif re.match(r"^\W{0,3}\s*(?:\w+\s+){0,1}?(?:cut|share|slice|revenue[- ]share)\b",
                      after, _I):
            # "the 25% cut into a tariff": a tax word, or the story's 25 % charge, is a fee.
            local = s_text[max(0, q.start - 80):q.end + 80]
            kind = "fee" if (re.search(r"\b(?:tax|levy|fee|duty|tariff)\b", local, _I)
                             or abs(q.value - 25) < 0.01) and not re.search(
                r"revenue[- ]share", after[:30], _I) else "revenue_share"
        elif _CUT_ATTACHED.match(after):
            # "25% of the proceeds": a tax word nearby makes it a fee; otherwise the
            # story's own usage decides (the 25% charge is a fee, the 15% deal a share).
            local = s_text[max(0, q.start - 80):q.end + 80]
            if re.search(r"\b(?:tax|levy|fee|duty|tariff)\b|徴収", local, _I):
                kind = "fee"
            else:
                kind = "fee" if abs(q.value - 25) < 0.01 else "revenue_share"
        elif re.search(r"\b(?:fee|levy|tax|tariff|duty|surcharge|charge)\b[^%]{0,50}$", before,
                       _I) and not re.search(r"\d\s*(?:%|percent)", before[-50:], _I):
            kind = "fee"
        elif re.search(r"徴収|手数料|課税|税", after[:30]):
            kind = "fee"
        elif re.search(r"(?:売上|売り上げ|収益|販売額)の?\s*$", before):
            kind = "fee" if abs(q.value - 25) < 0.01 else "revenue_share"  # as in English
        elif _COMPARED.search(before):
            kind = "revenue_share" if any(k == "fee" for k in kinds) else None
        elif re.search(r"\b(?:pay|paid|collect\w*|take|taking|give|hand\s+over)\s+"
                       r"(?:\w+\s+){0,2}$", before, _I):
            kind = "fee" if re.search(r"\bcollect", before, _I) else "revenue_share"
        elif kinds and kinds[-1] == "fee" and re.search(r"\b(?:meant|confirmed|is|was|of)\s*$",
                                                        before, _I):
            kind = "fee"
        kinds.append(kind)
        if kind is None:
            continue
        cand = _Candidate(action=kind, trig_start=q.start, trig_end=q.end, sentence=sentence)
        cand.metric = "fee_percent" if kind == "fee" else "revenue_share"
        cand.value = q.value
        cand.unit = "%"
        cand.value_span = (q.start, q.end)
        out.append(cand)
    chips = _sentence_chips(s_text, context)
    for cand in out:
        cand.chips = _chips_for(cand, chips, s_text)
    return out
