"""Clause-level reading around a trigger: its clause, what it is about (export or purchase),
chips near it, and the guards that decide whether a broad clause form is a statement.
"""

from __future__ import annotations

import re
from dataclasses import replace

from chipwatch.extractors.chips import ChipMention
from chipwatch.extractors.language.numbers import find_quantities, Quantity
from chipwatch.extractors.policy.tables import guard, words

_I = re.IGNORECASE

# ------------------------------------------------------------------ context words
_EXPORT_WORDS = words("export_words")


_PURCHASE_WORDS = words("purchase_words")


_LIMITING = words("limiting")


def _domain(s_text: str, start: int, end: int) -> str | None:
    """'export' or 'purchase': what the permission or prohibition is about."""
    right = s_text[end:end + 110]
    cut = re.search(r"[;—–]|\s--\s|\b(?:while|but|although|though|whereas)\b", right)
    if cut:
        right = right[:cut.start()]
    exp = _EXPORT_WORDS.search(right)
    pur = _PURCHASE_WORDS.search(right)
    if exp or pur:
        if exp and pur:
            return "export" if exp.start() < pur.start() else "purchase"
        return "export" if exp else "purchase"
    left = s_text[max(0, start - 110):start]
    exp_l = list(_EXPORT_WORDS.finditer(left))
    pur_l = list(_PURCHASE_WORDS.finditer(left))
    if exp_l or pur_l:
        last_e = exp_l[-1].end() if exp_l else -1
        last_p = pur_l[-1].end() if pur_l else -1
        return "export" if last_e >= last_p else "purchase"
    return None


def _chip_object(chips: list[ChipMention], s_text: str, end: int) -> bool:
    """A chip right after a permission verb is what it permits ("allow a Blackwell chip"),
    unless an infinitive follows ("allows the H200 to run larger models")."""
    for c in chips:
        if 0 <= c.start - end <= 25 and not re.search(r"[,;.]", s_text[end:c.start]):
            return not re.match(r"\s*(?:\S+\s+){0,3}?to\s+\w+", s_text[c.end:c.end + 30], _I)
    return False


def _chip_near(chips: list[ChipMention], start: int, end: int, window: int) -> bool:
    return any(c.start < end + window and c.end > start - window for c in chips)


_MODAL_PASSIVE = words("modal_passive")


_OBLIGED_BEFORE = guard("obliged_before")


_SUBORDINATE_BEFORE = guard("subordinate_before")


_GOODS_OF_BUSINESS = guard("goods_of_business")


def _clause_form_ok(matched: str, before: str, chips: list[ChipMention], start: int) -> bool:
    """Guards for the broad clause-level forms: who is the subject, and is it a statement."""
    low = matched.lower()
    if low.startswith(("stay", "remain", "kept", "fell", "fall")) and re.search(r"\bto\s+$", before[-5:]):
        return False  # "disabled cores to stay under the thresholds": a design aim
    if low.startswith(("receiv", "won", "obtain", "secur")) and _OBLIGED_BEFORE.search(before[-40:]):
        return False  # "must obtain a licence to export": a requirement, not a grant
    if _MODAL_PASSIVE.match(matched):
        # "the H200 could be sold to approved customers": a permission about a named chip;
        # "before they could be exported", "chips that could be shipped" describe, not rule.
        if " only " in f" {low} " or _SUBORDINATE_BEFORE.search(before[-40:]):
            return False
        if not any(0 <= start - c.end <= 30 for c in chips):
            return False
    if re.search(r"\bnot\s+be\b|cannot", low) and _GOODS_OF_BUSINESS.search(before[-30:]):
        return False  # "orders could not be shipped": a company's backlog, not a rule
    return True


def _clause_left(s_text: str, start: int) -> str:
    """Text from the start of the trigger's clause to the trigger."""
    left = s_text[max(0, start - 300):start]
    cut = max((m.end() for m in re.finditer(r"[;—–]|\s--\s|,\s|、|\b(?:while|but|although|"
                                          r"though|whereas)\b", left)), default=0)
    return left[cut:]


def _own_clause(s_text: str, start: int, end: int) -> str:
    """The clause around a span: cut at ; — and ', while/but/whereas'."""
    cut = re.compile(r"[;—]|,\s+(?:while|but|whereas|although|though)\b", _I)
    left = max((m.end() for m in cut.finditer(s_text, 0, start)), default=0)
    nxt = cut.search(s_text, end)
    return s_text[left:nxt.start() if nxt else len(s_text)]


# "a 25 per cent cut", "a 15-per-cent share": a percentage written in words.
_PER_CENT = words("per_cent")


def _quantities(s: str) -> list[Quantity]:
    """Quantities of a sentence, with "N per cent" read as a percentage."""
    try:
        found = find_quantities(s)
    except Exception:  # noqa: BLE001
        return []
    out = []
    for q in found:
        per_cent = _PER_CENT.match(s, q.end) if q.unit is None else None
        if per_cent:
            q = replace(q, unit="%", end=per_cent.end(), text=s[q.start:per_cent.end()])
        out.append(q)
    return out
