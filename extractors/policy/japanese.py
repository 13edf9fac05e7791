"""Japanese-only steps: alternatives of one requirement, and conditions with a threshold."""

from __future__ import annotations

import re

from chipwatch.extractors.facts import Fact
from chipwatch.extractors.language.numbers import Quantity
from chipwatch.extractors.language.sentences import Span
from chipwatch.extractors.policy.tables import words

def _join_alternatives(facts: list[Fact], s_text: str, sentence: Span) -> list[Fact]:
    """「取り外すか、購入計画を取り消す」: two alternatives of one requirement are one fact."""
    out: list[Fact] = []
    for f in sorted(facts, key=lambda x: x.char_start):
        prev = out[-1] if out else None
        if prev is not None and prev.action == f.action and prev.chip == f.chip and \
                prev.value is None and f.value is None and prev.quote.endswith("か") and \
                re.fullmatch(r"[、,\s]*", s_text[prev.char_end - sentence.start:
                                                 f.char_start - sentence.start]):
            prev.char_end = f.char_end
            prev.quote = s_text[prev.char_start - sentence.start:prev.char_end - sentence.start]
            continue
        out.append(f)
    return out


_JA_CONDITION = words("ja_condition")


def _attach_conditions(facts: list[Fact], s_text: str, sentence: Span,
                       quantities: list[Quantity]) -> None:
    """「進捗が30%未満の案件では、…必要がある」: the threshold of a conditional clause is the
    rule's parameter; the quote widens to take the condition in."""
    for q in quantities:
        cond = _JA_CONDITION.match(s_text, q.end)
        if q.unit != "%" or not cond or not (cond.group(1) or re.search(r"(?:未満|以下|以上|超)$",
                                                                        q.text)):
            continue
        for f in facts:
            rel = f.char_start - sentence.start
            if f.value is None and f.action not in ("fee", "revenue_share") and \
                    0 <= rel - cond.end() <= 2:
                start = s_text.rfind("、", 0, q.start) + 1
                f.char_start = sentence.start + start
                f.quote = s_text[start:f.char_end - sentence.start]
                f.value, f.unit = q.value, q.unit
