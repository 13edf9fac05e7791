"""What every command module shares: the application state (configuration and database,
opened lazily), the error types the command line exits with, and common options.

Kept apart from cli.py so that the command modules import this and cli.py imports none of
them (it loads each one only when its command runs).
"""

from __future__ import annotations

from pathlib import Path

import click

from chipwatch.db.store import Store
from chipwatch.monitor.config import Config, load_config, resolve_db_path

FORMAT_OPTION_HELP = "Output format: an aligned table, JSON lines, or CSV."


class CliError(click.ClickException):
    """Bad input to one command, found by the command itself: one line on stderr, exit
    code 2. Errors from the library are chipwatch.errors; main() maps those."""

    exit_code = 2


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
            self._config = load_config(self._config_path)  # ConfigError: main() makes it one line
        return self._config

    @property
    def db_path(self) -> Path | str:
        """A file path, or a postgresql:// URL as given."""
        return resolve_db_path(self._db_path, self.config)

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.db_path, busy_timeout=self.config.database.busy_timeout)
        return self._store

    @property
    def existing_store(self) -> Store:
        """The store for commands that only read: a missing database is an error (exit 2),
        never an empty one created (with its folders) as a side effect."""
        if self._store is None:
            self._store = Store.open(self.db_path, create=False,
                                     busy_timeout=self.config.database.busy_timeout)
        return self._store

    def readonly_store(self) -> Store:
        """A connection that cannot write, for user-supplied SQL."""
        return Store.open(self.db_path, readonly=True)

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
