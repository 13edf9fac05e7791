"""The `chipwatch` command: global options, shared state, and error handling.

Each group of commands lives in its own `cli_*.py` module and is registered at the
bottom; they all reach the configuration and the database through `App`.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from chipwatch.db.store import Store, StoreBusy, StoreError
from chipwatch.monitor import __version__
from chipwatch.monitor.config import Config, ConfigError, load_config, resolve_db_path

FORMAT_OPTION_HELP = "Output format: an aligned table, JSON lines, or CSV."


class CliError(click.ClickException):
    """Bad input from the user: one line on stderr, exit code 2."""

    exit_code = 2


class StorageFailure(click.ClickException):
    """The database cannot be written now (busy past the bound, disk full): exit code 3."""

    exit_code = 3


def _store_error(exc: StoreError) -> click.ClickException:
    return StorageFailure(str(exc)) if isinstance(exc, StoreBusy) else CliError(str(exc))


class App:
    """What every command needs, opened lazily so `--help` never touches the disk."""

    def __init__(self, config_path: str | None, db_path: str | None):
        self._config_path = config_path
        self._db_path = db_path
        self._config: Config | None = None
        self._store: Store | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            try:
                self._config = load_config(self._config_path)
            except ConfigError as exc:
                raise CliError(str(exc)) from exc
        return self._config

    @property
    def db_path(self) -> Path | str:
        return resolve_db_path(self._db_path, self.config)

    @property
    def store(self) -> Store:
        if self._store is None:
            try:
                self._store = Store.open(self.db_path, busy_timeout=self.config.database.busy_timeout)
            except StoreError as exc:
                raise _store_error(exc) from exc
        return self._store

    @property
    def existing_store(self) -> Store:
        """The store for commands that only read: a missing database is an error (exit 2),
        never an empty one created (with its folders) as a side effect."""
        if self._store is None:
            try:
                self._store = Store.open(self.db_path, create=False,
                                         busy_timeout=self.config.database.busy_timeout)
            except StoreError as exc:
                raise _store_error(exc) from exc
        return self._store

    def readonly_store(self) -> Store:
        """A connection that cannot write, for user-supplied SQL."""
        try:
            return Store.open(self.db_path, readonly=True)
        except StoreError as exc:
            raise CliError(str(exc)) from exc

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


pass_app = click.make_pass_decorator(App)


class SinceType(click.ParamType):
    """`--since` for every command, read once by monitor/since.py."""

    name = "since"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        from chipwatch.monitor.since import parse_since

        try:
            return parse_since(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


SINCE = SinceType()
SINCE_HELP = "a date or time (2025-01-31, 2025-01-31T08:00Z; UTC unless given) or a span back from now (90m, 7d)"


def format_option(f):  # type: ignore[no-untyped-def]
    return click.option(
        "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
        show_default=True, help=FORMAT_OPTION_HELP,
    )(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="chipwatch")
@click.option("--config", "config_path", metavar="PATH", envvar="CHIPWATCH_CONFIG",
              help="Configuration file (default: $CHIPWATCH_CONFIG, else the bundled config/chipwatch.toml).")
@click.option("--db", "db_path", metavar="PATH",
              help="SQLite database file or postgresql:// URL (default: $CHIPWATCH_DB, else the "
                   "config's database.url, else database.path).")
@click.option("--log-level", type=click.Choice(["debug", "info", "warning", "error"]),
              default="warning", show_default=True, help="How much to log on stderr.")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Human-readable log lines or JSON lines.")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, db_path: str | None, log_level: str,
        log_format: str) -> None:
    """Watch the AI-chip export story: fetch sources, extract chip figures and policy
    statements with provenance, and check them against the baseline claims."""
    from chipwatch.monitor.logs import setup_logging

    setup_logging(log_level, log_format)
    app = App(config_path, db_path)
    ctx.obj = app
    ctx.call_on_close(app.close)


def main(argv: list[str] | None = None) -> None:
    """Entry point: usage errors become one line and exit code 2."""
    try:
        rv = cli.main(args=argv, prog_name="chipwatch", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("chipwatch: aborted", err=True)
        sys.exit(130)
    except click.UsageError as exc:
        hint = f" (see 'chipwatch {exc.ctx.command_path.split(' ', 1)[1]} --help')" \
            if exc.ctx and " " in exc.ctx.command_path else " (see 'chipwatch --help')"
        click.echo(f"chipwatch: error: {exc.format_message()}{hint}", err=True)
        sys.exit(2)
    except click.ClickException as exc:
        click.echo(f"chipwatch: error: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(rv if isinstance(rv, int) else 0)


def register() -> None:
    """Attach every command module; one list, so `--help` shows exactly what exists."""
    from chipwatch.monitor import (cli_alerts, cli_documents, cli_facts, cli_gc, cli_migrate, cli_report,
                                   cli_run, cli_sources, cli_workers)

    for module in (cli_run, cli_documents, cli_facts, cli_alerts, cli_report, cli_sources, cli_gc,
                   cli_migrate, cli_workers):
        for command in module.COMMANDS:
            cli.add_command(command)
    logging.getLogger(__name__).debug("commands: %s", sorted(cli.commands))


register()
