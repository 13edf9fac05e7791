"""Checking facts against the expectations written in rule tables and case files.

An expectation is a partial fact (only the fields it names are compared; "" stands for
no value). `exact` means the listed facts are all the text yields, one for one.
"""

from __future__ import annotations

from dataclasses import fields

from chipwatch.extractors.engine import Expect
from chipwatch.extractors.facts import Fact

FACT_FIELDS = {f.name for f in fields(Fact)}


def _matches(fact: Fact, spec: dict[str, object]) -> bool:
    for key, want in spec.items():
        got = getattr(fact, key)
        if want == "":
            want = None
        if isinstance(want, (int, float)) and not isinstance(want, bool) and got is not None:
            if abs(float(got) - float(want)) > 1e-9:
                return False
        elif got != want:
            return False
    return True


def _show(facts: list[Fact]) -> str:
    return "\n".join(f"  {f.action} chip={f.chip} actor={f.actor} status={f.status} "
                     f"value={f.value} negated={f.negated} quote={f.quote!r}" for f in facts)


def check(facts: list[Fact], expect: Expect, label: str) -> None:
    """Raise AssertionError, naming `label`, when `facts` break `expect`."""
    for spec in expect.present + expect.absent:
        unknown = set(spec) - FACT_FIELDS
        assert not unknown, f"{label}: unknown fact fields {sorted(unknown)}"
    if expect.none:
        assert not facts, f"{label}: expected no fact, got\n{_show(facts)}"
    unused = list(facts)
    for spec in expect.present:
        hit = next((f for f in unused if _matches(f, spec)), None)
        assert hit is not None, f"{label}: missing {spec}; got\n{_show(facts)}"
        unused.remove(hit)
    if expect.exact:
        assert not unused, f"{label}: unexpected facts\n{_show(unused)}"
    for spec in expect.absent:
        bad = [f for f in facts if _matches(f, spec)]
        assert not bad, f"{label}: must not yield {spec}; got\n{_show(bad)}"
