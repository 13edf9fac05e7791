"""Running a set of triggers over a sentence: cheap substring hints first, then regexes."""

from __future__ import annotations

from collections.abc import Sequence

from chipwatch.extractors.engine.records import Trigger


class TriggerSet:
    """Triggers of one language, with their hints gathered so a sentence is scanned once.

    A trigger with hints is tried only when one of them occurs in the lower-cased sentence;
    the test suite checks on every example that the hints never hide a match.
    """

    def __init__(self, triggers: Sequence[Trigger]) -> None:
        self.triggers = tuple(triggers)
        self._all_hints = tuple(sorted({h for t in self.triggers for h in t.hints}))

    def __len__(self) -> int:
        return len(self.triggers)

    def candidates(self, sentence: str) -> list[Trigger]:
        """The triggers whose hints occur in `sentence` (all of them when they have none)."""
        lower = sentence.lower()
        present = {h for h in self._all_hints if h in lower}
        return [t for t in self.triggers if not t.hints or not t.hints.isdisjoint(present)]
