"""How fast fact extraction runs, next to trafilatura on the same real pages.

Usage:
    python bench/extract_speed.py [HTML_DIR] [--rounds N] [--json]

HTML_DIR defaults to ../shared/corpus/html next to the repository. Three throughputs are
measured in the same run, each as the median CPU time of N rounds (each round runs every
workload once, in turn) after one warm-up round:

- extraction alone: `extract_facts` on the article text of every page (text from
  `chipwatch.extractors.text.article.parse_article`, or trafilatura when that is missing),
- trafilatura: `trafilatura.extract` on the raw page,
- our pipeline: `parse_article` + `extract_facts` on the raw page,

and printed as articles per second with the ratios to trafilatura, so a slow rule shows up
against a fixed, well-known yardstick rather than as a machine-dependent absolute number.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

import trafilatura

from chipwatch.extractors import extract_facts

REPO_ROOT = Path(__file__).resolve().parents[1]
HTML_DIR = REPO_ROOT.parent / "shared" / "corpus" / "html"
# On-topic, fact-dense texts: the labeled sets (the corpus pages are mostly off-topic, and
# a rule set that bails out early on them could hide its cost on real chip news).
LABELED_DIRS = (REPO_ROOT / "tests" / "data" / "gold", REPO_ROOT.parent / "shared" / "corpus" / "dev")

try:
    from chipwatch.extractors.text.article import parse_article
except ImportError:  # the article module may not exist yet
    parse_article = None  # type: ignore[assignment]


def page_text(body: bytes) -> str:
    if parse_article is not None:
        return parse_article(body).text
    return trafilatura.extract(body) or ""


def time_rounds(fns: list[Callable[[], Any]], rounds: int) -> list[float]:
    """Median CPU seconds of each function over `rounds` rounds, after one untimed warm-up.

    CPU time of this process (`time.process_time`), and every round runs each function once
    in turn: on a machine shared with other work, wall time and a slow spell both land on
    whichever workload happens to run then, and the ratios would say more about the
    neighbours than about the code."""
    for fn in fns:
        fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for fn, spent in zip(fns, times):
            t0 = time.process_time()
            fn()
            spent.append(time.process_time() - t0)
    return [statistics.median(spent) for spent in times]


def labeled_texts() -> list[str]:
    out = []
    for d in LABELED_DIRS:
        for f in sorted(d.glob("*.txt")):
            raw = f.read_text(encoding="utf-8")
            out.append(raw.split("\n\n", 1)[1] if raw.startswith("URL:") else raw)
    return out


def measure(pages: list[bytes], rounds: int) -> dict[str, Any]:
    texts = [page_text(p) for p in pages]
    n = len(pages)
    facts = sum(len(extract_facts(t)) for t in texts)

    def facts_only() -> None:
        for t in texts:
            extract_facts(t)

    def traf() -> None:
        for p in pages:
            trafilatura.extract(p)

    def pipeline() -> None:
        for p in pages:
            extract_facts(page_text(p))

    news = labeled_texts()
    news_facts = sum(len(extract_facts(t)) for t in news)

    def facts_on_news() -> None:
        for t in news:
            extract_facts(t)

    t_facts, t_news, t_traf, t_pipe = time_rounds(
        [facts_only, facts_on_news if news else (lambda: None), traf, pipeline], rounds)
    rate = lambda t: n / t if t > 0 else float("inf")  # noqa: E731
    return {
        "pages": n,
        "html_bytes": sum(len(p) for p in pages),
        "text_chars": sum(len(t) for t in texts),
        "facts": facts,
        "text_source": "parse_article" if parse_article is not None else "trafilatura",
        "rounds": rounds,
        "extract_facts_per_s": rate(t_facts),
        "trafilatura_per_s": rate(t_traf),
        "pipeline_per_s": rate(t_pipe),
        "extract_facts_vs_trafilatura": rate(t_facts) / rate(t_traf),
        "pipeline_vs_trafilatura": rate(t_pipe) / rate(t_traf),
        "labeled_texts": len(news),
        "labeled_facts": news_facts,
        "extract_facts_labeled_per_s": len(news) / t_news if t_news > 0 else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Articles per second: extract_facts vs trafilatura.")
    parser.add_argument("html_dir", nargs="?", default=str(HTML_DIR))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    files = sorted(Path(args.html_dir).glob("*.htm*"))
    if not files:
        print(f"error: no .html files in {args.html_dir}", file=sys.stderr)
        return 2
    r = measure([f.read_bytes() for f in files], max(1, args.rounds))
    if args.json:
        print(json.dumps(r))
        return 0
    print(f"{r['pages']} pages, {r['html_bytes'] / 1e6:.1f} MB HTML, {r['text_chars']} chars of "
          f"text (via {r['text_source']}), {r['facts']} facts; median CPU time of {r['rounds']} rounds")
    print(f"extract_facts on article text   {r['extract_facts_per_s']:9.1f} articles/s  "
          f"({r['extract_facts_vs_trafilatura']:.1f}x trafilatura)")
    if r["labeled_texts"]:
        print(f"extract_facts on {r['labeled_texts']} labeled news texts "
              f"{r['extract_facts_labeled_per_s']:9.1f} articles/s  ({r['labeled_facts']} facts)")
    print(f"trafilatura.extract on HTML     {r['trafilatura_per_s']:9.1f} articles/s")
    print(f"parse_article + extract_facts   {r['pipeline_per_s']:9.1f} articles/s  "
          f"({r['pipeline_vs_trafilatura']:.2f}x trafilatura)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
