"""Number words and numerals: one number written in digits, words, suffixes or CJK
numerals ("15,840", "12.0K", "twenty-five", "1万5840") read as a float.

The quantity finder (numbers.py) builds its patterns from the word tables here.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------- words and scales

_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALE_WORDS = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
}
_SUFFIX_SCALES = {
    "k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "mn": 1e6, "b": 1e9, "B": 1e9, "bn": 1e9,
    "tn": 1e12, "T": 1e12,
}
_FRACTION_WORDS = {
    "half": 0.5, "a half": 0.5, "one half": 0.5, "a third": 1 / 3, "one third": 1 / 3,
    "a quarter": 0.25, "one quarter": 0.25, "a fifth": 0.2, "one fifth": 0.2,
    "two thirds": 2 / 3, "two-thirds": 2 / 3, "three quarters": 0.75,
    "three-quarters": 0.75, "a tenth": 0.1, "one tenth": 0.1,
}
_MULTIPLE_WORDS = {
    "twice": 2, "double": 2, "doubled": 2, "triple": 3, "tripled": 3, "thrice": 3,
    "quadruple": 4, "quadrupled": 4,
}
_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                 "七": 7, "八": 8, "九": 9, "两": 2, "兩": 2}
_KANJI_SMALL = {"十": 10, "百": 100, "千": 1000}
_KANJI_BIG = {"万": 1e4, "萬": 1e4, "億": 1e8, "亿": 1e8, "兆": 1e12}

_WORD_ALT = "|".join(sorted(list(_UNITS_WORDS) + list(_TENS_WORDS), key=len, reverse=True))
_NUMBER_WORD_RE = (
    rf"(?:(?:{_WORD_ALT})(?:[- ](?:{'|'.join(_UNITS_WORDS)}))?"
    rf"(?:[ -](?:hundred|thousand|million|billion)(?:[ -](?:and[ -])?(?:{_WORD_ALT}))?)*"
    rf"|a[ ](?:hundred|thousand|million|billion|dozen))"  # [ ]: read in verbose patterns too
)
_SEP_SPACE = "[ \u00a0\u2009\u202f]"
_DIGITS_RE = (
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 15,840 / 1,979.5
    rf"|\d{{1,3}}(?:{_SEP_SPACE}\d{{3}})+(?![\d.,])"  # 15 840
    r"|\d+(?:\.\d+)?"  # 15840 / 4.8
    r"|\.\d+"
)
_JA_NUM_RE = r"(?:\d+(?:\.\d+)?|[〇零一二三四五六七八九十百千两兩]+)"
_JA_COMPOUND_RE = rf"{_JA_NUM_RE}(?:[万萬億亿兆]{_JA_NUM_RE}?)+"


def _parse_words(s: str) -> float | None:
    """English number words: "twenty-five", "one hundred and six", "a dozen"."""
    words = re.split(r"[\s-]+", s.strip().lower())
    if not words or words == [""]:
        return None
    total = 0.0
    current = 0.0
    seen = False
    for w in words:
        if w in ("and", ""):
            continue
        if w == "a":
            current = max(current, 1)
            seen = True
        elif w == "dozen":
            current = (current or 1) * 12
            seen = True
        elif w in _UNITS_WORDS:
            current += _UNITS_WORDS[w]
            seen = True
        elif w in _TENS_WORDS:
            current += _TENS_WORDS[w]
            seen = True
        elif w == "hundred":
            current = (current or 1) * 100
            seen = True
        elif w in ("thousand", "million", "billion", "trillion"):
            total += (current or 1) * _SCALE_WORDS[w]
            current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


def _parse_kanji(s: str) -> float | None:
    """Japanese/Chinese numerals, mixed with digits: "1万5840", "十八", "2億"."""
    total = 0.0
    section = 0.0
    digits = ""
    seen = False

    def flush() -> float:
        nonlocal digits
        if digits:
            v = float(digits)
            digits = ""
            return v
        return 0.0

    for ch in s:
        if ch.isdigit() or ch == ".":
            digits += ch
            seen = True
        elif ch in _KANJI_DIGITS:
            digits += str(_KANJI_DIGITS[ch])
            seen = True
        elif ch in _KANJI_SMALL:
            v = flush()
            section += (v or 1) * _KANJI_SMALL[ch]
            seen = True
        elif ch in _KANJI_BIG:
            v = flush()
            total += ((section + v) or 1) * _KANJI_BIG[ch]
            section = 0
            seen = True
        elif ch in ", \u00a0":
            continue
        else:
            return None
    try:
        rest = flush()
    except ValueError:
        return None
    return total + section + rest if seen else None


def parse_number(s: str) -> float | None:
    """One number written in digits, words, suffixes or CJK numerals; None if not one."""
    try:
        return _parse_number(s)
    except (ValueError, OverflowError, TypeError):
        return None


def _parse_number(s: str) -> float | None:
    if not isinstance(s, str):
        return None
    t = s.strip().replace("\u2212", "-")
    if not t or len(t) > 200:
        return None
    low = t.lower()
    for prefix in ("a ", "an "):
        if low in _FRACTION_WORDS:
            break
        if low.startswith(prefix) and low[len(prefix):] in ("hundred", "thousand", "million",
                                                              "billion", "dozen"):
            return _parse_words(low)
    if low in _FRACTION_WORDS:
        return _FRACTION_WORDS[low]
    if low in _MULTIPLE_WORDS:
        return float(_MULTIPLE_WORDS[low])
    neg = False
    if t[0] in "-+":
        neg = t[0] == "-"
        t = t[1:].lstrip()
    m = re.fullmatch(
        rf"({_DIGITS_RE})\s*(k|K|mn|m|M|bn|b|B|tn|T|hundred|thousand|million|billion|trillion)?",
        t,
    )
    if m:
        num = re.sub(r"[,\s\u00a0\u2009\u202f]", "", m.group(1))
        v = float(num)
        scale = m.group(2)
        if scale:
            v *= _SUFFIX_SCALES.get(scale) or _SCALE_WORDS[scale.lower()]
        return -v if neg else v
    if re.fullmatch(r"[\d.,〇零一二三四五六七八九十百千万萬億亿兆两兩\s]+", t) and re.search(
        r"[〇零一二三四五六七八九十百千万萬億亿兆两兩]", t
    ):
        kanji = _parse_kanji(t)
        if kanji is not None:
            return -kanji if neg else kanji
    if re.fullmatch(r"\d[\d.]*", t):
        return None
    worded = _parse_words(low)
    if worded is not None:
        return -worded if neg else worded
    # "12.0K" style handled above; "1.5 million" too. Words + scale: "six million".
    m = re.fullmatch(rf"({_WORD_ALT})\s+(hundred|thousand|million|billion|trillion)", low)
    if m:
        return _UNITS_WORDS.get(m.group(1), _TENS_WORDS.get(m.group(1), 0)) * _SCALE_WORDS[m.group(2)]
    return None
