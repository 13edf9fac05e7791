"""`chipwatch gc`: trim the fetch log to what is worth keeping (the work: api.prune_fetches)."""
from __future__ import annotations

import click

from chipwatch.monitor import api
from chipwatch.monitor.cli_app import App, pass_app


@click.command()
@click.option("--keep", type=click.IntRange(min=1, max=1_000_000), default=None, metavar="N",
              help="Attempts kept per URL besides those that changed something "
                   "(default: the config's database.keep_fetches).")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted, delete nothing.")
@pass_app
def gc(app: App, keep: int | None, dry_run: bool) -> None:
    """Delete old fetch-log rows: each URL keeps its last N attempts, every attempt that
    stored a version or changed the outcome, and the one-off skip records. Snapshots and
    facts (provenance) are never deleted."""
    report = api.prune_fetches(app.existing_store, keep, config=app.config, dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    count = report.prunable if dry_run else report.deleted
    click.echo(f"fetches: {report.fetches_before} rows, {verb} {count} "
               f"(kept the last {report.keep} per URL and every attempt that changed something)")


COMMANDS = (gc,)
