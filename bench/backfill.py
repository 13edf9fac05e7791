"""Backfill throughput: `chipwatch ingest --jobs N` over real-sized pages, and
`ingest --distributed` with N `chipwatch worker` processes on PostgreSQL.

Usage: python bench/backfill.py [--pages 2000] [--jobs 1 2] [--pg URL [--workers 2]] [--corpus DIR]

The pages are the shared corpus's real outlet pages (../shared/corpus/html), each copy
made a different article by a paragraph of its own, so every page is parsed, extracted and
stored as a new document. Each run ingests all of them into a fresh SQLite file (and, with
--pg, into the PostgreSQL database emptied first: with the largest --jobs, then spread over
--workers worker processes) with the real command in a subprocess, and prints pages per
second, the CPU seconds of the command and everything it started (workers included; the
PostgreSQL server's own are not counted), and the speed-up over one process. The speed-up
is bounded by the CPUs the machine gives (`nproc`, and what else runs on it) and by the
one writer. Exits 2 with one line when the corpus is absent.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from proc_cpu import CpuMeter, stop  # noqa: E402 - bench/ holds scripts, not a package

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "html"


def make_pages(corpus: Path, folder: Path, n: int) -> int:
    sources = sorted(corpus.glob("*.html"))
    if not sources:
        raise SystemExit(f"backfill: no .html pages in {corpus}")
    bodies = [p.read_bytes() for p in sources]
    size = 0
    for i in range(n):
        body = bodies[i % len(bodies)]
        extra = (f"<p>Backfill copy {i}: licences for batch {i} of accelerators were reviewed "
                 f"by {i % 17 + 2} officers.</p>").encode()
        # inside the article (before its first paragraph), and a canonical URL of its own,
        # so each copy is a new document with new text, not a version of the same page
        body = re.sub(rb"<p[ >]", lambda m, extra=extra: extra + m.group(0), body, count=1, flags=re.I)
        body = re.sub(rb'(rel=["\']canonical["\'][^>]*href=["\'][^"\']+)', rb"\1-copy-%d" % i, body,
                      count=1, flags=re.I)
        body = re.sub(rb'(href=["\'][^"\']+)(["\'][^>]*rel=["\']canonical)', rb"\1-copy-%d\2" % i, body,
                      count=1, flags=re.I)
        (folder / f"p{i:05}.html").write_bytes(body)
        size += len(body)
    return size


LAUNCH = [sys.executable, "-c", "from chipwatch.monitor.cli import main; main()"]
ENV = {k: v for k, v in os.environ.items() if not k.startswith("CHIPWATCH_")}


def run(db: str, folder: Path, *args: str, meter: CpuMeter | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its processes) of one ingest."""
    with CpuMeter() if meter is None else contextlib.nullcontext(meter) as m:
        t0 = time.perf_counter()
        p = subprocess.Popen([*LAUNCH, "--db", db, "ingest", *args, str(folder)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
        m.watch(p.pid)
        out, err = p.communicate()
        elapsed = time.perf_counter() - t0
    if p.returncode not in (0, 2):
        raise SystemExit(f"backfill: ingest failed ({p.returncode}): {err[-500:]}")
    print(f"    {out.strip().splitlines()[-1]}")
    return elapsed, m.seconds


def reset(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    subprocess.run([*LAUNCH, "--db", url, "sources", "--format", "json"], env=ENV,
                   capture_output=True, check=True)  # the schema, before the workers race for it


def run_workers(url: str, folder: Path, workers: int) -> tuple[float, float]:
    """`ingest --distributed` with `workers` worker processes, started first (the CPU of
    the workers, their parsing processes and the command)."""
    with CpuMeter() as meter:
        procs = [subprocess.Popen([*LAUNCH, "--db", url, "worker", "--concurrency", "2"], env=ENV,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for _ in range(workers)]
        for p in procs:
            meter.watch(p.pid)
        try:
            elapsed, _ = run(url, folder, "--distributed", meter=meter)
        finally:
            stop(procs, timeout=60)
    return elapsed, meter.seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--pg", metavar="URL", help="also ingest into this PostgreSQL database "
                    "(its public schema is dropped first)")
    ap.add_argument("--workers", type=int, default=2, help="worker processes for --distributed")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    if not args.corpus.exists():
        print(f"backfill: {args.corpus} not present", file=sys.stderr)
        sys.exit(2)
    with tempfile.TemporaryDirectory(prefix="cw-backfill-") as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        size = make_pages(args.corpus, folder, args.pages)
        print(f"{args.pages} pages, {size / args.pages / 1024:.0f} KiB on average, "
              f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))})")
        rates: dict[str, float] = {}

        def show(name: str, elapsed: float, cpu: float) -> None:
            rates[name] = args.pages / elapsed
            print(f"{name}: {elapsed:.1f} s, {rates[name]:.1f} pages/s, {cpu:.1f} CPU s "
                  f"({args.pages / cpu:.1f} pages per CPU second)")

        for jobs in args.jobs:
            show(f"sqlite --jobs {jobs}", *run(str(Path(tmp) / f"j{jobs}.db"), folder, "--jobs", str(jobs)))
        if args.pg:
            jobs = max(args.jobs)
            reset(args.pg)
            show(f"postgresql --jobs {jobs}", *run(args.pg, folder, "--jobs", str(jobs)))
            reset(args.pg)
            show(f"postgresql --distributed, {args.workers} workers",
                 *run_workers(args.pg, folder, args.workers))
        base = rates.get("sqlite --jobs 1")
        if base:
            for name, rate in rates.items():
                print(f"speed-up {name}: {rate / base:.2f}x")


if __name__ == "__main__":
    main()
