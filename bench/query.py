"""How fast the fact database answers, at a million facts, next to a full table scan.

Usage:
    python bench/query.py [--db PATH] [--facts N] [--snapshots N] [--rounds N] [--keep]

Builds (or reuses, with --db and an existing file) a chipwatch database with N facts
(default 1,000,000) over N snapshots (default 100,000) of synthetic but plausible news:
a dozen outlets, documents with one to five versions, chip figures that mostly agree and
sometimes do not, policy statements by the usual actors, assessments against the baseline
claims. The rows go in with executemany inside one transaction; the full-text indexes are
rebuilt once at the end.

Then it times what analysts run most, through the same functions the command line calls
(`chipwatch.db.queries`): the `facts` filters, `facts --compare`, and full-text search.
Each is printed next to the same query forced to scan the facts table (`NOT INDEXED`, or
LIKE instead of the full-text index), with the ratio. Times are the median of N rounds
after one warm-up. Targets (from the query issue): filters and --compare < 50 ms, search
< 100 ms. The exit code is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

from chipwatch.db import queries
from chipwatch.db.store import Store

SEED = 20251209
START = datetime(2025, 1, 1, tzinfo=timezone.utc)
DAYS = 365

OUTLETS = [("Reuters", 18), ("Bloomberg", 12), ("Tom's Hardware", 10), ("Quartz", 5),
           ("Al Jazeera", 6), ("South China Morning Post", 9), ("Nikkei Asia", 7),
           ("The Information", 4), ("Financial Times", 8), ("Council on Foreign Relations", 3),
           ("Institute for Progress", 2), ("Caixin", 6), ("The Register", 5), ("DigiTimes", 5)]

# chip -> weight, {metric: (typical value, unit, [rarer values other sources print])}
CHIPS: dict[str, tuple[int, dict[str, tuple[float, str | None, list[float]]]]] = {
    "H200": (22, {"tpp": (15840, None, [15832, 16000]), "memory_bandwidth": (4.8, "TB/s", [4.9]),
                  "memory_capacity": (141, "GB", [144]), "price": (32000, "USD", [30000, 35000]),
                  "compute_flops": (1979, "TFLOPS FP8", [3958])}),
    "H20": (10, {"tpp": (2368, None, [2400]), "memory_bandwidth": (4.0, "TB/s", []),
                 "memory_capacity": (96, "GB", []), "price": (12000, "USD", [10000])}),
    "Blackwell": (8, {"lag_months": (0, "months", []), "compute_flops": (4500, "TFLOPS FP8", [5000])}),
    "B200": (4, {"memory_capacity": (192, "GB", [180]), "memory_bandwidth": (8.0, "TB/s", [])}),
    "B30A": (3, {"tpp": (7000, None, [7500])}),
    "H100": (6, {"tpp": (15832, None, [16000]), "memory_capacity": (80, "GB", [])}),
    "H800": (2, {"tpp": (15832, None, [])}),
    "Ascend 910C": (9, {"tpp": (12032, None, [12000]), "memory_bandwidth": (3.2, "TB/s", [3.6]),
                        "units": (600000, None, [700000, 800000])}),
    "Ascend 910B": (5, {"tpp": (5120, None, [])}),
    "MI308": (3, {"tpp": (4400, None, []), "memory_capacity": (192, "GB", [])}),
    "RTX Pro 6000D": (2, {"memory_capacity": (96, "GB", [])}),
    "Siyuan 590": (2, {"tpp": (4000, None, [])}),
    "CloudMatrix 384": (2, {"compute_flops": (300000, "TFLOPS BF16", [])}),
    # the long tail: chips named now and then
    "A100": (2, {"memory_capacity": (80, "GB", [40]), "price": (10000, "USD", [])}),
    "A800": (1, {"memory_capacity": (80, "GB", [])}),
    "L40S": (1, {"memory_capacity": (48, "GB", [])}),
    "B300": (2, {"memory_capacity": (288, "GB", [])}),
    "GB200 NVL72": (2, {"price": (3000000, "USD", [3500000])}),
    "Rubin": (2, {"compute_flops": (50000, "TFLOPS FP4", [])}),
    "MI325X": (1, {"memory_capacity": (256, "GB", [])}),
    "Gaudi 3": (1, {"memory_capacity": (128, "GB", [])}),
    "Kunlun P800": (1, {"units": (30000, None, [])}),
    "Ascend 920": (1, {"compute_flops": (900, "TFLOPS BF16", [])}),
    "MTT S4000": (1, {"memory_capacity": (48, "GB", [])}),
}
# How often news states each kind of figure: memory and prices are everywhere, the TPP
# score (an export-control measure) is rare.
METRIC_WEIGHT = {"memory_capacity": 5, "memory_bandwidth": 4, "compute_flops": 4, "price": 4,
                 "units": 3, "lag_months": 1, "tpp": 1}
COMPARISONS = [("H200", "H20", 6), ("Blackwell", "H200", 10), ("H200", "Ascend 910C", 1.3),
               ("H100", "H20", 6.7), ("B30A", "H20", 3)]
POLICIES = [  # actor, action, chip, value, unit, sentence
    ("US", "allow_export", "H200", None, None, "Washington will allow exports of the {chip} to approved customers in China"),
    ("Commerce", "require_review", "H200", None, None, "shipments require a security review by the Commerce Department"),
    ("US", "fee", "H200", 25, "%", "the US government will collect {value}% of the sales"),
    ("US", "fee", "H200", 15, "%", "the government would take {value}% of revenue from the chips"),
    ("US", "ban_export", "Blackwell", None, None, "the {chip} remains barred from export to China"),
    ("China", "restrict_purchase", "H200", None, None, "Beijing is weighing curbs on purchases of the {chip} by state agencies"),
    ("CAC", "require_approval", "H200", None, None, "regulators may require prior approval for buying the {chip}"),
    ("MOFCOM", "other", None, None, None, "the commerce ministry urged firms to favour domestic accelerators"),
    ("Congress", "other", "H200", None, None, "lawmakers questioned the decision to sell the {chip}"),
    ("Nvidia", "other", "H200", None, None, "Nvidia said it would comply with the new licence terms"),
    ("Trump", "allow_export", "H200", None, None, "the president said he would let the {chip} be sold to China"),
    ("BIS", "ban_export", "H100", None, None, "the {chip} has been fully restricted since 2022"),
]
# Phrases news about the story uses; each article carries a few, so a search for one
# matches a few percent of the articles, as in a real archive.
FILLER = ("analysts said", "according to people familiar with the matter", "the company said",
          "in a statement", "officials told reporters", "industry data show",
          "export licence", "supply chain", "data centre", "cloud providers", "foundry capacity",
          "semiconductor equipment", "market share", "quarterly results", "trade talks",
          "security review", "national security", "advanced packaging", "high bandwidth memory",
          "entity list", "smuggling networks", "domestic alternatives", "state media",
          "chip design software", "rare earth", "retaliation", "tariff truce", "price war",
          "earnings call", "AI models", "training clusters", "inference demand", "sovereign AI",
          "sanctions", "lithography machines", "capital expenditure", "server makers")
TOPIC_WORDS = ("chip", "export", "china", "nvidia", "huawei", "ascend", "policy", "licence",
               "tariff", "commerce", "beijing", "washington", "memory", "bandwidth",
               "performance", "processor", "accelerator", "revenue", "sales", "government",
               "approval", "customer", "domestic", "rival", "H200", "Blackwell", "TPP")


def vocabulary(rng: random.Random, size: int = 20_000) -> tuple[list[str], list[float]]:
    """Pseudo-words with Zipf frequencies (rank r has weight 1/r), like running text."""
    syllables = ["ka", "to", "ri", "men", "sa", "lo", "dur", "vi", "ne", "pra", "sto", "el",
                 "ban", "qui", "or", "tex", "mo", "lin", "ga", "ser", "fu", "den", "ap", "is"]
    words = list(TOPIC_WORDS)
    seen = set(words)
    while len(words) < size:
        w = "".join(rng.choice(syllables) for _ in range(rng.randint(1, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    rng.shuffle(words)  # topic words land at random ranks, common or rare
    cum, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1.0 / rank
        cum.append(total)
    return words, cum


def iso(dt: datetime) -> str:
    return dt.replace(microsecond=0).isoformat()


def _weighted(rng: random.Random, items: list[tuple[Any, int]]) -> Callable[[], Any]:
    population = [x for x, _ in items]
    weights = [w for _, w in items]
    cum = []
    total = 0
    for w in weights:
        total += w
        cum.append(total)

    def pick() -> Any:
        return rng.choices(population, cum_weights=cum)[0]

    return pick


@dataclass
class Built:
    path: Path
    facts: int
    snapshots: int
    documents: int
    seconds: float


def build(path: Path, n_facts: int, n_snapshots: int) -> Built:
    """Fill a fresh chipwatch database with synthetic news, one transaction."""
    rng = random.Random(SEED)
    started = time.perf_counter()
    store = Store.open(path)
    db = store.db.conn
    # Full-text rows are built once at the end instead of one trigger call per row.
    triggers = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
        "('snapshots_ai', 'facts_ai')").fetchall()
    vocab, vocab_cum = vocabulary(rng)
    outlet = _weighted(rng, OUTLETS)
    chip_pick = _weighted(rng, [(c, w) for c, (w, _) in CHIPS.items()])
    kind_pick = _weighted(rng, [("chip_figure", 45), ("chip_comparison", 10), ("policy", 45)])
    db.execute("BEGIN")
    for name, _ in triggers:
        db.execute(f"DROP TRIGGER {name}")

    # Documents with 1-5 versions until the snapshot budget is spent.
    docs, snaps = [], []
    doc_id = snap_id = 0
    while snap_id < n_snapshots:
        doc_id += 1
        o = outlet()
        host = re.sub(r"[^a-z]", "", o.lower()) + ".example.com"
        url = f"https://{host}/tech/2025/story-{doc_id}"
        first = START + timedelta(seconds=rng.randrange(DAYS * 86400))
        versions = min(n_snapshots - snap_id, rng.choice((1, 1, 1, 2, 2, 3, 4, 5)))
        title = f"{rng.choice(['H200', 'Nvidia', 'Huawei', 'Beijing', 'Washington'])} " + \
            " ".join(rng.choices(vocab, cum_weights=vocab_cum, k=7))
        body = rng.choices(vocab, cum_weights=vocab_cum, k=rng.randint(140, 260))
        phrases = rng.sample(FILLER, 3)
        when = first
        for v in range(1, versions + 1):
            snap_id += 1
            if v > 1:  # a revision rewrites a few words
                body = body[:]
                for _ in range(5):
                    body[rng.randrange(len(body))] = rng.choices(vocab, cum_weights=vocab_cum)[0]
            sentences = [" ".join(body[i:i + 18]).capitalize() + ", " + phrases[(i // 18) % 3] + "."
                         for i in range(0, len(body), 18)]
            text = "\n\n".join(sentences)
            snaps.append((snap_id, doc_id, v, url, f"{snap_id:064x}", f"{snap_id:064x}", iso(when),
                          200, "{}", "text/html", "utf-8", len(text), zlib.compress(text.encode(), 1),
                          0, title, iso(first), None, text, "bench"))
            when += timedelta(hours=rng.randint(1, 96))
        docs.append((doc_id, url, o, None, title, iso(first), None, iso(first), iso(when), snap_id,
                     None, "watched"))
    from chipwatch.monitor.config import load_config

    db.executemany("INSERT OR IGNORE INTO baseline_claims (id, text, original, cited, kind) "
                   "VALUES (?, ?, ?, ?, ?)",
                   [(c.id, c.text, c.original, c.cited, c.kind) for c in load_config(None).baseline])
    db.executemany("INSERT INTO documents (id, url, outlet, source, title, published, updated, "
                   "first_seen, last_seen, latest_snapshot_id, discovered_via, status) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", docs)
    db.executemany("INSERT INTO snapshots (id, document_id, version, url, content_hash, text_hash, "
                   "fetched_at, http_status, headers, content_type, encoding, body_size, body_z, "
                   "truncated, title, published, updated, text, parser) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", snaps)
    latest = {d[0]: d[9] for d in docs}

    # Facts: spread over the snapshots; a fact of an older version is current only when
    # the page still carried it (most do).
    facts, assessments = [], []
    per_snapshot = n_facts / len(snaps)
    fid = 0
    carry = 0.0
    for s in snaps:
        carry += per_snapshot
        count = int(carry)
        carry -= count
        s_id, d_id, fetched = s[0], s[1], s[6]
        is_latest = latest[d_id] == s_id
        for _ in range(count):
            fid += 1
            kind = kind_pick()
            chip = metric = unit = relative = actor = action = None
            value: float | None = None
            if kind == "chip_figure":
                chip = chip_pick()
                options = list(CHIPS[chip][1].items())
                metric, (typical, unit, others) = rng.choices(
                    options, weights=[METRIC_WEIGHT[m] for m, _ in options])[0]
                value = float(rng.choice(others)) if others and rng.random() < 0.12 else float(typical)
                quote = f"the {chip} has a {metric.replace('_', ' ')} of {value:g}{' ' + unit if unit else ''}"
            elif kind == "chip_comparison":
                chip, relative, typical = rng.choice(COMPARISONS)
                metric, unit = "performance_ratio", "x"
                value = float(typical if rng.random() > 0.1 else typical * 1.5)
                quote = f"the {chip} is about {value:g} times as powerful as the {relative}"
            else:
                actor, action, chip, v, unit, sentence = rng.choice(POLICIES)
                value = float(v) if v is not None else None
                metric = "fee_percent" if action == "fee" else None
                quote = sentence.format(chip=chip, value=v)
            quote = quote[0].upper() + quote[1:] + ", " + rng.choice(FILLER)
            current = 1 if is_latest or rng.random() < 0.85 else 0
            facts.append((fid, d_id, s_id, f"{fid:040x}", kind, chip, metric, value, unit,
                          relative, actor, action, "enacted" if kind == "policy" else None,
                          quote, 0, len(quote), "bench", "1", fetched, fetched, current))
            claim = _claim_for(chip, metric, actor, action, value)
            if claim:
                assessments.append((fid, claim[0], claim[1], "bench", fetched))
        if len(facts) >= 200_000:
            _insert_facts(db, facts, assessments)
            facts, assessments = [], []
    _insert_facts(db, facts, assessments)

    for _name, sql in triggers:
        db.execute(sql)
    db.execute("INSERT INTO snapshots_fts(snapshots_fts) VALUES ('rebuild')")
    db.execute("INSERT INTO facts_fts(facts_fts) VALUES ('rebuild')")
    db.execute("COMMIT")
    db.execute("ANALYZE")
    n_docs = len(docs)
    store.close()
    return Built(path, fid, len(snaps), n_docs, time.perf_counter() - started)


def _claim_for(chip, metric, actor, action, value) -> tuple[str, str] | None:
    if chip == "H200" and metric == "tpp":
        return ("B06", "supports" if value == 15840 else "contradicts")
    if chip == "Ascend 910C" and metric == "tpp":
        return ("B07", "supports" if value == 12032 else "contradicts")
    if action == "fee":
        return ("B03", "supports" if value == 25 else "contradicts")
    if action == "allow_export" and chip == "H200":
        return ("B01", "supports")
    if action == "ban_export" and chip == "Blackwell":
        return ("B04", "supports")
    return None


def _insert_facts(db, facts: list[tuple], assessments: list[tuple]) -> None:
    db.executemany(
        "INSERT INTO facts (id, document_id, snapshot_id, fact_key, kind, chip, metric, value, "
        "unit, relative_to, actor, action, status, quote, char_start, char_end, extractor, "
        "extractor_version, first_seen, last_seen, current) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", facts)
    db.executemany("INSERT INTO assessments (fact_id, claim_id, verdict, reason, assessed_at) "
                   "VALUES (?,?,?,?,?)", assessments)


# ---------------------------------------------------------------------------------------
# Timing


class RecordingStore:
    """A Store whose queries can be replayed with the facts table forced to a full scan."""

    def __init__(self, store: Store):
        self.store = store
        self.path = store.path
        self.last: tuple[str, Any] | None = None

    def query(self, sql: str, params: Any = ()) -> list[dict]:
        self.last = (sql, params)
        return self.store.query(sql, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def scan_sql(sql: str) -> str:
    """The same query with every read of `facts` by index turned into a full scan."""
    return re.sub(r"FROM facts f\b", "FROM facts f NOT INDEXED", sql)


def median_ms(fn: Callable[[], Any], rounds: int) -> tuple[float, Any]:
    result = fn()  # warm-up: pages in cache, statement prepared
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


@dataclass
class Case:
    name: str
    target_ms: float | None  # None: shown for information, no target
    indexed: Callable[[RecordingStore], list]
    scan: Callable[[RecordingStore], list] | None = None  # default: replay with NOT INDEXED


def cases(since: str) -> list[Case]:
    F = queries.FactFilter

    def facts(**kw: Any) -> Callable[[RecordingStore], list]:
        return lambda s: queries.list_facts(s, F(**kw))  # type: ignore[arg-type]

    def compare(**kw: Any) -> Callable[[RecordingStore], list]:
        return lambda s: queries.compare_facts(s, F(**kw))  # type: ignore[arg-type]

    def fts_scan_facts(words: list[str]) -> Callable[[RecordingStore], list]:
        def run(s: RecordingStore) -> list:
            sql = queries._FACT_SELECT + " WHERE f.current = 1 AND " + " AND ".join(
                "f.quote LIKE ?" for _ in words) + " ORDER BY f.first_seen DESC, f.id DESC LIMIT 100"
            return s.store.query(sql, [f"%{w}%" for w in words])
        return run

    def search_scan(words: list[str]) -> Callable[[RecordingStore], list]:
        def run(s: RecordingStore) -> list:
            sql = ("SELECT d.outlet, coalesce(s.title, d.title) AS title, d.url, s.fetched_at, "
                   "s.id AS snapshot_id FROM snapshots s JOIN documents d ON d.latest_snapshot_id = s.id "
                   "WHERE " + " AND ".join("(s.text LIKE ? OR s.title LIKE ?)" for _ in words)
                   + " LIMIT 20")
            return s.store.query(sql, [p for w in words for p in (f"%{w}%", f"%{w}%")])
        return run

    page = 100  # what `chipwatch facts` shows in a terminal unless --limit says otherwise
    return [
        Case("facts --chip H200 --metric tpp", 50, facts(chip="H200", metric="tpp", limit=page)),
        Case("facts --chip H200 --metric tpp --format json (every row)", None,
             facts(chip="H200", metric="tpp")),
        Case("facts --chip \"nvidia's h200\"", 50, facts(chip="nvidia's h200", limit=page)),
        Case("facts --chip 'Siyuan 590' (a rare chip)", 50, facts(chip="Siyuan 590", limit=page)),
        Case("facts --chip 'RTX 4090D' (no facts at all)", 50, facts(chip="RTX 4090D", limit=page)),
        Case("facts --kind policy --actor China --action restrict_purchase", 50,
             facts(kind="policy", actor="China", action="restrict_purchase", limit=page)),
        Case("facts --action fee --since 30d", 50, facts(action="fee", since=since, limit=page)),
        Case("facts --outlet Reuters --since 30d", 50, facts(outlet="Reuters", since=since, limit=page)),
        Case("facts --outlet 'The Information'", 50, facts(outlet="The Information", limit=page)),
        Case("facts --baseline B07", 50, facts(baseline="B07", limit=page)),
        Case("facts --baseline B09 (no evidence)", 50, facts(baseline="B09", limit=page)),
        Case("facts (newest)", 50, facts(limit=page)),
        Case("facts --compare --chip H200 --metric tpp", 50, compare(chip="H200", metric="tpp")),
        Case("facts --compare --chip 'Ascend 910C'", 50, compare(chip="Ascend 910C")),
        Case("facts --compare --metric memory_capacity (every chip)", None,
             compare(metric="memory_capacity")),
        Case("facts --q 'security review'", 100, facts(q="security review", limit=page),
             fts_scan_facts(["security", "review"])),
        Case("facts --q smuggling", 100, facts(q="smuggling", limit=page),
             fts_scan_facts(["smuggling"])),
        Case("search 'export licence'", 100, lambda s: queries.search(s, "export licence"),  # type: ignore[arg-type]
             search_scan(["export", "licence"])),
        Case("search 'lithography machines'", 100,
             lambda s: queries.search(s, "lithography machines"),  # type: ignore[arg-type]
             search_scan(["lithography", "machines"])),
    ]


def run(path: Path, rounds: int) -> list[dict]:
    store = Store.open(path, readonly=True)
    rec = RecordingStore(store)
    newest = store.one("SELECT max(first_seen) AS t FROM facts")["t"]
    since = iso(datetime.fromisoformat(newest) - timedelta(days=30))
    results = []
    for case in cases(since):
        ms, rows = median_ms(lambda case=case: case.indexed(rec), rounds)
        if case.scan is None:
            assert rec.last is not None
            sql, params = rec.last
            scan_query = scan_sql(sql)
            assert "NOT INDEXED" in scan_query, case.name
            scan_ms, scan_rows = median_ms(lambda q=scan_query, p=params: store.query(q, p), max(1, rounds // 3))
            if case.name.startswith("facts --compare"):
                scan_rows = [r for r in scan_rows]
                queries.mark_agreement(scan_rows)
        else:
            scan_ms, scan_rows = median_ms(lambda case=case: case.scan(rec), max(1, rounds // 3))
        results.append({"query": case.name, "rows": len(rows), "ms": round(ms, 2),
                        "scan_ms": round(scan_ms, 1), "scan_rows": len(scan_rows),
                        "ratio": round(scan_ms / ms, 1) if ms else None,
                        "target_ms": case.target_ms,
                        "ok": case.target_ms is None or ms < case.target_ms})
    store.close()
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, help="database to build, or to reuse when it exists")
    ap.add_argument("--facts", type=int, default=1_000_000)
    ap.add_argument("--snapshots", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--keep", action="store_true", help="keep the temporary database")
    ap.add_argument("--json", action="store_true", help="print results as JSON lines")
    args = ap.parse_args(argv)

    tmpdir = None
    path = args.db
    if path is None:
        tmpdir = tempfile.mkdtemp(prefix="chipwatch-bench-")
        path = Path(tmpdir) / "bench.db"
    if path.exists():
        print(f"reusing {path}", file=sys.stderr)
    else:
        b = build(path, args.facts, args.snapshots)
        size = path.stat().st_size / 1e6
        print(f"built {path}: {b.facts:,} facts, {b.snapshots:,} snapshots, {b.documents:,} "
              f"documents, {size:,.0f} MB in {b.seconds:.1f} s", file=sys.stderr)
    results = run(path, args.rounds)
    if args.json:
        for r in results:
            print(json.dumps(r))
    else:
        print(f"{'query':<62} {'rows':>6} {'indexed':>9} {'scan':>9} {'ratio':>7}  target")
        for r in results:
            target = (f"<{r['target_ms']:.0f}ms {'ok' if r['ok'] else 'MISSED'}"
                      if r["target_ms"] else "(no target)")
            print(f"{r['query']:<62} {r['rows']:>6} {r['ms']:>7.1f}ms {r['scan_ms']:>7.0f}ms "
                  f"{r['ratio']:>6}x  {target}")
    if tmpdir and not args.keep:
        for f in Path(tmpdir).iterdir():
            f.unlink()
        Path(tmpdir).rmdir()
    elif tmpdir:
        print(f"kept {path}", file=sys.stderr)
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
