"""The extraction scorer itself (bench/extract_eval.py); the extractors' scores on the
labeled sets are in test_extract_sets.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chipwatch.extractors.facts import ACTIONS, KINDS, METRICS, Fact

from conftest import REPO, extract_eval

OWN_GOLD = REPO / "tests" / "data" / "gold"

ev = extract_eval()


def gold(**kw: object) -> dict:
    base = {"doc": "d.txt", "kind": "chip_figure", "chip": "H200", "metric": "tpp",
            "value": 15840, "unit": None, "relative_to": None, "actor": None, "action": None,
            "quote": "the H200 has a TPP score of 15,840"}
    base.update(kw)
    return base


def fact(**kw: object) -> Fact:
    base = dict(kind="chip_figure", quote="a TPP score of 15,840", char_start=0, char_end=0,
                extractor="t", extractor_version="1", chip="H200", metric="tpp", value=15840.0)
    base.update(kw)
    return Fact(**base)  # type: ignore[arg-type]


# ------------------------------------------------------------------ overlap rule


def test_quote_containment_either_way() -> None:
    assert ev.quotes_overlap("a 25% fee on such sales", "collect a 25% fee on such sales, he said")
    assert ev.quotes_overlap("collect a 25% fee on such sales, he said", "a 25% fee on such sales")
    # case and whitespace do not matter for containment
    assert ev.quotes_overlap("The  US will\nallow", "the us will allow exports")


def test_quote_half_the_words_of_the_shorter() -> None:
    shorter = "Blackwell chips stay banned for export"  # 6 words
    three_shared = "exports of Blackwell chips remain banned today"  # blackwell, chips, banned
    two_shared = "exports of Blackwell chips are allowed now"  # blackwell, chips
    assert ev.quotes_overlap(shorter, three_shared)
    assert not ev.quotes_overlap(shorter, two_shared)


def test_quote_without_overlap_or_empty() -> None:
    assert not ev.quotes_overlap("a 96 GB memory capacity", "a 400W TDP in the HGX board")
    assert not ev.quotes_overlap("", "anything")
    assert not ev.quotes_overlap("anything", None)
    assert not ev.quotes_overlap("   ", "anything")


def test_japanese_words_are_single_characters() -> None:
    assert ev.words("H200の性能は約6倍") == ["h200", "の", "性", "能", "は", "約", "6", "倍"]
    # no spaces in Japanese: sharing half the characters of the shorter quote still counts
    assert ev.quotes_overlap("H200の演算性能はH20の約6倍に達する", "H200の性能はH20の約6倍とされる")


# ------------------------------------------------------------------ value, family, chip


def test_value_within_one_percent() -> None:
    g = gold(value=100.0, quote="a TPP score of 100")
    assert ev.fact_matches(g, fact(value=100.99, quote="a TPP score of 100"))
    assert ev.fact_matches(g, fact(value=99.01, quote="a TPP score of 100"))
    assert not ev.fact_matches(g, fact(value=101.5, quote="a TPP score of 100"))
    assert not ev.fact_matches(g, fact(value=None, quote="a TPP score of 100"))


def test_gold_without_value_accepts_any_value() -> None:
    g = gold(kind="policy", metric="other", value=None, action="ban_export", actor="US",
             chip="Blackwell", quote="Blackwell stays banned")
    got = fact(kind="policy", metric="fee_percent", value=25.0, action="ban_export",
               chip="Blackwell", quote="Blackwell stays banned")
    assert ev.fact_matches(g, got)


def test_zero_gold_value_uses_absolute_tolerance() -> None:
    assert ev.value_close(0, 0.005)
    assert not ev.value_close(0, 0.5)


def test_figures_family_spans_figure_and_comparison() -> None:
    g = gold(kind="chip_comparison", metric="performance_ratio", value=6, relative_to="H20",
             quote="nearly six times more powerful than the H20")
    got = fact(kind="chip_figure", metric="performance_ratio", value=6.0,
               quote="the H200 is nearly six times more powerful than the H20")
    assert ev.fact_matches(g, got)


def test_policy_and_figures_never_match_each_other() -> None:
    g = gold(kind="policy", metric="fee_percent", value=25, action="fee",
             quote="a 25% fee on sales")
    assert not ev.fact_matches(g, fact(kind="chip_figure", metric="fee_percent", value=25.0,
                                       action="fee", quote="a 25% fee on sales"))


def test_metric_decides_figures_action_decides_policy() -> None:
    assert not ev.fact_matches(gold(), fact(metric="memory_bandwidth"))
    g = gold(kind="policy", metric="other", value=None, action="allow_export",
             quote="will allow Nvidia to export its H200 chips")
    ok = fact(kind="policy", metric="tpp", value=None, action="allow_export",
              quote="allow Nvidia to export its H200 chips")
    wrong = fact(kind="policy", metric="other", value=None, action="ban_export",
                 quote="allow Nvidia to export its H200 chips")
    assert ev.fact_matches(g, ok)
    assert not ev.fact_matches(g, wrong)


def test_chip_only_checked_when_both_name_one() -> None:
    assert not ev.fact_matches(gold(chip="H200"), fact(chip="H20"))
    assert ev.fact_matches(gold(chip="H200"), fact(chip=None))
    assert ev.fact_matches(gold(chip=None), fact(chip="Ascend 910C"))


def test_quote_must_overlap() -> None:
    assert not ev.fact_matches(gold(), fact(quote="shipments resumed in July after talks"))


# ------------------------------------------------------------------ score()


def test_score_counts_precision_recall_and_lists() -> None:
    golds = [
        gold(doc="a.txt"),                                                   # found
        gold(doc="a.txt", metric="memory_bandwidth", value=4.8, unit="TB/s",
             quote="4.8TB/s of memory bandwidth"),                          # missed
        gold(doc="b.txt", kind="policy", metric="other", value=None, action="ban_export",
             actor="US", chip="Blackwell", quote="Blackwell remains banned"),  # found
    ]
    predicted = {
        "a.txt": [fact(), fact(quote="a TPP score of 15,840 again"),       # both match gold 1
                  fact(metric="price", value=30000.0, quote="costs $30,000")],  # false positive
        "b.txt": [fact(kind="policy", metric="other", value=None, action="ban_export",
                       actor="Trump", chip=None, quote="Blackwell remains banned, he said")],
        "c.txt": [fact(kind="policy", action="fee", value=25.0, quote="a 25% fee")],  # no gold doc
    }
    s = ev.score(golds, predicted)
    fig, pol = s.family("figures"), s.family("policy")
    assert (fig.gold, fig.found, fig.predicted, fig.correct) == (2, 1, 3, 2)
    assert (pol.gold, pol.found, pol.predicted, pol.correct) == (1, 1, 2, 1)
    assert fig.precision == pytest.approx(2 / 3) and fig.recall == pytest.approx(0.5)
    assert pol.f1 == pytest.approx(2 * 0.5 * 1.0 / 1.5)
    assert [m["gold"]["metric"] for m in s.misses] == ["memory_bandwidth"]
    assert sorted(fp["doc"] for fp in s.false_positives) == ["a.txt", "c.txt"]
    assert (s.actor_agreed, s.actor_checked) == (0, 1)  # gold says US, extractor said Trump
    assert s.by_kind["chip_figure"].gold == 2 and s.by_kind["policy"].predicted == 2


def test_score_empty_prediction_is_zero_not_perfect() -> None:
    s = ev.score([gold()], {"d.txt": []})
    assert s.family("figures").precision == 0.0
    assert s.family("figures").recall == 0.0
    assert s.family("policy").precision == 1.0  # nothing to find, nothing claimed


def test_score_rejects_unknown_gold_kind() -> None:
    with pytest.raises(ValueError):
        ev.score([gold(kind="chip_rumour")], {})


# ------------------------------------------------------------------ loading sets


def test_article_text_strips_header_only() -> None:
    raw = "URL: https://example.com/a\nOUTLET: Example\n\nBody line one.\nURL: inside\n"
    assert ev.article_text(raw) == "Body line one.\nURL: inside\n"
    assert ev.article_text("No header here.") == "No header here."
    assert ev.article_text("URL: x\nOUTLET: y\n\n\nText") == "\nText"


def test_load_set_rejects_quote_not_in_text(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("URL: u\nOUTLET: o\n\nThe H200 scores 15,840.\n", "utf-8")
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold(doc="a.txt", quote="URL: u")) + "\n",
                                         "utf-8")
    with pytest.raises(ValueError, match="quote not in"):
        ev.load_set(tmp_path)


def test_evaluate_end_to_end_with_a_fake_extractor(tmp_path: Path) -> None:
    text = "The H200 scores 15,840. Blackwell stays banned."
    (tmp_path / "a.txt").write_text("URL: u\nOUTLET: o\n\n" + text, "utf-8")
    (tmp_path / "gold.jsonl").write_text(
        json.dumps(gold(doc="a.txt", quote="The H200 scores 15,840")) + "\n", "utf-8")

    def extract(t: str) -> list[Fact]:
        start = t.index("H200 scores")
        return [fact(quote=t[start:start + 17], char_start=start, char_end=start + 17),
                fact(quote="H200 scores 15,840", char_start=0, char_end=3)]

    labeled, result, s = ev.evaluate(tmp_path, extract)
    assert labeled.texts == {"a.txt": text}
    assert s.family("figures").found == 1
    assert s.family("figures").correct == 2  # offsets are checked separately, not scored
    assert len(result.bad_offsets) == 1 and not result.errors

    def crash(t: str) -> list[Fact]:
        raise RuntimeError("boom")

    _, result, s = ev.evaluate(tmp_path, crash)
    assert "a.txt" in result.errors and s.family("figures").recall == 0.0


def test_own_gold_set_is_well_formed() -> None:
    labeled = ev.load_set(OWN_GOLD)  # also checks every quote is in its document
    assert len(labeled.texts) >= 10
    for g in labeled.gold:
        assert g["kind"] in KINDS
        assert g["metric"] in METRICS, g
        if g["kind"] == "policy":
            assert g["action"] in ACTIONS, g
        else:
            assert g["action"] is None and g["actor"] is None
        if g["kind"] == "chip_comparison":
            assert g["relative_to"] and g["value"] >= 1, g
    metrics = {g["metric"] for g in labeled.gold if g["kind"] != "policy"}
    assert set(METRICS) - {"fee_percent", "revenue_share"} <= metrics
    assert set(ACTIONS) == {g["action"] for g in labeled.gold if g["kind"] == "policy"}
    assert any(not t.isascii() for t in labeled.texts.values())  # Japanese articles


def test_cli_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert ev.main([str(OWN_GOLD), "--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[0])
    assert out["families"]["figures"]["gold"] == sum(
        1 for g in ev.load_set(OWN_GOLD).gold if g["kind"] != "policy")
    assert ev.main([str(OWN_GOLD / "missing-dir")]) == 2
