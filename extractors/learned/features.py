"""Sentence -> sparse features, the same at training and at run time.

Words (unigrams and bigrams) and character 4-grams inside words, with every digit run
folded to "0" so that "H200" and "H20" look alike: the model should learn how policy is
phrased, not which chips happened to be in the training news. One feature per hedge cue
group (cues.py) is added on top.
"""

from __future__ import annotations

import re
from collections import Counter

from chipwatch.extractors.language.wordtrie import trie_source
from chipwatch.extractors.learned.cues import CUE_WORDS, shape_groups

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
    names += ["q:" + g for g in _cue_groups(sentence[:MAX_SENTENCE_CHARS].casefold())]
    return Counter(names)


# The cue groups of cues.py found in one pass instead of one scan per group: at each word
# start the longest cue word that ends on a word boundary (a trie, see wordtrie.py), and
# with it every group of a shorter cue word it starts with that also ends on a boundary
# there. cues.cue_groups stays the reference; tests/test_learned_features.py holds the two
# equal on every labeled sentence.
_CUE_GROUPS_OF: dict[str, set[str]] = {}
for _group, _words in CUE_WORDS.items():
    for _word in _words:
        _CUE_GROUPS_OF.setdefault(_word, set()).add(_group)
_CUE_SCAN = re.compile(r"(?<![\w'])(?=(" + (trie_source(_CUE_GROUPS_OF) or "(?!)") + r")(?!\w))")
_GROUPS_AT = {
    longest: {g for word, groups in _CUE_GROUPS_OF.items()
              if longest.startswith(word)
              and (word == longest or not re.match(r"\w", longest[len(word)]))
              for g in groups}
    for longest in _CUE_GROUPS_OF
}


def _cue_groups(lowered: str) -> list[str]:
    found: set[str] = set()
    for word in set(_CUE_SCAN.findall(lowered)):
        found |= _GROUPS_AT[word]
    return [group for group in CUE_WORDS if group in found] + shape_groups(lowered)


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
