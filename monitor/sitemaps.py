"""Sitemaps as a source of articles: sitemap indexes, news sitemaps, and robots.txt.

Outlets that matter most (Reuters among them) publish no public RSS but do publish Google
News sitemaps: a list of the last two days' articles with their title, publication date
and keywords. This module only parses bytes the fetcher got; politeness (conditional GET,
per-host delay, robots) stays in the fetcher and the poller.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin

from lxml import etree

from chipwatch.monitor.feeds import FeedEntry

GZIP_MAGIC = b"\x1f\x8b"
MAX_LOCS = 50_000  # the sitemap protocol's own limit per file
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          remove_comments=True, recover=True)


@dataclass
class SitemapEntry:
    """One <url> (or one child <sitemap> of an index)."""

    url: str
    lastmod: str | None = None  # ISO 8601 UTC
    title: str = ""  # news:title
    published: str | None = None  # news:publication_date, ISO 8601 UTC
    keywords: str = ""  # news:keywords
    publication: str = ""  # news:publication/news:name

    @property
    def when(self) -> str | None:
        """The entry's own date: publication first, else lastmod."""
        return self.published or self.lastmod

    def as_feed_entry(self) -> FeedEntry:
        """The same entry in the shape feeds use, so feed rules (keywords, links) apply."""
        return FeedEntry(url=self.url, title=self.title, summary=self.keywords, published=self.when)


@dataclass
class Sitemap:
    kind: str  # "index", "urlset", or "unknown"
    entries: list[SitemapEntry] = field(default_factory=list)
    problem: str | None = None


def gunzip(body: bytes, max_bytes: int) -> tuple[bytes, bool]:
    """A gzip body decompressed, at most max_bytes of it (a gzip bomb stays small).
    Returns (data, truncated); a body that is not gzip comes back as it is."""
    if not body.startswith(GZIP_MAGIC):
        return body, False
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = d.decompress(body, max_bytes)
    except zlib.error:
        return b"", False
    return data, bool(d.unconsumed_tail)


def parse_time(value: str | None) -> str | None:
    """W3C datetime (2025-12-08, 2025-12-08T14:02:00Z, ...+01:00) as ISO 8601 UTC."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", value)
        if not m:
            return None
        try:
            dt = datetime(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).replace(microsecond=0).isoformat()


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(node: etree._Element, *path: str) -> str:
    """Text of the first descendant chain matching local names (namespaces ignored)."""
    current = [node]
    for name in path:
        nxt = [c for n in current for c in n if _local(c.tag) == name]
        if not nxt:
            return ""
        current = nxt
    return " ".join((current[0].text or "").split())


def parse_sitemap(body: bytes, base_url: str, max_bytes: int = 5_000_000) -> Sitemap:
    """Parse a sitemap index or urlset (plain or gzip); never raises on bad input."""
    data, truncated = gunzip(body, max_bytes)
    if not data.strip():
        return Sitemap("unknown", problem="empty or undecodable body")
    try:
        root = etree.fromstring(data, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        return Sitemap("unknown", problem=f"not XML: {exc}"[:300])
    if root is None:
        return Sitemap("unknown", problem="not XML")
    kind = {"sitemapindex": "index", "urlset": "urlset"}.get(_local(root.tag), "unknown")
    if kind == "unknown":
        return Sitemap(kind, problem=f"root element <{_local(root.tag)}> is not a sitemap")
    item = "sitemap" if kind == "index" else "url"
    entries: list[SitemapEntry] = []
    for node in root:
        if _local(node.tag) != item:
            continue
        loc = _child_text(node, "loc")
        if not loc:
            continue
        entries.append(SitemapEntry(
            url=urljoin(base_url, loc),
            lastmod=parse_time(_child_text(node, "lastmod")),
            title=_child_text(node, "news", "title"),
            published=parse_time(_child_text(node, "news", "publication_date")),
            keywords=_child_text(node, "news", "keywords"),
            publication=_child_text(node, "news", "publication", "name"),
        ))
        if len(entries) >= MAX_LOCS:
            break
    problem = "cut off at max_bytes after decompression" if truncated else None
    return Sitemap(kind, entries, problem)


def robots_sitemaps(robots_txt: bytes, base_url: str, limit: int = 20) -> list[str]:
    """The `Sitemap:` lines of a robots.txt (absolute URLs), at most `limit`."""
    text = robots_txt.decode("utf-8", "replace")
    found: list[str] = []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            url = urljoin(base_url, value.strip())
            if url.startswith(("http://", "https://")) and url not in found:
                found.append(url)
        if len(found) >= limit:
            break
    return found


def newest_first(entries: list[SitemapEntry]) -> list[SitemapEntry]:
    """Entries by their date, newest first; undated ones last in document order."""
    dated = sorted((e for e in entries if e.when), key=lambda e: e.when or "", reverse=True)
    return dated + [e for e in entries if not e.when]
