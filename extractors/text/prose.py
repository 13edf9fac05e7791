"""Text helpers shared by the article parsers: one paragraph's normal form, lengths that
treat every script fairly, and the lines that are page furniture whatever the markup."""
from __future__ import annotations

import re
import unicodedata

__all__ = [
    "normalise_paragraph", "join_paragraphs", "match_key", "visual_len", "is_boilerplate_text",
    "CONTROL", "TERMINAL", "WIDE",
]

_SPACE = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise_paragraph(text: str) -> str:
    """One paragraph: NFC, invisible characters dropped, whitespace runs -> one space."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return _SPACE.sub(" ", text).strip()


def join_paragraphs(paragraphs: list[str]) -> str:
    return "\n\n".join(p for p in paragraphs if p)


def match_key(text: str | None) -> str:
    """Comparison form: case and punctuation do not matter when matching titles."""
    return re.sub(r"\W+", " ", (text or "").casefold()).strip()


_BOILERPLATE_TEXT = re.compile(
    r"""^(?:
        advertisement|advertising|advert$|sponsored(?:\ links|\ content)?|
        related(?:\ articles|\ stories|\ coverage|\ content|\ news|\ topics)?\s*:?|
        more\s*:|more\ from\b|read\ more\b|read\ next\b|see\ also\b|also\ read\b|read\ also\b|
        recommended(?:\ for\ you|\ stories)?|trending(?:\ on\b.*|\ now|\ stories)?|
        most\ (?:read|popular|viewed|shared)\b|
        share\ (?:this|on|via|the\ article)\b|share$|follow\ us\b|
        sign\ up\b|subscribe\b|get\ (?:our|the)\ .{0,40}newsletter|
        click\ here\b|tap\ here\b|our\ standards\s*:|all\ quotes\ delayed|
        ©|\(c\)\ \d{4}|copyright\ (?:©\ ?)?\d{4}|all\ rights\ reserved|
        we\ use\ cookies|this\ (?:site|website)\ uses\ cookies|by\ continuing\ to\ (?:use|browse)|
        accept\ (?:all\ )?cookies|cookie\ (?:policy|settings|preferences)|
        skip\ to\ (?:main\ )?content|back\ to\ top|report\ (?:an\ )?error|
        photo\s*:|image\s*:|credit\s*:|
        opens\ new\ tab$|full\ article$|learn\ more$|
        (?:[a-z]+\ )?newsletter\b
    )""",
    re.I | re.X,
)
_BOILERPLATE_ANYWHERE = re.compile(
    r"(?:full article|full coverage|continue reading|read the full story|read more|learn more)\W*$|"
    r"sign up (?:for|to) (?:our|the) .{0,60}(?:newsletter|brief|briefing)|"
    r"(?:newsletter|briefing)s? (?:in|to) your inbox|"
    r"all rights reserved|we use cookies",
    re.I,
)
TERMINAL = re.compile(r"""[.!?:;"'”’)\]…。！？」』）]$""")
# Han, kana and hangul carry a word or more per character: they count three times when a
# length stands for "how much text" (a 15-character Japanese sentence is a full sentence).
WIDE = re.compile("[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]")


def visual_len(text: str) -> int:
    if text.isascii():
        return len(text)  # no wide characters to count (and no scan for them)
    return len(text) + 2 * len(WIDE.findall(text))


# Markup shown as text: a <noscript> tracking pixel the parser left as a string.
# (Lower-case tag names with attributes: "<The Palace: Tale of Jang Noksu>" is a title.)
_MARKUP_TEXT = re.compile(r"^(?:</?(?:img|a|div|span|iframe|script|p|br|link|meta|noscript|source|input|style)(?:\s+[\w:-]+=[^<>]*)?\s*/?>\s*)+$")


# A WordPress shortcode the theme failed to render: "[button link=...]Send us...[/button]".
_SHORTCODE = re.compile(r"^\[([a-z_]+)\b[^\]]*\].*\[/\1\]$")


def is_boilerplate_text(text: str) -> bool:
    if len(text) > 300:
        return False
    if text.startswith("<") and _MARKUP_TEXT.match(text):
        return True
    if text.startswith("[") and _SHORTCODE.match(text):
        return True
    return bool(_BOILERPLATE_TEXT.match(text) or _boilerplate_anywhere(text))


# Words one of which every match of _BOILERPLATE_ANYWHERE holds, and the characters that
# the regex engine's IGNORECASE takes for ASCII letters though lower() does not map them
# there (dotted and dotless i, long s). Looking for the words first is a few substring
# tests; the pattern itself tries every branch at every character.
_ANYWHERE_WORDS = ("full article", "full coverage", "continue reading", "read the full story",
                   "read more", "learn more", "sign up", "your inbox", "all rights reserved",
                   "we use cookies")
_IGNORECASE_ODD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def _boilerplate_anywhere(text: str) -> bool:
    folded = (text if text.isascii() else text.translate(_IGNORECASE_ODD)).lower()
    if not any(w in folded for w in _ANYWHERE_WORDS):
        return False
    return _BOILERPLATE_ANYWHERE.search(text) is not None
