"""Per-text results kept for the next extractor: the same answers, lists of one's own,
and only a few texts kept."""

from __future__ import annotations

from chipwatch.extractors.chips import _find_chips, find_chips
from chipwatch.extractors.language.memo import RecentTexts
from chipwatch.extractors.language.sentences import _split_sentences, split_sentences

TEXT = ("Nvidia's H200 may now be sold to approved customers in China. The U.S. takes 25% of "
        "the revenue, officials said.\n\nHuawei's Ascend 910C trails the H100 by a third. ") * 12


def test_kept_results_equal_fresh_ones_and_are_not_shared() -> None:
    first = split_sentences(TEXT)
    assert first == _split_sentences(TEXT) and len(first) == 36
    first.clear()  # a caller's own list: the next caller still gets every sentence
    assert split_sentences(TEXT) == _split_sentences(TEXT)
    chips = find_chips(TEXT)
    assert chips == _find_chips(TEXT) and {c.chip for c in chips} >= {"H200", "Ascend 910C"}
    chips.pop()
    assert find_chips(TEXT) == _find_chips(TEXT)


def test_only_the_last_few_texts_are_kept() -> None:
    recent: RecentTexts[int] = RecentTexts(size=2)
    calls: list[str] = []

    def length(text: str):
        return lambda: calls.append(text) or [len(text)]

    for text in ("a", "bb", "a", "ccc", "a", "bb"):
        assert recent.get(text, length(text)) == [len(text)]
    # "a" and "bb" were kept until "ccc" pushed "a" out; "bb" was pushed out by "a" again
    assert calls == ["a", "bb", "ccc", "a", "bb"]
    assert len(recent._items) == 2
