"""End to end: a real local news site, a real webhook receiver, the real poll cycle.

The site revises a watched article (a figure changes, a sentence about the fee is added, a
share count changes); the receiver and the JSONL file must get exactly one
figure_changed and one fact_added, each with quotes, URL and snapshot times, and nothing
for the share count; a restart must not send anything twice; a receiver that is down must
get its alerts on the next cycle.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from chipwatch.db.store import Store
from chipwatch.monitor.config import (
    AlertsConfig,
    Config,
    FetchConfig,
    SourceConfig,
    WebhookTarget,
    load_config,
)
from localserver import local_server
from webhook_receiver import WebhookReceiver

# Real subprocesses and servers: left out of the fast lane (-m "not slow").
pytestmark = pytest.mark.slow

PATH = "/markets/h200-export-filing"

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{title}</title></head>
<body>
<header><nav><a href="/">Home</a> <a href="/markets">Markets</a></nav></header>
<article>
<h1>{title}</h1>
<p class="byline">By a staff writer</p>
<p>Nvidia's H200 carries a TPP score of {tpp}, according to the export filing seen by our reporters this week.</p>
<p>Cloud providers in the region have been waiting months for a clear answer on which accelerators they may buy.</p>
{fee}
<p>Analysts at several brokerages expect the first shipments to arrive before the end of the quarter.</p>
<p>Readers have shared this story {shares} times since it was updated {ago} ago.</p>
</article>
<footer><p>Copyright Example Wire. All rights reserved.</p></footer>
</body></html>
"""

FEE = "<p>The US government will collect a 25% fee on H200 sales to China, officials said.</p>"


def page(tpp: str, shares: str, fee: str = "", ago: str = "5 minutes") -> bytes:
    return PAGE.format(title="Export filing puts a number on the H200", tpp=tpp, shares=shares,
                       fee=fee, ago=ago).encode()


@pytest.fixture
def site():
    with local_server() as srv:
        srv.route(PATH, body=page("15,840", "1,204"), headers={"Content-Type": "text/html; charset=utf-8"})
        yield srv


def make_config(tmp_path: Path, site, hook: WebhookReceiver) -> Config:
    return Config(
        fetch=FetchConfig(allow_private_addresses=True, per_host_delay=0.0, timeout=5.0,
                          retries=0, respect_robots=False),
        alerts=AlertsConfig(jsonl=str(tmp_path / "alerts.jsonl"),
                            webhooks=[WebhookTarget(url=hook.url("/hook"))]),
        sources=[SourceConfig(name="wire-h200", outlet="Example Wire", url=site.url(PATH))],
        baseline=load_config(None).baseline,
    )


def poll_cycle(config: Config, store: Store) -> None:
    """One cycle as `run --once` runs it: poll, judge sources, deliver the outbox."""
    from chipwatch.monitor.poll import run_once

    run_once(config, store)


def of_type(messages: list[dict], type_: str) -> list[dict]:
    return [m for m in messages if m["type"] == type_]


def jsonl(config: Config) -> list[dict]:
    path = Path(config.alerts.jsonl)
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_revision_alerts_reach_webhook_and_file_once(tmp_path, site, hook):
    config = make_config(tmp_path, site, hook)
    db = tmp_path / "e2e.db"
    store = Store.open(db)
    poll_cycle(config, store)
    first = [p.json for p in hook.posts]
    assert [m["type"] for m in first].count("new_document") == 1

    site.route(PATH, body=page("15,832", "1,388", FEE), headers={"Content-Type": "text/html; charset=utf-8"})
    poll_cycle(config, store)
    received = [p.json for p in hook.posts]
    second = received[len(first):]

    changed = of_type(second, "figure_changed")
    added = of_type(second, "fact_added")
    assert len(changed) == 1 and len(added) == 1
    assert of_type(second, "fact_removed") == []
    fc = changed[0]["payload"]
    assert (fc["old"]["value"], fc["new"]["value"]) == (15840, 15832)
    assert "15,840" in fc["old"]["quote"] and "15,832" in fc["new"]["quote"]
    assert fc["url"] == site.url(PATH) and fc["old"]["url"] == site.url(PATH)
    assert fc["old"]["snapshot_time"] < fc["new"]["snapshot_time"] or \
        fc["old"]["snapshot_id"] < fc["new"]["snapshot_id"]
    assert fc["old"]["snapshot_time"] and fc["new"]["snapshot_time"]
    fa = added[0]["payload"]
    assert "25% fee" in fa["fact"]["quote"] and fa["fact"]["action"] == "fee"
    assert fa["url"] == site.url(PATH) and fa["fact"]["snapshot_time"]
    assert fa["previous_snapshot"]["fetched_at"] and fa["snapshot"]["fetched_at"]
    # nothing anywhere about the share count
    assert "1,388" not in json.dumps(second) and "shared this story" not in json.dumps(second)
    revised = of_type(second, "document_revised")
    assert len(revised) <= 1
    # the file holds exactly what the webhook got
    assert [m["dedupe_key"] for m in jsonl(config)] == [m["dedupe_key"] for m in received]

    # a cosmetic revision: stored as a version, but no alert
    site.route(PATH, body=page("15,832", "2,050", FEE, ago="2 hours"),
               headers={"Content-Type": "text/html; charset=utf-8"})
    versions = store.one("SELECT count(*) AS n FROM snapshots")["n"]
    poll_cycle(config, store)
    assert store.one("SELECT count(*) AS n FROM snapshots")["n"] == versions + 1
    assert len(hook.posts) == len(received)

    # restart: a new process on the same database polls the unchanged page again
    store.close()
    store = Store.open(db)
    poll_cycle(config, store)
    assert len(hook.posts) == len(received)
    assert len(jsonl(config)) == len(received)
    assert store.one("SELECT count(*) AS n FROM deliveries WHERE status != 'delivered'")["n"] == 0
    store.close()


def test_alerts_wait_for_a_receiver_that_is_down(tmp_path, site, hook):
    config = make_config(tmp_path, site, hook)
    store = Store.open(tmp_path / "down.db")
    hook.down()
    poll_cycle(config, store)
    pending = store.query("SELECT * FROM deliveries WHERE status = 'pending'")
    assert pending and all(r["channel"].startswith("webhook:") for r in pending)
    raised = store.one("SELECT count(*) AS n FROM alerts")["n"]
    assert len(jsonl(config)) == raised  # the file channel did not wait
    hook.up()
    poll_cycle(config, store)  # the page is unchanged: only the backlog goes out
    assert sorted(p.json["dedupe_key"] for p in hook.posts) == sorted(m["dedupe_key"] for m in jsonl(config))
    assert len(hook.posts) == raised
    assert store.one("SELECT count(*) AS n FROM deliveries WHERE status = 'pending'")["n"] == 0
    store.close()


def test_failing_source_alerts_once_and_recovers(tmp_path, site, hook):
    config = make_config(tmp_path, site, hook)
    config.alerts.failing_after = 2
    store = Store.open(tmp_path / "fail.db")
    poll_cycle(config, store)
    site.route(PATH, status=503, body=b"down for maintenance")
    for _ in range(3):
        poll_cycle(config, store)
    site.route(PATH, body=page("15,840", "1,204"), headers={"Content-Type": "text/html; charset=utf-8"})
    poll_cycle(config, store)
    types = [p.json["type"] for p in hook.posts]
    assert types.count("source_failing") == 1 and types.count("source_recovered") == 1
    failing = next(p.json for p in hook.posts if p.json["type"] == "source_failing")
    assert failing["payload"]["failures_in_row"] == 2 and failing["source"] == "wire-h200"
    store.close()
