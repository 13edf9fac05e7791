"""Sitemaps and the search engine as sources (issue 14): parsing from bytes, and polling
through real loopback servers (robots.txt discovery, per-poll cap, only entries newer than
the last poll, conditional GET, back-off on errors)."""

from __future__ import annotations

import gzip
import json

from chipwatch.monitor.config import Config, FetchConfig, ScheduleConfig, SourceConfig
from chipwatch.monitor.gdelt import is_artlist_request, parse_artlist, parse_seendate
from chipwatch.monitor.poll import run_once
from chipwatch.monitor.sitemaps import gunzip, parse_sitemap, robots_sitemaps

NEWS_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
HTML = {"Content-Type": "text/html; charset=utf-8"}


def urlset(*items: tuple[str, str, str]) -> str:
    body = "".join(
        f"<url><loc>{loc}</loc><news:news><news:publication_date>{when}</news:publication_date>"
        f"<news:title>{title}</news:title></news:news></url>" for loc, title, when in items)
    return f'<?xml version="1.0"?><urlset {NEWS_NS}>{body}</urlset>'


def article(title: str) -> str:
    return (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{title}. The H200 is Nvidia's second-best chip, and its sale to China is the subject of "
            f"this report, which is long enough to be stored as an article.</p></article></body></html>")


def config(*sources: SourceConfig) -> Config:
    return Config(fetch=FetchConfig(per_host_delay=0.0, allow_private_addresses=True, timeout=2.0, retries=0),
                  schedule=ScheduleConfig(jitter=0.0), sources=list(sources))


# -- parsing ------------------------------------------------------------------------------------


def test_news_sitemap_fields_and_relative_locations():
    xml = urlset(("/a/nvidia-h200", "Nvidia &amp; the H200", "2025-12-08T14:02:00+01:00"),
                 ("https://x.example/b", "Other", "2025-12-08"))
    sm = parse_sitemap(xml.encode(), "https://x.example/sitemap.xml")
    assert sm.kind == "urlset" and sm.problem is None
    a, b = sm.entries
    assert a.url == "https://x.example/a/nvidia-h200" and a.title == "Nvidia & the H200"
    assert a.published == "2025-12-08T13:02:00+00:00"  # converted to UTC
    assert b.published == "2025-12-08T00:00:00+00:00"


def test_index_gzip_and_bad_bodies():
    index = ('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
             "<loc>https://x.example/news.xml.gz</loc><lastmod>2025-12-09</lastmod></sitemap></sitemapindex>")
    sm = parse_sitemap(gzip.compress(index.encode()), "https://x.example/")
    assert sm.kind == "index" and sm.entries[0].url == "https://x.example/news.xml.gz"
    assert parse_sitemap(b"", "https://x.example/").kind == "unknown"
    assert parse_sitemap(b"<html><body>hello</body></html>", "https://x.example/").kind == "unknown"
    assert parse_sitemap(b"\x1f\x8b garbage", "https://x.example/").kind == "unknown"
    # an XML entity bomb is not expanded
    bomb = b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><urlset><url><loc>&b;</loc></url></urlset>'
    assert all(len(e.url) < 100 for e in parse_sitemap(bomb, "https://x.example/").entries)


def test_gzip_bomb_stays_small():
    bomb = gzip.compress(b"\0" * 50_000_000)
    data, truncated = gunzip(bomb, 1_000_000)
    assert len(data) == 1_000_000 and truncated


def test_robots_sitemap_lines():
    robots = b"User-agent: *\nDisallow: /private\nSitemap: /news-sitemap.xml\nsitemap: https://x.example/index.xml\n"
    assert robots_sitemaps(robots, "https://x.example/robots.txt") == [
        "https://x.example/news-sitemap.xml", "https://x.example/index.xml"]


def test_gdelt_answers():
    ok = parse_artlist(json.dumps({"articles": [
        {"url": "https://a.example/1", "title": " Nvidia  H200 ", "seendate": "20251208T143000Z", "domain": "a.example"},
        {"url": "javascript:alert(1)", "title": "bad"}, "not a dict"]}).encode())
    assert [h.url for h in ok.hits] == ["https://a.example/1"]
    assert ok.hits[0].title == "Nvidia H200" and ok.hits[0].seen == "2025-12-08T14:30:00+00:00"
    assert parse_artlist(b"Your search contained a keyword that was too short.").problem.startswith("Your search")
    assert parse_artlist(b"{}").hits == [] and parse_artlist(b"").problem
    assert parse_seendate("nonsense") is None
    assert is_artlist_request("https://api.gdeltproject.org/api/v2/doc/doc?query=x&mode=ArtList&format=JSON")
    assert not is_artlist_request("https://api.gdeltproject.org/api/v2/doc/doc?query=x&mode=timelinevol")


# -- polling ------------------------------------------------------------------------------------


def test_robots_discovery_cap_and_only_newer_entries(server, store):
    server.route("/robots.txt", body=f"User-agent: *\nSitemap: {server.url('/news.xml')}\n")
    items = [(server.url(f"/h200-story-{i}"), f"H200 story {i}", f"2025-12-08T1{i}:00:00Z") for i in range(6)]
    items.append((server.url("/football"), "Football", "2025-12-08T19:00:00Z"))
    server.route("/news.xml", body=urlset(*items), headers={"Content-Type": "application/xml"},
                 last_modified="Mon, 08 Dec 2025 20:00:00 GMT")
    for i in range(6):
        server.route(f"/h200-story-{i}", body=article(f"H200 story {i}"), headers=HTML)
    src = SourceConfig(name="site", outlet="Site", url=server.url("/"), kind="sitemap", keywords=["H200"],
                       discover=True, max_new=4)
    first = run_once(config(src), store).results[0]
    assert first.discovered == 4  # the cap; the newest first
    watched = {r["url"] for r in store.query("SELECT url FROM documents")}
    assert watched == {server.url(f"/h200-story-{i}") for i in (2, 3, 4, 5)}
    assert first.new_versions == 4 and not server.requests("/football")

    # Later polls: the sitemap answers 304; a new, later entry is taken, an old one is not.
    second = run_once(config(src), store).results[0]
    assert second.discovered == 0 and server.requests("/news.xml")[-1].status == 304
    items.append((server.url("/h200-new"), "H200 new", "2099-01-01T00:00:00Z"))
    items.append((server.url("/h200-old"), "H200 old", "2020-01-01T00:00:00Z"))
    server.route("/news.xml", body=urlset(*items), headers={"Content-Type": "application/xml"},
                 last_modified="Tue, 09 Dec 2025 20:00:00 GMT")
    server.route("/h200-new", body=article("H200 new"), headers=HTML)
    third = run_once(config(src), store).results[0]
    assert third.discovered == 1
    urls = {r["url"] for r in store.query("SELECT url FROM documents")}
    assert server.url("/h200-new") in urls and server.url("/h200-old") not in urls
    listed = {r["url"] for r in store.query("SELECT url FROM listings")}
    assert server.url("/football") in listed  # listed, kept for finding citations, not watched


def test_sitemap_entries_on_other_sites_are_skipped(server, store):
    server.route("/news.xml", body=urlset((server.url("/h200-a"), "H200 a", "2025-12-08T10:00:00Z"),
                                          ("https://elsewhere.example/h200", "H200 b", "2025-12-08T10:00:00Z")))
    server.route("/h200-a", body=article("H200 a"), headers=HTML)
    res = run_once(config(SourceConfig(name="s", outlet="S", url=server.url("/news.xml"), kind="sitemap")),
                   store).results[0]
    assert res.discovered == 1 and res.skipped == 1


def test_search_engine_errors_back_off_and_recover(server, store):
    server.route("/doc", body="Invalid query: too short", headers={"Content-Type": "text/plain"})
    src = SourceConfig(name="gd", outlet="GDELT", url=server.url("/doc?query=H200&mode=artlist&format=json"),
                       kind="gdelt", interval=600.0)
    cfg = config(src)
    first = run_once(cfg, store).results[0]
    assert first.status == "failing" and "too short" in (first.message or "")
    run_once(cfg, store)
    state = store.source_state("gd")
    assert state["failures_in_row"] == 2 and "too short" in state["last_error"]
    server.route("/doc", body=json.dumps({"articles": [
        {"url": server.url("/h200"), "title": "H200 news", "seendate": "20251208T143000Z"}]}),
        headers={"Content-Type": "application/json"})
    server.route("/h200", body=article("H200 news"), headers=HTML)
    ok = run_once(cfg, store).results[0]
    assert ok.status == "ok" and ok.discovered == 1 and ok.new_versions == 1
    assert len(server.requests("/doc")) == 3  # one request per poll, no retries of a 200


def test_feed_entries_are_listed_and_a_broken_citation_is_found_among_them(server, store):
    from chipwatch.monitor import baseline
    from chipwatch.monitor.config import BaselineClaim

    real = server.url("/tech/trumps-nvidia-move-could-help-china-win-the-ai-war-analysts-say-1851788387")
    cited = server.url("/trumps-nvidia-move-could-help-china-win-the-ai-war-analysts-say")
    rss = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Q</title>'
           f"<item><title>Trump's Nvidia move could help China win the AI war, analysts say</title>"
           f"<link>{real}</link><pubDate>Tue, 09 Dec 2025 10:00:00 GMT</pubDate></item></channel></rss>")
    server.route("/feed.xml", body=rss, headers={"Content-Type": "application/rss+xml"})
    cfg = config(SourceConfig(name="q-feed", outlet="Q", url=server.url("/feed.xml"), kind="feed",
                              keywords=["Ascend"]),  # the entry does not match: listed, not watched
                 SourceConfig(name="q-cited", outlet="Q", url=cited, kind="page"))
    run_once(cfg, store)
    assert store.document_by_url(real) is None
    claim = BaselineClaim(id="B14", text="Analysts say the move could help China.", kind="policy", actor="US",
                          action="allow_export", chip="H200", chips=["H200"], cited=cited)
    v = baseline.claim_verdict(store, claim)
    assert v.citation_resolved["found_url"] == real and v.citation_resolved["status"] == "found"
    assert v.citation_resolved["evidence"]["listed_by"] == "listing"
    assert v.citation == "not fetched yet" and v.citation_detail.startswith("cited URL broken (answers 404); found at")
