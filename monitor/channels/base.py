"""What every alert channel shares: the result of a send, the channel shape, the message
texts, and the registry of channel kinds.

A channel turns a batch of alert messages (one alert, or a digest of several) into one
delivery attempt and says whether it worked. Channels are named by an id that is stable
across restarts and never contains a secret: webhook and Apprise URLs often carry tokens
in their path or user part, so ids keep only the scheme, the host (webhooks) and a short
hash of the full URL.

A channel kind is one module in this package that calls `register()` with its `[alerts]`
key, the check of that key's value, and how to build channels from it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Callable, Protocol

from chipwatch.extractors.lexicon.tomlcheck import Key
from chipwatch.monitor import __version__


@dataclass
class SendResult:
    ok: bool
    detail: str = ""
    permanent: bool = False  # retrying cannot help (bad URL, 4xx): give up now


class Channel(Protocol):
    @property
    def id(self) -> str: ...  # stable across restarts, never a secret

    kind: str
    types: list[str]
    digest: float

    def send(self, messages: list[dict[str, Any]], *, digest: bool = False) -> SendResult: ...


def short_hash(text: str) -> str:
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


@dataclass(frozen=True)
class ChannelKind:
    """One kind of channel, as the configuration loader and the outbox see it."""

    name: str  # the prefix of its channel ids: "jsonl", "webhook", ...
    key: str  # its key under [alerts] in chipwatch.toml
    setting: Key  # the check of that key's value, and its default
    build: Callable[[Any], list[Channel]]  # channels from the loaded setting
    load: Callable[[Any], Any] = lambda value: value  # checked value -> the config's record
    order: int = 100  # channels are built in this order (then by name)


_KINDS: dict[str, ChannelKind] = {}


def register(kind: ChannelKind) -> ChannelKind:
    """Make a channel kind known; its `[alerts]` key must be new."""
    taken = next((k for k in _KINDS.values() if k.key == kind.key and k.name != kind.name), None)
    if taken is not None:
        raise ValueError(f"[alerts] key {kind.key!r} is already used by channel kind {taken.name!r}")
    _KINDS[kind.name] = kind
    return kind


def registered() -> list[ChannelKind]:
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.name))
