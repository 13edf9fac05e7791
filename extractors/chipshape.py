"""Chips the lexicon does not know, recognised from their shape.

New parts appear every month (Ascend 970, MI500, TPU v8, RTX 5090); a figure next to
an unknown name must not be dropped or given to the previous chip. A mention is read as a
chip when

1. a vendor or brand-line word of the lexicon (`[[line]]` rows) is followed by a model
   designation: "Huawei's Ascend 970", "AMD Instinct MI500", "Google's TPU v8",
   "Intel Gaudi 4", "Atlas 970 SuperPoD"; or
2. a bare designation has the letter prefix of a known part ("H30", "B40A") and is
   followed by a chip noun ("the H30 chips").

The name is canonicalised as the labeling convention says: the model as written without
vendor, brand word or generic noun (lines marked `in_name` stay: "Ascend 970", "TPU v8").
What the lexicon knows decides what is allowed, so that years, quarters ("Q3"), process
nodes ("Intel 18A"), phones ("Huawei P70"), money and units are not read as chips:
after a vendor word only the letter prefixes of that vendor's known parts count (or its
numbered line, so "Huawei's 970" is "Ascend 970"), and a bare number after a line word
must have as many digits as that line's known models.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from chipwatch.extractors import lexicon

_MODEL = r"v\d{1,2}[a-z]?|[A-Z]{0,4}-?\d{1,5}[A-Z]{0,3}"
_SYSTEM = r"Super\s?PoD|SuperPod|SuperCluster|SuperNode|NVL\s?\d{2,3}"
_UNIT_SUFFIX = {"GB", "TB", "MB", "KB", "PB", "GW", "MW", "KW", "W", "NM", "HZ", "GHZ", "MHZ"}
_CHIP_NOUN = re.compile(
    r"(?:s|['’]s)?(?:\s+(?:AI|GPU|data[- ]cent(?:er|re)|server))?\s+(?:chips?|GPUs?|NPUs?|"
    r"accelerators?|processors?|superchips?|cards?|parts?)\b")
_OWNER_BEFORE = re.compile(r"(?:^|[^\w])([A-Z][\w&.-]*)['’]s\s+$")
_NOT_CHIP_AFTER = re.compile(
    r"(?:[.,]\d|\s?%|\s?(?:percent|per\s+cent|billion|million|bn|years?|months?|days?|"
    r"times|x)\b|\s?-?\s?(?:series|lineup|range)\b|(?:\s+\w+){0,2}\s+(?:smartphones?|phones?|"
    r"handsets?|laptops?|tablets?|cars?|SUVs?|sedans?|vehicles?|rockets?|process|node|nodes)\b)",
    re.I)
_YEAR = re.compile(r"(?:19[89]\d|20[0-3]\d)")
# Nvidia's die codes ("It utilizes the GH100 chip"): the silicon inside a product, whose
# figures belong to the product the text is about, not a product of its own.
_DIE_CODE = re.compile(r"G[A-Z]{1,2}1\d\d")


@dataclass(frozen=True)
class Shape:
    """A chip recognised from its shape: canonical name, vendor, and its span."""

    name: str
    vendor: str
    start: int
    end: int
    bare: bool = False  # a bare designation ("the H30 chips"), not after a line word


@dataclass(frozen=True)
class _Line:
    word: str
    vendor: str
    in_name: bool
    open_world: bool


@dataclass(frozen=True)
class _Shapes:
    generation: int
    line_re: re.Pattern[str]
    word_re: re.Pattern[str]
    bare_re: re.Pattern[str] | None
    lines: dict[str, _Line]  # by word and by its all-capitals form
    vendor_prefixes: dict[str, set[str]]  # vendor -> letter prefixes of its known models
    numbered_line: dict[str, str]  # vendor -> its line of numbered models ("Ascend")
    digit_counts: dict[str, set[int]]  # in_name line word -> digits of its numbered models
    bare_vendor: dict[str, str]  # letter prefix -> vendor, for bare designations


def _prefix(model: str) -> str:
    return re.match(r"[A-Z]*", model).group(0)  # type: ignore[union-attr]


def _compile() -> _Shapes:
    line_rows = lexicon.rows("line")
    chip_rows = lexicon.rows("chip")
    lines: dict[str, _Line] = {}
    closed = {r.word for r in line_rows if not r.open_world}
    for row in line_rows:
        for form in (row.word, row.word.upper()):
            lines.setdefault(form, _Line(row.word, row.vendor, row.in_name, row.open_world))
    words = sorted(lines, key=len, reverse=True)
    alternation = "|".join(r"[ \t\xa0]+".join(map(re.escape, w.split())) for w in words)
    # Words and model on one line: a heading "with RTX" above "RTX 3080" is not one name.
    line_re = re.compile(
        rf"(?<![A-Za-z0-9])(?P<words>(?:{alternation})(?:['’]s)?"
        rf"(?:[ \t\xa0]+(?:{alternation})(?:['’]s)?){{0,2}})(?P<gap>[ \t\xa0]?-?)"
        rf"(?P<model>{_MODEL})(?P<system>[ \t\xa0]?(?:{_SYSTEM}))?(?=s\b|['’]s|[^A-Za-z0-9]|$)")
    in_name = {r.word for r in line_rows if r.in_name}
    vendor_prefixes: dict[str, set[str]] = {}
    digit_counts: dict[str, set[int]] = {}
    numbered: dict[str, dict[str, int]] = {}
    bare_vendor: dict[str, str] = {}
    for row in chip_rows:
        parts = row.name.split()
        head = parts[0] if len(parts) > 1 and parts[0] in in_name else None
        model = parts[1] if head else parts[0]
        m = re.fullmatch(r"([A-Z]*)(\d+)[A-Z]*", model)
        if not m:
            continue
        letters, digits = m.groups()
        if letters:
            vendor_prefixes.setdefault(row.vendor, set()).add(letters)
            if head is None and 2 <= len(digits) <= 3:
                bare_vendor.setdefault(letters, row.vendor)
        elif head:
            digit_counts.setdefault(head, set()).add(len(digits))
            if row.kind == "chip" and head not in closed:
                counts = numbered.setdefault(row.vendor, {})
                counts[head] = counts.get(head, 0) + 1
    bare_re = None
    if bare_vendor:
        prefixes = "|".join(sorted(bare_vendor, key=len, reverse=True))
        bare_re = re.compile(rf"(?<![A-Za-z0-9$£€¥-])(?P<model>(?:{prefixes})\d{{2,3}}"
                             r"[A-Z]{0,2})(?![A-Za-z0-9]|[.,]\d)")
    numbered_line = {v: max(c, key=c.get) for v, c in numbered.items()}  # type: ignore[arg-type]
    return _Shapes(lexicon.generation(), line_re, re.compile(alternation), bare_re, lines,
                   vendor_prefixes, numbered_line, digit_counts, bare_vendor)


_compiled: _Shapes | None = None
_lock = threading.Lock()


def _state() -> _Shapes:
    global _compiled
    state = _compiled
    if state is None or state.generation != lexicon.generation():
        with _lock:
            lexicon.rows("line")
            if _compiled is None or _compiled.generation != lexicon.generation():
                _compiled = _compile()
            state = _compiled
    return state


def find_shapes(text: str, taken: list[tuple[int, int]]) -> list[Shape]:
    """Chips by shape whose spans overlap none of `taken` (the known mentions)."""
    if not isinstance(text, str) or not text:
        return []
    state = _state()
    taken = list(taken)
    out: list[Shape] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    for m in state.line_re.finditer(text):
        mention = _from_line(state, text, m)
        if mention and free(m.start(), m.end()):
            out.append(mention)
            taken.append((mention.start, mention.end))
    if state.bare_re is not None:
        for m in state.bare_re.finditer(text):
            if not _CHIP_NOUN.match(text, m.end()) or not free(m.start(), m.end()):
                continue
            model = m.group("model")
            if _DIE_CODE.fullmatch(model):
                continue
            owner = _OWNER_BEFORE.search(text, max(0, m.start() - 40), m.start())
            if owner and owner.group(1) not in state.lines:
                continue  # "Apple's A10 processors": another maker's part
            vendor = state.bare_vendor[_prefix(model)]
            out.append(Shape(model, vendor, m.start(), m.end(), bare=True))
            taken.append((m.start(), m.end()))
    return out


def _from_line(state: _Shapes, text: str, m: re.Match[str]) -> Shape | None:
    model = m.group("model").replace("-", "")
    system = m.group("system")
    if not system and _NOT_CHIP_AFTER.match(text, m.end()):
        return None
    # Which words were written, and which of them stay in the name.
    spans = []
    for w in state.word_re.finditer(m.group("words")):
        line = state.lines.get(" ".join(w.group(0).split()))
        if line is None or not line.open_world:
            return None
        spans.append((m.start("words") + w.start(), line))
    vendor = spans[0][1].vendor
    kept = [(start, line) for start, line in spans if line.in_name]
    letters = _prefix(model)
    digits = re.sub(r"\D", "", model)
    if model.startswith("v"):
        if not kept or kept[-1][1].word != "TPU":
            return None
    elif letters:
        if len(digits) < 2 or letters in _UNIT_SUFFIX or _DIE_CODE.fullmatch(model):
            return None
        if not kept and letters not in state.vendor_prefixes.get(vendor, set()):
            return None  # "Huawei P70", "Nvidia's Q3": not a prefix this vendor uses
    else:
        trailing = model[len(digits):]
        if trailing.upper() in _UNIT_SUFFIX:
            return None
        if not kept:
            line_word = state.numbered_line.get(vendor)
            if line_word is None or len(digits) < 2 or _YEAR.fullmatch(digits):
                return None  # "Huawei 5G", "Nvidia 2025"
            if not trailing and not _CHIP_NOUN.match(text, m.end()):
                return None  # "Huawei's 300 engineers"; "Huawei's 970 chip" is one
            counts = state.digit_counts.get(line_word, set())
            if counts and len(digits) not in counts:
                return None
            name = f"{line_word} {model}"
            return _mention(name + _system(system), vendor, m.start("model"), m.end())
        counts = state.digit_counts.get(kept[-1][1].word, set())
        if (counts and len(digits) not in counts) or (
                len(digits) == 4 and _YEAR.fullmatch(digits) and 4 not in counts):
            return None
        if trailing and len(digits) <= 3 and trailing in ("B", "M", "K", "T"):
            return None  # "4B": money or a count
    start = kept[0][0] if kept else m.start("model")
    words = " ".join(line.word for _, line in kept)
    gap = " " if m.group("gap") else ""  # "Trainium4" stays glued, "Gaudi-4" is "Gaudi 4"
    name = f"{words}{gap}{model}" if words else model
    return _mention(name + _system(system), vendor, start, m.end())


def _system(system: str | None) -> str:
    if not system:
        return ""
    word = re.sub(r"\s+", "", system)
    return " " + ("SuperPoD" if word.lower() == "superpod" else word)


def _mention(name: str, vendor: str, start: int, end: int) -> Shape:
    return Shape(" ".join(name.split()), vendor, start, end)
