"""Syndicated copies, credits and broken citations on a real database (issue 14)."""

from __future__ import annotations

from chipwatch.db import sourcing
from chipwatch.monitor import baseline
from chipwatch.monitor.config import AlertsConfig, BaselineClaim, Config
from chipwatch.monitor.credits import find_credits
from chipwatch.monitor.pipeline import store_body
from chipwatch.monitor.syndication import compare, rebuild, shingles

STORY = (
    "The Commerce Department said on Monday that Nvidia may ship its H200 chips to approved customers in "
    "China under a licence, ending months of uncertainty for the company and its customers. "
    "Under the arrangement the US government will collect a quarter of the revenue from the sales, officials "
    "said in a briefing, and each buyer will be reviewed before shipments begin. "
    "Analysts said the decision would help Nvidia defend its position against Huawei in the Chinese market, "
    "although Beijing has urged local firms to buy domestic accelerators where they can. "
    "The company declined to say how many chips it expects to sell to Chinese customers this year."
)
OTHER = (
    "Huawei plans to double the output of its Ascend accelerators next year, according to people familiar "
    "with the plans, as Chinese cloud providers look for alternatives to American chips. The company has "
    "been building new packaging lines and has hired engineers from rival firms over the past months, while "
    "domestic memory makers try to supply the high-bandwidth memory the chips need."
)
CONFIG = Config(alerts=AlertsConfig(jsonl=""))


def put(store, url: str, text: str, outlet: str, published: str | None = None):
    html = (f"<html><head><title>{url.rsplit('/', 1)[-1]}</title>"
            + (f'<meta property="article:published_time" content="{published}">' if published else "")
            + f"</head><body><article><p>{text}</p></article></body></html>")
    return store_body(store, url=url, body=html.encode(), outlet=outlet, config=CONFIG,
                      headers={"content-type": "text/html; charset=utf-8"})


def test_copies_grouped_with_the_earliest_published_as_origin(store):
    a = put(store, "https://late.example/h200", STORY.replace("months", "many months"), "Late Paper",
            "2025-12-09T10:00:00Z")
    b = put(store, "https://early.example/h200", STORY, "Early Wire", "2025-12-08T21:00:00Z")
    c = put(store, "https://other.example/huawei", OTHER, "Other")
    sa, sb = sourcing.story_of(store, a.document_id), sourcing.story_of(store, b.document_id)
    assert sa is not None and sa == sb
    assert sourcing.story_of(store, c.document_id) is None
    (story,) = sourcing.stories(store)
    assert story["origin_outlet"] == "Early Wire" and story["origin_document_id"] == b.document_id
    assert story["reason"].startswith("earliest published copy (2025-12-08T21:00:00")

    # A new version that is no longer a copy leaves the story; a story of one is no story.
    fresh = " ".join(f"word{i} chip{i % 7} fab{i % 5}" for i in range(60))
    put(store, "https://late.example/h200", fresh, "Late Paper", "2025-12-09T10:00:00Z")
    assert sourcing.story_of(store, b.document_id) is None and sourcing.stories(store) == []


def test_credit_decides_the_origin_over_time(store):
    put(store, "https://first.example/h200", "SYDNEY (Reuters) - " + STORY, "First Site", "2025-12-08T20:00:00Z")
    put(store, "https://second.example/h200", "(Reuters) - " + STORY, "Second Site", "2025-12-08T21:00:00Z")
    (story,) = sourcing.stories(store)
    assert story["origin_outlet"] == "Reuters" and '"(Reuters) -"' in story["reason"]


def test_rebuild_gives_the_same_stories(store):
    put(store, "https://one.example/a", STORY, "One", "2025-12-08T20:00:00Z")
    put(store, "https://two.example/a", STORY + " More later.", "Two", "2025-12-08T22:00:00Z")
    before = [(s["origin_outlet"], s["copies"]) for s in sourcing.stories(store)]
    assert rebuild(store) == 2
    assert [(s["origin_outlet"], s["copies"]) for s in sourcing.stories(store)] == before == [("One", 2)]


def test_shingle_similarity_of_an_edit_and_of_different_texts():
    j, c = compare(shingles(STORY), shingles(STORY.replace("uncertainty", "doubt")))
    assert j > 0.8 and c > 0.9
    j, c = compare(shingles(STORY), shingles(OTHER))
    assert j < 0.05 and c < 0.05


def test_credit_phrases():
    got = lambda t: [(c.outlet, c.kind) for c in find_credits(t)]  # noqa: E731
    assert got("BEIJING, Dec 9 (Reuters) - China said") == [("Reuters", "byline")]
    assert got("(Bloomberg) \u2014 President Trump decided") == [("Bloomberg", "byline")]
    assert got("By Reuters | 09 Dec, 2025\nText") == [("Reuters", "byline")]
    assert got("did not immediately respond to Reuters requests for comment") == [("Reuters", "byline")]
    assert got("the chips, according to a report by Reuters.") == [("Reuters", "cites")]
    assert got("As Reuters reports, the fee is 25%.") == [("Reuters", "cites")]
    assert got("the Financial Times reported on Sunday") == [("Financial Times", "cites")]
    assert got("Officials told Bloomberg News that") == [("Bloomberg", "cites")]
    # no credit: a photo caption's agency, a company name, the short forms outside bylines
    assert got("Ann Wang/Reuters. Nvidia's chief spoke at Computex.") == []
    assert got("AP sources and FT readers say") == []


def test_broken_citation_redirected_home_found_pinned_and_refused(store):
    url = "https://news.example/2025/2/20/trump-clears-way-for-sale-of-powerful-nvidia-h200-chips-to-china"
    real = "https://news.example/economy/2025/12/9/trump-clears-way-for-sale-of-powerful-nvidia-h200-chips-to-china"
    store.record_fetch(source="cited", url=url, final_url="https://news.example/", started_at="2025-12-10T00:00:00+00:00",
                       http_status=200, outcome="ok")
    store_body(store, url=real, config=CONFIG, headers={"content-type": "text/html"}, body=(
        "<html><head><title>Trump clears way for sale of powerful Nvidia H200 chips to China</title></head>"
        "<body><article><p>US President Donald Trump said the US will allow Nvidia's H200 chips to be exported "
        "to approved customers in China.</p></article></body></html>").encode())
    claim = BaselineClaim(id="B01", text="The US allows Nvidia H200 exports to China.", kind="policy",
                          actor="US", action="allow_export", chip="H200", chips=["H200"], cited=url)
    baseline.sync_claims(store, [claim])
    v = baseline.claim_verdict(store, claim)
    assert v.citation == "says" and v.citation_resolved["found_url"] == real
    assert v.citation_detail.startswith("cited URL broken (redirects to https://news.example/); found at " + real)
    (row,) = sourcing.resolutions(store)
    assert row["status"] == "found" and row["score"] >= 0.9

    pinned = BaselineClaim(**{**claim.to_dict(), "cited_resolved": "https://news.example/elsewhere"})
    v = baseline.claim_verdict(store, pinned)
    assert v.citation_resolved["status"] == "pinned" and v.citation == "not fetched yet"
    refused = BaselineClaim(**{**claim.to_dict(), "cited_resolved": "none"})
    v = baseline.claim_verdict(store, refused)
    assert v.citation_resolved is None and v.citation == "not fetched yet"

    # a candidate with few title words in common is recorded but not used
    other = BaselineClaim(**{**claim.to_dict(), "id": "B02",
                             "cited": "https://news.example/2025/1/1/huawei-ascend-output-doubles-next-year"})
    store.record_fetch(source="cited", url=other.cited, started_at="2025-12-10T00:00:00+00:00",
                       http_status=404, outcome="gone")
    v = baseline.claim_verdict(store, other)
    assert v.citation_resolved["status"] == "weak" and "too weak" in v.citation_detail


def test_cited_url_holding_an_unrelated_article(store):
    cited = "https://paper.example/tech/nvidia-h200-export-decision-explained"
    real = "https://paper.example/tech/2025/12/nvidia-h200-export-decision-explained-for-investors"
    page = "<html><head><title>{}</title></head><body><article><p>{}</p></article></body></html>"
    store_body(store, url=cited, config=CONFIG, headers={"content-type": "text/html"}, body=page.format(
        "Football results from the weekend league matches", "The home side won three to one. " * 5).encode())
    store_body(store, url=real, config=CONFIG, headers={"content-type": "text/html"}, body=page.format(
        "Nvidia H200 export decision explained for investors",
        "The US will allow Nvidia to export the H200 to approved customers in China.").encode())
    claim = BaselineClaim(id="B01", text="The US allows H200 exports.", kind="policy", actor="US",
                          action="allow_export", chip="H200", chips=["H200"], cited=cited)
    baseline.sync_claims(store, [claim])
    v = baseline.claim_verdict(store, claim)
    assert v.citation_resolved["evidence"]["problem"].startswith('holds an unrelated article ("Football results')
    assert v.citation_resolved["found_url"] == real and v.citation == "says"


def test_a_date_without_time_is_not_earlier_than_a_time_that_day():
    from chipwatch.monitor.syndication import time_key

    assert time_key("2025-12-08T22:10:00+00:00") < time_key("2025-12-08") < time_key("2025-12-09T00:00:00Z")
    assert time_key("2025-12-08T23:10:00+01:00") == "2025-12-08T22:10:00+00:00"
    assert time_key(None) > time_key("2099-01-01")  # unknown times come last


def test_the_library_gives_stories_as_records(store):
    """chipwatch.stories: typed records with the copies in publication order, the same
    after a rebuild."""
    import chipwatch
    from chipwatch.monitor.stories import Story, StoryCopy

    late = put(store, "https://late.example/h200", STORY, "Late Paper", "2025-12-09T10:00:00Z")
    early = put(store, "https://early.example/h200", STORY, "Early Wire", "2025-12-08T21:00:00Z")
    (story,) = chipwatch.stories(store)
    assert isinstance(story, Story) and all(isinstance(m, StoryCopy) for m in story.members)
    assert story.origin_document_id == early.document_id and story.origin_outlet == "Early Wire"
    assert [m.document_id for m in story.members] == [early.document_id, late.document_id]
    assert story.copies == 2 and story.origin_url == "https://early.example/h200"
    assert 0.5 < story.members[1].similarity <= 1.0
    assert story.row()["members"][0]["url"] == "https://early.example/h200"
    assert chipwatch.rebuild_stories(store) == 2
    again = chipwatch.stories(store, rebuild=True)
    assert [(s.origin_document_id, [(m.document_id, m.url) for m in s.members]) for s in again] == \
        [(early.document_id, [(m.document_id, m.url) for m in story.members])]
