"""Distributed mode for real: a scheduler and two `chipwatch worker` processes against a
real PostgreSQL server and loopback sites. The guarantees are read from what the sites
saw (each request's arrival) and from the database, not from logs."""

from __future__ import annotations

import json
import signal
import threading
import time
from pathlib import Path

import pytest

from chipwatch.db.store import Store
from localserver import local_server
from workerprocs import rows, start_procs, wait_for

pytest.importorskip("procrastinate", reason="distributed mode needs the postgres extra")

PAGE = ("<!doctype html><html><head><title>{t}</title></head><body><article><h1>{t}</h1>"
        "<p>{b}</p><p>Export officers in Washington said each licence review takes several "
        "weeks, and traders in Shenzhen said buyers wait for the paperwork.</p>"
        "</article></body></html>")
HOST_DELAY = 0.4  # per_host_delay
ANSWER = 0.15  # each page takes this long to answer
INTERVAL = 2.0
procs = pytest.fixture(start_procs)


def page(title: str, body: str) -> bytes:
    return PAGE.format(t=title, b=body).encode()


def write_config(folder: Path, sources: list[dict], hook: str, timeout: float = 5) -> None:
    (folder / "chipwatch.toml").write_text("\n".join([
        'sources = "sources.toml"', 'baseline = ""', "[fetch]", "allow_private_addresses = true",
        f"per_host_delay = {HOST_DELAY}", "respect_robots = false", "retries = 0", f"timeout = {timeout}",
        "[schedule]", "jitter = 0", "[alerts]", 'jsonl = ""', f"webhooks = [{json.dumps(hook)}]"]) + "\n")
    (folder / "sources.toml").write_text("\n".join(
        "[[source]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in s.items()) for s in sources))


def gaps(times: list[float]) -> list[float]:
    times = sorted(times)
    return [b - a for a, b in zip(times, times[1:])]


def test_two_workers_share_politeness_poll_each_source_alone_and_deliver_once(tmp_path, pg_url, procs):
    from localserver import Route

    # The first answers are held back until both workers hold a poll job at once. Each
    # worker runs at most 4 jobs and the first round is 8 jobs, so the first worker up
    # cannot take them all: the others wait in the queue until the second one takes them.
    released = threading.Event()

    def held(route: Route):  # noqa: ANN202
        def answer(_request) -> Route:  # noqa: ANN001
            released.wait(120)
            return route
        return answer

    with local_server() as site_a, local_server() as site_b, local_server() as hooks:
        hooks.route("/hook", status=204)
        sources = []
        for site, tag in ((site_a, "a"), (site_b, "b")):
            for i in range(4):
                path = f"/{tag}{i}"
                real = Route(body=page(f"Story {tag}{i}", f"Licences for batch {tag}{i} were granted."),
                             delay=ANSWER, etag=f'"{tag}{i}-1"')
                site.route(path, handler=held(real))
                sources.append({"name": f"{tag}{i}", "url": site.url(path), "interval": f"{INTERVAL}s"})
        # a held request must not time out while the second worker starts on a loaded machine
        write_config(tmp_path, sources, hooks.url("/hook"), timeout=150)
        Store.open(pg_url).close()  # the schema, so the test can read before the first poll
        w1 = procs(tmp_path, pg_url, "worker", "--concurrency", "4", "--name", "w1", tag="w1")
        w2 = procs(tmp_path, pg_url, "worker", "--concurrency", "4", "--name", "w2", tag="w2")
        for w in (w1, w2):  # each has created or found the queue's tables by then
            assert wait_for(lambda w=w: "taking jobs" in w.log(), 60), w.log()
        sched = procs(tmp_path, pg_url, "run", "--scheduler-only", tag="scheduler")

        def both_hold() -> bool:
            for w in (w1, w2):  # a worker that died starting up fails here, with its log
                assert w.proc.poll() is None, w.log()
            return rows(pg_url, """SELECT count(DISTINCT worker_id) FROM procrastinate_jobs
                                   WHERE task_name = 'chipwatch:poll' AND status = 'doing'""")[0][0] == 2

        try:
            holders = wait_for(both_hold, 120)
        finally:
            released.set()
        # Both workers took poll jobs: they held one each at the same moment.
        assert holders, (w1.log()[-2000:], w2.log()[-2000:], sched.log()[-2000:])
        assert wait_for(lambda: len(rows(pg_url, "SELECT 1 FROM snapshots")) == 8, 60), sched.log()
        # A revision: every worker may see it, it is stored once and alerted once.
        site_a.route("/a0", body=page("Story a0", "Licences for batch a0 were granted; a second batch followed."),
                     delay=ANSWER, etag='"a0-2"')
        assert wait_for(lambda: rows(pg_url, "SELECT count(*) FROM snapshots WHERE url = %s",
                                     (site_a.url("/a0"),))[0][0] == 2, 30)
        assert wait_for(lambda: rows(pg_url, "SELECT count(*) FROM deliveries WHERE status = 'pending'")[0][0] == 0
                        and rows(pg_url, "SELECT count(*) FROM deliveries")[0][0] >= 9, 30)
        time.sleep(2 * INTERVAL)
    for site in (site_a, site_b):
        arrivals = [r.at for r in site.requests() if r.method == "GET"]
        assert len(arrivals) >= 8
        # One request at a time per host, and the delay between them, across both workers.
        assert min(gaps(arrivals)) >= ANSWER + HOST_DELAY - 0.05, sorted(gaps(arrivals))[:5]
    # A source is never polled by two jobs at once: per source, each poll job starts after
    # the one before it ended. The queue's events say so in the order they were written:
    # their ids come from a sequence at the moment of writing, while their times are the
    # start of the writing transaction (PostgreSQL's now()), which can precede the end it
    # waited for by a few milliseconds.
    spans: dict[str, list[tuple]] = {}
    for source, started, ended in rows(pg_url, """
            SELECT j.args->>'source', min(e.id) FILTER (WHERE e.type = 'started'),
                   max(e.id) FILTER (WHERE e.type IN ('succeeded', 'failed'))
            FROM procrastinate_jobs j JOIN procrastinate_events e ON e.job_id = j.id
            WHERE j.task_name = 'chipwatch:poll' GROUP BY j.id, j.args"""):
        if started is not None:
            spans.setdefault(source, []).append((started, ended))
    assert len(spans) == 8 and sum(len(v) for v in spans.values()) >= 16
    for source, jobs in spans.items():
        jobs.sort()
        for (_, end), (start, _) in zip(jobs, jobs[1:]):
            assert end is not None and start > end, (source, jobs)
    # The outbox: every alert once per channel, whichever worker delivered it.
    posted = [json.loads(r.body) for r in hooks.requests("/hook") if r.method == "POST"]
    ids = [p.get("id") for p in posted]
    delivered = rows(pg_url, "SELECT alert_id FROM deliveries WHERE status = 'delivered'")
    assert len(ids) == len(set(ids)) == len(delivered) >= 9
    assert rows(pg_url, "SELECT count(*) FROM alerts WHERE type = 'document_revised'")[0][0] == 1


@pytest.mark.slow
def test_a_killed_workers_job_is_taken_by_another(tmp_path, pg_url, procs):
    with local_server() as site, local_server() as hooks:
        hooks.route("/hook", status=204)
        site.route("/slow", body=page("Slow story", "Licences for the slow batch were granted."), delay=3.0)
        write_config(tmp_path, [{"name": "slow", "url": site.url("/slow"), "interval": "1h"}],
                     hooks.url("/hook"))
        Store.open(pg_url).close()
        first = procs(tmp_path, pg_url, "worker", "--name", "first", tag="first")
        procs(tmp_path, pg_url, "run", "--scheduler-only", tag="scheduler")
        assert wait_for(lambda: site.requests("/slow"), 60), first.log()
        first.stop(signal.SIGKILL)  # mid-request: its job stays 'doing' with no heartbeat
        assert rows(pg_url, "SELECT count(*) FROM snapshots")[0][0] == 0
        procs(tmp_path, pg_url, "worker", "--name", "second", tag="second")
        assert wait_for(lambda: rows(pg_url, "SELECT count(*) FROM snapshots")[0][0] == 1, 60)
        assert len(site.requests("/slow")) == 2  # asked again once, by the second worker
    # The killed job is not left 'doing' (its lock would block the source for good).
    assert rows(pg_url, """SELECT count(*) FROM procrastinate_jobs
                           WHERE task_name = 'chipwatch:poll' AND status = 'doing'""")[0][0] == 0


@pytest.mark.slow
def test_retry_after_holds_for_every_worker(tmp_path, pg_url, procs):
    from localserver import Route

    with local_server() as site, local_server() as hooks:
        hooks.route("/hook", status=204)
        ok = Route(body=page("Busy story", "Licences for the busy batch were granted."))
        site.route("/busy", sequence=[Route(status=429, headers={"Retry-After": "4"}), ok])
        write_config(tmp_path, [{"name": "busy", "url": site.url("/busy"), "interval": "1s"}],
                     hooks.url("/hook"))
        Store.open(pg_url).close()
        procs(tmp_path, pg_url, "worker", "--name", "w1", tag="w1")
        procs(tmp_path, pg_url, "worker", "--name", "w2", tag="w2")
        procs(tmp_path, pg_url, "run", "--scheduler-only", tag="scheduler")
        assert wait_for(lambda: rows(pg_url, "SELECT count(*) FROM snapshots")[0][0] == 1, 60)
        first, second = site.requests("/busy")[:2]
        assert first.status == 429
        # Polled every second otherwise: the server's 4 s were kept, whichever worker came
        # next (to the second: stored times have whole seconds).
        assert second.at - first.at >= 4 - 1.0
        assert len(site.requests("/busy")) >= 2
