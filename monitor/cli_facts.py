"""Commands that read the fact database: facts, sources, sql."""

from __future__ import annotations

import sqlite3

import click

from chipwatch.db import queries
from chipwatch.monitor.cli import App, CliError, format_option, pass_app
from chipwatch.monitor.output import emit

FACT_TABLE = ("id", "kind", "chip", "metric", "value", "unit", "actor", "action", "outlet",
              "fetched_at", "quote")


@click.command()
@click.option("--chip", help="Only this chip (canonical name, e.g. H200, 'Ascend 910C').")
@click.option("--metric", help="Only this metric (tpp, memory_bandwidth, fee_percent, ...).")
@click.option("--kind", type=click.Choice(["chip_figure", "chip_comparison", "policy"]),
              help="Only this kind of fact.")
@click.option("--action", help="Only policy facts with this action (allow_export, fee, ...).")
@click.option("--actor", help="Only facts by this actor (US, China, Nvidia, ...).")
@click.option("--outlet", help="Only facts from this outlet (SQL LIKE pattern, e.g. 'Reuters').")
@click.option("--since", metavar="ISO", help="Only facts first seen at or after this time.")
@click.option("--q", "q", metavar="TEXT", help="Only facts whose quote contains these words.")
@click.option("--baseline", metavar="ID", help="Only facts assessed against this claim (B01-B15).")
@click.option("--all", "include_history", is_flag=True,
              help="Include facts no longer on the page and those of older extractor versions.")
@click.option("--limit", type=int, help="At most this many facts, newest first.")
@format_option
@pass_app
def facts(app: App, fmt: str, **filters: object) -> None:
    """Stored facts with their provenance (outlet, URL, snapshot, quote)."""
    rows = queries.list_facts(app.store, queries.FactFilter(**filters))  # type: ignore[arg-type]
    emit(rows, FACT_TABLE, fmt, json_columns=queries.FACT_FIELDS)
    if not rows and fmt == "table":
        click.echo("no facts match", err=True)


@click.command()
@format_option
@pass_app
def sources(app: App, fmt: str) -> None:
    """Each configured source: status, last fetch and success, failures in a row, next run."""
    store = app.store
    store.sync_sources(app.config.sources)
    rows = queries.source_rows(store)
    emit(rows, ("name", "kind", "status", "http", "failures", "last_attempt", "next_due"), fmt,
         json_columns=("name", "kind", "outlet", "url", "enabled", "status", "http", "failures",
                       "last_attempt", "last_success", "next_due", "last_error"))


@click.command()
@click.argument("statement")
@format_option
@pass_app
def sql(app: App, statement: str, fmt: str) -> None:
    """Run read-only SQL; the database is opened so that no statement can write."""
    store = app.readonly_store()
    try:
        cursor = store.db.execute(statement)
        columns = [d[0] for d in cursor.description or []]
        rows = [dict(zip(columns, r)) for r in cursor.fetchall()]
    except sqlite3.Error as exc:
        message = str(exc)
        if "readonly" in message:
            message = "the database is opened read-only: only SELECT-style statements run"
        raise CliError(f"sql: {message}") from exc
    finally:
        store.close()
    emit(rows, columns, fmt)


COMMANDS = (facts, sources, sql)
