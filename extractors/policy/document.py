"""Article-level merging: one fact per statement within a sentence and across the article."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
import re

from chipwatch.extractors.actors import actor_family
from chipwatch.extractors.facts import Fact
from chipwatch.extractors.policy.tables import cue, words
from chipwatch.extractors.policy.vocab import family_members

_SECOND_CLAUSE = words("second_clause")


def _merge_into(facts: list[Fact], fact: Fact) -> None:
    """Add a sentence's fact unless it restates one already there.

    Same action and chip in overlapping clauses is one statement; the version with a figure
    wins. Different figures ("TPP of 4,800 ... 600 GB/s") and clauses that do not overlap
    ("placed 140 entities on the list, and tightened controls on memory") are kept apart.
    """
    t_new = fact.extra.get("trigger", (fact.char_start, fact.char_end))
    for i, prior in enumerate(facts):
        if prior.action != fact.action or prior.chip != fact.chip:
            continue
        if prior.value is not None and fact.value is not None and prior.value != fact.value:
            continue
        t_old = prior.extra.get("trigger", (prior.char_start, prior.char_end))
        if 0 <= fact.char_start - prior.char_end <= 2 and re.match(r"\w+ing\b", fact.quote) \
                and t_new[0] == fact.char_start:
            return  # "barred its exports, cutting off carmakers ...": the same measure again
        if not (prior.char_start <= t_new[0] < prior.char_end
                or fact.char_start <= t_old[0] < fact.char_end):
            continue  # each trigger outside the other's clauses: two statements
        second = None
        if t_old[1] <= t_new[0] and not (prior.char_start <= t_new[0] < prior.char_end) and \
                fact.char_start <= t_old[1]:
            second = _SECOND_CLAUSE.search(
                fact.quote[t_old[1] - fact.char_start:t_new[0] - fact.char_start])
        if second:
            # "remain off limits, and no licences will be granted for them": two refusals;
            # the second quote starts at its own clause.
            cut = t_old[1] - fact.char_start + second.start("neg")
            fact = replace(fact, quote=fact.quote[cut:],
                                       char_start=fact.char_start + cut)
            continue
        if prior.value is None and fact.value is not None:
            facts[i] = fact
        return
    facts.append(fact)


_TIME_RE = cue("time")


@lru_cache(maxsize=256)
def _times(s_text: str) -> frozenset[str]:
    """Time words of a sentence: statements set at different times are different facts."""
    return frozenset(m.group(0).lower() for m in _TIME_RE.finditer(s_text))


def _quality(f: Fact) -> int:
    """How fully a sentence states a fact; the best statement of a repeated fact is kept."""
    q = 0
    if f.extra.get("explicit_actor"):
        q += 2
    if f.target and re.search(r"\bChin|Beijing|中国", f.quote):
        q += 1
    if f.extra.get("heading"):
        q -= 3
    return q


def _dedupe_document(facts: list[Fact]) -> list[Fact]:
    """One fact per statement: a fact restated elsewhere in the article is kept once.

    Figures are keyed by action and value ("the 25% fee" again); other facts by action and
    chip when a chip is named. Headlines yield to the body; otherwise the fuller statement
    (explicit actor, destination) wins, and the first on a tie.
    """
    groups: dict[tuple, list[int]] = {}
    for i, f in enumerate(facts):
        family = actor_family(f.actor)
        if f.value is not None and not f.extra.get("attached_value"):
            key: tuple = ("v", f.action, f.value)  # payer and charger state one fact
        elif f.chip is not None:
            key = ("c", family, f.action, f.chip)
        else:
            continue
        groups.setdefault(key, []).append(i)
    drop: set[int] = set()
    for key, members in groups.items():
        sentences = {facts[i].extra.get("sentence_start") for i in members}
        if len(sentences) < 2:
            continue
        best = max(members, key=lambda i: (_quality(facts[i]), -i))
        best_sentence = facts[best].extra.get("sentence_start")
        best_times = facts[best].extra.get("sentence_times", frozenset())
        for i in members:
            times = facts[i].extra.get("sentence_times", frozenset())
            if key[0] == "c" and times and times != best_times and \
                    not facts[i].extra.get("heading"):
                continue  # "In April ... three months later": another event, not a repeat
            if key[0] == "c" and facts[i].actor != facts[best].actor and \
                    not facts[i].extra.get("heading") and not facts[best].extra.get("heading"):
                continue  # the cyberspace regulator's order and the customs checks: two acts
            if facts[i].extra.get("sentence_start") != best_sentence:
                drop.add(i)
    # A headline naming a family yields to a body fact on one of its members
    # ("clears Blackwell shipments" and "authorised the export of GB300 chips").
    body_chips = {(f.action, f.chip) for f in facts if not f.extra.get("heading") and f.chip}
    for i, f in enumerate(facts):
        if f.extra.get("heading") and family_members(f.chip) and any(
                (f.action, member) in body_chips for member in family_members(f.chip)):
            drop.add(i)
    # A chip-free headline fact yields to any body fact with the same action.
    body_actions = {f.action for f in facts if not f.extra.get("heading")}
    for i, f in enumerate(facts):
        if f.extra.get("heading") and f.chip is None and f.value is None \
                and f.action in body_actions:
            drop.add(i)
    out = [f for i, f in enumerate(facts) if i not in drop]
    for f in out:
        for k in ("sentence_start", "heading", "explicit_actor", "sentence_times", "trigger",
                  "attached_value"):
            f.extra.pop(k, None)
    return out
