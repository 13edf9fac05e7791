"""Runs the text -> expected-facts cases kept as data in tests/cases/.

figures/*.toml: each case's text must yield exactly the listed facts (kind, chip, metric,
value rounded to 3 places, relative_to; a missing field is null; unit when given). numbers/*.toml: written
numbers and the one quantity a phrase holds. Adding a case is adding a row, not code.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from chipwatch.extractors.facts import KINDS, METRICS
from chipwatch.extractors.figures import NAME, VERSION, extract_figures
from chipwatch.extractors.language.numbers import find_quantities, parse_number

CASES = Path(__file__).resolve().parent / "cases"


def _load(folder: str, table: str) -> list:
    """(id, row) for every row of `table` in the folder's files."""
    rows = []
    for path in sorted((CASES / folder).glob("*.toml")):
        with path.open("rb") as fh:
            for i, row in enumerate(tomllib.load(fh).get(table, []), start=1):
                rows.append(pytest.param(row, id=f"{path.stem}-{i}-{row['text'][:40]}"))
    return rows


def _key(kind, chip, metric, value, relative_to) -> tuple:  # noqa: ANN001 - plain values
    return (kind, chip, metric, None if value is None else round(float(value), 3), relative_to)


@pytest.mark.parametrize("case", _load("figures", "case"))
def test_figure_case(case: dict) -> None:
    text = case["text"]
    facts = extract_figures(text)
    for f in facts:
        assert text[f.char_start:f.char_end] == f.quote and f.quote == f.quote.strip() and f.quote
        assert f.kind in KINDS and f.metric in METRICS
        assert f.extractor == NAME and f.extractor_version == VERSION
    got = [_key(f.kind, f.chip, f.metric, f.value, f.relative_to) for f in facts]
    want = [_key(e["kind"], e.get("chip"), e.get("metric"), e.get("value"), e.get("relative_to"))
            for e in case["facts"]]
    if case.get("match") == "list":
        assert got == want
    else:
        assert set(got) == set(want)
    for e, k in zip(case["facts"], want):
        if "unit" in e:  # the unit is checked where a case gives it
            assert e["unit"] in {f.unit for f, g in zip(facts, got) if g == k}, (k, e["unit"])


def test_the_case_files_are_there() -> None:
    assert len(_load("figures", "case")) >= 80 and len(_load("numbers", "quantity")) >= 30


@pytest.mark.parametrize("case", _load("numbers", "number"))
def test_number_case(case: dict) -> None:
    assert parse_number(case["text"]) == pytest.approx(case["value"])


@pytest.mark.parametrize("case", _load("numbers", "not_a_number"))
def test_not_a_number_case(case: dict) -> None:
    assert parse_number(case["text"]) is None


@pytest.mark.parametrize("case", _load("numbers", "quantity"))
def test_quantity_case(case: dict) -> None:
    text = case["text"]
    found = find_quantities(text)
    assert len(found) == 1, found
    q = found[0]
    assert text[q.start:q.end] == q.text
    assert q.value == pytest.approx(case["value"], rel=1e-9, abs=1e-12)
    assert q.unit == case.get("unit")


@pytest.mark.parametrize("case", _load("numbers", "no_quantity"))
def test_no_quantity_case(case: dict) -> None:
    assert find_quantities(case["text"]) == []
