"""`chipwatch worker` and the scheduler of `chipwatch run --scheduler-only`: distributed
mode, on a PostgreSQL database (monitor/distributed.py)."""

from __future__ import annotations

import click

from chipwatch.db.postgres import is_url
from chipwatch.monitor.cli_app import App, CliError, pass_app


def queue_url(app: App, command: str) -> str:
    """The PostgreSQL URL distributed mode runs on; a clear error otherwise."""
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

    url = queue_url(app, "run --scheduler-only")
    run_scheduler(app.config, url)
    return 0


@click.command()
@click.option("--concurrency", type=click.IntRange(1, 256), default=8, show_default=True,
              help="Jobs this process runs at once.")
@click.option("--name", metavar="NAME", help="This worker's name in the queue (default: generated).")
@click.option("--queue", "queues", multiple=True, type=click.Choice(["poll", "deliver", "backfill"]),
              help="Take only these jobs (repeatable; default: all three): e.g. machines kept "
                   "for polling and others for backfills.")
@pass_app
def worker(app: App, concurrency: int, name: str | None, queues: tuple[str, ...]) -> None:
    """Take poll and delivery jobs from the queue in PostgreSQL until SIGTERM/SIGINT; run
    as many as wanted, on any machine, with the same configuration file. They also take
    the jobs of `ingest --distributed` and `reextract --distributed`."""
    from chipwatch.monitor.distributed import QUEUES, run_worker

    run_worker(app.config, queue_url(app, "worker"), concurrency=concurrency, name=name,
               queues=queues or QUEUES)


COMMANDS = (worker,)
