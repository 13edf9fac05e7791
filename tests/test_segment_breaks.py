"""The figure extractor's contrast markers, written to open with one character class,
are found exactly where the plain case-insensitive alternation finds them."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from chipwatch.extractors.figures.doc import _SEGMENT_BREAK_RE

DATA = Path(__file__).resolve().parent / "data"
PLAIN = re.compile(
    r";|—|–|\bwhile\b|\bwhereas\b|\bbut\b|\byet\b|\bcompared\s+(?:to|with)\b|\bunlike\b"
    r"|\bversus\b|\bhowever\b|、(?=[^、]{0,3}(?:一方|対して))",
    re.I,
)


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def test_labeled_texts() -> None:
    found = 0
    for path in sorted(DATA.glob("*/*.txt")):
        text = path.read_text(encoding="utf-8")
        assert spans(_SEGMENT_BREAK_RE, text) == spans(PLAIN, text), path.name
        found += len(spans(PLAIN, text))
    assert found > 100


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list(";—–、 ,.xé1_") + [
    "while", "WHILE", "Whereas", "But", "yet", "compared  to", "Compared\nwith", "unlike",
    "VERSUS", "however", "一方", "対して", "abut", "buts"]), max_size=12).map("".join))
def test_random_text(text: str) -> None:
    assert spans(_SEGMENT_BREAK_RE, text) == spans(PLAIN, text)
