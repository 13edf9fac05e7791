"""From article text to facts: chip figures, chip comparisons and policy statements (every
extractor run in order; `chipwatch.extractors` hands these names out lazily)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from chipwatch.extractors import figures, policy
from chipwatch.extractors.facts import Fact
from chipwatch.extractors.learned import combine
from chipwatch.extractors.learned.model import PolicyModel, shipped_model

log = logging.getLogger(__name__)

# Name -> version of every extractor whose facts are stored; a changed version is what
# `chipwatch reextract` looks for.
EXTRACTORS: dict[str, str] = {
    figures.NAME: figures.VERSION, policy.NAME: policy.VERSION, combine.NAME: combine.VERSION,
}

_RUNNERS: tuple[tuple[str, Callable[[str], list[Fact]]], ...] = (
    (figures.NAME, figures.extract_figures),
    (policy.NAME, policy.extract_policy),
)


def extract_facts(text: str, model: PolicyModel | None = None) -> list[Fact]:
    """All facts of an article text, in reading order, each with a confidence.

    One extractor failing on odd input must not cost the facts of the others, nor stop
    a poll: its error is logged and the rest is returned. `model` replaces the shipped
    policy model (the training script scores its cross-validation folds this way).
    """
    facts = rule_facts(text)
    if not text or not text.strip():
        return facts
    try:
        facts = combine.apply(text, facts, model or shipped_model())
    except Exception:  # noqa: BLE001 - the rules' facts stand without a confidence
        log.exception("policy model failed on a text of %d characters", len(text))
    facts = [f for f in facts if text[f.char_start:f.char_end] == f.quote]
    facts.sort(key=lambda f: (f.char_start, f.char_end, f.kind))
    return facts


def rule_facts(text: str) -> list[Fact]:
    """The facts of the rule extractors alone, before the model's step."""
    if not text or not text.strip():
        return []
    facts: list[Fact] = []
    for name, run in _RUNNERS:
        try:
            facts.extend(run(text))
        except Exception:  # noqa: BLE001 - logged, never silent
            log.exception("extractor %s failed on a text of %d characters", name, len(text))
    return [f for f in facts if text[f.char_start:f.char_end] == f.quote]
