"""Cited pages that do not resolve, found again.

The seed analysis cites some pages under URLs that cannot be them (a wrong date in the
path, an old slug). When the cited URL answers 404/410, redirects to a section or home
page, or holds an unrelated article, the article meant is looked for among what the
outlet's sitemaps, the feeds and the search engine listed or what is stored, on the same
site: the title words against the words of the cited slug (and of the claim when the slug
has too few), with the date kept as evidence. A strong match is used for the citation
check; every attempt is recorded with its evidence. `cited_resolved` in baseline.toml pins
a URL, or says "none" to refuse.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from chipwatch.db import sourcing
from chipwatch.db.store import Store
from chipwatch.monitor.config import BaselineClaim
from chipwatch.monitor.urls import registrable_domain

STRONG = 0.6  # title similarity from which a candidate is taken as the cited article
MIN_SLUG_WORDS = 3
STOP = frozenset("""
    a an the and or of for to in on at by with from as is are was be it its this that s
    says say said will would could can how why what who news article html htm amp www com
""".split())
_DATE_PATH = re.compile(r"/(20\d\d)/(\d{1,2})(?:/(\d{1,2}))?/")

Check = Callable[[Store, BaselineClaim, "dict | None", str], tuple[str, str]]


def words(text: str) -> set[str]:
    return {w for w in re.split(r"[^0-9a-z]+", unquote(text).lower())
            if len(w) > 1 and w not in STOP and not w.isdigit()}


def slug_words(url: str) -> set[str]:
    path = urlsplit(url).path
    segments = [s for s in path.split("/") if s]
    # the longest segment is the slug; dates and ids are other segments
    slug = max(segments, key=lambda s: len(words(s)), default="")
    return words(slug)


def similarity(a: set[str], b: set[str]) -> float:
    """Dice coefficient of two word sets."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def broken(store: Store, cited: str, doc: dict | None) -> str | None:
    """Why a cited URL cannot be the article it names, or None when nothing says so."""
    fetch = None
    for url in dict.fromkeys((cited, cited.rstrip("/"), cited.rstrip("/") + "/")):
        fetch = sourcing.last_fetch(store, url)
        if fetch:
            break
    if fetch:
        if fetch["http_status"] in (404, 410) or fetch["outcome"] == "gone":
            return f"answers {fetch['http_status'] or 'gone'}"
        final = fetch.get("final_url") or ""
        if final and final.rstrip("/") != cited.rstrip("/"):
            segments = [s for s in urlsplit(final).path.split("/") if s]
            if len(segments) <= 1 and len(slug_words(final)) < MIN_SLUG_WORDS:
                return f"redirects to {final}"
    if doc and doc.get("title"):
        slug, title = slug_words(cited), words(doc["title"])
        # only a title in the slug's script can be compared (a Japanese title shares no words)
        if len(slug) >= MIN_SLUG_WORDS and len(title) >= MIN_SLUG_WORDS and similarity(slug, title) < 0.2:
            return f'holds an unrelated article ("{doc["title"][:80]}")'
    return None


def _same_site(cited: str, url: str) -> bool:
    a, b = urlsplit(cited), urlsplit(url)
    if not a.hostname or not b.hostname:
        return False
    if a.hostname == b.hostname:
        return a.port == b.port or registrable_domain(a.hostname) != a.hostname
    return registrable_domain(a.hostname) == registrable_domain(b.hostname)


def _host_pattern(cited: str) -> str:
    parts = urlsplit(cited)
    host = (parts.hostname or "").lower()
    reg = registrable_domain(host)
    if reg == host:  # an IP or a bare domain: this exact origin
        return f"{parts.scheme}://{parts.netloc}/%"
    return f"%{reg}/%"


def candidates(store: Store, claim: BaselineClaim) -> list[dict]:
    """Listed or stored articles on the cited site, best title match first."""
    cited = claim.cited
    target = slug_words(cited)
    if len(target) < MIN_SLUG_WORDS:
        target |= words(claim.text)
    found: dict[str, dict] = {}
    for row in sourcing.listed_titles(store, _host_pattern(cited)):
        url = row["url"]
        if url.rstrip("/") == cited.rstrip("/") or not _same_site(cited, url):
            continue
        score = similarity(target, words(row["title"] or ""))
        prev = found.get(url)
        if prev is None or score > prev["score"] or (row["document_id"] and not prev["document_id"]):
            found[url] = {**row, "score": round(score, 3)}
    return sorted(found.values(), key=lambda r: (-r["score"], r["url"]))


def _path_date(url: str) -> str | None:
    m = _DATE_PATH.search(urlsplit(url).path + "/")
    if not m:
        return None
    return "-".join(x for x in m.groups() if x)


def resolve_citation(store: Store, claim: BaselineClaim, citation: str, detail: str,
                     check: Check) -> tuple[dict[str, Any] | None, str, str]:
    """(resolution, citation status, detail) for a claim whose cited page gave nothing;
    unchanged when the cited URL is not known to be broken or nothing was found."""
    if not claim.cited or claim.cited_resolved == "none":
        return None, citation, detail
    doc = store.document_by_url(claim.cited)
    problem = broken(store, claim.cited, doc)
    if problem is None:
        return None, citation, detail
    if claim.cited_resolved:
        best: dict[str, Any] | None = {"url": claim.cited_resolved, "title": None, "published": None, "score": None,
                "via": "pinned in baseline.toml"}
        status = "pinned"
    else:
        found = candidates(store, claim)
        best = found[0] if found else None
        status = "found" if best and best["score"] >= STRONG else ("weak" if best else "not_found")
    evidence: dict[str, Any] = {"problem": problem}
    found_doc = None
    if best:
        found_doc = store.document_by_url(best["url"])
        evidence.update({
            "title": best.get("title") or (found_doc or {}).get("title"),
            "title_similarity": best.get("score"), "outlet": "same site",
            "cited_path_date": _path_date(claim.cited), "published": best.get("published"),
            "listed_by": best.get("via"),
        })
    try:
        sourcing.save_resolution(store, claim.id, claim.cited, problem, best["url"] if best else None,
                                 int(found_doc["id"]) if found_doc else None,
                                 best.get("score") if best else None, evidence, status)
    except sqlite3.OperationalError:  # a read-only database: shown, not recorded
        pass
    resolution = {"status": status, "cited": claim.cited, "found_url": best["url"] if best else None,
                  "evidence": evidence}
    if status not in ("found", "pinned"):
        return resolution, citation, (f"cited URL broken ({problem}); "
                                      + (f"best candidate too weak: {best['url']} (title similarity {best['score']})"
                                         if best else "not found on the site's listings"))
    assert best is not None  # found or pinned: there is a best candidate
    cite2, detail2 = check(store, claim, found_doc, best["url"])
    why = "pinned" if status == "pinned" else f"title similarity {best['score']:.2f}, same site"
    if evidence.get("published"):
        why += f", published {evidence['published']}"
    text = f"cited URL broken ({problem}); found at {best['url']} ({why})"
    return resolution, cite2, text + (f"; {detail2}" if detail2 else "")
