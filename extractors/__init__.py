"""From article text to facts: chip figures, chip comparisons and policy statements."""

from __future__ import annotations

import logging
from collections.abc import Callable

from chipwatch.extractors import figures, policy
from chipwatch.extractors.facts import Fact

log = logging.getLogger(__name__)

# Name -> version of every extractor whose facts are stored; a changed version is what
# `chipwatch reextract` looks for.
EXTRACTORS: dict[str, str] = {figures.NAME: figures.VERSION, policy.NAME: policy.VERSION}

_RUNNERS: tuple[tuple[str, Callable[[str], list[Fact]]], ...] = (
    (figures.NAME, figures.extract_figures),
    (policy.NAME, policy.extract_policy),
)


def extract_facts(text: str) -> list[Fact]:
    """All facts of an article text, in reading order.

    One extractor failing on odd input must not cost the facts of the others, nor stop
    a poll: its error is logged and the rest is returned.
    """
    if not text or not text.strip():
        return []
    facts: list[Fact] = []
    for name, run in _RUNNERS:
        try:
            facts.extend(run(text))
        except Exception:  # noqa: BLE001 - logged, never silent
            log.exception("extractor %s failed on a text of %d characters", name, len(text))
    facts = [f for f in facts if text[f.char_start:f.char_end] == f.quote]
    facts.sort(key=lambda f: (f.char_start, f.char_end, f.kind))
    return facts
