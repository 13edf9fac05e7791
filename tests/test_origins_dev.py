"""Who said it first on the real development articles (../shared/corpus/dev): wire stories
republished or cited by others (Goldsea and Business Standard carrying Reuters copy, The
Decoder and Lowyat citing Reuters, flyonwallstreet carrying Bloomberg). `facts --origin`
must credit the wire where the article text says so, and only there. The header lines
(URL, OUTLET) are not part of the text: only the article is stored, so no credit can come
from the corpus's own labels. Skipped cleanly when ../shared is absent.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest
from conftest import shared_path

from chipwatch.db.store import Store
from chipwatch.monitor.config import AlertsConfig, Config
from chipwatch.monitor.pipeline import store_body


@pytest.fixture
def dev_db(tmp_path):
    dev = shared_path("corpus", "dev")
    store = Store.open(tmp_path / "cw.db")
    config = Config(alerts=AlertsConfig(jsonl=""))
    names = {}
    for path in sorted(dev.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        url = re.search(r"^URL:\s*(\S+)", raw, re.M).group(1)
        text = raw.split("\n\n", 1)[1]  # the article without the corpus's header lines
        assert "OUTLET:" not in text
        result = store_body(store, url=url, body=text.encode(), config=config,
                            headers={"content-type": "text/plain; charset=utf-8"})
        names[result.document_id] = path.name[:2]
    store.close()
    return tmp_path / "cw.db", names


def own_appearance(rec: dict) -> dict:
    """The appearance of this very fact: the origin, or one of the repetitions."""
    if rec["origin"]["fact_id"] == rec["id"]:
        return rec["origin"]
    return next(a for a in rec["repeated_by"] if a["fact_id"] == rec["id"])


def test_facts_origin_credits_the_wire_where_the_text_says_so(dev_db, cw):
    db, names = dev_db
    out = cw("facts", "--origin", "--format", "json", db_path=db)
    assert out.code == 0, out.err
    records = [json.loads(ln) for ln in out.out.splitlines()]
    assert records and all("origin" in r and "repeated_by" in r for r in records)
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        by_doc[names[r["document_id"]]].append(own_appearance(r))

    # Copies whose text is the wire's own ("By Reuters", "Reuters requests for comment",
    # "(Bloomberg) —"): every fact is the wire's, the site only republished it.
    for doc, wire in (("03", "Reuters"), ("20", "Reuters"), ("08", "Bloomberg")):
        apps = by_doc[doc]
        assert apps, doc
        assert {a["source"] for a in apps} == {wire}, (doc, {a["source"] for a in apps})
        assert all(a["via"] and a["via"] != wire for a in apps)
        assert all(a["reason"].startswith("byline") for a in apps)

    # Articles citing Reuters ("As Reuters reports", "according to a report by Reuters"):
    # the facts of the citing paragraph are Reuters', the others the site's own.
    for doc in ("01", "06", "13"):
        sources = [a["source"] for a in by_doc[doc]]
        assert "Reuters" in sources, (doc, sources)
        for a in by_doc[doc]:
            if a["source"] == "Reuters":
                assert a["reason"].startswith("cites") and "Reuters" in a["reason"]

    # TechCentral's copy of the Reuters piece does not say so within its text: no credit.
    assert by_doc["05"] and {a["source"] for a in by_doc["05"]} == {"techcentral.co.za"}
    # Articles that credit nobody keep their own outlet.
    assert "Reuters" not in {a["source"] for a in by_doc["12"]}

    # Who said it first: every repetition is later than (or as early as) the origin.
    for r in records:
        assert all(a["time"] >= r["origin"]["time"] for a in r["repeated_by"])

    table = cw("facts", "--origin", "--outlet", "business-standard.com", "--limit", "3", db_path=db)
    assert "first: " in table.out and "via business-standard.com" in table.out
