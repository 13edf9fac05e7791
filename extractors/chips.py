"""Chip mentions: canonical chip names, the ways news writes them, vendors and families.

Every fact names chips by one canonical string (DESIGN.md vocabulary), so "Nvidia's
H200", "H200 chips" and "the H200s" must all become "H200", and "H20" must never be read
inside "H200". What is known about each chip is data (lexicon/chips.toml, plus the user's
lexicon files); this module compiles it into one regular expression and rebuilds that
whenever the lexicon changes. Chips the lexicon does not know are recognised from their
shape by chipshape.py and carry `known=False`.
"""

from __future__ import annotations

import re
import re._parser as regex_parser  # the standard library's own parser: first characters
import threading
from dataclasses import dataclass

from chipwatch.extractors import lexicon
from chipwatch.extractors.chipshape import find_shapes
from chipwatch.extractors.language.memo import RecentTexts
from chipwatch.extractors.lexicon.tables import ChipRow


@dataclass(frozen=True)
class ChipMention:
    chip: str
    vendor: str | None
    start: int
    end: int
    known: bool = True  # False: recognised from its shape, not in the lexicon


@dataclass(frozen=True)
class _Compiled:
    generation: int
    rows: dict[str, ChipRow]
    loose: dict[str, str]
    all_re: re.Pattern[str]
    group_canon: dict[str, str]
    added_re: re.Pattern[str] | None  # a user's new rows: the longer mention wins
    added_canon: dict[str, str]
    members: dict[str, tuple[str, ...]]
    all_start: re.Pattern[str] | None = None  # where a mention can start (see _start_pattern)
    added_start: re.Pattern[str] | None = None


def alias_pattern(alias: str) -> str:
    """A plain spelling as a pattern: a space also matches "-" or nothing."""
    return r"[\s-]?".join(re.escape(part) for part in alias.split())


def _first_chars(pattern: str) -> set[str] | None:
    """Characters a match of `pattern` can start with, or None when that is not simple."""
    def first(items: list) -> tuple[set[str] | None, bool]:  # (chars, may be empty)
        chars: set[str] = set()
        for op, arg in items:
            name = str(op)
            if name == "LITERAL":
                chars.add(chr(arg))
                return chars, False
            if name == "IN":
                for sub_op, sub_arg in arg:
                    if str(sub_op) == "LITERAL":
                        chars.add(chr(sub_arg))
                    elif str(sub_op) == "RANGE" and sub_arg[1] - sub_arg[0] < 64:
                        chars.update(chr(c) for c in range(sub_arg[0], sub_arg[1] + 1))
                    else:
                        return None, False
                return chars, False
            if name == "SUBPATTERN":
                sub, empty = first(list(arg[-1]))
                if sub is None:
                    return None, False
                chars |= sub
                if not empty:
                    return chars, False
                continue
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                sub, empty = first(list(arg[2]))
                if sub is None:
                    return None, False
                chars |= sub
                if arg[0] > 0 and not empty:
                    return chars, False
                continue
            if name == "BRANCH":
                any_empty = False
                for alt in arg[1]:
                    sub, empty = first(list(alt))
                    if sub is None:
                        return None, False
                    chars |= sub
                    any_empty = any_empty or empty
                if not any_empty:
                    return chars, False
                continue
            if name in ("AT", "ASSERT", "ASSERT_NOT"):
                continue
            return None, False
        return chars, True

    try:
        chars, empty = first(list(regex_parser.parse(pattern)))
    except Exception:  # noqa: BLE001 - an unusual pattern only costs the speed-up
        return None
    return None if chars is None or empty else chars


def _alternation(rows: list[ChipRow]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """One regex for the rows: at a position the first row that matches wins."""
    patterns: list[tuple[str, str]] = []
    firsts: list[set[str] | None] = []
    anywhere: list[bool] = []
    for row in rows:
        for alias in (*row.patterns, *(alias_pattern(a) for a in row.aliases)):
            patterns.append((rf"(?<![A-Za-z0-9])(?:{alias})(?=s\b|’s|'s|[^A-Za-z0-9]|$)", row.name))
            firsts.append(_first_chars(alias))
            anywhere.append(bool(_INLINE_FLAGS.search(alias)))
    if not patterns:
        return None, {}
    if any(chars is None for chars in firsts):
        # A row whose first characters are not simple: every row tried at every position.
        compiled = re.compile(
            r"(?<![A-Za-z0-9])(?:" + "|".join(f"(?P<c{i}>{p})" for i, (p, _) in enumerate(patterns)) + ")"
        )
        return compiled, {f"c{i}": canon for i, (_, canon) in enumerate(patterns)}
    # The rows grouped by the character they can start with, each group in row order: at a
    # position only the rows that can start there are tried, and the first of them that
    # matches still wins (a row that cannot start with that character cannot match there).
    # Before, all few hundred were tried at every capitalised word.
    by_char: dict[str, list[int]] = {c: [] for chars in firsts for c in chars or ()}
    for i, chars in enumerate(firsts):
        for c in by_char:
            if anywhere[i] or c in (chars or ()):
                by_char[c].append(i)
    groups: list[str] = []
    canon_of: dict[str, str] = {}
    for k, (c, members) in enumerate(sorted(by_char.items())):
        alts = []
        for i in members:
            name = f"c{i}_{k}"
            canon_of[name] = patterns[i][1]
            alts.append(f"(?P<{name}>{patterns[i][0]})")
        groups.append(f"(?={re.escape(c)})(?:" + "|".join(alts) + ")")
    return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(groups) + ")"), canon_of


def _start_pattern(rows: list[ChipRow]) -> re.Pattern[str] | None:
    """Where a mention of the rows can start: a possible first character not glued to a
    letter or digit before it. It opens with one character class, so the engine skips to
    such characters at once; the rows' pattern is then tried only there. None when some
    row's first characters are not simple (that pattern is tried everywhere)."""
    starts: set[str] = set()
    for row in rows:
        for alias in (*row.patterns, *(alias_pattern(a) for a in row.aliases)):
            chars = _first_chars(alias)
            if chars is None:
                return None
            starts |= chars
    if not starts:
        return None
    return re.compile("[" + "".join(re.escape(c) for c in sorted(starts)) + "](?<![A-Za-z0-9].)",
                      re.DOTALL)


# A scoped flag such as (?i:...) changes which characters a pattern starts with, which the
# parse in _first_chars does not see: such rows are tried in every group, as they were
# tried at every position where some row can start.
_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]+[:)]")


def _compile() -> _Compiled:
    rows = {r.name: r for r in lexicon.rows("chip")}
    loose = {re.sub(r"[\s\-_]", "", name.lower()): name for name in rows}
    shipped = lexicon.shipped_keys("chip")
    all_re, group_canon = _alternation([r for r in rows.values() if r.name in shipped])
    added_re, added_canon = _alternation([r for r in rows.values() if r.name not in shipped])
    members: dict[str, list[str]] = {}
    for row in rows.values():
        if row.family and row.family != row.name:
            members.setdefault(row.family, []).append(row.name)
    return _Compiled(lexicon.generation(), rows, loose, all_re, group_canon,  # type: ignore[arg-type]
                     added_re, added_canon, {k: tuple(v) for k, v in members.items()},
                     _start_pattern([r for r in rows.values() if r.name in shipped]),
                     _start_pattern([r for r in rows.values() if r.name not in shipped]))


_compiled: _Compiled | None = None
_lock = threading.Lock()


def _state() -> _Compiled:
    global _compiled
    state = _compiled
    if state is None or state.generation != lexicon.generation():
        with _lock:
            lexicon.rows("chip")  # loads the files first, which may move the generation
            if _compiled is None or _compiled.generation != lexicon.generation():
                _compiled = _compile()
            state = _compiled
    return state


# Architecture names that are also surnames: "Robert Rubin", "Grace Hopper" the person.
_SURNAME_CHIPS = {"Rubin", "Hopper", "Blackwell"}
_NAME_BEFORE_RE = re.compile(r"([A-Z][a-z]+\.?)\s+$")
_OK_BEFORE = {
    "Nvidia", "The", "And", "Or", "Its", "Upcoming", "Next", "New", "Vera", "Latest", "Both",
    "While", "But", "With", "Unlike", "Than", "From", "Including", "Only", "Newer", "Older",
    "Current", "Such", "Even", "Like", "Cutting", "Advanced",
}
_CHIP_CONTEXT_AFTER_RE = re.compile(
    r"\s*(?:[-‐]?\s*(?:generation|class|based|series|architecture|chips?|GPUs?|processors?"
    r"|accelerators?|family|platform|line|Ultra|parts?|systems?|products?|B\d|GPU))", re.I
)


_FOUND = RecentTexts[ChipMention]()


def find_chips(text: str) -> list[ChipMention]:
    """All chip mentions in reading order, known ones and those recognised by their shape
    (`known=False`); never raises. The figure and the policy rules both read the whole
    article's chips: those of the last few texts are kept (per lexicon generation)."""
    if isinstance(text, str) and len(text) > _FOUND_MIN_CHARS:
        return _FOUND.get((lexicon.generation(), text), lambda: _find_chips(text))
    return _find_chips(text)


_FOUND_MIN_CHARS = 500  # most sentences are not kept: each is read once


def _find_chips(text: str) -> list[ChipMention]:
    known = find_known_chips(text)
    try:
        shapes = find_shapes(text, [(m.start, m.end) for m in known])
    except Exception:  # noqa: BLE001 - the shape reader must never cost the known chips
        return known
    unknown = []
    for shape in shapes:
        if shape.bare and canonical_chip(shape.name):
            continue  # a known name written in a way its patterns do not take
        # a known name reached by shape ("Cambricon's 690" is the Siyuan 690)
        known_name = _state().loose.get(re.sub(r"[\s\-_]", "", shape.name.lower()))
        known_name = known_name or _typo_of_known(shape.name, shape.vendor)
        unknown.append(ChipMention(known_name or shape.name, shape.vendor, shape.start,
                                   shape.end, known=known_name is not None))
    if not unknown:
        return known
    return sorted(known + unknown, key=lambda m: m.start)


def _typo_of_known(name: str, vendor: str) -> str | None:
    """"Ascend P910C" (a stray capital before a known model of the line) -> "Ascend 910C"."""
    m = re.fullmatch(r"(\S+ )[A-Z](\d+[A-Z]*)", name)
    if not m:
        return None
    canon = _state().loose.get(re.sub(r"[\s\-_]", "", (m.group(1) + m.group(2)).lower()))
    return canon if canon and vendor_of(canon) == vendor else None


def find_known_chips(text: str) -> list[ChipMention]:
    """Only the chips the lexicon knows (no shape recognition); never raises."""
    if not isinstance(text, str) or not text:
        return []
    try:
        return _find(text)
    except Exception:  # noqa: BLE001
        return []


def _find(text: str) -> list[ChipMention]:
    state = _state()
    out = _matches(text, state.all_re, state.group_canon, state, state.all_start)
    if state.added_re is None:
        return out
    added = _matches(text, state.added_re, state.added_canon, state, state.added_start)
    # A user's row against a shipped one on the same words: the longer mention wins.
    kept = [m for m in added if not any(o.start < m.end and m.start < o.end
                                        and o.end - o.start > m.end - m.start for o in out)]
    out = [o for o in out if not any(m.start < o.end and o.start < m.end for m in kept)]
    return sorted(out + kept, key=lambda m: m.start)


def _matches(text: str, pattern: re.Pattern[str] | None, canon_of: dict[str, str],
             state: _Compiled, starts: re.Pattern[str] | None = None) -> list[ChipMention]:
    out: list[ChipMention] = []
    for m in _scan(text, pattern, starts):
        canon = canon_of[m.lastgroup] if m.lastgroup else None
        if canon is None:
            continue
        start, end = m.start(), m.end()
        if canon in _SURNAME_CHIPS and not _looks_like_chip(text, start, end):
            continue
        out.append(ChipMention(canon, state.rows[canon].vendor, start, end))
    return out


def _scan(text: str, pattern: re.Pattern[str] | None,
          start: re.Pattern[str] | None) -> list[re.Match[str]]:
    """What `pattern.finditer(text)` yields, the pattern tried only where `start` matches
    (a superset of where it can match). Rows that could match nothing have no `start`
    (_first_chars gives None for them), so every match here is at least one character."""
    if pattern is None:
        return []
    if start is None:
        return list(pattern.finditer(text))
    found = []
    pos = 0
    while (hint := start.search(text, pos)) is not None:
        m = pattern.match(text, hint.start())
        if m is None:
            pos = hint.start() + 1
        else:
            found.append(m)
            pos = m.end()
    return found


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
    """Canonical name for a loosely written chip ("Huawei's 910C" -> "Ascend 910C"), also
    for parts known only by their shape ("AMD Instinct MI500" -> "MI500")."""
    if not isinstance(name, str):
        return None
    s = name.strip()
    if not s:
        return None
    state = _state()
    key = re.sub(r"[\s\-_]", "", s.lower())
    if key in state.loose:
        return state.loose[key]
    found = find_known_chips(s)
    if found:
        return found[0].chip
    # a loose, lower-case spelling ("nvidia h200 chips")
    for variant in (s.upper(), s.title()):
        found = find_known_chips(variant)
        if found:
            return found[0].chip
    # a part the lexicon does not know, named by its shape ("Google's TPU v8" -> "TPU v8")
    found = find_chips(s)
    return found[0].chip if found else None


def _row(chip: str) -> ChipRow | None:
    if not isinstance(chip, str):
        return None
    rows = _state().rows
    row = rows.get(chip)
    if row is None:
        canon = canonical_chip(chip)
        row = rows.get(canon) if canon else None
    return row


def vendor_of(chip: str) -> str | None:
    """Vendor of a canonical chip name, or None for unknown names."""
    row = _row(chip)
    return row.vendor if row else None


def chip_family(chip: str) -> str | None:
    """Architecture or line of a chip ("H200" -> "Hopper"); a family is its own family."""
    row = _row(chip)
    if row is None:
        return None
    return row.name if row.kind == "family" else row.family


def chip_kind(chip: str) -> str | None:
    """"chip", "system" or "family"; None for names the lexicon does not know."""
    row = _row(chip)
    return row.kind if row else None


def made_for(chip: str) -> str | None:
    """The market a part was cut down for ("H20" -> "China"), else None."""
    row = _row(chip)
    return row.made_for if row else None


def family_members(family: str) -> tuple[str, ...]:
    """Canonical names whose family is `family`, in lexicon order (not the family itself)."""
    return _state().members.get(family, ()) if isinstance(family, str) else ()


def known_chips() -> list[str]:
    """Every canonical chip name in the lexicon."""
    return list(_state().rows)


def vendors() -> tuple[str, ...]:
    """Every chip vendor the lexicon names, in first-seen order."""
    return tuple(dict.fromkeys(r.vendor for r in _state().rows.values()))
