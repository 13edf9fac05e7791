"""A bare number's unit from the figure it pairs with: "800 TFLOPS versus 989 for the
H100", "more than twice the A100's 312", "the 910C offers 800 teraflops and the 950PR 1,000".
"""

from __future__ import annotations

import bisect
import re

from chipwatch.extractors.chips import ChipMention
from chipwatch.extractors.figures.doc import Doc
from chipwatch.extractors.figures.measures import SPEC_UNITS
from chipwatch.extractors.figures.owner import AFTER_CHIP_RE
from chipwatch.extractors.language.numbers import Quantity
from chipwatch.extractors.language.sentences import Span


def with_partner_unit(doc: Doc, si: int, sent: Span, s_chips: list[ChipMention], s_qty: list[Quantity],
                      q: Quantity, before: str, after: str) -> Quantity:
    """`q` in the unit of the figure it pairs with (scaled as that figure was written), or
    `q` unchanged when it pairs with none."""
    partner = _versus_partner(doc, s_chips, s_qty, q, before) or _bare_partner_unit(
        doc, si, sent, s_chips, q, after) or _gapped_partner(doc, sent, s_chips, s_qty, q, after)
    if partner is None:
        return q
    return Quantity(q.value * _unit_scale(partner), partner.unit, q.start, q.end, q.text, q.approx,
                    q.low, q.high, q.qualifier, q.number_start)


_RANGE_GAP_RE = re.compile(r"\s*[～〜~–-]\s*")


def with_range_start(text: str, s_qty: list[Quantity], q: Quantity) -> Quantity:
    """「1万～1万2000ドル」: a bare number joined to `q` by a range mark is the range's lower
    end (the number reader takes the two apart when the first has no unit)."""
    if q.low is not None or q.unit is None:
        return q
    first = next((o for o in reversed(s_qty) if o.end <= q.start), None)
    if first is None or first.unit is not None or first.low is not None or not 0 < first.value < q.value \
            or not _RANGE_GAP_RE.fullmatch(text, first.end, q.number_start if q.number_start >= 0 else q.start):
        return q
    return Quantity((first.value + q.value) / 2, q.unit, first.start, q.end, text[first.start:q.end],
                    q.approx, first.value, q.value, q.qualifier, first.start)


def _versus_partner(doc: Doc, s_chips: list[ChipMention], s_qty: list[Quantity], q: Quantity,
                    before: str) -> Quantity | None:
    """'800 TFLOPS versus 989 for the H100': the figure just before, when a chip follows."""
    if not _VERSUS_BEFORE_RE.search(before):
        return None
    text = doc.text
    prev = [o for o in s_qty if o.end <= q.start and q.start - o.end <= 60 and o.unit in SPEC_UNITS]
    named_after = any(q.end <= c.start <= q.end + 30 and AFTER_CHIP_RE.match(text[q.end:c.start])
                      for c in s_chips)
    return prev[-1] if prev and named_after else None


_VERSUS_BEFORE_RE = re.compile(
    r"(?:\bversus|\bvs\.?|\bcompared\s+(?:with|to)|\bagainst)\s+(?:about\s+|around\s+|roughly\s+"
    r"|some\s+|nearly\s+|just\s+)?$", re.I,
)


def _unit_scale(partner: Quantity) -> float:
    """1, unless the partner's number was written in a larger unit ("2 petaflops")."""
    digits = re.sub(r"[^\d.]", "", partner.text.split()[0] if partner.text.split() else "")
    try:
        written = float(digits) if digits else partner.value
    except ValueError:
        written = partner.value
    return partner.value / written if written and partner.value and written != partner.value else 1.0


_BARE_AFTER_RE = re.compile(r"\s*(?:[,.;:)—]|$|\s(?:and|while|but|or|in|on|for|at)\b)")


_TPP_WORD_RE = re.compile(r"\bTPP\b|processing\s+performance|\bscores?\b|performance\s+density", re.I)


def _bare_partner_unit(doc: Doc, si: int, sent: Span, s_chips: list[ChipMention], q: Quantity,
                       after: str) -> Quantity | None:
    """The spec figure a bare number after a chip's possessive shares its unit with."""
    if q.low is not None or q.value < 10 or q.qualifier or not _BARE_AFTER_RE.match(after):
        return None
    if not any(0 <= q.start - c.end <= 3 and re.fullmatch(r"['’]s\s+", doc.text[c.end:q.start])
               for c in s_chips):
        return None
    if re.fullmatch(r"(?:19|20)\d\d", q.text):
        return None
    lo = doc.sentences[max(0, si - 1)].start
    if _TPP_WORD_RE.search(doc.text, lo, sent.end) or (
            doc.last_tpp_sentence is not None and si - doc.last_tpp_sentence <= 1):
        return None  # "the H20's 2,368" after a TPP figure is a score, read elsewhere
    i = bisect.bisect_left(doc.q_starts, q.start) - 1
    while i >= 0 and doc.quantities[i].start >= lo:
        o = doc.quantities[i]
        if o.unit in SPEC_UNITS or (o.unit or "").startswith("TFLOPS"):
            return o
        i -= 1
    return None


_GAP_COORD_RE = re.compile(r"(?:,\s*|\s)(?:and|while|whereas|but)\s+(?:the\s+|its\s+)?$|;\s*(?:the\s+)?$", re.I)


def _gapped_partner(doc: Doc, sent: Span, s_chips: list[ChipMention], s_qty: list[Quantity],
                    q: Quantity, after: str) -> Quantity | None:
    """'The 910C offers 800 teraflops and the 950PR 1,000': the verb and unit left out after
    the second chip are those of the figure before it."""
    text = doc.text
    if q.low is not None or q.qualifier or not _BARE_AFTER_RE.match(after):
        return None
    c = next((c for c in s_chips if c.end <= q.start and re.fullmatch(r"\s+(?:at\s+|with\s+)?", text[c.end:q.start])),
             None)
    if c is None or not _GAP_COORD_RE.search(text, sent.start, c.start):
        return None
    prior = [o for o in s_qty if o.end <= c.start and (o.unit in SPEC_UNITS or (o.unit or "").startswith("TFLOPS"))]
    return prior[-1] if prior else None
