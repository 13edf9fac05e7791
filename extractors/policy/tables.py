"""The policy rule tables: the TOML files of rules/ read once into engine records.

`read_table` is the one place that opens a rule file, so pointing the extractor at
another loader (the shared lexicon loader) changes one function. A malformed row stops
the import with its file and row, never an extraction halfway through an article.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from chipwatch.extractors.engine import (
    Cue,
    Guard,
    RuleError,
    Trigger,
    TriggerSet,
    build_cue,
    build_guard,
    build_trigger,
)
from chipwatch.extractors.policy.vocab import OUTLETS

RULES = Path(__file__).resolve().with_name("rules")

# How a trigger's mode is read is up to policy/candidates.py; a row naming any other mode
# is an error in the table.
MODES = frozenset({
    "allow", "allow_fixed", "resume", "extend", "ban", "ban_fixed", "ban_neg", "ban_list",
    "purchase", "purchase_fixed", "review", "review_up", "approval", "other", "other_gov",
    "threshold", "limit_value", "allow_g", "ban_g", "purchase_g", "approval_g", "review_g",
})


def read_table(name: str) -> dict[str, Any]:
    """One rule file of rules/ as plain data."""
    path = RULES / name
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(f"{path}: {exc}") from None


def _rows(table: dict[str, Any], file: str, section: str) -> list[tuple[str, dict[str, Any]]]:
    rows = table.get(section, [])
    if not isinstance(rows, list):
        raise RuleError(f"{file}: [[{section}]] must be an array of tables")
    return [(f"{file}: [[{section}]] #{i + 1} ({row.get('name', '?')})", row)
            for i, row in enumerate(rows)]


def _unique(records: list[Any], file: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for r in records:
        if r.name in out:
            raise RuleError(f"{file}: name {r.name!r} is used twice")
        out[r.name] = r
    return out


def _load_triggers(file: str, language: str) -> list[Trigger]:
    table = read_table(file)
    fragments = {"OUTLETS": OUTLETS, **table.get("fragments", {})}
    triggers = [build_trigger(row, where, language, set(MODES), fragments)
                for where, row in _rows(table, file, "trigger")]
    _unique(triggers, file)
    return triggers


def _load_guards() -> dict[str, Guard]:
    table = read_table("guards.toml")
    return _unique([build_guard(row, where) for where, row in _rows(table, "guards.toml", "guard")],
                   "guards.toml")


_CUE_KINDS = ("status", "attribution", "target", "actor", "time")


def _load_cues(file: str, kinds: tuple[str, ...]) -> dict[str, list[Cue]]:
    table = read_table(file)
    unknown = set(table) - set(kinds)
    if unknown:
        raise RuleError(f"{file}: unknown sections {sorted(unknown)}")
    fragments = {"OUTLETS": OUTLETS}
    return {kind: [build_cue(row, where, kind, fragments) for where, row in _rows(table, file, kind)]
            for kind in kinds}


EN_TRIGGERS = TriggerSet(_load_triggers("triggers_en.toml", "en"))
JA_TRIGGERS = TriggerSet(_load_triggers("triggers_ja.toml", "ja"))
GUARDS = _load_guards()
_CUES = _load_cues("cues.toml", _CUE_KINDS)
_WORDS = _unique(_load_cues("words.toml", ("words",))["words"], "words.toml")
_NAMED_CUES = _unique([c for kind in ("actor", "time") for c in _CUES[kind]], "cues.toml")

# Hedges in the order they are tried; attribution forms in order; destinations in order
# (the first named in a sentence wins).
STATUS_CUES: list[tuple[str, re.Pattern[str]]] = [(c.name, c.pattern) for c in _CUES["status"]]
ATTRIBUTION: list[re.Pattern[str]] = [c.pattern for c in _CUES["attribution"]]
TARGETS: list[tuple[re.Pattern[str], str]] = [(c.pattern, c.value or c.name) for c in _CUES["target"]]


def guard(name: str) -> re.Pattern[str]:
    """The pattern of a guard of guards.toml."""
    return GUARDS[name].pattern


def words(name: str) -> re.Pattern[str]:
    """The pattern of a word class of words.toml."""
    return _WORDS[name].pattern


def cue(name: str) -> re.Pattern[str]:
    """The pattern of an actor or time cue of cues.toml."""
    return _NAMED_CUES[name].pattern


def all_cues() -> dict[str, list[Cue]]:
    """Every cue by kind, word classes included (for tests and documentation)."""
    return {**_CUES, "words": list(_WORDS.values())}
