"""Facts held against the baseline claims: assessments, verdicts, the citation check."""

from __future__ import annotations

import dataclasses
import json

import pytest

from chipwatch.db.store import Store
from chipwatch.extractors.facts import Fact
from chipwatch.monitor import baseline
from chipwatch.monitor.alerts import after_version
from chipwatch.monitor.baseline import assess, claim_verdict, verdict_of
from chipwatch.monitor.config import AlertsConfig, Config, load_config


@pytest.fixture(scope="module")
def claims():
    return {c.id: c for c in load_config(None).baseline}


def f(**fields) -> dict:
    base = {"id": 1, "document_id": 1, "kind": "chip_figure", "chip": None, "metric": None,
            "value": None, "unit": None, "relative_to": None, "actor": None, "action": None,
            "status": None, "negated": 0, "low": None, "high": None, "quote": ""}
    base.update(fields)
    return base


def policy(**fields) -> dict:
    return f(kind="policy", **fields)


# -- numbers ------------------------------------------------------------------------------

def test_figure_within_tolerance_supports_with_reason(claims):
    a = assess(f(chip="H200", metric="tpp", value=15832), claims["B06"])
    assert a.verdict == "supports" and a.reason == "15832 vs 15840, within 1 %"
    a = assess(f(chip="H200", metric="tpp", value=15000), claims["B06"])
    assert a.verdict == "contradicts" and a.reason == "15000 vs 15840, outside 1 %"


def test_figure_needs_same_chip_and_metric(claims):
    assert assess(f(chip="H100", metric="tpp", value=15840), claims["B06"]) is None
    assert assess(f(chip="H200", metric="memory_bandwidth", value=4.8), claims["B06"]) is None
    assert assess(f(kind="chip_comparison", chip="H200", relative_to="H20", metric="tpp",
                    value=15840), claims["B06"]) is None


def test_exact_claims_take_no_slack(claims):
    assert assess(f(chip="H200", metric="lag_months", value=18, unit="months"), claims["B14"]).verdict == "supports"
    a = assess(f(chip="H200", metric="lag_months", value=24, unit="months"), claims["B14"])
    assert a.verdict == "contradicts" and "not equal" in a.reason


def test_ranges_overlapping_the_claim_support(claims):
    a = assess(f(chip="H200", metric="tpp", value=15500, low=15000, high=16000), claims["B06"])
    assert a.verdict == "supports" and "range 15000-16000" in a.reason


def test_comparisons_need_the_same_pair(claims):
    b05 = claims["B05"]
    near = f(kind="chip_comparison", chip="H200", relative_to="H20", metric="performance_ratio", value=5.8, unit="x")
    assert assess(near, b05).verdict == "supports"
    assert assess({**near, "value": 4}, b05).verdict == "contradicts"
    assert assess({**near, "chip": "H20", "relative_to": "H200"}, b05) is None
    assert assess({**near, "relative_to": "H100"}, b05) is None


def test_bound_claim_is_supported_by_any_ratio_above_one(claims):
    b08 = claims["B08"]
    more = f(kind="chip_comparison", chip="H200", relative_to="Ascend 910C", metric="memory_bandwidth",
             value=1.5, unit="x")
    a = assess(more, b08)
    assert a.verdict == "supports" and "> 1" in a.reason
    assert assess({**more, "value": 0.9}, b08).verdict == "contradicts"
    assert assess({**more, "value": 1.0}, b08).verdict == "contradicts"


def test_side_by_side_figures_answer_a_comparison(claims):
    h200 = f(id=1, chip="H200", metric="memory_bandwidth", value=4.8, unit="TB/s")
    ascend = f(id=2, chip="Ascend 910C", metric="memory_bandwidth", value=3200, unit="GB/s")
    results = baseline.assess_facts([h200, ascend], [claims["B08"]], {1: {10}, 2: {10}})
    assert results[(1, "B08")].verdict == "supports" and results[(2, "B08")].verdict == "supports"
    assert "derived" in results[(1, "B08")].reason and "ratio 1.5" in results[(1, "B08")].reason
    # never printed in the same version: no comparison drawn
    assert baseline.assess_facts([h200, ascend], [claims["B08"]], {1: {10}, 2: {11}}) == {}


def test_announcement_year_needs_a_year(claims):
    b15 = claims["B15"]
    assert assess(f(chip="H200", metric="other", value=700, unit="W"), b15) is None
    assert assess(f(chip="H200", metric="other", value=2024), b15) is None
    assert assess(f(chip="H200", metric="other", value=2024, unit="year"), b15).verdict == "supports"
    assert assess(f(chip="H200", metric="other", value=2023, unit="year"), b15).verdict == "contradicts"


def test_units_are_converted_or_refused():
    assert baseline.convert(4800, "GB/s", "TB/s", "memory_bandwidth") == pytest.approx(4.8)
    assert baseline.convert(4.8, "TB/s", "GB", "memory_bandwidth") is None


# -- policy -------------------------------------------------------------------------------

@pytest.mark.parametrize("actor", ["US", "Trump", "White House", "Commerce", "BIS", "Congress"])
def test_us_family_bears_out_us_claims(claims, actor):
    a = assess(policy(actor=actor, action="allow_export", chip="H200", status="announced"), claims["B01"])
    assert a is not None and a.verdict == "supports"


def test_policy_needs_actor_family_action_and_chip(claims):
    assert assess(policy(actor="China", action="allow_export", chip="H200"), claims["B01"]) is None
    assert assess(policy(actor="US", action="ban_export", chip="H200"), claims["B02"]) is None
    assert assess(policy(actor="US", action="allow_export", chip="H20"), claims["B01"]) is None
    assert assess(policy(actor="MOFCOM", action="require_approval", chip="H200"), claims["B10"]).verdict == "supports"


def test_claims_naming_several_chips_or_none(claims):
    assert assess(policy(actor="BIS", action="ban_export", chip="H800"), claims["B12"]).verdict == "supports"
    assert assess(policy(actor="BIS", action="ban_export", chip="A100"), claims["B12"]) is None
    # B13 names no chip but a target: controls on tools bear on it, chip bans do not
    tools = policy(actor="Commerce", action="ban_export", chip=None,
                   quote="Commerce also curbed sales of lithography equipment")
    assert assess(tools, claims["B13"]).verdict == "supports"
    assert assess(policy(actor="Commerce", action="ban_export", chip="H20",
                         quote="Commerce banned the H20"), claims["B13"]) is None
    # and a chip allowed elsewhere does not contradict it
    assert assess(policy(actor="US", action="allow_export", chip="H200", status="announced",
                         quote="the US will allow H200 sales"), claims["B13"]) is None


def test_a_policy_without_a_chip_takes_the_chip_of_its_paragraph(claims):
    fee = policy(actor="US", action="fee", chip=None, metric="fee_percent", value=25, unit="%",
                 quote="collect a 25% fee on such sales",
                 context="Washington will let the H200 be sold to China and collect a 25% fee on such sales.")
    a = assess(fee, claims["B03"])
    assert a.verdict == "supports" and "named in the paragraph" in a.reason
    assert assess({**fee, "context": "Washington will collect a 25% fee on such sales."}, claims["B03"]) is None
    # the paragraph's chip never turns a different action into a contradiction
    allow = policy(actor="US", action="allow_export", chip=None, status="announced", quote="x",
                   context="Blackwell parts will be allowed.")
    assert assess(allow, claims["B04"]) is None


def test_vendor_claims_match_the_vendor_s_chips(claims):
    b09 = claims["B09"]
    assert assess(policy(actor="China", action="restrict_purchase", chip="H20", status="considered"), b09).verdict == "supports"
    named = policy(actor="CAC", action="restrict_purchase", chip=None, status="considered",
                   quote="regulators told state agencies to stop buying Nvidia's chips")
    assert assess(named, b09).verdict == "supports"
    assert assess(policy(actor="China", action="restrict_purchase", chip="Ascend 910C"), b09) is None


def test_enacted_is_progress_not_contradiction(claims):
    a = assess(policy(actor="China", action="require_approval", chip="H200", status="enacted",
                      quote="China now requires approval before private companies buy the H200"), claims["B10"])
    assert a.verdict == "supports" and a.progress and "progress: considered -> enacted" in a.reason
    a = assess(policy(actor="China", action="require_approval", chip="H200", status="denied"), claims["B10"])
    assert a.verdict == "contradicts"


def test_hedged_reports_do_not_bear_out_firm_claims(claims):
    assert assess(policy(actor="US", action="allow_export", chip="H200", status="considered"), claims["B01"]) is None


def test_negation_and_opposite_actions(claims):
    """The extractor stores the effective action ("declined to allow" -> ban_export,
    negated) so a negated fact is judged by its action, never flipped a second time."""
    b04 = claims["B04"]
    assert assess(policy(actor="US", action="ban_export", chip="B200"), b04).verdict == "supports"
    assert assess(policy(actor="Trump", action="ban_export", chip="Blackwell", negated=1), b04).verdict == "supports"
    assert assess(policy(actor="US", action="allow_export", chip="Blackwell", status="announced"), b04).verdict == "contradicts"
    assert assess(policy(actor="US", action="allow_export", chip="Blackwell"), b04) is None
    assert assess(policy(actor="US", action="ban_export", chip="Blackwell", status="denied"), b04).verdict == "contradicts"


def test_a_claimed_rate_needs_a_stated_rate(claims):
    b03 = claims["B03"]
    assert assess(policy(actor="US", action="fee", chip="H200"), b03) is None
    a = assess(policy(actor="Trump", action="fee", chip="H200", metric="fee_percent", value=15, unit="%"), b03)
    assert a.verdict == "contradicts" and "15 vs 25" in a.reason
    a = assess(policy(actor="US", action="fee", chip="H200", metric="fee_percent", value=25, unit="%"), b03)
    assert a.verdict == "supports"


def test_verdict_of():
    assert verdict_of([1], []) == "supported"
    assert verdict_of([], [1]) == "contradicted"
    assert verdict_of([1], [1]) == "disputed"
    assert verdict_of([], []) == "unverified"


# -- on a store ----------------------------------------------------------------------------

def _save(store: Store, url: str, text: str, facts: list[Fact], at: str, outlet: str):
    return store.save_version(
        url=url, canonical_url=None, body=text.encode(), text=text, title=None, published=None,
        updated=None, fetched_at=at, http_status=200, headers={}, content_type="text/plain",
        encoding="utf-8", parser="handmade", facts=facts, outlet=outlet)


def _fact(text: str, quote: str, **fields) -> Fact:
    i = text.index(quote)
    return Fact(quote=quote, char_start=i, char_end=i + len(quote), extractor="handmade",
                extractor_version="1", **fields)


@pytest.fixture
def config(tmp_path, claims, store):
    baseline.sync_claims(store, list(claims.values()))  # as run --once, the daemon and ingest do first
    return Config(alerts=AlertsConfig(jsonl=""), baseline=list(claims.values()))


def test_citation_check_follows_the_cited_page(store, config, claims):
    b06 = claims["B06"]
    assert baseline.citation_check(store, b06)[0] == "not fetched yet"
    said = "The H200 posts a TPP of 15,840 in the comparison table."
    after_version(store, _save(store, b06.cited, said, [
        _fact(said, "TPP of 15,840", kind="chip_figure", chip="H200", metric="tpp", value=15840)],
        "2025-03-01T10:00:00+00:00", "Reuters"), config)
    assert baseline.citation_check(store, b06)[0] == "says"
    silent = "The comparison table has been removed from this article."
    after_version(store, _save(store, b06.cited, silent, [], "2025-03-02T10:00:00+00:00", "Reuters"), config)
    status, detail = baseline.citation_check(store, b06)
    assert status == "no longer says" and "2025-03-01T10:00:00+00:00" in detail
    # B07 cites the same page, which never gave the 910C's score
    assert baseline.citation_check(store, claims["B07"])[0] == "never said this"
    # other outlets still count for the verdict; the cited page is judged apart
    assert claim_verdict(store, b06).verdict == "unverified"


def test_disputed_claim_shows_both_sides(store, config, claims):
    one = "Officials confirmed a 25% fee on H200 sales."
    two = "Officials confirmed a 15% fee on H200 sales."
    for url, text, value, outlet in (("https://a.example/x", one, 25, "Alpha"),
                                     ("https://b.example/y", two, 15, "Beta")):
        after_version(store, _save(store, url, text, [
            _fact(text, f"a {value}% fee on H200 sales", kind="policy", actor="US", action="fee",
                  chip="H200", metric="fee_percent", value=value, unit="%")],
            "2025-03-01T10:00:00+00:00", outlet), config)
    v = claim_verdict(store, claims["B03"])
    assert v.verdict == "disputed"
    assert [(e["outlet"], e["quote"]) for e in v.supports] == [("Alpha", "a 25% fee on H200 sales")]
    assert [(e["outlet"], e["url"]) for e in v.contradicts] == [("Beta", "https://b.example/y")]
    assert v.contradicts[0]["snapshot_time"] == "2025-03-01T10:00:00+00:00"


def test_changed_claim_is_reassessed(store, config, claims):
    text = "The H200 posts a TPP of 15,832."
    after_version(store, _save(store, "https://c.example/z", text, [
        _fact(text, "TPP of 15,832", kind="chip_figure", chip="H200", metric="tpp", value=15832)],
        "2025-03-01T10:00:00+00:00", "Gamma"), config)
    assert claim_verdict(store, claims["B06"]).verdict == "supported"
    strict = dataclasses.replace(claims["B06"], tolerance=0.0)
    changed = baseline.sync_claims(store, [strict if c.id == "B06" else c for c in claims.values()])
    assert changed == ["B06"]
    assert claim_verdict(store, strict).verdict == "contradicted"
    assert baseline.sync_claims(store, [strict if c.id == "B06" else c for c in claims.values()]) == []


def test_progress_is_shown(store, config, claims):
    text = "Beijing has now required approval for every H200 purchase by private firms."
    after_version(store, _save(store, "https://d.example/p", text, [
        _fact(text, "required approval for every H200 purchase", kind="policy", actor="China",
              action="require_approval", chip="H200", status="enacted")],
        "2025-03-01T10:00:00+00:00", "Delta"), config)
    row = claim_verdict(store, claims["B10"]).row()
    assert row["verdict"] == "supported" and row["note"] == "progress: enacted (Delta)"


# -- the command --------------------------------------------------------------------------

def test_baseline_command_formats(cw, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    doc = tmp_path / "fee.txt"
    doc.write_text("URL: https://wire.example.com/fee\nOUTLET: Example Wire\n\n"
                   "The US government will collect a 25% fee on H200 sales to China.\n")
    assert cw("ingest", doc).code == 0
    table = cw("baseline")
    assert table.code == 0, table.err
    lines = table.out.splitlines()
    assert lines[0].split() == ["ID", "VERDICT", "FOR", "AGAINST", "CITATION"]
    assert sum(1 for line in lines if line[:1] == "B") == 15
    i = next(n for n, line in enumerate(lines) if line.startswith("B03"))
    assert lines[i].split()[1:4] == ["supported", "1", "0"] and "not fetched yet" in lines[i]
    # under each claim: its text, then the outlets on each side
    assert lines[i + 1].strip().startswith("The US government collects 25%")
    assert lines[i + 2].strip() == "for: Example Wire"
    rows = [json.loads(line) for line in cw("baseline", "--format", "json").out.splitlines()]
    by_id = {r["id"]: r for r in rows}
    assert by_id["B03"]["supports"][0]["outlet"] == "Example Wire"
    assert by_id["B03"]["supports"][0]["url"] == "https://wire.example.com/fee"
    assert "25% fee" in by_id["B03"]["supports"][0]["quote"]
    assert by_id["B03"]["supports"][0]["snapshot_time"]
    assert by_id["B15"]["verdict"] == "unverified"
    csv_out = cw("baseline", "--format", "csv", "--claim", "b03")
    assert csv_out.out.splitlines()[0].startswith("id,verdict,support_count")
    assert len(csv_out.out.splitlines()) == 2
    bad = cw("baseline", "--claim", "B99")
    assert bad.code == 2 and "B99" in bad.err


def test_a_policy_aimed_at_other_buyers_is_not_evidence(claims):
    """Seen in the field: "China restricted tech companies from buying the H20" was counted
    as support for B09 (the public sector, considered)."""
    b09 = claims["B09"]
    other = policy(actor="China", action="restrict_purchase", chip="H20", status="enacted",
                   quote="China restricted tech companies from buying the H20")
    assert assess(other, b09) is None
    same = policy(actor="China", action="restrict_purchase", chip="H20", status="considered",
                  quote="China is weighing a ban on government agencies buying the H20")
    a = assess(same, b09)
    assert a.verdict == "supports" and "target public sector as claimed" in a.reason
    # enacted for the claimed group: progress; enacted with no group stated: not evidence
    enacted = policy(actor="China", action="restrict_purchase", chip="H20", status="enacted",
                     quote="China barred state agencies from buying the H20")
    assert assess(enacted, b09).progress
    assert assess(policy(actor="China", action="restrict_purchase", chip="H20", status="enacted",
                         quote="China barred purchases of the H20"), b09) is None
    # a policy for approved customers does not bear on one for private companies
    assert assess(policy(actor="China", action="require_approval", chip="H200", status="considered",
                         quote="only approved customers may buy the H200"), claims["B10"]) is None
