"""The article as the figure rules see it: text, sentences, chip mentions and numbers,
plus the span functions (clauses, segments) every rule module shares.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from chipwatch.extractors.chips import ChipMention
from chipwatch.extractors.facts import Fact
from chipwatch.extractors.figures.record import NAME, VERSION
from chipwatch.extractors.language.lines import is_bullet, is_label_line
from chipwatch.extractors.language.numbers import Quantity
from chipwatch.extractors.language.sentences import Span, tight

# The same matches as, case-insensitively,
#   ;|—|–|\bwhile\b|\bwhereas\b|\bbut\b|\byet\b|\bcompared\s+(?:to|with)\b|\bunlike\b
#   |\bversus\b|\bhowever\b|、(?=[^、]{0,3}(?:一方|対して))
# written to open with one character class (each branch's first character, both cases), so
# the engine skips to those characters instead of trying every branch at every position.
_SEGMENT_BREAK_RE = re.compile(
    r"[;—–、wWbByYcCuUvVhH]"
    r"(?:(?<=[;—–])"
    r"|(?<=[wW])(?<!\w.)(?i:hile|hereas)\b|(?<=[bB])(?<!\w.)(?i:ut)\b|(?<=[yY])(?<!\w.)(?i:et)\b"
    r"|(?<=[cC])(?<!\w.)(?i:ompared\s+(?:to|with))\b|(?<=[uU])(?<!\w.)(?i:nlike)\b"
    r"|(?<=[vV])(?<!\w.)(?i:ersus)\b|(?<=[hH])(?<!\w.)(?i:owever)\b"
    r"|(?<=、)(?=[^、]{0,3}(?:一方|対して)))",
    re.DOTALL,
)


CLAUSE_CUT_RE = re.compile(
    r",\s|;|—|–\s|\s--\s|、|，|\b(?:shows?|showed|said|says|found|finds|notes?|noted|means?"
    r"|indicates?|indicated)\s+that\s"
)


@dataclass
class Doc:
    text: str
    sentences: list[Span]
    sent_starts: list[int]
    chips: list[ChipMention]
    chip_starts: list[int]
    quantities: list[Quantity]
    topic: str | None
    q_starts: list[int] = field(default_factory=list)
    last_tpp_sentence: int | None = None  # for "scores 12,032 by the same measure"
    last_cmp: tuple[int, str, str] | None = None  # (sentence, subject, relative) of the last ratio
    last_figure: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # unit -> [(sentence, chip)]
    segment_breaks: list[tuple[int, int]] | None = None  # contrast markers of the whole text


WINDOW = 400  # characters either side of a number considered in over-long sentences


def tight_window(text: str, sent: Span, q: Quantity) -> Span:
    start = max(sent.start, q.start - WINDOW)
    end = min(sent.end, q.end + WINDOW)
    if start > sent.start:
        sp = text.find(" ", start, q.start)
        start = sp + 1 if sp >= 0 else start
    return Span(start, end, text[start:end])


def chips_in(doc: Doc, start: int, end: int) -> list[ChipMention]:
    i = bisect.bisect_left(doc.chip_starts, start)
    out = []
    while i < len(doc.chips) and doc.chips[i].start < end:
        if doc.chips[i].end <= end:
            out.append(doc.chips[i])
        i += 1
    return out


def segment_bounds(doc: Doc, sent: Span, pos: int) -> tuple[int, int]:
    """The stretch of the sentence around `pos` between contrast markers.

    The markers of the whole text are found once (a run-on text with thousands of numbers
    would otherwise be rescanned for every number); those inside `sent` count."""
    if doc.segment_breaks is None:
        doc.segment_breaks = [(m.start(), m.end()) for m in _SEGMENT_BREAK_RE.finditer(doc.text)]
    breaks = doc.segment_breaks
    seg_start, seg_end = sent.start, sent.end
    i = bisect.bisect_left(breaks, (sent.start, -1))
    while i < len(breaks) and breaks[i][1] <= sent.end:
        b_start, b_end = breaks[i]
        i += 1
        if b_end <= pos:
            seg_start = b_end
        elif b_start >= pos:
            seg_end = b_start
            break
    return seg_start, seg_end


def qty_between(doc: Doc, start: int, end: int) -> bool:
    i = bisect.bisect_left(doc.q_starts, start)
    return i < len(doc.q_starts) and doc.q_starts[i] < end


def make_fact(kind: str, doc: Doc, start: int, end: int, **kw) -> Fact | None:
    sp = tight(doc.text, start, end)
    if sp.end <= sp.start:
        return None
    return Fact(kind=kind, quote=sp.text, char_start=sp.start, char_end=sp.end,
                extractor=NAME, extractor_version=VERSION, **kw)


def clause_around(doc: Doc, sent: Span, start: int, end: int) -> tuple[int, int]:
    """Smallest comma/semicolon clause of `sent` that holds [start, end)."""
    text = doc.text
    c_start, c_end = sent.start, sent.end
    for m in CLAUSE_CUT_RE.finditer(text, sent.start, sent.end):
        if m.end() <= start:
            c_start = m.end()
        elif m.start() >= end:
            c_end = m.start()
            break
    return c_start, c_end


def is_bullet_sentence(doc: Doc, sent: Span) -> bool:
    """A sentence that is a list item (see language/lines.py); Japanese marks (・■●) come
    with no blank after them and stay in the sentence."""
    return is_bullet(doc.text, sent.start) or (
        _line_opens_at(doc.text, sent.start) and _JA_BULLET_RE.match(doc.text, sent.start) is not None)


def is_spec_line(doc: Doc, sent: Span) -> bool:
    """A "Label: value" line of a spec list: "Memory: 128GB", 「・帯域:毎秒1.6TB」."""
    text = doc.text
    if is_label_line(text, sent.start):
        return True
    if not _line_opens_at(text, sent.start):
        return False
    line_end = text.find("\n", sent.start)
    line = text[sent.start:line_end if line_end >= 0 else len(text)]
    return len(line) <= 80 and _JA_LABEL_RE.match(line) is not None


def _line_opens_at(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip()


_JA_BULLET_RE = re.compile(r"[・■●◆□▼◇]")
# 「帯域:毎秒1.6TB」「FP4演算性能：2PFLOPS」: a short label with kana or kanji, a colon, the value
_JA_LABEL_RE = re.compile(r"[・■●◆□▼◇]?\s*(?=[^:：\n]*[ぁ-んァ-ヶ一-龥])[^\s:：、。]{1,16}[:：]\s*\S")


def rounded(v: float | None) -> float | None:
    return None if v is None else round(v, 6)


def phrase_end(text: str, sent: Span, q: Quantity) -> int:
    """End of the comparative phrase after a number ("faster at AI training")."""
    m = re.compile(r"[^,;.—()\n、。]*").match(text, q.end, sent.end)
    end = m.end() if m else q.end
    # stop before a following conjunction that starts a new comparison
    j = re.search(r"\s+(?:and|while|but)\s+(?:up\s+to\s+|about\s+|roughly\s+)?(?:\d|[a-z]+\s+times)",
                  text[q.end:end])
    if j:
        end = q.end + j.start()
    return end
