"""Facts from one document in hand (HTML or plain text, detected), storing nothing.

What `chipwatch extract` prints and what a notebook gets from `chipwatch.extract()`: each
fact with the provenance this document can give (URL, outlet, content hash; no fetch time,
since nothing was fetched).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chipwatch.db.store import sha256
from chipwatch.errors import InputError
from chipwatch.extractors import extract_facts
from chipwatch.extractors.facts import Fact
from chipwatch.extractors.text.sniff import sniff_kind
from chipwatch.monitor.pipeline import outlet_for, read_article

# The JSON fields of one extracted fact, in the order `extract --format json|csv` prints them.
FACT_RECORD = ("kind", "chip", "metric", "value", "unit", "relative_to", "actor", "action",
               "quote", "char_start", "char_end", "url", "outlet", "content_hash",
               "fetched_at", "extractor", "extractor_version", "status", "approx", "low",
               "high", "negated", "target", "attribution")


@dataclass
class Extraction:
    """One document's text and facts, with what is known of where it came from."""

    url: str | None
    outlet: str | None
    content_hash: str
    title: str | None
    text: str
    facts: list[Fact] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        """The fact records (design: the fact JSON fields), provenance filled in."""
        provenance = {"url": self.url, "outlet": self.outlet, "content_hash": self.content_hash,
                      "fetched_at": None}
        return [{**fact.to_dict(), **provenance} for fact in self.facts]


def extract_document(body: bytes | str, *, url: str | None = None, outlet: str | None = None,
                     filename: str | None = None) -> Extraction:
    """Parse `body` (bytes as saved, or text) and extract its facts.

    Raises InputError when the body is neither HTML nor text (a PDF, an image, a WARC).
    """
    data = body.encode("utf-8") if isinstance(body, str) else body
    kind = sniff_kind(data[:65536], None, filename)
    if kind not in ("html", "text"):
        raise InputError(f"not an article ({kind})")
    article, _ = read_article(data, None, kind, url)
    doc_url = url or article.canonical_url
    return Extraction(url=doc_url, outlet=outlet or outlet_for(doc_url, article.site_name),
                      content_hash=sha256(data), title=article.title, text=article.text,
                      facts=extract_facts(article.text))
