"""`chipwatch stories`: syndicated copies grouped into stories, each with its origin (the
work: api.stories)."""

from __future__ import annotations

import click

from chipwatch.monitor import api
from chipwatch.monitor.cli_app import App, format_option, pass_app
from chipwatch.monitor.output import emit, short_time

STORY_TABLE = ("id", "origin_outlet", "copies", "updated", "origin_title")
STORY_JSON = ("id", "origin_outlet", "origin_url", "origin_title", "reason", "copies", "created_at",
              "updated_at", "members")


@click.command()
@click.option("--rebuild", "do_rebuild", is_flag=True,
              help="Recompute credits, text signatures and stories for every stored document first.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many stories, newest first.")
@format_option
@pass_app
def stories(app: App, do_rebuild: bool, limit: int | None, fmt: str) -> None:
    """Articles republished by several outlets, grouped into stories: the origin (the outlet
    the text credits, else the earliest published copy), the reason, and every copy."""
    store = app.store
    if do_rebuild:
        n = api.rebuild_stories(store)
        click.echo(f"rebuilt stories over {n} document(s)", err=True)
    found = api.stories(store, limit)
    if fmt != "table":
        rows = [{**s.row(), "updated": short_time(s.updated_at)} for s in found]
        emit(rows, STORY_TABLE, fmt, json_columns=STORY_JSON if fmt == "json" else STORY_TABLE + ("reason",))
        return
    if not found:
        click.echo("no stories: no article is a copy of another yet", err=True)
        return
    for n, s in enumerate(found):
        click.echo(("\n" if n else "") + f"story {s.id}: {s.origin_outlet or '?'}, {s.copies} copies"
                   f" \u2014 {s.origin_title or ''}")
        click.echo(f"    origin: {s.reason}")
        for m in s.members:
            mark = "*" if m.document_id == s.origin_document_id else " "
            click.echo(f"  {mark} {m.outlet or '(no outlet)'}  {short_time(m.published or '')}  "
                       f"{m.url}  (similarity {m.similarity:.2f})")


COMMANDS = (stories,)
