"""The boilerplate-line test looks for its words before running its pattern: the answer
must be the pattern's own, whatever the case folding."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from chipwatch.extractors.text import prose

DATA = Path(__file__).resolve().parent / "data"

LINES = [
    "Read more", "READ MORE »", "Continue reading...", "Sign up for our daily newsletter",
    "sign up to the Morning Briefing", "Briefings in your inbox", "Newsletter to your inbox",
    "© 2024 Reuters. All Rights Reserved.", "We use cookies to improve your experience",
    "ſign up for our newsletter", "We uſe cookies", "Al\u0130 rights reserved", "İn your ınbox",
    "Learn more about the rule", "Read the full story here:", "full coverage", "Full article →",
    "Nvidia may sell the H200 to approved customers in China.", "", "read", "sign", "inbox",
]


def plain(text: str) -> bool:
    return prose._BOILERPLATE_ANYWHERE.search(text) is not None


def test_lines_and_labeled_paragraphs() -> None:
    paragraphs = [p for f in sorted(DATA.glob("*/*.txt"))
                  for p in f.read_text(encoding="utf-8").split("\n") if p.strip()]
    hits = 0
    for text in LINES + paragraphs:
        assert prose._boilerplate_anywhere(text) == plain(text), text
        hits += plain(text)
    assert hits >= 10  # the sample does reach the pattern


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["read", " ", "more", "Sign", "ſign", " up", " for", " our",
                                 " newsletter", "s", " in", " your", " ınbox", "İnbox", "all",
                                 " rights", " reserved", "we", " use", " cookies", "!", "K"]),
                max_size=14).map("".join))
def test_random_lines(text: str) -> None:
    assert prose._boilerplate_anywhere(text) == plain(text)
