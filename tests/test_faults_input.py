"""Fault suite, user input: out-of-range settings, database paths that are not databases,
`--since` values, read commands on a missing database. Each gets one line and exit 2."""
from __future__ import annotations

import pytest

from faults import GOOD_PAGE, HTML, rows, source, write_config


@pytest.mark.parametrize("setting", [
    'interval = "99999999d"',
    'interval = 1e300',
])
def test_an_enormous_interval_is_refused_at_load(server, tmp_path, cw, setting):
    server.route("/a", body=GOOD_PAGE, headers=HTML)
    cfg = write_config(tmp_path, source("a", server.url("/a"), extra=setting))
    r = cw("--config", cfg, "run", "--once")
    assert r.code == 2
    assert "too long" in r.err and "interval" in r.err and r.err.count("\n") == 1
    assert server.requests() == []  # nothing was polled
    assert not cw.db.exists() or rows(cw.db, "SELECT count(*) FROM fetches") == [(0,)]


@pytest.mark.parametrize("table,key,value", [
    ("fetch", "backoff_max", '"99999999d"'),
    ("schedule", "max_backoff", "1e18"),
    ("fetch", "max_bytes", "100_000_000_000_000"),
    ("fetch", "max_redirects", "1_000_000"),
])
def test_every_bound_is_checked_when_the_config_is_read(tmp_path, cw, table, key, value):
    cfg = write_config(tmp_path)
    text = cfg.read_text()
    if f"[{table}]" in text:
        text = text.replace(f"[{table}]\n", f"[{table}]\n{key} = {value}\n")
    else:
        text += f"[{table}]\n{key} = {value}\n"
    cfg.write_text(text)
    r = cw("--config", cfg, "run", "--once")
    assert r.code == 2 and f"{table}.{key}" in r.err and "at most" in r.err


def test_daemon_option_durations_are_bounded_too(tmp_path, cw):
    cfg = write_config(tmp_path)
    r = cw("--config", cfg, "run", "--watchdog", "99999999d")
    assert r.code == 2 and "--watchdog" in r.err and "too long" in r.err
