"""`chipwatch ingest`, `history`, `search` and `facts` on saved files, as a user runs them."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

from conftest import FIXTURES

ARTICLES = FIXTURES / "articles"
URL = "https://news.example.com/tech/h200-sales-cleared"


def test_ingest_stores_article_text_without_boilerplate(cw):
    r = cw("ingest", ARTICLES / "chip-race-v1.html")
    assert r.code == 0, r.err
    assert "1 new version(s)" in r.out
    db = sqlite3.connect(cw.db)
    url, title, text = db.execute(
        "SELECT d.url, s.title, s.text FROM documents d JOIN snapshots s ON s.id = d.latest_snapshot_id"
    ).fetchone()
    assert url == URL  # the page's canonical link names the document
    assert "H200" in title
    assert "security review by the Commerce Department" in text
    for boilerplate in ("Accept all cookies", "Related stories", "All rights reserved", "Markets rally"):
        assert boilerplate not in text
    assert "\n\n" in text  # paragraph breaks are kept


def test_ingesting_the_same_file_twice_adds_nothing(cw):
    cw("ingest", ARTICLES / "chip-race-v1.html")
    r = cw("ingest", ARTICLES / "chip-race-v1.html")
    assert r.code == 0 and "0 new version(s), 1 unchanged" in r.out
    db = sqlite3.connect(cw.db)
    assert db.execute("SELECT count(*) FROM snapshots").fetchone()[0] == 1


def test_a_changed_file_adds_a_version_and_history_shows_the_change(cw, tmp_path):
    page = tmp_path / "page.html"
    shutil.copy(ARTICLES / "chip-race-v1.html", page)
    cw("ingest", page)
    shutil.copy(ARTICLES / "chip-race-v2.html", page)
    r = cw("ingest", page)
    assert "1 new version(s)" in r.out
    h = cw("history", URL)
    assert h.code == 0, h.err
    assert "version 2" in h.out
    assert "+The H200 carries 141GB" in h.out and "15,832" in h.out
    assert "-The H200 carries 141GB" in h.out and "15,840" in h.out
    versions = [json.loads(line) for line in cw("history", URL, "--format", "json").out.splitlines()]
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[1]["added"] >= 2 and versions[1]["removed"] == 1


def test_search_finds_stored_articles_with_marked_snippets(cw):
    cw("ingest", ARTICLES / "chip-race-v1.html", ARTICLES / "notes.txt")
    r = cw("search", "Commerce review", "--format", "json")
    rows = [json.loads(line) for line in r.out.splitlines()]
    assert len(rows) == 1 and rows[0]["url"] == URL
    assert "[Commerce]" in rows[0]["snippet"]
    assert cw("search", "Ascend").out.count("\n") >= 2  # header + one row
    none = cw("search", "no-such-word-anywhere")
    assert none.code == 0 and none.out == "" and "no stored article" in none.err
    # Punctuation a user might type is not an FTS syntax error.
    assert cw("search", 'H200\'s "25%').code == 0


def test_facts_lists_what_was_extracted_with_provenance(cw):
    cw("ingest", ARTICLES / "chip-race-v1.html")
    rows = [json.loads(line) for line in cw("facts", "--format", "json").out.splitlines()]
    assert rows, "the fixture states figures and policies"
    for row in rows:
        assert row["url"] == URL and row["content_hash"] and row["fetched_at"]
        assert row["quote"] and row["char_end"] > row["char_start"]
    csv_out = cw("facts", "--format", "csv").out.splitlines()
    assert csv_out[0].startswith("id,kind,chip,metric")
    assert len(csv_out) == len(rows) + 1


def test_one_bad_file_is_reported_and_the_rest_stored(cw, tmp_path):
    missing = tmp_path / "missing.html"
    r = cw("ingest", missing, ARTICLES / "chip-race-v1.html", ARTICLES / "not-an-article.pdf")
    assert r.code == 2
    assert f"error: {missing}" in r.err
    assert "not-an-article.pdf: not an article (pdf)" in r.err
    assert "1 new version(s)" in r.out


def test_invalid_utf8_and_binary_input_give_clear_messages(cw, tmp_path):
    bad = tmp_path / "latin.html"
    bad.write_bytes("<html><head><title>Caf\xe9 chips</title></head><body><p>The H200 \xe9t\xe9 "
                    "approved for export to China by the US government today.</p></body></html>"
                    .encode("latin-1"))
    r = cw("ingest", bad)
    assert r.code == 0, r.err
    blob = tmp_path / "blob.bin"
    blob.write_bytes(bytes(range(256)) * 64)
    r = cw("ingest", blob)
    assert r.code == 2 and "not an article" in r.err


def test_a_50mb_file_is_cut_to_max_bytes_with_a_warning(cw, tmp_path):
    big = tmp_path / "big.html"
    para = "<p>The H200 is a data-centre GPU that was approved for export to China.</p>\n"
    with big.open("w") as fh:
        fh.write("<html><head><title>Big page</title></head><body>")
        while fh.tell() < 50_000_000:
            fh.write(para * 1000)
        fh.write("</body></html>")
    r = cw("ingest", big)
    assert r.code == 0, r.err
    assert "larger than fetch.max_bytes" in r.err
    db = sqlite3.connect(cw.db)
    assert db.execute("SELECT truncated, body_size FROM snapshots").fetchone() == (1, 5_000_000)


def test_extract_prints_facts_without_storing(cw):
    r = cw("extract", ARTICLES / "notes.txt", "--format", "json")
    assert r.code == 0, r.err
    facts = [json.loads(line) for line in r.out.splitlines()]
    text = (ARTICLES / "notes.txt").read_text()
    assert any(f["chip"] == "Ascend 910C" and f["metric"] == "tpp" for f in facts)
    for f in facts:
        assert f["quote"] in text
    assert not cw.db.exists()


def test_extract_reads_stdin(cw):
    r = cw("extract", "-", "--format", "json",
           stdin=b"The H200 has 141GB of memory and a bandwidth of 4.8TB/s.")
    facts = [json.loads(line) for line in r.out.splitlines()]
    assert {(f["metric"], f["value"]) for f in facts} >= {("memory_capacity", 141), ("memory_bandwidth", 4.8)}


def test_killing_ingest_leaves_only_whole_documents(tmp_path):
    """SIGKILL in the middle of a batch: integrity holds, and a rerun completes it."""
    pages = tmp_path / "pages"
    pages.mkdir()
    template = (ARTICLES / "chip-race-v1.html").read_text()
    for i in range(400):
        (pages / f"p{i:03}.html").write_text(
            template.replace("h200-sales-cleared", f"story-{i}").replace("Monday", f"day {i}"))
    db = tmp_path / "k.db"
    cmd = [sys.executable, "-c", "from chipwatch.monitor.cli import main; main()",
           "--db", str(db), "ingest", str(pages)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            n = sqlite3.connect(db).execute("SELECT count(*) FROM snapshots").fetchone()[0]
        except sqlite3.Error:
            continue
        if n >= 20:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 0 < docs < 400
    # Every stored document has its snapshot, and every snapshot its extraction run.
    assert conn.execute("SELECT count(*) FROM documents WHERE latest_snapshot_id IS NULL").fetchone()[0] == 0
    assert conn.execute(
        "SELECT count(*) FROM snapshots s WHERE NOT EXISTS (SELECT 1 FROM extraction_runs r WHERE r.snapshot_id = s.id)"
    ).fetchone()[0] == 0
    conn.close()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 400
    assert conn.execute("SELECT count(*) FROM snapshots").fetchone()[0] == 400


def test_data_files_in_a_folder_are_skipped_not_stored_as_articles(cw, tmp_path):
    folder = tmp_path / "saved"
    folder.mkdir()
    shutil.copy(ARTICLES / "notes.txt", folder / "huawei-answer.txt")
    (folder / "labels.jsonl").write_text('{"chip": "H200", "metric": "tpp"}\n')
    r = cw("ingest", folder)
    assert "labels.jsonl: not an article (data)" in r.err
    assert "1 new version(s)" in r.out and "1 skipped" in r.out
    assert r.code == 2  # a skipped file is exit 2, as the README says


def test_reextract_runs_a_changed_extractor_and_keeps_the_old_facts(cw, monkeypatch):
    from chipwatch import extractors
    from chipwatch.extractors import figures

    cw("ingest", ARTICLES / "notes.txt")
    before = [json.loads(line) for line in cw("facts", "--format", "json").out.splitlines()]
    old_version = figures.VERSION
    assert any(f["extractor"] == figures.NAME and f["extractor_version"] == old_version for f in before)
    assert "re-extracted 0 snapshot(s)" in cw("reextract").out  # nothing changed yet

    monkeypatch.setattr(figures, "VERSION", old_version + ".next")
    monkeypatch.setitem(extractors.EXTRACTORS, figures.NAME, old_version + ".next")
    r = cw("reextract")
    assert r.code == 0 and "re-extracted 1 snapshot(s)" in r.out, r.out
    current = [json.loads(line) for line in cw("facts", "--format", "json").out.splitlines()]
    versions = {f["extractor_version"] for f in current if f["extractor"] == figures.NAME}
    assert versions == {old_version + ".next"}
    history = [json.loads(line) for line in cw("facts", "--all", "--format", "json").out.splitlines()]
    assert {f["id"] for f in before} <= {f["id"] for f in history}  # the old facts are still there
    # The new facts are judged against the baseline at once, as a fetched version's are.
    b07 = [json.loads(line) for line in cw("facts", "--baseline", "B07", "--format", "json").out.splitlines()]
    assert b07 and all(f["extractor_version"] == old_version + ".next" for f in b07)
    assert b07[0]["verdict"] == "supports"
    assert "re-extracted 0 snapshot(s)" in cw("reextract").out
