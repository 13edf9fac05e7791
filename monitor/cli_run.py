"""`chipwatch run`: one poll cycle with --once (cron-friendly)."""
from __future__ import annotations

import click

from chipwatch.monitor.cli import App, CliError, pass_app


@click.command()
@click.option("--once", is_flag=True, help="Poll every enabled source once, print a summary, and exit.")
@click.option("--source", "only", multiple=True, metavar="NAME",
              help="Only this source (repeatable); named sources are polled even when disabled.")
@pass_app
@click.pass_context
def run(ctx: click.Context, app: App, once: bool, only: tuple[str, ...]) -> None:
    """Poll the sources: with --once a single cycle; exit 0 even if some sources failed,
    1 only when nothing could run at all (no enabled source, or no server answered)."""
    from chipwatch.monitor.poll import run_once

    if not once:
        daemon = _daemon_entry()
        if daemon is None:
            raise CliError("run: the scheduler is not available in this build; use 'chipwatch run --once'")
        ctx.exit(daemon(app, list(only) or None) or 0)
        return
    config = app.config
    try:
        summary = run_once(config, app.store, only=list(only) or None)
    except ValueError as exc:
        raise CliError(f"run: {exc}") from exc
    for line in summary.lines():
        click.echo(line)
    if not summary.results:
        click.echo("run: no enabled sources to poll", err=True)
    elif not summary.could_run:
        click.echo("run: no source could be polled (no server answered)", err=True)
    ctx.exit(summary.exit_code)


def _daemon_entry():  # noqa: ANN202
    """The long-running scheduler lives in its own module once it exists."""
    try:
        from chipwatch.monitor import daemon  # type: ignore[attr-defined]
    except ImportError:
        return None
    return getattr(daemon, "run_daemon", None)


COMMANDS = (run,)
