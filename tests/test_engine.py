"""The rule engine on rows of its own: validation errors name the row, guards look on the
side they say, trigger sets skip only what their hints rule out."""

from __future__ import annotations

import pytest

from chipwatch.extractors.engine import RuleError, TriggerSet, build_cue, build_guard, build_trigger

MODES = {"grant", "deny"}


def _trigger(**row):  # type: ignore[no-untyped-def]
    base = {"name": "t1", "mode": "grant", "pattern": r"\blets?\b", "example": "He lets it go.",
            "hints": ["let"]}
    base.update(row)
    return build_trigger(base, "t.toml: #1", "en", MODES, {"GAP": r"(?:\w+\s+)"})


def test_trigger_row_compiles_parts_and_fragments() -> None:
    t = _trigger(pattern=[r"\bopen\s+", "{{GAP}}{0,2}", r"door\b"], hints=["door"])
    assert t.pattern.search("They OPEN the big door today")  # ignore case by default
    assert not t.pattern.search("open it")
    assert t.language == "en" and t.hints == frozenset({"door"})


@pytest.mark.parametrize("row,message", [
    ({"mode": "maybe"}, "unknown mode"),
    ({"pattern": "(unclosed"}, "bad pattern"),
    ({"pattern": "{{NOPE}}"}, "unknown fragment"),
    ({"hints": ["Let"]}, "lower-case"),
    ({"example": ""}, "'example'"),
    ({"colour": "red"}, "unknown keys"),
    ({"case": "upper"}, "'case'"),
    ({"none": True, "yields": [{"action": "x"}]}, "contradict"),
])
def test_bad_trigger_rows_name_their_place(row: dict, message: str) -> None:
    with pytest.raises(RuleError) as err:
        _trigger(**row)
    assert str(err.value).startswith("t.toml: #1: ") and message in str(err.value)


def test_exact_case_is_case_sensitive() -> None:
    t = _trigger(pattern=r"\bUS\b", case="exact", hints=[])
    assert t.pattern.search("the US said") and not t.pattern.search("let us see")


def _guard(where: str, pattern: str, window: int | None = None):  # type: ignore[no-untyped-def]
    row = {"name": "g", "pattern": pattern, "where": where, "effect": "suppress",
           "example": "x"}
    if window:
        row["window"] = window
    return build_guard(row, "g.toml: #1")


def test_guard_sides_and_windows() -> None:
    text = "They did not say whether it would allow sales."
    start = text.index("allow")
    end = start + len("allow")
    assert _guard("before", r"\bwould\s+$").look(text, start, end)
    assert not _guard("before", r"\bnot\b", window=10).look(text, start, end)  # too far back
    assert _guard("before", r"\bnot\b").look(text, start, end)
    assert _guard("after", r"\s+sales\b").look(text, start, end)
    assert not _guard("after", r"sales").look(text, start, end)  # anchored at the span's end
    assert _guard("match", r"^allow$").look(text, start, end)
    assert _guard("sentence", r"\bwhether\b").look(text, start, end)
    assert _guard("before", r"\bwould\s+$").hits_in(text)
    assert not _guard("after", r"^zzz").hits_in(text)


def test_bad_guard_rows() -> None:
    with pytest.raises(RuleError, match="'where'"):
        build_guard({"name": "g", "pattern": "x", "where": "above", "effect": "suppress",
                     "example": "x"}, "g")
    with pytest.raises(RuleError, match="'effect'"):
        build_guard({"name": "g", "pattern": "x", "where": "before", "effect": "explode",
                     "example": "x"}, "g")
    with pytest.raises(RuleError, match="'window'"):
        build_guard({"name": "g", "pattern": "x", "where": "before", "effect": "suppress",
                     "window": 0, "example": "x"}, "g")


def test_cue_keeps_its_value() -> None:
    c = build_cue({"name": "fr", "pattern": r"\bFrance\b", "value": "France", "case": "exact"},
                  "c", "target")
    assert c.kind == "target" and c.value == "France" and c.pattern.search("in France")


def test_trigger_set_skips_only_by_hints() -> None:
    a = _trigger(name="a", pattern=r"\blets?\b", hints=["let"])
    b = _trigger(name="b", pattern=r"\bbans?\b", hints=["ban"])
    c = _trigger(name="c", pattern=r"\bgo\b", hints=[])
    triggers = TriggerSet([a, b, c])
    assert [t.name for t in triggers.candidates("They LET it through.")] == ["a", "c"]
    assert [t.name for t in triggers.candidates("A ban and a letter.")] == ["a", "b", "c"]
    assert len(triggers) == 3
