"""The webhook channel: a JSON POST per alert (or per digest) to each URL, signed when a
secret is set.

`[alerts] webhooks = ["https://...", { url = "https://...", secret_env = "NAME",
types = ["figure_changed"], digest = "10m" }]`
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from chipwatch.extractors.lexicon.tomlcheck import Key, Schema, list_of, text
from chipwatch.monitor import __version__
from chipwatch.monitor.channels.base import (Channel, ChannelKind, SendResult, digest_message, register,
                                             short_hash)
from chipwatch.monitor.config import duration_or_zero, env_name, http_url, table_or_url

SIGNATURE_HEADER = "X-Chipwatch-Signature"
WEBHOOK_TIMEOUT = 10.0
# HTTP answers that will not get better by asking again: the outbox gives up at once.
_PERMANENT = {400, 401, 403, 404, 405, 410, 413, 415, 422}


@dataclass
class WebhookTarget:
    url: str
    secret_env: str = ""  # name of an environment variable holding a signing secret
    types: list[str] = field(default_factory=list)  # alert types to send; empty = all
    digest: float = 0.0  # seconds to collect alerts into one message; 0 = send each


WEBHOOK_KEYS: Schema = {
    "url": Key(http_url),
    "secret_env": Key(env_name, ""),
    "types": Key(list_of(text), []),
    "digest": Key(duration_or_zero, 0.0),
}


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
        return f"webhook:{host}{port}#{short_hash(self.url)}"

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
            "X-Chipwatch-Delivery": short_hash("|".join(str(m.get("dedupe_key")) for m in messages)),
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


def _build(targets: list[WebhookTarget]) -> list[Channel]:
    return [WebhookChannel(w.url, w.secret_env, list(w.types), float(w.digest)) for w in targets]


KIND = register(ChannelKind(
    name="webhook", key="webhooks", setting=Key(list_of(table_or_url(WEBHOOK_KEYS)), []),
    build=_build, load=lambda rows: [WebhookTarget(**row) for row in rows], order=20))
