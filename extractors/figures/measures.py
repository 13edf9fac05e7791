"""What a number measures, from the metrics table (extractors/lexicon/metrics.toml).

The figure rules ask three questions of the vocabulary: which metric a unit is, which
measure a table label or a ratio's words name, and whether a clause speaks of memory or
of an interconnect. All three are answered from the table's rows, compiled once here.
"""

from __future__ import annotations

import re

from chipwatch.extractors.language.numbers import Quantity
from chipwatch.extractors.language.units import metrics, precision_pattern, unit_metric

_TABLE = metrics()

PRECISION_RE = re.compile(rf"\b(?:{precision_pattern()})\b")
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
