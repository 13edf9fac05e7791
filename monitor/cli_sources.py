"""`chipwatch stories`: syndicated copies grouped into stories, each with its origin."""

from __future__ import annotations

import click

from chipwatch.db import sourcing
from chipwatch.monitor.cli_app import App, format_option, pass_app
from chipwatch.monitor.output import emit, short_time
from chipwatch.monitor.syndication import rebuild

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
        n = rebuild(store)
        click.echo(f"rebuilt stories over {n} document(s)", err=True)
    rows = sourcing.stories(store, limit)
    for r in rows:
        r["members"] = [
            {"document_id": m["document_id"], "outlet": m["outlet"], "url": m["url"], "title": m["title"],
             "published": m["published"], "similarity": m["similarity"]}
            for m in sourcing.story_members(store, r["id"])]
        r["updated"] = short_time(r["updated_at"])
    if fmt != "table":
        emit(rows, STORY_TABLE, fmt, json_columns=STORY_JSON if fmt == "json" else STORY_TABLE + ("reason",))
        return
    if not rows:
        click.echo("no stories: no article is a copy of another yet", err=True)
        return
    for n, r in enumerate(rows):
        click.echo(("\n" if n else "") + f"story {r['id']}: {r['origin_outlet'] or '?'}, {r['copies']} copies"
                   f" \u2014 {r['origin_title'] or ''}")
        click.echo(f"    origin: {r['reason']}")
        for m in r["members"]:
            mark = "*" if m["document_id"] == r["origin_document_id"] else " "
            click.echo(f"  {mark} {m['outlet'] or '(no outlet)'}  {short_time(m['published'] or '')}  "
                       f"{m['url']}  (similarity {m['similarity']:.2f})")


COMMANDS = (stories,)
