"""Pages per second: parse_article against trafilatura.extract, same pages, same run.

Usage: python bench/article_speed.py [HTML_DIR] [--rounds N]
Default pages: ../shared/corpus/html next to the repository. Each page is decoded once up
front (both sides get the same str); timings cover extraction only.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import trafilatura

from chipwatch.extractors.text.article import parse_article
from chipwatch.extractors.text.encoding import decode_body

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "html"


def pages_per_second(func, pages: list[str], rounds: int) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        for html in pages:
            func(html)
    return rounds * len(pages) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html_dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    files = sorted(args.html_dir.glob("*.html"))
    if not files:
        raise SystemExit(f"no .html files in {args.html_dir}")
    pages = [decode_body(f.read_bytes())[0] for f in files]
    size_mb = sum(len(p) for p in pages) / 1e6

    # warm-up: imports, regex compilation, trafilatura's first-call setup
    parse_article(pages[0])
    trafilatura.extract(pages[0])

    ours = pages_per_second(parse_article, pages, args.rounds)
    theirs = pages_per_second(lambda h: trafilatura.extract(h, favor_precision=True), pages, args.rounds)
    theirs_meta = pages_per_second(
        lambda h: (trafilatura.extract(h, favor_precision=True), trafilatura.extract_metadata(h)), pages, args.rounds
    )
    print(f"{len(pages)} pages, {size_mb:.1f} MB of HTML, {args.rounds} rounds")
    print(f"parse_article (text + metadata)        {ours:8.1f} pages/s")
    print(f"trafilatura.extract (text)             {theirs:8.1f} pages/s")
    print(f"trafilatura extract + extract_metadata {theirs_meta:8.1f} pages/s")
    print(f"ratio parse_article / trafilatura.extract: {ours / theirs:.2f}x")


if __name__ == "__main__":
    main()
