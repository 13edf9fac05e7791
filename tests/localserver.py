"""A real HTTP/1.1 server on loopback for tests: routes that can change between requests,
and a log of every request with its headers, so tests can prove what a client sent.

Usage::

    from localserver import local_server, Route   # tests/ is on sys.path under pytest

    with local_server() as srv:                      # or a fixture that yields it
        srv.route("/a", body=b"<html>one</html>", etag='"v1"')
        ...                                          # client fetches srv.url("/a") twice
        second = srv.requests("/a")[1]
        assert second.header("If-None-Match") == '"v1"' and second.status == 304
        srv.route("/a", body=b"<html>two</html>", etag='"v2"')   # the page changes

Route options (all optional):
  status, headers (dict), body (bytes | str | callable returning an iterable of byte
  chunks, called fresh per request so generated bodies are never held in memory),
  etag / last_modified (sent as headers; with `conditional=True` a matching
  If-None-Match / If-Modified-Since gets a 304), delay (seconds before the status line),
  chunk_size + chunk_delay (send the body in chunks, sleeping between them: slow bodies),
  chunked (use Transfer-Encoding: chunked instead of Content-Length),
  handler (callable(RecordedRequest) -> Route, for per-request logic such as "fail twice,
  then succeed"), plus `sequence=[Route, ...]` to serve different routes on successive hits
  (the last one repeats).
Unknown paths get 404. `host` may be any 127.x.y.z address (all loopback on Linux).
"""
from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterable, Iterator

BodySource = bytes | str | Callable[[], Iterable[bytes]]


@dataclass
class RecordedRequest:
    method: str
    path: str  # without the query string
    query: str
    headers: dict[str, str]
    body: bytes
    at: float  # time.monotonic() when the request line arrived
    status: int | None = None  # the status the server answered with
    client_port: int = 0  # the client's TCP port: equal ports mean a reused connection

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class Route:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: BodySource = b""
    etag: str | None = None
    last_modified: str | None = None
    conditional: bool = True
    delay: float = 0.0
    chunk_size: int = 65536
    chunk_delay: float = 0.0
    chunked: bool = False
    handler: Callable[[RecordedRequest], "Route"] | None = None
    sequence: list["Route"] | None = None
    hits: int = 0

    def body_chunks(self) -> Iterator[bytes]:
        body = self.body
        if callable(body):
            yield from body()
            return
        data = body.encode("utf-8") if isinstance(body, str) else body
        for start in range(0, len(data), self.chunk_size):
            yield data[start:start + self.chunk_size]

    def fixed_length(self) -> int | None:
        if callable(self.body) or self.chunked:
            return None
        return len(self.body.encode("utf-8") if isinstance(self.body, str) else self.body)


class LocalServer:
    """A threaded HTTP server whose routes and request log are shared with the test thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self._routes: dict[str, Route] = {}
        self._log: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._httpd = _Server((host, port), _Handler)
        self._httpd.owner = self
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"localserver-{self.port}", daemon=True)

    # lifecycle
    def start(self) -> "LocalServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "LocalServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # routes
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def route(self, path: str, route: Route | None = None, **options: object) -> Route:
        """Set (or replace) what `path` serves; options are Route fields."""
        new = route if route is not None else Route(**options)  # type: ignore[arg-type]
        with self._lock:
            self._routes[path] = new
        return new

    def remove(self, path: str) -> None:
        with self._lock:
            self._routes.pop(path, None)

    def _lookup(self, path: str, query: str) -> Route | None:
        with self._lock:
            return self._routes.get(f"{path}?{query}") or self._routes.get(path)

    # request log
    def requests(self, path: str | None = None) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self._log if path is None or r.path == path]

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._log.append(request)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128
    owner: LocalServer

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        pass  # clients that hang up mid-body (timeouts, size cuts) are expected in tests


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10  # idle keep-alive connections are closed after this

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_POST(self) -> None:
        self._serve()

    def _serve(self, head: bool = False) -> None:
        owner: LocalServer = self.server.owner  # type: ignore[attr-defined]
        path, _, query = self.path.partition("?")
        length = int(self.headers.get("Content-Length") or 0)
        payload = self.rfile.read(length) if length else b""
        request = RecordedRequest(self.command, path, query, dict(self.headers.items()), payload, time.monotonic(),
                                  client_port=self.client_address[1])
        owner._record(request)
        route = owner._lookup(path, query)
        if route is None:
            route = Route(status=404, body=b"not found")
        else:
            with owner._lock:
                route.hits += 1
                hit = route.hits
            if route.sequence:
                route = route.sequence[min(hit, len(route.sequence)) - 1]
            if route.handler is not None:
                route = route.handler(request)
        if route.delay:
            time.sleep(route.delay)
        status, headers = route.status, dict(route.headers)
        if route.etag:
            headers.setdefault("ETag", route.etag)
        if route.last_modified:
            headers.setdefault("Last-Modified", route.last_modified)
        if status == 200 and route.conditional and _not_modified(request, route):
            request.status = 304
            self.send_response(304)
            for name, value in headers.items():
                if name.lower() in ("etag", "last-modified", "cache-control", "date"):
                    self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        request.status = status
        self.send_response(status)
        length_known = route.fixed_length()
        for name, value in headers.items():
            self.send_header(name, value)
        if not any(h.lower() == "content-length" for h in headers):
            if length_known is not None:
                self.send_header("Content-Length", str(length_known))
            else:
                self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if head:
            return
        chunked = length_known is None and not any(h.lower() == "content-length" for h in headers)
        try:
            for chunk in route.body_chunks():
                if not chunk:
                    continue
                if chunked:
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                else:
                    self.wfile.write(chunk)
                self.wfile.flush()
                if route.chunk_delay:
                    time.sleep(route.chunk_delay)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def _not_modified(request: RecordedRequest, route: Route) -> bool:
    inm = request.header("If-None-Match")
    if inm is not None and route.etag:
        tags = [t.strip() for t in inm.split(",")]
        return route.etag in tags or "*" in tags
    ims = request.header("If-Modified-Since")
    if ims and route.last_modified:
        try:
            return parsedate_to_datetime(route.last_modified) <= parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
    return False


@contextlib.contextmanager
def local_server(host: str = "127.0.0.1") -> Iterator[LocalServer]:
    """Start a server for the duration of a `with` block (use as a pytest fixture body)."""
    server = LocalServer(host).start()
    try:
        yield server
    finally:
        server.stop()


def repeat_chunks(chunk: bytes, total: int) -> Callable[[], Iterable[bytes]]:
    """A body of `total` bytes generated on the fly (for very large responses)."""
    def generate() -> Iterator[bytes]:
        sent = 0
        while sent < total:
            piece = chunk[: total - sent]
            sent += len(piece)
            yield piece
    return generate
