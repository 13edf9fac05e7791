"""robots.txt per origin, fetched through the poller's own client and cached for a day.

Follows RFC 9309 where it matters to a small poller: a missing robots.txt (4xx) allows
everything, a server error (5xx) disallows everything until the next read, and the file
is read at most 500 KiB deep.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Awaitable, Callable
from urllib.parse import urlsplit

from protego import Protego

ROBOTS_MAX_BYTES = 500 * 1024
SERVER_ERROR_TTL = 3600.0  # re-try a failing robots.txt after an hour, not a day


@dataclass
class RobotsAnswer:
    """What a robots.txt fetch produced, in the terms the cache needs."""

    status: int | None  # None: no HTTP response at all
    body: bytes


RobotsFetch = Callable[[str], Awaitable[RobotsAnswer]]


@dataclass
class _Entry:
    read_at: float
    ttl: float
    rules: Protego | None  # None = allow all
    deny_all: bool = False


class RobotsCache:
    def __init__(self, fetch: RobotsFetch, user_agent: str, ttl: float = 86400.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._fetch = fetch
        self.user_agent = user_agent
        self.ttl = ttl
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self.reads = 0  # robots.txt fetches made (tests and stats)

    @staticmethod
    def origin(url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme.lower()}://{parts.netloc.lower()}"

    async def allowed(self, url: str) -> bool:
        entry = await self._entry(self.origin(url))
        if entry is None or entry.rules is None:
            return not (entry and entry.deny_all)
        return entry.rules.can_fetch(url, self.user_agent)

    async def crawl_delay(self, url: str) -> float | None:
        entry = await self._entry(self.origin(url))
        if entry is None or entry.rules is None:
            return None
        return entry.rules.crawl_delay(self.user_agent)

    async def _entry(self, origin: str) -> _Entry | None:
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:  # one robots.txt read per origin even when many URLs ask at once
            entry = self._entries.get(origin)
            if entry is not None and self._clock() - entry.read_at < entry.ttl:
                return entry
            answer = await self._fetch(origin + "/robots.txt")
            self.reads += 1
            now = self._clock()
            if answer.status is None:
                return None  # unreachable: not cached; the page fetch reports the real error
            if 200 <= answer.status < 300:
                text = answer.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
                entry = _Entry(now, self.ttl, Protego.parse(text))
            elif answer.status >= 500 or answer.status == 429:
                entry = _Entry(now, min(self.ttl, SERVER_ERROR_TTL), None, deny_all=True)
            else:
                entry = _Entry(now, self.ttl, None)
            self._entries[origin] = entry
            return entry
