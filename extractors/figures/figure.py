"""A chip's own figures: the metric a number carries (TPP, bandwidth, capacity, FLOPS,
price, counts, dies), what is not a chip figure (thresholds, stacks, servers), and the quote.
"""

from __future__ import annotations

import re

from chipwatch.extractors.chips import ChipMention
from chipwatch.extractors.facts import Fact
from chipwatch.extractors.figures.doc import (
    Doc,
    chips_in,
    clause_around,
    is_bullet_sentence,
    make_fact,
    rounded,
    segment_bounds,
)
from chipwatch.extractors.figures.japanese import JA_COMBINED_RE, JA_LINKED_RE
from chipwatch.extractors.figures.measures import (
    INTERCONNECT_RE,
    MEMORY_RE,
    PRECISION_RE,
    box_size,
    topic_precision,
    with_range,
)
from chipwatch.extractors.figures.mentions import (
    ARCHITECTURES,
    COORD_GAP_RE,
    SYSTEMS,
    coordinated_chips,
)
from chipwatch.extractors.figures.owner import figure_owner
from chipwatch.extractors.figures.partners import with_partner_unit, with_range_start
from chipwatch.extractors.figures.reference import (
    counted_owner,
    inherited_subject,
    resolve_anaphor,
    vendor_consistent,
)
from chipwatch.extractors.figures.salience import salient_group
from chipwatch.extractors.figures.subjects import MODIFIER_AFTER_RE, is_object
from chipwatch.extractors.language.numbers import Quantity
from chipwatch.extractors.language.sentences import Span

_TPP_BEFORE_RE = re.compile(
    r"(?:(?<![A-Za-z])TPP(?![A-Za-z])|total\s+processing\s+performance|TPP\s*スコア|TPP値)"
    r"(?:\s*\(TPP\))?\s*:?(?:U\.S\.|[^.;:\n]){0,60}$"
    # "its performance score under US export rules is 15,840": the rules' score named without "TPP"
    r"|\bscore\s+(?:under|in)\s+(?:the\s+)?(?:US\s+|U\.S\.\s+)?export\s+(?:rules|controls)\s+(?:is|was|of)\s+"
    r"(?:about|roughly|around|some|nearly|almost)?\s*$", re.I
)


# "has a rating of about 12,032" / "put its score at roughly 12,000" just after a TPP figure
_SCORE_CUE_RE = re.compile(
    r"\b(?:score|rating)\s+(?:is|of|at|was)\s+(?:(?:about|roughly|around|some|nearly|almost|close\s+to"
    r"|under|over|below|above)\s+)?$", re.I)


_TPP_AFTER_RE = re.compile(
    r"\s*(?:points?\s+)?(?:(?:on|in|under|by|for)\s+(?:the\s+|its\s+)?(?:[\w-]+\s+){0,2}?)?"
    r"(?:TPP\b|total\s+processing\s+performance)", re.I,
)


_THRESHOLD_BEFORE_RE = re.compile(
    r"(?:threshold|limit|cap|above|below|exceed\w*|at\s+least|beyond"
    r"|more\s+than|less\s+than|up\s+to|ceiling|maximum|max|上限|以上|基準)\W*(?:\w+\W+){0,3}$"
    # "rules that cap exports at a TPP of 4,800"
    r"|\b(?:cap|limit|restrict)\w*\s+(?:\w+\s+){0,2}at\s+(?:an?\s+)?(?:TPP|total\s+processing\s+performance)"
    r"(?:\s+score)?\s+of\s+$"
    r"|(?:上限|基準|規制値|しきい値|閾値)(?:の|は|が|で|を)?\s*(?:約)?$",
    re.I,
)


# "rules that capped a chip's total processing performance at 4,800"
_CAP_AT_RE = re.compile(r"\b(?:cap|capped|capping|caps|limit\w*|restrict\w*)\s+[^.;:\d]{0,60}?\bat\s+$", re.I)


_OR_BEYOND_RE = re.compile(
    r"\s*(?:or|and)\s+(?:below|above|more|less|smaller|fewer|higher|greater|lower|beyond|under|over)\b"
    r"|\s(?:or|and)\s+(?:below|above|more|less|smaller|fewer|higher|greater|lower|beyond|under|over)$", re.I)


_THRESHOLD_AFTER_RE = re.compile(
    r"\s*(?:or\s+(?:above|more|higher|greater|less|below)|threshold|limit|cap|and\s+above"
    r"|以上|以下|未満|超|で線引き|を上限|が上限|を基準)", re.I,
)


_SAME_MEASURE_RE = re.compile(
    r"\s*(?:points?\s+)?(?:by|on|under|in)\s+(?:the\s+)?same\s+(?:measure|metric|yardstick|scale"
    r"|standard|score|benchmark)", re.I,
)



_THRESHOLD_TAIL_RE = re.compile(r"(?:or\s+(?:more|above|higher|greater)|以上|超)$")


_PERF_DENSITY_RE = re.compile(r"performance\s+density\b(?:\([^)]{0,30}\)|[^.;\n\d()]){0,45}$", re.I)


_WAY_AFTER_RE = re.compile(r"-way\b")


_COUNT_NOUN_RE = re.compile(
    r"\s*(?:of\s+(?:(?:the|its|these|those|their)\s+)?)?(?:(?:AI|advanced|data[- ]cent(?:er|re)|more|additional|new"
    r"|Ascend|Nvidia|Huawei|AMD|Hopper|Blackwell)\s+|[a-z]+-[a-z-]+\s+){0,2}(?:chips|chipsets|GPUs|units"
    r"|accelerators|processors|cards|dies|GPU\s+dies|pieces)\b"
)


_COUNT_PREFIX_RE = re.compile(
    r"^\s+(?:of\s+)?(?:(?:the|its|Nvidia|NVIDIA|Huawei|AMD)(?:['’]s)?\s+)?$"
)


# "about 600,000 of the 910C": a count of the chip named right after, without a noun
_OF_THE_CHIP_RE = re.compile(r"^\s+of\s+the\s+$")


_PRICE_CUE_RE = re.compile(
    # "dealers sell the H20 for $14,000"
    r"\b(?:sell(?:s|ing)?|sold|offer(?:s|ing|ed)?)\s+(?:the\s+|an?\s+|its\s+|their\s+)?(?:[\w-]+\s+){1,3}?for\b"
    r"|\b(?:each|apiece|a\s+piece|per\s+(?:chip|unit|card|GPU|piece|accelerator|server|rack"
    r"|module|board)|price[sd]?|pricing|cost(?:s|ing)?|sells?\s+for|selling\s+for|sold\s+for"
    r"|goes\s+for|went\s+for|fetch(?:es|ed|ing)?|command(?:s|ed)|retail|chang(?:es?|ed|ing)\s+hands"
    r"|trad(?:es?|ed|ing)\s+(?:at|for|near|around)|quot(?:es?|ed|ing)"
    r"|list\s+price|ASP|priced)\b|価格|値段|単価|あたり|1個|一個|1枚", re.I,
)


_NOT_PRICE_RE = re.compile(
    r"\b(?:revenue|sales|orders?|worth\s+of|(?<!grey[- ])(?<!gray[- ])(?<!black[- ])market|fee|tax|levy|invest\w*|deal|valuation"
    r"|shares?|profit|income|loss|write-?down|charge|rent\w*|leas\w*|per\s+(?:GPU-?)?hour|target"
    r"|net\s+take|takes?\s+home)\b", re.I,
)


_SCORE_OF_RE = re.compile(r"['’]s\s+(?:own\s+|TPP\s+)?(?:score|rating|reading)\s+(?:of|at|is|was|stands\s+at)\s+")


_TPP_TERM_RE = re.compile(r"(?<![A-Za-z])TPP(?![A-Za-z])|total\s+processing\s+performance", re.I)


_SCORES_BEFORE_RE = re.compile(
    r"\bscor(?:es?|ed|ing)\s+(?:(?:about|roughly|around|some|nearly|almost|close\s+to)\s+)?$", re.I)


_FOR_CHIP_AFTER_RE = re.compile(r"\s+for\s+(?:the\s+|its\s+)?$")


def _tpp_score_in_list(doc: Doc, sent: Span, s_chips: list[ChipMention], q: Quantity,
                       before: str, after: str) -> bool:
    """A bare score in a sentence that names TPP once: "scores about 12,000, compared with 15,832 for the H200"."""
    if q.low is not None or q.value < 100 or re.fullmatch(r"(?:19|20)\d\d", q.text):
        return False
    if not _TPP_TERM_RE.search(doc.text, sent.start, q.start) or _THRESHOLD_BEFORE_RE.search(before[-40:]):
        return False
    if _SCORES_BEFORE_RE.search(before) and any(c.end <= q.start for c in s_chips):
        return True
    return any(q.end < c.start <= q.end + 20 and _FOR_CHIP_AFTER_RE.fullmatch(doc.text, q.end, c.start)
               for c in s_chips)


# A bandwidth restated per direction right after the total (CONVENTIONS section 2: one fact,
# the aggregate of both directions).
_ONE_WAY_BEFORE_RE = re.compile(r"(?:,\s*|\s)(?:or|i\.e\.,?|that\s+is,?|meaning)\s+(?:about\s+|roughly\s+)?$", re.I)
_ONE_WAY_AFTER_RE = re.compile(
    r"\s*(?:in\s+)?(?:each|either|one|per)\s+(?:direction|way)\b|\s*(?:bi-?directional|unidirectional)", re.I)


def figure_facts(doc: Doc, si: int, sent: Span, s_chips: list[ChipMention],
            s_qty: list[Quantity], q: Quantity) -> list[Fact] | None:
    text = doc.text
    unit = q.unit
    before = text[max(sent.start, q.start - 80):q.start]
    after = text[q.end:min(sent.end, q.end + 80)]
    q = with_range_start(text, s_qty, q)  # 「1万～1万2000ドル」
    if unit is None:
        # "800 TFLOPS versus 989 for the H100", "the A100's 312", "and the 950PR 1,000"
        q = with_partner_unit(doc, si, sent, s_chips, s_qty, q, before, after)
        unit = q.unit
    if _VAGUE_RE.match(q.text) or before.endswith("数"):
        return None  # "tens of thousands", "several hundred thousand", 数十万: no value (CONVENTIONS 5.6)
    if unit is not None and (_OR_BEYOND_RE.match(after) or _OR_BEYOND_RE.search(q.text)):
        return None  # "chips made at 7 nanometres or below": a rule's line, not a chip's spec
    if unit in ("GB/s", "TB/s") and _ONE_WAY_BEFORE_RE.search(before) and _ONE_WAY_AFTER_RE.match(after):
        return None  # "540GB/s or 270GB/s in each direction": the same link counted one way
    metric: str | None = None
    out_unit = unit
    extra: dict = {}
    value = q.value
    chip_override: str | None = None
    override_start: int | None = None
    if unit is not None and unit.startswith("TFLOPS") or unit == "TOPS":
        metric = "compute_flops"
        if unit in ("TFLOPS", "TOPS"):
            cs, ce = clause_around(doc, sent, q.start, q.end)
            p = PRECISION_RE.search(text, cs, ce) or topic_precision(doc, sent, cs)
            if p:
                out_unit = f"{unit} {p.group()}"
    elif unit == "TB/s":
        cs, ce = clause_around(doc, sent, q.start, q.end)
        metric = "other" if INTERCONNECT_RE.search(text, cs, ce) else "memory_bandwidth"
    elif unit == "GB/s":
        cs, ce = clause_around(doc, sent, q.start, q.end)
        clause = text[cs:ce]
        metric = "memory_bandwidth" if MEMORY_RE.search(clause) and not \
            INTERCONNECT_RE.search(clause) else "other"
    elif unit == "GB":
        cs, _ = clause_around(doc, sent, q.start, q.end)
        if _PER_COMPONENT_RE.match(text, q.end, min(sent.end, q.end + 40)) or (
                _STACK_RE.search(text, cs, q.start) and not chips_in(doc, cs, q.start)):
            return None  # "24GB per stack", "12-high stacks hold 36GB each": a memory stack's size
        metric = "memory_capacity"
    elif unit in ("W", "nm", "mm2", "GHz", "cabinets", "m2"):
        metric = "other"
    elif unit == "count":
        if q.value <= 1 or re.match(r"\s*(?:あたり|当たり|につき)", after):
            return None  # "1個あたり" is a per-unit price basis, not a count
        if q.value < 100 and _JA_BOX_RE.match(after):
            return None  # 「H200を8基搭載したサーバー」: how a box is built, not a volume
        metric, out_unit = "units", "chips"
    elif unit in ("USD", "CNY"):
        if not (q.value and q.value < (5e6 if unit == "USD" else 4e7)):
            return None
        cs, ce = clause_around(doc, sent, q.start, q.end)
        window = text[max(sent.start, q.start - 60):min(sent.end, q.end + 40)]
        # "a server built around eight of the chips costs $200,000": the box's price
        box = None if _PER_CHIP_RE.search(window) else box_size(text, max(sent.start, q.start - 80), q.start)
        if not (_PRICE_CUE_RE.search(window) or box) or _NOT_PRICE_RE.search(
                text, max(cs, q.start - 60), min(ce, q.end + 15)):
            return None
        metric = "price"
        if box is not None:
            out_unit = f"{unit} ({box})"
        elif _SERVER_RE.search(text, max(sent.start, q.start - 80), q.start) and not _PER_CHIP_RE.search(window):
            return None  # a box of unknown size
    elif unit is None:
        if _WAY_AFTER_RE.match(after) and q.low is None:
            metric, out_unit = "other", "way"
        elif _PERF_DENSITY_RE.search(before):
            # whatever the writer's definition, a density is the rules' metric (CONVENTIONS 4:
            # go by the number, not the outlet's label)
            metric, out_unit = "performance_density", None
        elif (poss_tpp := (doc.last_tpp_sentence == si and any(
                c.end < q.start and re.fullmatch(r"['’]s\s+", text[c.end:q.start]) for c in s_chips)) or (
                doc.last_tpp_sentence is not None and 0 <= si - doc.last_tpp_sentence <= 2 and any(
                    c.end < q.start and _SCORE_OF_RE.fullmatch(text, c.end, q.start) for c in s_chips))) \
                or _TPP_BEFORE_RE.search(before) or _TPP_AFTER_RE.match(after) or _tpp_score_in_list(
                    doc, sent, s_chips, q, before, after) or (
                doc.last_tpp_sentence is not None and si - doc.last_tpp_sentence <= 2
                and (_SAME_MEASURE_RE.match(after) or _SCORE_CUE_RE.search(before))):
            owned = poss_tpp or (_POSSESSIVE_TPP_RE.search(before) and not _POLICY_WORDS_RE.search(sent.text))
            if not owned and (_THRESHOLD_BEFORE_RE.search(before[-40:]) or _CAP_AT_RE.search(before)
                              or _THRESHOLD_AFTER_RE.match(after)
                              or _THRESHOLD_TAIL_RE.search(q.text)):
                return None  # a rule's threshold: the policy extractor's business
            tpp_word = _TPP_BEFORE_RE.search(before)
            if not owned and tpp_word and _THRESHOLD_BEFORE_RE.search(tpp_word.group()):
                return None
            if q.qualifier and q.qualifier.lower() in _BOUND_WORDS and _POLICY_WORDS_RE.search(sent.text):
                return None  # "chips with a TPP above 1,600" in a rule
            if re.fullmatch(r"(?:199\d|20[0-3]\d)", q.text) and re.search(
                    r"\b(?:in|since|by|from|until|before|after|through)\s+(?:(?:early|late|mid-?)\s*)?"
                    r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+)?$", before):
                return None  # "the TPP in 2017" (a trade pact, a year)
            metric, out_unit = "tpp", None
            doc.last_tpp_sentence = si
        else:
            # unit counts: "82,000 H200 chips", "1 million chips"
            nxt = [c for c in s_chips if c.start >= q.end]
            noun_at = nxt[0].end if nxt else 0
            k = 0
            while nxt and k + 1 < len(nxt) and COORD_GAP_RE.fullmatch(text, nxt[k].end, nxt[k + 1].start):
                k += 1
                noun_at = nxt[k].end  # "3 million H100 and H200 processors"
            if nxt and (mod := MODIFIER_AFTER_RE.match(text, noun_at)):
                noun_at = mod.end()  # "two 910B-class dies"
            if nxt and _COUNT_PREFIX_RE.match(text[q.end:nxt[0].start]) and (
                    _COUNT_NOUN_RE.match(text, noun_at)
                    or re.match(r"s\b", text[nxt[0].end:nxt[0].end + 2])
                    or (q.value >= 1000 and _OF_THE_CHIP_RE.match(text[q.end:nxt[0].start]))):
                if re.fullmatch(r"(?:19|20)\d\d", q.text) or _THRESHOLD_BEFORE_RE.search(before[-30:]):
                    return None
                chip_override = nxt[0].chip
                override_start = nxt[0].start
                metric, out_unit = "units", "chips"
            elif _COUNT_NOUN_RE.match(after) and not re.fullmatch(r"(?:19|20)\d\d", q.text):
                metric, out_unit = "units", "chips"
            elif q.value <= 8 and q.value == int(q.value) and (
                    _ONE_DIE_AFTER_RE.match(after) or (re.match(r"\s*(?:[,.;]|$)", after)
                                                       and _DIE_ELLIPSIS_RE.search(before))):
                metric, out_unit = "other", "dies"  # "uses a single die", "the B300 uses two"
            elif 2 <= q.value <= 8 and q.value == int(q.value) and (m := JA_COMBINED_RE.match(after)) \
                    and re.search(r"(?:チップ|ダイ|GPU)を?\s*$", before) and (nxt_c := next(
                        (c for c in s_chips if q.end + m.end() <= c.start <= q.end + m.end() + 3), None)):
                # 「910Bのチップを2つ組み合わせた910C」: how the chip named next is built
                metric, out_unit = "other", "dies"
                chip_override, override_start = nxt_c.chip, nxt_c.start
            elif 2 <= q.value <= 16 and q.value == int(q.value) and _STACK_COUNT_RE.match(after):
                metric, out_unit = "other", "stacks"  # "eight stacks of HBM": how the part is built
            elif (ctx := _metric_context(doc, si, sent, q, before)) is not None:
                metric, out_unit = ctx
            else:
                return None
            if metric == "units" and q.value < 10 and any(
                    c.end <= q.start and re.fullmatch(r"\s*,\s*", text[c.end:q.start]) for c in s_chips):
                return None  # "the H20 and MI308, two accelerators that ...": the chips restated
            if metric == "units" and q.value < 100 and _SERVER_RE.search(sent.text) and not any(
                    c.chip in SYSTEMS and c.end <= q.start for c in s_chips):
                return None  # "a server built around eight of the chips": how a box is built
            dies = _DIES_RE.match(text, q.end, min(sent.end, q.end + 40)) if metric == "units" else None
            if dies and q.value <= 16 and (dies.group("noun") == "dies" or chip_override in ARCHITECTURES):
                # "packages two 910B dies", "pairs two Blackwell GPUs": how the part is built
                metric, out_unit, chip_override = "other", dies.group("noun"), None
    else:
        return None
    chip: str | None
    chip_start: int | None = None
    if chip_override:
        chip, chip_start = chip_override, override_start
        if metric == "units":
            # "384 Ascend 910C chips" on a CloudMatrix fact sheet: the system's make-up
            system, system_start = figure_owner(doc, si, sent, [c for c in s_chips if c.chip in SYSTEMS], q)
            if system is None and is_bullet_sentence(doc, sent):
                system = inherited_subject(doc, si)
            if system in SYSTEMS and system != chip:
                chip, chip_start, chip_override = system, system_start, None
                metric, out_unit = "other", "accelerators"
    else:
        chip, chip_start = figure_owner(doc, si, sent, s_chips, q)
        if metric == "units" and not s_chips and _POD_SUBJECT_RE.match(text, sent.start, q.start):
            # "Pods scale to 9,216 chips" after the TPU v7 was named: how many of the chip
            # the article is about make up its system (CONVENTIONS 4: accelerators)
            chip, chip_start = resolve_anaphor(doc, si, "the chip"), None
            metric, out_unit = "other", "accelerators"
        elif metric == "units" and chip_start is None and not re.match(
                r"\s+(?:of\s+(?:the|these|those)\s|units\b)", after):
            chip = None  # "It expects to ship 1 million chips": "It" is usually the company
        if metric == "units" and chip not in SYSTEMS and _IN_SYSTEM_RE.match(text, q.end, min(sent.end, q.end + 60)):
            systems = [c for c in s_chips if c.chip in SYSTEMS]
            if systems:
                chip, chip_start = systems[0].chip, systems[0].start
        if metric == "units" and chip not in SYSTEMS:
            # 「910Cを384個つないだサーバー「CloudMatrix 384」」: the system the chips make up
            linked = next((c for c in s_chips if c.chip in SYSTEMS and q.end < c.start <= q.end + 30
                           and JA_LINKED_RE.match(text[q.end:c.start])), None)
            if linked is not None:
                chip, chip_start = linked.chip, linked.start
        if metric == "units" and chip in SYSTEMS:
            metric, out_unit = "other", "accelerators"  # chips in a system: what it is made of
        if chip is None and metric in ("units", "price"):
            counted = counted_owner(doc, sent, s_chips, q)
            if counted is not None:
                chip, chip_start = counted.chip, counted.start
        bullet = is_bullet_sentence(doc, sent)
        policy_span = text[slice(*clause_around(doc, sent, q.start, q.end))] if bullet else sent.text
        if chip is None and metric != "units" and not _POLICY_WORDS_RE.search(policy_span) \
                and not _THRESHOLD_AFTER_RE.match(after) and (
                    not s_chips or all(is_object(text, sent, c) for c in s_chips)):
            # a spec line that continues the previous sentence or a fact-sheet heading
            chip = inherited_subject(doc, si)
        if chip is None and metric in ("price", "units") and not chips_in(
                doc, *clause_around(doc, sent, q.start, q.end)) and not any(
                c.end <= q.start for c in s_chips) and (metric == "price" or _UNITS_WORD_RE.match(after)):
            chip = vendor_consistent(doc, si, doc.topic)  # "Prices have held at $10,000 each"
        if chip is None and metric == "units" and q.value >= 1000 and _SUPPLY_VERB_RE.search(sent.text) and (
                _CHIP_NOUN_RE.match(after) or (
                unit == "count" and re.search(r"(?:半導体|チップ|GPU)(?:を|が|は)?\s*$", before))):
            chip = ""  # "Huawei will make about 200,000 AI chips": a count of no named chip
    if chip is None:
        return None
    group = coordinated_chips(doc, s_chips, chip_start) if chip_start is not None else []
    if len(group) > 1:
        chip_start = group[0].start
    cs, ce = _figure_quote(doc, sent, s_qty, q, chip_start)
    if chip_override:
        ce = max(ce, [c for c in s_chips if c.start >= q.end][0].end)
    chips = [c.chip for c in group] if len(group) > 1 else [chip or None]
    if chip and chip_start is None and len(group) <= 1:
        # "Each of these carries 80GB" after "The H100 and H800 ...": every chip referred to
        chips = salient_group(doc, si, chip) or chips
    if len(group) > 1 and ("respectively" in sent.text or "それぞれ" in sent.text):
        same = [o for o in s_qty if o.unit == q.unit and o.start > group[-1].end]
        if len(same) == len(group) and q in same:
            chips = [group[same.index(q)].chip]
        elif "respectively" in sent.text or len(same) > 1:
            return None  # cannot pair numbers with chips
        # else 「H100とH800はそれぞれ80GB」: one figure, each of the chips
    if chip and unit and len(chips) == 1:
        doc.last_figure.setdefault(unit.split()[0], []).append((si, chip))
    if q.low is not None and q.high is not None and q.value and q.low < q.value < q.high:
        # "$12,000 to $15,000": the lower end, the range in the unit (CONVENTIONS 5.3)
        scale = value / q.value
        value, out_unit = q.low * scale, with_range(out_unit, q.low * scale, q.high * scale)
    facts = [make_fact("chip_figure", doc, cs, ce, chip=c, metric=metric, value=rounded(value),
                   unit=out_unit, approx=q.approx, low=rounded(q.low), high=rounded(q.high),
                   extra=dict(extra)) for c in dict.fromkeys(chips)]
    return [f for f in facts if f is not None]


_JA_BOX_RE = re.compile(r"\s*(?:を)?\s*(?:搭載|内蔵|積ん|載せ)[^。、\n]{0,16}?(?:サーバー|基板|ボード|ノード|筐体|マシン)")


_VAGUE_RE = re.compile(r"(?:several|a\s+few|tens|hundreds|dozens|thousands|millions|billions)\b", re.I)


_PER_COMPONENT_RE = re.compile(
    r"\s*(?:of\s+[\w-]+\s+)?(?:per|a|each|in\s+each|for\s+each)\s+(?:stack|die|layer)\b", re.I)


_STACK_RE = re.compile(r"\bstacks?\s+(?:each\s+)?(?:hold|carr|contain|stor|ha[sv]|offer|provid|pack)\w*\b(?!\s+been)", re.I)


_IN_SYSTEM_RE = re.compile(
    r"\s*(?:[\w-]+\s+){0,2}?(?:chips|GPUs|accelerators|processors)\s+(?:in|into|per|within)\s+"
    r"(?:a\s+|one\s+|each\s+|the\s+)?(?:single\s+)?(?:system|rack|pod|cluster|supernode|server)\b", re.I)


_POD_SUBJECT_RE = re.compile(
    r"\W*(?:(?:Each|A|One|The|Its|Their|Full|Larger|Complete)\s+)?(?:(?:full|single|complete|largest|biggest)\s+)?"
    r"(?:pods?|superpods?|super\s?nodes?|clusters?)\s+(?:can\s+|will\s+|would\s+)?"
    r"(?:scale[sd]?\s+(?:up\s+)?to|hold|holds|link|links|contain|contains|combine|combines|connect|connects"
    r"|pack|packs|reach|reaches)\s+(?:up\s+to\s+)?$", re.I)


_SERVER_RE = re.compile(r"\b(?:servers?|racks?|clusters?|nodes?|machines?|boxes|box|boards?)\b", re.I)


_PER_CHIP_RE = re.compile(r"\b(?:per|each|a)\s+(?:chip|GPU|card|unit|accelerator|processor)\b|apiece", re.I)


_ONE_DIE_AFTER_RE = re.compile(r"[- ]die\b")


_DIE_ELLIPSIS_RE = re.compile(r"\bdies?\b[^.;]{0,60}\b(?:uses|has|packs|pairs|needs|carries)\s+$")


_STACK_COUNT_RE = re.compile(
    r"\s+(?:(?:HBM\w*|memory|high-bandwidth\s+memory)\s+)?stacks\b(?!\s+(?:each\s+)?(?:hold|carr|contain|stor))", re.I)


_DIES_RE = re.compile(r"[^.;,]{0,25}?\b(?P<noun>dies|GPUs|chiplets)\b")


_BOUND_WORDS = {"above", "below", "over", "under", "more than", "less than", "at least", "at most",
                "greater than", "in excess of", "no more than"}


_POSSESSIVE_TPP_RE = re.compile(
    r"[A-Za-z0-9]['’]s\s+(?:TPP|total\s+processing\s+performance)\b[^.;:\n]{0,40}$"
    # 「B200」はTPP値が / H20のTPPスコアは: the chip's own score
    r"|[A-Za-z0-9][」』]?(?:は|の)\s*(?:TPP(?:値|スコア)?|総合処理性能)(?:は|が)\s*(?:約|およそ)?$", re.I)


# Counts of unnamed chips are figures when they are made, sold, ordered or held, not when
# they are merely used ("a training run uses tens of thousands of accelerators").
_SUPPLY_VERB_RE = re.compile(
    r"\b(?:mak\w*|made|produc\w*|manufactur\w*|build\w*|built|ship\w*|sell\w*|sold|order\w*|buy\w*"
    r"|bought|purchas\w*|receiv\w*|acquir\w*|procur\w*|deliver\w*|import\w*|export\w*|stockpil\w*|inventory|stock|output|suppl\w*"
    r"|fabricat\w*|approv\w*|licen[cs]\w*|authori[sz]\w*)\b|生産|出荷|販売|受注|注文|輸入|輸出|調達|在庫", re.I)


_UNITS_WORD_RE = re.compile(r"\s*(?:of\s+)?units\b")


_CHIP_NOUN_RE = re.compile(
    r"\s*(?:of\s+(?:its\s+|their\s+)?)?(?:(?:AI|advanced|high-end|cutting-edge|data[- ]cent(?:er|re)|Ascend|Nvidia|Huawei|AMD)\s+){0,2}"
    r"(?:chips|GPUs|accelerators|processors|dies)\b"
    r"|\s*個", re.I)


_POLICY_WORDS_RE = re.compile(
    r"\b(?:rules?|regulations?|limits?|threshold|controls?|restrict\w*|ban(?:s|ned|ning)?|licen[cs]e\w*"
    r"|export\w*|cap(?:s|ped)?|ceiling|allowed|permitted|cut-?offs?)\b|規制|上限|基準", re.I,
)


_SCORE_VERB_RE = re.compile(
    r"\b(?:scores?|scored|scoring|rates?|rated|comes?\s+in\s+at|came\s+in\s+at|stands?\s+at"
    r"|sits?\s+at|measures?|works?\s+out\s+to)\b|スコア", re.I)


_PD_MENTION_RE = re.compile(r"performance\s+density|性能密度", re.I)


_TPP_MENTION_RE = re.compile(r"\bTPP\b|total\s+processing\s+performance", re.I)


def _metric_context(doc: Doc, si: int, sent: Span, q: Quantity,
                    before: str) -> tuple[str, str | None] | None:
    """'The H20 scores about 2.9 and the H200 about 19.4' right after the writer named the
    measure (performance density, TPP): a bare score takes that measure."""
    text = doc.text
    seg_start, _ = segment_bounds(doc, sent, q.start)
    if not _SCORE_VERB_RE.search(text, seg_start, q.start) or _POLICY_WORDS_RE.search(text, seg_start, q.start):
        return None
    if re.fullmatch(r"(?:19|20)\d\d", q.text.split()[-1]) or q.value <= 0 or q.value >= 1e5:
        return None
    scopes = [text[sent.start:q.start]]
    if si > 0:
        scopes.append(doc.sentences[si - 1].text)
    for scope in scopes:
        if _PD_MENTION_RE.search(scope):
            return "performance_density", None
        if _TPP_MENTION_RE.search(scope):
            return "tpp", None
    return None


_TRAILING_JOIN_RE = re.compile(
    r"\s+(?:compares?\s+with|compared\s+(?:with|to)|versus|vs\.?|against|and|while|with|to|the"
    r"|a|an|of|at|is|are|was|were|well|far|above|below|than|under|over)\s*$",
    re.I,
)


_LEADING_JOIN_RE = re.compile(r"\s*(?:and|or|but|while|with|plus)\s+", re.I)


def _figure_quote(doc: Doc, sent: Span, s_qty: list[Quantity], q: Quantity,
                  chip_start: int | None) -> tuple[int, int]:
    """Clause of the number, widened back to its chip and cut before a neighbour figure."""
    text = doc.text
    cs, ce = clause_around(doc, sent, q.start, q.end)
    near = [o for o in s_qty if o is not q and o.unit is not None]
    prev = [o for o in near if o.end <= q.start]
    nxt = [o for o in s_qty if o is not q and o.start >= q.end]
    if chip_start is not None and chip_start < cs and q.start - chip_start <= 90 and not any(
            chip_start < o.start < q.start for o in prev):
        cs = chip_start
    elif prev and prev[-1].end > cs:
        joins = list(re.finditer(r",\s*|\s+(?:and|while|but|with)\s+", text[prev[-1].end:q.start]))
        cs = prev[-1].end + (joins[-1].end() if joins else 0)
    if nxt and nxt[0].start < ce:
        join = _FIRST_JOIN_RE.search(text, q.end, nxt[0].start)
        ce = max(q.end, join.start() if join else nxt[0].start)
    lead = _LEADING_JOIN_RE.match(text, cs, ce)
    if lead and lead.end() < q.start + 1:
        cs = lead.end()
    for _ in range(6):
        tail = _TRAILING_JOIN_RE.search(text, q.end, ce)
        if not tail:
            break
        ce = tail.start()
    return cs, ce


_FIRST_JOIN_RE = re.compile(r",\s|\s(?:and|while|but|whereas|plus)\s|、")
