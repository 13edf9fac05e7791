"""A trigger set's one-pass hint scan lets through exactly the triggers that looking for
each hint on its own would."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from chipwatch.extractors.engine import TriggerSet, build_trigger
from chipwatch.extractors.language.wordtrie import any_word_pattern, longest_first_pattern
from chipwatch.extractors.language.sentences import split_sentences
from chipwatch.extractors.policy.tables import EN_TRIGGERS, JA_TRIGGERS

DATA = Path(__file__).resolve().parent / "data"


def by_each_hint(triggers: TriggerSet, sentence: str) -> list[str]:
    """The plain reading of the hint rule: a trigger runs when one of its hints is a
    substring of the lower-cased sentence, or when it has none."""
    lower = sentence.lower()
    return [t.name for t in triggers.triggers if not t.hints or any(h in lower for h in t.hints)]


def names(triggers: TriggerSet, sentence: str) -> list[str]:
    return [t.name for t in triggers.candidates(sentence)]


def trigger(name: str, hints: list[str]):
    row = {"name": name, "mode": "ban", "pattern": name, "hints": hints, "example": name}
    return build_trigger(row, "test", "en", {"ban"})


# Hints inside other hints, sharing starts and ends: the cases a one-pass scan could miss.
NESTED = TriggerSet([
    trigger("t1", ["ban"]), trigger("t2", ["bans", "urban"]), trigger("t3", ["an"]),
    trigger("t4", ["export"]), trigger("t5", ["exports", "xp"]), trigger("t6", []),
    trigger("t7", ["licen", "licence", "license"]), trigger("t8", ["’s", "can’t"]),
])


def test_nested_hints() -> None:
    for sentence in ("Urban bans", "EXPORTS", "an", "licences can’t", "", "b", "xport",
                     "Banana exporter", "the urbane licensee"):
        assert names(NESTED, sentence) == by_each_hint(NESTED, sentence), sentence
    assert names(NESTED, "urban") == ["t1", "t2", "t3", "t6"]


def test_longest_first_pattern_gives_the_longest_word_at_each_position() -> None:
    pattern = longest_first_pattern(["ab", "abcd", "b", "bc", "c"])
    assert pattern is not None
    assert pattern.findall("abcx") == ["ab", "bc", "c"]
    assert pattern.findall("abcd") == ["abcd", "bc", "c"]
    assert longest_first_pattern([]) is None
    anywhere = any_word_pattern(["relat", "share", "x.y"])
    assert anywhere is not None and anywhere.search("socialShareBar".lower())
    assert not anywhere.search("xzy unrelated".replace("relat", "rel at"))


def test_shipped_triggers_on_every_labeled_sentence() -> None:
    sentences = [s.text for p in sorted(DATA.glob("*/*.txt"))
                 for s in split_sentences(p.read_text(encoding="utf-8"))]
    assert len(sentences) > 1000
    let_through = 0
    for sentence in sentences:
        for triggers in (EN_TRIGGERS, JA_TRIGGERS):
            got = names(triggers, sentence)
            assert got == by_each_hint(triggers, sentence), sentence
            let_through += len(got)
    assert let_through > len(sentences) * len(JA_TRIGGERS)  # English triggers did pass


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["ban", "an", "s", "ur", "export", "x", "licen", "ce", "’", "can",
                                 "t", " ", "E", "İ", "allow", "ed", "approv"]), max_size=20).map("".join))
def test_random_sentences(sentence: str) -> None:
    assert names(NESTED, sentence) == by_each_hint(NESTED, sentence)
    assert names(EN_TRIGGERS, sentence) == by_each_hint(EN_TRIGGERS, sentence)


def test_actor_patterns_let_through_by_hints_as_before() -> None:
    from chipwatch.extractors import actors

    actors._refresh()
    sentences = [s.text for p in sorted(DATA.glob("*/*.txt"))
                 for s in split_sentences(p.read_text(encoding="utf-8"))]
    sentences += ["", "the Commerce Department", "北京", "U.S. officials said", "Xi and BIS"]
    for sentence in sentences:
        lower = sentence.lower()
        present = {h for h in actors._ALL_ENGLISH_HINTS if h in lower}
        want = [pn for pn, hints in zip(actors._ENGLISH_RE, actors._ENGLISH_HINT_SETS)
                if hints is None or not hints.isdisjoint(present)]
        assert actors._english_patterns(lower) == want, sentence
