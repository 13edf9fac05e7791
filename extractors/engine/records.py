"""Typed records of a rule table: what a trigger, a guard and a cue are.

Rows of TOML become these records once, at import, so that a malformed row fails loudly
with its file and row instead of misbehaving on some article later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Where a guard looks, relative to the span of the trigger it judges.
WHERE = ("before", "after", "clause", "sentence", "match")
# What a guard does when it hits. The owning extractor applies the effect; the engine
# only records and reports it.
EFFECTS = ("suppress", "negate", "status", "action", "context", "scope")


@dataclass(frozen=True)
class Expect:
    """Facts an example must yield (`present`) and must not yield (`absent`).

    Each entry is a partial record: only the fields it names are compared (the extractor
    that owns the table says which fields exist). `exact` says the
    example yields exactly the `present` facts and nothing else; `none` that it yields none.
    """

    present: tuple[dict[str, object], ...] = ()
    absent: tuple[dict[str, object], ...] = ()
    exact: bool = False
    none: bool = False


@dataclass(frozen=True)
class Trigger:
    """A phrase that proposes a statement; its mode tells the extractor how to read it."""

    name: str
    mode: str
    pattern: re.Pattern[str]
    language: str  # "en", "ja", ...
    hints: frozenset[str]  # lower-case substrings one of which must occur (empty: none needed)
    example: str
    expect: Expect = field(default_factory=Expect)
    note: str = ""


@dataclass(frozen=True)
class Guard:
    """A pattern that, found near a trigger, suppresses or changes what it proposes."""

    name: str
    pattern: re.Pattern[str]
    where: str  # one of WHERE
    window: int | None  # characters looked at on that side; None for all of it
    effect: str  # one of EFFECTS
    example: str
    value: str | None = None  # the status or action an effect sets
    expect: Expect = field(default_factory=Expect)
    note: str = ""

    def look(self, s_text: str, start: int, end: int) -> re.Match[str] | None:
        """Search the guard's side of the span [start, end) of `s_text`."""
        if self.where == "before":
            lo = 0 if self.window is None else max(0, start - self.window)
            return self.pattern.search(s_text[lo:start])
        if self.where == "after":
            hi = len(s_text) if self.window is None else end + self.window
            return self.pattern.match(s_text[end:hi])
        if self.where == "match":
            return self.pattern.search(s_text[start:end])
        return self.pattern.search(s_text)

    def hits_in(self, text: str) -> bool:
        """Whether the guard fires at some span of `text` (for checking a row's example)."""
        if self.where in ("before", "after"):
            return any(self.look(text, p, p) for p in range(len(text) + 1))
        return self.look(text, 0, len(text)) is not None


@dataclass(frozen=True)
class Cue:
    """A word class or a marker (hedge, negation, attribution, destination) named in data."""

    name: str
    kind: str  # "status", "attribution", "target", "words", ...
    pattern: re.Pattern[str]
    example: str = ""
    value: str | None = None  # the status, destination or label the cue stands for
    note: str = ""
