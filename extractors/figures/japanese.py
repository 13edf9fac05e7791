"""Japanese cue patterns: baselines (と比べると), topics (は/が), fractions and system make-up.

Vocabulary of the rules in figures/, kept apart so the English modules read alone.
"""

from __future__ import annotations

import re

from chipwatch.extractors.figures.doc import Doc, chips_in
from chipwatch.extractors.figures.mentions import SYSTEMS
from chipwatch.extractors.language.numbers import Quantity
from chipwatch.extractors.language.sentences import Span

JA_REL_GAP_RE = re.compile(
    r"[」』]?(?:の(?:性能|計算性能|演算性能|処理性能)?の?|より|に比べ(?:て)?|と比べ(?:て)?|と比較して)"
    r"(?:で|は|も)?\s*$"
)


JA_BASELINE_RE = re.compile(r"[」』]?\s*(?:[にと]比べ(?:ると|れば)|と比較すると)\s*[、,]")


JA_POS_RE = re.compile(r"\s*(?:ほど|程度)?(?:高い|高く|多い|多く|速い|速く|大きい|大きく|上回)")


JA_FRACTION_RE = re.compile(r"\s*(?:弱|強)?(?:程度|前後)?(?:に(?:とどま|留ま|過ぎ|すぎ)|の水準|相当|しかない)")


JA_NEG_RE = re.compile(r"\s*(?:程度)?(?:の)?(?:低い|遅い|劣る|少ない|小さい)")


SUBJECT_JA_RE = re.compile(r"\s*(?:は|が|も)")


JA_OBJECT_AFTER_RE = re.compile(r"[」』]?(?:の(?![^。、\n]{0,8}?は)|より|に比べ(?:て)?|と比べ(?:て)?)[^。、\n]{0,8}?(?:倍|割|分の|半分)")


_JA_TOPIC_AFTER_RE = re.compile(r"[」』]?(?:は|が)")


_JA_TOPIC_FIGURE_RE = re.compile(r"(?:は|が)(?:約|およそ|ほぼ)?\s*$")


def ja_topic_before(doc: Doc, si: int, sent: Span, q: Quantity) -> str | None:
    """'「H200」は…。総合処理性能は1万5840で、H20の約6倍': a Japanese figure whose sentence
    names no chip before it belongs to the topic (は/が) chip of the previous sentence."""
    if not _JA_TOPIC_FIGURE_RE.search(doc.text, sent.start, q.start) or si == 0:
        return None
    prev = doc.sentences[si - 1]
    for c in chips_in(doc, prev.start, prev.end):
        if _JA_TOPIC_AFTER_RE.match(doc.text, c.end) and c.chip not in SYSTEMS:
            return c.chip
    return None


JA_COMBINED_RE = re.compile(r"\s*(?:つ|個|枚)?\s*(?:を)?\s*(?:組み合わせ|貼り合わせ|統合し|重ね)(?:た|て)[^。、\n]{0,3}?")


JA_LINKED_RE = re.compile(r"(?:を)?\s*(?:つな|繋|接続し|束ね|搭載し|組み合わせ)[いがげ]?だ?た?[^。、\n]{0,12}\Z")
