"""Copy detection on real outlet pages (../shared/corpus/html): the same article saved from
its site in different years (different page templates, navigation and furniture) must be
grouped, each pair on its own, and none of the other articles. Skipped when ../shared is
absent.
"""

from __future__ import annotations

from conftest import shared_path

from chipwatch.db import sourcing
from chipwatch.monitor.config import AlertsConfig, Config
from chipwatch.monitor.pipeline import store_body

SAME_ARTICLE = [  # file stems sharing a prefix are one article saved twice
    "qz_2020_nigeria-economy-growth__postlight",
    "reuters_2012-08-03_knight-capital-trading-loss",
    "reuters_2016-12_fed-lifts-rates__postlight",
]


def test_real_pages_of_one_article_are_one_story_and_nothing_else_is(store):
    pages = sorted(shared_path("corpus", "html").glob("*.html"))
    config = Config(alerts=AlertsConfig(jsonl=""))
    for i, path in enumerate(pages):  # each on its own site: copies are told by text alone
        store_body(store, url=f"https://mirror{i}.example/{path.stem}", body=path.read_bytes(),
                   headers={"content-type": "text/html"}, config=config)
    groups = []
    for story in sourcing.stories(store):
        stems = sorted(m["url"].rsplit("/", 1)[1] for m in sourcing.story_members(store, story["id"]))
        groups.append((stems, story["origin_outlet"], story["reason"]))
    assert len(groups) == len(SAME_ARTICLE), groups
    for stems, outlet, reason in groups:
        prefix = next(p for p in SAME_ARTICLE if stems[0].startswith(p))
        assert len(stems) == 2 and all(s.startswith(prefix) for s in stems), stems
        if prefix.startswith("reuters"):
            assert outlet == "Reuters" and '"(Reuters) -"' in reason
        else:
            assert outlet == "Quartz" and reason.startswith("earliest published copy (2020-02-24")


def test_real_reuters_datelines_are_credited_and_other_outlets_are_not(store):
    from chipwatch.monitor.credits import byline_outlet, find_credits
    from chipwatch.monitor.pipeline import read_article

    credited, reuters, others = [], 0, []
    for path in sorted(shared_path("corpus", "html").glob("*.html")):
        article, _ = read_article(path.read_bytes(), "text/html", "html", f"https://x.example/{path.stem}")
        by = byline_outlet(find_credits(article.text))
        if path.name.startswith("reuters"):
            reuters += 1
            if by and by.outlet == "Reuters":
                credited.append(path.name)
        elif by:
            others.append((path.name, by))
    # 13 of the 15 Reuters pages keep the "(Reuters) -" dateline in their text; a photo
    # essay and the 2016 template that drops it are not credited. Nobody else is.
    assert reuters == 15 and len(credited) == 13, credited
    assert others == []
