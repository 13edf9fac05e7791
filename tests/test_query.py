"""`chipwatch facts` filters and --compare, read-only `sql`, and the Datasette metadata."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3

import pytest
import yaml

import chipwatch.monitor.cli  # noqa: F401  (first: it registers the command modules)
from chipwatch.monitor import cli_facts
from conftest import REPO
from test_report import HOSTILE_OUTLET, ROUNDUP_URL, WIRE_URL, build_report_db


@pytest.fixture
def db(tmp_path):
    return build_report_db(tmp_path)


def facts_json(cw, db, *args) -> list[dict]:
    r = cw("facts", "--format", "json", *args, db_path=db)
    assert r.code == 0, r.err
    return [json.loads(line) for line in r.out.splitlines()]


def test_filters_combine(cw, db):
    everything = facts_json(cw, db)
    tpp = facts_json(cw, db, "--chip", "H200", "--metric", "tpp")
    assert {f["value"] for f in tpp} == {15832.0, 15840.0}
    assert all(f["chip"] == "H200" and f["metric"] == "tpp" for f in tpp)
    one_outlet = facts_json(cw, db, "--chip", "H200", "--metric", "tpp", "--outlet", "Example Wire")
    assert [f["value"] for f in one_outlet] == [15832.0]     # v1's 15840 is no longer on the page
    assert {f["value"] for f in facts_json(cw, db, "--chip", "H200", "--metric", "tpp",
                                           "--outlet", "Example Wire", "--all")} \
        == {15832.0, 15840.0}
    policy = facts_json(cw, db, "--kind", "policy")
    assert policy and all(f["kind"] == "policy" for f in policy)
    us = facts_json(cw, db, "--kind", "policy", "--actor", "us")         # any case
    assert us and all(f["actor"] == "US" for f in us)
    since = facts_json(cw, db, "--since", "2025-12-11T00:00:00+00:00")
    assert since and all(f["first_seen"] >= "2025-12-11" for f in since)
    assert len(since) < len(everything)
    quoted = facts_json(cw, db, "--q", "total processing performance")
    assert quoted and all("processing performance" in f["quote"] for f in quoted)
    b06 = facts_json(cw, db, "--baseline", "b06")
    assert {(f["value"], f["url"]) for f in b06} == {(15840.0, ROUNDUP_URL), (15832.0, WIRE_URL)}
    assert {f["verdict"] for f in b06} == {"supports", "contradicts"}
    none = cw("facts", "--chip", "H200", "--metric", "tpp", "--since", "2030-01-01", db_path=db)
    assert none.code == 0 and none.out == "" and "no facts match" in none.err


def test_every_row_carries_its_provenance(cw, db):
    rows = facts_json(cw, db)
    for f in rows:
        assert f["url"].startswith("https://") and f["outlet"] and f["fetched_at"] and f["content_hash"]
        assert f["quote"] and f["char_end"] > f["char_start"]
    text = sqlite3.connect(db).execute(
        "SELECT text FROM snapshots WHERE id = ?", [rows[0]["snapshot_id"]]).fetchone()[0]
    assert text[rows[0]["char_start"]:rows[0]["char_end"]] == rows[0]["quote"]
    csv_lines = cw("facts", "--format", "csv", db_path=db).out.splitlines()
    assert csv_lines[0].split(",")[:4] == ["id", "kind", "chip", "metric"]
    assert len(csv_lines) == len(rows) + 1


def test_chip_aliases(cw, db):
    canonical = facts_json(cw, db, "--chip", "H200")
    assert canonical
    for alias in ("Nvidia's H200", "h200", "H200 chips"):
        assert facts_json(cw, db, "--chip", alias) == canonical


def test_table_fits_80_columns_and_shows_provenance(cw, db, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    r = cw("facts", db_path=db)
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].split()[:4] == ["ID", "CHIP", "WHAT", "VALUE"]
    assert max(len(line) for line in lines) <= 80
    assert WIRE_URL in r.out and "\u201c" in r.out             # URL and quote under each fact
    assert f"2025-12-10 15:30 {WIRE_URL}" in r.out              # snapshot time and URL
    compare = cw("facts", "--compare", "--chip", "H200", db_path=db)
    assert max(len(line) for line in compare.out.splitlines()) <= 80


def test_table_shows_a_page_and_says_so(cw, db, monkeypatch):
    monkeypatch.setattr(cli_facts, "TABLE_PAGE", 2)
    r = cw("facts", db_path=db)
    assert len([line for line in r.out.splitlines() if re.match(r"^\d+ ", line)]) == 2
    assert "showing the newest 2 facts" in r.err
    everything = cw("facts", "--limit", "0", db_path=db)
    assert "showing" not in everything.err
    assert len(facts_json(cw, db)) > 2                          # json is never paged


def test_compare_shows_one_row_per_source_and_the_disagreement(cw, db):
    rows = [json.loads(line) for line in cw(
        "facts", "--compare", "--chip", "Nvidia's H200", "--metric", "tpp", "--format", "json",
        db_path=db).out.splitlines()]
    assert {(r["outlet"], r["value"]) for r in rows} == {("Example Wire", 15832.0),
                                                         (HOSTILE_OUTLET, 15840.0)}
    for r in rows:
        assert r["sources"] == 2 and r["values"] == 2 and r["agrees"] == "split"
        assert r["url"] and r["quote"] and r["fetched_at"] and r["documents"] == 1
    table = cw("facts", "--compare", "--chip", "H200", "--metric", "tpp", db_path=db).out
    assert "H200 tpp \u2014 sources disagree: 2 values (2 source(s))" in table
    assert "15832" in table and "15840" in table
    # One value from every source: they agree; a second source that differs is marked.
    memory = [json.loads(line) for line in cw(
        "facts", "--compare", "--chip", "H200", "--metric", "memory_capacity", "--format", "json",
        db_path=db).out.splitlines()]
    assert [r["agrees"] for r in memory] == ["only"]


def _file_hash(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("statement", [
    "DELETE FROM facts",
    "DROP TABLE facts",
    "UPDATE facts SET value = 1",
    "INSERT INTO alerts (type, dedupe_key, title, created_at) VALUES ('x', 'x', 'x', 'x')",
    "CREATE TABLE t (x)",
    "PRAGMA user_version = 7",
    "VACUUM INTO 'copy.db'",
    "ATTACH DATABASE 'other.db' AS other",
])
def test_sql_cannot_write(cw, db, tmp_path, statement):
    before = _file_hash(db)
    r = cw("sql", statement, db_path=db)
    assert r.code == 2 and r.err.count("\n") == 1 and r.err.startswith("chipwatch: error: sql:")
    assert "read-only" in r.err or "refused" in r.err
    assert _file_hash(db) == before
    assert not (tmp_path / "copy.db").exists() and not (tmp_path / "other.db").exists()
    n = cw("sql", "SELECT count(*) AS n FROM facts", "--format", "json", db_path=db)
    assert json.loads(n.out)["n"] > 0


def test_sql_reads_in_every_format(cw, db):
    q = ("SELECT chip, metric, value FROM facts WHERE chip = 'H200' AND metric = 'tpp' "
         "AND current = 1 ORDER BY value")
    rows = [json.loads(line) for line in cw("sql", q, "--format", "json", db_path=db).out.splitlines()]
    assert rows == [{"chip": "H200", "metric": "tpp", "value": 15832.0},
                    {"chip": "H200", "metric": "tpp", "value": 15840.0}]
    assert cw("sql", q, "--format", "csv", db_path=db).out.splitlines()[0] == "chip,metric,value"
    assert "15840" in cw("sql", q, db_path=db).out


# -- Datasette ----------------------------------------------------------------------------

METADATA = REPO / "config" / "datasette.yml"
QUERY_PARAMS = {"chip": "H200", "claim": "B06", "url": WIRE_URL}


def metadata() -> dict:
    return yaml.safe_load(METADATA.read_text(encoding="utf-8"))


def test_datasette_metadata_describes_real_tables_and_columns(db):
    meta = metadata()
    tables = meta["databases"]["chipwatch"]["tables"]
    conn = sqlite3.connect(db)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    for table, spec in tables.items():
        assert table in names, table
        assert spec["description"]
        columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        for key in ("label_column", "sort_desc"):
            if key in spec:
                assert spec[key] in columns, (table, key)
        for column in list(spec.get("columns", {})) + list(spec.get("facets", [])):
            assert column in columns, (table, column)
        if "fts_table" in spec:
            assert spec["fts_table"] in names
    assert {"facts", "snapshots", "documents", "assessments", "alerts", "sources"} <= set(tables)


def test_every_canned_query_runs_on_a_real_database(db):
    queries = metadata()["databases"]["chipwatch"]["queries"]
    assert {"baseline_status", "figures_by_chip", "latest_alerts", "document_history"} <= set(queries)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    results = {}
    for name, spec in queries.items():
        assert spec["title"] and spec["description"]
        params = {p: QUERY_PARAMS[p] for p in set(re.findall(r":(\w+)", spec["sql"]))}
        results[name] = [dict(r) for r in conn.execute(spec["sql"], params)]
    status = {r["claim"]: r["verdict"] for r in results["baseline_status"]}
    assert list(status) == [f"B{i:02}" for i in range(1, 16)]
    assert status["B06"] == "disputed" and status["B05"] == "supported" and status["B03"] == "contradicted"
    assert {r["value"] for r in results["figures_by_chip"] if r["metric"] == "tpp"} == {15832.0, 15840.0}
    assert {r["claim"] for r in results["claim_evidence"]} == {"B06"}
    assert [r["version"] for r in results["document_history"]] == [1, 2]
    assert any(r["title"].startswith("H200 tpp changed") for r in results["latest_alerts"])
    assert results["figure_disagreements"][0]["metric"] == "tpp"
    assert results["source_health"][0]["failures_in_row"] == 4
    # An empty chip lists every chip (Datasette sends "" for an empty form field).
    every = conn.execute(queries["figures_by_chip"]["sql"], {"chip": ""}).fetchall()
    assert len(every) >= len(results["figures_by_chip"])
