"""What conditional GET saves: one `run --once` cycle over N unchanged pages on H loopback hosts.

The pages are served from a separate process (50 servers on 127.0.1.1 ... 127.0.1.50), so
the CPU seconds measured here are the poller's alone. Cycles measured after a first cycle
that stores every page:

  304          the servers honour If-None-Match / If-Modified-Since (the normal case)
  200 same     the servers ignore validators and send every page in full; the poller
               recognises the stored bytes by hash and parses nothing
  200 parsed   as "200 same", with the hash shortcut off: every page goes through the
               pipeline (decode, parse, extract, deduplicate) as a poller without
               conditional requests and without the shortcut would do

With --changing, every answer is a new version of its page (a 200 with new text, so
every fetch goes through the whole pipeline), and the bench reports what a blocked event
loop used to cost: fetches lost ("Server disconnected" and other transport errors on
pooled connections that went stale while the loop parsed), first over `run --once`
cycles, then for the real daemon (`chipwatch run` in a subprocess, JSON logs) over
--daemon-seconds, with its scheduling delay (start minus planned time) p50 / p99 / max.

Run: /work/venv/bin/python bench/poll.py [--pages 1000] [--hosts 50] [--page-kb 15]
     /work/venv/bin/python bench/poll.py --changing [--daemon-seconds 90]
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

SENTENCES = [
    "Officials in Washington described the decision on {chip} shipments as a carefully bounded step.",
    "Analysts at several research firms estimated that demand in the region could reach {n} units a quarter.",
    "The company said its accelerators would be delivered after each buyer passed a review.",
    "Rival designs from domestic suppliers were said to trail by roughly {m} months in raw throughput.",
    "Lawmakers asked for a briefing on how the fee of {p} percent would be collected and audited.",
    "Cloud providers said they would wait for written guidance before placing large orders.",
]


def make_page(host: int, index: int, kb: int) -> bytes:
    """An article-like page of about `kb` kilobytes, different for every URL."""
    paras, size, k = [], 0, 0
    while size < kb * 1024:
        s = SENTENCES[(host + index + k) % len(SENTENCES)].format(
            chip="H200", n=1000 + 37 * k + index, m=12 + (k % 24), p=15 + (k % 20))
        para = f"<p>{s} {SENTENCES[k % len(SENTENCES)].format(chip='H20', n=k, m=k, p=k)}</p>\n"
        paras.append(para)
        size += len(para)
        k += 1
    title = f"Chip export story {host}-{index}"
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<nav>Home | World | Technology</nav><article><h1>{title}</h1>{''.join(paras)}</article>"
            f"<footer>Example Wire</footer></body></html>").encode()


def serve(hosts: int, pages: int, kb: int, conditional, ready, stop, changing: bool = False) -> None:  # noqa: ANN001
    """Child process: the servers. `conditional` (shared int) switches validator support;
    with `changing` every request gets a new version of the page."""
    import itertools

    from localserver import LocalServer, Route

    servers = []
    counter = itertools.count()
    for h in range(hosts):
        srv = LocalServer(host=f"127.0.1.{h + 1}").start()
        for i in range(h, pages, hosts):
            body = make_page(h, i, kb)

            def handler(_req, body=body, i=i):  # noqa: ANN001, ANN202
                if changing:
                    n = next(counter)
                    new = body.replace(b"</article>", f"<p>Update {n}: {n % 89} more licences were "
                                                       f"granted.</p></article>".encode())
                    return Route(body=new, headers={"Content-Type": "text/html; charset=utf-8"},
                                 etag=f'"p{i}-{n}"', conditional=False)
                return Route(body=body, headers={"Content-Type": "text/html; charset=utf-8"},
                             etag=f'"p{i}"', last_modified="Mon, 01 Dec 2025 08:00:00 GMT",
                             conditional=bool(conditional.value))
            srv.route(f"/story/{i}.html", handler=handler)
        servers.append(srv)
    ready.put([s.base_url for s in servers])
    stop.wait()
    for srv in servers:
        srv.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--page-kb", type=int, default=15)
    ap.add_argument("--changing", action="store_true", help="every answer is a new version (see above)")
    ap.add_argument("--daemon-seconds", type=float, default=90.0, help="with --changing: daemon phase length")
    ap.add_argument("--interval", type=float, default=30.0, help="with --changing: each source's interval")
    ap.add_argument("--once-cycles", type=int, default=2, help="with --changing: run --once cycles first")
    ap.add_argument("--keep", metavar="DIR", help="with --changing: copy the databases and the daemon log here")
    args = ap.parse_args()
    if args.changing:
        changing_bench(args)
        return

    from chipwatch.db.store import Store
    from chipwatch.monitor.config import Config, FetchConfig, ScheduleConfig, SourceConfig
    from chipwatch.monitor.poll import run_once

    ctx = mp.get_context("fork")
    conditional, ready, stop = ctx.Value("i", 1), ctx.Queue(), ctx.Event()
    child = ctx.Process(target=serve, args=(args.hosts, args.pages, args.page_kb, conditional, ready, stop),
                        daemon=True)
    child.start()
    try:
        bases = ready.get(timeout=60)
        sources = [SourceConfig(name=f"p{i}", outlet="Example Wire", url=f"{bases[i % args.hosts]}/story/{i}.html")
                   for i in range(args.pages)]
        config = Config(fetch=FetchConfig(per_host_delay=0.0, allow_private_addresses=True, timeout=30, retries=1),
                        schedule=ScheduleConfig(jitter=0.0), sources=sources)
        with tempfile.TemporaryDirectory() as tmp:
            store = Store.open(Path(tmp) / "bench.db")

            def cycle(label: str, conditional_on: bool, **options: object) -> tuple[float, float]:
                conditional.value = int(conditional_on)
                w0, c0 = time.perf_counter(), time.process_time()
                summary = run_once(config, store, **options)  # type: ignore[arg-type]
                wall, cpu = time.perf_counter() - w0, time.process_time() - c0
                t = summary.totals
                print(f"{label:<12} wall {wall:6.2f} s  cpu {cpu:6.2f} s  fetched {t['fetched']}  "
                      f"not modified {t['not_modified']}  unchanged {t['unchanged']}  parsed {t['parsed']}  "
                      f"new versions {t['new_versions']}  failures {t['failures']}")
                return wall, cpu

            print(f"{args.pages} pages of ~{args.page_kb} kB on {args.hosts} loopback hosts, per_host_delay 0")
            cycle("first (store)", True)
            _, cpu_304 = cycle("304", True)
            _, cpu_200 = cycle("200 same", False)
            _, cpu_parsed = cycle("200 parsed", False, skip_identical=False)
            _, cpu_304b = cycle("304 again", True)
            problems = store.query("SELECT outcome, error_class, count(*) AS n FROM fetches WHERE outcome NOT IN "
                                   "('ok', 'not_modified', 'unchanged') GROUP BY 1, 2")
            if problems:
                print("fetches that went wrong:", problems)
            store.close()
        best_304 = min(cpu_304, cpu_304b)
        print(f"cpu ratio 304 / 200 parsed = {best_304 / cpu_parsed:.3f}  (must be < 0.2)")
        print(f"cpu ratio 304 / 200 same   = {best_304 / cpu_200:.3f}  (hash shortcut; body transfer and hashing only)")
    finally:
        stop.set()
        child.join(timeout=10)


LOST = ("protocol_error", "transport_error", "timeout", "connect_error")


def lost_fetches(db: Path) -> list[tuple]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT error_class, substr(error, 1, 60), count(*), min(started_at), max(started_at), "
                            f"count(DISTINCT substr(url, 1, 20)) FROM fetches WHERE error_class IN "
                            f"({','.join('?' * len(LOST))}) GROUP BY 1, 2", LOST).fetchall()
    finally:
        conn.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


def changing_bench(args: argparse.Namespace) -> None:
    """Changing pages: fetches lost over run --once cycles, then the daemon's delay and losses."""
    import json
    import os
    import signal
    import sqlite3
    import subprocess

    from chipwatch.db.store import Store
    from chipwatch.monitor.config import Config, FetchConfig, ScheduleConfig, SourceConfig
    from chipwatch.monitor.poll import run_once
    from chipwatch.monitor.workers import machine_workers

    ctx = mp.get_context("fork")
    conditional, ready, stop = ctx.Value("i", 0), ctx.Queue(), ctx.Event()
    child = ctx.Process(target=serve, args=(args.hosts, args.pages, args.page_kb, conditional, ready, stop, True),
                        daemon=True)
    child.start()
    try:
        bases = ready.get(timeout=120)
        urls = [f"{bases[i % args.hosts]}/story/{i}.html" for i in range(args.pages)]
        print(f"{args.pages} changing pages of ~{args.page_kb} kB on {args.hosts} loopback hosts; "
              f"{machine_workers()} parse workers")
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "once.db"
            store = Store.open(db)
            config = Config(fetch=FetchConfig(per_host_delay=0.0, allow_private_addresses=True, timeout=30,
                                              retries=0, respect_robots=False),
                            schedule=ScheduleConfig(jitter=0.0),
                            sources=[SourceConfig(name=f"p{i}", outlet="Example Wire", url=u) for i, u in enumerate(urls)])
            for label in [f"run --once {n + 1}" for n in range(args.once_cycles)]:
                w0 = time.perf_counter()
                t = run_once(config, store).totals
                print(f"{label:<13} wall {time.perf_counter() - w0:6.2f} s  fetched {t['fetched']}  "
                      f"parsed {t['parsed']}  new versions {t['new_versions']}  failures {t['failures']}")
            store.close()
            lost = lost_fetches(db)
            print(f"run --once: fetches lost {sum(r[2] for r in lost)}", lost or "")

            work = Path(tmp)
            (work / "chipwatch.toml").write_text(
                'sources = "sources.toml"\n[fetch]\nallow_private_addresses = true\nper_host_delay = 0\n'
                'respect_robots = false\nretries = 0\ntimeout = 30\n[schedule]\njitter = 0.1\n'
                '[alerts]\njsonl = ""\n')
            (work / "sources.toml").write_text("".join(
                f'[[source]]\nname = "p{i}"\nurl = "{u}"\ninterval = {args.interval}\n\n' for i, u in enumerate(urls)))
            env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPWATCH_")}
            log_path = work / "daemon.log"
            with open(log_path, "wb") as log_file:
                proc = subprocess.Popen(
                    [sys.executable, "-c", "from chipwatch.monitor.cli import main; main()",
                     "--db", str(work / "daemon.db"), "--config", str(work / "chipwatch.toml"),
                     "--log-format", "json", "--log-level", "info", "run", "--startup-spread", "10s"],
                    stdout=log_file, stderr=subprocess.STDOUT, cwd=work, env=env)
                time.sleep(args.daemon_seconds)
                proc.send_signal(signal.SIGTERM)
                code = proc.wait(timeout=120)
            late, polls = [], 0
            for line in log_path.read_text(errors="replace").splitlines():
                try:
                    rec = json.loads(line)
                except ValueError:
                    continue
                if rec.get("event") == "poll":
                    polls += 1
                    if isinstance(rec.get("late_ms"), int):
                        late.append(rec["late_ms"] / 1000)
            lost = lost_fetches(work / "daemon.db")
            conn = sqlite3.connect(work / "daemon.db")
            versions = conn.execute("SELECT count(*) FROM snapshots").fetchone()[0]
            conn.close()
            print(f"daemon {args.daemon_seconds:g} s: {polls} polls, {versions} versions stored, exit {code}; "
                  f"fetches lost {sum(r[2] for r in lost)}", lost or "")
            if args.keep:
                import shutil
                shutil.copytree(work, args.keep, dirs_exist_ok=True)
            print(f"daemon scheduling delay: p50 {percentile(late, 0.5):.3f} s  p99 {percentile(late, 0.99):.3f} s  "
                  f"max {max(late) if late else float('nan'):.3f} s")
    finally:
        stop.set()
        child.join(timeout=10)


if __name__ == "__main__":
    main()
