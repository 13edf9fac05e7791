"""Running a set of triggers over a sentence: cheap substring hints first, then regexes."""

from __future__ import annotations

from collections.abc import Sequence

from chipwatch.extractors.engine.records import Trigger
from chipwatch.extractors.language.wordtrie import longest_first_pattern


class TriggerSet:
    """Triggers of one language, with their hints gathered so a sentence is scanned once.

    A trigger with hints is tried only when one of them occurs in the lower-cased sentence;
    the test suite checks on every example that the hints never hide a match.
    """

    def __init__(self, triggers: Sequence[Trigger]) -> None:
        self.triggers = tuple(triggers)
        self._all_hints = tuple(sorted({h for t in self.triggers for h in t.hints}))
        # Which hints are in a sentence, found in one pass: the longest hint starting at
        # each position, and with it every hint inside it (those are there too). Each
        # found hint maps to the triggers it lets through, as bits in trigger order.
        self._hint_scan = longest_first_pattern(self._all_hints)
        self._always = sum(1 << i for i, t in enumerate(self.triggers) if not t.hints)
        self._bits_of = {
            h: sum(1 << i for i, t in enumerate(self.triggers) if any(g in h for g in t.hints))
            for h in self._all_hints
        }

    def __len__(self) -> int:
        return len(self.triggers)

    def candidates(self, sentence: str) -> list[Trigger]:
        """The triggers whose hints occur in `sentence` (all of them when they have none)."""
        bits = self._always
        if self._hint_scan is not None:
            for hint in set(self._hint_scan.findall(sentence.lower())):
                bits |= self._bits_of[hint]
        found = []
        while bits:  # the set bits, lowest (first trigger) first
            low = bits & -bits
            found.append(self.triggers[low.bit_length() - 1])
            bits ^= low
        return found
