"""The shipped vocabulary tables: chips, brand lines, actors and outlets, as typed rows.

Each table is a schema (key -> check, default), a record type, and an optional check of
the merged table as a whole (a family must be a family, an actor's family must be an
actor). Values are checked against the fact vocabulary of DESIGN.md where it has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from chipwatch.extractors.lexicon.tomlcheck import (
    Invalid,
    Key,
    Schema,
    boolean,
    check_table,
    list_of,
    one_of,
    show,
    string,
    stripped_text,
)

CHIP_KINDS = ("chip", "system", "family")
ACTOR_TYPES = ("government", "person", "company", "organisation")


def regex(value: Any) -> str:
    """A regular expression that compiles and cannot match empty text."""
    pattern = stripped_text(value)
    try:
        compiled = re.compile(pattern)
    except re.error as err:
        raise Invalid(f"{show(value)} is not a valid regular expression: {err}") from None
    if compiled.fullmatch(""):
        raise Invalid(f"{show(value)} matches empty text")
    return pattern


def hint(value: Any) -> str:
    """A lower-case word that must occur in a text for a pattern to be tried at all."""
    word = stripped_text(value)
    if word != word.lower():
        raise Invalid(f"{show(value)} must be lower case (hints are looked up in lower-cased text)")
    return word


def domain(value: Any) -> str:
    name = stripped_text(value).lower()
    if not re.fullmatch(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+", name):
        raise Invalid(f"{show(value)} is not a domain such as example.com")
    return name


def optional_text(value: Any) -> str | None:
    return string(value).strip() or None


def pattern_table(value: Any) -> "ActorPattern":
    row = check_table(value, {"pattern": Key(regex), "hints": Key(list_of(hint), [])})
    return ActorPattern(row["pattern"], tuple(row["hints"]))


def pattern_or_table(value: Any) -> "ActorPattern":
    """An English actor pattern: a bare regex (always tried) or {pattern, hints}."""
    if isinstance(value, str):
        return ActorPattern(regex(value), ())
    return pattern_table(value)


# ---------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class ChipRow:
    """A chip, system or family: `patterns` are regexes, `aliases` plain spellings."""

    name: str
    vendor: str
    family: str | None
    kind: str
    made_for: str | None
    patterns: tuple[str, ...]
    aliases: tuple[str, ...]
    origin: str


@dataclass(frozen=True)
class LineRow:
    """A vendor or brand-line word that introduces a model designation ("Ascend 950PR").

    `in_name`: the word stays in the canonical name (Ascend, TPU, RTX) or is dropped
    (Nvidia, AMD, Instinct), as the labeling convention says."""

    word: str
    vendor: str
    family: str | None
    in_name: bool
    open_world: bool  # False: after this word only the [[chip]] rows are read
    origin: str


@dataclass(frozen=True)
class ActorPattern:
    pattern: str
    hints: tuple[str, ...]  # empty: always tried


@dataclass(frozen=True)
class ActorRow:
    name: str
    type: str
    family: str
    english: tuple[ActorPattern, ...]
    japanese: tuple[str, ...]
    aliases: tuple[str, ...]
    origin: str


@dataclass(frozen=True)
class OutletRow:
    """A news outlet: its sites, other names, and how attribution to it is written."""

    name: str
    domains: tuple[str, ...]
    names: tuple[str, ...]
    attribution: tuple[str, ...]
    origin: str


# ---------------------------------------------------------------------------------------
# Schemas and builders

CHIP_KEYS: Schema = {
    "name": Key(stripped_text),
    "vendor": Key(stripped_text),
    "family": Key(optional_text, None),
    "kind": Key(one_of(CHIP_KINDS), "chip"),
    "made_for": Key(optional_text, None),
    "patterns": Key(list_of(regex), []),
    "aliases": Key(list_of(stripped_text), []),
}
LINE_KEYS: Schema = {
    "word": Key(stripped_text),
    "vendor": Key(stripped_text),
    "family": Key(optional_text, None),
    "in_name": Key(boolean, True),
    "open_world": Key(boolean, True),
}
ACTOR_KEYS: Schema = {
    "name": Key(stripped_text),
    "type": Key(one_of(ACTOR_TYPES)),
    "family": Key(optional_text, None),
    "english": Key(list_of(pattern_or_table), []),
    "japanese": Key(list_of(regex), []),
    "aliases": Key(list_of(stripped_text), []),
}
OUTLET_KEYS: Schema = {
    "name": Key(stripped_text),
    "domains": Key(list_of(domain), []),
    "names": Key(list_of(stripped_text), []),
    "attribution": Key(list_of(regex), []),
}


def chip_row(row: dict[str, Any], origin: str) -> ChipRow:
    # A row may have neither patterns nor aliases: it then only gives a name its vendor
    # and family (H20E, whose spellings H20's pattern reads).
    return ChipRow(row["name"], row["vendor"], row["family"], row["kind"], row["made_for"],
                   tuple(row["patterns"]), tuple(row["aliases"]), origin)


def line_row(row: dict[str, Any], origin: str) -> LineRow:
    if not re.fullmatch(r"[A-Za-z][\w.-]*(?: [A-Za-z][\w.-]*)*", row["word"]):
        raise Invalid(f"{show(row['word'])} must be one or more words of letters and digits",
                      "word")
    return LineRow(row["word"], row["vendor"], row["family"], row["in_name"], row["open_world"],
                   origin)


def actor_row(row: dict[str, Any], origin: str) -> ActorRow:
    return ActorRow(row["name"], row["type"], row["family"] or row["name"],
                    tuple(row["english"]), tuple(row["japanese"]), tuple(row["aliases"]), origin)


def outlet_row(row: dict[str, Any], origin: str) -> OutletRow:
    return OutletRow(row["name"], tuple(row["domains"]), tuple(row["names"]),
                     tuple(row["attribution"]), origin)


# Checks of a merged table: (index of the bad row, key, problem) or None.


def check_chips(rows: list[ChipRow]) -> tuple[int, str, str] | None:
    kinds = {r.name: r.kind for r in rows}
    for i, r in enumerate(rows):
        if r.kind == "family" and r.family not in (None, r.name):
            return i, "family", f"{show(r.family)}: a family row names itself as its family"
        if r.family and r.family in kinds and kinds[r.family] != "family":
            return i, "family", (f"{show(r.family)} is a {kinds[r.family]}, not a family "
                                 f"(give that row kind = \"family\")")
    return None


def check_actors(rows: list[ActorRow]) -> tuple[int, str, str] | None:
    names = {r.name for r in rows}
    for i, r in enumerate(rows):
        if r.family not in names:
            return i, "family", f"{show(r.family)} is not the name of an actor row"
    return None
