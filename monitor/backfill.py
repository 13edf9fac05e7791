"""Parallel backfill on one machine: `ingest --jobs N` and `reextract --jobs N`.

Reading, parsing and extracting (the CPU-bound part, ~90 % of an ingest) run in N worker
processes, a few files ahead of the writer; the main process stores the results one by one
in the order the files were given. So the database sees one writer, versions of a page get
the same order as with --jobs 1, and a file that cannot be read is reported for that file.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from chipwatch.monitor.pipeline import Prepared, prepare_body
from chipwatch.monitor.workers import process_pool


def _pool(jobs: int) -> ProcessPoolExecutor:
    return process_pool(jobs, ["chipwatch.monitor.pipeline"])  # preload: if this starts the server


def ingest_items(path: Path, url: str | None, max_bytes: int) -> Iterable[Any]:
    """`ingest`'s reader of one path, importable in a worker."""
    from chipwatch.monitor.ingest import _items

    return _items(path, url, max_bytes)


def _prepare_file(read: Callable[[Path], Iterable[Any]], path: Path) -> list[tuple[Any, Prepared]]:
    """In a worker: every item of a file and its prepared body (an error is raised back)."""
    return [(item, prepare_body(item.body, item.headers, item.url, item.filename))
            for item in read(path)]


class Prefetch:
    """Items of the given files, prepared in `jobs` processes, handed out in file order.

    `read(path)` yields a file's items (it must be picklable: a module-level function or a
    functools.partial of one). At most `ahead` files are in flight, which bounds memory."""

    def __init__(self, paths: Sequence[Path], read: Callable[[Path], Iterable[Any]], jobs: int,
                 ahead: int | None = None) -> None:
        self._paths = deque(paths)
        self._read = read
        self._pool = _pool(jobs)
        self._ahead = ahead or 2 * jobs
        self._inflight: deque[tuple[Path, Future]] = deque()
        self._fill()

    def _fill(self) -> None:
        while self._paths and len(self._inflight) < self._ahead:
            path = self._paths.popleft()
            self._inflight.append((path, self._pool.submit(_prepare_file, self._read, path)))

    def take(self, path: Path) -> list[tuple[Any, Prepared]]:
        """The next file's items; raises what reading it raised (OSError, ValueError)."""
        expected, future = self._inflight.popleft()
        assert expected == path, (expected, path)
        self._fill()
        return future.result()

    def close(self) -> None:
        for _, future in self._inflight:
            future.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)


def extract_all(texts: Iterable[tuple[int, str]], jobs: int) -> Iterator[tuple[int, list]]:
    """(snapshot id, facts) for each stored text, extracted in `jobs` processes, in order."""
    from chipwatch.extractors import extract_facts

    if jobs <= 1:
        for sid, text in texts:
            yield sid, extract_facts(text)
        return
    pool = _pool(jobs)
    try:
        pending: deque[tuple[int, Future]] = deque()
        for sid, text in texts:
            pending.append((sid, pool.submit(extract_facts, text)))
            if len(pending) >= 4 * jobs:
                done_sid, fut = pending.popleft()
                yield done_sid, fut.result()
        while pending:
            done_sid, fut = pending.popleft()
            yield done_sid, fut.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
