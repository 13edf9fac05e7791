"""Where alerts go. Each module of this package is one channel kind (jsonl, webhook,
apprise) that registers itself with its `[alerts]` key and that key's check; adding a
channel is adding a module here. The configuration loader and the outbox only ask this
registry.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING, Any

from chipwatch.monitor.channels.base import (Channel, ChannelKind, SendResult, accepts, digest_message,
                                             message_text, register, registered, short_hash)

if TYPE_CHECKING:
    from chipwatch.monitor.config import AlertsConfig, Config

__all__ = ["Channel", "ChannelKind", "SendResult", "accepts", "channel_kinds", "channels_from_config",
           "digest_message", "message_text", "register", "short_hash"]

_loaded = False


def channel_kinds() -> list[ChannelKind]:
    """Every channel kind, after importing each module of this package once."""
    global _loaded
    if not _loaded:
        for module in pkgutil.iter_modules(__path__):
            if module.name != "base":
                importlib.import_module(f"{__name__}.{module.name}")
        _loaded = True
    return registered()


def setting(alerts: AlertsConfig, kind: ChannelKind) -> Any:
    """A kind's loaded setting: the shipped kinds have their own field, later ones live in
    `alerts.channels` under their key."""
    if kind.key in alerts.channels:
        return alerts.channels[kind.key]
    return getattr(alerts, kind.key, kind.load(kind.setting.default))


def channels_from_config(config: Config | None) -> list[Channel]:
    """Every alert channel the configuration names, in a fixed order."""
    if config is None:
        return []
    out: list[Channel] = []
    for kind in channel_kinds():
        out.extend(kind.build(setting(config.alerts, kind)))
    return out


def __getattr__(name: str) -> Any:
    # The channel classes by their old import path (chipwatch.monitor.channels.JsonlChannel).
    homes = {"JsonlChannel": "jsonl", "WebhookChannel": "webhook", "WebhookTarget": "webhook",
             "SIGNATURE_HEADER": "webhook", "AppriseChannel": "apprise", "AppriseTarget": "apprise"}
    if name in homes:
        return getattr(importlib.import_module(f"{__name__}.{homes[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
