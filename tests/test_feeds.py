"""Feed parsing, entry selection and URL rules (pure functions; the polling tests use a server)."""
from __future__ import annotations

from pathlib import Path

import pytest

from chipwatch.monitor.feeds import entry_matches, parse_feed, select_entries, FeedEntry
from chipwatch.monitor.urls import (
    canonicalize, is_on_site, literal_private_host, outlet_domains, registrable_domain,
)

FEEDS = Path(__file__).resolve().parent / "fixtures" / "feeds"
SITE = "127.0.0.1:8123"
FEED_URL = f"http://{SITE}/feed.xml"
KEYWORDS = ["H200", "Nvidia", "Huawei", "Blackwell", "AI"]


def load(name: str) -> bytes:
    return (FEEDS / name).read_bytes().replace(b"SITE", SITE.encode())


def verdicts(name: str, allow_private: bool = True) -> dict[str, str]:
    feed = parse_feed(load(name), {"content-type": "application/xml"}, FEED_URL)
    return {d.url: d.verdict for d in select_entries(feed, feed_url=FEED_URL, keywords=KEYWORDS,
                                                       allow_private=allow_private)}


def test_rss_entries_are_parsed_with_dates():
    feed = parse_feed(load("rss.xml"), {"content-type": "application/rss+xml"}, FEED_URL)
    assert feed.version == "rss20" and not feed.bozo and len(feed.entries) == 6
    first = feed.entries[0]
    assert first.title.startswith("Washington clears H200")
    assert first.published == "2025-12-09T14:30:00+00:00"
    assert feed.entries[2].summary == "Shares of Nvidia rose after the export announcement."


def test_rss_matching_nonmatching_offsite_and_private_entries():
    v = verdicts("rss.xml")
    assert v == {
        f"http://{SITE}/news/h200-shipments?id=7": "watch",  # utm_* and fragment stripped
        f"http://{SITE}/news/harbour-festival": "no_match",
        f"http://{SITE}/news/markets-wrap": "watch",  # matched in the summary; traffic_source stripped
        "http://elsewhere.example.org/story/ascend-customers": "offsite",
        "http://192.168.10.5/memos/h200": "private_address",
        f"http://{SITE}/news/year-review": "no_match",  # "said" does not match the keyword AI
    }


def test_atom_entries_relative_links_and_summary_match():
    v = verdicts("atom.xml")
    assert v == {
        f"http://{SITE}/world/h200-approval": "watch",  # fbclid stripped
        f"http://{SITE}/weather/weekend": "no_match",
        f"http://{SITE}/tech/blackwell-off-limits": "watch",  # relative link, match in the HTML summary
    }


def test_malformed_feed_is_parsed_as_far_as_possible_and_reported():
    feed = parse_feed(load("broken.xml"), {}, FEED_URL)
    assert feed.bozo and feed.problem and "malformed feed" in feed.problem
    assert [e.url for e in feed.entries][:1] == [f"http://{SITE}/explainer/h200"]


def test_private_links_refused_even_when_private_addresses_are_allowed_except_own_host():
    feed = parse_feed(load("rss.xml"), {}, FEED_URL)
    own = [d for d in select_entries(feed, feed_url=FEED_URL, keywords=KEYWORDS, allow_private=True)
           if d.verdict == "watch"]
    assert own  # the feed's own loopback host is fine when allowed
    strict = select_entries(feed, feed_url=FEED_URL, keywords=KEYWORDS, allow_private=False)
    assert all(d.verdict != "watch" for d in strict)  # nothing on loopback when refused
    assert {d.verdict for d in strict if d.url and "127.0.0.1" in d.url} == {"private_address", "no_match"}


def test_keyword_matching_rules():
    entry = FeedEntry("http://x/", "Nvidia's new chips", "said the spokesperson", None)
    assert entry_matches(entry, ["nvidia"])  # case-insensitive, possessive
    assert entry_matches(entry, ["chip"])  # plural
    assert not entry_matches(entry, ["AI"])  # not inside "said"
    assert entry_matches(entry, [])  # no keywords: every entry
    assert entry_matches(FeedEntry("http://x/", "米国がH200の輸出を許可", "", None), ["輸出"])


def test_canonicalize_strips_tracking_and_fragments():
    assert canonicalize("HTTPS://WWW.Reuters.com:443/tech/a?utm_source=x&b=2&gclid=1#frag") == \
        "https://www.reuters.com/tech/a?b=2"
    assert canonicalize("https://www.aljazeera.com/news/x?traffic_source=rss") == "https://www.aljazeera.com/news/x"
    assert canonicalize("http://example.com") == "http://example.com/"
    assert canonicalize("/a?fbclid=1", base="http://h:8080/x/") == "http://h:8080/a"


@pytest.mark.parametrize("host,domain", [("www.reuters.com", "reuters.com"), ("news.bbc.co.uk", "bbc.co.uk"),
                                         ("qz.com", "qz.com"), ("127.0.0.1", "127.0.0.1")])
def test_registrable_domain(host, domain):
    assert registrable_domain(host) == domain


def test_outlet_domains_known_map():
    domains = outlet_domains("https://feeds.example-proxy.net/aj.xml", "Al Jazeera")
    assert {"aljazeera.com", "aljazeera.net", "example-proxy.net"} <= domains
    assert is_on_site("https://www.aljazeera.com/news/2025/12/1/x", domains)
    assert not is_on_site("https://www.reuters.com/x", domains)
    assert "reut.rs" in outlet_domains("https://www.reuters.com/technology/")


@pytest.mark.parametrize("host,private", [("127.0.0.1", True), ("10.1.2.3", True), ("169.254.1.1", True),
                                          ("192.168.0.9", True), ("[::1]", True), ("fe80::1", True),
                                          ("localhost", True), ("100.64.0.1", True),
                                          ("8.8.8.8", False), ("example.com", False)])
def test_literal_private_hosts(host, private):
    assert literal_private_host(host) is private


@pytest.mark.parametrize("raw,canonical", [
    # Real article links of the watched outlets as shared from search results and social posts.
    ("https://www.tomshardware.com/tech-industry/trump-approves-nvidia-h200-exports-to-china-with-25-fee-attached"
     "?srsltid=AfmBOoqX3m1&utm_source=twitter&utm_medium=social",
     "https://www.tomshardware.com/tech-industry/trump-approves-nvidia-h200-exports-to-china-with-25-fee-attached"),
    ("https://www.reuters.com/technology/how-chinas-ai-chips-stack-up-against-nvidias-h200-2024-12-18/"
     "?utm_campaign=trueAnthem&mc_cid=ab12&fbclid=IwAR0",
     "https://www.reuters.com/technology/how-chinas-ai-chips-stack-up-against-nvidias-h200-2024-12-18/"),
    ("https://qz.com/trumps-nvidia-move-could-help-china-win-the-ai-war-analysts-say-1851788387?xtor=RSS-1&ocid=x",
     "https://qz.com/trumps-nvidia-move-could-help-china-win-the-ai-war-analysts-say-1851788387"),
    ("https://www.cfr.org/expert-brief/us-china-ai-chip-competition-and-h200-decision?gclid=Cj0&dclid=1&gbraid=2",
     "https://www.cfr.org/expert-brief/us-china-ai-chip-competition-and-h200-decision"),
    # A parameter that picks the content stays.
    ("https://www.aljazeera.com/where/china/?page=2&srsltid=x", "https://www.aljazeera.com/where/china/?page=2"),
])
def test_canonicalize_strips_the_maintained_tracker_list(raw, canonical):
    assert canonicalize(raw) == canonical


@pytest.mark.parametrize("host,domain", [
    ("feeds.reuters.com", "reuters.com"), ("www.tomshardware.com", "tomshardware.com"),
    ("www.asahi.co.jp", "asahi.co.jp"), ("www.scmp.com.hk", "scmp.com.hk"),
    ("english.news.cn", "news.cn"), ("www.mofcom.gov.cn", "mofcom.gov.cn"),
    ("www.abc.net.au", "abc.net.au"),
    # Beyond the old 23-entry list: the Public Suffix List knows these.
    ("news.example.com.vn", "example.com.vn"), ("someone.github.io", "someone.github.io"),
    ("www.nikkei.co.jp", "nikkei.co.jp"), ("shop.example.ac.jp", "example.ac.jp"),
    # Suffixes the list does not know count as one label; single labels stay.
    ("site.internal", "site.internal"), ("a.b.test", "b.test"), ("localhost", "localhost"),
])
def test_registrable_domain_uses_the_public_suffix_list(host, domain):
    assert registrable_domain(host) == domain
