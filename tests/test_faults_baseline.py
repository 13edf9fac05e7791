"""Fault suite, baseline work that grew without bound: a changed claim is reassessed in
batches of documents reading only the facts that can bear on it, and never by a poll."""
from __future__ import annotations

import dataclasses

from chipwatch.db.store import Store
from chipwatch.extractors.facts import Fact
from chipwatch.monitor import baseline
from chipwatch.monitor.alerts import after_version
from chipwatch.monitor.config import AlertsConfig, Config, load_config

TPP = "The H200 has a TPP score of {v}, analysts said."
FEE = "The US government will take a {v}% fee on H200 sales to China."
BW = "H200: {a} TB/s of memory bandwidth; Ascend 910C: {b} TB/s."


def fact(text: str, quote: str, **fields) -> Fact:  # noqa: ANN003
    i = text.index(quote)
    return Fact(quote=quote, char_start=i, char_end=i + len(quote), extractor="handmade",
                extractor_version="1", **fields)


def fill(store: Store, docs: int) -> None:
    """`docs` documents, each with a TPP figure, a fee and two bandwidth figures."""
    for d in range(docs):
        tpp = TPP.format(v=15840 if d % 3 else 15000)
        fee = FEE.format(v=25 if d % 4 else 15)
        bw = BW.format(a=4.8, b=3.2 if d % 5 else 5.0)
        text = f"{tpp} {fee} {bw}"
        facts = [fact(text, tpp.split(",")[0], kind="chip_figure", chip="H200", metric="tpp",
                      value=15840 if d % 3 else 15000),
                 fact(text, fee[:-1], kind="policy", actor="US", action="fee", chip="H200", metric="fee_percent",
                      value=25 if d % 4 else 15, unit="%", status="announced"),
                 fact(text, "H200: 4.8 TB/s", kind="chip_figure", chip="H200", metric="memory_bandwidth",
                      value=4.8, unit="TB/s"),
                 fact(text, bw.split("; ")[1].rstrip("."), kind="chip_figure", chip="Ascend 910C",
                      metric="memory_bandwidth", value=3.2 if d % 5 else 5.0, unit="TB/s")]
        store.save_version(url=f"https://news{d % 7}.example/{d}", canonical_url=None, body=text.encode(),
                           text=text, title=None, published=None, updated=None,
                           fetched_at="2026-01-01T00:00:00+00:00", http_status=200, headers={},
                           content_type="text/plain", encoding="utf-8", parser="handmade", facts=facts,
                           outlet=f"Outlet {d % 7}")


def all_assessments(store: Store) -> set[tuple]:
    return {(r["fact_id"], r["claim_id"], r["verdict"], r["reason"])
            for r in store.query("SELECT fact_id, claim_id, verdict, reason FROM assessments")}


def test_reassessing_in_batches_gives_what_one_pass_over_everything_gives(tmp_path, monkeypatch):
    monkeypatch.setattr(baseline, "REASSESS_BATCH", 7)
    claims = load_config(None).baseline
    store = Store.open(tmp_path / "cw.db")
    fill(store, 120)
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    baseline.sync_claims(store, claims)  # every claim is new: all reassessed, batch by batch
    store.db.conn.set_trace_callback(None)
    batched = all_assessments(store)
    # the reference: every fact against every claim in one pass, in memory
    facts = baseline._load_facts(store)
    whole = baseline.assess_facts(facts, claims, baseline._load_sightings(store, [f["id"] for f in facts]))
    assert {(k[0], k[1], a.verdict, a.reason) for k, a in whole.items()} == batched
    assert {c for (_, c, _, _) in batched} >= {"B03", "B06", "B08"}
    # each tpp claim (B06, B07) took ceil(120 / 7) = 18 batches of documents, then one empty query
    tpp_batches = [s for s in statements if "DISTINCT f.document_id" in s and "f.metric = 'tpp'" in s]
    assert len(tpp_batches) == 2 * (18 + 1)
    # no statement read every fact or every sighting or assessment
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    for s in reads:
        flat = " ".join(s.split())
        if "FROM facts f" in flat and "DISTINCT" not in flat:
            assert "document_id IN" in flat, flat[:200]
        assert "FROM fact_sightings" not in flat or "WHERE" in flat
        assert "FROM assessments" not in flat or "WHERE" in flat
    store.close()


def test_a_changed_claim_touches_only_facts_that_can_bear_on_it(tmp_path):
    claims = load_config(None).baseline
    store = Store.open(tmp_path / "cw.db")
    fill(store, 40)
    baseline.sync_claims(store, claims)
    before = all_assessments(store)
    stricter = [dataclasses.replace(c, value=15000.0) if c.id == "B06" else c for c in claims]
    loaded: list[str] = []
    store.db.conn.set_trace_callback(loaded.append)
    assert baseline.sync_claims(store, stricter) == ["B06"]
    store.db.conn.set_trace_callback(None)
    after = all_assessments(store)
    assert {a for a in before if a[1] != "B06"} == {a for a in after if a[1] != "B06"}
    b06 = {a for a in after if a[1] == "B06"}
    assert {a[2] for a in b06} == {"supports", "contradicts"} and len(b06) == 40
    fact_reads = [" ".join(s.split()) for s in loaded if "FROM facts f" in s and "DISTINCT" not in s]
    assert fact_reads and all("f.metric = 'tpp'" in s for s in fact_reads)
    store.close()


def test_a_poll_never_reassesses_a_changed_baseline(tmp_path):
    claims = load_config(None).baseline
    store = Store.open(tmp_path / "cw.db")
    fill(store, 10)
    baseline.sync_claims(store, claims)
    stricter = [dataclasses.replace(c, value=15000.0) if c.id == "B06" else c for c in claims]
    before = {a for a in all_assessments(store) if a[1] == "B06"}
    # a new version arrives with the changed baseline in the configuration
    text = TPP.format(v=15840)
    saved = store.save_version(url="https://late.example/x", canonical_url=None, body=text.encode(), text=text,
                               title=None, published=None, updated=None, fetched_at="2026-01-02T00:00:00+00:00",
                               http_status=200, headers={}, content_type="text/plain", encoding="utf-8",
                               parser="handmade", facts=[fact(text, text.split(",")[0], kind="chip_figure",
                                                              chip="H200", metric="tpp", value=15840)])
    after_version(store, saved, Config(alerts=AlertsConfig(jsonl=""), baseline=stricter))
    # the old facts' B06 rows are as they were: no reassessment happened in the poll's path
    old_ids = {a[0] for a in before}
    assert {a for a in all_assessments(store) if a[1] == "B06" and a[0] in old_ids} == before
    stored_spec = store.one("SELECT spec FROM baseline_claims WHERE id = 'B06'")["spec"]
    assert "15840" in stored_spec
    store.close()
