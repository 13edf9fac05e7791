"""Policy extraction measured on the real, labeled development articles.

Scoring follows the rule in the dev set's README: a gold policy fact is found when an
extracted policy fact has the same action, the same chip (when both name one), a value
within 1 % (when the gold has one) and a quote that overlaps the gold quote (one contains
the other, or they share at least half the words of the shorter). Precision counts
extracted facts that match some gold fact.

Run as a script for a per-document listing of misses and false alarms:
    python tests/test_policy_dev.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from chipwatch.extractors.policy import extract_policy

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV = SHARED / "corpus" / "dev"

PRECISION_TARGET = 0.90
RECALL_TARGET = 0.80


def article_body(raw: str) -> str:
    """The text after the URL/OUTLET header and its blank line (gold quotes index this)."""
    lines = raw.split("\n")
    i = 0
    while i < len(lines) and re.match(r"^(?:URL|OUTLET):", lines[i]):
        i += 1
    while i < len(lines) and not lines[i].strip():
        i += 1
        break
    return "\n".join(lines[i:])


def words(s: str) -> set[str]:
    return set(re.findall(r"\w+", s.lower()))


def quotes_overlap(a: str, b: str) -> bool:
    if a in b or b in a:
        return True
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return False
    shorter, longer = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return len(shorter & longer) >= len(shorter) / 2


def fact_matches(fact: dict, gold: dict) -> bool:
    if fact["action"] != gold["action"]:
        return False
    if fact["chip"] and gold["chip"] and fact["chip"] != gold["chip"]:
        return False
    if gold.get("value") is not None:
        if fact.get("value") is None:
            return False
        if abs(fact["value"] - gold["value"]) > 0.01 * abs(gold["value"]):
            return False
    return quotes_overlap(fact["quote"], gold["quote"])


def score(dev: Path) -> dict:
    gold_by_doc: dict[str, list[dict]] = {}
    for line in (dev / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            g = json.loads(line)
            if g["kind"] == "policy":
                gold_by_doc.setdefault(g["doc"], []).append(g)
    found = total_gold = matched = total_extracted = 0
    details: dict[str, dict] = {}
    for path in sorted(dev.glob("*.txt")):
        body = article_body(path.read_text(encoding="utf-8"))
        facts = [f.to_dict() for f in extract_policy(body)]
        for f in facts:
            assert body[f["char_start"]:f["char_end"]] == f["quote"]
        gold = gold_by_doc.get(path.name, [])
        missed = [g for g in gold if not any(fact_matches(f, g) for f in facts)]
        false = [f for f in facts if not any(fact_matches(f, g) for g in gold)]
        total_gold += len(gold)
        found += len(gold) - len(missed)
        total_extracted += len(facts)
        matched += len(facts) - len(false)
        details[path.name] = {"missed": missed, "false": false, "facts": facts}
    return {
        "precision": matched / total_extracted if total_extracted else 0.0,
        "recall": found / total_gold if total_gold else 0.0,
        "extracted": total_extracted,
        "gold": total_gold,
        "details": details,
    }


def test_overlap_rule_follows_readme() -> None:
    assert quotes_overlap("a 25% fee", "they set a 25% fee on sales")
    assert quotes_overlap("the fee is 25 percent of sales", "25 percent of sales go as a fee")
    assert not quotes_overlap("China restricted buying", "the US allowed exports of chips")


def test_policy_dev_precision_and_recall() -> None:
    if not (DEV / "gold.jsonl").exists():
        pytest.skip("shared dev corpus not present")
    result = score(DEV)
    assert result["extracted"] > 0
    assert result["recall"] >= RECALL_TARGET, f"recall {result['recall']:.3f}"
    assert result["precision"] >= PRECISION_TARGET, f"precision {result['precision']:.3f}"


if __name__ == "__main__":
    if not (DEV / "gold.jsonl").exists():
        sys.exit("shared dev corpus not present")
    res = score(DEV)
    verbose = "-v" in sys.argv
    for doc, d in res["details"].items():
        print(f"== {doc}")
        for g in d["missed"]:
            print(f"  MISS {g['action']:17} {str(g['chip']):10} {g.get('value')}  {g['quote']!r}")
        for f in d["false"]:
            print(f"  FALSE {f['action']:16} {str(f['chip']):10} {f.get('value')}  "
                  f"{f['actor']}  {f['quote']!r}")
        if verbose:
            for f in d["facts"]:
                print(f"  fact {f['action']:17} {str(f['chip']):10} {f.get('value')} "
                      f"{f['actor']} {f['status']} neg={f['negated']} attr={f['attribution']}"
                      f"  {f['quote']!r}")
    print(f"precision {res['precision']:.3f}  recall {res['recall']:.3f}  "
          f"extracted {res['extracted']}  gold {res['gold']}")
