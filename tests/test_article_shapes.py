"""Page shapes that used to lose article text, each written small in the style of real pages:
short articles, lead paragraphs beside the body element, teaser lists, class words on the
article element, Chinese and Japanese text, Shift_JIS bytes, escaped JSON-LD, and dates."""
from __future__ import annotations

import pytest

from chipwatch.extractors.text.article import parse_article, parse_text

NAV = """<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/business">Business</a></li><li><a href="/tech">Technology</a></li></ul></nav>"""
FOOTER = """<footer><p>About us</p><p><a href="/terms">Terms of use</a></p></footer>"""

BODY = [
    "The Commerce Department said on Monday that licences for the accelerator would be granted case by case.",
    "Officials expect the first shipments to reach approved data-centre operators before the end of the quarter.",
    "Analysts said the fee would cut into margins but leave the product line profitable in the region.",
    "Lawmakers from both parties asked for a briefing on how the security reviews would be carried out.",
    "The company declined to say how many units it expected to sell under the new arrangement this year.",
    "Rival suppliers said they would apply for similar licences as soon as the rules were published.",
]


def page(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head><title>Chip exports</title>{head}</head><body>{NAV}{body}{FOOTER}</body></html>"


def paras(sentences: list[str]) -> str:
    return "".join(f"<p>{s}</p>" for s in sentences)


# --------------------------------------------------------------------------- short article

def test_two_paragraph_article_keeps_both_paragraphs() -> None:
    html = (
        f"<html><head><title>T</title></head><body>{NAV}"
        "<article><h1>T</h1><p>The United States will allow exports of the H200 to approved customers in China.</p>"
        f"<p>Washington will collect a 25% fee on the sales.</p></article>{FOOTER}</body></html>"
    )
    text = parse_article(html).text
    assert text == (
        "The United States will allow exports of the H200 to approved customers in China.\n\n"
        "Washington will collect a 25% fee on the sales."
    )


def test_short_update_beside_a_longer_paragraph_is_kept() -> None:
    long = " ".join(BODY[:3])
    html = page(f"<main><div class='story'><p>{long}</p><p>Shares rose 3% in early trading.</p></div></main>")
    text = parse_article(html).text
    assert "Shares rose 3% in early trading." in text
    assert long in text


# --------------------------------------------------------------------------- lead beside the body

def test_lead_paragraph_in_a_sibling_of_the_body_element() -> None:
    lead = "(Wire) The administration on Monday cleared sales of a previous-generation accelerator to China."
    html = page(
        "<section class='zn-body-text'><div class='l-container'>"
        f"<div class='el__leafmedia el__leafmedia--sourced-paragraph'><p class='zn-body__paragraph'>{lead}</p></div>"
        f"<div class='zn-body__paragraph'>{BODY[0]}</div>"
        f"<div class='zn-body__read-all'>{''.join(f'<div class=zn-body__paragraph>{s} {s}</div>' for s in BODY[1:])}</div>"
        "</div></section>"
    )
    text = parse_article(html).text
    assert text.startswith(lead)
    assert text.index(BODY[0]) < text.index(BODY[1])
    assert all(s in text for s in BODY)


def test_page_furniture_after_the_body_is_not_pulled_in() -> None:
    html = page(
        f"<div class='wrap'><div class='article-body'>{paras([s + ' ' + s for s in BODY])}</div>"
        "<div class='promo-box'><p>Get the morning briefing delivered to your inbox every weekday.</p></div></div>"
    )
    text = parse_article(html).text
    assert BODY[-1] in text
    assert "morning briefing" not in text


# --------------------------------------------------------------------------- teaser lists

def teaser_cards(n: int) -> str:
    cards = []
    for i in range(n):
        cards.append(
            f"<article class='item'><a class='item__anchor' href='/news/other-story-{i}'>"
            f"<div class='item__title-wrapper'><h4 class='item__hed'>Other story number {i} about something else</h4>"
            f"<p class='item__dek'>A summary of other story {i}, long enough to look like a paragraph of prose "
            f"written for a reader who has not clicked through yet.</p></div></a></article>"
        )
    return "<section class='list'>" + "".join(cards) + "</section>"


def test_teaser_cards_inside_links_do_not_outweigh_the_article() -> None:
    html = page(f"<article class='content'><section>{paras(BODY)}</section></article>{teaser_cards(30)}")
    text = parse_article(html).text
    assert all(s in text for s in BODY)
    assert "other story" not in text.lower()


def test_teaser_cards_with_plain_summaries_are_dropped_from_a_broad_container() -> None:
    items = "".join(
        f"<li class='list-item'><div class='hero'><div class='hero-info'>"
        f"<h5 class='hero-title'><a href='/op/{i}'>Opinion piece number {i} on another subject</a></h5>"
        f"<div class='hero-author'><a href='/author/{i}'>Pat Doe</a></div><div class='hero-date'>Tuesday November 19</div>"
        f"<div class='hero-description'>The opening sentence of opinion piece {i}, which argues something about "
        f"a subject unrelated to chips and runs on for a while.</div></div></div></li>"
        for i in range(10)
    )
    html = page(
        f"<div class='container'><div class='main'>{paras(BODY)}</div>"
        f"<div class='rail'><h5>More from the Ledger</h5><ul>{items}</ul></div></div>"
    )
    text = parse_article(html).text
    assert all(s in text for s in BODY)
    assert "opinion piece" not in text.lower() and "unrelated" not in text


def test_list_of_linked_headlines_with_first_sentences_is_not_the_article() -> None:
    items = "".join(
        f"<li><a href='/n/{i}'>Minister says talks on trade item {i} will resume</a> NEW DELHI: The minister said on "
        f"Wednesday that negotiations on item {i} would resume next month after a pause of several weeks.</li>"
        for i in range(10)
    )
    html = page(
        f"<div class='wrapper'><div class='breaking'><ul>{items}</ul></div>"
        f"<div class='main-article-content'><h2>Chip exports</h2>{paras(BODY[:4])}</div></div>"
    )
    text = parse_article(html).text
    assert text.startswith(BODY[0])
    assert "negotiations" not in text


def test_repeated_paragraph_kept_but_pull_quote_dropped() -> None:
    repeat = "Portion of the schedule: two shipments a month, each reviewed before it leaves."
    quote = BODY[2]
    html = page(
        f"<article><div class='body'>{paras(BODY[:3])}<p>{repeat}</p><blockquote class='pullquote'><p>{quote}</p></blockquote>"
        f"{paras(BODY[3:])}<p>{repeat}</p></div></article>"
    )
    text = parse_article(html).text
    assert text.count(repeat) == 2  # the author wrote it twice
    assert text.count(quote) == 1


# --------------------------------------------------------------------------- class words on the article

COMMENTS = "".join(
    f"<li class='comment'><p>Reader comment {i}: I think the export policy will change again before long, "
    f"and nobody should plan a data centre around it.</p></li>" for i in range(12)
)


@pytest.mark.parametrize("classes", [
    "post-7908 post type-post status-publish format-standard hentry category-news tag-china tag-exports author-jdoe",
    "box article modal-enabled",
    "entry-content entry-content-read-more",
    "field field-name-body field-type-text-with-summary field-label-hidden",
    "main-white page-block-container and-w-sidebar",
])
def test_class_words_do_not_delete_the_article_container(classes: str) -> None:
    html = page(f"<div class='{classes}'>{paras(BODY)}</div><ol class='commentlist'>{COMMENTS}</ol>")
    article = parse_article(html)
    assert all(s in article.text for s in BODY)
    assert "Reader comment" not in article.text
    assert article.method == "blocks"


def test_side_parts_named_by_class_words_are_still_removed() -> None:
    html = page(
        f"<div class='story'>{paras(BODY)}</div>"
        "<div class='related-articles'><p>A related article summary that is a sentence of its own.</p></div>"
        "<div class='newsletter-signup'><p>Every morning we send the stories that matter to your inbox.</p></div>"
    )
    text = parse_article(html).text
    assert "related article" not in text and "inbox" not in text
    assert all(s in text for s in BODY)


# --------------------------------------------------------------------------- Chinese and Japanese

JA = [
    "米政府はH200の対中輸出を認めた。",
    "売上の25パーセントを米国政府が徴収する。",
    "中国側は購入の事前承認を検討している！",
    "ファーウェイの910Cはどうか？",
]
JA_LONG = (
    "米商務省は月曜日、前世代のデータセンター向け演算装置について、承認を受けた顧客への輸出を個別に許可すると発表した。"
    "最初の出荷は四半期末までに始まる見通しで、各出荷は事前の安全審査を経る。業界団体は手続きの詳細の公表を求めており、"
    "議会の一部からは審査の実効性を疑問視する声も出ている。同社は販売台数の見通しについてコメントを控えた。"
)
ZH = ["美国允许向中国出口H200芯片。", "美国政府将收取百分之二十五的费用！", "中国会如何回应？"]


def test_short_japanese_paragraphs_are_kept() -> None:
    html = page(f"<article>{paras([JA_LONG] + JA)}</article>", head='<meta charset="utf-8">')
    text = parse_article(html.encode("utf-8")).text
    assert text.split("\n\n") == [JA_LONG] + JA


def test_short_chinese_paragraphs_are_kept() -> None:
    long = "美国商务部周一表示，将逐案批准向经审核的中国客户出口上一代数据中心加速器。" * 4
    html = page(f"<div class='article-content'>{paras([long] + ZH)}</div>")
    assert parse_article(html).text.split("\n\n") == [long] + ZH


def test_shift_jis_page_keeps_all_its_paragraphs() -> None:
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'
        "<title>輸出規制</title></head><body><div id='menu'><a href='/'>トップ</a> <a href='/news'>ニュース</a></div>"
        f"<div id='honbun'>{paras([JA_LONG] + JA[:2])}</div></body></html>"
    )
    data = html.encode("shift_jis")
    text = parse_article(data).text
    assert text.split("\n\n") == [JA_LONG] + JA[:2]


def test_plain_text_japanese_sentence_is_not_taken_as_headline() -> None:
    article = parse_text("売上の25パーセントを米国政府が徴収する。\n")
    assert article.text == "売上の25パーセントを米国政府が徴収する。"
    article = parse_text(f"{JA[0]}\n{JA[1]}\n")
    assert article.text.split("\n\n") == JA[:2]


def test_plain_text_japanese_headline_is_the_title() -> None:
    article = parse_text("エヌビディアのH200、中国へ\n\n米政府は対中輸出を認めると\n発表した。売上の25パーセントを徴収する。\n")
    assert article.title == "エヌビディアのH200、中国へ"
    # the hard wrap inside the sentence is joined without a space
    assert article.text == "米政府は対中輸出を認めると発表した。売上の25パーセントを徴収する。"


def test_plain_text_single_line_is_never_lost() -> None:
    article = parse_text("Washington will collect a 25% fee on the sales\n")
    assert article.text == "Washington will collect a 25% fee on the sales"


# --------------------------------------------------------------------------- JSON-LD

def test_jsonld_article_body_with_escaped_html() -> None:
    body = "&lt;div class=\\\"body\\\"&gt;&lt;p&gt;" + "&lt;/p&gt;&lt;p&gt;".join(BODY[:3]) + "&lt;/p&gt;&lt;/div&gt;"
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Chip exports", '
            f'"articleBody": "{body}"}}</script>')
    html = page("<div id='app'><h1>Chip exports</h1><p>Loading…</p></div>", head=head)
    article = parse_article(html)
    assert article.text.split("\n\n") == BODY[:3]
    assert "&lt;" not in article.text and "<p>" not in article.text


# --------------------------------------------------------------------------- dates

def test_publication_date_from_url_when_metadata_has_none() -> None:
    html = page(f"<article>{paras(BODY)}</article>")
    article = parse_article(html, url="https://news.example.test/2019/11/18/chip-exports.html")
    assert article.published == "2019-11-18"


def test_publication_date_from_a_visible_date_line() -> None:
    html = page(f"<article><p class='dateline'>Published November 18, 2019</p>{paras(BODY)}</article>")
    assert parse_article(html).published == "2019-11-18"


def test_metadata_date_wins_over_the_url() -> None:
    head = '<meta property="article:published_time" content="2025-12-08T22:30:00Z">'
    html = page(f"<article>{paras(BODY)}</article>", head=head)
    article = parse_article(html, url="https://news.example.test/2019/11/18/chip-exports.html")
    assert article.published == "2025-12-08T22:30:00+00:00"


def test_page_without_any_date_has_none() -> None:
    assert parse_article(page(f"<article>{paras(BODY)}</article>")).published is None


def test_markup_left_as_text_is_not_article_text() -> None:
    pixel = '&lt;img height="1" width="1" style="display:none" src="https://metrics.example.test/p?c1=2"&gt;'
    html = page(f"<div class='story'><p>{pixel}</p>{paras(BODY)}<p>&lt;The Palace: Tale of a King&gt;</p></div>")
    text = parse_article(html).text
    assert "<img" not in text and "metrics.example" not in text
    assert "<The Palace: Tale of a King>" in text  # a bracketed title is text


def test_story_cards_with_their_titles_in_header_elements_are_teasers() -> None:
    cards = "".join(
        f"<div class='col'><article class='vertical-story'><header><h3><a href='/s/{i}'>Another story, number {i}, "
        f"elsewhere</a></h3></header><div class='description'><p>The summary of another story {i} is a whole "
        f"sentence of prose, long enough to weigh like an article paragraph.</p></div></article></div>"
        for i in range(25)
    )
    html = page(f"<div class='page'><div class='story-body'>{paras(BODY)}</div><div class='grid'>{cards}</div></div>")
    text = parse_article(html).text
    assert all(s in text for s in BODY)
    assert "another story" not in text.lower()


def test_advert_labels_and_unrendered_shortcodes_are_not_text() -> None:
    html = page(
        f"<article class='post'>{paras(BODY[:3])}<p>Advert</p>{paras(BODY[3:])}"
        "<p>[button link=\"https://example.test/submit/\" type=\"big\"] Send us your own review[/button]</p></article>"
    )
    text = parse_article(html).text
    assert text.split("\n\n") == BODY


def test_short_labels_kept_but_bylines_and_date_stamps_dropped() -> None:
    html = page(
        "<article><div class='body'><p>By Pat Doe</p><p>Updated 11:04 PM EST</p>"
        f"{paras(BODY[:3])}<p><strong>Reaction from buyers</strong></p>{paras(BODY[3:])}<p>Nov. 18, 2019</p></div></article>"
    )
    text = parse_article(html).text
    assert text.split("\n\n") == BODY[:3] + ["Reaction from buyers"] + BODY[3:]


def test_extract_from_stdin_keeps_a_lone_japanese_sentence(tmp_path) -> None:
    """The whole path of `chipwatch extract -`: the sentence is text, so its fee is a fact."""
    import json
    import subprocess
    import sys

    sentence = "売上の25パーセントを米国政府が徴収する。"
    done = subprocess.run(
        [sys.executable, "-c", "from chipwatch.monitor.cli import main; main()", "--db", str(tmp_path / "x.db"), "extract", "-", "--format", "json"],
        input=sentence + "\n", capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    facts = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert facts, "no facts from the sentence"
    assert all(f["quote"] in sentence for f in facts)
    assert any(f["value"] == 25 for f in facts)


def test_text_below_three_hundred_levels_of_nesting_is_kept() -> None:
    depth = 400  # libxml2's default limit is 256: everything below it used to vanish
    html = page("<div class='wrap'>" * depth + paras(BODY) + "</div>" * depth)
    assert parse_article(html).text.split("\n\n") == BODY


def test_roundup_whose_items_open_with_linked_headlines_is_kept() -> None:
    items = [
        f"<a href='/n/{i}'>The chip maker number {i} said it would resume shipments next month.</a> "
        f"Executives told analysts on a call that item {i} depended on licences. They gave no figures."
        for i in range(8)
    ]
    html = page(
        "<div class='post-content'><p>Good morning! This is the chip news you need to know this Tuesday, in brief.</p>"
        f"{paras(BODY)}<ol>{''.join(f'<li>{item}</li>' for item in items)}</ol>"
        "<p>That is all for today; the next edition of this roundup arrives tomorrow morning.</p></div>"
    )
    text = parse_article(html).text
    for i in range(8):
        assert f"The chip maker number {i} said it would resume shipments next month. Executives told" in text
    assert text.startswith("Good morning!")


def test_sentence_with_one_long_link_is_kept_but_link_lines_are_not() -> None:
    linked = ("The Swedish review had been shelved in 2017 but was <a href='/n/1'>re-opened earlier this year "
              "after the ruling by the court</a>.")
    html = page(
        f"<article class='story-body'>{paras(BODY[:3])}<p>{linked}</p>"
        "<p><a href='/n/2'>Why the accelerator matters for the labs</a> <a href='/n/3'>Timeline of the saga</a></p>"
        f"{paras(BODY[3:])}</article>"
    )
    text = parse_article(html).text
    assert "The Swedish review had been shelved in 2017 but was re-opened earlier this year after the ruling by the court." in text
    assert "Timeline of the saga" not in text


def test_embedded_post_quoted_in_the_article_is_kept() -> None:
    post = "Licences for the accelerator will be issued this week. Every sale carries the fee."
    html = page(
        f"<article>{paras(BODY[:3])}<div class='social-media-embed'><blockquote class='twitter-tweet'><p>{post}</p>"
        "— Commerce Dept (@CommerceGov) December 8, 2025</blockquote></div>"
        f"{paras(BODY[3:])}<div class='social-share'><p>Share this story on your favourite network today.</p></div></article>"
    )
    text = parse_article(html).text
    assert post in text
    assert "Share this story" not in text
