"""The sentence features and the model's scores equal those of a plain reference
implementation, to the last bit, on every labeled sentence."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from chipwatch.extractors.language.sentences import split_sentences
from chipwatch.extractors.learned import features
from chipwatch.extractors.learned.cues import cue_groups
from chipwatch.extractors.learned.model import shipped_model

DATA = Path(__file__).resolve().parent / "data"


def reference_features(sentence: str) -> Counter[str]:
    """Words, bigrams, character 4-grams of each word padded with < and >, cue groups."""
    toks = features.tokens(sentence)
    names = ["w:" + t for t in toks]
    names += ["b:" + a + " " + b for a, b in zip(toks, toks[1:])]
    for t in toks:
        padded = "<" + t + ">"
        if len(padded) > features.CHAR_N:
            names += ["c:" + padded[i:i + features.CHAR_N]
                      for i in range(len(padded) - features.CHAR_N + 1)]
    names += ["q:" + g for g in cue_groups(sentence[:features.MAX_SENTENCE_CHARS].casefold())]
    return Counter(names)


def reference_scores(model, sentence: str) -> dict[str, float]:
    """Tf-idf (sublinear), L2-normalised, one logistic model per class: the sums in the
    features' first-seen order, as the model computes them."""
    vals = []
    for name, count in reference_features(sentence).items():
        i = model.index.get(name)
        if i is not None:
            vals.append((i, model.idf[i] if count == 1 else (1.0 + math.log(count)) * model.idf[i]))
    norm = 0.0
    for _, x in vals:
        norm += x * x
    scale = 1.0 / math.sqrt(norm) if norm > 0 else 0.0
    out = {}
    for c, cls in enumerate(model.classes):
        z = model.intercepts[c] + sum(model.weights[i][c] * (x * scale) for i, x in vals)
        out[cls] = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
    return out


def labeled_sentences() -> list[str]:
    return [s.text for p in sorted(DATA.glob("*/*.txt"))
            for s in split_sentences(p.read_text(encoding="utf-8"))]


def test_features_equal_the_reference_in_order() -> None:
    sentences = labeled_sentences()
    assert len(sentences) > 1000
    for sentence in sentences + ["", "H200", "a b", "輸出を禁止する。", "x" * 3000]:
        assert list(features.sentence_features(sentence).items()) == \
            list(reference_features(sentence).items()), sentence


def test_scores_equal_the_reference_to_the_last_bit() -> None:
    model = shipped_model()
    assert model is not None
    sentences = labeled_sentences()
    policy_like = 0
    for sentence in sentences[::3]:
        reader = model.reader(sentence)
        want = reference_scores(model, sentence)
        assert {c: reader.get(c) for c in model.classes} == want, sentence
        policy_like += want["policy"] > 0.5
    assert policy_like > 20


def test_the_token_table_stays_bounded(monkeypatch) -> None:
    monkeypatch.setattr(features, "_MAX_PARTS", 3)
    features._PARTS.clear()
    for word in ("alpha", "beta", "gamma", "delta", "epsilon"):
        features.sentence_features(word)
        assert len(features._PARTS) <= 3
    assert list(features.sentence_features("gamma delta").items()) == \
        list(reference_features("gamma delta").items())


def test_cue_groups_in_one_pass_equal_the_per_group_scan() -> None:
    sentences = [s.casefold() for s in labeled_sentences()]
    sentences += ["no one knows", "no", "nobody knows whether it could", "it is not known",
                  "analysts said it would", "didn't", "do n't", "o'no", "not_", "in case",
                  "options ranged from", "said?", "“quoted”", "may-be", "ifs", "if"]
    seen: set[str] = set()
    for sentence in sentences:
        got = features._cue_groups(sentence)
        assert got == cue_groups(sentence), sentence
        seen.update(got)
    assert seen >= {"condition", "modal", "opinion", "report", "negation", "question", "quoted"}


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["no", " one", " knows", "not", "n't", "'", "if", "s", " ",
                                 "said", "analysts", " say", "may", "be", "_", "é", "?", "\""]),
                max_size=14).map("".join))
def test_cue_groups_on_random_text(text: str) -> None:
    assert features._cue_groups(text) == cue_groups(text)
