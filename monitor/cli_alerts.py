"""Commands about judgements and notifications: baseline, alerts."""

from __future__ import annotations

import sys

import click

from chipwatch.db.alerts import list_alerts
from chipwatch.monitor import baseline as baseline_mod
from chipwatch.monitor.alerts import ALERT_TYPES
from chipwatch.monitor.cli import SINCE, SINCE_HELP, App, CliError, format_option, pass_app
from chipwatch.monitor.outbox import alert_message, delivery_status, send_test
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
    claims = app.config.baseline
    if claim_ids:
        wanted = {c.upper() for c in claim_ids}
        unknown = sorted(wanted - {c.id.upper() for c in claims})
        if unknown:
            raise CliError(f"--claim: no such claim: {', '.join(unknown)}")
        selected = [c for c in claims if c.id.upper() in wanted]
    else:
        selected = list(claims)
    if not claims:
        click.echo("no baseline claims configured", err=True)
        return
    store = app.existing_store
    baseline_mod.sync_claims(store, claims)
    rows = [v.row() for v in baseline_mod.verdicts(store, selected)]
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
        results = send_test(app.config)
        if not results:
            click.echo("no alert channels configured (see [alerts] in chipwatch.toml)", err=True)
            sys.exit(1)
        emit(results, ("channel", "result", "detail"), fmt,
             json_columns=("channel", "kind", "ok", "detail"))
        if not all(r["ok"] for r in results):
            sys.exit(1)
        return
    store = app.existing_store
    rows = list_alerts(store, since=since, types=types, limit=limit)
    status = delivery_status(store, [r["id"] for r in rows])
    out = []
    for r in rows:
        message = alert_message(r)
        message["deliveries"] = status.get(r["id"], [])
        message["delivery"] = _delivery_cell(message["deliveries"])
        out.append(message)
    emit(out, ALERT_TABLE, fmt, json_columns=ALERT_JSON if fmt == "json" else ALERT_CSV)
    if not out and fmt == "table":
        click.echo("no alerts", err=True)


COMMANDS = (baseline, alerts)
