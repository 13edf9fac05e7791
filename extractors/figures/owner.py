"""Attribution: the chip a chip figure belongs to, tried in a fixed order of cues.
"""

from __future__ import annotations

import re

from chipwatch.extractors.chips import ChipMention
from chipwatch.extractors.figures.doc import Doc, qty_between, segment_bounds
from chipwatch.extractors.figures.japanese import ja_topic_before
from chipwatch.extractors.figures.measures import SPEC_UNITS
from chipwatch.extractors.figures.mentions import owner_candidates
from chipwatch.extractors.figures.reference import (
    ANAPHOR_RE,
    its_before,
    relative_clause_chip,
    resolve_anaphor,
    sentence_owner,
    system_anaphor,
    vendor_consistent,
)
from chipwatch.extractors.figures.salience import MID_REFERENCE_RE, describe
from chipwatch.extractors.figures.subjects import OBJECT_MARKER_RE, clause_it, is_object
from chipwatch.extractors.language.numbers import Quantity
from chipwatch.extractors.language.sentences import Span

_AFTER_ANAPHOR_RE = re.compile(
    r"\s*(?:[\w-]+\s+){0,3}?(?:on|for|of|in|with)\s+(?P<np>(?:the|these|those)\s+(?:new\s+|latest\s+)?"
    r"(?:chip|GPU|processor|accelerator|card|part)s?)\b",
    re.I,
)


AFTER_CHIP_RE = re.compile(
    r"\s*(?:[\w-]+\s+){0,3}?(?:on|for|of|in|with)\s+(?:the\s+|its\s+|an?\s+)?"
    r"(?:(?:Nvidia|NVIDIA|Huawei|AMD|Cambricon|Intel)(?:['’]s)?\s+)?$"
)


_BEFORE_POSSESSIVE_RE = re.compile(r"(?:['’]s)?\s+(?:[\w-]+\s+){0,2}$")


def figure_owner(doc: Doc, si: int, sent: Span, s_chips: list[ChipMention],
           q: Quantity) -> tuple[str | None, int | None]:
    """Chip a figure belongs to, and where its mention starts (None if resolved)."""
    text = doc.text
    s_chips = owner_candidates(s_chips, text)
    # 0. "the 96GB on its predecessor": the other chip the sentence discussed
    if _KIN_AFTER_RE.match(text, q.end, min(sent.end, q.end + 40)):
        before = [c for c in s_chips if c.end <= q.start]
        subject = next((c.chip for c in before if not is_object(text, sent, c)), None)
        others = [c for c in before if c.chip != subject]
        return (others[-1].chip, others[-1].start) if others else (None, None)
    # 1. named right after the number: "600 GB/s on the A100" (not "141GB against 128GB
    #    for the 910C": the nearer number owns that chip)
    after = text[q.end:min(sent.end, q.end + 60)]
    for c in s_chips:
        if c.start >= q.end and c.start - q.end <= 60:
            if AFTER_CHIP_RE.match(text[q.end:c.start]) and not qty_between(doc, q.end, c.start):
                return c.chip, c.start
            break
    m = _AFTER_ANAPHOR_RE.match(after)
    if m:
        # "Huawei, whose Ascend 910C ..., plans to make 600,000 of the chips": the chip
        # this sentence names, else the one the article is about
        if re.search(r"\bof\s+$", after[:m.start("np")]) and m.group("np").endswith("s"):
            for c in reversed([c for c in s_chips if c.end <= q.start]):
                if not is_object(text, sent, c):
                    return c.chip, None
        return resolve_anaphor(doc, si, m.group("np")), None
    # 1b. inside a relative clause: "two Ascend 910B dies, which were made on a 7nm process"
    #     -> the chip the clause follows, whatever its role in the main clause
    rel = relative_clause_chip(doc, sent, s_chips, q)
    if rel is not None:
        return rel.chip, rel.start
    # 2. possessive right before it: "the H100's 80GB"
    for c in reversed(s_chips):
        if c.end <= q.start:
            if q.start - c.end <= 25 and _BEFORE_POSSESSIVE_RE.match(text[c.end:q.start]) \
                    and re.match(r"['’]s", text[c.end:c.end + 2]):
                return c.chip, c.start
            break
    # 2b. "its bandwidth to 400 GB/s": the sentence's subject, not the nearest chip
    its = its_before(doc, sent, s_chips, q)
    if its is not None:
        owner = sentence_owner(doc, si, sent, s_chips, its)
        if owner[0] is None and (q.unit in SPEC_UNITS or (q.unit or "").startswith("TFLOPS")) \
                and not any(c.end <= q.start for c in s_chips):
            # "Huawei's own figures put its dense FP16 throughput near 800 teraflops"
            return resolve_anaphor(doc, si, "it"), None
        return owner
    seg_start, seg_end = segment_bounds(doc, sent, q.start)
    # 3. nearest subject-like chip before it in its segment, then after it
    before = [c for c in s_chips if seg_start <= c.start and c.end <= q.start]
    for c in reversed(before):
        if not is_object(text, sent, c):
            return c.chip, c.start
    after_chips = [c for c in s_chips if q.end <= c.start and c.end <= seg_end]
    for c in after_chips:
        if c.start - q.end <= 40 and not is_object(text, sent, c):
            return c.chip, c.start
    # 3b. a reference opening the number's own segment: "..., while the Nvidia chip offers
    #     141GB", "...; the new part has 144GB" (salience.py says which chip it is)
    if seg_start > sent.start and not before:
        matches = list(MID_REFERENCE_RE.finditer(text, seg_start, q.start))
        m = matches[-1] if matches else None
        if m is not None and not OBJECT_MARKER_RE.search(text, max(sent.start, m.start() - 60), m.start()):
            return _referent(doc, si, m.group("np")), None
    # 4. anywhere earlier in the sentence
    for c in reversed([c for c in s_chips if c.end <= q.start]):
        if not is_object(text, sent, c):
            return c.chip, c.start
    # 4b. "The system has 49.2 terabytes", "the super node consumes 559 kW"
    if not any(c.end <= q.start for c in s_chips):
        system = system_anaphor(doc, si, sent, q.start)
        if system is not None:
            return system, None
        if _FRONTED_BEFORE_RE.search(text[max(sent.start, q.start - 80):q.start]) and \
                _IT_AFTER_RE.match(text, q.end, min(sent.end, q.end + 120)):
            # "With 96 gigabytes of HBM3 ..., it beats": the clause's "it"
            return resolve_anaphor(doc, si, "it") or vendor_consistent(doc, si, doc.topic), None
        topic = ja_topic_before(doc, si, sent, q)
        if topic is not None:
            return topic, None
    # 5. "It has ...", "The GPU has ...", "At $30,000 per chip, it offers ..."
    m = ANAPHOR_RE.match(text, sent.start, sent.end)
    if m and not any(c.end <= q.start for c in s_chips):
        return _referent(doc, si, m.group("np")), None
    if not any(c.end <= q.start and not is_object(text, sent, c) for c in s_chips) and \
            clause_it(doc, sent, q.start) is not None:
        return resolve_anaphor(doc, si, "it"), None
    # 6. "the chips were selling for $12,000 apiece": the article's chip
    if not any(c.end <= q.start for c in s_chips):
        m = _THE_CHIP_RE.search(text, sent.start, q.start)
        if m:
            chip = resolve_anaphor(doc, si, "the chip")
            if chip is None and re.match(r"(?i:the|these|those)\b", m.group()):
                chip = ""  # an unnamed chip: the figure stands, with chip null
            return chip, None
    return None, None


def _referent(doc: Doc, si: int, np: str) -> str | None:
    """The chip a reference stands for; "" (a figure of an unnamed chip, chip null) when a
    chip or system noun has no antecedent in reach (CONVENTIONS section 9: otherwise null)."""
    chip = resolve_anaphor(doc, si, np)
    if chip is None and describe(np).kind != "any":
        return ""
    return chip


_KIN_AFTER_RE = re.compile(
    r"\s+(?:on|of|in|for|from|with)\s+(?:its|their)\s+(?:[\w-]+\s+)?(?:predecessor|successor|rival"
    r"|competitor|counterpart)s?\b", re.I)


_FRONTED_BEFORE_RE = re.compile(
    r"(?:\A|[:;—]\s*|\n)\s*(?:With|At|Carrying|Packing|Offering|Boasting|Featuring)\b[^,;:\n]*\Z", re.I)


_IT_AFTER_RE = re.compile(r"[^,;:.\n]{0,90},\s+it\s+(?:also\s+|still\s+|actually\s+)?[a-z]+")


_THE_CHIP_RE = re.compile(
    r"\b(?:the|these|those|each|a\s+single|one)\s+(?:new\s+|latest\s+|China-specific\s+|cut-down\s+)?"
    r"(?:chip|GPU|processor|accelerator|card|part)s?\b", re.I,
)
