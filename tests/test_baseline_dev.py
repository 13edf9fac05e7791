"""The real development articles (../shared/corpus/dev) against the baseline claims.

Measures the whole chain on third-party text: extraction, the chip a fee sentence is
about, actor families, tolerance. Skipped cleanly when the shared corpus is not present.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chipwatch.db.store import Store
from chipwatch.monitor import baseline
from chipwatch.monitor.config import AlertsConfig, Config, load_config
from chipwatch.monitor.pipeline import store_body

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    if not DEV.is_dir() or not list(DEV.glob("*.txt")):
        pytest.skip(f"{DEV} not present")
    config = Config(alerts=AlertsConfig(jsonl=""), baseline=load_config(None).baseline)
    store = Store.open(tmp_path_factory.mktemp("dev") / "dev.db")
    baseline.sync_claims(store, config.baseline)  # as run --once, ingest and the daemon do first
    for path in sorted(DEV.glob("*.txt")):
        body = path.read_bytes()
        url = re.search(rb"^URL:\s*(\S+)", body, re.M)
        result = store_body(store, url=url.group(1).decode() if url else path.as_uri(), body=body,
                            headers={"content-type": "text/plain; charset=utf-8"},
                            filename=path.name, config=config)
        assert result.new_version, path.name
    claims = {c.id: c for c in config.baseline}
    verdicts = {v.id: v for v in baseline.verdicts(store, config.baseline)}
    yield store, claims, verdicts
    store.close()


@pytest.mark.parametrize("claim_id", ["B03", "B05"])
def test_supported_by_more_than_one_outlet(judged, claim_id):
    _, _, verdicts = judged
    v = verdicts[claim_id]
    assert v.verdict == "supported", [e["reason"] for e in v.contradicts]
    outlets = {e["outlet"] for e in v.supports}
    assert len(outlets) >= 2, outlets
    for e in v.supports:
        assert e["quote"] and e["url"].startswith("http") and e["snapshot_time"]


def test_fee_evidence_states_twenty_five_percent(judged):
    _, _, verdicts = judged
    for e in verdicts["B03"].supports:
        assert re.search(r"25(\s*%| per ?cent)", e["quote"]), e["quote"]


def test_announcement_year_not_supported_without_a_source_saying_2024(judged):
    store, _, verdicts = judged
    says_2024 = [e for e in verdicts["B15"].supports if "2024" in e["quote"]]
    assert verdicts["B15"].verdict != "supported" or says_2024
    # and the evidence, if any, quotes the year
    assert all("2024" in e["quote"] for e in verdicts["B15"].supports)


def test_every_claim_has_a_verdict_and_citation_status(judged):
    _, claims, verdicts = judged
    assert set(verdicts) == set(claims)
    for v in verdicts.values():
        assert v.verdict in baseline.VERDICTS
        assert v.citation in (baseline.CITE_SAYS, baseline.CITE_SAYS_OTHERWISE,
                              baseline.CITE_NO_LONGER, baseline.CITE_NEVER,
                              baseline.CITE_NOT_FETCHED)
