"""`chipwatch migrate --to URL`: move a SQLite database into PostgreSQL."""

from __future__ import annotations

import sys

import click

from chipwatch.db.postgres import is_url, redact_url
from chipwatch.db.store import Store, StoreError
from chipwatch.monitor.cli_app import App, CliError, pass_app


@click.command()
@click.option("--to", "target", required=True, metavar="URL",
              help="postgresql://user@host:port/database (empty; the schema is created).")
@pass_app
def migrate(app: App, target: str) -> None:
    """Copy this SQLite database into PostgreSQL with every id kept; prints row counts per
    table on both sides and a checksum of the facts, and exits 1 if anything differs."""
    from chipwatch.db.copy import copy_database

    if not is_url(target):
        raise CliError("migrate: --to takes a postgresql:// URL")
    src = app.existing_store
    if src.dialect != "sqlite":
        raise CliError("migrate: the database to copy from must be a SQLite file (--db PATH)")
    try:
        dst = Store.open(target)
    except StoreError as exc:
        raise CliError(f"migrate: {exc}") from exc
    try:
        report = copy_database(src, dst)
    except StoreError as exc:
        raise CliError(f"migrate: {exc}") from exc
    finally:
        dst.close()
    width = max(len(c.table) for c in report.counts)
    click.echo(f"{'table':<{width}}  {'sqlite':>9}  {'postgresql':>10}")
    for c in report.counts:
        mark = "" if c.source == c.target else "  DIFFERENT"
        click.echo(f"{c.table:<{width}}  {c.source:>9}  {c.target:>10}{mark}")
    click.echo(f"facts checksum  sqlite {report.source_checksum}")
    click.echo(f"facts checksum  postgresql {report.target_checksum}")
    if not report.ok:
        click.echo(f"migrate: the copy in {redact_url(target)} differs (see above)", err=True)
        sys.exit(1)
    click.echo(f"copied into {redact_url(target)}: nothing lost")


COMMANDS = (migrate,)
