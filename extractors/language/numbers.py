"""Numbers and quantities as news writes them, normalised to canonical units.

Articles spell the same figure many ways ("15,840", "15 840", "12.0K", "six times",
"約6倍", "a quarter of"); downstream comparisons need one float and one unit. Qualifiers
("about", "up to", "more than") and ranges are kept as approx/low/high instead of dropped,
because a baseline claim of "about 6x" is checked with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chipwatch.extractors.language.number_words import (
    _DIGITS_RE,
    _FRACTION_WORDS,
    _JA_COMPOUND_RE,
    _MULTIPLE_WORDS,
    _NUMBER_WORD_RE,
    _SCALE_WORDS,
    _SUFFIX_SCALES,
    _TENS_WORDS,
    _UNITS_WORDS,
    _parse_kanji,
    _parse_words,
    parse_number,
)
from chipwatch.extractors.language.units import metrics, precision_pattern
from chipwatch.extractors.language.wordtrie import trie_source


@dataclass
class Quantity:
    value: float
    unit: str | None
    start: int
    end: int
    text: str
    approx: bool = False
    low: float | None = None
    high: float | None = None
    # added fields (the agreed API only grows)
    qualifier: str | None = None  # the approximation/bound word as written, e.g. "roughly"
    number_start: int = -1  # where the number itself starts (after any qualifier)


# ------------------------------------------------------------------- quantity finder

_APPROX_BEFORE = {
    "about": (True, None), "around": (True, None), "roughly": (True, None),
    "approximately": (True, None), "approx.": (True, None), "some": (True, None),
    "an estimated": (True, None), "estimated": (True, None), "close to": (True, "high"),
    "nearly": (True, "high"), "almost": (True, "high"), "just under": (True, "high"),
    "up to": (False, "high"), "as much as": (False, "high"), "as many as": (False, "high"),
    "less than": (False, "high"), "fewer than": (False, "high"), "under": (False, "high"),
    "below": (False, "high"), "at most": (False, "high"), "no more than": (False, "high"),
    "more than": (False, "low"), "over": (False, "low"), "at least": (False, "low"),
    "above": (False, "low"), "in excess of": (False, "low"), "upwards of": (False, "low"),
    "just over": (True, "low"), "greater than": (False, "low"),
    "~": (True, None), "≈": (True, None), "約": (True, None), "およそ": (True, None),
    "ほぼ": (True, None), "最大": (False, "high"), "最大で": (False, "high"),
}
_APPROX_AFTER = {
    "程度": (True, None), "前後": (True, None), "近く": (True, "high"), "以上": (False, "low"),
    "超": (False, "low"), "未満": (False, "high"), "以下": (False, "high"),
    "or more": (False, "low"), "or higher": (False, "low"), "or above": (False, "low"),
    "or so": (True, None), "or less": (False, "high"), "plus": (False, "low"),
    "ほど": (True, None), "余り": (True, "low"), "あまり": (True, "low"),
}
_QUAL_BEFORE_RE = "|".join(
    re.escape(k) for k in sorted(_APPROX_BEFORE, key=len, reverse=True)
)

_PRECISION_RE = rf"(?:{precision_pattern(written=True)})"

# How units are written, in match order, from the metrics table (longer forms first).
_UNIT_FORMS = metrics().unit_forms
_UNIT_ALT = "|".join(f"(?:{u.written})" for u in _UNIT_FORMS)
_UNIT_COMPILED = [(re.compile(rf"(?:{u.written})\Z", re.I if u.ignore_case else 0), u.canonical, u.factor)
                  for u in _UNIT_FORMS]

_SCALE_ALT = r"(?:\s?(?:hundred|thousand|million|billion|trillion)|(?:k|K|mn|m|M|bn|B|tn)(?![A-Za-z]))"
# one-letter scales other than K ("910B", "5M") stand for a scale only after a currency sign
_CURRENCY = r"(?:US\$|USD\s?|\$|€|¥|￥|RMB\s?)"

_QUANTITY_RE = re.compile(
    rf"""
    (?P<qual>(?<![A-Za-z])(?:{_QUAL_BEFORE_RE})\s*)?
    (?P<cur>{_CURRENCY})?
    (?:
        (?P<ja>{_JA_COMPOUND_RE})
      | (?P<num>(?<![A-Za-z0-9_.,/])(?:{_DIGITS_RE}))
      | (?P<word>(?<![A-Za-z])(?i:{_NUMBER_WORD_RE})(?![A-Za-z]))
      | (?P<frac>(?<![A-Za-z])(?:a|one|two|three)[ -](?:half|third|quarter|fifth|tenth|thirds|quarters)(?![A-Za-z]))
    )
    (?P<scale>{_SCALE_ALT})?
    (?:
        (?P<range>[ \t\u00a0]?(?:-|–|to|and|~|～|〜|から)[ \t\u00a0]?(?:{_CURRENCY})?(?P<num2>{_DIGITS_RE}|{_NUMBER_WORD_RE})(?P<scale2>{_SCALE_ALT})?)
    )?
    (?P<preprec>\s(?:(?:dense|sparse)\s{_PRECISION_RE}|{_PRECISION_RE}|dense|sparse)
        (?=\s(?:TFLOPS|TFLOPs|Tflops|teraflops?|petaflops?|PFLOPS|TOPS)(?![A-Za-z])))?
    (?P<unit>\s?-?\s?(?:{_UNIT_ALT})(?![A-Za-z0-9]))?
    (?P<prec>\s?(?:of\s|in\s|at\s)?\(?{_PRECISION_RE}\)?)?
    (?P<after>\s?(?:程度|前後|近く|以上|超|未満|以下|ほど|余り|あまり|or\ more|or\ higher|or\ above|or\ so|or\ less))?
    """,
    re.VERBOSE,
)

_SPECIAL_RE = re.compile(
    r"""
    (?P<vague>(?<![A-Za-z])(?:tens|hundreds)\s+of\s+(?:thousands|millions|billions)(?:\s+of\s+dollars)?(?![A-Za-z])
      | (?<![A-Za-z])(?:tens|hundreds|thousands|millions|billions)\s+of(?:\s+dollars)?(?![A-Za-z]))
  | (?P<several>(?<![A-Za-z])(?:several|a\ few)\s+(?:hundred(?:\s+thousand)?|thousand|million|billion)(?![A-Za-z]))
  | (?P<fold>(?<![A-Za-z])(?:(?:about|around|roughly|nearly|almost|some|more\ than|over)\s+)?(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand)fold(?![A-Za-z]))
  | (?P<mult>(?<![A-Za-z])(?:(?:more\ than|nearly|almost|about|roughly|over|at\ least)\s+)?(?:twice|double|doubled|triple|tripled|thrice|quadruple|quadrupled)(?![A-Za-z]))
  | (?P<byfrac>(?<=\bby\s)(?:(?:about|around|roughly|nearly|almost|more\ than|less\ than)\s+)?(?:half|a\ third|a\ quarter|a\ fifth|a\ tenth|two[\ -]thirds)(?![A-Za-z]))
  | (?P<fracof>(?<![A-Za-z])(?:(?:about|around|roughly|nearly|almost|more\ than|less\ than|over)\s+)?(?:a|one|two|three)[ -](?:half|third|quarter|fifth|tenth|thirds|quarters)\s+of(?![A-Za-z]))
  | (?P<halfof>(?<![A-Za-z])half\s+of(?![A-Za-z]))
  | (?P<halfx>(?<![A-Za-z])(?:(?:about|around|roughly|nearly|almost|less\ than|more\ than)\s+)?(?:half|(?:a|one)[\ -](?:third|quarter|fifth|sixth|seventh|eighth|ninth|tenth))(?=\s+(?:the|that\s+of|as\s+(?:much\s+|many\s+)?(?!again\b)\w+\s+as|of\s+(?:the|it|its|that|this)|its)\b))
  | (?P<single>(?<![A-Za-z])single(?=[- ]die\b))
  | (?P<halfagain>(?<![A-Za-z])(?:(?:about|around|roughly|nearly|almost|more\ than)\s+)?half\s+as\s+(?:much|many|large|big)\s+again(?![A-Za-z]))
  | (?P<fracmore>(?<![A-Za-z])(?:(?:about|around|roughly|nearly|almost|more\ than|less\ than)\s+)?(?:half|(?:a|one)[\ -](?:third|quarter|fifth|tenth))(?=\s+(?:more|higher|faster|greater|larger|bigger|better|stronger)\b))
  | (?P<jahalf>(?:約|およそ|ほぼ)?半分(?:程度|前後|ほど)?)
  | (?P<jafrac>(?:約|およそ|ほぼ)?(?:\d+|[一二三四五六七八九十]+)分の(?:\d+|[一二三])(?!\d))
  | (?P<agen>(?<![A-Za-z])(?:(?:at\ least|about|around|roughly|nearly|almost|more\ than|over)\s+)?(?:a|one)\s+(?:full\s+)?generation(?=\s+(?:behind|ahead)\b))
  | (?P<ayear>(?<![A-Za-z])(?:(?:about|around|roughly|nearly|almost|more\ than|over|at\ least|less\ than)\s+)?(?:a|one)\s+(?:year|decade)(?:\s+and\s+a\s+half)?(?=\s+(?:behind|ahead|or\s+so|of\s+lag|lag)\b|\s*[.,;)]|\s*$))
    """,
    re.VERBOSE | re.I,
)

# Where a match of the two finders above can start, as cheap patterns. Both big patterns try
# every branch at every character, which made them most of the figure extractor's time; the
# scans below try them only where one of these matches. Each is a superset by construction:
# _SPECIAL_START accepts every first word (or first character) of every branch of
# _SPECIAL_RE, with the same case folding; _QUANTITY_START every first part of a quantity
# (qualifier, currency, digit or numeral, number word). Both open with one character class
# of all possible first characters, so the engine skips everything else without trying a
# branch (the look-behind steps back one character to read the word from its start; a
# letter before it is checked case-sensitively, which only lets more through).
# tests/test_numbers_scan.py checks the scans against the plain ones position by position.
_SPECIAL_WORDS = (
    "tens", "hundreds", "thousands", "millions", "billions", "several", "about", "around",
    "roughly", "nearly", "almost", "some", "more", "over", "less", "at", "two", "three", "four",
    "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen", "twenty",
    "thirty", "forty", "fifty", "hundred", "thousand", "twice", "double", "triple", "thrice",
    "quadruple", "half", "one", "single",
)
_SPECIAL_START = re.compile(
    r"[tThHmMbBsSſaArRnNoOlLfFeEdDqQ約およほ半\d一二三四五六七八九十]"
    r"(?:(?<=[約およほ半\d一二三四五六七八九十])"
    rf"|(?<![A-Za-z].)(?<=(?=(?i:{trie_source(_SPECIAL_WORDS)}|a[\s-])).))",
    re.DOTALL,
)
_QUANTITY_FIRST = "".join(sorted(
    {k[0] for k in _APPROX_BEFORE} | {c for w in _UNITS_WORDS | _TENS_WORDS for c in (w[0], w[0].upper())}
    | set("aAſ")
))
_QUANTITY_START = re.compile(
    rf"[{re.escape(_QUANTITY_FIRST)}\dURー$€¥￥.〇零一二三四五六七八九十百千两兩]"
    r"(?:(?<=[\d$€¥￥〇零一二三四五六七八九十百千两兩~≈約およほ最])"
    r"|(?<=(?=US\$|USD|RMB|\.\d).)"
    rf"|(?<![A-Za-z].)(?<=(?=(?:{trie_source(_APPROX_BEFORE)}"
    rf"|(?i:{trie_source(list(_UNITS_WORDS) + list(_TENS_WORDS))}|a[ -]))).))",
    re.DOTALL,
)


def _special_matches(text: str) -> list[re.Match[str]]:
    """What `_SPECIAL_RE.finditer(text)` yields, trying the pattern only where it can start."""
    out: list[re.Match[str]] = []
    pos = 0
    while True:
        hint = _SPECIAL_START.search(text, pos)
        if hint is None:
            return out
        m = _SPECIAL_RE.match(text, hint.start())
        if m is None:
            pos = hint.start() + 1
        else:
            out.append(m)
            pos = m.end()  # never empty: every branch needs a word or a numeral


def _search_quantity(text: str, pos: int) -> re.Match[str] | None:
    """`_QUANTITY_RE.search(text, pos)`, trying the pattern only where it can start."""
    while True:
        hint = _QUANTITY_START.search(text, pos)
        if hint is None:
            return None
        m = _QUANTITY_RE.match(text, hint.start())
        if m is not None:
            return m
        pos = hint.start() + 1


_VAGUE_RANGES = {
    "tens": (20.0, 90.0), "hundreds": (200.0, 900.0), "thousands": (2000.0, 9000.0),
    "millions": (2e6, 9e6), "billions": (2e9, 9e9),
}
_SCALE_OF = {"thousands": 1e3, "millions": 1e6, "billions": 1e9}


def _unit_of(raw: str) -> tuple[str, float] | None:
    r = raw.strip().lstrip("-").strip()
    if r in ("年", "年間"):
        return "months", 12  # the finder only takes 年 before 遅れ/先行 and the like
    for rx, unit, mult in _UNIT_COMPILED:
        if rx.fullmatch(r) or rx.fullmatch(r.lower()):
            return unit, mult
    return None


def find_quantities(text: str) -> list[Quantity]:
    """Every number in `text` with its canonical unit; never raises."""
    try:
        return _find_quantities(text)
    except Exception:  # noqa: BLE001 - a bad number must not stop an article
        return []


def _qualifier(word: str | None) -> tuple[bool, str | None]:
    if not word:
        return False, None
    return _APPROX_BEFORE.get(word.strip().lower(), _APPROX_BEFORE.get(word.strip(), (True, None)))


def _find_quantities(text: str) -> list[Quantity]:
    if not isinstance(text, str) or not text:
        return []
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for special in _special_matches(text):
        q = _special(special)
        if q:
            out.append(q)
            taken.append((q.start, q.end))
    pos = 0
    while pos <= len(text):
        m = _search_quantity(text, pos)
        if m is None:
            break
        pos = max(m.end(), m.start() + 1)
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        q = _quantity(text, m)
        if m.group("range") and (q is None or q.end <= m.start("range")):
            # "$25,000 and $12,000": two numbers, not a range; read the second one too
            pos = max(m.start("range"), m.start() + 1)
        if q is not None:
            out.append(q)
    out.sort(key=lambda q: q.start)
    return out


def _special(m: re.Match[str]) -> Quantity | None:
    s = m.group()
    low = s.lower()
    start, end = m.start(), m.end()
    if m.group("vague"):
        words = low.split()
        first = words[0]
        lo, hi = _VAGUE_RANGES[first]
        if len(words) >= 3 and words[2] in _SCALE_OF:
            lo, hi = lo * _SCALE_OF[words[2]], hi * _SCALE_OF[words[2]]
        unit = "USD" if low.rstrip().endswith("dollars") else None
        text = s.rstrip()
        if text.endswith(" of"):
            text = text[:-3]
        end = start + len(text)
        return Quantity(lo, unit, start, end, text, approx=True, low=lo, high=hi,
                        qualifier=words[0], number_start=start)
    if m.group("several"):
        words = low.split()
        scale = 1.0
        for w in words[1:] if words[0] == "several" else words[2:]:
            scale *= _SCALE_WORDS[w]
        lo, hi = 3 * scale, 9 * scale  # "several hundred thousand": 300,000 to 900,000
        return Quantity(lo, None, start, end, s, approx=True, low=lo, high=hi,
                        qualifier=words[0], number_start=start)
    if m.group("jahalf"):
        # 「B300の半分程度」: a fraction of the chip named before it
        qual = next((w for w in ("約", "およそ", "ほぼ") if s.startswith(w)), None)
        approx = qual is not None or s.endswith(("程度", "前後", "ほど"))
        n_start = start + (len(qual) if qual else 0)
        return _bounded(Quantity(0.5, "x", start, end, s, qualifier=qual, number_start=n_start), approx, None)
    if m.group("jafrac"):
        core = s
        qual = None
        if s[0] in "約およほ":
            k = 1 if s[0] == "約" else 3 if s.startswith(("およそ",)) else 2
            qual, core = s[:k], s[k:]
        den, num = core.split("分の")
        d, n = _parse_kanji(den), _parse_kanji(num)
        if not d or not n:
            return None
        q = Quantity(n / d, "x", start, end, s, qualifier=qual, number_start=start + len(s) - len(core))
        return _bounded(q, qual is not None, None)
    qual = None
    qm = re.match(r"(about|around|roughly|nearly|almost|some|more than|less than|over|at least)\s+", low)
    core = low
    num_start = start
    if qm:
        qual = s[: qm.end()].strip()
        core = low[qm.end():]
        num_start = start + qm.end()
    approx, bound = _qualifier(qual)
    if m.group("fold"):
        word = core[: -len("fold")]
        v = _parse_words(word)
        if v is None:
            return None
        return _bounded(Quantity(v, "x", start, end, s, qualifier=qual, number_start=num_start), approx, bound)
    if m.group("mult"):
        v = float(_MULTIPLE_WORDS[core])
        return _bounded(Quantity(v, "x", start, end, s, qualifier=qual, number_start=num_start), approx, bound)
    if m.group("byfrac"):
        # "trails the H200 by a third": a margin, as a percentage
        v = {"half": 50.0, "a third": 100 / 3, "a quarter": 25.0, "a fifth": 20.0, "a tenth": 10.0,
             "two thirds": 200 / 3}.get(core.replace("-", " "))
        if v is None:
            return None
        return _bounded(Quantity(v, "%", start, end, s, qualifier=qual, number_start=num_start), approx, bound)
    if m.group("halfx"):
        word = core.replace("-", " ").replace("one ", "a ")
        v = {"half": 0.5, "a third": 1 / 3, "a quarter": 0.25, "a fifth": 0.2, "a sixth": 1 / 6,
             "a seventh": 1 / 7, "a eighth": 0.125, "a ninth": 1 / 9, "a tenth": 0.1}.get(word)
        if v is None:
            return None
        return _bounded(Quantity(v, "x", start, end, s, qualifier=qual, number_start=num_start), approx, bound)
    if m.group("single"):
        return Quantity(1.0, None, start, end, s, number_start=start)
    if m.group("halfagain"):
        return _bounded(Quantity(1.5, "x", start, end, s, qualifier=qual, number_start=num_start), approx, bound)
    if m.group("fracmore"):
        # "about a quarter more": a margin, as a percentage the comparison reads with "more"
        word = core.replace("-", " ").replace("one ", "a ")
        v = {"half": 50.0, "a third": 100 / 3, "a quarter": 25.0, "a fifth": 20.0, "a tenth": 10.0}.get(word)
        if v is None:
            return None
        return _bounded(Quantity(v, "%", start, end, s, qualifier=qual, number_start=num_start), approx, bound)
    if m.group("agen"):
        # "a generation ahead": a generation gap of one
        return _bounded(Quantity(1.0, "generations", start, end, s, qualifier=qual,
                                 number_start=num_start), approx, bound)
    if m.group("ayear"):
        months = 120.0 if "decade" in core else 12.0
        if core.endswith("and a half"):
            months *= 1.5
        return _bounded(Quantity(months, "months", start, end, s, qualifier=qual,
                                 number_start=num_start), approx, bound)
    if m.group("fracof") or m.group("halfof"):
        frac = re.sub(r"\s+of$", "", core).replace("-", " ")
        v = _FRACTION_WORDS.get(frac)
        if v is None and frac == "half":
            v = 0.5
        if v is None:
            return None
        text = s[: len(s) - 3] if low.endswith(" of") else s
        return _bounded(Quantity(round(v * 100, 4), "%", start, start + len(text), text,
                                 qualifier=qual, number_start=num_start), approx, bound)
    return None


def _bounded(q: Quantity, approx: bool, bound: str | None) -> Quantity:
    q.approx = q.approx or approx
    if bound == "high":
        q.high = q.value
    elif bound == "low":
        q.low = q.value
    return q


def _quantity(text: str, m: re.Match[str]) -> Quantity | None:
    raw_num = m.group("ja") or m.group("num") or m.group("word") or m.group("frac")
    if raw_num is None:
        return None
    start, end = m.start(), m.end()
    unit_raw = m.group("unit")
    scale = m.group("scale")
    cur = m.group("cur")
    # words alone ("one", "no one") are too common: they need a unit, scale or currency
    if (m.group("word") or m.group("frac")) and not (unit_raw or cur or scale):
        has_scale = m.group("word") and re.search(r"hundred|thousand|million|billion", m.group("word"))
        if not (has_scale or _WORD_COUNT_AFTER_RE.match(text, end) or (
                re.match(r"\s*(?:[,.;]|$)", text[end:end + 2])
                and _DIE_ELLIPSIS_BEFORE_RE.search(text, max(0, start - 90), start))):
            return None
    # a digit glued to letters is a model number ("910C", "H200"), not a quantity
    if end < len(text) and re.match(r"[A-Za-z0-9]", text[end]) and not unit_raw:
        return None
    if unit_raw and end < len(text) and re.match(r"[A-Za-z0-9]", text[end]) and not m.group("prec"):
        # "5 GBx" style glue: reject only when the unit itself is a bare letter
        if len(unit_raw.strip()) <= 2:
            return None
    value = parse_number(raw_num) if not m.group("ja") else _parse_kanji(raw_num)
    if value is None:
        return None
    if scale and scale in ("m", "M", "B", "b") and not cur:
        return None  # "910B", "5M": a model name or an unknown scale, not a number
    if scale:
        sc = scale.strip()
        value *= _SUFFIX_SCALES.get(sc) or _SCALE_WORDS[sc.lower()]
    unit: str | None = None
    mult = 1.0
    if unit_raw:
        u = _unit_of(unit_raw)
        if u is None:
            return None
        unit, mult = u
    if unit == "GB" and unit_raw and unit_raw.strip() in ("テラバイト", "ギガバイト", "TB", "GB") and re.search(
            r"(?:毎秒|1秒あたり|一秒あたり)\s*$", text[max(0, start - 8):m.start("ja") if m.group("ja") else m.start("num") if m.group("num") else start]):
        unit, mult = ("TB/s", 1.0) if unit_raw.strip() in ("テラバイト", "TB") else ("GB/s", 1.0)
    if cur and unit is None:
        c = cur.strip()
        unit = "CNY" if c in ("¥", "￥", "RMB") else ("EUR" if c == "€" else "USD")
    if unit == "x" and unit_raw and unit_raw.strip().lower() == "x":
        # "6x" but not "6 x 4" dimensions
        if re.match(r"\s*\d", text[end:end + 3]):
            return None
    value *= mult
    low = high = None
    approx = False
    if m.group("range"):
        v2 = parse_number(m.group("num2"))
        sep = m.group("range").strip()
        if v2 is not None:
            if m.group("scale2"):
                sc2 = m.group("scale2").strip()
                v2 *= _SUFFIX_SCALES.get(sc2) or _SCALE_WORDS[sc2.lower()]
                if not scale:
                    value *= _SUFFIX_SCALES.get(sc2) or _SCALE_WORDS[sc2.lower()]
            elif scale:
                v2 *= _SUFFIX_SCALES.get(scale.strip()) or _SCALE_WORDS[scale.strip().lower()]
            v2 *= mult
            if v2 > value and not sep.startswith("and") or (sep.startswith("and") and _between(text, m.start())):
                low, high = value, v2
                value = (value + v2) / 2
                approx = True
            else:
                # not a range ("2 and 3 times"?) - re-scan without the range part
                return _quantity_without_range(text, m)
        else:
            return _quantity_without_range(text, m)
    qual = m.group("qual")
    qapprox, bound = _qualifier(qual)
    after = m.group("after")
    if after:
        a_approx, a_bound = _APPROX_AFTER.get(after.strip(), (True, None))
        qapprox = qapprox or a_approx
        bound = bound or a_bound
    if unit is not None and (m.group("prec") or m.group("preprec")) and unit in ("TFLOPS", "TOPS"):
        # "4,000 TFLOPS of FP8" or, precision first, "990 dense FP8 teraflops"
        prec = re.search(_PRECISION_RE, m.group("prec") or "") or re.search(_PRECISION_RE, m.group("preprec") or "")
        if prec:
            unit = f"{unit} {prec.group()}"
    elif m.group("prec"):
        end = m.start("prec")
    q = Quantity(value, unit, start, end, text[start:end], approx=approx or qapprox,
                 low=low, high=high, qualifier=qual.strip() if qual else None,
                 number_start=m.start("cur") if cur else m.start(
                     "ja" if m.group("ja") else "num" if m.group("num") else "word" if m.group("word") else "frac"))
    if low is None and high is None:
        _bounded(q, False, bound)
    # trim trailing whitespace inside the match
    while q.end > q.start and text[q.end - 1].isspace():
        q.end -= 1
    q.text = text[q.start:q.end]
    return q


# "uses a single die where the B300 uses two": the count's noun was said just before
_DIE_ELLIPSIS_BEFORE_RE = re.compile(r"\bdies?\b[^.;]{0,60}\b(?:uses|has|packs|pairs|needs|carries)\s+$")
_WORD_COUNT_AFTER_RE = re.compile(
    r"\s+(?:of\s+(?:the|its|these|those)\s+)?(?:[a-z]+-[a-z-]+\s+)?(?:[A-Z][A-Za-z]*\s?\d|\d{3,4}[A-Z]{1,2}\b"
    r"|(?:Blackwell|Hopper|Rubin|Ampere|Ascend|Nvidia)\s+(?:GPUs|chips|dies)"
    r"|chips|chipsets|GPUs|units|processors|accelerators|dies|cards"
    r"|(?:(?:HBM\w*|memory)\s+)?stacks\b)"
)


def _between(text: str, pos: int) -> bool:
    return bool(re.search(r"between\s*$", text[max(0, pos - 12):pos], re.I))


def _quantity_without_range(text: str, m: re.Match[str]) -> Quantity | None:
    """Re-read a match whose 'range' part was really two separate numbers."""
    stop = m.start("range")
    mm = _QUANTITY_RE.match(text[:stop], m.start())
    if mm is None or mm.group("range"):
        return None
    return _quantity(text, mm)
