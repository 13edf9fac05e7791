"""The real publisher feeds in ../shared/corpus/feeds parse and yield every entry."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from chipwatch.monitor.feeds import parse_feed, select_entries
from chipwatch.monitor.urls import canonicalize

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FEEDS = CORPUS / "feeds"


def corpus_feeds() -> list[tuple[Path, str]]:
    """(file, original feed URL) for each corpus feed; empty when the corpus is absent."""
    if not FEEDS.is_dir():
        return []
    urls: dict[str, str] = {}
    manifest = CORPUS / "MANIFEST.tsv"
    if manifest.exists():
        with manifest.open(encoding="utf-8") as fh:
            for row in csv.reader(fh, delimiter="\t"):
                if len(row) > 3 and row[0].startswith("feeds/"):
                    urls[row[0].removeprefix("feeds/")] = row[3]
    return [(p, urls.get(p.name, "https://www.aljazeera.com/xml/rss/all.xml")) for p in sorted(FEEDS.glob("*.xml"))]


def test_corpus_feeds_present_or_skip():
    if not corpus_feeds():
        pytest.skip(f"{FEEDS} not present")
    assert len(corpus_feeds()) >= 1


@pytest.mark.parametrize("path,feed_url", corpus_feeds() or [pytest.param(None, None, marks=pytest.mark.skip(
    reason="../shared/corpus/feeds not present"))])
def test_corpus_feed_yields_all_entries(path: Path, feed_url: str):
    body = path.read_bytes()
    items = len(re.findall(rb"<item[\s>]", body))
    feed = parse_feed(body, {"content-type": "application/rss+xml"}, feed_url)
    assert feed.version and feed.version.startswith("rss")
    assert not feed.bozo, feed.problem
    assert items > 0 and len(feed.entries) == items
    assert all(e.url and e.url.startswith("http") and e.title for e in feed.entries)
    assert sum(1 for e in feed.entries if e.published) == items  # every item is dated
    # with no keywords, every entry is on the outlet's own site and becomes a watched URL
    decisions = select_entries(feed, feed_url=feed_url, outlet="Al Jazeera", keywords=[])
    watched = [d for d in decisions if d.verdict == "watch"]
    assert len(watched) == len({canonicalize(e.url) for e in feed.entries})
    assert not any("traffic_source" in d.url or "#" in d.url for d in watched)
