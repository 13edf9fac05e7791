"""How fast the command line starts, against `sqlite-utils --version` measured in the same run.

Each command runs as a real subprocess of the installed `chipwatch` script against a fresh
database; the median wall time of several runs is printed next to sqlite-utils' and the
ratio. The bar (issue 13): at most 1.5x for --help, --version, sources, facts and sql.

    .venv/bin/python bench/startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LIMIT = 1.5


def _script(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        sys.exit(f"{name} not found next to {sys.executable} or on PATH")
    return found


def median_seconds(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            sys.exit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()[:300]}")
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per command (median taken)")
    args = parser.parse_args()

    chipwatch, sqlite_utils = _script("chipwatch"), _script("sqlite-utils")
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "cw.db")
        subprocess.run([sys.executable, "-c", "import sys; from chipwatch.db.store import Store; "
                        "Store.open(sys.argv[1]).close()", db], check=True)
        commands = {
            "--help": ["--help"], "--version": ["--version"], "sources": ["--db", db, "sources"],
            "facts": ["--db", db, "facts"], "sql": ["--db", db, "sql", "SELECT count(*) FROM facts"],
        }
        # Interleave: the reference is measured between the commands, so load on the machine
        # affects both alike.
        base_times, results = [], {}
        for name, argv in commands.items():
            base_times.append(median_seconds([sqlite_utils, "--version"], args.runs))
            results[name] = median_seconds([chipwatch, *argv], args.runs)
    base = statistics.median(base_times)
    print(f"{'sqlite-utils --version':<24} {base:6.3f} s")
    worst = 0.0
    for name, seconds in results.items():
        ratio = seconds / base
        worst = max(worst, ratio)
        print(f"{'chipwatch ' + name:<24} {seconds:6.3f} s  {ratio:4.2f}x {'ok' if ratio <= LIMIT else 'SLOW'}")
    print(f"worst ratio {worst:.2f}x (limit {LIMIT}x)")
    return 0 if worst <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
