"""Revisits that age, end to end: a loopback site with a feed and an article, `run --once`
again and again with ages of seconds (`schedule.revisit_*`), and the server's request log
as the evidence of when the article was asked for."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest

from localserver import local_server

SETTLE, PERIOD, MAX_AGE = 5, 7, 20  # seconds: new for 5 s, then every 7 s, old after 20 s
SLACK = 1.5  # stored times have whole seconds; a run near a boundary is not judged

ARTICLE = ("<!doctype html><html><head><title>H200 licences</title></head><body><article>"
           "<h1>H200 licences</h1><p>Commerce officials said licences for Nvidia's H200 were "
           "granted to approved customers in China.</p><p>Traders in Shenzhen said buyers "
           "were waiting for the paperwork.</p></article></body></html>")


def feed(link: str, listed: datetime) -> str:
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>wire</title><item>'
            f"<title>H200 licences</title><link>{link}</link>"
            f"<pubDate>{format_datetime(listed)}</pubDate></item></channel></rss>")


def write_config(folder: Path, feed_url: str) -> Path:
    (folder / "sources.toml").write_text(
        f'[[source]]\nname = "wire"\noutlet = "Example Wire"\nurl = "{feed_url}"\nkind = "feed"\n'
        'interval = "1s"\n', encoding="utf-8")
    path = folder / "chipwatch.toml"
    path.write_text(
        'sources = "sources.toml"\nbaseline = ""\n[fetch]\nper_host_delay = 0\n'
        "allow_private_addresses = true\nrespect_robots = false\ntimeout = 5\nretries = 0\n"
        "parse_workers = 0\n[schedule]\njitter = 0\n"
        f"revisit_settle = {SETTLE}\nrevisit_min_period = {PERIOD}\nrevisit_max_period = {PERIOD}\n"
        f'revisit_max_age = {MAX_AGE}\n[alerts]\njsonl = ""\n', encoding="utf-8")
    return path


@pytest.mark.slow
def test_an_article_is_fetched_at_every_poll_while_new_then_less_often_then_only_when_listed(cw, tmp_path):
    with local_server() as site:
        site.route("/story", body=ARTICLE, etag='"v1"')  # never changes: answers 304 once known
        started = datetime.now(timezone.utc).replace(microsecond=0)
        site.route("/feed", body=feed(site.url("/story"), started), headers={"Content-Type": "application/rss+xml"})
        cfg = write_config(tmp_path, site.url("/feed"))

        runs: list[tuple[float, bool]] = []  # (the feed's arrival, whether the article was asked for)

        def run_once() -> None:
            before = len(site.requests("/story"))
            r = cw("--config", cfg, "run", "--once")
            assert r.code == 0, r.err
            feed_at = site.requests("/feed")[-1].at
            runs.append((feed_at, len(site.requests("/story")) > before))

        run_once()
        assert runs[0][1], "a newly listed article is fetched at once"
        t0 = site.requests("/story")[0].at
        while time.monotonic() - t0 < MAX_AGE + 2 * SLACK + 3:
            run_once()
            time.sleep(0.3)
        # The outlet's feed now dates the article after its last fetch: it is asked for once.
        time.sleep(1.1)  # whole seconds: the new date is after the last fetch's
        site.route("/feed", body=feed(site.url("/story"), datetime.now(timezone.utc)),
                   headers={"Content-Type": "application/rss+xml"})
        before_listing = len(site.requests("/story"))
        run_once()
        run_once()
        after_listing = site.requests("/story")[before_listing:]

    new = [asked for at, asked in runs[:-2] if at - t0 < SETTLE - SLACK]
    settled = [(at, asked) for at, asked in runs[:-2] if SETTLE + SLACK < at - t0 < MAX_AGE - SLACK]
    old = [asked for at, asked in runs[:-2] if at - t0 > MAX_AGE + SLACK]
    # new: at every poll of the feed
    assert len(new) >= 2 and all(new), runs
    # settled: less often than the feed is polled, never sooner than the period
    assert len(settled) >= 4 and 1 <= sum(a for _, a in settled) < len(settled), runs
    asked_at = [r.at for r in site.requests("/story")[:before_listing]]
    # each fetch made when settled came at least a period after the one before it
    late = [b - a for a, b in zip(asked_at, asked_at[1:]) if b - t0 > SETTLE + SLACK]
    assert late and min(late) >= PERIOD - SLACK, (late, runs)
    # old: not at all, however often the feed is polled, until the feed says it changed
    assert len(old) >= 2 and not any(old), runs
    assert len(after_listing) == 1, runs[-2:]
    assert runs[-2][1] and not runs[-1][1]
