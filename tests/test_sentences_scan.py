"""The sentence-end pattern, written to open with one character class, finds exactly what
its plain form finds."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from chipwatch.extractors.language import sentences

DATA = Path(__file__).resolve().parent / "data"
PLAIN = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’»)\]]*+(?=\s)|[。！？]++[」』）)]*+|\n")


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def test_labeled_texts_and_odd_runs() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*/*.txt"))]
    texts += ["Wait... what?! Yes.\nNo", "U.S. officials.\" Then", "輸出。」次に！？", "a.b. c",
              "end.)]  next", "…\n", ".", "\n\n", "?!", "x.\u3000y"]
    found = 0
    for text in texts:
        assert spans(sentences._END_RE, text) == spans(PLAIN, text)
        found += len(spans(PLAIN, text))
    assert found > 2000


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(list(".!?…。！？」』）)\"'”’»] \n\tab") + ["U.S.", "...", "?!"]),
                max_size=30).map("".join))
def test_random_text(text: str) -> None:
    assert spans(sentences._END_RE, text) == spans(PLAIN, text)
