"""Sentence -> sparse features, the same at training and at run time.

Words (unigrams and bigrams) and character 4-grams inside words, with every digit run
folded to "0" so that "H200" and "H20" look alike: the model should learn how policy is
phrased, not which chips happened to be in the training news. One feature per hedge cue
group (cues.py) is added on top.
"""

from __future__ import annotations

import re
from collections import Counter

from chipwatch.extractors.learned.cues import cue_groups

# Latin/digit words; every kana/kanji on its own (Japanese has no spaces).
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_TOKEN_RE = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+(?:['’][a-z]+)?")
_DIGITS_RE = re.compile(r"[0-9]+")
CHAR_N = 4
MAX_SENTENCE_CHARS = 2000  # longer "sentences" are tables or run-on text; read the start


def tokens(sentence: str) -> list[str]:
    lowered = sentence[:MAX_SENTENCE_CHARS].casefold().replace("’", "'")
    return [_DIGITS_RE.sub("0", t) for t in _TOKEN_RE.findall(lowered)]


def sentence_features(sentence: str) -> Counter[str]:
    """Feature counts of one sentence (names are prefixed: w: word, b: bigram, c: chars,
    q: cue group). Built as one list and counted once: this runs on every sentence."""
    toks = tokens(sentence)
    parts = [_token_parts(t) for t in toks]
    names = [word for word, _ in parts]
    names += ["b:" + a + " " + b for a, b in zip(toks, toks[1:])]
    for _, grams in parts:
        names += grams
    names += ["q:" + g for g in cue_groups(sentence[:MAX_SENTENCE_CHARS].casefold())]
    return Counter(names)


# A token's own feature names (its word and its character n-grams), built once: news
# repeats the same few thousand words, and building the names was most of the features'
# time. The table is emptied when it grows past the limit, so it stays bounded.
_PARTS: dict[str, tuple[str, tuple[str, ...]]] = {}
_MAX_PARTS = 50_000


def _token_parts(token: str) -> tuple[str, tuple[str, ...]]:
    found = _PARTS.get(token)
    if found is None:
        n = CHAR_N
        grams: tuple[str, ...] = ()
        if len(token) + 2 > n:
            padded = "<" + token + ">"
            grams = tuple("c:" + padded[i:i + n] for i in range(len(padded) - n + 1))
        found = ("w:" + token, grams)
        if len(_PARTS) >= _MAX_PARTS:
            _PARTS.clear()
        _PARTS[token] = found
    return found
