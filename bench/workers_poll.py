"""Poll throughput of distributed mode: N loopback sources, 1 and then 2 `chipwatch worker`
processes, one scheduler, on PostgreSQL.

Usage: python bench/workers_poll.py --pg URL [--sources 5000] [--hosts 50] [--workers 1 2]

The sources are small article pages spread over --hosts loopback servers (distinct ports
are distinct hosts, so per-host politeness does not serialise everything); per_host_delay
is 0 so the figure is the machinery's cost, not the delay's. Each run starts on an empty
schema in the given database (its tables are dropped first), starts the workers and the
scheduler, and times until every source has been polled once; it prints sources per
second, the CPU seconds of the workers (their parsing processes included) and the
scheduler (bench/proc_cpu.py; the PostgreSQL server's and the loopback sites' own are not
counted), and the speed-up of 2 workers over 1. Needs the postgres extra.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from proc_cpu import CpuMeter, stop  # noqa: E402 - bench/ holds scripts, not a package

PAGE = ("<!doctype html><html><head><title>Story {n}</title></head><body><article><h1>Story {n}"
        "</h1><p>Licences for batch {n} of accelerators were granted on Monday, officials said."
        "</p><p>Traders said buyers were waiting for the paperwork.</p></article></body></html>")


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        body = PAGE.format(n=self.path.strip("/")).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a) -> None:  # noqa: ANN002
        pass


def servers(n: int) -> list[ThreadingHTTPServer]:
    out = []
    for _ in range(n):
        s = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        s.daemon_threads = True
        threading.Thread(target=s.serve_forever, daemon=True).start()
        out.append(s)
    return out


def reset(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


def polled(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        try:
            return conn.execute("SELECT count(*) FROM sources WHERE last_success IS NOT NULL").fetchone()[0]
        except psycopg.Error:
            return 0


def one_run(url: str, folder: Path, workers: int, total: int) -> tuple[float, float]:
    """(seconds until every source was polled once, CPU seconds of the processes)."""
    launch = [sys.executable, "-c", "from chipwatch.monitor.cli import main; main()", "--db", url,
              "--config", str(folder / "chipwatch.toml")]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPWATCH_")}
    reset(url)
    subprocess.run(launch + ["sources", "--format", "json"], env=env, capture_output=True)  # schema
    with CpuMeter() as meter:
        procs = [subprocess.Popen(launch + ["worker", "--concurrency", "16"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for _ in range(workers)]
        t0 = time.perf_counter()
        procs.append(subprocess.Popen(launch + ["run", "--scheduler-only"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for p in procs:
            meter.watch(p.pid)
        try:
            while polled(url) < total:
                time.sleep(0.5)
                if time.perf_counter() - t0 > 3600:
                    raise SystemExit("workers_poll: not done within an hour")
            return time.perf_counter() - t0, meter.seconds
        finally:
            stop(procs, timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pg", required=True, metavar="URL")
    ap.add_argument("--sources", type=int, default=5000)
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    hosts = servers(args.hosts)
    with tempfile.TemporaryDirectory(prefix="cw-wpoll-") as tmp:
        folder = Path(tmp)
        (folder / "chipwatch.toml").write_text(
            'sources = "sources.toml"\nbaseline = ""\n[fetch]\nallow_private_addresses = true\n'
            "per_host_delay = 0\nrespect_robots = false\nretries = 0\n[schedule]\njitter = 0\n"
            '[alerts]\njsonl = ""\n')
        (folder / "sources.toml").write_text("".join(
            f'[[source]]\nname = "s{i}"\nurl = {json.dumps(f"http://127.0.0.1:{hosts[i % len(hosts)].server_address[1]}/{i}")}\n'
            'interval = "1h"\n' for i in range(args.sources)))
        rates = {}
        for n in args.workers:
            elapsed, cpu = one_run(args.pg, folder, n, args.sources)
            rates[n] = args.sources / elapsed
            print(f"{n} worker(s): {args.sources} sources in {elapsed:.1f} s, {rates[n]:.1f} sources/s, "
                  f"{cpu:.1f} CPU s ({args.sources / cpu:.1f} sources per CPU second)")
        if 1 in rates:
            for n, r in rates.items():
                print(f"speed-up {n} worker(s): {r / rates[1]:.2f}x")


if __name__ == "__main__":
    main()
