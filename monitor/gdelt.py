"""A news search engine as a source: the GDELT DOC 2.0 article-list API (JSON).

The source's `url` is the whole API request, for example
https://api.gdeltproject.org/api/v2/doc/doc?query=(H200%20OR%20%22Ascend%20910C%22)%20Nvidia%20China&mode=artlist&format=json&maxrecords=75&timespan=1d&sort=datedesc
so that a test can point it at a loopback server. One request per poll; the results
become watched articles like feed entries. Only parsing lives here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

from chipwatch.monitor.feeds import FeedEntry

MAX_RESULTS = 250  # the API returns at most 250 records per request


@dataclass
class SearchHit:
    url: str
    title: str
    seen: str | None  # ISO 8601 UTC: when GDELT first saw the article
    domain: str = ""
    language: str = ""
    country: str = ""

    def as_feed_entry(self) -> FeedEntry:
        return FeedEntry(url=self.url, title=self.title, summary="", published=self.seen)


@dataclass
class SearchResults:
    hits: list[SearchHit] = field(default_factory=list)
    problem: str | None = None  # the API's own message when it answered with text


def parse_seendate(value: object) -> str | None:
    """GDELT's 20251208T143000Z (also with dashes or a plain ISO time) as ISO 8601 UTC."""
    text = str(value or "").strip()
    for fmt in ("%Y%m%dT%H%M%SZ", "%Y%m%d%H%M%S", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            dt = datetime.strptime(text, fmt).replace(tzinfo=timezone.utc)
            return dt.isoformat()
        except ValueError:
            continue
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    dt = dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def parse_artlist(body: bytes) -> SearchResults:
    """The `articles` of an artlist answer; an error text or bad JSON gives a problem."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return SearchResults(problem="empty answer")
    try:
        data = json.loads(text)
    except ValueError:
        # The API answers mistakes in the query with a line of plain text.
        return SearchResults(problem=" ".join(text.split())[:200])
    if not isinstance(data, dict):
        return SearchResults(problem="answer is not a JSON object")
    articles = data.get("articles", [])
    if not isinstance(articles, list):
        return SearchResults(problem="'articles' is not a list")
    hits: list[SearchHit] = []
    for raw in articles[:MAX_RESULTS]:
        if not isinstance(raw, dict):
            continue
        url = str(raw.get("url") or "").strip()
        if not url.startswith(("http://", "https://")):
            continue
        hits.append(SearchHit(
            url=url, title=" ".join(str(raw.get("title") or "").split()),
            seen=parse_seendate(raw.get("seendate")), domain=str(raw.get("domain") or ""),
            language=str(raw.get("language") or ""), country=str(raw.get("sourcecountry") or ""),
        ))
    return SearchResults(hits)


def is_artlist_request(url: str) -> bool:
    """A request the poller can read: mode=artlist and format=json (case-insensitive)."""
    q = {k.lower(): [v.lower() for v in vs] for k, vs in parse_qs(urlsplit(url).query).items()}
    return "artlist" in q.get("mode", []) and "json" in q.get("format", [])
