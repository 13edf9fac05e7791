"""Who acts in a policy statement: a gazetteer of governments, agencies, people and firms.

News text names the same actor many ways ("the Trump administration", "Washington",
"U.S. officials"; "Beijing", "Chinese regulators"). Policy facts must carry one canonical
name per actor so that claims from different outlets can be compared, so every surface form
maps to a canonical name and an actor *type* (government, person, company) that tells the
policy extractor whether the actor can decide an export rule or only take part in one.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from chipwatch.extractors import lexicon
from chipwatch.extractors.language.wordtrie import longest_first_pattern

# Canonical actor -> (type, family), from the lexicon (kept up to date in place, so that
# modules holding this dict see a user's lexicon too). The family groups actors that speak
# for one state, so that "Trump" and "Commerce" can both support a claim made about "US".
ACTOR_INFO: dict[str, tuple[str, str]] = {}

# Nouns that make a country word mean its state ("US officials", "Chinese regulators").
_GOV_NOUNS = (
    r"government|administration|authorities|authority|officials?|regulators?|ministry|"
    r"agenc(?:y|ies)|lawmakers|legislators|policymakers|leadership|state|side|rules?|"
    r"regulations?|law|customs|commerce department|department of commerce|"
    r"commerce ministry|ministry of commerce|trade ministry|president|leaders?|cabinet"
)

# Words after a bare country name that show it is a modifier, not the acting state:
# "US chipmakers", "China market", "American technology".
_NON_ACTOR_NEXT = re.compile(
    r"\s*(?:-\s*)?(?:based|made|bound|focused|listed|owned|specific|only|facing)\b|"
    # 中国向け (for China), 米国製 (US-made), 中国企業: a destination or origin, not who acts
    r"(?:向け|製|産|企業|市場|メーカー|勢|系)|"
    r"\s+(?:companies|company|firms?|chipmakers?|chip\s*makers?|customers?|buyers?|clients?|"
    r"tech(?:nology|nologies)?|parts?|chips?|products?|market|markets|shares?|stocks?|"
    r"industry|industries|semiconductors?|semiconductor|AI|cloud|data|consumers?|users?|"
    r"universities|labs?|rivals?|competitors?|developers?|giants?|hyperscalers?|startups?|"
    r"businesses|entities|subsidiaries|operations|sales|revenue|exports?|imports?|"
    r"national|soil|dollars?|economy|military|counterparts?|version|versions|edition)\b",
    re.IGNORECASE,
)
# Prepositions that put a country in object position ("exports to China").
_OBJECT_PREP = re.compile(
    r"(?:\b(?:to|into|in|from|for|of|with|toward|towards|against|on|than|at|over|across|"
    r"within|inside|outside|like|including|and|or)\s+(?:the\s+)?)$",
    re.IGNORECASE,
)
_POSSESSIVE_AFTER = re.compile(r"(?:'s|’s)")
_TITLE_OF = re.compile(r"\b(?:chair(?:man|woman)?|head|chief|secretary|members?|spokes(?:person|man|"
                       r"woman)|leaders?|director|minister|officials?)\s+(?:of|at|from)\s+(?:the\s+)?$",
                       re.IGNORECASE)


@dataclass(frozen=True)
class ActorMention:
    """A span of text naming an actor; `subject_ok` is False in object positions."""

    actor: str
    start: int
    end: int
    kind: str
    subject_ok: bool
    possessive: bool


# Compiled from the lexicon: (pattern, canonical) in row order, with the lower-case hint
# words one of which must occur for each English pattern to be tried at all. Most sentences
# name two or three actors, so skipping the other patterns with a substring test keeps the
# gazetteer cheap on every sentence of a feed. A pattern without hints is always tried.
_ENGLISH_RE: list[tuple[re.Pattern[str], str]] = []
_ENGLISH_HINTS: list[tuple[str, ...]] = []
_JAPANESE_RE: list[tuple[re.Pattern[str], str]] = []
_ALL_ENGLISH_HINTS: tuple[str, ...] = ()
_ENGLISH_HINT_SETS: list[frozenset[str] | None] = []
# The hints found in one pass (language/wordtrie.py): the longest hint at each position,
# mapped to the patterns (as bits, in pattern order) that it or a hint inside it lets through.
_HINT_SCAN: re.Pattern[str] | None = None
_HINT_BITS: dict[str, int] = {}
_ALWAYS_BITS = 0
_STATES: set[str] = set()
_generation = -1
_lock = threading.Lock()


def _alias_pattern(alias: str) -> str:
    """A plain word as a whole-word pattern; all capitals stay case-sensitive."""
    body = r"\s+".join(re.escape(part) for part in alias.split())
    if alias.upper() == alias and any(c.isalpha() for c in alias):
        body = f"(?-i:{body})"
    return rf"(?<!\w){body}(?!\w)"


def _refresh() -> None:
    """Recompile the tables when the lexicon has changed (a user's file was applied)."""
    global _ALL_ENGLISH_HINTS, _ENGLISH_HINT_SETS, _generation, _HINT_SCAN, _HINT_BITS, _ALWAYS_BITS
    if _generation == lexicon.generation():
        return
    with _lock:
        rows = lexicon.rows("actor")
        generation = lexicon.generation()
        if _generation == generation:
            return
        english: list[tuple[re.Pattern[str], str]] = []
        hints: list[tuple[str, ...]] = []
        japanese: list[tuple[re.Pattern[str], str]] = []
        for row in rows:
            for p in row.english:
                english.append((re.compile(p.pattern, re.IGNORECASE), row.name))
                hints.append(p.hints)
            for alias in row.aliases:
                english.append((re.compile(_alias_pattern(alias), re.IGNORECASE), row.name))
                hints.append((alias.split()[0].lower(),))
            japanese.extend((re.compile(p), row.name) for p in row.japanese)
        ACTOR_INFO.clear()
        ACTOR_INFO.update({row.name: (row.type, row.family) for row in rows})
        # States speak for themselves (family = name): "US", "China", "EU", ...
        _STATES.clear()
        _STATES.update(r.name for r in rows if r.type == "government" and r.family == r.name)
        _ENGLISH_RE[:] = english
        _ENGLISH_HINTS[:] = hints
        _JAPANESE_RE[:] = japanese
        # Every hint once per text, then a set test per pattern (hints are shared).
        _ALL_ENGLISH_HINTS = tuple(sorted({h for hs in hints for h in hs}))
        _ENGLISH_HINT_SETS = [frozenset(hs) if hs else None for hs in hints]
        words = [h for h in _ALL_ENGLISH_HINTS if h]
        _HINT_BITS = {h: sum(1 << i for i, hs in enumerate(_ENGLISH_HINT_SETS)
                             if hs and any(g in h for g in hs)) for h in words}
        _ALWAYS_BITS = sum(1 << i for i, hs in enumerate(_ENGLISH_HINT_SETS) if not hs or "" in hs)
        _HINT_SCAN = longest_first_pattern(words)
        _generation = generation


_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Short all-capital abbreviations that must not match ordinary words case-insensitively.
_CASE_SENSITIVE = {"US", "BIS", "CAC", "EU", "PRC", "CCP", "CPC", "UAE", "USA", "AMD"}


def known_actors() -> dict[str, tuple[str, str]]:
    """Canonical actor -> (type, family), as the lexicon has it now."""
    _refresh()
    return ACTOR_INFO


def actor_type(actor: str | None) -> str | None:
    """Government, person or company; None for unknown names."""
    if actor is None:
        return None
    _refresh()
    info = ACTOR_INFO.get(actor)
    return info[0] if info else None


def actor_family(actor: str | None) -> str | None:
    """The state (or firm) an actor speaks for: Trump, Commerce and BIS all give US."""
    if actor is None:
        return None
    _refresh()
    info = ACTOR_INFO.get(actor)
    return info[1] if info else actor


def is_governmental(actor: str | None) -> bool:
    """People in office count: a president decides export rules."""
    return actor_type(actor) in ("government", "person")


def canonical_actor(name: str) -> str | None:
    """Canonical name for a surface form such as "the Commerce Department" or "北京"."""
    try:
        text = name.strip()
        for mention in find_actors(text):
            if mention.start <= 2 and mention.end >= len(text) - 3:
                return mention.actor
        found = find_actors(text)
        return found[0].actor if len(found) == 1 else None
    except Exception:
        return None


def _case_ok(match: re.Match[str]) -> bool:
    word = match.group(0).strip()
    if word.upper() in _CASE_SENSITIVE:
        return word == word.upper()
    return True


def _english_patterns(lower: str) -> list[tuple[re.Pattern[str], str]]:
    """The English patterns one of whose hints occurs in the lower-cased text (or that
    have none), in pattern order."""
    bits = _ALWAYS_BITS
    if _HINT_SCAN is not None:
        for hint in set(_HINT_SCAN.findall(lower)):
            bits |= _HINT_BITS[hint]
    patterns = []
    while bits:
        low = bits & -bits
        patterns.append(_ENGLISH_RE[low.bit_length() - 1])
        bits ^= low
    return patterns


def find_actors(text: str) -> list[ActorMention]:
    """Every actor mention, longest match first, no overlaps, in text order."""
    _refresh()
    candidates: list[tuple[int, int, str]] = []
    patterns = _english_patterns(text.lower())
    if _CJK.search(text):
        patterns += _JAPANESE_RE
    for pattern, name in patterns:
        for m in pattern.finditer(text):
            if m.end() <= m.start() or not _case_ok(m):
                continue
            candidates.append((m.start(), m.end(), name))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int, str]] = []
    used = bytearray(len(text) + 1)  # characters already claimed by a longer mention
    for start, end, name in candidates:
        if any(used[start:end]):
            continue
        used[start:end] = b"\x01" * (end - start)
        taken.append((start, end, name))
    taken.sort()
    mentions: list[ActorMention] = []
    for start, end, name in taken:
        kind = actor_type(name) or "company"
        after = text[end:end + 40]
        possessive = bool(_POSSESSIVE_AFTER.match(after))
        before = text[max(0, start - 40):start]
        subject_ok = True
        if _OBJECT_PREP.search(before) and not re.search(r"\bby\s+(?:the\s+)?$", before, re.I):
            subject_ok = False
        if _TITLE_OF.search(before):
            subject_ok = True  # "the chairman of the House committee said": speaks for it
        if re.fullmatch(r"\s*(?:In|in)\s+", before) and text[end:end + 1] == ",":
            subject_ok = True  # "In Taipei, the ministry ...": the scene names who acts
        span = text[start:end]
        bare_country = name in _STATES and not re.search(
            r"government|administration|authorit|official|regulator|ministry|agenc|lawmaker|"
            r"leader|state|side|rules?|customs|law|president|cabinet|Xi",
            span, re.IGNORECASE)
        if bare_country and _NON_ACTOR_NEXT.match(after):
            subject_ok = False
        if kind == "company" and possessive:
            # "Nvidia's H200" names the maker of a chip, not an actor.
            subject_ok = False
        mentions.append(ActorMention(name, start, end, kind, subject_ok, possessive))
    return mentions


_refresh()  # fills ACTOR_INFO for modules that read it at import
