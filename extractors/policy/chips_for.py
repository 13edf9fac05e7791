"""Which chip(s) a candidate statement is about: the nearest run of coordinated chips,
skipping scene-setting clauses, compared chips, named alternatives and relative clauses.
"""

from __future__ import annotations

import re

from chipwatch.extractors.chips import ChipMention
from chipwatch.extractors.policy.context import _JA_CHARS
from chipwatch.extractors.policy.records import _Candidate
from chipwatch.extractors.policy.tables import guard, words
from chipwatch.extractors.policy.vocab import family_members

_I = re.IGNORECASE

_FROM_ING = guard("from_ing")

def _chip_runs(chips: list[ChipMention], s_text: str) -> list[list[ChipMention]]:
    """Chips written as one coordinated list ("A100, A800 and H100") form one run."""
    runs: list[list[ChipMention]] = []
    for chip in chips:
        if runs:
            prev = runs[-1][-1]
            gap = s_text[prev.end:chip.start]
            if re.fullmatch(r"(?:\s+(?:chips?|GPUs?|processors?|accelerators?|parts?))?,?\s+"
                            r"(?:the|a|an|its|called|dubbed|named)\s+", gap) and \
                    chip.chip in family_members(prev.chip):
                runs[-1][-1] = chip  # "a cut-down Blackwell chip, the B30A": one chip
                continue
            if re.fullmatch(r",\s+(?:a|an|the|its)\s+(?:[\w-]+\s+){0,3}", gap) and \
                    prev.chip in family_members(chip.chip):
                continue  # "the RTX Pro 6000D, a workstation-class Blackwell card": one chip
            if re.fullmatch(r",\s+(?:which|who|that)\b[^;.]{0,140},\s+(?:as\s+well\s+as|along\s+"
                            r"with|plus|and(?:\s+also)?)\s+(?:the\s+|its\s+)?", gap):
                runs[-1].append(chip)  # "the A800 and H800, which ..., as well as the L40S"
                continue
            if _coordinated(gap):
                runs[-1].append(chip)
                continue
        runs.append([chip])
    return runs


# "... and later allowed the": a second verb with its own object after the conjunction.
_SECOND_PREDICATE = words("second_predicate")


def _coordinated(gap: str) -> bool:
    if _JA_CHARS.search(gap) or "」" in gap:
        # 「A100」と「H100」, 「A800」「H800」: the corner brackets around each name are no gap
        return bool(re.fullmatch(r"\s*(?:」\s*「|」?\s*(?:や|と|、|，|・|及び|および|または|,)\s*「?)\s*",
                                 gap))
    if len(gap) > 40 or not re.search(r",|\band\b|\bn?or\b|/|\bas\s+well\s+as\b|&", gap):
        return False
    if re.search(r"[;.]|\b(?:than|is|are|was|were|while|but|which|that|to|from)\b", gap):
        return False
    if _SECOND_PREDICATE.search(gap):
        return False  # "banned the A100 and later allowed the H20": two statements
    return len(re.findall(r"[A-Za-z]+", gap)) <= 5


_RUNS_CACHE: dict[tuple[str, tuple[ChipMention, ...]], list[list[ChipMention]]] = {}


def _runs_of(chips: list[ChipMention], s_text: str) -> list[list[ChipMention]]:
    """Chip runs of one sentence, computed once however many triggers it has."""
    key = (s_text, tuple(chips))
    runs = _RUNS_CACHE.get(key)
    if runs is None:
        _RUNS_CACHE.clear()
        runs = _RUNS_CACHE[key] = _chip_runs(chips, s_text)
    return runs


_FRONTED = guard("fronted")


_LIKE_FRONTED = guard("like_fronted")


_COPULA_GAP = words("copula_gap")


_CLAUSE_BREAK = words("clause_break")


_GENERIC_OBJECT = guard("generic_object")


_ALTERNATIVE_BEFORE = guard("alternative_before")


# A trigger ending in a verb that takes the chip as its object: "extend to", "cover".
_OBJECT_TRIGGER = words("object_trigger")


def _chips_for(cand: _Candidate, chips: list[ChipMention], s_text: str) -> list[ChipMention | None]:
    if cand.chip_free or not chips:
        return [None]
    # "domestic alternatives such as Huawei's Ascend 910C": the substitute, not the ruled chip
    chips = [c for c in chips if not _ALTERNATIVE_BEFORE.search(s_text[max(0, c.start - 60):c.start])]
    if not chips:
        return [None]
    fronted = _FRONTED.match(s_text)
    if fronted and cand.trig_start >= fronted.end():
        # "When analysts found a die in an Ascend 910B, Commerce ordered ...": the chip of a
        # scene-setting clause is not what the main clause rules on.
        chips = [c for c in chips if c.start >= fronted.end()]
        if not chips:
            return [None]
    like = _LIKE_FRONTED.match(s_text)
    if like and cand.trig_start >= like.end():
        # "Like the H20, it needed a licence": the compared chip is not the subject.
        chips = [c for c in chips if c.start >= like.end()]
        if not chips:
            return [None]
    if re.match(r"\s+(?:it|them)\b", s_text[cand.trig_end:cand.trig_end + 6]) and \
            chips[0].end <= cand.trig_start and not _FRONTED.match(s_text):
        return [chips[0]]  # "... encouraged to run it": the sentence's own chip
    if _GENERIC_OBJECT.match(s_text[cand.trig_end:cand.trig_end + 80]) and not any(
            cand.trig_end <= c.start <= cand.trig_end + 80 for c in chips) and \
            re.search(r"[,;]", s_text[chips[-1].end:cand.trig_start]):
        return [None]  # "rule on H200 licences, keeps ban on top chips": its own object
    if _OBJECT_TRIGGER.search(s_text[cand.trig_start:cand.trig_end]):
        # "the H200 deal does not extend to Blackwell or Rubin": the chips after the verb
        # are what it leaves out (or takes in), not the deal's own chip
        after = [r for r in _runs_of(chips, s_text) if 0 <= r[0].start - cand.trig_end <= 40]
        if after:
            return list(dict.fromkeys(after[0]))
    best: list[ChipMention] | None = None
    best_dist = 10 ** 9
    reach = cand.trig_end
    barred_from = _FROM_ING.match(s_text[cand.trig_end:cand.trig_end + 120])
    if barred_from and cand.action == "ban_export":
        reach = cand.trig_end + barred_from.end()  # "bar the agency from approving licences for the H200"
    for run in _runs_of(chips, s_text):
        r_start, r_end = run[0].start, run[-1].end
        if r_end <= cand.trig_start:
            dist = cand.trig_start - r_end
        elif r_start >= reach and re.search(r",\s+(?:which|who)\s", s_text[reach:r_start]):
            continue  # "barred ..., which capped sales at the H20": the relative clause's chip
        elif r_start >= reach and re.search(r"\bbut\s+not\s+(?:the\s+|its\s+|for\s+)?$",
                                            s_text[reach:r_start], _I):
            continue  # "the H200, which was cleared, but not the B200": excepted from it
        elif r_start >= reach:
            dist = r_start - reach
        elif r_start >= cand.trig_end:
            dist = 0
        else:
            dist = 0
        if dist < best_dist:
            best, best_dist = run, dist
    if best is None or best_dist > 90:
        return [None]
    if best[0].start >= cand.trig_end:
        before_runs = [r for r in _runs_of(chips, s_text) if r[-1].end <= cand.trig_start]
        if before_runs and _COPULA_GAP.match(s_text[before_runs[-1][-1].end:cand.trig_start]) \
                and _CLAUSE_BREAK.search(s_text[cand.trig_end:best[0].start]):
            # "Blackwell stays off the table as H200 heads to China": the state belongs to
            # its subject, not to the chip of the next clause.
            best = before_runs[-1]
    members = list(best)
    if chips[0].end <= cand.trig_start:
        same = re.search(r"\b(?:same|similar|identical)\s+(?:[\w-]+\s+){0,3}$",
                         s_text[max(0, cand.trig_start - 40):cand.trig_start], _I)
        for run in _runs_of(chips, s_text):
            if run[0].start < cand.trig_end or run[0].start - cand.trig_end > 80:
                continue
            gap = s_text[cand.trig_end:run[0].start]
            same_as = same and re.match(r"\s*(?:[\w-]+\s+){0,3}?as\s+(?:[\w’'-]+\s+){0,2}$",
                                        gap, _I)
            as_does = re.search(r"\b(?:as|so)\s+(?:does|do|did|is|are|was|were|has|have)\s+"
                                r"(?:the\s+|any(?:thing|\s+\w+)?\s+(?:built|based)\s+on\s+"
                                r"(?:the\s+)?)?$", gap, _I)
            if same_as or as_does:
                # "the MI325X remains off-limits, as does the MI350": both share the predicate.
                members = [chips[0]] + members + [c for c in run if c not in members]
            break
    out: list[ChipMention | None] = []
    seen: set[str] = set()
    for c in members:
        if c.chip not in seen:
            seen.add(c.chip)
            out.append(c)
    return out
