"""Salience: the chip a reference points to when its clause names none.

News refers back more than it names: "the chip", "these accelerators", "each of these",
"the Nvidia part", "Huawei's biggest iron", "the company's flagship". A figure next to
such a reference belongs to the chip the reader has in mind, which is found by one rule
(CONVENTIONS.md section 9, implied chips):

1. the chips of the previous sentence - what it is about first (a sentence that opens
   with a reference, "It is a Blackwell-based card", "Analysts say the processor ...", is
   about that reference's chip: chains keep the chip first named), then its other subjects,
   then the chips it compares or counts from the last named back, never a modifier
   ("Blackwell-based"); a specific part before an architecture name; when that sentence
   compares chips, the article's topic chip if it is among them - then those of the
   sentence before it (two sentences back at most);
2. for a list item or a "Label: value" spec line, the chip of the heading the list sits
   under;
3. for a sentence of the opening paragraph, the headline's chip;
4. otherwise none: a figure is better dropped than given to the wrong chip.

Every candidate must agree with the reference: a part noun (chip, part, accelerator, GPU,
processor) never takes a system, a system noun (system, rack, pod, supernode, iron) takes
only a system, and a named maker ("the Nvidia part", "Huawei's flagship") takes only that
maker's chips.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chipwatch.extractors.chips import made_for, vendor_of
from chipwatch.extractors.figures.doc import Doc, chips_in, is_bullet_sentence, is_spec_line
from chipwatch.extractors.figures.mentions import (
    ARCHITECTURES,
    SYSTEMS,
    coordinated_chips,
)
from chipwatch.extractors.figures.subjects import (
    MODIFIER_AFTER_RE,
    OBJECT_MARKER_RE,
    is_object,
    sentence_subject,
)

# Vocabulary of references (regular-expression alternatives).
VENDOR_ALT = r"Nvidia|NVIDIA|Huawei|AMD|Cambricon|Intel"
PART_ALT = r"chip|part|GPU|accelerator|processor|NPU|card|model|product|flagship"
SYSTEM_ALT = r"system|rack|iron|pod|SuperPoD|supernode|super\s?node|cluster"
# the market a part was cut down for ("the made-for-China part"): lexicon made_for
MARKET_ALT = r"made[- ]for[- ]China|China[- ](?:specific|only|bound|market)"
# words a writer puts between a maker and its part: "Huawei's biggest iron"
DESCRIPTOR_ALT = (r"own|best|latest|newest|top|flagship|fastest|most\s+advanced|current|main|new|rival"
                  r"|biggest|largest|top-end|high-end|homegrown|domestic")

# A reference inside a sentence: "the chip", "the new part", "the Nvidia chip", "Huawei's
# biggest iron" - not when the name follows ("the flagship, the H200").
MID_REFERENCE_RE = re.compile(
    rf"\b(?P<np>(?:the|this)\s+(?:(?:{DESCRIPTOR_ALT}|{MARKET_ALT}|newer|older|former|same|cut-down)\s+)?"
    rf"(?:(?:{VENDOR_ALT})\s+)?(?:{PART_ALT})"
    rf"|(?:{VENDOR_ALT})['’]s\s+(?:(?:{DESCRIPTOR_ALT})\s+){{0,2}}(?:{PART_ALT}|{SYSTEM_ALT}))"
    r"\b(?!\s*(?:,\s*)?(?:the\s+)?[A-Z]+\d)")


_VENDOR_RE = re.compile(rf"\b(?:{VENDOR_ALT})\b")
_PART_RE = re.compile(rf"\b(?:{PART_ALT})s?\b", re.I)
_SYSTEM_RE = re.compile(rf"\b(?:{SYSTEM_ALT})s?\b", re.I)
_MARKET_RE = re.compile(MARKET_ALT, re.I)


@dataclass(frozen=True)
class Reference:
    """What a referring phrase says about its chip: the maker, and part or system."""

    vendor: str | None
    kind: str  # "part", "system" or "any"
    market: str | None = None  # "China": only a part made for that market


def describe(np: str) -> Reference:
    """'the Nvidia part' -> (Nvidia, part); "Huawei's biggest iron" -> (Huawei, system)."""
    vm = _VENDOR_RE.search(np)
    vendor = None if vm is None else ("Nvidia" if vm.group() == "NVIDIA" else vm.group())
    kind = "system" if _SYSTEM_RE.search(np) else "part" if _PART_RE.search(np) else "any"
    return Reference(vendor, kind, "China" if _MARKET_RE.search(np) else None)


def agrees(chip: str | None, ref: Reference) -> bool:
    if not chip:
        return False
    if ref.vendor is not None and vendor_of(chip) != ref.vendor:
        return False
    if ref.market is not None and made_for(chip) != ref.market:
        return False
    if ref.kind == "part" and chip in SYSTEMS:
        return False
    return not (ref.kind == "system" and chip not in SYSTEMS)


def salient_chip(doc: Doc, si: int, ref: Reference, back: int = 2, depth: int = 2) -> str | None:
    """The chip a reference in sentence `si` points to, by the rule of this module."""
    k, budget = si - 1, back
    while k >= 0 and budget > 0:
        sent = doc.sentences[k]
        chips = chips_in(doc, sent.start, sent.end)
        subject = discourse_subject(doc, k, depth)
        k -= 1
        if not chips and subject is None:
            budget -= 1
            continue
        budget -= 1
        subjects = [c.chip for c in chips if not is_object(doc.text, sent, c)]
        objects = [c.chip for c in reversed(chips) if not MODIFIER_AFTER_RE.match(doc.text, c.end)]
        compared = any(is_object(doc.text, sent, c) and not MODIFIER_AFTER_RE.match(doc.text, c.end)
                       for c in chips)
        candidates = [c for c in dict.fromkeys(([subject] if subject else []) + subjects + objects)
                      if agrees(c, ref)]
        chosen = _preferred(doc, candidates, compared)
        if chosen:
            return chosen
    for chip in (heading_chip(doc, si), headline_chip(doc, si)):
        if agrees(chip, ref):
            return chip
    return None


# A sentence that opens with a reference is about the chip the reference stands for.
_REFERENCE_START_RE = re.compile(
    rf"\W*(?P<np>It|Its|They|Their|(?:The|This)\s+(?:new\s+)?(?:{PART_ALT}|{SYSTEM_ALT}))\b", re.I)
_PRONOUNS = {"it", "its", "they", "their"}
# a description named at once by an appositive: ", known as the", " (the", ", dubbed"
_APPOSITIVE_NAME_RE = re.compile(
    r"[^,;.()]{0,30}?(?:,|\()\s*(?:(?:known\s+as|called|dubbed|named)\s+)?(?:the\s+)?"
    r"(?:(?:Nvidia|NVIDIA|Huawei|AMD|Cambricon|Intel)['’]?s?\s+)?")


def discourse_subject(doc: Doc, k: int, depth: int = 2) -> str | None:
    """What sentence `k` is about. A reference standing before any chip name ("It has ...",
    "Its memory ...", "Analysts say the processor delivers ...") stands for its referent,
    so a chain of references keeps the chip first named; otherwise the first chip that is
    not the object of a comparison (subjects.sentence_subject)."""
    sent = doc.sentences[k]
    chips = chips_in(doc, sent.start, sent.end)
    first_chip = chips[0].start if chips else sent.end
    if depth > 0:
        m = _REFERENCE_START_RE.match(doc.text, sent.start, first_chip)
        if m is None:
            m = next((r for r in MID_REFERENCE_RE.finditer(doc.text, sent.start, first_chip)
                      if not OBJECT_MARKER_RE.search(doc.text, max(sent.start, r.start() - 60), r.start())),
                     None)
        if m is not None and m.group("np").lower() not in _PRONOUNS and chips and \
                _APPOSITIVE_NAME_RE.fullmatch(doc.text, m.end(), chips[0].start):
            m = None  # "The chip under discussion, known as the B30A, ...": named right away
        if m is not None:
            np = m.group("np")
            if np.lower() in _PRONOUNS:
                referent = next((s for j in range(k - 1, max(-1, k - 3), -1)
                                 if (s := discourse_subject(doc, j, depth - 1))), None)
            else:
                referent = salient_chip(doc, k, describe(np), depth=depth - 1)
            if referent:
                return referent
    return sentence_subject(doc, sent) if chips else None


def _preferred(doc: Doc, candidates: list[str], compared: bool) -> str | None:
    """Among the agreeing chips of one sentence (its subject first): a specific part before
    an architecture name; when the sentence compares chips, the article's topic chip if it
    is one of them (both sides are in focus, the article's own chip wins)."""
    parts = [c for c in candidates if c not in ARCHITECTURES] or candidates
    if compared and doc.topic in parts:
        return doc.topic
    return parts[0] if parts else None


def _is_item(doc: Doc, si: int) -> bool:
    sent = doc.sentences[si]
    return is_bullet_sentence(doc, sent) or is_spec_line(doc, sent)


def heading_chip(doc: Doc, si: int, reach: int = 40) -> str | None:
    """The chip of the heading above the list (bullets or spec lines) sentence `si` is in."""
    if not _is_item(doc, si):
        return None
    k = si - 1
    while k >= 0 and si - k <= reach and _is_item(doc, k):
        k -= 1
    if k < 0:
        return None
    return sentence_subject(doc, doc.sentences[k])


def headline_chip(doc: Doc, si: int) -> str | None:
    """The headline's chip, for a sentence of the article's opening paragraph."""
    text = doc.text
    headline_end = text.find("\n")
    if not 0 < headline_end <= 300 or not doc.sentences:
        return None
    sent = doc.sentences[si]
    body = len(text) - len(text[headline_end:].lstrip())
    opening_end = text.find("\n\n", body)
    if sent.start < headline_end or (opening_end >= 0 and sent.start > opening_end):
        return None
    first = doc.sentences[0]
    return sentence_subject(doc, first) if first.end <= headline_end + 1 else None


# A plural reference at the start of a sentence: "Each of these", "Both", "These chips".
_PLURAL_START_RE = re.compile(
    r"\W*(?:Each\s+of\s+(?:these|those|them)|Both(?:\s+of\s+them)?|All\s+of\s+(?:these|those|them)"
    r"|(?:These|Those|The)\s+(?:two|three|four)\b|(?:These|Those)\s+(?:chips|GPUs|parts|accelerators|processors))\b")


def salient_group(doc: Doc, si: int, chip: str) -> list[str] | None:
    """The chips a plural reference in sentence `si` stands for: the coordinated chips
    ("the H100 and H800") of the mention of `chip` in the previous sentence; None when the
    sentence does not open with a plural reference or no group is there."""
    sent = doc.sentences[si]
    if si == 0 or not _PLURAL_START_RE.match(doc.text, sent.start, sent.end):
        return None
    prev = doc.sentences[si - 1]
    p_chips = chips_in(doc, prev.start, prev.end)
    mention = next((c for c in p_chips if c.chip == chip), None)
    if mention is None:
        return None
    group = coordinated_chips(doc, p_chips, mention.start)
    names = list(dict.fromkeys(c.chip for c in group))
    return names if len(names) > 1 else None
