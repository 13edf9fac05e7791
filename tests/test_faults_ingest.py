"""Fault suite, ingest: a --url that is no URL, notes and readme files in a folder, a
skipped file's exit code, a symlink out of the folder. Real files and links."""
from __future__ import annotations

import pytest

from faults import GOOD_PAGE, rows


@pytest.mark.parametrize("url", ["not a url", "javascript:alert(1)", "ftp://example.com/a", "http://",
                                 "http://127.0.0.1:99999/x", "https://exa mple.com/a"])
def test_ingest_url_must_be_a_web_url(tmp_path, cw, url):
    page = tmp_path / "page.html"
    page.write_text(GOOD_PAGE)
    r = cw("ingest", page, "--url", url)
    assert r.code == 2 and "--url" in r.err and r.err.count("\n") == 1
    assert not cw.db.exists() or rows(cw.db, "SELECT count(*) FROM documents") == [(0,)]
    e = cw("extract", page, "--url", url)
    assert e.code == 2 and "--url" in e.err


def test_ingest_url_that_is_a_url_is_kept(tmp_path, cw):
    page = tmp_path / "page.html"
    page.write_text(GOOD_PAGE)
    r = cw("ingest", page, "--url", "https://news.example.com/h200")
    assert r.code == 0, r.err
    assert rows(cw.db, "SELECT url FROM documents") == [("https://news.example.com/h200",)]


def test_folder_readme_and_notes_are_not_taken_as_articles(tmp_path, cw):
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "story.html").write_text(GOOD_PAGE)
    (folder / "README.md").write_text("# Saved pages\nNvidia H200 pages saved for the 25% fee story.\n")
    (folder / "notes.txt").write_text("To do: check the H200 TPP of 15,840 against Reuters.\n" * 5)
    r = cw("ingest", folder)
    assert r.code == 0, r.err
    assert "ignored: " in r.err and "README.md" in r.err and "notes.txt" in r.err
    assert "1 new version(s)" in r.out and "2 ignored" in r.out
    assert [u.rsplit("/", 1)[-1] for (u,) in rows(cw.db, "SELECT url FROM documents")] == ["story.html"]
    # named on the command line, a notes file is taken: the user asked for it
    named = cw("ingest", folder / "notes.txt")
    assert named.code == 0 and "1 new version(s)" in named.out


def test_a_skipped_file_in_a_folder_is_exit_2(tmp_path, cw):
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "story.html").write_text(GOOD_PAGE)
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    r = cw("ingest", folder)
    assert r.code == 2
    assert "picture.png: not an article" in r.err
    assert "1 new version(s)" in r.out and "1 skipped" in r.out
    assert rows(cw.db, "SELECT count(*) FROM snapshots") == [(1,)]


def test_a_symlink_out_of_the_folder_is_refused_with_a_line(tmp_path, cw):
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.html").write_text(GOOD_PAGE.replace("Monday", "Sunday"))
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "story.html").write_text(GOOD_PAGE)
    (folder / "link.html").symlink_to(outside / "secret.html")
    (folder / "inside.html").symlink_to(folder / "story.html")  # a link within the folder is fine
    r = cw("ingest", folder)
    assert r.code == 2
    assert "link.html: links to" in r.err and "outside" in r.err
    docs = sorted(u.rsplit("/", 1)[-1] for (u,) in rows(cw.db, "SELECT url FROM documents"))
    assert "secret.html" not in " ".join(docs) and "story.html" in docs


def test_a_policy_for_other_buyers_does_not_support_the_public_sector_claim(tmp_path, cw):
    import json

    from faults import article
    page = tmp_path / "b09.html"
    page.write_text(article("Beijing tightens rules on Nvidia chips",
                            "China restricted tech companies from buying the H20, people familiar with the "
                            "matter said on Tuesday."))
    assert cw("ingest", page).code == 0
    assert rows(cw.db, "SELECT actor, action, chip FROM facts") == [("China", "restrict_purchase", "H20")]
    r = cw("baseline", "--claim", "B09", "--format", "json")
    assert r.code == 0
    assert json.loads(r.out)["verdict"] == "unverified"
    assert rows(cw.db, "SELECT count(*) FROM assessments WHERE claim_id = 'B09'") == [(0,)]
