"""Who acts in a policy statement: a gazetteer of governments, agencies, people and firms.

News text names the same actor many ways ("the Trump administration", "Washington",
"U.S. officials"; "Beijing", "Chinese regulators"). Policy facts must carry one canonical
name per actor so that claims from different outlets can be compared, so every surface form
maps to a canonical name and an actor *type* (government, person, company) that tells the
policy extractor whether the actor can decide an export rule or only take part in one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Canonical actor -> (type, family). The family groups actors that speak for one state, so
# that "Trump" and "Commerce" can both support a claim made about "US".
ACTOR_INFO: dict[str, tuple[str, str]] = {
    "US": ("government", "US"),
    "Trump": ("person", "US"),
    "White House": ("government", "US"),
    "Commerce": ("government", "US"),
    "BIS": ("government", "US"),
    "Congress": ("government", "US"),
    "China": ("government", "China"),
    "MOFCOM": ("government", "China"),
    "CAC": ("government", "China"),
    "MIIT": ("government", "China"),
    "NDRC": ("government", "China"),
    "SAMR": ("government", "China"),
    "Japan": ("government", "Japan"),
    "Netherlands": ("government", "Netherlands"),
    "Taiwan": ("government", "Taiwan"),
    "South Korea": ("government", "South Korea"),
    "EU": ("government", "EU"),
    "UAE": ("government", "UAE"),
    "Saudi Arabia": ("government", "Saudi Arabia"),
    "Malaysia": ("government", "Malaysia"),
    "Singapore": ("government", "Singapore"),
    "Nvidia": ("company", "Nvidia"),
    "AMD": ("company", "AMD"),
    "Intel": ("company", "Intel"),
    "Huawei": ("company", "Huawei"),
    "TSMC": ("company", "TSMC"),
    "SMIC": ("company", "SMIC"),
    "ASML": ("company", "ASML"),
    "Micron": ("company", "Micron"),
    "Samsung": ("company", "Samsung"),
    "SK Hynix": ("company", "SK Hynix"),
    "Alibaba": ("company", "Alibaba"),
    "Tencent": ("company", "Tencent"),
    "ByteDance": ("company", "ByteDance"),
    "Baidu": ("company", "Baidu"),
    "Cambricon": ("company", "Cambricon"),
}

# Nouns that make a country word mean its state ("US officials", "Chinese regulators").
_GOV_NOUNS = (
    r"government|administration|authorities|authority|officials?|regulators?|ministry|"
    r"agenc(?:y|ies)|lawmakers|legislators|policymakers|leadership|state|side|rules?|"
    r"regulations?|law|customs|commerce department|department of commerce|"
    r"commerce ministry|ministry of commerce|trade ministry|president|leaders?|cabinet"
)

# (pattern, canonical). Longer, more specific forms first; matching is case-insensitive
# except where the pattern itself requires capitals (checked in `_CASE_SENSITIVE`).
_ENGLISH: list[tuple[str, str]] = [
    # United States bodies
    (r"Bureau of Industry and Security|\bBIS\b", "BIS"),
    (r"(?:U\.?S\.?|US|American)\s+(?:Commerce|commerce)\s+(?:Department|department|Secretary|secretary)"
     r"(?:\s+[A-Z][a-z]+\s+[A-Z][a-z]+)?", "Commerce"),
    (r"(?:the\s+)?(?:U\.?S\.?\s+|US\s+)?Department\s+of\s+Commerce", "Commerce"),
    (r"(?:the\s+)?Commerce\s+(?:Department|Dept\.?|Secretary(?:\s+[A-Z][a-z]+\s+[A-Z][a-z]+)?)"
     r"(?:'s|’s)?", "Commerce"),
    (r"\bLutnick\b", "Commerce"),
    (r"\b(?-i:Commerce)\b(?=\s+(?:is|has|had|was|will|would|said|says|officials?|plans?|"
     r"issued|approved|granted|added|imposed))", "Commerce"),
    (r"(?:a\s+|the\s+)?White\s+House(?:\s+officials?)?", "White House"),
    (r"(?:a\s+)?(?:bipartisan\s+)?(?:group\s+(?:of|in)\s+)?(?:U\.?S\.?\s+)?"
     r"(?:Congress|lawmakers|senators|(?-i:Senator)|Senate|House\s+of\s+Representatives|"
     r"House\s+(?:committee|Select\s+Committee))|\bcongressional\b", "Congress"),
    (r"(?:the\s+)?Trump\s+administration|(?:the\s+)?Trump\s+White\s+House|"
     r"(?:the\s+)?Biden\s+administration|(?:the\s+)?(?:US|U\.S\.)\s+administration", "US"),
    (r"(?:US\s+|U\.S\.\s+)?President\s+Donald\s+(?:J\.\s+)?Trump|Donald\s+Trump|"
     r"President\s+Trump|\bTrump\b(?!\s+administration)", "Trump"),
    (r"(?:the\s+)?(?:U\.S\.|US|United\s+States|American)\s+(?:" + _GOV_NOUNS + r")", "US"),
    (r"(?:the\s+)?United\s+States|\bU\.S\.(?=[^A-Za-z])|\bU\.S\.$|\bUS\b|\bUSA\b|\bAmerica\b|"
     r"\bWashington\b", "US"),
    # China bodies
    (r"(?:China's\s+|China’s\s+|the\s+Chinese\s+|Chinese\s+)?(?:Ministry\s+of\s+Commerce|"
     r"commerce\s+ministry)|\bMOFCOM\b", "MOFCOM"),
    (r"Cyberspace\s+Administration(?:\s+of\s+China)?|\bCAC\b|"
     r"(?:China's\s+|China’s\s+|the\s+)?(?:internet|cyberspace)\s+(?:regulator|watchdog)", "CAC"),
    (r"Ministry\s+of\s+Industry\s+and\s+Information\s+Technology|\bMIIT\b", "MIIT"),
    (r"National\s+Development\s+and\s+Reform\s+Commission|\bNDRC\b", "NDRC"),
    (r"State\s+Administration\s+for\s+Market\s+Regulation|\bSAMR\b", "SAMR"),
    (r"(?:Chinese\s+)?President\s+Xi(?:\s+Jinping)?|\bXi\s+Jinping\b", "China"),
    (r"(?:the\s+)?(?:Chinese|China's|China’s|Beijing's|Beijing’s)\s+(?:central\s+)?(?:"
     + _GOV_NOUNS + r")", "China"),
    (r"(?:the\s+)?Chinese\s+Communist\s+Party|\bCCP\b|\bCPC\b", "China"),
    (r"(?:the\s+)?(?:People's|People’s)\s+Republic\s+of\s+China|\bPRC\b|\bChina\b|\bBeijing\b",
     "China"),
    # Other governments
    (r"\bJapan(?:ese\s+(?:government|authorities|officials|rules|regulations|regulators|ministry|trade\\s+ministry|economy\\s+ministry)\b)?\b|\bTokyo\b", "Japan"),
    (r"(?:the\s+)?Netherlands|\bDutch\s+(?:government|authorities|officials|rules|regulations|regulators|ministry|trade\\s+ministry|economy\\s+ministry)\b|\bThe\s+Hague\b",
     "Netherlands"),
    (r"\bTaiwan(?:ese\s+(?:government|authorities|officials|rules|regulations|regulators|ministry|trade\\s+ministry|economy\\s+ministry)\b)?\b|\bTaipei\b", "Taiwan"),
    (r"South\s+Korea(?:n\s+(?:government|authorities|officials|rules|regulations|regulators|ministry|trade\\s+ministry|economy\\s+ministry)\b)?|\bSeoul\b", "South Korea"),
    (r"(?:the\s+)?European\s+Union|\bEU\b|\bBrussels\b", "EU"),
    (r"United\s+Arab\s+Emirates|\bUAE\b", "UAE"),
    (r"Saudi\s+Arabia", "Saudi Arabia"),
    (r"\bMalaysia(?:n\s+(?:government|authorities|officials|rules|regulations|regulators|ministry|trade\\s+ministry|economy\\s+ministry)\b)?\b|\bKuala\s+Lumpur\b", "Malaysia"),
    (r"\bSingapore(?:an\s+(?:government|authorities|officials|rules|regulations|regulators|ministry|trade\\s+ministry|economy\\s+ministry)\b)?\b", "Singapore"),
    # Companies (possessive forms included so the span covers them)
    (r"\bNvidia\b|\bNVIDIA\b|\bJensen\s+Huang\b|\bHuang\b", "Nvidia"),
    (r"Advanced\s+Micro\s+Devices|\bAMD\b|\bLisa\s+Su\b", "AMD"),
    (r"\bIntel\b", "Intel"),
    (r"\bHuawei\b", "Huawei"),
    (r"\bTSMC\b|Taiwan\s+Semiconductor\s+Manufacturing", "TSMC"),
    (r"\bSMIC\b|Semiconductor\s+Manufacturing\s+International", "SMIC"),
    (r"\bASML\b", "ASML"),
    (r"\bMicron\b", "Micron"),
    (r"\bSamsung\b", "Samsung"),
    (r"\bSK\s+[Hh]ynix\b", "SK Hynix"),
    (r"\bAlibaba\b", "Alibaba"),
    (r"\bTencent\b", "Tencent"),
    (r"\bByteDance\b", "ByteDance"),
    (r"\bBaidu\b", "Baidu"),
    (r"\bCambricon\b", "Cambricon"),
]

_JAPANESE: list[tuple[str, str]] = [
    (r"米商務省|商務省(?:産業安全保障局)?|米国商務省", "Commerce"),
    (r"産業安全保障局", "BIS"),
    (r"ホワイトハウス", "White House"),
    (r"米議会|米国議会|議会", "Congress"),
    (r"トランプ(?:米)?大統領|トランプ氏|トランプ政権|トランプ", "Trump"),
    (r"米国政府|米政府|米国|アメリカ政府|アメリカ", "US"),
    (r"中国商務部|商務部", "MOFCOM"),
    (r"国家インターネット情報弁公室|サイバースペース管理局", "CAC"),
    (r"工業情報化部", "MIIT"),
    (r"中国政府|中国当局|中国共産党|中国|北京|習近平(?:国家主席)?", "China"),
    (r"日本政府|日本", "Japan"),
    (r"オランダ", "Netherlands"),
    (r"台湾", "Taiwan"),
    (r"韓国", "South Korea"),
    (r"エヌビディア|Nvidia|NVIDIA", "Nvidia"),
    (r"ファーウェイ|華為|Huawei", "Huawei"),
    (r"AMD", "AMD"),
    (r"インテル|Intel", "Intel"),
]

# Words after a bare country name that show it is a modifier, not the acting state:
# "US chipmakers", "China market", "American technology".
_NON_ACTOR_NEXT = re.compile(
    r"\s*(?:-\s*)?(?:based|made|bound|focused|listed|owned|specific)\b|"
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


def _compile(pairs: list[tuple[str, str]]) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(p, re.IGNORECASE), name) for p, name in pairs]


_ENGLISH_RE = _compile(_ENGLISH)
_JAPANESE_RE = [(re.compile(p), name) for p, name in _JAPANESE]

# Words one of which must occur (lower-cased) for each English pattern to match at all, in
# the order of `_ENGLISH`. Most sentences name two or three actors, so skipping the other
# patterns with a substring test keeps the gazetteer cheap on every sentence of a feed.
_ENGLISH_HINTS: list[tuple[str, ...]] = [
    ("bureau", "bis"), ("commerce",), ("commerce",), ("commerce",), ("lutnick",),
    ("commerce",), ("white",), ("congress", "lawmaker", "senat", "house", "congressional"),
    ("administration", "white"), ("trump",), ("u.s", "us", "united", "american"),
    ("united", "u.s", "us", "america", "washington"),
    ("commerce", "mofcom"), ("cyberspace", "cac", "internet"),
    ("information", "miit"), ("reform", "ndrc"),
    ("regulation", "samr"), ("xi",), ("chinese", "china", "beijing"),
    ("communist", "ccp", "cpc"), ("republic", "prc", "china", "beijing"),
    ("japan", "tokyo"), ("netherlands", "dutch", "hague"), ("taiwan", "taipei"),
    ("korea", "seoul"), ("european", "eu", "brussels"), ("emirates", "uae"), ("saudi",),
    ("malaysia", "kuala"), ("singapore",),
    ("nvidia", "huang"), ("micro", "amd", "lisa"), ("intel",), ("huawei",),
    ("tsmc", "semiconductor"), ("smic", "international"), ("asml",),
    ("micron",), ("samsung",), ("hynix",), ("alibaba",), ("tencent",), ("bytedance",),
    ("baidu",), ("cambricon",),
]
assert len(_ENGLISH_HINTS) == len(_ENGLISH_RE), "one hint tuple per English pattern"
# Every hint once per text, then a set test per pattern (hints are shared between patterns).
_ALL_ENGLISH_HINTS = tuple(sorted({h for hints in _ENGLISH_HINTS for h in hints}))
_ENGLISH_HINT_SETS = [frozenset(hints) for hints in _ENGLISH_HINTS]
_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# Short all-capital abbreviations that must not match ordinary words case-insensitively.
_CASE_SENSITIVE = {"US", "BIS", "CAC", "EU", "PRC", "CCP", "CPC", "UAE", "USA", "AMD"}


def actor_type(actor: str | None) -> str | None:
    """Government, person or company; None for unknown names."""
    if actor is None:
        return None
    info = ACTOR_INFO.get(actor)
    return info[0] if info else None


def actor_family(actor: str | None) -> str | None:
    """The state (or firm) an actor speaks for: Trump, Commerce and BIS all give US."""
    if actor is None:
        return None
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


def find_actors(text: str) -> list[ActorMention]:
    """Every actor mention, longest match first, no overlaps, in text order."""
    candidates: list[tuple[int, int, str]] = []
    lower = text.lower()
    present = {h for h in _ALL_ENGLISH_HINTS if h in lower}
    patterns = [pn for pn, hints in zip(_ENGLISH_RE, _ENGLISH_HINT_SETS)
                if not hints.isdisjoint(present)]
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
        bare_country = name in ("US", "China", "Japan", "Taiwan", "Netherlands", "EU",
                                "South Korea", "UAE", "Saudi Arabia", "Malaysia",
                                "Singapore") and not re.search(
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
