"""Extraction on real material: the outlets' pages and the seed analysis."""

from __future__ import annotations

import lxml.html
import pytest

from chipwatch.extractors import extract_facts
from chipwatch.extractors.text.article import parse_article
from chipwatch.extractors.text.encoding import decode_body
from conftest import SHARED, shared_path

PAGES = sorted((SHARED / "corpus" / "html").glob("*.html")) if SHARED.exists() else []

# Page furniture: what no quote may come from.
_FURNITURE = ("//nav", "//footer", "//header", "//aside",
              "//*[contains(@class, 'related')]", "//*[contains(@class, 'footer')]",
              "//*[contains(@class, 'nav')]", "//*[contains(@class, 'newsletter')]")


def furniture_text(html: str) -> str:
    tree = lxml.html.fromstring(html)
    parts = []
    for xpath in _FURNITURE:
        for el in tree.xpath(xpath):
            parts.append(" ".join(el.text_content().split()))
    return "\n".join(parts)


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_no_fact_quote_comes_from_page_furniture(path):
    html, _ = decode_body(path.read_bytes(), None)
    article = parse_article(html)
    furniture = furniture_text(html)
    body = " ".join(article.text.split())
    for fact in extract_facts(article.text):
        quote = " ".join(fact.quote.split())
        assert article.text[fact.char_start:fact.char_end] == fact.quote
        assert quote in body and quote not in furniture, (path.name, quote)


def test_figures_in_menus_related_lists_and_footers_are_not_facts():
    """The watched outlets' pages are mostly about other news; this page of our own puts
    chip figures in every piece of furniture, and only the article's own may come out."""
    html = """<html><head><title>Chip curbs tighten</title></head><body>
    <header><nav><a href="/">Home</a> <a href="/h200">H200 hits 15,840 TPP</a></nav></header>
    <div class="newsletter">Sign up: the B200 has 192GB of memory, read why every week.</div>
    <main><article><h1>Chip curbs tighten</h1>
    <p>The Commerce Department said on Tuesday that the Ascend 910C has a TPP score of
    12,032, according to its own test of the chip.</p>
    <p>Officials declined to say when further rules would follow.</p></article>
    <aside class="related"><h2>Related</h2><ul><li><a href="/x">The H20 offers 4.0TB/s of
    bandwidth</a></li><li><a href="/y">Blackwell is 2.5 times faster than Hopper</a></li></ul></aside>
    </main><footer>Archive: the MI308 was priced at $12,000 in 2024. Copyright 2025.</footer>
    </body></html>"""
    article = parse_article(html)
    facts = extract_facts(article.text)
    assert {(f.chip, f.metric, f.value) for f in facts if f.kind == "chip_figure"} == {("Ascend 910C", "tpp", 12032)}
    furniture = furniture_text(html)
    for fact in facts:
        assert " ".join(fact.quote.split()) not in furniture


def test_the_seed_yields_the_fee_of_b03():
    seed = shared_path("seed", "000_c0af82ac1ffc463f.txt").read_text(encoding="utf-8")
    facts = extract_facts(seed)
    fees = [f for f in facts if f.kind == "policy" and f.action == "fee" and f.value == 25]
    assert fees and fees[0].actor in ("US", "Trump", "White House", "Commerce")
    assert "25パーセント" in fees[0].quote


def test_the_seed_yields_the_baseline_figures():
    text = shared_path("seed", "000_c0af82ac1ffc463f.txt").read_text(encoding="utf-8")
    facts = extract_facts(text)
    got = {(f.kind, f.chip, f.metric, f.value, f.relative_to) for f in facts}
    assert ("chip_comparison", "H200", "performance_ratio", 6.0, "H20") in got  # B05
    assert ("chip_figure", "H200", "tpp", 15840.0, None) in got  # B06
    assert ("chip_figure", "Ascend 910C", "tpp", 12032.0, None) in got  # B07
    assert ("chip_figure", "H200", "lag_months", 18.0, None) in got  # B14
    b05 = next(f for f in facts if f.kind == "chip_comparison" and f.relative_to == "H20")
    assert b05.approx is True  # 約6倍


def test_unrelated_corpus_pages_give_no_figures():
    pages = sorted(shared_path("corpus", "html").glob("*.html"))
    for page in pages:
        text = parse_article(page.read_bytes()).text or ""
        assert [f for f in extract_facts(text) if f.kind != "policy"] == [], page.name
