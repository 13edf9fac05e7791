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


def test_a_pooled_connection_the_server_dropped_is_not_a_lost_fetch():
    """The server answers once per connection, then closes it without answering the next
    request on it (as servers do with keep-alive connections they timed out). With no
    retries configured the second fetch still succeeds, on a fresh connection."""
    import socket
    import threading

    from chipwatch.monitor.fetch import Fetcher, FetchParams

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    connections = []

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            connections.append(conn)
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(4096)
            body = b"<html><body><p>ok</p></body></html>"
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\n\r\n" + body)

            def drop_after_next_request(c=conn) -> None:  # noqa: ANN001
                try:
                    c.recv(4096)  # the reused connection's request: dropped unanswered
                finally:
                    c.close()
            threading.Thread(target=drop_after_next_request, daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    params = FetchParams(per_host_delay=0, retries=0, respect_robots=False, allow_private_addresses=True,
                         http2=False)

    async def go():  # noqa: ANN202
        async with Fetcher(params) as f:
            first = await f.fetch(f"http://127.0.0.1:{port}/a")
            second = await f.fetch(f"http://127.0.0.1:{port}/b")
            return first, second

    try:
        first, second = asyncio.run(go())
    finally:
        listener.close()
    assert first.outcome == "ok" and first.retries == 0
    assert second.outcome == "ok" and second.retries == 1 and second.body.endswith(b"</html>")
    assert len(connections) == 2  # the second request went again, on a new connection


def test_a_timeout_caused_by_our_own_stalled_loop_is_not_a_lost_fetch(server):
    """The server answers at once, but the poller's loop is held up (CPU work that should
    not be there, or a starved machine) past the request's time limit: the fetch is sent
    again instead of being recorded as the server's timeout."""
    from chipwatch.monitor.fetch import Fetcher, FetchParams

    server.route("/a", body=b"<html><body><p>ok</p></body></html>", headers={"Content-Type": "text/html"},
                 delay=0.3)
    params = FetchParams(per_host_delay=0, retries=0, respect_robots=False, allow_private_addresses=True,
                         timeout=1.0)

    async def go():  # noqa: ANN202
        async with Fetcher(params) as f:
            await f.fetch(server.url("/a"))  # warm: client and lag probe running
            fetch = asyncio.create_task(f.fetch(server.url("/a")))
            await asyncio.sleep(0)  # the request goes out
            await asyncio.sleep(0.05)
            time.sleep(1.5)  # the loop stalls past the 1 s limit
            return await fetch

    result = asyncio.run(go())
    assert result.outcome == "ok", (result.error_class, result.error)
    assert result.retries == 1
