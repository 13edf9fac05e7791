"""Fault suite, no network: names under .invalid never resolve (RFC 6761), as every name
does not on a machine without network. One line says so; dead names are not asked again."""
from __future__ import annotations

import asyncio
import socket
import time

import pytest

from chipwatch.monitor.fetch import Fetcher, FetchParams
from faults import rows, source, write_config


@pytest.fixture(autouse=True)
def _invalid_names_do_not_resolve():
    try:
        socket.getaddrinfo("chipwatch-test.invalid", 80)
    except socket.gaierror:
        return
    pytest.skip("this resolver answers for .invalid names")


def test_no_resolvable_name_is_said_once_and_exit_1(tmp_path, cw):
    sources = "".join(source(f"s{i}{j}", f"https://host{i}.invalid/page{j}") for i in range(4) for j in range(2))
    cfg = write_config(tmp_path, sources)
    t0 = time.monotonic()
    r = cw("--config", cfg, "run", "--once")
    elapsed = time.monotonic() - t0
    assert r.code == 1
    assert r.err.count("no host name resolves") == 1 and "likely no network or DNS" in r.err
    assert "Errno" not in r.out and "Errno" not in r.err
    assert all("does not resolve" in line or "no host name resolves" in line
               for line in r.out.splitlines() if line.startswith("s"))
    fetched = rows(cw.db, "SELECT error_class, count(*) FROM fetches GROUP BY error_class")
    assert fetched == [("dns_error", 8)]
    assert elapsed < 60


def test_a_name_that_did_not_resolve_is_not_looked_up_again():
    async def go():  # noqa: ANN202
        async with Fetcher(FetchParams(per_host_delay=0, retries=2, backoff_base=0.01, respect_robots=False)) as f:
            first = await f.fetch("https://gone.invalid/a")
            t0 = time.monotonic()
            second = await f.fetch("https://gone.invalid/b")
            return first, second, time.monotonic() - t0, f

    first, second, elapsed, f = asyncio.run(go())
    assert first.error_class == second.error_class == "dns_error"
    assert first.retries == 0  # no retry of a name that does not resolve
    assert "gone.invalid does not resolve" in second.error and "not looked up again" in second.error
    assert elapsed < 0.05 and f.requests_sent == 1
