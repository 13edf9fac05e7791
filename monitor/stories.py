"""Stories as the library hands them out: syndicated copies grouped under one origin.

db/sourcing.py reads the rows; this turns them into typed records, so scripts and the
`stories` command see the same fields (`chipwatch stories --format json` prints these).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from chipwatch.db import sourcing
from chipwatch.db.store import Store


@dataclass
class StoryCopy:
    """One document of a story: where it appeared and how alike it is to the story's text."""

    document_id: int
    outlet: str | None
    url: str
    title: str | None
    published: str | None
    similarity: float


@dataclass
class Story:
    """Articles republished by several outlets, with the origin chosen and why."""

    id: int
    origin_document_id: int | None
    origin_outlet: str | None
    origin_url: str | None
    origin_title: str | None
    reason: str | None
    copies: int
    created_at: str
    updated_at: str
    members: list[StoryCopy] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        """The story as one JSON object (members as a list of objects)."""
        return asdict(self)


def list_stories(store: Store, limit: int | None = None) -> list[Story]:
    """Stories, most recently changed first, each with its copies in publication order."""
    out = []
    for r in sourcing.stories(store, limit):
        members = [StoryCopy(m["document_id"], m["outlet"], m["url"], m["title"], m["published"],
                             float(m["similarity"]))
                   for m in sourcing.story_members(store, r["id"])]
        out.append(Story(r["id"], r["origin_document_id"], r["origin_outlet"], r["origin_url"],
                         r["origin_title"], r["reason"], int(r["copies"]), r["created_at"],
                         r["updated_at"], members))
    return out
