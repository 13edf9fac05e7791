"""The JSONL channel: every alert appended to a file, one JSON object a line.

`[alerts] jsonl = "alerts.jsonl"` (relative to the working directory; "" turns it off).
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chipwatch.extractors.lexicon.tomlcheck import Key, string
from chipwatch.monitor.channels.base import Channel, ChannelKind, SendResult, register, short_hash


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
        return f"jsonl:{self.path.name}#{short_hash(str(self.path))}"

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
                done = self.already_written({str(m["dedupe_key"]) for m in messages if m.get("dedupe_key")})
                lines = "".join(json.dumps(m, ensure_ascii=False) + "\n"
                                for m in messages if m.get("dedupe_key") not in done)
                with self.path.open("a", encoding="utf-8") as fh:
                    fh.write(lines)
                    fh.flush()
                    os.fsync(fh.fileno())
        except OSError as exc:
            return SendResult(False, f"{self.path}: {exc.strerror or exc}")
        return SendResult(True, f"appended {len(messages)} line(s) to {self.path}")


def _load(value: str) -> str:
    """The absolute path of the log, fixed when the configuration is read, or ""."""
    value = value.strip()
    if not value:
        return ""
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else Path.cwd() / path)


def _build(path: str) -> list[Channel]:
    return [JsonlChannel(Path(path))] if path else []


KIND = register(ChannelKind(name="jsonl", key="jsonl", setting=Key(string, "alerts.jsonl"),
                            build=_build, load=_load, order=10))
