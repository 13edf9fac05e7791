"""Soak run of the daemon: many sources on loopback at short intervals for minutes.

Starts loopback servers (several "hosts": one port each), writes a config with
`--sources` pages at `--interval` seconds, runs the real `chipwatch run` as a subprocess
with JSON logs, and reports:

* resident memory (VmRSS) of the daemon after warm-up and at the end, and the growth;
* polls done (from the daemon's per-poll log lines) against polls expected;
* scheduling delay, actual start minus planned time, p50 / p99 / max;
* how long SIGTERM took to stop it, and its exit code.

Some pages change every `--change-every` seconds, so the extraction and alert paths run
too. Not a test: run it by hand, e.g.

    python bench/soak.py --minutes 2
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from localserver import LocalServer, RecordedRequest, Route  # noqa: E402

LAUNCH = "from chipwatch.monitor.cli import main; main()"


def changing_page(index: int, every: float):  # noqa: ANN201
    """A page whose text (and ETag) changes every `every` seconds; 304 in between."""
    def handler(_request: RecordedRequest) -> Route:
        version = int(time.time() // every)
        body = (f"<html><head><title>Soak page {index}</title></head><body><article><h1>Soak page {index}</h1>"
                f"<p>Version {version} of this page says that shipments of accelerators resumed after the "
                f"review, with {version % 97} licences granted so far.</p>"
                "<p>Buyers said they expected the next batch within weeks.</p></article></body></html>")
        return Route(body=body.encode(), etag=f'"{index}-{version}"')
    return handler


def static_page(index: int) -> bytes:
    return (f"<html><head><title>Quiet page {index}</title></head><body><article><h1>Quiet page {index}</h1>"
            "<p>This page stays the same for the whole run, so every poll after the first gets a 304.</p>"
            "</article></body></html>").encode()


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=10.0, help="how long to run (default 10)")
    ap.add_argument("--sources", type=int, default=100, help="number of sources (default 100)")
    ap.add_argument("--hosts", type=int, default=20, help="loopback servers the sources are spread over")
    ap.add_argument("--interval", type=float, default=1.0, help="seconds between polls of a source")
    ap.add_argument("--changing", type=int, default=10, help="how many pages change during the run")
    ap.add_argument("--change-every", type=float, default=30.0, help="seconds between changes of those pages")
    ap.add_argument("--warmup", type=float, default=20.0, help="seconds before the first memory reading")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (database and log)")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="chipwatch-soak-"))
    servers = [LocalServer().start() for _ in range(args.hosts)]
    sources = []
    for i in range(args.sources):
        srv = servers[i % len(servers)]
        path = f"/page/{i}"
        if i < args.changing:
            srv.route(path, handler=changing_page(i, args.change_every))
        else:
            srv.route(path, body=static_page(i), etag=f'"q{i}"')
        sources.append((f"soak-{i:03d}", srv.url(path)))
    for srv in servers:
        srv.route("/robots.txt", body=b"User-agent: *\nAllow: /\n")

    (work / "chipwatch.toml").write_text(
        'sources = "sources.toml"\nbaseline = ""\n'
        "[fetch]\nallow_private_addresses = true\nper_host_delay = 0.02\nrespect_robots = true\n"
        "retries = 0\ntimeout = 5\n[schedule]\njitter = 0.1\n"
        '[alerts]\njsonl = "alerts.jsonl"\n')
    (work / "sources.toml").write_text("".join(
        f'[[source]]\nname = "{name}"\nurl = "{url}"\ninterval = {args.interval}\n\n' for name, url in sources))

    log_path = work / "daemon.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIPWATCH_")}
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, "--db", str(work / "cw.db"), "--config", str(work / "chipwatch.toml"),
             "--log-format", "json", "--log-level", "info", "run", "--watchdog", "30s",
             "--startup-spread", f"{args.interval}s"],
            stdout=log_file, stderr=subprocess.STDOUT, cwd=work, env=env)
        t0 = time.monotonic()
        duration = args.minutes * 60
        samples: list[tuple[float, int]] = []
        stop_sampling = threading.Event()

        def sample() -> None:
            while not stop_sampling.wait(5.0):
                value = rss_kib(proc.pid)
                if value:
                    samples.append((time.monotonic() - t0, value))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            while time.monotonic() - t0 < duration and proc.poll() is None:
                time.sleep(1.0)
        finally:
            stop_sampling.set()
            end_rss = rss_kib(proc.pid)
            s0 = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            try:
                code = proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                code = proc.wait()
            stop_s = time.monotonic() - s0
    for srv in servers:
        srv.stop()

    polls, late, errors, watchdogs = 0, [], 0, []
    per_source: dict[str, int] = {}
    for line in log_path.read_text(errors="replace").splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if rec.get("event") == "poll":
            polls += 1
            per_source[rec["source"]] = per_source.get(rec["source"], 0) + 1
            if rec.get("late_ms") is not None:
                late.append(rec["late_ms"])
        elif rec.get("event") == "poll_error":
            errors += 1
        elif rec.get("event") == "watchdog":
            watchdogs.append(rec["message"])
        elif rec.get("level") in ("error", "critical"):
            errors += 1

    start = next((v for t, v in samples if t >= args.warmup), samples[0][1] if samples else None)
    ran = min(duration, time.monotonic() - t0)
    expected = args.sources * ran / args.interval
    print(f"soak: {args.sources} sources on {args.hosts} loopback hosts, interval {args.interval:g} s "
          f"(jitter 10 %), {ran / 60:.1f} min")
    if start and end_rss:
        print(f"resident memory: {start} KiB after {args.warmup:g} s warm-up, "
              f"{end_rss} KiB at the end ({(end_rss - start) / start * 100:+.1f} %)")
        if samples:
            peak = max(v for _, v in samples)
            print(f"                 peak {peak} KiB over {len(samples)} samples")
    print(f"polls: {polls} (about {expected:.0f} expected at the nominal interval; "
          f"per source min {min(per_source.values(), default=0)}, max {max(per_source.values(), default=0)}); "
          f"errors logged: {errors}")
    if late:
        print(f"scheduling delay (start - planned): p50 {statistics.median(late):.0f} ms, "
              f"p99 {percentile(late, 0.99):.0f} ms, max {max(late):.0f} ms over {len(late)} polls")
    print(f"SIGTERM: exit code {code} after {stop_s:.2f} s")
    if watchdogs:
        print(f"last watchdog line: {watchdogs[-1]}")
    if args.keep:
        print(f"work folder kept: {work}")
    else:
        for p in sorted(work.iterdir()):
            p.unlink()
        work.rmdir()
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
