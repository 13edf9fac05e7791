"""parse_article on the real publisher pages of ../shared/corpus/html (skipped when absent).

The checks are generic, not per page: a title; enough text; none of the boilerplate seen on
these sites (menus, footers, trust notices, teaser lists, sign-ups, screen-reader words);
the body sentences an independent extractor (trafilatura) finds; dates and canonical URL
when the page declares them; and re-captures of one article giving the same article.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import pytest

from chipwatch.extractors.text.article import Article, parse_article
from chipwatch.extractors.text.encoding import decode_body

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
HTML_DIR = CORPUS / "html"
PAGES = sorted(HTML_DIR.glob("*.html")) if HTML_DIR.is_dir() else []

# Seen on these pages outside the article body (navigation, footers, modules, notices).
BOILERPLATE = [
    "Our Standards", "Trust Principles", "All quotes delayed", "All rights reserved",
    "Full Article", "Full Coverage", "Trending On Reuters", "Sponsored Links", "Learn More",
    "Thomson Reuters is the world", "the news and media division of Thomson Reuters",
    "opens new tab", "Credit: Reuters", "Photo caption", "See more |", "Slideshow",
    "Quartz Africa Weekly Brief", "in your inbox", "newsletter", "Newsletter",
    "Skip to main content", "Follow us", "Share this", "Advertisement", "cookies",
    "Al Jazeera Media Network", "Sexually transmitted infections surged",
    "Get the latest news on the go", "NYSE and AMEX quotes", "Reuters India on your mobile",
]
PUBLISHED_MARKERS = re.compile(r'article:published_time|"datePublished"\s*:|sailthru\.date|"pub_date"', re.I)
CANONICAL_MARKERS = re.compile(r'rel=["\']?canonical|og:url', re.I)


def key(text: str) -> str:
    return re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()


_cache: dict[Path, tuple[str, Article]] = {}


def parsed(path: Path) -> tuple[str, Article]:
    if path not in _cache:
        raw = path.read_bytes()
        html, _ = decode_body(raw)
        _cache[path] = (html, parse_article(raw))
    return _cache[path]


pytestmark = pytest.mark.skipif(not PAGES, reason="../shared/corpus/html not present")


@pytest.fixture(params=PAGES, ids=[p.name for p in PAGES])
def page(request: pytest.FixtureRequest) -> tuple[Path, str, Article]:
    html, article = parsed(request.param)
    return request.param, html, article


def test_title_and_text(page: tuple[Path, str, Article]) -> None:
    _, _, article = page
    assert article.title and len(article.title) >= 10
    assert article.method in ("blocks", "jsonld")  # our own path, not the fallback
    assert len(article.text) >= 400
    assert len(article.text.split("\n\n")) >= 3
    assert key(article.title) != key(article.text.split("\n\n")[0])


def test_no_boilerplate(page: tuple[Path, str, Article]) -> None:
    _, _, article = page
    leaks = [s for s in BOILERPLATE if s in article.text]
    assert leaks == []
    for paragraph in article.text.split("\n\n"):
        assert not re.fullmatch(r"(More|Related|Read more|Share)\s*:?", paragraph)


def test_text_layout(page: tuple[Path, str, Article]) -> None:
    _, _, article = page
    text = article.text
    assert text == text.strip() and "\n\n\n" not in text
    assert all(p and "\n" not in p and "  " not in p for p in text.split("\n\n"))
    assert text == unicodedata.normalize("NFC", text)


def test_body_sentences_found(page: tuple[Path, str, Article]) -> None:
    trafilatura = pytest.importorskip("trafilatura")
    _, html, article = page
    reference = trafilatura.extract(html) or ""
    paragraphs = [p for p in reference.split("\n") if len(p) >= 80 and not any(b in p for b in BOILERPLATE)]
    assert paragraphs, "reference extractor found no prose"
    ours = key(article.text)
    longest = max(paragraphs, key=len)
    assert key(longest) in ours
    description = article.description or ""
    opening = " ".join(key(description).split()[:8])
    if len(description) >= 80 and opening in key(reference):
        assert opening in ours


def test_dates_and_canonical_when_declared(page: tuple[Path, str, Article]) -> None:
    _, html, article = page
    if PUBLISHED_MARKERS.search(html):
        assert article.published and re.match(r"\d{4}-\d{2}-\d{2}", article.published)
    if CANONICAL_MARKERS.search(html):
        assert article.canonical_url and article.canonical_url.startswith(("http://", "https://"))


def _recaptures() -> list[tuple[Path, Path]]:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    by_url: dict[str, list[Path]] = {}
    with manifest.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row.get("kind") != "html":
                continue
            url = re.sub(r"^https?://", "", row["original_url"]).rstrip("/")
            by_url.setdefault(url, []).append(CORPUS / row["filename"])
    return [(a, b) for paths in by_url.values() if len(paths) == 2 for a, b in [paths] if a.exists() and b.exists()]


RECAPTURES = _recaptures()


@pytest.mark.parametrize(("first", "second"), RECAPTURES, ids=[a.name for a, _ in RECAPTURES])
def test_recaptures_give_the_same_article(first: Path, second: Path) -> None:
    _, a = parsed(first)
    _, b = parsed(second)
    assert key(a.title) == key(b.title)
    words_a, words_b = set(key(a.text).split()), set(key(b.text).split())
    assert len(words_a & words_b) / len(words_a | words_b) >= 0.85
