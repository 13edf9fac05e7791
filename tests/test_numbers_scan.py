"""The quantity finder's fast scans find exactly what its plain patterns find.

numbers.py tries its two big patterns only where a cheap start pattern matches. That is
safe only if every place a big pattern can match is such a start: checked here position
by position on the labeled texts, on sentences written to hit every branch, and on
random text built from the characters the patterns care about.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from chipwatch.extractors.language import numbers as n

DATA = Path(__file__).resolve().parent / "data"

# One or more sentences per branch of the special-amount and quantity patterns, with the
# case folding the patterns allow (IGNORECASE also folds the long s and the Kelvin sign).
BRANCHES = [
    "tens of thousands of dollars went to hundreds of engineers; Millions of units.",
    "several hundred thousand chips, A few million dollars, ſeveral billion",
    "about tenfold, roughly twentyfold, more than THIRTYfold, over a hundredfold",
    "more than twice, nearly double, at least tripled, Thrice, quadrupled, doubled",
    "it trails the H200 by a third, cut by about half, down by two-thirds, by less than a fifth",
    "a third of the market, about one-quarter of it, two thirds of, less than half of the chips",
    "half the speed, a quarter as much as the rest, one-tenth that of the H100, a sixth of its",
    "a single-die design, half as much again, about a quarter more, a fifth faster",
    "B300の半分程度, 約半分, 3分の1, 約十分の一, およそ半分, ほぼ三分の二",
    "about a generation behind, at least one full generation ahead, a year behind, a decade.",
    "nearly a year and a half of lag, less than one year or so",
    "about 15%, up to 5x, more than 2,000 units, $30,000-$40,000, US$1.5bn, RMB 3 billion",
    "€20 million, ¥7,000, ￥300, USD 25, between 10 and 20 GB, 4.8 TB/s, .5 of a point",
    "約6倍, 1万5840, 十八カ月, 2億ドル, 最大で4倍, およそ3年, ほぼ2倍, 15 840 TPP",
    "one hundred and six chips, twenty-five GPUs, A Dozen units, ONE million, a hundred chips",
    "~6x, ≈ 900 GB/s, 990 dense FP8 teraflops, 4,000 TFLOPS of FP8, 18ヶ月ほど, 3 or more",
    "the H200 and 910C, 5M, 910B, x6, 6 x 4, K2 Think, 2024-25, 1.2.3, 5,,6",
]

_ALPHABET = list("0123456789 .,-$€¥~≈約およそほぼ半分の一二三十百万億KſaeflnortuvwxyAHT") + [
    "about ", "a ", "one ", "half", "third", "fold", "twice", "tens of ", "million", "%",
    "GB", " TFLOPS", "US$", "RMB", "by ", "more than ", "generation ahead", "year behind",
]


def labeled_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*/*.txt"))]


def assert_starts_cover(text: str) -> None:
    for p in range(len(text) + 1):
        if n._SPECIAL_RE.match(text, p):
            assert n._SPECIAL_START.match(text, p), (text[p:p + 40], p)
        if n._QUANTITY_RE.match(text, p):
            assert n._QUANTITY_START.match(text, p), (text[p:p + 40], p)


def plain_quantity_scan(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    while (m := n._QUANTITY_RE.search(text, pos)) is not None:
        spans.append(m.span())
        pos = max(m.end(), m.start() + 1)
    return spans


def fast_quantity_scan(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    while (m := n._search_quantity(text, pos)) is not None:
        spans.append(m.span())
        pos = max(m.end(), m.start() + 1)
    return spans


def assert_same_scans(text: str) -> None:
    assert [m.span() for m in n._special_matches(text)] == \
        [m.span() for m in n._SPECIAL_RE.finditer(text)]
    assert fast_quantity_scan(text) == plain_quantity_scan(text)


def test_every_branch_sentence_is_covered() -> None:
    found = 0
    for text in BRANCHES:
        assert_starts_cover(text)
        assert_same_scans(text)
        found += len(n._special_matches(text)) + len(fast_quantity_scan(text))
    assert found > 3 * len(BRANCHES)  # the sentences do exercise the patterns


def test_labeled_texts_scan_alike() -> None:
    texts = labeled_texts()
    assert len(texts) > 50
    for text in texts[::7]:  # every position of a seventh of them: a few seconds
        assert_starts_cover(text)
    for text in texts:
        assert_same_scans(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=40).map("".join))
def test_random_text_scans_alike(text: str) -> None:
    assert_starts_cover(text)
    assert_same_scans(text)
