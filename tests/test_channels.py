"""Alert channels are registered kinds: each module of monitor/channels/ declares its own
`[alerts]` key and check, and the config loader and the outbox only ask the registry."""

from __future__ import annotations

import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from chipwatch.extractors.lexicon.tomlcheck import Key, list_of, text
from chipwatch.monitor import channels as channels_pkg
from chipwatch.monitor.channels import base
from chipwatch.monitor.channels import ChannelKind, SendResult, channel_kinds, channels_from_config, register
from chipwatch.monitor.config import ConfigError, load_config


def test_every_module_of_the_package_is_one_registered_kind():
    modules = {m.name for m in pkgutil.iter_modules(channels_pkg.__path__)} - {"base"}
    kinds = channel_kinds()
    assert {k.name for k in kinds} >= {"jsonl", "webhook", "apprise"}
    assert modules == {"jsonl", "webhook", "apprise"}
    assert [k.key for k in kinds][:3] == ["jsonl", "webhooks", "apprise"]


def test_shipped_kinds_build_channels_in_a_fixed_order(tmp_path):
    path = tmp_path / "chipwatch.toml"
    path.write_text('[alerts]\njsonl = "a.jsonl"\nwebhooks = ["https://hooks.example/x"]\n'
                    'apprise = ["ntfy://ntfy.sh/topic"]\n')
    built = channels_from_config(load_config(path))
    assert [c.kind for c in built] == ["jsonl", "webhook", "apprise"]
    assert built[1].id.startswith("webhook:hooks.example#")


@dataclass
class MemoryChannel:
    """A channel kind a user might add: it keeps what it was sent."""

    name: str
    types: list[str] = field(default_factory=list)
    digest: float = 0.0
    kind: str = "memory"
    sent: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"memory:{self.name}"

    def send(self, messages: list[dict[str, Any]], *, digest: bool = False) -> SendResult:
        self.sent.extend(messages)
        return SendResult(True, "kept")


@pytest.fixture
def memory_kind():
    kind = register(ChannelKind(name="memory", key="memory", setting=Key(list_of(text), []),
                                build=lambda names: [MemoryChannel(n) for n in names], order=90))
    yield kind
    base._KINDS.pop("memory", None)


def test_a_new_kind_needs_no_change_elsewhere(tmp_path, memory_kind):
    path = tmp_path / "chipwatch.toml"
    path.write_text('[alerts]\njsonl = ""\nmemory = ["first", "second"]\n')
    config = load_config(path)
    assert config.alerts.channels == {"memory": ["first", "second"]}
    built = channels_from_config(config)
    assert [c.id for c in built] == ["memory:first", "memory:second"]
    # Its key is checked like any other: one line naming the key.
    path.write_text('[alerts]\nmemory = "not a list"\n')
    with pytest.raises(ConfigError, match=r"alerts\.memory"):
        load_config(path)


def test_the_outbox_delivers_through_a_new_kind(tmp_path, memory_kind, store):
    from chipwatch.monitor import alerts, outbox

    path = tmp_path / "chipwatch.toml"
    path.write_text('[alerts]\njsonl = ""\nmemory = ["box"]\n')
    config = load_config(path)
    built = channels_from_config(config)
    alert_id = alerts.record(store, alerts.Alert("source_failing", "t1", "a source fails", source="x"), config)
    assert alert_id is not None
    report = outbox.deliver_pending(store, config, channels=built)
    assert report.delivered == 1 and [m["title"] for m in built[0].sent] == ["a source fails"]
    row = store.db.execute("SELECT channel, status FROM deliveries").fetchone()
    assert tuple(row) == ("memory:box", "delivered")


def test_two_kinds_cannot_share_a_key():
    with pytest.raises(ValueError, match="already used"):
        register(ChannelKind(name="other", key="webhooks", setting=Key(list_of(text), []),
                             build=lambda v: []))
    assert "other" not in {k.name for k in channel_kinds()}


def test_old_import_paths_still_work():
    from chipwatch.monitor.channels import JsonlChannel, WebhookChannel
    from chipwatch.monitor.config import AppriseTarget, WebhookTarget

    assert WebhookTarget(url="https://x.example/").secret_env == ""
    assert AppriseTarget(url="ntfy://x").types == []
    assert JsonlChannel(Path("/tmp/x.jsonl")).kind == "jsonl"
    assert WebhookChannel("https://x.example/").kind == "webhook"
