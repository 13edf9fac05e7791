"""Commands about documents: ingest, extract, history, search, reextract."""

from __future__ import annotations

import sqlite3
import sys
from functools import partial
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import click

from chipwatch.db import queries
from chipwatch.db.extraction import snapshots_missing_runs
from chipwatch.db.store import is_busy, is_disk_full, sha256, utcnow
from chipwatch.extractors import EXTRACTORS, extract_facts
from chipwatch.extractors.text.sniff import sniff_kind
from chipwatch.monitor import baseline
from chipwatch.monitor.cli import App, CliError, format_option, pass_app
from chipwatch.monitor.cli_facts import fact_summary, print_blocks
from chipwatch.monitor.inputs import InputRefused, read_bounded, read_file
from chipwatch.monitor.output import emit
from chipwatch.monitor.backfill import Prefetch, extract_all, ingest_items
from chipwatch.monitor.pipeline import outlet_for, read_article, store_body, store_prepared
from chipwatch.monitor.poll import STORAGE_EXIT

FACT_RECORD = ("kind", "chip", "metric", "value", "unit", "relative_to", "actor", "action",
               "quote", "char_start", "char_end", "url", "outlet", "content_hash",
               "fetched_at", "extractor", "extractor_version", "status", "approx", "low",
               "high", "negated", "target", "attribution")


@dataclass
class Item:
    """One body to ingest: a file, or one response record of a WARC file."""

    label: str
    body: bytes
    url: str
    fetched_at: str | None = None
    headers: dict[str, str] | None = None
    http_status: int | None = None
    truncated: bool = False
    filename: str | None = None


# Files a saved-pages folder holds beside the pages: taken only when named on the command
# line, never picked up from a folder.
NOT_ARTICLE_STEMS = ("readme", "notes", "note", "license", "licence", "changelog", "changes",
                     "copying", "authors", "contributing", "todo", "index")
NOT_ARTICLE_SUFFIXES = (".md", ".markdown", ".rst", ".toml", ".yaml", ".yml", ".py", ".sh")


@dataclass
class Entry:
    """A path to ingest, or why a path found in a folder is not taken."""

    path: Path
    refused: str | None = None  # counts as failed: the user must see it
    ignored: str | None = None  # a folder's notes or readme: reported, not an error


def _folder_entry(root: Path, q: Path) -> Entry:
    try:
        inside = q.resolve().is_relative_to(root.resolve())
    except OSError as exc:
        return Entry(q, refused=f"cannot resolve ({exc.strerror or exc})")
    if not inside:
        return Entry(q, refused=f"links to {q.resolve()}, outside {root}; not followed "
                                "(name the target itself to ingest it)")
    name = q.name.lower()
    if name.split(".", 1)[0] in NOT_ARTICLE_STEMS or q.suffix.lower() in NOT_ARTICLE_SUFFIXES:
        return Entry(q, ignored="a notes or readme file, not an article (name it to ingest it)")
    return Entry(q)


def _expand(paths: tuple[str, ...]) -> Iterator[Entry]:
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for q in sorted(path.rglob("*")):
                if q.name.startswith(".") or any(part.startswith(".") for part in q.relative_to(path).parts):
                    continue
                if q.is_file() or (q.is_symlink() and not q.is_dir()):
                    yield _folder_entry(path, q)
        else:
            yield Entry(path)


def _warc_items(path: Path, max_bytes: int) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type not in ("response", "resource"):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            date = record.rec_headers.get_header("WARC-Date")
            headers: dict[str, str] = {}
            status = None
            if record.http_headers is not None:
                headers = {k.lower(): v for k, v in record.http_headers.headers}
                try:
                    status = int(record.http_headers.get_statuscode())
                except (TypeError, ValueError):
                    status = None
            if status is not None and status != 200:
                continue
            body = record.content_stream().read(max_bytes + 1)
            yield Item(f"{path}#{url}", body[:max_bytes], url, date, headers, status,
                       len(body) > max_bytes, filename=url.rsplit("/", 1)[-1])


def _items(path: Path, url: str | None, max_bytes: int) -> Iterator[Item]:
    """The bodies a path holds; raises OSError or ValueError for what cannot be read."""
    head, truncated = read_file(path, max_bytes)
    if sniff_kind(head[:65536], None, path.name) == "warc":
        yield from _warc_items(path, max_bytes)
        return
    yield Item(str(path), head, url or path.resolve().as_uri(), None, None, None,
               truncated, filename=path.name)


def _usable_url(url: str) -> bool:
    """--url names where a file came from: an http(s) URL with a host and a valid port."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises for a port out of range
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in url.strip())


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--url", help="The URL the file was saved from (one file only).")
@click.option("--outlet", help="The outlet to record (default: from the URL or the page).")
@click.option("--jobs", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Parse and extract in this many processes (stored in order by one writer).")
@pass_app
def ingest(app: App, paths: tuple[str, ...], url: str | None, outlet: str | None, jobs: int = 1) -> None:
    """Store local HTML, text or WARC files as snapshots and extract their facts.

    Files are taken as if fetched: the same content twice adds nothing, a changed file
    adds a version. Directories are read recursively. A file that cannot be read is
    reported and skipped; the others are stored (exit code 2 if any failed).
    """
    entries = list(_expand(paths))
    files = [e.path for e in entries if not e.ignored and not e.refused]
    if url and len(entries) > 1:
        raise CliError("--url names the URL of one file; give one path with it")
    if url is not None and not _usable_url(url):
        raise CliError(f"--url: {url[:200]!r} is not an http or https URL with a host")
    for e in entries:
        if e.ignored:
            click.echo(f"ignored: {e.path}: {e.ignored}", err=True)
        elif e.refused:
            click.echo(f"error: {e.path}: {e.refused}", err=True)
    store, max_bytes = app.store, app.config.fetch.max_bytes
    totals = {"files": 0, "new": 0, "unchanged": 0, "facts": 0, "skipped": 0,
              "failed": sum(1 for e in entries if e.refused)}
    ignored = sum(1 for e in entries if e.ignored)
    show_bar = sys.stderr.isatty() and len(files) > 1
    storage_failed = False
    prefetch = Prefetch(files, partial(ingest_items, url=url, max_bytes=max_bytes), jobs) \
        if jobs > 1 and len(files) > 1 else None
    with click.progressbar(files, label="ingesting", file=sys.stderr,
                           hidden=not show_bar) as bar:
        for path in bar:
            totals["files"] += 1
            try:
                pairs = prefetch.take(path) if prefetch else ((i, None) for i in _items(path, url, max_bytes))
                for item, prepared in pairs:
                    if item.truncated:
                        click.echo(f"warning: {item.label}: larger than fetch.max_bytes "
                                   f"({max_bytes:,} bytes); stored the first {max_bytes:,}", err=True)
                    result = store_body(
                        store, url=item.url, body=item.body, headers=item.headers,
                        fetched_at=item.fetched_at or utcnow(), http_status=item.http_status,
                        outlet=outlet, truncated=item.truncated, filename=item.filename,
                        config=app.config,
                    ) if prepared is None else store_prepared(
                        store, prepared, url=item.url, body=item.body, headers=item.headers,
                        fetched_at=item.fetched_at or utcnow(), http_status=item.http_status,
                        outlet=outlet, truncated=item.truncated, config=app.config,
                    )
                    if result.skipped:
                        totals["skipped"] += 1
                        click.echo(f"skipped: {item.label}: {result.message}", err=True)
                        continue
                    state = "new" if result.new_version else "unchanged"
                    totals[state] += 1
                    totals["facts"] += result.new_facts
                    if not show_bar:
                        click.echo(f"{state:9} {item.label}: {result.title or '(no title)'}"
                                   f" [{result.new_facts} new facts]")
            except sqlite3.OperationalError as exc:
                if is_disk_full(exc):
                    # nothing more can be written: say what was saved and stop
                    rest = len(files) - totals["files"]
                    click.echo(f"error: {path}: cannot write the database: {exc}; not saved: this file "
                               f"and {rest} after it; saved before it: {totals['new']} new version(s)", err=True)
                    storage_failed = True
                    break
                if not is_busy(exc):
                    raise
                totals["failed"] += 1
                click.echo(f"error: {path}: database busy for more than "
                           f"{app.config.database.busy_timeout:g} s; not saved", err=True)
            except (OSError, ValueError) as exc:
                totals["failed"] += 1
                click.echo(f"error: {path}: {exc}", err=True)
    if prefetch:
        prefetch.close()
    click.echo(
        f"ingested {totals['files']} file(s): {totals['new']} new version(s), "
        f"{totals['unchanged']} unchanged, {totals['facts']} new fact(s), "
        f"{totals['skipped']} skipped, {totals['failed']} failed"
        + (f", {ignored} ignored" if ignored else "")
    )
    if storage_failed:
        sys.exit(STORAGE_EXIT)
    if totals["failed"] or totals["skipped"]:  # as documented: anything not stored is exit 2
        sys.exit(2)


@click.command()
@click.argument("path")
@click.option("--url", help="The URL to report in each fact (default: the page's canonical URL).")
@click.option("--outlet", help="The outlet to report in each fact.")
@format_option
@pass_app
def extract(app: App, path: str, url: str | None, outlet: str | None, fmt: str) -> None:
    """Print the facts of one HTML or text file (or - for stdin), storing nothing."""
    if url is not None and not _usable_url(url):
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
    kind = sniff_kind(body[:65536], None, None if path == "-" else Path(path).name)
    if kind not in ("html", "text"):
        raise CliError(f"{path}: not an article ({kind})")
    article, _ = read_article(body, None, kind, url)
    doc_url = url or article.canonical_url
    provenance = {
        "url": doc_url, "outlet": outlet or outlet_for(doc_url, article.site_name),
        "content_hash": sha256(body), "fetched_at": None,
    }
    rows = [{**fact.to_dict(), **provenance} for fact in extract_facts(article.text)]
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
    doc, versions = queries.document_history(app.existing_store, url)
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
    rows = queries.search(app.existing_store, text, limit)
    emit(rows, ("outlet", "title", "snippet", "url"), fmt,
         json_columns=("outlet", "title", "url", "fetched_at", "snippet", "rank", "snapshot_id"))
    if not rows and fmt == "table":
        click.echo(f"no stored article matches {text!r}", err=True)


@click.command()
@click.option("--jobs", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Extract in this many processes (stored in order by one writer).")
@pass_app
def reextract(app: App, jobs: int = 1) -> None:
    """Re-run changed extractors over stored snapshots; older facts stay as history."""
    store = app.existing_store
    todo = snapshots_missing_runs(store, EXTRACTORS)
    added, documents = 0, set()
    for snapshot_id, facts in extract_all(((row.id, row.text) for row in todo), jobs):
        saved = store.replace_facts(snapshot_id, facts, EXTRACTORS)
        added += len(saved.added_fact_ids)
        documents.add(saved.document_id)
    # New facts bear on the baseline like those of a fetched version.
    claims = app.config.baseline
    baseline.sync_claims(store, claims)
    with store.transaction():
        for document_id in sorted(documents):
            baseline.assess_document(store, document_id, claims)
    versions = ", ".join(f"{k} {v}" for k, v in EXTRACTORS.items())
    click.echo(f"re-extracted {len(todo)} snapshot(s) with {versions}: {added} fact row(s) added")


COMMANDS = (ingest, extract, history, search, reextract)
