"""Units, precisions and measures of chip figures, read from the metrics table.

The knowledge "which words and units name which metric" lives once, in
`extractors/lexicon/metrics.toml`; the number reader and the figure extractor both take it
from `metrics()` here. Rows are validated into typed records so that a bad row fails at
import with its position, not later on some article.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from chipwatch.errors import RuleTableError
from chipwatch.extractors.facts import METRICS

METRICS_FILE = Path(__file__).resolve().parent.parent / "lexicon" / "metrics.toml"


MetricsTableError = RuleTableError  # a row of the metrics table that cannot be used


@dataclass(frozen=True)
class UnitForm:
    """One way a unit is written after a number, and how to turn it canonical."""

    written: str  # regular expression
    canonical: str
    factor: float
    ignore_case: bool


@dataclass(frozen=True)
class Measure:
    """A measure a figure can carry: a fact metric plus its canonical unit and words."""

    name: str
    metric: str
    unit: str | None
    units: tuple[str, ...]
    words: str | None
    label: str | None
    label_rank: int
    compare: str | None
    compare_as: str
    compare_rank: int
    compare_unit: str = "x"  # "x", or "x (what)" for a ratio stored as metric other
    compare_before: bool = True  # the words may also stand before the ratio


@dataclass(frozen=True)
class MetricsTable:
    unit_forms: tuple[UnitForm, ...]
    spec_units: frozenset[str]
    listable_units: frozenset[str]
    precisions: tuple[str, ...]
    written_precisions: tuple[str, ...]
    measures: tuple[Measure, ...]

    def measure(self, name: str) -> Measure:
        for m in self.measures:
            if m.name == name:
                return m
        raise KeyError(name)


def _pattern(row: dict, key: str, where: str) -> str | None:
    value = row.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise MetricsTableError(f"{where}: {key} must be a non-empty string")
    try:
        re.compile(value)
    except re.error as exc:
        raise MetricsTableError(f"{where}: {key} is not a valid pattern: {exc}") from None
    return value


def _joined(row: dict, key: str, where: str) -> str | None:
    """English words, then the Japanese ones as further alternatives."""
    en, ja = _pattern(row, key, where), _pattern(row, f"{key}_ja", where)
    if en and ja:
        return f"{en}|{ja}"
    return en or ja


def parse_metrics(data: dict, source: str = "metrics.toml") -> MetricsTable:
    """Validate the parsed TOML of a metrics table into records."""
    forms = []
    for i, row in enumerate(data.get("unit", []), start=1):
        where = f"{source}: unit {i}"
        written = _pattern(row, "written", where)
        canonical = row.get("canonical")
        if written is None or not isinstance(canonical, str):
            raise MetricsTableError(f"{where}: needs written and canonical")
        factor = row.get("factor", 1)
        if not isinstance(factor, (int, float)) or factor <= 0:
            raise MetricsTableError(f"{where}: factor must be a positive number")
        forms.append(UnitForm(written, canonical, float(factor), bool(row.get("ignore_case", True))))
    roles = data.get("unit_roles", {})
    precision = data.get("precision", {})
    measures = []
    for i, row in enumerate(data.get("measure", []), start=1):
        where = f"{source}: measure {i} ({row.get('name')})"
        metric = row.get("metric")
        compare_as = row.get("compare_as", metric)
        for m in (metric, compare_as):
            if m not in METRICS:
                raise MetricsTableError(f"{where}: {m!r} is not a metric of the fact vocabulary")
        measures.append(Measure(
            name=str(row.get("name") or metric), metric=metric, unit=row.get("unit"),
            units=tuple(row.get("units", ())), words=_joined(row, "words", where),
            label=_pattern(row, "label", where), label_rank=int(row.get("label_rank", 999)),
            compare=_joined(row, "compare", where), compare_as=compare_as,
            compare_rank=int(row.get("compare_rank", 999)),
            compare_unit=str(row.get("compare_unit", "x")),
            compare_before=bool(row.get("compare_before", True)),
        ))
    return MetricsTable(
        unit_forms=tuple(forms), spec_units=frozenset(roles.get("spec", ())),
        listable_units=frozenset(roles.get("listable", ())),
        precisions=tuple(precision.get("words", ())),
        written_precisions=tuple(precision.get("written_only", ())),
        measures=tuple(measures),
    )


@lru_cache(maxsize=1)
def metrics() -> MetricsTable:
    """The shipped metrics table (the one place that reads the file)."""
    with METRICS_FILE.open("rb") as fh:
        return parse_metrics(tomllib.load(fh), METRICS_FILE.name)


def unit_metric(unit: str | None) -> str | None:
    """The metric a bare quantity in `unit` carries ("TB/s" -> memory_bandwidth)."""
    for m in metrics().measures:
        if unit in m.units:
            return m.metric
    return None


def precision_pattern(written: bool = False) -> str:
    """Alternation of the precision words; `written` adds the forms read only after a number."""
    t = metrics()
    words = t.precisions + (t.written_precisions if written else ())
    return "|".join(words)
