"""Local files into the store as if fetched: HTML, text and WARC files, or folders of them.

The same content twice adds nothing, a changed file adds a version. A file that cannot be
read is reported and skipped; the others are stored. Nothing is printed here: each outcome
is handed to the caller as an `IngestEvent` (the command line prints them).
"""

from __future__ import annotations

import sqlite3
from functools import partial
from typing import Any
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from chipwatch.db.store import Store, is_busy, is_disk_full, utcnow
from chipwatch.errors import InputError
from chipwatch.extractors.text.sniff import sniff_kind
from chipwatch.monitor import baseline
from chipwatch.monitor.config import Config
from chipwatch.monitor.inputs import read_file
from chipwatch.monitor.pipeline import store_body, store_prepared


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


def expand(paths: Iterable[str | Path]) -> Iterator[Entry]:
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


def usable_url(url: str) -> bool:
    """--url names where a file came from: an http(s) URL with a host and a valid port."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises for a port out of range
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in url.strip())


@dataclass
class IngestEvent:
    """One thing worth telling about one path or record."""

    kind: str  # "ignored", "error", "warning", "skipped", "new", "unchanged"
    label: str  # the path, or path#url for a WARC record
    message: str = ""
    title: str | None = None
    new_facts: int = 0


@dataclass
class IngestReport:
    files: int = 0
    new: int = 0
    unchanged: int = 0
    facts: int = 0
    skipped: int = 0
    failed: int = 0
    ignored: int = 0
    storage_failed: bool = False  # the disk filled up: stopped, the rest not saved
    events: list[IngestEvent] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.failed or self.skipped or self.storage_failed)

    def summary(self) -> str:
        return (f"ingested {self.files} file(s): {self.new} new version(s), "
                f"{self.unchanged} unchanged, {self.facts} new fact(s), "
                f"{self.skipped} skipped, {self.failed} failed"
                + (f", {self.ignored} ignored" if self.ignored else ""))


def check_url(url: str | None, count: int) -> None:
    """--url names where one file came from; raises InputError otherwise."""
    if url and count > 1:
        raise InputError("--url names the URL of one file; give one path with it")
    if url is not None and not usable_url(url):
        raise InputError(f"--url: {url[:200]!r} is not an http or https URL with a host")


def begin(paths: Iterable[str | Path], url: str | None,
          on_event: Callable[[IngestEvent], None] | None,
          ) -> tuple[list[Entry], IngestReport, Callable[[IngestEvent], None]]:
    """The start of an ingest, local or on workers: the files the paths name, `url` checked
    against them (InputError), the report that counts the refused and ignored ones, and the
    function that records an event in it and passes it on to `on_event`."""
    entries = list(expand(paths))
    check_url(url, len(entries))
    report = IngestReport(failed=sum(1 for e in entries if e.refused),
                          ignored=sum(1 for e in entries if e.ignored))

    def tell(event: IngestEvent) -> None:
        report.events.append(event)
        if on_event is not None:
            on_event(event)

    return entries, report, tell


def ingest_paths(store: Store, config: Config, paths: Iterable[str | Path], *, url: str | None = None,
                 outlet: str | None = None, on_event: Callable[[IngestEvent], None] | None = None,
                 on_file: Callable[[Path], None] | None = None, jobs: int = 1) -> IngestReport:
    """Store every file the paths name (folders recursively) and extract their facts.

    `on_event` sees each event as it happens (they are also kept in the report);
    `on_file` is called after each file (a progress bar). Raises InputError for a bad `url`.
    With `jobs` > 1, reading, parsing and extracting run in that many processes a few files
    ahead, and this process stores the results in the order of the files.
    """
    entries, report, tell = begin(paths, url, on_event)
    try:
        baseline.sync_claims(store, config.baseline)  # once, not for every file
    except sqlite3.OperationalError as exc:
        if not (is_busy(exc) or is_disk_full(exc)):
            raise
        tell(IngestEvent("error", "database", f"cannot write the database: {exc}; nothing was ingested"))
        report.storage_failed = True
        return report
    for e in entries:
        if e.ignored:
            tell(IngestEvent("ignored", str(e.path), e.ignored))
        elif e.refused:
            tell(IngestEvent("error", str(e.path), e.refused))
    files = [e.path for e in entries if not e.ignored and not e.refused]
    max_bytes = config.fetch.max_bytes
    prefetch = None
    if jobs > 1 and len(files) > 1:
        from chipwatch.monitor.backfill import Prefetch, ingest_items

        prefetch = Prefetch(files, partial(ingest_items, url=url, max_bytes=max_bytes), jobs)
    try:
        _store_files(store, config, files, url, outlet, prefetch, report, tell, on_file)
    finally:
        if prefetch is not None:
            prefetch.close()
    return report


def _store_files(store: Store, config: Config, files: list[Path], url: str | None,
                 outlet: str | None, prefetch: Any, report: IngestReport,
                 tell: Callable[[IngestEvent], None],
                 on_file: Callable[[Path], None] | None) -> None:
    max_bytes = config.fetch.max_bytes
    for path in files:
        report.files += 1
        try:
            pairs = prefetch.take(path) if prefetch is not None \
                else ((item, None) for item in _items(path, url, max_bytes))
            for item, prepared in pairs:
                if item.truncated:
                    tell(IngestEvent("warning", item.label, f"larger than fetch.max_bytes "
                                     f"({max_bytes:,} bytes); stored the first {max_bytes:,}"))
                result = store_body(
                    store, url=item.url, body=item.body, headers=item.headers,
                    fetched_at=item.fetched_at or utcnow(), http_status=item.http_status,
                    outlet=outlet, truncated=item.truncated, filename=item.filename,
                    config=config,
                ) if prepared is None else store_prepared(
                    store, prepared, url=item.url, body=item.body, headers=item.headers,
                    fetched_at=item.fetched_at or utcnow(), http_status=item.http_status,
                    outlet=outlet, truncated=item.truncated, config=config,
                )
                if result.skipped:
                    report.skipped += 1
                    tell(IngestEvent("skipped", item.label, result.message or ""))
                    continue
                state = "new" if result.new_version else "unchanged"
                setattr(report, state, getattr(report, state) + 1)
                report.facts += result.new_facts
                tell(IngestEvent(state, item.label, title=result.title, new_facts=result.new_facts))
        except sqlite3.OperationalError as exc:
            if is_disk_full(exc):
                # nothing more can be written: say what was saved and stop
                rest = len(files) - report.files
                tell(IngestEvent("error", str(path), f"cannot write the database: {exc}; not saved: this "
                                 f"file and {rest} after it; saved before it: {report.new} new version(s)"))
                report.storage_failed = True
                break
            if not is_busy(exc):
                raise
            report.failed += 1
            tell(IngestEvent("error", str(path), f"database busy for more than "
                             f"{config.database.busy_timeout:g} s; not saved"))
        except (OSError, ValueError) as exc:
            report.failed += 1
            tell(IngestEvent("error", str(path), str(exc)))
        finally:
            if on_file is not None:
                on_file(path)
