"""Backfill throughput: `chipwatch ingest --jobs N` over real-sized pages.

Usage: python bench/backfill.py [--pages 2000] [--jobs 1 2] [--pg URL] [--corpus DIR]

The pages are the shared corpus's real outlet pages (../shared/corpus/html), each copy
made a different article by a paragraph of its own, so every page is parsed, extracted and
stored as a new document. Each run ingests all of them into a fresh SQLite file (and, with
--pg, into a fresh PostgreSQL database with the largest --jobs) with the real command in a
subprocess, and prints pages per second and the speed-up over one process. The speed-up
is bounded by the CPUs the machine gives (`nproc`) and by the one writer. Exits 2 with
one line when the corpus is absent.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def run(db: str, folder: Path, jobs: int) -> float:
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", "from chipwatch.monitor.cli import main; main()",
                        "--db", db, "ingest", "--jobs", str(jobs), str(folder)],
                       capture_output=True, text=True, env={k: v for k, v in os.environ.items()
                                                           if not k.startswith("CHIPWATCH_")})
    elapsed = time.perf_counter() - t0
    if r.returncode not in (0, 2):
        raise SystemExit(f"backfill: ingest failed ({r.returncode}): {r.stderr[-500:]}")
    print(f"    {r.stdout.strip().splitlines()[-1]}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--pg", metavar="URL", help="also ingest into this (empty) PostgreSQL database")
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
        for jobs in args.jobs:
            elapsed = run(str(Path(tmp) / f"j{jobs}.db"), folder, jobs)
            rates[f"sqlite --jobs {jobs}"] = args.pages / elapsed
            print(f"sqlite --jobs {jobs}: {elapsed:.1f} s, {args.pages / elapsed:.1f} pages/s")
        if args.pg:
            jobs = max(args.jobs)
            elapsed = run(args.pg, folder, jobs)
            rates[f"postgresql --jobs {jobs}"] = args.pages / elapsed
            print(f"postgresql --jobs {jobs}: {elapsed:.1f} s, {args.pages / elapsed:.1f} pages/s")
        base = rates.get("sqlite --jobs 1")
        if base:
            for name, rate in rates.items():
                print(f"speed-up {name}: {rate / base:.2f}x")


if __name__ == "__main__":
    main()
