"""The chip pattern grouped by first character finds what one plain alternation of every
row finds: the same mentions, the same rows winning."""

from __future__ import annotations

import re
from pathlib import Path

from chipwatch.extractors import chips, lexicon
from chipwatch.extractors.lexicon.tables import ChipRow

DATA = Path(__file__).resolve().parent / "data"


def plain_alternation(rows: list[ChipRow]) -> tuple[re.Pattern[str], dict[str, str]]:
    """Every row's patterns in one alternation, tried at every position where some row can
    start: the first row that matches wins."""
    patterns = [(rf"(?<![A-Za-z0-9])(?:{alias})(?=s\b|’s|'s|[^A-Za-z0-9]|$)", row.name)
                for row in rows
                for alias in (*row.patterns, *(chips.alias_pattern(a) for a in row.aliases))]
    starts: set[str] = set()
    for row in rows:
        for alias in (*row.patterns, *(chips.alias_pattern(a) for a in row.aliases)):
            starts |= chips._first_chars(alias) or set()
    ahead = "(?=[" + "".join(re.escape(c) for c in sorted(starts)) + "])"
    body = "|".join(f"(?P<c{i}>{p})" for i, (p, _) in enumerate(patterns))
    return re.compile(rf"(?<![A-Za-z0-9]){ahead}(?:{body})"), {f"c{i}": c for i, (_, c) in enumerate(patterns)}


def mentions(pattern: re.Pattern[str], canon: dict[str, str], text: str,
             start: re.Pattern[str] | None = None) -> list[tuple]:
    found = chips._scan(text, pattern, start) if start is not None else pattern.finditer(text)
    return [(m.span(), canon[m.lastgroup]) for m in found if m.lastgroup]


def test_shipped_rows_on_every_labeled_text() -> None:
    rows = [r for r in lexicon.rows("chip") if r.name in lexicon.shipped_keys("chip")]
    grouped, grouped_canon = chips._alternation(rows)
    plain, plain_canon = plain_alternation(rows)
    start = chips._start_pattern(rows)
    assert grouped is not None and start is not None
    found = 0
    for path in sorted(DATA.glob("*/*.txt")):
        text = path.read_text(encoding="utf-8")
        got = mentions(grouped, grouped_canon, text)
        assert got == mentions(plain, plain_canon, text), path.name
        assert mentions(grouped, grouped_canon, text, start) == got, path.name
        found += len(got)
    assert found > 500


def test_rows_with_a_scoped_flag_and_shared_starts() -> None:
    def row(name: str, patterns: tuple[str, ...] = (), aliases: tuple[str, ...] = ()) -> ChipRow:
        return ChipRow(name, "V", None, "chip", None, patterns, aliases, "test")

    rows = [row("X1", ("(?i:x)1",)), row("H200", ("H200",)), row("H20", ("H20",)),
            row("Hx", aliases=("H 20 X",)), row("h9", ("[hH]9",))]
    grouped, grouped_canon = chips._alternation(rows)
    plain, plain_canon = plain_alternation(rows)
    assert grouped is not None
    start = chips._start_pattern(rows)
    for text in ("x1 X1 H200 H20 H20X H 20 X h9 H9 x1s", "(H200's) H20-X h9, X1", "aH200 H200H20 H2"):
        assert mentions(grouped, grouped_canon, text) == mentions(plain, plain_canon, text)
        assert mentions(grouped, grouped_canon, text, start) == mentions(plain, plain_canon, text)
    assert [c for _, c in mentions(grouped, grouped_canon, "H9 x1 H200 H20")] == ["h9", "X1", "H200", "H20"]
