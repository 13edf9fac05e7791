"""Status (enacted, announced, proposed, considered, reported, denied) from the hedges of
rules/cues.toml, the attribution of a sentence and its destination country.
"""

from __future__ import annotations

from functools import lru_cache
import re

from chipwatch.extractors.actors import actor_family, canonical_actor
from chipwatch.extractors.language.sentences import Span
from chipwatch.extractors.policy.clauses import _clause_left
from chipwatch.extractors.policy.context import _Context, _is_bullet
from chipwatch.extractors.policy.records import _Candidate
from chipwatch.extractors.policy.tables import ATTRIBUTION, STATUS_CUES, TARGETS

_I = re.IGNORECASE

def _status_for(cand: _Candidate, s_text: str, text: str, sentence: Span,
                context: _Context, actor: str | None, attribution: str | None) -> str:
    left = s_text[:cand.trig_end]
    clause_left = _clause_left(s_text, cand.trig_start) + s_text[cand.trig_start:cand.trig_end]
    lead = ""
    if _is_bullet(text, sentence):
        lead = " ".join(s.text for s in context.lead_ins[-2:])
    cues = dict(STATUS_CUES)
    if cues["denied"].search(left) or (lead and cues["denied"].search(lead)):
        return "denied"
    # Modal and planning cues must govern the trigger: its own clause, or a list's lead-in.
    near = clause_left[-80:]
    for name in ("considered", "proposed"):
        if cues[name].search(near) or (lead and cues[name].search(lead)):
            return name
    own_words = attribution is not None and canonical_actor(attribution) is not None and \
        actor_family(canonical_actor(attribution)) == actor_family(actor)
    if (attribution and not own_words) or cues["reported"].search(left) or \
            (lead and cues["reported"].search(lead)):
        return "reported"
    if cues["announced"].search(near) or (lead and cues["announced"].search(lead)):
        return "announced"
    if re.search(r"\b(?:said|says|announced|stated|wrote|noted)\b|according\s+to", s_text, _I) \
            and re.search(r"\b(?:will|would)\b", s_text, _I):
        return "announced"
    return "enacted"


def _attribution_for(s_text: str, text: str, sentence: Span, context: _Context) -> str | None:
    scopes = [s_text]
    if _is_bullet(text, sentence):
        scopes += [s.text for s in reversed(context.lead_ins[-2:])]
    for scope in scopes:
        for pattern in ATTRIBUTION:
            m = pattern.search(scope)
            if m:
                name = m.group(1).strip().rstrip(".,;:")
                name = re.sub(r"^(?:the|The)\s+", "", name) if name.lower().startswith(
                    "the ") and not name.startswith("The Information") else name
                return name
        if re.search(r"報じ|報道", scope):
            return "報道"
    return None


@lru_cache(maxsize=256)
def _target_for(s_text: str, actor: str | None) -> str | None:
    """The first destination named in the sentence, unless it is the actor itself."""
    if actor in ("China", "MOFCOM", "CAC", "MIIT", "NDRC", "SAMR"):
        return None
    best: tuple[int, str] | None = None
    for pattern, name in TARGETS:
        m = pattern.search(s_text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    return best[1] if best else None
