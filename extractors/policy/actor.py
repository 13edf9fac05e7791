"""Who acts: the nearest acting subject, else the speaker, else the agent of a passive, else
the lead-in of a list, else the usual actor of the action.
"""

from __future__ import annotations

import re

from chipwatch.extractors.actors import actor_family, ActorMention, is_governmental
from chipwatch.extractors.language.sentences import Span
from chipwatch.extractors.policy.clauses import _domain
from chipwatch.extractors.policy.context import _Context, _is_bullet, _JA_CHARS
from chipwatch.extractors.policy.records import _Candidate
from chipwatch.extractors.policy.status import _target_for
from chipwatch.extractors.policy.tables import cue, guard
from chipwatch.extractors.policy.vocab import COUNTRIES

_I = re.IGNORECASE

_PASSIVE_BEFORE = guard("passive_before")

_DEFAULT_ACTOR = {
    "allow_export": "US", "ban_export": "US", "require_review": "US",
    "require_approval": "US", "fee": "US", "revenue_share": "US",
    "restrict_purchase": "China", "other": None,
}


_BARE_GOVERNMENT = cue("bare_government")


_EXPERIENCER = cue("experiencer")


_STATE_WORDS = cue("state_words")


_RECIPIENT_BEFORE = cue("recipient_before")


_SPEAKER = cue("speaker")


_PRONOUN_SPEAKER = cue("pronoun_speaker")


_PAY_VERBS = cue("pay_verbs")


def _actor_for(cand: _Candidate, s_text: str, actors: list[ActorMention], context: _Context,
               text: str, sentence: Span, japanese: bool) -> tuple[str | None, bool]:
    """The acting subject and whether the sentence names it (False for a default)."""
    action = cand.action
    trig = cand.trig_start
    chips = context.chips_of(s_text)  # all of the sentence's chips, found once
    trig_text = s_text[trig:cand.trig_end]
    # "China and Russia were barred", "allies faced no limits": the subject undergoes the rule.
    undergoes = bool(_PASSIVE_BEFORE.search(s_text[:trig][-25:]) or _EXPERIENCER.match(trig_text))

    def usable(m: ActorMention) -> bool:
        if not m.subject_ok:
            return False
        if japanese and not _japanese_subject(s_text, m, trig):
            return False
        if undergoes and m.end <= trig and m.actor in COUNTRIES and \
                not _STATE_WORDS.search(s_text[m.start:m.end]):
            return False
        if m.kind != "company" and _RECIPIENT_BEFORE.search(s_text[max(0, m.start - 20):m.start]):
            return False  # "agreed to hand the U.S. government 15%": the payee
        if m.kind == "company":
            if any(0 <= c.start - m.end < 3 for c in chips):
                return False  # "Nvidia H200": the maker of a chip, not an actor
            if japanese and s_text[m.end:m.end + 1] == "の":
                return False  # エヌビディアの担当者: the company of the person acted upon
            if action == "other":
                return True
            if action in ("fee", "revenue_share"):
                return bool(_PAY_VERBS.search(s_text[m.end:max(m.end, trig)]))
            return False
        if action == "restrict_purchase" and m.actor in ("US", "Trump", "Commerce", "BIS",
                                                         "White House"):
            return False
        return True

    if cand.chip_free:
        # "the same approach would apply to AMD": the decider is whoever announced it.
        if _PRONOUN_SPEAKER.search(s_text[:trig]) and context.last_person:
            return context.last_person, True
        for m in actors:
            if m.end <= trig and usable(m) and m.kind != "company" and \
                    _SPEAKER.match(s_text[m.end:m.end + 30].lstrip(" ,")):
                return m.actor, True
    left = [m for m in actors if m.end <= trig and usable(m)]
    # Resolve a bare "the government"/"officials" nearer than any named actor.
    bare: re.Match[str] | None = None
    for found in _BARE_GOVERNMENT.finditer(s_text[:trig]):
        if not any(a.start <= found.start() < a.end for a in actors):
            bare = found
    if left and (bare is None or left[-1].end >= bare.end()):
        return left[-1].actor, True
    if bare is not None:
        if "central" in bare.group(0).lower():
            return "China", True
        states = [m for m in left if m.kind == "government"]
        if states and "administration" not in bare.group(0).lower():
            return states[-1].actor, True  # "In Taipei, ... government approval": that state
        return (context.last_state or cand.default_actor or _DEFAULT_ACTOR.get(action)
                or "US"), True
    right = [m for m in actors if m.start >= trig and usable(m)
             and m.kind != "company" and (m.actor not in ("US", "China") or japanese or
                                          re.search(r"\bby\s+(?:the\s+)?$",
                                                    s_text[max(0, m.start - 8):m.start], _I)
                                          or m.possessive)]
    if right and right[0].start - cand.trig_end < 80:
        return right[0].actor, True
    if _PRONOUN_SPEAKER.search(s_text[:trig]) and context.last_person and \
            action != "restrict_purchase":
        return context.last_person, True
    if _is_bullet(text, sentence) or japanese:
        for lead in reversed(context.lead_ins):
            target = _target_for(s_text, None)
            lead_actors = [m for m in context.actors_of(lead.text)
                           if m.subject_ok and is_governmental(m.actor)
                           and actor_family(m.actor) != target
                           and (not _JA_CHARS.search(lead.text)
                                or _japanese_subject(lead.text, m))]
            if lead_actors:
                carried = lead_actors[0].actor
                if action == "restrict_purchase":
                    # a purchase limit is the state's, not the antitrust or cyberspace
                    # watchdog's that acted in the sentence before
                    carried = actor_family(carried) or carried
                return carried, False
    if action in ("require_approval", "require_review") and \
            _domain(s_text, cand.trig_start, cand.trig_end) == "purchase":
        return "China", False  # approval to buy is asked of buyers, by Beijing
    return cand.default_actor or _DEFAULT_ACTOR.get(action), False


def _japanese_subject(s_text: str, m: ActorMention, trig: int | None = None) -> bool:
    """Japanese marks the subject with a particle: 米国は / 米国政府が; 中国に is an object."""
    after = s_text[m.end:m.end + 12]
    # 弁公室（CAC）は: a name glossed in brackets keeps its particle after the bracket
    after = re.sub(r"^[（(][^）)]{1,10}[）)]", "", after)
    if re.match(r"(?:は|が|も|では|として|側)", after):
        return True
    if after.startswith("の") and trig is not None and 0 <= trig - m.end <= 12:
        return True  # 米政府の安全保障審査: the body that reviews
    return False
