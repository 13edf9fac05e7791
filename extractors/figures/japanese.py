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
    r"[」』]?(?:の(?:性能|計算性能|演算性能|処理性能)?の?|より|に比べ(?:て)?|と比べ(?:て)?|と比較して|を(?:[ァ-ヶー一-龥A-Za-z]{1,8}で)?)"
    r"(?:で|は|も)?\s*$"
)


JA_BASELINE_RE = re.compile(r"[」』]?\s*(?:[にと]比べ(?:ると|れば)|と比較すると)\s*[、,]?")


JA_POS_RE = re.compile(r"\s*(?:ほど|程度)?(?:高い|高く|多い|多く|速い|速く|大きい|大きく|上回)")


JA_FRACTION_RE = re.compile(r"\s*(?:弱|強)?(?:程度|前後)?(?:に(?:とどま|留ま|過ぎ|すぎ)|の水準|相当|しかない"
                            r"|の(?:性能|演算性能|処理性能|計算能力|処理能力))")


JA_NEG_RE = re.compile(r"\s*(?:ほど|程度)?(?:の)?(?:低い|低く|遅い|遅く|劣る|劣り|少ない|少なく|小さい|小さく|下回)")


SUBJECT_JA_RE = re.compile(r"\s*(?:は|が|も)")


JA_OBJECT_AFTER_RE = re.compile(r"[」』]?(?:の(?![^。、\n]{0,8}?は)|より|に比べ(?:て)?|と比べ(?:て)?)[^。、\n]{0,8}?(?:倍|割|分の|半分)"
                                r"|[」』]?を[^。、\n]{0,8}?(?:倍|割|%|％|パーセント)[^。、\n]{0,3}?(?:上回|下回)"
                                # 「H100」にほぼ並ぶ / と同等: the chip measured against
                                r"|[」』]?(?:に(?:ほぼ)?(?:並ぶ|並び|匹敵)|と(?:ほぼ)?(?:同等|同水準|肩を並べ))"
                                # 「MI300シリーズを基に」: the chip a product is derived from
                                r"|[」』]?(?:シリーズ|世代)?(?:を基に|をもとに|を元に|をベースに|から派生|の派生)")


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


_KANA_RE = re.compile(r"[ぁ-んァ-ヶ]")


def ja_zero_subject(doc: Doc, si: int, sent: Span, rel_chip: str | None) -> str | None:
    """A Japanese sentence that names no topic of its own (「H200と比べると、帯域幅で3割劣る」)
    speaks of the topic (は/が) chip of the sentence before."""
    text = doc.text
    if si == 0 or not _KANA_RE.search(text, sent.start, sent.end) or any(
            _JA_TOPIC_AFTER_RE.match(text, c.end) for c in chips_in(doc, sent.start, sent.end)):
        return None
    prev = doc.sentences[si - 1]
    for c in chips_in(doc, prev.start, prev.end):
        if _JA_TOPIC_AFTER_RE.match(text, c.end) and c.chip != rel_chip:
            return c.chip
    return None


JA_COMBINED_RE = re.compile(r"\s*(?:つ|個|枚)?\s*(?:を)?\s*(?:組み合わせ|貼り合わせ|統合し|重ね)(?:た|て)[^。、\n]{0,3}?")


JA_LINKED_RE = re.compile(r"(?:を)?\s*(?:つな|繋|接続し|束ね|搭載し|搭載す|組み合わせ)[いがげる]?だ?た?[^。、\n]{0,12}\Z")
