"""Number parsing and quantity finding, including a round-trip property."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipwatch.extractors.figures import extract_figures
from chipwatch.extractors.language.numbers import find_quantities, parse_number


def one(text: str):
    found = find_quantities(text)
    assert len(found) == 1, found
    q = found[0]
    assert text[q.start:q.end] == q.text
    return q


def test_qualifiers_are_kept() -> None:
    q = one("nearly six times")
    assert (q.approx, q.high, q.low) == (True, 6, None)
    q = one("up to five times")
    assert q.high == 5 and q.low is None
    q = one("more than 2,000 units")
    assert q.low == 2000
    q = one("about 15%")
    assert q.approx and q.qualifier == "about"
    q = one("18ヶ月ほど")
    assert q.approx


def test_ranges_and_vague_amounts() -> None:
    q = one("tens of thousands of chips")
    assert q.text == "tens of thousands"
    assert (q.approx, q.low, q.high, q.unit) == (True, 20000, 90000, None)
    q = one("between 10 and 20 GB")
    assert (q.low, q.high, q.unit, q.approx) == (10, 20, "GB", True)
    q = one("$30,000-$40,000")
    assert (q.low, q.high, q.unit) == (30000, 40000, "USD")
    q = one("hundreds of millions of dollars")
    assert q.unit == "USD" and q.low == 2e8


def test_words_need_a_unit() -> None:
    assert find_quantities("no one said one thing") == []
    assert one("two million H200 chips").value == 2e6


# ------------------------------------------------------------------ properties

SEPARATORS = {",": ",", " ": " ", "\u202f": "\u202f"}


def with_separators(n: int, sep: str) -> str:
    s = str(n)
    groups = []
    while len(s) > 3:
        groups.insert(0, s[-3:])
        s = s[:-3]
    groups.insert(0, s)
    return sep.join(groups)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(list(SEPARATORS)))
def test_integers_with_separators_round_trip(n: int, sep: str) -> None:
    written = with_separators(n, sep)
    assert parse_number(written) == n
    qs = find_quantities(f"the figure is {written} today")
    assert [q.value for q in qs] == [n]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=99),
       st.sampled_from(["TB/s", "GB", "W", "TFLOPS", "%", " percent", " months", "x", " times"]))
def test_decimals_with_units_round_trip(whole: int, frac: int, unit: str) -> None:
    written = f"{with_separators(whole, ',')}.{frac:02d}"
    value = whole + frac / 100
    assert parse_number(written) == pytest.approx(value)
    qs = find_quantities(f"it reaches {written}{unit} now")
    assert len(qs) == 1
    assert qs[0].value == pytest.approx(value)


WORDS = {1: "one", 2: "two", 3: "three", 6: "six", 10: "ten", 12: "twelve", 20: "twenty",
         40: "forty", 90: "ninety"}


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(WORDS)), st.sampled_from(["", " thousand", " million"]))
def test_words_round_trip(n: int, scale: str) -> None:
    mult = {"": 1, " thousand": 1e3, " million": 1e6}[scale]
    assert parse_number(WORDS[n] + scale) == n * mult


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_nothing_raises_on_any_text(text: str) -> None:
    parse_number(text)
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.text
    for f in extract_figures(text):
        assert text[f.char_start:f.char_end] == f.quote


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(
    ["H200", "the H20", "910C", "15,840", "six times", "faster than", "less powerful than",
     "behind", "18 months", "$25,000", "each", "TPP of", "4.8TB/s", "141GB", "It", "The chip",
     "約6倍", "の", "は", "。", ".", ",", "\n", "- ", "or more", "tens of thousands of", "chips",
     "percent", "higher than", "(", "”", "half the", "two years"]), max_size=30).map(" ".join))
def test_figures_never_raise_on_chip_like_text(text: str) -> None:
    for f in extract_figures(text):
        assert text[f.char_start:f.char_end] == f.quote
        assert f.value is None or f.value == f.value  # not NaN
        if f.kind == "chip_comparison" and f.metric == "performance_ratio":
            assert f.value >= 1 and f.relative_to and f.relative_to != f.chip


def test_a_range_does_not_run_across_a_line_break() -> None:
    qs = find_quantities("CloudMatrix 384\n- 384 chips in one system")
    assert [q.value for q in qs] == [384, 384]


def test_two_numbers_joined_by_and_are_both_read() -> None:
    got = [(q.value, q.unit) for q in find_quantities("quotes of $30,000, $25,000 and $12,000 a card")]
    assert got == [(30000.0, "USD"), (25000.0, "USD"), (12000.0, "USD")]
    got = [(q.value, q.unit) for q in find_quantities("they offer 3.35 and 4.0 TB/s")]
    assert (4.0, "TB/s") in got


def test_half_as_much_power_as_is_a_ratio() -> None:
    qs = [(q.value, q.unit) for q in find_quantities("it draws half as much power as the B300")]
    assert (0.5, "x") in qs


def test_japanese_per_second_with_abbreviated_unit_is_bandwidth() -> None:
    q = find_quantities("転送速度は毎秒3.2TBで、容量は96GBだ")
    assert [(x.value, x.unit) for x in q] == [(3.2, "TB/s"), (96.0, "GB")]
    q = find_quantities("帯域は毎秒900GB")
    assert [(x.value, x.unit) for x in q] == [(900.0, "GB/s")]


def test_japanese_half_is_a_ratio_of_one_half() -> None:
    qs = find_quantities("新型の性能は旧型の半分程度だという")
    assert [(q.value, q.unit, q.approx) for q in qs] == [(0.5, "x", True)]
    qs = find_quantities("価格は半分になった")
    assert [(q.value, q.unit, q.approx) for q in qs] == [(0.5, "x", False)]
