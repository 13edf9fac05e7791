"""Property tests: extract_facts survives any text and keeps the fact contract.

The daemon feeds the extractors whatever a page turned into, so no string may make them
raise, and every fact must point at its exact quote with vocabulary the database expects.
"""

from __future__ import annotations

import math
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipwatch.extractors import extract_facts
from chipwatch.extractors.chips import find_chips
from chipwatch.extractors.language.numbers import find_quantities
from chipwatch.extractors.language.sentences import split_sentences
from chipwatch.extractors.facts import ACTIONS, KINDS, METRICS, Fact

SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# Pieces of the language the extractors look for, to be glued into near-sentences that
# reach deep into their rules rather than being rejected on the first character.
NUMBERS = ["15,840", "12 032", "4.8TB/s", "4.8 TB/s", "141GB", "96 GB", "1,979 TFLOPS",
           "4,000 TFLOPS of FP8", "six times", "6x", "sixfold", "1.5 times", "ten times less",
           "60 percent", "25%", "25 percent", "$25 billion", "$27,000", "18 months",
           "two years", "tens of thousands", "a quarter", "0", "0.0", "-3", "1e308", "99999999999999999999",
           "約6倍", "25パーセント", "18ヶ月", "1万5840", "約40万個", "4.", ".5", "1,2,3", "%", "$", "x"]
CHIPS = ["H200", "H20", "H100", "H800", "A100", "A800", "L40S", "B200", "B30A", "Blackwell",
         "Rubin", "Hopper", "GB200 NVL72", "MI308", "Ascend 910C", "Huawei's 910B",
         "Nvidia's H200", "H200 chips", "CloudMatrix 384", "RTX Pro 6000D", "Nvidia", "AMD"]
WORDS = ["The US", "Trump", "Beijing", "China", "the Commerce Department", "BIS", "will allow",
         "bans", "banned", "restrict", "is considering", "reportedly", "plans to", "approval",
         "security review", "fee", "revenue", "export", "exports to China", "not", "neither of which",
         "faster than", "more powerful than", "behind", "TPP", "memory bandwidth", "than the",
         "of", "and", "but", "while", "said", "U.S.", "Dec.", "Mr.", "米政府", "輸出", "禁止",
         "承認", "中国", "性能", "の", "は", "を"]
SEPARATORS = [" ", " ", " ", ", ", ". ", "; ", " — ", "\n", "\n\n", "\n- ", "。", "、", "“", "”",
              "\"", "'", "(", ")", "", "\t", "\u00a0", "\u200b", "\r\n"]

fragment = st.sampled_from(NUMBERS + CHIPS + WORDS)
glued = st.lists(st.tuples(fragment, st.sampled_from(SEPARATORS)), max_size=40).map(
    lambda parts: "".join(a + b for a, b in parts))
any_unicode = st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()),
    max_size=300)
newsy_chars = st.text(alphabet="0123456789.,%$xX /-()HABLMI\n 。万倍約ヶ月TFLOPSGBs'\"—",
                      max_size=200)


def check_contract(text: str, facts: list[Fact]) -> None:
    assert isinstance(facts, list)
    for f in facts:
        assert isinstance(f, Fact)
        assert 0 <= f.char_start <= f.char_end <= len(text), f
        assert text[f.char_start:f.char_end] == f.quote, f
        assert f.quote.strip(), f
        assert f.kind in KINDS, f
        assert f.metric is None or f.metric in METRICS, f
        assert f.action is None or f.action in ACTIONS, f
        if f.kind == "policy":
            assert f.action in ACTIONS, f
        else:
            assert f.metric in METRICS, f
        if f.value is not None:
            assert math.isfinite(f.value), f
        if f.kind == "chip_comparison":
            assert f.relative_to, f
            assert f.value is not None and f.value >= 1, f
        assert f.extractor and f.extractor_version, f


@SETTINGS
@given(any_unicode)
def test_any_unicode_text(text: str) -> None:
    check_contract(text, extract_facts(text))


@SETTINGS
@given(glued)
def test_glued_fragments(text: str) -> None:
    check_contract(text, extract_facts(text))


@SETTINGS
@given(newsy_chars)
def test_number_and_unit_soup(text: str) -> None:
    check_contract(text, extract_facts(text))


@SETTINGS
@given(glued, glued)
def test_facts_follow_their_text_when_prefixed(prefix: str, body: str) -> None:
    """Offsets are into the given text: a prefix shifts them, never breaks the quote."""
    text = prefix + "\n\n" + body
    check_contract(text, extract_facts(text))


@SETTINGS
@given(st.one_of(glued, newsy_chars, any_unicode))
def test_building_blocks_point_at_their_text(text: str) -> None:
    """The helpers the extractors build quotes from must keep exact offsets too."""
    for span in split_sentences(text):
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start:span.end] == span.text
    for q in find_quantities(text):
        assert 0 <= q.start <= q.end <= len(text)
        assert text[q.start:q.end] == q.text
        assert math.isfinite(q.value)
    for c in find_chips(text):
        assert 0 <= c.start < c.end <= len(text)
        assert c.chip


def test_known_sentences_keep_the_contract() -> None:
    text = ("The US will allow Nvidia's H200 to be exported to China for a 25% fee, while "
            "Blackwell, which is roughly 1.5 times faster than the H200, stays banned. "
            "H200のTPPスコアは1万5840で、H20の約6倍とされる。")
    facts = extract_facts(text)
    check_contract(text, facts)
    assert facts, "a sentence full of facts gave none"


def test_pathological_inputs_return_quickly() -> None:
    """Catastrophic regex backtracking would show up here as a hang, not a wrong answer.

    The bound only tells a hang from slow work on a loaded 2-core machine: speed is
    measured in bench/, not here."""
    cases = ["1," * 4000, "1 " * 4000, "H200 " * 2000, "." * 10000, "。" * 5000,
             "$" * 5000, "times " * 2000, "(" * 3000 + ")" * 3000, "a" * 50000,
             "- " * 5000, "\n" * 10000, "25 percent of " * 800]
    for text in cases:
        t0 = time.perf_counter()
        check_contract(text, extract_facts(text))
        elapsed = time.perf_counter() - t0
        assert elapsed < 30.0, f"{elapsed:.1f}s on {text[:30]!r}..."
