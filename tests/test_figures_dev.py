"""Figures on the real development articles and on the seed analysis.

Scored with the rule of ../shared/corpus/dev/README.md (family figures = chip_figure +
chip_comparison; same chip when both name one, same metric, value within 1 %, overlapping
quotes). Skips when ../shared is not next to the repository.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chipwatch.extractors.facts import Fact
from chipwatch.extractors.figures import extract_figures

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV = SHARED / "corpus" / "dev"
SEED = SHARED / "seed" / "000_c0af82ac1ffc463f.txt"
FIGURE_KINDS = ("chip_figure", "chip_comparison")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"


def article_text(path: Path) -> str:
    """The text after the `URL:`/`OUTLET:` header and its blank line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines) and lines[i].startswith(("URL:", "OUTLET:")):
        i += 1
    if i < len(lines) and not lines[i].strip():
        i += 1
    return "\n".join(lines[i:])


def words(s: str) -> set[str]:
    return set(re.findall(rf"[{_CJK}]|[^\W{_CJK}]+", s.lower()))


def quotes_overlap(a: str, b: str) -> bool:
    if a in b or b in a:
        return True
    wa, wb = words(a), words(b)
    return bool(wa and wb) and len(wa & wb) >= 0.5 * min(len(wa), len(wb))


def matches(gold: dict, fact: Fact) -> bool:
    if fact.kind not in FIGURE_KINDS:
        return False
    if gold["chip"] and fact.chip and gold["chip"] != fact.chip:
        return False
    if gold["metric"] != fact.metric:
        return False
    if gold.get("value") is not None:
        if fact.value is None or abs(fact.value - gold["value"]) > 0.01 * abs(gold["value"]):
            return False
    return quotes_overlap(gold["quote"], fact.quote)


def score(gold_dir: Path) -> tuple[float, float, list[str]]:
    gold = [json.loads(line) for line in (gold_dir / "gold.jsonl").read_text().splitlines()
            if line.strip()]
    gold = [g for g in gold if g["kind"] in FIGURE_KINDS]
    docs = sorted({g["doc"] for g in gold} | {p.name for p in gold_dir.glob("*.txt")})
    found = predicted = correct = 0
    problems: list[str] = []
    for doc in docs:
        text = article_text(gold_dir / doc)
        facts = extract_figures(text)
        doc_gold = [g for g in gold if g["doc"] == doc]
        for f in facts:
            assert text[f.char_start:f.char_end] == f.quote
            predicted += 1
            if any(matches(g, f) for g in doc_gold):
                correct += 1
            else:
                problems.append(f"extra {doc}: {f.chip} {f.metric} {f.value} | {f.quote}")
        for g in doc_gold:
            if any(matches(g, f) for f in facts):
                found += 1
            else:
                problems.append(f"missed {doc}: {g['chip']} {g['metric']} {g['value']} | {g['quote']}")
    precision = correct / predicted if predicted else 1.0
    recall = found / len(gold) if gold else 1.0
    return precision, recall, problems


def test_scorer_rule_on_known_pairs() -> None:
    gold = {"chip": "H200", "metric": "tpp", "value": 15840, "quote": "a TPP of 15,840"}
    good = Fact("chip_figure", "the H200 has a TPP of 15,840", 0, 1, "x", "1", chip="H200",
                metric="tpp", value=15840)
    assert matches(gold, good)
    assert not matches(gold, Fact("chip_figure", "a TPP of 15,840", 0, 1, "x", "1",
                                  chip="H20", metric="tpp", value=15840))
    assert not matches(gold, Fact("chip_figure", "a TPP of 15,840", 0, 1, "x", "1",
                                  chip="H200", metric="tpp", value=16840))
    assert not matches(gold, Fact("chip_figure", "an unrelated sentence here", 0, 1, "x", "1",
                                  chip="H200", metric="tpp", value=15840))


def test_dev_set_figures_reach_targets() -> None:
    if not (DEV / "gold.jsonl").is_file():
        pytest.skip("../shared/corpus/dev is not present")
    precision, recall, problems = score(DEV)
    assert precision >= 0.95 and recall >= 0.90, "\n".join(problems)


def test_seed_yields_the_baseline_figures() -> None:
    if not SEED.is_file():
        pytest.skip("../shared/seed is not present")
    text = SEED.read_text(encoding="utf-8")
    facts = extract_figures(text)
    for f in facts:
        assert text[f.char_start:f.char_end] == f.quote
    got = {(f.kind, f.chip, f.metric, f.value, f.relative_to) for f in facts}
    assert ("chip_comparison", "H200", "performance_ratio", 6.0, "H20") in got  # B05
    assert ("chip_figure", "H200", "tpp", 15840.0, None) in got  # B06
    assert ("chip_figure", "Ascend 910C", "tpp", 12032.0, None) in got  # B07
    assert ("chip_figure", "H200", "lag_months", 18.0, None) in got  # B14
    b05 = next(f for f in facts if f.kind == "chip_comparison" and f.relative_to == "H20")
    assert b05.approx is True  # 約6倍
