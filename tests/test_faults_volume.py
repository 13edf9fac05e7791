"""Fault suite, volume: a feed of 10,000 entries is taken in bounded bites, and unrelated
pages raise no new_document alerts unless asked. Real loopback feed, real database."""
from __future__ import annotations

import json

import pytest

from faults import GOOD_PAGE, RSS, article, rows, source, write_config


@pytest.mark.slow
def test_a_huge_feed_adds_at_most_max_new_entries_per_poll(server, tmp_path, cw):
    items = "".join(f"<item><title>H200 story {i}</title><link>{server.url(f'/a/{i}')}</link></item>"
                    for i in range(10_000))
    server.route("/feed", body=f'<?xml version="1.0"?><rss version="2.0"><channel><title>big</title>{items}'
                               "</channel></rss>", headers=RSS)
    cfg = write_config(tmp_path, source("big", server.url("/feed"), "feed", 'keywords = ["H200"]'),
                       extra="[schedule]\nmax_new_entries = 25\n")
    first = cw("--config", cfg, "run", "--once")
    assert first.code == 0, first.err
    assert "discovered 25" in first.out and "9975 more new entries" in first.out
    assert rows(cw.db, "SELECT count(*) FROM documents") == [(25,)]
    second = cw("--config", cfg, "run", "--once")
    assert "discovered 25" in second.out and "9950 more new entries" in second.out
    assert rows(cw.db, "SELECT count(*) FROM documents") == [(50,)]
    # entries are taken in the feed's order: the newest first
    urls = {u for (u,) in rows(cw.db, "SELECT url FROM documents")}
    assert urls == {server.url(f"/a/{i}") for i in range(50)}


def unrelated(i: int) -> str:
    return article(f"Local bakery wins prize {i}", f"The bakery on Main Street number {i} won the regional bread "
                   "prize this week for its sourdough loaf, judges said on Saturday afternoon.")


def test_unrelated_pages_raise_no_new_document_alert_by_default(tmp_path, cw):
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(5):
        (folder / f"bakery-{i}.html").write_text(unrelated(i))
    (folder / "h200.html").write_text(GOOD_PAGE)
    r = cw("--config", write_config(tmp_path), "ingest", folder)
    assert r.code == 0, r.err
    assert "6 new version(s)" in r.out
    new_docs = rows(cw.db, "SELECT title FROM alerts WHERE type = 'new_document'")
    assert len(new_docs) == 1 and "H200" in new_docs[0][0]


def test_new_document_all_alerts_on_every_page(tmp_path, cw):
    (tmp_path / "bakery.html").write_text(unrelated(1))
    cfg = write_config(tmp_path, extra='new_document = "all"\n')
    assert cw("--config", cfg, "ingest", tmp_path / "bakery.html").code == 0
    assert rows(cw.db, "SELECT count(*) FROM alerts WHERE type = 'new_document'") == [(1,)]


def test_a_page_matching_its_sources_keywords_is_on_topic_without_facts(server, tmp_path, cw):
    server.route("/k", body=article("Ascend roadmap", "Huawei Ascend plans were discussed at length by the "
                                    "company during its annual developer event this week."),
                 headers={"Content-Type": "text/html"})
    server.route("/off", body=unrelated(2), headers={"Content-Type": "text/html"})
    cfg = write_config(tmp_path, source("k", server.url("/k"), extra='keywords = ["ascend"]')
                       + source("off", server.url("/off"), extra='keywords = ["ascend"]'))
    r = cw("--config", cfg, "run", "--once")
    assert r.code == 0, r.err
    alerts = rows(cw.db, "SELECT source, payload FROM alerts WHERE type = 'new_document'")
    assert [a[0] for a in alerts] == ["k"] and json.loads(alerts[0][1])["facts"] == []


def test_new_document_setting_is_checked(tmp_path, cw):
    r = cw("--config", write_config(tmp_path, extra='new_document = "sometimes"\n'), "run", "--once")
    assert r.code == 2 and "alerts.new_document" in r.err
