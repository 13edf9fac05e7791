"""Fault suite, polling: one bad response, feed entry or redirect is that source's failure,
recorded in `fetches`; every other source of the same `run --once` is still polled."""
from __future__ import annotations

from faults import GOOD_PAGE, HTML, RSS, rows, rss, source, write_config


def test_bad_brotli_body_is_one_sources_decode_error(server, tmp_path, cw):
    server.route("/br", body=b"this is not brotli", headers={**HTML, "Content-Encoding": "br"})
    server.route("/good", body=GOOD_PAGE, headers=HTML)
    cfg = write_config(tmp_path, source("broken", server.url("/br")) + source("good", server.url("/good")))
    r = cw("--config", cfg, "run", "--once")
    assert r.code == 0, r.err
    assert "Traceback" not in r.err
    assert "decode" in r.out and "new versions 1" in r.out
    stored = rows(cw.db, "SELECT source, http_status, outcome, error_class FROM fetches ORDER BY source")
    assert ("broken", 200, "error", "decode_error") in stored
    assert ("good", 200, "ok", None) in stored
    assert rows(cw.db, "SELECT count(*) FROM snapshots")[0][0] == 1


def test_one_malformed_feed_link_is_skipped_and_the_rest_of_the_feed_is_used(server, tmp_path, cw):
    server.route("/feed", body=rss(("H200 bad port", "http://127.0.0.1:99999/x"),
                                   ("H200 bad port too", "http://127.0.0.1:70000/y"),
                                   ("H200 approved", server.url("/story"))), headers=RSS)
    server.route("/story", body=GOOD_PAGE, headers=HTML)
    server.route("/other", body=GOOD_PAGE.replace("Monday", "Tuesday"), headers=HTML)
    cfg = write_config(tmp_path, source("wire", server.url("/feed"), "feed", 'keywords = ["H200"]')
                       + source("other", server.url("/other")))
    r = cw("--config", cfg, "run", "--once")
    assert r.code == 0, r.err
    assert "discovered 1" in r.out and "skipped 2" in r.out
    bad = rows(cw.db, "SELECT url, outcome, error_class FROM fetches WHERE error_class = 'bad_url' ORDER BY url")
    assert [b[0] for b in bad] == ["http://127.0.0.1:70000/y", "http://127.0.0.1:99999/x"]
    assert {b[1] for b in bad} == {"skipped"}
    urls = {u for (u,) in rows(cw.db, "SELECT url FROM documents")}
    assert server.url("/story") in urls and server.url("/other") in urls
    # the next poll records the bad links no second time
    again = cw("--config", cfg, "run", "--once")
    assert again.code == 0
    assert rows(cw.db, "SELECT count(*) FROM fetches WHERE error_class = 'bad_url'")[0][0] == 2


def test_malformed_location_is_the_servers_answer_not_no_answer(server, tmp_path, cw):
    server.route("/moved", status=302, headers={"Location": "http://[::1/x"})
    cfg = write_config(tmp_path, source("moved", server.url("/moved")))
    r = cw("--config", cfg, "run", "--once")
    # the server did answer: the run could run (exit 0), the source is failing with the reason
    assert r.code == 0, r.err
    assert "no server answered" not in r.err
    assert "http 302" in r.out and "unusable Location" in r.out
    assert rows(cw.db, "SELECT http_status, outcome, error_class FROM fetches") == [(302, "failing", "bad_redirect")]
    assert rows(cw.db, "SELECT status, last_http_status FROM sources") == [("failing", 302)]
