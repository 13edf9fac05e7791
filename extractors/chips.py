"""The chip gazetteer: canonical chip names, the ways news writes them, and vendors.

Every fact names chips by one canonical string (DESIGN.md vocabulary), so "Nvidia's
H200", "H200 chips" and "the H200s" must all become "H200", and "H20" must never be read
inside "H200".
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ChipMention:
    chip: str
    vendor: str | None
    start: int
    end: int


# canonical name -> (vendor, alias regexes). Aliases are matched case-sensitively unless
# they are written in lower case here (then case-insensitively); boundaries are added.
_GAZETTEER: dict[str, tuple[str, tuple[str, ...]]] = {
    # Nvidia data-centre parts
    "H200": ("Nvidia", (r"H200(?:\s?NVL)?", r"HGX\s?H200")),
    "H20": ("Nvidia", (r"H20(?:E)?", r"HGX\s?H20")),
    "H100": ("Nvidia", (r"H100(?:\s?NVL)?", r"HGX\s?H100")),
    "H800": ("Nvidia", (r"H800",)),
    "H20E": ("Nvidia", ()),
    "GH200": ("Nvidia", (r"GH200", r"Grace[\s-]Hopper")),
    "A100": ("Nvidia", (r"A100",)),
    "A800": ("Nvidia", (r"A800",)),
    "A40": ("Nvidia", ()),
    "L40S": ("Nvidia", (r"L40S",)),
    "L20": ("Nvidia", (r"L20",)),
    "B100": ("Nvidia", (r"B100",)),
    "B200": ("Nvidia", (r"B200", r"HGX\s?B200", r"DGX\s?B200")),
    "B300": ("Nvidia", (r"B300", r"Blackwell\s+Ultra")),
    "B30A": ("Nvidia", (r"B30A",)),
    "B40": ("Nvidia", (r"B40",)),
    "GB200 NVL72": ("Nvidia", (r"GB200\s?NVL\s?72", r"NVL72")),
    "GB200": ("Nvidia", (r"GB200", r"Grace[\s-]Blackwell")),
    "GB300 NVL72": ("Nvidia", (r"GB300\s?NVL\s?72",)),
    "GB300": ("Nvidia", (r"GB300",)),
    "RTX Pro 6000D": ("Nvidia", (r"RTX\s?Pro\s?6000\s?D", r"RTX\s?PRO\s?6000\s?D", r"RTX\s?6000\s?D")),
    "RTX Pro 6000": ("Nvidia", (r"RTX\s?(?:Pro|PRO)\s?6000",)),
    "RTX 4090D": ("Nvidia", (r"(?:RTX\s?)?4090\s?D",)),
    "RTX 4090": ("Nvidia", (r"RTX\s?4090",)),
    "RTX 5090D": ("Nvidia", (r"(?:RTX\s?)?5090\s?D",)),
    "Hopper": ("Nvidia", (r"Hopper", r"ホッパー")),
    "Blackwell": ("Nvidia", (r"Blackwell", r"ブラックウェル")),
    "Vera Rubin NVL144": ("Nvidia", (r"(?:Vera\s+)?Rubin\s+NVL\s?144", r"NVL\s?144")),
    "Rubin": ("Nvidia", (r"Vera\s+Rubin", r"Rubin")),
    "Ampere": ("Nvidia", ()),
    # Huawei
    "Ascend 910C": ("Huawei", (r"Ascend\s?910\s?C", r"910C", r"昇腾\s?910C", r"昇騰\s?910C")),
    "Ascend 910B": ("Huawei", (r"Ascend\s?910\s?B", r"910B", r"昇腾\s?910B", r"昇騰\s?910B")),
    "Ascend 910D": ("Huawei", (r"Ascend\s?910\s?D", r"910D", r"昇腾\s?910D", r"昇騰\s?910D")),
    "Ascend 910": ("Huawei", (r"Ascend\s?910",)),
    "Ascend 920": ("Huawei", (r"Ascend\s?920(?:\s?C)?", r"920C")),
    "Ascend 950": ("Huawei", (r"Ascend\s?950(?:\s?(?:PR|DT))?",)),
    "Ascend 960": ("Huawei", (r"Ascend\s?960",)),
    "CloudMatrix 384": ("Huawei", (r"CloudMatrix\s?384", r"CloudMatrix", r"CM384")),
    "Atlas 950 SuperPoD": ("Huawei", (r"Atlas\s?950(?:\s?Super\s?PoD)?",)),
    "Atlas 960 SuperPoD": ("Huawei", (r"Atlas\s?960(?:\s?Super\s?PoD)?",)),
    # AMD
    "MI308": ("AMD", (r"(?:Instinct\s+)?MI308X?",)),
    "MI325X": ("AMD", (r"(?:Instinct\s+)?MI325X?",)),
    "MI300X": ("AMD", (r"(?:Instinct\s+)?MI300X",)),
    "MI300": ("AMD", (r"(?:Instinct\s+)?MI300A?",)),
    "MI355X": ("AMD", (r"(?:Instinct\s+)?MI355X?",)),
    "MI350": ("AMD", (r"(?:Instinct\s+)?MI350X?",)),
    "MI400": ("AMD", (r"(?:Instinct\s+)?MI4[05]0X?", r"(?:Instinct\s+)?MI455X")),
    "MI250": ("AMD", (r"(?:Instinct\s+)?MI250X?",)),
    # Intel
    "Gaudi 3": ("Intel", (r"Gaudi\s?3",)),
    "Gaudi 2": ("Intel", (r"Gaudi\s?2",)),
    # cloud providers' own accelerators
    "Trainium2": ("Amazon", (r"Trainium\s?2",)),
    "Trainium3": ("Amazon", (r"Trainium\s?3",)),
    "TPU v7": ("Google", (r"TPU\s?v7", r"Ironwood")),
    "TPU v6": ("Google", (r"TPU\s?v6e?", r"Trillium")),
    "TPU v5p": ("Google", (r"TPU\s?v5p",)),
    "TPU v5e": ("Google", (r"TPU\s?v5e",)),
    # Chinese designers
    "Siyuan 590": ("Cambricon", (r"Siyuan\s?590", r"MLU\s?590", r"思元\s?590")),
    "Siyuan 690": ("Cambricon", (r"Siyuan\s?690", r"MLU\s?690", r"思元\s?690")),
    "MLU370": ("Cambricon", (r"MLU\s?370(?:-X8)?", r"Siyuan\s?370")),
    "Kunlun P800": ("Baidu", (r"Kunlun(?:xin)?\s?P800", r"P800")),
    "BR100": ("Biren", (r"BR100",)),
    "MTT S4000": ("Moore Threads", (r"MTT\s?S4000",)),
    "Hygon DCU": ("Hygon", (r"Hygon(?:['’]s)?\s+DCU", r"DCU\s?Z100")),
    "PPU": ("Alibaba", ()),
}

# Lower-case lookup used by canonical_chip() for loose spellings.
_LOOSE: dict[str, str] = {}
for _canon in _GAZETTEER:
    _LOOSE[re.sub(r"[\s\-_]", "", _canon.lower())] = _canon

_VENDOR_PREFIX = (
    r"(?:(?:Nvidia|NVIDIA|Nvidia’s|Nvidia's|NVIDIA’s|NVIDIA's|Huawei|Huawei's|Huawei’s|AMD|AMD's|AMD’s"
    r"|Cambricon|Cambricon's|Cambricon’s|Intel|Intel's|Intel’s)\s+)"
)

_PATTERNS: list[tuple[re.Pattern[str], str]] = []
for _canon, (_vendor, _aliases) in _GAZETTEER.items():
    for _alias in _aliases:
        _PATTERNS.append(
            (re.compile(rf"(?<![A-Za-z0-9])(?:{_alias})(?=s\b|’s|'s|[^A-Za-z0-9]|$)"), _canon)
        )

# The look-ahead on a first character lets the engine skip most positions at once; every
# alias starts with an upper-case letter, a digit or a CJK character.
_FIRST_CHARS = "A-Z0-9思昇ホブ"
_ALL_RE = re.compile(
    rf"(?<![A-Za-z0-9])(?=[{_FIRST_CHARS}])(?:"
    + "|".join(f"(?P<c{i}>{p.pattern})" for i, (p, _) in enumerate(_PATTERNS))
    + ")"
)
_GROUP_CANON = {f"c{i}": canon for i, (_, canon) in enumerate(_PATTERNS)}

# Architecture names that are also surnames: "Robert Rubin", "Grace Hopper" the person.
_SURNAME_CHIPS = {"Rubin", "Hopper", "Blackwell"}
_NAME_BEFORE_RE = re.compile(r"([A-Z][a-z]+\.?)\s+$")
_OK_BEFORE = {
    "Nvidia", "The", "And", "Or", "Its", "Upcoming", "Next", "New", "Vera", "Latest", "Both",
    "While", "But", "With", "Unlike", "Than", "From", "Including", "Only", "Newer", "Older",
    "Current", "Such", "Even", "Like", "Its", "Cutting", "Advanced",
}
_CHIP_CONTEXT_AFTER_RE = re.compile(
    r"\s*(?:[-‐]?\s*(?:generation|class|based|series|architecture|chips?|GPUs?|processors?"
    r"|accelerators?|family|platform|line|Ultra|parts?|systems?|products?|B\d|GPU))", re.I
)


def find_chips(text: str) -> list[ChipMention]:
    """All chip mentions in reading order; never raises."""
    if not isinstance(text, str) or not text:
        return []
    try:
        return _find(text)
    except Exception:  # noqa: BLE001 - odd input must not stop an article
        return []


def _find(text: str) -> list[ChipMention]:
    out: list[ChipMention] = []
    for m in _ALL_RE.finditer(text):
        canon = _GROUP_CANON[m.lastgroup] if m.lastgroup else None
        if canon is None:
            continue
        start, end = m.start(), m.end()
        if canon in _SURNAME_CHIPS and not _looks_like_chip(text, start, end):
            continue
        out.append(ChipMention(canon, vendor_of(canon), start, end))
    return out


def _looks_like_chip(text: str, start: int, end: int) -> bool:
    """An architecture name preceded by a capitalised first name is a person."""
    before = text[max(0, start - 30):start]
    m = _NAME_BEFORE_RE.search(before)
    if m and m.group(1).rstrip(".") not in _OK_BEFORE and not _CHIP_CONTEXT_AFTER_RE.match(
        text, end
    ):
        # "Grace Hopper" the superchip is caught by the GH200 alias before this point
        return False
    # possessive person reference: "Rubin said", "Rubin wrote"
    if re.match(r"\s+(?:said|says|wrote|told|argued|noted|added)\b", text[end:end + 12]):
        return False
    return True


def canonical_chip(name: str) -> str | None:
    """Canonical name for a loosely written chip ("Huawei's 910C" -> "Ascend 910C")."""
    if not isinstance(name, str):
        return None
    s = name.strip()
    if not s:
        return None
    key = re.sub(r"[\s\-_]", "", s.lower())
    if key in _LOOSE:
        return _LOOSE[key]
    found = find_chips(s)
    if found:
        return found[0].chip
    # a loose, lower-case spelling ("nvidia h200 chips")
    for variant in (s.upper(), s.title()):
        found = find_chips(variant)
        if found:
            return found[0].chip
    return None


def vendor_of(chip: str) -> str | None:
    """Vendor of a canonical chip name, or None for unknown names."""
    entry = _GAZETTEER.get(chip) if isinstance(chip, str) else None
    if entry is None and isinstance(chip, str):
        canon = canonical_chip(chip) if chip not in _GAZETTEER else None
        entry = _GAZETTEER.get(canon) if canon else None
    return entry[0] if entry else None


def known_chips() -> list[str]:
    """Every canonical chip name in the gazetteer."""
    return list(_GAZETTEER)
