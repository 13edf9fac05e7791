"""Train the policy sentence model shipped in extractors/learned/, and say how good it is.

Usage:
    python bench/train_policy_model.py [--out PATH] [--folds 5] [--no-write]

Needs the `train` extra (scikit-learn, numpy); the shipped model is read without them.

Data: every labeled set under tests/data that has policy facts, and the real dev set
(../shared/corpus/dev) when present. The sets in BLIND below are never trained on.
Each text is cut into sentences; a sentence is labeled with the actions of the gold policy
facts whose quote or alt_quote lies inside it (several actions are possible), else none.

Printed, in order:
1. cross-validated (GroupKFold by document) per-class precision, recall and F1;
2. the combined extractor (rules + model) on the held-out folds for each candidate fact
   threshold, and the threshold chosen: the best held-out policy F1 among thresholds
   whose model facts are at least as precise as the rules' facts (else off);
3. the confidence analysis: the lowest confidence whose facts are >= 0.9 precise, on the
   held-out folds and on dev at first sight (the rules were fitted to most labeled sets,
   so the folds flatter them); the stricter of the two is the default of
   [alerts] min_confidence;
4. the honest first-sight number: the whole procedure rerun without the dev set, and the
   combined extractor with that model scored on dev;
5. the validation step: the rules were fitted to the training sets, so on the held-out
   folds they look far more precise (0.9+) than on news nobody fitted them to (about 0.8 on
   the blind sets), and the folds' choice of threshold keeps model facts off. The sets
   tests/data/heldout24 (English) and heldout25 (mostly Japanese), never trained on, stand
   in for unseen news, pooled: the fact threshold is the one with the best policy F1 over
   both among those keeping precision >= 0.80. tests/data/heldout27 and heldout28 stay
   untouched as the test sets.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import gzip
import hashlib
import json
import math
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extract_eval import LabeledSet, fact_matches, gold_quotes, load_set, score  # noqa: E402

from chipwatch.extractors import rule_facts  # noqa: E402
from chipwatch.extractors.facts import ACTIONS, Fact  # noqa: E402
from chipwatch.extractors.language.sentences import Span, split_sentences  # noqa: E402
from chipwatch.extractors.learned import combine  # noqa: E402
from chipwatch.extractors.learned.features import sentence_features  # noqa: E402
from chipwatch.extractors.learned.model import FORMAT, MODEL_FILE, MODEL_VERSION, PolicyModel  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
DEV = REPO.parent / "shared" / "corpus" / "dev"
# Written blind for first-sight scoring: never trained on. heldout24 and heldout25 are the
# validation sets that pick the model-fact threshold (below; one English, one mostly
# Japanese, so the choice is not made for one language); heldout27 and heldout28 are the test
# sets nobody tunes on.
BLIND = frozenset({"heldout24", "heldout25", "heldout27", "heldout28"})
VALIDATION = (DATA / "heldout24", DATA / "heldout25")
# A threshold is only taken when the combined facts stay this precise on the validation sets:
# above the 0.70 a user should be able to count on for unseen news, with room to spare.
VALIDATION_MIN_PRECISION = 0.80

CLASSES = ["policy", *ACTIONS]
HYPER = {"C": 4.0, "min_df": 2, "class_weight": None, "solver": "liblinear",
         "features": "word 1-2 grams + char 4-grams in words, digits folded; cue groups; "
                     "sublinear tf-idf, l2"}
THRESHOLD_GRID = [round(0.30 + 0.05 * i, 2) for i in range(14)]  # 0.30 .. 0.95
OFF = 1.01  # a threshold no probability reaches
MIN_MODEL_FACTS = 5  # fewer held-out model facts than this say nothing about their precision
ALERT_PRECISION = 0.9
BAND = 0.1      # width of a confidence band in the alert-floor analysis
MIN_BAND = 10   # bands with fewer facts are too noisy to decide on
DECIMALS = 4


@dataclass
class Example:
    group: str            # set/doc: folds never split a document
    text: str
    labels: set[str] = field(default_factory=set)


@dataclass
class Doc:
    group: str
    set_name: str
    text: str
    gold: list[dict[str, Any]]
    rules: list[Fact]


# ---------------------------------------------------------------- data


def labeled_sets(with_dev: bool) -> list[tuple[str, LabeledSet]]:
    out = []
    for d in sorted(p for p in DATA.iterdir() if p.is_dir()):
        if d.name in BLIND or not (d / "gold.jsonl").exists():
            continue
        ls = load_set(d)
        if any(g.get("kind") == "policy" for g in ls.gold):
            out.append((d.name, ls))
    if with_dev and (DEV / "gold.jsonl").exists():
        out.append(("dev", load_set(DEV)))
    return out


def spans_of(text: str, quote: str) -> list[tuple[int, int]]:
    out, pos = [], text.find(quote)
    while pos >= 0:
        out.append((pos, pos + len(quote)))
        pos = text.find(quote, pos + 1)
    return out


def sentence_labels(text: str, sentences: list[Span], gold: list[dict[str, Any]]) -> list[set[str]]:
    """Each sentence's gold actions: a quote inside it, or mostly inside it when it crosses."""
    labels: list[set[str]] = [set() for _ in sentences]
    for g in gold:
        if g.get("kind") != "policy":
            continue
        for quote in gold_quotes(g):
            for a, b in spans_of(text, quote):
                best, share = None, 0
                for i, s in enumerate(sentences):
                    overlap = min(b, s.end) - max(a, s.start)
                    if overlap > share:
                        best, share = i, overlap
                if best is not None:
                    labels[best].add(g.get("action") or "other")
    return labels


def build(sets: list[tuple[str, LabeledSet]]) -> tuple[list[Example], list[Doc]]:
    examples: list[Example] = []
    docs: list[Doc] = []
    for set_name, ls in sets:
        by_doc: dict[str, list[dict[str, Any]]] = {}
        for g in ls.gold:
            by_doc.setdefault(g["doc"], []).append(g)
        for doc, text in sorted(ls.texts.items()):
            group = f"{set_name}/{doc}"
            sentences = split_sentences(text)
            for s, labs in zip(sentences, sentence_labels(text, sentences, by_doc.get(doc, []))):
                if len(s.text) >= combine.MIN_SENTENCE_CHARS or labs:
                    examples.append(Example(group, s.text, labs))
            docs.append(Doc(group, set_name, text, by_doc.get(doc, []), rule_facts(text)))
    return examples, docs


# ---------------------------------------------------------------- model


@dataclass
class Trained:
    vec: DictVectorizer
    tfidf: TfidfTransformer
    clfs: dict[str, LogisticRegression]


def fit(examples: list[Example]) -> Trained:
    feats = [sentence_features(e.text) for e in examples]
    df: dict[str, int] = {}
    for f in feats:
        for k in f:
            df[k] = df.get(k, 0) + 1
    keep = {k for k, n in df.items() if n >= HYPER["min_df"]}
    vec = DictVectorizer()
    X = vec.fit_transform([{k: v for k, v in f.items() if k in keep} for f in feats])
    tfidf = TfidfTransformer(sublinear_tf=True)
    X = tfidf.fit_transform(X)
    clfs = {}
    policy_rows = np.array([i for i, e in enumerate(examples) if e.labels])
    for c in CLASSES:
        rows = examples if c == "policy" else [examples[i] for i in policy_rows]
        y = np.array([1 if (c == "policy" and e.labels) or c in e.labels else 0 for e in rows])
        clf = LogisticRegression(C=HYPER["C"], solver=HYPER["solver"], class_weight=HYPER["class_weight"])
        if y.sum() == 0:
            y[0] = 1  # a class absent from this fold: a model that says almost never
        clf.fit(X if c == "policy" else X[policy_rows], y)
        clfs[c] = clf
    return Trained(vec, tfidf, clfs)


def export(t: Trained, extra: dict[str, Any]) -> dict[str, Any]:
    names = list(t.vec.get_feature_names_out())
    weights = {c: [round(float(w), DECIMALS) for w in t.clfs[c].coef_[0]] for c in CLASSES}
    # Features no class leans on are kept for the norm only if they carry weight somewhere.
    return {
        "format": FORMAT, "name": combine.NAME, "version": MODEL_VERSION, "classes": CLASSES,
        "features": names, "idf": [round(float(x), DECIMALS) for x in t.tfidf.idf_],
        "weights": weights,
        "intercepts": {c: round(float(t.clfs[c].intercept_[0]), DECIMALS) for c in CLASSES},
        **extra,
    }


def as_model(t: Trained, extra: dict[str, Any] | None = None) -> PolicyModel:
    return PolicyModel.from_dict(export(t, extra or {}))


# ---------------------------------------------------------------- cross-validation


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def class_scores(examples: list[Example], probs: list[dict[str, float]], cut: float = 0.5) -> dict[str, dict[str, float]]:
    """Per class, on every sentence: an action counts as predicted when both the policy
    score and the action's conditional score reach `cut`."""
    out = {}
    for c in CLASSES:
        tp = fp = fn = 0
        for e, p in zip(examples, probs):
            gold = bool(e.labels) if c == "policy" else c in e.labels
            got = p["policy"] >= cut and p[c] >= cut
            tp += gold and got
            fp += got and not gold
            fn += gold and not got
        P, R, F = prf(tp, fp, fn)
        out[c] = {"precision": round(P, 3), "recall": round(R, 3), "f1": round(F, 3), "support": tp + fn}
    return out


def rule_precision(docs: list[Doc]) -> dict[str, float]:
    """Precision of each rule family (extractor and action or kind), smoothed toward the
    extractor's overall precision so that rare families do not get 0 or 1."""
    counts: dict[str, list[int]] = {}
    for d in docs:
        for f in d.rules:
            ok = int(any(fact_matches(g, f) for g in d.gold))
            sub = f.action if f.kind == "policy" else f.kind
            for key in (f.extractor, f"{f.extractor}:{sub}", f"kind:{f.kind}"):
                counts.setdefault(key, [0, 0])
                counts[key][0] += ok
                counts[key][1] += 1
    out = {}
    for key, (ok, n) in counts.items():
        base = counts.get(key.split(":")[0], [ok, n]) if not key.startswith("kind:") else [ok, n]
        prior = base[0] / base[1] if base[1] else 0.8
        out[key] = round((ok + 5 * prior) / (n + 5), 4)
    return out


@dataclass
class Oof:
    """Out-of-fold material: sentence probabilities and the combined extractor's facts."""
    probs: list[dict[str, float]]
    facts: dict[str, list[Fact]]       # doc group -> facts (rules + model at the lowest threshold)
    rule_scores: dict[int, dict[str, float]]  # id(rule fact) -> its sentence's scores


def cross_validate(examples: list[Example], docs: list[Doc], folds: int, priors: dict[str, float]) -> Oof:
    groups = [e.group for e in examples]
    probs: list[dict[str, float] | None] = [None] * len(examples)
    facts: dict[str, list[Fact]] = {}
    rule_scores: dict[int, dict[str, float]] = {}
    doc_by_group = {d.group: d for d in docs}
    low = {"fact": THRESHOLD_GRID[0], "covered": THRESHOLD_GRID[0], "clause": 0.5}
    for k, (train_idx, test_idx) in enumerate(GroupKFold(n_splits=folds).split(examples, groups=groups)):
        t = fit([examples[i] for i in train_idx])
        model = as_model(t, {"thresholds": low, "rule_precision": priors})
        for i in test_idx:
            probs[i] = model.scores(examples[i].text)
        for g in sorted({groups[i] for i in test_idx}):
            d = doc_by_group[g]
            got = combine.apply(d.text, copy.deepcopy(d.rules), model)
            sentences = split_sentences(d.text)
            for f in got:
                if f.extractor != combine.NAME and f.kind == "policy":
                    s = next((s for s in sentences if s.start <= f.char_start < s.end), None)
                    rule_scores[id(f)] = model.scores(s.text) if s else {}
            facts[g] = got
        # documents without any sentence example (empty texts) still need their rule facts
        print(f"  fold {k + 1}/{folds} done", file=sys.stderr)
    for d in docs:
        facts.setdefault(d.group, copy.deepcopy(d.rules))
    return Oof([p or {} for p in probs], facts, rule_scores)


Cuts = tuple[float, float]  # (fact, covered) thresholds


def at_threshold(facts: list[Fact], cuts: Cuts) -> list[Fact]:
    """The facts a model with these thresholds would have produced."""
    out = []
    for f in facts:
        if f.extractor == combine.NAME:
            p, a = f.extra.get("model_policy", 0.0), f.extra.get("model_action", 0.0)
            if (p * a < cuts[1]) if f.extra.get("covered") else (p < cuts[0]):
                continue
        out.append(f)
    return out


def combined_scores(docs: list[Doc], facts: dict[str, list[Fact]], cuts: Cuts) -> dict[str, Any]:
    gold = [{**g, "doc": d.group} for d in docs for g in d.gold]
    kept = {d.group: at_threshold(facts[d.group], cuts) for d in docs}
    s = score(gold, kept).family("policy")
    mtp = mfp = 0
    for d in docs:
        for f in kept[d.group]:
            if f.extractor == combine.NAME:
                ok = any(fact_matches(g, f) for g in d.gold)
                mtp += ok
                mfp += not ok
    return {"fact": cuts[0], "covered": cuts[1], "precision": round(s.precision, 4), "recall": round(s.recall, 4),
            "f1": round(s.f1, 4), "model_facts": mtp + mfp,
            "model_precision": round(mtp / (mtp + mfp), 4) if mtp + mfp else None}


def choose(rows: list[dict[str, Any]], key: str, floor: float) -> float:
    """The best held-out policy F1 of rules + model (ties: the stricter threshold) among
    the thresholds whose model facts are at least `floor` precise (the rules' own held-out
    precision): a model fact less likely right than a rule fact only dilutes the facts.
    Off when no threshold qualifies."""
    ok = [r for r in rows if r["model_facts"] >= MIN_MODEL_FACTS and r["model_precision"] >= floor]
    return max(ok, key=lambda r: (r["f1"], r[key]))[key] if ok else OFF


def threshold_tables(docs: list[Doc], oof: "Oof") -> tuple[Cuts, list[dict[str, Any]], list[dict[str, Any]], float]:
    """First the threshold for sentences the rules did not read (the other kind off), then
    the one for a further action in sentences they did."""
    floor = combined_scores(docs, oof.facts, (OFF, OFF))["precision"]
    fact_rows = [combined_scores(docs, oof.facts, (c, OFF)) for c in [*THRESHOLD_GRID, OFF]]
    fact_cut = choose(fact_rows, "fact", floor)
    covered_rows = [combined_scores(docs, oof.facts, (fact_cut, c)) for c in [*THRESHOLD_GRID, OFF]]
    return (fact_cut, choose(covered_rows, "covered", floor)), fact_rows, covered_rows, floor


def _lg(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def fit_combiner(docs: list[Doc], oof: Oof, priors: dict[str, float], cut: Cuts) -> dict[str, float]:
    """Two small logistic fits on held-out facts: is a rule fact / a model fact right,
    given the prior and the model's sentence scores."""
    rx, ry, mx, my = [], [], [], []
    for d in docs:
        for f in at_threshold(oof.facts[d.group], cut):
            if f.kind != "policy":
                continue
            ok = int(any(fact_matches(g, f) for g in d.gold))
            if f.extractor == combine.NAME:
                mx.append([_lg(f.extra["model_policy"]), _lg(f.extra["model_action"])])
                my.append(ok)
            elif id(f) in oof.rule_scores:
                s = oof.rule_scores[id(f)]
                rx.append([_lg(combine.prior_of(_priors_only(priors), f)), _lg(s.get("policy", .5)),
                           _lg(s.get(f.action or "", .5))])
                ry.append(ok)
    out: dict[str, float] = {}
    if len(set(ry)) == 2:
        lr = LogisticRegression(C=1.0).fit(np.array(rx), np.array(ry))
        out.update(rule_bias=float(lr.intercept_[0]), rule_prior=float(lr.coef_[0][0]),
                   rule_policy=float(lr.coef_[0][1]), rule_action=float(lr.coef_[0][2]))
    if len(set(my)) == 2:
        lr = LogisticRegression(C=1.0).fit(np.array(mx), np.array(my))
        out.update(model_bias=float(lr.intercept_[0]), model_policy=float(lr.coef_[0][0]),
                   model_action=float(lr.coef_[0][1]))
    return {k: round(v, DECIMALS) for k, v in out.items()}


def _priors_only(priors: dict[str, float]) -> PolicyModel:
    return PolicyModel(classes=[], index={}, idf=[], weights=[], intercepts=[], rule_precision=priors)


def lowest_precise(scored: list[tuple[float, int]]) -> tuple[float | None, list[dict[str, Any]]]:
    """Precision of the facts at or above each confidence, and of the band just above it
    (t to t + BAND): the lowest t whose own band and every band above it (of at least
    MIN_BAND facts) are >= ALERT_PRECISION precise, so that what an alert floor at t lets
    through is, band by band, that precise."""
    rows = []
    grid = [round(0.05 * i, 2) for i in range(20)]
    for t in grid:
        kept = [ok for c, ok in scored if c >= t]
        band = [ok for c, ok in scored if t <= c < t + BAND]
        rows.append({"min_confidence": t, "facts": len(kept),
                     "precision": round(sum(kept) / len(kept), 4) if kept else None,
                     "band_facts": len(band),
                     "band_precision": round(sum(band) / len(band), 4) if band else None})
    chosen = None
    for r in reversed(rows):
        if r["band_facts"] >= MIN_BAND and (r["band_precision"] or 0) < ALERT_PRECISION:
            break
        if r["band_facts"]:
            chosen = r["min_confidence"]
    if chosen is not None and not any(
            r["band_facts"] >= MIN_BAND for r in rows if r["min_confidence"] >= chosen):
        chosen = None
    return chosen, rows


def dev_confidence(model: PolicyModel) -> list[tuple[float, int]]:
    """(confidence, right) of every fact the combined extractor finds on dev."""
    ls = load_set(DEV)
    gold: dict[str, list[dict[str, Any]]] = {}
    for g in ls.gold:
        gold.setdefault(g["doc"], []).append(g)
    out = []
    for doc, text in ls.texts.items():
        for f in combine.apply(text, rule_facts(text), model):
            out.append((f.confidence or 0.0, int(any(fact_matches(g, f) for g in gold.get(doc, [])))))
    return out


def confidence_analysis(docs: list[Doc], oof: Oof, model: PolicyModel, cut: Cuts) -> tuple[float | None, list[dict[str, Any]]]:
    """Recompute every held-out fact's confidence with the fitted combiner."""
    scored: list[tuple[float, int]] = []
    for d in docs:
        for f in at_threshold(oof.facts[d.group], cut):
            ok = int(any(fact_matches(g, f) for g in d.gold))
            prior = combine.prior_of(model, f)
            if f.extractor == combine.NAME:
                conf = combine.model_confidence(model, {"policy": f.extra["model_policy"],
                                                        f.action: f.extra["model_action"]}, f.action or "")
            elif f.kind == "policy" and id(f) in oof.rule_scores:
                conf = combine.rule_confidence(model, prior, oof.rule_scores[id(f)], f.action)
            else:
                conf = prior
            scored.append((conf, ok))
    return lowest_precise(scored)


# ---------------------------------------------------------------- the whole procedure


def procedure(with_dev: bool, folds: int) -> tuple[dict[str, Any], list[Doc]]:
    sets = labeled_sets(with_dev)
    examples, docs = build(sets)
    priors = rule_precision(docs)
    oof = cross_validate(examples, docs, folds, priors)
    per_class = class_scores(examples, oof.probs)
    cut, rows, covered_rows, rules_precision = threshold_tables(docs, oof)
    combiner = fit_combiner(docs, oof, priors, cut)
    extra = {"thresholds": {"fact": cut[0], "covered": cut[1], "clause": 0.5},
             "rule_precision": priors, "combiner": combiner}
    alert_min, conf_rows = confidence_analysis(docs, oof, _with(priors, combiner, cut), cut)
    final = fit(examples)
    counts = {"sentences": len(examples), "policy_sentences": sum(1 for e in examples if e.labels),
              "documents": len(docs), **{c: sum(1 for e in examples if c in e.labels) for c in ACTIONS}}
    record = export(final, {
        **extra,
        "alert_min_confidence": alert_min,
        "trained_on": {"sets": [name for name, _ in sets], "excluded": sorted(BLIND),
                       "counts": counts, "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                       "data_commit": git_commit(), "dev_gold_sha256": dev_hash() if with_dev else None},
        "hyper": HYPER,
        "rules_heldout_policy_precision": rules_precision,
        "cv": {"folds": folds, "grouped_by": "document", "per_class_at_0.5": per_class,
               "combined_by_threshold": rows, "combined_by_covered_threshold": covered_rows,
               "confidence_precision": conf_rows},
    })
    return record, docs


def _with(priors: dict[str, float], combiner: dict[str, float], cut: float) -> PolicyModel:
    return PolicyModel(classes=[], index={}, idf=[], weights=[], intercepts=[], rule_precision=priors,
                       combiner=combiner, thresholds={"fact": cut[0], "covered": cut[1]})


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%H", "--", "tests/data"],
                             capture_output=True, text=True, timeout=30)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def dev_hash() -> str | None:
    gold = DEV / "gold.jsonl"
    return hashlib.sha256(gold.read_bytes()).hexdigest() if gold.exists() else None


def score_on(set_path: Path, model: PolicyModel) -> dict[str, Any]:
    ls = load_set(set_path)
    preds = {}
    for doc, text in ls.texts.items():
        preds[doc] = combine.apply(text, rule_facts(text), model)
    s = score(ls.gold, preds)
    return {fam: s.family(fam).to_dict() for fam in ("figures", "policy")}


def print_report(title: str, record: dict[str, Any]) -> None:
    cv = record["cv"]
    print(f"== {title}: {record['trained_on']['counts']}")
    print(f"   sets: {', '.join(record['trained_on']['sets'])}")
    print(f"-- cross-validated per class ({cv['folds']} folds, grouped by document, cut 0.5)")
    print(f"   {'class':18}{'P':>7}{'R':>7}{'F1':>7}{'n':>6}")
    for c, s in cv["per_class_at_0.5"].items():
        print(f"   {c:18}{s['precision']:7.3f}{s['recall']:7.3f}{s['f1']:7.3f}{s['support']:6d}")
    for key, label, table in (
            ("fact", "policy score, sentences without a rule fact", "combined_by_threshold"),
            ("covered", "policy x action, a further action where the rules found one",
             "combined_by_covered_threshold")):
        print(f"-- rules + model on the held-out folds, policy family, by threshold on {label}")
        print(f"   {'cut':>5}{'P':>7}{'R':>7}{'F1':>7}{'model facts':>13}{'their P':>9}")
        for r in cv[table]:
            mp = "-" if r["model_precision"] is None else f"{r['model_precision']:.3f}"
            cut = "off" if r[key] > 1 else f"{r[key]:.2f}"
            print(f"   {cut:>5}{r['precision']:7.3f}{r['recall']:7.3f}{r['f1']:7.3f}"
                  f"{r['model_facts']:13d}{mp:>9}")
        print(f"   chosen: {record['thresholds'][key]} (best held-out F1 among thresholds whose model "
              f"facts are >= {record['rules_heldout_policy_precision']} precise, the rules' own; "
              f"{OFF} = off)")
    print("-- confidence vs precision (held-out facts, all kinds)")
    print_confidence(cv["confidence_precision"])
    print(f"   lowest floor whose bands are >= {ALERT_PRECISION} precise: {record['alert_min_confidence']}")
    print(f"   combiner: {record['combiner']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(MODEL_FILE))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-write", action="store_true", help="report only; keep the shipped file")
    ap.add_argument("--validate-only", action="store_true",
                    help="keep the shipped weights; only choose the fact threshold on the validation set")
    args = ap.parse_args(argv)
    if args.validate_only:
        with gzip.open(args.out, "rb") as fh:
            shipped = json.loads(fh.read())
        validate(shipped)
        shipped["version"] = MODEL_VERSION  # a new threshold changes the facts: a new version
        if not args.no_write:
            write(shipped, Path(args.out))
        return 0

    have_dev = (DEV / "gold.jsonl").exists()
    if have_dev:
        nodev, _ = procedure(with_dev=False, folds=args.folds)
        print_report("trained WITHOUT dev", nodev)
        first = score_on(DEV, PolicyModel.from_dict(nodev))
        rules = {}
        ls = load_set(DEV)
        s = score(ls.gold, {doc: rule_facts(t) for doc, t in ls.texts.items()})
        rules = {fam: s.family(fam).to_dict() for fam in ("figures", "policy")}
        print(f"== dev, rules only:            policy {_pr(rules['policy'])}  figures {_pr(rules['figures'])}")
        print(f"== dev, rules + model w/o dev: policy {_pr(first['policy'])}  figures {_pr(first['figures'])}"
              "   (first sight for the model)")
        print()
        dev_min, dev_rows = lowest_precise(dev_confidence(PolicyModel.from_dict(nodev)))
        print("-- confidence vs precision on dev, model trained without dev")
        print_confidence(dev_rows)
        print(f"   lowest floor whose bands are >= {ALERT_PRECISION} precise on dev: {dev_min}")
        print()
    record, _ = procedure(with_dev=have_dev, folds=args.folds)
    if have_dev:
        record["first_sight_dev"] = {"rules_only": rules, "rules_plus_model_without_dev": first,
                                     "confidence_precision": dev_rows, "lowest_precise": dev_min}
        cands = [x for x in (record["alert_min_confidence"], dev_min) if x is not None]
        record["alert_min_confidence"] = max(cands) if cands else None
        print(f"default [alerts] min_confidence (stricter of held-out folds and dev): {record['alert_min_confidence']}")
    print_report("trained on everything" if have_dev else "trained (no dev set here)", record)
    if all((v / "gold.jsonl").exists() for v in VALIDATION):
        validate(record)
    if not args.no_write:
        write(record, Path(args.out))
    return 0


def write(record: dict[str, Any], out: Path) -> None:
    data = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
    with gzip.GzipFile(out, "wb", mtime=0) as fh:
        fh.write(data)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB, {len(record['features'])} features)")


def validate(record: dict[str, Any]) -> None:
    """Pick the model-fact threshold on the validation sets, pooled (see the module docstring)."""
    rows = []
    for cut in [*THRESHOLD_GRID, OFF]:
        trial = copy.deepcopy(record)
        trial["thresholds"]["fact"] = cut
        model = PolicyModel.from_dict(trial)
        pooled = [score_on(v, model)["policy"] for v in VALIDATION]
        gold, found, pred, correct = (sum(p[k] for p in pooled)
                                      for k in ("gold", "found", "predicted", "correct"))
        precision = correct / pred if pred else 0.0
        recall = found / gold if gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append({"fact": cut, "precision": round(precision, 4), "recall": round(recall, 4),
                     "f1": round(f1, 4)})
    ok = [r for r in rows if r["precision"] >= VALIDATION_MIN_PRECISION]
    chosen = max(ok, key=lambda r: (r["f1"], r["fact"]))["fact"] if ok else OFF
    names = " + ".join(v.name for v in VALIDATION)
    print(f"-- validation on {names} (never trained on, pooled), policy family, by fact threshold")
    print(f"   {'cut':>5}{'P':>7}{'R':>7}{'F1':>7}")
    for r in rows:
        cut = "off" if r["fact"] > 1 else f"{r['fact']:.2f}"
        print(f"   {cut:>5}{r['precision']:7.3f}{r['recall']:7.3f}{r['f1']:7.3f}")
    print(f"   chosen: {chosen} (best F1 with P >= {VALIDATION_MIN_PRECISION}; the folds chose "
          f"{record['thresholds']['fact']})")
    record["thresholds"]["fact"] = chosen
    record["validation"] = {"sets": [v.name for v in VALIDATION], "min_precision": VALIDATION_MIN_PRECISION,
                            "by_fact_threshold": rows, "chosen": chosen}


def print_confidence(rows: list[dict[str, Any]]) -> None:
    print(f"   {'floor':>6}{'facts':>7}{'P':>7}   band{'facts':>7}{'P':>7}")
    for r in rows:
        p = "-" if r["precision"] is None else f"{r['precision']:.3f}"
        bp = "-" if r["band_precision"] is None else f"{r['band_precision']:.3f}"
        print(f"   {r['min_confidence']:6.2f}{r['facts']:7d}{p:>7}   {r['min_confidence']:.2f}+{r['band_facts']:6d}{bp:>7}")


def _pr(d: dict[str, Any]) -> str:
    return f"P {d['precision']:.3f} R {d['recall']:.3f} F1 {d['f1']:.3f}"


if __name__ == "__main__":
    sys.exit(main())
