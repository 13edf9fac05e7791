"""Policy extraction checked on data: every case of tests/cases/policy/*.toml (text -> the
exact facts it must and must not yield, organised by behaviour) and every example sentence
of the rule tables (each trigger and guard row of extractors/policy/rules/)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from chipwatch.extractors.engine import build_expect
from chipwatch.extractors.facts import Fact
from chipwatch.extractors.policy import NAME, VERSION, extract_policy
from chipwatch.extractors.policy.tables import EN_TRIGGERS, GUARDS, JA_TRIGGERS
from policy_expect import check

CASES_DIR = Path(__file__).resolve().parent / "cases" / "policy"


def _cases() -> list[tuple[str, str, dict]]:
    out = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            rows = tomllib.load(fh)["case"]
        out += [(f"{path.stem}#{i + 1}", row["text"], row) for i, row in enumerate(rows)]
    return out


CASES = _cases()
TRIGGERS = list(EN_TRIGGERS.triggers) + list(JA_TRIGGERS.triggers)


def run(text: str) -> list[Fact]:
    facts = extract_policy(text)
    for f in facts:
        assert text[f.char_start:f.char_end] == f.quote
        assert f.kind == "policy"
        assert f.extractor == NAME and f.extractor_version == VERSION
    return facts


def test_the_case_files_cover_every_behaviour() -> None:
    names = {p.stem for p in CASES_DIR.glob("*.toml")}
    assert {"grants", "bans", "purchase_limits", "approvals", "reviews", "fees",
            "hedges_and_negation", "actors", "japanese", "not_statements"} <= names
    assert len(CASES) >= 300


@pytest.mark.parametrize("label,text,row", CASES, ids=[c[0] for c in CASES])
def test_case(label: str, text: str, row: dict) -> None:
    check(run(text), build_expect(row, label), f"{label} ({row.get('why', '')})")


@pytest.mark.parametrize("trigger", TRIGGERS, ids=[t.name for t in TRIGGERS])
def test_trigger_example(trigger) -> None:  # type: ignore[no-untyped-def]
    assert trigger.pattern.search(trigger.example), f"{trigger.name} does not match its example"
    low = trigger.example.lower()
    assert not trigger.hints or any(h in low for h in trigger.hints), trigger.name
    check(run(trigger.example), trigger.expect, trigger.name)


@pytest.mark.parametrize("name", sorted(GUARDS))
def test_guard_example(name: str) -> None:
    guard = GUARDS[name]
    assert guard.hits_in(guard.example), f"{name} does not fire on its example"
    check(run(guard.example), guard.expect, name)


def test_trigger_hints_never_hide_a_match() -> None:
    """The substring pre-check may only skip triggers that cannot match."""
    texts = [c[1] for c in CASES] + [t.example for t in TRIGGERS] + \
        [g.example for g in GUARDS.values()]
    for text in texts:
        low = text.lower()
        for t in EN_TRIGGERS.triggers:
            if t.pattern.search(text):
                assert any(h in low for h in t.hints), (t.name, text)
