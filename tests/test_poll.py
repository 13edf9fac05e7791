"""Poll cycles end to end: real loopback server, real SQLite database, real pipeline."""
from __future__ import annotations

import json
import os
import socket
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from chipwatch.db.store import Store
from chipwatch.extractors import extract_facts
from chipwatch.monitor.config import Config, FetchConfig, ScheduleConfig, SourceConfig
from chipwatch.monitor.poll import run_once
from localserver import Route, repeat_chunks

FEEDS = Path(__file__).resolve().parent / "fixtures" / "feeds"
HTML = {"Content-Type": "text/html; charset=utf-8"}


def article(title: str, *paragraphs: str) -> str:
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article>"
            f"<h1>{title}</h1>\n{body}</article></body></html>")


PAGE_V1 = article(
    "Washington opens the door to H200 sales",
    "The Commerce Department said on Monday that Nvidia may ship its H200 chips to approved customers in China.",
    "Under the arrangement the US government will collect 25% of the sales, officials said in a briefing.",
    "The H200 has a TPP score of 15,840, well above the threshold set in the rules, analysts noted.",
    "Shipments are expected to begin after a security review of each buyer is completed.",
)
PAGE_V2 = PAGE_V1.replace("after a security review", "in the first quarter, after a security review") \
    .replace("25%", "15%")


def make_config(*sources: SourceConfig, **fetch: object) -> Config:
    settings: dict[str, object] = dict(per_host_delay=0.0, allow_private_addresses=True, timeout=2.0,
                                       retries=2, backoff_base=0.01, backoff_max=0.05)
    settings.update(fetch)
    return Config(fetch=FetchConfig(**settings), schedule=ScheduleConfig(jitter=0.0),  # type: ignore[arg-type]
                  sources=list(sources))


def page(name: str, url: str, interval: float = 600.0) -> SourceConfig:
    return SourceConfig(name=name, outlet="Example Wire", url=url, kind="page", interval=interval)


def count(store: Store, table: str, where: str = "1", params: list | None = None) -> int:
    return store.one(f"SELECT count(*) AS n FROM {table} WHERE {where}", params or [])["n"]


def fetch_rows(store: Store) -> list[dict]:
    return store.query("SELECT * FROM fetches ORDER BY id")


def test_changed_page_gets_a_new_version_and_its_facts(server, store):
    server.route("/a", body=PAGE_V1, headers=HTML, etag='"v1"')
    config = make_config(page("wire-a", server.url("/a")))
    first = run_once(config, store)
    assert first.total("new_versions") == 1 and first.total("parsed") == 1
    server.route("/a", body=PAGE_V2, headers=HTML, etag='"v2"')
    second = run_once(config, store)
    assert second.total("new_versions") == 1 and second.results[0].status == "ok"
    snaps = store.query("SELECT id, text FROM snapshots ORDER BY id")
    assert len(snaps) == 2 and "first quarter" in snaps[1]["text"] and "first quarter" not in snaps[0]["text"]
    # the facts counted are the facts stored, and they are what the extractors find in the text
    stored_facts = count(store, "facts")
    assert stored_facts > 0  # the page states a TPP score and a 25 % fee
    assert first.total("new_facts") + second.total("new_facts") == stored_facts
    assert count(store, "facts", "snapshot_id = ?", [snaps[0]["id"]]) == len(extract_facts(snaps[0]["text"]))
    # the second request carried the first version's validator, and got the new page
    second_request = server.requests("/a")[1]
    assert second_request.header("If-None-Match") == '"v1"' and second_request.status == 200


def test_two_polls_with_nothing_changed_store_nothing_and_parse_nothing(server, store):
    lm = "Mon, 08 Dec 2025 09:00:00 GMT"
    server.route("/a", body=PAGE_V1, headers=HTML, etag='"same"', last_modified=lm)
    server.route("/b", body=PAGE_V2, headers=HTML, last_modified=lm)  # Last-Modified only
    config = make_config(page("wire-a", server.url("/a")), page("wire-b", server.url("/b")))
    run_once(config, store)
    snapshots, facts = count(store, "snapshots"), count(store, "facts")
    for _ in range(2):
        summary = run_once(config, store)
        t = summary.totals
        assert t["not_modified"] == 2 and t["parsed"] == 0 and t["new_versions"] == 0 and t["new_facts"] == 0
        assert "not modified 2" in summary.lines()[-1] and "parsed 0" in summary.lines()[-1]
    assert count(store, "snapshots") == snapshots and count(store, "facts") == facts
    # proven from the server's own log: conditional requests answered with 304
    later_a, later_b = server.requests("/a")[1:], server.requests("/b")[1:]
    assert [r.status for r in later_a + later_b] == [304] * 4
    assert all(r.header("If-None-Match") == '"same"' and r.header("If-Modified-Since") == lm for r in later_a)
    assert all(r.header("If-Modified-Since") == lm and r.header("If-None-Match") is None for r in later_b)
    states = {r["name"]: r for r in store.query("SELECT * FROM sources")}
    assert states["wire-a"]["status"] == "not_modified" and states["wire-a"]["failures_in_row"] == 0
    assert [r["outcome"] for r in fetch_rows(store)].count("not_modified") == 4


def test_identical_body_without_validators_is_recognised_before_parsing(server, store):
    server.route("/plain", body=PAGE_V1, headers=HTML, conditional=False)
    config = make_config(page("plain", server.url("/plain")))
    run_once(config, store)
    again = run_once(config, store)
    assert again.total("unchanged") == 1 and again.total("parsed") == 0 and again.total("new_versions") == 0
    assert server.requests("/plain")[1].status == 200
    assert fetch_rows(store)[-1]["outcome"] == "unchanged" and count(store, "snapshots") == 1


def test_robots_txt_disallowing_a_source(server, store):
    server.route("/robots.txt", body="User-agent: *\nDisallow: /members/\n")
    server.route("/members/story", body=PAGE_V1, headers=HTML)
    summary = run_once(make_config(page("members", server.url("/members/story"))), store)
    assert summary.results[0].status == "robots_disallowed" and summary.exit_code == 0
    assert server.requests("/members/story") == []
    assert fetch_rows(store)[0]["outcome"] == "robots_disallowed"
    assert count(store, "snapshots") == 0


def test_429_with_retry_after_pushes_the_next_run_back(server, store):
    server.route("/busy", status=429, headers={"Retry-After": "3600"})
    config = make_config(page("busy", server.url("/busy")))
    first = run_once(config, store)
    state = store.source_state("busy")
    assert first.results[0].status == "failing" and state["failures_in_row"] == 1
    until = datetime.fromisoformat(state["retry_after_until"])
    assert timedelta(minutes=59) < until - datetime.now(timezone.utc) <= timedelta(minutes=60)
    assert datetime.fromisoformat(state["next_due"]) >= until
    assert len(server.requests("/busy")) == 1  # not retried at once
    second = run_once(config, store)
    assert second.results[0].deferred and len(server.requests("/busy")) == 1
    assert "deferred" in second.lines()[0] and second.exit_code == 0


def test_500_recovers_on_retry(server, store):
    server.route("/flaky", sequence=[Route(status=500), Route(body=PAGE_V1, headers=HTML)])
    summary = run_once(make_config(page("flaky", server.url("/flaky"))), store)
    assert summary.results[0].status == "ok" and summary.total("failures") == 0
    row = fetch_rows(store)[0]
    assert row["retries"] == 1 and row["http_status"] == 200 and row["outcome"] == "ok"
    assert [r.status for r in server.requests("/flaky")] == [500, 200]


def test_slow_body_times_out_and_failures_back_off(server, store):
    server.route("/slow", body=repeat_chunks(b"<p>slow</p>", 200_000), chunk_size=11, chunk_delay=0.05)
    config = make_config(page("slow", server.url("/slow"), interval=600), timeout=0.3, retries=0)
    first = run_once(config, store)
    due1 = datetime.fromisoformat(store.source_state("slow")["next_due"])
    second = run_once(config, store)
    state = store.source_state("slow")
    assert first.results[0].status == second.results[0].status == "failing"
    assert state["failures_in_row"] == 2 and "no complete answer" in state["last_error"]
    assert fetch_rows(store)[-1]["error_class"] == "timeout"
    due2 = datetime.fromisoformat(state["next_due"])
    assert due2 - due1 > timedelta(seconds=500)  # second failure waits twice the interval
    assert second.exit_code == 0  # the server did answer with headers


def test_redirect_loop_is_a_failure(server, store):
    server.route("/x", status=302, headers={"Location": "/y"})
    server.route("/y", status=302, headers={"Location": "/x"})
    summary = run_once(make_config(page("loop", server.url("/x"))), store)
    assert summary.results[0].status == "failing"
    assert fetch_rows(store)[0]["error_class"] == "redirect_loop"


def test_50_megabyte_page_is_cut_and_stored_as_truncated(server, store):
    para = b"<p>The H200 figures were discussed again in this very long page.</p>\n"
    head = b"<!DOCTYPE html><html><head><title>Endless</title></head><body><article>"

    def body():
        yield head
        yield from repeat_chunks(para * 1000, 50 * 1024 * 1024)()
    server.route("/endless", body=body, headers=HTML)
    summary = run_once(make_config(page("endless", server.url("/endless")), max_bytes=300_000), store)
    row = fetch_rows(store)[0]
    assert row["truncated"] == 1 and row["bytes"] == 300_000 and row["outcome"] == "truncated"
    snap = store.one("SELECT truncated, body_size FROM snapshots")
    assert snap == {"truncated": 1, "body_size": 300_000}
    assert summary.results[0].status == "ok"


def test_blocked_challenge_gone_and_pdf(server, store):
    server.route("/paywall", status=403, body=b"subscribers only")
    server.route("/challenge", headers=HTML, body=(
        "<html><head><title>Just a moment...</title></head><body>Checking your browser."
        "<script src='/cdn-cgi/challenge-platform/h/g/orchestrate/jsch/v1'></script></body></html>"))
    server.route("/removed", status=410)
    server.route("/report.pdf", headers={"Content-Type": "application/pdf"}, body=b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    config = make_config(page("paywall", server.url("/paywall")), page("challenge", server.url("/challenge")),
                         page("removed", server.url("/removed")), page("report", server.url("/report.pdf")))
    summary = run_once(config, store)
    status = {r.source: r.status for r in summary.results}
    assert status == {"paywall": "blocked", "challenge": "blocked", "removed": "gone", "report": "ok"}
    assert count(store, "snapshots") == 0  # neither the wall, nor the PDF became a version
    outcomes = {r["url"].rsplit("/", 1)[1]: (r["outcome"], r["error_class"]) for r in fetch_rows(store)}
    assert outcomes["challenge"] == ("blocked", "bot_challenge")
    assert outcomes["report.pdf"] == ("skipped", "not_article_pdf")
    assert len(server.requests("/paywall")) == 1  # no retry storm
    assert store.source_state("paywall")["last_http_status"] == 403


def test_shift_jis_page_without_charset_header(server, store):
    text = article("H200の対中輸出", "米国政府はエヌビディアのH200を中国の承認された顧客に輸出することを認めた。",
                   "政府は売上の25パーセントを徴収するという。中国は国産チップを優先する姿勢を崩していない。")
    server.route("/jp", body=text.encode("shift_jis"), headers={"Content-Type": "text/html"})
    summary = run_once(make_config(page("jp", server.url("/jp"))), store)
    assert summary.total("new_versions") == 1
    snap = store.one("SELECT text, encoding FROM snapshots")
    assert "売上の25パーセントを徴収" in snap["text"]


def feed_config(server, name: str, path: str, **fetch: object) -> Config:
    source = SourceConfig(name=name, outlet="Example Wire", url=server.url(path), kind="feed",
                          keywords=["H200", "Nvidia", "Huawei", "Blackwell", "AI"])
    return make_config(source, **fetch)


def serve_feed(server, path: str, fixture: str, content_type: str) -> None:
    body = (FEEDS / fixture).read_bytes().replace(b"SITE", f"127.0.0.1:{server.port}".encode())
    server.route(path, body=body, headers={"Content-Type": content_type}, etag=f'"{fixture}"')


def test_rss_feed_discovers_matching_articles_and_ignores_the_rest(server, store):
    serve_feed(server, "/rss.xml", "rss.xml", "application/rss+xml")
    server.route("/news/h200-shipments", body=PAGE_V1, headers=HTML, etag='"s1"')
    server.route("/news/markets-wrap", body=PAGE_V2, headers=HTML, etag='"m1"')
    config = feed_config(server, "wire-feed", "/rss.xml")
    first = run_once(config, store)
    res = first.results[0]
    assert (res.discovered, res.new_versions, res.skipped, res.failures) == (2, 2, 2, 0)
    assert res.fetched == 3 and res.status == "ok"
    docs = {d["url"] for d in store.watched_urls("wire-feed")}
    assert docs == {server.url("/news/h200-shipments?id=7"), server.url("/news/markets-wrap")}
    ignored = {(r["url"], r["error_class"]) for r in fetch_rows(store) if r["outcome"] == "skipped"}
    assert ignored == {("http://elsewhere.example.org/story/ascend-customers", "offsite"),
                       ("http://192.168.10.5/memos/h200", "private_address")}
    assert server.requests("/news/harbour-festival") == [] and server.requests("/news/year-review") == []
    requested = server.requests("/news/h200-shipments")[0]
    assert requested.query == "id=7"  # tracking parameters were not sent

    second = run_once(config, store)
    res2 = second.results[0]
    assert (res2.not_modified, res2.parsed, res2.new_versions, res2.discovered) == (3, 0, 0, 0)
    assert res2.status == "not_modified"
    assert sum(1 for r in fetch_rows(store) if r["outcome"] == "skipped") == 2  # ignored links recorded once


def test_atom_feed_and_article_revision(server, store):
    serve_feed(server, "/atom.xml", "atom.xml", "application/atom+xml")
    server.route("/world/h200-approval", body=PAGE_V1, headers=HTML, etag='"w1"')
    server.route("/tech/blackwell-off-limits", body=PAGE_V2, headers=HTML, etag='"t1"')
    config = feed_config(server, "daily", "/atom.xml")
    first = run_once(config, store).results[0]
    assert (first.discovered, first.new_versions) == (2, 2)
    assert server.requests("/weather/weekend") == []
    server.route("/world/h200-approval", body=PAGE_V2.replace("Washington", "Officials"), headers=HTML, etag='"w2"')
    second = run_once(config, store).results[0]
    assert (second.new_versions, second.not_modified) == (1, 2)  # feed and the other article: 304


def test_malformed_feed_is_reported_and_used(server, store):
    serve_feed(server, "/broken.xml", "broken.xml", "application/rss+xml")
    server.route("/explainer/h200", body=PAGE_V1, headers=HTML)
    summary = run_once(feed_config(server, "broken", "/broken.xml"), store)
    res = summary.results[0]
    assert res.discovered >= 1 and res.new_versions >= 1
    assert res.message and "malformed feed" in res.message and "malformed feed" in summary.lines()[0]
    feed_row = next(r for r in fetch_rows(store) if r["url"].endswith("/broken.xml"))
    assert feed_row["error_class"] == "malformed_feed" and feed_row["outcome"] == "ok"


def test_private_target_refused_and_nothing_could_run(server, store):
    server.route("/a", body=PAGE_V1, headers=HTML)
    summary = run_once(make_config(page("local", server.url("/a")), allow_private_addresses=False), store)
    assert summary.results[0].status == "failing" and summary.exit_code == 1
    assert fetch_rows(store)[0]["error_class"] == "private_address"
    assert server.requests() == []


def test_only_named_sources_and_unknown_names(server, store):
    server.route("/a", body=PAGE_V1, headers=HTML)
    server.route("/b", body=PAGE_V2, headers=HTML)
    config = make_config(page("a", server.url("/a")), page("b", server.url("/b")))
    summary = run_once(config, store, only=["b"])
    assert [r.source for r in summary.results] == ["b"] and server.requests("/a") == []
    with pytest.raises(ValueError, match="unknown source"):
        run_once(config, store, only=["nope"])


# -- the command ----------------------------------------------------------------------------

def _register_run() -> None:
    from chipwatch.monitor.cli import cli
    from chipwatch.monitor.cli_run import run

    if "run" not in cli.commands:  # until the command list in cli.py includes it
        cli.add_command(run)


def write_config(tmp_path: Path, sources: str) -> Path:
    (tmp_path / "sources.toml").write_text(sources, encoding="utf-8")
    path = tmp_path / "chipwatch.toml"
    path.write_text('sources = "sources.toml"\n[fetch]\nper_host_delay = 0\nallow_private_addresses = true\n'
                    'timeout = 2\nretries = 0\n', encoding="utf-8")
    return path


def test_run_once_command_prints_summary_and_exit_codes(server, tmp_path, cw):
    _register_run()
    server.route("/a", body=PAGE_V1, headers=HTML, etag='"1"')
    cfg = write_config(tmp_path, f'[[source]]\nname = "wire-a"\noutlet = "Example Wire"\nurl = "{server.url("/a")}"\n'
                                 f'kind = "page"\n')
    first = cw("--config", cfg, "run", "--once")
    assert first.code == 0, first.err
    assert first.out.splitlines()[0].startswith("wire-a") and "new versions 1" in first.out
    second = cw("--config", cfg, "run", "--once")
    assert second.code == 0 and "not modified 1" in second.out and "parsed 0" in second.out
    assert "total: 1 sources" in second.out.splitlines()[-1]
    listing = cw("--config", cfg, "sources", "--format", "json")
    row = json.loads(listing.out.splitlines()[0])
    assert row["status"] == "not_modified" and row["failures"] == 0 and row["next_due"]


def test_run_once_exits_1_when_no_server_answers(tmp_path, cw):
    _register_run()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    cfg = write_config(tmp_path, f'[[source]]\nname = "dead"\noutlet = "X"\nurl = "http://127.0.0.1:{port}/"\n')
    result = cw("--config", cfg, "run", "--once")
    assert result.code == 1 and "no source could be polled" in result.err
    assert "dead" in result.out and "failures 1" in result.out


def test_no_enabled_sources_means_nothing_could_run(store):
    disabled = SourceConfig(name="off", outlet="X", url="http://127.0.0.1:9/", enabled=False)
    summary = run_once(make_config(disabled), store)
    assert summary.results == [] and summary.exit_code == 1
    assert summary.lines()[-1].startswith("total: 0 sources")


def test_run_once_refuses_to_poll_next_to_a_running_daemon(cw, tmp_path):
    """Both would poll every source: the second one names the first and exits 2."""
    from chipwatch.monitor.lock import DaemonLock

    with DaemonLock.acquire(cw.db):
        r = cw("run", "--once")
    assert r.code == 2
    assert "already polling" in r.err and f"pid {os.getpid()}" in r.err
    assert r.err.count("\n") == 1
