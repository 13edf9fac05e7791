"""The shipped policy sentence model: read lazily, scored in pure Python.

The file (policy_model.json.gz) holds the vocabulary with its idf, one weight per class
for each feature, the intercepts, the thresholds the training script chose by
cross-validation, and a record of what it was trained on. No scikit-learn and no pickle
at run time: a JSON file cannot run code, and loading it is fast.
"""

from __future__ import annotations

import gzip
import json
import logging
import math
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chipwatch.extractors.learned.features import sentence_features

log = logging.getLogger(__name__)

MODEL_FILE = Path(__file__).resolve().parent / "policy_model.json.gz"
FORMAT = 1
# The version of the shipped file, written into it by the training script: bump it with
# every retrained file, so that `chipwatch reextract` rescores stored snapshots. Kept here
# so that listing the extractors does not read the weights.
MODEL_VERSION = "2"


@dataclass
class PolicyModel:
    """One-vs-rest linear models: `policy` is P(the sentence states policy); each action
    class is P(that action | a policy sentence), trained on policy sentences only, so the
    action scores compare actions rather than repeat how policy-like the sentence is."""

    classes: list[str]
    index: dict[str, int]            # feature name -> row
    idf: list[float]
    weights: list[tuple[float, ...]]  # per feature, one weight per class
    intercepts: list[float]
    thresholds: dict[str, float] = field(default_factory=dict)
    rule_precision: dict[str, float] = field(default_factory=dict)
    combiner: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    version: str = "0"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PolicyModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"policy model format {data.get('format')!r}, expected {FORMAT}")
        names = data["features"]
        classes = list(data["classes"])
        columns = [data["weights"][c] for c in classes]
        weights = [tuple(col[i] for col in columns) for i in range(len(names))]
        return cls(
            classes=classes,
            index={n: i for i, n in enumerate(names)},
            idf=list(data["idf"]),
            weights=weights,
            intercepts=[float(data["intercepts"][c]) for c in classes],
            thresholds=dict(data.get("thresholds") or {}),
            rule_precision=dict(data.get("rule_precision") or {}),
            combiner=dict(data.get("combiner") or {}),
            meta={k: v for k, v in data.items()
                  if k not in ("features", "idf", "weights", "intercepts")},
            version=str(data.get("version", "0")),
        )

    def scores(self, sentence: str) -> dict[str, float]:
        """Probability of each class for one sentence (independent, one-vs-rest)."""
        reader = self.reader(sentence)
        return {c: reader.get(c, 0.0) for c in self.classes}

    def reader(self, sentence: str) -> SentenceScores:
        """The sentence's scores, each class computed when first asked for: most sentences
        only ever need `policy`."""
        feats = sentence_features(sentence)
        vals: list[tuple[int, float]] = []
        norm = 0.0
        for name, count in feats.items():
            i = self.index.get(name)
            if i is None:
                continue
            x = self.idf[i] if count == 1 else (1.0 + math.log(count)) * self.idf[i]
            vals.append((i, x))
            norm += x * x
        scale = 1.0 / math.sqrt(norm) if norm > 0 else 0.0
        return SentenceScores(self, [(self.weights[i], x * scale) for i, x in vals])


class SentenceScores:
    """Class probabilities of one sentence, read like a dict and computed lazily."""

    def __init__(self, model: PolicyModel, vector: list[tuple[tuple[float, ...], float]]):
        self._model = model
        self._vector = vector
        self._done: dict[str, float] = {}

    def __contains__(self, cls: object) -> bool:
        return cls in self._model.classes

    def get(self, cls: str, default: float = 0.0) -> float:
        if cls in self._done:
            return self._done[cls]
        try:
            c = self._model.classes.index(cls)
        except ValueError:
            return default
        z = self._model.intercepts[c] + sum(w[c] * x for w, x in self._vector)
        self._done[cls] = p = _sigmoid(z)
        return p

    def __getitem__(self, cls: str) -> float:
        if cls not in self:
            raise KeyError(cls)
        return self.get(cls)


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def read_model(path: str | Path) -> PolicyModel:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return PolicyModel.from_dict(json.load(fh))


_lock = threading.Lock()
_loaded: PolicyModel | None = None
_unusable = False  # a missing or broken file is reported once, not on every article


def shipped_model() -> PolicyModel | None:
    """The model shipped with the package, read on first use; None when it is missing or
    unreadable (facts are then left unscored, like those stored before confidences)."""
    global _loaded, _unusable
    if _loaded is None and not _unusable:
        with _lock:
            if _loaded is None and not _unusable:
                try:
                    _loaded = read_model(MODEL_FILE)
                except (OSError, ValueError, KeyError, TypeError) as exc:
                    _unusable = True
                    log.error("policy model %s unusable (%s): facts get no confidence",
                              MODEL_FILE, exc)
                    return None
                if _loaded.version != MODEL_VERSION:
                    log.warning("%s is version %s, the code expects %s: retrain or bump "
                                "MODEL_VERSION", MODEL_FILE.name, _loaded.version, MODEL_VERSION)
    return _loaded

