"""Score the fact extractors against hand-labeled articles.

Usage:
    python bench/extract_eval.py [DIR_OR_GOLD ...] [--json] [--show-misses]

A labeled set is a directory holding `gold.jsonl` (one fact per line, with `doc` naming a
text file in the same directory) and the document files. Without arguments the project's
own set (tests/data/gold) is scored, plus ../shared/corpus/dev when it exists.

Scoring rule (the one the dev set's README fixes, so numbers here are comparable with the
hidden set): a gold fact is found when an extracted fact of the same family (figures =
chip_figure + chip_comparison; policy) has the same chip (when both name one), the same
metric (figures) or action (policy), a value within 1 % (when the gold has one), and a
quote overlapping the gold quote or one of its `alt_quotes` (one contains the other, or they
share at least half the words of the shorter). Precision counts extracted facts that match some gold fact.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import traceback
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

REPO_ROOT = Path(__file__).resolve().parents[1]
OWN_GOLD = REPO_ROOT / "tests" / "data" / "gold"
DEV_GOLD = REPO_ROOT.parent / "shared" / "corpus" / "dev"

FAMILIES = ("figures", "policy")
FAMILY_OF_KIND = {"chip_figure": "figures", "chip_comparison": "figures", "policy": "policy"}
VALUE_TOLERANCE = 0.01
HEADER_KEYS = ("URL:", "OUTLET:")

# Words for the overlap rule: runs of letters/digits, but each kana/kanji on its own, since
# Japanese has no spaces and a whole sentence would otherwise be one "word".
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_WORD_RE = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+(?:[.,][0-9]+)*")

Facty = Mapping[str, Any] | Any  # a dict or a Fact-like object
Extractor = Callable[[str], list[Any]]


# ---------------------------------------------------------------- matching rule


def family(kind: str | None) -> str | None:
    return FAMILY_OF_KIND.get(kind or "")


def as_dict(fact: Facty) -> dict[str, Any]:
    """Gold lines are dicts, extractor output is Fact objects; compare both the same way."""
    if isinstance(fact, Mapping):
        return dict(fact)
    if hasattr(fact, "to_dict"):
        return fact.to_dict()
    if is_dataclass(fact):
        return asdict(fact)
    return dict(vars(fact))


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text.casefold())


def _squash(text: str) -> str:
    return " ".join(text.casefold().split())


def quotes_overlap(a: str | None, b: str | None) -> bool:
    """One quote contains the other, or they share at least half the words of the shorter."""
    if not a or not b:
        return False
    sa, sb = _squash(a), _squash(b)
    if not sa or not sb:
        return False
    if sa in sb or sb in sa:
        return True
    wa, wb = set(words(a)), set(words(b))
    shorter = min(len(wa), len(wb))
    if shorter == 0:
        return False
    return 2 * len(wa & wb) >= shorter


def value_close(gold: float | None, got: float | None, tolerance: float = VALUE_TOLERANCE) -> bool:
    """Within `tolerance` of the gold value; a gold fact without a value accepts any."""
    if gold is None:
        return True
    if got is None:
        return False
    try:
        g, v = float(gold), float(got)
    except (TypeError, ValueError):
        return False
    if g == 0:
        return abs(v) <= tolerance
    return abs(v - g) <= tolerance * abs(g)


def chips_agree(gold: str | None, got: str | None) -> bool:
    """Chips only have to agree when both facts name one."""
    if not gold or not got:
        return True
    return gold.casefold() == got.casefold()


def fact_matches(gold: Facty, got: Facty) -> bool:
    g, p = as_dict(gold), as_dict(got)
    fam = family(g.get("kind"))
    if fam is None or fam != family(p.get("kind")):
        return False
    if not chips_agree(g.get("chip"), p.get("chip")):
        return False
    if fam == "figures" and g.get("metric") != p.get("metric"):
        return False
    if fam == "policy" and g.get("action") != p.get("action"):
        return False
    if not value_close(g.get("value"), p.get("value")):
        return False
    return any(quotes_overlap(q, p.get("quote")) for q in gold_quotes(g))


def gold_quotes(gold: Mapping[str, Any]) -> list[str]:
    """The quote and every restatement (`alt_quotes`): a fact is found through any of them."""
    return [q for q in [gold.get("quote"), *(gold.get("alt_quotes") or [])] if q]


# ---------------------------------------------------------------- scores


@dataclass
class Counts:
    gold: int = 0      # gold facts
    found: int = 0     # gold facts matched by some extracted fact
    predicted: int = 0  # extracted facts
    correct: int = 0   # extracted facts matching some gold fact

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        if self.predicted:
            return self.correct / self.predicted
        return 1.0 if self.gold == 0 else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "gold": self.gold, "found": self.found, "predicted": self.predicted,
            "correct": self.correct, "precision": round(self.precision, 4),
            "recall": round(self.recall, 4), "f1": round(self.f1, 4),
        }


@dataclass
class Scores:
    by_family: dict[str, Counts] = field(default_factory=lambda: {f: Counts() for f in FAMILIES})
    by_kind: dict[str, Counts] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)            # false negatives
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    # Of the found policy facts, how many had a matching extracted fact with the gold actor;
    # not part of the rule, shown so the actor logic can be tuned.
    actor_checked: int = 0
    actor_agreed: int = 0

    def family(self, name: str) -> Counts:
        return self.by_family[name]

    def to_dict(self, with_lists: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "families": {k: v.to_dict() for k, v in self.by_family.items()},
            "kinds": {k: v.to_dict() for k, v in sorted(self.by_kind.items())},
            "actor_agreement": [self.actor_agreed, self.actor_checked],
        }
        if with_lists:
            out["misses"] = self.misses
            out["false_positives"] = self.false_positives
        return out


def score(gold: Iterable[Facty], predicted_by_doc: Mapping[str, Iterable[Facty]]) -> Scores:
    """Apply the matching rule per document; gold facts carry their document in `doc`."""
    gold_by_doc: dict[str, list[dict[str, Any]]] = {}
    for g in gold:
        gd = as_dict(g)
        gold_by_doc.setdefault(gd.get("doc", ""), []).append(gd)
    pred_by_doc = {doc: [as_dict(p) for p in preds] for doc, preds in predicted_by_doc.items()}

    scores = Scores()
    for doc in sorted(set(gold_by_doc) | set(pred_by_doc)):
        golds = gold_by_doc.get(doc, [])
        preds = pred_by_doc.get(doc, [])
        for g in golds:
            fam = family(g.get("kind"))
            if fam is None:
                raise ValueError(f"gold fact with unknown kind {g.get('kind')!r} in {doc}")
            kind_counts = scores.by_kind.setdefault(g["kind"], Counts())
            scores.by_family[fam].gold += 1
            kind_counts.gold += 1
            hits = [p for p in preds if fact_matches(g, p)]
            if hits:
                scores.by_family[fam].found += 1
                kind_counts.found += 1
                if fam == "policy" and g.get("actor"):
                    scores.actor_checked += 1
                    if any(p.get("actor") == g.get("actor") for p in hits):
                        scores.actor_agreed += 1
            else:
                near = [p for p in preds if family(p.get("kind")) == fam and
                        any(quotes_overlap(q, p.get("quote")) for q in gold_quotes(g))]
                scores.misses.append({"doc": doc, "gold": g, "near": near})
        for p in preds:
            fam = family(p.get("kind"))
            kind_counts = scores.by_kind.setdefault(str(p.get("kind")), Counts())
            kind_counts.predicted += 1
            if fam is None:
                scores.false_positives.append({"doc": doc, "fact": p, "near": []})
                continue
            scores.by_family[fam].predicted += 1
            if any(fact_matches(g, p) for g in golds):
                scores.by_family[fam].correct += 1
                kind_counts.correct += 1
            else:
                near = [g for g in golds if family(g.get("kind")) == fam and
                        any(quotes_overlap(q, p.get("quote")) for q in gold_quotes(g))]
                scores.false_positives.append({"doc": doc, "fact": p, "near": near})
    return scores


# ---------------------------------------------------------------- labeled sets


@dataclass
class LabeledSet:
    name: str
    texts: dict[str, str]           # doc file name -> article text (header removed)
    gold: list[dict[str, Any]]


def article_text(raw: str) -> str:
    """Drop the `URL:` / `OUTLET:` header lines and the blank line after them, if present."""
    if not raw.startswith(HEADER_KEYS):
        return raw
    pos = 0
    while raw.startswith(HEADER_KEYS, pos):
        nl = raw.find("\n", pos)
        if nl < 0:
            return ""
        pos = nl + 1
    if raw.startswith("\r\n", pos):
        pos += 2
    elif raw.startswith("\n", pos):
        pos += 1
    return raw[pos:]


def load_set(path: str | Path) -> LabeledSet:
    """Read a directory (or its gold.jsonl) and check every quote occurs in its document."""
    path = Path(path)
    gold_file = path / "gold.jsonl" if path.is_dir() else path
    base = gold_file.parent
    gold: list[dict[str, Any]] = []
    for lineno, line in enumerate(gold_file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            gold.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{gold_file}:{lineno}: bad JSON: {exc}") from exc
    texts: dict[str, str] = {}
    for g in gold:
        doc = g.get("doc")
        if not doc:
            raise ValueError(f"{gold_file}: a gold fact has no doc: {g}")
        if doc not in texts:
            texts[doc] = article_text((base / doc).read_text(encoding="utf-8"))
        if not g.get("quote"):
            raise ValueError(f"{gold_file}: a gold fact in {doc} has no quote")
        for quote in gold_quotes(g):
            if quote not in texts[doc]:
                raise ValueError(f"{gold_file}: quote not in {doc}: {quote!r}")
    # Documents without any gold fact still count: whatever is extracted there is wrong.
    for extra in sorted(base.glob("*.txt")):
        if extra.name not in texts and extra.name.lower() != "readme.txt":
            texts[extra.name] = article_text(extra.read_text(encoding="utf-8"))
    name = base.name if base.name != "gold" else "own gold"
    return LabeledSet(name=f"{name} ({base})", texts=texts, gold=gold)


def default_sets() -> list[Path]:
    sets = [OWN_GOLD]
    if (DEV_GOLD / "gold.jsonl").exists():
        sets.append(DEV_GOLD)
    return sets


# ---------------------------------------------------------------- running extractors


def load_extractor() -> Extractor:
    """The lead's `extract_facts`; until it exists, whichever of figures/policy is there."""
    try:
        from chipwatch.extractors import extract_facts  # type: ignore[attr-defined]
        return extract_facts
    except ImportError:
        pass
    parts: list[Extractor] = []
    try:
        from chipwatch.extractors.figures import extract_figures
        parts.append(extract_figures)
    except ImportError:
        pass
    try:
        from chipwatch.extractors.policy import extract_policy
        parts.append(extract_policy)
    except ImportError:
        pass
    print("warning: chipwatch.extractors.extract_facts missing; using "
          f"{[p.__module__ for p in parts] or 'no extractor'}", file=sys.stderr)

    def combined(text: str) -> list[Any]:
        return sorted((f for part in parts for f in part(text)), key=lambda f: f.char_start)

    return combined


@dataclass
class RunResult:
    predicted: dict[str, list[dict[str, Any]]]
    errors: dict[str, str]          # doc -> traceback of an extractor crash
    bad_offsets: list[dict[str, Any]]  # facts whose quote is not text[start:end]


def run_extractor(labeled: LabeledSet, extract: Extractor) -> RunResult:
    predicted: dict[str, list[dict[str, Any]]] = {}
    errors: dict[str, str] = {}
    bad: list[dict[str, Any]] = []
    for doc, text in labeled.texts.items():
        try:
            facts = [as_dict(f) for f in extract(text)]
        except Exception:  # a crash is reported, and the document scores as empty
            errors[doc] = traceback.format_exc(limit=3)
            facts = []
        for f in facts:
            if text[f.get("char_start", 0):f.get("char_end", 0)] != f.get("quote"):
                bad.append({"doc": doc, **f})
        predicted[doc] = facts
    return RunResult(predicted, errors, bad)


def evaluate(path: str | Path, extract: Extractor | None = None) -> tuple[LabeledSet, RunResult, Scores]:
    labeled = load_set(path)
    result = run_extractor(labeled, extract or load_extractor())
    return labeled, result, score(labeled.gold, result.predicted)


# ---------------------------------------------------------------- printing


def _describe(f: Mapping[str, Any]) -> str:
    bits = [str(f.get("kind"))]
    if f.get("kind") == "policy":
        bits += [f"action={f.get('action')}", f"actor={f.get('actor')}"]
    else:
        bits += [f"metric={f.get('metric')}"]
    bits.append(f"chip={f.get('chip')}")
    if f.get("relative_to"):
        bits.append(f"vs={f.get('relative_to')}")
    if f.get("value") is not None:
        bits.append(f"value={f.get('value')}{(' ' + f['unit']) if f.get('unit') else ''}")
    return " ".join(bits)


def format_scores(name: str, scores: Scores, result: RunResult | None = None,
                  show_misses: bool = False) -> str:
    lines = [f"== {name}"]
    lines.append(f"{'':18}{'P':>7}{'R':>7}{'F1':>7}   gold found  pred correct")
    rows = [(fam, scores.by_family[fam]) for fam in FAMILIES]
    rows += [(f"  {kind}", c) for kind, c in sorted(scores.by_kind.items())]
    for label, c in rows:
        lines.append(f"{label:18}{c.precision:7.3f}{c.recall:7.3f}{c.f1:7.3f}   "
                     f"{c.gold:4d} {c.found:5d} {c.predicted:5d} {c.correct:7d}")
    if scores.actor_checked:
        lines.append(f"policy actor agrees on {scores.actor_agreed}/{scores.actor_checked} found facts")
    if result is not None:
        if result.errors:
            lines.append(f"EXTRACTOR CRASHED on {len(result.errors)} document(s):")
            for doc, tb in result.errors.items():
                lines.append(f"  {doc}: {tb.strip().splitlines()[-1]}")
        if result.bad_offsets:
            lines.append(f"{len(result.bad_offsets)} fact(s) break text[char_start:char_end] == quote")
    if show_misses:
        lines.append(f"-- missed gold facts ({len(scores.misses)})")
        for m in scores.misses:
            g = m["gold"]
            lines.append(f"  [{m['doc']}] {_describe(g)}")
            lines.append(f"      gold quote: {g.get('quote')!r}")
            for p in m["near"]:
                lines.append(f"      near: {_describe(p)}  {p.get('quote')!r}")
        lines.append(f"-- false positives ({len(scores.false_positives)})")
        for fp in scores.false_positives:
            p = fp["fact"]
            lines.append(f"  [{fp['doc']}] {_describe(p)}")
            lines.append(f"      quote: {p.get('quote')!r}")
            for g in fp["near"]:
                lines.append(f"      gold here: {_describe(g)}  {g.get('quote')!r}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score extract_facts against labeled sets.")
    parser.add_argument("sets", nargs="*", help="directories with gold.jsonl, or gold.jsonl files")
    parser.add_argument("--json", action="store_true", help="one JSON object per set")
    parser.add_argument("--show-misses", action="store_true",
                        help="list false negatives and false positives with their quotes")
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.sets] or default_sets()
    extract = load_extractor()
    status = 0
    for path in paths:
        try:
            labeled, result, scores = evaluate(path, extract)
        except (OSError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 2
            continue
        if args.json:
            out = {"set": labeled.name, "docs": len(labeled.texts), **scores.to_dict(args.show_misses),
                   "crashes": sorted(result.errors), "bad_offsets": len(result.bad_offsets)}
            print(json.dumps(out, ensure_ascii=False, default=str))
        else:
            print(format_scores(f"{labeled.name}: {len(labeled.texts)} docs", scores, result,
                                args.show_misses))
            print()
    return status


if __name__ == "__main__":
    sys.exit(main())
