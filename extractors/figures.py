"""Chip figures (a chip's own numbers) and chip comparisons (quantified relations).

Works sentence by sentence over three cheap, precomputed layers: sentence spans, chip
mentions and quantities. A number is attached to the chip its clause is about (nearest
chip that is not the object of "than", "below", "version of"...; "It"/"the chip"
resolved from context), not to the first chip name in the sentence. Percent fees and
revenue shares are policy, never chip figures, and rule thresholds are skipped.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from chipwatch.extractors.chips import ChipMention, find_chips, vendor_of
from chipwatch.extractors.facts import Fact
from chipwatch.extractors.language.numbers import Quantity, find_quantities
from chipwatch.extractors.language.sentences import Span, split_sentences, tight

NAME = "chip_figures"
VERSION = "13"

log = logging.getLogger(__name__)

MAX_TEXT = 2_000_000  # characters; longer texts are cut (never an error)

# --------------------------------------------------------------------------- patterns

# Words between a marker and a chip name ("below Nvidia's latest Blackwell").
_FILLER = r"(?:[\w'’\"“”-]+\s+){0,4}"
# A chip preceded by one of these is the object of a comparison, not the clause subject.
_OBJECT_MARKER_RE = re.compile(
    rf"(?:\bthan|\blike|\bversus|\bvs\.?|\bcompared\s+(?:to|with)|\bunlike|\breplac\w*"
    rf"|\bsucceed\w*|\bsuccessor\s+to|\bpredecessor|\bversion\s+of|\bvariant\s+of"
    rf"|\bbased\s+on|\bderived\s+from|\balternatives?\s+to|\binstead\s+of|\bbelow|\babove"
    rf"|\bbehind|\bahead\s+of|\bover|\bagainst|\brelative\s+to|\bcomparison\s+with"
    rf"|\bsuch\s+as|\bincluding|\bfrom|(?<!known\s)(?<!dubbed\s)(?<!named\s)\bas|\boutperform\w*|\boutpac\w*|\bbeat\w*"
    rf"|\bsurpass\w*|\btrail\w*|\blags?|\blagging|\btimes|\d\s?x|倍"
    rf"|\b(?:half|thirds?|quarters?|fifths?|sixths?|sevenths?|tenths?|percent|per\s+cent)\s+(?:of|what|the)"
    rf"|%\s+of)\s+{_FILLER}$",
    re.I,
)
_ANAPHOR_RE = re.compile(
    r"(?:[\"“'‘(]?\s*)(?P<np>It|Its|This|Each\s+(?:one|unit)|The\s+(?:new\s+|latest\s+|former\s+|older\s+|"
    r"cut-down\s+|downgraded\s+|modified\s+|China-specific\s+)?(?:chip|GPU|processor|"
    r"accelerator|card|part|model|product)|This\s+(?:new\s+)?(?:chip|GPU|processor|"
    r"accelerator|card|part|model)|(?:Nvidia|NVIDIA|Huawei|AMD|Cambricon|Intel)['’]s\s+"
    r"(?:(?:own|best|latest|newest|top|flagship|fastest|most\s+advanced|current|main|new|rival)\s+){0,2}"
    r"(?:chip|part|GPU|accelerator|processor|flagship)\b(?!\s*(?:,\s*)?(?:the\s+)?[A-Z]+\d))\b"
)
_VENDOR_NP_RE = re.compile(r"(?:(?:[Tt]he|[Tt]his)\s+)?(?P<vendor>Nvidia|NVIDIA|Huawei|AMD|Cambricon|Intel)(?:['’]s)?\s")
_AFTER_ANAPHOR_RE = re.compile(
    r"\s*(?:[\w-]+\s+){0,3}?(?:on|for|of|in|with)\s+(?P<np>(?:the|these|those)\s+(?:new\s+|latest\s+)?"
    r"(?:chip|GPU|processor|accelerator|card|part)s?)\b",
    re.I,
)
_AFTER_CHIP_RE = re.compile(
    r"\s*(?:[\w-]+\s+){0,3}?(?:on|for|of|in|with)\s+(?:the\s+|its\s+|an?\s+)?"
    r"(?:(?:Nvidia|NVIDIA|Huawei|AMD|Cambricon|Intel)(?:['’]s)?\s+)?$"
)
_BEFORE_POSSESSIVE_RE = re.compile(r"(?:['’]s)?\s+(?:[\w-]+\s+){0,2}$")

_POS_CMP_RE = re.compile(
    r"\s*(?:(?:[\w-]+\s+){0,1})?(?:more|higher|greater|faster|better|stronger|larger|bigger"
    r"|quicker|as\s+[\w-]+\s+as|the\s+(?:[\w-]+\s+){0,2}(?:of|as)\b|that\s+of|ahead|over"
    r"|increase|improvement|boost|jump|gain|advantage|lead|uplift|speed-?up)",
    re.I,
)
_NEG_CMP_RE = re.compile(
    r"\s*(?:(?:[\w-]+\s+){0,1})?(?:less|lower|slower|weaker|smaller|fewer|worse|behind)\b",
    re.I,
)
_CONNECTOR_RE = re.compile(
    r"\b(?:than|as|of|over|versus|vs\.?|compared\s+(?:to|with)|relative\s+to|against"
    r"|that\s+of)\b", re.I,
)
_JA_REL_GAP_RE = re.compile(
    r"[」』]?(?:の(?:性能|計算性能|演算性能|処理性能)?の?|より|に比べ(?:て)?|と比べ(?:て)?|と比較して)"
    r"(?:で|は|も)?\s*$"
)
_JA_BASELINE_RE = re.compile(r"[」』]?\s*(?:[にと]比べ(?:ると|れば)|と比較すると)\s*[、,]")
_JA_POS_RE = re.compile(r"\s*(?:ほど|程度)?(?:高い|高く|多い|多く|速い|速く|大きい|大きく|上回)")
_JA_FRACTION_RE = re.compile(r"\s*(?:弱|強)?(?:程度|前後)?(?:に(?:とどま|留ま|過ぎ|すぎ)|の水準|相当|しかない)")
_JA_NEG_RE = re.compile(r"\s*(?:程度)?(?:の)?(?:低い|遅い|劣る|少ない|小さい)")
_LAG_AFTER_RE = re.compile(
    r"\s*(?:-|–)?\s*(?:behind|ahead|of\s+lag|lag|gap|older\b|(?:ほど|程度|近く|以上)?"
    r"(?:遅れ|後れ|の遅れ|の差|先行|進んで))", re.I,
)
_LAG_BEFORE_RE = re.compile(
    r"(?:\blag(?:s|ging|ged)?|\btrail(?:s|ing|ed)?|\bbehind|\bgap|\blead(?:s)?|\bahead)"
    r"\s+(?:[\w'’-]+\s+){0,4}?(?:by|of)\s+(?:perhaps\s+|maybe\s+|possibly\s+|probably\s+)?$"
    r"|\b(?:gap|lag)\b[^.;:\d]{0,50}?\b(?:to\s+be|is|was|at|stands\s+at|remains)\s+$", re.I,
)
# A lag without a named chip still counts when the sentence is about chips.
_CHIP_TOPIC_RE = re.compile(
    r"\b(?:chips?|semiconductors?|GPUs?|accelerators?|processors?|chipmak\w+|Ascend|Huawei|SMIC)\b"
    r"|半導体|チップ", re.I)
_LAG_CUE_RE = re.compile(r"behind|ahead|\blag|\btrail|\bgap\b|遅れ|後れ|先行", re.I)
_LAG_AHEAD_RE = re.compile(r"\bahead\b|\blead(?:s)?\b|先行|進んで", re.I)

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
    r"(?:\s+score)?\s+of\s+$",
    re.I,
)
_OR_BEYOND_RE = re.compile(
    r"\s*(?:or|and)\s+(?:below|above|more|less|smaller|fewer|higher|greater|lower|beyond|under|over)\b"
    r"|\s(?:or|and)\s+(?:below|above|more|less|smaller|fewer|higher|greater|lower|beyond|under|over)$", re.I)
_THRESHOLD_AFTER_RE = re.compile(
    r"\s*(?:or\s+(?:above|more|higher|greater|less|below)|threshold|limit|cap|and\s+above"
    r"|以上|以下|未満|超)", re.I,
)
_SAME_MEASURE_RE = re.compile(
    r"\s*(?:points?\s+)?(?:by|on|under|in)\s+(?:the\s+)?same\s+(?:measure|metric|yardstick|scale"
    r"|standard|score|benchmark)", re.I,
)
_PD_NONSTANDARD_RE = re.compile(
    r"performance\s+density\s*\(?\s*(?:TFLOPs?|FLOPs?|TOPS)\s*(?:/|per)\s*die"
    r"|performance\s+density\b[^.\n]{0,60}?\b(?:defin\w+|calculat\w+|measur\w+|means?)\b[^.\n]{0,60}?"
    r"(?:divided\s+by|per|over|/)\s*(?:the\s+)?die\s+(?:size|area)", re.I
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
    r"\b(?:each|apiece|a\s+piece|per\s+(?:chip|unit|card|GPU|piece|accelerator|server|rack"
    r"|module|board)|price[sd]?|pricing|cost(?:s|ing)?|sells?\s+for|selling\s+for|sold\s+for"
    r"|goes\s+for|went\s+for|fetch(?:es|ed|ing)?|command(?:s|ed)|retail|chang(?:es?|ed|ing)\s+hands"
    r"|trad(?:es?|ed|ing)\s+(?:at|for)|quot(?:es?|ed|ing)"
    r"|list\s+price|ASP|priced)\b|価格|値段|単価|あたり|1個|一個|1枚", re.I,
)
_NOT_PRICE_RE = re.compile(
    r"\b(?:revenue|sales|orders?|worth\s+of|market|fee|tax|levy|invest\w*|deal|valuation"
    r"|shares?|profit|income|loss|write-?down|charge|rent\w*|leas\w*|per\s+(?:GPU-?)?hour|target"
    r"|net\s+take|takes?\s+home)\b", re.I,
)
_INTERCONNECT_RE = re.compile(
    r"NVLink|interconnect|chip-to-chip|between\s+(?:the\s+)?chips|data\s+transfer|scale-up"
    r"|I/O|PCIe|network|link|communication|transfer\s+rate", re.I,
)
_MEMORY_RE = re.compile(r"memory|HBM|GDDR|VRAM|メモリ", re.I)
_PRECISION_RE = re.compile(r"\b(?:FP4|FP6|FP8|FP16|FP32|FP64|BF16|TF32|INT4|INT8)\b")
_METRIC_IN_CMP = (
    (re.compile(r"memory\s+bandwidth|bandwidth|メモリ帯域|帯域", re.I), "memory_bandwidth"),
    (re.compile(r"memory\s+capacity|memory|HBM|メモリ容量", re.I), "memory_capacity"),
    (re.compile(r"\bTPP\b|total\s+processing\s+performance", re.I), "tpp"),
    (re.compile(r"expensive|costl|pric|cheaper", re.I), "price"),
)
_SEGMENT_BREAK_RE = re.compile(
    r";|—|–|\bwhile\b|\bwhereas\b|\bbut\b|\byet\b|\bcompared\s+(?:to|with)\b|\bunlike\b"
    r"|\bversus\b|\bhowever\b|、(?=[^、]{0,3}(?:一方|対して))",
    re.I,
)
_SUBJECT_JA_RE = re.compile(r"\s*(?:は|が|も)")
_CLAUSE_CUT_RE = re.compile(
    r",\s|;|—|–\s|\s--\s|、|，|\b(?:shows?|showed|said|says|found|finds|notes?|noted|means?"
    r"|indicates?|indicated)\s+that\s"
)
_JOIN_BEFORE_NEXT_RE = re.compile(r"(?:,\s*|\s+)(?:and|while|but|or)?\s*$")

_FIGURE_UNITS = {"TB/s", "GB/s", "GB", "W", "nm", "mm2", "GHz", "TOPS"}


@dataclass
class _Doc:
    text: str
    sentences: list[Span]
    sent_starts: list[int]
    chips: list[ChipMention]
    chip_starts: list[int]
    quantities: list[Quantity]
    topic: str | None
    pd_nonstandard: bool = False
    q_starts: list[int] = field(default_factory=list)
    last_tpp_sentence: int | None = None  # for "scores 12,032 by the same measure"
    last_cmp: tuple[int, str, str] | None = None  # (sentence, subject, relative) of the last ratio
    last_figure: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # unit -> [(sentence, chip)]


# ---------------------------------------------------------------------------- entry


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
    quantities = find_quantities(text)
    if chips:
        chips = _with_short_forms(text, chips)
    doc = _Doc(
        text, sentences, [s.start for s in sentences], chips, [c.start for c in chips],
        quantities, _topic(text, chips), bool(_PD_NONSTANDARD_RE.search(text)),
        q_starts=[q.start for q in quantities],
    )
    facts: list[Fact] = []
    seen: set[tuple] = set()
    table_spans: list[tuple[int, int]] = []
    if "|" in text or "\t" in text:
        for block in _table_blocks(text):
            table_spans.append((block[0][0], block[-1][1]))
            for fact in _table_facts(doc, block):
                key = (fact.chip, fact.metric, fact.value, fact.char_start)
                if key not in seen:
                    seen.add(key)
                    facts.append(fact)
    qi = 0
    ti = 0
    for si, sent in enumerate(sentences):
        while ti < len(table_spans) and table_spans[ti][1] <= sent.start:
            ti += 1
        if ti < len(table_spans) and table_spans[ti][0] <= sent.start < table_spans[ti][1]:
            continue  # table rows were read cell by cell above
        s_chips = _chips_in(doc, sent.start, sent.end)
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
        long_sentence = sent.end - sent.start > _WINDOW * 2
        q_starts = [o.start for o in s_qty]
        handled: set[int] = set()
        if not long_sentence:
            listed, handled = _list_facts(doc, sent, s_chips, s_qty)
            for fact in listed:
                key = (fact.kind, fact.chip, fact.metric, fact.value, fact.relative_to,
                       fact.char_start, fact.char_end)
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
                found = _fact_for(doc, si, w, _chips_in(doc, w.start, w.end), local, q)
            else:
                found = _fact_for(doc, si, sent, s_chips, s_qty, q)
            for fact in found:
                key = (fact.kind, fact.chip, fact.metric, fact.value, fact.relative_to,
                       fact.char_start, fact.char_end)
                if key in seen:
                    continue
                seen.add(key)
                facts.append(fact)
    facts.sort(key=lambda f: (f.char_start, f.char_end))
    return _without_headline_repeats(text, facts)


def _without_headline_repeats(text: str, facts: list[Fact]) -> list[Fact]:
    """A figure in the headline that the body states again is one statement, not two."""
    headline_end = text.find("\n")
    if not 0 < headline_end <= 300 or not facts or facts[0].char_end > headline_end:
        return facts

    def key(f: Fact) -> tuple:
        return (f.kind, f.chip, f.metric, f.value, f.relative_to)

    body = {key(f) for f in facts if f.char_start > headline_end}
    return [f for f in facts if f.char_end > headline_end or key(f) not in body]


# -------------------------------------------------------------------------- tables

_CELL_SEP_RE = re.compile(r"\s*(?:\||\t)\s*")
_RULE_ROW_RE = re.compile(r"[\s|:+-]*")
_MAX_TABLE_LINES = 200


def _table_blocks(text: str) -> list[list[tuple[int, int]]]:
    """Runs of two or more lines split into three or more cells by '|' or tabs: a table a
    text extractor flattened. Each line is (start, end) in the text."""
    blocks: list[list[tuple[int, int]]] = []
    run: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        line = text[pos:end]
        cells = line.count("|") + line.count("\t")
        if cells >= 2 and len(line) < 400 and not (_RULE_ROW_RE.fullmatch(line) and run):
            run.append((pos, end))
        elif _RULE_ROW_RE.fullmatch(line) and run and line.strip():
            pass  # a markdown rule row "|---|---|" inside a table
        else:
            if len(run) >= 2:
                blocks.append(run[:_MAX_TABLE_LINES])
            run = []
        if nl < 0:
            break
        pos = nl + 1
    if len(run) >= 2:
        blocks.append(run[:_MAX_TABLE_LINES])
    return blocks


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cell spans of one table line, without the outer pipes of markdown rows."""
    out: list[tuple[int, int]] = []
    pos = start
    for m in _CELL_SEP_RE.finditer(text, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    if out and not text[out[0][0]:out[0][1]].strip():
        out = out[1:]
    if out and not text[out[-1][0]:out[-1][1]].strip():
        out = out[:-1]
    return out


_LABEL_METRICS = (
    (re.compile(r"performance\s+density", re.I), "performance_density", None),
    (re.compile(r"\bTPP\b|total\s+processing", re.I), "tpp", None),
    (re.compile(r"NVLink|interconnect|chip-to-chip|I/O", re.I), "other", "GB/s"),
    (re.compile(r"bandwidth|TB/s", re.I), "memory_bandwidth", "TB/s"),
    (re.compile(r"memory|HBM|capacity|\bGB\b", re.I), "memory_capacity", "GB"),
    (re.compile(r"FLOPS|\bFP\d+|BF16|INT8|compute|performance", re.I), "compute_flops", "TFLOPS"),
    (re.compile(r"price|cost|\$|USD", re.I), "price", "USD"),
    (re.compile(r"\bTDP\b|power|watts?|\(W\)", re.I), "other", "W"),
    (re.compile(r"process|node|\bnm\b", re.I), "other", "nm"),
)
_UNIT_METRICS = {"TB/s": "memory_bandwidth", "GB": "memory_capacity", "W": "other", "nm": "other",
                 "mm2": "other", "USD": "price", "GB/s": "other"}


def _cell_metric(label: str, q: Quantity) -> tuple[str, str | None] | None:
    """Metric and unit of a table cell from its column (or row) label and its own unit."""
    unit = q.unit
    if unit is not None and (unit.startswith("TFLOPS") or unit == "TOPS"):
        p = _PRECISION_RE.search(label)
        return "compute_flops", f"{unit} {p.group()}" if p and " " not in unit else unit
    if unit in ("TB/s", "GB/s"):
        if _INTERCONNECT_RE.search(label):
            return "other", unit
        return ("memory_bandwidth", unit) if unit == "TB/s" or _MEMORY_RE.search(label) or re.search(
            r"bandwidth", label, re.I) else ("other", unit)
    if unit in _UNIT_METRICS:
        return _UNIT_METRICS[unit], unit
    if unit is not None:
        return None
    for rx, metric, label_unit in _LABEL_METRICS:
        if rx.search(label):
            if metric == "compute_flops":
                p = _PRECISION_RE.search(label)
                return metric, f"TFLOPS {p.group()}" if p else "TFLOPS"
            return metric, label_unit
    return None


def _table_facts(doc: _Doc, block: list[tuple[int, int]]) -> list[Fact]:
    text = doc.text
    rows = [_cells(text, a, b) for a, b in block]
    header = rows[0]
    header_chips = [_chips_in(doc, a, b) for a, b in header]
    by_column = sum(1 for cs in header_chips[1:] if cs) >= 2 and not header_chips[0]
    if not by_column and _chips_in(doc, *header[0]):
        header = []  # no header line: rows start straight away
        body = rows
    else:
        body = rows[1:]
    facts: list[Fact] = []
    for row in body:
        if len(row) < 2:
            continue
        row_chips = _chips_in(doc, *row[0])
        for j, (a, b) in enumerate(row[1:], start=1):
            if by_column:
                chips = header_chips[j] if j < len(header_chips) else []
                label = text[row[0][0]:row[0][1]]
            else:
                chips = row_chips
                label = text[header[j][0]:header[j][1]] if j < len(header) else ""
            if len(chips) != 1:
                continue
            i = bisect.bisect_left(doc.q_starts, a)
            while i < len(doc.quantities) and doc.quantities[i].start < b:
                q = doc.quantities[i]
                i += 1
                if q.end > b or any(c.start < q.end and q.start < c.end for c in doc.chips[
                        bisect.bisect_left(doc.chip_starts, a):bisect.bisect_left(doc.chip_starts, b)]):
                    continue
                mu = _cell_metric(label, q)
                if mu is None or q.value is None or q.unit in ("%", "x", "months"):
                    continue
                metric, unit = mu
                if metric == "price" and q.unit is None and q.value < 100:
                    continue
                f = _fact("chip_figure", doc, a, b, chip=chips[0].chip, metric=metric,
                          value=_round(q.value), unit=unit, approx=q.approx,
                          low=_round(q.low), high=_round(q.high), extra={"table": True})
                if f is not None:
                    facts.append(f)
    return facts


# ------------------------------------------------------------------------- context

_WINDOW = 400  # characters either side of a number considered in over-long sentences


def tight_window(text: str, sent: Span, q: Quantity) -> Span:
    start = max(sent.start, q.start - _WINDOW)
    end = min(sent.end, q.end + _WINDOW)
    if start > sent.start:
        sp = text.find(" ", start, q.start)
        start = sp + 1 if sp >= 0 else start
    return Span(start, end, text[start:end])



_SHORT_FORM_RE = re.compile(r"(?<![\w.,/$-])(?P<det>(?i:the|its|a|an|later|new)\s+)?(?P<num>\d{3,4})(?P<suf>[A-Z]{1,2})?(?![\w%])")


def _with_short_forms(text: str, chips: list[ChipMention]) -> list[ChipMention]:
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
    first_at = {}
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
        if not suf and not m.group("det"):
            continue  # a bare "950" is a number unless written "the 950"
        start = m.start("num")
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and chips[i].end > start:
            continue  # part of a longer mention ("Ascend 950")
        extra.append(ChipMention(canon, vendor_of(canon), start, m.end()))
    if not extra:
        return chips
    return sorted(chips + extra, key=lambda c: c.start)


def _topic(text: str, chips: list[ChipMention]) -> str | None:
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


def _chips_in(doc: _Doc, start: int, end: int) -> list[ChipMention]:
    i = bisect.bisect_left(doc.chip_starts, start)
    out = []
    while i < len(doc.chips) and doc.chips[i].start < end:
        if doc.chips[i].end <= end:
            out.append(doc.chips[i])
        i += 1
    return out


_INDEFINITE_BEFORE_RE = re.compile(r"\b(?:a|an)\s+(?:[\w'’-]+\s+){0,2}$", re.I)
_GENERIC_NOUN_AFTER_RE = re.compile(
    r"(?:-based|-class|-generation|-series)?\s+(?:chip|GPU|processor|part|design|accelerator"
    r"|architecture|product|variant|derivative)s?\b", re.I,
)
_COUNTED_RE = re.compile(
    r"(?:\d|\b(?:hundred|thousand|million|billion)|\b(?:dozens|hundreds|thousands|millions)\s+of"
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|twelve|sixteen))\s+(?:of\s+)?"
    r"(?:(?:Nvidia|NVIDIA|Huawei|AMD)(?:['’]s)?\s+)?$", re.I)


def _is_object(text: str, sent: Span, c: ChipMention) -> bool:
    """True when the chip is governed by a comparison marker or counted ("384 910C chips")."""
    before = text[max(sent.start, c.start - 60):c.start]
    if _OBJECT_MARKER_RE.search(before) or _COUNTED_RE.search(before):
        return True
    if _MODIFIER_AFTER_RE.match(text, c.end) or _DIE_AFTER_RE.match(text, c.end) \
            or _JA_OBJECT_AFTER_RE.match(text, c.end) or _JA_BASELINE_RE.match(text, c.end):
        return True  # "H20と比べると、...": the baseline
    # a chip named inside a descriptor of another: "the MI308, a trimmed MI300X with 192GB"
    if _APPOSITIVE_INDEFINITE_RE.search(before):
        return True
    # a descriptor in apposition: "the B30A, a single-die Blackwell chip"
    return bool(_INDEFINITE_BEFORE_RE.search(before) and _GENERIC_NOUN_AFTER_RE.match(text, c.end))


_APPOSITIVE_INDEFINITE_RE = re.compile(r"\b(?:[A-Z]{1,3}\d{2,4}[A-Z]?|\d{3}[A-Z]?)\s*,\s+(?:a|an)\s+(?:[\w'’-]+\s+){0,2}$")
_JA_OBJECT_AFTER_RE = re.compile(r"[」』]?(?:の(?![^。、\n]{0,8}?は)|より|に比べ(?:て)?|と比べ(?:て)?)[^。、\n]{0,8}?(?:倍|割|分の|半分)")
_MODIFIER_AFTER_RE = re.compile(r"-(?:class|based|style|like|derived|equivalent)s?\b", re.I)
_DIE_AFTER_RE = re.compile(r"\s+(?:die|dies|chiplets?)\b", re.I)  # "a single B300 die"
# Architecture names: when a sentence also names a specific part, the part owns the numbers
# ("The H200 pairs the Hopper architecture with 141 GB").
_ARCHITECTURES = {"Hopper", "Blackwell", "Rubin", "Ampere"}
# Systems built from many chips: a chip count under them is a spec of the system.
_SYSTEMS = {"CloudMatrix 384", "GB200 NVL72", "GB300 NVL72", "Atlas 950 SuperPoD", "Atlas 960 SuperPoD",
            "Vera Rubin NVL144"}


_ARCH_PARTS_RE = re.compile(r"\s+(?:parts|chips|GPUs|accelerators|products|cards|processors)\b")


def _owner_candidates(s_chips: list[ChipMention], text: str = "") -> list[ChipMention]:
    """Drop architecture names when a specific part is named in the same sentence, unless
    the name stands for parts ("Nvidia's Blackwell parts")."""
    if any(c.chip not in _ARCHITECTURES for c in s_chips):
        return [c for c in s_chips if c.chip not in _ARCHITECTURES
                or (text and _ARCH_PARTS_RE.match(text, c.end))]
    return s_chips


def _sentence_subject(doc: _Doc, sent: Span) -> str | None:
    """The chip a sentence is about: first chip not governed by a comparison marker."""
    chips = _chips_in(doc, sent.start, sent.end)
    for c in chips:
        if _SUBJECT_JA_RE.match(doc.text, c.end):
            return c.chip
    for c in chips:
        if not _is_object(doc.text, sent, c):
            return c.chip
    # every chip is an object and a clause's subject is "it" ("Built from a single Blackwell
    # die, it would offer half the compute of the B300"): the part of the sentence before
    if chips and _CLAUSE_IT_RE.search(doc.text, sent.start, sent.end):
        si = bisect.bisect_right(doc.sent_starts, sent.start) - 1
        if si >= 1:
            prev = doc.sentences[si - 1]
            before = [c for c in _chips_in(doc, prev.start, prev.end) if not _is_object(doc.text, prev, c)]
            if before:
                return before[0].chip
    return chips[0].chip if chips else None


def _resolve_anaphor(doc: _Doc, si: int, np: str) -> str | None:
    """'It' -> subject of the nearest earlier sentence naming a chip; 'the chip' -> topic.

    When the sentence names a chipmaker ("Huawei could make 200,000 of the chips"), the
    answer must be that maker's chip: the latest one mentioned before, else nothing.
    """
    chip: str | None = None
    vm = _VENDOR_NP_RE.match(np)
    if vm:
        return _vendor_main_chip(doc, si, "Nvidia" if vm.group("vendor") == "NVIDIA" else vm.group("vendor"))
    if np.lower() in ("it", "its") or np.lower().startswith("each"):
        for k in range(si - 1, max(-1, si - 3), -1):
            chip = _sentence_subject(doc, doc.sentences[k])
            if chip:
                break
    else:
        chip = doc.topic
    return _vendor_consistent(doc, si, chip)


_TAIL_MORE_RE = re.compile(r"\s+(?:more|higher|greater|faster|larger)\s*(?:[.;)]|$)")
_ITS_OBJECT_RE = re.compile(
    r"\s+(?:its|their)\s+(?:[\w-]+\s+)?(?:throughput|performance|compute|computing\s+power|speed"
    r"|memory|bandwidth|capacity|score|TPP)\b", re.I)
_ANY_OF_THEM_RE = re.compile(r"\s*(?:[\w-]+\s+){0,3}?(?:of|than)\s+(?:any|all|each)\s+(?:of\s+)?(?:them|these|those|its\s+rivals)\b", re.I)
_VENDOR_DESC_RE = re.compile(
    r"\b(?P<np>(?:Nvidia|NVIDIA|Huawei|AMD|Cambricon|Intel)['’]s\s+"
    r"(?:(?:own|best|latest|newest|top|flagship|fastest|most\s+advanced|current|main|new|rival)\s+){0,2}"
    r"(?:chip|part|GPU|accelerator|processor|flagship)"
    r"|(?:[Tt]he|[Tt]his)\s+(?:Nvidia|NVIDIA|Huawei|AMD|Cambricon|Intel)\s+(?:chip|part|GPU|accelerator|processor))"
    r"\b(?!\s*(?:,\s*)?(?:the\s+)?[A-Z]+\d)")
# "Analysts put the newer part at 800 teraflops, 60% of the H100's": the part just discussed
_MID_ANAPHOR_RE = re.compile(
    r"\b(?:the|this)\s+(?:newer|new|latest|older|former|same|cut-down|domestic)\s+"
    r"(?:chip|part|GPU|accelerator|processor|model)\b(?!\s*(?:,\s*)?(?:the\s+)?[A-Z]+\d)")


def _described_subject(doc: _Doc, si: int, sent: Span, pos: int,
                       rel: ChipMention | None) -> tuple[str | None, int | None]:
    """'We think Huawei's best part trails the H200': a maker's part described, not named."""
    for m in _VENDOR_DESC_RE.finditer(doc.text, sent.start, pos):
        if _OBJECT_MARKER_RE.search(doc.text, max(sent.start, m.start() - 60), m.start()):
            continue
        chip = _resolve_anaphor(doc, si, m.group("np"))
        if chip is not None and (rel is None or chip != rel.chip):
            return chip, m.start()
    return None, None


def _vendor_described_pair(doc: _Doc, sent: Span, s_chips: list[ChipMention], q: Quantity,
                           rel: ChipMention | None) -> tuple[tuple[str, int], ChipMention] | None:
    """'the 910C scores 12,032 against the H200's 15,840, so the Nvidia part is 30% stronger':
    a maker's part described after both chips were named is that maker's chip, the other the baseline."""
    if rel is not None and rel.end > q.start:
        return None  # the baseline is named after the number ("30% stronger than the H20")
    for m in _VENDOR_DESC_RE.finditer(doc.text, sent.start, q.start):
        if any(c.start >= m.end() and c.end <= q.start for c in s_chips):
            continue
        if _OBJECT_MARKER_RE.search(doc.text, max(sent.start, m.start() - 60), m.start()):
            continue
        vendor = re.search(r"Nvidia|NVIDIA|Huawei|AMD|Cambricon|Intel", m.group("np"))
        if vendor is None:
            continue
        name = "Nvidia" if vendor.group().upper() == "NVIDIA" else vendor.group()
        before = [c for c in s_chips if c.end <= m.start() and c.chip not in _SYSTEMS]
        own = [c for c in before if c.vendor == name]
        other = [c for c in before if c.vendor != name and c.vendor is not None]
        if len({c.chip for c in own}) == 1 and other:
            return (own[-1].chip, m.start()), other[-1]
    return None


def _vendor_main_chip(doc: _Doc, si: int, vendor: str) -> str | None:
    """'Nvidia's chip', 'Huawei's best part': the maker's chip the article names most (a
    specific part before an architecture name), earlier mentions winning ties."""
    lo = doc.sentences[max(0, si - 2)].start
    recent = [c for c in _chips_in(doc, lo, doc.sentences[si].start)
              if c.vendor == vendor and c.chip not in _SYSTEMS and c.chip not in _ARCHITECTURES]
    if recent:
        return recent[-1].chip  # the maker's part the last sentences discussed
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    limit = doc.sentences[si].start
    for i, c in enumerate(doc.chips):
        if c.vendor == vendor and c.chip not in _SYSTEMS:
            counts[c.chip] += 1
            first.setdefault(c.chip, i if c.start < limit else i + 10_000)
    if not counts:
        return None
    return max(counts, key=lambda c: (c not in _ARCHITECTURES, counts[c], -first[c]))


_VENDOR_WORDS = {
    "Nvidia": re.compile(r"\bNvidia|\bNVIDIA"), "Huawei": re.compile(r"\bHuawei|\bHUAWEI|华为|ファーウェイ"),
    "AMD": re.compile(r"\bAMD\b"), "Cambricon": re.compile(r"\bCambricon|寒武纪"),
    "Intel": re.compile(r"\bIntel\b"),
}


def _vendor_consistent(doc: _Doc, si: int, chip: str | None) -> str | None:
    sent = doc.sentences[si]
    named = [v for v, rx in _VENDOR_WORDS.items()
             if any(not _names_chip(doc, sent.start + m.end())
                    and not _OBJECT_MARKER_RE.search(sent.text, max(0, m.start() - 60), m.start())
                    for m in rx.finditer(sent.text))]
    if not named or chip is None or vendor_of(chip) in named:
        return chip
    i = bisect.bisect_left(doc.chip_starts, sent.start) - 1
    while i >= 0:
        if doc.chips[i].vendor in named:
            return doc.chips[i].chip
        i -= 1
    return None


def _names_chip(doc: _Doc, pos: int) -> bool:
    """True when a chip mention starts right after `pos` ("Nvidia's H200", "AMD MI308")."""
    m = re.compile(r"(?:['’]s)?\s+(?:(?:new|latest|flagship|top|best)\s+)?").match(doc.text, pos)
    if not m:
        return False
    i = bisect.bisect_left(doc.chip_starts, m.end())
    return i < len(doc.chips) and doc.chips[i].start == m.end()


def _segment_bounds(text: str, sent: Span, pos: int) -> tuple[int, int]:
    """The stretch of the sentence around `pos` between contrast markers."""
    seg_start, seg_end = sent.start, sent.end
    for m in _SEGMENT_BREAK_RE.finditer(text, sent.start, sent.end):
        if m.end() <= pos:
            seg_start = m.end()
        elif m.start() >= pos:
            seg_end = m.start()
            break
    return seg_start, seg_end


def _owner(doc: _Doc, si: int, sent: Span, s_chips: list[ChipMention],
           q: Quantity) -> tuple[str | None, int | None]:
    """Chip a figure belongs to, and where its mention starts (None if resolved)."""
    text = doc.text
    s_chips = _owner_candidates(s_chips, text)
    # 0. "the 96GB on its predecessor": the other chip the sentence discussed
    if _KIN_AFTER_RE.match(text, q.end, min(sent.end, q.end + 40)):
        before = [c for c in s_chips if c.end <= q.start]
        subject = next((c.chip for c in before if not _is_object(text, sent, c)), None)
        others = [c for c in before if c.chip != subject]
        return (others[-1].chip, others[-1].start) if others else (None, None)
    # 1. named right after the number: "600 GB/s on the A100" (not "141GB against 128GB
    #    for the 910C": the nearer number owns that chip)
    after = text[q.end:min(sent.end, q.end + 60)]
    for c in s_chips:
        if c.start >= q.end and c.start - q.end <= 60:
            if _AFTER_CHIP_RE.match(text[q.end:c.start]) and not _qty_between(doc, q.end, c.start):
                return c.chip, c.start
            break
    m = _AFTER_ANAPHOR_RE.match(after)
    if m:
        # "Huawei, whose Ascend 910C ..., plans to make 600,000 of the chips": the chip
        # this sentence names, else the one the article is about
        if re.search(r"\bof\s+$", after[:m.start("np")]) and m.group("np").endswith("s"):
            for c in reversed([c for c in s_chips if c.end <= q.start]):
                if not _is_object(text, sent, c):
                    return c.chip, None
        return _resolve_anaphor(doc, si, m.group("np")), None
    # 1b. inside a relative clause: "two Ascend 910B dies, which were made on a 7nm process"
    #     -> the chip the clause follows, whatever its role in the main clause
    rel = _relative_clause_chip(doc, sent, s_chips, q)
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
    its = _its_before(doc, sent, s_chips, q)
    if its is not None:
        owner = _sentence_owner(doc, si, sent, s_chips, its)
        if owner[0] is None and (q.unit in _SPEC_UNITS or (q.unit or "").startswith("TFLOPS")) \
                and not any(c.end <= q.start for c in s_chips):
            # "Huawei's own figures put its dense FP16 throughput near 800 teraflops"
            return _resolve_anaphor(doc, si, "it"), None
        return owner
    seg_start, seg_end = _segment_bounds(text, sent, q.start)
    # 3. nearest subject-like chip before it in its segment, then after it
    before = [c for c in s_chips if seg_start <= c.start and c.end <= q.start]
    for c in reversed(before):
        if not _is_object(text, sent, c):
            return c.chip, c.start
    after_chips = [c for c in s_chips if q.end <= c.start and c.end <= seg_end]
    for c in after_chips:
        if c.start - q.end <= 40 and not _is_object(text, sent, c):
            return c.chip, c.start
    # 4. anywhere earlier in the sentence
    for c in reversed([c for c in s_chips if c.end <= q.start]):
        if not _is_object(text, sent, c):
            return c.chip, c.start
    # 4b. "The system has 49.2 terabytes", "the super node consumes 559 kW"
    if not any(c.end <= q.start for c in s_chips):
        system = _system_anaphor(doc, si, sent, q.start)
        if system is not None:
            return system, None
        if _FRONTED_BEFORE_RE.search(text[max(sent.start, q.start - 80):q.start]) and \
                _IT_AFTER_RE.match(text, q.end, min(sent.end, q.end + 120)):
            # "With 96 gigabytes of HBM3 ..., it beats": the clause's "it"
            return _resolve_anaphor(doc, si, "it") or _vendor_consistent(doc, si, doc.topic), None
        topic = _ja_topic_before(doc, si, sent, q)
        if topic is not None:
            return topic, None
    # 5. "It has ...", "The GPU has ...", "At $30,000 per chip, it offers ..."
    m = _ANAPHOR_RE.match(text, sent.start, sent.end)
    if m and not any(c.end <= q.start for c in s_chips):
        return _resolve_anaphor(doc, si, m.group("np")), None
    if not any(c.end <= q.start and not _is_object(text, sent, c) for c in s_chips) and \
            _clause_it(doc, sent, q.start) is not None:
        return _resolve_anaphor(doc, si, "it"), None
    # 6. "the chips were selling for $12,000 apiece": the article's chip
    if not any(c.end <= q.start for c in s_chips):
        m = _THE_CHIP_RE.search(text, sent.start, q.start)
        if m:
            return _resolve_anaphor(doc, si, "the chip"), None
    return None, None


_JA_TOPIC_AFTER_RE = re.compile(r"[」』]?(?:は|が)")
_JA_TOPIC_FIGURE_RE = re.compile(r"(?:は|が)(?:約|およそ|ほぼ)?\s*$")


def _ja_topic_before(doc: _Doc, si: int, sent: Span, q: Quantity) -> str | None:
    """'「H200」は…。総合処理性能は1万5840で、H20の約6倍': a Japanese figure whose sentence
    names no chip before it belongs to the topic (は/が) chip of the previous sentence."""
    if not _JA_TOPIC_FIGURE_RE.search(doc.text, sent.start, q.start) or si == 0:
        return None
    prev = doc.sentences[si - 1]
    for c in _chips_in(doc, prev.start, prev.end):
        if _JA_TOPIC_AFTER_RE.match(doc.text, c.end) and c.chip not in _SYSTEMS:
            return c.chip
    return None


_REL_CLAUSE_RE = re.compile(
    r"(?:\s+[\w-]+){0,2}(?:\s*,\s+(?:the|an?)\s+(?:[\w-]+\s+){0,7}?[\w-]+)?"  # ", the cut-down part ...,"
    r"\s*,\s+(?:which|that)\s+(?!is\s+(?:about|roughly|nearly|around)\b)"
    r"[^,;:()\u2014.\n]*\Z", re.I)


def _relative_clause_chip(doc: _Doc, sent: Span, s_chips: list[ChipMention],
                          q: Quantity) -> ChipMention | None:
    """The chip a "which/that" clause follows, when the number sits inside that clause."""
    before = [c for c in s_chips if sent.start <= c.start and c.end <= q.start]
    if not before:
        return None
    c = before[-1]
    if _qty_between(doc, c.end, q.start) or q.start - c.end > 120:
        return None
    if _REL_CLAUSE_RE.match(doc.text, c.end, q.start) is None:
        return None
    return c


_KIN_AFTER_RE = re.compile(
    r"\s+(?:on|of|in|for|from|with)\s+(?:its|their)\s+(?:[\w-]+\s+)?(?:predecessor|successor|rival"
    r"|competitor|counterpart)s?\b", re.I)
_FRONTED_BEFORE_RE = re.compile(
    r"(?:\A|[:;—]\s*|\n)\s*(?:With|At|Carrying|Packing|Offering|Boasting|Featuring)\b[^,;:\n]*\Z", re.I)
_IT_AFTER_RE = re.compile(r"[^,;:.\n]{0,90},\s+it\s+(?:also\s+|still\s+|actually\s+)?[a-z]+")
_SYSTEM_NP_RE = re.compile(
    r"\b(?:the|this|that|each|every)\s+(?:new\s+|whole\s+|entire\s+)?(?:super\s?node|system|SuperPoD"
    r"|pod|cluster)\b", re.I)


def _system_anaphor(doc: _Doc, si: int, sent: Span, pos: int) -> str | None:
    """'The system has ...' after a sentence about a CloudMatrix: that system."""
    if not _SYSTEM_NP_RE.search(doc.text, sent.start, pos):
        return None
    for k in range(si - 1, max(-1, si - 4), -1):
        subj = _sentence_subject(doc, doc.sentences[k])
        if subj is not None:
            return subj if subj in _SYSTEMS else None
    return None


_CLAUSE_IT_RE = re.compile(
    r"(?:^|[,;:]\s+|\b(?:and|but|while|so|says?|said|expects?|believes?|thinks?|estimated?|estimates"
    r"|found|finds|shows?|showed|reckons?|calculated?)\s+(?:that\s+)?"
    r"|\b(?:On\s+paper|In\s+(?:practice|theory|tests?)|By\s+contrast|Even\s+so|Overall|Still),?\s+)(?:it|It)\s+(?!is\s+(?:unclear|likely|possible|not|expected"
    r"|thought|estimated|understood|said)\b)(?:also\s+|still\s+|now\s+|only\s+)?(?:offers|has|carries|delivers|uses"
    r"|draws|provides|packs|comes|reaches|runs|scores|holds|boasts|tops|is|was|features|trails|lags|beats"
    r"|outperforms|outpaces|exceeds|surpasses|matches|falls|reached|delivered|offered|had|scored|carried"
    r"|can|will|would|could)\b")


def _clause_it(doc: _Doc, sent: Span, pos: int) -> int | None:
    """Start of a clause-initial "it" before `pos` ("At $30,000 per chip, it offers")."""
    last = None
    for m in _CLAUSE_IT_RE.finditer(doc.text, sent.start, pos):
        last = m
    return last.start() if last else None


_THE_CHIP_RE = re.compile(
    r"\b(?:the|these|those|each|a\s+single|one)\s+(?:new\s+|latest\s+|China-specific\s+|cut-down\s+)?"
    r"(?:chip|GPU|processor|accelerator|card|part)s?\b", re.I,
)
_ITS_RE = re.compile(r"\b(?:its|their)\s", re.I)
_ITS_CUT_RE = re.compile(r"[;—]|\s--\s|\b(?:while|whereas|but|compared|than|versus|against|counterparts?"
                         r"|rivals?|competitors?|predecessors?|successors?)\b", re.I)


def _qty_between(doc: _Doc, start: int, end: int) -> bool:
    i = bisect.bisect_left(doc.q_starts, start)
    return i < len(doc.q_starts) and doc.q_starts[i] < end


def _its_before(doc: _Doc, sent: Span, s_chips: list[ChipMention], q: Quantity) -> int | None:
    """Position of an "its"/"their" that governs the number, if one does."""
    lo = max(sent.start, q.start - 70)
    last = None
    for m in _ITS_RE.finditer(doc.text, lo, q.start):
        last = m
    if last is None:
        return None
    gap = doc.text[last.end():q.start]
    if any(last.end() <= c.start < q.start for c in s_chips) or _qty_between(doc, last.end(), q.start):
        return None
    if _ITS_CUT_RE.search(gap):
        return None
    return last.start()


def _sentence_owner(doc: _Doc, si: int, sent: Span, s_chips: list[ChipMention],
                    pos: int) -> tuple[str | None, int | None]:
    """What "its" at `pos` refers to: the subject the sentence opened with."""
    text = doc.text
    m = _ANAPHOR_RE.match(text, sent.start, sent.end)
    subjects = [c for c in s_chips if c.end <= pos and not _is_object(text, sent, c)]
    if m and (not subjects or m.start() < subjects[0].start):
        return _resolve_anaphor(doc, si, m.group("np")), None
    if subjects:
        return subjects[0].chip, subjects[0].start
    if m:
        return _resolve_anaphor(doc, si, m.group("np")), None
    return None, None


def _counted_owner(doc: _Doc, sent: Span, s_chips: list[ChipMention], q: Quantity) -> ChipMention | None:
    """'orders for 2 million H20 chips ..., at $12,000 apiece': the counted chip."""
    for c in reversed([c for c in s_chips if c.end <= q.start]):
        if _COUNTED_RE.search(doc.text[max(sent.start, c.start - 40):c.start]):
            return c
    return None


# ----------------------------------------------------------------------- per number


_PCT_FRACTION_RE = re.compile(
    r"\s+(?:of\s+(?:the\s+|its\s+)?(?:[\w-]+\s+)?(?:performance|compute|computing\s+power|speed|throughput"
    r"|capabilit\w+|power)\s+of\s+|as\s+[\w-]+\s+as|of\s+(?:the\s+|that\s+of\s+(?:the\s+)?)?(?:(?:Nvidia|NVIDIA|Huawei"
    r"|AMD)['’]s\s+)?(?=[A-Z0-9][\w -]{0,20}?(?:['’]s\b|\s*$|\s*[,.;)]|\s+(?:in|on|at|for)\b"
    r"|\s+(?:[\w-]+\s+){0,2}?(?:performance|compute|computing|speed|throughput|power|capabilit\w+))))"
)
_MONEY_WORDS_RE = re.compile(
    r"\b(?:revenue|sales|proceeds|fee|levy|tax|cut|share|market|profit|income|price|cost)s?\b",
    re.I,
)


_BY_MARGIN_RE = re.compile(
    r"\b(?P<verb>outperform\w*|outpac\w*|beat\w*|exceed\w*|surpass\w*|tops?|topped|lead\w*"
    r"|trail\w*|lag\w*)\s+(?:[\w'’./-]+\s+){0,3}?by\s+$", re.I,
)


def _by_margin(text: str, sent: Span, q: Quantity) -> re.Match[str] | None:
    """'the B200 outperforms the H100 by 30%' / 'trails it by 40 percent'."""
    return _BY_MARGIN_RE.search(text, max(sent.start, q.start - 60), q.start)


_TIME_FRACTION_RE = re.compile(
    r"\s+(?:of\s+)?the\s+time\s+(?:(?:it\s+)?(?:takes?|took|needs?)\s+)?(?P<np>[^.;:]{0,60}?)"
    r"\s+(?:would|will|might|could|does|do|did)?\s*(?:need|take|require|spend)s?\b", re.I)


def _time_fraction(doc: _Doc, sent: Span, s_chips: list[ChipMention], q: Quantity) -> list[Fact]:
    """'trains it in about a third of the time an equal number of H20s would need': 3x the H20."""
    m = _TIME_FRACTION_RE.match(doc.text, q.end, sent.end)
    share = q.value / 100.0 if q.unit == "%" else q.value
    if not m or not 0 < share < 1:
        return []
    rel = next((c for c in s_chips if m.start("np") <= c.start and c.end <= m.end("np")), None)
    before = [c for c in s_chips if c.end <= q.start and (rel is None or c.chip != rel.chip)]
    if rel is None or not before:
        return []
    subj = next((c for c in reversed(before) if not _is_object(doc.text, sent, c)), before[-1])
    f = _fact("chip_comparison", doc, q.start, m.end(), chip=subj.chip, metric="performance_ratio",
              value=_round(1.0 / share), unit="x", relative_to=rel.chip, approx=q.approx)
    return [f] if f else []


def _fact_for(doc: _Doc, si: int, sent: Span, s_chips: list[ChipMention],
              s_qty: list[Quantity], q: Quantity) -> list[Fact]:
    if q.unit in ("%", "x") and q.value < 100 and _TIME_FRACTION_RE.match(doc.text, q.end, sent.end):
        return _time_fraction(doc, sent, s_chips, q)
    if q.unit == "x" or (q.unit == "%" and (_POS_CMP_RE.match(doc.text, q.end)
                                              or _JA_POS_RE.match(doc.text, q.end)
                                              or _JA_FRACTION_RE.match(doc.text, q.end)
                                              or _NEG_CMP_RE.match(doc.text, q.end)
                                              or _PCT_FRACTION_RE.match(doc.text, q.end)
                                              or _by_margin(doc.text, sent, q))):
        return _comparison(doc, si, sent, s_chips, s_qty, q) or []
    if q.unit == "months":
        f = _lag(doc, si, sent, s_chips, s_qty, q)
        return [f] if f else []
    if q.unit == "%":
        return []  # fees, revenue shares, market shares: never a chip figure
    return _figure(doc, si, sent, s_chips, s_qty, q) or []


def _fact(kind: str, doc: _Doc, start: int, end: int, **kw) -> Fact | None:
    sp = tight(doc.text, start, end)
    if sp.end <= sp.start:
        return None
    return Fact(kind=kind, quote=sp.text, char_start=sp.start, char_end=sp.end,
                extractor=NAME, extractor_version=VERSION, **kw)


def _clause_around(doc: _Doc, sent: Span, start: int, end: int) -> tuple[int, int]:
    """Smallest comma/semicolon clause of `sent` that holds [start, end)."""
    text = doc.text
    c_start, c_end = sent.start, sent.end
    for m in _CLAUSE_CUT_RE.finditer(text, sent.start, sent.end):
        if m.end() <= start:
            c_start = m.end()
        elif m.start() >= end:
            c_end = m.start()
            break
    return c_start, c_end


_VERSUS_BEFORE_RE = re.compile(
    r"(?:\bversus|\bvs\.?|\bcompared\s+(?:with|to)|\bagainst)\s+(?:about\s+|around\s+|roughly\s+"
    r"|some\s+|nearly\s+|just\s+)?$", re.I,
)
_SPEC_UNITS = {"TB/s", "GB/s", "GB", "W", "nm", "mm2", "TFLOPS", "TOPS"} | {
    f"TFLOPS {p}" for p in ("FP4", "FP6", "FP8", "FP16", "FP32", "FP64", "BF16", "TF32", "INT8")
}


def _unit_scale(partner: Quantity) -> float:
    """1, unless the partner's number was written in a larger unit ("2 petaflops")."""
    digits = re.sub(r"[^\d.]", "", partner.text.split()[0] if partner.text.split() else "")
    try:
        written = float(digits) if digits else partner.value
    except ValueError:
        written = partner.value
    return partner.value / written if written and partner.value and written != partner.value else 1.0


_SCORE_OF_RE = re.compile(r"['’]s\s+(?:own\s+|TPP\s+)?(?:score|rating|reading)\s+(?:of|at|is|was|stands\s+at)\s+")
_BARE_AFTER_RE = re.compile(r"\s*(?:[,.;:)—]|$|\s(?:and|while|but|or|in|on|for|at)\b)")
_TPP_WORD_RE = re.compile(r"\bTPP\b|processing\s+performance|\bscores?\b|performance\s+density", re.I)


_TPP_TERM_RE = re.compile(r"(?<![A-Za-z])TPP(?![A-Za-z])|total\s+processing\s+performance", re.I)
_SCORES_BEFORE_RE = re.compile(
    r"\bscor(?:es?|ed|ing)\s+(?:(?:about|roughly|around|some|nearly|almost|close\s+to)\s+)?$", re.I)
_FOR_CHIP_AFTER_RE = re.compile(r"\s+for\s+(?:the\s+|its\s+)?$")


def _tpp_score_in_list(doc: _Doc, sent: Span, s_chips: list[ChipMention], q: Quantity,
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


def _bare_partner_unit(doc: _Doc, si: int, sent: Span, s_chips: list[ChipMention], q: Quantity,
                       before: str, after: str) -> Quantity | None:
    """The spec figure a bare number after a chip's possessive shares its unit with."""
    if q.low is not None or q.value < 10 or q.qualifier or not _BARE_AFTER_RE.match(after):
        return None
    if not any(0 <= q.start - c.end <= 3 and re.fullmatch(r"['’]s\s+", doc.text[c.end:q.start])
               for c in s_chips):
        return None
    if re.fullmatch(r"(?:19|20)\d\d", q.text):
        return None
    lo = doc.sentences[max(0, si - 1)].start
    if _TPP_WORD_RE.search(doc.text, lo, sent.end) or (
            doc.last_tpp_sentence is not None and si - doc.last_tpp_sentence <= 1):
        return None  # "the H20's 2,368" after a TPP figure is a score, read elsewhere
    i = bisect.bisect_left(doc.q_starts, q.start) - 1
    while i >= 0 and doc.quantities[i].start >= lo:
        o = doc.quantities[i]
        if o.unit in _SPEC_UNITS or (o.unit or "").startswith("TFLOPS"):
            return o
        i -= 1
    return None


def _figure(doc: _Doc, si: int, sent: Span, s_chips: list[ChipMention],
            s_qty: list[Quantity], q: Quantity) -> list[Fact] | None:
    text = doc.text
    unit = q.unit
    before = text[max(sent.start, q.start - 80):q.start]
    after = text[q.end:min(sent.end, q.end + 80)]
    if unit is None and _VERSUS_BEFORE_RE.search(before):
        # "800 TFLOPS versus 989 for the H100": the bare number shares its partner's unit
        prev = [o for o in s_qty if o.end <= q.start and q.start - o.end <= 60 and o.unit in _SPEC_UNITS]
        named_after = any(q.end <= c.start <= q.end + 30 and _AFTER_CHIP_RE.match(text[q.end:c.start])
                          for c in s_chips)
        if prev and named_after:
            unit = prev[-1].unit
            q = Quantity(q.value * _unit_scale(prev[-1]), unit, q.start, q.end, q.text, q.approx,
                         q.low, q.high, q.qualifier, q.number_start)
    if unit is None and (partner := _bare_partner_unit(doc, si, sent, s_chips, q, before, after)) is not None:
        # "more than twice the A100's 312": the named chip's figure in the measure just used
        unit = partner.unit
        q = Quantity(q.value * _unit_scale(partner), unit, q.start, q.end, q.text, q.approx,
                     q.low, q.high, q.qualifier, q.number_start)
    if unit is not None and (_OR_BEYOND_RE.match(after) or _OR_BEYOND_RE.search(q.text)):
        return None  # "chips made at 7 nanometres or below": a rule's line, not a chip's spec
    metric: str | None = None
    out_unit = unit
    extra: dict = {}
    value = q.value
    chip_override: str | None = None
    override_start: int | None = None
    if unit is not None and unit.startswith("TFLOPS") or unit == "TOPS":
        metric = "compute_flops"
        if unit in ("TFLOPS", "TOPS"):
            cs, ce = _clause_around(doc, sent, q.start, q.end)
            p = _PRECISION_RE.search(text, cs, ce)
            if p:
                out_unit = f"{unit} {p.group()}"
    elif unit == "TB/s":
        cs, ce = _clause_around(doc, sent, q.start, q.end)
        metric = "other" if _INTERCONNECT_RE.search(text, cs, ce) else "memory_bandwidth"
    elif unit == "GB/s":
        cs, ce = _clause_around(doc, sent, q.start, q.end)
        clause = text[cs:ce]
        metric = "memory_bandwidth" if _MEMORY_RE.search(clause) and not \
            _INTERCONNECT_RE.search(clause) else "other"
    elif unit == "GB":
        cs, _ = _clause_around(doc, sent, q.start, q.end)
        if _PER_COMPONENT_RE.match(text, q.end, min(sent.end, q.end + 40)) or (
                _STACK_RE.search(text, cs, q.start) and not _chips_in(doc, cs, q.start)):
            return None  # "24GB per stack", "12-high stacks hold 36GB each": a memory stack's size
        metric = "memory_capacity"
    elif unit in ("W", "nm", "mm2", "GHz"):
        metric = "other"
    elif unit == "count":
        if q.value <= 1 or re.match(r"\s*(?:あたり|当たり|につき)", after):
            return None  # "1個あたり" is a per-unit price basis, not a count
        metric, out_unit = "units", "chips"
    elif unit in ("USD", "CNY"):
        if not (q.value and q.value < (5e6 if unit == "USD" else 4e7)):
            return None
        cs, ce = _clause_around(doc, sent, q.start, q.end)
        window = text[max(sent.start, q.start - 60):min(sent.end, q.end + 40)]
        if not _PRICE_CUE_RE.search(window) or _NOT_PRICE_RE.search(text, max(cs, q.start - 60), min(ce, q.end + 15)):
            return None
        if _SERVER_RE.search(text, max(sent.start, q.start - 80), q.start) and not _PER_CHIP_RE.search(window):
            return None  # "a server built around eight of the chips costs $200,000"
        metric = "price"
    elif unit is None:
        if _WAY_AFTER_RE.match(after) and q.low is None:
            metric, out_unit = "other", "way"
        elif _PERF_DENSITY_RE.search(before):
            if doc.pd_nonstandard:
                # defined by the writer as TFLOPS per die size: not the rules' TPP/mm2 metric
                metric, out_unit = "other", "TFLOPS/die size"
                extra["spec"] = "performance_density"
            else:
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
            if not owned and (_THRESHOLD_BEFORE_RE.search(before[-40:]) or _THRESHOLD_AFTER_RE.match(after)
                              or _THRESHOLD_TAIL_RE.search(q.text)):
                return None  # a rule's threshold: the policy extractor's business
            if not owned and _TPP_BEFORE_RE.search(before) and _THRESHOLD_BEFORE_RE.search(
                    _TPP_BEFORE_RE.search(before).group()):
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
            while nxt and k + 1 < len(nxt) and _COORD_GAP_RE.fullmatch(text, nxt[k].end, nxt[k + 1].start):
                k += 1
                noun_at = nxt[k].end  # "3 million H100 and H200 processors"
            if nxt and (mod := _MODIFIER_AFTER_RE.match(text, noun_at)):
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
            elif 2 <= q.value <= 8 and q.value == int(q.value) and (m := _JA_COMBINED_RE.match(after)) \
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
            if metric == "units" and q.value < 100 and _SERVER_RE.search(sent.text):
                return None  # "a server built around eight of the chips": how a box is built
            dies = _DIES_RE.match(text, q.end, min(sent.end, q.end + 40)) if metric == "units" else None
            if dies and q.value <= 16 and (dies.group("noun") == "dies" or chip_override in _ARCHITECTURES):
                # "packages two 910B dies", "pairs two Blackwell GPUs": how the part is built
                metric, out_unit, chip_override = "other", dies.group("noun"), None
    else:
        return None
    chip_start: int | None = None
    if chip_override:
        chip, chip_start = chip_override, override_start
        if metric == "units":
            # "384 Ascend 910C chips" on a CloudMatrix fact sheet: the system's make-up
            system, system_start = _owner(doc, si, sent, [c for c in s_chips if c.chip in _SYSTEMS], q)
            if system is None and _is_bullet(doc, sent):
                system = _inherited_subject(doc, si)
            if system in _SYSTEMS and system != chip:
                chip, chip_start, chip_override = system, system_start, None
                metric = "other"
    else:
        chip, chip_start = _owner(doc, si, sent, s_chips, q)
        if metric == "units" and chip_start is None and not re.match(
                r"\s+(?:of\s+(?:the|these|those)\s|units\b)", after):
            chip = None  # "It expects to ship 1 million chips": "It" is usually the company
        if metric == "units" and chip not in _SYSTEMS and _IN_SYSTEM_RE.match(text, q.end, min(sent.end, q.end + 60)):
            systems = [c for c in s_chips if c.chip in _SYSTEMS]
            if systems:
                chip, chip_start = systems[0].chip, systems[0].start
        if metric == "units" and chip not in _SYSTEMS:
            # 「910Cを384個つないだサーバー「CloudMatrix 384」」: the system the chips make up
            system = next((c for c in s_chips if c.chip in _SYSTEMS and q.end < c.start <= q.end + 30
                           and _JA_LINKED_RE.match(text[q.end:c.start])), None)
            if system is not None:
                chip, chip_start = system.chip, system.start
        if metric == "units" and chip in _SYSTEMS:
            metric = "other"  # chips in a system: what the system is made of
        if chip is None and metric in ("units", "price"):
            counted = _counted_owner(doc, sent, s_chips, q)
            if counted is not None:
                chip, chip_start = counted.chip, counted.start
        bullet = _is_bullet(doc, sent)
        policy_span = text[slice(*_clause_around(doc, sent, q.start, q.end))] if bullet else sent.text
        if chip is None and metric != "units" and not _POLICY_WORDS_RE.search(policy_span) \
                and not _THRESHOLD_AFTER_RE.match(after) and (
                    not s_chips or all(_is_object(text, sent, c) for c in s_chips)):
            # a spec line that continues the previous sentence or a fact-sheet heading
            chip = _inherited_subject(doc, si)
        if chip is None and metric in ("price", "units") and not _chips_in(
                doc, *_clause_around(doc, sent, q.start, q.end)) and not any(
                c.end <= q.start for c in s_chips) and (metric == "price" or _UNITS_WORD_RE.match(after)):
            chip = _vendor_consistent(doc, si, doc.topic)  # "Prices have held at $10,000 each"
        if chip is None and metric == "units" and q.value >= 1000 and _SUPPLY_VERB_RE.search(sent.text) and (
                _CHIP_NOUN_RE.match(after) or (
                unit == "count" and re.search(r"(?:半導体|チップ|GPU)(?:を|が|は)?\s*$", before))):
            chip = ""  # "Huawei will make about 200,000 AI chips": a count of no named chip
    if chip is None:
        return None
    group = _coordinated(doc, s_chips, chip_start) if chip_start is not None else []
    if len(group) > 1:
        chip_start = group[0].start
    cs, ce = _figure_quote(doc, sent, s_qty, q, chip_start)
    if chip_override:
        ce = max(ce, [c for c in s_chips if c.start >= q.end][0].end)
    chips = [c.chip for c in group] if len(group) > 1 else [chip or None]
    if len(group) > 1 and "respectively" in sent.text:
        same = [o for o in s_qty if o.unit == q.unit and o.start > group[-1].end]
        if len(same) != len(group) or q not in same:
            return None  # cannot pair numbers with chips
        chips = [group[same.index(q)].chip]
    if chip and unit and len(chips) == 1:
        doc.last_figure.setdefault(unit.split()[0], []).append((si, chip))
    facts = [_fact("chip_figure", doc, cs, ce, chip=c, metric=metric, value=_round(value),
                   unit=out_unit, approx=q.approx, low=_round(q.low), high=_round(q.high),
                   extra=dict(extra)) for c in dict.fromkeys(chips)]
    return [f for f in facts if f is not None]


_PER_COMPONENT_RE = re.compile(
    r"\s*(?:of\s+[\w-]+\s+)?(?:per|a|each|in\s+each|for\s+each)\s+(?:stack|die|layer)\b", re.I)
_STACK_RE = re.compile(r"\bstacks?\s+(?:each\s+)?(?:hold|carr|contain|stor|ha[sv]|offer|provid|pack)\w*\b(?!\s+been)", re.I)
_COORD_GAP_RE = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|/)\s*(?:the\s+|its\s+)?")


def _coordinated(doc: _Doc, s_chips: list[ChipMention], start: int) -> list[ChipMention]:
    """'The H100 and H800 each carry 80GB': every chip of a coordinated subject."""
    idx = next((i for i, c in enumerate(s_chips) if c.start == start), None)
    if idx is None:
        return []
    lo = hi = idx
    while lo > 0 and _COORD_GAP_RE.fullmatch(doc.text, s_chips[lo - 1].end, s_chips[lo].start):
        lo -= 1
    while hi + 1 < len(s_chips) and _COORD_GAP_RE.fullmatch(
            doc.text, s_chips[hi].end, s_chips[hi + 1].start):
        hi += 1
    return s_chips[lo:hi + 1]


_JA_COMBINED_RE = re.compile(r"\s*(?:つ|個|枚)?\s*(?:を)?\s*(?:組み合わせ|貼り合わせ|統合し|重ね)(?:た|て)[^。、\n]{0,3}?")
_JA_LINKED_RE = re.compile(r"(?:を)?\s*(?:つな|繋|接続し|束ね|搭載し|組み合わせ)[いがげ]?だ?た?[^。、\n]{0,12}\Z")
_IN_SYSTEM_RE = re.compile(
    r"\s*(?:[\w-]+\s+){0,2}?(?:chips|GPUs|accelerators|processors)\s+(?:in|into|per|within)\s+"
    r"(?:a\s+|one\s+|each\s+|the\s+)?(?:single\s+)?(?:system|rack|pod|cluster|supernode|server)\b", re.I)
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
    r"[A-Za-z0-9]['’]s\s+(?:TPP|total\s+processing\s+performance)\b[^.;:\n]{0,40}$", re.I)
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
    r"|export\w*|cap(?:s|ped)?|ceiling|allowed|permitted)\b|規制|上限|基準", re.I,
)
_BULLET_LINE_RE = re.compile(r"[ \t]*(?:[-*•·▪‣◦–—]|\d{1,2}[.)])[ \t]+$")


def _is_bullet(doc: _Doc, sent: Span) -> bool:
    line_start = doc.text.rfind("\n", 0, sent.start) + 1
    return bool(_BULLET_LINE_RE.match(doc.text[line_start:sent.start]))


_COMPANY_RE = re.compile(
    r"\b(?:SMIC|TSMC|Samsung|SK\s+Hynix|Hynix|Micron|Intel|Huawei|AMD|Nvidia|NVIDIA|Cambricon"
    r"|Alibaba|Baidu|Tencent|ByteDance|DeepSeek|Apple|Google|Microsoft|Meta|Amazon|OpenAI"
    r"|Moore\s+Threads|Biren|Hygon|Kunlun|Broadcom|Qualcomm|ASML)\b"
)


_LEADING_COMPANY_RE = re.compile(
    r"(?:[A-Z][a-z]+,\s+|In\s+[\w\s]{1,20},\s+)?(?:the\s+|The\s+)?(?P<co>" + _COMPANY_RE.pattern + ")"
)


_SCORE_VERB_RE = re.compile(
    r"\b(?:scores?|scored|scoring|rates?|rated|comes?\s+in\s+at|came\s+in\s+at|stands?\s+at"
    r"|sits?\s+at|measures?|works?\s+out\s+to)\b|スコア", re.I)
_PD_MENTION_RE = re.compile(r"performance\s+density|性能密度", re.I)
_TPP_MENTION_RE = re.compile(r"\bTPP\b|total\s+processing\s+performance", re.I)


def _metric_context(doc: _Doc, si: int, sent: Span, q: Quantity,
                    before: str) -> tuple[str, str | None] | None:
    """'The H20 scores about 2.9 and the H200 about 19.4' right after the writer named the
    measure (performance density, TPP): a bare score takes that measure."""
    text = doc.text
    seg_start, _ = _segment_bounds(text, sent, q.start)
    if not _SCORE_VERB_RE.search(text, seg_start, q.start) or _POLICY_WORDS_RE.search(text, seg_start, q.start):
        return None
    if re.fullmatch(r"(?:19|20)\d\d", q.text.split()[-1]) or q.value <= 0 or q.value >= 1e5:
        return None
    scopes = [text[sent.start:q.start]]
    if si > 0:
        scopes.append(doc.sentences[si - 1].text)
    for scope in scopes:
        if _PD_MENTION_RE.search(scope):
            if doc.pd_nonstandard:
                return "other", "TFLOPS/die size"
            return "performance_density", None
        if _TPP_MENTION_RE.search(scope):
            return "tpp", None
    return None


def _inherited_subject(doc: _Doc, si: int) -> str | None:
    """Subject of the nearest earlier sentence naming a chip: one step back for prose,
    through the whole list for bullet lines of a fact sheet."""
    sent = doc.sentences[si]
    bullet = _is_bullet(doc, sent)
    if not bullet and sent.end - sent.start > 200:
        return None  # long prose without a chip name is about something else
    # a company as the sentence's subject ("Meanwhile, SMIC's 5nm yields...") owns its numbers;
    # one named later ("built on SMIC's 7nm process", "AMD says") does not
    lead = _LEADING_COMPANY_RE.match(sent.text)
    others = {lead.group("co")} if lead else set()
    if bullet:
        # the heading above the list names the part every bullet describes
        k = si - 1
        while k >= 0 and si - k <= 40 and _is_bullet(doc, doc.sentences[k]):
            k -= 1
        if k >= 0 and k < si - 1:
            heading = doc.sentences[k]
            subj = _sentence_subject(doc, heading) if (
                heading.end - heading.start <= 80 or heading.text.endswith(":")) else None
            if subj and not any(not o.lower().startswith((vendor_of(subj) or "").lower()[:4]) for o in others):
                return subj
    k = si - 1
    while k >= 0 and si - k <= 40:
        subj = _sentence_subject(doc, doc.sentences[k])
        if subj is None and not bullet and k == si - 1:
            m = _ANAPHOR_RE.match(doc.text, doc.sentences[k].start, doc.sentences[k].end)
            subj = _resolve_anaphor(doc, k, m.group("np")) if m else None
        if subj:
            vendor = vendor_of(subj) or ""
            if any(not o.lower().startswith(vendor.lower()[:4]) for o in others):
                return None  # "SMIC's 5nm yields are low": another company's number
            return subj
        if not (bullet and _is_bullet(doc, doc.sentences[k])):
            return None
        k -= 1
    return None


_TRAILING_JOIN_RE = re.compile(
    r"\s+(?:compares?\s+with|compared\s+(?:with|to)|versus|vs\.?|against|and|while|with|to|the"
    r"|a|an|of|at|is|are|was|were|well|far|above|below|than|under|over)\s*$",
    re.I,
)
_LEADING_JOIN_RE = re.compile(r"\s*(?:and|or|but|while|with|plus)\s+", re.I)


def _figure_quote(doc: _Doc, sent: Span, s_qty: list[Quantity], q: Quantity,
                  chip_start: int | None) -> tuple[int, int]:
    """Clause of the number, widened back to its chip and cut before a neighbour figure."""
    text = doc.text
    cs, ce = _clause_around(doc, sent, q.start, q.end)
    near = [o for o in s_qty if o is not q and o.unit is not None]
    prev = [o for o in near if o.end <= q.start]
    nxt = [o for o in s_qty if o is not q and o.start >= q.end]
    if chip_start is not None and chip_start < cs and q.start - chip_start <= 90 and not any(
            chip_start < o.start < q.start for o in prev):
        cs = chip_start
    elif prev and prev[-1].end > cs:
        cut = list(re.finditer(r",\s*|\s+(?:and|while|but|with)\s+", text[prev[-1].end:q.start]))
        cs = prev[-1].end + (cut[-1].end() if cut else 0)
    if nxt and nxt[0].start < ce:
        cut = _FIRST_JOIN_RE.search(text, q.end, nxt[0].start)
        ce = max(q.end, cut.start() if cut else nxt[0].start)
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


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 6)


def _rel_after(doc: _Doc, sent: Span, s_chips: list[ChipMention], q: Quantity) -> ChipMention | None:
    text = doc.text
    for c in s_chips:
        if c.start < q.end:
            continue
        gap = text[q.end:c.start]
        if len(gap) > 140 or ";" in gap:
            return None
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


def _rel_before(doc: _Doc, sent: Span, s_chips: list[ChipMention], q: Quantity) -> ChipMention | None:
    text = doc.text
    prev = [c for c in s_chips if c.end <= q.start]
    for c in reversed(prev):
        if _JA_BASELINE_RE.match(text, c.end):
            return c  # "H20と比べると、910Cの演算性能は約3倍": the baseline, not the topic
    if prev:
        c = prev[-1]
        gap = text[c.end:q.start]
        if _JA_REL_GAP_RE.match(gap):
            return c
    for c in prev:
        b = text[max(sent.start, c.start - 40):c.start]
        if re.search(r"(?:compared\s+(?:to|with)|relative\s+to|versus|vs\.?|against|than"
                     r"|unlike|ahead\s+of|behind|over|outperform\w*|outpac\w*|beat\w*|exceed\w*"
                     r"|surpass\w*|tops?|topped|lead\w*|trail\w*|lag\w*)\s+(?:[\w'’-]+\s+){0,3}$",
                     b, re.I):
            return c
    return None


def _referred_subject(doc: _Doc, si: int, sent: Span, s_chips: list[ChipMention], q: Quantity,
                      rel: ChipMention | None) -> tuple[str | None, int | None]:
    """The subject of a comparison or lag that names no chip of its own: a sentence-initial
    "It"/"The chip", a described part ("Nvidia's chip"), or a mid-sentence "it"."""
    text = doc.text
    m = _ANAPHOR_RE.match(text, sent.start, sent.end)
    if m:
        chip = _resolve_anaphor(doc, si, m.group("np"))
        if chip is not None:
            return chip, m.start("np")
    chip, start = _described_subject(doc, si, sent, q.start, rel)
    if chip is not None:
        return chip, start
    if rel is not None and not any(c.end <= q.start and c is not rel for c in s_chips):
        m = _MID_ANAPHOR_RE.search(text, sent.start, q.start)
        if m and not _OBJECT_MARKER_RE.search(text, max(sent.start, m.start() - 60), m.start()):
            chip = _resolve_anaphor(doc, si, "it")
            if chip is not None and chip != rel.chip:
                return chip, m.start()
    return None, None


def _comparison(doc: _Doc, si: int, sent: Span, s_chips: list[ChipMention],
                s_qty: list[Quantity], q: Quantity) -> list[Fact] | None:
    text = doc.text
    margin = _by_margin(text, sent, q)
    negative = bool(_NEG_CMP_RE.match(text, q.end)) or bool(_JA_NEG_RE.match(text, q.end)) or bool(
        margin and re.match(r"trail|lag", margin.group("verb"), re.I))
    if margin and q.unit == "x":
        return None  # "beats it by two times" is unusual wording; skip rather than guess
    if q.unit == "x" and not re.search(r"倍(?:近く|程度|前後|以上|ほど|余り|あまり)?$", q.text) and "分の" not in q.text and "半分" not in q.text and not (
            _POS_CMP_RE.match(text, q.end) or negative or margin):
        # "six times" needs a comparative or "the/as" construction; "three times a year" no
        if not re.match(r"^\s*(?:the|that|as|those|what|an?\s|[A-Z]\w*\d|[A-Z]\w*['’]s\s)",
                        text[q.end:q.end + 30]) and not _ITS_OBJECT_RE.match(text, q.end) and not (
                q.value < 1 and re.match(r"\s+of\s+(?:the\s|that\s|those\s|its\s|it\b|[A-Z0-9])", text[q.end:q.end + 30])):
            return None
    if re.match(r"\s*as\s+(?:many|much|often)\b", text[q.end:q.end + 20]) and not _AS_MUCH_AS_CHIP_RE.match(
            text, q.end, min(sent.end, q.end + 60)) and not re.match(r"\s*as\s+much\s*(?:[,;.)]|$)",
                                                               text[q.end:q.end + 20]):
        return None  # "three times as many units as": sales, not performance
    if _ANY_OF_THEM_RE.match(text, q.end, min(sent.end, q.end + 60)):
        return None  # "twice the memory of any of them": no one chip to hold it against
    rel = _rel_after(doc, sent, s_chips, q)
    if rel is None:
        rel = _rel_before(doc, sent, s_chips, q)
    # subject: nearest chip before the number that is not the relative chip, nor the
    # relative of an earlier ratio ("1.8 times the memory of Nvidia's H200 and 25% more bandwidth")
    subj_chip: str | None = None
    subj_start: int | None = None
    earlier_rels = [r for o in s_qty if o.unit in ("x", "%") and o.end <= q.start
                    and (r := _rel_after(doc, sent, s_chips, o)) is not None and r.end <= q.start]
    described = _vendor_described_pair(doc, sent, s_chips, q, rel)
    if described is not None:
        (subj_chip, subj_start), rel = described
    for c in [] if subj_chip is not None else reversed([c for c in s_chips if c.end <= q.start and c is not rel
                       and (rel is None or c.chip != rel.chip) and c not in earlier_rels]):
        if not _is_object(text, sent, c) or _SUBJECT_JA_RE.match(text, c.end):
            subj_chip, subj_start = c.chip, c.start
            break
    if subj_chip is None and not any(c.end <= q.start and c is not rel for c in s_chips):
        system = _system_anaphor(doc, si, sent, q.start)
        if system is not None:
            m = _SYSTEM_NP_RE.search(text, sent.start, q.start)
            subj_chip, subj_start = system, m.start() if m else None
    if subj_chip is None:
        subj_chip, subj_start = _referred_subject(doc, si, sent, s_chips, q, rel)
    if subj_chip is None and not any(c.end <= q.start and c is not rel for c in s_chips):
        m = _MAKE_IT_RE.search(text, max(sent.start, q.start - 40), q.start) or \
            _THAT_IS_RE.fullmatch(text, sent.start, q.start)
        if m:
            subj_chip, subj_start = _resolve_anaphor(doc, si, "it"), m.start()
    if subj_chip is None and not any(c.end <= q.start and c is not rel and not _is_object(text, sent, c)
                                     for c in s_chips):
        it = _clause_it(doc, sent, q.start)
        if it is not None:
            subj_chip, subj_start = _resolve_anaphor(doc, si, "it"), it
    if subj_chip is None and _is_bullet(doc, sent) and (rel is None or all(
            c is rel or _is_object(text, sent, c) for c in s_chips)):
        subj_chip = _inherited_subject(doc, si)  # a bullet under a part's heading
    if subj_chip is None and rel is not None and doc.last_cmp is not None and si - doc.last_cmp[0] == 1 \
            and doc.last_cmp[2] == rel.chip and re.search(r"[ぁ-んァ-ヶ一-龥]は", text[sent.start:rel.start]) \
            and not any(c.end <= q.start and c is not rel for c in s_chips):
        # 「910Cの性能はH20の約3倍。一方で消費電力はH20の2倍近く」: the pair just compared
        subj_chip = doc.last_cmp[1]
    if rel is None and subj_chip is not None and _EXPLICIT_CMP_RE.match(text, q.end):
        # "the H100 is roughly 6.7 times faster": measured against the part just discussed
        rel = _context_chip(doc, si, subj_chip)
    tail_partner = False
    if rel is None and subj_chip is not None and q.unit == "%" and _TAIL_MORE_RE.match(text, q.end, sent.end):
        # "the H200 manages 989 teraflops, about a quarter more.": more than the last chip
        # given a figure in the same unit
        figs = [o for o in s_qty if o.end <= q.start and o.unit]
        prior = next((p for p in reversed(doc.last_figure.get(figs[-1].unit.split()[0], [])) if p[0] < si),
                     None) if figs else None
        if prior and si - prior[0] <= 2 and prior[1] != subj_chip:
            rel = ChipMention(prior[1], vendor_of(prior[1]), q.start, q.start)
            tail_partner = True
    if rel is None and subj_chip is not None and q.unit == "x" and q.value < 1 and re.match(
            r"\s+of\s+it\b", text[q.end:q.end + 10]):
        # "148 teraflops against 989 for the H100, or roughly one-seventh of it"
        rel = _context_chip(doc, si, subj_chip)
    if rel is None and subj_chip is not None and q.unit == "x" and re.match(
            r"\s+(?:that|this)(?:\s+again)?\s*(?:[,;.)]|and\b|$)", text[q.end:q.end + 20]):
        # "the B200 delivers 2.5 times the H200's throughput, and Rubin perhaps double that
        # again": "that" is the last figure, held by the chip that figure belongs to
        prior = [o for o in s_qty if o.end <= q.start and o is not q and o.unit]
        if prior:
            o = prior[-1]
            o_rel = _rel_after(doc, sent, s_chips, o)
            owner = next((c for c in reversed(s_chips) if c.end <= o.start and c is not o_rel), None)
            if owner is not None and owner.chip != subj_chip:
                rel = owner
    if rel is None and subj_chip is not None and q.unit == "x" and _ITS_OBJECT_RE.match(text, q.end):
        # "the MI355X offers roughly eight times its throughput": "its" is the part just discussed
        rel = _context_chip(doc, si, subj_chip)
    carried = tail_partner
    if rel is None and subj_chip is not None and doc.last_cmp is not None and si - doc.last_cmp[0] <= 2 \
            and doc.last_cmp[1] == subj_chip and _CARRIED_REL_RE.match(text, q.end, min(sent.end, q.end + 60)):
        # "3.6 times that of its foreign counterpart", "2.1 times as much": the pair just compared
        rel = ChipMention(doc.last_cmp[2], vendor_of(doc.last_cmp[2]), q.start, q.start)
        carried = True
    if rel is None or subj_chip is None or subj_chip == rel.chip:
        return None
    # value and direction
    fraction = q.unit == "%" and bool(_PCT_FRACTION_RE.match(text, q.end) or _JA_FRACTION_RE.match(text, q.end))
    if q.unit == "%" and _MONEY_WORDS_RE.search(text, q.end, min(sent.end, rel.end + 25)):
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
        start = min(start, rel.start)
        end = max(end, _phrase_end(text, sent, q))
    nxt = [o for o in others if q.end <= o.start < end]
    if nxt:
        cut = _JOIN_BEFORE_NEXT_RE.search(text, q.end, nxt[0].start)
        end = cut.start() if cut else nxt[0].start
        end = max(end, q.end)
    if (rel.start > q.start or carried) and end == q.end:
        end = _phrase_end(text, sent, q)
    doc.last_cmp = (si, subj_chip, rel.chip)
    facts = [_fact("chip_comparison", doc, start, end, chip=stronger, metric=metric,
                   value=_round(value), unit="x", relative_to=weaker, approx=q.approx,
                   low=_round(low), high=_round(high),
                   extra={"as_written": q.text} if q.unit == "%" or negative else {})
             for metric in _comparison_metric(doc, sent, s_qty, q)]
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
_AS_MUCH_AS_CHIP_RE = re.compile(
    r"\s*as\s+much\s+(?:(?:power|energy|electricity|memory|bandwidth|compute|computing\s+power)\s+)?as\s+"
    r"(?:the\s+|an?\s+)?(?:(?:Nvidia|NVIDIA|Huawei|AMD)(?:['’]s)?\s+)?(?:[a-z]+-[a-z]+\s+)?[A-Z0-9]")
_EXPLICIT_CMP_RE = re.compile(
    r"\s*(?:(?:more|less)\s+(?:powerful|capable|efficient)|faster|slower|quicker|stronger|weaker"
    r"|(?:more|higher|greater|larger|lower|less)\s+(?:memory|bandwidth|compute|performance|throughput"
    r"|computing|processing))\b(?!\s+(?:than\s+)?(?:expected|forecast|anticipated|analysts|last|a\s+year|before)\b)", re.I)
_CMP_METRIC_WORDS = (
    (re.compile(r"performance\s+density|性能密度", re.I), "performance_density"),
    (re.compile(r"memory\s+bandwidth|bandwidth|メモリ帯域|帯域", re.I), "memory_bandwidth"),
    (re.compile(r"memory\s+capacity|memory|HBM|メモリ容量|メモリ", re.I), "memory_capacity"),
    # TPP is the rules' performance score: a TPP ratio is a performance ratio (baseline B05)
    (re.compile(r"\bTPP\b|(?:total\s+)?processing\s+performance", re.I), "performance_ratio"),
    (re.compile(r"expensive|costl|pric|cheaper", re.I), "price"),
    (re.compile(r"\b(?<!computing\s)(?<!compute\s)(?<!processing\s)(?:power|energy|electricity|watts?|draws?"
                r"|consum\w+)\b|消費電力", re.I), "other"),
    (re.compile(r"\b(?:performance|compute|computing|faster|slower|quicker|powerful|capable"
                r"|throughput|speed|FLOPS|teraflops|petaflops)\b|性能|演算", re.I), "performance_ratio"),
)
_METRIC_STOP_RE = re.compile(r"[,;.!?。、]|\s(?:while|but|whereas)\s")
_UNIT_METRIC = {"TB/s": "memory_bandwidth", "GB": "memory_capacity", "W": "other", "USD": "price"}


def _comparison_metric(doc: _Doc, sent: Span, s_qty: list[Quantity], q: Quantity) -> list[str]:
    """What a ratio measures: the words right after it ("76% more memory"), else the words
    just before it ("TPP ... is seven times"), else the units of the figures it relates
    ("141GB against 128GB, roughly 10% more")."""
    text = doc.text
    stop = _METRIC_STOP_RE.search(text, q.end, min(sent.end, q.end + 60))
    after = text[q.end:stop.start() if stop else min(sent.end, q.end + 60)]
    found: list[tuple[int, int, str]] = []
    for rx, name in _CMP_METRIC_WORDS:
        m = rx.search(after)
        if m:
            found.append((m.start(), m.end(), name))
    if found:
        found.sort(key=lambda f: (f[0], -f[1]))  # "memory bandwidth" before its "memory"
        names = [found[0][2]]
        # "half the B300's compute and memory": one ratio, two measures
        for (s0, e0, n0), (s1, e1, n1) in zip(found, found[1:]):
            if re.fullmatch(r"\s*(?:and|&|as\s+well\s+as)\s*", after[e0:s1]) and n1 not in names:
                names.append(n1)
            else:
                break
        return names
    seg_start, _ = _segment_bounds(text, sent, q.start)
    before = text[max(seg_start, q.start - 100):q.start]
    last: tuple[int, str] | None = None
    for rx, name in _CMP_METRIC_WORDS:
        for m in rx.finditer(before):
            if last is None or m.end() > last[0]:
                last = (m.end(), name)
    if last:
        return [last[1]]
    if last is None:
        cs, ce = _segment_bounds(text, sent, q.start)
        # the nearest figure's unit: "288GB, half as much again as the B200's 192GB, and 8TB/s"
        near = sorted((o for o in s_qty if o is not q and cs <= o.start < ce and o.unit in _UNIT_METRIC),
                      key=lambda o: min(abs(o.start - q.end), abs(q.start - o.end)))
        if near:
            return [_UNIT_METRIC[near[0].unit]]
    return ["performance_ratio"]


def _context_chip(doc: _Doc, si: int, subject: str) -> ChipMention | None:
    """The chip the text discussed last, other than `subject` (this or the two sentences
    before)."""
    sent = doc.sentences[si]
    lo = doc.sentences[max(0, si - 2)].start
    i = bisect.bisect_left(doc.chip_starts, sent.end) - 1
    while i >= 0 and doc.chips[i].start >= lo:
        c = doc.chips[i]
        if c.chip != subject and c.chip not in _ARCHITECTURES:
            return c
        i -= 1
    return None


def _phrase_end(text: str, sent: Span, q: Quantity) -> int:
    """End of the comparative phrase after a number ("faster at AI training")."""
    m = re.compile(r"[^,;.—()\n]*").match(text, q.end, sent.end)
    end = m.end() if m else q.end
    # stop before a following conjunction that starts a new comparison
    j = re.search(r"\s+(?:and|while|but)\s+(?:up\s+to\s+|about\s+|roughly\s+)?(?:\d|[a-z]+\s+times)",
                  text[q.end:end])
    if j:
        end = q.end + j.start()
    return end


_SECOND_LAG_GAP_RE = re.compile(
    r"[^.;:]{0,60}?\s(?:in|on|for)\s+[^.;:\d,]{1,30}?,?\s+(?:and|but)\s+(?:by\s+)?"
    r"(?:(?:closer|nearer|close)\s+to\s+|(?:about|roughly|almost|nearly|some|perhaps)\s+)?")
_LAG_TOPIC_END_RE = re.compile(r"\s+(?:in|on|for)\s+[\w'’-]+(?:\s+(?!and\b|but\b|while\b)[\w'’-]+){0,2}")


def _second_lag(doc: _Doc, si: int, sent: Span, s_chips: list[ChipMention],
                s_qty: list[Quantity], q: Quantity) -> Fact | None:
    """"by 18 months in compute and by closer to three years in bandwidth": the same two chips, a second lag."""
    prev = [p for p in s_qty if p.unit == "months" and p.end <= q.start]
    if not prev or not _SECOND_LAG_GAP_RE.fullmatch(doc.text, prev[-1].end, q.start):
        return None
    first = _lag(doc, si, sent, s_chips, s_qty, prev[-1])
    if first is None:
        return None
    m = _LAG_TOPIC_END_RE.match(doc.text, q.end, sent.end)
    return _fact(first.kind, doc, q.start, m.end() if m else q.end, chip=first.chip, metric=first.metric,
                 value=_round(q.value), unit="months", relative_to=first.relative_to, approx=q.approx,
                 low=_round(q.low), high=_round(q.high), extra=dict(first.extra or {}))


def _lag(doc: _Doc, si: int, sent: Span, s_chips: list[ChipMention],
         s_qty: list[Quantity], q: Quantity) -> Fact | None:
    text = doc.text
    after_m = _LAG_AFTER_RE.match(text, q.end)
    before = text[max(sent.start, q.start - 80):q.start]
    before_m = _LAG_BEFORE_RE.search(before)
    if not after_m and not before_m:
        return _second_lag(doc, si, sent, s_chips, s_qty, q)
    cue = (after_m.group() if after_m else "") + (before_m.group() if before_m else "")
    ahead = bool(_LAG_AHEAD_RE.search(cue))
    # the other side: a chip after "behind"/"ahead of"/"than", or before "より" (Japanese)
    rel: ChipMention | None = None
    for c in s_chips:
        if c.start >= q.end and c.start - q.end <= 60 and \
                re.search(r"\b(?:behind|of|than|to)\s+(?:[\w'’-]+\s+){0,3}$", text[q.end:c.start]):
            rel = c
            break
    if rel is None and before_m:
        for c in s_chips:
            if c.end <= q.start and c.start >= q.start - 80 and re.search(
                    r"\b(?:lag\w*|trail\w*|behind)\s+(?:[\w'’-]+\s+){0,3}$",
                    text[max(sent.start, c.start - 40):c.start], re.I):
                rel = c
                break
    if rel is None:
        prev = [c for c in s_chips if c.end <= q.start]
        if prev and re.fullmatch(r"\s*(?:より|に比べ(?:て)?|と比べ(?:て)?)\s*",
                                 text[prev[-1].end:q.start]):
            rel = prev[-1]
        else:
            # "H20と比べると、910Cの演算性能は約3倍": the chip marked as the baseline
            for c in reversed(prev):
                if _JA_BASELINE_RE.match(text, c.end):
                    rel = c
                    break
    subj_chip: str | None = None
    subj_start: int | None = None
    for c in reversed([c for c in s_chips if c.end <= q.start and c is not rel]):
        if not _is_object(text, sent, c) or _SUBJECT_JA_RE.match(text, c.end):
            subj_chip, subj_start = c.chip, c.start
            break
    if subj_chip is None:
        subj_chip, subj_start = _referred_subject(doc, si, sent, s_chips, q, rel)
    if subj_chip is None:
        if rel is not None or not _LAG_CUE_RE.search(cue) or not _CHIP_TOPIC_RE.search(sent.text):
            return None
        # "Chinese AI chip design is three to four years behind the United States"
        end = _phrase_end(text, sent, q) if after_m else q.end
        start = before_m.start() + max(sent.start, q.start - 80) if before_m and not after_m else q.start
        return _fact("chip_figure", doc, start, end, chip=None, metric="lag_months",
                     value=_round(q.value), unit="months", approx=q.approx,
                     low=_round(q.low), high=_round(q.high),
                     extra={"direction": "ahead" if ahead else "behind"})
    start = subj_start if subj_start is not None and subj_start < q.start else q.start
    end = q.end + (after_m.end() - q.end if after_m else 0)
    if rel is not None:
        end = max(end, rel.end)
        start = min(start, rel.start)
    elif after_m:
        end = _phrase_end(text, sent, q)
    if rel is None or rel.chip == subj_chip:
        return _fact("chip_figure", doc, start, end, chip=subj_chip, metric="lag_months",
                     value=_round(q.value), unit="months", approx=q.approx,
                     low=_round(q.low), high=_round(q.high),
                     extra={"direction": "ahead" if ahead else "behind"})
    leader, laggard = (subj_chip, rel.chip) if ahead else (rel.chip, subj_chip)
    return _fact("chip_comparison", doc, start, end, chip=leader, metric="lag_months",
                 value=_round(q.value), unit="months", relative_to=laggard,
                 approx=q.approx, low=_round(q.low), high=_round(q.high))


# ---------------------------------------------------------------------------- parallel lists

_NUM_LIST_GAP_RE = re.compile(
    r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:(?:about|roughly|around|some|nearly|almost)\s+)?")
_RESPECTIVELY_RE = re.compile(r"\brespectively\b", re.I)
_RANGE_BEFORE_RE = re.compile(r"\b(?:between|from)\s+(?:about\s+|roughly\s+|around\s+)?$", re.I)
_EACH_RE = re.compile(r"\b(?:each|both|all|apiece|combined|together|total)\b", re.I)
_LIST_UNITS = {"TB/s", "GB/s", "GB", "W", "nm", "USD", None}


def _runs(items: list, joined) -> list[list]:  # noqa: ANN001 - chips or quantities
    """Maximal runs of consecutive items whose gaps satisfy `joined`."""
    runs: list[list] = []
    for it in items:
        if runs and joined(runs[-1][-1], it):
            runs[-1].append(it)
        else:
            runs.append([it])
    return [r for r in runs if len(r) >= 2]


def _list_facts(doc: _Doc, sent: Span, s_chips: list[ChipMention],
                s_qty: list[Quantity]) -> tuple[list[Fact], set[int]]:
    """'The H100, H800 and H20 offer 3.35, 3.35 and 4.0 TB/s, respectively': pair in order."""
    if len(s_chips) < 2 or len(s_qty) < 2:
        return [], set()
    text = doc.text
    chip_lists = _runs(s_chips, lambda a, b: bool(_COORD_GAP_RE.fullmatch(text, a.end, b.start)))
    if not chip_lists:
        return [], set()

    def q_joined(a: Quantity, b: Quantity) -> bool:
        return (a.low is None and b.low is None and a.unit in _LIST_UNITS and b.unit in _LIST_UNITS
                and (a.unit is None or a.unit == b.unit)
                and bool(_NUM_LIST_GAP_RE.fullmatch(text, a.end, b.start)))

    num_lists = _runs(s_qty, q_joined)
    if not num_lists:
        return [], set()
    respectively = bool(_RESPECTIVELY_RE.search(text, sent.start, sent.end))
    if not respectively and (len(chip_lists) != 1 or len(num_lists) != 1
                             or len(chip_lists[0]) != len(s_chips)):
        return [], set()
    facts: list[Fact] = []
    handled: set[int] = set()
    for nums in num_lists:
        cands = [cl for cl in chip_lists if len(cl) == len(nums)]
        if len(cands) != 1 or _RANGE_BEFORE_RE.search(text, sent.start, nums[0].start):
            continue
        cl = cands[0]
        lo, hi = min(cl[0].start, nums[0].start), max(cl[-1].end, nums[-1].end)
        between = text[min(cl[-1].end, nums[-1].end):max(cl[0].start, nums[0].start)]
        apart = bool(_CLAUSE_CUT_RE.search(between))
        if not respectively and (len(between) > 60 or apart or _EACH_RE.search(between)):
            continue
        if apart and cl[0].start < nums[0].start:  # "..., while their sizes are 80GB, 80GB and 96GB"
            lo = _clause_around(doc, sent, nums[0].start, nums[0].start)[0]
        else:
            lo = _clause_around(doc, sent, lo, lo)[0]
        _, c_hi = _clause_around(doc, sent, hi, hi)
        unit = nums[-1].unit
        label = text[lo:c_hi]
        if unit is None and any(n.unit for n in nums):
            continue
        made: list[Fact] = []
        for c, n in zip(cl, nums):
            q = Quantity(n.value, unit, n.start, n.end, n.text, approx=n.approx)
            mu = _cell_metric(label, q)
            if mu is None:
                break
            metric, out_unit = mu
            f = _fact("chip_figure", doc, lo, c_hi, chip=c.chip, metric=metric, value=_round(n.value),
                      unit=out_unit, approx=n.approx, extra={"list": True})
            if f is None:
                break
            made.append(f)
        else:
            facts.extend(made)
            handled.update(n.start for n in nums)
    return facts, handled
