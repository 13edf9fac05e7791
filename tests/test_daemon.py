"""The daemon as users run it: the real `chipwatch run` in a subprocess, polling a real
loopback server, with a real SQLite file. Timings are small (1-2 s intervals) so the file
stays well under a minute; the assertions are on what the server saw and what the
database holds, not on log wording alone."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from chipwatch.monitor.config import SourceConfig
from chipwatch.monitor.daemon import plan_start, resume_time, retry_after_of
from chipwatch.monitor.lock import AlreadyRunning, DaemonLock, lock_path_for
from localserver import Route
from workerprocs import wait_for

# Real subprocesses and servers: left out of the fast lane (-m "not slow").
pytestmark = pytest.mark.slow

# The real command line, in a process of its own.
LAUNCH = "from chipwatch.monitor.cli import main; main()"

PAGE = """<!doctype html><html><head><title>{title}</title></head><body><article>
<h1>{title}</h1>
<p>{body}</p>
<p>Export officers in Washington said the review of each licence takes several weeks, and
traders in Shenzhen said buyers were waiting for the paperwork before placing orders.</p>
</article></body></html>"""


def page(title: str, body: str) -> bytes:
    return PAGE.format(title=title, body=body).encode()


def write_config(folder: Path, sources: list[dict], *, webhooks: tuple[str, ...] = (),
                 failing_after: int = 3, per_host_delay: float = 0.05) -> Path:
    lines = ['sources = "sources.toml"', 'baseline = ""', "[fetch]", "allow_private_addresses = true",
             f"per_host_delay = {per_host_delay}", "respect_robots = false", "retries = 0", "timeout = 5",
             "[schedule]", "jitter = 0", "[alerts]", 'jsonl = ""',
             "webhooks = [" + ", ".join(json.dumps(w) for w in webhooks) + "]",
             f"failing_after = {failing_after}"]
    (folder / "chipwatch.toml").write_text("\n".join(lines) + "\n")
    write_sources(folder, sources)
    return folder / "chipwatch.toml"


def write_sources(folder: Path, sources: list[dict]) -> None:
    parts = []
    for s in sources:
        parts.append("[[source]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in s.items()))
    (folder / "sources.toml").write_text("\n".join(parts))


class Running:
    """One `chipwatch run` subprocess with its log in a file."""

    def __init__(self, folder: Path, *args: str, tag: str = "run") -> None:
        self.folder = folder
        self.log_path = folder / f"{tag}.log"
        self._log = open(self.log_path, "wb")
        env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPWATCH_")}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, "--db", str(folder / "cw.db"), "--config",
             str(folder / "chipwatch.toml"), "--log-level", "info", "run", "--startup-spread", "0.5s", *args],
            stdout=self._log, stderr=subprocess.STDOUT, cwd=folder, env=env)
        assert wait_for(lambda: "watching" in self.log() or self.proc.poll() is not None, 15), self.log()
        assert self.proc.poll() is None, self.log()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def stop(self, timeout: float = 15) -> tuple[int, float]:
        t0 = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=timeout)
        finally:
            self._log.close()
        return code, time.monotonic() - t0

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self._log.close()


@pytest.fixture
def daemons():
    started: list[Running] = []

    def start(*a: str, **kw: str) -> Running:
        d = Running(*a, **kw)
        started.append(d)
        return d

    yield start
    for d in started:
        d.kill()


def query(folder: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(folder / "cw.db", timeout=10)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def posts(srv, path: str = "/hook") -> list[dict]:  # noqa: ANN001
    return [json.loads(r.body) for r in srv.requests(path) if r.method == "POST"]


def alert_ids_in(payloads: list[dict]) -> set:
    """Alert ids in webhook bodies, whether a body is one alert or a digest of several."""
    ids = set()
    for p in payloads:
        for item in [p, *(p.get("alerts") or [])]:
            if isinstance(item, dict) and item.get("id") is not None:
                ids.add(item["id"])
    return ids


# -- the daemon end to end ---------------------------------------------------------------------

def test_revision_is_stored_and_alerted_within_two_intervals_and_sigterm_exits_0(tmp_path, server, daemons):
    server.route("/hook", status=204)
    server.route("/news", body=page("Licences for accelerators", "The first licences were granted on Monday."),
                 etag='"v1"')
    write_config(tmp_path, [{"name": "news", "url": server.url("/news"), "interval": "1s"}],
                 webhooks=(server.url("/hook"),))
    d = daemons(tmp_path)
    assert wait_for(lambda: query(tmp_path, "SELECT count(*) FROM snapshots")[0][0] == 1, 5)

    server.route("/news", body=page("Licences for accelerators",
                                    "The first licences were granted on Monday; a second batch followed on Friday."),
                 etag='"v2"')
    changed = time.monotonic()
    assert wait_for(lambda: query(tmp_path, "SELECT count(*) FROM snapshots")[0][0] == 2, 4)
    stored_after = time.monotonic() - changed
    assert stored_after <= 2 * 1.0 + 0.5, f"revision stored {stored_after:.1f} s after the change"

    revised = wait_for(lambda: query(
        tmp_path, "SELECT id, type FROM alerts WHERE type IN ('document_revised','fact_added','figure_changed')"), 3)
    assert revised, query(tmp_path, "SELECT type, title FROM alerts")
    revised_ids = {row[0] for row in revised}
    assert wait_for(lambda: revised_ids & alert_ids_in(posts(server)), 4), posts(server)

    code, took = d.stop()
    assert code == 0, d.log()
    assert took < 10
    assert "stopped after" in d.log()
    assert query(tmp_path, "SELECT count(*) FROM deliveries WHERE status = 'pending'")[0][0] == 0
    assert not lock_path_for(tmp_path / "cw.db").exists()


def test_retry_after_is_honoured_while_other_sources_keep_their_interval(tmp_path, server, daemons):
    server.route("/busy", sequence=[
        Route(status=429, headers={"Retry-After": "5"}, body=b"slow down"),
        Route(body=page("Back to normal", "The list of approved buyers was published today.")),
    ])
    server.route("/steady", body=page("Steady page", "Nothing changes on this page between polls."), etag='"s"')
    write_config(tmp_path, [{"name": "busy", "url": server.url("/busy"), "interval": "1s"},
                            {"name": "steady", "url": server.url("/steady"), "interval": "1s"}])
    d = daemons(tmp_path)
    assert wait_for(lambda: len(server.requests("/busy")) >= 2, 10), d.log()
    first, second = server.requests("/busy")[:2]
    assert first.status == 429 and second.status == 200
    gap = second.at - first.at
    assert gap >= 5.0, f"asked again after {gap:.2f} s despite Retry-After: 5"
    assert gap < 7.5, f"came back only after {gap:.2f} s"
    steady = [r for r in server.requests("/steady") if first.at < r.at < second.at]
    assert len(steady) >= 3, "the other source must keep its 1 s interval meanwhile"
    assert wait_for(lambda: query(tmp_path, "SELECT status, failures_in_row FROM sources WHERE name='busy'")
                    == [("ok", 0)], 3)
    assert d.stop()[0] == 0


def test_failing_source_backs_off_exponentially_up_to_the_cap_then_returns_to_its_interval(
        tmp_path, server, daemons):
    server.route("/flaky", sequence=[Route(status=500, body=b"down")] * 4 + [
        Route(body=page("Flaky page", "The page is back after a bad spell."), etag='"f"')])
    config = write_config(tmp_path, [{"name": "flaky", "url": server.url("/flaky"), "interval": "0.5s"}])
    config.write_text(config.read_text().replace("jitter = 0", "jitter = 0\nmax_backoff = 1.5"))
    d = daemons(tmp_path)
    assert wait_for(lambda: len(server.requests("/flaky")) >= 7, 14), d.log()
    at = [r.at for r in server.requests("/flaky")]
    gaps = [round(b - a, 2) for a, b in zip(at, at[1:])]
    # after failure 2: the interval doubled; 3 and 4: doubled again but capped at 1.5 s;
    # after the success: the interval again. The interval runs from the start of a poll, so
    # a gap at the server also moves with how long each request took to arrive: gaps[0]
    # holds the first connection and gaps[4] storing the new page, both slow on a busy
    # machine, so the cheap 304 poll after the success is the one measured.
    expected = {1: 1.0, 2: 1.5, 3: 1.5, 5: 0.5}
    for i, nominal in expected.items():
        assert nominal - 0.15 <= gaps[i] <= nominal + 0.5, (gaps, i)
    assert gaps[0] < 0.9
    assert d.stop()[0] == 0


def test_second_daemon_on_the_same_database_exits_2_naming_the_first(tmp_path, server, daemons):
    server.route("/p", body=page("One page", "A page for the lock test."))
    write_config(tmp_path, [{"name": "p", "url": server.url("/p"), "interval": "1s"}])
    first = daemons(tmp_path, tag="first")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPWATCH_")}
    second = subprocess.run(
        [sys.executable, "-c", LAUNCH, "--db", str(tmp_path / "cw.db"), "--config",
         str(tmp_path / "chipwatch.toml"), "run"], capture_output=True, text=True, timeout=20, env=env)
    assert second.returncode == 2
    assert f"pid {first.pid}" in second.stderr and "already polling" in second.stderr, second.stderr
    assert first.proc.poll() is None

    first.kill()  # SIGKILL: no clean-up, the lock file stays behind with the dead pid
    lock_file = lock_path_for(tmp_path / "cw.db")
    assert json.loads(lock_file.read_text())["pid"] == first.pid
    third = daemons(tmp_path, tag="third")  # the kernel dropped the dead process's lock
    assert third.proc.poll() is None
    assert json.loads(lock_file.read_text())["pid"] == third.pid
    third.signal(signal.SIGINT)  # Ctrl-C in a terminal: the same clean stop as SIGTERM
    assert third.proc.wait(timeout=10) == 0
    assert "SIGINT: stopping" in third.log()
    assert not lock_file.exists()


def test_restart_resumes_from_stored_times_without_a_burst(tmp_path, server, daemons):
    names = [f"s{i}" for i in range(4)]
    for n in names:
        server.route(f"/{n}", body=page(f"Page {n}", f"Text of page {n} about export licences."), etag=f'"{n}"')
    write_config(tmp_path, [{"name": n, "url": server.url(f"/{n}"), "interval": "20s"} for n in names],
                 per_host_delay=0)
    d = daemons(tmp_path, "--startup-spread", "2s")
    assert wait_for(lambda: all(server.requests(f"/{n}") for n in names), 5), d.log()
    firsts = sorted(server.requests(f"/{n}")[0].at for n in names)
    assert firsts[-1] - firsts[0] >= 1.2, "never-polled sources are spread over the start-up window"

    # `chipwatch sources` shows the daemon's plan: next run = last attempt + 20 s
    def sources() -> list[dict]:
        shown = subprocess.run([sys.executable, "-c", LAUNCH, "--db", str(tmp_path / "cw.db"), "--config",
                                str(tmp_path / "chipwatch.toml"), "sources", "--format", "json"],
                               capture_output=True, text=True, timeout=20)
        return [json.loads(line) for line in shown.stdout.splitlines()]

    # the server sees a request before the daemon has stored its outcome: wait for all four
    assert wait_for(lambda: all(r["last_attempt"] for r in sources()), 10), d.log()
    rows = sources()
    assert len(rows) == 4
    for row in rows:
        due = datetime.fromisoformat(row["next_due"]) - datetime.fromisoformat(row["last_attempt"])
        assert timedelta(seconds=18) <= due <= timedelta(seconds=22), row
    before = {r["name"]: r["next_due"] for r in rows}
    assert d.stop()[0] == 0

    server.clear_log()
    again = daemons(tmp_path, "--startup-spread", "2s", tag="again")
    time.sleep(3)
    assert server.requests() == [], "nothing was due: a restart must not fetch everything again"
    after = dict(query(tmp_path, "SELECT name, next_due FROM sources"))
    for n in names:
        shift = abs((datetime.fromisoformat(after[n]) - datetime.fromisoformat(before[n])).total_seconds())
        assert shift <= 1, (n, before[n], after[n])
    assert again.stop()[0] == 0


def test_reload_adds_and_removes_sources_and_a_bad_config_keeps_the_running_one(tmp_path, server, daemons):
    for n in ("a", "b"):
        server.route(f"/{n}", body=page(f"Page {n}", f"Words on page {n}."), etag=f'"{n}"')
    a = {"name": "a", "url": server.url("/a"), "interval": "1s"}
    b = {"name": "b", "url": server.url("/b"), "interval": "1s"}
    write_config(tmp_path, [a])
    d = daemons(tmp_path, "--config-check", "0.3s")
    assert wait_for(lambda: server.requests("/a"), 3)
    assert not server.requests("/b")

    write_sources(tmp_path, [a, b])
    d.signal(signal.SIGHUP)
    assert wait_for(lambda: server.requests("/b"), 4), d.log()
    assert "added b" in d.log()

    (tmp_path / "sources.toml").write_text('[[source]]\nname = "a"\nurl = "not a url"\n')
    assert wait_for(lambda: "not valid, keeping the running one" in d.log(), 4), d.log()
    mark = time.monotonic()
    assert wait_for(lambda: all(any(r.at > mark for r in server.requests(p)) for p in ("/a", "/b")), 4)
    assert d.proc.poll() is None

    write_sources(tmp_path, [b])  # a valid file again: a is removed
    assert wait_for(lambda: "removed a" in d.log(), 4), d.log()
    time.sleep(0.3)  # a poll of a already under way may finish
    mark = time.monotonic()
    time.sleep(2)
    assert not [r for r in server.requests("/a") if r.at > mark]
    assert [r for r in server.requests("/b") if r.at > mark]
    assert d.stop()[0] == 0


def test_a_locked_database_is_logged_and_survived(tmp_path, server, daemons):
    server.route("/p", body=page("Locked out", "A page fetched while the database is held by another writer."),
                 etag='"p"')
    write_config(tmp_path, [{"name": "p", "url": server.url("/p"), "interval": "1s"}])
    d = daemons(tmp_path)
    # after the first poll, each poll's first write is its fetch record: that is what will fail
    assert wait_for(lambda: query(tmp_path, "SELECT status FROM sources WHERE name = 'p' AND status IN "
                                  "('ok', 'not_modified')"), 8)

    holder = sqlite3.connect(tmp_path / "cw.db", timeout=10)
    holder.execute("BEGIN EXCLUSIVE")
    time.sleep(6.5)  # longer than the daemon's 5 s busy timeout
    holder.rollback()
    holder.close()

    assert d.proc.poll() is None, d.log()
    # the poll's write waited its bound, then that source's poll failed and was logged (and
    # written down once the lock was gone); the daemon carried on
    # (by the poll itself, or by the daemon's own bookkeeping after it, whichever wrote first)
    assert "database is locked" in d.log(), d.log()
    released = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    assert wait_for(lambda: query(tmp_path, "SELECT count(*) FROM fetches WHERE started_at >= ?",
                                  (released,))[0][0] >= 1, 6), d.log()
    assert d.stop()[0] == 0


def test_failing_source_is_alerted_and_pending_deliveries_are_sent_and_flushed(tmp_path, server, daemons):
    alerts = pytest.importorskip("chipwatch.monitor.alerts")
    pytest.importorskip("chipwatch.monitor.outbox")
    from chipwatch.db.store import Store
    from chipwatch.monitor.config import load_config

    server.route("/hook", status=204)
    server.route("/down", status=500, body=b"broken")
    config_path = write_config(tmp_path, [{"name": "down", "url": server.url("/down"), "interval": "1s"}],
                               webhooks=(server.url("/hook"),), failing_after=2)
    # an alert raised while no daemon ran: its delivery is pending when the daemon starts
    store = Store.open(tmp_path / "cw.db")
    early = alerts.record(store, alerts.Alert("document_revised", "test:early", "Raised before the start"),
                          load_config(config_path))
    store.close()
    assert query(tmp_path, "SELECT count(*) FROM deliveries WHERE status = 'pending'")[0][0] == 1

    d = daemons(tmp_path, "--watchdog", "1s")
    assert wait_for(lambda: early in alert_ids_in(posts(server)), 4), d.log()
    failing = wait_for(lambda: query(tmp_path, "SELECT id FROM alerts WHERE type = 'source_failing'"), 8)
    assert failing, d.log()
    assert wait_for(lambda: failing[0][0] in alert_ids_in(posts(server)), 4)
    state = query(tmp_path, "SELECT status, failures_in_row, last_error FROM sources WHERE name = 'down'")[0]
    assert state[0] == "failing" and state[1] >= 2 and "500" in state[2]
    assert d.proc.poll() is None
    assert wait_for(lambda: "watchdog: 1 sources: 0 ok, 1 failing (down)" in d.log(), 3), d.log()
    assert "alert deliveries pending" in d.log()

    # raised just before SIGTERM, delivered by a slow channel: the stop waits for it
    server.route("/hook", status=204, delay=1.0)
    store = Store.open(tmp_path / "cw.db")
    late = alerts.record(store, alerts.Alert("document_revised", "test:late", "Raised just before the stop"),
                         load_config(config_path))
    store.close()
    code, took = d.stop()
    assert code == 0 and took < 10, d.log()
    assert late in alert_ids_in(posts(server))
    assert query(tmp_path, "SELECT count(*) FROM deliveries WHERE status = 'pending'")[0][0] == 0


# -- the pieces, in-process --------------------------------------------------------------------

def test_lock_names_its_holder_and_a_killed_holder_does_not_block(tmp_path):
    db = tmp_path / "x.db"
    with DaemonLock.acquire(db) as held:
        with pytest.raises(AlreadyRunning) as info:
            DaemonLock.acquire(db)
        assert f"pid {os.getpid()}" in str(info.value) and str(db) in str(info.value)
        assert held.holder.pid == os.getpid()
    assert not lock_path_for(db).exists()

    child = subprocess.Popen([sys.executable, "-c",
                              "import sys, time; from chipwatch.monitor.lock import DaemonLock\n"
                              f"DaemonLock.acquire({str(db)!r}); print('held', flush=True); time.sleep(60)"],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "held"
    with pytest.raises(AlreadyRunning) as info:
        DaemonLock.acquire(db)
    assert info.value.holder.pid == child.pid
    child.kill()
    child.wait()
    DaemonLock.acquire(db).release()  # the stale file is no obstacle


def _src(name: str, interval: float) -> SourceConfig:
    return SourceConfig(name=name, outlet="x", url=f"http://127.0.0.1/{name}", interval=interval)


def test_start_plan_spreads_overdue_sources_and_keeps_stored_times():
    now = datetime(2030, 1, 1, 12, 0, tzinfo=timezone.utc)
    at = lambda s: (now + timedelta(seconds=s)).isoformat()  # noqa: E731
    items = [
        (_src("never", 600), None),
        (_src("late", 600), {"next_due": at(-3600), "last_attempt": at(-4200)}),
        (_src("later", 600), {"next_due": at(-60), "last_attempt": at(-660)}),
        (_src("soon", 600), {"next_due": at(300), "last_attempt": at(-300)}),
        (_src("parked", 600), {"next_due": at(5000), "last_attempt": at(-10), "retry_after_until": at(5000)}),
        (_src("shortened", 600), {"next_due": at(3000), "last_attempt": at(-100)}),  # interval was 1h
    ]
    plan = plan_start(items, now, spread=60, max_backoff=21600, jitter=0.1)
    assert plan["soon"] == now + timedelta(seconds=300)
    assert plan["parked"] == now + timedelta(seconds=5001)  # Retry-After holds (rounded up)
    assert plan["shortened"] == now + timedelta(seconds=-100 + 660)  # pulled in to the new interval
    overdue = sorted(plan[n] for n in ("never", "late", "later"))
    assert overdue[0] == now and overdue[-1] == now + timedelta(seconds=40)  # 0, 20, 40 s of 60
    assert plan["never"] < plan["late"] < plan["later"]  # most overdue first


def test_resume_time_never_comes_back_before_retry_after():
    now = datetime(2030, 1, 1, 12, 0, tzinfo=timezone.utc)
    state = {"next_due": (now + timedelta(seconds=2)).isoformat(),
             "retry_after_until": (now + timedelta(seconds=5)).isoformat(), "last_attempt": now.isoformat()}
    assert retry_after_of(state) == now + timedelta(seconds=6)
    assert resume_time(state, _src("a", 1), now, 60, 0) == now + timedelta(seconds=6)
    assert resume_time({"next_due": (now - timedelta(seconds=1)).isoformat()}, _src("a", 1), now, 60, 0) is None
