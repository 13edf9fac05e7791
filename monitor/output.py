"""Rows to the terminal: an aligned table, JSON lines or CSV.

Every listing command prints through `emit`, so the three formats mean the same thing
everywhere: `json` is one object per line, `csv` has a header row, `table` fits a terminal.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import unicodedata
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

FORMATS = ("table", "json", "csv")


_ISO_UTC = re.compile(r"^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:\d\d(\.\d+)?)?(\+00:00|Z)$")


def short_time(value: str) -> str:
    """A stored UTC time as "2025-12-10 15:30": minutes are enough in a table; JSON and
    CSV keep the seconds. Anything else comes back as given."""
    m = _ISO_UTC.match(value)
    return f"{m.group(1)} {m.group(2)}" if m else value


def _cell(value: Any) -> str:
    if isinstance(value, str) and _ISO_UTC.match(value):
        return short_time(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return " ".join(str(value).split())


def display_width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two, accents none."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def _shorten(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def table(rows: Sequence[dict], columns: Sequence[str], width: int | None = None) -> str:
    """An aligned table that fits `width` by shortening the widest columns first."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [display_width(row[i]) for row in cells]) for i, c in enumerate(columns)]
    budget = width - 2 * (len(columns) - 1)
    # The last column holds free text (a quote, a title): it gives way first, then
    # the widest of the others, so short fields such as times stay whole.
    while sum(widths) > budget and widths[-1] > 24:
        widths[-1] -= 1
    while sum(widths) > budget and max(widths) > 8:
        i = widths.index(max(widths))
        widths[i] -= 1
    lines = ["  ".join(c.upper().ljust(w)[:w] for c, w in zip(columns, widths)).rstrip()]
    for row in cells:
        lines.append("  ".join(_pad(_shorten(v, w), w) for v, w in zip(row, widths)).rstrip())
    return "\n".join(lines)


def emit(rows: Iterable[dict], columns: Sequence[str], fmt: str = "table",
         out: TextIO | None = None, *, json_columns: Sequence[str] | None = None) -> int:
    """Print rows; returns how many. `json_columns` lets JSON carry more than the table."""
    out = out or sys.stdout
    rows = list(rows)
    if fmt == "json":
        keys = list(json_columns or columns)
        for r in rows:
            out.write(json.dumps({k: r.get(k) for k in keys}, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        keys = list(json_columns or columns)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(keys)
        for r in rows:
            writer.writerow([
                json.dumps(r.get(k), ensure_ascii=False) if isinstance(r.get(k), (list, dict))
                else ("" if r.get(k) is None else r.get(k))
                for k in keys
            ])
    else:
        if rows:
            out.write(table(rows, columns) + "\n")
    return len(rows)
