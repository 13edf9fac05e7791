"""Fault suite, growth: `chipwatch gc` trims the fetch log to the last N attempts per URL
plus every attempt that changed something, and never touches provenance."""
from __future__ import annotations

from chipwatch.db.store import Store
from faults import GOOD_PAGE, HTML, rows, source, write_config


def test_gc_keeps_the_last_n_and_every_change_and_all_provenance(server, tmp_path, cw):
    server.route("/a", body=GOOD_PAGE, headers=HTML, etag='"v1"')
    cfg = write_config(tmp_path, source("a", server.url("/a")))
    assert cw("--config", cfg, "run", "--once").code == 0  # stores version 1
    url = server.url("/a")
    # many polls' worth of attempts, as a long-running daemon leaves them (304s, a failure spell)
    store = Store.open(cw.db)
    for i in range(120):
        outcome = "failing" if 50 <= i < 55 else "not_modified"
        store.record_fetch(source="a", url=url, started_at=f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}+00:00",
                           outcome=outcome, http_status=500 if outcome == "failing" else 304, etag='"v1"')
    store.close()
    server.route("/a", body=GOOD_PAGE.replace("Monday", "Tuesday"), headers=HTML, etag='"v2"')
    assert cw("--config", cfg, "run", "--once").code == 0  # stores version 2
    before_snapshots = rows(cw.db, "SELECT id, content_hash FROM snapshots ORDER BY id")
    before_facts = rows(cw.db, "SELECT id, snapshot_id, quote FROM facts ORDER BY id")
    total = rows(cw.db, "SELECT count(*) FROM fetches")[0][0]
    assert total == 122

    dry = cw("--config", cfg, "gc", "--keep", "10", "--dry-run")
    assert dry.code == 0 and "would delete" in dry.out
    assert rows(cw.db, "SELECT count(*) FROM fetches")[0][0] == total

    r = cw("--config", cfg, "gc", "--keep", "10")
    assert r.code == 0, r.err
    kept = rows(cw.db, "SELECT id, outcome FROM fetches ORDER BY id")
    kept_ids = {k[0] for k in kept}
    # every attempt that stored a version is kept
    creators = {fid for (fid,) in rows(cw.db, "SELECT fetch_id FROM snapshots")}
    assert creators and creators <= kept_ids
    # the failure spell's start and end are kept (the outcome changed there)
    outcomes = [k[1] for k in kept]
    assert "failing" in outcomes
    # the last 10 attempts are all there
    last10 = rows(cw.db, "SELECT id FROM fetches ORDER BY id DESC LIMIT 10")
    assert len(last10) == 10
    assert len(kept) < 30
    assert f"deleted {total - len(kept)}" in r.out
    # provenance untouched
    assert rows(cw.db, "SELECT id, content_hash FROM snapshots ORDER BY id") == before_snapshots
    assert rows(cw.db, "SELECT id, snapshot_id, quote FROM facts ORDER BY id") == before_facts
    # a second gc finds nothing more to delete
    assert "deleted 0" in cw("--config", cfg, "gc", "--keep", "10").out
    # conditional GET still works after the trim: the validators came through
    again = cw("--config", cfg, "run", "--once")
    assert again.code == 0 and server.requests("/a")[-1].header("If-None-Match") == '"v2"'


def test_gc_on_a_missing_database_is_exit_2(tmp_path, cw):
    r = cw("gc")
    assert r.code == 2 and "no such database" in r.err and not cw.db.exists()
