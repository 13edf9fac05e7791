"""The Apprise channel: any service Apprise has a URL scheme for (email, Slack, Discord,
Telegram, ntfy, ...).

`[alerts] apprise = ["ntfy://ntfy.sh/topic", { url = "mailto://...", types = [...], digest = "1h" }]`
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from chipwatch.extractors.lexicon.tomlcheck import Key, Schema, list_of, text
from chipwatch.monitor.channels.base import (Channel, ChannelKind, SendResult, message_text, register,
                                             short_hash)
from chipwatch.monitor.config import any_url, duration_or_zero, table_or_url


@dataclass
class AppriseTarget:
    url: str
    types: list[str] = field(default_factory=list)
    digest: float = 0.0


APPRISE_KEYS: Schema = {
    "url": Key(any_url),
    "types": Key(list_of(text), []),
    "digest": Key(duration_or_zero, 0.0),
}


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
        return f"apprise:{scheme}#{short_hash(self.url)}"

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


def _build(targets: list[AppriseTarget]) -> list[Channel]:
    return [AppriseChannel(a.url, list(a.types), float(a.digest)) for a in targets]


KIND = register(ChannelKind(
    name="apprise", key="apprise", setting=Key(list_of(table_or_url(APPRISE_KEYS)), []),
    build=_build, load=lambda rows: [AppriseTarget(**row) for row in rows], order=30))
