"""Which chip a clause is about: subjects versus objects of comparison, pronouns,
definite descriptions, a maker's part described but not named, and inherited subjects of
spec lines and bullets.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from chipwatch.extractors.chips import ChipMention, vendor_of
from chipwatch.extractors.figures.doc import (
    Doc,
    chips_in,
    is_bullet_sentence,
    is_spec_line,
    qty_between,
)
from chipwatch.extractors.figures.japanese import ja_zero_subject
from chipwatch.extractors.figures.mentions import ARCHITECTURES, SYSTEMS
from chipwatch.extractors.figures.salience import (
    DESCRIPTOR_ALT,
    MARKET_ALT,
    PART_ALT,
    SYSTEM_ALT,
    VENDOR_ALT,
    Reference,
    describe,
    discourse_subject,
    salient_chip,
)
from chipwatch.extractors.figures.subjects import (
    COUNTED_RE,
    OBJECT_MARKER_RE,
    is_object,
    sentence_subject,
)
from chipwatch.extractors.language.numbers import Quantity
from chipwatch.extractors.language.sentences import Span

# A reference to a chip at the start of a sentence: a pronoun, a definite description, a
# maker's part or system described but not named ("Huawei's biggest iron"), "each of these".
# Not when the name follows ("Nvidia's flagship, the H200, ...").
_NAME_FOLLOWS = r"(?!\s*(?:,\s*)?(?:the\s+)?[A-Z]+\d)"
ANAPHOR_RE = re.compile(
    r"(?:[\"“'‘(]?\s*)(?P<np>It|Its|This|Each\s+(?:one|unit)|The\s+(?:new\s+|latest\s+|former\s+|older\s+|"
    r"cut-down\s+|downgraded\s+|modified\s+|China-specific\s+|(?:" + MARKET_ALT + r")\s+)?(?:chip|GPU|processor|"
    r"accelerator|card|part|model|product)|This\s+(?:new\s+)?(?:chip|GPU|processor|"
    r"accelerator|card|part|model)|(?:Nvidia|NVIDIA|Huawei|AMD|Cambricon|Intel)['’]s\s+"
    r"(?:(?:own|best|latest|newest|top|flagship|fastest|most\s+advanced|current|main|new|rival)\s+){0,2}"
    r"(?:chip|part|GPU|accelerator|processor|flagship)\b(?!\s*(?:,\s*)?(?:the\s+)?[A-Z]+\d)"
    rf"|(?:The|This)\s+(?:{VENDOR_ALT})\s+(?:{PART_ALT})\b{_NAME_FOLLOWS}"
    rf"|(?:{VENDOR_ALT})['’]s\s+(?:(?:{DESCRIPTOR_ALT})\s+){{0,2}}(?:{SYSTEM_ALT})\b{_NAME_FOLLOWS}"
    rf"|The\s+company['’]s\s+(?:(?:{DESCRIPTOR_ALT})\s+){{0,2}}(?:{PART_ALT})\b{_NAME_FOLLOWS}"
    r"|Each\s+of\s+(?:these|those|them)(?:\s+(?:chips|GPUs|processors|accelerators|cards|parts|NPUs))?"
    r"|(?:These|Those)\s+(?:new\s+)?(?:chips|GPUs|processors|accelerators|cards|parts|NPUs))\b"
)


_VENDOR_NP_RE = re.compile(r"(?:(?:[Tt]he|[Tt]his)\s+)?(?P<vendor>Nvidia|NVIDIA|Huawei|AMD|Cambricon|Intel)(?:['’]s)?\s")


def resolve_anaphor(doc: Doc, si: int, np: str) -> str | None:
    """The chip a reference in sentence `si` stands for.

    "It"/"its"/"each of these": the subject of the nearest earlier sentence naming a chip.
    A maker's part ("Nvidia's chip", "the Huawei part"): that maker's chip the last
    sentences discussed, else the one the article names most. Any other description
    ("the chip", "these accelerators", "the system"): the salient chip (salience.py).
    When the sentence names a chipmaker ("Huawei could make 200,000 of the chips"), the
    answer must be that maker's chip.
    """
    chip: str | None = None
    ref = describe(np)
    vm = _VENDOR_NP_RE.match(np)
    if vm:
        return _vendor_main_chip(doc, si, "Nvidia" if vm.group("vendor") == "NVIDIA" else vm.group("vendor"),
                                 ref.kind)
    low = np.lower()
    if low in ("it", "its") or (low.startswith("each") and ref.kind == "any"):
        for k in range(si - 1, max(-1, si - 3), -1):
            chip = discourse_subject(doc, k)
            if chip:
                break
    else:
        chip = salient_chip(doc, si, ref)
    return vendor_consistent(doc, si, chip)


_VENDOR_DESC_RE = re.compile(
    r"\b(?P<np>(?:Nvidia|NVIDIA|Huawei|AMD|Cambricon|Intel)['’]s\s+"
    r"(?:(?:own|best|latest|newest|top|flagship|fastest|most\s+advanced|current|main|new|rival)\s+){0,2}"
    r"(?:chip|part|GPU|accelerator|processor|flagship)"
    r"|(?:[Tt]he|[Tt]his)\s+(?:Nvidia|NVIDIA|Huawei|AMD|Cambricon|Intel)\s+(?:chip|part|GPU|accelerator|processor)"
    rf"|(?:{VENDOR_ALT})['’]s\s+(?:(?:{DESCRIPTOR_ALT})\s+){{0,2}}(?:{SYSTEM_ALT}))"
    r"\b(?!\s*(?:,\s*)?(?:the\s+)?[A-Z]+\d)")


# "Analysts put the newer part at 800 teraflops, 60% of the H100's": the part just discussed
_MID_ANAPHOR_RE = re.compile(
    r"\b(?:the|this)\s+(?:newer|new|latest|older|former|same|cut-down|domestic)\s+"
    r"(?:chip|part|GPU|accelerator|processor|model)\b(?!\s*(?:,\s*)?(?:the\s+)?[A-Z]+\d)")


def _described_subject(doc: Doc, si: int, sent: Span, pos: int,
                       rel: ChipMention | None) -> tuple[str | None, int | None]:
    """'We think Huawei's best part trails the H200': a maker's part described, not named."""
    for m in _VENDOR_DESC_RE.finditer(doc.text, sent.start, pos):
        if OBJECT_MARKER_RE.search(doc.text, max(sent.start, m.start() - 60), m.start()):
            continue
        chip = resolve_anaphor(doc, si, m.group("np"))
        if chip is not None and (rel is None or chip != rel.chip):
            return chip, m.start()
    return None, None


def vendor_described_pair(doc: Doc, sent: Span, s_chips: list[ChipMention], q: Quantity,
                           rel: ChipMention | None) -> tuple[tuple[str, int], ChipMention] | None:
    """'the 910C scores 12,032 against the H200's 15,840, so the Nvidia part is 30% stronger':
    a maker's part described after both chips were named is that maker's chip, the other the baseline."""
    if rel is not None and rel.end > q.start:
        return None  # the baseline is named after the number ("30% stronger than the H20")
    for m in _VENDOR_DESC_RE.finditer(doc.text, sent.start, q.start):
        if any(c.start >= m.end() and c.end <= q.start for c in s_chips):
            continue
        if OBJECT_MARKER_RE.search(doc.text, max(sent.start, m.start() - 60), m.start()):
            continue
        vendor = re.search(r"Nvidia|NVIDIA|Huawei|AMD|Cambricon|Intel", m.group("np"))
        if vendor is None:
            continue
        name = "Nvidia" if vendor.group().upper() == "NVIDIA" else vendor.group()
        before = [c for c in s_chips if c.end <= m.start() and c.chip not in SYSTEMS]
        own = [c for c in before if c.vendor == name]
        other = [c for c in before if c.vendor != name and c.vendor is not None]
        if len({c.chip for c in own}) == 1 and other:
            return (own[-1].chip, m.start()), other[-1]
    return None


def described_object(doc: Doc, si: int, start: int, end: int, subject: str | None) -> ChipMention | None:
    """'trails the Nvidia part by two years', 'six times the compute of Huawei's flagship':
    the maker's chip the article discussed, standing where the other side of a relation is
    named. Placed where the phrase is, so quotes reach it."""
    m = _VENDOR_DESC_RE.search(doc.text, start, end)
    if m is None:
        return None
    ref = describe(m.group("np"))
    if ref.vendor is None:
        return None
    chip = salient_chip(doc, si, ref)  # what the sentences before are about (salience.py)
    if chip is None or chip == subject:
        chip = _vendor_main_chip(doc, si, ref.vendor, "system" if ref.kind == "system" else "part")
    if chip is None or chip == subject:
        return None
    return ChipMention(chip, ref.vendor, m.start("np"), m.end("np"))


def _vendor_main_chip(doc: Doc, si: int, vendor: str, kind: str = "part") -> str | None:
    """'Nvidia's chip', 'Huawei's best part': the maker's chip the article names most (a
    specific part before an architecture name), earlier mentions winning ties. For a
    maker's system ("Huawei's biggest iron") the same among its systems."""
    def fits(chip: str) -> bool:
        return chip in SYSTEMS if kind == "system" else chip not in SYSTEMS

    lo = doc.sentences[max(0, si - 2)].start
    recent = [c for c in chips_in(doc, lo, doc.sentences[si].start)
              if c.vendor == vendor and fits(c.chip) and c.chip not in ARCHITECTURES]
    if recent:
        return recent[-1].chip  # the maker's part the last sentences discussed
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    limit = doc.sentences[si].start
    for i, c in enumerate(doc.chips):
        if c.vendor == vendor and fits(c.chip):
            counts[c.chip] += 1
            first.setdefault(c.chip, i if c.start < limit else i + 10_000)
    if not counts:
        return None
    return max(counts, key=lambda c: (c not in ARCHITECTURES, counts[c], -first[c]))


_VENDOR_WORDS = {
    "Nvidia": re.compile(r"\bNvidia|\bNVIDIA"), "Huawei": re.compile(r"\bHuawei|\bHUAWEI|华为|ファーウェイ"),
    "AMD": re.compile(r"\bAMD\b"), "Cambricon": re.compile(r"\bCambricon|寒武纪"),
    "Intel": re.compile(r"\bIntel\b"),
}


def vendor_consistent(doc: Doc, si: int, chip: str | None) -> str | None:
    sent = doc.sentences[si]
    named = [v for v, rx in _VENDOR_WORDS.items()
             if any(not _names_chip(doc, sent.start + m.end())
                    and not OBJECT_MARKER_RE.search(sent.text, max(0, m.start() - 60), m.start())
                    for m in rx.finditer(sent.text))]
    if not named or chip is None or vendor_of(chip) in named:
        return chip
    i = bisect.bisect_left(doc.chip_starts, sent.start) - 1
    while i >= 0:
        if doc.chips[i].vendor in named:
            return doc.chips[i].chip
        i -= 1
    return None


def _names_chip(doc: Doc, pos: int) -> bool:
    """True when a chip mention starts right after `pos` ("Nvidia's H200", "AMD MI308")."""
    m = re.compile(r"(?:['’]s)?\s+(?:(?:new|latest|flagship|top|best)\s+)?").match(doc.text, pos)
    if not m:
        return False
    i = bisect.bisect_left(doc.chip_starts, m.end())
    return i < len(doc.chips) and doc.chips[i].start == m.end()


_REL_CLAUSE_RE = re.compile(
    r"(?:\s+[\w-]+){0,2}(?:\s*,\s+(?:the|an?)\s+(?:[\w-]+\s+){0,7}?[\w-]+)?"  # ", the cut-down part ...,"
    r"\s*,\s+(?:which|that)\s+(?!is\s+(?:about|roughly|nearly|around)\b)"
    r"[^,;:()\u2014.\n]*\Z", re.I)


def relative_clause_chip(doc: Doc, sent: Span, s_chips: list[ChipMention],
                          q: Quantity) -> ChipMention | None:
    """The chip a "which/that" clause follows, when the number sits inside that clause."""
    before = [c for c in s_chips if sent.start <= c.start and c.end <= q.start]
    if not before:
        return None
    c = before[-1]
    if qty_between(doc, c.end, q.start) or q.start - c.end > 120:
        return None
    if _REL_CLAUSE_RE.match(doc.text, c.end, q.start) is None:
        return None
    return c


SYSTEM_NP_RE = re.compile(
    r"\b(?:the|this|that|each|every)\s+(?:new\s+|whole\s+|entire\s+)?(?:super\s?node|system|SuperPoD"
    r"|pod|cluster)\b|(?:同|この|その|新)(?:システム|スーパーノード|ラック|クラスター)", re.I)


# 「同チップ」「この製品」「新チップ」: a Japanese reference to the chip just discussed
_JA_REFERENCE_RE = re.compile(r"(?:同|この|その|当該|新|新型)(?:チップ|製品|半導体|GPU|アクセラレーター|プロセッサー|モデル)")


def system_anaphor(doc: Doc, si: int, sent: Span, pos: int) -> str | None:
    """'The system has ...' after a sentence about a CloudMatrix: that system; else the
    system the sentences before name (「950DTを8192個つなぐ「Atlas 950 SuperPoD」」: the
    sentence is about the chip, 「同システム」 is the system)."""
    if not SYSTEM_NP_RE.search(doc.text, sent.start, pos):
        return None
    for k in range(si - 1, max(-1, si - 4), -1):
        subj = sentence_subject(doc, doc.sentences[k])
        if subj is not None:
            if subj in SYSTEMS:
                return subj
            break
    return salient_chip(doc, si, Reference(None, "system"))


_ITS_RE = re.compile(r"\b(?:its|their)\s", re.I)


_ITS_CUT_RE = re.compile(r"[;—]|\s--\s|\b(?:while|whereas|but|compared|than|versus|against|counterparts?"
                         r"|rivals?|competitors?|predecessors?|successors?)\b", re.I)


def its_before(doc: Doc, sent: Span, s_chips: list[ChipMention], q: Quantity) -> int | None:
    """Position of an "its"/"their" that governs the number, if one does."""
    lo = max(sent.start, q.start - 70)
    last = None
    for m in _ITS_RE.finditer(doc.text, lo, q.start):
        last = m
    if last is None:
        return None
    gap = doc.text[last.end():q.start]
    if any(last.end() <= c.start < q.start for c in s_chips) or qty_between(doc, last.end(), q.start):
        return None
    if _ITS_CUT_RE.search(gap):
        return None
    return last.start()


def sentence_owner(doc: Doc, si: int, sent: Span, s_chips: list[ChipMention],
                    pos: int) -> tuple[str | None, int | None]:
    """What "its" at `pos` refers to: the subject the sentence opened with."""
    text = doc.text
    m = ANAPHOR_RE.match(text, sent.start, sent.end)
    subjects = [c for c in s_chips if c.end <= pos and not is_object(text, sent, c)]
    if m and (not subjects or m.start() < subjects[0].start):
        return resolve_anaphor(doc, si, m.group("np")), None
    if subjects:
        return subjects[0].chip, subjects[0].start
    if m:
        return resolve_anaphor(doc, si, m.group("np")), None
    return None, None


def counted_owner(doc: Doc, sent: Span, s_chips: list[ChipMention], q: Quantity) -> ChipMention | None:
    """'orders for 2 million H20 chips ..., at $12,000 apiece': the counted chip."""
    for c in reversed([c for c in s_chips if c.end <= q.start]):
        if COUNTED_RE.search(doc.text[max(sent.start, c.start - 40):c.start]):
            return c
    return None


_COMPANY_RE = re.compile(
    r"\b(?:SMIC|TSMC|Samsung|SK\s+Hynix|Hynix|Micron|Intel|Huawei|AMD|Nvidia|NVIDIA|Cambricon"
    r"|Alibaba|Baidu|Tencent|ByteDance|DeepSeek|Apple|Google|Microsoft|Meta|Amazon|OpenAI"
    r"|Moore\s+Threads|Biren|Hygon|Kunlun|Broadcom|Qualcomm|ASML)\b"
)


_LEADING_COMPANY_RE = re.compile(
    r"(?:[A-Z][a-z]+,\s+|In\s+[\w\s]{1,20},\s+)?(?:the\s+|The\s+)?(?P<co>" + _COMPANY_RE.pattern + ")"
)


# A list heading that announces a chip's specifications without naming the chip.
_SPEC_HEADING_RE = re.compile(
    r"\b(?:spec(?:ification)?s|at\s+a\s+glance|key\s+(?:figures|numbers|facts)|in\s+numbers"
    r"|by\s+the\s+numbers|data\s*sheet|fact\s*sheet|tech(?:nical)?\s+(?:details|data))\b"
    r"|仕様|スペック|諸元|主な特徴", re.I)


def inherited_subject(doc: Doc, si: int) -> str | None:
    """Subject of the nearest earlier sentence naming a chip: one step back for prose,
    through the whole list for bullet lines of a fact sheet."""
    sent = doc.sentences[si]

    def item(k: int) -> bool:  # a bullet or a "Label: value" line of a spec list
        return is_bullet_sentence(doc, doc.sentences[k]) or is_spec_line(doc, doc.sentences[k])

    bullet = item(si)
    if not bullet and sent.end - sent.start > 200:
        return None  # long prose without a chip name is about something else
    # a company as the sentence's subject ("Meanwhile, SMIC's 5nm yields...") owns its numbers;
    # one named later ("built on SMIC's 7nm process", "AMD says") does not
    lead = _LEADING_COMPANY_RE.match(sent.text)
    others = {lead.group("co")} if lead else set()
    if bullet:
        # the heading above the list names the part every bullet describes
        k = si - 1
        while k >= 0 and si - k <= 40 and item(k):
            k -= 1
        heading = doc.sentences[k] if k >= 0 else None
        short = heading is not None and (heading.end - heading.start <= 80 or heading.text.endswith(":"))
        if heading is not None and short and _SPEC_HEADING_RE.search(heading.text) \
                and not chips_in(doc, heading.start, heading.end):
            # "Specifications" names no chip: the chip of the paragraph or headline above
            subj = salient_chip(doc, k, Reference(None, "any"))
            if subj:
                return subj
        if heading is not None and k < si - 1:
            subj = sentence_subject(doc, heading) if short else None
            if subj and not any(not o.lower().startswith((vendor_of(subj) or "").lower()[:4]) for o in others):
                return subj
    k = si - 1
    while k >= 0 and si - k <= 40:
        subj = sentence_subject(doc, doc.sentences[k])
        if subj is None and not bullet and k == si - 1:
            m = ANAPHOR_RE.match(doc.text, doc.sentences[k].start, doc.sentences[k].end)
            subj = resolve_anaphor(doc, k, m.group("np")) if m else None
        if subj:
            vendor = vendor_of(subj) or ""
            if any(not o.lower().startswith(vendor.lower()[:4]) for o in others):
                return None  # "SMIC's 5nm yields are low": another company's number
            return subj
        if not (bullet and item(k)):
            return None
        k -= 1
    return None


def referred_subject(doc: Doc, si: int, sent: Span, s_chips: list[ChipMention], q: Quantity,
                      rel: ChipMention | None) -> tuple[str | None, int | None]:
    """The subject of a comparison or lag that names no chip of its own: a sentence-initial
    "It"/"The chip", a described part ("Nvidia's chip"), or a mid-sentence "it"."""
    text = doc.text
    m = ANAPHOR_RE.match(text, sent.start, sent.end)
    if m:
        chip = resolve_anaphor(doc, si, m.group("np"))
        if chip is not None:
            return chip, m.start("np")
    chip, start = _described_subject(doc, si, sent, q.start, rel)
    if chip is not None:
        return chip, start
    if rel is not None and not any(c.end <= q.start and c is not rel for c in s_chips):
        m = _MID_ANAPHOR_RE.search(text, sent.start, q.start)
        if m and not OBJECT_MARKER_RE.search(text, max(sent.start, m.start() - 60), m.start()):
            chip = resolve_anaphor(doc, si, "it")
            if chip is not None and chip != rel.chip:
                return chip, m.start()
    if rel is not None and not any(c.end <= q.start and c is not rel and not is_object(text, sent, c)
                                   for c in s_chips) and _JA_REFERENCE_RE.search(text, sent.start, q.start):
        chip = resolve_anaphor(doc, si, "the chip")
        if chip is not None and chip != rel.chip:
            return chip, None
    if rel is not None and not any(c.end <= q.start and c is not rel and not is_object(text, sent, c)
                                   for c in s_chips):
        chip = ja_zero_subject(doc, si, sent, rel.chip)
        if chip is not None:
            return chip, None
    return None, None


def context_chip(doc: Doc, si: int, subject: str) -> ChipMention | None:
    """The chip the text discussed last, other than `subject` (this or the two sentences
    before)."""
    sent = doc.sentences[si]
    lo = doc.sentences[max(0, si - 2)].start
    i = bisect.bisect_left(doc.chip_starts, sent.end) - 1
    while i >= 0 and doc.chips[i].start >= lo:
        c = doc.chips[i]
        if c.chip != subject and c.chip not in ARCHITECTURES:
            return c
        i -= 1
    return None
