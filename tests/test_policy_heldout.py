"""Policy extraction measured on the held-out set (tests/data/heldout).

The held-out articles were written and labeled before the extractor was tuned on them, so
this score says how far the rules carry to phrasing they were not built on. The scoring
rule is the one in bench/extract_eval.py (the dev set's README rule); only the policy
family is checked here, with the policy extractor alone so that a change elsewhere cannot
move it.

Run the bench for a listing of misses and false alarms:
    python bench/extract_eval.py tests/data/heldout --show-misses
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from chipwatch.extractors.actors import ACTOR_INFO
from chipwatch.extractors.facts import ACTIONS
from chipwatch.extractors.policy import extract_policy

REPO = Path(__file__).resolve().parents[1]
HELDOUT = REPO / "tests" / "data" / "heldout"

PRECISION_TARGET = 0.90
RECALL_TARGET = 0.80


def _load_bench() -> ModuleType:
    """bench/ is a folder of scripts, not a package: load the scorer from its path."""
    name = "chipwatch_bench_extract_eval"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / "extract_eval.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


ev = _load_bench()


def test_heldout_set_is_well_formed() -> None:
    labeled = ev.load_set(HELDOUT)  # raises when a quote is not in its document
    assert len(labeled.texts) >= 12
    policy = [g for g in labeled.gold if g["kind"] == "policy"]
    assert len(policy) >= 80
    assert {g["action"] for g in policy} == set(ACTIONS)  # every action is exercised
    for g in policy:
        assert g["actor"], g
    for doc, text in labeled.texts.items():
        words = len(text.split())
        assert 150 <= words <= 350, (doc, words)


def test_heldout_actors_are_known_or_countries() -> None:
    labeled = ev.load_set(HELDOUT)
    for g in labeled.gold:
        if g["kind"] == "policy":
            assert g["actor"] in ACTOR_INFO, g["actor"]


def test_policy_heldout_precision_and_recall() -> None:
    labeled = ev.load_set(HELDOUT)
    run = ev.run_extractor(labeled, extract_policy)
    assert not run.errors, run.errors
    assert not run.bad_offsets, run.bad_offsets[:3]
    counts = ev.score(labeled.gold, run.predicted).family("policy")
    assert counts.predicted > 0
    assert counts.recall >= RECALL_TARGET, f"recall {counts.recall:.3f}"
    assert counts.precision >= PRECISION_TARGET, f"precision {counts.precision:.3f}"
