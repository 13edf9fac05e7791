"""Issue 14 end to end, on real loopback servers and the real command line: a news sitemap
(index + gzip child) and a GDELT-style search endpoint discover the articles; three outlets
serve one wire story (different page furniture, one word edited) and one outlet an
independent article; `run --once` stores them, groups the three copies into one story
credited to the wire, and `baseline` counts two independent sources, not four. A claim
citing a URL that answers 404 is found again in the site's news sitemap.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from localserver import local_server

# Real subprocesses and servers: left out of the fast lane (-m "not slow").
pytestmark = pytest.mark.slow

HTML = {"Content-Type": "text/html; charset=utf-8"}

WIRE = [
    "WASHINGTON, Dec 8 (Reuters) - The United States will allow Nvidia's H200 processors to be "
    "exported to approved customers in China, President Donald Trump said on Monday, and the "
    "government will collect a 25% fee on such sales.",
    "The decision appears to settle a debate in Washington about whether Nvidia and its rivals should "
    "keep their global lead in artificial intelligence chips by selling to China or withhold the exports, "
    "though Beijing has told companies to avoid US technology where they can.",
    "Trump said in a post that he had informed President Xi Jinping of the move and that the Commerce "
    "Department was finalising the details of the arrangement, which would also apply to other chip firms "
    "such as Advanced Micro Devices and Intel.",
    "Administration officials consider the move a compromise between sending the latest Blackwell chips "
    "to China, which Trump has declined to allow, and sending China no US chips at all, a person familiar "
    "with the matter said.",
]
INDEPENDENT = [
    "Chip exporters have a new rule to read. Washington now lets Nvidia sell the H200 to vetted buyers in "
    "China, a reversal that analysts at our desk did not expect this year.",
    "The H200 allowance comes with conditions: the US will let the chip be exported only to customers "
    "that pass a review, and Nvidia must hand over a share of the revenue.",
    "Huawei, meanwhile, keeps shipping its own accelerators to Chinese cloud providers.",
]
CITED_TITLE = "Trump's Nvidia move could help China win the AI war, analysts say"
CITED_TEXT = [
    "Analysts say the US decision to allow Nvidia's H200 to be exported to China could help Chinese "
    "developers close the gap in artificial intelligence.",
    "The White House said the sales would go only to approved customers.",
]


def page(title: str, paragraphs: list[str], furniture: str) -> str:
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/tech'>{furniture} Tech</a></nav>"
            f"<article><h1>{title}</h1>\n{body}</article>"
            f"<aside><h2>More from {furniture}</h2><ul><li>Markets today</li><li>Weather</li></ul></aside>"
            f"<footer>Copyright {furniture} Media. All rights reserved.</footer></body></html>")


def sitemap_index(child: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{child}</loc><lastmod>2025-12-09T10:00:00Z</lastmod></sitemap>"
            "</sitemapindex>")


def news_sitemap(entries: list[tuple[str, str, str, str]]) -> bytes:
    items = "".join(
        f"<url><loc>{loc}</loc><news:news><news:publication><news:name>Alpha News</news:name>"
        f"<news:language>en</news:language></news:publication>"
        f"<news:publication_date>{when}</news:publication_date><news:title>{title}</news:title>"
        f"<news:keywords>{kw}</news:keywords></news:news></url>"
        for loc, title, when, kw in entries)
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
           'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + items + "</urlset>")
    return gzip.compress(xml.encode())


@pytest.fixture
def sites():
    with local_server("127.0.0.1") as alpha, local_server("127.0.0.2") as search, \
            local_server("127.0.0.3") as bravo, local_server("127.0.0.4") as charlie:
        yield alpha, search, bravo, charlie


def serve(alpha, search, bravo, charlie) -> dict[str, str]:
    title = "US to allow Nvidia H200 chip exports to China with 25% fee"
    edited = [WIRE[0], WIRE[1].replace("debate", "dispute"), *WIRE[2:]]  # the one-word edit
    urls = {
        "alpha_wire": alpha.url("/world/us-allow-nvidia-h200-exports-china"),
        "alpha_own": alpha.url("/tech/what-the-h200-decision-means"),
        "alpha_cited": alpha.url("/2025/12/09/trumps-nvidia-move-could-help-china"),
        "alpha_sport": alpha.url("/sport/football-results"),
        "bravo": bravo.url("/news/2025/12/08/nvidia-h200-china"),
        "charlie": charlie.url("/business/tech/us-h200-exports-fee"),
    }
    alpha.route("/world/us-allow-nvidia-h200-exports-china", body=page(title, WIRE, "Alpha"), headers=HTML)
    alpha.route("/tech/what-the-h200-decision-means", body=page("What the H200 decision means", INDEPENDENT, "Alpha"),
                headers=HTML)
    alpha.route("/2025/12/09/trumps-nvidia-move-could-help-china", body=page(CITED_TITLE, CITED_TEXT, "Alpha"),
                headers=HTML)
    alpha.route("/sport/football-results", body=page("Football results", ["Scores."], "Alpha"), headers=HTML)
    bravo.route("/news/2025/12/08/nvidia-h200-china", body=page(title, WIRE, "Bravo Daily"), headers=HTML)
    charlie.route("/business/tech/us-h200-exports-fee", body=page(title + " (update)", edited, "Charlie Times"),
                  headers=HTML)
    child = alpha.url("/sitemaps/news-1.xml.gz")
    alpha.route("/sitemap_index.xml", body=sitemap_index(child), headers={"Content-Type": "application/xml"},
                etag='"idx1"')
    alpha.route("/sitemaps/news-1.xml.gz", headers={"Content-Type": "application/x-gzip"}, etag='"n1"',
                body=news_sitemap([
                    (urls["alpha_wire"], title, "2025-12-08T22:10:00+00:00", "Nvidia, China, export controls"),
                    (urls["alpha_own"], "What the H200 decision means", "2025-12-09T08:00:00Z", "chips"),
                    (urls["alpha_cited"], CITED_TITLE, "2025-12-09T09:30:00Z", "AI"),
                    (urls["alpha_sport"], "Football results", "2025-12-09T09:00:00Z", "sport"),
                ]))
    search.route("/api/v2/doc/doc", headers={"Content-Type": "application/json"}, body=json.dumps({"articles": [
        {"url": urls["bravo"], "title": title, "seendate": "20251208T223000Z", "domain": "bravo.example",
         "language": "English", "sourcecountry": "United States"},
        {"url": urls["charlie"], "title": title, "seendate": "20251208T231500Z", "domain": "charlie.example",
         "language": "English", "sourcecountry": "United Kingdom"},
        {"url": "http://10.1.2.3/elsewhere/nvidia", "title": "Nvidia H200 elsewhere", "seendate": "20251208T231500Z"},
    ]}))
    return urls


def write_config(tmp_path: Path, alpha, search, broken_cited: str) -> Path:
    gdelt = search.url("/api/v2/doc/doc") + "?query=Nvidia%20H200&mode=artlist&format=json&maxrecords=75&timespan=1d"
    (tmp_path / "sources.toml").write_text(f"""
[[source]]
name = "alpha-news-sitemap"
outlet = "Alpha News"
kind = "sitemap"
url = "{alpha.url('/sitemap_index.xml')}"
keywords = ["Nvidia", "H200"]

[[source]]
name = "gdelt-h200"
outlet = "GDELT"
kind = "gdelt"
url = "{gdelt}"
keywords = ["H200"]

[[source]]
name = "cited-quartz"
outlet = "Alpha News"
kind = "page"
url = "{broken_cited}"
""", encoding="utf-8")
    (tmp_path / "baseline.toml").write_text(f"""
[[claim]]
id = "B01"
text = "The US allows Nvidia H200 exports to approved customers in China."
kind = "policy"
actor = "US"
action = "allow_export"
chip = "H200"
cited = "{broken_cited}"
""", encoding="utf-8")
    path = tmp_path / "chipwatch.toml"
    path.write_text('sources = "sources.toml"\nbaseline = "baseline.toml"\n[fetch]\nper_host_delay = 0\n'
                    'allow_private_addresses = true\ntimeout = 15\nretries = 0\n[alerts]\njsonl = ""\n',
                    encoding="utf-8")
    return path


def test_discovery_stories_independent_sources_and_a_broken_citation(sites, tmp_path, cw):
    alpha, search, bravo, charlie = sites
    urls = serve(alpha, search, bravo, charlie)
    broken = alpha.url("/2025/2/20/trumps-nvidia-move-could-help-china-win-the-ai-war-analysts-say")
    cfg = write_config(tmp_path, alpha, search, broken)

    run = cw("--config", cfg, "run", "--once")
    assert run.code == 0, run.err
    lines = {ln.split()[0]: ln for ln in run.out.splitlines() if ln and not ln.startswith(("total", "alerts"))}
    assert "discovered 3" in lines["alpha-news-sitemap"]  # wire copy, own article, cited; not sport
    assert "discovered 2" in lines["gdelt-h200"]  # bravo and charlie; the private 10.x link refused
    assert "skipped 1" in lines["gdelt-h200"]
    assert "gone" in lines["cited-quartz"]
    assert len(search.requests("/api/v2/doc/doc")) == 1  # one request per poll
    assert not alpha.requests("/sport/football-results")

    stored = cw("--config", cfg, "sql", "SELECT url FROM documents WHERE latest_snapshot_id IS NOT NULL",
                "--format", "json")
    got = {json.loads(ln)["url"] for ln in stored.out.splitlines()}
    assert {urls["alpha_wire"], urls["alpha_own"], urls["alpha_cited"], urls["bravo"], urls["charlie"]} <= got

    stories = cw("--config", cfg, "stories", "--format", "json")
    assert stories.code == 0, stories.err
    rows = [json.loads(ln) for ln in stories.out.splitlines()]
    assert len(rows) == 1
    story = rows[0]
    assert story["copies"] == 3 and story["origin_outlet"] == "Reuters"
    assert "(Reuters) -" in story["reason"]
    assert {m["url"] for m in story["members"]} == {urls["alpha_wire"], urls["bravo"], urls["charlie"]}

    out = cw("--config", cfg, "baseline", "--format", "json")
    b01 = json.loads(out.out.splitlines()[0])
    assert b01["verdict"] == "supported"
    assert b01["support_count"] >= 4  # four documents carry the fact ...
    assert b01["independent_for"] == 2  # ... from two independent sources
    assert "Reuters, republished by 3" in b01["support_sources"]
    assert "Alpha News" in b01["support_sources"]
    # The cited URL answers 404; the article is in the news sitemap under another slug.
    res = b01["citation_resolved"]
    assert res["status"] == "found" and res["found_url"] == urls["alpha_cited"]
    assert res["evidence"]["problem"] == "answers 404" and res["evidence"]["title_similarity"] >= 0.6
    assert b01["citation"] == "says"  # the check read the page found
    assert b01["citation_detail"].startswith(f"cited URL broken (answers 404); found at {urls['alpha_cited']}")

    table = cw("--config", cfg, "baseline")
    for_line = next(ln.strip() for ln in table.out.splitlines() if ln.strip().startswith("for:"))
    assert sorted(for_line.removeprefix("for: ").split("; ")) == ["Alpha News", "Reuters, republished by 3"]
    assert f"citation: cited URL broken (answers 404); found at {urls['alpha_cited']}" in table.out
    row = next(ln for ln in table.out.splitlines() if ln.startswith("B01"))
    assert row.split()[1:4] == ["supported", "2", "0"]

    # Each copy's fact keeps its own provenance and points to the story.
    facts = [json.loads(ln) for ln in cw("--config", cfg, "facts", "--origin", "--action", "allow_export",
                                         "--format", "json").out.splitlines()]
    copies = [f for f in facts if f["url"] in (urls["alpha_wire"], urls["bravo"], urls["charlie"])]
    assert {f["url"] for f in copies} == {urls["alpha_wire"], urls["bravo"], urls["charlie"]}
    assert {f["story_id"] for f in copies} == {story["id"]}
    assert all(f["origin"]["source"] == "Reuters" and f["origin"]["url"] == urls["alpha_wire"] for f in copies)
    assert len({f["content_hash"] for f in copies}) == 3

    # The HTML report says the same: independent sources, the citation found again, and
    # who said it first (the wire, via the site that carried the earliest copy).
    report = cw("--config", cfg, "report", "-o", tmp_path / "r.html")
    assert report.code == 0, report.err
    page_html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "2 independent for: " in page_html and "Reuters, republished by 3" in page_html
    assert "cited URL broken (answers 404); found at " in page_html
    assert 'id="origins"' in page_html and "Reuters (via Alpha News)" in page_html

    # The claim gained an independent source once: one alert, not one per copy.
    news = cw("--config", cfg, "alerts", "--type", "claim_new_source", "--format", "json")
    found = [json.loads(ln) for ln in news.out.splitlines()]
    assert len(found) == 1 and found[0]["claim_id"] == "B01"
    assert found[0]["payload"]["sources"] and len(found[0]["payload"]["sources"]) == 2

    # The same poll again: sitemaps answer 304, nothing new is discovered.
    again = cw("--config", cfg, "run", "--once")
    assert "discovered 0" in again.out.splitlines()[0]
    second = alpha.requests("/sitemap_index.xml")[-1]
    assert second.header("If-None-Match") == '"idx1"' and second.status == 304
