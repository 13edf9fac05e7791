"""Commands that read the fact database: facts, sources, sql."""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Sequence
from typing import TextIO

import click

from chipwatch.db.queries import COMPARE_FIELDS, FACT_FIELDS
from chipwatch.errors import InputError
from chipwatch.monitor import api
from chipwatch.monitor.cli_app import SINCE, SINCE_HELP, App, CliError, format_option, pass_app
from chipwatch.monitor.redact import redact
from chipwatch.monitor.output import emit, short_time, table


# The table shows one aligned line per fact, then its quote and URL indented beneath, so
# each row keeps its provenance and still fits an 80-column terminal.
FACT_TABLE = ("id", "chip", "what", "value", "outlet")
COMPARE_TABLE = ("value", "outlet", "docs", "agrees")
TABLE_PAGE = 100  # facts a table shows by default: a terminal is read, not searched


def _number(value: object, unit: str | None) -> str:
    if value is None:
        return ""
    text = f"{value:g}" if isinstance(value, float) else str(value)
    if unit and unit != "x":
        return f"{text} {unit}"
    return f"{text}x" if unit == "x" else text


def fact_summary(row: dict) -> dict:
    """The short cells of one fact's table line."""
    value = _number(row.get("value"), row.get("unit"))
    if row.get("kind") == "policy":
        what = " ".join(x for x in (row.get("actor"), row.get("action")) if x)
        value = value or (row.get("status") or "")  # a policy's number, else how firm it is
    else:
        what = row.get("metric") or ""
    if row.get("relative_to"):
        what += f" vs {row['relative_to']}"
    claim = ""
    if row.get("baseline"):
        claim = f"{row['baseline']}{'+' if row.get('verdict') == 'supports' else '-'}"
    return {**row, "what": what, "value": value, "claim": claim}


def print_blocks(rows: Sequence[dict], columns: Sequence[str], out: TextIO | None = None,
                 width: int | None = None) -> None:
    """An aligned line per row; under it, indented, the quote, then snapshot time and URL."""
    out = out or sys.stdout
    width = width or min(shutil.get_terminal_size((100, 24)).columns, 120)
    lines = table(rows, columns, width).split("\n")
    out.write(lines[0] + "\n")
    for row, line in zip(rows, lines[1:]):
        out.write(line + "\n")
        quote = " ".join(str(row.get("quote") or "").split())
        if quote:
            wrapped = textwrap.wrap(f"\u201c{quote}\u201d", width - 4)
            if len(wrapped) > 3:
                wrapped = wrapped[:3]
                wrapped[-1] = wrapped[-1][: max(0, width - 8)] + " \u2026"
            for w in wrapped:
                out.write("    " + w + "\n")
        where = " ".join(x for x in (short_time(str(row.get("fetched_at") or "")), row.get("url")) if x)
        if where:
            out.write("    " + where + "\n")
        for note in row.get("notes") or ():  # e.g. who said it first (--origin)
            out.write("    " + note + "\n")


@click.command()
@click.option("--chip", help="Only this chip (canonical name, e.g. H200, 'Ascend 910C').")
@click.option("--metric", help="Only this metric (tpp, memory_bandwidth, fee_percent, ...).")
@click.option("--kind", type=click.Choice(["chip_figure", "chip_comparison", "policy"]),
              help="Only this kind of fact.")
@click.option("--action", help="Only policy facts with this action (allow_export, fee, ...).")
@click.option("--actor", help="Only facts by this actor (US, China, Nvidia, ...).")
@click.option("--outlet", help="Only facts from this outlet (SQL LIKE pattern, e.g. 'Reuters').")
@click.option("--since", type=SINCE, metavar="WHEN", help="Only facts first seen at or after this: " + SINCE_HELP + ".")
@click.option("--q", "q", metavar="TEXT", help="Only facts whose quote contains these words.")
@click.option("--baseline", metavar="ID", help="Only facts assessed against this claim (B01-B15).")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), metavar="X",
              help="Only facts whose confidence (0-1, how likely the fact is right) is at "
                   "least X; facts stored before confidences existed have none and drop out.")
@click.option("--all", "include_history", is_flag=True,
              help="Include facts no longer on the page and those of older extractor versions.")
@click.option("--limit", type=click.IntRange(min=0),
              help=f"At most this many facts, newest first (0 = all). The table shows the "
                   f"newest {TABLE_PAGE} unless told otherwise; json and csv print all.")
@click.option("--compare", is_flag=True,
              help="One row per source and value for each chip and metric, so sources that "
                   "disagree stand out (e.g. --compare --chip H200 --metric tpp).")
@click.option("--origin", "with_origin", is_flag=True,
              help="Who said it first: for each fact, its first appearance across all sources "
                   "(outlet, time, quote; the outlet a copy credits) and the later repetitions.")
@format_option
@pass_app
def facts(app: App, fmt: str, compare: bool, with_origin: bool, **filters: object) -> None:
    """Stored facts with their provenance (outlet, URL, snapshot time, quote).

    Filters combine: every one given must hold. --chip takes any spelling of a chip
    ("Nvidia's H200" finds H200).
    """
    limit = filters.pop("limit")
    more = False
    paged = fmt == "table" and limit is None and not compare
    if paged:
        limit = TABLE_PAGE + 1  # one more, to say when there are more
    elif limit == 0:
        limit = None
    if compare:
        rows = api.compare_facts(app.existing_store, limit=limit, **filters)
        if fmt == "table":
            print_comparison(rows)
        else:
            emit(rows, COMPARE_TABLE, fmt, json_columns=COMPARE_FIELDS)
    else:
        rows = api.facts(app.existing_store, origins=with_origin, limit=limit, **filters)
        if paged and len(rows) > TABLE_PAGE:
            rows, more = rows[:TABLE_PAGE], True
        if fmt == "table":
            if rows:
                shown = [fact_summary(r) for r in rows]
                if with_origin:
                    for r in shown:
                        r["notes"] = origin_notes(r)
                columns = FACT_TABLE + (("claim",) if any(r["claim"] for r in shown) else ())
                print_blocks(shown, columns)
        else:
            extra = ("origin", "repeated_by", "story_id") if with_origin else ()
            emit(rows, FACT_TABLE, fmt, json_columns=FACT_FIELDS + extra)
    if not rows and fmt == "table":
        click.echo("no facts match", err=True)
    if more:
        click.echo(f"showing the newest {TABLE_PAGE} facts; --limit 0 shows all", err=True)


def origin_notes(row: dict) -> list[str]:
    """The table's lines under a fact for --origin: who said it first, who repeated it."""
    o, repeated = row.get("origin"), row.get("repeated_by") or []
    if not o:
        return []
    first = f"first: {o['source']}" + (f" (via {o['via']})" if o.get("via") else "") + f" {short_time(o['time'])}"
    first += " (this one)" if o["fact_id"] == row["id"] else f" {o['url']}"
    notes = [first]
    others = {a["url"]: a for a in repeated if a["url"] != o["url"]}  # one per document
    if others:
        names = list(dict.fromkeys(a["outlet"] or a["url"] for a in others.values()))
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        notes.append(f"repeated in {len(others)} other document(s): {shown}")
    return notes


def print_comparison(rows: list[dict], width: int | None = None) -> None:
    """Each chip and metric as a heading that says whether sources agree, then one line
    per source and value (with its newest quote and URL)."""
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["chip"], r["metric"], r["relative_to"], r["unit"]), []).append(r)
    for n, ((chip, metric, relative_to, _unit), members) in enumerate(groups.items()):
        name = f"{chip or '(no chip)'} {metric}" + (f" vs {relative_to}" if relative_to else "")
        first = members[0]
        if first["values"] > 1:
            verdict = f"sources disagree: {first['values']} values"
            if first["sources"] == 1:
                verdict = f"changed between versions: {first['values']} values"
        elif first["sources"] > 1:
            verdict = "sources agree"
        else:
            verdict = "one source"
        click.echo(("\n" if n else "") + f"{name} \u2014 {verdict} ({first['sources']} source(s))")
        shown = [{**r, "value": _number(r["value"], r["unit"]), "outlet": r["outlet"] or "(none)",
                  "docs": r["documents"]} for r in members]
        print_blocks(shown, COMPARE_TABLE, width=width)


@click.command()
@format_option
@pass_app
def sources(app: App, fmt: str) -> None:
    """Each configured source: status, last fetch and success, failures in a row, next run."""
    if not isinstance(app.db_path, str) and not app.db_path.exists():  # nothing polled yet: show the configuration, create nothing
        click.echo(f"no database at {app.db_path} yet: every source is new", err=True)
        rows = api.source_status(None, app.config)
    else:
        rows = api.source_status(app.existing_store, app.config)
    for row in rows:  # a source URL may carry a token: shown masked, like every log line
        for key in ("url", "last_error"):
            if row.get(key):
                row[key] = redact(row[key])
    emit(rows, ("name", "kind", "status", "http", "failures", "last_attempt", "next_due"), fmt,
         json_columns=("name", "kind", "outlet", "url", "enabled", "status", "http", "failures",
                       "last_attempt", "last_success", "next_due", "last_error"))


@click.command()
@click.argument("statement")
@click.option("--timeout", "time_limit", type=click.FloatRange(min=0.01, max=86400), default=30.0,
              show_default=True, metavar="SECONDS", help="Stop a statement that runs longer than this.")
@click.option("--max-bytes", "max_bytes", type=click.IntRange(min=1, max=2_000_000_000), default=100_000_000,
              show_default=True, help="Stop when the result (or any one value) grows past this many bytes.")
@format_option
@pass_app
def sql(app: App, statement: str, fmt: str, time_limit: float, max_bytes: int) -> None:
    """Run read-only SQL; the database is opened so that no statement can write, and a
    statement that runs too long or returns too much is stopped with one line (exit 2)."""
    store = app.readonly_store()
    try:
        rows = api.query(store, statement, time_limit=time_limit, max_bytes=max_bytes,
                         limit_names=("--timeout", "--max-bytes"))
    except InputError as exc:
        raise CliError(f"sql: {exc}") from exc
    finally:
        store.close()
    emit(rows, rows.columns, fmt)


COMMANDS = (facts, sources, sql)
