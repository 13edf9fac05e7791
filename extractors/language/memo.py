"""The results of a costly per-text analysis for the last few texts.

The figure rules, the policy rules and the model step each split the same article into
sentences and look for its chips; with this they do it once per article. Results are
kept as tuples and handed out as fresh lists, so a caller changing its list changes
nobody else's, and only a handful of texts are kept, so memory stays bounded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class RecentTexts(Generic[T]):
    """Per-key results of one analysis, the oldest dropped beyond `size` keys."""

    def __init__(self, size: int = 4) -> None:
        self._size = size
        self._items: dict[Hashable, tuple[T, ...]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], list[T]]) -> list[T]:
        found = self._items.get(key)
        if found is None:
            found = tuple(compute())
            with self._lock:
                self._items[key] = found
                while len(self._items) > self._size:
                    del self._items[next(iter(self._items))]
        return list(found)
