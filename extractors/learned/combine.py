"""One pipeline step after the rules: a confidence for every fact, and the policy facts
the rules missed where the model is sure.

- Rule facts: the rule family's measured precision (the prior), moved up or down by how
  strongly the model reads the fact's sentence as policy and as the fact's action.
- Model facts: a sentence the model scores as policy above the cross-validated threshold,
  holding no rule policy fact, gives one fact per chip named in it (null when none), with
  the model's action, the sentence's acting subject (else the action's usual actor), and
  the shortest clause that still carries the model's reading as the quote.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Mapping

from chipwatch.extractors.actors import actor_family, actor_type, find_actors
from chipwatch.extractors.chips import find_chips
from chipwatch.extractors.facts import ACTIONS, Fact
from chipwatch.extractors.language.numbers import find_quantities
from chipwatch.extractors.language.sentences import Span, clauses, split_sentences
from chipwatch.extractors.learned.model import MODEL_VERSION, PolicyModel, SentenceScores
from chipwatch.extractors.policy.tables import words
from chipwatch.extractors.policy.values import THRESHOLD_ACTIONS, thresholds_of

NAME = "policy_model"
# How model facts are made from the model's scores; the fact's extractor version is both,
# so a retrained file (MODEL_VERSION) or a changed combination makes `reextract` run again.
COMBINE_VERSION = "4"
VERSION = f"{MODEL_VERSION}.{COMBINE_VERSION}"

POLICY = "policy"
Scores = Mapping[str, float] | SentenceScores
# Used when the model file carries no measured value (an untrained checkout).
DEFAULT_PRIOR = 0.8
DEFAULT_FACT_THRESHOLD = 0.9
MIN_SENTENCE_CHARS = 25      # headings and fragments shorter than this are not read
MAX_MODEL_FACTS = 200        # per article: a runaway page cannot flood the store
# The actor a policy action usually has when the sentence names none.
USUAL_ACTOR = {"restrict_purchase": "China", "require_approval": "China"}
DEFAULT_ACTOR = "US"
# The story's subject (chips, their makers, the rules on their trade) and a trade measure:
# an article needs both for the model to add facts, and a model fact needs the subject in
# its sentence or the one before it (STORY_WINDOW).
_STORY = words("story_subject")
_MEASURE = words("trade_measure")
STORY_WINDOW = 1
# Views, guesses, questions and hypotheticals: the model reads policy in them, but they
# state none (CONVENTIONS section 8). Rule facts there pass the rules' own guards instead.
_NOT_STATED = words("not_stated")
# Page furniture that names chips: related-article and caption labels.
_FURNITURE = re.compile(r"^\W*【(?:関連|写真|動画|図|表|画像)")
# What each side can do (DESIGN's vocabulary): Washington does not restrict Chinese
# purchases, Beijing does not license US exports. When the sentence names the acting
# government, the model's action is the best one that government can take.
ACTIONS_OF = {
    "US": ("allow_export", "ban_export", "require_review", "require_approval", "fee",
           "revenue_share", "other"),
    "China": ("restrict_purchase", "require_approval", "other"),
}
# Actions whose facts carry a percentage, and the metric it is stored under.
PERCENT_METRIC = {"fee": "fee_percent", "revenue_share": "revenue_share"}


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def prior_of(model: PolicyModel | None, fact: Fact) -> float:
    """Measured precision of the rule family that produced `fact`: its extractor and action
    (or kind), else the extractor, else every rule fact of that kind (an extractor renamed
    since training)."""
    if model is None:
        return DEFAULT_PRIOR
    table = model.rule_precision
    sub = fact.action if fact.kind == "policy" else fact.kind
    for key in (f"{fact.extractor}:{sub}", fact.extractor, f"kind:{fact.kind}"):
        if key in table:
            return float(table[key])
    return DEFAULT_PRIOR


def rule_confidence(model: PolicyModel, prior: float, scores: Scores, action: str | None) -> float:
    """Logistic blend of the prior with the model's reading of the sentence."""
    c = model.combiner
    if not c:
        return round(prior, 4)
    z = (c.get("rule_bias", 0.0) + c.get("rule_prior", 1.0) * _logit(prior)
         + c.get("rule_policy", 0.0) * _logit(scores.get(POLICY, 0.5))
         + c.get("rule_action", 0.0) * _logit(scores.get(action or "", 0.5)))
    return round(_sigmoid(z), 4)


def model_confidence(model: PolicyModel, scores: Scores, action: str) -> float:
    c = model.combiner
    if not c:
        return round(scores.get(POLICY, 0.0) * scores.get(action, 0.0), 4)
    z = (c.get("model_bias", 0.0) + c.get("model_policy", 1.0) * _logit(scores.get(POLICY, 0.5))
         + c.get("model_action", 0.0) * _logit(scores.get(action, 0.5)))
    return round(_sigmoid(z), 4)


def model_actions(model: PolicyModel, scores: Scores) -> list[str]:
    """The actions the model reads in a sentence, or none when it is not sure of policy."""
    if scores.get(POLICY, 0.0) < model.thresholds.get("fact", DEFAULT_FACT_THRESHOLD):
        return []
    ranked = sorted((a for a in ACTIONS if a in scores), key=lambda a: -scores[a])
    if not ranked:
        return []
    extra = model.thresholds.get("extra_action", 1.01)
    return [ranked[0]] + [a for a in ranked[1:] if scores[a] >= extra]


def apply(text: str, facts: list[Fact], model: PolicyModel | None) -> list[Fact]:
    """Confidence for every fact; model facts added. Offsets always index `text`.

    Without a model the facts stay unscored (None): a made-up number would let a floor
    such as [alerts] min_confidence drop facts for no measured reason."""
    if model is None:
        return facts
    sentences = [s for s in split_sentences(text)]
    starts = [s.start for s in sentences]
    cache: dict[int, SentenceScores] = {}

    def scores_at(i: int) -> SentenceScores:
        if i not in cache:
            cache[i] = model.reader(sentences[i].text)
        return cache[i]

    def sentence_of(pos: int) -> int | None:
        i = bisect.bisect_right(starts, pos) - 1
        return i if 0 <= i < len(sentences) and pos < sentences[i].end else None

    with_policy: dict[int, set[str]] = {}
    for f in facts:
        prior = prior_of(model, f)
        if f.kind != "policy":
            f.confidence = round(prior, 4)
            continue
        i = sentence_of(f.char_start)
        if i is None:
            f.confidence = round(prior, 4)
            continue
        with_policy.setdefault(i, set()).add(f.action or "other")
        f.confidence = rule_confidence(model, prior, scores_at(i), f.action)

    added: list[Fact] = []
    topical = on_topic(text)
    about: dict[int, bool] = {}
    with_chip: set[int | None] = set()

    def near_story(i: int) -> bool:
        """Whether sentence i or one of the STORY_WINDOW before it names the story's subject
        (a chip: the article's chip mentions, found once for the whole text, by sentence)."""
        if not about:
            with_chip.update(sentence_of(m.start) for m in find_chips(text))
        for j in range(max(0, i - STORY_WINDOW), i + 1):
            if j not in about:
                about[j] = j in with_chip or bool(_STORY.search(sentences[j].text))
            if about[j]:
                return True
        return False

    for i, sent in enumerate(sentences):
        if len(sent.text) < MIN_SENTENCE_CHARS or len(added) >= MAX_MODEL_FACTS:
            continue
        if i in with_policy:
            if model.thresholds.get("covered", 1.01) > 1.0:
                continue  # switched off: skip scoring sentences the rules already read
            scores = scores_at(i)
            for action in extra_actions(model, scores, with_policy[i]):
                added.extend(sentence_facts(text, sent, action, scores, model, covered=True))
            continue
        if model.thresholds.get("fact", DEFAULT_FACT_THRESHOLD) > 1.0:
            continue  # switched off by the training script's cross-validation
        if not topical:
            break  # nothing in the article is about chips or exports: not worth scoring
        if not near_story(i):
            continue  # a policy-like sentence far from any chip: not this story's policy
        scores = scores_at(i)
        actions = model_actions(model, scores)
        if not actions or not stated(sent.text):
            continue
        allowed = acting(sent.text)
        if allowed is not None:
            actions = fitting_actions(actions, scores, allowed)
        for action in actions:
            added.extend(sentence_facts(text, sent, action, scores, model))
    return facts + added[:MAX_MODEL_FACTS]


def stated(sentence: str) -> bool:
    """Whether a sentence can state policy as fact: not a view, guess, question or
    hypothetical, nor a related-article label."""
    return not (_NOT_STATED.search(sentence) or _FURNITURE.match(sentence))


def fitting_actions(actions: list[str], scores: Scores, allowed: tuple[str, ...]) -> list[str]:
    """The model's actions that the named government can take; when none can, the one it
    can take that the model scores highest."""
    kept = [a for a in actions if a in allowed]
    if kept:
        return kept
    best = max((a for a in allowed if a in scores), key=lambda a: scores[a], default=None)
    return [best] if best is not None else []


def on_topic(text: str) -> bool:
    """Whether an article can be about this story: it names the story's subject (a chip,
    chips, their makers, export controls) and some trade measure (exports, licences, bans,
    customs; 輸出, 規制, 許可 ...). Most pages a feed brings are not: scoring their sentences
    would cost time, and a model that reads policy in a rate rise would invent facts."""
    return bool((_STORY.search(text) or find_chips(text)) and _MEASURE.search(text))


def acting(sentence: str) -> tuple[str, ...] | None:
    """The actions open to the government a sentence names first, None when it names none."""
    return ACTIONS_OF.get(actor_family(sentence_actor(sentence, 0)) or "")


def extra_actions(model: PolicyModel, scores: Scores, found: set[str]) -> list[str]:
    """In a sentence the rules read: the one further action the model is sure of, if any
    (its joint probability, policy x action, above the `covered` threshold)."""
    cut = model.thresholds.get("covered", 1.01)
    policy = scores.get(POLICY, 0.0)
    best = max((a for a in ACTIONS if a in scores and a not in found),
               key=lambda a: scores[a], default=None)
    return [best] if best is not None and policy * scores[best] >= cut else []


def sentence_facts(text: str, sent: Span, action: str, scores: Scores,
                   model: PolicyModel, covered: bool = False) -> list[Fact]:
    """One fact per chip named in the quote (CONVENTIONS section 2), chip null if none."""
    quote = shortest_span(text, sent, action, model)
    chips = _unique_chips(quote.text)
    actor = sentence_actor(sent.text, quote.start - sent.start) or USUAL_ACTOR.get(action, DEFAULT_ACTOR)
    confidence = model_confidence(model, scores, action)
    extra = {"model_policy": round(scores.get(POLICY, 0.0), 4),
             "model_action": round(scores.get(action, 0.0), 4), "covered": covered}
    metric, value = percent_of(quote.text, action)
    unit = "%" if value is not None else None
    bounds = thresholds_of(quote.text) if action in THRESHOLD_ACTIONS else []
    if bounds:
        # A rule's line ("TPP of 4,800 or more") is about a class of parts: chip null,
        # one fact per line (CONVENTIONS sections 5.7 and 9).
        return [Fact(kind="policy", quote=quote.text, char_start=quote.start, char_end=quote.end,
                     extractor=NAME, extractor_version=VERSION, chip=None, actor=actor,
                     action=action, metric=m, value=v, unit=None, confidence=confidence,
                     extra=dict(extra)) for m, v in bounds]
    return [
        Fact(kind="policy", quote=quote.text, char_start=quote.start, char_end=quote.end,
             extractor=NAME, extractor_version=VERSION, chip=chip, actor=actor, action=action,
             metric=metric, value=value, unit=unit, confidence=confidence, extra=dict(extra))
        for chip in (list(chips) if chips else [None])
    ]


def percent_of(quote: str, action: str) -> tuple[str | None, float | None]:
    """A fee or revenue share states its rate: the first percentage in the quote."""
    metric = PERCENT_METRIC.get(action)
    if metric is None:
        return None, None
    for q in find_quantities(quote):
        if q.unit == "%" and 0 < q.value <= 100:
            return metric, q.value
    return metric, None


def shortest_span(text: str, sent: Span, action: str, model: PolicyModel) -> Span:
    """The shortest clause the model still reads as this action, else the sentence."""
    parts = clauses(text, sent)
    if len(parts) <= 1:
        return sent
    keep = model.thresholds.get("clause", 0.5)
    best: Span | None = None
    for part in parts:
        if len(part.text) < MIN_SENTENCE_CHARS:
            continue
        s = model.reader(part.text)
        if s.get(POLICY, 0.0) >= keep and s.get(action, 0.0) >= keep:
            if best is None or len(part.text) < len(best.text):
                best = part
    return best or sent


def _unique_chips(span_text: str) -> list[str]:
    seen: list[str] = []
    for m in find_chips(span_text):
        if m.chip not in seen:
            seen.append(m.chip)
    return seen


def sentence_actor(sentence: str, before: int) -> str | None:
    """The acting government: named in subject position, the last one before the quoted
    clause (else the first after it). Companies are left out: a policy sentence's company
    is nearly always the one acted upon."""
    govs = [m for m in find_actors(sentence)
            if m.subject_ok and not m.possessive and actor_type(m.actor) == "government"]
    if not govs:
        return None
    ahead = [m for m in govs if m.start <= before]
    return ahead[-1].actor if ahead else govs[0].actor
