"""Commands about judgements and notifications: baseline, alerts."""

from __future__ import annotations

import sys
from dataclasses import asdict

import click

from chipwatch.errors import InputError
from chipwatch.monitor.alerts import ALERT_TYPES
from chipwatch.monitor import api
from chipwatch.monitor.cli_app import SINCE, SINCE_HELP, App, CliError, format_option, pass_app
from chipwatch.monitor.output import emit, table

BASELINE_TABLE = ("id", "verdict", "for", "against", "citation")
BASELINE_JSON = ("id", "verdict", "support_count", "contradict_count", "support_outlets",
                 "contradict_outlets", "citation", "citation_detail", "cited", "note", "text",
                 "supports", "contradicts", "independent_for", "independent_against",
                 "support_sources", "contradict_sources", "for_sources", "against_sources",
                 "citation_resolved")
BASELINE_CSV = ("id", "verdict", "support_count", "contradict_count", "support_outlets",
                "contradict_outlets", "citation", "citation_detail", "cited", "note", "text",
                "independent_for", "independent_against")

ALERT_TABLE = ("id", "created_at", "type", "delivery", "title")
ALERT_JSON = ("id", "type", "title", "body", "created_at", "dedupe_key", "source",
              "document_id", "claim_id", "fact_ids", "snapshot_ids", "payload", "deliveries")
ALERT_CSV = ("id", "created_at", "type", "title", "claim_id", "document_id", "source",
             "delivery", "dedupe_key")


@click.command()
@click.option("--claim", "claim_ids", multiple=True, metavar="ID",
              help="Only this claim (repeatable), e.g. --claim B03.")
@format_option
@pass_app
def baseline(app: App, claim_ids: tuple[str, ...], fmt: str) -> None:
    """Each baseline claim: verdict (supported / contradicted / disputed / unverified),
    how many facts support and contradict it, and what its cited page says.

    JSON output carries the evidence: outlet, URL, quote and snapshot time of each fact.
    """
    if not claim_ids and not app.config.baseline:
        click.echo("no baseline claims configured", err=True)
        return
    try:
        found = api.verdicts(app.existing_store, app.config, claim_ids)
    except InputError as exc:
        raise CliError(f"--claim: {exc}") from exc
    rows = [v.row() for v in found]
    if fmt != "table":
        emit(rows, BASELINE_TABLE, fmt, json_columns=BASELINE_JSON if fmt == "json" else BASELINE_CSV)
        return
    # One line per claim, then its text and the sources on each side, indented beneath.
    # FOR and AGAINST count independent sources: copies of one story count once.
    shown = [{**r, "for": r["independent_for"], "against": r["independent_against"]} for r in rows]
    lines = table(shown, BASELINE_TABLE).split("\n")
    click.echo(lines[0])
    for row, line in zip(shown, lines[1:]):
        click.echo(line)
        click.echo(f"    {row['text']}")
        for side, key in (("for", "support_sources"), ("against", "contradict_sources")):
            if row[key]:
                click.echo(f"    {side}: {'; '.join(o or '(no outlet)' for o in row[key])}")
        if row.get("citation_resolved"):
            click.echo(f"    citation: {row['citation_detail']}")


def _delivery_cell(deliveries: list[dict]) -> str:
    if not deliveries:
        return "-"
    kinds = [d["channel"].split(":", 1)[0] for d in deliveries]
    parts = []
    for d, kind in zip(deliveries, kinds):
        # "webhook" is enough when there is one; "webhook#1a2b3c4d" tells several apart
        name = kind if kinds.count(kind) == 1 else f"{kind}#{d['channel'].rsplit('#', 1)[-1]}"
        state = {"delivered": "sent"}.get(d["status"], d["status"])
        if state == "pending" and d["attempts"]:
            state = f"retry{d['attempts']}"
        parts.append(f"{name}={state}")
    return " ".join(parts)


@click.command()
@click.option("--since", type=SINCE, metavar="WHEN", help="Only alerts raised at or after this: " + SINCE_HELP + ".")
@click.option("--type", "types", multiple=True, type=click.Choice(ALERT_TYPES), metavar="TYPE",
              help="Only alerts of this type (repeatable): " + ", ".join(ALERT_TYPES) + ".")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many alerts, newest first.")
@click.option("--test", "test", is_flag=True,
              help="Send one test alert to every configured channel and report each result.")
@format_option
@pass_app
def alerts(app: App, since: str | None, types: tuple[str, ...], limit: int | None, test: bool,
           fmt: str) -> None:
    """Alerts raised, newest first, with their delivery status per channel."""
    if test:
        results = api.send_test_alert(app.config)
        if not results:
            click.echo("no alert channels configured (see [alerts] in chipwatch.toml)", err=True)
            sys.exit(1)
        emit([{**asdict(r), "result": "ok" if r.ok else "failed"} for r in results],
             ("channel", "result", "detail"), fmt, json_columns=("channel", "kind", "ok", "detail"))
        if not all(r.ok for r in results):
            sys.exit(1)
        return
    out = api.alerts(app.existing_store, since=since, types=types, limit=limit)
    for message in out:
        message["delivery"] = _delivery_cell(message["deliveries"])
    emit(out, ALERT_TABLE, fmt, json_columns=ALERT_JSON if fmt == "json" else ALERT_CSV)
    if not out and fmt == "table":
        click.echo("no alerts", err=True)


COMMANDS = (baseline, alerts)
