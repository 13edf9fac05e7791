"""Sentence and clause boundaries with exact character offsets.

Facts quote the shortest stretch of text that states them, and the quote must be a literal
slice of the article, so every span here keeps offsets into the original string instead of
returning cleaned copies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chipwatch.extractors.language.memo import RecentTexts


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str  # == source[start:end]


# Words that end with a period without ending the sentence (compared lower-case, no dot).
_ABBREVIATIONS = frozenset(
    """
    u.s u.k u.n e.u p.r.c mr mrs ms dr prof sen rep gov gen col lt sgt st jr sr inc corp co
    ltd llc plc bros no nos vs v etc e.g i.e approx est dept univ fig figs vol al ca cf
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    a.m p.m
    """.split()
)

_OPEN_QUOTES = "\"'“‘«(["
_CLOSERS = "\"'”’»)]"
_WS = " \t\r\f\v\u00a0\u2009\u202f\u3000"

# Candidate sentence ends: terminal punctuation plus closing quotes, or a CJK full stop.
# Written to open with one character class (the first character of every branch), so that
# the engine jumps from one candidate character to the next instead of trying each branch
# at every position; the same matches as
#   (?<![.!?…])[.!?…]++["'”’»)\]]*+(?=\s) | [。！？]++[」』）)]*+ | \n
# (tests/test_sentences_scan.py holds the two equal).
_END_RE = re.compile(
    r"[.!?…。！？\n]"
    r"(?:(?<=[.!?…])(?<![.!?…].)[.!?…]*+[\"'”’»)\]]*+(?=\s)"
    r"|(?<=[。！？])[。！？]*+[」』）)]*+"
    r"|(?<=\n))",
    re.DOTALL,
)
_BULLET_RE = re.compile(r"[ \t]*(?:[-*•·▪‣◦–—]|\d{1,2}[.)])[ \t]+")
_TERMINAL_RE = re.compile(r"[.!?。！？:：;…\"”’)]\s*$")


def tight(text: str, start: int, end: int) -> Span:
    """Trim whitespace and dangling punctuation from both ends; offsets stay exact."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    lead = _WS + "\n,;:—–-•·*|"
    trail = _WS + "\n,;:—–-.!?。、，|"
    for _ in range(4):
        before = (start, end)
        while start < end and text[start] in lead:
            start += 1
        while end > start and text[end - 1] in trail:
            # keep the period of a trailing abbreviation such as "U.S."
            if text[end - 1] == "." and _is_abbreviation(text, end - 1):
                break
            end -= 1
        if end - start >= 2 and text[end - 1] in _PAIRS and text[start] == _PAIRS[text[end - 1]]:
            start, end = start + 1, end - 1  # a quote wrapping the whole span
        elif end - start >= 2 and text[start] == text[end - 1] and text[start] in "\"'":
            start, end = start + 1, end - 1
        sp = _balance_quotes(text, start, end)
        start, end = sp.start, sp.end
        if (start, end) == before:
            break
    return Span(start, end, text[start:end])


_PAIRS = {"”": "“", "’": "‘", "」": "「", "』": "『", ")": "(", "）": "（", "»": "«", "]": "["}
_OPENERS = {v: k for k, v in _PAIRS.items()}


def _balance_quotes(text: str, start: int, end: int) -> Span:
    """Drop a closing quote/bracket at the end (or opener at the start) left unpaired."""
    for _ in range(3):
        changed = False
        if end > start and text[end - 1] in _PAIRS and _PAIRS[text[end - 1]] not in text[start:end - 1]:
            end -= 1
            changed = True
        if end > start and text[start] in _OPENERS and _OPENERS[text[start]] not in text[start + 1:end]:
            start += 1
            changed = True
        if end > start and text[end - 1] == '"' and text[start:end].count('"') % 2 == 1:
            end -= 1
            changed = True
        if end > start and text[start] == '"' and text[start:end].count('"') % 2 == 1:
            start += 1
            changed = True
        while start < end and text[start] in _WS + "\n":
            start += 1
        while end > start and text[end - 1] in _WS + "\n":
            end -= 1
        if not changed:
            break
    return Span(start, end, text[start:end])


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at `dot` closes an abbreviation or an initial."""
    i = dot
    while i > 0 and (text[i - 1].isalpha() or text[i - 1] == "."):
        i -= 1
    word = text[i:dot].lower()
    if not word:
        return False
    if word in _ABBREVIATIONS:
        return True
    # single capital initials ("Donald J. Trump") and dotted acronyms ("U.S.")
    token = text[i:dot]
    if i > 0 and text[i - 1].isalnum():
        return False  # "350W." or "H20." end a sentence
    if len(token) == 1 and token.isupper():
        return True
    if "." in token and all(len(p) <= 2 for p in token.split(".")):
        return True
    return False


def _next_visible(text: str, pos: int) -> str:
    n = len(text)
    while pos < n and text[pos] in _WS:
        pos += 1
    return text[pos] if pos < n else ""


_SPLIT = RecentTexts[Span]()


def split_sentences(text: str) -> list[Span]:
    """Split into sentences, headlines and bullet lines.

    A line break ends a sentence unless the line was hard-wrapped (no terminal
    punctuation, next line starts lower-case), which keeps wrapped plain text intact.
    Every extractor splits the whole article: the split of the last few texts is kept.
    """
    if not text:
        return []
    return _SPLIT.get(text, lambda: _split_sentences(text))


def _split_sentences(text: str) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for m in _END_RE.finditer(text):
        token = m.group()
        cut = m.end()
        if token == "\n":
            line = text[start:m.start()]
            nxt = _next_visible(text, cut)
            if (
                line.strip()
                and not _TERMINAL_RE.search(line)
                and nxt.islower()
                and "\n\n" not in text[m.start():cut + 1]
            ):
                continue  # hard wrap inside a sentence
            cut = m.start()
        elif token[0] in ".!?…":
            if token[0] == "." and len(token.rstrip(_CLOSERS)) == 1:
                if _is_abbreviation(text, m.start()):
                    # "U.S. The ..." is ambiguous; only a line break splits there.
                    continue
            nxt = _next_visible(text, m.end())
            if nxt and nxt.islower():
                continue  # "e.g. the", "approx. six" and similar run-ons
        _add(text, start, cut, spans)
        start = m.end()
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[Span]) -> None:
    m = _BULLET_RE.match(text, start, end)
    if m:
        start = m.end()
    s = tight_sentence(text, start, end)
    if s.end > s.start:
        spans.append(s)


def tight_sentence(text: str, start: int, end: int) -> Span:
    """Trim only whitespace: a sentence keeps its own final punctuation."""
    while start < end and text[start] in _WS + "\n":
        start += 1
    while end > start and text[end - 1] in _WS + "\n":
        end -= 1
    return Span(start, end, text[start:end])


# Clause breaks: semicolons, dashes, commas followed by space, Japanese commas, and
# conjunctions that start a new proposition.
_CLAUSE_RE = re.compile(
    r"\s*(?:;|—|–(?=\s)|\s--\s|,(?=\s)|、|，|；)\s*"
    r"|\s+(?=(?:while|whereas|but|although|though|however|yet)\b)",
)


def clauses(text: str, sentence: Span) -> list[Span]:
    """Split one sentence into clauses; offsets index the full text."""
    out: list[Span] = []
    pos = sentence.start
    for m in _CLAUSE_RE.finditer(text, sentence.start, sentence.end):
        if m.start() <= pos and m.end() <= pos:
            continue
        c = tight(text, pos, m.start())
        if c.end > c.start:
            out.append(c)
        pos = m.end()
    c = tight(text, pos, sentence.end)
    if c.end > c.start:
        out.append(c)
    return out
