"""What earlier sentences of an article said (the acting state, the speaker, list lead-ins,
chip counts), and the layout of a sentence (bullet, heading, family descriptors).
"""

from __future__ import annotations

import re

from chipwatch.extractors.actors import ActorMention, find_actors
from chipwatch.extractors.chips import ChipMention, find_chips
from chipwatch.extractors.language.sentences import Span
from chipwatch.extractors.policy.tables import words
from chipwatch.extractors.policy.vocab import family_members

_I = re.IGNORECASE

_JA_CHARS = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


_HAS_WORD = re.compile(r"[A-Za-z]{2}|[\u3040-\u30ff\u4e00-\u9fff]")


_BULLET_LINE = re.compile(r"^[ \t]*(?:[-*•·▪‣◦–—]|\d{1,2}[.)])[ \t]+")


_DESCRIPTOR_AFTER = words("descriptor_after")


class _Context:
    """What earlier sentences said, for "the government" and bullet lists."""

    def __init__(self, text: str = "") -> None:
        self.last_state: str | None = None  # "US" or "China", the last state that acted
        self.last_person: str | None = None  # for "he said"
        self.lead_ins: list[Span] = []  # recent non-bullet sentences
        self.chip_counts: dict[str, int] = {}
        self._actors: dict[str, list[ActorMention]] = {}
        self._chips: dict[str, list[ChipMention]] = {}
        self._memo: dict[tuple, object] = {}
        # "the list" means the entity list only where the article has named it.
        self.china_story = bool(re.search(r"\bChin(?:a|ese)\b|\bBeijing\b|中国", text))
        self.names_list = bool(re.search(r"\b(?:entity|trade|export[- ]control)\s+(?:black)?list\b|"
                                         r"\bblacklist", text, _I))
        for c in find_chips(text):
            self.chip_counts[c.chip] = self.chip_counts.get(c.chip, 0) + 1

    def memo(self, key: tuple, compute):  # type: ignore[no-untyped-def]
        """A value computed once per sentence (attribution is the same for all its facts)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def chips_of(self, s_text: str) -> list[ChipMention]:
        """Chip mentions of a sentence, found once."""
        found = self._chips.get(s_text)
        if found is None:
            found = self._chips[s_text] = find_chips(s_text)
        return found

    def actors_of(self, s_text: str) -> list[ActorMention]:
        """Actor mentions of a sentence, found once however often the sentence is read."""
        found = self._actors.get(s_text)
        if found is None:
            found = self._actors[s_text] = find_actors(s_text)
        return found

    def update(self, text: str, sentence: Span) -> None:
        if not _HAS_WORD.search(sentence.text):
            return
        for mention in self.actors_of(sentence.text):
            if mention.subject_ok and mention.actor in ("US", "Trump", "Commerce", "BIS",
                                                        "White House", "Congress"):
                self.last_state = "US"
            elif mention.subject_ok and mention.actor in ("China", "MOFCOM", "CAC", "MIIT",
                                                          "NDRC", "SAMR"):
                self.last_state = "China"
            if mention.subject_ok and mention.kind == "person":
                self.last_person = mention.actor
        if not _is_bullet(text, sentence):
            self.lead_ins = (self.lead_ins + [sentence])[-3:]


def _sentence_chips(s_text: str, context: _Context) -> list[ChipMention]:
    """Chips named in a sentence, with family descriptors resolved or dropped."""
    out: list[ChipMention] = []
    for c in context.chips_of(s_text):
        if _DESCRIPTOR_AFTER.match(s_text[c.end:]):
            members = [m for m in family_members(c.chip) if context.chip_counts.get(m)]
            if not members:
                continue
            best = max(members, key=lambda m: context.chip_counts[m])
            if context.chip_counts.get(c.chip, 0) <= context.chip_counts[best]:
                # "Hopper-class" in an H200 story is the H200; in a story that is mostly
                # about the family itself ("Blackwell-based products"), it stays the family.
                c = ChipMention(best, c.vendor, c.start, c.end)
        out.append(c)
    return out


def _is_bullet(text: str, sentence: Span) -> bool:
    line_start = text.rfind("\n", 0, sentence.start) + 1
    return bool(_BULLET_LINE.match(text[line_start:sentence.start + 1]))


def _is_heading(text: str, sentence: Span) -> bool:
    """A headline or section head: a line of its own without closing punctuation."""
    line_start = text.rfind("\n", 0, sentence.start) + 1
    line_end = text.find("\n", sentence.end)
    line = text[line_start:line_end if line_end >= 0 else len(text)].strip()
    if not line or line != sentence.text.strip() or len(line) > 250:
        return False
    if line_end < 0 or not text[line_end:].strip():
        return False  # the last line of a cut-off text is not a headline
    return not re.search(r"[.!?。！？\"”’:)]$", line)
