"""How fast and how complete copy detection is: MinHash/LSH bands in SQLite against the
exact all-pairs comparison it replaces.

Builds N synthetic articles (random words from a news-sized vocabulary, about 400 words
each); one in ten is a copy of an earlier one with a few words changed and a paragraph of
different furniture. Then, on the same machine in the same run:
  lsh    syndication.link_version for each article (shingles, MinHash, bands, candidates,
         exact confirmation, story writes) into a real database file;
  exact  every new article's shingle set against every earlier one (Jaccard/containment).
Prints articles per second for each and how many of the planted copies each found.
With --write-path: the CPU that copy detection adds to storing the real outlet pages of
../shared/corpus/html (store_body with and without it, best of 3).

    python bench/syndication.py [--articles 1000] [--write-path]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from chipwatch.db import sourcing
from chipwatch.db.store import Store
from chipwatch.monitor.syndication import compare, is_copy, link_version, shingles


def make_corpus(n: int, rng: random.Random) -> tuple[list[str], dict[int, int]]:
    vocab = [f"w{i}" for i in range(20_000)]
    texts: list[str] = []
    copies: dict[int, int] = {}  # copy index -> original index
    for i in range(n):
        if i > 10 and rng.random() < 0.1:
            src = rng.randrange(i)
            while src in copies:
                src = rng.randrange(i)
            words = texts[src].split()
            for _ in range(3):  # a few edited words
                words[rng.randrange(len(words))] = rng.choice(vocab)
            furniture = " ".join(rng.choice(vocab) for _ in range(40))
            texts.append(" ".join(words) + "\n" + furniture)
            copies[i] = src
        else:
            texts.append(" ".join(rng.choice(vocab) for _ in range(400)))
    return texts, copies


def run_lsh(texts: list[str], folder: Path) -> tuple[float, set[int]]:
    store = Store.open(folder / "bench.db")
    ids = []
    with store.transaction():
        for i in range(len(texts)):
            cur = store.db.execute(
                "INSERT INTO documents (url, outlet, first_seen, last_seen) VALUES (?, ?, ?, ?)",
                [f"https://site{i % 50}.example/{i}", f"site{i % 50}", "2025-12-08T00:00:00+00:00",
                 "2025-12-08T00:00:00+00:00"])
            doc = int(cur.lastrowid)
            snap = store.db.execute(
                """INSERT INTO snapshots (document_id, version, url, content_hash, text_hash, fetched_at,
                     body_size, body_z, text, parser) VALUES (?, 1, ?, ?, ?, ?, 0, x'', ?, 'bench')""",
                [doc, f"https://site{i % 50}.example/{i}", str(i), str(i), "2025-12-08T00:00:00+00:00",
                 texts[i]]).lastrowid
            store.db.execute("UPDATE documents SET latest_snapshot_id = ? WHERE id = ?", [snap, doc])
            ids.append((doc, int(snap)))
    t0 = time.perf_counter()
    for (doc, snap), text in zip(ids, texts):
        link_version(store, doc, snap, text)
    elapsed = time.perf_counter() - t0
    grouped = {i for i, (doc, _) in enumerate(ids) if sourcing.story_of(store, doc) is not None}
    store.close()
    return elapsed, grouped


def run_exact(texts: list[str]) -> tuple[float, set[int]]:
    t0 = time.perf_counter()
    seen: list[set[str]] = []
    grouped: set[int] = set()
    for i, text in enumerate(texts):
        sh = shingles(text)
        for j, other in enumerate(seen):
            if is_copy(*compare(sh, other)):
                grouped |= {i, j}
        seen.append(sh)
    return time.perf_counter() - t0, grouped


def write_path(rounds: int = 3) -> None:
    from chipwatch.monitor import pipeline
    from chipwatch.monitor.config import AlertsConfig, Config

    folder = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "html"
    pages = sorted(folder.glob("*.html"))
    if not pages:
        raise SystemExit(f"{folder}: no pages")
    config = Config(alerts=AlertsConfig(jsonl=""))

    def best() -> float:
        times = []
        for _ in range(rounds):
            with tempfile.TemporaryDirectory() as tmp:
                store = Store.open(Path(tmp) / "w.db")
                t0 = time.process_time()
                for i, p in enumerate(pages):
                    pipeline.store_body(store, url=f"https://m{i}.example/{p.stem}", body=p.read_bytes(),
                                        headers={"content-type": "text/html"}, config=config)
                times.append(time.process_time() - t0)
                store.close()
        return min(times)

    with_it = best()
    real = pipeline.link_version
    pipeline.link_version = lambda *a, **k: None  # the same path without copy detection
    try:
        without = best()
    finally:
        pipeline.link_version = real
    print(f"store_body of {len(pages)} real pages, cpu: with copy detection {with_it:.2f} s, "
          f"without {without:.2f} s, +{(with_it / without - 1) * 100:.0f} %")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--write-path", action="store_true", help="measure the write path on real pages instead")
    args = ap.parse_args()
    if args.write_path:
        write_path()
        return
    texts, copies = make_corpus(args.articles, random.Random(14))
    planted = set(copies) | set(copies.values())
    with tempfile.TemporaryDirectory() as tmp:
        lsh_s, lsh_found = run_lsh(texts, Path(tmp))
    exact_s, exact_found = run_exact(texts)
    n = len(texts)
    print(f"{n} articles, {len(copies)} planted copies ({len(planted)} articles in copy pairs)")
    print(f"lsh    {n / lsh_s:8.1f} articles/s  ({lsh_s:6.2f} s)  grouped {len(lsh_found & planted)}/{len(planted)}"
          f"  wrongly grouped {len(lsh_found - planted)}")
    print(f"exact  {n / exact_s:8.1f} articles/s  ({exact_s:6.2f} s)  grouped {len(exact_found & planted)}/{len(planted)}"
          f"  wrongly grouped {len(exact_found - planted)}")
    print(f"speed ratio lsh / exact: {exact_s / lsh_s:.1f}x")


if __name__ == "__main__":
    main()
