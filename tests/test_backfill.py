"""`ingest --jobs N` and `reextract --jobs N`: the same database as with one process."""

from __future__ import annotations

import sqlite3

from conftest import FIXTURES

ARTICLES = FIXTURES / "articles"


def _dump(db) -> list:  # noqa: ANN001
    conn = sqlite3.connect(db)
    try:
        return [
            conn.execute("SELECT s.url, s.version, s.content_hash, s.text FROM snapshots s "
                         "JOIN documents d ON d.id = s.document_id ORDER BY s.id").fetchall(),
            conn.execute("SELECT document_id, snapshot_id, fact_key, quote, char_start, current "
                         "FROM facts ORDER BY id").fetchall(),
        ]
    finally:
        conn.close()


def _pages(folder, n: int) -> list:  # noqa: ANN001
    base = (ARTICLES / "chip-race-v1.html").read_text()
    paths = []
    for i in range(n):
        p = folder / f"page{i:03}.html"
        p.write_text(base.replace("</article>", f"<p>Batch {i} of licences was reviewed by "
                                                f"{i + 2} officers.</p></article>"))
        paths.append(p)
    return paths


def test_ingest_with_jobs_stores_what_one_process_stores(cw, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    _pages(folder, 12)
    (folder / "broken.html").mkdir()  # a folder named like a page: skipped by the walk
    bad = tmp_path / "missing.html"
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    r1 = cw("ingest", folder, ARTICLES / "chip-race-v2.html", bad, db_path=one)
    r2 = cw("ingest", "--jobs", "3", folder, ARTICLES / "chip-race-v2.html", bad, db_path=two)
    assert r1.code == r2.code == 2  # the missing file is reported, the others stored
    assert "missing.html" in r2.err
    assert r1.out.splitlines()[-1] == r2.out.splitlines()[-1]
    snaps1, facts1 = _dump(one)
    snaps2, facts2 = _dump(two)
    assert len(snaps1) == 13 and [s[:3] for s in snaps2] == [s[:3] for s in snaps1]
    assert facts1 and facts2 == facts1


def test_reextract_with_jobs_adds_nothing_when_nothing_changed(cw, tmp_path):
    db = tmp_path / "cw.db"
    folder = tmp_path / "pages"
    folder.mkdir()
    _pages(folder, 5)
    assert cw("ingest", folder, db_path=db).code == 0
    before = _dump(db)
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM extraction_runs")  # as if every extractor were new
    conn.commit()
    conn.close()
    r = cw("reextract", "--jobs", "2", db_path=db)
    assert r.code == 0 and "re-extracted 5 snapshot(s)" in r.out and ": 0 fact row(s) added" in r.out
    assert _dump(db) == before


def test_distributed_needs_postgresql_and_says_so(cw, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    _pages(folder, 2)
    for args in (("ingest", "--distributed", folder), ("reextract", "--distributed")):
        r = cw(*args)
        assert r.code == 2 and "needs a PostgreSQL database" in r.err, (args, r.err)
    assert not (tmp_path / "cw.db").exists()
