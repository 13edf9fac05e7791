"""Policy extraction measured on the ninth held-out set (tests/data/heldout9).

These articles were written in the plain style of wire and tech-press reporting and
labeled before the rules were changed for them (first score with v10: P 0.828 / R 0.684).
Only the policy family is scored, with the policy extractor alone.

Run the bench for a listing of misses and false alarms:
    python bench/extract_eval.py tests/data/heldout9 --show-misses
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
HELDOUT9 = REPO / "tests" / "data" / "heldout9"

PRECISION_TARGET = 0.90
RECALL_TARGET = 0.88

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


def test_heldout9_set_is_well_formed() -> None:
    labeled = ev.load_set(HELDOUT9)  # raises when a quote is not in its document
    assert len(labeled.texts) >= 5
    policy = [g for g in labeled.gold if g["kind"] == "policy"]
    assert len(policy) >= 35
    assert {g["action"] for g in policy} <= set(ACTIONS)
    for g in policy:
        assert g["actor"] in ACTOR_INFO, g
    for doc, text in labeled.texts.items():
        if len(_CJK.findall(text)) > 100:  # Japanese: no spaces, count characters
            assert 150 <= len(text) <= 900, (doc, len(text))
        else:
            words = len(text.split())
            assert 100 <= words <= 180, (doc, words)


def test_policy_heldout9_precision_and_recall() -> None:
    labeled = ev.load_set(HELDOUT9)
    run = ev.run_extractor(labeled, extract_policy)
    assert not run.errors, run.errors
    assert not run.bad_offsets, run.bad_offsets[:3]
    counts = ev.score(labeled.gold, run.predicted).family("policy")
    assert counts.predicted > 0
    assert counts.recall >= RECALL_TARGET, f"recall {counts.recall:.3f}"
    assert counts.precision >= PRECISION_TARGET, f"precision {counts.precision:.3f}"


def _facts(sentence: str) -> set[tuple[str, str | None]]:
    return {(f.action, f.chip) for f in extract_policy(sentence)}


def test_permission_to_approved_customers_gives_both_facts() -> None:
    got = _facts("The president said Nvidia could sell the H100 to approved customers abroad.")
    assert ("allow_export", "H100") in got
    assert ("require_approval", "H100") in got


def test_second_refusal_in_one_sentence_is_its_own_fact() -> None:
    facts = [f for f in extract_policy(
        "B30A boards remain off limits, and no licences will be granted for them, officials said.")
        if f.action == "ban_export"]
    assert len(facts) == 2
    assert any(f.quote.startswith("no licences") for f in facts)


def test_headline_state_belongs_to_its_subject() -> None:
    got = _facts("Rubin stays off the table as H20 heads to China")
    assert ("ban_export", "Rubin") in got
    assert ("allow_export", "H20") in got
    assert ("ban_export", "H20") not in got


def test_same_arrangement_shares_the_money_term() -> None:
    got = [f for f in extract_policy(
        "AMD may sell the MI308 again, on the same arrangement Nvidia accepted for the H20: "
        "a 15% cut of revenue paid to the government.") if f.action == "revenue_share"]
    assert {f.chip for f in got} == {"H20", "MI308"}
    assert all(f.value == 15 for f in got)


def test_single_buyer_licence_is_no_permission() -> None:
    assert not _facts("Every licence covers one customer and expires after a year.")
