"""A real webhook receiver on 127.0.0.1 for tests: records every POST it accepts.

It can be taken down (the listening socket is closed, so clients get "connection
refused") and brought up again on the same port, and it can be told to answer with an
error status instead of 200.

Usage::

    with WebhookReceiver() as hook:          # listening on hook.url("/hook")
        ...                                    # deliver alerts to hook.url("/hook")
        hook.down()                            # connection refused from now on
        hook.up()                              # same port again
        hook.answer(500)                       # accepted connections get a 500 (not recorded)
        hook.refuse_containing("number 1")     # only POSTs whose body holds this get a 500
        hook.posts                             # [Post(path, headers, body, json), ...]
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Post:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int  # what the receiver answered

    @property
    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    receiver: "WebhookReceiver"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_POST(self) -> None:
        receiver: WebhookReceiver = self.server.receiver  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status = receiver.status
        if receiver.refuse_text is not None and receiver.refuse_text.encode() in body:
            status = 500  # this one message is refused, the others taken
        post = Post(self.path, dict(self.headers.items()), body, status)
        with receiver.lock:
            receiver.all_posts.append(post)
        answer = b'{"ok": true}' if status < 300 else b'{"ok": false}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(answer)
        self.close_connection = True


class WebhookReceiver:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.status = 200
        self.refuse_text: str | None = None
        self.lock = threading.Lock()
        self.all_posts: list[Post] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # lifecycle
    def up(self) -> "WebhookReceiver":
        if self._server is not None:
            return self
        deadline = time.monotonic() + 5
        while True:
            try:
                server = _Server((self.host, self.port), _Handler)
                break
            except OSError:  # the old socket may linger for a moment
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        server.receiver = self
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"webhook-{self.port}", daemon=True)
        self._thread.start()
        return self

    def down(self) -> None:
        """Stop listening: connections to the port are refused until `up()`."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    @property
    def is_up(self) -> bool:
        if self._server is None:
            return False
        with socket.socket() as s:
            return s.connect_ex((self.host, self.port)) == 0

    def answer(self, status: int) -> None:
        self.status = status

    def refuse_containing(self, text: str | None) -> None:
        """Answer 500 to every POST whose body contains `text` (one poisoned alert)."""
        self.refuse_text = text

    def __enter__(self) -> "WebhookReceiver":
        return self.up()

    def __exit__(self, *exc: object) -> None:
        self.down()

    # what arrived
    def url(self, path: str = "/hook") -> str:
        return f"http://{self.host}:{self.port}{path}"

    @property
    def posts(self) -> list[Post]:
        """POSTs answered with a 2xx (the ones a sender may count as delivered)."""
        with self.lock:
            return [p for p in self.all_posts if p.status < 300]

    def clear(self) -> None:
        with self.lock:
            self.all_posts.clear()
