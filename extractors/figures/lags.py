"""Lags: how far one chip (or a country's chips) trails another or the frontier, in months.
"""

from __future__ import annotations

import re

from chipwatch.extractors.chips import ChipMention
from chipwatch.extractors.facts import Fact
from chipwatch.extractors.figures.doc import Doc, make_fact, phrase_end, rounded, segment_bounds
from chipwatch.extractors.figures.japanese import JA_BASELINE_RE, SUBJECT_JA_RE
from chipwatch.extractors.figures.measures import with_range
from chipwatch.extractors.figures.reference import (
    described_object,
    referred_subject,
)
from chipwatch.extractors.figures.subjects import is_object
from chipwatch.extractors.language.numbers import Quantity
from chipwatch.extractors.language.sentences import Span

_LAG_AFTER_RE = re.compile(
    r"\s*(?:-|–)?\s*(?:behind|ahead|of\s+lag|lag|gap|older\b"
    # "an 18-month edge / lead / advantage / head start over" (CONVENTIONS 5.5)
    r"|(?:edge|lead|advantage|head\s+start)\s+(?:over|on)\b|(?:ほど|程度|近く|以上)?"
    r"(?:遅れ|後れ|の遅れ|の差|先行|進んで))", re.I,
)


_LAG_BEFORE_RE = re.compile(
    r"(?:\blag(?:s|ging|ged)?|\btrail(?:s|ing|ed)?|\bbehind|\bgap|\blead(?:s)?|\bahead)"
    r"\s+(?:[\w'’-]+\s+){0,4}?(?:by|of)\s+(?:perhaps\s+|maybe\s+|possibly\s+|probably\s+)?$"
    r"|\b(?:gap|lag)\b[^.;:\d]{0,50}?\b(?:to\s+be|is|was|at|stands\s+at|remains)\s+$", re.I,
)


# A lag without a named chip still counts when the sentence is about chips.
_CHIP_TOPIC_RE = re.compile(
    r"\b(?:chips?|semiconductors?|GPUs?|accelerators?|processors?|chipmak\w+|Ascend|Huawei|SMIC)\b"
    r"|半導体|チップ", re.I)


_LAG_CUE_RE = re.compile(r"behind|ahead|\blag|\btrail|\bgap\b|\bedge\b|\blead\b|\badvantage\b|\bhead\s+start\b"
                         r"|遅れ|後れ|先行", re.I)


_LAG_AHEAD_RE = re.compile(r"\bahead\b|\blead(?:s)?\b|\bedge\b|\badvantage\b|\bhead\s+start\b|先行|進んで", re.I)


_SECOND_LAG_GAP_RE = re.compile(
    r"[^.;:]{0,60}?\s(?:in|on|for)\s+[^.;:\d,]{1,30}?,?\s+(?:and|but)\s+(?:by\s+)?"
    r"(?:(?:closer|nearer|close)\s+to\s+|(?:about|roughly|almost|nearly|some|perhaps)\s+)?")


_LAG_TOPIC_END_RE = re.compile(r"\s+(?:in|on|for)\s+[\w'’-]+(?:\s+(?!and\b|but\b|while\b)[\w'’-]+){0,2}")


def _second_lag(doc: Doc, si: int, sent: Span, s_chips: list[ChipMention],
                s_qty: list[Quantity], q: Quantity) -> Fact | None:
    """"by 18 months in compute and by closer to three years in bandwidth": the same two chips, a second lag."""
    prev = [p for p in s_qty if p.unit == "months" and p.end <= q.start]
    if not prev or not _SECOND_LAG_GAP_RE.fullmatch(doc.text, prev[-1].end, q.start):
        return None
    first = lag_fact(doc, si, sent, s_chips, s_qty, prev[-1])
    if first is None:
        return None
    m = _LAG_TOPIC_END_RE.match(doc.text, q.end, sent.end)
    return make_fact(first.kind, doc, q.start, m.end() if m else q.end, chip=first.chip, metric=first.metric,
                 value=rounded(q.value), unit="months", relative_to=first.relative_to, approx=q.approx,
                 low=rounded(q.low), high=rounded(q.high), extra=dict(first.extra or {}))


def _lag_metric(q: Quantity) -> str:
    """Lags in time are lag_months; generation gaps are other, unit generations (CONVENTIONS 5.5)."""
    return "lag_months" if q.unit == "months" else "other"


def lag_fact(doc: Doc, si: int, sent: Span, s_chips: list[ChipMention],
             s_qty: list[Quantity], q: Quantity) -> Fact | None:
    """A lag of `q` months or generations; a range ("two to three years behind") keeps its
    lower end with the range in the unit (CONVENTIONS 5.3, 5.5)."""
    fact = _lag_fact(doc, si, sent, s_chips, s_qty, q)
    if fact is not None and q.low is not None and q.high is not None and q.low < q.value < q.high:
        fact.value, fact.unit = rounded(q.low), with_range(fact.unit, q.low, q.high)
    return fact


def _lag_fact(doc: Doc, si: int, sent: Span, s_chips: list[ChipMention],
              s_qty: list[Quantity], q: Quantity) -> Fact | None:
    text = doc.text
    after_m = _LAG_AFTER_RE.match(text, q.end)
    before = text[max(sent.start, q.start - 80):q.start]
    before_m = _LAG_BEFORE_RE.search(before)
    if not after_m and not before_m:
        return _second_lag(doc, si, sent, s_chips, s_qty, q)
    cue = (after_m.group() if after_m else "") + (before_m.group() if before_m else "")
    ahead = bool(_LAG_AHEAD_RE.search(cue))
    # the other side: a chip after "behind"/"ahead of"/"than", or before "より" (Japanese)
    rel: ChipMention | None = None
    for c in s_chips:
        if c.start >= q.end and c.start - q.end <= 60 and \
                re.search(r"\b(?:behind|of|than|to|over|on)\s+(?:[\w'’-]+\s+){0,3}$", text[q.end:c.start]):
            rel = c
            break
    if rel is None and before_m:
        for c in s_chips:
            if c.end <= q.start and c.start >= q.start - 80 and re.search(
                    r"\b(?:lag\w*|trail\w*|behind)\s+(?:[\w'’-]+\s+){0,3}$",
                    text[max(sent.start, c.start - 40):c.start], re.I):
                rel = c
                break
    if rel is None:
        prev = [c for c in s_chips if c.end <= q.start]
        if prev and re.fullmatch(r"\s*(?:より|に比べ(?:て)?|と比べ(?:て)?)\s*",
                                 text[prev[-1].end:q.start]):
            rel = prev[-1]
        else:
            # "H20と比べると、910Cの演算性能は約3倍": the chip marked as the baseline
            for c in reversed(prev):
                if JA_BASELINE_RE.match(text, c.end):
                    rel = c
                    break
    subj_chip: str | None = None
    subj_start: int | None = None
    # a generation gap is held by the chip of its own segment ("..., while keeping them a
    # generation behind" is about "them", not a chip named before "while")
    lo = segment_bounds(doc, sent, q.start)[0] if q.unit == "generations" else sent.start
    for c in reversed([c for c in s_chips if lo <= c.start and c.end <= q.start and c is not rel]):
        if not is_object(text, sent, c) or SUBJECT_JA_RE.match(text, c.end):
            subj_chip, subj_start = c.chip, c.start
            break
    if subj_chip is None:
        subj_chip, subj_start = referred_subject(doc, si, sent, s_chips, q, rel)
    if subj_chip is None:
        if rel is not None or not _LAG_CUE_RE.search(cue) or not _CHIP_TOPIC_RE.search(sent.text):
            return None
        # "Chinese AI chip design is three to four years behind the United States"
        end = phrase_end(text, sent, q) if after_m else q.end
        start = before_m.start() + max(sent.start, q.start - 80) if before_m and not after_m else q.start
        return make_fact("chip_figure", doc, start, end, chip=None, metric=_lag_metric(q),
                     value=rounded(q.value), unit=q.unit, approx=q.approx,
                     low=rounded(q.low), high=rounded(q.high),
                     extra={"direction": "ahead" if ahead else "behind"})
    if rel is None:
        # "trails the Nvidia part by two years", "a year behind Huawei's flagship"
        b_lo = max(sent.start, q.start - 80) + before_m.start() if before_m else q.start
        rel = described_object(doc, si, b_lo, q.start, subj_chip) or (
            described_object(doc, si, q.end, min(sent.end, q.end + 60), subj_chip) if after_m else None)
    start = subj_start if subj_start is not None and subj_start < q.start else q.start
    end = q.end + (after_m.end() - q.end if after_m else 0)
    if rel is not None:
        end = max(end, rel.end)
        start = min(start, rel.start)
    elif after_m:
        end = phrase_end(text, sent, q)
    if rel is None or rel.chip == subj_chip:
        return make_fact("chip_figure", doc, start, end, chip=subj_chip, metric=_lag_metric(q),
                     value=rounded(q.value), unit=q.unit, approx=q.approx,
                     low=rounded(q.low), high=rounded(q.high),
                     extra={"direction": "ahead" if ahead else "behind"})
    leader, laggard = (subj_chip, rel.chip) if ahead else (rel.chip, subj_chip)
    return make_fact("chip_comparison", doc, start, end, chip=leader, metric=_lag_metric(q),
                 value=rounded(q.value), unit=q.unit, relative_to=laggard,
                 approx=q.approx, low=rounded(q.low), high=rounded(q.high))
