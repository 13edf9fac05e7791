"""The real outlet pages of ../shared/corpus/html go through `ingest` whole."""

from __future__ import annotations

import csv
import json
import sqlite3

from conftest import shared_path


def test_ingest_of_the_real_pages_stores_each_with_title_and_text(cw):
    html = shared_path("corpus", "html")
    pages = sorted(html.glob("*.html"))
    r = cw("ingest", *pages)
    assert r.code == 0, r.err
    db = sqlite3.connect(cw.db)
    rows = db.execute(
        "SELECT d.url, s.title, s.text FROM documents d JOIN snapshots s ON s.id = d.latest_snapshot_id"
    ).fetchall()
    # Every file is known by its path, and maps to a document with a stored version.
    # Re-captures of one article whose text came out the same add no second version.
    for page in pages:
        found = db.execute(
            """SELECT d.latest_snapshot_id FROM document_urls u JOIN documents d ON d.id = u.document_id
               WHERE u.url = ?""", [page.resolve().as_uri()]).fetchone()
        assert found and found[0], page.name
    assert len(pages) - 2 <= db.execute("SELECT count(*) FROM snapshots").fetchone()[0] <= len(pages)
    for url, title, text in rows:
        assert title and title.strip(), url
        assert len(text) > 400, url
        assert "\n\n" in text, url
    # history finds a document by the URL it was saved from, and search finds its words.
    manifest = shared_path("corpus", "MANIFEST.tsv")
    with manifest.open(encoding="utf-8") as fh:
        listed = {row["filename"].split("/", 1)[1]: row for row in csv.DictReader(fh, delimiter="\t")
                  if row["filename"].startswith("html/")}
    first = pages[0]
    doc_url = db.execute(
        "SELECT d.url FROM documents d JOIN document_urls u ON u.document_id = d.id WHERE u.url = ?",
        [first.resolve().as_uri()],
    ).fetchone()[0]
    h = cw("history", doc_url, "--format", "json")
    assert h.code == 0 and json.loads(h.out.splitlines()[0])["version"] == 1
    assert listed, "manifest lists the pages"
    s = cw("search", "Reuters", "--format", "json")
    assert s.code == 0 and s.out.strip()
