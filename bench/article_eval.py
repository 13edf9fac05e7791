"""Article-body accuracy: parse_article against trafilatura and readability on one benchmark.

Usage: python bench/article_eval.py [AEB_DIR] [--only NAME ...] [--worst N] [--markdown]

AEB_DIR (default ../shared/corpus/aeb next to the repository) holds html/<id>.html.gz and
ground-truth.json ({id: {"articleBody", "url"}}). The score is the benchmark's own: 4-token
shingles of the \\w+ tokens, per-page tp/fp/fn normalised so each page weighs the same,
precision and recall averaged over pages, F1 from those means, ± from a bootstrap over
pages. Every extractor gets the same decoded page; CPU time (process_time) covers the
extraction call only. Exits with status 2 and one line when the benchmark is absent.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from chipwatch.extractors.text.article import parse_article
from chipwatch.extractors.text.encoding import decode_body

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "aeb"
_TOKEN = re.compile(r"\w+", re.UNICODE)
BOOTSTRAP_ROUNDS = 1000


@dataclass
class PageScore:
    page_id: str
    url: str
    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fp == 0:
            return 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fn == 0:
            return 0.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class RunResult:
    name: str
    pages: list[PageScore]
    cpu_ms: float  # per page, mean


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    grams = (" ".join(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(g for g in grams if g)


def score_page(page_id: str, url: str, truth: str, predicted: str) -> PageScore:
    want, got = shingles(truth), shingles(predicted)
    tp = sum((want & got).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    if total:
        tp, fp, fn = tp / total, fp / total, fn / total
    return PageScore(page_id, url, tp, fp, fn)


def summarise(pages: list[PageScore]) -> tuple[float, float, float]:
    p = statistics.mean(s.precision for s in pages)
    r = statistics.mean(s.recall for s in pages)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bootstrap(pages: list[PageScore], rounds: int = BOOTSTRAP_ROUNDS) -> tuple[float, float, float]:
    """Standard deviation of P, R and F1 over page resamples (fixed seed: stable output)."""
    rng = random.Random(0)
    samples = [summarise(rng.choices(pages, k=len(pages))) for _ in range(rounds)]
    return tuple(statistics.pstdev(column) for column in zip(*samples))  # type: ignore[return-value]


# --------------------------------------------------------------------------- extractors

def _ours(html: str) -> str:
    return parse_article(html).text


def _trafilatura(**options) -> Callable[[str], str]:
    import trafilatura

    def run(html: str) -> str:
        return trafilatura.extract(html, **options) or ""
    return run


def _readability(html: str) -> str:
    import lxml.html
    from readability import Document

    summary = Document(html).summary(html_partial=True)
    if not summary.strip():
        return ""
    return " ".join(lxml.html.fromstring(summary).itertext())


def extractors() -> dict[str, Callable[[], Callable[[str], str]]]:
    """Name -> factory; a factory that cannot import its library is reported and skipped."""
    return {
        "parse_article": lambda: _ours,
        # comments are not article body in the ground truth, so they are left out here as
        # in trafilatura's own evaluation; everything else is the library default
        "trafilatura": lambda: _trafilatura(include_comments=False),
        "trafilatura favor_precision": lambda: _trafilatura(include_comments=False, favor_precision=True),
        "readability-lxml": lambda: _readability,
    }


def load(aeb_dir: Path) -> list[tuple[str, str, str, str]]:
    """(id, url, ground truth, decoded html) for every page with both parts."""
    truth = json.loads((aeb_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        path = aeb_dir / "html" / f"{page_id}.html.gz"
        if not path.is_file():
            continue
        html, _ = decode_body(gzip.decompress(path.read_bytes()))
        entry = truth[page_id]
        pages.append((page_id, entry.get("url") or "", entry.get("articleBody") or "", html))
    return pages


def run(name: str, func: Callable[[str], str], pages: list[tuple[str, str, str, str]]) -> RunResult:
    func(pages[0][3])  # warm-up: imports and first-call setup are not per-page cost
    scores = []
    cpu = 0.0
    for page_id, url, truth, html in pages:
        started = time.process_time()
        try:
            text = func(html)
        except Exception:  # a library failing on one page scores that page as empty
            text = ""
        cpu += time.process_time() - started
        scores.append(score_page(page_id, url, truth, text))
    return RunResult(name, scores, 1000 * cpu / len(pages))


def table(results: list[RunResult]) -> list[str]:
    lines = ["| extractor | F1 | precision | recall | CPU ms/page |", "| --- | --- | --- | --- | --- |"]
    for result in results:
        p, r, f = summarise(result.pages)
        dp, dr, df = bootstrap(result.pages)
        lines.append(f"| {result.name} | {f:.3f} ± {df:.3f} | {p:.3f} ± {dp:.3f} | {r:.3f} ± {dr:.3f} | {result.cpu_ms:.1f} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("aeb_dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--only", action="append", default=[], help="extractor name (repeatable)")
    parser.add_argument("--worst", type=int, default=10, help="list the N lowest-F1 pages of parse_article")
    args = parser.parse_args(argv)
    if not (args.aeb_dir / "ground-truth.json").is_file():
        print(f"article_eval: no benchmark at {args.aeb_dir} (ground-truth.json missing); nothing scored", file=sys.stderr)
        return 2
    pages = load(args.aeb_dir)
    if not pages:
        print(f"article_eval: no pages under {args.aeb_dir / 'html'}", file=sys.stderr)
        return 2
    wanted = args.only or list(extractors())
    results = []
    for name, factory in extractors().items():
        if name not in wanted:
            continue
        try:
            func = factory()
        except ImportError as exc:
            print(f"skipped {name}: {exc}", file=sys.stderr)
            continue
        results.append(run(name, func, pages))
    print(f"{len(pages)} pages from {args.aeb_dir}")
    print("\n".join(table(results)))
    ours = next((r for r in results if r.name == "parse_article"), None)
    reference = next((r for r in results if r.name == "trafilatura"), None)
    if ours and reference:
        print(f"parse_article CPU per page = {ours.cpu_ms / reference.cpu_ms:.0%} of trafilatura's")
    if ours and args.worst:
        print(f"\nworst {args.worst} pages for parse_article (F1, P, R, id, url):")
        for s in sorted(ours.pages, key=lambda s: s.f1)[: args.worst]:
            print(f"  {s.f1:.2f} {s.precision:.2f} {s.recall:.2f} {s.page_id[:12]} {s.url[:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
