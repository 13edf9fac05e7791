"""Chip mentions beyond the gazetteer's names: short forms ("the 950"), the article's
topic chip, architectures versus parts, and coordinated chips ("the H100 and H800").
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from functools import lru_cache

from chipwatch.extractors.chips import ChipMention, chip_family, chip_kind, vendor_of
from chipwatch.extractors.figures.doc import Doc

_SHORT_FORM_RE = re.compile(r"(?<![A-Za-z0-9_.,/$-])(?P<det>(?i:the|its|a|an|later|new)\s+)?(?P<num>\d{3,4})(?P<suf>[A-Z]{1,2})?(?![A-Za-z0-9_%])")


# 「960は演算性能を950の2倍に」: a bare model number as a Japanese topic or possessor
_JA_TOPIC_NUMBER_RE = re.compile(r"(?:は|が|も|の(?!うち))")
_JA_BEFORE_NUMBER_RE = re.compile(r"\A(?:[。、「」『』（）\n]|[ぁ-ん]|)\Z")


def with_short_forms(text: str, chips: list[ChipMention]) -> list[ChipMention]:
    """'the 6000D', 'the 950', 'a later 950DT version': a part named in full earlier in
    the article, written by its number alone."""
    tails: dict[str, tuple[str, str]] = {}
    for c in chips:
        last = c.chip.split()[-1]
        m = re.fullmatch(r"(\d{3,4})([A-Z]{0,2})", last)
        if m and " " in c.chip:
            tails.setdefault(m.group(1), (c.chip, m.group(2)))
    if not tails:
        return chips
    first_at: dict[str | None, int] = {}
    for c in chips:
        first_at.setdefault(c.chip, c.start)
    starts = [c.start for c in chips]
    extra: list[ChipMention] = []
    for m in _SHORT_FORM_RE.finditer(text):
        entry = tails.get(m.group("num"))
        if entry is None:
            continue
        canon, letters = entry
        suf = m.group("suf") or ""
        if first_at[canon] >= m.start() or (suf and letters and suf != letters) or (not suf and letters):
            continue
        if not suf and not m.group("det") and not (
                _JA_TOPIC_NUMBER_RE.match(text, m.end()) and _JA_BEFORE_NUMBER_RE.match(text[max(0, m.start() - 1):m.start()])):
            continue  # a bare "950" is a number unless written "the 950" (or 「960は」 in Japanese)
        start = m.start("num")
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and chips[i].end > start:
            continue  # part of a longer mention ("Ascend 950")
        extra.append(ChipMention(canon, vendor_of(canon), start, m.end()))
    if not extra:
        return chips
    return sorted(chips + extra, key=lambda c: c.start)


_FAMILY_PART_AFTER_RE = re.compile(r"(?:-based)?\s+(?:part|chip|GPU|accelerator|processor|flagship)\b(?!s)")
_FAMILY_PART_BEFORE_RE = re.compile(r"\b(?:[Tt]he|[Tt]his|[Tt]hat|Nvidia['’]s|NVIDIA['’]s)\s+(?:(?:new|newer|latest|top)\s+)?$")


def with_family_parts(text: str, chips: list[ChipMention]) -> list[ChipMention]:
    """'the Blackwell part' after the B200 was named: that part, not the architecture. A
    singular part noun after a family names one part of it, the one of that family the
    text named last; with none named before, the mention stays the family."""
    out = list(chips)
    for i, c in enumerate(chips):
        if c.chip not in ARCHITECTURES or not _FAMILY_PART_AFTER_RE.match(text, c.end) \
                or not _FAMILY_PART_BEFORE_RE.search(text, max(0, c.start - 20), c.start):
            continue
        prior = next((p for p in reversed(out[:i]) if p.chip != c.chip and p.chip not in SYSTEMS
                      and p.chip not in ARCHITECTURES and chip_family(p.chip) == c.chip), None)
        if prior is not None:
            out[i] = ChipMention(prior.chip, prior.vendor, c.start, c.end, prior.known)
    return out


def article_topic(text: str, chips: list[ChipMention]) -> str | None:
    """The chip the article is mostly about: most mentions outside enumerations, with a
    bonus for the headline (the article is about what its first line names)."""
    if not chips:
        return None
    in_list: set[int] = set()
    run: list[int] = [0]
    for i in range(1, len(chips) + 1):
        if i < len(chips) and re.fullmatch(
            r"[\s,]*(?:and|or)?\s*(?:the\s+)?(?:Nvidia\s+)?", text[chips[i - 1].end:chips[i].start]
        ) and chips[i].chip != chips[i - 1].chip:
            run.append(i)
            continue
        if len(run) >= 3:
            in_list.update(run)
        run = [i]
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    headline_end = text.find("\n")
    if 0 < headline_end <= 300:
        for c in chips:
            if c.start >= headline_end:
                break
            if c.chip not in counts:
                counts[c.chip] += 2
    for i, c in enumerate(chips):
        first.setdefault(c.chip, i)
        if i not in in_list:
            counts[c.chip] += 1
    if not counts:
        return None
    return max(counts, key=lambda c: (counts[c], -first[c]))


# Architecture names: when a sentence also names a specific part, the part owns the numbers
# ("The H200 pairs the Hopper architecture with 141 GB").
ARCHITECTURES = {"Hopper", "Blackwell", "Rubin", "Ampere"}


# An unknown name shaped like a system ("Atlas 970 SuperPoD", "VR300 NVL576")
_SYSTEM_NAME_RE = re.compile(r"Super\s?Po[Dd]|SuperCluster|SuperNode|\bNVL\s?\d{2,3}\b|CloudMatrix")


@lru_cache(maxsize=4096)
def _is_system(chip: str) -> bool:
    return chip_kind(chip) == "system" or bool(_SYSTEM_NAME_RE.search(chip))


class _SystemNames:
    """Systems built from many chips (a chip count under them is a spec of the system): the
    lexicon's kind = "system" rows, and unknown names shaped like a system."""

    def __contains__(self, chip: object) -> bool:
        return isinstance(chip, str) and bool(chip) and _is_system(chip)


SYSTEMS = _SystemNames()


_ARCH_PARTS_RE = re.compile(r"\s+(?:parts|chips|GPUs|accelerators|products|cards|processors)\b")


def owner_candidates(s_chips: list[ChipMention], text: str = "") -> list[ChipMention]:
    """Drop architecture names when a specific part is named in the same sentence, unless
    the name stands for parts ("Nvidia's Blackwell parts")."""
    if any(c.chip not in ARCHITECTURES for c in s_chips):
        return [c for c in s_chips if c.chip not in ARCHITECTURES
                or (text and _ARCH_PARTS_RE.match(text, c.end))]
    return s_chips


COORD_GAP_RE = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|/)\s*(?:the\s+|its\s+)?"
                          r"|[」』]?\s*(?:、|と|および|及び|や)\s*[「『]?")


def coordinated_chips(doc: Doc, s_chips: list[ChipMention], start: int) -> list[ChipMention]:
    """'The H100 and H800 each carry 80GB': every chip of a coordinated subject."""
    idx = next((i for i, c in enumerate(s_chips) if c.start == start), None)
    if idx is None:
        return []
    lo = hi = idx
    while lo > 0 and COORD_GAP_RE.fullmatch(doc.text, s_chips[lo - 1].end, s_chips[lo].start):
        lo -= 1
    while hi + 1 < len(s_chips) and COORD_GAP_RE.fullmatch(
            doc.text, s_chips[hi].end, s_chips[hi + 1].start):
        hi += 1
    return s_chips[lo:hi + 1]
