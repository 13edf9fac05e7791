"""The policy sentence model: the shipped file, its scores, and how it combines with the rules.

The sentences here are written for this test (not taken from any labeled set), in
phrasings the rules were not written for.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import subprocess
import sys

import pytest

from chipwatch.extractors import EXTRACTORS, extract_facts, rule_facts
from chipwatch.extractors.learned import combine
from chipwatch.extractors.learned.model import MODEL_FILE, MODEL_VERSION, read_model, shipped_model
from conftest import REPO

POLICY_SENTENCES = [
    ("Regulators in Beijing instructed state-owned telecom carriers to phase out foreign "
     "accelerators from their server rooms by 2027.", "restrict_purchase"),
    ("Washington quietly stopped issuing licences for shipments of the MI308 to Chinese "
     "cloud firms.", "ban_export"),
    ("Chinese customs officers have been turning back consignments of Nvidia's RTX Pro 6000D "
     "at the border.", "restrict_purchase"),
    ("The Commerce Department will keep the Rubin generation off the table for Chinese "
     "buyers.", "ban_export"),
    ("Each H200 export will be screened by officials before it leaves the country.",
     "require_review"),
    ("The Commerce Department will let AMD ship its MI308 to approved customers in China.",
     "allow_export"),
]
HEDGED_SENTENCES = [
    "Analysts asked whether the US might one day ban exports of the H200 to China.",
    "Critics argue Washington should ban exports of the H200 to China.",
    "If the White House decided to ban the H200, Nvidia might lose billions.",
    "Options on the table ranged from selling nothing to selling everything.",
    "Some analysts think the administration ought to block the H200 outright.",
    # (an approval still uncertain is a fact, CONVENTIONS section 6; a ban in doubt is not)
    "It remains unclear whether the rules would force companies to stop buying the chip.",
]
NOT_POLICY = [
    "Nvidia reported record revenue in its data center business last quarter.",
    "The chip pairs 141GB of HBM3e with 4.8TB/s of memory bandwidth.",
]


@pytest.fixture(scope="module")
def model():
    m = shipped_model()
    assert m is not None, f"{MODEL_FILE} is missing"
    return m


def test_the_shipped_file_says_what_it_was_trained_on(model):
    raw = json.loads(gzip.decompress(MODEL_FILE.read_bytes()))
    assert raw["version"] == MODEL_VERSION == model.version
    trained = raw["trained_on"]
    assert trained["sets"] and "heldout24" not in trained["sets"]
    assert "heldout24" in trained["excluded"]
    assert trained["counts"]["sentences"] > 1000 and trained["counts"]["policy_sentences"] > 100
    assert trained["date"] and raw["hyper"]["C"] > 0
    per_class = raw["cv"]["per_class_at_0.5"]
    assert set(per_class) == set(model.classes)
    assert per_class["policy"]["f1"] > 0.7  # the cross-validated score the file records
    assert 0 < model.thresholds["fact"] <= 1.01  # above 1: model facts are off
    assert MODEL_FILE.stat().st_size < 1_000_000  # small enough to ship in the package


def test_scores_are_probabilities_and_deterministic(model):
    sentence = POLICY_SENTENCES[0][0]
    first = model.scores(sentence)
    assert set(first) == set(model.classes)
    assert all(0.0 <= p <= 1.0 for p in first.values())
    assert model.scores(sentence) == first
    assert read_model(MODEL_FILE).scores(sentence) == first  # a fresh read, the same numbers
    assert model.scores("") == model.scores("   ")  # no features: intercepts only


def test_policy_sentences_score_above_hedges_and_other_news(model):
    policy = [model.scores(s)["policy"] for s, _ in POLICY_SENTENCES]
    hedged = [model.scores(s)["policy"] for s in HEDGED_SENTENCES]
    other = [model.scores(s)["policy"] for s in NOT_POLICY]
    assert min(policy) > max(other)
    assert sum(policy) / len(policy) - sum(hedged) / len(hedged) > 0.3
    assert sum(p >= 0.5 for p in policy) >= len(policy) - 1


# Phrasings no rule knew when this was written; the model reads the action.
MODEL_ONLY_SENTENCES = [
    ("Under the new arrangement, the government will pocket a quarter of every dollar Nvidia "
     "earns from H200 sales in China.", "fee"),
    ("Beijing's planners have told provincial data centres that imported accelerators will no "
     "longer qualify for subsidies.", "restrict_purchase"),
    ("The White House will let the chips flow, but only to buyers it has cleared.", "allow_export"),
    ("Customs in Shanghai has been told to hold any shipment of the RTX Pro 6000D at the border.",
     "restrict_purchase"),
]


def test_the_pipeline_finds_unseen_phrasings_with_their_action():
    found = 0
    for sentence, action in POLICY_SENTENCES:
        facts = [f for f in extract_facts(sentence) if f.kind == "policy"]
        found += action in {f.action for f in facts}
        for f in facts:
            assert 0.0 <= f.confidence <= 1.0
    assert found >= len(POLICY_SENTENCES) - 1


# An article's opening that names a trade measure: the model adds facts only in articles
# about chips and their trade (combine.on_topic).
LEAD = "Export rules for AI hardware changed again this week. "


def test_the_model_reads_phrasings_the_rules_miss(model):
    on = dataclasses.replace(model, thresholds={**model.thresholds, "fact": 0.7})
    for sentence, action in MODEL_ONLY_SENTENCES:
        text = LEAD + sentence
        facts = [f for f in combine.apply(text, [], on)  # as if the rules had found nothing
                 if f.char_start >= len(LEAD)]
        assert [f.action for f in facts] == [action], sentence
        for f in facts:
            assert text[f.char_start:f.char_end] == f.quote


def test_the_model_adds_nothing_off_the_story(model):
    """A policy-like sentence is this story's only in an article about chips and their
    trade, near a chip word: a central bank's rate rise is not a ban, whatever the model
    reads in it."""
    eager = dataclasses.replace(model, thresholds={**model.thresholds, "fact": 0.3})
    rates = ("The central bank raised interest rates on Wednesday and signalled a faster pace "
             "of increases next year. Officials said the move would curb borrowing.")
    assert not [f for f in combine.apply(rates, [], eager) if f.extractor == combine.NAME]
    assert not combine.on_topic(rates)
    # about chips but far from them: the fourth sentence has no chip word in reach
    far = ("Washington tightened export rules for Nvidia's H200 on Monday. Markets fell. "
           "Oil rose. Bond yields climbed. The government will pocket a quarter of every "
           "dollar earned from the sales.")
    facts = [f for f in combine.apply(far, [], eager) if f.extractor == combine.NAME]
    assert all(f.char_start < far.index("The government") for f in facts)
    near = far.replace("Markets fell. Oil rose. Bond yields climbed. ", "")
    assert [f for f in combine.apply(near, [], eager)
            if f.extractor == combine.NAME and f.char_start >= near.index("The government")]


def test_hedged_sentences_give_no_fact_or_a_weak_one():
    from chipwatch.monitor.config import DEFAULT_ALERT_MIN_CONFIDENCE

    for sentence in HEDGED_SENTENCES:
        for f in extract_facts(sentence):
            assert f.kind != "policy" or f.confidence < DEFAULT_ALERT_MIN_CONFIDENCE, (sentence, f)


def test_the_model_adds_a_fact_the_rules_miss(model):
    text = ("Chip export sales resumed in March. Under the new arrangement, the government will "
            "pocket a quarter of every dollar Nvidia earns from H200 sales in China.")
    eager = dataclasses.replace(model, thresholds={**model.thresholds, "fact": 0.5})
    # the rules' figures only: a policy fact of theirs would (rightly) keep the model out
    figures_only = [f for f in rule_facts(text) if f.kind != "policy"]
    fee_at = text.index("Under")  # the fee sentence (the model may also read the first one)
    facts = [f for f in combine.apply(text, figures_only, eager)
             if f.extractor == combine.NAME and f.char_start >= fee_at]
    assert len(facts) == 1, "the model read no policy in the fee sentence"
    f = facts[0]
    assert text[f.char_start:f.char_end] == f.quote
    assert f.action == "fee" and f.chip == "H200" and f.actor == "US"
    assert f.extractor_version == EXTRACTORS[combine.NAME]
    assert 0.0 < f.confidence < 1.0
    # the shipped threshold is stricter than this model's reading of the sentence
    strict = dataclasses.replace(model, thresholds={**model.thresholds, "fact": 0.99})
    assert not [f for f in combine.apply(text, [], strict) if f.extractor == combine.NAME]


def test_the_model_moves_a_rule_facts_confidence(model):
    text = "The US banned exports of the H200 to China."
    rule = [f for f in rule_facts(text) if f.kind == "policy"][0]
    prior = combine.prior_of(model, rule)
    sure = combine.rule_confidence(model, prior, {"policy": 0.99, rule.action: 0.99}, rule.action)
    doubtful = combine.rule_confidence(model, prior, {"policy": 0.01, rule.action: 0.01}, rule.action)
    assert doubtful < prior < sure


def test_every_fact_on_the_labeled_texts_has_exact_offsets_and_a_confidence():
    texts = sorted((REPO / "tests" / "data" / "gold").glob("*.txt"))
    assert texts
    eager = dataclasses.replace(shipped_model(), thresholds={"fact": 0.5, "clause": 0.5})
    seen_model_fact = False
    for path in texts:
        text = path.read_text(encoding="utf-8")
        for f in extract_facts(text, model=eager):
            assert text[f.char_start:f.char_end] == f.quote
            assert f.confidence is not None and 0.0 <= f.confidence <= 1.0
            seen_model_fact |= f.extractor == combine.NAME
    assert seen_model_fact


def test_the_model_is_read_only_when_first_needed():
    code = ("import chipwatch.extractors, chipwatch.monitor.cli\n"
            "from chipwatch.extractors.learned import model\n"
            "assert model._loaded is None\n"
            "chipwatch.extractors.extract_facts('The US banned the H200.')\n"
            "assert model._loaded is not None\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_a_bad_model_does_not_cost_the_rules_facts(model):
    broken = dataclasses.replace(model, weights=[])  # every lookup fails
    text = "The US banned exports of the H200 to China."
    facts = extract_facts(text, model=broken)
    assert [f.action for f in facts if f.kind == "policy"] == ["ban_export"]


def test_without_a_readable_model_facts_stay_unscored(tmp_path, monkeypatch):
    from chipwatch.extractors.learned import model as model_module

    broken = tmp_path / "policy_model.json.gz"
    broken.write_bytes(b"not gzip at all")
    monkeypatch.setattr(model_module, "MODEL_FILE", broken)
    monkeypatch.setattr(model_module, "_loaded", None)
    monkeypatch.setattr(model_module, "_unusable", False)
    facts = extract_facts("The US banned exports of the H200 to China.")
    assert [f.action for f in facts if f.kind == "policy"] == ["ban_export"]
    assert all(f.confidence is None for f in facts)
    assert model_module._unusable  # reported once, not retried on every article


def test_the_model_adds_no_fact_to_views_guesses_and_questions(model):
    eager = dataclasses.replace(model, thresholds={**model.thresholds, "fact": 0.0})
    for text in ("Critics warned that letting the H200 go to China sets a dangerous precedent.",
                 "Analysts expect Washington to block the B30A before it ships.",
                 "Were Beijing to wave the purchases through, Nvidia would regain its market.",
                 "中国がH200の購入を全面的に禁じるかどうかは分からない。",
                 "輸出規制が続けば差はさらに縮まるとの見方もある。",
                 "【関連記事】米国、H20の輸出を許可"):
        assert not combine.stated(text), text
        added = [f for f in combine.apply(text, [], eager) if f.extractor == combine.NAME]
        assert not added, (text, added)
    for text in ("Beijing told state firms to stop buying the H20.",
                 "米政府はH200の輸出を認めた。"):
        assert combine.stated(text), text


def test_a_model_action_fits_the_government_that_acts():
    scores = {"policy": 0.9, "allow_export": 0.6, "restrict_purchase": 0.3, "other": 0.2,
              "require_approval": 0.1}
    china = combine.ACTIONS_OF["China"]
    assert combine.fitting_actions(["allow_export"], scores, china) == ["restrict_purchase"]
    assert combine.fitting_actions(["allow_export"], scores, combine.ACTIONS_OF["US"]) == ["allow_export"]
    assert combine.fitting_actions(["restrict_purchase", "other"], scores, china) == [
        "restrict_purchase", "other"]


def test_a_destination_is_not_the_acting_government():
    assert combine.sentence_actor("Spec sheet season: a China-only Blackwell arrives", 0) is None
    assert combine.sentence_actor("NVIDIAは「A800」を開発し、中国向けに販売した。", 0) is None
    assert combine.sentence_actor("中国はこれまでも米国製チップへの締め付けを強めてきた。", 0) == "China"


def test_a_model_fact_carries_the_performance_line_of_its_rule():
    assert combine.thresholds_of("parts with a TPP of 4,800 or more are barred") == [("tpp", 4800.0)]
    assert combine.thresholds_of("TPPが1600以上で性能密度が5.92以上のチップも対象") == [
        ("tpp", 1600.0), ("performance_density", 5.92)]
    # a chip's own score is a figure, not a line: no bound
    assert combine.thresholds_of("The H200 has a TPP of 15,840.") == []
    assert combine.thresholds_of("prices above 20,000 dollars") == []
