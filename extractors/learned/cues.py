"""Words that mark a sentence as not stating a fact: questions, conditions, options, views.

The model learns most of this from the labeled "none" sentences; these cue groups give it
one strong feature per group so that a rare hedge word still counts. Data, not code.
"""

from __future__ import annotations

import re

# group name -> words or phrases (lower case, matched on word boundaries)
CUE_WORDS: dict[str, tuple[str, ...]] = {
    "condition": ("if", "whether", "unless", "in case", "provided that", "suppose", "supposing"),
    "modal": ("could", "might", "may", "would", "perhaps", "possibly", "maybe", "likely",
              "unlikely", "probably"),
    "option": ("options", "option", "choices", "scenarios", "scenario", "alternatives",
               "ranged from", "range from", "either"),
    "opinion": ("should", "ought", "argue", "argues", "argued", "believe", "believes",
                "think", "thinks", "in my view", "we recommend", "recommend", "recommends",
                "critics", "analysts say", "analysts said", "mistake", "wise", "unwise"),
    "open_question": ("remains to be seen", "unclear", "not clear", "nobody knows",
                      "no one knows", "it is not known", "uncertain", "will decide"),
    "report": ("said", "says", "according to", "told", "announced", "confirmed"),
    "negation": ("not", "no", "never", "n't", "without"),
}

_CUE_RES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (group, re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w])"))
    for group, words in CUE_WORDS.items()
)


def cue_groups(lowered: str) -> list[str]:
    """The cue groups present in a lower-cased sentence, plus its shape (question, quote)."""
    return [group for group, rx in _CUE_RES if rx.search(lowered)] + shape_groups(lowered)


def shape_groups(lowered: str) -> list[str]:
    """A sentence's shape as cue groups: a question, words in quotation marks."""
    out = []
    stripped = lowered.rstrip(" \"'”’)")
    if stripped.endswith("?") or stripped.endswith("？"):
        out.append("question")
    if any(q in lowered for q in "\"“”"):
        out.append("quoted")
    return out
