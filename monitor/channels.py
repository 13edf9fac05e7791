"""Where alerts go: a JSONL file, generic webhooks, and Apprise URLs.

A channel turns a batch of alert messages (one alert, or a digest of several) into one
delivery attempt and says whether it worked. Channels are named by an id that is stable
across restarts and never contains a secret: webhook and Apprise URLs often carry tokens
in their path or user part, so ids keep only the scheme, the host (webhooks) and a short
hash of the full URL.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from chipwatch.monitor import __version__
from chipwatch.monitor.config import Config

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Chipwatch-Signature"
WEBHOOK_TIMEOUT = 10.0
# HTTP answers that will not get better by asking again: the outbox gives up at once.
_PERMANENT = {400, 401, 403, 404, 405, 410, 413, 415, 422}


@dataclass
class SendResult:
    ok: bool
    detail: str = ""
    permanent: bool = False  # retrying cannot help (bad URL, 4xx): give up now


class Channel(Protocol):
    id: str
    kind: str
    types: list[str]
    digest: float

    def send(self, messages: list[dict[str, Any]], *, digest: bool = False) -> SendResult: ...


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def accepts(channel: Channel, alert_type: str) -> bool:
    return not channel.types or alert_type in channel.types


def message_text(messages: list[dict[str, Any]]) -> tuple[str, str]:
    """Title and body for channels that carry plain text (Apprise)."""
    if len(messages) == 1:
        m = messages[0]
        return f"chipwatch: {m['title']}", m.get("body") or m["title"]
    title = f"chipwatch: {len(messages)} alerts"
    body = "\n".join(f"- [{m['type']}] {m['title']}" for m in messages)
    return title, body


def digest_message(messages: list[dict[str, Any]]) -> dict[str, Any]:
    return {"digest": True, "count": len(messages), "alerts": messages,
            "types": sorted({m["type"] for m in messages}), "chipwatch": __version__}


@dataclass
class JsonlChannel:
    """One JSON object per alert, appended; the file is the audit log of what was sent."""

    path: Path
    types: list[str] = field(default_factory=list)
    digest: float = 0.0
    kind: str = "jsonl"
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def id(self) -> str:
        return f"jsonl:{self.path.name}#{_short_hash(str(self.path))}"

    def already_written(self, keys: set[str], tail_bytes: int = 1_000_000) -> set[str]:
        """Dedupe keys already in the file's tail (an append that happened before a crash)."""
        try:
            with self.path.open("rb") as fh:
                fh.seek(0, os.SEEK_END)
                size = fh.tell()
                fh.seek(max(0, size - tail_bytes))
                tail = fh.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return set()
        found = set()
        for line in tail.splitlines():
            try:
                key = json.loads(line).get("dedupe_key")
            except (ValueError, AttributeError):
                continue
            if key in keys:
                found.add(key)
        return found

    def send(self, messages: list[dict[str, Any]], *, digest: bool = False) -> SendResult:
        try:
            with self._lock:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                done = self.already_written({m.get("dedupe_key") for m in messages if m.get("dedupe_key")})
                lines = "".join(json.dumps(m, ensure_ascii=False) + "\n"
                                for m in messages if m.get("dedupe_key") not in done)
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write(lines)
                    fh.flush()
                    os.fsync(fh.fileno())
        except OSError as exc:
            return SendResult(False, f"{self.path}: {exc.strerror or exc}")
        return SendResult(True, f"appended {len(messages)} line(s) to {self.path}")


@dataclass
class WebhookChannel:
    """A JSON POST per alert (or per digest), signed with HMAC-SHA256 when a secret is set."""

    url: str
    secret_env: str = ""
    types: list[str] = field(default_factory=list)
    digest: float = 0.0
    kind: str = "webhook"

    @property
    def id(self) -> str:
        parts = urlsplit(self.url)
        host = parts.hostname or "?"
        port = f":{parts.port}" if parts.port else ""
        return f"webhook:{host}{port}#{_short_hash(self.url)}"

    def _redact(self, text: str) -> str:
        return text.replace(self.url, self.id)

    def send(self, messages: list[dict[str, Any]], *, digest: bool = False) -> SendResult:
        import httpx

        payload = digest_message(messages) if digest or len(messages) != 1 else messages[0]
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"chipwatch/{__version__}",
            "X-Chipwatch-Event": "digest" if "digest" in payload else str(payload.get("type")),
            "X-Chipwatch-Delivery": _short_hash("|".join(str(m.get("dedupe_key")) for m in messages)),
        }
        if self.secret_env:
            secret = os.environ.get(self.secret_env, "")
            if not secret:
                # Sending unsigned would let a receiver that checks signatures drop alerts
                # silently; fail loudly and retry until the variable is set.
                return SendResult(False, f"environment variable {self.secret_env} is not set; not sent unsigned")
            signature = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
            headers[SIGNATURE_HEADER] = f"sha256={signature}"
        try:
            with httpx.Client(timeout=WEBHOOK_TIMEOUT, follow_redirects=False) as client:
                response = client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return SendResult(False, self._redact(f"{type(exc).__name__}: {exc}"))
        if 200 <= response.status_code < 300:
            return SendResult(True, f"HTTP {response.status_code}")
        return SendResult(False, f"HTTP {response.status_code}",
                          permanent=response.status_code in _PERMANENT)


class _Capture(logging.Handler):
    """Collects what Apprise logs during one notify, for the delivery's error column."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass
class AppriseChannel:
    """Any service Apprise knows (email, Slack, Discord, Telegram, ntfy, JSON, ...)."""

    url: str
    types: list[str] = field(default_factory=list)
    digest: float = 0.0
    kind: str = "apprise"

    @property
    def id(self) -> str:
        scheme = urlsplit(self.url).scheme or "?"
        return f"apprise:{scheme}#{_short_hash(self.url)}"

    def _redact(self, text: str) -> str:
        text = text.replace(self.url, self.id)
        # user:password@ and long token-looking path parts never reach our logs or database
        text = re.sub(r"//[^/\s@]+@", "//***@", text)
        return re.sub(r"[A-Za-z0-9_\-]{24,}", "***", text)

    def send(self, messages: list[dict[str, Any]], *, digest: bool = False) -> SendResult:
        import apprise

        notifier = apprise.Apprise()
        if not notifier.add(self.url):
            return SendResult(False, f"{self.id}: not a URL Apprise understands", permanent=True)
        title, body = message_text(messages)
        capture = _Capture()
        apprise_log = logging.getLogger("apprise")
        apprise_log.addHandler(capture)
        try:
            ok = notifier.notify(title=title, body=body)
        except Exception as exc:  # noqa: BLE001 - any plugin error is a failed attempt
            return SendResult(False, self._redact(f"{type(exc).__name__}: {exc}"))
        finally:
            apprise_log.removeHandler(capture)
        if ok:
            return SendResult(True, "sent")
        detail = capture.messages[-1] if capture.messages else "Apprise reported a failure"
        return SendResult(False, self._redact(detail))


def channels_from_config(config: Config | None) -> list[Channel]:
    """Every alert channel the configuration names, in a fixed order."""
    if config is None:
        return []
    out: list[Channel] = []
    if config.alerts.jsonl:
        out.append(JsonlChannel(Path(config.alerts.jsonl)))
    for w in config.alerts.webhooks:
        out.append(WebhookChannel(w.url, w.secret_env, list(w.types), float(w.digest)))
    for a in config.alerts.apprise:
        out.append(AppriseChannel(a.url, list(a.types), float(a.digest)))
    return out
