"""Fault suite, user input: out-of-range settings, database paths that are not databases,
`--since` values, read commands on a missing database. Each gets one line and exit 2."""
from __future__ import annotations

import pytest

from faults import GOOD_PAGE, HTML, rows, source, write_config


@pytest.mark.parametrize("setting", [
    'interval = "99999999d"',
    'interval = 1e300',
])
def test_an_enormous_interval_is_refused_at_load(server, tmp_path, cw, setting):
    server.route("/a", body=GOOD_PAGE, headers=HTML)
    cfg = write_config(tmp_path, source("a", server.url("/a"), extra=setting))
    r = cw("--config", cfg, "run", "--once")
    assert r.code == 2
    assert "too long" in r.err and "interval" in r.err and r.err.count("\n") == 1
    assert server.requests() == []  # nothing was polled
    assert not cw.db.exists() or rows(cw.db, "SELECT count(*) FROM fetches") == [(0,)]


@pytest.mark.parametrize("table,key,value", [
    ("fetch", "backoff_max", '"99999999d"'),
    ("schedule", "max_backoff", "1e18"),
    ("fetch", "max_bytes", "100_000_000_000_000"),
    ("fetch", "max_redirects", "1_000_000"),
])
def test_every_bound_is_checked_when_the_config_is_read(tmp_path, cw, table, key, value):
    cfg = write_config(tmp_path)
    text = cfg.read_text()
    if f"[{table}]" in text:
        text = text.replace(f"[{table}]\n", f"[{table}]\n{key} = {value}\n")
    else:
        text += f"[{table}]\n{key} = {value}\n"
    cfg.write_text(text)
    r = cw("--config", cfg, "run", "--once")
    assert r.code == 2 and f"{table}.{key}" in r.err and "at most" in r.err


def test_daemon_option_durations_are_bounded_too(tmp_path, cw):
    cfg = write_config(tmp_path)
    r = cw("--config", cfg, "run", "--watchdog", "99999999d")
    assert r.code == 2 and "--watchdog" in r.err and "too long" in r.err


@pytest.mark.parametrize("command", [("facts",), ("run", "--once"), ("ingest", "page.html"), ("sql", "SELECT 1"),
                                     ("sources",), ("report",)])
def test_a_database_path_that_is_a_directory_is_one_line_and_exit_2(tmp_path, cw, command):
    (tmp_path / "page.html").write_text(GOOD_PAGE)
    folder = tmp_path / "adir"
    folder.mkdir()
    cfg = write_config(tmp_path)
    r = cw("--config", cfg, *command, db_path=folder)
    assert r.code == 2, r.err
    assert "is a directory" in r.err and r.err.count("\n") == 1
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("content", [b"this is not a database at all\n" * 300, b"SQLite format 3\x00" + b"\xff" * 5000])
@pytest.mark.parametrize("command", [("facts",), ("run", "--once"), ("ingest", "page.html"), ("sql", "SELECT 1")])
def test_a_corrupted_database_file_is_one_line_and_exit_2(tmp_path, cw, content, command):
    (tmp_path / "page.html").write_text(GOOD_PAGE)
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    cfg = write_config(tmp_path)
    r = cw("--config", cfg, *command, db_path=bad)
    assert r.code == 2, (r.err, r.out)
    assert "Traceback" not in r.err and r.err.count("\n") == 1
    assert "not a usable chipwatch database" in r.err or "cannot open" in r.err
    assert bad.read_bytes() == content  # left exactly as it was


@pytest.mark.parametrize("command", [("facts",), ("baseline",), ("alerts",), ("history", "http://x.test/a"),
                                     ("search", "H200"), ("report",), ("sql", "SELECT 1"), ("reextract",)])
def test_read_commands_never_create_a_database(tmp_path, cw, command):
    r = cw(*command, db_path=None)  # default: chipwatch.db in the working directory
    assert r.code == 2
    assert "no such database" in r.err and r.err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
    nested = tmp_path / "nonexistent" / "dir" / "x.db"
    r = cw(*command, db_path=nested)
    assert r.code == 2 and "no such database" in r.err
    assert not (tmp_path / "nonexistent").exists()


def test_sources_on_a_missing_database_lists_the_config_and_creates_nothing(tmp_path, cw, server):
    cfg = write_config(tmp_path, source("a", server.url("/a")))
    r = cw("--config", cfg, "sources", "--format", "json")
    assert r.code == 0 and '"name": "a"' in r.out and '"status": "new"' in r.out
    assert "no database" in r.err and not cw.db.exists()


def _facts_with_ages(tmp_path, cw):  # noqa: ANN202
    """Two ingested pages; the first one's facts (and alerts) made ten days old."""
    import sqlite3
    from datetime import datetime, timedelta, timezone

    (tmp_path / "old.html").write_text(GOOD_PAGE)
    (tmp_path / "new.html").write_text(GOOD_PAGE.replace("15,840", "15,000").replace("25%", "15%"))
    assert cw("ingest", tmp_path / "old.html").code == 0
    old = (datetime.now(timezone.utc) - timedelta(days=10)).replace(microsecond=0).isoformat()
    conn = sqlite3.connect(cw.db)
    with conn:
        conn.execute("UPDATE facts SET first_seen = ?", [old])
        conn.execute("UPDATE alerts SET created_at = ?", [old])
    conn.close()
    assert cw("ingest", tmp_path / "new.html").code == 0
    return rows(cw.db, "SELECT count(*) FROM facts")[0][0], rows(cw.db, "SELECT count(*) FROM facts WHERE first_seen < ?", (old[:10] + "T23:59:59",))[0][0]


@pytest.mark.parametrize("command", ["facts", "alerts"])
def test_since_takes_durations_and_iso_times_the_same_way(tmp_path, cw, command):
    import json
    from datetime import date, timedelta

    total, old = _facts_with_ages(tmp_path, cw)
    assert 0 < old < total

    def count(since: str) -> int:
        r = cw(command, "--since", since, "--format", "json", "--limit", "0" if command == "facts" else "1000")
        assert r.code == 0, r.err
        return len([json.loads(line) for line in r.out.splitlines()])

    everything = count("30d")
    recent = count("7d")
    assert 0 < recent < everything
    assert count("90m") == count("1h") == recent
    assert count((date.today() - timedelta(days=30)).isoformat()) == everything
    assert count((date.today() + timedelta(days=1)).isoformat() + "T00:00:00Z") == 0
    if command == "facts":
        assert everything == total and recent == total - old


@pytest.mark.parametrize("command", ["facts", "alerts"])
@pytest.mark.parametrize("value", ["yesterday", "notadate", "7 days", "20250131", "-5d", ""])
def test_anything_else_given_to_since_is_one_error_and_exit_2(tmp_path, cw, store, command, value):
    r = cw(command, "--since", value)
    assert r.code == 2
    assert "--since" in r.err and r.err.count("\n") == 1
