"""From a fetched or ingested body to a stored version with its facts.

Polling and `ingest` both come through `store_body`, so a page saved by hand and the
same page fetched by the daemon are stored, deduplicated and extracted the same way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from chipwatch.db.store import SavedVersion, Store, utcnow
from chipwatch.extractors import EXTRACTORS, extract_facts
from chipwatch.extractors.text.article import Article, parse_article, parse_text
from chipwatch.extractors.text.encoding import decode_body
from chipwatch.extractors.text.sniff import sniff_kind
from chipwatch.monitor.alerts import after_version
from chipwatch.monitor.config import Config
from chipwatch.monitor.syndication import link_version
from chipwatch.monitor.urls import outlet_of

log = logging.getLogger(__name__)

STORABLE_KINDS = ("html", "text")

def outlet_for(url: str | None, site_name: str | None = None) -> str | None:
    """The outlet a URL belongs to: a watched outlet's domain, else the page's site name."""
    host = (urlsplit(url).hostname or "") if url else ""
    return outlet_of(host) or site_name or (host.removeprefix("www.") or None)


@dataclass
class StoreResult:
    """What happened to one body: stored as a new version, unchanged, or skipped."""

    document_id: int | None
    snapshot_id: int | None
    new_version: bool
    new_facts: int
    title: str | None
    kind: str
    skipped: bool = False
    message: str | None = None
    saved: SavedVersion | None = field(default=None, repr=False)


def read_article(body: bytes, content_type: str | None, kind: str, url: str | None = None) -> tuple[Article, str]:
    """Decode and parse a body; returns the article and the encoding used."""
    text, encoding = decode_body(body, content_type)
    article = parse_article(text, url) if kind == "html" else parse_text(text)
    return article, encoding


def usable_canonical(url: str, canonical: str | None) -> str | None:
    """A page's canonical link names its document only when it is plausible.

    Sites that point every page at their home page, or at another site, would otherwise
    merge unrelated articles into one document.
    """
    if not canonical:
        return None
    try:
        a, c = urlsplit(url), urlsplit(canonical)
    except ValueError:
        return None
    if c.scheme not in ("http", "https") or not c.netloc or c.path in ("", "/"):
        return None
    if a.scheme in ("http", "https"):
        base = lambda host: ".".join((host or "").lower().split(".")[-2:])  # noqa: E731
        if base(a.hostname) != base(c.hostname):
            return None
    return canonical


@dataclass
class Prepared:
    """A body decoded, parsed and extracted: everything CPU-bound, nothing stored yet.
    Made by `prepare_body` (in a worker process when polling), stored by `store_prepared`."""

    kind: str
    content_type: str | None
    article: Article | None = None
    encoding: str | None = None
    facts: list = field(default_factory=list)
    message: str | None = None  # why the body is not stored


def prepare_body(body: bytes, headers: dict[str, str] | None = None, url: str | None = None,
                 filename: str | None = None) -> Prepared:
    """The CPU-bound part of storing a body: sniff, decode, parse, extract. Pure (no
    database, no shared state), so a process pool can run it off the event loop."""
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    content_type = headers.get("content-type")
    kind = sniff_kind(body, content_type, filename)
    if kind not in STORABLE_KINDS:
        return Prepared(kind, content_type, message=f"not an article ({kind}); not stored")
    article, encoding = read_article(body, content_type, kind, url)
    if not article.text.strip():
        return Prepared(kind, content_type, article, encoding, message="no article text found; not stored")
    return Prepared(kind, content_type, article, encoding, extract_facts(article.text))


def store_prepared(
    store: Store, prepared: Prepared, *, url: str, body: bytes, headers: dict[str, str] | None = None,
    fetched_at: str | None = None, http_status: int | None = None,
    source: str | None = None, outlet: str | None = None, fetch_id: int | None = None,
    truncated: bool = False, config: Config | None = None,
) -> StoreResult:
    """Store a prepared body and its facts in a single transaction."""
    article = prepared.article
    if prepared.message is not None or article is None:
        return StoreResult(None, None, False, 0, article.title if article else None, prepared.kind,
                           skipped=True, message=prepared.message)
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    canonical = usable_canonical(url, article.canonical_url)
    outlet = outlet or outlet_for(canonical or url, article.site_name)
    with store.transaction():  # the version and its assessments/alerts: all or nothing
        saved = store.save_version(
            url=url, canonical_url=canonical, body=body,
            text=article.text, title=article.title, published=article.published,
            updated=article.updated, fetched_at=fetched_at or utcnow(), http_status=http_status,
            headers=headers, content_type=prepared.content_type, encoding=prepared.encoding,
            parser=article.extractor, facts=prepared.facts, outlet=outlet, source=source,
            fetch_id=fetch_id, truncated=truncated or article.truncated,
            extractors=EXTRACTORS,
        )
        if saved.new_version:  # copies of the same story across outlets (issue 14)
            try:
                link_version(store, saved.document_id, saved.snapshot_id, article.text)
            except Exception:  # noqa: BLE001 - grouping is derived data; the version is kept
                log.exception("grouping %s into a story failed", url)
        after_version(store, saved, config)
    return StoreResult(
        saved.document_id, saved.snapshot_id, saved.new_version,
        len(saved.added_fact_ids), article.title, prepared.kind, saved=saved,
    )


def store_body(
    store: Store, *, url: str, body: bytes, headers: dict[str, str] | None = None,
    fetched_at: str | None = None, http_status: int | None = None,
    source: str | None = None, outlet: str | None = None, fetch_id: int | None = None,
    truncated: bool = False, filename: str | None = None, config: Config | None = None,
) -> StoreResult:
    """Parse, extract and store one body, all in this process (ingest)."""
    prepared = prepare_body(body, headers, url, filename)
    return store_prepared(store, prepared, url=url, body=body, headers=headers, fetched_at=fetched_at,
                          http_status=http_status, source=source, outlet=outlet, fetch_id=fetch_id,
                          truncated=truncated, config=config)
