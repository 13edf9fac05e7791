"""The quote of a fact: the shortest run of clauses holding the trigger, the chip and the figure."""

from __future__ import annotations

import re

from chipwatch.extractors.chips import ChipMention
from chipwatch.extractors.language.sentences import clauses, Span, tight
from chipwatch.extractors.policy.records import _Candidate
from chipwatch.extractors.policy.tables import words


def _quote_span(text: str, sentence: Span, cand: _Candidate,
                chip: ChipMention | None) -> Span | None:
    base = sentence.start
    points = [(cand.trig_start, cand.trig_end)]
    if cand.former_start is not None:
        # the undone rule's own words: "reversing a policy that had kept the chip out"
        points.append((cand.former_start, cand.former_start + 1))
        if chip is not None and chip.start < cand.former_start:
            chip = None
    if chip is not None and cand.value_span is None and not (
            chip.end < cand.trig_start
            and _ANAPHOR.match(sentence.text[cand.trig_end:cand.trig_end + 40])
            and re.search(r",\s+(?:and|but|while)\s|;", sentence.text[chip.end:cand.trig_start])):
        points.append((chip.start, chip.end))
    if cand.value_span is not None:
        points.append(cand.value_span)
    lo = base + min(p[0] for p in points)
    hi = base + max(p[1] for p in points)
    try:
        parts = _clauses_of(text, sentence)
    except Exception:  # noqa: BLE001
        parts = []
    if not parts:
        span = tight(text, sentence.start, sentence.end)
        return span if span.end > span.start else None
    first = next((p for p in parts if p.end > lo), parts[-1])
    last = next((p for p in reversed(parts) if p.start < hi), parts[0])
    start, end = min(first.start, lo), max(last.end, hi)
    if cand.former_start is not None:
        start = max(start, base + cand.former_start)  # not the reverser's clause
    if _BARE_PREDICATE.match(text, start):
        # "Shipments of the metals, which are used in ..., will need approval": the clause
        # has no subject; the quote starts at the subject before the relative clause.
        i = parts.index(first) if first in parts else 0
        for j in range(i - 1, max(i - 5, 0), -1):
            if _RELATIVE_START.match(parts[j].text):
                start = parts[j - 1].start
                break
    if re.search(r"\bof\s+(?:the\s+)?[\w-]+$", text[start:end].rstrip(" ,")) and \
            _LIST_TAIL.match(text, end):
        # "exports of gallium, germanium and antimony to the US": the comma splits a list;
        # the quote runs to the item joined by "and"/"or".
        for p in parts:
            if p.start >= end:
                end = p.end
                if re.search(r"\b(?:and|or)\b", p.text):
                    break
    aside = _ASIDE.match(text, end)
    if aside and end - start < 400:
        # "explain why domestic processors, such as the Ascend 910C, could not do the job":
        # the example is an aside; the statement goes on after it.
        nxt = next((p for p in parts if p.start >= aside.end() - 1), None)
        end = nxt.end if nxt is not None and nxt.end <= sentence.end else end
    for second in _SECOND_PREDICATE.finditer(text, start, end):
        # "banned the A100 in 2022 and later allowed the H20": two statements, each quoted
        # up to or from the conjunction that joins them.
        if hi <= second.start():
            end = min(end, second.start())
        elif lo >= second.start():
            start = max(start, second.start())
    # A clause of one or two words ("In exchange") says nothing alone; widen to the next.
    span = tight(text, start, end)
    if span.end <= span.start:
        return None
    return span


_ASIDE = words("aside")
_SECOND_PREDICATE = words("second_predicate")


_BARE_PREDICATE = words("bare_predicate")


_RELATIVE_START = words("relative_start")


_LIST_TAIL = words("list_tail")


# "instructed not to buy the chip": the clause names its chip itself, by reference.
_ANAPHOR = words("anaphor")


_CLAUSES_CACHE: list[tuple[str, int, int, list[Span]]] = []


def _clauses_of(text: str, sentence: Span) -> list[Span]:
    """Clauses of the sentence being read, split once for all of its facts."""
    if _CLAUSES_CACHE:
        c_text, c_start, c_end, parts = _CLAUSES_CACHE[0]
        if c_text is text and c_start == sentence.start and c_end == sentence.end:
            return parts
    parts = clauses(text, sentence)
    _CLAUSES_CACHE[:] = [(text, sentence.start, sentence.end, parts)]
    return parts
