"""Rows (plain dicts from a data file) -> validated, compiled records.

Patterns may be written as a list of parts, joined without separators, and may name
shared fragments as {{NAME}}; `case = "exact"` compiles without IGNORECASE.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from chipwatch.errors import RuleTableError
from chipwatch.extractors.engine.records import EFFECTS, WHERE, Cue, Expect, Guard, Trigger

_FRAGMENT = re.compile(r"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}")


RuleError = RuleTableError  # a rule row that cannot be used; the message starts with where it is


def _fail(where: str, message: str) -> RuleError:
    return RuleError(f"{where}: {message}")


def _text(row: Mapping[str, Any], key: str, where: str, required: bool = True) -> str:
    value = row.get(key, "")
    if not isinstance(value, str) or (required and not value):
        raise _fail(where, f"'{key}' must be a non-empty string")
    return value


def compile_pattern(row: Mapping[str, Any], where: str,
                    fragments: Mapping[str, str] | None = None) -> re.Pattern[str]:
    """The row's `pattern` (string or list of strings) compiled with its `case` flag."""
    raw = row.get("pattern")
    if isinstance(raw, list) and raw and all(isinstance(p, str) for p in raw):
        source = "".join(raw)
    elif isinstance(raw, str) and raw:
        source = raw
    else:
        raise _fail(where, "'pattern' must be a string or a list of strings")

    def fragment(m: re.Match[str]) -> str:
        name = m.group(1)
        if not fragments or name not in fragments:
            raise _fail(where, f"unknown fragment {{{{{name}}}}}")
        return fragments[name]

    source = _FRAGMENT.sub(fragment, source)
    case = row.get("case", "ignore")
    if case not in ("ignore", "exact"):
        raise _fail(where, "'case' must be 'ignore' or 'exact'")
    try:
        return re.compile(source, re.IGNORECASE if case == "ignore" else 0)
    except re.error as exc:
        raise _fail(where, f"bad pattern: {exc}") from None


def _facts(value: Any, where: str, key: str) -> tuple[dict[str, object], ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _fail(where, f"'{key}' must be a list of tables")
    return tuple(dict(v) for v in value)


def build_expect(row: Mapping[str, Any], where: str) -> Expect:
    """The `yields` / `not_yields` / `exact` / `none` keys of a row or a test case."""
    none = bool(row.get("none", False))
    present = _facts(row.get("yields"), where, "yields")
    if none and present:
        raise _fail(where, "'none' and 'yields' contradict each other")
    return Expect(present=present, absent=_facts(row.get("not_yields"), where, "not_yields"),
                  exact=bool(row.get("exact", False)), none=none)


def _known(row: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(row) - allowed
    if unknown:
        raise _fail(where, f"unknown keys {sorted(unknown)}")


_EXPECT_KEYS = {"yields", "not_yields", "exact", "none"}


def build_trigger(row: Mapping[str, Any], where: str, language: str, modes: set[str],
                  fragments: Mapping[str, str] | None = None) -> Trigger:
    _known(row, {"name", "mode", "pattern", "case", "hints", "example", "note"} | _EXPECT_KEYS,
           where)
    mode = _text(row, "mode", where)
    if mode not in modes:
        raise _fail(where, f"unknown mode {mode!r}")
    hints = row.get("hints", [])
    if not isinstance(hints, list) or not all(isinstance(h, str) and h == h.lower() and h
                                              for h in hints):
        raise _fail(where, "'hints' must be a list of lower-case strings")
    return Trigger(name=_text(row, "name", where), mode=mode,
                   pattern=compile_pattern(row, where, fragments), language=language,
                   hints=frozenset(hints), example=_text(row, "example", where),
                   expect=build_expect(row, where), note=_text(row, "note", where, False))


def build_guard(row: Mapping[str, Any], where: str,
                fragments: Mapping[str, str] | None = None) -> Guard:
    _known(row, {"name", "pattern", "case", "where", "window", "effect", "value", "example",
                 "note"} | _EXPECT_KEYS, where)
    side = _text(row, "where", where)
    if side not in WHERE:
        raise _fail(where, f"'where' must be one of {WHERE}")
    effect = _text(row, "effect", where)
    if effect not in EFFECTS:
        raise _fail(where, f"'effect' must be one of {EFFECTS}")
    window = row.get("window")
    if window is not None and (not isinstance(window, int) or window <= 0):
        raise _fail(where, "'window' must be a positive integer")
    value = row.get("value")
    if value is not None and not isinstance(value, str):
        raise _fail(where, "'value' must be a string")
    return Guard(name=_text(row, "name", where), pattern=compile_pattern(row, where, fragments),
                 where=side, window=window, effect=effect, example=_text(row, "example", where),
                 value=value, expect=build_expect(row, where), note=_text(row, "note", where, False))


def build_cue(row: Mapping[str, Any], where: str, kind: str,
              fragments: Mapping[str, str] | None = None) -> Cue:
    _known(row, {"name", "pattern", "case", "example", "value", "note"}, where)
    value = row.get("value")
    if value is not None and not isinstance(value, str):
        raise _fail(where, "'value' must be a string")
    return Cue(name=_text(row, "name", where), kind=kind,
               pattern=compile_pattern(row, where, fragments),
               example=_text(row, "example", where, False), value=value,
               note=_text(row, "note", where, False))
