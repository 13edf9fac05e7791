"""Sentence and clause spans: exact offsets, and no breaks inside abbreviations/decimals."""

from __future__ import annotations

from chipwatch.extractors.language.sentences import Span, clauses, split_sentences, tight


def texts(text: str) -> list[str]:
    spans = split_sentences(text)
    for s in spans:
        assert text[s.start:s.end] == s.text
    return [s.text for s in spans]


def test_abbreviations_and_decimals_do_not_split() -> None:
    text = "The U.S. Commerce Dept. said on Dec. 9 that the part moves 4.8TB/s. Mr. Chen agreed."
    assert texts(text) == [
        "The U.S. Commerce Dept. said on Dec. 9 that the part moves 4.8TB/s.",
        "Mr. Chen agreed.",
    ]


def test_initials_and_quotes() -> None:
    text = 'Donald J. Trump wrote: "We will allow it." Officials agreed! Really?'
    assert texts(text) == ['Donald J. Trump wrote: "We will allow it."', "Officials agreed!", "Really?"]


def test_headlines_bullets_and_paragraphs() -> None:
    text = "A headline with no stop\nFirst paragraph here.\n\n- first bullet\n- second bullet\n1. numbered"
    assert texts(text) == ["A headline with no stop", "First paragraph here.", "first bullet",
                           "second bullet", "numbered"]


def test_hard_wrapped_lines_are_joined() -> None:
    text = "The new part has far more memory than\nthe older one, engineers said.\nNext line."
    assert texts(text) == ["The new part has far more memory than\nthe older one, engineers said.",
                           "Next line."]


def test_japanese_full_stops() -> None:
    text = "新型チップは高速だ。価格は未定！本当か？"
    assert texts(text) == ["新型チップは高速だ。", "価格は未定！", "本当か？"]


def test_unit_letter_before_period_ends_sentence() -> None:
    assert texts("It draws 350W. The other draws less.") == ["It draws 350W.", "The other draws less."]


def test_clauses_split_on_punctuation_and_conjunctions() -> None:
    text = "Intro. The chip is fast, but it is costly; supply is thin — and prices rise while demand grows."
    sent = split_sentences(text)[1]
    got = clauses(text, sent)
    for c in got:
        assert text[c.start:c.end] == c.text
    assert [c.text for c in got] == ["The chip is fast", "but it is costly", "supply is thin",
                                     "and prices rise", "while demand grows"]


def test_clauses_keep_thousands_separators() -> None:
    text = "It scores 15,840 points, analysts say."
    sent = split_sentences(text)[0]
    assert [c.text for c in clauses(text, sent)] == ["It scores 15,840 points", "analysts say"]


def test_tight_trims_and_balances() -> None:
    text = '  “six times faster,”  '
    sp = tight(text, 0, len(text))
    assert isinstance(sp, Span)
    assert sp.text == "six times faster"
    assert text[sp.start:sp.end] == sp.text
    assert tight("approved U.S.", 0, 13).text == "approved U.S."
    assert tight("", 0, 0) == Span(0, 0, "")


def test_empty_and_whitespace() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n\t ") == []
