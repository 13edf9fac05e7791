"""Chip comparisons: ratios and margins between two chips, their direction, the two
sides, and the measure compared.
"""

from __future__ import annotations

import re

from chipwatch.extractors.chips import ChipMention, vendor_of
from chipwatch.extractors.facts import Fact
from chipwatch.extractors.figures.doc import (
    Doc,
    is_bullet_sentence,
    make_fact,
    phrase_end,
    rounded,
    segment_bounds,
)
from chipwatch.extractors.figures.japanese import (
    JA_BASELINE_RE,
    JA_FRACTION_RE,
    JA_NEG_RE,
    JA_POS_RE,
    JA_REL_GAP_RE,
    SUBJECT_JA_RE,
)
from chipwatch.extractors.figures.measures import CMP_METRIC_WORDS
from chipwatch.extractors.figures.reference import (
    ANAPHOR_RE,
    SYSTEM_NP_RE,
    context_chip,
    described_object,
    inherited_subject,
    referred_subject,
    resolve_anaphor,
    system_anaphor,
    vendor_described_pair,
)
from chipwatch.extractors.figures.salience import MID_REFERENCE_RE, describe
from chipwatch.extractors.figures.subjects import (
    MARGIN_VERBS,
    MODIFIER_AFTER_RE,
    OBJECT_MARKER_RE,
    clause_it,
    is_object,
)
from chipwatch.extractors.language.numbers import Quantity
from chipwatch.extractors.language.sentences import Span
from chipwatch.extractors.language.units import unit_metric

POS_CMP_RE = re.compile(
    r"\s*(?:(?:[\w-]+\s+){0,1})?(?:more|higher|greater|faster|better|stronger|larger|bigger"
    r"|quicker|as\s+[\w-]+\s+as|the\s+(?:[\w-]+\s+){0,2}(?:of|as)\b|that\s+of|ahead|over"
    # "doubles the compute, memory capacity and interconnect bandwidth of the 950"
    r"|the\s+(?:[\w-]+\s+){1,3}?(?:(?:,\s*|\s+and\s+)(?:[\w-]+\s+){1,3}?){1,3}of\b"
    r"|increase|improvement|boost|jump|gain|advantage|lead|uplift|speed-?up)",
    re.I,
)


NEG_CMP_RE = re.compile(
    r"\s*(?:(?:[\w-]+\s+){0,1})?(?:less|lower|slower|weaker|smaller|fewer|worse|behind)\b",
    re.I,
)


_CONNECTOR_RE = re.compile(
    r"\b(?:than|as|of|over|versus|vs\.?|compared\s+(?:to|with)|relative\s+to|against"
    r"|that\s+of)\b", re.I,
)


_JOIN_BEFORE_NEXT_RE = re.compile(r"(?:,\s*|\s+)(?:and|while|but|or)?\s*$")


_TAIL_MORE_RE = re.compile(r"\s+(?:more|higher|greater|faster|larger)\s*(?:[.;)]|$)")


_ITS_OBJECT_RE = re.compile(
    r"\s+(?:its|their)\s+(?:[\w-]+\s+)?(?:throughput|performance|compute|computing\s+power|processing\s+power|speed"
    r"|memory|bandwidth|capacity|score|TPP)\b", re.I)


_JA_THIS_RE = re.compile(r"(?:この|その|これの|それの|同チップの|同製品の)(?:約|およそ|ほぼ)?\s*$")


_KIN_REL_RE = re.compile(
    r"\s*(?:[\w-]+\s+){0,4}?(?:of|than|over|as)\s+(?:its|their|the)\s+(?:(?:immediate|direct|current)\s+)?"
    r"(?:predecessors?|forerunners?|older\s+(?:part|chip|model|sibling)|previous\s+(?:part|chip|model|generation)"
    r"|earlier\s+(?:part|chip|model))\b(?!\s*,?\s*(?:the\s+)?[A-Z]+\d)", re.I)


_ANY_OF_THEM_RE = re.compile(r"\s*(?:[\w-]+\s+){0,3}?(?:of|than)\s+(?:any|all|each)\s+(?:of\s+)?(?:them|these|those|its\s+rivals)\b", re.I)


PCT_FRACTION_RE = re.compile(
    r"\s+(?:of\s+(?:the\s+|its\s+)?(?:[\w-]+\s+)?(?:performance|compute|computing\s+power|speed|throughput"
    r"|capabilit\w+|power)\s+of\s+|as\s+[\w-]+\s+as|of\s+(?:the\s+|that\s+of\s+(?:the\s+)?|what\s+(?:the\s+)?)?(?:(?:Nvidia|NVIDIA|Huawei"
    r"|AMD)['’]s\s+)?(?=[A-Z0-9][\w -]{0,20}?(?:['’]s\b|\s*$|\s*[,.;)]|\s+(?:in|on|at|for)\b"
    r"|\s+(?:[\w-]+\s+){0,2}?(?:performance|compute|computing|speed|throughput|power|capabilit\w+))))"
)


_MONEY_WORDS_RE = re.compile(
    r"\b(?:revenue|sales|proceeds|fee|levy|tax|cut|share|market|profit|income)s?\b", re.I)
# "a third of the H200's price" compares prices, unless a fee or share is spoken of
_PRICE_WORDS_RE = re.compile(r"\b(?:price|cost)s?\b", re.I)


_BY_MARGIN_RE = re.compile(
    rf"\b(?P<verb>{MARGIN_VERBS})\s+(?:[\w'’./-]+\s+){{0,3}}?by\s+$", re.I,
)


def by_margin(text: str, sent: Span, q: Quantity) -> re.Match[str] | None:
    """'the B200 outperforms the H100 by 30%' / 'trails it by 40 percent'."""
    return _BY_MARGIN_RE.search(text, max(sent.start, q.start - 60), q.start)


TIME_FRACTION_RE = re.compile(
    r"\s+(?:of\s+)?the\s+time\s+(?:(?:it\s+)?(?:takes?|took|needs?)\s+)?(?P<np>[^.;:]{0,60}?)"
    r"\s+(?:would|will|might|could|does|do|did)?\s*(?:need|take|require|spend)s?\b", re.I)


def time_fraction(doc: Doc, sent: Span, s_chips: list[ChipMention], q: Quantity) -> list[Fact]:
    """'trains it in about a third of the time an equal number of H20s would need': 3x the H20."""
    m = TIME_FRACTION_RE.match(doc.text, q.end, sent.end)
    share = q.value / 100.0 if q.unit == "%" else q.value
    if not m or not 0 < share < 1:
        return []
    rel = next((c for c in s_chips if m.start("np") <= c.start and c.end <= m.end("np")), None)
    before = [c for c in s_chips if c.end <= q.start and (rel is None or c.chip != rel.chip)]
    if rel is None or not before:
        return []
    subj = next((c for c in reversed(before) if not is_object(doc.text, sent, c)), before[-1])
    f = make_fact("chip_comparison", doc, q.start, m.end(), chip=subj.chip, metric="performance_ratio",
              value=rounded(1.0 / share), unit="x", relative_to=rel.chip, approx=q.approx)
    return [f] if f else []


def _modified(doc: Doc, s_chips: list[ChipMention], c: ChipMention) -> ChipMention:
    """The chip a modifier chip describes: "Blackwell-based GB200 NVL72" -> GB200 NVL72.
    A modifier is never a side of a comparison; the chip it modifies is."""
    m = MODIFIER_AFTER_RE.match(doc.text, c.end)
    if m is None:
        return c
    nxt = next((o for o in s_chips if o.start >= m.end()), None)
    # words between, or a link's footnote mark left by text conversion ("-based [3]GB200")
    gap = doc.text[m.end():nxt.start] if nxt is not None else ""
    if nxt is not None and re.fullmatch(r"\s[\s\w-]{0,20}?|\s*\[\d{1,3}\]\s*", gap):
        return nxt
    return c


def _rel_after(doc: Doc, sent: Span, s_chips: list[ChipMention], q: Quantity) -> ChipMention | None:
    text = doc.text
    for c in s_chips:
        if c.start < q.end:
            continue
        gap = text[q.end:c.start]
        if len(gap) > 140 or ";" in gap:
            return None
        c = _modified(doc, s_chips, c)
        if re.fullmatch(r"\s*(?:that\s+of\s+|those\s+of\s+)?(?:the\s+|an?\s+)?"
                        r"(?:(?:Nvidia|NVIDIA|Huawei|AMD)(?:['’]s)?\s+)?", gap):
            return c  # "6x the H20"
        if re.fullmatch(r"\s*the\s+(?:[\w-]+\s+){0,2}(?:on|in|for)\s+(?:its|the)\s+", gap):
            return c  # "six times the amount on its TPU v6 predecessor"
        if _CONNECTOR_RE.search(gap):
            return c
        # another chip between without connector ends the search
        return None
    return None


_DESCRIBED_REL_RE = re.compile(
    r"\s*(?:(?:[\w-]+\s+){0,4}?(?:than|of|as|over|versus|against)|(?:[\w-]+\s+){0,3}?that\s+of)\s+"
    r"(?:the\s+|this\s+)?(?:Nvidia|NVIDIA|Huawei|AMD|Cambricon|Intel)", re.I)


_REL_BEFORE_RE = re.compile(
    rf"(?:compared\s+(?:to|with)|relative\s+to|versus|vs\.?|against|than|unlike|ahead\s+of|behind|over"
    rf"|{MARGIN_VERBS})\s+(?:[\w'’-]+\s+){{0,3}}$", re.I)


def _rel_before(doc: Doc, sent: Span, s_chips: list[ChipMention], q: Quantity) -> ChipMention | None:
    text = doc.text
    prev = [c for c in s_chips if c.end <= q.start]
    for c in reversed(prev):
        if JA_BASELINE_RE.match(text, c.end):
            return c  # "H20と比べると、910Cの演算性能は約3倍": the baseline, not the topic
    if prev:
        c = prev[-1]
        gap = text[c.end:q.start]
        if JA_REL_GAP_RE.match(gap):
            return c
    for c in prev:
        b = text[max(sent.start, c.start - 40):c.start]
        if _REL_BEFORE_RE.search(b):
            return _modified(doc, s_chips, c)  # "compared to Blackwell-based GB200 NVL72 racks"
    return None


def comparison_facts(doc: Doc, si: int, sent: Span, s_chips: list[ChipMention],
                s_qty: list[Quantity], q: Quantity) -> list[Fact] | None:
    text = doc.text
    margin = by_margin(text, sent, q)
    negative = bool(NEG_CMP_RE.match(text, q.end)) or bool(JA_NEG_RE.match(text, q.end)) or bool(
        margin and re.match(r"trail|lag|fall|fell", margin.group("verb"), re.I))
    if margin and q.unit == "x" and not q.text.lower().startswith("a factor"):
        return None  # "beats it by two times" is unusual wording; skip rather than guess
    if q.unit == "x" and not re.search(r"倍(?:近く|程度|前後|以上|ほど|余り|あまり)?$", q.text) and "分の" not in q.text and "半分" not in q.text and not (
            POS_CMP_RE.match(text, q.end) or negative or margin):
        # "six times" needs a comparative or "the/as" construction; "three times a year" no
        if not re.match(r"^\s*(?:the|that|as|those|what|it\s+again\b|an?\s|[A-Z]\w*\d|[A-Z]\w*['’]s\s)",
                        text[q.end:q.end + 30]) and not _ITS_OBJECT_RE.match(text, q.end) and not (
                q.value < 1 and re.match(r"\s+of\s+(?:the\s|that\s|those\s|its\s|it\b|[A-Z0-9])", text[q.end:q.end + 30])):
            return None
    if re.match(r"\s*as\s+(?:many|much|often)\b", text[q.end:q.end + 20]) and not _AS_MANY_PARTS_RE.match(
            text, q.end, min(sent.end, q.end + 40)) and not _AS_MUCH_AS_CHIP_RE.match(
            text, q.end, min(sent.end, q.end + 60)) and not re.match(r"\s*as\s+much\s*(?:[,;.)]|$)",
                                                               text[q.end:q.end + 20]):
        return None  # "three times as many units as": sales, not performance
    if _ANY_OF_THEM_RE.match(text, q.end, min(sent.end, q.end + 60)):
        return None  # "twice the memory of any of them": no one chip to hold it against
    rel = _rel_after(doc, sent, s_chips, q)
    if rel is None:
        rel = _rel_before(doc, sent, s_chips, q)
    if rel is None and _DESCRIBED_REL_RE.match(text, q.end, sent.end):
        # "six times the compute of the Nvidia part": the maker's chip the article discussed
        rel = described_object(doc, si, q.end, min(sent.end, q.end + 70), None)
    # subject: nearest chip before the number that is not the relative chip, nor the
    # relative of an earlier ratio ("1.8 times the memory of Nvidia's H200 and 25% more bandwidth")
    subj_chip: str | None = None
    subj_start: int | None = None
    earlier_rels = [r for o in s_qty if o.unit in ("x", "%") and o.end <= q.start
                    and (r := _rel_after(doc, sent, s_chips, o)) is not None and r.end <= q.start]
    described = vendor_described_pair(doc, sent, s_chips, q, rel)
    if described is not None:
        (subj_chip, subj_start), rel = described
    for c in [] if subj_chip is not None else reversed([c for c in s_chips if c.end <= q.start and c is not rel
                       and (rel is None or c.chip != rel.chip) and c not in earlier_rels]):
        if not is_object(text, sent, c) or SUBJECT_JA_RE.match(text, c.end):
            subj_chip, subj_start = c.chip, c.start
            break
    if subj_chip is None and not any(c.end <= q.start and c is not rel for c in s_chips):
        system = system_anaphor(doc, si, sent, q.start)
        if system is not None:
            m = SYSTEM_NP_RE.search(text, sent.start, q.start)
            subj_chip, subj_start = system, m.start() if m else None
    if subj_chip is None:
        subj_chip, subj_start = referred_subject(doc, si, sent, s_chips, q, rel)
    if subj_chip is None and not any(c.end <= q.start and c is not rel for c in s_chips):
        m = _MAKE_IT_RE.search(text, max(sent.start, q.start - 40), q.start) or \
            _THAT_IS_RE.fullmatch(text, sent.start, q.start)
        if m:
            subj_chip, subj_start = resolve_anaphor(doc, si, "it"), m.start()
    if subj_chip is None and not any(c.end <= q.start and c is not rel and not is_object(text, sent, c)
                                     for c in s_chips):
        it = clause_it(doc, sent, q.start)
        if it is not None and doc.last_cmp is not None and doc.last_cmp[0] == si and rel is None:
            # "X is 2.5 times as fast as Y, though it draws twice the power": "it" is the
            # subject of the comparison just made in this sentence, against the same chip
            subj_chip, subj_start = doc.last_cmp[1], it
            rel = ChipMention(doc.last_cmp[2], vendor_of(doc.last_cmp[2]), q.start, q.start)
        elif it is not None:
            subj_chip, subj_start = resolve_anaphor(doc, si, "it"), it
    if subj_chip is None and is_bullet_sentence(doc, sent) and (rel is None or all(
            c is rel or is_object(text, sent, c) for c in s_chips)):
        subj_chip = inherited_subject(doc, si)  # a bullet under a part's heading
    if subj_chip is None and rel is not None and doc.last_cmp is not None and si - doc.last_cmp[0] == 1 \
            and doc.last_cmp[2] == rel.chip and re.search(r"[ぁ-んァ-ヶ一-龥]は", text[sent.start:rel.start]) \
            and not any(c.end <= q.start and c is not rel for c in s_chips):
        # 「910Cの性能はH20の約3倍。一方で消費電力はH20の2倍近く」: the pair just compared
        subj_chip = doc.last_cmp[1]
    if rel is None and subj_chip is not None and _EXPLICIT_CMP_RE.match(text, q.end):
        # "the H100 is roughly 6.7 times faster": measured against the part just discussed
        rel = context_chip(doc, si, subj_chip)
    tail_partner = False
    if rel is None and subj_chip is not None and q.unit == "%" and _TAIL_MORE_RE.match(text, q.end, sent.end):
        # "the H200 manages 989 teraflops, about a quarter more.": more than the last chip
        # given a figure in the same unit
        fig_units = [o.unit for o in s_qty if o.end <= q.start and o.unit]
        last_fig = next((p for p in reversed(doc.last_figure.get(fig_units[-1].split()[0], [])) if p[0] < si),
                        None) if fig_units else None
        if last_fig and si - last_fig[0] <= 2 and last_fig[1] != subj_chip:
            rel = ChipMention(last_fig[1], vendor_of(last_fig[1]), q.start, q.start)
            tail_partner = True
    if rel is None and subj_chip is not None and q.unit == "x" and q.value < 1 and re.match(
            r"\s+of\s+it\b", text[q.end:q.end + 10]):
        # "148 teraflops against 989 for the H100, or roughly one-seventh of it"
        rel = context_chip(doc, si, subj_chip)
    if rel is None and subj_chip is not None and q.unit == "x" and re.match(
            r"\s+(?:that|this)(?:\s+again)?\s*(?:[,;.)]|and\b|$)|\s+it\s+again\b", text[q.end:q.end + 20]):
        # "the B200 delivers 2.5 times the H200's throughput, and Rubin perhaps double that
        # again": "that" is the last figure, held by the chip that figure belongs to
        earlier = [o for o in s_qty if o.end <= q.start and o is not q and o.unit]
        if earlier:
            o = earlier[-1]
            o_rel = _rel_after(doc, sent, s_chips, o)
            owner = next((c for c in reversed(s_chips) if c.end <= o.start and c is not o_rel), None)
            if owner is not None and owner.chip != subj_chip:
                rel = owner
    if rel is None and subj_chip is not None and q.unit == "x" and _ITS_OBJECT_RE.match(text, q.end):
        # "the MI355X offers roughly eight times its throughput": "its" is the part just discussed
        rel = context_chip(doc, si, subj_chip)
    if rel is None and subj_chip is not None and _JA_THIS_RE.search(text, max(sent.start, q.start - 8), q.start):
        # 「H200はこの約1.5倍の帯域を持つ」: この/その is the chip just discussed
        rel = context_chip(doc, si, subj_chip)
    if rel is None and subj_chip is not None and _KIN_REL_RE.match(text, q.end, min(sent.end, q.end + 70)):
        # "1.5 times the compute of its predecessor", "faster than the older part": the
        # other chip the text just discussed
        rel = context_chip(doc, si, subj_chip)
    carried = tail_partner
    if rel is None and subj_chip is not None and doc.last_cmp is not None and si - doc.last_cmp[0] <= 2 \
            and doc.last_cmp[1] == subj_chip and _CARRIED_REL_RE.match(text, q.end, min(sent.end, q.end + 60)):
        # "3.6 times that of its foreign counterpart", "2.1 times as much": the pair just compared
        rel = ChipMention(doc.last_cmp[2], vendor_of(doc.last_cmp[2]), q.start, q.start)
        carried = True
    if rel is None and subj_chip is not None and doc.last_cmp is not None and doc.last_cmp[0] == si \
            and doc.last_cmp[1] == subj_chip and _SAME_PAIR_MEASURE_RE.match(text, q.end, sent.end):
        # "2.5 times as fast as the H100, though it draws twice the power": another measure
        # of the pair this sentence just compared
        rel = ChipMention(doc.last_cmp[2], vendor_of(doc.last_cmp[2]), q.start, q.start)
        carried = True
    if subj_chip is None and rel is not None and rel.start >= q.end and \
            all(c is rel or c.chip == rel.chip for c in s_chips):
        # "..., the chip promises twice the performance of the H20": the salient chip, and
        # with no chip in reach the unnamed side is null (CONVENTIONS 3, 9)
        m = ANAPHOR_RE.match(text, sent.start, q.start)
        for m2 in MID_REFERENCE_RE.finditer(text, sent.start, q.start):
            m = m2 if not OBJECT_MARKER_RE.search(text, max(sent.start, m2.start() - 60), m2.start()) else m
        if m and describe(m.group("np")).kind != "any":
            chip = resolve_anaphor(doc, si, m.group("np"))
            subj_chip, subj_start = (chip if chip and chip != rel.chip else ""), m.start("np")
    if rel is None or subj_chip is None or subj_chip == rel.chip:
        return None
    # value and direction
    fraction = q.unit == "%" and bool(PCT_FRACTION_RE.match(text, q.end) or JA_FRACTION_RE.match(text, q.end))
    if q.unit == "%" and (_MONEY_WORDS_RE.search(text, q.end, min(sent.end, rel.end + 25)) or (
            _PRICE_WORDS_RE.search(text, q.end, min(sent.end, rel.end + 25))
            and _MONEY_WORDS_RE.search(text, sent.start, sent.end))):
        return None  # "15% of H20 revenue" is a revenue share, not a comparison
    if fraction:
        f = lambda v: v / 100 if v else None  # noqa: E731
    elif q.unit == "%":
        if negative:
            if q.value >= 100:
                return None
            f = lambda v: 1 / (1 - v / 100) if v is not None and v < 100 else None  # noqa: E731
        else:
            f = lambda v: 1 + v / 100 if v is not None else None  # noqa: E731
    else:
        f = lambda v: v  # noqa: E731
    value = f(q.value)
    low, high = f(q.low), f(q.high)
    if value is None or value <= 0:
        return None
    stronger, weaker = subj_chip, rel.chip
    if negative:
        stronger, weaker = weaker, stronger
    if value < 1:
        value, stronger, weaker = 1 / value, weaker, stronger
        low, high = (1 / high if high else None), (1 / low if low else None)
    # quote: subject .. number .. relative chip, cut at a neighbouring number
    others = [o for o in s_qty if o is not q and o.unit in ("x", "%")]
    start = q.start
    if subj_start is not None and subj_start < q.start and not any(
            subj_start < o.start < q.start for o in others):
        start = subj_start
    elif subj_start is not None and subj_start < q.start:
        start = q.start
    end = max(q.end, rel.end) if rel.start > q.start else q.end
    if rel.start < q.start:
        if rel.start >= sent.start:  # a chip from an earlier sentence stays out of the quote
            start = min(start, rel.start)
        end = max(end, phrase_end(text, sent, q))
    nxt = [o for o in others if q.end <= o.start < end]
    if nxt:
        cut = _JOIN_BEFORE_NEXT_RE.search(text, q.end, nxt[0].start)
        end = cut.start() if cut else nxt[0].start
        end = max(end, q.end)
    if (rel.start > q.start or carried) and end == q.end:
        end = phrase_end(text, sent, q)
    doc.last_cmp = (si, subj_chip, rel.chip)
    facts = [make_fact("chip_comparison", doc, start, end, chip=stronger or None, metric=metric,
                   value=rounded(value), unit=unit, relative_to=weaker or None, approx=q.approx,
                   low=rounded(low), high=rounded(high),
                   extra={"as_written": q.text} if q.unit == "%" or negative else {})
             for metric, unit in _comparison_metric(doc, sent, s_qty, q)]
    return [f for f in facts if f is not None]


_MAKE_IT_RE = re.compile(
    r"\b(?:make|makes|making|made)\s+it\s+(?:(?:about|around|roughly|nearly|almost|some|more\s+than|over"
    r"|at\s+least)\s+)?$", re.I)


_THAT_IS_RE = re.compile(
    r"\s*(?:That|This)\s+(?:is|was|would\s+be|means|puts\s+it\s+at)\s+(?:(?:about|around|roughly|nearly"
    r"|almost|only|just|barely|some|more\s+than|less\s+than)\s+)?")


_CARRIED_REL_RE = re.compile(
    r"\s*(?:(?:that|those)\s+of\s+(?:its|their)\s+(?:[\w-]+\s+)?(?:counterpart|rival|competitor|equivalent)s?\b"
    r"|as\s+much\s*(?:[,;.)]|$))", re.I)


# "56.8 times as many accelerators": what a system is made of, not sales ("as many units")
_AS_MANY_PARTS_RE = re.compile(
    r"\s*as\s+many\s+(?:[\w-]+\s+)?(?:accelerators|processors|NPUs|GPUs|AI\s+chips)\b", re.I)


_AS_MUCH_AS_CHIP_RE = re.compile(
    r"\s*as\s+much\s+(?:(?:power|energy|electricity|memory|bandwidth|compute|computing\s+power)\s+)?as\s+"
    r"(?:the\s+|an?\s+)?(?:(?:Nvidia|NVIDIA|Huawei|AMD)(?:['’]s)?\s+)?(?:[a-z]+-[a-z]+\s+)?[A-Z0-9]")


_SAME_PAIR_MEASURE_RE = re.compile(
    r"\s+the\s+(?:[\w-]+\s+)?(?:power|energy|electricity|memory|bandwidth|compute|performance"
    r"|throughput|floor\s+space|space|accelerators)\b(?!\s+(?:of|on|in|for)\b)", re.I)
_EXPLICIT_CMP_RE = re.compile(
    r"\s*(?:(?:more|less)\s+(?:powerful|capable|efficient)|faster|slower|quicker|stronger|weaker"
    r"|(?:more|higher|greater|larger|lower|less)\s+(?:memory|bandwidth|compute|performance|throughput"
    r"|computing|processing)"
    # "1.7 times as powerful" with no "as" after: against the chip just discussed
    r"|as\s+(?:powerful|capable|fast|quick|strong)\b(?!\s+as\b))"
    r"\b(?!\s+(?:than\s+)?(?:expected|forecast|anticipated|analysts|last|a\s+year|before)\b)", re.I)


# a comma ends the measure's words, unless it joins a list of measures ("the compute,
# memory capacity and interconnect bandwidth of the 950")
_METRIC_STOP_RE = re.compile(r"[;.!?。、]|,(?![^,;.]{0,60}?\band\s[^,;.]{0,40}?\bof\b)|\s(?:while|but|whereas)\s")


def _comparison_metric(doc: Doc, sent: Span, s_qty: list[Quantity], q: Quantity) -> list[tuple[str, str]]:
    """What a ratio measures: the words right after it ("76% more memory"), else the words
    just before it ("TPP ... is seven times"), else the units of the figures it relates
    ("141GB against 128GB, roughly 10% more")."""
    text = doc.text
    stop = _METRIC_STOP_RE.search(text, q.end, min(sent.end, q.end + 60))
    after = text[q.end:stop.start() if stop else min(sent.end, q.end + 60)]
    found: list[tuple[int, int, tuple[str, str]]] = []
    for rx, name, _ in CMP_METRIC_WORDS:
        m = rx.search(after)
        if m:
            found.append((m.start(), m.end(), name))
    if found:
        found.sort(key=lambda f: (f[0], -f[1]))  # "memory bandwidth" before its "memory"
        names = [found[0][2]]
        # "half the B300's compute and memory": one ratio, two measures
        for (_s0, e0, _n0), (s1, _e1, n1) in zip(found, found[1:]):
            if re.fullmatch(r"\s*(?:,\s*and|and|&|as\s+well\s+as|,)\s*", after[e0:s1]) and n1 not in names:
                names.append(n1)
            else:
                break
        return names
    seg_start, _ = segment_bounds(doc, sent, q.start)
    before = text[max(seg_start, q.start - 100):q.start]
    last: tuple[int, tuple[str, str]] | None = None
    for rx, name, before_too in CMP_METRIC_WORDS:
        if not before_too:
            continue
        for m in rx.finditer(before):
            if last is None or m.end() > last[0]:
                last = (m.end(), name)
    if last:
        return [last[1]]
    if last is None:
        cs, ce = segment_bounds(doc, sent, q.start)
        # the nearest figure's unit: "288GB, half as much again as the B200's 192GB, and 8TB/s"
        near = sorted((o for o in s_qty if o is not q and cs <= o.start < ce and unit_metric(o.unit) is not None),
                      key=lambda o: min(abs(o.start - q.end), abs(q.start - o.end)))
        if near:
            return [(unit_metric(near[0].unit) or "performance_ratio", "x")]
    return [("performance_ratio", "x")]


def ratio_facts(doc: Doc, si: int, sent: Span, s_chips: list[ChipMention],
                s_qty: list[Quantity], q: Quantity) -> list[Fact] | None:
    """Facts of `q` read as a ratio between chips; None when it is not a ratio (a plain
    percentage is a fee, a share or a figure of something else, left to other rules)."""
    text = doc.text
    if q.unit in ("%", "x") and q.value < 100 and TIME_FRACTION_RE.match(text, q.end, sent.end):
        return time_fraction(doc, sent, s_chips, q)
    if q.unit == "x" or (q.unit == "%" and (POS_CMP_RE.match(text, q.end)
                                              or JA_POS_RE.match(text, q.end)
                                              or JA_NEG_RE.match(text, q.end)
                                              or JA_FRACTION_RE.match(text, q.end)
                                              or NEG_CMP_RE.match(text, q.end)
                                              or PCT_FRACTION_RE.match(text, q.end)
                                              or by_margin(text, sent, q))):
        return comparison_facts(doc, si, sent, s_chips, s_qty, q) or []
    return None
