"""Figures of rules: performance thresholds (TPP 4,800), spec bounds (600 GB/s or more) and
the period or share a rule carries (30 days' notice).
"""

from __future__ import annotations

import re
from dataclasses import replace

from chipwatch.extractors.facts import Fact
from chipwatch.extractors.language.numbers import Quantity, find_quantities
from chipwatch.extractors.language.sentences import Span
from chipwatch.extractors.policy.clauses import _own_clause, _quantities
from chipwatch.extractors.policy.records import _Candidate
from chipwatch.extractors.policy.tables import words

_I = re.IGNORECASE

_EXPORT_WORDS = words("export_words")

_VALUE_UNITS = ("%", "months")


_HAS_NUMBER = words("has_number")


# "notify 25 days before sending them": a notice period, not a date.
_LEAD_TIME = words("lead_time")


_BARE_PERIOD = words("bare_period")


_RELATIVE_TIME = words("relative_time")


def _attach_values(facts: list[Fact], s_text: str, sentence: Span,
                   quantities: list[Quantity], candidates: list[_Candidate]) -> None:
    """A rule's own figure ("apply 30 days in advance", "deny licences for 30 months").

    Fees and thresholds carry their figure already; other facts take the nearest share or
    period inside their quote. Money, specs and plain counts ("80 companies") are not
    parameters of a rule and are left alone.
    """
    taken = {c.value_span for c in candidates if c.value_span}
    for f in facts:
        if f.value is not None or f.action in ("fee", "revenue_share"):
            continue
        trig = f.extra.get("trigger", (f.char_start, f.char_end))[0] - sentence.start
        best: tuple[int, Quantity, str] | None = None
        for q in quantities:
            if (q.start, q.end) in taken:
                continue
            if not (f.char_start <= sentence.start + q.start and
                    sentence.start + q.end <= f.char_end):
                continue
            unit = q.unit
            if unit is None:
                period = _BARE_PERIOD.match(s_text[q.end:q.end + 8])
                unit = period.group(1).lower() if period else None
            if unit not in _VALUE_UNITS and unit not in ("days", "weeks"):
                continue  # specs ("6 TB/s of bandwidth") describe a chip, not the rule
            if unit in ("months", "days", "weeks") and _RELATIVE_TIME.match(s_text[q.end:q.end + 20]) \
                    and not _LEAD_TIME.match(s_text[q.end:q.end + 40]):
                continue  # "three months later": when, not how long a rule runs
            dist = abs(q.start - trig)
            if best is None or dist < best[0]:
                best = (dist, q, unit)
        if best is not None:
            f.value, f.unit = best[1].value, best[2]
            f.extra["attached_value"] = True


def _threshold(m: re.Match[str], s_text: str, sentence: Span,
               cand: _Candidate) -> _Candidate | None:
    if not re.search(r"\b(?:restrict\w*|controls?|ban\w*|rules?|threshold|limit\w*|"
                     r"licen[cs]\w*|regulation\w*|applicable)\b", s_text, _I) and \
            not _ELIGIBILITY.search(s_text):
        return None
    window = s_text[m.end():m.end() + 60]
    for q in _quantities(window):
        gap = window[:q.start]
        bound_after = re.match(r"\s*(?:or\s+(?:above|more|higher|greater)|and\s+above|\+|"
                               r"(?:level|line|mark|threshold|limit|bar|score)\s+(?:above|over|"
                               r"beyond|at)\s+which)", window[q.end:], _I) or re.search(
                                   r"or\s+(?:above|more|higher)", q.text, _I)
        bound_before = re.search(r"(?:reach(?:es|ing)?|above|exceed(?:s|ed|ing)?|over|"
                                 r"greater\s+than|tops|surpass(?:es)?|"
                                 r"at\s+least|beyond|threshold\s+(?:of|at))\s*$", gap, _I) \
            or re.match(r"(?:reaching|above|exceeding|over|greater\s+than|more\s+than|"
                        r"at\s+least|beyond)\b", q.text, _I) \
            or (re.match(r"\s*(?:of|at)\s*$", gap, _I) and re.search(
                r"\b(?:above|exceeding|over|beyond|surpassing)\s+(?:a|an|the)\s+$",
                s_text[:m.start()], _I))  # "chips above a total processing performance of 4800"
        ceiling = _CEILING_BEFORE.search(gap) or _CEILING_BEFORE.match(q.text) or \
            _CEILING_AFTER.match(window[q.end:])
        if not (bound_after or bound_before or ceiling):
            continue
        density = "density" in m.group(0).lower()
        if q.value < (1 if density else 10):
            continue
        # Section 11 of the convention: restricting wording ("at or above") bans, permitting
        # wording ("below 21,000 may be licensed") allows; the figure is the threshold.
        cand.action = "allow_export" if ceiling and not (bound_after or bound_before) \
            else "ban_export"
        cand.ceiling = cand.action == "allow_export"
        cand.threshold = True
        cand.metric = "performance_density" if density else "tpp"
        cand.value = q.value
        cand.unit = None
        cand.value_span = (m.end() + q.start, m.end() + q.end)
        cand.chips = [None]
        return cand
    return None


def _limit_value(m: re.Match[str], s_text: str, sentence: Span,
                 cand: _Candidate) -> _Candidate | None:
    window = s_text[m.end():m.end() + 80]
    for q in _quantities(window):
        if q.unit in (None, "%") or q.unit in ("months", "USD"):
            continue
        cand.action = "ban_export"
        cand.threshold = True
        cand.metric = "other"
        cand.value = q.value
        cand.unit = q.unit
        cand.value_span = (m.end() + q.start, m.end() + q.end)
        cand.chips = [None]
        return cand
    return None


_RULE_WORDS = words("rule_words")


_SPEC_UNITS = ("GB/s", "TB/s", "nm", "W")


_BOUND_AFTER = words("bound_after")


_BOUND_BEFORE = words("bound_before")


def _spec_bound_candidates(s_text: str, sentence: Span, quantities: list[Quantity]) -> list[_Candidate]:
    """A rule's technical line: "600 gigabytes per second or more", "16nm or below"."""
    if not _RULE_WORDS.search(s_text):
        return []
    out: list[_Candidate] = []
    for q in quantities:
        if q.unit not in _SPEC_UNITS:
            continue
        own = _own_clause(s_text, q.start, q.end)
        if not _RULE_WORDS.search(own) or (q.unit == "W" and not _EXPORT_WORDS.search(s_text)):
            continue  # "draws up to 700 watts, while the other is limited to 600W": specs
        after = _BOUND_AFTER.match(s_text[q.end:q.end + 30])
        if not ((after and re.search(r"or|and", after.group(0), _I))
                or _BOUND_BEFORE.search(s_text[max(0, q.start - 20):q.start])
                or q.low is not None or q.high is not None):
            continue
        cand = _Candidate(action="ban_export", trig_start=q.start, trig_end=q.end,
                          sentence=sentence, metric="other", value=q.value, unit=q.unit,
                          value_span=(q.start, q.end), threshold=True)
        if q.unit in ("GB/s", "TB/s"):
            _bandwidth_bound(cand, q, s_text)
        out.append(cand)
    return out


# "below 21,000", "under 6,500 GB/s", "21,000 or less": a ceiling a part must stay under.
_CEILING_BEFORE = words("ceiling_before")
_CEILING_AFTER = words("ceiling_after")
# "eligible", "approved devices must ...": wording of a permitting rule.
_ELIGIBILITY = words("eligibility")
_MEMORY_BANDWIDTH = words("memory_bandwidth_before")


def _bandwidth_bound(cand: _Candidate, q: Quantity, s_text: str) -> None:
    """A bandwidth bound: memory bandwidth in TB/s (the fact vocabulary's unit), and a
    ceiling ("under 6,500 GB/s") of a permitting rule allows rather than bans."""
    if _MEMORY_BANDWIDTH.search(s_text[max(0, q.start - 50):q.start]):
        cand.metric = "memory_bandwidth"
        cand.value = q.value / 1000 if q.unit == "GB/s" else q.value
        cand.unit = "TB/s"
    before = s_text[max(0, q.start - 20):q.start]
    if (_CEILING_BEFORE.search(before) or _CEILING_BEFORE.match(q.text)
            or _CEILING_AFTER.match(s_text[q.end:q.end + 30])) and _ELIGIBILITY.search(s_text):
        cand.action, cand.ceiling = "allow_export", True


def _adopt_threshold_actions(candidates: list[_Candidate]) -> None:
    """A figure of a rule belongs to the rule's verb: "TPP of 4,800 ... needs a licence"."""
    rules = [c for c in candidates if not c.threshold and c.value is None
             and c.action in ("ban_export", "require_approval", "require_review")]
    if not rules:
        return
    for c in candidates:
        if c.threshold and not c.ceiling:
            nearest = min(rules, key=lambda r: min(abs(r.trig_start - c.trig_end),
                                                   abs(c.trig_start - r.trig_end)))
            c.action = nearest.action


# Actions whose rule can draw a performance line, and the measures such a line is named by
# (the name just before the number; the last one named wins: "TPP above 1,600 and a
# performance density of 5.92" gives each its own).
THRESHOLD_ACTIONS = ("ban_export", "allow_export", "require_approval", "require_review")
MEASURE_BEFORE = (
    ("performance_density", re.compile(r"(?:performance\s+density|性能密度)[^0-9,.;。、]{0,20}$", re.I), 0.1),
    ("tpp", re.compile(r"(?:(?<![A-Za-z])TPP(?![A-Za-z])|total\s+processing\s+performance|総処理性能)[^0-9,.;。、]{0,25}$",
                       re.I), 100.0),
)


def thresholds_of(quote: str) -> list[tuple[str, float]]:
    """Performance lines a rule draws: a bare number bounded by "or more", "above",
    "under", 以上 ... right after its measure's name ("TPP", "performance density")."""
    out: list[tuple[str, float]] = []
    for q in find_quantities(quote):
        if q.unit is not None or (q.low is None and q.high is None):
            continue
        before = quote[max(0, q.start - 40):q.start]
        for metric, pattern, lowest in MEASURE_BEFORE:
            if pattern.search(before) and q.value >= lowest:
                out.append((metric, q.value))
                break
    return out[:3]


def _line_facts(facts: list[Fact]) -> list[Fact]:
    """A rule fact about no named chip whose quote draws a performance line ("TPPが4800以上の
    チップの対中輸出は原則禁止") carries that line as its value, one fact per line."""
    out: list[Fact] = []
    for f in facts:
        bounds = thresholds_of(f.quote) if (f.chip is None and f.value is None
                                            and f.action in THRESHOLD_ACTIONS) else []
        if not bounds:
            out.append(f)
            continue
        for metric, value in bounds:
            out.append(replace(f, metric=metric, value=value, unit=None, extra=dict(f.extra)))
    return out
