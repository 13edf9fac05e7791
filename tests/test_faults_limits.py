"""Fault suite, bounded work: inputs capped at fetch.max_bytes, non-regular files refused,
`sql` stopped by its time and size limits. Real files, a real FIFO, /dev/zero, and the
real command line in its own process (so a hang or a memory blow-up would show)."""
from __future__ import annotations

import os
import time

import pytest

from faults import GOOD_PAGE, chipwatch, rows, write_config


def small_config(tmp_path, max_bytes: int = 100_000):  # noqa: ANN001, ANN201
    cfg = write_config(tmp_path)
    cfg.write_text(cfg.read_text().replace("[fetch]\n", f"[fetch]\nmax_bytes = {max_bytes}\n"))
    return cfg


@pytest.mark.slow
def test_extract_of_dev_zero_is_refused_at_once(tmp_path):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    t0 = time.monotonic()
    r = chipwatch("--config", small_config(tmp_path), "extract", "/dev/zero", cwd=tmp_path, timeout=30)
    assert time.monotonic() - t0 < 20
    assert r.returncode == 2 and "not a regular file" in r.stderr and r.stderr.count("\n") == 1


@pytest.mark.slow
def test_extract_from_an_endless_stdin_stops_at_max_bytes(tmp_path):
    import subprocess
    import sys

    from faults import LAUNCH
    with open("/dev/zero", "rb") as zero:
        r = subprocess.run([sys.executable, "-c", LAUNCH, "--config", str(small_config(tmp_path)), "extract", "-"],
                           stdin=zero, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert "larger than fetch.max_bytes (100,000 bytes)" in r.stderr
    assert r.returncode in (0, 2)  # a body of zero bytes holds no article: either is a clean answer
    assert "Traceback" not in r.stderr


def test_ingest_of_a_fifo_is_refused_and_the_other_files_are_stored(tmp_path, cw):
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    page = tmp_path / "page.html"
    page.write_text(GOOD_PAGE)
    t0 = time.monotonic()
    r = cw("--config", small_config(tmp_path), "ingest", fifo, page)
    assert time.monotonic() - t0 < 10
    assert r.code == 2
    assert "a FIFO, not a regular file" in r.err
    assert "1 new version(s)" in r.out and "1 failed" in r.out
    assert rows(cw.db, "SELECT count(*) FROM snapshots") == [(1,)]


def test_extract_of_a_large_file_reads_only_max_bytes(tmp_path, cw):
    big = tmp_path / "big.txt"
    big.write_text("Nvidia's H200 has a TPP score of 15,840. " + "filler words here. " * 20_000)
    r = cw("--config", small_config(tmp_path, 2_000), "extract", big, "--format", "json")
    assert r.code == 0
    assert "larger than fetch.max_bytes (2,000 bytes)" in r.err
    assert '"tpp"' in r.out


def test_sql_huge_value_is_refused_without_allocating_it(tmp_path, cw, store):
    t0 = time.monotonic()
    r = cw("sql", "SELECT randomblob(1000000000)")
    assert time.monotonic() - t0 < 5
    assert r.code == 2 and "--max-bytes" in r.err and r.err.count("\n") == 1


def test_sql_endless_recursive_query_stops_at_the_time_limit(tmp_path, cw, store):
    t0 = time.monotonic()
    r = cw("sql", "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n",
           "--timeout", "1")
    assert 0.9 < time.monotonic() - t0 < 10
    assert r.code == 2 and "stopped after --timeout 1 s" in r.err


def test_sql_result_larger_than_the_limit_is_refused(tmp_path, cw, store):
    r = cw("sql", "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n LIMIT 100000) "
           "SELECT x, printf('%.100c', 'a') AS pad FROM n", "--max-bytes", "200000")
    assert r.code == 2 and "larger than --max-bytes 200,000" in r.err
    ok = cw("sql", "SELECT count(*) AS n FROM facts", "--max-bytes", "200000", "--format", "json")
    assert ok.code == 0 and ok.out.strip() == '{"n": 0}'
