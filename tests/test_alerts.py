"""Alert detection on real SQLite stores: what a revision raises, and what it must not.

Facts are written by hand here (own sentences, exact offsets) so that these tests say
what the alert logic does regardless of how good the extractors are on a given day.
"""

from __future__ import annotations

import json

import pytest

from chipwatch.db.store import Store
from chipwatch.extractors.facts import Fact
from chipwatch.monitor import alerts
from chipwatch.monitor.alerts import after_version, changed_sentences, check_source, cosmetic_form
from chipwatch.monitor.config import AlertsConfig, Config, SourceConfig, load_config

URL = "https://news.example.org/chips/h200-review"


@pytest.fixture(scope="module")
def claims():
    return load_config(None).baseline


@pytest.fixture
def config(tmp_path, claims, store):
    from chipwatch.monitor.baseline import sync_claims

    sync_claims(store, list(claims))  # as run --once, the daemon and ingest do before storing versions
    return Config(alerts=AlertsConfig(jsonl=str(tmp_path / "alerts.jsonl"), failing_after=3),
                  baseline=list(claims))


def fact(text: str, quote: str, **fields) -> Fact:
    start = text.index(quote)
    return Fact(quote=quote, char_start=start, char_end=start + len(quote), extractor="handmade",
                extractor_version="1", **fields)


def tpp(text: str, quote: str, value: float, chip: str = "H200") -> Fact:
    return fact(text, quote, kind="chip_figure", chip=chip, metric="tpp", value=value)


def fee(text: str, quote: str, value: float = 25) -> Fact:
    return fact(text, quote, kind="policy", actor="US", action="fee", chip="H200",
                metric="fee_percent", value=value, unit="%")


def save(store: Store, text: str, facts: list[Fact], at: str, url: str = URL):
    return store.save_version(
        url=url, canonical_url=None, body=text.encode(), text=text, title="H200 review",
        published=None, updated=None, fetched_at=at, http_status=200, headers={},
        content_type="text/plain", encoding="utf-8", parser="handmade", facts=facts,
        outlet="Example News", source="example",
    )


def raised(store: Store, type_: str | None = None) -> list[dict]:
    sql = "SELECT * FROM alerts" + (" WHERE type = ?" if type_ else "") + " ORDER BY id"
    return store.query(sql, [type_] if type_ else [])


V1 = ("The H200 has a TPP score of 15,840 according to the filing.\n\n"
      "Analysts expect strong demand in the first quarter.\n\n"
      "Shared 1,204 times. Updated 5 minutes ago.")
V2 = ("The H200 has a TPP score of 15,832 according to the filing.\n\n"
      "Analysts expect strong demand in the first quarter.\n\n"
      "Washington will take a 25% fee on every sale.\n\n"
      "Shared 1,388 times. Updated 12 minutes ago.")


def facts_v1(text: str = V1) -> list[Fact]:
    return [tpp(text, "TPP score of 15,840", 15840)]


def facts_v2(text: str = V2) -> list[Fact]:
    return [tpp(text, "TPP score of 15,832", 15832), fee(text, "take a 25% fee")]


def test_first_version_is_a_new_document_and_a_claim_verdict(store, config):
    saved = save(store, V1, facts_v1(), "2025-03-01T10:00:00+00:00")
    ids = after_version(store, saved, config)
    rows = raised(store)
    # no fact_added for a first version; the H200 TPP figure bears out B06
    assert [r["type"] for r in rows] == ["new_document", "claim_supported"]
    assert rows[1]["claim_id"] == "B06"
    assert ids == [r["id"] for r in rows]
    payload = json.loads(rows[0]["payload"])
    assert payload["url"] == URL
    assert payload["snapshot"]["fetched_at"] == "2025-03-01T10:00:00+00:00"
    assert payload["facts"][0]["quote"] == "TPP score of 15,840"
    # queued for the configured JSONL channel in the same transaction
    assert store.one("SELECT count(*) AS n FROM deliveries")["n"] == 2


def test_revision_reports_figure_change_and_added_fact_not_share_count(store, config):
    after_version(store, save(store, V1, facts_v1(), "2025-03-01T10:00:00+00:00"), config)
    after_version(store, save(store, V2, facts_v2(), "2025-03-01T11:00:00+00:00"), config)
    fig = raised(store, "figure_changed")
    added = raised(store, "fact_added")
    assert len(fig) == 1 and len(added) == 1
    assert raised(store, "fact_removed") == []  # the moved figure is not also "removed"
    p = json.loads(fig[0]["payload"])
    assert (p["old"]["value"], p["new"]["value"]) == (15840, 15832)
    assert p["old"]["quote"] == "TPP score of 15,840" and p["new"]["quote"] == "TPP score of 15,832"
    assert p["old"]["snapshot_time"] == "2025-03-01T10:00:00+00:00"
    assert p["new"]["snapshot_time"] == "2025-03-01T11:00:00+00:00"
    assert "15,840 -> 15,832" in fig[0]["title"]
    a = json.loads(added[0]["payload"])
    assert a["fact"]["quote"] == "take a 25% fee" and a["url"] == URL
    revised = raised(store, "document_revised")
    assert len(revised) == 1
    rp = json.loads(revised[0]["payload"])
    assert any("15,832" in s for s in rp["added_sentences"])
    assert any("25% fee" in s for s in rp["added_sentences"])
    everything = json.dumps([dict(r) for r in raised(store)])
    assert "Shared" not in everything and "minutes ago" not in everything


def test_cosmetic_revision_raises_nothing(store, config):
    after_version(store, save(store, V1, facts_v1(), "2025-03-01T10:00:00+00:00"), config)
    before = len(raised(store))
    cosmetic = V1.replace("1,204", "1,530").replace("5 minutes", "2 hours").replace(
        "Analysts expect", "Analysts  expect")
    saved = save(store, cosmetic, facts_v1(cosmetic), "2025-03-01T12:00:00+00:00")
    assert saved.new_version  # the text did change ...
    assert after_version(store, saved, config) == []  # ... but nothing that matters
    assert len(raised(store)) == before


def test_flip_flopping_page_alerts_once(store, config):
    times = iter(f"2025-03-0{d}T10:00:00+00:00" for d in range(1, 8))
    for text, facts in [(V1, facts_v1()), (V2, facts_v2()), (V1, facts_v1()), (V2, facts_v2()),
                        (V1, facts_v1()), (V2, facts_v2())]:
        after_version(store, save(store, text, facts, next(times)), config)
    counts: dict[str, int] = {}
    for r in raised(store):
        counts[r["type"]] = counts.get(r["type"], 0) + 1
    assert counts["figure_changed"] == 1
    assert counts["fact_added"] == 1
    assert counts["document_revised"] == 1
    assert counts.get("fact_removed", 0) == 1  # the fee left once (A after B); not again


def test_reworded_figure_is_not_a_change(store, config):
    after_version(store, save(store, V1, facts_v1(), "2025-03-01T10:00:00+00:00"), config)
    v = V1.replace("has a TPP score of 15,840 according", "scores a TPP score of 15,840, per")
    after_version(store, save(store, v, [tpp(v, "TPP score of 15,840", 15840)],
                              "2025-03-01T11:00:00+00:00"), config)
    types = [r["type"] for r in raised(store)]
    assert "figure_changed" not in types and "fact_added" not in types
    assert "fact_removed" not in types
    assert types.count("document_revised") == 1  # the wording did change


def test_removed_fact_alert_quotes_the_old_version(store, config):
    after_version(store, save(store, V2, facts_v2(), "2025-03-01T10:00:00+00:00"), config)
    v = V2.replace("Washington will take a 25% fee on every sale.\n\n", "")
    after_version(store, save(store, v, [tpp(v, "TPP score of 15,832", 15832)],
                              "2025-03-01T11:00:00+00:00"), config)
    gone = raised(store, "fact_removed")
    assert len(gone) == 1
    p = json.loads(gone[0]["payload"])
    assert p["fact"]["quote"] == "take a 25% fee"
    assert p["fact"]["snapshot_time"] == "2025-03-01T10:00:00+00:00"


def test_restarted_store_raises_no_duplicates(tmp_path, config):
    path = tmp_path / "restart.db"
    s = Store.open(path)
    after_version(s, save(s, V1, facts_v1(), "2025-03-01T10:00:00+00:00"), config)
    saved = save(s, V2, facts_v2(), "2025-03-01T11:00:00+00:00")
    first = after_version(s, saved, config)
    s.close()
    s = Store.open(path)
    assert after_version(s, saved, config) == []  # the same version judged again
    unchanged = save(s, V2, facts_v2(), "2025-03-01T12:00:00+00:00")
    assert not unchanged.new_version and after_version(s, unchanged, config) == []
    assert len(first) >= 3
    s.close()


def test_claim_alerts_follow_the_verdict(store, config):
    after_version(store, save(store, V2, facts_v2(), "2025-03-01T10:00:00+00:00"), config)
    supported = {r["claim_id"]: r for r in raised(store, "claim_supported")}
    assert sorted(supported) == ["B03", "B06"]  # 15,832 is within 1 % of 15,840
    p = json.loads(supported["B03"]["payload"])
    assert p["supports"][0]["quote"] == "take a 25% fee"
    assert p["supports"][0]["outlet"] == "Example News"
    # Another outlet reports a 15 % fee: the claim is now disputed, both sides shown.
    other = "Officials said the government will take a 15% fee on exports of the H200."
    after_version(store, save(store, other, [fee(other, "take a 15% fee", 15)],
                              "2025-03-02T10:00:00+00:00",
                              url="https://other.example.net/fee"), config)
    disputed = raised(store, "claim_disputed")
    assert len(disputed) == 1
    d = json.loads(disputed[0]["payload"])
    assert [e["quote"] for e in d["supports"]] == ["take a 25% fee"]
    assert [e["quote"] for e in d["contradicts"]] == ["take a 15% fee"]
    assert "15 vs 25" in d["contradicts"][0]["reason"]


def test_citation_lost_when_the_cited_page_drops_the_claim(store, config, claims):
    cited = next(c for c in claims if c.id == "B06").cited
    v1 = "Reuters figures give the H200 a TPP of 15,840 and the Ascend 910C 12,032."
    after_version(store, save(store, v1, [tpp(v1, "TPP of 15,840", 15840)],
                              "2025-03-01T10:00:00+00:00", url=cited), config)
    v2 = "Reuters figures compare Nvidia and Huawei parts without giving scores."
    after_version(store, save(store, v2, [], "2025-03-02T10:00:00+00:00", url=cited), config)
    lost = raised(store, "citation_lost")
    assert [r["claim_id"] for r in lost] == ["B06"]
    assert "TPP of 15,840" in lost[0]["body"]


def _source(store: Store, name: str = "wire") -> None:
    store.sync_sources([SourceConfig(name=name, outlet="Wire", url="https://wire.example.com/a")])


def test_source_failing_after_n_failures_and_recovering_once(store, config):
    _source(store)
    store.update_source_state("wire", status="ok", failures_in_row=0,
                              last_success="2025-03-01T10:00:00+00:00")
    for n in (1, 2):
        store.update_source_state("wire", status="failing", failures_in_row=n, last_error="HTTP 503")
        assert check_source(store, config, "wire") == []
    store.update_source_state("wire", failures_in_row=3)
    assert len(check_source(store, config, "wire")) == 1
    store.update_source_state("wire", failures_in_row=4)
    assert check_source(store, config, "wire") == []  # same episode
    failing = raised(store, "source_failing")
    assert len(failing) == 1 and "3 failures in a row" in failing[0]["title"]
    assert "HTTP 503" in failing[0]["title"]
    store.update_source_state("wire", status="ok", failures_in_row=0,
                              last_success="2025-03-02T10:00:00+00:00")
    assert len(check_source(store, config, "wire")) == 1
    assert check_source(store, config, "wire") == []
    assert len(raised(store, "source_recovered")) == 1
    # a second, later episode is a new alert
    store.update_source_state("wire", status="failing", failures_in_row=3)
    assert len(check_source(store, config, "wire")) == 1
    assert len(raised(store, "source_failing")) == 2


def test_never_failing_source_raises_nothing(store, config):
    _source(store)
    store.update_source_state("wire", status="ok", failures_in_row=0)
    assert check_source(store, config, "wire") == []
    assert check_source(store, config, "nonexistent") == []


@pytest.mark.parametrize("old,new", [
    ("Shared 1,204 times.", "Shared 1,388 times."),
    ("Updated 5 minutes ago.", "Updated 3 hours ago."),
    ("Published Dec 9, 2025 10:32 a.m. ET", "Published Dec 10, 2025 9:05 p.m. ET"),
])
def test_cosmetic_forms_match(old, new):
    assert cosmetic_form(old) == cosmetic_form(new)


def test_a_sentence_with_a_fact_keeps_its_digits():
    old_text, new_text = "The H200 scores 15,840.", "The H200 scores 15,832."
    old_facts = [{"char_start": 16, "char_end": 22}]
    new_facts = [{"char_start": 16, "char_end": 22}]
    assert changed_sentences(old_text, old_facts, new_text, new_facts) == ([old_text], [new_text])
    # without a fact in it the same change is noise
    assert changed_sentences(old_text, [], new_text, []) == ([], [])


def test_unknown_alert_type_is_refused(store):
    with pytest.raises(ValueError):
        alerts.record(store, alerts.Alert("made_up", "k", "t"))


def test_alerting_failure_never_costs_the_stored_version(store, config, monkeypatch, caplog):
    from chipwatch.monitor.pipeline import store_body

    def broken(*args, **kwargs):
        raise RuntimeError("injected fault")

    monkeypatch.setattr(alerts, "version_alerts", broken)
    result = store_body(store, url=URL, body=V2.encode(), headers={"content-type": "text/plain"},
                        config=config)
    assert result.new_version
    assert store.one("SELECT count(*) AS n FROM snapshots")["n"] == 1
    assert store.one("SELECT count(*) AS n FROM facts")["n"] >= 1
    assert raised(store) == [] and store.query("SELECT * FROM assessments") == []
    assert "injected fault" in caplog.text


def test_cited_page_gone_loses_its_citation_once(store, config, claims):
    cited = next(c for c in claims if c.id == "B06").cited
    text = "Reuters figures give the H200 a TPP of 15,840."
    after_version(store, save(store, text, [tpp(text, "TPP of 15,840", 15840)],
                              "2025-03-01T10:00:00+00:00", url=cited), config)
    store.sync_sources([SourceConfig(name="reuters-chips", outlet="Reuters", url=cited)])
    store.update_source_state("reuters-chips", status="gone", failures_in_row=1, last_http_status=410)
    assert len(check_source(store, config, "reuters-chips")) == 1
    assert check_source(store, config, "reuters-chips") == []
    lost = raised(store, "citation_lost")
    assert [r["claim_id"] for r in lost] == ["B06"] and "gone" in lost[0]["title"]
    from chipwatch.monitor.baseline import citation_check

    assert citation_check(store, next(c for c in claims if c.id == "B06")) == ("no longer says", "the page is gone")
