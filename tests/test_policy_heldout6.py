"""Policy extraction measured on the sixth held-out set (tests/data/heldout6).

These articles were written in the plain style of wire and tech-press reporting and
labeled before the rules were changed for them; q11b-q13b were scored before any change
after the round. Only the policy family is scored, with the policy extractor alone.

Run the bench for a listing of misses and false alarms:
    python bench/extract_eval.py tests/data/heldout6 --show-misses
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

from chipwatch.extractors.actors import ACTOR_INFO
from chipwatch.extractors.facts import ACTIONS
from chipwatch.extractors.policy import extract_policy

REPO = Path(__file__).resolve().parents[1]
HELDOUT6 = REPO / "tests" / "data" / "heldout6"

PRECISION_TARGET = 0.90
RECALL_TARGET = 0.85

_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


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


def test_heldout6_set_is_well_formed() -> None:
    labeled = ev.load_set(HELDOUT6)  # raises when a quote is not in its document
    assert len(labeled.texts) >= 13
    policy = [g for g in labeled.gold if g["kind"] == "policy"]
    assert len(policy) >= 80
    assert {g["action"] for g in policy} <= set(ACTIONS)
    for g in policy:
        assert g["actor"] in ACTOR_INFO, g
    for doc, text in labeled.texts.items():
        if len(_CJK.findall(text)) > 100:  # Japanese: no spaces, count characters
            assert 150 <= len(text) <= 900, (doc, len(text))
        else:
            words = len(text.split())
            assert 120 <= words <= 320, (doc, words)


def test_policy_heldout6_precision_and_recall() -> None:
    labeled = ev.load_set(HELDOUT6)
    run = ev.run_extractor(labeled, extract_policy)
    assert not run.errors, run.errors
    assert not run.bad_offsets, run.bad_offsets[:3]
    counts = ev.score(labeled.gold, run.predicted).family("policy")
    assert counts.predicted > 0
    assert counts.recall >= RECALL_TARGET, f"recall {counts.recall:.3f}"
    assert counts.precision >= PRECISION_TARGET, f"precision {counts.precision:.3f}"
