"""Host names that do not resolve: remembered for a while, so a machine without network
does not spend seconds per lookup on every source and every retry, and the conclusion
that no name resolves at all is said once."""
from __future__ import annotations

import asyncio

import logging
import time

_log = logging.getLogger(__name__)

NAME_FAILURE_TTL = 300.0  # seconds a name that did not resolve is not looked up again
NO_DNS_AFTER = 3  # this many different names failing, none resolving: no network or DNS


class NameFailures:
    """Names that did not resolve (each lookup can take seconds without network)."""

    def __init__(self, ttl: float = NAME_FAILURE_TTL) -> None:
        self.ttl = ttl
        self.failed: dict[str, float] = {}
        self.any_resolved = False
        self.no_dns_since: float | None = None
        self.quiet = False  # `run --once` says it in its own last line instead of the log

    @property
    def no_dns(self) -> bool:
        return self.no_dns_since is not None and time.monotonic() - self.no_dns_since < self.ttl

    def blocked(self, host: str) -> str | None:
        """Why `host` is not looked up now, or None to go ahead."""
        now = time.monotonic()
        when = self.failed.get(host)
        if when is not None and now - when < self.ttl:
            return f"{host} does not resolve (not looked up again for {self.ttl:g} s)"
        if self.no_dns:
            return "no host name resolves: likely no network or DNS"
        return None

    def failure(self, host: str) -> None:
        self.failed[host] = time.monotonic()
        if not self.any_resolved and not self.no_dns and len(self.failed) >= NO_DNS_AFTER:
            # first time, or again after the quiet period: names are tried again, and said again
            self.no_dns_since = time.monotonic()
            say = _log.info if self.quiet else _log.warning
            say("no host name resolves (%d names tried): likely no network or DNS; names are not "
                "looked up again for %g s", len(self.failed), self.ttl)

    def success(self, host: str) -> None:
        self.failed.pop(host, None)
        self.any_resolved = True
        self.no_dns_since = None


class LoopLag:
    """How long the event loop has been late, in total: a ticker that should wake every
    `interval` seconds adds up how much later it woke. A request that timed out while the
    loop itself was stalled (our own CPU work, or a starved machine) is our stall, not the
    server's slowness, and is sent again once."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.total = 0.0
        self._task: asyncio.Task[None] | None = None

    def ensure_running(self) -> None:
        import asyncio

        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._tick(), name="loop-lag")

    async def _tick(self) -> None:
        import asyncio

        while True:
            t0 = time.monotonic()
            await asyncio.sleep(self.interval)
            self.total += max(0.0, time.monotonic() - t0 - self.interval)

    async def stop(self) -> None:
        import asyncio
        import contextlib

        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, RuntimeError):
                await task
