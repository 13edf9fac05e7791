"""The figures pipeline: sentences -> quantities -> one rule family per number.

Spec tables and parallel lists are read first (numbers paired with chips by position);
every other number goes to the ratio, lag or own-figure rules by its unit.
"""

from __future__ import annotations

import bisect
import logging
import re

from chipwatch.extractors.chips import ChipMention, find_chips
from chipwatch.extractors.facts import Fact
from chipwatch.extractors.figures.comparisons import ratio_facts
from chipwatch.extractors.figures.doc import WINDOW, Doc, chips_in, tight_window
from chipwatch.extractors.figures.figure import figure_facts
from chipwatch.extractors.figures.lags import lag_fact
from chipwatch.extractors.figures.lists import header_pair_facts, list_facts, table_blocks, table_facts
from chipwatch.extractors.figures.measures import stored_form
from chipwatch.extractors.figures.mentions import article_topic, with_family_parts, with_short_forms
from chipwatch.extractors.language.numbers import Quantity, find_quantities
from chipwatch.extractors.language.sentences import Span, split_sentences

log = logging.getLogger(__name__)


MAX_TEXT = 2_000_000  # characters; longer texts are cut (never an error)


def extract_figures(text: str) -> list[Fact]:
    """Chip figures and comparisons of one article text; never raises."""
    if not isinstance(text, str) or not text.strip():
        return []
    try:
        facts = _extract(text[:MAX_TEXT])
    except Exception:  # noqa: BLE001 - odd input must not stop an article
        log.exception("figure extraction failed on %d characters", len(text))
        return []
    return [f for f in facts if text[f.char_start:f.char_end] == f.quote]


def _extract(text: str) -> list[Fact]:
    sentences = split_sentences(text)
    chips = find_chips(text)
    quantities = with_verb_multiples(text, find_quantities(text))
    if chips:
        chips = with_family_parts(text, with_short_forms(text, chips))
    doc = Doc(
        text, sentences, [s.start for s in sentences], chips, [c.start for c in chips],
        quantities, article_topic(text, chips),
        q_starts=[q.start for q in quantities],
    )
    facts: list[Fact] = []
    seen: set[FactKey] = set()
    table_seen: set[tuple[str | None, str | None, float | None, int]] = set()
    table_spans: list[tuple[int, int]] = []
    if "|" in text or "\t" in text:
        for block in table_blocks(text):
            table_spans.append((block[0][0], block[-1][1]))
            for fact in table_facts(doc, block):
                cell = (fact.chip, fact.metric, fact.value, fact.char_start)
                if cell not in table_seen:
                    table_seen.add(cell)
                    facts.append(fact)
    qi = 0
    ti = 0
    for si, sent in enumerate(sentences):
        while ti < len(table_spans) and table_spans[ti][1] <= sent.start:
            ti += 1
        if ti < len(table_spans) and table_spans[ti][0] <= sent.start < table_spans[ti][1]:
            continue  # table rows were read cell by cell above
        s_chips = chips_in(doc, sent.start, sent.end)
        s_qty: list[Quantity] = []
        while qi < len(quantities) and quantities[qi].start < sent.start:
            qi += 1
        j = qi
        while j < len(quantities) and quantities[j].start < sent.end:
            q = quantities[j]
            if q.end <= sent.end and not any(c.start < q.end and q.start < c.end for c in chips):
                s_qty.append(q)
            j += 1
        if not s_qty:
            continue
        long_sentence = sent.end - sent.start > WINDOW * 2
        q_starts = [o.start for o in s_qty]
        handled: set[int] = set()
        if not long_sentence:
            listed, handled = list_facts(doc, sent, s_chips, s_qty) if s_chips else header_pair_facts(
                doc, si, sent, s_qty)
            for fact in listed:
                key = _key(fact)
                if key not in seen:
                    seen.add(key)
                    facts.append(fact)
        for q in s_qty:
            if q.start in handled:
                continue
            if long_sentence:
                # run-on text (tables, boilerplate): look only at the words around the number
                w = tight_window(text, sent, q)
                lo = bisect.bisect_left(q_starts, w.start)
                hi = bisect.bisect_right(q_starts, w.end)
                local = [o for o in s_qty[lo:hi] if o.end <= w.end]
                found = _fact_for(doc, si, w, chips_in(doc, w.start, w.end), local, q)
            else:
                found = _fact_for(doc, si, sent, s_chips, s_qty, q)
            for fact in found:
                key = _key(fact)
                if key in seen:
                    continue
                seen.add(key)
                facts.append(fact)
    for fact in facts:
        if fact.kind == "chip_figure":
            _store_canonical(fact)
    facts.sort(key=lambda f: (f.char_start, f.char_end))
    return _without_headline_repeats(text, facts)


def _store_canonical(fact: Fact) -> None:
    """A figure in its metric's stored unit: "1.8TB/s of NVLink" is 1800 GB/s (interconnect)."""
    unit, factor = stored_form(fact.metric, fact.unit)
    if factor != 1.0:
        fact.value, fact.low, fact.high = (None if v is None else round(v * factor, 6)
                                           for v in (fact.value, fact.low, fact.high))
    fact.unit = unit


FactKey = tuple[str, str | None, str | None, float | None, str | None, int, int]


def _key(fact: Fact) -> FactKey:
    """Two rules reading the same number the same way make one fact."""
    return (fact.kind, fact.chip, fact.metric, fact.value, fact.relative_to,
            fact.char_start, fact.char_end)


_VERB_MULTIPLE_RE = re.compile(r"\b(?P<v>[Dd]oubl|[Tt]ripl|[Qq]uadrupl)(?:es|ed|ing)\b")
_VERB_FACTOR = {"d": 2.0, "t": 3.0, "q": 4.0}
_FACTOR_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_FACTOR_RE = re.compile(
    r"\ba\s+factor\s+of\s+(?P<approx>about\s+|roughly\s+|nearly\s+|around\s+|some\s+)?"
    r"(?P<n>\d{1,3}(?:\.\d+)?|two|three|four|five|six|seven|eight|nine|ten)\b", re.I)


def with_verb_multiples(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """'the 960 doubles the compute of the 950', 'tripled its memory': a multiple written as
    a verb, read like "twice" (the number reader takes "double" but not its verb forms)."""
    verbs = _VERB_MULTIPLE_RE.finditer(text) if ("oubl" in text or "ripl" in text or "uadrupl" in text) else ()
    extra = [Quantity(_VERB_FACTOR[m.group("v")[0].lower()], "x", m.start(), m.end(), m.group())
             for m in verbs if not any(q.start < m.end() and m.start() < q.end for q in quantities)]
    # "outpaces the H100 by a factor of three": the factor is a multiple
    factors = [Quantity(float(_FACTOR_WORDS.get(m.group("n").lower(), m.group("n"))), "x", m.start(), m.end(),
                        m.group(), approx=bool(m.group("approx")), qualifier=m.group("approx"),
                        number_start=m.start("n"))
               for m in (_FACTOR_RE.finditer(text) if "actor of" in text else ())]
    if factors:
        quantities = [q for q in quantities if not any(f.start < q.end and q.start < f.end for f in factors)]
        extra += factors
    return sorted(quantities + extra, key=lambda q: q.start) if extra else quantities


def _without_headline_repeats(text: str, facts: list[Fact]) -> list[Fact]:
    """A figure in the headline that the body states again is one statement, not two."""
    headline_end = text.find("\n")
    if not 0 < headline_end <= 300 or not facts or facts[0].char_end > headline_end:
        return facts

    def key(f: Fact) -> tuple:
        return (f.kind, f.chip, f.metric, f.value, f.relative_to)

    body = {key(f) for f in facts if f.char_start > headline_end}
    return [f for f in facts if f.char_end > headline_end or key(f) not in body]


def _fact_for(doc: Doc, si: int, sent: Span, s_chips: list[ChipMention],
              s_qty: list[Quantity], q: Quantity) -> list[Fact]:
    ratio = ratio_facts(doc, si, sent, s_chips, s_qty, q)
    if ratio is not None:
        return ratio
    if q.unit in ("months", "generations"):
        f = lag_fact(doc, si, sent, s_chips, s_qty, q)
        return [f] if f else []
    if q.unit == "%":
        return []  # fees, revenue shares, market shares: never a chip figure
    return figure_facts(doc, si, sent, s_chips, s_qty, q) or []
