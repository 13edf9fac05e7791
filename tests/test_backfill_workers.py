"""`ingest --distributed` and `reextract --distributed` for real: two `chipwatch worker`
processes on a real PostgreSQL server take the jobs; what they store is compared with a
local ingest of the same files into SQLite (count and a checksum of the facts)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chipwatch.db.store import Store
from conftest import FIXTURES
from workerprocs import LAUNCH, rows, start_procs, wait_for

pytest.importorskip("procrastinate", reason="distributed mode needs the postgres extra")

procs = pytest.fixture(start_procs)


def write_config(folder: Path) -> Path:
    (folder / "chipwatch.toml").write_text('sources = ""\n[alerts]\njsonl = ""\n')
    return folder / "chipwatch.toml"


def make_pages(folder: Path, n: int) -> list[Path]:
    """Copies of a real-sized article, each a document of its own with a sentence of its own."""
    base = (FIXTURES / "articles" / "chip-race-v1.html").read_text()
    folder.mkdir()
    paths = []
    for i in range(n):
        page = base.replace("h200-sales-cleared", f"h200-sales-cleared-{i}").replace(
            "</article>", f"<p>Batch {i} of licences was reviewed by {i + 2} officers, and "
                          f"Nvidia said {i + 3} customers in China had applied.</p></article>")
        p = folder / f"page{i:03}.html"
        p.write_text(page)
        paths.append(p)
    return paths


def fact_digest(target: str | Path) -> tuple[int, str]:
    """How many facts, and a SHA-256 of what they say and where (ids left out: the order
    of the workers' stores is not the order of the files)."""
    store = Store.open(target, create=False)
    try:
        found = store.query("""
            SELECT d.url, s.content_hash, f.fact_key, f.kind, f.chip, f.metric, f.value, f.unit,
                   f.actor, f.action, f.quote, f.char_start, f.char_end, f.extractor,
                   f.extractor_version, f.current
            FROM facts f JOIN documents d ON d.id = f.document_id
            JOIN snapshots s ON s.id = f.snapshot_id""")
    finally:
        store.close()
    lines = sorted(json.dumps([float(v) if isinstance(v, (int, float)) else v for v in r.values()])
                   for r in found)
    return len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()


def cli(folder: Path, db: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPWATCH_")}
    return subprocess.run([sys.executable, "-c", LAUNCH, "--db", db, "--config", str(folder / "chipwatch.toml"),
                           *args], capture_output=True, text=True, cwd=folder, env=env, timeout=timeout)


@pytest.mark.slow
def test_distributed_ingest_stores_what_a_local_ingest_stores(tmp_path, pg_url, procs):
    write_config(tmp_path)
    make_pages(tmp_path / "pages", 16)
    missing = tmp_path / "missing.html"
    local = cli(tmp_path, str(tmp_path / "local.db"), "ingest", "pages", str(missing))
    assert local.returncode == 2, local.stderr
    Store.open(pg_url).close()
    for name in ("w1", "w2"):
        procs(tmp_path, pg_url, "worker", "--concurrency", "2", "--name", name, tag=name)
    spread = cli(tmp_path, pg_url, "ingest", "--distributed", "pages", str(missing))
    # the same summary: 16 new versions, their facts, the missing file failed (exit 2)
    assert spread.returncode == 2, spread.stderr
    assert spread.stdout.splitlines()[-1] == local.stdout.splitlines()[-1]
    assert "ingested 17 file(s): 16 new version(s)" in spread.stdout
    assert "missing.html" in spread.stderr
    count, digest = fact_digest(pg_url)
    assert count >= 16 and (count, digest) == fact_digest(tmp_path / "local.db")
    assert rows(pg_url, "SELECT count(*) FROM snapshots")[0][0] == 16
    # the same files again: every one unchanged, nothing added
    again = cli(tmp_path, pg_url, "ingest", "--distributed", "pages")
    assert again.returncode == 0 and "16 unchanged, 0 new fact(s)" in again.stdout, again.stdout
    assert fact_digest(pg_url) == (count, digest)
    # each job's outcome was read and cleared; every job ended in success
    assert rows(pg_url, "SELECT count(*) FROM batch_outcomes")[0][0] == 0
    assert rows(pg_url, """SELECT status::text, count(*) FROM procrastinate_jobs
                           WHERE task_name = 'chipwatch:ingest' GROUP BY 1""") == [("succeeded", 33)]


@pytest.mark.slow
def test_a_killed_workers_ingest_job_is_done_by_another(tmp_path, pg_url, procs):
    write_config(tmp_path)
    make_pages(tmp_path / "pages", 12)
    assert cli(tmp_path, str(tmp_path / "local.db"), "ingest", "pages").returncode == 0
    Store.open(pg_url).close()
    first = procs(tmp_path, pg_url, "worker", "--concurrency", "1", "--name", "first", tag="first")
    assert wait_for(lambda: "taking jobs" in first.log(), 60), first.log()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPWATCH_")}
    command = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, "--db", pg_url, "--config", str(tmp_path / "chipwatch.toml"),
         "ingest", "--distributed", "--stall-after", "4", "pages"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=env)
    try:
        # Freeze the first worker while it holds a job, then kill it: its job stays 'doing'
        # with no heartbeat. (A job that ended just before the freeze: thaw and try again.)
        held = None
        deadline = time.monotonic() + 120
        while held is None and time.monotonic() < deadline:
            if rows(pg_url, "SELECT 1 FROM procrastinate_jobs WHERE status = 'doing'"):
                first.proc.send_signal(signal.SIGSTOP)
                doing = rows(pg_url, "SELECT id FROM procrastinate_jobs WHERE status = 'doing'")
                if doing:
                    held = doing[0][0]
                    break
                first.proc.send_signal(signal.SIGCONT)
            time.sleep(0.02)
        assert held is not None, first.log()
        first.proc.kill()
        first.proc.wait()
        procs(tmp_path, pg_url, "worker", "--concurrency", "2", "--name", "second", tag="second")
        out, err = command.communicate(timeout=240)
    finally:
        if command.poll() is None:
            command.kill()
            command.wait()
    assert command.returncode == 0, err
    assert "ingested 12 file(s):" in out and "0 failed" in out
    # the held job was given back and done by the second worker
    assert rows(pg_url, "SELECT status::text FROM procrastinate_jobs WHERE id = %s", (held,)) == [("succeeded",)]
    assert rows(pg_url, "SELECT count(*) FROM snapshots")[0][0] == 12
    assert fact_digest(pg_url) == fact_digest(tmp_path / "local.db")


@pytest.mark.slow
def test_distributed_reextract_runs_each_snapshot_once_and_adds_nothing_unchanged(tmp_path, pg_url, procs):
    write_config(tmp_path)
    make_pages(tmp_path / "pages", 9)
    assert cli(tmp_path, pg_url, "ingest", "pages").returncode == 0
    before = fact_digest(pg_url)
    runs = rows(pg_url, "SELECT count(*) FROM extraction_runs")[0][0]
    rows_sql = "DELETE FROM extraction_runs"  # as if every extractor were new
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(rows_sql)
    for name in ("w1", "w2"):
        procs(tmp_path, pg_url, "worker", "--concurrency", "2", "--name", name, tag=name)
    r = cli(tmp_path, pg_url, "reextract", "--distributed", "--batch-size", "2")
    assert r.returncode == 0, r.stderr
    assert "re-extracted 9 snapshot(s)" in r.stdout and ": 0 fact row(s) added" in r.stdout, r.stdout
    assert fact_digest(pg_url) == before
    assert rows(pg_url, "SELECT count(*) FROM extraction_runs")[0][0] == runs
    # 9 documents of one snapshot each, two per job
    assert rows(pg_url, """SELECT count(*) FROM procrastinate_jobs
                           WHERE task_name = 'chipwatch:reextract' AND status = 'succeeded'""")[0][0] == 5
    # nothing left to do: a second run enqueues nothing
    r = cli(tmp_path, pg_url, "reextract", "--distributed")
    assert r.returncode == 0 and "re-extracted 0 snapshot(s)" in r.stdout, r.stdout
