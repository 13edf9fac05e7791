"""Host names that do not resolve: remembered for a while, so a machine without network
does not spend seconds per lookup on every source and every retry, and the conclusion
that no name resolves at all is said once."""
from __future__ import annotations

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
        if not self.any_resolved and self.no_dns_since is None and len(self.failed) >= NO_DNS_AFTER:
            self.no_dns_since = time.monotonic()
            (_log.info if self.quiet else _log.warning)("no host name resolves (%d names tried): likely no network or DNS; "
                         "names are not looked up again for %g s", len(self.failed), self.ttl)

    def success(self, host: str) -> None:
        self.failed.pop(host, None)
        self.any_resolved = True
        self.no_dns_since = None
