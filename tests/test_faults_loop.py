"""Fault suite, a blocked loop: parsing and extraction run in worker processes, so the
event loop keeps serving sockets while a large page is parsed."""
from __future__ import annotations

import asyncio
import os
import time

import pytest

from chipwatch.monitor.pipeline import prepare_body
from chipwatch.monitor.workers import Workers, machine_workers
from faults import wordy_page


def test_the_pool_is_sized_to_the_machine_and_runs_elsewhere():
    w = Workers()
    try:
        assert w.size == machine_workers() >= 1
        pid = asyncio.run(w.run(os.getpid))
        assert pid != os.getpid()
    finally:
        w.close()


async def _largest_gap_while_parsing(workers: Workers, body: bytes) -> tuple[float, object]:
    """Parse `body` through `workers` while a ticker on the loop notes its longest wait."""
    gaps = [0.0]
    done = asyncio.Event()

    async def tick() -> None:
        last = time.monotonic()
        while not done.is_set():
            await asyncio.sleep(0.01)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    ticker = asyncio.create_task(tick())
    await asyncio.sleep(0.05)
    prepared = await workers.run(prepare_body, body, {"content-type": "text/html"}, "https://x.test/a")
    done.set()
    await ticker
    return max(gaps), prepared


@pytest.mark.slow
def test_a_large_page_does_not_stall_the_loop():
    body = wordy_page(7, 25_000).encode()
    pool = Workers(1)
    try:
        asyncio.run(pool.run(os.getpid))  # the worker is up: its start is not the point here
        gap, prepared = asyncio.run(_largest_gap_while_parsing(pool, body))
    finally:
        pool.close()
    inline_gap, inline_prepared = asyncio.run(_largest_gap_while_parsing(Workers(0), body))
    assert prepared.article.text == inline_prepared.article.text  # the same work, done elsewhere
    assert inline_gap > 0.3  # parsed on the loop, the loop stalls (what the pool prevents)
    assert gap < 0.25, gap
