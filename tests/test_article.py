"""parse_article / parse_text on hand-written pages: metadata, body, boilerplate, robustness."""
from __future__ import annotations

import os
import time
import unicodedata
from pathlib import Path

import pytest

from chipwatch.extractors.text.article import VERSION, Article, parse_article, parse_date, parse_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def assert_clean_layout(text: str) -> None:
    """The text contract: paragraphs split by exactly one blank line, no stray whitespace."""
    assert text == text.strip()
    assert "\n\n\n" not in text
    for paragraph in text.split("\n\n"):
        assert paragraph, "empty paragraph"
        assert "\n" not in paragraph
        assert "  " not in paragraph
        assert paragraph == paragraph.strip()
    assert text == unicodedata.normalize("NFC", text)


# --------------------------------------------------------------------------- modern page

@pytest.fixture(scope="module")
def modern() -> Article:
    return parse_article(load("modern_news.html"), url="https://news.harbor-ledger.test/tech/accelerator-levy-0412?ref=home")


def test_modern_metadata(modern: Article) -> None:
    assert modern.title == "Washington clears mid-range accelerator sales with a levy attached"
    # +09:00 in the JSON-LD becomes UTC
    assert modern.published == "2025-12-08T22:30:00+00:00"
    assert modern.updated == "2025-12-09T02:05:00+00:00"
    assert modern.canonical_url == "https://news.harbor-ledger.test/tech/accelerator-levy-0412"
    assert modern.site_name == "Harbor Ledger"
    assert modern.lang == "en-GB"
    assert modern.authors == ["Mara Lindqvist", "Tobias Renn"]
    assert modern.description.startswith("Export licences for a previous-generation")
    assert modern.extractor == f"article/{VERSION}"
    assert modern.truncated is False


def test_modern_body_present_in_order(modern: Article) -> None:
    text = modern.text
    expected = [
        "WASHINGTON – The administration will let chip designers ship a previous-generation data-centre accelerator",
        "provided that a fee of 25 percent of each sale is paid to the Treasury",  # inline link kept in place
        "pairs 141 gigabytes of stacked memory with a bandwidth of 4.8 terabytes per second",
        "every shipment would pass a security review",
        "Reaction from buyers",  # subheading inside the body
        "regulators there have urged local firms to prefer domestic parts",
        "“The fee changes the arithmetic for every customer,” said one trade lawyer",
    ]
    positions = [text.find(snippet) for snippet in expected]
    assert all(p >= 0 for p in positions), list(zip(expected, positions))
    assert positions == sorted(positions)
    assert_clean_layout(text)
    assert text.split("\n\n")[0].startswith("WASHINGTON")


@pytest.mark.parametrize(
    "boilerplate",
    [
        "We use cookies", "cookie policy", "Accept all",            # cookie banner
        "World desk", "Markets desk", "Opinion pages",              # navigation
        "Share on social", "Email this story",                      # share bar
        "Related coverage", "Memory makers race",                   # related list in the body
        "Sign up for our Chip Brief", "Subscribe",                  # newsletter box
        "Picture credit", "Server racks in a test hall",            # caption and credit
        "Advertisement",                                            # ad slot
        "More from the technology desk", "Foundry output climbs",   # recirculation
        "All rights reserved", "Privacy notice",                    # footer
        "Script text must never", "font-family",                    # script and style
        "By Mara Lindqvist",                                        # byline line (authors are metadata)
    ],
)
def test_modern_boilerplate_absent(modern: Article, boilerplate: str) -> None:
    assert boilerplate not in modern.text


def test_headline_not_in_text(modern: Article) -> None:
    assert modern.title not in modern.text


def test_deterministic_and_bytes_equal_str() -> None:
    raw = load("modern_news.html")
    first = parse_article(raw)
    second = parse_article(raw)
    from_str = parse_article(raw.decode("utf-8"))
    assert first == second == from_str
    assert first.text  # not trivially equal because empty


def test_relative_canonical_resolved_against_og_url_without_page_url() -> None:
    article = parse_article(load("modern_news.html"))
    assert article.canonical_url == "https://news.harbor-ledger.test/tech/accelerator-levy-0412"


# --------------------------------------------------------------------------- other markup generations

def test_legacy_wire_page() -> None:
    article = parse_article(load("legacy_wire.html"))
    assert article.title == "Regulator weighs approval step for accelerator imports"  # " - Meridian Wire" stripped
    assert article.published == "2014-12-30T09:15:00+00:00"  # zoned parsely date beats naive sailthru
    assert article.updated == "2014-12-30T11:40:00+00:00"
    assert article.canonical_url == "http://www.meridian-wire.test/article/2014/12/30/chips-import-idUSX123"
    assert article.authors == ["Ines Okafor", "Pavel Dorn"]
    text = article.text
    assert text.startswith("SINGAPORE (Meridian Wire) - The trade ministry is considering a rule")
    assert "state bodies could be told to stop buying" in text
    assert text.endswith("(Reporting by Ines Okafor and Pavel Dorn; Editing by Lena Marsh)")
    for leak in ("Full Article", "Full Coverage", "Port traffic recovers", "Trending on Meridian",
                 "Tue Dec 30, 2014", "Credit: Meridian", "fictional wire service", "Meridian Wire home"):
        assert leak not in text
    assert_clean_layout(text)


def test_paragraph_divs_and_hidden_spans() -> None:
    article = parse_article(load("fusion_blocks.html"), url="https://northgate.test/tech/bandwidth-gap")
    assert article.title == "Memory bandwidth gap narrows between rival accelerators"
    assert article.published == "2024-03-07T07:55:25+00:00"
    assert article.updated == "2024-03-07T12:21:53+00:00"
    assert article.canonical_url == "https://northgate.test/tech/bandwidth-gap"
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0].startswith("SEOUL, March 7 (Northgate) - A domestic accelerator")
    assert paragraphs[1] == ("The lab measured the part at a total processing performance score of 12,032 under "
                             "the published formula, against 15,840 for the imported chip.")
    assert "opens new tab" not in article.text
    assert "Our Standards" not in article.text
    assert "Regional exchanges" not in article.text
    assert "quotes delayed" not in article.text
    assert "Memory bandwidth gap narrows" not in article.text


def test_jsonld_article_body_used_when_markup_is_empty() -> None:
    article = parse_article(load("jsonld_only.html"))
    assert article.method == "jsonld"
    assert article.title == "Ausfuhrgebühr für Beschleuniger bestätigt"  # JSON-LD headline beats <title>
    assert article.lang == "de"
    assert article.authors == ["Lea Brandt"]
    assert article.published == "2025-12-10T08:00:00+00:00"
    assert article.text.split("\n\n") == [
        "Die Regierung bestätigte am Mittwoch, dass auf jede genehmigte Lieferung eine Gebühr von 25 Prozent fällig wird.",
        "Die leistungsstärksten Modelle bleiben weiterhin von der Ausfuhr ausgeschlossen, hieß es aus dem Ministerium.",
        "Händler rechnen mit ersten Lieferungen im Frühjahr, sofern die Sicherheitsprüfung rechtzeitig abgeschlossen wird.",
    ]
    assert "JavaScript" not in article.text


def test_title_suffix_from_page_title_only() -> None:
    html = ("<html><head><title>Chip tariff talks stall again | Reuters</title></head><body>"
            "<p>Negotiators left the room without a date for the next round of talks on the tariff plan.</p></body></html>")
    assert parse_article(html).title == "Chip tariff talks stall again"


def test_whitespace_and_unicode_normalised() -> None:
    decomposed = "Cafe\u0301 owners said the\u00a0new\u2009rules   were\n\t confusing for everyone involved in the trade."
    html = f"<html><body><article><p>{decomposed}</p><p>Second paragraph with enough words to count as prose here.</p></article></body></html>"
    text = parse_article(html).text
    assert text.split("\n\n")[0] == "Café owners said the new rules were confusing for everyone involved in the trade."
    assert_clean_layout(text)


def test_br_pairs_split_paragraphs() -> None:
    html = ("<html><body><div class='story'>The first paragraph of an old page written with line breaks only."
            "<br><br>The second paragraph follows two breaks and stands on its own in the text.<br>"
            "A single break continues the same paragraph of the old page.</div></body></html>")
    assert parse_article(html).text.split("\n\n") == [
        "The first paragraph of an old page written with line breaks only.",
        "The second paragraph follows two breaks and stands on its own in the text. "
        "A single break continues the same paragraph of the old page.",
    ]


# --------------------------------------------------------------------------- dates

@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-12-09T07:30:00+09:00", "2025-12-08T22:30:00+00:00"),
        ("2024-03-07T12:21:53.078Z", "2024-03-07T12:21:53+00:00"),
        ("2016-12-14T22:03:42+0000", "2016-12-14T22:03:42+00:00"),
        ("20 Nov 2019 08:02 GMT", "2019-11-20T08:02:00+00:00"),
        ("Tue, 09 Dec 2025 10:00:00 -0500", "2025-12-09T15:00:00+00:00"),
        ("Tue Dec 30 11:03:00 UTC 2014", "2014-12-30T11:03:00+00:00"),
        ("2014-12-30 09:15:00", "2014-12-30T09:15:00"),
        ("2020-02-24", "2020-02-24"),
        ("December 9, 2025", "2025-12-09"),
        ("4 hours ago", None),
        ("", None),
        ("1066-10-14", None),
    ],
)
def test_parse_date(raw: str, expected: str | None) -> None:
    assert parse_date(raw) == expected


# --------------------------------------------------------------------------- robustness

@pytest.mark.parametrize(
    "bad",
    [
        "", b"", "   \n\t ", None, 12345, b"\x00\x01\x02\xff\xfe", os.urandom(50_000),
        "<html><body><p>Unclosed <b>tags <i>everywhere", "<!-- only a comment -->",
        "<?xml version='1.0' encoding='iso-8859-1'?><html><body><p>Declared.</p></body></html>",
        "<p>lone surrogate \ud800 inside</p>", "\x00<p>nul bytes\x00 in text</p>",
        "<div>" * 20_000 + "deep" + "</div>" * 20_000,
        "<script type='application/ld+json'>{broken json</script><p>Body sentence that is long enough to count.</p>",
        "<meta property='og:title' content=''><title></title>",
    ],
)
def test_never_raises(bad: object) -> None:
    article = parse_article(bad)  # type: ignore[arg-type]
    assert isinstance(article, Article)
    assert isinstance(article.text, str)


def test_huge_input_is_cut_and_flagged() -> None:
    paragraph = "<p>" + "Sentence about export licences and chips, repeated to fill space. " * 12 + "</p>\n"
    html = "<html><body><article>" + paragraph * (50_000_000 // len(paragraph) + 1) + "</article></body></html>"
    assert len(html) > 50_000_000
    started = time.monotonic()
    article = parse_article(html)
    elapsed = time.monotonic() - started
    assert article.truncated is True
    assert article.text.startswith("Sentence about export licences")
    assert elapsed < 30, elapsed


def test_small_page_not_truncated() -> None:
    assert parse_article("<p>Short page with one complete sentence in it.</p>").truncated is False


def test_stub_page_keeps_its_short_text() -> None:
    article = parse_article("<html><body><p>Page moved.</p></body></html>")
    assert article.text == "Page moved."


# --------------------------------------------------------------------------- plain text

def test_parse_text_with_header_block() -> None:
    raw = ("URL: https://example.test/story\nOUTLET: Example Outlet\n\n"
           "Ministers agreed a 25 percent fee on the sales.   It applies to approved buyers.\n"
           "Second line becomes its own paragraph.\n")
    article = parse_text(raw)
    assert article.canonical_url == "https://example.test/story"
    assert article.site_name == "Example Outlet"
    assert article.title is None  # first line is a sentence, not a headline
    assert article.text == ("Ministers agreed a 25 percent fee on the sales. It applies to approved buyers.\n\n"
                            "Second line becomes its own paragraph.")
    assert "URL:" not in article.text


def test_parse_text_header_block_keeps_headline_in_text() -> None:
    raw = "URL: https://example.test/h\nOUTLET: Example\n\nRegulators approve chip sales with a fee\nThe body starts here.\n"
    article = parse_text(raw)
    assert article.title == "Regulators approve chip sales with a fee"
    assert article.text.startswith("Regulators approve chip sales with a fee\n\nThe body starts here.")


def test_parse_text_first_line_is_title() -> None:
    raw = "\n\nChip fee confirmed\n\nOfficials confirmed the fee on Tuesday,\nsaying it applies to all approved buyers.\n\nA second paragraph.\n"
    article = parse_text(raw)
    assert article.title == "Chip fee confirmed"
    assert article.text == ("Officials confirmed the fee on Tuesday, saying it applies to all approved buyers.\n\n"
                            "A second paragraph.")
    assert article.method == "text"


def test_parse_text_never_raises() -> None:
    for bad in ("", "\x00\x00", "URL:", "URL: \n", None, b"\xff\xfe\x00"):
        assert isinstance(parse_text(bad), Article)  # type: ignore[arg-type]


def test_section_label_in_og_site_name_replaced_by_outlet_handle() -> None:
    html = ("<html><head><meta property='og:site_name' content='U.S.'><meta name='twitter:site' content='@harborledger'>"
            "<meta property='og:url' content='https://www.harborledger.test/markets/rates-1'></head>"
            "<body><p>Rates were left unchanged on Wednesday after a two-day meeting of the board.</p></body></html>")
    assert parse_article(html).site_name == "harborledger"
    plain = html.replace("content='U.S.'", "content='Harbor Ledger'")
    assert parse_article(plain).site_name == "Harbor Ledger"


def test_section_suffix_cut_at_the_on_page_headline() -> None:
    html = ("<html><head><title>Chip fee starts in spring | Science and Technology | Example Site</title></head>"
            "<body><h1>Chip fee starts in spring</h1><p>The fee applies to every approved shipment from the start of April.</p>"
            "</body></html>")
    assert parse_article(html).title == "Chip fee starts in spring"


def test_random_markup_never_raises_and_is_stable() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from([
        "<p>", "</p>", "<div class='share'>", "</div>", "<br>", "<a href='/x'>", "</a>", "<script>", "</script>",
        "<table><tr><td>", "</td></tr></table>", "<!--", "-->", "<h2>", "</h2>", "&amp;", "&#0;", "&nbsp;",
        "Export fee of 25 percent approved for buyers.", "é", "\u0301", "\x00", "<meta charset='x'>", "<",
    ])

    @settings(max_examples=150, deadline=None)
    @given(st.lists(pieces, max_size=60))
    def check(parts: list[str]) -> None:
        html = "".join(parts)
        first = parse_article(html)
        assert first == parse_article(html)
        assert_clean_layout(first.text) if first.text else None

    check()


def test_parse_text_lines_versus_hard_wraps() -> None:
    raw = ("Fee confirmed\n\n"
           "The ministry confirmed the fee on Tuesday.\n"
           "Buyers must register first, and the rule covers\n"
           "shipments already on the way.\n"
           "Background rules\n"
           "Older parts stay restricted.\n")
    article = parse_text(raw)
    assert article.title == "Fee confirmed"
    assert article.text.split("\n\n") == [
        "The ministry confirmed the fee on Tuesday.",
        "Buyers must register first, and the rule covers shipments already on the way.",
        "Background rules",
        "Older parts stay restricted.",
    ]


def test_spec_table_rows_kept_and_widgets_dropped() -> None:
    article = parse_article(load("spec_table_review.html"))
    assert article.title == "Accelerator specs compared: what the export rule allows"
    assert article.published == "2025-12-10T14:00:00+00:00"
    assert article.site_name == "Circuit Bench"
    paragraphs = article.text.split("\n\n")
    assert "Accelerator | Memory | Bandwidth" in paragraphs
    assert "Older part | 141 GB | 4.8 TB/s" in paragraphs
    assert "Cut-down part | 96 GB | 4.0 TB/s" in paragraphs
    assert paragraphs.index("Older part | 141 GB | 4.8 TB/s") < paragraphs.index(
        next(p for p in paragraphs if p.startswith("On paper the older part")))
    for leak in ("Lowest price today", "straight to your inbox", "Image credit", "A board on the bench",
                 "See more news", "Cooling startup", "imaginary publishing group", "Deals", "Home /"):
        assert leak not in article.text
    assert paragraphs[-1].startswith("Whether buyers will take it")
