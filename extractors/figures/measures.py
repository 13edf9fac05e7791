"""What a number measures, from the metrics table (extractors/lexicon/metrics.toml).

The figure rules ask three questions of the vocabulary: which metric a unit is, which
measure a table label or a ratio's words name, and whether a clause speaks of memory or
of an interconnect. All three are answered from the table's rows, compiled once here.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from chipwatch.extractors.figures.doc import Doc
from chipwatch.extractors.language.numbers import Quantity
from chipwatch.extractors.language.sentences import Span
from chipwatch.extractors.language.units import METRICS_FILE, metrics, precision_pattern, unit_metric

_TABLE = metrics()

# ASCII edges, not \b: in 「FP8の演算性能」 the kana after "FP8" is a word character too
PRECISION_RE = re.compile(rf"(?<![A-Za-z0-9])(?:{precision_pattern()})(?![A-Za-z0-9])")
INTERCONNECT_RE = re.compile(_TABLE.measure("interconnect").words or "(?!)", re.I)
MEMORY_RE = re.compile(_TABLE.measure("memory_capacity").words or "(?!)", re.I)

# (label pattern, metric, unit) in the order a label is tried
LABEL_METRICS = tuple(
    (re.compile(label, re.I), m.metric, m.unit)
    for m in sorted(_TABLE.measures, key=lambda m: m.label_rank)
    if (label := m.label)
)
# (words pattern, (metric, unit), also read before the ratio) in the order a ratio's words are tried
CMP_METRIC_WORDS = tuple(
    (re.compile(words, re.I), (m.compare_as, m.compare_unit), m.compare_before)
    for m in sorted(_TABLE.measures, key=lambda m: m.compare_rank)
    if (words := m.compare)
)
# units of a chip's own specification, with every precision a FLOPS figure may carry
SPEC_UNITS = frozenset(_TABLE.spec_units) | {f"TFLOPS {p}" for p in _TABLE.precisions}
# units that may be paired with chips in a parallel list (None: a bare number)
LIST_UNITS = frozenset(_TABLE.listable_units) | {None}


def cell_metric(label: str, q: Quantity) -> tuple[str, str | None] | None:
    """Metric and unit of a table cell from its column (or row) label and its own unit."""
    unit = q.unit
    if unit is not None and (unit.startswith("TFLOPS") or unit == "TOPS"):
        p = PRECISION_RE.search(label)
        return "compute_flops", f"{unit} {p.group()}" if p and " " not in unit else unit
    if unit in ("TB/s", "GB/s"):
        if INTERCONNECT_RE.search(label):
            return "other", unit
        return ("memory_bandwidth", unit) if unit == "TB/s" or MEMORY_RE.search(label) or re.search(
            r"bandwidth", label, re.I) else ("other", unit)
    metric = unit_metric(unit)
    if metric is not None:
        return metric, unit
    if unit is not None:
        return None
    for rx, metric, label_unit in LABEL_METRICS:
        if rx.search(label):
            if metric == "compute_flops":
                p = PRECISION_RE.search(label)
                return metric, f"TFLOPS {p.group()}" if p else "TFLOPS"
            return metric, label_unit
    return None


@dataclass(frozen=True)
class StoredForm:
    """How a figure read as (metric, unit) is stored: the canonical unit and the factor into it."""
    metric: str
    unit: str
    stored: str
    factor: float


def _stored_forms() -> dict[tuple[str, str], StoredForm]:
    with METRICS_FILE.open("rb") as fh:
        rows = tomllib.load(fh).get("stored", [])
    forms = [StoredForm(str(r["metric"]), str(r["unit"]), str(r["stored"]), float(r["factor"])) for r in rows]
    return {(f.metric, f.unit): f for f in forms}


STORED_FORMS = _stored_forms()


def stored_form(metric: str | None, unit: str | None) -> tuple[str | None, float]:
    """Canonical unit and factor of a chip figure's (metric, unit); a range or other
    qualifier in parentheses is kept: "TB/s (range 1.6–2)" -> "GB/s (interconnect; range ...)"."""
    if metric is None or unit is None:
        return unit, 1.0
    base, _, qualifier = unit.partition(" (")
    form = STORED_FORMS.get((metric, base))
    if form is None:
        return unit, 1.0
    if not qualifier:
        return form.stored, form.factor
    if form.stored.endswith(")"):
        return f"{form.stored[:-1]}; {qualifier}", form.factor
    return f"{form.stored} ({qualifier}", form.factor


# 「FP8での演算性能は950PR、950DTともに1ペタFLOPS」, "At FP8, the B200 ...": a precision
# named as the topic of the sentence, before the clause of the number
_TOPIC_PRECISION_RE = re.compile(r"\s*(?:で|での|の)?[^、。,;]{0,8}?(?:は|では|も)|,")
_AT_PRECISION_RE = re.compile(r"\s*(?:At|In|Under)\s+$", re.I)


def topic_precision(doc: Doc, sent: Span, cs: int) -> re.Match[str] | None:
    """The precision a sentence names as its topic ("At FP8,", 「FP8では」) before the
    number's clause: it holds for every figure of the sentence."""
    text = doc.text
    found = [p for p in PRECISION_RE.finditer(text, sent.start, cs)
             if _TOPIC_PRECISION_RE.match(text, p.end()) and (
                 text[p.end()] != "," or _AT_PRECISION_RE.search(text, sent.start, p.start()))]
    return found[-1] if found else None


def with_range(unit: str | None, low: float, high: float) -> str:
    """"USD" -> "USD (range 12,000–15,000)"; "chips (orders)" -> "chips (orders; range ...)"."""
    span = f"range {_plain(low)}–{_plain(high)}"
    if unit and unit.endswith(")") and "(" in unit:
        return f"{unit[:-1]}; {span})"
    return f"{unit} ({span})" if unit else f"({span})"


def _plain(v: float) -> str:
    return f"{v:,.0f}" if v == int(v) else f"{v:,.6g}"


_SIZE_WORDS = {"two": 2, "four": 4, "eight": 8, "sixteen": 16}
_N = r"\d{1,2}|two|four|eight|sixteen"
_BOX = r"servers?|boards?|baseboards?|machines?|boxes|box|nodes?|サーバー|基板|ボード"
_BOX_SIZE_RE = re.compile(
    # "a complete eight-GPU H20 server", "an 8-chip board"
    rf"\b(?P<n>{_N})[- ](?:GPU|chip|card|accelerator|way)s?\s+(?:[\w-]+\s+){{0,2}}?(?P<box>{_BOX})\b"
    # "a server built around eight of the chips", "servers built on eight H20 chips"
    rf"|\b(?P<box2>{_BOX})\s+(?:built|based)\s+(?:around|on|with)\s+(?P<n2>{_N})\s+(?:of\s+(?:the|its|these)\s+)?"
    r"(?:[\w-]+\s+)?(?:chips|GPUs|cards|accelerators)\b"
    # 「8基を搭載したHGX H200基板」
    rf"|(?P<n3>\d{{1,2}})(?:基|個|枚)を?搭載し?た?[^。、\n]{{0,16}}?(?P<box3>{_BOX})", re.I)


def box_size(text: str, start: int, end: int) -> str | None:
    """'(8-GPU server)' when the figure in text[start:end] is of a server or board built
    from N chips, the qualifier of a price or memory that is not per chip (CONVENTIONS 4)."""
    m = _BOX_SIZE_RE.search(text, start, end)
    if m is None:
        return None
    n = m.group("n") or m.group("n2") or m.group("n3")
    box = (m.group("box") or m.group("box2") or m.group("box3")).lower()
    size = _SIZE_WORDS.get(n.lower()) or int(n)
    kind = "board" if box.startswith(("board", "baseboard", "基板", "ボード")) else "server"
    return f"{size}-GPU {kind}"
