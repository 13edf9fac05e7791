"""Which outlet a text credits: "(Reuters) -", "By Reuters", "according to Bloomberg".

Two kinds of credit. A *byline* says the whole text is that outlet's copy (a dateline
credit, a "By Reuters" byline, "did not respond to Reuters requests for comment": only the
outlet's own reporter writes that). A *citation* says one statement comes from it ("As
Reuters reports", "according to a report by Bloomberg"); it covers its own sentence.
The outlets and phrasings are data tables, so adding one is adding a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Outlets whose reporting others republish or cite, with the names the text may use.
# Short forms ("AP", "FT") are only trusted in datelines and bylines, where they are
# unambiguous; elsewhere they would match too much.
OUTLET_NAMES: dict[str, tuple[str, ...]] = {
    "Reuters": ("Reuters", "Thomson Reuters"),
    "Bloomberg": ("Bloomberg News", "Bloomberg"),
    "Associated Press": ("Associated Press",),
    "AFP": ("Agence France-Presse", "AFP"),
    "Financial Times": ("Financial Times",),
    "The Wall Street Journal": ("Wall Street Journal",),
    "Nikkei Asia": ("Nikkei Asia", "Nikkei"),
    "The Information": ("The Information",),
    "Semafor": ("Semafor",),
    "Xinhua": ("Xinhua",),
    "South China Morning Post": ("South China Morning Post", "SCMP"),
    "Caixin": ("Caixin",),
    "CNBC": ("CNBC",),
    "Yonhap": ("Yonhap",),
    "Kyodo": ("Kyodo News", "Kyodo"),
}
BYLINE_ONLY_NAMES: dict[str, tuple[str, ...]] = {
    "Associated Press": ("AP",),
    "Financial Times": ("FT",),
}

# {name} is replaced by an alternation of the outlet's names. Kind: byline | cites.
PATTERNS: tuple[tuple[str, str], ...] = (
    ("byline", r"\(\s*{name}\s*\)\s*[-\u2013\u2014:]"),  # WASHINGTON (Reuters) -
    ("byline", r"(?m)^\s*By\s+{name}\b(?!\s+(?:and|reporters?)\b)"),  # By Reuters | 09 Dec
    ("byline", r"\b{name}\s+(?:requests?|queries|emails?|calls?)\s+for\s+comment"),
    ("byline", r"\b(?:respond|reply|replied|responded)\s+to\s+(?:a\s+)?{name}(?:'s|\u2019s)?\s+(?:requests?|queries|emails?|calls?)"),
    ("byline", r"(?:\u00a9|Copyright)\s*(?:\d{{4}}\s+)?{name}\b"),
    ("cites", r"\b(?:according\s+to|reported\s+by|citing|cited\s+by)\s+(?:a\s+(?:report|story|article)\s+(?:by|from|in)\s+)?(?:the\s+)?{name}\b"),
    ("cites", r"\bas\s+{name}\s+(?:reports|reported|first\s+reported|has\s+reported)"),
    ("cites", r"\b{name}\s+(?:reported|reports|first\s+reported|has\s+reported|said,\s+citing|revealed)\b"),
    ("cites", r"\b(?:told|explained\s+[^.]{{0,60}}?\s+to|said\s+to)\s+{name}\b"),
)


@dataclass(frozen=True)
class Credit:
    outlet: str  # canonical outlet name
    kind: str  # byline | cites
    phrase: str  # the words that say so, exactly as in the text
    char_start: int
    char_end: int


def _alternation(names: tuple[str, ...]) -> str:
    return "(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True)) + ")"


def _compile() -> list[tuple[str, str, tuple[str, ...], re.Pattern[str]]]:
    out = []
    for outlet, names in OUTLET_NAMES.items():
        for kind, template in PATTERNS:
            allowed = names + (BYLINE_ONLY_NAMES.get(outlet, ()) if kind == "byline" else ())
            flags = re.IGNORECASE if kind == "cites" else 0
            # the first word of each name: a cheap test that the outlet is named at all
            firsts = tuple({n.split()[0].lower() for n in allowed})
            out.append((outlet, kind, firsts, re.compile(template.format(name=_alternation(allowed)), flags)))
    return out


_COMPILED = _compile()
MAX_TEXT = 200_000  # characters of one article searched


def find_credits(text: str) -> list[Credit]:
    """Every credit in the text, in order of position; one per place."""
    text = text[:MAX_TEXT]
    low = text.lower()
    found: dict[int, Credit] = {}
    for outlet, kind, firsts, pattern in _COMPILED:
        if not any(f in low for f in firsts):  # most texts name no outlet: skip its patterns
            continue
        for m in pattern.finditer(text):
            phrase = " ".join(m.group(0).split())
            prev = found.get(m.start())
            if prev is None or (prev.kind == "cites" and kind == "byline"):
                found[m.start()] = Credit(outlet, kind, phrase, m.start(), m.end())
    out: list[Credit] = []
    for k in sorted(found):
        c = found[k]
        if out and c.char_start < out[-1].char_end:  # inside the previous phrase
            if c.kind == "byline" and out[-1].kind == "cites":
                out[-1] = c
            continue
        out.append(c)
    return out


def byline_outlet(credits: list[Credit]) -> Credit | None:
    """The outlet a text is a copy of, when it says so (the first byline credit)."""
    return next((c for c in credits if c.kind == "byline"), None)


def same_outlet(name: str | None, outlet: str | None) -> bool:
    """Does a stored outlet label ("Reuters", "reuters.com", "Reuters UK") name this outlet?"""
    if not name or not outlet:
        return False
    o = outlet.lower()
    return any(n.lower() in o for n in OUTLET_NAMES.get(name, (name,))) or name.lower() in o


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) around a span: the unit a citation covers."""
    a = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    a = 0 if a < 0 else a + 1
    b_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    b = min(b_candidates) if b_candidates else len(text)
    return a, b
