"""Commands about documents: ingest, extract, history, search, reextract."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from chipwatch.errors import DiskFull, InputError
from chipwatch.monitor import api
from chipwatch.monitor.cli_app import App, CliError, format_option, pass_app
from chipwatch.monitor.cli_facts import fact_summary, print_blocks
from chipwatch.monitor.distributed import STALL_AFTER
from chipwatch.monitor.extract import FACT_RECORD
from chipwatch.monitor.ingest import IngestEvent, usable_url
from chipwatch.monitor.inputs import InputRefused, read_bounded, read_file
from chipwatch.monitor.output import emit


stall_after_option = click.option(
    "--stall-after", type=click.FloatRange(1, 3600), default=STALL_AFTER, show_default=True,
    help="With --distributed: seconds without a worker's heartbeat before its job is given to "
         "another worker.")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--url", help="The URL the file was saved from (one file only).")
@click.option("--outlet", help="The outlet to record (default: from the URL or the page).")
@click.option("--jobs", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Parse and extract in this many processes (stored in order by one writer).")
@click.option("--distributed", is_flag=True,
              help="PostgreSQL only: one job per file for the `chipwatch worker` processes, which "
                   "must see the files at the same absolute paths; waits for them.")
@stall_after_option
@pass_app
def ingest(app: App, paths: tuple[str, ...], url: str | None, outlet: str | None, jobs: int = 1,
           distributed: bool = False, stall_after: float = STALL_AFTER) -> None:
    """Store local HTML, text or WARC files as snapshots and extract their facts.

    Files are taken as if fetched: the same content twice adds nothing, a changed file
    adds a version. Directories are read recursively. A file that cannot be read is
    reported and skipped; the others are stored (exit code 2 if any failed).
    """
    try:
        files = api.ingest_files(paths, url)  # checks --url before the database is opened
    except InputError as exc:
        raise CliError(str(exc)) from exc
    show_bar = sys.stderr.isatty() and len(files) > 1

    def show(event: IngestEvent) -> None:
        if event.kind in ("new", "unchanged"):
            if not show_bar:
                click.echo(f"{event.kind:9} {event.label}: {event.title or '(no title)'}"
                           f" [{event.new_facts} new facts]")
        else:
            click.echo(f"{event.kind}: {event.label}: {event.message}", err=True)

    if distributed:
        from chipwatch.monitor.cli_workers import queue_url
        from chipwatch.monitor.distributed_backfill import ingest_distributed

        show_bar = False
        db_url = queue_url(app, "ingest --distributed")  # before anything is opened
        report = ingest_distributed(app.store, app.config, db_url, list(paths),
                                    url=url, outlet=outlet, on_event=show, stall_after=stall_after)
    else:
        store, config = app.store, app.config
        with click.progressbar(length=len(files), label="ingesting", file=sys.stderr,
                               hidden=not show_bar) as bar:
            report = api.ingest(store, paths, config=config, url=url, outlet=outlet, on_event=show,
                                on_file=lambda _: bar.update(1), jobs=jobs)
    click.echo(report.summary())
    if report.storage_failed:
        sys.exit(DiskFull.exit_code)
    if report.failed or report.skipped:  # as documented: anything not stored is exit 2
        sys.exit(2)


@click.command()
@click.argument("path")
@click.option("--url", help="The URL to report in each fact (default: the page's canonical URL).")
@click.option("--outlet", help="The outlet to report in each fact.")
@format_option
@pass_app
def extract(app: App, path: str, url: str | None, outlet: str | None, fmt: str) -> None:
    """Print the facts of one HTML or text file (or - for stdin), storing nothing."""
    if url is not None and not usable_url(url):
        raise CliError(f"--url: {url[:200]!r} is not an http or https URL with a host")
    max_bytes = app.config.fetch.max_bytes  # loading the config also applies the user's lexicon
    try:
        body, truncated = read_bounded(sys.stdin.buffer, max_bytes) if path == "-" \
            else read_file(Path(path), max_bytes)
    except InputRefused as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"{path}: {exc.strerror or exc}") from exc
    if truncated:
        click.echo(f"warning: {path}: larger than fetch.max_bytes ({max_bytes:,} bytes); "
                   f"read the first {max_bytes:,}", err=True)
    try:
        found = api.extract(body, url=url, outlet=outlet, filename=None if path == "-" else Path(path).name)
    except InputError as exc:
        raise CliError(f"{path}: {exc}") from exc
    rows = found.records()
    if fmt == "table" and rows:
        print_blocks([fact_summary(r) for r in rows], ("kind", "chip", "what", "value"))
    else:
        emit(rows, FACT_RECORD, fmt)
    if fmt == "table" and not rows:
        click.echo("no facts found", err=True)


@click.command()
@click.argument("url")
@format_option
@pass_app
def history(app: App, url: str, fmt: str) -> None:
    """The stored versions of one document and what changed between them."""
    doc, versions = api.history(app.existing_store, url)
    if doc is None:
        raise CliError(f"no stored document for {url}")
    columns = ("version", "fetched_at", "content_hash", "chars", "facts", "added", "removed",
               "title")
    if fmt != "table":
        emit(versions, columns, fmt, json_columns=(*columns, "snapshot_id", "changes"))
        return
    click.echo(f"{doc['title'] or '(no title)'}\n{doc['url']}  ({doc['outlet'] or 'unknown outlet'})\n")
    rows = [{**v, "content_hash": v["content_hash"][:12]} for v in versions]
    emit(rows, columns, fmt)
    for v in versions[1:]:
        click.echo(f"\nversion {v['version']} ({v['fetched_at']}) against version {v['version'] - 1}:")
        for line in v["changes"] or ["  (same text)"]:
            click.echo(f"  {line}")


@click.command()
@click.argument("text")
@click.option("--limit", default=20, show_default=True, help="At most this many results.")
@format_option
@pass_app
def search(app: App, text: str, limit: int, fmt: str) -> None:
    """Full-text search over stored articles, best match first, with [marked] snippets."""
    rows = api.search(app.existing_store, text, limit)
    emit(rows, ("outlet", "title", "snippet", "url"), fmt,
         json_columns=("outlet", "title", "url", "fetched_at", "snippet", "rank", "snapshot_id"))
    if not rows and fmt == "table":
        click.echo(f"no stored article matches {text!r}", err=True)


@click.command()
@click.option("--jobs", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Extract in this many processes (stored in order by one writer).")
@click.option("--distributed", is_flag=True,
              help="PostgreSQL only: jobs of about --batch-size snapshots for the `chipwatch "
                   "worker` processes; waits for them.")
@click.option("--batch-size", type=click.IntRange(1, 10000), default=50, show_default=True,
              help="With --distributed: snapshots per job.")
@stall_after_option
@pass_app
def reextract(app: App, jobs: int = 1, distributed: bool = False, batch_size: int = 50,
              stall_after: float = STALL_AFTER) -> None:
    """Re-run changed extractors over stored snapshots; older facts stay as history."""
    if distributed:
        from chipwatch.monitor.cli_workers import queue_url
        from chipwatch.monitor.distributed_backfill import reextract_distributed

        url = queue_url(app, "reextract --distributed")
        report = reextract_distributed(app.existing_store, app.config, url, batch_size=batch_size,
                                       stall_after=stall_after)
        click.echo(report.summary())
        if report.failed_jobs:
            sys.exit(1)
        return
    click.echo(api.reextract(app.existing_store, app.config, jobs=jobs).summary())


COMMANDS = (ingest, extract, history, search, reextract)
