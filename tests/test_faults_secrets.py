"""Fault suite, secrets: URL credentials and tokens never appear in what chipwatch prints,
at any log level, in either log format, nor in the errors it stores and lists."""
from __future__ import annotations

import pytest

from chipwatch.monitor.redact import redact
from faults import chipwatch, rows, source, write_config

PASSWORD = "hunter2-very-secret"
TOKEN = "tok-0123456789abcdef"


@pytest.mark.slow
@pytest.mark.parametrize("log_format", ["text", "json"])
def test_webhook_credentials_never_reach_the_debug_log(tmp_path, hook, log_format):
    url = hook.url("/hook").replace("http://", f"http://alice:{PASSWORD}@") + f"?token={TOKEN}&x=1"
    cfg = write_config(tmp_path, extra=f'webhooks = ["{url}"]\n')
    r = chipwatch("--log-level", "debug", "--log-format", log_format, "--config", cfg, "alerts", "--test",
                  cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert len(hook.posts) == 1  # the real receiver got it: the credentials were used, not lost
    everything = r.stdout + r.stderr
    assert "HTTP Request" in r.stderr or "POST" in r.stderr  # the client's own debug line is there
    assert PASSWORD not in everything and TOKEN not in everything
    assert "***" in r.stderr


def test_fetch_errors_and_source_listing_mask_tokens(tmp_path, cw):
    import socket
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    url = f"http://bob:{PASSWORD}@127.0.0.1:{port}/feed?api_key={TOKEN}"
    cfg = write_config(tmp_path, source("secret", url))
    r = cw("--log-level", "debug", "--config", cfg, "run", "--once")
    assert r.code == 1
    listing = cw("--config", cfg, "sources", "--format", "json")
    for text in (r.out, r.err, listing.out, listing.err):
        assert PASSWORD not in text and TOKEN not in text
    assert "api_key=***" in listing.out
    stored = " ".join(str(v) for row in rows(cw.db, "SELECT error FROM fetches") for v in row)
    assert PASSWORD not in stored and TOKEN not in stored


@pytest.mark.parametrize("text,expected", [
    ("POST http://u:p@h.test/x?token=abc&y=2", "POST http://***@h.test/x?token=***&y=2"),
    ("https://h.test/a?page=2&API_KEY=zz#sig=q", "https://h.test/a?page=2&API_KEY=***#sig=***"),
    ("Authorization: Bearer abc.def", "Authorization: Bearer ***"),
    ("no secrets at http://h.test/a?id=7", "no secrets at http://h.test/a?id=7"),
])
def test_redact(text, expected):
    assert redact(text) == expected


def test_source_failing_alerts_carry_the_url_masked(tmp_path, cw, server):
    server.route("/down", status=500, body=b"broken")
    url = server.url("/down").replace("http://", f"http://carol:{PASSWORD}@") + f"?token={TOKEN}"
    cfg = write_config(tmp_path, source("down", url), extra="failing_after = 1\n")
    assert cw("--config", cfg, "run", "--once").code == 0
    alerts = rows(cw.db, "SELECT title, body, payload FROM alerts WHERE type = 'source_failing'")
    assert len(alerts) == 1
    text = " ".join(alerts[0])
    assert PASSWORD not in text and TOKEN not in text and "token=***" in text
