"""The outbox against real channels: a webhook receiver on loopback, a JSONL file, Apprise.

No network double stands in for a channel: every webhook test posts to a real HTTP server
on 127.0.0.1 that can be down, answer 500, or take the alert.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path


from chipwatch.db.store import Store
from chipwatch.monitor import outbox
from chipwatch.monitor.alerts import Alert, record
from chipwatch.monitor.channels import AppriseChannel, JsonlChannel, WebhookChannel, channels_from_config
from chipwatch.monitor.config import AlertsConfig, AppriseTarget, Config, WebhookTarget
from webhook_receiver import WebhookReceiver

SECRET_ENV = "CHIPWATCH_TEST_HOOK_SECRET"
SECRET = "s3cret-value-that-must-never-be-stored"


def make_config(tmp_path: Path, hook: WebhookReceiver | None = None, **webhook: object) -> Config:
    hooks = [WebhookTarget(url=hook.url("/hook"), **webhook)] if hook else []  # type: ignore[arg-type]
    return Config(alerts=AlertsConfig(jsonl=str(tmp_path / "alerts.jsonl"), webhooks=hooks))


def alert(n: int, type_: str = "fact_added") -> Alert:
    return Alert(type_, f"test:{type_}:{n}", f"Alert number {n}", f"body {n}",
                 payload={"url": f"https://news.example.org/{n}", "quote": f"quote {n}"})


def jsonl_lines(config: Config) -> list[dict]:
    path = Path(config.alerts.jsonl)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def statuses(store: Store) -> list[tuple[str, str, int]]:
    return [(r["channel"].split(":")[0], r["status"], r["attempts"])
            for r in store.query("SELECT * FROM deliveries ORDER BY alert_id, channel")]


def test_each_alert_reaches_webhook_and_file_once(tmp_path, store, hook):
    config = make_config(tmp_path, hook)
    ids = [record(store, alert(n), config) for n in (1, 2)]
    assert None not in ids
    report = outbox.deliver_pending(store, config)
    assert report.delivered == 4 and report.pending == 0
    assert [p.json["title"] for p in hook.posts] == ["Alert number 1", "Alert number 2"]
    assert hook.posts[0].json["payload"]["quote"] == "quote 1"
    assert hook.posts[0].header("X-Chipwatch-Event") == "fact_added"
    assert hook.posts[0].header("X-Chipwatch-Signature") is None  # no secret configured
    assert [line["dedupe_key"] for line in jsonl_lines(config)] == ["test:fact_added:1", "test:fact_added:2"]
    # the same alert raised again is refused by its key; nothing is sent twice
    assert record(store, alert(1), config) is None
    again = outbox.deliver_pending(store, config)
    assert again.delivered == 0 and len(hook.posts) == 2 and len(jsonl_lines(config)) == 2


def test_restart_sends_nothing_twice(tmp_path, hook):
    path = tmp_path / "restart.db"
    config = make_config(tmp_path, hook)
    s = Store.open(path)
    record(s, alert(1), config)
    outbox.deliver_pending(s, config)
    s.close()
    s = Store.open(path)
    record(s, alert(1), config)
    assert outbox.deliver_pending(s, config).delivered == 0
    s.close()
    assert len(hook.posts) == 1 and len(jsonl_lines(config)) == 1


def test_dead_webhook_keeps_alerts_pending_until_it_is_back(tmp_path, store, hook):
    config = make_config(tmp_path, hook)
    hook.down()
    record(store, alert(1), config)
    record(store, alert(2), config)
    report = outbox.deliver_pending(store, config)
    assert report.failed == 2 and report.pending == 2
    assert ("webhook", "pending", 1) in statuses(store)
    row = store.one("SELECT last_error FROM deliveries WHERE channel LIKE 'webhook:%'")
    assert "Connect" in row["last_error"]
    assert len(jsonl_lines(config)) == 2  # the file channel is not held up by the dead one
    hook.up()
    report = outbox.deliver_pending(store, config)  # first retry is due at once
    assert report.delivered == 2 and report.pending == 0
    assert [p.json["title"] for p in hook.posts] == ["Alert number 1", "Alert number 2"]


def test_server_errors_back_off_then_deliver(tmp_path, store, hook):
    config = make_config(tmp_path, hook)
    hook.answer(500)
    record(store, alert(1), config)
    t0 = datetime.now(timezone.utc)
    outbox.deliver_pending(store, config, now=t0)
    outbox.deliver_pending(store, config, now=t0 + timedelta(seconds=1))  # second attempt
    row = store.one("SELECT * FROM deliveries WHERE channel LIKE 'webhook:%'")
    assert (row["status"], row["attempts"], row["last_error"]) == ("pending", 2, "HTTP 500")
    hook.answer(200)
    assert outbox.deliver_pending(store, config, now=t0 + timedelta(seconds=30)).delivered == 0
    report = outbox.deliver_pending(store, config, now=t0 + timedelta(seconds=120))
    assert report.delivered == 1
    assert len(hook.posts) == 1 and len(hook.all_posts) == 3


def test_gives_up_after_max_attempts_and_on_client_errors(tmp_path, store, hook):
    config = make_config(tmp_path, hook)
    hook.answer(500)
    record(store, alert(1), config)
    t = datetime.now(timezone.utc)
    for _ in range(outbox.MAX_ATTEMPTS + 2):
        outbox.deliver_pending(store, config, now=t)
        t += timedelta(days=1)
    row = store.one("SELECT * FROM deliveries WHERE channel LIKE 'webhook:%'")
    assert (row["status"], row["attempts"]) == ("failed", outbox.MAX_ATTEMPTS)
    hook.answer(404)
    record(store, alert(2), config)
    report = outbox.deliver_pending(store, config, now=t)
    assert report.given_up == 1
    assert store.one("SELECT status, attempts FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
                     "WHERE a.dedupe_key = 'test:fact_added:2' AND d.channel LIKE 'webhook:%'") == \
        {"status": "failed", "attempts": 1}


def test_signature_is_hmac_sha256_of_the_body_and_secret_is_never_stored(
        tmp_path, store, hook, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv(SECRET_ENV, SECRET)
    config = make_config(tmp_path, hook, secret_env=SECRET_ENV)
    record(store, alert(1), config)
    outbox.deliver_pending(store, config)
    post = hook.posts[0]
    expected = hmac.new(SECRET.encode(), post.body, hashlib.sha256).hexdigest()
    assert post.header("X-Chipwatch-Signature") == f"sha256={expected}"
    wrong = hmac.new(b"other", post.body, hashlib.sha256).hexdigest()
    assert post.header("X-Chipwatch-Signature") != f"sha256={wrong}"
    dump = "\n".join(store.db.iterdump())
    assert SECRET not in dump and SECRET not in caplog.text
    assert SECRET not in Path(config.alerts.jsonl).read_text()


def test_missing_secret_is_a_failure_not_an_unsigned_post(tmp_path, store, hook, monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    config = make_config(tmp_path, hook, secret_env=SECRET_ENV)
    record(store, alert(1), config)
    report = outbox.deliver_pending(store, config)
    assert hook.all_posts == [] and report.failed == 1
    row = store.one("SELECT last_error FROM deliveries WHERE channel LIKE 'webhook:%'")
    assert SECRET_ENV in row["last_error"]


def test_type_filter_per_channel(tmp_path, store, hook):
    config = make_config(tmp_path, hook, types=["figure_changed"])
    record(store, alert(1, "fact_added"), config)
    record(store, alert(2, "figure_changed"), config)
    outbox.deliver_pending(store, config)
    assert [p.json["type"] for p in hook.posts] == ["figure_changed"]
    assert len(jsonl_lines(config)) == 2  # the file takes every type


def test_digest_sends_one_message_per_cycle_and_period(tmp_path, store, hook):
    config = make_config(tmp_path, hook, digest=3600.0)
    for n in (1, 2, 3):
        record(store, alert(n), config)
    t0 = datetime.now(timezone.utc)
    outbox.deliver_pending(store, config, now=t0)
    assert len(hook.posts) == 1
    digest = hook.posts[0].json
    assert digest["digest"] is True and digest["count"] == 3
    assert [a["title"] for a in digest["alerts"]] == [f"Alert number {n}" for n in (1, 2, 3)]
    record(store, alert(4), config)
    held = outbox.deliver_pending(store, config, now=t0 + timedelta(minutes=10))
    assert held.channels[channels_from_config(config)[1].id].held == 1 and len(hook.posts) == 1
    outbox.deliver_pending(store, config, now=t0 + timedelta(hours=2))
    assert len(hook.posts) == 2 and hook.posts[1].json["count"] == 1


def test_apprise_json_url_reaches_the_receiver(tmp_path, store, hook):
    url = f"json://127.0.0.1:{hook.port}/apprise"
    config = Config(alerts=AlertsConfig(jsonl="", apprise=[AppriseTarget(url=url)]))
    record(store, alert(1), config)
    report = outbox.deliver_pending(store, config)
    assert report.delivered == 1
    post = hook.posts[0]
    assert post.path == "/apprise"
    assert post.json["title"] == "chipwatch: Alert number 1"
    assert "body 1" in post.json["message"]


def test_apprise_failure_is_retried(tmp_path, store, hook):
    config = Config(alerts=AlertsConfig(
        jsonl="", apprise=[AppriseTarget(url=f"json://127.0.0.1:{hook.port}/apprise")]))
    hook.answer(500)
    record(store, alert(1), config)
    report = outbox.deliver_pending(store, config)
    assert report.failed == 1 and report.pending == 1


def test_channel_ids_hide_tokens_and_passwords():
    hook = WebhookChannel("https://hooks.example.com/services/T000/B000/verysecrettoken123")
    assert "verysecrettoken123" not in hook.id and hook.id.startswith("webhook:hooks.example.com#")
    mail = AppriseChannel("mailto://alice:hunter2@mail.example.com")
    assert "hunter2" not in mail.id and "alice" not in mail.id
    assert "hunter2" not in mail._redact("failed mailto://alice:hunter2@mail.example.com")


def test_jsonl_append_that_survived_a_crash_is_not_written_twice(tmp_path, store):
    config = make_config(tmp_path)
    aid = record(store, alert(1), config)
    row = store.one("SELECT * FROM alerts WHERE id = ?", [aid])
    # the process wrote the line, then died before marking the delivery
    JsonlChannel(Path(config.alerts.jsonl)).send([outbox.alert_message(row)])
    assert store.one("SELECT status FROM deliveries")["status"] == "pending"
    outbox.deliver_pending(store, config)
    assert len(jsonl_lines(config)) == 1
    assert store.one("SELECT status FROM deliveries")["status"] == "delivered"


def test_alerts_raised_without_channels_are_queued_on_the_next_cycle(tmp_path, store, hook):
    record(store, alert(1), None)  # e.g. raised by `chipwatch ingest`
    store.db.execute("INSERT INTO alerts (type, dedupe_key, title, created_at) "
                     "VALUES ('fact_added', 'old', 'Old news', '2020-01-01T00:00:00+00:00')")
    config = make_config(tmp_path, hook)
    report = outbox.deliver_pending(store, config)
    assert report.queued == 2 and report.delivered == 2  # one alert x two channels
    assert [p.json["title"] for p in hook.posts] == ["Alert number 1"]


# -- the command line ---------------------------------------------------------------------

def write_config(tmp_path: Path, hook: WebhookReceiver, secret_env: str = "") -> Path:
    from chipwatch.monitor.config import _package_config_dir

    baseline = _package_config_dir() / "baseline.toml"
    secret = f', secret_env = "{secret_env}"' if secret_env else ""
    path = tmp_path / "cw.toml"
    path.write_text(
        f'sources = ""\nbaseline = "{baseline}"\n'
        f'[alerts]\njsonl = "{tmp_path / "alerts.jsonl"}"\n'
        f'webhooks = [{{ url = "{hook.url("/hook")}"{secret} }}]\n'
        f'apprise = ["json://127.0.0.1:{hook.port}/apprise"]\n')
    return path


def test_alerts_test_reports_every_channel(cw, tmp_path, hook, monkeypatch):
    monkeypatch.setenv(SECRET_ENV, SECRET)
    config = write_config(tmp_path, hook, SECRET_ENV)
    result = cw("--config", config, "alerts", "--test", "--format", "json")
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert [r["ok"] for r in rows] == [True, True, True]
    assert {r["channel"].split(":")[0] for r in rows} == {"jsonl", "webhook", "apprise"}
    assert sorted(p.path for p in hook.posts) == ["/apprise", "/hook"]
    hook_post = next(p for p in hook.posts if p.path == "/hook")
    assert hook_post.json["type"] == "test" and hook_post.header("X-Chipwatch-Signature")
    assert SECRET not in result.out + result.err
    hook.down()
    result = cw("--config", config, "alerts", "--test")
    assert result.code == 1
    assert result.out.count("failed") == 2 and "ok" in result.out


def test_alerts_command_lists_delivery_status(cw, tmp_path, hook, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    config_path = write_config(tmp_path, hook)
    from chipwatch.monitor.config import load_config

    config = load_config(config_path)
    s = Store.open(cw.db)
    record(s, alert(1, "fact_added"), config)
    record(s, alert(2, "figure_changed"), config)
    hook.down()
    outbox.deliver_pending(s, config)
    s.close()
    result = cw("--config", config_path, "alerts")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split()[:4] == ["ID", "CREATED_AT", "TYPE", "DELIVERY"]
    assert "figure_changed" in lines[1] and "fact_added" in lines[2]  # newest first
    assert "jsonl=sent" in result.out and "webhook=retry1" in result.out
    only = cw("--config", config_path, "alerts", "--type", "figure_changed", "--format", "json")
    rows = [json.loads(line) for line in only.out.splitlines()]
    assert [r["type"] for r in rows] == ["figure_changed"]
    assert {d["status"] for d in rows[0]["deliveries"]} == {"delivered", "pending"}
    assert rows[0]["payload"]["quote"] == "quote 2"
    future = cw("--config", config_path, "alerts", "--since", "2999-01-01")
    assert future.code == 0 and future.out == ""
    bad = cw("--config", config_path, "alerts", "--since", "yesterday-ish")
    assert bad.code == 2 and "--since" in bad.err
    csv_out = cw("--config", config_path, "alerts", "--format", "csv")
    assert csv_out.out.splitlines()[0].startswith("id,created_at,type,title")


def test_one_dead_alert_does_not_starve_the_others(tmp_path, store, hook):
    """The receiver refuses alert 1 forever: 2, 3 and 4 are delivered all the same, and only
    attempts the receiver actually saw are counted."""
    config = make_config(tmp_path, hook)
    hook.refuse_containing("Alert number 1")
    for n in (1, 2, 3, 4):
        record(store, alert(n), config)
    t = datetime.now(timezone.utc)
    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.deliver_pending(store, config, now=t)
        t += timedelta(days=1)
    assert sorted(p.json["title"] for p in hook.posts) == ["Alert number 2", "Alert number 3", "Alert number 4"]
    refused = [p for p in hook.all_posts if p.status == 500]
    rows = {r["title"]: r for r in store.query(
        "SELECT a.title, d.status, d.attempts FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
        "WHERE d.channel LIKE 'webhook:%'")}
    assert rows["Alert number 1"]["attempts"] == len(refused) == outbox.MAX_ATTEMPTS
    assert rows["Alert number 1"]["status"] == "failed"
    assert all(rows[f"Alert number {n}"]["status"] == "delivered" and rows[f"Alert number {n}"]["attempts"] == 1
               for n in (2, 3, 4))


def test_a_receiver_that_always_fails_is_charged_only_for_what_it_saw(tmp_path, store, hook):
    config = make_config(tmp_path, hook)
    hook.answer(500)
    for n in (1, 2, 3, 4):
        record(store, alert(n), config)
    t = datetime.now(timezone.utc)
    for _ in range(12):
        outbox.deliver_pending(store, config, now=t)
        t += timedelta(days=1)
    seen: dict[str, int] = {}
    for p in hook.all_posts:
        seen[p.json["title"]] = seen.get(p.json["title"], 0) + 1
    charged = {r["title"]: r["attempts"] for r in store.query(
        "SELECT a.title, d.attempts FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
        "WHERE d.channel LIKE 'webhook:%'")}
    assert {k: v for k, v in charged.items() if v} == seen  # an attempt is a POST the receiver got
    assert charged["Alert number 3"] == 0 and charged["Alert number 4"] == 0
    untried = store.one("SELECT last_error, status FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
                        "WHERE a.title = 'Alert number 4' AND d.channel LIKE 'webhook:%'")
    assert untried["status"] == "pending" and untried["last_error"].startswith("not attempted")
