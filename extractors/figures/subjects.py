"""Subjects and objects: which chips of a sentence are what it is about, and which are
only the other side of a comparison ("than the H20"), counted ("384 910C chips") or a
modifier ("Blackwell-based").
"""

from __future__ import annotations

import bisect
import re

from chipwatch.extractors.chips import ChipMention
from chipwatch.extractors.figures.doc import Doc, chips_in
from chipwatch.extractors.figures.japanese import (
    JA_BASELINE_RE,
    JA_OBJECT_AFTER_RE,
    SUBJECT_JA_RE,
)
from chipwatch.extractors.language.sentences import Span

# Words between a marker and a chip name ("below Nvidia's latest Blackwell").
_FILLER = r"(?:[\w'’\"“”-]+\s+){0,4}"


# Verbs of a comparison by a margin ("outpaces the H100 by 30%", "falls short of it by 20%").
MARGIN_VERBS = (r"outperform\w*|outpac\w*|outstrip\w*|beat\w*|exceed\w*|surpass\w*|tops?|topped|lead\w*"
                r"|trail\w*|lag\w*|falls?\s+short\s+of|fell\s+short\s+of|falling\s+short\s+of")


# A chip preceded by one of these is the object of a comparison, not the clause subject.
OBJECT_MARKER_RE = re.compile(
    rf"(?:\bthan|\blike|\bversus|\bvs\.?|\bcompared\s+(?:to|with)|\bunlike|\breplac\w*"
    rf"|\bsucceed\w*|\bsuccessor\s+to|\bpredecessor|\bversion\s+of|\bvariant\s+of"
    rf"|\bbased\s+on|\bderived\s+from|\balternatives?\s+to|\binstead\s+of|\bbelow|\babove"
    rf"|\bbehind|\bahead\s+of|\bover|\bagainst|\brelative\s+to|\bcomparison\s+with"
    rf"|\bsuch\s+as|\bincluding|\bfrom|(?<!known\s)(?<!dubbed\s)(?<!named\s)\bas|\boutperform\w*|\boutpac\w*|\boutstrip\w*|\bshort\s+of|\bbeat\w*"
    rf"|\bsurpass\w*|\btrail\w*|\blags?|\blagging|\btimes|\d\s?x|倍"
    rf"|\b(?:half|thirds?|quarters?|fifths?|sixths?|sevenths?|tenths?|percent|per\s+cent)\s+(?:of|what|the)"
    rf"|%\s+of)\s+{_FILLER}$",
    re.I,
)


_INDEFINITE_BEFORE_RE = re.compile(r"\b(?:a|an)\s+(?:[\w'’-]+\s+){0,2}$", re.I)


_GENERIC_NOUN_AFTER_RE = re.compile(
    r"(?:-based|-class|-generation|-series)?\s+(?:chip|GPU|processor|part|design|accelerator"
    r"|architecture|product|variant|derivative)s?\b", re.I,
)


COUNTED_RE = re.compile(
    r"(?:\d|\b(?:hundred|thousand|million|billion)|\b(?:dozens|hundreds|thousands|millions)\s+of"
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|twelve|sixteen))\s+(?:of\s+)?"
    r"(?:(?:Nvidia|NVIDIA|Huawei|AMD)(?:['’]s)?\s+)?$", re.I)


def is_object(text: str, sent: Span, c: ChipMention) -> bool:
    """True when the chip is governed by a comparison marker or counted ("384 910C chips")."""
    before = text[max(sent.start, c.start - 60):c.start]
    if OBJECT_MARKER_RE.search(before) or COUNTED_RE.search(before):
        return True
    if MODIFIER_AFTER_RE.match(text, c.end) or _DIE_AFTER_RE.match(text, c.end) \
            or JA_OBJECT_AFTER_RE.match(text, c.end) or JA_BASELINE_RE.match(text, c.end):
        return True  # "H20と比べると、...": the baseline
    # a chip named inside a descriptor of another: "the MI308, a trimmed MI300X with 192GB"
    if _APPOSITIVE_INDEFINITE_RE.search(before) or _APPOSITIVE_DEFINITE_RE.search(before):
        return True
    # a descriptor in apposition: "the B30A, a single-die Blackwell chip"
    return bool(_INDEFINITE_BEFORE_RE.search(before) and _GENERIC_NOUN_AFTER_RE.match(text, c.end))


# "the H200, the most powerful chip of Nvidia's Hopper generation, ...": the family
# describes the chip named before the comma
_APPOSITIVE_DEFINITE_RE = re.compile(
    r"\b(?:[A-Z]{1,3}\d{2,4}[A-Z]?|\d{3}[A-Z]?)\s*,\s+the\s+(?:[\w'’-]+\s+){0,4}?"
    r"(?:chip|part|GPU|accelerator|processor|model|member|version|successor|product)s?\s+(?:of|in|from)\s+"
    r"(?:[\w'’-]+\s+){0,2}$")


_APPOSITIVE_INDEFINITE_RE = re.compile(r"\b(?:[A-Z]{1,3}\d{2,4}[A-Z]?|\d{3}[A-Z]?)\s*,\s+(?:a|an)\s+(?:[\w'’-]+\s+){0,2}$")


MODIFIER_AFTER_RE = re.compile(r"-(?:class|based|style|like|derived|equivalent)s?\b", re.I)


_DIE_AFTER_RE = re.compile(r"\s+(?:die|dies|chiplets?)\b", re.I)  # "a single B300 die"


def sentence_subject(doc: Doc, sent: Span) -> str | None:
    """The chip a sentence is about: first chip not governed by a comparison marker."""
    chips = chips_in(doc, sent.start, sent.end)
    for c in chips:
        if SUBJECT_JA_RE.match(doc.text, c.end):
            return c.chip
    for c in chips:
        if not is_object(doc.text, sent, c):
            return c.chip
    # every chip is an object and a clause's subject is "it" ("Built from a single Blackwell
    # die, it would offer half the compute of the B300"): the part of the sentence before
    if chips and CLAUSE_IT_RE.search(doc.text, sent.start, sent.end):
        si = bisect.bisect_right(doc.sent_starts, sent.start) - 1
        if si >= 1:
            prev = doc.sentences[si - 1]
            before = [c for c in chips_in(doc, prev.start, prev.end) if not is_object(doc.text, prev, c)]
            if before:
                return before[0].chip
    return chips[0].chip if chips else None


CLAUSE_IT_RE = re.compile(
    r"(?:^|[,;:]\s+|\b(?:and|but|while|so|says?|said|expects?|believes?|thinks?|estimated?|estimates"
    r"|found|finds|shows?|showed|reckons?|calculated?)\s+(?:that\s+)?"
    r"|\b(?:On\s+paper|In\s+(?:practice|theory|tests?)|By\s+contrast|Even\s+so|Overall|Still),?\s+)(?:it|It)\s+(?!is\s+(?:unclear|likely|possible|not|expected"
    r"|thought|estimated|understood|said)\b)(?:also\s+|still\s+|now\s+|only\s+)?(?:offers|has|carries|delivers|uses"
    r"|draws|provides|packs|comes|reaches|runs|scores|holds|boasts|tops|is|was|features|trails|lags|beats"
    r"|outperforms|outpaces|exceeds|surpasses|matches|falls|reached|delivered|offered|had|scored|carried"
    r"|can|will|would|could)\b")


def clause_it(doc: Doc, sent: Span, pos: int) -> int | None:
    """Start of a clause-initial "it" before `pos` ("At $30,000 per chip, it offers")."""
    last = None
    for m in CLAUSE_IT_RE.finditer(doc.text, sent.start, pos):
        last = m
    return last.start() if last else None
