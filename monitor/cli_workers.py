"""`chipwatch worker` and the scheduler of `chipwatch run --scheduler-only`: distributed
mode, on a PostgreSQL database (monitor/distributed.py)."""

from __future__ import annotations

import click

from chipwatch.db.postgres import is_url
from chipwatch.monitor.cli_app import App, CliError, pass_app


def _url(app: App, command: str) -> str:
    target = app.db_path
    if not is_url(target):
        raise CliError(f"{command}: distributed mode needs a PostgreSQL database "
                       "(--db postgresql://... or database.url)")
    try:
        import procrastinate  # noqa: F401
    except ImportError as exc:
        raise CliError(f"{command}: needs the task queue: pip install 'chipwatch[postgres]'") from exc
    return str(target)


def scheduler(app: App) -> int:
    from chipwatch.monitor.distributed import run_scheduler

    url = _url(app, "run --scheduler-only")
    run_scheduler(app.config, url)
    return 0


@click.command()
@click.option("--concurrency", type=click.IntRange(1, 256), default=8, show_default=True,
              help="Jobs this process runs at once.")
@click.option("--name", metavar="NAME", help="This worker's name in the queue (default: generated).")
@pass_app
def worker(app: App, concurrency: int, name: str | None) -> None:
    """Take poll and delivery jobs from the queue in PostgreSQL until SIGTERM/SIGINT; run
    as many as wanted, on any machine, with the same configuration file."""
    from chipwatch.monitor.distributed import run_worker

    run_worker(app.config, _url(app, "worker"), concurrency=concurrency, name=name)


COMMANDS = (worker,)
