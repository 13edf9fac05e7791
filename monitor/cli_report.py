"""The `report` command: the database as one self-contained HTML page or as Markdown."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from chipwatch.monitor import api
from chipwatch.monitor.cli_app import App, CliError, pass_app


@click.command()
@click.option("-o", "--output", metavar="FILE", default="-", show_default=True,
              help="Write the report to FILE ('-' for standard output).")
@click.option("--format", "fmt", type=click.Choice(["html", "md"]), default=None,
              help="html (one self-contained page) or md (Markdown); default: from the "
                   "file's suffix (.md = Markdown), else html.")
@click.option("--alerts", "alerts_limit", type=int, default=20, show_default=True,
              help="How many of the most recent alerts to show.")
@pass_app
def report(app: App, output: str, fmt: str | None, alerts_limit: int) -> None:
    """Write a report: baseline verdicts with evidence, figures across sources, a
    timeline, recent alerts and source health. The HTML needs no network to view."""
    if fmt is None:
        fmt = "md" if output.lower().endswith((".md", ".markdown")) else "html"
    text = api.render_report(app.existing_store, app.config, fmt=fmt, alerts_limit=alerts_limit)
    if output == "-":
        sys.stdout.write(text)
        return
    path = Path(output)
    if path.is_dir():
        raise CliError(f"{output}: is a directory; give a file name")
    tmp = None
    try:
        # Write next to the target and rename, so a reader never sees half a report.
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
        raise CliError(f"{output}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {path} ({fmt}, {len(text.encode()):,} bytes)", err=True)


COMMANDS = (report,)
