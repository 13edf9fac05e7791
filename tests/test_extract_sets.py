"""Extraction measured on every labeled set, with the scorer of bench/extract_eval.py.

Each set is real-style news in the project's own words (tests/data/*), labeled with the
conventions of ../shared/corpus/dev/README.md; the dev set itself is real news and is
scored when ../shared is present. The thresholds are what each family reaches on each
set; the held-out READMEs keep the first (unseen) scores, the honest guide to new news.

For a listing of misses and false alarms:
    python bench/extract_eval.py tests/data/heldout4 --show-misses
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chipwatch.extractors import extract_facts
from chipwatch.extractors.actors import ACTOR_INFO
from chipwatch.extractors.facts import ACTIONS, KINDS, METRICS
from conftest import REPO, SHARED, extract_eval

ev = extract_eval()
DATA = REPO / "tests" / "data"

# set -> {family: (precision at least, recall at least)}. Sets brought under
# ../shared/corpus/CONVENTIONS.md on 2026-12-07 are held at what the extractors reach on the
# relabeled gold (restatements count once, adjectival mentions are no longer facts).
TARGETS: dict[str, dict[str, tuple[float, float]]] = {
    "gold": {"figures": (1.00, 1.00), "policy": (0.95, 0.92)},
    "heldout": {"figures": (1.00, 0.96), "policy": (0.83, 0.91)},
    "heldout2": {"figures": (0.98, 0.98)},
    "heldout3": {"policy": (0.77, 0.90)},
    "heldout4": {"figures": (1.00, 0.96)},
    "heldout5": {"policy": (0.75, 0.87)},
    "heldout6": {"policy": (0.82, 0.90)},
    "heldout7": {"policy": (0.89, 0.84)},
    "heldout8": {"figures": (1.00, 0.97)},
    "heldout9": {"policy": (0.88, 1.00)},
    "heldout11": {"figures": (1.00, 1.00)},
    "heldout10": {"policy": (0.90, 0.96)},
    "heldout12": {"policy": (0.90, 0.96)},
    "heldout13": {"figures": (0.97, 0.94)},
    "heldout14": {"policy": (0.90, 0.72)},
    "heldout16": {"policy": (0.85, 0.80)},
    "heldout15": {"figures": (0.96, 1.00)},
    "heldout17": {"policy": (0.88, 0.95)},
    "heldout18": {"figures": (0.97, 1.00)},
    "heldout19": {"policy": (0.87, 0.96)},
    "heldout20": {"policy": (0.82, 0.85)},
    "heldout21": {"figures": (1.00, 1.00)},
    "heldout22": {"policy": (0.90, 0.94)},
    "heldout23": {"figures": (1.00, 0.95)},
    "heldout26": {"figures": (1.00, 1.00)},
    # Once blind, now seen: their figure and policy misses were read for kinds of misses in
    # the rounds of 2026-12-07; each rule written then is general and tested on our own
    # sentences (tests/cases/), none on their text.
    "heldout24": {"figures": (0.94, 0.85), "policy": (0.77, 0.78)},
    "heldout25": {"figures": (0.91, 0.85), "policy": (0.84, 0.78)},
    # Training material for the policy model (policy facts only; first sight in their READMEs).
    "train01": {"policy": (0.86, 0.88)},
    "train02": {"policy": (0.91, 0.87)},
    "train03": {"figures": (0.73, 0.62), "policy": (0.83, 0.72)},
    "train04": {"figures": (0.76, 0.90), "policy": (0.82, 0.68)},
    # Blind test sets: written and labeled elsewhere, scored at first sight and once after the
    # round of 2026-12-07; no rule was written from them and the policy model never trains on
    # them. Held at what they score after that round (their READMEs keep both scores).
    "heldout27": {"figures": (0.82, 0.71), "policy": (0.77, 0.74)},
    "heldout28": {"figures": (0.83, 0.73), "policy": (0.78, 0.75)},
    # The real dev set (20 articles; the rules were checked against it this round).
    "dev": {"figures": (1.00, 0.94), "policy": (0.91, 0.91)},
}
CASES = [(name, fam, *pr) for name, fams in TARGETS.items() for fam, pr in fams.items()]


def set_path(name: str) -> Path:
    if name == "dev":
        path = SHARED / "corpus" / "dev"
        if not path.exists():
            pytest.skip(f"{path} not present")
        return path
    return DATA / name


_RUNS: dict[str, tuple[object, object]] = {}


def run(name: str):  # noqa: ANN201 - (labeled set, extractor run), cached per set
    if name not in _RUNS:
        labeled = ev.load_set(set_path(name))  # raises when a quote is not in its document
        _RUNS[name] = (labeled, ev.run_extractor(labeled, extract_facts))
    return _RUNS[name]


@pytest.mark.parametrize("name", [n for n in TARGETS if n != "dev"])
def test_set_is_well_formed(name: str) -> None:
    labeled, _ = run(name)
    assert len(labeled.texts) >= 4 and labeled.gold
    for g in labeled.gold:
        assert g["kind"] in KINDS, g
        if g["kind"] == "policy":
            assert g["action"] in ACTIONS and g["actor"] in ACTOR_INFO, g
        else:
            assert g["metric"] in METRICS, g
        if g["kind"] == "chip_comparison":
            # a lag between unnamed sides has no chip on either side (CONVENTIONS 5.5)
            assert g["value"] >= 1 and (g["relative_to"] or g["metric"] == "lag_months"), g


@pytest.mark.parametrize("name,family,precision,recall", CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_extractors_reach_their_scores(name: str, family: str, precision: float, recall: float) -> None:
    labeled, result = run(name)
    assert not result.errors, result.errors
    assert not result.bad_offsets, result.bad_offsets[:3]
    counts = ev.score(labeled.gold, result.predicted).family(family)
    assert counts.predicted > 0
    assert counts.precision >= precision, f"{name} {family} precision {counts.precision:.3f}"
    assert counts.recall >= recall, f"{name} {family} recall {counts.recall:.3f}"
