"""The database: migrations, versioning by content, and facts with their sightings."""

from __future__ import annotations

import sqlite3

import pytest

from chipwatch.db.store import Store, StoreError
from chipwatch.extractors.facts import Fact


def integrity_errors() -> tuple[type[Exception], ...]:
    """A constraint violation as each engine's driver reports it."""
    try:
        import psycopg
    except ImportError:
        return (sqlite3.IntegrityError,)
    return (sqlite3.IntegrityError, psycopg.IntegrityError)


def make_fact(text: str, quote: str, **fields) -> Fact:
    start = text.index(quote)
    base = dict(kind="chip_figure", chip="H200", metric="tpp", value=15840.0, unit=None,
                extractor="chip_figures", extractor_version="1")
    base.update(fields)
    return Fact(quote=quote, char_start=start, char_end=start + len(quote), **base)


def save(store: Store, body: str, facts: list[Fact], *, url="https://example.com/a",
         at="2025-01-01T00:00:00+00:00", text: str | None = None):
    return store.save_version(
        url=url, canonical_url=None, body=body.encode(), text=text if text is not None else body,
        title="T", published=None, updated=None, fetched_at=at, http_status=200,
        headers={}, content_type="text/html", encoding="utf-8", parser="test", facts=facts,
    )


def test_open_applies_migrations_with_wal_and_foreign_keys(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    for table in ("sources", "fetches", "snapshots", "documents", "facts", "baseline_claims",
                  "assessments", "alerts", "deliveries", "snapshots_fts"):
        assert table in store.db.table_names()


def test_reopening_applies_nothing_twice(tmp_path):
    Store.open(tmp_path / "t.db").close()
    s = Store.open(tmp_path / "t.db")
    names = [r[0] for r in s.db.execute("SELECT name FROM _sqlite_migrations")]
    assert len(names) == len(set(names)) >= 1
    s.close()


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    Store.open(tmp_path / "t.db").close()
    conn = sqlite3.connect(tmp_path / "t.db")
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('chipwatch', '9999_future', '2030')"
    )
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer chipwatch"):
        Store.open(tmp_path / "t.db")


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    (tmp_path / "junk.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable chipwatch database"):
        Store.open(tmp_path / "junk.db")


def test_same_body_twice_adds_no_snapshot(any_store):
    text = "The H200 scores 15,840 on TPP."
    first = save(any_store, text, [make_fact(text, "The H200 scores 15,840 on TPP.")])
    second = save(any_store, text, [make_fact(text, "The H200 scores 15,840 on TPP.")],
                  at="2025-01-02T00:00:00+00:00")
    assert first.new_version and not second.new_version
    assert second.snapshot_id == first.snapshot_id
    assert any_store.one("SELECT count(*) AS n FROM snapshots")["n"] == 1
    fact = any_store.one("SELECT first_seen, last_seen FROM facts")
    assert fact == {"first_seen": "2025-01-01T00:00:00+00:00", "last_seen": "2025-01-02T00:00:00+00:00"}


def test_raw_body_change_with_same_text_adds_no_version(any_store):
    save(any_store, "<p>x</p><!-- ad slot 1 -->", [], text="Same words.")
    again = save(any_store, "<p>x</p><!-- ad slot 2 -->", [], text="Same words.")
    assert not again.new_version


def test_changed_figure_is_a_new_version_with_added_and_removed_facts(any_store):
    v1 = "Intro. The H200 scores 15,840 on TPP."
    v2 = "Intro paragraph, longer now. The H200 scores 15,832 on TPP."
    a = save(any_store, v1, [make_fact(v1, "The H200 scores 15,840 on TPP.")])
    b = save(any_store, v2, [make_fact(v2, "The H200 scores 15,832 on TPP.", value=15832.0)],
             at="2025-01-02T00:00:00+00:00")
    assert b.new_version and b.previous_snapshot_id == a.snapshot_id
    assert len(b.added_fact_ids) == 1 and b.removed_fact_ids == a.added_fact_ids
    rows = any_store.query("SELECT value, current, snapshot_id, quote, char_start FROM facts ORDER BY id")
    assert [(r["value"], r["current"]) for r in rows] == [(15840.0, 0), (15832.0, 1)]
    # Provenance of each fact points into the text of its own snapshot.
    for r in rows:
        snap = any_store.one("SELECT text FROM snapshots WHERE id = ?", [r["snapshot_id"]])
        assert snap["text"][r["char_start"]:r["char_start"] + len(r["quote"])] == r["quote"]


def test_a_fact_that_moves_keeps_its_row_and_gains_a_sighting(any_store):
    v1 = "The H200 scores 15,840 on TPP."
    v2 = "New first paragraph. The H200 scores 15,840 on TPP."
    a = save(any_store, v1, [make_fact(v1, "The H200 scores 15,840 on TPP.")])
    b = save(any_store, v2, [make_fact(v2, "The H200 scores 15,840 on TPP.")],
             at="2025-01-02T00:00:00+00:00")
    assert b.new_version and not b.added_fact_ids and b.kept_fact_ids == a.added_fact_ids
    sightings = any_store.query("SELECT snapshot_id, char_start FROM fact_sightings ORDER BY snapshot_id")
    assert [s["char_start"] for s in sightings] == [0, v2.index("The H200")]


def test_flip_flopping_content_reuses_fact_rows(any_store):
    va, vb = "The H200 scores 15,840 on TPP.", "The H200 scores 15,832 on TPP."
    fa = lambda: [make_fact(va, va)]  # noqa: E731
    fb = lambda: [make_fact(vb, vb, value=15832.0)]  # noqa: E731
    save(any_store, va, fa(), at="2025-01-01T00:00:00+00:00")
    save(any_store, vb, fb(), at="2025-01-02T00:00:00+00:00")
    third = save(any_store, va, fa(), at="2025-01-03T00:00:00+00:00")
    save(any_store, vb, fb(), at="2025-01-04T00:00:00+00:00")
    assert third.new_version
    assert any_store.one("SELECT count(*) AS n FROM facts")["n"] == 2
    assert any_store.one("SELECT count(*) AS n FROM snapshots")["n"] == 4


def test_canonical_url_joins_aliases_to_one_document(any_store):
    any_store.save_version(url="https://example.com/a?utm_source=x", canonical_url="https://example.com/a",
                       body=b"b1", text="one", title=None, published=None, updated=None,
                       fetched_at="2025-01-01T00:00:00+00:00", http_status=200, headers={},
                       content_type=None, encoding=None, parser="t", facts=[])
    assert any_store.document_by_url("https://example.com/a?utm_source=x")["url"] == "https://example.com/a"
    assert any_store.one("SELECT count(*) AS n FROM documents")["n"] == 1


def test_a_failed_write_leaves_nothing_half_written(any_store):
    text = "The H200 scores 15,840 on TPP."
    bad = make_fact(text, text)
    bad.kind = None  # NOT NULL violation in the middle of the transaction
    with pytest.raises(integrity_errors()):
        save(any_store, text, [make_fact(text, text, value=1.0), bad])
    for table in ("documents", "snapshots", "facts", "fact_sightings"):
        assert any_store.one(f"SELECT count(*) AS n FROM {table}")["n"] == 0, table


def test_raw_body_is_stored_compressed_and_comes_back(any_store):
    body = "<html>" + "repeated words " * 1000 + "</html>"
    saved = save(any_store, body, [], text="words")
    stored = any_store.one("SELECT length(body_z) AS z, body_size FROM snapshots")
    assert stored["z"] < stored["body_size"] / 5
    assert any_store.snapshot_body(saved.snapshot_id) == body.encode()


def test_readonly_store_cannot_write(tmp_path):
    Store.open(tmp_path / "t.db").close()
    ro = Store.open(tmp_path / "t.db", readonly=True)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        ro.db.execute("DELETE FROM facts")
    ro.close()


def test_a_database_of_an_older_version_upgrades_in_place(tmp_path):
    """Stop a database at its first migration, store something, then open it with this
    version: the later migrations run and nothing stored is lost."""
    from sqlite_utils import Database

    from chipwatch.db.schema import migrations

    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="0002_query_indexes")
    old.execute("INSERT INTO sources (name, url, kind, interval_s) VALUES ('a', 'https://example.com/', 'page', 60)")
    old.conn.commit()
    old.conn.close()
    s = Store.open(path)
    applied = [r[0] for r in s.db.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied[0] == "0001_initial" and "0003_write_path_indexes" in applied
    assert "facts_document_current" in {r[0] for r in s.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert s.source_state("a")["url"] == "https://example.com/"
    s.close()
