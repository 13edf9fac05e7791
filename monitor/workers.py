"""Worker processes for the CPU-bound part of a poll: decoding, parsing and extracting a
page (tens of milliseconds for a small page, seconds for a megabyte of text), and parsing
a feed. The event loop hands them over and goes on with I/O, so a long parse never
leaves other fetches waiting on sockets that go stale meanwhile.

Workers start from a fork server that has already imported the pipeline, so each starts
quickly and none inherits the poller's threads, sockets or database connection.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
PRELOAD = ["chipwatch.monitor.pipeline", "chipwatch.monitor.feeds"]
OWNER_CHECK = 2.0  # seconds between a worker's looks at the process that made its pool


def watch_owner(owner: int) -> None:
    """A pool worker's initializer: exit once the process that made the pool is gone.

    A worker blocked on its pool's queue never sees its owner die (it holds both ends of
    the queue's pipe), and a fork server lives as long as its workers: a daemon killed with
    SIGKILL would leave both behind for good."""
    def check() -> None:
        while True:
            time.sleep(OWNER_CHECK)
            try:
                os.kill(owner, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:
                pass  # the pid exists (owned by another user): the owner may still be alive

    threading.Thread(target=check, name="owner-watch", daemon=True).start()


def process_pool(workers: int, preload: list[str]) -> ProcessPoolExecutor:
    """A pool of `workers` processes from a fork server that has imported `preload` (spawn
    where there is no fork server), whose workers exit when this process is gone."""
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(preload)
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=watch_owner,
                               initargs=(os.getpid(),))


def machine_workers() -> int:
    """The CPUs this process may run on (a container's limit, not the host's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class Workers:
    """A process pool sized to the machine, or none (size 0: work runs inline)."""

    def __init__(self, size: int | None = None) -> None:
        self.size = machine_workers() if size is None else max(0, size)
        self._pool: Executor | None = None
        self._starting: asyncio.Lock | None = None
        self.tasks = 0

    def _get_pool(self) -> Executor:
        if self._pool is None:
            self._pool = process_pool(self.size, PRELOAD)
        return self._pool

    def _start(self) -> Executor:
        """Create the pool and wait until a worker answers. Starting the fork server imports
        the whole pipeline (seconds on a loaded machine), so this runs in a thread: done on
        the event loop it would stall every fetch in flight past its timeout."""
        pool = self._get_pool()
        pool.submit(os.getpid).result()
        return pool

    async def _ready_pool(self) -> Executor:
        if self._pool is not None:
            return self._pool
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if self._pool is None:
                return await asyncio.to_thread(self._start)
            return self._pool

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(*args) in a worker process (fn must be a module-level function)."""
        self.tasks += 1
        if self.size == 0:
            return fn(*args)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(await self._ready_pool(), fn, *args)
        except BrokenProcessPool:
            # a worker died (out of memory on one huge page): this item fails, the pool is renewed
            log.warning("a parsing worker died; starting new ones")
            self.close(wait=False)
            raise

    def close(self, wait: bool = True) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)
