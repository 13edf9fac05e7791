"""The HTTP fetcher: one shared httpx client, polite per host, conditional, bounded.

Everything a poll needs to know about one URL comes back as a FetchResult with an
`outcome` (the vocabulary of the `fetches` table); the fetcher never raises for
network or HTTP trouble, so one bad source cannot stop a poll cycle.
"""
from __future__ import annotations

import asyncio
import contextlib
import math
import random
import re
import socket
import ssl
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import AsyncIterator
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from chipwatch import errors
from chipwatch.monitor.names import LoopLag, NameFailures
from chipwatch.monitor.robots import ROBOTS_MAX_BYTES, RobotsAnswer, RobotsCache
from chipwatch.monitor.redact import redact
from chipwatch.monitor.urls import AddressGuard, UnsafeURL, host_key

try:
    import brotli
except ImportError:  # pragma: no cover - installed with httpx[brotli]
    brotli = None

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
RETRY_STATUSES = {500, 502, 503, 504}
ERROR_BODY_BYTES = 64 * 1024
STALL_SHARE = 0.25  # a timeout with the loop this much of the time late is our stall
KEEPALIVE_EXPIRY = 2.0  # seconds an idle pooled connection is kept for reuse
MAX_CRAWL_DELAY = 60.0  # a robots.txt Crawl-delay above this is capped, not obeyed literally
ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
          "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5")


@dataclass
class FetchParams:
    user_agent: str = "chipwatch/0.1.0 (+https://example.invalid/contact)"
    timeout: float = 20.0  # seconds for one whole request (headers and body)
    max_bytes: int = 5_000_000  # of the decoded body
    per_host_delay: float = 2.0
    respect_robots: bool = True
    allow_private_addresses: bool = False
    max_redirects: int = 5
    retries: int = 3  # extra attempts after the first, for transient failures only
    backoff_base: float = 1.0  # first retry waits about this long, then doubles
    backoff_max: float = 60.0
    max_retry_after: float = 7 * 86400.0  # a server cannot park a source longer than this
    robots_ttl: float = 86400.0
    http2: bool = True
    # "host:port" keys reachable even when private addresses are refused: lets tests run a
    # loopback server while still proving that every other private target is refused
    exempt_hosts: frozenset[str] = frozenset()

    @classmethod
    def from_config(cls, fetch_config: object, **overrides: object) -> "FetchParams":
        """Build from the config's `[fetch]` table (any object with those attributes)."""
        values = {}
        for name in ("user_agent", "timeout", "max_bytes", "per_host_delay", "respect_robots",
                     "allow_private_addresses", "max_redirects", "retries", "backoff_base",
                     "backoff_max", "max_retry_after", "robots_ttl"):
            if hasattr(fetch_config, name):
                values[name] = getattr(fetch_config, name)
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


@dataclass
class FetchResult:
    url: str
    final_url: str
    started_at: str  # ISO 8601 UTC
    outcome: str = "error"  # ok, not_modified, truncated, blocked, gone, failing, error, skipped, robots_disallowed
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""
    truncated: bool = False
    elapsed_ms: int = 0
    conditional: bool = False  # validators were sent
    retries: int = 0
    error_class: str | None = None
    error: str | None = None
    retry_after_until: datetime | None = None
    redirects: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def got_response(self) -> bool:
        return self.status is not None

    @property
    def has_body(self) -> bool:
        return self.outcome in ("ok", "truncated")


class HostGate:
    """At most one request in flight per host, and a pause between requests to it."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self._locks: dict[str, asyncio.Lock] = {}
        self._last_done: dict[str, float] = {}

    @contextlib.asynccontextmanager
    async def slot(self, key: str, extra_delay: float = 0.0) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            wait = self._last_done.get(key, -math.inf) + max(self.delay, extra_delay) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                yield
            finally:
                self._last_done[key] = time.monotonic()


class _BodyTooLarge(Exception):
    pass


DecodeFailure = errors.DecodeFailure  # a body whose Content-Encoding does not decode


_CODEC_ERRORS: tuple[type[BaseException], ...] = (zlib.error, ValueError) + (
    (brotli.error,) if brotli is not None and hasattr(brotli, "error") else ())


class _Decoder:
    """Content-Encoding decoding that never produces more than the caller has room for,
    so a small compressed bomb cannot inflate in memory."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._first = True
        if encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = zlib.decompressobj()
        elif encoding == "br" and brotli is not None:
            self._br = brotli.Decompressor()
        elif encoding not in ("identity", ""):
            raise ValueError(f"unsupported content-encoding {encoding!r}")

    def feed(self, data: bytes, room: int) -> bytes:
        """Decode `data`, returning at most room + 1 bytes (one more means: too large)."""
        if self.encoding in ("identity", ""):
            return data[: room + 1]
        if self.encoding == "br":
            out = self._br.process(data, output_buffer_limit=room + 1)
            return out[: room + 1]
        if self.encoding == "deflate" and self._first:
            self._first = False
            try:
                return self._zlib(data, room)
            except zlib.error:  # servers that send raw deflate without the zlib header
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
        return self._zlib(data, room)

    def _zlib(self, data: bytes, room: int) -> bytes:
        out = b""
        while True:
            out += self._z.decompress(data, room + 1 - len(out))
            if len(out) > room:
                return out
            if self._z.eof and self._z.unused_data and self.encoding in ("gzip", "x-gzip"):
                data = self._z.unused_data  # another gzip member follows
                self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
                continue
            return out


async def read_limited(response: httpx.Response, max_bytes: int) -> tuple[bytes, bool]:
    """Stream the body, decoding it ourselves; stop at max_bytes of decoded data."""
    encodings = [e.strip().lower() for e in response.headers.get("content-encoding", "").split(",") if e.strip()]
    decoders = [_Decoder(e) for e in reversed(encodings)]
    parts: list[bytes] = []
    total = 0
    async for raw in response.aiter_raw():
        data = raw
        for i, decoder in enumerate(decoders):
            # inner layers may produce more than the final room; the last layer enforces it
            room = max_bytes - total if i == len(decoders) - 1 else max_bytes * 4 + 65536
            try:
                data = decoder.feed(data, room)
            except _CODEC_ERRORS as exc:  # brotli.error is not a ValueError
                raise DecodeFailure(f"{decoder.encoding} body does not decode: {exc}") from exc
        if total + len(data) > max_bytes:
            parts.append(data[: max_bytes - total])
            return b"".join(parts), True
        parts.append(data)
        total += len(data)
    return b"".join(parts), False


_BOT_MARKERS = (
    b"cf-browser-verification", b"/cdn-cgi/challenge-platform/", b"cf_chl_opt", b"cf-chl-",
    b"_incapsula_resource", b"captcha-delivery.com", b"px-captcha", b"perimeterx",
    b"geo.captcha-delivery", b"challenges.cloudflare.com",
)
_BOT_TITLES = (
    "just a moment", "attention required", "access denied", "are you a robot", "are you a human",
    "pardon our interruption", "security check", "robot check", "captcha", "bot verification",
    "verify you are human", "one more step",
)
_BOT_SMALL_PAGE_PHRASES = (
    "please enable js", "please enable javascript", "enable javascript and cookies to continue",
    "checking your browser", "verify you are a human", "unusual traffic from your computer",
    "access to this page has been denied", "you don't have permission to access",
    "request unsuccessful. incapsula", "complete the security check",
)
_TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(rb"<script.*?</script>|<style.*?</style>|<[^>]+>", re.IGNORECASE | re.DOTALL)


def detect_bot_wall(headers: dict[str, str], body: bytes) -> str | None:
    """Recognise a challenge/captcha/denial page served with 200 (it is not an article revision).
    Returns a short reason or None. Article pages that merely mention these words are left alone:
    the loose phrases only count on pages with little visible text."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "cf-mitigated header"
    head = body[:200_000]
    low = head.lower()
    for marker in _BOT_MARKERS:
        if marker in low:
            return f"challenge marker {marker.decode()}"
    visible = _TAG_RE.sub(b" ", low)
    visible_len = len(b" ".join(visible.split()))
    title = _TITLE_RE.search(low)
    title_text = b" ".join(title.group(1).split()).decode("utf-8", "replace") if title else ""
    if title_text and visible_len < 3000:
        for phrase in _BOT_TITLES:
            if phrase in title_text:
                return f"challenge title {title_text[:60]!r}"
    if visible_len < 1500:
        text = b" ".join(visible.split()).decode("utf-8", "replace")
        for phrase in _BOT_SMALL_PAGE_PHRASES:
            if phrase in text:
                return f"challenge text {phrase!r}"
    return None


_NAME_FAILURES = ("name or service not known", "nodename nor servname", "no address associated",
                  "temporary failure in name resolution", "name resolution")


def is_name_failure(exc: BaseException) -> bool:
    """True when a connection failed because the host name could not be resolved."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return True
        seen = seen.__cause__ or seen.__context__
    text = str(exc).lower()
    return any(marker in text for marker in _NAME_FAILURES)


def _stale_connection(exc: BaseException) -> bool:
    """The server closed the connection before answering: on a reused connection, the
    sign that it timed the idle connection out just as the request went."""
    text = str(exc).lower()
    return isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)) and (
        "without sending a response" in text or "connection reset" in text or "broken pipe" in text
        or not text)


def parse_retry_after(value: str | None, now: datetime, cap: float) -> datetime | None:
    """Retry-After as delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - now).total_seconds()
    return now + timedelta(seconds=min(max(seconds, 0.0), cap))


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso(dt: datetime) -> str:
    """The database's timestamp form: UTC, whole seconds, '+00:00' (sorts as text)."""
    return dt.astimezone(timezone.utc).replace(microsecond=0).isoformat()


@dataclass
class _Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    truncated: bool


class _CheckedBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections only to addresses the guard approved at connect time."""

    def __init__(self, guard: AddressGuard) -> None:
        self.guard = guard
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None, socket_options=None):  # noqa: ANN001, ANN201
        address = await self.guard.connect_address(host, port)
        return await self.inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                            socket_options=socket_options)

    async def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options=None):  # noqa: ANN001, ANN201
        raise UnsafeURL("unsupported_scheme", "unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def _checked_transport(params: FetchParams, guard: AddressGuard, limits: httpx.Limits,
                       ssl_context: ssl.SSLContext) -> httpx.AsyncHTTPTransport:
    transport = httpx.AsyncHTTPTransport(verify=ssl_context, http2=params.http2, limits=limits, trust_env=False)
    pool = getattr(transport, "_pool", None)
    if pool is not None and hasattr(pool, "_network_backend"):  # httpx 0.2x / httpcore 1.x layout
        pool._network_backend = _CheckedBackend(guard)
    return transport


_ANSWERED = "chipwatch.answered"


async def _remember_answer(response: httpx.Response) -> None:
    """Keep status and headers on the request, for an answer httpx then refuses to return."""
    response.request.extensions[_ANSWERED] = (
        response.status_code, {k.lower(): v for k, v in response.headers.items()})


class Fetcher:
    """Owns the clients, the per-host gate, the robots cache and the address guard.

    One small connection pool per host rather than one big pool: requests to a host are
    serialised anyway, and httpcore's pool does work proportional to its size on every
    request (with 50 hosts in one pool that was most of the CPU of a 304 cycle).
    """

    def __init__(self, params: FetchParams, *, transport: httpx.AsyncBaseTransport | None = None,
                 rng: random.Random | None = None) -> None:
        self.params = params
        self.gate = HostGate(params.per_host_delay)
        self.guard = AddressGuard(params.allow_private_addresses, exempt_hosts=params.exempt_hosts)
        self.robots = RobotsCache(self._fetch_robots, params.user_agent, ttl=params.robots_ttl)
        self.rng = rng or random.Random()
        self._transport = transport  # one shared transport when given (tests of the client itself)
        self._clients: dict[str, httpx.AsyncClient] = {}
        self._ssl_context = httpx.create_ssl_context(trust_env=False)  # loaded once, shared
        self.requests_sent = 0
        self.names = NameFailures()
        self.lag = LoopLag()

    def client_for(self, url: str) -> httpx.AsyncClient:
        key = host_key(url) if self._transport is None else "*"
        client = self._clients.get(key)
        if client is None:
            # Idle connections are dropped well before servers commonly close them (5-15 s),
            # so a reused connection is rarely one the server has just given up on.
            limits = httpx.Limits(max_connections=4, max_keepalive_connections=2, keepalive_expiry=KEEPALIVE_EXPIRY)
            encodings = "gzip, deflate, br" if brotli is not None else "gzip, deflate"
            client = httpx.AsyncClient(
                http2=self.params.http2,
                follow_redirects=False,  # each hop is checked (scheme, address, robots, loops)
                timeout=httpx.Timeout(self.params.timeout),
                headers={"User-Agent": self.params.user_agent, "Accept": ACCEPT, "Accept-Encoding": encodings},
                trust_env=False,  # no proxies from the environment: loopback tests must stay loopback
                event_hooks={"response": [_remember_answer]},
                transport=self._transport or _checked_transport(self.params, self.guard, limits, self._ssl_context),
            )
            self._clients[key] = client
        return client

    async def aclose(self) -> None:
        await self.lag.stop()
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()

    async def __aenter__(self) -> "Fetcher":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                    max_bytes: int | None = None, check_robots: bool = True) -> FetchResult:
        started = utc_now()
        t0 = time.monotonic()
        result = FetchResult(url=url, final_url=url, started_at=iso(started))
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        result.conditional = bool(headers)
        try:
            await self._follow(url, headers, result, max_bytes or self.params.max_bytes, check_robots)
        except ValueError as exc:  # an unusable URL (a port out of range, a broken IPv6 host)
            result.outcome, result.error_class, result.error = "skipped", "bad_url", f"{exc}: {url[:200]}"
        except Exception as exc:  # noqa: BLE001 - whatever it was, it is this one fetch's failure
            result.outcome, result.error_class = "error", "internal_error"
            result.error = f"{type(exc).__name__}: {exc}"[:500]
        finally:
            result.elapsed_ms = int((time.monotonic() - t0) * 1000)
            if result.error:  # exception texts quote URLs, credentials and tokens included
                result.error = redact(result.error)
        return result

    async def _follow(self, url: str, headers: dict[str, str], result: FetchResult,
                      max_bytes: int, check_robots: bool) -> None:
        current = url
        seen = {url}
        for _hop in range(self.params.max_redirects + 1):
            result.final_url = current
            host = (urlsplit(current).hostname or "").lower()
            why = self.names.blocked(host)
            if why:
                result.outcome, result.error_class, result.error = "error", "dns_error", why
                return
            try:
                await self.guard.check(current)
            except UnsafeURL as exc:
                result.outcome, result.error_class, result.error = "skipped", exc.error_class, str(exc)
                return
            if check_robots and self.params.respect_robots and not await self.robots.allowed(current):
                result.outcome, result.error_class = "robots_disallowed", "robots"
                result.error = f"robots.txt disallows {current}"
                return
            pause = 0.0
            if check_robots and self.params.respect_robots:
                pause = min(await self.robots.crawl_delay(current) or 0.0, MAX_CRAWL_DELAY)
            why = self.names.blocked(host)  # robots.txt may just have found the name dead
            if why:
                result.outcome, result.error_class, result.error = "error", "dns_error", why
                return
            answer = await self._send_with_retries(current, headers, result, max_bytes, pause)
            if answer is None:
                return
            result.status, result.headers = answer.status, answer.headers
            location = answer.headers.get("location")
            if answer.status in REDIRECT_STATUSES and location:
                try:
                    nxt = urljoin(current, location)
                    urlsplit(nxt).port  # noqa: B018 - raises on a port out of range
                except ValueError as exc:
                    result.outcome, result.error_class = "failing", "bad_redirect"
                    result.error = f"HTTP {answer.status} with an unusable Location {location[:200]!r}: {exc}"
                    return
                result.redirects.append(nxt)
                if nxt in seen:
                    result.outcome, result.error_class = "error", "redirect_loop"
                    result.error = f"redirect loop back to {nxt}"
                    return
                seen.add(nxt)
                current = nxt
                continue
            self._classify(answer, result)
            return
        result.outcome, result.error_class = "error", "too_many_redirects"
        result.error = f"more than {self.params.max_redirects} redirects"

    def _classify(self, answer: _Answer, result: FetchResult) -> None:
        status = answer.status
        if status == 304:
            result.outcome = "not_modified"
        elif 200 <= status < 300:
            reason = detect_bot_wall(answer.headers, answer.body)
            if reason:
                result.outcome, result.error_class, result.error = "blocked", "bot_challenge", reason
            else:
                result.body, result.truncated = answer.body, answer.truncated
                result.outcome = "truncated" if answer.truncated else "ok"
        elif status in (401, 403):
            result.outcome, result.error_class = "blocked", f"http_{status}"
            result.error = f"HTTP {status}: access refused"
        elif status in (404, 410):
            result.outcome, result.error_class = "gone", f"http_{status}"
            result.error = f"HTTP {status}"
        else:
            result.outcome, result.error_class = "failing", f"http_{status}"
            result.error = f"HTTP {status}"
            if status in (429, 503):
                result.retry_after_until = parse_retry_after(
                    answer.headers.get("retry-after"), utc_now(), self.params.max_retry_after)
                if result.retry_after_until is not None:
                    result.error += f", retry after {iso(result.retry_after_until)}"

    def backoff(self, attempt: int) -> float:
        """Exponential with full jitter around the nominal step: base * 2**attempt * [0.5, 1.5)."""
        nominal = min(self.params.backoff_max, self.params.backoff_base * (2 ** attempt))
        return nominal * (0.5 + self.rng.random())

    async def _send_with_retries(self, url: str, headers: dict[str, str], result: FetchResult,
                                 max_bytes: int, pause: float = 0.0) -> _Answer | None:
        attempt = 0
        stale_retried = stall_retried = False
        self.lag.ensure_running()
        while True:
            answer: _Answer | None = None
            error_class = error = None
            lag_before = self.lag.total
            try:
                async with self.gate.slot(host_key(url), extra_delay=pause):
                    lag_before = self.lag.total
                    async with asyncio.timeout(self.params.timeout):
                        answer = await self._send_once(url, headers, max_bytes, result)
            except TimeoutError:
                error_class, error = "timeout", f"no complete answer within {self.params.timeout:g} s"
                stalled = self.lag.total - lag_before
                if not stall_retried and stalled >= STALL_SHARE * self.params.timeout:
                    # our event loop was held up for much of the time: the time ran out on
                    # our side, not the server's; once more with a fresh deadline
                    stall_retried = True
                    result.retries += 1
                    continue
            except httpx.ConnectError as exc:
                error_class, error = "connect_error", str(exc) or type(exc).__name__
                if is_name_failure(exc):
                    # The name does not resolve: asking again at once will not change that;
                    # the source's own back-off decides when to look again.
                    host = (urlsplit(url).hostname or "").lower()
                    self.names.failure(host)
                    detail = re.sub(r"^\[Errno -?\d+\]\s*", "", error)
                    result.outcome, result.error_class = "error", "dns_error"
                    result.error = f"{host} does not resolve ({detail})"
                    return None
            except httpx.TimeoutException as exc:
                error_class, error = "timeout", str(exc) or type(exc).__name__
            except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError, httpx.LocalProtocolError) as exc:
                error_class, error = "protocol_error", str(exc) or type(exc).__name__
                if not stale_retried and _stale_connection(exc):
                    # A pooled connection the server closed while it sat idle: the request never
                    # reached it. Sent again at once on a fresh connection; not a server failure,
                    # so not one of the configured retries.
                    stale_retried = True
                    result.retries += 1
                    continue
            except httpx.TransportError as exc:
                error_class, error = "transport_error", str(exc) or type(exc).__name__
            except UnsafeURL as exc:  # refused at connect time (the name now resolves privately)
                result.outcome, result.error_class, result.error = "skipped", exc.error_class, str(exc)
                return None
            except _CODEC_ERRORS as exc:  # a body we cannot decode: retrying will not help
                result.outcome, result.error_class, result.error = "error", "decode_error", str(exc)
                return None
            retryable = False
            if answer is not None:
                self.names.success((urlsplit(url).hostname or "").lower())
            if answer is None:
                retryable = True
            elif answer.status in RETRY_STATUSES:
                # 503 with Retry-After is the server asking us to come back later, not now
                retryable = not (answer.status == 503 and answer.headers.get("retry-after"))
            if not retryable or attempt >= self.params.retries:
                if answer is None:
                    result.outcome, result.error_class, result.error = "error", error_class, error
                return answer
            await asyncio.sleep(self.backoff(attempt))
            attempt += 1
            result.retries += 1

    async def _send_once(self, url: str, headers: dict[str, str], max_bytes: int,
                         result: FetchResult) -> _Answer:
        client = self.client_for(url)
        request = client.build_request("GET", url, headers=headers)
        self.requests_sent += 1
        try:
            response = await client.send(request, stream=True)
        except httpx.RemoteProtocolError:
            # httpx parses a redirect's Location before handing the response over; a
            # malformed one must still count as the server's answer, not as no answer
            answered = request.extensions.get(_ANSWERED)
            if answered is None:
                raise
            result.status = answered[0]
            return _Answer(answered[0], answered[1], b"", False)
        try:
            status = response.status_code
            result.status = status  # known even if the body then times out
            if 200 <= status < 300:
                body, truncated = await read_limited(response, max_bytes)
            elif status in REDIRECT_STATUSES or status == 304:
                # read the (usually empty) body to its end: only then can the connection be reused
                await read_limited(response, ERROR_BODY_BYTES)
                body, truncated = b"", False
            else:
                body, truncated = await read_limited(response, ERROR_BODY_BYTES)
            return _Answer(status, {k.lower(): v for k, v in response.headers.items()}, body, truncated)
        finally:
            await response.aclose()

    async def _fetch_robots(self, robots_url: str) -> RobotsAnswer:
        result = await self.fetch(robots_url, max_bytes=ROBOTS_MAX_BYTES, check_robots=False)
        if result.status is None or result.outcome in ("error", "skipped"):
            if result.status is not None and result.status >= 300:
                return RobotsAnswer(result.status, b"")
            return RobotsAnswer(None, b"")
        return RobotsAnswer(result.status, result.body)
