"""Fact confidence through the stack: the column, `facts --min-confidence`, JSON output,
the m0004 upgrade of an older database, and `[alerts] min_confidence`."""

from __future__ import annotations

import json
import sqlite3

from chipwatch.db.store import Store
from chipwatch.extractors.facts import Fact
from chipwatch.monitor.alerts import after_version
from chipwatch.monitor.config import AlertsConfig, Config

URL = "https://news.example.org/h200-rules"
TEXT = ("Washington will take a 25% fee on every H200 sale to China.\n\n"
        "The H200 has a TPP score of 15,840.\n\n"
        "Officials may also review each shipment of the H200.")


def fact(quote: str, confidence: float | None, **fields) -> Fact:
    start = TEXT.index(quote)
    return Fact(quote=quote, char_start=start, char_end=start + len(quote), extractor="handmade",
                extractor_version="1", confidence=confidence, **fields)


def facts() -> list[Fact]:
    return [
        fact("take a 25% fee on every H200 sale", 0.97, kind="policy", actor="US", action="fee",
             chip="H200", metric="fee_percent", value=25, unit="%"),
        fact("TPP score of 15,840", 0.9, kind="chip_figure", chip="H200", metric="tpp", value=15840),
        fact("review each shipment of the H200", 0.2, kind="policy", actor="US",
             action="require_review", chip="H200"),
    ]


def save(store: Store, text: str, fs: list[Fact], at: str):
    return store.save_version(
        url=URL, canonical_url=None, body=text.encode(), text=text, title="H200 rules",
        published=None, updated=None, fetched_at=at, http_status=200, headers={},
        content_type="text/plain", encoding="utf-8", parser="handmade", facts=fs,
        outlet="Example News", source="example")


def test_confidence_is_stored_and_filtered_from_the_command_line(cw, tmp_path):
    store = Store.open(cw.db)
    save(store, TEXT, facts(), "2026-12-01T10:00:00+00:00")
    store.close()

    everything = cw("facts", "--format", "json")
    assert everything.code == 0, everything.err
    rows = [json.loads(line) for line in everything.out.splitlines()]
    assert sorted(r["confidence"] for r in rows) == [0.2, 0.9, 0.97]

    strong = cw("facts", "--format", "json", "--min-confidence", "0.5")
    kept = [json.loads(line) for line in strong.out.splitlines()]
    assert sorted(r["quote"] for r in kept) == ["TPP score of 15,840", "take a 25% fee on every H200 sale"]
    assert len(kept) < len(rows)  # the filter changed the answer

    only_top = cw("facts", "--format", "json", "--min-confidence", "0.95", "--kind", "policy")
    assert [json.loads(line)["action"] for line in only_top.out.splitlines()] == ["fee"]

    bad = cw("facts", "--min-confidence", "1.5")
    assert bad.code == 2 and "min-confidence" in bad.err


def test_ingest_stores_the_pipelines_confidence(cw, tmp_path):
    page = tmp_path / "news.txt"
    page.write_text("The Commerce Department will let AMD ship its MI308 to approved customers "
                    "in China.\n\nThe H200 has a TPP score of 15,840.\n", encoding="utf-8")
    assert cw("ingest", page, "--url", URL).code == 0
    rows = [json.loads(line) for line in cw("facts", "--format", "json").out.splitlines()]
    assert rows and all(0.0 < r["confidence"] <= 1.0 for r in rows)
    from chipwatch.extractors import figures, policy

    assert {r["extractor"] for r in rows} >= {policy.NAME, figures.NAME}


def test_an_older_database_upgrades_with_null_confidence(tmp_path):
    path = tmp_path / "old.db"
    store = Store.open(path)
    save(store, TEXT, facts()[:1], "2026-12-01T10:00:00+00:00")
    store.close()
    # make it what chipwatch wrote before m0004: no column, migration not recorded
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE facts DROP COLUMN confidence")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0004_fact_confidence'")
    conn.commit()
    conn.close()

    store = Store.open(path)
    try:
        row = store.one("SELECT quote, confidence FROM facts")
        assert row == {"quote": "take a 25% fee on every H200 sale", "confidence": None}
        # the next extraction of the same fact gives it its score
        save(store, TEXT + "\n\nMore later.", facts()[:1], "2026-12-02T10:00:00+00:00")
        assert store.one("SELECT confidence FROM facts")["confidence"] == 0.97
    finally:
        store.close()


def _fact_ids_alerted(store: Store) -> set[int]:
    ids: set[int] = set()
    for row in store.query("SELECT fact_ids FROM alerts WHERE type IN ('new_document', 'fact_added')"):
        ids |= set(json.loads(row["fact_ids"]))
    return ids


def _quotes(store: Store, ids: set[int]) -> set[str]:
    return {r["quote"] for r in store.query("SELECT id, quote FROM facts") if r["id"] in ids}


def test_alerts_leave_out_facts_below_min_confidence(tmp_path):
    results = {}
    for floor in (0.0, 0.5):
        store = Store.open(tmp_path / f"cw{floor}.db")
        config = Config(alerts=AlertsConfig(jsonl="", min_confidence=floor))
        first = TEXT.split("\n\n")[0]
        after_version(store, save(store, first, [facts()[0]], "2026-12-01T10:00:00+00:00"), config)
        after_version(store, save(store, TEXT, facts(), "2026-12-01T11:00:00+00:00"), config)
        results[floor] = _quotes(store, _fact_ids_alerted(store))
        store.close()
    assert "review each shipment of the H200" in results[0.0]
    assert "review each shipment of the H200" not in results[0.5]
    assert "TPP score of 15,840" in results[0.5]


def test_min_confidence_in_the_config_file_is_checked(tmp_path):
    from chipwatch.monitor.config import ConfigError, load_config

    good = tmp_path / "good.toml"
    good.write_text('sources = ""\n[alerts]\nmin_confidence = 0.7\n', encoding="utf-8")
    assert load_config(good).alerts.min_confidence == 0.7
    bad = tmp_path / "bad.toml"
    bad.write_text('sources = ""\n[alerts]\nmin_confidence = 3\n', encoding="utf-8")
    try:
        load_config(bad)
    except ConfigError as err:
        assert "min_confidence" in str(err)
    else:
        raise AssertionError("min_confidence = 3 was accepted")


def test_reextract_scores_facts_stored_before_confidences(cw, tmp_path):
    page = tmp_path / "news.txt"
    page.write_text("The Commerce Department will let AMD ship its MI308 to approved customers "
                    "in China.\n\nThe H200 has a TPP score of 15,840.\n", encoding="utf-8")
    assert cw("ingest", page, "--url", URL).code == 0
    # what a database from before the policy model holds: no confidences, no model run
    conn = sqlite3.connect(cw.db)
    conn.execute("UPDATE facts SET confidence = NULL")
    conn.execute("DELETE FROM extraction_runs WHERE extractor = 'policy_model'")
    conn.commit()
    conn.close()
    assert cw("facts", "--format", "json", "--min-confidence", "0").out == ""

    done = cw("reextract")
    assert done.code == 0 and "re-extracted 1 snapshot" in done.out
    rows = [json.loads(line) for line in cw("facts", "--format", "json").out.splitlines()]
    assert rows and all(r["confidence"] is not None for r in rows)
    assert len(rows) == len(cw("facts", "--format", "json", "--min-confidence", "0").out.splitlines())
