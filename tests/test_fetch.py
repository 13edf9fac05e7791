"""The fetcher against a real HTTP server on 127.0.0.1 (no mocked transports)."""
from __future__ import annotations

import asyncio
import gzip
import socket
import time
import tracemalloc
import zlib
from datetime import timedelta

import pytest

from chipwatch.monitor.fetch import Fetcher, FetchParams, detect_bot_wall, parse_retry_after, utc_now
from chipwatch.monitor.urls import host_key
from localserver import Route, local_server, repeat_chunks

PAGE = b"<html><head><title>Export rules</title></head><body><p>The H200 may be sold.</p></body></html>"


def fast_params(**overrides: object) -> FetchParams:
    values: dict[str, object] = dict(user_agent="chipwatch-test/1.0", timeout=2.0, max_bytes=1_000_000,
                                     per_host_delay=0.0, allow_private_addresses=True, retries=2,
                                     backoff_base=0.01, backoff_max=0.05)
    values.update(overrides)
    return FetchParams(**values)  # type: ignore[arg-type]


def fetch(url: str, params: FetchParams | None = None, **kwargs: object):
    async def go():
        async with Fetcher(params or fast_params()) as fetcher:
            return await fetcher.fetch(url, **kwargs)
    return asyncio.run(go())


def test_plain_fetch_sends_user_agent_and_returns_body(server):
    server.route("/a", body=PAGE, headers={"Content-Type": "text/html"})
    result = fetch(server.url("/a"))
    assert result.outcome == "ok" and result.status == 200 and result.body == PAGE
    assert server.requests("/a")[0].header("User-Agent") == "chipwatch-test/1.0"
    assert result.content_type == "text/html" and not result.conditional


def test_conditional_get_with_etag_and_last_modified(server):
    lm = "Tue, 02 Dec 2025 10:00:00 GMT"
    server.route("/a", body=PAGE, etag='"v1"', last_modified=lm)
    first = fetch(server.url("/a"))
    assert first.etag == '"v1"' and first.last_modified == lm
    second = fetch(server.url("/a"), etag=first.etag, last_modified=first.last_modified)
    assert second.outcome == "not_modified" and second.status == 304 and second.body == b""
    assert second.conditional
    sent = server.requests("/a")[1]
    assert sent.header("If-None-Match") == '"v1"' and sent.header("If-Modified-Since") == lm
    # Last-Modified alone is honoured too
    server.route("/b", body=PAGE, last_modified=lm)
    third = fetch(server.url("/b"), last_modified=lm)
    assert third.outcome == "not_modified"


def test_robots_disallowed_path_is_not_fetched_and_robots_read_once(server):
    server.route("/robots.txt", body="User-agent: *\nDisallow: /private/\n")
    server.route("/private/x", body=PAGE)
    server.route("/public", body=PAGE)

    async def go():
        async with Fetcher(fast_params()) as fetcher:
            return [await fetcher.fetch(server.url(p)) for p in ("/private/x", "/public", "/private/x")]
    blocked, allowed, again = asyncio.run(go())
    assert blocked.outcome == "robots_disallowed" and again.outcome == "robots_disallowed"
    assert allowed.outcome == "ok"
    assert server.requests("/private/x") == []
    assert len(server.requests("/robots.txt")) == 1


def test_robots_server_error_disallows_everything(server):
    server.route("/robots.txt", status=500, body=b"oops")
    server.route("/page", body=PAGE)
    result = fetch(server.url("/page"), fast_params(retries=0))
    assert result.outcome == "robots_disallowed"
    assert server.requests("/page") == []


def test_429_with_retry_after_seconds_is_not_retried(server):
    server.route("/busy", status=429, headers={"Retry-After": "120"}, body=b"slow down")
    before = utc_now()
    result = fetch(server.url("/busy"))
    assert result.outcome == "failing" and result.status == 429 and result.retries == 0
    assert len(server.requests("/busy")) == 1
    assert result.retry_after_until is not None
    assert timedelta(seconds=115) < result.retry_after_until - before < timedelta(seconds=125)


def test_503_with_retry_after_http_date(server):
    when = utc_now() + timedelta(hours=2)
    server.route("/maint", status=503, headers={"Retry-After": when.strftime("%a, %d %b %Y %H:%M:%S GMT")})
    result = fetch(server.url("/maint"))
    assert result.outcome == "failing" and len(server.requests("/maint")) == 1
    assert abs((result.retry_after_until - when).total_seconds()) < 2


def test_500_recovers_on_retry_with_backoff(server):
    server.route("/flaky", sequence=[Route(status=500), Route(status=502), Route(body=PAGE)])
    result = fetch(server.url("/flaky"), fast_params(backoff_base=0.05, backoff_max=1))
    assert result.outcome == "ok" and result.body == PAGE and result.retries == 2
    times = [r.at for r in server.requests("/flaky")]
    assert len(times) == 3
    assert times[1] - times[0] >= 0.02 and times[2] - times[1] >= 0.04  # backoff grew


def test_500_that_never_recovers_gives_up(server):
    server.route("/down", status=500)
    result = fetch(server.url("/down"), fast_params(retries=2))
    assert result.outcome == "failing" and result.status == 500 and result.retries == 2
    assert len(server.requests("/down")) == 3


def test_connection_refused_is_an_error_after_retries():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    result = fetch(f"http://127.0.0.1:{port}/x", fast_params(retries=1))
    assert result.outcome == "error" and result.error_class == "connect_error" and result.retries == 1


def test_slow_body_past_total_timeout(server):
    server.route("/slow", body=repeat_chunks(b"x" * 100, 5000), chunk_size=100, chunk_delay=0.05)
    t0 = time.monotonic()
    result = fetch(server.url("/slow"), fast_params(timeout=0.4, retries=0))
    assert result.outcome == "error" and result.error_class == "timeout"
    assert time.monotonic() - t0 < 2.0


def test_redirects_followed_and_loop_detected(server):
    server.route("/old", status=301, headers={"Location": "/new"})
    server.route("/new", body=PAGE)
    moved = fetch(server.url("/old"))
    assert moved.outcome == "ok" and moved.final_url == server.url("/new") and moved.redirects == [server.url("/new")]

    server.route("/loop-a", status=302, headers={"Location": "/loop-b"})
    server.route("/loop-b", status=302, headers={"Location": "/loop-a"})
    loop = fetch(server.url("/loop-a"))
    assert loop.outcome == "error" and loop.error_class == "redirect_loop"
    assert len(server.requests("/loop-a")) == 1 and len(server.requests("/loop-b")) == 1

    for i in range(10):
        server.route(f"/chain{i}", status=302, headers={"Location": f"/chain{i + 1}"})
    chain = fetch(server.url("/chain0"), fast_params(max_redirects=3))
    assert chain.error_class == "too_many_redirects" and len(server.requests("/chain3")) == 1
    assert server.requests("/chain4") == []


def test_redirect_to_other_scheme_is_refused(server):
    server.route("/ftp", status=302, headers={"Location": "ftp://127.0.0.1/file"})
    result = fetch(server.url("/ftp"))
    assert result.outcome == "skipped" and result.error_class == "unsupported_scheme"


def test_private_addresses_refused_directly_by_redirect_and_by_dns(server):
    server.route("/a", body=PAGE)
    strict = fast_params(allow_private_addresses=False)
    direct = fetch(server.url("/a"), strict)
    assert direct.outcome == "skipped" and direct.error_class == "private_address"
    assert server.requests("/a") == []

    # the test server itself is exempted; its redirect into the private network is not
    exempt = fast_params(allow_private_addresses=False, exempt_hosts=frozenset({host_key(server.url("/"))}))
    server.route("/to-private", status=302, headers={"Location": "http://10.20.30.40/admin"})
    redirected = fetch(server.url("/to-private"), exempt)
    assert redirected.outcome == "skipped" and redirected.error_class == "private_address"
    assert redirected.final_url == "http://10.20.30.40/admin"

    hostname = socket.gethostname()
    try:
        resolved = socket.gethostbyname(hostname)
    except OSError:
        resolved = ""
    if not (resolved.startswith("127.") or resolved.startswith("10.") or resolved.startswith("192.168.")
            or resolved.startswith("172.")):
        pytest.skip("machine name does not resolve to a private address here")
    by_name = fetch(f"http://{hostname}:{server.port}/a", strict)
    assert by_name.outcome == "skipped" and by_name.error_class == "private_address"
    assert "resolves to private" in by_name.error and server.requests("/a") == []


def test_50_megabyte_body_is_cut_at_max_bytes_with_flat_memory(server):
    server.route("/huge", body=repeat_chunks(b"<p>" + b"a" * 65533, 50 * 1024 * 1024), chunked=True)
    tracemalloc.start()
    try:
        result = fetch(server.url("/huge"), fast_params(max_bytes=2_000_000, timeout=10))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.outcome == "truncated" and result.truncated
    assert len(result.body) == 2_000_000
    assert peak < 12_000_000  # a few copies of max_bytes at most, never the 50 MB


def _gzip_bomb(decoded_size: int) -> bytes:
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    out = [comp.compress(block) for _ in range(decoded_size // len(block))]
    out.append(comp.flush())
    return b"".join(out)


def test_gzip_bomb_is_cut_on_decoded_bytes(server):
    bomb = _gzip_bomb(256 * 1024 * 1024)  # 256 MiB of zeros, about 250 kB compressed
    assert len(bomb) < 500_000
    server.route("/bomb", body=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "text/html"})
    tracemalloc.start()
    try:
        result = fetch(server.url("/bomb"), fast_params(max_bytes=1_000_000, timeout=10))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.outcome == "truncated" and len(result.body) == 1_000_000
    assert peak < 10_000_000


def test_gzip_and_deflate_bodies_are_decoded(server):
    server.route("/gz", body=gzip.compress(PAGE), headers={"Content-Encoding": "gzip"})
    server.route("/defl", body=zlib.compress(PAGE), headers={"Content-Encoding": "deflate"})
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    server.route("/raw", body=raw.compress(PAGE) + raw.flush(), headers={"Content-Encoding": "deflate"})
    for path in ("/gz", "/defl", "/raw"):
        result = fetch(server.url(path))
        assert result.outcome == "ok" and result.body == PAGE, path


def test_brotli_body_is_decoded(server):
    brotli = pytest.importorskip("brotli")
    server.route("/br", body=brotli.compress(PAGE), headers={"Content-Encoding": "br"})
    result = fetch(server.url("/br"))
    assert result.outcome == "ok" and result.body == PAGE


def test_status_classes(server):
    server.route("/forbidden", status=403, body=b"no")
    server.route("/auth", status=401)
    server.route("/gone", status=410)
    server.route("/missing", status=404)
    server.route("/teapot", status=418)
    expected = {"/forbidden": "blocked", "/auth": "blocked", "/gone": "gone", "/missing": "gone", "/teapot": "failing"}
    for path, outcome in expected.items():
        result = fetch(server.url(path))
        assert result.outcome == outcome, path
        assert len(server.requests(path)) == 1, f"{path} must not be retried"


CHALLENGE = b"""<!DOCTYPE html><html><head><title>Just a moment...</title></head>
<body><div id="challenge">Checking your browser before accessing the site.</div>
<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1"></script></body></html>"""
DENIED = b"<html><head><title>Access Denied</title></head><body>You don't have permission to access this page.</body></html>"
ENABLE_JS = b"<html><body><p>Please enable JS and disable any ad blocker</p></body></html>"


def test_bot_challenge_pages_served_with_200_are_blocked(server):
    for i, page in enumerate((CHALLENGE, DENIED, ENABLE_JS)):
        server.route(f"/wall{i}", body=page, headers={"Content-Type": "text/html"})
        result = fetch(server.url(f"/wall{i}"))
        assert result.outcome == "blocked" and result.error_class == "bot_challenge", page[:40]
        assert result.body == b""


def test_long_article_that_mentions_captcha_is_not_a_bot_wall():
    text = b"<p>" + b"Analysts said the H200 rule would change chip trade. " * 200 + b"</p>"
    page = b"<html><head><title>Why the captcha era matters</title></head><body>" + text + \
        b"<noscript>Please enable JavaScript</noscript></body></html>"
    assert detect_bot_wall({}, page) is None


def test_per_host_delay_serialises_one_host_while_hosts_run_concurrently():
    with local_server() as a, local_server() as b:
        for srv in (a, b):
            for i in range(3):
                srv.route(f"/p{i}", body=PAGE, delay=0.1)

        async def go():
            async with Fetcher(fast_params(per_host_delay=0.2)) as fetcher:
                urls = [s.url(f"/p{i}") for s in (a, b) for i in range(3)]
                return await asyncio.gather(*(fetcher.fetch(u) for u in urls))
        t0 = time.monotonic()
        results = asyncio.run(go())
        wall = time.monotonic() - t0
        assert all(r.outcome == "ok" for r in results)
        for srv in (a, b):
            times = sorted(r.at for r in srv.requests() if r.path.startswith("/p"))
            gaps = [t2 - t1 for t1, t2 in zip(times, times[1:])]
            assert all(g >= 0.29 for g in gaps), gaps  # 0.1 s serving + 0.2 s pause, never overlapping
        # the two hosts overlapped: serial would take 6 * 0.3 s
        assert wall < 1.5
        first_a = min(r.at for r in a.requests() if r.path.startswith("/p"))
        first_b = min(r.at for r in b.requests() if r.path.startswith("/p"))
        assert abs(first_a - first_b) < 0.25


def test_parse_retry_after_forms():
    now = utc_now()
    assert parse_retry_after("30", now, 3600) == now + timedelta(seconds=30)
    assert parse_retry_after("999999", now, 3600) == now + timedelta(seconds=3600)
    assert parse_retry_after("not a date", now, 3600) is None
    assert parse_retry_after(None, now, 3600) is None


def test_robots_crawl_delay_spaces_requests_to_that_host(server):
    server.route("/robots.txt", body="User-agent: *\nCrawl-delay: 0.3\n")
    server.route("/a", body=PAGE)
    server.route("/b", body=PAGE)

    async def go():
        async with Fetcher(fast_params(per_host_delay=0.0)) as fetcher:
            return await asyncio.gather(fetcher.fetch(server.url("/a")), fetcher.fetch(server.url("/b")))
    results = asyncio.run(go())
    assert all(r.outcome == "ok" for r in results)
    times = sorted(r.at for r in server.requests() if r.path in ("/a", "/b"))
    assert times[1] - times[0] >= 0.28


def test_one_connection_is_reused_across_requests_and_304s(server):
    server.route("/a", body=PAGE, etag='"1"')
    server.route("/b", status=301, headers={"Location": "/a"})

    async def go():
        async with Fetcher(fast_params()) as fetcher:
            first = await fetcher.fetch(server.url("/a"))
            await fetcher.fetch(server.url("/a"), etag=first.etag)  # 304
            await fetcher.fetch(server.url("/b"))  # redirect, then 200
    asyncio.run(go())
    ports = {r.client_port for r in server.requests()}
    assert len(server.requests()) == 5 and len(ports) == 1  # robots.txt, /a, /a (304), /b, /a


def test_connect_time_check_catches_a_name_that_changed_to_a_private_address(server):
    """DNS rebinding: the early check saw a public address, the connection must not go private."""
    hostname = socket.gethostname()
    try:
        resolved = socket.gethostbyname(hostname)
    except OSError:
        pytest.skip("machine name does not resolve here")
    if not resolved.startswith("127."):
        pytest.skip("machine name does not resolve to loopback here")
    server.route("/a", body=PAGE)

    async def go():
        async with Fetcher(fast_params(allow_private_addresses=False)) as fetcher:
            # the early check's cache says "public" (as a first, honest lookup could have)
            # (never connected to: the connect-time check resolves afresh and refuses)
            fetcher.guard._cache[hostname] = (time.monotonic(), ["93.184.215.14"])
            result = await fetcher.fetch(f"http://{hostname}:{server.port}/a", check_robots=False)
            return result, fetcher.requests_sent
    result, sent = asyncio.run(go())
    assert sent == 1  # passed the early check, refused when connecting
    assert result.outcome == "skipped" and result.error_class == "private_address"
    assert "resolves to private" in result.error and server.requests() == []


def test_a_name_that_does_not_resolve_is_recognised_without_any_lookup():
    """Name failures are not retried at once (the source's back-off decides); tell them apart
    from refused connections by the resolver's error, here raised without touching a network."""
    import socket

    import httpx

    from chipwatch.monitor.fetch import is_name_failure

    try:
        try:
            raise socket.gaierror(-2, "Name or service not known")
        except socket.gaierror as inner:
            raise httpx.ConnectError("[Errno -2] Name or service not known") from inner
    except httpx.ConnectError as exc:
        assert is_name_failure(exc)
    assert not is_name_failure(httpx.ConnectError("[Errno 111] Connection refused"))
