"""Fault suite, storage: another writer holding the database, a full disk, and database
paths that are not databases. Real SQLite files, a real second writer, a real process
whose file-size limit the kernel enforces (the same refused write as a full disk)."""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from chipwatch.db.store import Store
from faults import GOOD_PAGE, HTML, chipwatch, rows, source, wordy_page, write_config


def hold_write_lock(db, seconds: float) -> threading.Thread:
    """Another process's writer, as SQLite sees it: BEGIN IMMEDIATE on its own connection."""
    ready = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(db, timeout=10)
        conn.execute("BEGIN IMMEDIATE")
        ready.set()
        time.sleep(seconds)
        conn.execute("ROLLBACK")
        conn.close()

    t = threading.Thread(target=hold, daemon=True)
    t.start()
    ready.wait(5)
    return t


def test_a_short_busy_spell_is_waited_out(server, tmp_path, cw):
    server.route("/a", body=GOOD_PAGE, headers=HTML)
    cfg = write_config(tmp_path, source("a", server.url("/a")), extra="[database]\nbusy_timeout = \"3s\"\n")
    Store.open(cw.db).close()  # the database exists, as after earlier runs
    holder = hold_write_lock(cw.db, 0.5)
    r = cw("--config", cfg, "run", "--once")
    holder.join()
    assert r.code == 0, r.err
    assert "new versions 1" in r.out
    assert rows(cw.db, "SELECT count(*) FROM snapshots")[0][0] == 1


def test_busy_past_the_bound_fails_that_source_and_the_others_are_saved(server, tmp_path, cw):
    server.route("/a", body=GOOD_PAGE, headers=HTML)
    holders: list[threading.Thread] = []

    def busy_then_answer(_req):  # noqa: ANN001, ANN202
        # another writer takes the database just as this source's answer arrives
        holders.append(hold_write_lock(cw.db, 1.5))
        from localserver import Route
        return Route(body=GOOD_PAGE.replace("Monday", "Friday"), headers=HTML)

    server.route("/b", handler=busy_then_answer, delay=0.5)
    cfg = write_config(tmp_path, source("a", server.url("/a")) + source("b", server.url("/b")),
                       extra="[database]\nbusy_timeout = \"1s\"\n")
    Store.open(cw.db).close()
    r = cw("--config", cfg, "run", "--once")
    for h in holders:
        h.join()
    assert r.code == 0, r.err
    assert "Traceback" not in r.err
    line_b = next(line for line in r.out.splitlines() if line.startswith("b "))
    assert "database busy" in line_b and "failures 1" in line_b
    docs = {u for (u,) in rows(cw.db, "SELECT url FROM documents")}
    assert docs == {server.url("/a")}
    assert rows(cw.db, "SELECT error_class FROM fetches WHERE source = 'b'") == [("database_busy",)]
    assert rows(cw.db, "PRAGMA integrity_check") == [("ok",)]


def test_database_held_for_the_whole_run_is_one_line_and_exit_3(server, tmp_path, cw):
    server.route("/a", body=GOOD_PAGE, headers=HTML)
    cfg = write_config(tmp_path, source("a", server.url("/a")), extra="[database]\nbusy_timeout = \"0.5s\"\n")
    Store.open(cw.db).close()
    holder = hold_write_lock(cw.db, 2.0)
    r = cw("--config", cfg, "run", "--once")
    holder.join()
    assert r.code == 3
    assert "busy" in r.err and r.err.count("\n") == 1
    assert rows(cw.db, "SELECT count(*) FROM fetches")[0][0] == 0


@pytest.mark.slow
def test_ingest_on_a_full_disk_says_what_was_saved_and_exits_3(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(6):
        (folder / f"p{i}.html").write_text(wordy_page(i, 12_000), encoding="utf-8")
    db = tmp_path / "cw.db"
    cfg = write_config(tmp_path)
    first = chipwatch("--db", db, "--config", cfg, "ingest", folder / "p0.html", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    size = db.stat().st_size + (tmp_path / "cw.db-wal").stat().st_size if (tmp_path / "cw.db-wal").exists() \
        else db.stat().st_size
    full = chipwatch("--db", db, "--config", cfg, "ingest", folder, cwd=tmp_path,
                     file_size_limit=size + 500_000)
    assert full.returncode == 3, full.stderr
    assert "Traceback" not in full.stderr
    err = [line for line in full.stderr.splitlines() if "cannot write the database" in line]
    assert len(err) == 1 and "not saved" in err[0] and "saved before it" in err[0]
    # the database is intact and holds every version saved before the disk filled up
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    stored = rows(db, "SELECT count(*) FROM snapshots")[0][0]
    assert 1 <= stored < 6
    assert f"{stored - 1} new version(s)" in err[0]
    # with room again, the same command stores the rest
    again = chipwatch("--db", db, "--config", cfg, "ingest", folder, cwd=tmp_path)
    assert again.returncode == 0 and rows(db, "SELECT count(*) FROM snapshots")[0][0] == 6


@pytest.mark.slow
def test_run_once_on_a_full_disk_stops_with_one_line_and_exit_3(server, tmp_path):
    for i in range(4):
        server.route(f"/p{i}", body=wordy_page(10 + i, 12_000), headers=HTML)
    db = tmp_path / "cw.db"
    cfg = write_config(tmp_path, "".join(source(f"s{i}", server.url(f"/p{i}")) for i in range(4)))
    Store.open(db).close()
    size = sum(p.stat().st_size for p in tmp_path.glob("cw.db*"))
    r = chipwatch("--db", db, "--config", cfg, "run", "--once", cwd=tmp_path, file_size_limit=size + 250_000)
    assert r.returncode == 3, r.stderr
    assert "Traceback" not in r.stderr
    assert "cannot write the database" in r.stderr and "not saved" in r.stderr
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert rows(db, "SELECT count(*) FROM snapshots")[0][0] < 4


def test_ingest_into_a_database_held_by_another_writer_is_one_line_and_exit_3(tmp_path, cw):
    page = tmp_path / "page.html"
    page.write_text(GOOD_PAGE)
    cfg = write_config(tmp_path, extra="[database]\nbusy_timeout = \"0.5s\"\n")
    Store.open(cw.db).close()
    holder = hold_write_lock(cw.db, 2.0)
    r = cw("--config", cfg, "ingest", page)
    holder.join()
    assert r.code == 3, r.err
    assert "Traceback" not in r.err and r.err.count("\n") == 1 and "locked" in r.err
    assert rows(cw.db, "SELECT count(*) FROM snapshots") == [(0,)]
    assert cw("--config", cfg, "ingest", page).code == 0  # free again: stored
