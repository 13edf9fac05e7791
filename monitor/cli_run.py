"""`chipwatch run`: one poll cycle with --once (cron-friendly)."""
from __future__ import annotations

import sqlite3

import click

from chipwatch.db.store import is_busy, is_disk_full
from chipwatch.errors import AlreadyRunning, UnknownSource
from chipwatch.monitor import api
from chipwatch.monitor.cli_app import App, CliError, pass_app
from chipwatch.monitor.poll import STORAGE_EXIT


@click.command()
@click.option("--once", is_flag=True, help="Poll every enabled source once, print a summary, and exit.")
@click.option("--source", "only", multiple=True, metavar="NAME",
              help="Only this source (repeatable); named sources are polled even when disabled.")
@click.option("--watchdog", metavar="DURATION", default="10m", show_default=True,
              help="Daemon: log a status line (sources ok / failing, pending alerts) this often.")
@click.option("--config-check", metavar="DURATION", default="30s", show_default=True,
              help="Daemon: reload when a configuration file changed, looking this often ('0' = SIGHUP only).")
@click.option("--startup-spread", metavar="DURATION", default="60s", show_default=True,
              help="Daemon: sources overdue at start are spread over at most this long.")
@click.option("--scheduler-only", is_flag=True,
              help="Distributed mode (PostgreSQL): only enqueue due sources for `chipwatch worker` "
                   "processes, which do the polling (see README, Running on several machines).")
@pass_app
@click.pass_context
def run(ctx: click.Context, app: App, once: bool, only: tuple[str, ...], watchdog: str,
        config_check: str, startup_spread: str, scheduler_only: bool = False) -> None:
    """Poll the sources: without --once, keep watching until SIGTERM/SIGINT (SIGHUP reloads
    the configuration); with --once a single cycle; exit 0 even if some sources failed,
    1 only when nothing could run at all (no enabled source, or no server answered)."""
    if scheduler_only:
        from chipwatch.monitor.cli_workers import scheduler

        ctx.exit(scheduler(app))
    if not once:
        ctx.exit(api.watch(app.store, app.config, only=list(only) or None,
                           watchdog=_seconds("--watchdog", watchdog),
                           config_check=_seconds("--config-check", config_check, zero_ok=True),
                           startup_spread=_seconds("--startup-spread", startup_spread, zero_ok=True)) or 0)
        return
    config = app.config
    try:
        summary = api.poll_once(app.store, config, only=list(only) or None)
    except sqlite3.OperationalError as exc:  # before or after the sources: nothing was polled
        if is_disk_full(exc):
            click.echo(f"run: cannot write the database {app.db_path}: {exc}; nothing was saved "
                       "by this run (what was stored before is intact)", err=True)
            ctx.exit(STORAGE_EXIT)
        if is_busy(exc):
            click.echo(f"run: database {app.db_path} busy: another writer held it for more than "
                       f"{config.database.busy_timeout:g} s; nothing was polled", err=True)
            ctx.exit(STORAGE_EXIT)
        raise
    except AlreadyRunning as exc:
        raise CliError(f"run: {exc}") from exc
    except UnknownSource as exc:
        raise CliError(f"run: {exc}") from exc
    for line in summary.lines():
        click.echo(line)
    if summary.storage_error:
        saved = summary.total("new_versions")
        polled = sum(1 for r in summary.results if r.status not in ("not_polled", "not_saved"))
        click.echo(f"run: {summary.storage_error}; stopped: {polled} source(s) polled and saved "
                   f"({saved} new version(s)), {len(summary.results) - polled} not saved", err=True)
    elif not summary.results:
        click.echo("run: no enabled sources to poll", err=True)
    elif not summary.could_run and summary.no_dns:
        click.echo("run: no source could be polled: no host name resolves (likely no network or DNS)", err=True)
    elif not summary.could_run:
        click.echo("run: no source could be polled (no server answered)", err=True)
    ctx.exit(summary.exit_code)


def _seconds(option: str, value: str, zero_ok: bool = False) -> float:
    from chipwatch.monitor.config import parse_duration

    if zero_ok and value.strip() in ("0", "0s"):
        return 0.0
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise CliError(f"run: {option}: {exc}") from exc


COMMANDS = (run,)
